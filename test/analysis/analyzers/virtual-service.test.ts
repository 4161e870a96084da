import { istio, run, svc } from './helpers';

const reviews = svc('reviews', 'default', [{ name: 'http', port: 9080 }]);
const twoPorts = svc('multi', 'default', [{ name: 'http', port: 80 }, { name: 'https', port: 443 }]);
const vs = (name: string, spec: any, ns = 'default') => istio('VirtualService', name, ns, spec);
const to = (destination: any) => ({ http: [{ route: [{ destination }] }] });

describe('virtualservice.DestinationHostAnalyzer', () => {
  const A = 'virtualservice.DestinationHostAnalyzer';
  test('IST0101 for a host no Service or ServiceEntry defines', () => {
    expect(run(A, [reviews, vs('bad', to({ host: 'reviewz' }))])).toEqual([
      'IST0101 error VirtualService default/bad: VirtualService.spec.http[0].route[0].destination.host: host "reviewz" matches no Service or ServiceEntry visible from namespace default in the analysed manifests (got "reviewz"; if it exists outside these manifests, declare it (IstioAnalysis.of(app).declareHosts / declareNamespaces))',
    ]);
  });
  test('near miss: short name, FQDN, a declared host, or a namespace the input does not describe', () => {
    expect(run(A, [reviews, vs('ok', to({ host: 'reviews' })), vs('fqdn', to({ host: 'reviews.default.svc.cluster.local' }))])).toEqual([]);
    expect(run(A, [reviews, vs('ext', to({ host: 'reviewz' }))], { declaredHosts: ['reviewz'] })).toEqual([]);
    expect(run(A, [reviews, vs('other', to({ host: 'details.other.svc.cluster.local' }))])).toEqual([]);
  });
  test('IST0101 for a port the Service lacks, IST0112 for a missing port on a multi-port Service', () => {
    expect(run(A, [reviews, twoPorts, vs('p', to({ host: 'reviews', port: { number: 1 } })), vs('m', to({ host: 'multi' }))])).toEqual([
      'IST0101 error VirtualService default/p: VirtualService.spec.http[0].route[0].destination.port.number: port 1 is not a port of "reviews" (got "reviews:1"; one of 9080)',
      'IST0112 error VirtualService default/m: VirtualService.spec.http[0].route[0].destination: host "multi" exposes several ports, so the destination must select one with port.number (one of 80, 443)',
    ]);
    expect(run(A, [twoPorts, vs('m', to({ host: 'multi', port: { number: 443 } }))])).toEqual([]);
  });
  test('IST0140 for a gateway route without subset to a host other rules split by subset', () => {
    const canary = vs('canary', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] });
    const ingress = vs('ingress', { hosts: ['a.example.com'], gateways: ['gw'], ...to({ host: 'reviews' }) });
    expect(run(A, [reviews, canary, ingress])).toEqual([
      'IST0140 warning VirtualService default/ingress: VirtualService.spec.http[0].route[0].destination: another VirtualService routes "reviews" by subset; those subset rules do not apply to traffic from this gateway route (got "reviews"; route to a subset here too, or accept that ingress traffic ignores them)',
    ]);
    expect(run(A, [reviews, ingress])).toEqual([]);
  });
});

describe('virtualservice.DestinationRuleAnalyzer', () => {
  const A = 'virtualservice.DestinationRuleAnalyzer';
  const dr = istio('DestinationRule', 'reviews', 'default', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
  test('IST0101 for a subset the DestinationRule of the host lacks', () => {
    expect(run(A, [dr, vs('bad', to({ host: 'reviews', subset: 'v2' }))])).toEqual([
      'IST0101 error VirtualService default/bad: VirtualService.spec.http[0].route[0].destination.subset: no DestinationRule in the analysed manifests defines subset "v2" for host "reviews" (got "reviews+v2"; add the subset to the DestinationRule of that host)',
    ]);
  });
  test('near miss: a defined subset, or a host whose DestinationRule is not in the input', () => {
    expect(run(A, [dr, vs('ok', to({ host: 'reviews.default.svc.cluster.local', subset: 'v1' })), vs('x', to({ host: 'ratings', subset: 'v9' }))])).toEqual([]);
  });
});

describe('virtualservice.GatewayAnalyzer', () => {
  const A = 'virtualservice.GatewayAnalyzer';
  const gw = istio('Gateway', 'gw', 'edge', { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*.example.com'] }] });
  test('IST0101 and IST0132 for a missing gateway in a namespace that has Gateways', () => {
    expect(run(A, [gw, vs('v', { hosts: ['a.example.com'], gateways: ['edge/nope'] })])).toEqual([
      'IST0101 error VirtualService default/v: VirtualService.spec.gateways[0]: gateway "edge/nope" is not defined in the analysed manifests (got "edge/nope"; "namespace/name" of a Gateway; if it exists outside these manifests, declare it (IstioAnalysis.of(app).declareHosts / declareNamespaces))',
      'IST0132 warning VirtualService default/v: VirtualService.spec.gateways[0]: none of the VirtualService hosts (a.example.com) is served by gateway edge/nope (got "edge/nope"; add the host to a server of the gateway, or bind to a gateway that serves it)',
    ]);
  });
  test('IST0132 for a host the gateway does not serve; near miss with a wildcard match', () => {
    expect(run(A, [gw, vs('v', { hosts: ['a.example.org'], gateways: ['edge/gw'] })])).toEqual([
      'IST0132 warning VirtualService default/v: VirtualService.spec.gateways[0]: none of the VirtualService hosts (a.example.org) is served by gateway edge/gw (got "edge/gw"; add the host to a server of the gateway, or bind to a gateway that serves it)',
    ]);
    expect(run(A, [gw, vs('v', { hosts: ['a.example.com'], gateways: ['edge/gw', 'mesh'] })])).toEqual([]);
    expect(run(A, [vs('v', { hosts: ['a.example.com'], gateways: ['platform/shared'] })])).toEqual([]);
  });
  test('IST0165 for a reference to an Istio-generated gateway', () => {
    expect(run(A, [vs('v', { hosts: ['a'], gateways: ['ns/gw~istio-autogenerated-k8s-gateway~x'] })])).toEqual([
      'IST0165 warning VirtualService default/v: VirtualService.spec.gateways[0]: this gateway is generated by Istio from a Kubernetes Gateway; reference the Kubernetes Gateway through an HTTPRoute instead (got "ns/gw~istio-autogenerated-k8s-gateway~x")',
    ]);
  });
});

describe('virtualservice.ConflictingMeshGatewayHostsAnalyzer', () => {
  const A = 'virtualservice.ConflictingMeshGatewayHostsAnalyzer';
  test('IST0109 for two mesh VirtualServices on one host', () => {
    expect(run(A, [vs('a', { hosts: ['reviews'] }, 'shop'), vs('b', { hosts: ['reviews.shop.svc.cluster.local'], gateways: ['mesh'] }, 'web')])).toEqual([
      'IST0109 error VirtualService shop/a: VirtualService.spec.hosts: the mesh-bound VirtualServices shop/a, web/b claim the same host reviews.shop.svc.cluster.local (export scope *); which one applies is undefined (merge them into one VirtualService or use delegation)',
      'IST0109 error VirtualService web/b: VirtualService.spec.hosts: the mesh-bound VirtualServices shop/a, web/b claim the same host reviews.shop.svc.cluster.local (export scope *); which one applies is undefined (merge them into one VirtualService or use delegation)',
    ]);
  });
  test('near miss: disjoint exportTo scopes, or one bound to a gateway only', () => {
    expect(run(A, [vs('a', { hosts: ['r.x.svc.cluster.local'], exportTo: ['.'] }, 'shop'), vs('b', { hosts: ['r.x.svc.cluster.local'], exportTo: ['.'] }, 'web')])).toEqual([]);
    expect(run(A, [vs('a', { hosts: ['reviews'] }), vs('b', { hosts: ['reviews'], gateways: ['gw'] })])).toEqual([]);
  });
});

describe('virtualservice.JWTClaimRouteAnalyzer', () => {
  const A = 'virtualservice.JWTClaimRouteAnalyzer';
  const gw = istio('Gateway', 'gw', 'default', { selector: { istio: 'ingressgateway' }, servers: [] });
  const claims = vs('claims', { hosts: ['a'], gateways: ['gw'], http: [{ match: [{ headers: { '@request.auth.claims.group': { exact: 'admin' } } }], route: [{ destination: { host: 'a' } }] }] });
  test('IST0149 when no RequestAuthentication selects the gateway workload', () => {
    expect(run(A, [gw, claims])).toEqual([
      'IST0149 error VirtualService default/claims: VirtualService.spec.gateways[0]: routes match on JWT claims, but no RequestAuthentication selects the gateway workload istio-system/istio-ingressgateway, so the claims are never set (got "gw"; add a RequestAuthentication whose selector matches the gateway pods (in istio-system or istio-system))',
    ]);
  });
  test('near miss: a RequestAuthentication in the root namespace selects it', () => {
    const ra = istio('RequestAuthentication', 'jwt', 'istio-system', { selector: { matchLabels: { istio: 'ingressgateway' } } });
    expect(run(A, [gw, claims, ra])).toEqual([]);
  });
});
