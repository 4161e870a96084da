// Test helper: the webhook rules alone. Rule tests pack several faults into one object, and some of those
// faults (a 0s timeout, an enum value, a field the pinned CRDs lack) are the schema's to reject, which would
// keep every webhook rule of that object from running; and the cross-resource analyzers have their own tests
// under analyzers/, so their findings about missing context stay out of rule expectations.
import { AnalysisOptions, Diagnostic } from '../../src';
import { ObjectRule, runAnalysis } from '../../src/analysis/engine';
import { OBJECT_RULES } from '../../src/analysis/rules';

const NO_SCHEMA: ObjectRule = { kinds: [], check: () => undefined };

/** What the webhook rules report for `objects`, as if every object passed the schema. */
export function webhookOnly(objects: any[], options: AnalysisOptions = {}): Diagnostic[] {
  return runAnalysis(objects.map(object => ({ object })), options, NO_SCHEMA, OBJECT_RULES, []);
}
