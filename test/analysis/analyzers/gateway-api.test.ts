import { namespace, run, svc } from './helpers';

const G = 'gateway.networking.k8s.io/v1';
const obj = (kind: string, name: string, ns: string, spec: any, apiVersion = G) => ({ apiVersion, kind, metadata: { name, namespace: ns }, spec });
const gateway = (name: string, ns: string, listeners: any[], className = 'istio') => obj('Gateway', name, ns, { gatewayClassName: className, listeners });
const http = (name = 'http', extra: any = {}) => ({ name, port: 80, protocol: 'HTTP', ...extra });
const route = (name: string, ns: string, spec: any, kind = 'HTTPRoute') => obj(kind, name, ns, spec);
const web = svc('web', 'shop', [{ name: 'http', port: 8080 }]);

describe('gatewayapi.RouteParentAnalyzer', () => {
  const A = 'gatewayapi.RouteParentAnalyzer';
  const gw = gateway('edge', 'shop', [http('http', { hostname: '*.example.com' }), { name: 'tls', port: 443, protocol: 'TLS', tls: { mode: 'Passthrough' } }]);
  test('IST0101 for a parentRef to a Gateway the complete input lacks; not guessed in partial mode', () => {
    const r = route('r', 'shop', { parentRefs: [{ name: 'egde' }] });
    expect(run(A, [gw, r], { complete: true })).toEqual([
      'IST0101 error HTTPRoute shop/r: HTTPRoute.spec.parentRefs[0].name: parentRef names Gateway shop/egde, which is not in the analysed manifests, so istiod accepts the route nowhere (got "egde"; Gateways in namespace shop: edge; if it exists outside these manifests, declare it (IstioAnalysis.of(app).declareHosts / declareNamespaces))',
    ]);
    expect(run(A, [route('r', 'shop', { parentRefs: [{ name: 'platform', namespace: 'infra' }] })])).toEqual([]);
    expect(run(A, [gw, route('r', 'shop', { parentRefs: [{ name: 'egde' }] })], { declaredHosts: ['shop/egde'] })).toEqual([]);
  });
  test('CDK8SISTIO0301 for a sectionName or port no listener has', () => {
    expect(run(A, [gw, route('r', 'shop', { parentRefs: [{ name: 'edge', sectionName: 'https' }, { name: 'edge', port: 8080 }] })])).toEqual([
      'CDK8SISTIO0301 error HTTPRoute shop/r: HTTPRoute.spec.parentRefs[0]: Gateway shop/edge refuses the route: sectionName "https" not found (got "edge, sectionName https"; a sectionName and port of a listener of shop/edge: http(HTTP 80 *.example.com), tls(TLS 443))',
      'CDK8SISTIO0301 error HTTPRoute shop/r: HTTPRoute.spec.parentRefs[1]: Gateway shop/edge refuses the route: port 8080 not found (got "edge, port 8080"; a sectionName and port of a listener of shop/edge: http(HTTP 80 *.example.com), tls(TLS 443))',
    ]);
    expect(run(A, [gw, route('r', 'shop', { parentRefs: [{ name: 'edge', sectionName: 'http', port: 80 }] })])).toEqual([]);
  });
  test('CDK8SISTIO0303 for hostnames no listener accepts (wildcards by Gateway API intersection)', () => {
    expect(run(A, [gw, route('r', 'shop', { parentRefs: [{ name: 'edge', sectionName: 'http' }], hostnames: ['example.com', 'shop.example.org'] })])).toEqual([
      'CDK8SISTIO0303 error HTTPRoute shop/r: HTTPRoute.spec.parentRefs[0]: Gateway shop/edge refuses the route: no hostnames matched parent hostname "*.example.com" (got "edge, sectionName http"; a hostname that a listener of shop/edge accepts: *.example.com, *)',
    ]);
    for (const h of ['a.example.com', 'a.b.example.com', '*.example.com', '*.com']) {
      expect(run(A, [gw, route('r', 'shop', { parentRefs: [{ name: 'edge', sectionName: 'http' }], hostnames: [h] })])).toEqual([]);
    }
  });
  test('CDK8SISTIO0302 for a namespace allowedRoutes does not admit, and a kind no listener serves', () => {
    const other = route('r', 'web', { parentRefs: [{ name: 'edge', namespace: 'shop', sectionName: 'http' }], hostnames: ['a.example.com'] });
    expect(run(A, [gw, other])).toEqual([
      'CDK8SISTIO0302 error HTTPRoute web/r: HTTPRoute.spec.parentRefs[0]: Gateway shop/edge refuses the route: hostnames matched parent hostname "*.example.com", but namespace "web" is not allowed by the parent (got "shop/edge, sectionName http"; a listener whose allowedRoutes admits HTTPRoute from namespace web)',
    ]);
    expect(run(A, [gw, route('t', 'shop', { parentRefs: [{ name: 'edge', sectionName: 'http' }] }, 'TCPRoute')])).toEqual([
      'CDK8SISTIO0302 error TCPRoute shop/t: TCPRoute.spec.parentRefs[0]: Gateway shop/edge refuses the route: kind TCPRoute is not allowed (got "edge, sectionName http"; a listener whose allowedRoutes admits TCPRoute from namespace shop)',
    ]);
    expect(run(A, [gw, route('t', 'shop', { parentRefs: [{ name: 'edge' }] }, 'TLSRoute')])).toEqual([]);
  });
  test('allowedRoutes Selector reads the Namespace labels of the input; a Namespace the input lacks is not guessed', () => {
    const sel = gateway('edge', 'shop', [http('http', { allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { team: 'web' } } } } })]);
    const r = route('r', 'web', { parentRefs: [{ name: 'edge', namespace: 'shop' }] });
    expect(run(A, [sel, namespace('web', { team: 'web' }), r])).toEqual([]);
    expect(run(A, [sel, r])).toEqual([]);
    expect(run(A, [sel, namespace('web', { team: 'ops' }), r])).toEqual([
      'CDK8SISTIO0302 error HTTPRoute web/r: HTTPRoute.spec.parentRefs[0]: Gateway shop/edge refuses the route: hostnames matched parent hostname "", but namespace "web" is not allowed by the parent (got "shop/edge"; a listener whose allowedRoutes admits HTTPRoute from namespace web)',
    ]);
    const all = gateway('edge', 'shop', [http('http', { allowedRoutes: { namespaces: { from: 'All' } } })]);
    expect(run(A, [all, r])).toEqual([]);
  });
  test('a Gateway of another controller is not judged', () => {
    const foreign = gateway('edge', 'shop', [http()], 'nginx');
    expect(run(A, [foreign, route('r', 'shop', { parentRefs: [{ name: 'edge', sectionName: 'nope' }] })])).toEqual([]);
  });
  test('GAMMA: IST0101 for a parent Service that is missing, CDK8SISTIO0301 for a port it lacks', () => {
    const mesh = (ref: any, name = 'm') => route(name, 'shop', { parentRefs: [{ group: '', kind: 'Service', ...ref }] });
    expect(run(A, [web, mesh({ name: 'wbe', port: 8080 }, 'a'), mesh({ name: 'web', port: 80 })])).toEqual([
      'IST0101 error HTTPRoute shop/a: HTTPRoute.spec.parentRefs[0].name: parent service: "wbe" not found in namespace shop in the analysed manifests (got "wbe"; if it exists outside these manifests, declare it (IstioAnalysis.of(app).declareHosts / declareNamespaces))',
      'CDK8SISTIO0301 error HTTPRoute shop/m: HTTPRoute.spec.parentRefs[0].port: Service shop/web has no port 80 (got 80; one of 8080)',
    ]);
    expect(run(A, [web, mesh({ name: 'web', port: 8080 }), mesh({ name: 'api', namespace: 'other' }, 'b')])).toEqual([]);
  });
});

describe('gatewayapi.BackendRefAnalyzer', () => {
  const A = 'gatewayapi.BackendRefAnalyzer';
  const to = (backendRefs: any[], ns = 'shop', kind = 'HTTPRoute') => route('r', ns, { rules: [{ backendRefs }] }, kind);
  test('IST0101 for a Service the input lacks in a namespace it describes; not guessed elsewhere', () => {
    expect(run(A, [web, to([{ name: 'wbe', port: 8080 }])])).toEqual([
      'IST0101 error HTTPRoute shop/r: HTTPRoute.spec.rules[0].backendRefs[0].name: backend(wbe.shop.svc.cluster.local) not found: no Service shop/wbe in the analysed manifests (istiod drops the backend and answers its share of requests with 500) (got "wbe"; Services in namespace shop: web; if it exists outside these manifests, declare it (IstioAnalysis.of(app).declareHosts / declareNamespaces))',
    ]);
    expect(run(A, [to([{ name: 'api', port: 80 }], 'other')])).toEqual([]);
    expect(run(A, [to([{ name: 'api', port: 80 }], 'other')], { complete: true })).toHaveLength(1);
    expect(run(A, [web, to([{ name: 'wbe', port: 8080, weight: 0 }])])).toEqual([]);
  });
  test('CDK8SISTIO0307 for a port the Service lacks, CDK8SISTIO0306 for a ServiceImport backend without a port', () => {
    const imported = { group: 'multicluster.x-k8s.io', kind: 'ServiceImport', name: 'web' };
    expect(run(A, [web, to([{ name: 'web', port: 80 }, imported])])).toEqual([
      'CDK8SISTIO0307 error HTTPRoute shop/r: HTTPRoute.spec.rules[0].backendRefs[0].port: port 80 is not a port of Service shop/web (got 80; one of 8080)',
      'CDK8SISTIO0306 error HTTPRoute shop/r: HTTPRoute.spec.rules[0].backendRefs[1]: the backendRef has no port, so istiod refuses the whole rule (got "web"; set port to a port of the backend)',
    ]);
  });
  test('a Service backend without a port is left to the CRD rule that refuses it (IST0106 of the schema check)', () => {
    expect(run(A, [web, to([{ name: 'web' }])])).toEqual([]);
  });
  test('CDK8SISTIO0304 for a backend kind Istio cannot route to; a Hostname backend resolves through ServiceEntries', () => {
    const se = { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'api', namespace: 'shop' }, spec: { hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] } };
    expect(run(A, [web, se, to([{ group: 'example.com', kind: 'Bucket', name: 'b', port: 1 }, { group: 'networking.istio.io', kind: 'Hostname', name: 'api.example.com', port: 443 }, { group: 'networking.istio.io', kind: 'Hostname', name: 'db.example.com', port: 5432 }])])).toEqual([
      'CDK8SISTIO0304 error HTTPRoute shop/r: HTTPRoute.spec.rules[0].backendRefs[0]: Istio routes to a core Service, a networking.istio.io Hostname or a ServiceImport, not to a example.com/Bucket (got "example.com/Bucket"; kind: Service (group ""), or kind: Hostname (group networking.istio.io) for a ServiceEntry host)',
      'IST0101 error HTTPRoute shop/r: HTTPRoute.spec.rules[0].backendRefs[2].name: backend(db.example.com) not found: no ServiceEntry or Service visible from namespace shop declares host db.example.com (got "db.example.com"; if it exists outside these manifests, declare it (IstioAnalysis.of(app).declareHosts / declareNamespaces))',
    ]);
  });
  test('CDK8SISTIO0305 for a cross-namespace backend without a ReferenceGrant; a matching grant allows it', () => {
    const api = svc('api', 'backend', [{ port: 80 }]);
    const r = to([{ name: 'api', namespace: 'backend', port: 80 }]);
    expect(run(A, [api, r])).toEqual([
      'CDK8SISTIO0305 error HTTPRoute shop/r: HTTPRoute.spec.rules[0].backendRefs[0].namespace: the backend Service backend/api is in another namespace, and no ReferenceGrant there allows HTTPRoutes from namespace shop (got "backend"; add a ReferenceGrant in backend from { group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop } to { group: "", kind: Service, name: api })',
    ]);
    const grant = (from: any, toRef: any) => obj('ReferenceGrant', 'g', 'backend', { from: [from], to: [toRef] }, 'gateway.networking.k8s.io/v1beta1');
    expect(run(A, [api, r, grant({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' }, { group: '', kind: 'Service' })])).toEqual([]);
    expect(run(A, [api, r, grant({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'shop' }, { group: '', kind: 'Service', name: 'other' })])).toHaveLength(1);
    expect(run(A, [api, r, grant({ group: 'gateway.networking.k8s.io', kind: 'GRPCRoute', namespace: 'shop' }, { group: '', kind: 'Service' })])).toHaveLength(1);
    expect(run(A, [to([{ name: 'api', namespace: 'elsewhere', port: 80 }])])).toEqual([]);
    // A mesh consumer route reaches the producer's Service in its namespace without a grant.
    const consumer = route('c', 'shop', { parentRefs: [{ group: '', kind: 'Service', name: 'api', namespace: 'backend' }], rules: [{ backendRefs: [{ name: 'api', namespace: 'backend', port: 80 }] }] });
    expect(run(A, [api, consumer])).toEqual([]);
  });
  test('a RequestMirror backend is resolved too', () => {
    const r = route('r', 'shop', { rules: [{ filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', port: 8080 } } }], backendRefs: [{ name: 'web', port: 8080 }] }] });
    expect(run(A, [web, r]).map(s => s.split(':').slice(0, 2).join(':'))).toEqual([
      'IST0101 error HTTPRoute shop/r: HTTPRoute.spec.rules[0].filters[0].requestMirror.backendRef.name',
    ]);
  });
});

describe('gatewayapi.ListenerAnalyzer', () => {
  const A = 'gatewayapi.ListenerAnalyzer';
  const https = (certificateRefs: any[]) => ({ name: 'https', port: 443, protocol: 'HTTPS', tls: { mode: 'Terminate', certificateRefs } });
  const secret = (name: string, ns: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, type: 'kubernetes.io/tls' });
  test('CDK8SISTIO0309 for a protocol Istio does not implement, CDK8SISTIO0311 for a UDPRoute', () => {
    expect(run(A, [gateway('gw', 'shop', [{ name: 'dns', port: 53, protocol: 'UDP' }]), route('u', 'shop', {}, 'UDPRoute')])).toEqual([
      'CDK8SISTIO0309 error Gateway shop/gw: Gateway.spec.listeners[0].protocol: Istio does not implement listeners of protocol UDP (got "UDP"; HTTP, HTTPS, TLS or TCP)',
      'CDK8SISTIO0311 error UDPRoute shop/u: UDPRoute: istiod implements HTTPRoute, GRPCRoute, TCPRoute and TLSRoute; a UDPRoute gets no status and carries no traffic (got "gateway.networking.k8s.io/UDPRoute"; serve UDP outside the Gateway API implementation of Istio)',
    ]);
  });
  test('TLS listeners carry TLSRoute, and TCPRoute too when they terminate', () => {
    const tls = (mode: string, kinds: string[]) => gateway('gw', 'shop', [{ name: 'tls', port: 443, protocol: 'TLS', tls: { mode, certificateRefs: mode === 'Terminate' ? [{ name: 'c' }] : undefined }, allowedRoutes: { kinds: kinds.map(kind => ({ kind })) } }]);
    expect(run(A, [tls('Terminate', ['TLSRoute', 'TCPRoute'])])).toEqual([]);
    expect(run(A, [tls('Passthrough', ['TLSRoute', 'TCPRoute'])])).toEqual([
      'CDK8SISTIO0308 error Gateway shop/gw: Gateway.spec.listeners[0].allowedRoutes.kinds[1]: Istio does not serve TCPRoute on a TLS Passthrough listener (got "gateway.networking.k8s.io/TCPRoute"; one of TLSRoute)',
    ]);
  });
  test('CDK8SISTIO0308 for allowedRoutes kinds the listener protocol does not carry', () => {
    expect(run(A, [gateway('gw', 'shop', [http('http', { allowedRoutes: { kinds: [{ kind: 'HTTPRoute' }, { kind: 'TCPRoute' }] } })])])).toEqual([
      'CDK8SISTIO0308 error Gateway shop/gw: Gateway.spec.listeners[0].allowedRoutes.kinds[1]: Istio does not serve TCPRoute on a HTTP listener (got "gateway.networking.k8s.io/TCPRoute"; one of HTTPRoute, GRPCRoute)',
    ]);
  });
  test('IST0101 for a missing certificate Secret in complete mode, CDK8SISTIO0310 for a non-Secret, CDK8SISTIO0305 across namespaces', () => {
    const gw = gateway('gw', 'shop', [https([{ name: 'cert' }, { kind: 'ConfigMap', name: 'c' }, { name: 'shared', namespace: 'certs' }])]);
    expect(run(A, [gw], { complete: true })).toEqual([
      'IST0101 error Gateway shop/gw: Gateway.spec.listeners[0].tls.certificateRefs[0].name: the listener\'s certificate Secret shop/cert is not in the analysed manifests, so istiod does not program listener https (InvalidCertificateRef) (got "cert"; create the Secret in shop; if it exists outside these manifests, declare it (IstioAnalysis.of(app).declareHosts / declareNamespaces))',
      'CDK8SISTIO0310 error Gateway shop/gw: Gateway.spec.listeners[0].tls.certificateRefs[1]: Istio reads listener certificates from core Secrets only (got "ConfigMap"; kind: Secret, group: "")',
      'CDK8SISTIO0305 error Gateway shop/gw: Gateway.spec.listeners[0].tls.certificateRefs[2].namespace: the Secret certs/shared is in another namespace, and no ReferenceGrant there allows Gateways from namespace shop (got "certs"; add a ReferenceGrant in certs from { group: gateway.networking.k8s.io, kind: Gateway, namespace: shop } to { group: "", kind: Secret, name: shared })',
    ]);
    const grant = obj('ReferenceGrant', 'g', 'certs', { from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'shop' }], to: [{ group: '', kind: 'Secret', name: 'shared' }] }, 'gateway.networking.k8s.io/v1beta1');
    expect(run(A, [gateway('gw', 'shop', [https([{ name: 'cert' }, { name: 'shared', namespace: 'certs' }])]), secret('cert', 'shop'), secret('shared', 'certs'), grant], { complete: true })).toEqual([]);
    expect(run(A, [gateway('gw', 'shop', [https([{ name: 'cert' }])])])).toEqual([]);
    const malformed = { ...secret('cert', 'shop'), data: { 'tls.crt': Buffer.from('Hello world').toString('base64'), 'tls.key': Buffer.from('k').toString('base64') } };
    expect(run(A, [gateway('gw', 'shop', [https([{ name: 'cert' }])]), malformed])).toEqual([
      'CDK8SISTIO0310 error Gateway shop/gw: Gateway.spec.listeners[0].tls.certificateRefs[0]: the certificate Secret shop/cert is unusable: its certificate is not a PEM-encoded X.509 certificate (got "cert"; store a valid PEM certificate and key under tls.crt and tls.key)',
    ]);
  });
  test('the Gateway\'s own TLS references: backend clientCertificateRef and frontend caCertificateRefs', () => {
    const gw = obj('Gateway', 'gw', 'shop', {
      gatewayClassName: 'istio',
      listeners: [http()],
      tls: {
        backend: { clientCertificateRef: { name: 'client' } },
        frontend: { default: { validation: { caCertificateRefs: [{ kind: 'ConfigMap', group: '', name: 'ca' }] } }, perPort: [{ port: 443, tls: { validation: { caCertificateRefs: [{ kind: 'Service', group: '', name: 'web' }] } } }] },
      },
    });
    expect(run(A, [gw], { complete: true })).toEqual([
      'IST0101 error Gateway shop/gw: Gateway.spec.tls.backend.clientCertificateRef.name: the backend client certificate Secret shop/client is not in the analysed manifests (InvalidClientCertificateRef) (got "client"; create the Secret in shop; if it exists outside these manifests, declare it (IstioAnalysis.of(app).declareHosts / declareNamespaces))',
      'IST0101 error Gateway shop/gw: Gateway.spec.tls.frontend.default.validation.caCertificateRefs[0].name: the CA certificate ConfigMap shop/ca is not in the analysed manifests, so the listeners it validates are not programmed (InvalidCACertificateRef) (got "ca"; create the ConfigMap in shop; if it exists outside these manifests, declare it (IstioAnalysis.of(app).declareHosts / declareNamespaces))',
      'CDK8SISTIO0313 error Gateway shop/gw: Gateway.spec.tls.frontend.perPort[0].tls.validation.caCertificateRefs[0]: a CA certificate comes from a core ConfigMap or Secret (got "Service"; kind: ConfigMap, group: "")',
    ]);
    expect(run(A, [gw]).map(l => l.split(':')[0])).toEqual(['CDK8SISTIO0313 error Gateway shop/gw']);
    const notSecret = obj('Gateway', 'gw', 'shop', { gatewayClassName: 'istio', listeners: [http()], tls: { backend: { clientCertificateRef: { kind: 'ConfigMap', name: 'c' } } } });
    expect(run(A, [notSecret])).toEqual([
      'CDK8SISTIO0312 error Gateway shop/gw: Gateway.spec.tls.backend.clientCertificateRef: Istio reads the client certificate for backends from a core Secret only (got "ConfigMap"; kind: Secret, group: "")',
    ]);
  });
  test('CDK8SISTIO0314 for a ListenerSet its Gateway\'s allowedListeners does not admit (None by default)', () => {
    const ls = (ns: string) => obj('ListenerSet', 'extra', ns, { parentRef: { name: 'gw', namespace: 'shop' }, listeners: [http('x')] });
    const gw = (allowedListeners?: any) => obj('Gateway', 'gw', 'shop', { gatewayClassName: 'istio', listeners: [http()], allowedListeners });
    expect(run(A, [gw(), ls('shop')])).toEqual([
      'CDK8SISTIO0314 error ListenerSet shop/extra: ListenerSet.spec.parentRef: Gateway shop/gw admits ListenerSets from no namespace (allowedListeners defaults to None), not from namespace shop (got "shop/gw"; set spec.allowedListeners.namespaces on Gateway shop/gw to admit namespace shop)',
    ]);
    expect(run(A, [gw({ namespaces: { from: 'Same' } }), ls('shop')])).toEqual([]);
    expect(run(A, [gw({ namespaces: { from: 'Same' } }), ls('team')])).toHaveLength(1);
    const sel = gw({ namespaces: { from: 'Selector', selector: { matchLabels: { listeners: 'ok' } } } });
    expect(run(A, [sel, ls('team')])).toEqual([]);
    expect(run(A, [sel, namespace('team', { listeners: 'ok' }), ls('team')])).toEqual([]);
    expect(run(A, [sel, namespace('team'), ls('team')])).toHaveLength(1);
  });
});
