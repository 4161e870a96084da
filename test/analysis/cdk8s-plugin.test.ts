import { IstioValidation } from '../../src';

/** A stand-in for cdk8s-cli's ValidationContext, recording what the plugin reports. */
function fakeContext(files: Record<string, any[]>) {
  const violations: any[] = [];
  const logs: string[] = [];
  let submitted: { status: string; metadata: any } | undefined;
  return {
    manifests: Object.keys(files),
    parseManifest: (f: string) => files[f],
    logger: { log: (m: string) => logs.push(m) },
    report: {
      addViolation: (v: any) => violations.push(v),
      submit: (status: string, metadata: any) => { submitted = { status, metadata }; },
    },
    violations,
    logs,
    get submitted() { return submitted; },
  };
}

const gateway = (tls?: any) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: { name: 'public', namespace: 'shop' },
  spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com'], ...(tls ? { tls } : {}) }] },
});

describe('IstioValidation (cdk8s-cli plugin)', () => {
  test('a broken object becomes a violation with the rule, the message, the resource and the field', async () => {
    const ctx = fakeContext({ 'dist/shop.k8s.yaml': [gateway(), null] });
    await new IstioValidation().validate(ctx);
    expect(ctx.violations).toEqual([{
      ruleName: 'IST0106',
      recommendation: 'Schema validation error: Gateway.spec.servers[0].tls: a HTTPS server needs tls settings (e.g. mode SIMPLE with a credentialName, or PASSTHROUGH for TLS)',
      fix: 'https://istio.io/latest/docs/reference/config/analysis/ist0106/',
      violatingResources: [{ resourceName: 'public', locations: ['spec.servers[0].tls'], manifestPath: 'dist/shop.k8s.yaml' }],
    }]);
    expect(ctx.submitted).toEqual({ status: 'failure', metadata: { analyzed: '1' } });
  });

  test('warnings are logged and pass, unless failOnWarnings; suppress removes codes', async () => {
    const warn = gateway({ mode: 'SIMPLE', credentialName: 'c', cipherSuites: ['NOPE'] });
    const lenient = fakeContext({ 'a.yaml': [warn] });
    await new IstioValidation().validate(lenient);
    expect(lenient.submitted?.status).toBe('success');
    expect(lenient.logs).toEqual(['WARNING IST0133 Gateway/shop/public: Schema validation warning: Gateway.spec.servers[0].tls.cipherSuites[0]: unknown cipher suite; Envoy ignores it (got "NOPE"; e.g. ECDHE-RSA-AES128-GCM-SHA256 (Istio\'s list of supported suites))']);

    const strict = fakeContext({ 'a.yaml': [warn] });
    await new IstioValidation({ failOnWarnings: true }).validate(strict);
    expect(strict.submitted?.status).toBe('failure');
    expect(strict.violations.map(v => v.ruleName)).toEqual(['IST0133']);

    const quiet = fakeContext({ 'a.yaml': [warn] });
    await new IstioValidation({ failOnWarnings: true, suppress: ['IST0133'] }).validate(quiet);
    expect(quiet.submitted?.status).toBe('success');
    expect(quiet.logs).toEqual([]);
  });
});
