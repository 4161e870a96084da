// The API server's envelope checks (kubernetesObjectRule) and istiod's (metadataRule), through the engine.
import { IstioAnalysis } from '../../src/analysis/istio-analysis';
import { detailWithFix } from '../../src/analysis/messages';

// Istio's message is "Schema validation error: <our detail>"; the detail and the fix are compared here. Only the
// API server's verdict (IST0106) is asked for: analyzers also speak about such objects (IST0102 on a Namespace).
const analyze = (o: any) => IstioAnalysis.analyze([o]).filter(d => d.code === 'IST0106').map(d => {
  expect(d.message).toBe(`Schema validation error: ${d.detail}`);
  return [d.code, d.level, d.field ?? '', detailWithFix(d)];
});
const vs = (metadata: any) => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata, spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }] }] } });
const svc = (metadata: any) => ({ apiVersion: 'v1', kind: 'Service', metadata, spec: { ports: [{ name: 'http', port: 80 }] } });

describe('metadata as the API server checks it', () => {
  test('a good object has no finding', () => {
    expect(analyze(vs({ name: 'reviews.v1', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'reviews', 'version': '' } }))).toEqual([]);
  });

  test('name present', () => {
    expect(analyze(vs({ namespace: 'shop' }))).toEqual([
      ['IST0106', 'error', 'metadata.name', 'VirtualService.metadata.name: the API server requires a name (give the object a name)'],
    ]);
    expect(analyze(vs({ generateName: 'reviews-' }))[0][3]).toBe(
      'VirtualService.metadata.name: the API server requires a name (generateName works with kubectl create only; kubectl apply and GitOps tools need a name)');
    expect(analyze({ apiVersion: 'v1', kind: 'ConfigMap' })).toEqual([
      ['IST0106', 'error', 'metadata.name', 'ConfigMap.metadata.name: the API server requires metadata with a name (add metadata: {name: ...})'],
    ]);
  });

  test('most kinds: a DNS-1123 subdomain, at most 253 characters', () => {
    expect(analyze(vs({ name: 'Bad_Name.UPPER' }))).toEqual([
      ['IST0106', 'error', 'metadata.name', 'VirtualService.metadata.name: a VirtualService name must be a DNS-1123 subdomain: lower-case letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit (got "Bad_Name.UPPER"; e.g. "reviews" or "reviews.v1")'],
    ]);
    const long = 'a'.repeat(300);
    expect(analyze(vs({ name: long }))[0][3]).toBe(`VirtualService.metadata.name: a VirtualService name must be at most 253 characters (a DNS-1123 subdomain; got 300) (got "${long}"; e.g. "reviews" or "reviews.v1")`);
    expect(analyze({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web.v1' } })).toEqual([]);
  });

  test('Services are DNS-1035 labels, Namespaces DNS-1123 labels, RBAC names path segments', () => {
    expect(analyze(svc({ name: '1web' }))[0][3]).toBe('Service.metadata.name: a Service name must be a DNS-1035 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit (got "1web"; e.g. "reviews")');
    expect(analyze(svc({ name: 'web.v1' }))).toHaveLength(1);
    expect(analyze({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop.eu' } })[0][3]).toBe('Namespace.metadata.name: a Namespace name must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit (got "shop.eu"; e.g. "shop")');
    expect(analyze({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: '1shop' } })).toEqual([]);
    expect(analyze({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:Reader' } })).toEqual([]);
    expect(analyze({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'a/b', namespace: 'shop' } })[0][3]).toBe('Role.metadata.name: a Role name must not contain "/" or "%" (got "a/b"; e.g. "reader")');
  });

  test('namespace is a DNS-1123 label', () => {
    expect(analyze(vs({ name: 'reviews', namespace: 'Default' }))).toEqual([
      ['IST0106', 'error', 'metadata.namespace', 'VirtualService.metadata.namespace: a namespace must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit (got "Default"; e.g. "shop")'],
    ]);
  });

  test('label keys and values, annotation keys and their total size', () => {
    expect(analyze(svc({ name: 'web', labels: { 'bad key': 'x', 'ok': 'bad value!' } }))).toEqual([
      ['IST0106', 'error', 'metadata.labels.bad key', 'Service.metadata.labels.bad key: invalid label key: a label name must be at most 63 characters, alphanumeric at both ends, with "-", "_" or "." inside (got "bad key")'],
      ['IST0106', 'error', 'metadata.labels.ok', 'Service.metadata.labels.ok: invalid label value: a label value must be empty or at most 63 characters, alphanumeric at both ends, with "-", "_" or "." inside (got "bad value!")'],
    ]);
    expect(analyze(svc({ name: 'web', labels: { replicas: 3 } }))[0][3]).toBe('Service.metadata.labels.replicas: must be a string (got 3; quote it, e.g. "true")');
    expect(analyze(svc({ name: 'web', annotations: { 'Example.com/x': 'v' } }))[0][3]).toBe('Service.metadata.annotations.Example.com/x: invalid annotation key: annotation key prefix "Example.com" must be a DNS subdomain (got "Example.com/x")');
    const big = { a: 'x'.repeat(200 * 1024), b: 'y'.repeat(57 * 1024) };
    expect(analyze(svc({ name: 'web', annotations: big }))).toEqual([
      ['IST0106', 'error', 'metadata.annotations', 'Service.metadata.annotations: annotations may hold at most 256 KiB together (got 263170 bytes; move large data into a ConfigMap)'],
    ]);
    expect(analyze(svc({ name: 'web', annotations: { a: 'x'.repeat(256 * 1024 - 1) } }))).toEqual([]);
  });

  test('envelope fields of the wrong type: the same message in every group, and nothing else runs on the object', () => {
    const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', spec: {} };
    const cm = { apiVersion: 'v1', kind: 'ConfigMap' };
    // The VirtualService's spec error (a regex RE2 refuses) and its bad namespace would each be reported on a
    // decodable object; here the API server cannot decode it, so only the type errors are.
    const badSpec = { hosts: ['reviews'], http: [{ match: [{ uri: { regex: '(?=x)' } }], route: [{ destination: { host: 'reviews' } }] }] };
    expect(analyze({ ...vs({ name: 'r', namespace: 'Shop', labels: { a: 1 }, annotations: 7 }), spec: badSpec })).toEqual([
      ['IST0106', 'error', 'metadata.labels.a', 'VirtualService.metadata.labels.a: must be a string (got 1; quote it, e.g. "true")'],
      ['IST0106', 'error', 'metadata.annotations', 'VirtualService.metadata.annotations: must be a map of strings (got 7)'],
    ]);
    expect(analyze({ ...route, metadata: { name: ['x'], namespace: 'shop' } })).toEqual([
      ['IST0106', 'error', 'metadata.name', 'HTTPRoute.metadata.name: must be a string (got ["x"])'],
    ]);
    expect(analyze({ ...cm, metadata: { name: 'c', namespace: 5, generateName: false } })).toEqual([
      ['IST0106', 'error', 'metadata.namespace', 'ConfigMap.metadata.namespace: must be a string (got 5)'],
      ['IST0106', 'error', 'metadata.generateName', 'ConfigMap.metadata.generateName: must be a string (got false)'],
    ]);
    // null is how YAML writes an absent field (`name:` with nothing after it): absent, not a type error.
    expect(analyze({ ...cm, metadata: { name: null, namespace: 'shop' } })).toEqual([
      ['IST0106', 'error', 'metadata.name', 'ConfigMap.metadata.name: the API server requires a name (give the object a name)'],
    ]);
    expect(analyze({ ...cm, metadata: { name: 'c', namespace: null, labels: null, annotations: null } })).toEqual([]);
    expect(analyze({ ...cm, metadata: 'c' })).toEqual([
      ['IST0106', 'error', 'metadata', 'ConfigMap.metadata: must be an object (got "c"; metadata: {name: ..., namespace: ...})'],
    ]);
    // Decodable, so the name rule and the webhook rules both speak.
    expect(analyze({ ...vs({ name: 'R', namespace: 'shop' }), spec: badSpec }).map(f => f[2])).toEqual(['metadata.name', 'spec.http[0].match[0].uri.regex']);
  });

  test('a suppressed type error still keeps the rules after it away from the object', () => {
    const se = (labels: any) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'se', namespace: 'shop', labels, annotations: { 'galley.istio.io/analyze-suppress': 'IST0106' } },
      spec: { hosts: ['*x.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] },
    });
    // Decodable: the webhook's partial-wildcard warning (IST0133) is reported; undecodable: nothing runs.
    expect(IstioAnalysis.analyze([se({ a: 'b' })]).map(d => `${d.code} ${d.field}`)).toEqual(['IST0133 spec.hosts[0]']);
    expect(IstioAnalysis.analyze([se({ a: 1 })])).toEqual([]);
  });

  test('apiVersion and kind present; a list is not an object', () => {
    expect(analyze({ apiVersion: 'v1', metadata: { name: 'x' } })).toEqual([
      ['IST0106', 'error', 'kind', 'object.kind: every Kubernetes object needs a kind (e.g. kind: VirtualService)'],
    ]);
    expect(analyze({ kind: 'Service', metadata: { name: 'x' } })).toEqual([
      ['IST0106', 'error', 'apiVersion', 'Service.apiVersion: every Kubernetes object needs an apiVersion (e.g. apiVersion: networking.istio.io/v1)'],
    ]);
    expect(analyze([{ kind: 'Service' }])).toEqual([
      ['IST0106', 'error', '', 'object: the YAML document is a list (got [{"kind":"Service"}]), not a Kubernetes object (write each object as its own document, or wrap them in kind: List with items)'],
    ]);
  });

  test('one mistake, one message: a Gateway name the API server refuses is not also refused by istiod\'s label rule', () => {
    const gw = (name: string) => ({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name, namespace: 'shop' }, spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['a.example.com'] }] } });
    expect(analyze(gw('Bad_Name'))).toHaveLength(1);
    expect(analyze(gw('public.gw'))).toEqual([
      ['IST0106', 'error', 'metadata.name', 'Gateway.metadata.name: a Gateway name must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit (no dots, unlike other Kubernetes names) (got "public.gw"; e.g. "public-gateway")'],
    ]);
    expect(analyze(gw('public'))).toEqual([]);
  });
});
