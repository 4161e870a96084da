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
import * as os from 'os';
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
  // The checker exits (status 1 when an object is invalid) right after it prints: into a pipe, a long report is
  // cut off at that exit, so it writes to a file, where Node writes synchronously.
  const reportFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-oracle-')), 'report.json');
  const fd = fs.openSync(reportFile, 'w');
  try {
    execFileSync(process.execPath, args, { stdio: ['ignore', fd, 'inherit'] });
  } catch (e) {
    if ((e as { status?: number }).status !== 1) throw e;
  } finally {
    fs.closeSync(fd);
  }
  const out = fs.readFileSync(reportFile, 'utf8');
  fs.rmSync(path.dirname(reportFile), { recursive: true, force: true });
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

/** The Gateway API objects of one file, as parsed, with the number of other objects beside them. */
function gatewayApiObjects(file: string): { objects: any[]; others: number } {
  const objects: any[] = [];
  let others = 0;
  for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
    const obj = doc.toJS();
    if (!obj || typeof obj !== 'object') continue;
    if (GATEWAY_API_GROUPS.has(groupOf(obj.apiVersion))) objects.push(obj);
    else others++;
  }
  return { objects, others };
}

/**
 * Mistakes both checkers must refuse, made in copies of the valid objects, so the refusing side is measured on
 * more than the data's one invalid object: an unserved version, an unknown field, and for routes a negative
 * weight and (the CRD rule that needs the defaulted backend kind) a Service backendRef without a port.
 */
const MUTATIONS: Array<[string, (o: any) => boolean]> = [
  ['unserved version', o => { o.apiVersion = `${groupOf(o.apiVersion)}/v9`; return true; }],
  ['unknown field', o => { o.spec = { ...(o.spec ?? {}), bogusField: 1 }; return true; }],
  ['negative weight', o => {
    const ref = o.spec?.rules?.find((r: any) => r?.backendRefs?.length)?.backendRefs[0];
    if (!ref) return false;
    ref.weight = -1;
    return true;
  }],
  ['Service backendRef without port', o => {
    const ref = o.spec?.rules?.flatMap((r: any) => r?.backendRefs ?? []).find((b: any) => (b.kind ?? 'Service') === 'Service' && !b.group && b.port !== undefined);
    if (!ref) return false;
    delete ref.port;
    return true;
  }],
];

interface Tally { total: number; validBoth: number; invalidBoth: number; explained: string[]; failures: string[] }

/** Judge every Gateway API object of `files` by both checkers; `expect` is the verdict both must give, if known. */
function judge(files: string[], root: string, oracle: Map<string, string[]>, tally: Tally, expectInvalid = false) {
  for (const file of files) {
    const rel = path.relative(root, file);
    const seen = new Set<string>();
    for (const obj of gatewayApiObjects(file).objects) {
      const id = idOf(obj);
      // The checker reports by file and id; two objects of one id in one file could not be told apart.
      if (seen.has(id)) throw new Error(`gateway-api: ${rel} holds ${id} twice`);
      seen.add(id);
      tally.total++;
      const theirs = oracle.get(`${file}|${id}`) ?? [];
      const ours = ourErrors(obj);
      if (!ours.length === !theirs.length && (!expectInvalid || ours.length)) {
        if (ours.length) tally.invalidBoth++;
        else tally.validBoth++;
        continue;
      }
      const where = `${rel} ${obj.kind}/${obj.metadata?.name}`;
      const verdicts = `ours: ${ours.length ? `invalid (${ours.join('; ')})` : 'valid'}; checker: ${theirs.length ? `invalid (${theirs.join('; ')})` : 'valid'}`;
      const why = EXPLAINED[`${rel}|${obj.kind}/${obj.metadata?.name}`];
      if (why) tally.explained.push(`${where}: ${verdicts}: ${why}`);
      else tally.failures.push(`${where}: ${verdicts}`);
    }
  }
}

/** Writes the mutants of the objects both checkers accept to a fresh directory, one file per source file. */
function writeMutants(files: string[], root: string, accepted: (file: string, obj: any) => boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-gwapi-mutants-'));
  for (const file of files) {
    const docs: string[] = [];
    for (const obj of gatewayApiObjects(file).objects) {
      if (!accepted(file, obj)) continue;
      MUTATIONS.forEach(([what, mutate], k) => {
        const copy = JSON.parse(JSON.stringify(obj));
        if (!mutate(copy)) return;
        copy.metadata = { ...copy.metadata, name: `${obj.metadata.name}-m${k}`, annotations: { ...copy.metadata?.annotations, mutation: what } };
        docs.push(JSON.stringify(copy));
      });
    }
    if (docs.length) fs.writeFileSync(path.join(dir, `${path.relative(root, file).replace(/\//g, '__')}`), docs.join('\n---\n'));
  }
  return dir;
}

export const suite: Suite = {
  name: 'gateway-api',
  run(shared: string): SuiteResult {
    const root = path.join(shared, 'gateway-api');
    const files = DIRS.flatMap(d => yamlFiles(path.join(root, d)));
    const oracle = runOracle(shared, DIRS.map(d => path.join(root, d)));
    const tally: Tally = { total: 0, validBoth: 0, invalidBoth: 0, explained: [], failures: [] };
    judge(files, root, oracle, tally);
    const others = files.reduce((n, f) => n + gatewayApiObjects(f).others, 0);
    const agreed = tally.validBoth + tally.invalidBoth;
    console.log(`gateway-api: ${agreed} of ${tally.total} Gateway API objects judged alike (${tally.validBoth} valid by both, ${tally.invalidBoth} invalid by both, ${tally.total - agreed} disagreements, ${tally.explained.length} explained); ${others} objects of other groups in the same files not counted`);
    for (const x of tally.explained) console.log(`  explained: ${x}`);

    const mutantsDir = writeMutants(files, root, (file, obj) => !oracle.has(`${file}|${idOf(obj)}`) && ourErrors(obj).length === 0);
    const mutantFiles = yamlFiles(mutantsDir);
    const mutants: Tally = { total: 0, validBoth: 0, invalidBoth: 0, explained: [], failures: [] };
    judge(mutantFiles, mutantsDir, runOracle(shared, [mutantsDir]), mutants, true);
    fs.rmSync(mutantsDir, { recursive: true, force: true });
    console.log(`gateway-api: ${mutants.invalidBoth} of ${mutants.total} mutants of the accepted objects refused by both (${MUTATIONS.map(([w]) => w).join(', ')})`);

    return {
      name: 'gateway-api',
      agreed: agreed + mutants.invalidBoth,
      total: tally.total + mutants.total,
      failures: [...tally.failures, ...mutants.failures.map(f => `mutant ${f}`)],
    };
  },
};
