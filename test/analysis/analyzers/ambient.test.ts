import { deploy, findings, istio, namespace, pod, run, svc } from './helpers';
import { IstioAnalysis } from '../../../src';

const Z = 'ambient.ZtunnelPolicyAnalyzer';
const U = 'ambient.UseWaypointAnalyzer';
const E = 'ambient.EnvoyFilterAnalyzer';

const ambientNs = (name: string, labels: Record<string, string> = {}) => namespace(name, { 'istio.io/dataplane-mode': 'ambient', ...labels });
const waypoint = (name: string, ns: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name, namespace: ns, labels },
  spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
});
const ap = (name: string, ns: string, spec: any) => istio('AuthorizationPolicy', name, ns, spec);
const getOnly = { from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }], to: [{ operation: { methods: ['GET'], paths: ['/api/*'] } }] };

describe('ambient.ZtunnelPolicyAnalyzer', () => {
  test('CDK8SISTIO0401: an ALLOW rule with L7 attributes bound by selector to an ambient workload: what the user reads', () => {
    expect(run(Z, [ambientNs('shop', { 'istio.io/use-waypoint': 'waypoint' }), deploy('api', 'shop', { app: 'api' }), ap('get', 'shop', { selector: { matchLabels: { app: 'api' } }, rules: [getOnly] })])).toEqual([
      'CDK8SISTIO0401 error AuthorizationPolicy shop/get: AuthorizationPolicy.spec.rules[0].to[0].operation.methods: the selector picks workload shop/api, which runs in ambient mode, so ztunnel enforces the policy for it; istiod omits the rule for ztunnel ("more restrictive than requested"), so the requests it is meant to allow are denied (got ["methods","paths"]; replace the selector with targetRefs: [{ group: gateway.networking.k8s.io, kind: Gateway, name: waypoint }] (or a Service that uses the waypoint), so that the waypoint enforces it)',
    ]);
  });

  test('the message starts with the catalog template, naming every L7 attribute once', () => {
    const [d] = IstioAnalysis.analyze([ambientNs('shop'), ap('get', 'shop', { rules: [getOnly, { to: [{ operation: { paths: ['/x'] } }], when: [{ key: 'request.headers[x-user]', values: ['a'] }] }] })])
      .filter(x => x.code === 'CDK8SISTIO0401');
    expect(d.message).toBe('The policy applies to ambient workloads through ztunnel, which cannot enforce the L7 attributes methods, paths, request.headers[x-user].');
    expect(d.field).toBe('spec.rules[0].to[0].operation.methods');
  });

  test('namespace-wide, DENY with requestPrincipals, a JWT claim in when, CUSTOM: each named for what ztunnel does', () => {
    const objs = [
      ambientNs('shop'),
      waypoint('shop-waypoint', 'shop'),
      ap('deny-anon', 'shop', { action: 'DENY', rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }] }] }),
      ap('claims', 'shop', { rules: [{ when: [{ key: 'request.auth.claims[groups]', values: ['admin'] }] }] }),
      ap('ext', 'shop', { action: 'CUSTOM', provider: { name: 'opa' }, rules: [{ to: [{ operation: { ports: ['8080'] } }] }] }),
    ];
    expect(findings(Z, objs)).toEqual([
      'CDK8SISTIO0401 error AuthorizationPolicy shop/deny-anon spec.rules[0].from[0].source.notRequestPrincipals',
      'CDK8SISTIO0401 error AuthorizationPolicy shop/claims spec.rules[0].when[0]',
      'CDK8SISTIO0401 error AuthorizationPolicy shop/ext spec.action',
    ]);
    expect(run(Z, objs)[0]).toContain('istiod hands ztunnel the rule without them ("more restrictive than requested"), so it denies every connection its other attributes match');
    expect(run(Z, objs)[0]).toContain('name: shop-waypoint }');
    expect(run(Z, objs)[2]).toContain('only a waypoint applies action CUSTOM');
  });

  test('near misses: L4-only rules, targetRefs, sidecar namespaces, pods that opt out, gateway pods, the root namespace', () => {
    expect(findings(Z, [
      ambientNs('shop'),
      namespace('legacy', { 'istio-injection': 'enabled' }),
      deploy('api', 'shop', { app: 'api' }),
      pod('batch', 'shop', { 'app': 'batch', 'istio.io/dataplane-mode': 'none' }),
      ap('l4', 'shop', { rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'], namespaces: ['shop'], ipBlocks: ['10.0.0.0/8'] } }], to: [{ operation: { ports: ['8080'] } }], when: [{ key: 'source.ip', values: ['10.0.0.1'] }] }] }),
      ap('waypoint-bound', 'shop', { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }], rules: [getOnly] }),
      ap('sidecars', 'legacy', { rules: [getOnly] }),
      ap('opted-out', 'shop', { selector: { matchLabels: { app: 'batch' } }, rules: [getOnly] }),
      ap('gateway-pods', 'shop', { selector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'waypoint' } }, rules: [getOnly] }),
      ap('mesh-wide', 'istio-system', { rules: [getOnly] }),
    ])).toEqual([]);
  });

  test('CDK8SISTIO0405: a RequestAuthentication bound by selector in an ambient namespace validates nothing', () => {
    const ra = istio('RequestAuthentication', 'jwt', 'shop', { selector: { matchLabels: { app: 'api' } }, jwtRules: [{ issuer: 'https://auth.example.com' }] });
    const onWaypoint = istio('RequestAuthentication', 'jwt-waypoint', 'shop', { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }], jwtRules: [{ issuer: 'https://auth.example.com' }] });
    expect(run(Z, [ambientNs('shop'), deploy('api', 'shop', { app: 'api' }), ra, onWaypoint])).toEqual([
      'CDK8SISTIO0405 warning RequestAuthentication shop/jwt: RequestAuthentication.spec.selector: the selector picks workload shop/api, which runs in ambient mode, so ztunnel enforces the policy for it, which validates no tokens: invalid tokens are not rejected, and AuthorizationPolicy rules on requestPrincipals or request.auth claims never match (got "app=api"; replace the selector with targetRefs: [{ group: gateway.networking.k8s.io, kind: Gateway, name: <waypoint> }] (or a Service that uses the waypoint), so that the waypoint enforces it)',
    ]);
  });
});

describe('ambient.UseWaypointAnalyzer', () => {
  const enrolled = [
    ambientNs('shop', { 'istio.io/use-waypoint': 'missing' }),
    svc('reviews', 'shop', [{ port: 80 }], { metadata: { labels: { 'istio.io/use-waypoint': 'shared', 'istio.io/use-waypoint-namespace': 'infra' } } }),
    { ...deploy('api', 'shop', { 'app': 'api', 'istio.io/use-waypoint': 'gone' }) },
    svc('opted-out', 'shop', [{ port: 80 }], { metadata: { labels: { 'istio.io/use-waypoint': 'none' } } }),
  ];

  test('CDK8SISTIO0402: a waypoint the complete input lacks, on a Namespace, a Service (cross-namespace) and a pod template', () => {
    expect(findings(U, enrolled, { complete: true })).toEqual([
      'CDK8SISTIO0402 error Namespace /shop metadata.labels.istio.io/use-waypoint',
      'CDK8SISTIO0402 error Service shop/reviews metadata.labels.istio.io/use-waypoint',
      'CDK8SISTIO0402 error Deployment shop/api spec.template.metadata.labels.istio.io/use-waypoint',
    ]);
    expect(run(U, enrolled, { complete: true })[1]).toBe(
      'CDK8SISTIO0402 error Service shop/reviews: Service.metadata.labels.istio.io/use-waypoint: no Gateway shared in namespace infra in the analysed manifests, so Istio cannot send this service\'s traffic through a waypoint (got "shared"; define the waypoint in namespace infra, or declare that namespace as existing elsewhere)',
    );
  });

  test('not guessed outside complete input, nor into a namespace declared to exist elsewhere', () => {
    expect(findings(U, enrolled)).toEqual([]);
    expect(findings(U, enrolled, { complete: true, declaredNamespaces: ['infra'] })).toHaveLength(2);
  });

  test('CDK8SISTIO0403: a Service on a workload waypoint, pods on a service waypoint, a namespace on a "none" one', () => {
    const objs = [
      ambientNs('shop', { 'istio.io/use-waypoint': 'idle' }),
      waypoint('idle', 'shop', { 'istio.io/waypoint-for': 'none' }),
      waypoint('pods-only', 'shop', { 'istio.io/waypoint-for': 'workload' }),
      waypoint('default-for', 'shop'),
      waypoint('both', 'shop', { 'istio.io/waypoint-for': 'all' }),
      svc('reviews', 'shop', [{ port: 80 }], { metadata: { labels: { 'istio.io/use-waypoint': 'pods-only' } } }),
      pod('api', 'shop', { 'app': 'api', 'istio.io/use-waypoint': 'default-for' }),
      pod('web', 'shop', { 'app': 'web', 'istio.io/use-waypoint': 'both' }),
      svc('ratings', 'shop', [{ port: 80 }], { metadata: { labels: { 'istio.io/use-waypoint': 'default-for' } } }),
    ];
    expect(findings(U, objs, { complete: true })).toEqual([
      'CDK8SISTIO0403 warning Namespace /shop metadata.labels.istio.io/use-waypoint',
      'CDK8SISTIO0403 warning Service shop/reviews metadata.labels.istio.io/use-waypoint',
      'CDK8SISTIO0403 warning Pod shop/api metadata.labels.istio.io/use-waypoint',
    ]);
    expect(run(U, objs)[2]).toBe(
      'CDK8SISTIO0403 warning Pod shop/api: Pod.metadata.labels.istio.io/use-waypoint: waypoint shop/default-for is labelled istio.io/waypoint-for=service, so the workload traffic of this Pod bypasses it and its L7 policies (got "default-for"; label the waypoint istio.io/waypoint-for: workload (or all), or enroll the Service in front of these pods instead)',
    );
  });

  test('CDK8SISTIO0406: a waypoint in another namespace whose HBONE listener does not admit the namespace', () => {
    const shared = (name: string, allowedRoutes?: any) => {
      const w = waypoint(name, 'infra');
      return { ...w, spec: { ...w.spec, listeners: [{ ...w.spec.listeners[0], allowedRoutes }] } };
    };
    const use = (name: string, wp: string) => svc(name, 'shop', [{ port: 80 }], { metadata: { labels: { 'istio.io/use-waypoint': wp, 'istio.io/use-waypoint-namespace': 'infra' } } });
    const objs = [
      namespace('shop', { 'istio.io/dataplane-mode': 'ambient', 'team': 'shop' }),
      shared('same'), shared('all', { namespaces: { from: 'All' } }),
      shared('team', { namespaces: { from: 'Selector', selector: { matchLabels: { team: 'shop' } } } }),
      shared('by-name', { namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'web' } } } }),
      use('a', 'same'), use('b', 'all'), use('c', 'team'), use('d', 'by-name'),
    ];
    expect(findings(U, objs)).toEqual([
      'CDK8SISTIO0406 error Service shop/a metadata.labels.istio.io/use-waypoint',
      'CDK8SISTIO0406 error Service shop/d metadata.labels.istio.io/use-waypoint',
    ]);
    expect(run(U, objs)[0]).toBe(
      'CDK8SISTIO0406 error Service shop/a: Service.metadata.labels.istio.io/use-waypoint: waypoint infra/same is in another namespace and its HBONE listener\'s allowedRoutes does not admit namespace shop, so Istio does not bind this Service to it (got "same"; allow the namespace on the waypoint (allowedNamespaces: WaypointNamespaces.all() or withLabels({...}); allowedRoutes.namespaces in YAML))',
    );
    // A selector over a Namespace the input lacks is not guessed, unless the input is complete.
    const partial = [shared('team', { namespaces: { from: 'Selector', selector: { matchLabels: { team: 'shop' } } } }), use('c', 'team')];
    expect(findings(U, partial)).toEqual([]);
    expect(findings(U, partial, { complete: true })).toEqual(['CDK8SISTIO0406 error Service shop/c metadata.labels.istio.io/use-waypoint']);
  });

  test('the GatewayClass label is the default of its waypoints', () => {
    const cls = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'istio-waypoint', labels: { 'istio.io/waypoint-for': 'workload' } }, spec: { controllerName: 'istio.io/mesh-controller' } };
    expect(findings(U, [cls, waypoint('w', 'shop'), pod('api', 'shop', { 'istio.io/use-waypoint': 'w' })], { complete: true })).toEqual([]);
  });
});

describe('ambient.EnvoyFilterAnalyzer', () => {
  const ef = (name: string, ns: string, extra: any = {}) => istio('EnvoyFilter', name, ns, { configPatches: [{ applyTo: 'HTTP_FILTER', patch: { operation: 'INSERT_FIRST', value: { name: 'lua' } } }], ...extra });

  test('CDK8SISTIO0404: namespace-wide in an ambient namespace, or selecting ambient workloads only', () => {
    const objs = [ambientNs('shop'), deploy('api', 'shop', { app: 'api' }), ef('ns-wide', 'shop'), ef('api', 'shop', { workloadSelector: { labels: { app: 'api' } } })];
    expect(run(E, objs)).toEqual([
      'CDK8SISTIO0404 warning EnvoyFilter shop/ns-wide: EnvoyFilter.spec: namespace shop runs in ambient mode, where workloads have no sidecar and waypoints do not apply EnvoyFilters, so Istio applies this EnvoyFilter to nothing (use a WasmPlugin with targetRefs to the waypoint for custom L7 behaviour, or remove the EnvoyFilter)',
      'CDK8SISTIO0404 warning EnvoyFilter shop/api: EnvoyFilter.spec.workloadSelector: the workload selector picks only ambient workloads (shop/api), which have no sidecar, so Istio applies this EnvoyFilter to nothing (got "app=api"; use a WasmPlugin with targetRefs to the waypoint for custom L7 behaviour, or remove the EnvoyFilter)',
    ]);
  });

  test('near misses: an Envoy in the namespace (a sidecar pod, an ingress Gateway), targetRefs, sidecar namespaces, the root namespace', () => {
    const ingress = { ...waypoint('ingress', 'edge'), spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } };
    expect(findings(E, [
      ambientNs('shop'), ambientNs('edge'), namespace('legacy', { 'istio-injection': 'enabled' }),
      pod('injected', 'shop', { 'app': 'injected', 'istio.io/dataplane-mode': 'none' }),
      ef('ns-wide', 'shop'), ef('gw', 'edge'), ingress,
      ef('targeted', 'shop', { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'ingress' }] }),
      ef('legacy', 'legacy'), ef('mesh', 'istio-system'),
    ])).toEqual([]);
  });
});
