import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
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

  test('declaredNamespaces say which namespaces exist outside the manifests', async () => {
    const policy = {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'from-tools', namespace: 'shop' },
      spec: { rules: [{ from: [{ source: { namespaces: ['tools'] } }] }] },
    };
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
    const unknown = fakeContext({ 'a.yaml': [ns, policy] });
    await new IstioValidation({ failOnWarnings: true }).validate(unknown);
    expect(unknown.violations.map(v => v.ruleName)).toEqual(['IST0101']);
    const declared = fakeContext({ 'a.yaml': [ns, policy] });
    await new IstioValidation({ failOnWarnings: true, declaredNamespaces: ['tools'] }).validate(declared);
    expect(declared.violations).toEqual([]);
  });

  test('clusters: other clusters\' manifest files, compared with the app (IST0170, a warning) and checked like it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-plugin-'));
    const svc = (port: number) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews', namespace: 'shop' }, spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port }] } });
    fs.writeFileSync(path.join(dir, 'svc.yaml'), JSON.stringify(svc(9081)));
    const ctx = fakeContext({ 'dist/app.k8s.yaml': [svc(9080)] });
    await new IstioValidation({ clusters: { east: dir } }).validate(ctx);
    expect(ctx.logs).toEqual(['WARNING IST0170 Service/shop/reviews: The service reviews in namespace "shop" is inconsistent across clusters ["Kubernetes" "east"], which can lead to undefined behaviors. '
      + 'The inconsistent behaviors are: service ports are inconsistent. Service.spec.ports: the Service shop/reviews differs across clusters Kubernetes, east (service ports are inconsistent), and istiod merges them into one service '
      + '(define the Service alike in every cluster: the same type, the same ports (name, port, protocol, targetPort) and, in all or none, clusterIP: None)']);
    expect(ctx.submitted).toEqual({ status: 'success', metadata: { analyzed: '2' } });

    fs.writeFileSync(path.join(dir, 'gw.yaml'), JSON.stringify(gateway()));
    const failing = fakeContext({ 'dist/app.k8s.yaml': [svc(9081)] });
    await new IstioValidation({ clusters: { east: dir } }).validate(failing);
    expect(failing.violations.map(v => [v.ruleName, v.violatingResources[0].manifestPath])).toEqual([['IST0106', path.join(dir, 'gw.yaml')]]);

    await expect(new IstioValidation({ clusters: { east: path.join(dir, 'nope') } }).validate(fakeContext({}))).rejects.toThrow(
      `IstioValidation properties.clusters.east: cannot read "${path.join(dir, 'nope')}" (ENOENT: no such file or directory, stat '${path.join(dir, 'nope')}'); give a file or directory of that cluster's manifests, relative to where cdk8s runs`);
  });
});
