// Every `@example` in the doc comments of src/ type-checks against the library, so API.md and the jsii
// languages' docs (jsii-rosetta translates them) never show code that does not compile.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const SRC = path.join(__dirname, '..', 'src');

/** Every @example block of src/ (outside the generated imports), with the file and type it documents. */
function docExamples(): Array<{ where: string; owner: string; code: string }> {
  const found: Array<{ where: string; owner: string; code: string }> = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) { if (entry.name !== 'imports') walk(file); continue; }
      if (!file.endsWith('.ts')) continue;
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^ \* @example\n((?: \*(?: .*)?\n)+?)(?= \* @| \*\/)/gm)) {
        const code = m[1].split('\n').map(l => l.replace(/^ \* ?/, '')).join('\n');
        const owner = /^export (?:abstract )?class (\w+)/m.exec(text.slice(m.index))?.[1];
        found.push({ where: `${path.relative(SRC, file)} (${owner})`, owner: owner ?? '', code });
      }
    }
  };
  walk(SRC);
  return found;
}

const PREAMBLE = [
  "import { App, Chart, Duration } from 'cdk8s';",
  "import * as kplus from 'cdk8s-plus-33';",
  "import * as istio from '../src';",
  '',
].join('\n');

test('every @example in src/ compiles against the public API', () => {
  const examples = docExamples();
  // The main constructs each carry one.
  expect(examples.map(e => e.owner)).toEqual(expect.arrayContaining([
    'Gateway', 'VirtualService', 'DestinationRule', 'ServiceEntry', 'Sidecar', 'PeerAuthentication', 'AuthorizationPolicy',
    'RequestAuthentication', 'Telemetry', 'IstioOperator', 'IstioNamespace', 'CanaryRelease', 'AbTest', 'BlueGreen',
    'TrafficMirror', 'ZeroTrustNamespace', 'EgressGateway', 'IstioAnalysis',
    'K8sGateway', 'HttpRoute', 'GrpcRoute', 'TcpRoute', 'TlsRoute', 'ReferenceGrant',
  ]));

  const exported = Object.keys(require('../src')); // eslint-disable-line @typescript-eslint/no-require-imports
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    ignoreDeprecations: '6.0',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const files = new Map<string, string>();
  examples.forEach((e, i) => {
    // The example is written as a user would, with the library's names in scope unqualified.
    const names = exported.filter(n => new RegExp(`\\b${n}\\b`).test(e.code));
    // An import, not a destructuring: an example may use a class as a type (`declare const gateway: K8sGateway`).
    const header = names.length ? `import { ${names.join(', ')} } from '../src';\n` : '';
    files.set(path.join(__dirname, `__example_${i}.ts`), `${PREAMBLE}${header}void Duration; void App; void kplus;\n${e.code}\nexport {};\n`);
  });
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = f => files.get(path.resolve(f)) ?? read(f);
  const exists = host.fileExists.bind(host);
  host.fileExists = f => files.has(path.resolve(f)) || exists(f);
  const program = ts.createProgram([...files.keys()], options, host);
  const problems = [...files.keys()].flatMap((f, i) => ts.getPreEmitDiagnostics(program, program.getSourceFile(f))
    .map(d => `${examples[i].where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`));
  expect(problems).toEqual([]);
});
