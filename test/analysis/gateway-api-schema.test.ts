// The schema + CEL check (IST0106) of Kubernetes Gateway API objects, against the pinned experimental CRDs: the
// version the object is written in, the API server's defaults applied before CEL, the CRDs' CEL rules and list
// types; then issue 13's HTTPRoute on the command line and through the constructs.
import { Chart, Duration, Testing } from 'cdk8s';
import { BackendRef, Host, HttpRoute, IstioAnalysis, K8sGateway, Listener } from '../../src';
import { detailWithFix } from '../../src/analysis/messages';
import { analyzeYamlFile, synthErrors } from '../util';

const G = 'gateway.networking.k8s.io';

/** `level code message` of every IST0106 finding for one object (other codes belong to the analyzers). */
function schemaFindings(obj: any): string[] {
  return IstioAnalysis.analyze([obj]).filter(d => d.code === 'IST0106').map(d => `${d.level} ${d.code} ${detailWithFix(d)}`);
}

const gateway = (listeners: any[], version = 'v1') => ({
  apiVersion: `${G}/${version}`, kind: 'Gateway', metadata: { name: 'public', namespace: 'shop' }, spec: { gatewayClassName: 'istio', listeners },
});
const httpRoute = (spec: any) => ({ apiVersion: `${G}/v1`, kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'shop' }, spec });
const tlsRoute = (version: string, spec: any) => ({ apiVersion: `${G}/${version}`, kind: 'TLSRoute', metadata: { name: 't', namespace: 'shop' }, spec });
const web = (over: any = {}) => ({ name: 'web', port: 8080, ...over });

describe('Gateway API schema + CEL check', () => {
  test('a valid HTTPRoute gives nothing', () => {
    const route = httpRoute({
      parentRefs: [{ name: 'public', sectionName: 'http' }],
      hostnames: ['shop.example.com'],
      rules: [{
        name: 'split',
        matches: [{ path: { type: 'PathPrefix', value: '/api' }, headers: [{ name: 'x-env', value: 'dev' }] }],
        backendRefs: [web({ weight: 90 }), web({ name: 'web-v2', weight: 10 })],
        timeouts: { request: '10s', backendRequest: '2s' },
      }],
    });
    expect(IstioAnalysis.analyze([route], { complete: false }).filter(d => d.code === 'IST0106')).toEqual([]);
  });

  test('a negative weight is below the schema minimum', () => {
    expect(schemaFindings(httpRoute({ rules: [{ backendRefs: [web({ weight: -5 })] }] }))).toEqual([
      'error IST0106 HTTPRoute.spec.rules[0].backendRefs[0].weight: should be greater than or equal to 0 (got -5)',
    ]);
  });

  test('a timeout that is not a Gateway API duration fails the pattern', () => {
    expect(schemaFindings(httpRoute({ rules: [{ backendRefs: [web()], timeouts: { request: 'ten seconds' } }] }))).toEqual([
      'error IST0106 HTTPRoute.spec.rules[0].timeouts.request: should match \'^([0-9]{1,5}(h|m|s|ms)){1,4}$\' (got "ten seconds")',
    ]);
  });

  test('HTTPS listeners: the CRD accepts one without tls (Istio refuses it, see the listener analyzer); a CEL rule refuses Passthrough', () => {
    expect(schemaFindings(gateway([{ name: 'https', port: 443, protocol: 'HTTPS' }]))).toEqual([]);
    expect(schemaFindings(gateway([{ name: 'https', port: 443, protocol: 'HTTPS', tls: { mode: 'Passthrough' } }]))).toEqual([
      'error IST0106 Gateway.spec.listeners: tls mode must be Terminate for protocol HTTPS',
    ]);
  });

  test('duplicate listener names: the list-map key and the CRD\'s own rule, as the API server reports them', () => {
    expect(schemaFindings(gateway([{ name: 'http', port: 80, protocol: 'HTTP' }, { name: 'http', port: 8080, protocol: 'HTTP' }]))).toEqual([
      'error IST0106 Gateway.spec.listeners[1]: Duplicate value (got {"name":"http"})',
      'error IST0106 Gateway.spec.listeners: Listener name must be unique within the Gateway',
    ]);
  });

  test('a list-type set refuses a repeated item', () => {
    const remove = (names: string[]) => httpRoute({ rules: [{ filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { remove: names } }], backendRefs: [web()] }] });
    expect(schemaFindings(remove(['x-a', 'x-b']))).toEqual([]);
    expect(schemaFindings(remove(['x-a', 'x-b', 'x-a']))).toEqual([
      'error IST0106 HTTPRoute.spec.rules[0].filters[0].requestHeaderModifier.remove[2]: Duplicate value (got "x-a")',
    ]);
  });

  test('defaults are applied before CEL: tls: {} has mode Terminate by default, and Terminate needs certificateRefs', () => {
    expect(schemaFindings(gateway([{ name: 'https', port: 443, protocol: 'HTTPS', tls: {} }]))).toEqual([
      'error IST0106 Gateway.spec.listeners[0].tls: certificateRefs or options must be specified when mode is Terminate (CEL evaluation error: field not found: certificateRefs)',
    ]);
    // The rule that a TLS listener sets a mode passes on the defaulted mode; without defaulting it would fail.
    expect(schemaFindings(gateway([{ name: 'tls', port: 443, protocol: 'TLS', tls: { certificateRefs: [{ name: 'cert' }] } }]))).toEqual([]);
    // A backendRef's kind defaults to Service, so the rule that a Service reference has a port applies.
    expect(schemaFindings(httpRoute({ rules: [{ backendRefs: [{ name: 'web' }] }] }))).toEqual([
      'error IST0106 HTTPRoute.spec.rules[0].backendRefs[0]: Must have port for Service reference',
    ]);
  });

  test('the input object is not changed by defaulting', () => {
    const route = httpRoute({ parentRefs: [{ name: 'public' }], rules: [{ backendRefs: [web()] }] });
    const before = JSON.stringify(route);
    IstioAnalysis.analyze([route]);
    expect(JSON.stringify(route)).toBe(before);
  });

  test('TLSRoute v1alpha2 is judged by its own schema, v1 by the stricter one', () => {
    const spec = { parentRefs: [{ name: 'public' }], rules: [{ backendRefs: [web({ port: 443 })] }, { backendRefs: [web({ port: 8443 })] }] };
    expect(schemaFindings(tlsRoute('v1alpha2', spec))).toEqual([]);
    expect(schemaFindings(tlsRoute('v1', spec))).toEqual([
      'error IST0106 TLSRoute.spec.rules: should have at most 1 items (got 2)',
      'error IST0106 TLSRoute.spec.hostnames: Required value',
    ]);
    expect(schemaFindings(tlsRoute('v1', { ...spec, hostnames: ['10.0.0.1'], rules: [spec.rules[0]] }))).toEqual([
      'error IST0106 TLSRoute.spec.hostnames: Hostnames cannot contain an IP',
    ]);
  });

  test('a version the CRD does not serve names the served ones', () => {
    expect(schemaFindings(gateway([{ name: 'http', port: 80, protocol: 'HTTP' }], 'v1alpha2'))).toEqual([
      'error IST0106 Gateway.apiVersion: no matches for kind "Gateway" in version "gateway.networking.k8s.io/v1alpha2" (got "gateway.networking.k8s.io/v1alpha2"; served versions: v1, v1beta1)',
    ]);
    expect(schemaFindings({ ...httpRoute({}), kind: 'HttpRoute' })).toEqual([
      'error IST0106 HttpRoute.kind: no matches for kind "HttpRoute" in group "gateway.networking.k8s.io" (got "HttpRoute"; kinds: BackendTLSPolicy, GRPCRoute, Gateway, GatewayClass, HTTPRoute, ListenerSet, ReferenceGrant, TCPRoute, TLSRoute, UDPRoute)',
    ]);
  });

  test('addresses: a value-validation oneOf is judged with its formats, and says why no alternative fits', () => {
    expect(schemaFindings({ ...gateway([{ name: 'http', port: 80, protocol: 'HTTP' }]), spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }], addresses: [{ value: '10.0.0.1' }, { type: 'Hostname', value: 'lb.example.com' }, { value: 'lb.example.com' }] } })).toEqual([
      'error IST0106 Gateway.spec.addresses[2]: must validate one and only one schema (oneOf) (no alternative fits: value: must validate at least one schema (anyOf) (got "lb.example.com"); type: must not validate the schema (not) (got "IPAddress"))',
    ]);
  });
});

const ISSUE_13 = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: shop}
spec:
  parentRefs: [{name: shop-gatway}]
  rules:
  - backendRefs: [{name: missing, port: 80, weight: -5}]
    timeouts: {request: "ten seconds"}
`;

describe('issue 13: the HTTPRoute of the first paragraph', () => {
  test('the command line gives exactly four findings: parentRef, weight, backend, timeout', () => {
    const { code, file, findings } = analyzeYamlFile(ISSUE_13, 'route.yaml');
    expect(code).toBe(79);
    const found = findings.map((d: any) => `${d.code} ${d.origin} ${d.reference} ${d.message}`).sort();
    expect(found).toEqual([
      `IST0101 HTTPRoute r.shop ${file}:5 Referenced parentRef Gateway not found: "shop/shop-gatway"`,
      `IST0101 HTTPRoute r.shop ${file}:7 Referenced backendRef Service not found: "shop/missing"`,
      `IST0106 HTTPRoute r.shop ${file}:7 Schema validation error: HTTPRoute.spec.rules[0].backendRefs[0].weight: should be greater than or equal to 0 (got -5)`,
      `IST0106 HTTPRoute r.shop ${file}:8 Schema validation error: HTTPRoute.spec.rules[0].timeouts.request: should match '^([0-9]{1,5}(h|m|s|ms)){1,4}$' (got "ten seconds")`,
    ]);
  });

  test('through the constructs: the weight throws at addRule, the parentRef and a CEL timeout rule fail synth', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new K8sGateway(chart, 'shop-gateway', { listeners: [Listener.http()] });
    const route = new HttpRoute(chart, 'r', { parentRefs: [K8sGateway.fromName('shop-gatway')] });
    const missing = Host.fromName('missing', { ports: [80] });
    // A Duration cannot spell "ten seconds"; the CRD's timeout rule is reached by a backendRequest longer than the request.
    expect(() => route.addRule('a', { backendRefs: [BackendRef.to(missing, { weight: -5 })] })).toThrow(
      '[shop/r] HTTPRoute.spec.rules[0].backendRefs[0].weight: a backend weight must be an integer from 0 to 1000000 (got -5; e.g. 90 and 10 for a 90/10 split)');
    route.addRule('b', { backendRefs: [BackendRef.to(missing)], timeouts: { request: Duration.seconds(5), backendRequest: Duration.seconds(10) } });
    expect(synthErrors(chart)).toEqual([
      '[shop/r] IST0106 Schema validation error: HTTPRoute.spec.rules[0].timeouts: backendRequest timeout cannot be longer than request timeout',
      '[shop/r] IST0101 Referenced parentRef Gateway not found: "shop/shop-gatway". HTTPRoute.spec.parentRefs[0].name: parentRef names Gateway shop/shop-gatway, which is not in the analysed manifests, so istiod accepts the route nowhere (got "shop-gatway"; Gateways in namespace shop: shop-gateway; if it exists outside these manifests, declare it (IstioAnalysis.of(app).declareHosts / declareNamespaces))',
    ]);
  });
});
