// Test helper: the webhook rules alone, without the schema gate in front of them. Webhook-rule tests pack
// several faults into one object, and some of those faults (a 0s timeout, an enum value, a field the pinned
// CRDs lack) are the schema's to reject, which would keep every webhook rule of that object from running.
import { Diagnostic } from '../../src';
import { ObjectRule, runAnalysis } from '../../src/analysis/engine';
import { CROSS_RULES, OBJECT_RULES } from '../../src/analysis/rules';

const NO_SCHEMA: ObjectRule = { kinds: [], check: () => undefined };

/** What the webhook rules and analyzers report for `objects`, as if every object passed the schema. */
export function webhookOnly(objects: any[]): Diagnostic[] {
  return runAnalysis(objects.map(object => ({ object })), {}, NO_SCHEMA, OBJECT_RULES, CROSS_RULES);
}
