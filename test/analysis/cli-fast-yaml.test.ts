// The CLI's fast YAML reader against js-yaml (the reference): every document the fast reader reads gives the
// value js-yaml gives, and every document it does not handle is left to js-yaml (BAIL). The pinned Istio and
// Gateway API files are compared by the conformance suite scripts/conformance/fast-yaml.ts.
import { App } from 'cdk8s';
import fc from 'fast-check';
import { buildRaw } from '../../bench/mesh';
import { BAIL, lastBailReason, readFast, resolvePlain } from '../../src/analysis/cli/fast-yaml';
import { readManifestText, splitDocuments } from '../../src/analysis/cli/read';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsyaml = require('js-yaml');
const load = (text: string): unknown => jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA });

/** js-yaml's own resolution of a plain scalar (its CORE_SCHEMA implicit types, in its order). */
function jsyamlPlain(text: string): unknown {
  for (const t of jsyaml.CORE_SCHEMA.compiledImplicit) if (t.resolve(text)) return t.construct(text);
  return text;
}

/** Every document of a stream: how many the fast reader read (each equal to js-yaml's value), how many it left. */
function compareStream(text: string): { read: number; left: number; differ: string[] } {
  let read = 0;
  let left = 0;
  const differ: string[] = [];
  for (const d of splitDocuments(text)) {
    const fast = readFast(text, d.start, d.end);
    if (fast === BAIL) {
      left++;
      continue;
    }
    read++;
    try {
      expect(fast).toStrictEqual(load(text.slice(d.start, d.end)));
    } catch (e) {
      differ.push(`document at line ${d.line}: ${(e as Error).message.slice(0, 300)}`);
    }
  }
  return { read, left, differ };
}

describe('values: each edge case read fast, exactly, and as js-yaml reads it', () => {
  const cases: Array<[string, string, unknown]> = [
    ['quoted keys', '"a b": 1\n\'c: d\': 2\n"e\\"f": 3\n', { 'a b': 1, 'c: d': 2, 'e"f': 3 }],
    ['"yes", yes and on are strings in the core schema', 'a: "yes"\nb: yes\nc: on\nd: Off\n', { a: 'yes', b: 'yes', c: 'on', d: 'Off' }],
    ['\'0o17\' quoted is a string, 0o17 plain an int', 'a: \'0o17\'\nb: 0o17\nc: 0x1F\nd: 0b101\ne: 012\n', { a: '0o17', b: 15, c: 31, d: 5, e: 12 }],
    ['floats: 1e3, .5, -1.5E-2, .inf, -.Inf, .NaN', 'a: 1e3\nb: .5\nc: -1.5E-2\nd: .inf\ne: -.Inf\nf: .NaN\ng: 1.\n',
      { a: 1000, b: 0.5, c: -0.015, d: Infinity, e: -Infinity, f: NaN, g: 1 }],
    ['ints: signs, zero, underscores are strings', 'a: +12\nb: -0\nc: -00\nd: 1_000\ne: 0\nf: 123456789012\n',
      { a: 12, b: 0, c: -0, d: '1_000', e: 0, f: 123456789012 }],
    ['~, null, Null, NULL and empty values are null; nULL is a string', 'a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: nULL\ng:   # comment\n',
      { a: null, b: null, c: null, d: null, e: null, f: 'nULL', g: null }],
    ['bools in three spellings; tRUE is a string', 'a: true\nb: True\nc: TRUE\nd: false\ne: FALSE\nf: tRUE\n',
      { a: true, b: true, c: true, d: false, e: false, f: 'tRUE' }],
    ['- - nested sequences, and a sequence of compact mappings', 'a:\n  - - x\n    - y\n  - - z\n  -\n    - w\nb:\n  - k: 1\n    l: 2\n  - m: 3\n',
      { a: [['x', 'y'], ['z'], ['w']], b: [{ k: 1, l: 2 }, { m: 3 }] }],
    ['keys with colons, dots, slashes, and a value with a colon', 'istio.io/rev: canary\na:b: c\nhttp://x: y\nurl: http://example.com:8080/p\n',
      { 'istio.io/rev': 'canary', 'a:b': 'c', 'http://x': 'y', 'url': 'http://example.com:8080/p' }],
    ['keys resolved and turned into strings as js-yaml does', '1: a\ntrue: b\n~: c\n0x10: d\n.inf: e\n',
      { 1: 'a', true: 'b', null: 'c', 16: 'd', Infinity: 'e' }],
    ['unicode and other escapes in double quotes', 'a: "\\u00e9\\U0001F600\\x41\\t\\n\\\\\\"\\/\\0\\e\\N\\_\\L\\P"\nb: \'it\'\'s "x"\'\n',
      { a: '\u00e9\u{1F600}A\t\n\\"/\0\x1B\x85\xA0\u2028\u2029', b: 'it\'s "x"' }],
    ['trailing spaces after plain, quoted and empty values, and after keys', 'a: b   \nc: \'d\'  \ne:    \nf  : g\n', { a: 'b', c: 'd', e: null, f: 'g' }],
    ['CRLF line ends', 'a: 1\r\nb:\r\n  - x\r\n  - "y"\r\nc: |\r\n  l1\r\n  l2\r\n', { a: 1, b: ['x', 'y'], c: 'l1\nl2\n' }],
    ['comments: whole lines, after values, and # inside a plain scalar', '# head\na: b # tail\n  # indented\nc: d#e\nf: \'g\' # q\n# end\n',
      { a: 'b', c: 'd#e', f: 'g' }],
    ['a sequence at the indentation of its key', 'a:\n- 1\n- b: 2\n  c: 3\nd: 4\n', { a: [1, { b: 2, c: 3 }], d: 4 }],
    ['empty flow collections and flow sequences of scalars', 'a: {}\nb: []\nc: [x, "y z", 1, true, ~, \'q\']\nd:\n  - []\n  - {}\n',
      { a: {}, b: [], c: ['x', 'y z', 1, true, null, 'q'], d: [[], {}] }],
    ['literal block scalars: clip, strip, keep, blank and more indented lines', 'a: |\n  l1\n\n    l2\n  l3\nb: |-\n  s\nc: |+\n  k\n\nd: |  # c\n  x\n',
      { a: 'l1\n\n  l2\nl3\n', b: 's', c: 'k\n\n', d: 'x\n' }],
    ['a literal block scalar in a sequence, and at the end of the stream without a newline', 'a:\n  - |\n    x\n  - y\nb: |\n  z',
      { a: ['x\n', 'y'], b: 'z\n' }],
    ['a document marker with a comment, and a root indented by two', '--- # doc\n  a: 1\n  b: 2\n', { a: 1, b: 2 }],
    ['a plain scalar that starts with an indicator character but is plain', 'a: -1\nb: ?x\nc: :y\nd: -x\n', { a: -1, b: '?x', c: ':y', d: '-x' }],
    ['a root sequence', '- a\n- b: 1\n', ['a', { b: 1 }]],
    ['non-ASCII text, surrogate pairs and a line separator kept as content', 'a: é\u{1F600}\nb: x\u2028y\n', { a: 'é\u{1F600}', b: 'x\u2028y' }],
  ];
  test.each(cases)('%s', (_name, text, expected) => {
    const fast = readFast(text);
    expect(fast).toStrictEqual(expected);
    expect(fast).toStrictEqual(load(text));
  });
});

describe('what the fast reader leaves to js-yaml', () => {
  const cases: Array<[string, string, string]> = [
    ['anchors and aliases', 'a: &x 1\nb: *x\n', 'indicator &'],
    ['tags', 'a: !!str 1\n', 'indicator !'],
    ['folded block scalars', 'a: >\n  x\n  y\n', 'indicator >'],
    ['block scalars with an indentation indicator', 'a: |2\n   x\n', 'block scalar header'],
    ['multi-line plain scalars', 'a: x\n  y\n', 'multi-line plain scalar'],
    ['multi-line quoted scalars', 'a: "x\n  y"\n', 'multi-line quoted scalar'],
    ['flow mappings', 'a: {b: 1}\n', 'indicator {'],
    ['nested flow collections', 'a: [b, [c]]\n', 'flow sequence entry'],
    ['duplicate keys (js-yaml\'s error)', 'a: 1\na: 2\n', 'merge, __proto__ or duplicate key'],
    ['merge keys', 'a:\n  <<: {b: 1}\n', 'merge, __proto__ or duplicate key'],
    ['explicit keys', '? a\n: b\n', 'scalar document'],
    ['tabs', 'a:\tb\n', 'tab, non-printable character, byte-order mark or lone CR'],
    ['a byte-order mark', '\uFEFFa: b\n', 'tab, non-printable character, byte-order mark or lone CR'],
    ['a lone CR', 'a: b\rc: d\n', 'tab, non-printable character, byte-order mark or lone CR'],
    ['a scalar document', 'just text\n', 'scalar document'],
    ['an empty document', '# nothing\n', 'empty document'],
    ['bad indentation (js-yaml\'s error)', 'a:\n    b: 1\n  c: 2\n', 'bad indentation or not a key'],
    ['a key in a plain value (js-yaml\'s error)', 'a: b: c\n', 'a key in a plain value'],
    ['an unknown escape (js-yaml\'s error)', 'a: "\\q"\n', 'escape'],
  ];
  test.each(cases)('%s', (_name, text, reason) => {
    expect(readFast(text)).toBe(BAIL);
    expect(lastBailReason()).toBe(reason);
  });

  test('readManifestText gives js-yaml\'s value for a document left to it, and js-yaml\'s error and line for a bad one', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: &d {k: v}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  name: c\n';
    const r = readManifestText(text, 'f.yaml');
    expect(r.entries.map(e => e.object)).toStrictEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } }]);
    expect(r.problems.map(p => [p.code, p.line, p.detail])).toStrictEqual([
      ['CDK8SISTIO0001', 10, 'not valid YAML: duplicated mapping key'],
    ]);
  });
});

test('plain scalars resolve as js-yaml resolves them, on generated numbers, bools, nulls and near misses', () => {
  const chars = '0123456789+-._eExXoObBaAfFnNiIlLtTrRuUsS~ '.split('');
  fc.assert(fc.property(fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength: 8 }).map(a => a.join('').trim()).filter(s => s.length > 0),
    s => {
      expect([s, resolvePlain(s)]).toStrictEqual([s, jsyamlPlain(s)]);
    }), { numRuns: 20000, seed: 12 });
  for (const s of ['.inf', '-.INF', '+.Inf', '.NaN', '.nan', '0x', '0b', '0o', '0x_1', '1e', '1e+', '+', '-', '.', '1.2.3', '0b102', '0o8',
    '99999999999999999999', '1e400', '-1e400', '0x1fffffffffffffffff']) {
    expect([s, resolvePlain(s)]).toStrictEqual([s, jsyamlPlain(s)]);
  }
});

test('the examples\' output and the benchmark mesh are read fast, every document, to js-yaml\'s values', () => {
  const examples = ['ab-test', 'ambient', 'bookinfo', 'canary', 'egress-and-observability', 'gateway-api', 'workshop-app', 'workshop-gateway', 'zero-trust'];
  const totals = { read: 0, left: 0, differ: [] as string[] };
  for (const name of examples) {
    const app = new App({ outdir: '/dev/null' });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(`../../examples/${name}/main`).build(app);
    const r = compareStream(app.synthYaml());
    totals.read += r.read;
    totals.left += r.left;
    totals.differ.push(...r.differ.map(d => `${name}: ${d}`));
  }
  const mesh = new App({ outdir: '/dev/null' });
  buildRaw(mesh, 20);
  const m = compareStream(mesh.synthYaml());
  expect({ read: totals.read, left: totals.left, differ: totals.differ, meshRead: m.read, meshLeft: m.left, meshDiffer: m.differ })
    .toStrictEqual({ read: 72, left: 0, differ: [], meshRead: 62, meshLeft: 0, meshDiffer: [] });
});
