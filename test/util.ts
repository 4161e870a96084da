// Test helpers: synthesize through cdk8s (which runs the app-wide analysis) and double-check every object
// against the schema + CEL of the pinned CRDs, so no test can pass with output Istio would reject.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { DiagnosticLevel } from '../src';
import { main } from '../src/analysis/cli';
import { runAnalysis } from '../src/analysis/engine';
import { OBJECT_RULES } from '../src/analysis/rules';
import { schemaRule } from '../src/analysis/schema';

/**
 * Synthesize `chart`; throws if any object fails the schema or webhook rules. (The cross-resource analyzers
 * already ran at synth, with the app's declared namespaces and hosts; re-running them here without those would
 * only repeat them with less context.)
 */
export function synth(chart: Chart): any[] {
  const manifests = Testing.synth(chart);
  const perObject = runAnalysis(manifests.map(object => ({ object })), {}, schemaRule, OBJECT_RULES, []);
  const errors = perObject.filter(d => d.level === DiagnosticLevel.ERROR);
  if (errors.length > 0) {
    throw new Error(`synthesized objects fail analysis:\n${errors.map(e => `${e.code} ${e.message}`).join('\n')}`);
  }
  return manifests;
}

/** The objects of one kind in a synthesized chart. */
export function ofKind(manifests: any[], kind: string): any[] {
  return manifests.filter(m => m.kind === kind);
}

/** A fresh app and chart in namespace `ns` (or none). */
export function chartIn(ns?: string): { app: App; chart: Chart } {
  const app = Testing.app();
  const chart = new Chart(app, 'test', ns ? { namespace: ns } : {});
  return { app, chart };
}

/** The message cdk8s throws when synth fails, or undefined when synth succeeds. */
export function synthError(chart: Chart): string | undefined {
  try {
    Testing.synth(chart);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Each error of a failed synth on its own (cdk8s lists them one per line), or [] when synth succeeds. */
export function synthErrors(chart: Chart): string[] {
  return (synthError(chart) ?? '').split('\n').map(l => l.trim()).filter(l => l.startsWith('['));
}

/** `cdk8s-istio analyze -o json` on `yaml` written to a fresh file named `name`: the exit code, the file and the findings. */
export function analyzeYamlFile(yaml: string, name: string, ...flags: string[]): { code: number; file: string; findings: any[] } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-')), name);
  fs.writeFileSync(file, yaml);
  let out = '';
  const code = main(['analyze', ...flags, '-o', 'json', file], s => { out += s; }, () => undefined, () => '');
  return { code, file, findings: JSON.parse(out) };
}
