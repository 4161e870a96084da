// Rule tests check the per-object layers (schema + webhook) alone; the cross-resource analyzers have their
// own tests under analyzers/, so their findings about missing context do not leak into rule expectations.
import { AnalysisOptions, Diagnostic } from '../../src';
import { runAnalysis } from '../../src/analysis/engine';
import { OBJECT_RULES } from '../../src/analysis/rules';
import { schemaRule } from '../../src/analysis/schema';

/** The schema and webhook findings of `manifests`. */
export function webhookOnly(manifests: any[], options: AnalysisOptions = {}): Diagnostic[] {
  return runAnalysis(manifests.map(object => ({ object })), options, schemaRule, OBJECT_RULES, []);
}
