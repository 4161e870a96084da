// Conformance of the cross-resource analyzers: each fixture of Istio's analyzer tests
// (istio/samples/analyzer-testdata) runs through the one analyzer Istio's test names, with the auxiliary
// files EXPECTED.json lists (a `*-mesh-cfg.yaml` / `*-meshconfig.yaml` is a mesh config, passed as
// `meshConfig`). As in Istio's test harness, Istio's default ingress gateway (Pod + Service) is assumed; the
// engine assumes it too. Istio treats its input files as the whole cluster, so `workloadsComplete` is set. Per analyzer it prints `found F of E expected, U unexpected`: an expected finding is
// found when a diagnostic has its code, kind, name and (when given) namespace; an unexpected one is a
// diagnostic of a code that analyzer emits which matches no expected finding (or exceeds its count).
// Analyzers we do not reproduce are listed with the reason, not counted.
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ANALYZERS } from '../../src/analysis/analyzers';
import { ObjectRule, runAnalysis } from '../../src/analysis/engine';
import type { Suite, SuiteResult } from '../conformance';

interface Expected { code: string; kind: string; namespace: string | null; resource: string; count: number }
interface Run { analyzer: string; with: string[]; expected: Expected[] }

/** Istio analyzers (or codes) not reproduced here, and why. */
const NOT_HERE: Record<string, string> = {
  'deployment.ApplicationUIDAnalyzer': 'IST0144 not implemented in this branch (single-object check, listed as optional)',
  'deployment.ServiceAssociationAnalyzer': 'IST0116/IST0137 not implemented in this branch',
  'envoyfilter.EnvoyPatchAnalyzer': 'IST0151-IST0155 not implemented in this branch',
  'maturity.AlphaAnalyzer': 'IST0136 is not in Istio\'s default analyzer set (skipAll in Istio\'s own test)',
};

const noSchema: ObjectRule = { kinds: [], check: () => undefined };

function load(file: string): any[] {
  const out: any[] = [];
  for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf-8'))) {
    const o = doc.toJS();
    if (o && typeof o === 'object') out.push(o);
  }
  return out;
}

export const suite: Suite = {
  name: 'analyzers',
  run(sharedDir: string): SuiteResult {
    const dir = path.join(sharedDir, 'istio', 'samples', 'analyzer-testdata');
    const fixtures: Array<{ file: string; runs: Run[] }> = JSON.parse(fs.readFileSync(path.join(dir, 'EXPECTED.json'), 'utf-8'));
    const byName = new Map(ANALYZERS.map(a => [a.name, a]));
    const stats = new Map<string, { found: number; expected: number; unexpected: number }>();
    const failures: string[] = [];
    const skipped: string[] = [];
    let agreed = 0;
    let total = 0;
    for (const fx of fixtures) {
      for (const run of fx.runs) {
        const analyzer = byName.get(run.analyzer);
        if (!analyzer) {
          skipped.push(`${fx.file} [${run.analyzer}]: ${NOT_HERE[run.analyzer] ?? 'no such analyzer here'}`);
          continue;
        }
        const objects = load(path.join(dir, fx.file));
        let meshConfig: any;
        for (const aux of run.with) {
          const docs = load(path.join(dir, aux));
          if (/mesh-?c(on)?fi?g/.test(aux)) meshConfig = docs[0];
          else objects.push(...docs);
        }
        const diags = runAnalysis(objects.map(object => ({ object })), { meshConfig, workloadsComplete: true }, noSchema, [], [analyzer]);
        const codes = new Set(run.expected.map(e => e.code));
        const st = stats.get(run.analyzer) ?? { found: 0, expected: 0, unexpected: 0 };
        const remaining = [...diags];
        for (const e of run.expected) {
          st.expected += e.count;
          for (let i = 0; i < e.count; i++) {
            const at = remaining.findIndex(d => d.code === e.code && d.kind === e.kind && d.name === e.resource
              && (e.namespace === null || (d.namespace ?? 'default') === e.namespace));
            if (at >= 0) {
              remaining.splice(at, 1);
              st.found++;
            } else {
              failures.push(`${fx.file} [${run.analyzer}]: missing ${e.code} on ${e.kind} ${e.namespace ?? ''}/${e.resource}`);
            }
          }
        }
        // An analyzer's unexpected findings are those of the codes it emits; with no expectations, all of them.
        for (const d of remaining) {
          if (codes.size > 0 && !codes.has(d.code) && !emitsCode(run.analyzer, d.code)) continue;
          st.unexpected++;
          failures.push(`${fx.file} [${run.analyzer}]: unexpected ${d.code} ${d.level} on ${d.kind} ${d.namespace ?? ''}/${d.name}: ${d.message}`);
        }
        stats.set(run.analyzer, st);
        total++;
        if (st.found === st.expected && !failures.some(f => f.startsWith(`${fx.file} [${run.analyzer}]`))) agreed++;
      }
    }
    let f = 0; let e = 0; let u = 0;
    console.log('analyzer'.padEnd(56) + 'found / expected, unexpected');
    for (const [name, st] of [...stats].sort()) {
      console.log(`  ${name.padEnd(54)} found ${st.found} of ${st.expected} expected, ${st.unexpected} unexpected`);
      f += st.found; e += st.expected; u += st.unexpected;
    }
    console.log(`  ${'TOTAL'.padEnd(54)} found ${f} of ${e} expected, ${u} unexpected`);
    console.log('not run here (listed, not hidden):');
    for (const s of skipped) console.log(`  - ${s}`);
    return { name: 'analyzers', agreed, total, failures };
  },
};

/** The codes each analyzer can emit, so a run counts every code of its analyzer as checked. */
const CODES: Record<string, string[]> = {
  'annotations.K8sAnalyzer': ['IST0107', 'IST0108', 'IST0125', 'IST0135'],
  'authz.AuthorizationPoliciesAnalyzer': ['IST0101', 'IST0127'],
  'deprecation.FieldAnalyzer': ['IST0002'],
  'destinationrule.CaCertificateAnalyzer': ['IST0128', 'IST0129'],
  'destinationrule.PodNotSelectedAnalyzer': ['IST0173', 'IST0174'],
  'gateway.IngressGatewayPortAnalyzer': ['IST0101', 'IST0162'],
  'gateway.CertificateAnalyzer': ['IST0138'],
  'gateway.ConflictingGatewayAnalyzer': ['IST0145'],
  'k8sgateway.SelectorAnalyzer': ['IST0166'],
  'service.PortNameAnalyzer': ['IST0118', 'IST0150'],
  'serviceentry.ProtocolAddressesAnalyzer': ['IST0134'],
  'serviceentry.ConflictingServiceEntryProtocolAnalyzer': ['IST0177'],
  'sidecar.SelectorAnalyzer': ['IST0101', 'IST0110', 'IST0111', 'IST0167'],
  'telemetry.SelectorAnalyzer': ['IST0101', 'IST0159'],
  'telemetry.DefaultSelectorAnalyzer': ['IST0160'],
  'telemetry.ProviderAnalyzer': ['IST0157'],
  'telemetry.LightstepAnalyzer': ['IST0002'],
  'virtualservice.ConflictingMeshGatewayHostsAnalyzer': ['IST0109'],
  'virtualservice.DestinationHostAnalyzer': ['IST0101', 'IST0112', 'IST0140'],
  'virtualservice.DestinationRuleAnalyzer': ['IST0101'],
  'virtualservice.GatewayAnalyzer': ['IST0101', 'IST0132', 'IST0165'],
  'virtualservice.JWTClaimRouteAnalyzer': ['IST0149'],
};

function emitsCode(analyzer: string, code: string): boolean {
  return (CODES[analyzer] ?? []).includes(code);
}
