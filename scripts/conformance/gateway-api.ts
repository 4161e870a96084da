// Conformance of the schema + CEL check (src/analysis/schema) on Kubernetes Gateway API objects: every manifest
// under ../shared/gateway-api (the project's examples, the conformance suite's manifests, Istio's Gateway API and
// waypoint samples) is judged twice, per object:
//  - by our engine: the schema rule and the API server's envelope rule (metadata.name, labels), the two checks
//    the API server makes before it stores an object; an object is refused when either reports an error;
//  - by the independent checker ../shared/tools/istio-validate.mjs with the Gateway API experimental CRDs and
//    Istio's CRDs, run once over all the files, its JSON report parsed.
// The count is of Gateway API objects (groups gateway.networking.k8s.io and gateway.networking.x-k8s.io); the
// Services, Deployments and Istio objects in the same files are not counted (the validation-testdata suite covers
// Istio's kinds), and the summary line says how many there were.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { DiagnosticLevel } from '../../src/analysis/diagnostic';
import { groupOf, runAnalysis } from '../../src/analysis/engine';
import { detailWithFix } from '../../src/analysis/messages';
import { kubernetesObjectRule } from '../../src/analysis/rules/metadata';
import { schemaRule } from '../../src/analysis/schema';
import type { Suite, SuiteResult } from '../conformance';

const DIRS = ['examples', 'conformance-manifests', 'istio-samples'];
const GATEWAY_API_GROUPS = new Set(['gateway.networking.k8s.io', 'gateway.networking.x-k8s.io']);

/** Disagreements that are understood, by `file|Kind/name`, with the reason. */
const EXPLAINED: Record<string, string> = {
  'conformance-manifests/gateway-static-addresses.yaml|Gateway/gateway-static-addresses':
    'addresses[1] and [2] are placeholders (PLACEHOLDER_UNUSABLE_ADDRS, PLACEHOLDER_USABLE_ADDRS) that the conformance test '
    + 'replaces before it applies the file; as written, their type defaults to IPAddress and the value is no IP, which the API '
    + 'server refuses (format ipv4/ipv6 in the oneOf); the checker does not evaluate formats',
};

/** The files the checker walks, in its order (directories sorted, .yaml/.yml/.json). */
function yamlFiles(p: string): string[] {
  if (fs.statSync(p).isDirectory()) return fs.readdirSync(p).sort().flatMap(f => yamlFiles(path.join(p, f)));
  return /\.(ya?ml|json)$/.test(p) ? [p] : [];
}

/** `Kind/namespace/name` as the checker names an object. */
function idOf(obj: any): string {
  return `${obj.kind}/${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata?.name}`;
}

interface OracleReport { readonly results: Array<{ file: string; id: string; errors: string[] }> }

/** The checker's errors, by `file|id`. */
function runOracle(shared: string, inputs: string[]): Map<string, string[]> {
  const tool = path.join(shared, 'tools', 'istio-validate.mjs');
  const args = [tool, '--crds', path.join(shared, 'gateway-api/crds/experimental-crds.yaml'), '--crds', path.join(shared, 'istio/crds/istio-crds.yaml'), '--json', ...inputs];
  let out: string;
  try {
    out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    // Exit status 1 means "some object is invalid"; the report is on stdout all the same.
    const err = e as { status?: number; stdout?: string };
    if (err.status !== 1 || !err.stdout) throw e;
    out = err.stdout;
  }
  const report = JSON.parse(out) as OracleReport;
  const byObject = new Map<string, string[]>();
  for (const r of report.results) {
    const key = `${r.file}|${r.id}`;
    byObject.set(key, [...(byObject.get(key) ?? []), ...r.errors]);
  }
  return byObject;
}

/** Our errors for one object. */
function ourErrors(obj: any): string[] {
  return runAnalysis([{ object: obj }], {}, schemaRule, [kubernetesObjectRule], [])
    .filter(d => d.level === DiagnosticLevel.ERROR)
    .map(d => `${d.code} ${detailWithFix(d)}`);
}

export const suite: Suite = {
  name: 'gateway-api',
  run(shared: string): SuiteResult {
    const root = path.join(shared, 'gateway-api');
    const inputs = DIRS.map(d => path.join(root, d));
    const oracle = runOracle(shared, inputs);
    let total = 0;
    let validBoth = 0;
    let invalidBoth = 0;
    let others = 0;
    const explained: string[] = [];
    const failures: string[] = [];
    for (const file of inputs.flatMap(yamlFiles)) {
      const rel = path.relative(root, file);
      const seen = new Set<string>();
      for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
        const obj = doc.toJS();
        if (!obj || typeof obj !== 'object') continue;
        if (!GATEWAY_API_GROUPS.has(groupOf(obj.apiVersion))) {
          others++;
          continue;
        }
        const id = idOf(obj);
        // The checker reports by file and id; two objects of one id in one file could not be told apart.
        if (seen.has(id)) throw new Error(`gateway-api: ${rel} holds ${id} twice`);
        seen.add(id);
        total++;
        const theirs = oracle.get(`${file}|${id}`) ?? [];
        const ours = ourErrors(obj);
        if (!ours.length === !theirs.length) {
          if (ours.length) invalidBoth++;
          else validBoth++;
          continue;
        }
        const where = `${rel} ${obj.kind}/${obj.metadata?.name}`;
        const verdicts = `ours: ${ours.length ? `invalid (${ours.join('; ')})` : 'valid'}; checker: ${theirs.length ? `invalid (${theirs.join('; ')})` : 'valid'}`;
        const why = EXPLAINED[`${rel}|${obj.kind}/${obj.metadata?.name}`];
        if (why) explained.push(`${where}: ${verdicts}: ${why}`);
        else failures.push(`${where}: ${verdicts}`);
      }
    }
    const agreed = validBoth + invalidBoth;
    console.log(`gateway-api: ${agreed} of ${total} Gateway API objects judged alike (${validBoth} valid by both, ${invalidBoth} invalid by both, ${total - agreed} disagreements, ${explained.length} explained); ${others} objects of other groups in the same files not counted`);
    for (const x of explained) console.log(`  explained: ${x}`);
    return { name: 'gateway-api', agreed, total, failures };
  },
};
