import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAnalyzeArgs } from '../../src/analysis/cli/analyze';
import { main } from '../../src/analysis/cli';

function write(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-mesh-'));
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
}

describe('engine options from the command line', () => {
  test('the input is the whole world unless --partial; plain codes go to the engine, resource suppressions do not', () => {
    const whole = parseAnalyzeArgs(['-S', 'IST0102,IST0118', '-S', 'IST0101=VirtualService *.shop', 'a.yaml']);
    expect(whole.options).toEqual({ suppress: ['IST0102', 'IST0118'], defaultNamespace: undefined, complete: true, meshConfig: undefined, meshNetworks: undefined });
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
    expect(err).toContain('cdk8s-istio analyze: cannot read the mesh config file /nonexistent/mesh.yaml: ENOENT');
    expect(JSON.parse(out)[0]).toEqual(expect.objectContaining({ code: 'CDK8SISTIO0002', level: 'Error' }));
    const list = write('list.yaml', '- a\n');
    expect(() => parseAnalyzeArgs(['--meshNetworksFile', list, 'a.yaml'])).toThrow(`cannot read the mesh networks file ${list}: ${list} must be a YAML mapping (got a list)`);
  });
});
