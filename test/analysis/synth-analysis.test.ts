import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { Gateway, GatewayServer, IstioAnalysis, ServerCertificate } from '../../src';
import { synthError } from '../util';

const warnTls = () => GatewayServer.https({ hosts: ['a.example.com'], certificate: ServerCertificate.fromSecret('c'), cipherSuites: ['NOPE'] });

function capture(fn: () => void): string {
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    fn();
    return spy.mock.calls.map(c => String(c[0])).join('');
  } finally {
    spy.mockRestore();
  }
}

describe('analysis at synth', () => {
  test('an error fails synth, naming the construct path, code, field, value and rule', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new Gateway(chart, 'public', { servers: [GatewayServer.https({ hosts: ['shop.example.com'] })] });
    expect(synthError(chart)).toBe(
      'Validation failed with the following errors:\n' +
      '  [shop/public] IST0106 Schema validation error: Gateway.spec.servers[0].tls: without credentialName(s), SIMPLE needs serverCertificate and privateKey ' +
      '(got ["serverCertificate missing","privateKey missing"]; set credentialName to the Secret holding the certificate, or the missing file paths)');
  });

  test('runs once over every chart of the app and reports objects that are not ours at their own path', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    new Gateway(a, 'gw', { servers: [GatewayServer.http({ hosts: ['a.example.com'] })] });
    new ApiObject(b, 'raw', { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'raw' }, spec: { servers: [] } });
    expect(() => app.synthYaml()).toThrow(
      'Validation failed with the following errors:\n  [b/raw] IST0106 Schema validation error: Gateway.spec.servers: a Gateway needs at least one server (got []; e.g. a server on port 80 for HTTP)');
    // Synthesizing again reports the same errors once, not twice.
    expect(() => app.synthYaml()).toThrow(/^Validation failed with the following errors:\n {2}\[b\/raw\][^\n]*$/);
  });

  test('fixing the object between two synths clears the error', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const gw = new Gateway(chart, 'gw');
    expect(() => app.synthYaml()).toThrow('[c/gw] IST0106 Schema validation error: Gateway.spec.servers: a Gateway needs at least one server');
    gw.addServer(GatewayServer.http({ hosts: ['*'] }));
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('warnings print with the construct path and do not fail synth', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new Gateway(chart, 'gw', { servers: [warnTls()] });
    const out = capture(() => app.synthYaml());
    expect(out).toContain('cdk8s-istio analysis warnings:\n  WARNING IST0133 [c/gw] Schema validation warning: Gateway.spec.servers[0].tls.cipherSuites[0]: unknown cipher suite; Envoy ignores it (got "NOPE"; e.g. ECDHE-RSA-AES128-GCM-SHA256 (Istio\'s list of supported suites))\n');
    expect(IstioAnalysis.of(app).diagnostics.map(d => d.code)).toEqual(['IST0133']);
  });

  test('failOnWarnings turns warnings into synth errors; suppress removes a code', () => {
    const strict = Testing.app();
    new Gateway(new Chart(strict, 'c'), 'gw', { servers: [warnTls()] });
    IstioAnalysis.of(strict).failOnWarnings();
    expect(() => strict.synthYaml()).toThrow('[c/gw] IST0133 Schema validation warning: Gateway.spec.servers[0].tls.cipherSuites[0]: unknown cipher suite');

    const quiet = Testing.app();
    new Gateway(new Chart(quiet, 'c'), 'gw', { servers: [warnTls()] });
    IstioAnalysis.of(quiet).failOnWarnings().suppress('IST0133');
    expect(capture(() => quiet.synthYaml())).toBe('');
  });

  test('disable() turns the analysis off but keeps construct checks', () => {
    const app = new App({ outdir: Testing.app().outdir });
    const chart = new Chart(app, 'c');
    new Gateway(chart, 'gw');
    IstioAnalysis.of(app).disable();
    expect(() => app.synthYaml()).not.toThrow();
    new Gateway(chart, 'again', { metadata: { name: 'gw' }, servers: [GatewayServer.http({ hosts: ['*'] })] });
    expect(() => app.synthYaml()).toThrow('[c/again] Gateway.metadata.name: c/gw already defines a Gateway of this name without a namespace');
    expect(IstioAnalysis.of(chart)).toBe(IstioAnalysis.of(app));
  });

  test('the declared namespaces and hosts reach the analysis options', () => {
    const app = Testing.app();
    const analysis = IstioAnalysis.of(app).declareNamespaces('platform').declareHosts('istio-system/ingress');
    expect((analysis as any).options()).toEqual({ suppress: [], declaredNamespaces: ['platform'], declaredHosts: ['istio-system/ingress'], complete: false, clusters: {} });
  });
});

describe('levels at synth versus Istio', () => {
  const unreachable = (app: App) => {
    new ApiObject(new Chart(app, 'c'), 'vs', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'vs' },
      spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }] }, { route: [{ destination: { host: 'reviews' } }] }] },
    });
  };
  test('IST0130 is a warning for Istio, but fails synth unless told otherwise', () => {
    const app = Testing.app();
    // An app with only raw objects joins the analysis by asking for it.
    IstioAnalysis.of(app);
    unreachable(app);
    expect(() => app.synthYaml()).toThrow('[c/vs] IST0130 VirtualService rule #1 not used (only the last rule can have no matches). VirtualService.spec.http[1]: rule spec.http[1] is unreachable');
    expect(IstioAnalysis.of(app).diagnostics.map(d => `${d.code} ${d.level}`)).toEqual(['IST0130 warning']);
    IstioAnalysis.of(app).doNotFailOn('IST0130');
    expect(capture(() => app.synthYaml())).toContain('WARNING IST0130 [c/vs]');
  });
  test('failOn escalates any code', () => {
    const app = Testing.app();
    new Gateway(new Chart(app, 'c'), 'gw', { servers: [warnTls()] });
    IstioAnalysis.of(app).failOn('IST0133');
    expect(() => app.synthYaml()).toThrow('[c/gw] IST0133');
  });

  test('addCluster: the app\'s Services are compared with another cluster\'s (IST0170 warns at the app\'s construct); that cluster\'s own findings do not fail synth', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'shop' });
    new ApiObject(chart, 'reviews', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews' }, spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080 }] } });
    const eastReviews = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'shop' }, spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080 }], clusterIP: 'None' } };
    const eastBroken = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'Bad_Name', namespace: 'shop' }, spec: {} };
    IstioAnalysis.of(app).addCluster('east', [eastReviews]).addCluster('east', [eastBroken]);
    const printed = capture(() => app.synthYaml());
    expect(printed).toContain('WARNING IST0170 [c/reviews] The service reviews in namespace "shop" is inconsistent across clusters ["Kubernetes" "east"], which can lead to undefined behaviors. '
      + 'The inconsistent behaviors are: service has mixed mode like headless and clusterIP.');
    expect(printed).not.toContain('Bad_Name');
    expect(IstioAnalysis.of(app).diagnostics.map(d => `${d.code} ${d.cluster ?? 'app'} ${d.name} ${d.field}`)).toEqual(['IST0106 east Bad_Name metadata.name', 'IST0106 east Bad_Name spec.servers', 'IST0170 app reviews spec']);
  });
});

