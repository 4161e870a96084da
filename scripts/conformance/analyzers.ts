// Conformance of the cross-resource analyzers against Istio's analyzer test grid
// (pkg/config/analysis/analyzers/analyzers_test.go), as ../shared/istio/samples/analyzer-testdata/GRID.json holds
// it: the cases whose fixtures are in ../shared. Each case runs the way Istio's test runs it: all its input
// files together, its mesh config file (`meshConfigFile`) applied, only the analyzer the case names, and the
// input taken as the whole cluster (`complete: true`), and the default resources Istio's harness adds (its
// default ingress gateway Pod and Service). The engine's schema check runs too, so an object with a
// schema error still reaches the analyzers, as in istioctl; schema findings themselves are not counted here.
//
// An expected message is found when a diagnostic of the analyzer has its code, kind, name and (when the
// fixture gives one) namespace, as Istio's test compares them; every other diagnostic of the analyzer is
// unexpected. Figures are printed per code. A case whose analyzer is not built is listed as such, never hidden.
// The rest of Istio's grid (cases whose fixtures are not in ../shared) is not measured here.
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ANALYZERS } from '../../src/analysis/analyzers';
import { Diagnostic } from '../../src/analysis/diagnostic';
import { ManifestEntry, runAnalysis } from '../../src/analysis/engine';
import { AnalysisOptions } from '../../src/analysis/options';
import { schemaRule } from '../../src/analysis/schema';
import type { Suite, SuiteResult } from '../conformance';

interface ExpectedMessage { readonly code: string; readonly kind: string; readonly name: string; readonly namespace?: string | null }
interface GridCase {
  readonly name: string;
  readonly analyzer: string;
  readonly inputFiles: string[];
  readonly meshConfigFile?: string;
  readonly expected: ExpectedMessage[];
}
interface CodeStats { found: number; expected: number; unexpected: number }

function load(file: string): ManifestEntry[] {
  const out: ManifestEntry[] = [];
  for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf-8'))) {
    const object = doc.toJS();
    if (object && typeof object === 'object') out.push({ object, source: path.basename(file) });
  }
  return out;
}

/**
 * What Istio's test harness adds to every case (local.AddDefaultResources, as istioctl does for files): a Pod
 * of the default ingress gateway and its Service, in istio-system. The engine itself assumes only the Pod.
 */
const ISTIO_DEFAULT_RESOURCES: ManifestEntry[] = [
  { object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'istio-ingressgateway-dummypod', namespace: 'istio-system', labels: { istio: 'ingressgateway' } }, spec: { containers: [{ name: 'istio-proxy' }] } }, source: 'internal-ingress' },
  {
    object: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'istio-ingressgateway', namespace: 'istio-system' },
      spec: {
        selector: { istio: 'ingressgateway' },
        ports: [['http2', 80], ['https', 443], ['tcp', 31400], ['tls', 15443]].map(([name, port]) => ({ name, port, protocol: 'TCP', targetPort: port })),
      },
    },
    source: 'internal-ingress',
  },
];

const key = (d: Diagnostic) => `${d.code}|${d.kind}|${d.namespace ?? ''}|${d.name}|${d.field ?? ''}|${d.message}`;

/** The diagnostics of `analyzer` alone: a run with it, less a run with the schema check only. */
function analyzerFindings(entries: ManifestEntry[], options: AnalysisOptions, analyzer: typeof ANALYZERS[number]): Diagnostic[] {
  const all = runAnalysis(entries, options, schemaRule, [], [analyzer]);
  const schemaOnly = new Map<string, number>();
  for (const d of runAnalysis(entries, options, schemaRule, [], [])) schemaOnly.set(key(d), (schemaOnly.get(key(d)) ?? 0) + 1);
  return all.filter(d => {
    const n = schemaOnly.get(key(d)) ?? 0;
    if (n === 0) return true;
    schemaOnly.set(key(d), n - 1);
    return false;
  });
}

export const suite: Suite = {
  name: 'analyzers',
  run(sharedDir: string): SuiteResult {
    const dir = path.join(sharedDir, 'istio', 'samples', 'analyzer-testdata');
    const grid: GridCase[] = JSON.parse(fs.readFileSync(path.join(dir, 'GRID.json'), 'utf-8'));
    const byName = new Map(ANALYZERS.map(a => [a.name, a]));
    const stats = new Map<string, CodeStats>();
    const statsOf = (code: string) => {
      let s = stats.get(code);
      if (!s) stats.set(code, (s = { found: 0, expected: 0, unexpected: 0 }));
      return s;
    };
    const failures: string[] = [];
    const notBuilt: string[] = [];
    let agreed = 0;
    for (const tc of grid) {
      const label = `${tc.name} [${tc.analyzer}]`;
      const analyzer = byName.get(tc.analyzer);
      if (!analyzer) {
        notBuilt.push(label);
        failures.push(`${label}: analyzer not built (${tc.expected.length} expected message(s) not checked)`);
        for (const e of tc.expected) statsOf(e.code).expected++;
        continue;
      }
      const entries = [...tc.inputFiles.flatMap(f => load(path.join(dir, f))), ...ISTIO_DEFAULT_RESOURCES];
      const meshConfig = tc.meshConfigFile ? load(path.join(dir, tc.meshConfigFile))[0]?.object : undefined;
      const remaining = analyzerFindings(entries, { meshConfig, complete: true }, analyzer);
      let ok = true;
      for (const e of tc.expected) {
        const st = statsOf(e.code);
        st.expected++;
        const at = remaining.findIndex(d => d.code === e.code && d.kind === e.kind && d.name === e.name
          && (e.namespace == null || (d.namespace ?? 'default') === e.namespace));
        if (at >= 0) {
          remaining.splice(at, 1);
          st.found++;
        } else {
          ok = false;
          failures.push(`${label}: missing ${e.code} on ${e.kind} ${e.namespace ? e.namespace + '/' : ''}${e.name}`);
        }
      }
      for (const d of remaining) {
        ok = false;
        statsOf(d.code).unexpected++;
        failures.push(`${label}: unexpected ${d.code} ${d.level} on ${d.kind} ${d.namespace ? d.namespace + '/' : ''}${d.name} ${d.field ?? ''}: ${d.message}`);
      }
      if (ok) agreed++;
    }
    let f = 0; let e = 0; let u = 0;
    console.log(`analyzer grid: ${grid.length} cases, per code found / expected, unexpected`);
    for (const [code, st] of [...stats].sort()) {
      console.log(`  ${code}  found ${st.found} of ${st.expected}, ${st.unexpected} unexpected`);
      f += st.found; e += st.expected; u += st.unexpected;
    }
    console.log(`  TOTAL    found ${f} of ${e}, ${u} unexpected`);
    console.log(`  not built: ${notBuilt.length ? notBuilt.join('; ') : 'none'}`);
    console.log('  (the rest of Istio\'s grid, whose fixtures are not in ../shared, is not measured here)');
    return { name: 'analyzers', agreed, total: grid.length, failures };
  },
};
