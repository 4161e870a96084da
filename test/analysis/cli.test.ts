import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/analysis/cli';

function run(args: string[]) {
  let out = '';
  let err = '';
  const code = main(args, s => { out += s; }, s => { err += s; });
  return { code, out, err };
}

function tmpdir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const GATEWAY = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [shop.example.com]
`;

describe('cdk8s-istio analyze', () => {
  test('usage errors exit 2, --help exits 0', () => {
    expect(run([]).code).toBe(2);
    expect(run(['analyze', '--bogus', 'x']).err).toContain('unknown option --bogus');
    const help = run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('usage: cdk8s-istio analyze');
  });

  test('reads directories recursively, multi-document files and Lists, and reports a table', () => {
    const dir = tmpdir({
      'a.yaml': `${GATEWAY}---\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Namespace, metadata: {name: shop}}\n`,
      'sub/b.yml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{name: http, port: 80}]}\n',
      'notes.txt': 'not yaml',
    });
    const r = run(['analyze', dir]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Analyzed 3 object(s):');
  });

  test('--json prints the diagnostics as JSON', () => {
    const dir = tmpdir({ 'a.yaml': GATEWAY });
    const r = run(['analyze', '--json', path.join(dir, 'a.yaml')]);
    expect(r.code).toBe(0);
    expect(Array.isArray(JSON.parse(r.out))).toBe(true);
  });

  test('unreadable input exits 2 with the file name', () => {
    const dir = tmpdir({ 'broken.yaml': 'a: [unclosed' });
    const r = run(['analyze', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`cdk8s-istio analyze: ${path.join(dir, 'broken.yaml')}:`);
    expect(run(['analyze', path.join(dir, 'missing.yaml')]).code).toBe(2);
  });

  test('a broken Gateway is reported and exits 1; --json carries code, field and source', () => {
    const dir = tmpdir({ 'bad.yaml': GATEWAY.replace('protocol: HTTP', 'protocol: HTTPS') });
    const table = run(['analyze', dir]);
    expect(table.code).toBe(1);
    expect(table.out).toContain(`  ERROR   IST0106 [${path.join(dir, 'bad.yaml')} Gateway/shop/public] Schema validation error: Gateway.spec.servers[0].tls: a HTTPS server needs tls settings`);
    expect(table.out).toContain('1 error(s), 0 warning(s), 0 info');
    const json = JSON.parse(run(['analyze', '--json', dir]).out);
    expect(json).toEqual([expect.objectContaining({ code: 'IST0106', level: 'error', kind: 'Gateway', name: 'public', namespace: 'shop', field: 'spec.servers[0].tls', source: path.join(dir, 'bad.yaml') })]);
    expect(run(['analyze', '--suppress', 'IST0106', dir]).code).toBe(0);
  });

  test('--fail-on-warnings exits 1 on a warning, which alone exits 0', () => {
    const warn = GATEWAY.replace('protocol: HTTP', 'protocol: HTTPS').replace('hosts: [shop.example.com]',
      'hosts: [shop.example.com]\n    tls: {mode: SIMPLE, credentialName: cert, cipherSuites: [NOPE]}');
    const dir = tmpdir({ 'warn.yaml': warn });
    const plain = run(['analyze', dir]);
    expect(plain.code).toBe(0);
    expect(plain.out).toContain('WARNING IST0133');
    expect(run(['analyze', '--fail-on-warnings', dir]).code).toBe(1);
  });

  test('one cluster state by default (the last definition of a resource wins); --each-file judges files alone', () => {
    const dr = (subsets: string[]) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec:
  host: reviews
  subsets: [${subsets.map(s => `{name: ${s}, labels: {version: ${s}}}`).join(', ')}]
`;
    const vs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v2}
`;
    const dir = tmpdir({ 'a.yaml': `${vs}---\n${dr(['v1', 'v2'])}`, 'b.yaml': dr(['v1']) });
    const together = run(['analyze', dir]);
    expect(together.code).toBe(1);
    expect(together.out).toContain('IST0101');
    expect(together.out).toContain('Referenced host+subset in destinationrule not found: "reviews+v2"');
    const each = run(['analyze', '--each-file', dir]);
    expect(each.out).not.toContain('IST0101');
    expect(each.code).toBe(0);
  });
});
