// istiod's webhook rules for Telemetry (VALIDATION-RULES.md section 10) over plain manifests: IST0106 for
// what the webhook rejects, IST0133 for what it admits with a warning.
import { checkDuration } from './common';
import { checkPolicyScope } from './policy-common';
import { ObjectRule, Reporter } from '../engine';
import { Messages } from '../messages';
import { isObj, listOf, objOf } from '../objects';
import { parseCelExpression } from '../schema/cel';


function checkProviders(r: Reporter, providers: unknown, f: string): number {
  if (!Array.isArray(providers)) return 0;
  providers.forEach((p, i) => {
    if (!isObj(p) || typeof p.name !== 'string' || p.name.length === 0) r(Messages.SchemaValidationError, { field: `${f}[${i}].name`, problem: 'a provider needs a name', got: isObj(p) ? p.name : p });
  });
  return providers.length;
}

function checkTracing(r: Reporter, tracing: any[]): void {
  if (tracing.length > 1) r(Messages.SchemaWarning, { field: 'spec.tracing', problem: 'only one tracing entry is supported; the others are ignored', got: tracing.length, fix: 'one entry' });
  tracing.forEach((t, i) => {
    const f = `spec.tracing[${i}]`;
    if (!isObj(t)) return;
    if (checkProviders(r, t.providers, `${f}.providers`) > 1) {
      r(Messages.SchemaWarning, { field: `${f}.providers`, problem: 'only one tracing provider per entry is supported; the others are ignored', got: t.providers.map((p: any) => p?.name) });
    }
    const pct = t.randomSamplingPercentage;
    if (pct !== undefined && (typeof pct !== 'number' || pct < 0 || pct > 100)) r(Messages.SchemaValidationError, { field: `${f}.randomSamplingPercentage`, problem: 'a sampling percentage must be between 0 and 100', got: pct });
    if (isObj(t.customTags)) {
      for (const [name, tag] of Object.entries(t.customTags)) {
        const tf = `${f}.customTags.${name}`;
        if (name === '') r(Messages.SchemaValidationError, { field: `${f}.customTags`, problem: 'a custom tag needs a name', got: name });
        if (!isObj(tag)) continue;
        const kinds = ['literal', 'environment', 'header', 'formatter'].filter(k => tag[k] !== undefined);
        if (kinds.length !== 1) {
          r(Messages.SchemaValidationError, { field: tf, problem: 'a custom tag needs exactly one of literal, environment, header or formatter', got: kinds });
          continue;
        }
        const k = kinds[0];
        const v = tag[k] ?? {};
        if (k === 'literal' && !v.value) r(Messages.SchemaValidationError, { field: `${tf}.literal.value`, problem: 'a literal tag needs a value', got: v.value });
        if (k === 'formatter' && !v.value) r(Messages.SchemaValidationError, { field: `${tf}.formatter.value`, problem: 'a formatter tag needs a value', got: v.value });
        if ((k === 'environment' || k === 'header') && !v.name) r(Messages.SchemaValidationError, { field: `${tf}.${k}.name`, problem: `a ${k} tag needs a name`, got: v.name });
      }
    }
  });
}

function checkMetrics(r: Reporter, metrics: any[]): void {
  metrics.forEach((m, i) => {
    const f = `spec.metrics[${i}]`;
    if (!isObj(m)) return;
    checkProviders(r, m.providers, `${f}.providers`);
    if (m.reportingInterval !== undefined) {
      const err = checkDuration(m.reportingInterval);
      if (err) r(Messages.SchemaValidationError, { field: `${f}.reportingInterval`, problem: `reportingInterval ${err}`, got: m.reportingInterval });
    }
    listOf(m.overrides).forEach((o: any, j: number) => {
      const of = `${f}.overrides[${j}]`;
      if (!isObj(o)) return;
      if (isObj(o.match)) {
        if (o.match.metric !== undefined && o.match.customMetric !== undefined) r(Messages.SchemaValidationError, { field: `${of}.match`, problem: 'give either metric or customMetric, not both', got: o.match });
        if (o.match.customMetric !== undefined && (typeof o.match.customMetric !== 'string' || o.match.customMetric.length === 0)) {
          r(Messages.SchemaValidationError, { field: `${of}.match.customMetric`, problem: 'customMetric must not be empty', got: o.match.customMetric });
        }
      }
      if (isObj(o.tagOverrides)) {
        for (const [tag, t] of Object.entries(o.tagOverrides)) {
          const tf = `${of}.tagOverrides.${tag}`;
          if (tag === '') r(Messages.SchemaWarning, { field: `${of}.tagOverrides`, problem: 'a tag override without a tag name has no effect', got: tag });
          if (!isObj(t)) continue;
          const op = t.operation ?? 'UPSERT';
          if (op === 'UPSERT' && (typeof t.value !== 'string' || t.value.length === 0)) r(Messages.SchemaValidationError, { field: `${tf}.value`, problem: 'value must be set when operation is UPSERT', got: t.value, fix: 'a CEL expression such as request.host' });
          if (op === 'REMOVE' && t.value !== undefined) r(Messages.SchemaValidationError, { field: `${tf}.value`, problem: 'value must not be set when operation is REMOVE', got: t.value, fix: 'remove the value' });
        }
      }
    });
  });
}

function checkAccessLogging(r: Reporter, logging: any[]): void {
  logging.forEach((a, i) => {
    const f = `spec.accessLogging[${i}]`;
    if (!isObj(a)) return;
    checkProviders(r, a.providers, `${f}.providers`);
    const expr = isObj(a.filter) ? a.filter.expression : undefined;
    if (typeof expr === 'string' && expr.length > 0) {
      try {
        parseCelExpression(expr);
      } catch (e) {
        r(Messages.SchemaValidationError, { field: `${f}.filter.expression`, problem: `the filter is not a valid CEL expression: ${(e as Error).message.replace(/^<input>:/, 'at ')}`, got: expr });
      }
    }
  });
}

/** Telemetry rules. @internal */
export const telemetryRule: ObjectRule = {
  kinds: ['telemetry.istio.io/Telemetry'],
  check(obj, r) {
    const spec = objOf(obj.spec);
    checkPolicyScope(r, spec);
    checkTracing(r, listOf(spec.tracing));
    checkMetrics(r, listOf(spec.metrics));
    checkAccessLogging(r, listOf(spec.accessLogging));
  },
};
