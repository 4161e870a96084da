import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { IstioValidation } from '../../src/analysis/cdk8s-plugin';
import { main } from '../../src/analysis/cli';
import { parseAnalyzeArgs } from '../../src/analysis/cli/analyze';
import { IstioAnalysis } from '../../src/analysis/istio-analysis';

function write(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-mesh-'));
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
}

describe('engine options from the command line', () => {
  test('the input is the whole world unless --partial; plain codes go to the engine, resource suppressions do not', () => {
    const whole = parseAnalyzeArgs(['-S', 'IST0102,IST0118', '-S', 'IST0101=VirtualService *.shop', 'a.yaml']);
    expect(whole.options).toEqual({ runsIn: 'cli', suppress: ['IST0102', 'IST0118'], defaultNamespace: undefined, complete: true, declaredNamespaces: [], declaredHosts: [], meshConfig: undefined, meshNetworks: undefined });
    expect(parseAnalyzeArgs(['--declare-namespaces', 'a,b', '--declare-namespaces', 'c', '--declare-hosts', 'x.ext', 'a.yaml']).options).toMatchObject({ declaredNamespaces: ['a', 'b', 'c'], declaredHosts: ['x.ext'] });
    expect(parseAnalyzeArgs(['--partial', 'a.yaml']).options.complete).toBe(false);
  });

  test('--meshConfigFile reads a MeshConfig, --meshNetworksFile a MeshNetworks (istioctl\'s formats)', () => {
    const mesh = write('mesh.yaml', 'defaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: "true"\naccessLogFile: /dev/stdout\n');
    const networks = write('networks.yaml', 'networks:\n  network1:\n    endpoints: [{fromRegistry: Kubernetes}]\n    gateways: [{address: 1.2.3.4, port: 15443}]\n');
    const o = parseAnalyzeArgs(['--meshConfigFile', mesh, '--meshNetworksFile', networks, 'a.yaml']).options;
    expect(o.meshConfig).toEqual({ defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } }, accessLogFile: '/dev/stdout' });
    expect(o.meshNetworks).toEqual({ networks: { network1: { endpoints: [{ fromRegistry: 'Kubernetes' }], gateways: [{ address: '1.2.3.4', port: 15443 }] } } });
  });

  test('the istio ConfigMap is read as istiod reads it: data.mesh and data.meshNetworks', () => {
    const cm = write('istio.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata:\n  mesh: |\n    accessLogFile: /dev/stdout\n  meshNetworks: |\n    networks: {}\n');
    const o = parseAnalyzeArgs(['--meshConfigFile', cm, 'a.yaml']).options;
    expect(o.meshConfig).toEqual({ accessLogFile: '/dev/stdout' });
    expect(o.meshNetworks).toEqual({ networks: {} });
  });

  test('an unreadable or malformed mesh file exits 1 and names the file; -o json stays JSON', () => {
    let out = '';
    let err = '';
    const code = main(['analyze', '-o', 'json', '--meshConfigFile', '/nonexistent/mesh.yaml', 'a.yaml'], s => { out += s; }, s => { err += s; });
    expect(code).toBe(1);
    expect(err).toContain('cdk8s-istio analyze: Cannot read the input: the mesh config file /nonexistent/mesh.yaml: ENOENT');
    expect(JSON.parse(out)[0]).toEqual(expect.objectContaining({ code: 'CDK8SISTIO0002', level: 'Error' }));
    const list = write('list.yaml', '- a\n');
    expect(() => parseAnalyzeArgs(['--meshNetworksFile', list, 'a.yaml'])).toThrow(`the mesh networks file ${list}: ${list} must be a YAML mapping (got a list)`);
  });
});

describe('mesh config reaches the analyzers from the command line, the API and the cdk8s-cli plugin', () => {
  // An access-log entry without providers is ignored (IST0157) unless the mesh config names a default provider.
  const telemetry = { apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name: 'logs', namespace: 'shop' }, spec: { accessLogging: [{ disabled: false }] } };
  const meshConfig = { defaultProviders: { accessLogging: ['envoy'] } };
  const codes = (ds: Array<{ code: string }>) => ds.map(d => d.code);

  test('--meshConfigFile', () => {
    const file = write('t.yaml', JSON.stringify(telemetry));
    const mesh = write('mesh.yaml', 'defaultProviders:\n  accessLogging: [envoy]\n');
    const run = (args: string[]) => {
      let out = '';
      const code = main(['analyze', '-o', 'json', ...args, file], s => { out += s; }, () => undefined);
      return { code, codes: codes(JSON.parse(out)) };
    };
    expect(run([])).toEqual({ code: 0, codes: ['IST0157'] });
    expect(run(['--meshConfigFile', mesh])).toEqual({ code: 0, codes: [] });
  });

  test('IstioAnalysis.analyze options and IstioAnalysis.useMeshConfig at synth', () => {
    expect(codes(IstioAnalysis.analyze([telemetry]))).toEqual(['IST0157']);
    expect(codes(IstioAnalysis.analyze([telemetry], { meshConfig }))).toEqual([]);
    const synth = (configure: (a: IstioAnalysis) => void) => {
      const app = new App();
      const chart = new Chart(app, 'c');
      new ApiObject(chart, 't', telemetry);
      configure(IstioAnalysis.of(chart));
      process.env.CDK8S_ISTIO_QUIET = '1';
      app.synthYaml();
      delete process.env.CDK8S_ISTIO_QUIET;
      return codes(IstioAnalysis.of(chart).diagnostics);
    };
    expect(synth(() => undefined)).toEqual(['IST0157']);
    expect(synth(a => a.useMeshConfig(meshConfig).useMeshNetworks({ networks: {} }))).toEqual([]);
  });

  test('IstioValidation: meshConfig or meshConfigFile', async () => {
    const validate = async (props: object) => {
      const logs: string[] = [];
      const ctx = {
        manifests: ['t.yaml'],
        parseManifest: () => [telemetry],
        logger: { log: (m: string) => logs.push(m) },
        report: { addViolation: () => undefined, submit: () => undefined },
      };
      await new IstioValidation(props).validate(ctx);
      return logs.map(l => l.split(' ')[1]);
    };
    expect(await validate({})).toEqual(['IST0157']);
    expect(await validate({ meshConfig })).toEqual([]);
    expect(await validate({ meshConfigFile: write('mesh.yaml', 'defaultProviders: {accessLogging: [envoy]}\n') })).toEqual([]);
  });
});
