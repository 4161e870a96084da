import { deploy, istio, namespace, pod, run } from './helpers';

const sidecar = (name: string, ns: string, labels?: any) => istio('Sidecar', name, ns, labels ? { workloadSelector: { labels } } : { egress: [{ hosts: ['./*'] }] });
const telemetry = (name: string, ns: string, labels?: any) => istio('Telemetry', name, ns, labels ? { selector: { matchLabels: labels } } : {});

describe('sidecar.SelectorAnalyzer', () => {
  const A = 'sidecar.SelectorAnalyzer';
  const app = deploy('app', 'shop', { app: 'web', tier: 'front' });
  test('IST0101 for a selector that matches no workload in the namespace', () => {
    expect(run(A, [app, sidecar('s', 'shop', { app: 'api' })])).toEqual([
      'IST0101 error Sidecar shop/s: Sidecar.spec.workloadSelector.labels: the selector matches no workload (Pod or pod template) in namespace shop in the analysed manifests (got "app=api"; if it exists outside these manifests, declare it (IstioAnalysis.of(app).declareHosts / declareNamespaces))',
    ]);
    expect(run(A, [app, sidecar('s', 'shop', { app: 'api' })], { declaredNamespaces: ['shop'] })).toEqual([]);
  });
  test('IST0110 for two Sidecars on one workload', () => {
    expect(run(A, [app, sidecar('a', 'shop', { app: 'web' }), sidecar('b', 'shop', { tier: 'front' })])).toEqual([
      'IST0110 error Sidecar shop/a: Sidecar.spec.workloadSelector.labels: the Sidecars a, b all select workload shop/app; which one applies is undefined (make the selectors disjoint)',
      'IST0110 error Sidecar shop/b: Sidecar.spec.workloadSelector.labels: the Sidecars a, b all select workload shop/app; which one applies is undefined (make the selectors disjoint)',
    ]);
  });
  test('IST0111 for two selector-less Sidecars in a namespace; near miss: one per namespace', () => {
    expect(run(A, [sidecar('a', 'shop'), sidecar('b', 'shop')])).toEqual([
      'IST0111 error Sidecar shop/a: Sidecar.spec: namespace shop has several Sidecars without a workload selector (a, b); which one applies is undefined (keep one namespace-wide resource and give the others selectors)',
      'IST0111 error Sidecar shop/b: Sidecar.spec: namespace shop has several Sidecars without a workload selector (a, b); which one applies is undefined (keep one namespace-wide resource and give the others selectors)',
    ]);
    expect(run(A, [sidecar('a', 'shop'), sidecar('b', 'web'), app, sidecar('c', 'shop', { app: 'web' })])).toEqual([]);
  });
  test('IST0167 for a Sidecar in an ambient namespace', () => {
    expect(run(A, [namespace('amb', { 'istio.io/dataplane-mode': 'ambient' }), sidecar('s', 'amb')])).toEqual([
      'IST0167 warning Sidecar amb/s: Sidecar.spec: namespace amb runs in ambient mode (istio.io/dataplane-mode=ambient), where a Sidecar has no effect',
    ]);
    expect(run(A, [namespace('amb', { 'istio.io/dataplane-mode': 'ambient', 'istio-injection': 'enabled' }), sidecar('s', 'amb')])).toEqual([]);
  });
});

describe('telemetry analyzers', () => {
  const app = deploy('app', 'shop', { app: 'web' });
  test('IST0159 for two Telemetries on one workload (telemetry.SelectorAnalyzer)', () => {
    expect(run('telemetry.SelectorAnalyzer', [app, telemetry('a', 'shop', { app: 'web' }), telemetry('b', 'shop', { app: 'web' })])).toEqual([
      'IST0159 error Telemetry shop/a: Telemetry.spec.selector.matchLabels: the Telemetrys a, b all select workload shop/app; which one applies is undefined (make the selectors disjoint)',
      'IST0159 error Telemetry shop/b: Telemetry.spec.selector.matchLabels: the Telemetrys a, b all select workload shop/app; which one applies is undefined (make the selectors disjoint)',
    ]);
    expect(run('telemetry.SelectorAnalyzer', [app, telemetry('a', 'shop', { app: 'web' })])).toEqual([]);
  });
  test('IST0160 for two selector-less Telemetries in a namespace (telemetry.DefaultSelectorAnalyzer)', () => {
    expect(run('telemetry.DefaultSelectorAnalyzer', [telemetry('a', 'shop'), telemetry('b', 'shop')])).toEqual([
      'IST0160 error Telemetry shop/a: Telemetry.spec: namespace shop has several Telemetrys without a workload selector (a, b); which one applies is undefined (keep one namespace-wide resource and give the others selectors)',
      'IST0160 error Telemetry shop/b: Telemetry.spec: namespace shop has several Telemetrys without a workload selector (a, b); which one applies is undefined (keep one namespace-wide resource and give the others selectors)',
    ]);
    expect(run('telemetry.DefaultSelectorAnalyzer', [telemetry('a', 'shop'), telemetry('b', 'shop', { app: 'web' })])).toEqual([]);
  });
  test('IST0157 for access logging without providers and no mesh default (telemetry.ProviderAnalyzer)', () => {
    const t = istio('Telemetry', 'logs', 'istio-system', { accessLogging: [{ providers: [{ name: 'envoy' }] }, { filter: { expression: 'true' } }] });
    expect(run('telemetry.ProviderAnalyzer', [t])).toEqual([
      'IST0157 warning Telemetry istio-system/logs: Telemetry.spec.accessLogging[1]: access logging without providers, and the mesh config names no default access-log provider: this entry is ignored (list providers (e.g. envoy) or set meshConfig.defaultProviders.accessLogging)',
    ]);
    expect(run('telemetry.ProviderAnalyzer', [t], { meshConfig: { defaultProviders: { accessLogging: ['envoy'] } } })).toEqual([]);
  });
  test('IST0002 for tracing through a Lightstep provider of the mesh config (telemetry.LightstepAnalyzer)', () => {
    const t = istio('Telemetry', 'trace', 'istio-system', { tracing: [{ providers: [{ name: 'ls' }] }] });
    expect(run('telemetry.LightstepAnalyzer', [t], { meshConfig: { extensionProviders: [{ name: 'ls', lightstep: {} }] } })).toEqual([
      'IST0002 warning Telemetry istio-system/trace: Telemetry.spec.tracing[0].providers[0]: provider "ls" is a Lightstep provider, which is deprecated (got "ls"; use an OpenTelemetry provider)',
    ]);
    expect(run('telemetry.LightstepAnalyzer', [t], { meshConfig: { extensionProviders: [{ name: 'ls', opentelemetry: {} }] } })).toEqual([]);
  });
});

describe('authz.AuthorizationPoliciesAnalyzer', () => {
  const A = 'authz.AuthorizationPoliciesAnalyzer';
  const ns = namespace('shop', { 'istio-injection': 'enabled' });
  const app = deploy('app', 'shop', { app: 'web' });
  test('IST0127 for a selector that matches no in-mesh workload', () => {
    expect(run(A, [ns, app, istio('AuthorizationPolicy', 'p', 'shop', { selector: { matchLabels: { app: 'api' } } })])).toEqual([
      'IST0127 warning AuthorizationPolicy shop/p: AuthorizationPolicy.spec.selector: the selector matches no in-mesh workload in namespace shop in the analysed manifests (got "app=api")',
    ]);
    expect(run(A, [ns, app, istio('AuthorizationPolicy', 'p', 'shop', { selector: { matchLabels: { app: 'web' } } })])).toEqual([]);
  });
  test('IST0101 for a source namespace that matches no Namespace; prefix and suffix wildcards count', () => {
    const rules = [{ from: [{ source: { namespaces: ['sho*', '*op', 'nowhere'] } }] }];
    expect(run(A, [ns, app, istio('AuthorizationPolicy', 'p', 'shop', { rules })])).toEqual([
      'IST0101 error AuthorizationPolicy shop/p: AuthorizationPolicy.spec.rules[0].from[0].source.namespaces[2]: namespace "nowhere" matches no Namespace in the analysed manifests (got "nowhere"; emit the Namespace, or declare namespaces that exist elsewhere (IstioAnalysis.of(app).declareNamespaces))',
    ]);
    expect(run(A, [ns, app, istio('AuthorizationPolicy', 'p', 'shop', { rules })], { declaredNamespaces: ['nowhere'] })).toEqual([]);
  });
});

describe('k8sgateway.SelectorAnalyzer', () => {
  const A = 'k8sgateway.SelectorAnalyzer';
  const gwPod = pod('gw-1', 'default', { 'gateway.networking.k8s.io/gateway-name': 'web' });
  const selector = { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'web' } };
  test('IST0166 for a policy that selects a Kubernetes Gateway by label', () => {
    expect(run(A, [gwPod, istio('RequestAuthentication', 'ra', 'default', { selector })])).toEqual([
      'IST0166 warning RequestAuthentication default/ra: RequestAuthentication.spec.selector: the selector picks the pods of Kubernetes Gateway default/web, which ignore selector-based policies (got "gateway.networking.k8s.io/gateway-name=web"; use targetRefs: [{ kind: Gateway, group: gateway.networking.k8s.io, name: web }])',
    ]);
  });
  test('near miss: the policy uses targetRef', () => {
    expect(run(A, [gwPod, istio('AuthorizationPolicy', 'ap', 'default', { selector, targetRef: { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'web' } })])).toEqual([]);
  });
});
