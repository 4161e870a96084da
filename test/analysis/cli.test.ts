import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/analysis/cli';
import { lineOf } from '../../src/analysis/cli/lines';
import { globMatch } from '../../src/analysis/cli/suppress';

function run(args: string[], stdin = '') {
  let out = '';
  let err = '';
  const code = main(args, s => { out += s; }, s => { err += s; }, () => stdin);
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
// Line 7 holds the server whose tls is missing.
const BAD_GATEWAY = GATEWAY.replace('protocol: HTTP', 'protocol: HTTPS');
const HEADLINE = 'Schema validation error: Gateway.spec.servers[0].tls: a HTTPS server needs tls settings';
const FIX = 'fix: e.g. mode SIMPLE with a credentialName, or PASSTHROUGH for TLS';
// A warning only (IST0133: an unknown cipher suite), on line 9.
const WARN_GATEWAY = BAD_GATEWAY.replace('hosts: [shop.example.com]',
  'hosts: [shop.example.com]\n    tls:\n      mode: SIMPLE\n      credentialName: cert\n      cipherSuites: [NOPE]');

describe('command line and usage', () => {
  test('no arguments print the subcommands and exit 64; help exits 0', () => {
    const none = run([]);
    expect(none.code).toBe(64);
    expect(none.err).toContain('  analyze    check manifests as istioctl analyze would, offline');
    expect(run(['--help']).code).toBe(0);
    const help = run(['analyze', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('usage: cdk8s-istio analyze [flags] FILE|DIR|-...');
  });

  test('bad usage exits 64 (istioctl\'s ExitIncorrectUsage) with the usage on stderr', () => {
    const bogus = run(['analyze', '--bogus', 'x']);
    expect(bogus.code).toBe(64);
    expect(bogus.err).toContain('cdk8s-istio analyze: Invalid command line: Unknown option \'--bogus\'');
    expect(bogus.out).toBe('');
    expect(run(['analyze']).err).toContain('no input: give FILEs, DIRs or -');
    expect(run(['analyze', '-o', 'xml', 'a.yaml']).err).toContain('xml not a valid option for format (one of log, json, yaml, sarif, github)');
    expect(run(['analyze', '--failure-threshold', 'Fatal', 'a.yaml']).err)
      .toContain('--failure-threshold: "Fatal" is not a valid option, please choose from: Error, Warning, Info');
    expect(run(['analyze', '-S', 'IST0101=a=b', 'a.yaml']).code).toBe(64);
    expect(run(['analyze', '--use-kube=true', 'a.yaml']).err).toContain('cdk8s-istio analyzes files only, without a cluster');
  });

  test('istioctl\'s files-only flags are accepted', () => {
    const dir = tmpdir({ 'a.yaml': GATEWAY });
    expect(run(['analyze', '--use-kube=false', '-A', '-R', dir]).code).toBe(0);
  });

  test('--version prints the package version; --list-analyzers lists them as istioctl does', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf-8'));
    expect(run(['analyze', '--version'])).toEqual({ code: 0, out: `${pkg.version}\n`, err: '' });
    const list = run(['analyze', '-L']);
    expect(list.code).toBe(0);
    expect(list.out).toContain('* schema.ValidationAnalyzer:\n    The schema and CEL rules of the pinned CRDs, then istiod\'s webhook validation (IST0106).\n');
    expect(list.out).toContain('* virtualservice.DestinationHostAnalyzer:\n');
    const names = list.out.split('\n').filter(l => l.startsWith('* '));
    expect(names).toEqual([...names].sort());
  });
});

describe('reading', () => {
  test('directories recursively, multi-document files and Lists; a clean run exits 0 and says so on stderr', () => {
    const dir = tmpdir({
      'a.yaml': `${GATEWAY}---\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Namespace, metadata: {name: shop, labels: {istio-injection: enabled}}}\n`,
      'sub/b.yml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{name: http, port: 80}]}\n',
      'notes.txt': 'not yaml',
    });
    const r = run(['analyze', dir]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('\n');
    expect(r.err).toBe(`\u2714 No validation issues found when analyzing ${path.join(dir, 'a.yaml')}\n${path.join(dir, 'sub/b.yml')}.\n`);
  });

  test("in a directory, cdk8s-cli's construct-metadata.json is skipped; named on the command line, it is read", () => {
    const dir = tmpdir({ 'shop.k8s.yaml': GATEWAY, 'construct-metadata.json': '{"version":"1.0.0","resources":{}}' });
    const r = run(['analyze', dir]);
    expect(r.code).toBe(0);
    expect(r.err).toBe(`\u2714 No validation issues found when analyzing ${path.join(dir, 'shop.k8s.yaml')}.\n`);
    const named = run(['analyze', '-o', 'json', path.join(dir, 'construct-metadata.json')]);
    expect(named.code).toBe(79);
    expect(JSON.parse(named.out)).toEqual([expect.objectContaining({ code: 'IST0106', reference: `${path.join(dir, 'construct-metadata.json')}:1` })]);
  });

  test('- reads standard input', () => {
    const r = run(['analyze', '-o', 'json', '-'], BAD_GATEWAY);
    expect(r.code).toBe(79);
    expect(JSON.parse(r.out)).toEqual([expect.objectContaining({ code: 'IST0106', origin: 'Gateway public.shop', reference: '-:7' })]);
  });

  test('an unparsable file is one finding for that file; the other files are still analysed; exit 65 without other issues', () => {
    const dir = tmpdir({ 'a-broken.yaml': 'kind: x\nspec: [unclosed\n', 'b-bad.yaml': BAD_GATEWAY, 'c-good.yaml': GATEWAY });
    const both = run(['analyze', dir]);
    expect(both.code).toBe(79);
    expect(both.out).toBe([
      `Error [CDK8SISTIO0001] (${path.join(dir, 'a-broken.yaml')}:3) Cannot parse the manifest: not valid YAML: unexpected end of the stream within a flow collection`,
      '    fix: fix the YAML syntax at this line',
      `Error [IST0106] (Gateway public.shop ${path.join(dir, 'b-bad.yaml')}:7) ${HEADLINE}`,
      `    ${FIX}`,
      '',
    ].join('\n'));
    fs.rmSync(path.join(dir, 'b-bad.yaml'));
    const parseOnly = run(['analyze', dir]);
    expect(parseOnly.code).toBe(65);
    expect(parseOnly.err).toContain('Some files couldn\'t be parsed.');
    expect(run(['analyze', '--ignore-unknown', dir]).code).toBe(0);
  });

  test('a document that is a list or a scalar is a clear error, the next document is still read', () => {
    const r = run(['analyze', '-o', 'json', '-'], `- a\n- b\n---\nhello\n---\n${BAD_GATEWAY}`);
    expect(JSON.parse(r.out).map((d: any) => [d.code, d.reference, d.message])).toEqual([
      ['CDK8SISTIO0001', '-:1', 'Cannot parse the manifest: the YAML document is a list (got ["a","b"]), not a Kubernetes object'],
      ['CDK8SISTIO0001', '-:4', 'Cannot parse the manifest: the YAML document is a string (got "hello"), not a Kubernetes object'],
      ['IST0106', '-:12', HEADLINE],
    ]);
  });

  test('a missing file exits 1 (istioctl\'s unknown error) and -o json still prints JSON', () => {
    const r = run(['analyze', '-o', 'json', '/nonexistent/x.yaml']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toEqual([expect.objectContaining({ code: 'CDK8SISTIO0002', level: 'Error', message: 'Cannot read the input: /nonexistent/x.yaml: ENOENT: no such file or directory, stat \'/nonexistent/x.yaml\'' })]);
    const usage = run(['analyze', '-o', 'json', '--nope']);
    expect(usage.code).toBe(64);
    expect(JSON.parse(usage.out)).toEqual([expect.objectContaining({ code: 'CDK8SISTIO0003', level: 'Error' })]);
  });

  test('line numbers are those of the field (or the deepest part of it present), counted in the whole file', () => {
    const text = `# a comment\n${GATEWAY}---\n${WARN_GATEWAY.replace('name: public', 'name: second')}---\n${BAD_GATEWAY.replace('name: public', 'name: third')}`;
    const r = run(['analyze', '-o', 'json', '-'], text);
    const refs = JSON.parse(r.out).map((d: any) => [d.origin, d.field, d.reference]);
    // second starts on line 11: cipherSuites is its line 12 -> 22; third starts on line 24: its server is on 30.
    expect(text.split('\n')[21]).toBe('      cipherSuites: [NOPE]');
    expect(text.split('\n')[29]).toBe('  - port: {number: 80, name: http, protocol: HTTPS}');
    expect(refs).toEqual([
      // The input is the whole world: the Secret "cert" that second's server names is not in it.
      ['Gateway second.shop', 'spec.servers[0].tls.credentialName', '-:21'],
      ['Gateway third.shop', 'spec.servers[0].tls', '-:30'],
      // The three Gateways claim one host and port (a conflict): each is reported at its server.
      ['Gateway public.shop', 'spec.servers[0]', '-:8'],
      ['Gateway second.shop', 'spec.servers[0]', '-:17'],
      ['Gateway third.shop', 'spec.servers[0]', '-:30'],
      ['Gateway second.shop', 'spec.servers[0].tls.cipherSuites[0]', '-:22'],
    ]);
  });
});

describe('formats', () => {
  const dir = tmpdir({ 'bad.yaml': BAD_GATEWAY });
  const file = path.join(dir, 'bad.yaml');

  test('log: istioctl\'s line, exit 79 (ExitAnalyzerFoundIssues)', () => {
    const r = run(['analyze', file]);
    expect(r.code).toBe(79);
    expect(r.out).toBe(`Error [IST0106] (Gateway public.shop ${file}:7) ${HEADLINE}\n    ${FIX}\n`);
    expect(r.err).toBe('Analyzers found issues.\nSee https://istio.io/latest/docs/reference/config/analysis for more information about causes and resolutions.\n');
  });

  test('json: istioctl\'s fields, keys sorted as Go writes a map, plus field', () => {
    const r = run(['analyze', '-o', 'json', file]);
    expect(r.code).toBe(79);
    expect(r.out).toBe(`${JSON.stringify([{
      code: 'IST0106',
      detail: 'Gateway.spec.servers[0].tls: a HTTPS server needs tls settings',
      documentationUrl: 'https://istio.io/latest/docs/reference/config/analysis/ist0106/',
      field: 'spec.servers[0].tls',
      fix: 'e.g. mode SIMPLE with a credentialName, or PASSTHROUGH for TLS',
      level: 'Error',
      message: HEADLINE,
      origin: 'Gateway public.shop',
      reference: `${file}:7`,
    }], undefined, '\t')}\n`);
    expect(run(['analyze', '-o', 'json', path.join(__dirname)]).out).not.toBe('');
  });

  test('yaml', () => {
    const r = run(['analyze', '-o', 'yaml', file]);
    expect(r.out).toBe([
      '- code: IST0106',
      '  detail: "Gateway.spec.servers[0].tls: a HTTPS server needs tls settings"',
      '  documentationUrl: https://istio.io/latest/docs/reference/config/analysis/ist0106/',
      '  field: spec.servers[0].tls',
      '  fix: e.g. mode SIMPLE with a credentialName, or PASSTHROUGH for TLS',
      '  level: Error',
      `  message: "${HEADLINE}"`,
      '  origin: Gateway public.shop',
      `  reference: ${file}:7`,
      '',
    ].join('\n'));
    const clean = tmpdir({ 'ok.yaml': GATEWAY });
    expect(run(['analyze', '-o', 'yaml', clean]).out).toBe('[]\n');
  });

  test('sarif: 2.1.0 with a rule per code, levels, and repository-relative locations', () => {
    const cwd = process.cwd();
    process.chdir(dir);
    const sarif = JSON.parse(run(['analyze', '-o', 'sarif', 'bad.yaml']).out);
    process.chdir(cwd);
    // Outside the working directory (the repository in CI), a location is an absolute file URI.
    const outside = JSON.parse(run(['analyze', '-o', 'sarif', file]).out);
    expect(outside.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(`file://${file}`);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    const r = sarif.runs[0];
    expect(r.tool.driver.name).toBe('cdk8s-istio');
    expect(r.tool.driver.rules).toEqual([{
      id: 'IST0106',
      name: 'SchemaValidationError',
      shortDescription: { text: 'Schema validation error: %v' },
      helpUri: 'https://istio.io/latest/docs/reference/config/analysis/ist0106/',
      defaultConfiguration: { level: 'error' },
    }]);
    expect(r.results).toEqual([{
      ruleId: 'IST0106',
      ruleIndex: 0,
      level: 'error',
      message: { text: `${HEADLINE}\n${FIX}` },
      locations: [{
        physicalLocation: { artifactLocation: { uri: 'bad.yaml' }, region: { startLine: 7 } },
        logicalLocations: [{ fullyQualifiedName: 'Gateway public.shop', kind: 'resource' }],
      }],
    }]);
  });

  test('github: workflow-command annotations, escaped', () => {
    const warn = tmpdir({ 'w.yaml': WARN_GATEWAY });
    const r = run(['analyze', '--partial', '-o', 'github', dir, warn]);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe(`::error file=${file},line=7,title=IST0106 Gateway public.shop::${HEADLINE}%0A${FIX}`);
    expect(lines[1]).toMatch(new RegExp(`^::warning file=${path.join(warn, 'w.yaml').replace(/[/.]/g, '\\$&')},line=12,title=IST0133 Gateway public.shop::`));
  });
});

describe('thresholds and suppression', () => {
  // --partial: the fixture names a credential Secret it does not hold; these tests are about the one warning.
  const dir = tmpdir({ 'warn.yaml': WARN_GATEWAY });

  test('a warning alone exits 0 at the default failure threshold (Error), 79 at Warning; --output-threshold hides it', () => {
    const plain = run(['analyze', '--partial', dir]);
    expect(plain.code).toBe(0);
    expect(plain.out).toMatch(/^Warning \[IST0133\] \(Gateway public\.shop .*warn\.yaml:12\) /);
    expect(run(['analyze', '--partial', '--failure-threshold', 'warning', dir]).code).toBe(79);
    expect(run(['analyze', '--partial', '--failure-threshold', 'Info', dir]).code).toBe(79);
    const hidden = run(['analyze', '--partial', '--output-threshold', 'Error', '--failure-threshold', 'Warning', dir]);
    expect(hidden.out).toBe('\n');
    // istioctl decides the exit status on every finding, shown or not.
    expect(hidden.code).toBe(79);
  });

  test.each([
    [['IST0133'], 0],
    [['IST0106,IST0133'], 0],
    [['IST0133=Gateway public.shop'], 0],
    [['IST0133=Gateway *.shop'], 0],
    [['IST0133=Gateway *'], 0],
    [['IST0133=Gateway public.other'], 1],
    [['IST0133=Gateway *.other'], 1],
    [['IST0106=Gateway public.shop'], 1],
    [['IST0106=*', 'IST0133=*.other'], 1],
  ])('--suppress %j leaves %d finding(s)', (suppress, left) => {
    const args = suppress.flatMap(s => ['-S', s]);
    const r = run(['analyze', '--partial', '-o', 'json', ...args, dir]);
    expect(JSON.parse(r.out)).toHaveLength(left);
  });

  test('an unknown code warns on stderr, as istioctl does, and the run goes on', () => {
    const r = run(['analyze', '--partial', '-S', 'IST9999=Gateway *', '-S', 'IST0133', dir]);
    expect(r.err).toBe('Warning: Supplied message code \'IST9999\' is an unknown message code and will not have any effect.\n'
      + `\u2714 No validation issues found when analyzing ${path.join(dir, 'warn.yaml')}.\n`);
    expect(r.code).toBe(0);
  });

  test('go-glob semantics: * matches any run of characters, including dots', () => {
    expect(globMatch('Pod *.testing', 'Pod mypod.testing')).toBe(true);
    expect(globMatch('Pod *', 'Pod a.b.c')).toBe(true);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('Pod a*b*c', 'Pod abc')).toBe(true);
    expect(globMatch('Pod a*b*c', 'Pod acb')).toBe(false);
    expect(globMatch('Pod ab*ba', 'Pod aba')).toBe(false);
    expect(globMatch('Pod x', 'Pod x.y')).toBe(false);
  });
});

describe('the whole world, and which files', () => {
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

  test('one cluster state by default (the last definition of a resource wins); --each-file judges files alone', () => {
    const dir = tmpdir({ 'a.yaml': `${vs}---\n${dr(['v1', 'v2'])}`, 'b.yaml': dr(['v1']) });
    const together = run(['analyze', dir]);
    expect(together.code).toBe(79);
    expect(together.out).toContain(`(VirtualService reviews.shop ${path.join(dir, 'a.yaml')}:8) Referenced host+subset in destinationrule not found: "reviews+v2"`);
    const each = run(['analyze', '--partial', '--each-file', dir]);
    expect(each.out).not.toContain('IST0101');
    expect(each.code).toBe(0);
  });

  test('-n sets the namespace of objects that name none, in the origin too', () => {
    const r = run(['analyze', '-o', 'json', '-n', 'shop', '-'], BAD_GATEWAY.replace('namespace: shop', 'labels: {a: b}'));
    expect(JSON.parse(r.out)[0].origin).toBe('Gateway public.shop');
  });
});

describe('lineOf', () => {
  const doc = ['apiVersion: security.istio.io/v1', 'kind: AuthorizationPolicy', 'metadata:', '  name: p', '  annotations:',
    '    istio.io/dry-run: "maybe"', 'spec:', '  rules:', '  - from:', '    - source: {namespaces: [a, b]}', ''].join('\n');
  test.each([
    ['metadata.annotations.istio.io/dry-run', 15],
    ['spec.rules[0].from[0].source.namespaces[1]', 19],
    ['spec.rules[3]', 17],
    ['spec.nothing.here', 16],
    [undefined, 10],
  ])('%s is on line %d of a document that starts on line 10', (field, line) => {
    expect(lineOf(doc, 10, field)).toBe(line);
  });
});

describe('analyze --cluster: the other clusters of a multi-cluster mesh', () => {
  const svc = (port: number, extra = '') => `apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: shop}\nspec:\n  selector: {app: reviews}${extra}\n  ports:\n  - {name: http, port: ${port}}\n`;
  const MESSAGE = 'The service reviews in namespace "shop" is inconsistent across clusters ["Kubernetes" "east"], which can lead to undefined behaviors. The inconsistent behaviors are: service ports are inconsistent.';

  test('compares the Services of the arguments (cluster Kubernetes) with each --cluster ID=PATH, in istioctl\'s format', () => {
    const dir = tmpdir({ 'svc.yaml': svc(9080), 'east/svc.yaml': svc(9081), 'west/a/svc.yaml': svc(9080) });
    const r = run(['analyze', path.join(dir, 'svc.yaml'), '--cluster', `east=${path.join(dir, 'east')}`, '--cluster', `west=${path.join(dir, 'west')}`]);
    expect(r.out).toBe(`Warning [IST0170] (Service reviews.shop ${path.join(dir, 'svc.yaml')}:6) ${MESSAGE}\n`
      + '    Service.spec.ports: the Service shop/reviews differs across clusters Kubernetes, east (service ports are inconsistent), and istiod merges them into one service\n'
      + '    fix: define the Service alike in every cluster: the same type, the same ports (name, port, protocol, targetPort) and, in all or none, clusterIP: None\n');
    expect(r.code).toBe(0);
    expect(run(['analyze', path.join(dir, 'svc.yaml'), '--cluster', `west=${path.join(dir, 'west')}`]).out).toBe('\n');
  });

  test('a finding about another cluster\'s object carries that cluster (log and JSON), and fails the run as the input\'s do', () => {
    const dir = tmpdir({ 'east/svc.yaml': svc(9081), 'east/gw.yaml': BAD_GATEWAY, 'west/svc.yaml': svc(9080) });
    const r = run(['analyze', '--cluster', `east=${path.join(dir, 'east')}`, '--cluster', `west=${path.join(dir, 'west')}`, '-o', 'json']);
    const found = JSON.parse(r.out);
    expect(found.map((d: any) => [d.code, d.cluster, d.reference])).toEqual([
      ['IST0106', 'east', `${path.join(dir, 'east', 'gw.yaml')}:7`],
      ['IST0170', 'east', `${path.join(dir, 'east', 'svc.yaml')}:6`],
    ]);
    expect(r.code).toBe(79);
    expect(run(['analyze', '--cluster', `east=${path.join(dir, 'east')}`]).out).toContain('\n    cluster: east\n');
  });

  test('bad --cluster values and combinations are one usage error each (exit 64), JSON on stdout with -o json', () => {
    const dir = tmpdir({ 'svc.yaml': svc(9080) });
    const file = path.join(dir, 'svc.yaml');
    const noId = run(['analyze', file, '--cluster', '=a', '-o', 'json']);
    expect(noId.code).toBe(64);
    expect(JSON.parse(noId.out).map((d: any) => d.message)).toEqual([
      'Invalid command line: --cluster "=a": give the cluster\'s ID and a file or directory of its manifests, as ID=PATH (e.g. --cluster east=clusters/east)',
    ]);
    const both = run(['analyze', file, '--each-file', '--cluster', `east=${file}`]);
    expect(both.code).toBe(64);
    expect(both.err.split('\n')[0]).toBe('cdk8s-istio analyze: Invalid command line: --each-file and --cluster do not combine: --each-file analyses every file as a cluster of its own; leave one out');
    const missing = run(['analyze', file, '--cluster', `east=${path.join(dir, 'nope')}`]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(path.join(dir, 'nope'));
  });
});
