import { deploy, findings, namespace, pod } from './helpers';

const injectorConfigMap = (name: string, values: any) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'istio-system' }, data: { values: JSON.stringify(values) } });
const withProxy = (p: any, image = 'docker.io/istio/proxyv2:1.30.0') => {
  p.spec.containers.push({ name: 'istio-proxy', image });
  return p;
};

describe('injection.Analyzer', () => {
  const A = 'injection.Analyzer';
  test('IST0102 for a namespace without injection label; IST0103 for a pod without proxy in an injected one', () => {
    expect(findings(A, [namespace('bar'), namespace('shop', { 'istio-injection': 'enabled' }), pod('bare', 'shop', { app: 'a' }), withProxy(pod('ok', 'shop', { app: 'b' }))])).toEqual([
      'IST0102 info Namespace /bar metadata.labels',
      'IST0103 warning Pod shop/bare spec.containers',
    ]);
  });
  test('IST0148 instead of IST0102 when the injector ConfigMap enables namespaces by default', () => {
    expect(findings(A, [injectorConfigMap('istio-sidecar-injector', { sidecarInjectorWebhook: { enableNamespacesByDefault: true } }), namespace('bar')])).toEqual([
      'IST0148 info Namespace /bar metadata.labels',
    ]);
  });
  test('near miss: the root namespace, ambient or revision-labelled namespaces, opted-out or host-network pods', () => {
    const optOut = pod('out', 'shop', { 'sidecar.istio.io/inject': 'false' });
    const host = pod('host', 'shop', {});
    (host.spec as any).hostNetwork = true;
    expect(findings(A, [
      namespace('istio-system'), namespace('amb', { 'istio.io/dataplane-mode': 'ambient' }), namespace('rev', { 'istio.io/rev': 'canary' }),
      namespace('off', { 'istio-injection': 'disabled' }), namespace('shop', { 'istio-injection': 'enabled' }), optOut, host,
    ])).toEqual([]);
  });
});

describe('injection.ImageAnalyzer', () => {
  const A = 'injection.ImageAnalyzer';
  const cm = injectorConfigMap('istio-sidecar-injector', { global: { hub: 'docker.io/istio', tag: '1.30.0', proxy: { image: 'proxyv2' } } });
  test('IST0158 on the namespace whose pods run another proxy image than the injector configures', () => {
    expect(findings(A, [cm, namespace('shop', { 'istio-injection': 'enabled' }), withProxy(pod('old', 'shop', {}), 'docker.io/istio/proxyv2:1.29.0'), withProxy(pod('new', 'shop', {}))])).toEqual([
      'IST0158 warning Namespace /shop metadata.name',
    ]);
  });
  test('near miss: no injector ConfigMap in the input, a proxyImage annotation, a namespace not injected', () => {
    const old = () => withProxy(pod('old', 'shop', {}), 'docker.io/istio/proxyv2:1.29.0');
    expect(findings(A, [namespace('shop', { 'istio-injection': 'enabled' }), old()])).toEqual([]);
    const annotated = old();
    annotated.metadata.annotations = { 'sidecar.istio.io/proxyImage': 'my/proxy:1' };
    expect(findings(A, [cm, namespace('shop', { 'istio-injection': 'enabled' }), annotated])).toEqual([]);
    expect(findings(A, [cm, namespace('shop'), old()])).toEqual([]);
  });
});

describe('injection.ImageAutoAnalyzer', () => {
  const A = 'injection.ImageAutoAnalyzer';
  const auto = (o: any, spec: any) => {
    spec.containers.push({ name: 'istio-proxy', image: 'auto' });
    return o;
  };
  const webhooks = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: 'istio-sidecar-injector' },
    webhooks: [{ name: 'namespace.sidecar-injector.istio.io', namespaceSelector: { matchLabels: { 'istio-injection': 'enabled' } } }],
  };
  test('IST0147 on a bare Pod with image: auto; IST0146 on a Deployment no injection webhook matches', () => {
    const p = pod('p', 'shop', {});
    const d = deploy('d', 'shop', { app: 'd' });
    expect(findings(A, [webhooks, namespace('shop'), auto(p, p.spec), auto(d, d.spec.template.spec)])).toEqual([
      'IST0147 error Pod shop/p spec.containers',
      'IST0146 warning Deployment shop/d spec.template.spec.containers',
    ]);
  });
  test('near miss: a matching webhook; without webhooks in the input, only complete mode reports IST0146', () => {
    const d = () => {
      const x = deploy('d', 'shop', { app: 'd' });
      return auto(x, x.spec.template.spec);
    };
    expect(findings(A, [webhooks, namespace('shop', { 'istio-injection': 'enabled' }), d()])).toEqual([]);
    expect(findings(A, [d()])).toEqual([]);
    expect(findings(A, [d()], { complete: true })).toEqual(['IST0146 warning Deployment shop/d spec.template.spec.containers']);
  });
});
