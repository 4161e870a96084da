// Analyzers over install-level objects the input may carry: webhooks, CRDs, status, istiod, meshNetworks.
import { deploy, findings, istio, svc } from './helpers';

const mwc = (name: string, webhooks: any[], labels: Record<string, string> = {}) => ({
  apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name, labels }, webhooks,
});
const hook = (name: string, extra: any = {}) => ({ name, clientConfig: { service: { name: 'istiod', namespace: 'istio-system' } }, ...extra });

describe('webhook.Analyzer', () => {
  const A = 'webhook.Analyzer';
  const istiod = svc('istiod', 'istio-system', [{ port: 443 }]);
  test('IST0139 for two injection webhooks matching one namespace, and for a missing injector Service', () => {
    const a = mwc('istio-sidecar-injector', [hook('namespace.sidecar-injector.istio.io', { namespaceSelector: { matchLabels: { 'istio-injection': 'enabled' } } })]);
    const b = mwc('istio-sidecar-injector-canary', [hook('rev.namespace.sidecar-injector.istio.io', {
      namespaceSelector: { matchExpressions: [{ key: 'istio-injection', operator: 'Exists' }] },
      clientConfig: { service: { name: 'istiod-canary', namespace: 'istio-system' } },
    })]);
    expect(findings(A, [istiod, a, b])).toEqual([
      'IST0139 error MutatingWebhookConfiguration /istio-sidecar-injector webhooks[0]',
      'IST0139 error MutatingWebhookConfiguration /istio-sidecar-injector-canary webhooks[0]',
      'IST0139 error MutatingWebhookConfiguration /istio-sidecar-injector-canary webhooks[0].clientConfig.service',
    ]);
  });
  test('near miss: disjoint selectors, non-Istio webhooks, a missing Service in an undescribed namespace (partial mode)', () => {
    const a = mwc('istio-sidecar-injector', [hook('namespace.sidecar-injector.istio.io', { namespaceSelector: { matchLabels: { 'istio-injection': 'enabled' } } })]);
    const b = mwc('istio-revision-tag-canary', [hook('rev.namespace.sidecar-injector.istio.io', {
      namespaceSelector: { matchLabels: { 'istio.io/rev': 'canary' }, matchExpressions: [{ key: 'istio-injection', operator: 'DoesNotExist' }] },
    })]);
    const other = mwc('cert-manager', [{ name: 'webhook.cert-manager.io' }, { name: 'webhook2.cert-manager.io' }]);
    expect(findings(A, [istiod, a, b, other])).toEqual([]);
    expect(findings(A, [a])).toEqual([]);
    expect(findings(A, [a], { complete: true })).toEqual(['IST0139 error MutatingWebhookConfiguration /istio-sidecar-injector webhooks[0].clientConfig.service']);
  });
});

describe('externalcontrolplane.ExternalControlPlaneAnalyzer', () => {
  const A = 'externalcontrolplane.ExternalControlPlaneAnalyzer';
  const vwc = (name: string, webhooks: any[]) => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name }, webhooks });
  test('IST0163 for a blank or unparsable URL, IST0164 for an IP address', () => {
    expect(findings(A, [
      vwc('istio-validator-external-istiod', [{ name: 'validation.istio.io', clientConfig: {} }]),
      mwc('istio-sidecar-injector-external-istiod', [{ name: 'a.sidecar-injector.istio.io', clientConfig: { url: 'https://10.0.0.1:15017/inject' } }, { name: 'b.sidecar-injector.istio.io', clientConfig: { url: 'not a url' } }]),
    ])).toEqual([
      'IST0163 warning ValidatingWebhookConfiguration /istio-validator-external-istiod webhooks[0].clientConfig',
      'IST0164 info MutatingWebhookConfiguration /istio-sidecar-injector-external-istiod webhooks[0].clientConfig.url',
      'IST0163 warning MutatingWebhookConfiguration /istio-sidecar-injector-external-istiod webhooks[1].clientConfig.url',
    ]);
  });
  test('near miss: a hostname URL, an in-cluster Service, webhooks of other names', () => {
    expect(findings(A, [
      mwc('istio-sidecar-injector', [{ name: 'a.sidecar-injector.istio.io', clientConfig: { url: 'https://istiod.example.com:15017/inject' } }, hook('b.sidecar-injector.istio.io')]),
      mwc('other', [{ name: 'x', clientConfig: {} }]),
    ])).toEqual([]);
  });
});

describe('conditions.ConditionAnalyzer', () => {
  const A = 'conditions.ConditionAnalyzer';
  test('IST0171 for a False condition in status', () => {
    const s = svc('reviews', 'shop', [{ port: 80 }]) as any;
    s.status = { conditions: [{ type: 'istio.io/WaypointBound', status: 'True' }, { type: 'istio.io/WaypointBound', status: 'False', reason: 'WaypointNotFound', message: 'no waypoint' }] };
    const se = istio('ServiceEntry', 'ext', 'shop', { hosts: ['a.example.com'] }) as any;
    se.status = { conditions: [{ type: 'Accepted', status: 'True' }] };
    expect(findings(A, [s, se])).toEqual(['IST0171 warning Service shop/reviews status.conditions[1]']);
  });
});

describe('authn.BlockedCIDRsAnalyzer', () => {
  const A = 'authn.BlockedCIDRsAnalyzer';
  const istiod = (env: any[]) => {
    const d = deploy('istiod', 'istio-system', { app: 'istiod' }) as any;
    d.metadata.labels = { app: 'istiod' };
    d.spec.template.spec.containers[0].env = env;
    return d;
  };
  const ra = istio('RequestAuthentication', 'jwt', 'shop', { jwtRules: [{ issuer: 'i', jwksUri: 'https://i/jwks' }] });
  test('IST0175 on istiod without BLOCKED_CIDRS_IN_JWKS_URIS while RequestAuthentications exist', () => {
    expect(findings(A, [ra, istiod([])])).toEqual(['IST0175 warning Deployment istio-system/istiod spec.template.spec.containers']);
  });
  test('near miss: the variable set, no RequestAuthentication, no istiod in the input', () => {
    expect(findings(A, [ra, istiod([{ name: 'BLOCKED_CIDRS_IN_JWKS_URIS', value: '10.0.0.0/8' }])])).toEqual([]);
    expect(findings(A, [istiod([])])).toEqual([]);
    expect(findings(A, [ra])).toEqual([]);
  });
});

describe('k8sgateway.CRDVersionAnalyzer', () => {
  const A = 'k8sgateway.CRDVersionAnalyzer';
  const crd = (name: string, version?: string) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name, annotations: version ? { 'gateway.networking.k8s.io/bundle-version': version } : {} },
  });
  test('IST0176 for a Gateway API CRD below Istio\'s minimum bundle version (a prerelease counts as its release)', () => {
    expect(findings(A, [crd('tlsroutes.gateway.networking.k8s.io', 'v1.4.1'), crd('grpcroutes.gateway.networking.k8s.io', 'v1.0.0-rc1')])).toEqual([
      'IST0176 warning CustomResourceDefinition /tlsroutes.gateway.networking.k8s.io metadata.annotations.gateway.networking.k8s.io/bundle-version',
      'IST0176 warning CustomResourceDefinition /grpcroutes.gateway.networking.k8s.io metadata.annotations.gateway.networking.k8s.io/bundle-version',
    ]);
  });
  test('near miss: at or above the minimum, no annotation, a CRD without a minimum', () => {
    expect(findings(A, [crd('tlsroutes.gateway.networking.k8s.io', 'v1.5.0-rc.1'), crd('backendtlspolicies.gateway.networking.k8s.io'), crd('httproutes.gateway.networking.k8s.io', 'v0.1.0')])).toEqual([]);
  });
});

describe('multicluster.MeshNetworksAnalyzer', () => {
  const A = 'multicluster.MeshNetworksAnalyzer';
  const meshNetworks = { networks: { net1: { endpoints: [{ fromRegistry: 'Kubernetes' }, { fromRegistry: 'cluster2' }, { fromCidr: '10.0.0.0/8' }] } } };
  test('IST0126 for a registry that is neither built in nor a cluster with a remote secret', () => {
    expect(findings(A, [], { meshNetworks })).toEqual(['IST0126 error MeshNetworks istio-system/meshNetworks networks.net1.endpoints[1].fromRegistry']);
  });
  test('near miss: the cluster has a remote secret in the input; no meshNetworks given', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'istio-remote-secret-cluster2', namespace: 'istio-system', labels: { 'istio/multiCluster': 'true' } }, data: { cluster2: 'a3ViZWNvbmZpZw==' } };
    expect(findings(A, [secret], { meshNetworks })).toEqual([]);
    expect(findings(A, [secret])).toEqual([]);
  });
  test('reported once for the mesh, however many clusters; a remote secret in any cluster makes the cluster known', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'istio-remote-secret-cluster2', namespace: 'istio-system', labels: { 'istio/multiCluster': 'true' } }, data: { cluster2: 'a3ViZWNvbmZpZw==' } };
    expect(findings(A, [], { meshNetworks, clusters: { east: [], west: [] } })).toEqual(['IST0126 error MeshNetworks istio-system/meshNetworks networks.net1.endpoints[1].fromRegistry']);
    expect(findings(A, [], { meshNetworks, clusters: { east: [secret] } })).toEqual([]);
  });
});
