// `cdk8s-istio analyze [--json] [--suppress CODES] [--fail-on-warnings] FILES|DIRS`: the synth-time analysis
// over any YAML, e.g. the output of another tool or a hand-written repository. Exit 1 on errors.
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { Diagnostic, DiagnosticLevel } from './diagnostic';
import { ManifestEntry, runAnalysis } from './engine';
import { AnalysisOptions } from './options';
import { formatReport } from './report';
import { CROSS_RULES, OBJECT_RULES } from './rules';
import { schemaRule } from './schema';
import { BEHAVIOUR_COMMANDS } from '../behaviour/cli';

const USAGE = `usage: cdk8s-istio analyze [--json] [--suppress CODE[,CODE...]] [--fail-on-warnings]
                           [--namespace NS] [--each-file] FILE|DIR...
  Checks Istio manifests as the API server, istiod's webhook and istioctl analyze would.
  DIRs are searched for *.yaml / *.yml. All objects are analyzed together, as one cluster would hold them
  (a later definition of the same resource replaces an earlier one); --each-file analyzes every file on its
  own, for a directory of alternatives such as Istio's samples.
  Exit status: 0 clean, 1 errors found, 2 bad usage or unreadable input.`;

/** Collect YAML files below the given paths, in a stable order. @internal */
export function collectFiles(paths: string[]): string[] {
  const out: string[] = [];
  const visit = (p: string) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p).sort()) {
        if (e === 'node_modules' || e.startsWith('.')) continue;
        const child = path.join(p, e);
        if (fs.statSync(child).isDirectory() || /\.ya?ml$/.test(e)) visit(child);
      }
    } else {
      out.push(p);
    }
  };
  paths.forEach(visit);
  return out;
}

/** Parse every document of a YAML file; `List` objects are flattened. @internal */
export function readManifests(file: string): ManifestEntry[] {
  const text = fs.readFileSync(file, 'utf-8');
  const entries: ManifestEntry[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
    const object = doc.toJS();
    if (object === null || object === undefined) continue;
    const items = object.kind === 'List' && Array.isArray(object.items) ? object.items : [object];
    for (const item of items) entries.push({ object: item, source: file });
  }
  return entries;
}

/** Run the command; returns the exit status. @internal */
export function main(
  argv: string[],
  out: (s: string) => void = s => process.stdout.write(s),
  err: (s: string) => void = s => process.stderr.write(s),
): number {
  const behaviour = BEHAVIOUR_COMMANDS[argv[0]];
  if (behaviour) { const r = behaviour(argv.slice(1)); out(r.stdout); return r.exitCode; }
  const args = [...argv];
  if (args[0] === 'analyze') args.shift();
  let json = false;
  let failOnWarnings = false;
  let eachFile = false;
  const suppress: string[] = [];
  let defaultNamespace: string | undefined;
  const paths: string[] = [];
  while (args.length > 0) {
    const a = args.shift()!;
    switch (a) {
      case '--json':
        json = true;
        break;
      case '--fail-on-warnings':
        failOnWarnings = true;
        break;
      case '--each-file':
        eachFile = true;
        break;
      case '--suppress':
        suppress.push(...(args.shift() ?? '').split(',').filter(Boolean));
        break;
      case '--namespace':
        defaultNamespace = args.shift();
        break;
      case '-h':
      case '--help':
        out(USAGE + '\n');
        return 0;
      default:
        if (a.startsWith('-')) {
          err(`unknown option ${a}\n${USAGE}\n`);
          return 2;
        }
        paths.push(a);
    }
  }
  if (paths.length === 0) {
    err(USAGE + '\n');
    return 2;
  }
  let groups: ManifestEntry[][];
  try {
    const perFile = collectFiles(paths).map(readManifests);
    groups = eachFile ? perFile : [perFile.flat()];
  } catch (e) {
    err(`cdk8s-istio analyze: ${(e as Error).message}\n`);
    return 2;
  }
  const options: AnalysisOptions = { suppress, defaultNamespace };
  const entries = groups.flat();
  const diagnostics: Diagnostic[] = groups.flatMap(g => runAnalysis(g, options, schemaRule, OBJECT_RULES, CROSS_RULES));
  if (json) {
    out(JSON.stringify(diagnostics, undefined, 2) + '\n');
  } else {
    out(formatReport(diagnostics, { title: `Analyzed ${entries.length} object(s)` }) + '\n');
  }
  const failing = diagnostics.some(d => d.level === DiagnosticLevel.ERROR || (failOnWarnings && d.level === DiagnosticLevel.WARNING));
  return failing ? 1 : 0;
}
