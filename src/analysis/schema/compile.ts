// Compiles a CRD's structural OpenAPI v3 schema into one closure per schema node, judging a value the way the
// Kubernetes API server does (types, enum, required, bounds, lengths, patterns, formats, list types,
// oneOf/anyOf/allOf/not, maps, x-kubernetes-validations) and, unlike the API server, reporting unknown
// fields instead of pruning them. Each node also gets a converter to the CEL value the API server binds to
// `self` (integers as int, objects as maps).
import { evaluateMessage, evaluateRule } from './cel';

/** A field path as a linked list, rendered only when something is reported. */
export interface Path {
  readonly up: Path | undefined;
  readonly key: string | number;
}

/** Where a compiled node reports; `path` undefined means the object itself. */
export type Sink = (path: Path | undefined, problem: string, got?: unknown, allowed?: string) => void;

/** A compiled schema node. */
export interface SchemaNode {
  check(value: unknown, path: Path | undefined, sink: Sink): void;
  toCel(value: unknown): unknown;
}

type Schema = Record<string, any>;
type Check = (value: any, path: Path | undefined, sink: Sink) => void;

const child = (up: Path | undefined, key: string | number): Path => ({ up, key });

/** The JSON type of a decoded value, as the API server names it in messages. */
function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const isScalar = (v: unknown) => v === null || typeof v !== 'object';
const scalar = (v: unknown) => (isScalar(v) ? v : undefined);

/** Characters as the API server counts them (code points, not UTF-16 units). */
function charLength(s: string): number {
  return /[\ud800-\udfff]/.test(s) ? [...s].length : s.length;
}

/** Go regexp (RE2) syntax used by the CRDs is a subset ECMAScript shares. */
function goRegExp(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return new RegExp(pattern);
  }
}

const FORMATS: Record<string, (s: string) => boolean> = {
  'byte': s => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s),
  'date-time': s => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)),
};

/** Generic JSON -> CEL conversion where the schema says nothing (preserved unknown fields). */
function anyToCel(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(anyToCel);
  if (v && typeof v === 'object') {
    const m = new Map<string, unknown>();
    for (const k of Object.keys(v)) m.set(k, anyToCel((v as any)[k]));
    return m;
  }
  return v;
}

/** The smallest edit distance, to suggest the field a typo meant. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

function suggestion(name: string, known: string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = k.toLowerCase() === lower ? 0 : editDistance(name, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(name.length / 4)) ? `did you mean "${best}"?` : undefined;
}

/** A predicate for the value-validation-only schemas inside oneOf/anyOf/allOf/not. */
function predicate(s: Schema): (v: any) => boolean {
  const tests: Array<(v: any) => boolean> = [];
  if (s.type) tests.push(v => jsonType(v) === s.type || (s.type === 'number' && typeof v === 'number'));
  if (s.required) {
    const req: string[] = s.required;
    tests.push(v => v !== null && typeof v === 'object' && req.every(k => v[k] !== undefined));
  }
  if (s.not) {
    const not = predicate(s.not);
    tests.push(v => !not(v));
  }
  if (s.anyOf) {
    const alts = (s.anyOf as Schema[]).map(predicate);
    tests.push(v => alts.some(a => a(v)));
  }
  if (s.oneOf) {
    const alts = (s.oneOf as Schema[]).map(predicate);
    tests.push(v => alts.filter(a => a(v)).length === 1);
  }
  if (s.allOf) {
    const alts = (s.allOf as Schema[]).map(predicate);
    tests.push(v => alts.every(a => a(v)));
  }
  return v => tests.every(t => t(v));
}

/** The fields named by `required` alternatives, e.g. StringMatch's exact/prefix/regex. */
function alternativeFields(alts: Schema[]): string[] {
  return alts.flatMap(a => (a.required as string[] | undefined) ?? []);
}

function combinatorChecks(s: Schema, checks: Check[]) {
  if (s.oneOf) {
    const alts = (s.oneOf as Schema[]).map(predicate);
    const fields = alternativeFields(s.oneOf);
    checks.push((v, path, sink) => {
      let n = 0;
      for (const a of alts) if (a(v)) n++;
      if (n === 1) return;
      const set = fields.filter(f => v !== null && typeof v === 'object' && v[f] !== undefined);
      sink(path, 'must validate one and only one schema (oneOf)', fields.length ? set : scalar(v),
        fields.length ? `at most one of ${fields.join(', ')}` : undefined);
    });
  }
  if (s.anyOf && !s['x-kubernetes-int-or-string']) {
    const alts = (s.anyOf as Schema[]).map(predicate);
    const fields = alternativeFields(s.anyOf);
    checks.push((v, path, sink) => {
      if (!alts.some(a => a(v))) sink(path, 'must validate at least one schema (anyOf)', scalar(v), fields.length ? `at least one of ${fields.join(', ')}` : undefined);
    });
  }
  if (s.allOf) {
    for (const sub of s.allOf as Schema[]) combinatorChecks(sub, checks);
  }
  if (s.not) {
    const not = predicate(s.not);
    checks.push((v, path, sink) => {
      if (not(v)) sink(path, 'must not validate the schema (not)', scalar(v));
    });
  }
}

/** Compile one schema node (and, eagerly, everything below it). */
export function compileSchema(s: Schema): SchemaNode {
  const checks: Check[] = [];
  const intOrString = !!s['x-kubernetes-int-or-string'];
  const preserve = !!s['x-kubernetes-preserve-unknown-fields'];
  const type: string | undefined = s.type;
  const nullable = !!s.nullable;

  let typeOk: (v: any) => boolean = () => true;
  let typeName = type ?? '';
  if (intOrString) {
    typeOk = v => typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));
    typeName = 'integer or string';
  } else if (type === 'integer') {
    typeOk = v => typeof v === 'number' && Number.isInteger(v);
  } else if (type === 'number') {
    typeOk = v => typeof v === 'number' && Number.isFinite(v);
  } else if (type === 'string' || type === 'boolean') {
    typeOk = v => typeof v === type;
  } else if (type === 'array') {
    typeOk = v => Array.isArray(v);
  } else if (type === 'object') {
    typeOk = v => v !== null && typeof v === 'object' && !Array.isArray(v);
  }

  let toCel: (v: any) => unknown = v => v;

  // Strings
  if (typeof s.minLength === 'number') {
    const min: number = s.minLength;
    checks.push((v, path, sink) => {
      if (typeof v === 'string' && charLength(v) < min) sink(path, `should be at least ${min} chars long`, v);
    });
  }
  if (typeof s.maxLength === 'number') {
    const max: number = s.maxLength;
    checks.push((v, path, sink) => {
      if (typeof v === 'string' && charLength(v) > max) sink(path, `should be at most ${max} chars long`, v);
    });
  }
  if (typeof s.pattern === 'string') {
    const pattern: string = s.pattern;
    let re: RegExp | undefined;
    checks.push((v, path, sink) => {
      if (typeof v !== 'string') return;
      re ??= goRegExp(pattern);
      if (!re.test(v)) sink(path, `should match '${pattern}'`, v);
    });
  }
  if (typeof s.format === 'string' && FORMATS[s.format] && (type === 'string' || intOrString)) {
    const format: string = s.format;
    const test = FORMATS[format];
    checks.push((v, path, sink) => {
      if (typeof v === 'string' && !test(v)) sink(path, `must be of type ${format}`, v);
    });
  }
  if (Array.isArray(s.enum)) {
    const allowed = new Set<unknown>(s.enum);
    const list = (s.enum as unknown[]).map(e => JSON.stringify(e)).join(', ');
    checks.push((v, path, sink) => {
      if (!allowed.has(v)) sink(path, 'Unsupported value', v, `supported values: ${list}`);
    });
  }

  // Numbers
  if (typeof s.minimum === 'number') {
    const min: number = s.minimum;
    const exclusive = !!s.exclusiveMinimum;
    const problem = `should be greater than ${exclusive ? '' : 'or equal to '}${min}`;
    checks.push((v, path, sink) => {
      if (typeof v === 'number' && (exclusive ? v <= min : v < min)) sink(path, problem, v);
    });
  }
  if (typeof s.maximum === 'number') {
    const max: number = s.maximum;
    const exclusive = !!s.exclusiveMaximum;
    const problem = `should be less than ${exclusive ? '' : 'or equal to '}${max}`;
    checks.push((v, path, sink) => {
      if (typeof v === 'number' && (exclusive ? v >= max : v > max)) sink(path, problem, v);
    });
  }
  if (type === 'integer' || intOrString) toCel = v => (typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v);

  // Arrays
  if (typeof s.minItems === 'number') {
    const min: number = s.minItems;
    checks.push((v, path, sink) => {
      if (Array.isArray(v) && v.length < min) sink(path, `should have at least ${min} items`, v.length);
    });
  }
  if (typeof s.maxItems === 'number') {
    const max: number = s.maxItems;
    checks.push((v, path, sink) => {
      if (Array.isArray(v) && v.length > max) sink(path, `should have at most ${max} items`, v.length);
    });
  }
  if (s.items && typeof s.items === 'object') {
    const items = compileSchema(s.items);
    checks.push((v: unknown[], path, sink) => {
      for (let i = 0; i < v.length; i++) items.check(v[i], child(path, i), sink);
    });
    toCel = v => (Array.isArray(v) ? v.map(items.toCel) : v);
  }
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'set' || listType === 'map') {
    const keys: string[] = listType === 'map' ? s['x-kubernetes-list-map-keys'] ?? [] : [];
    const identity = listType === 'set'
      ? (e: unknown) => JSON.stringify(e)
      : (e: any) => JSON.stringify(keys.map(k => (e && typeof e === 'object' ? e[k] : undefined)));
    checks.push((v: unknown[], path, sink) => {
      const seen = new Set<string>();
      for (let i = 0; i < v.length; i++) {
        const id = identity(v[i]);
        if (seen.has(id)) {
          const e: any = v[i];
          sink(child(path, i), 'Duplicate value', listType === 'set' ? v[i] : Object.fromEntries(keys.map(k => [k, e?.[k]])));
        }
        seen.add(id);
      }
    });
  }

  // Objects
  if (s.properties || s.additionalProperties !== undefined || type === 'object') {
    const props = new Map<string, SchemaNode>();
    for (const [name, sub] of Object.entries<Schema>(s.properties ?? {})) props.set(name, compileSchema(sub));
    const known = [...props.keys()];
    const extra = s.additionalProperties && typeof s.additionalProperties === 'object' ? compileSchema(s.additionalProperties) : undefined;
    const openEnded = preserve || s.additionalProperties === true;
    checks.push((v: Record<string, unknown>, path, sink) => {
      for (const key in v) {
        // JSON has no undefined; a plain object handed to analyze() may, and it means "absent".
        if (v[key] === undefined) continue;
        const node = props.get(key);
        if (node) node.check(v[key], child(path, key), sink);
        else if (extra) extra.check(v[key], child(path, `[${key}]`), sink);
        else if (!openEnded) sink(child(path, key), 'unknown field', undefined, suggestion(key, known));
      }
    });
    if (Array.isArray(s.required)) {
      const required: string[] = s.required;
      checks.push((v: Record<string, unknown>, path, sink) => {
        for (const key of required) if (v[key] === undefined) sink(child(path, key), 'Required value');
      });
    }
    if (typeof s.minProperties === 'number') {
      const min: number = s.minProperties;
      checks.push((v, path, sink) => {
        if (Object.keys(v).length < min) sink(path, `should have at least ${min} properties`);
      });
    }
    if (typeof s.maxProperties === 'number') {
      const max: number = s.maxProperties;
      checks.push((v, path, sink) => {
        if (Object.keys(v).length > max) sink(path, `should have at most ${max} properties`, Object.keys(v).length);
      });
    }
    toCel = v => {
      if (v === null || typeof v !== 'object') return v;
      const m = new Map<string, unknown>();
      for (const key in v) {
        if (v[key] === undefined) continue;
        const node = props.get(key) ?? extra;
        // The API server prunes unknown fields before CEL runs, so rules never see them.
        if (node) m.set(key, node.toCel(v[key]));
        else if (preserve) m.set(key, anyToCel(v[key]));
      }
      return m;
    };
  } else if (preserve || !type) {
    toCel = anyToCel;
  }

  combinatorChecks(s, checks);

  // CEL rules: compiled on first evaluation (see cel.ts); `self` is converted once per value.
  const validations: Array<{ rule: string; message?: string; messageExpression?: string }> = s['x-kubernetes-validations'] ?? [];
  if (validations.length) {
    checks.push((v, path, sink) => {
      const self = toCel(v);
      for (const rule of validations) {
        const outcome = evaluateRule(rule.rule, self);
        if (outcome.ok) continue;
        const message = (rule.messageExpression && evaluateMessage(rule.messageExpression, self)) || rule.message || `failed rule: ${rule.rule}`;
        sink(path, outcome.error ? `${message} (CEL evaluation error: ${outcome.error})` : message, scalar(v));
      }
    });
  }

  const convert = toCel;
  return {
    check(v, path, sink) {
      if (v === null) {
        if (!nullable && typeName) sink(path, `must be of type ${typeName}: "null"`);
        return;
      }
      if (!typeOk(v)) {
        sink(path, `must be of type ${typeName}: "${jsonType(v)}"`, scalar(v));
        return;
      }
      for (let i = 0; i < checks.length; i++) checks[i](v, path, sink);
    },
    toCel: v => (v === null ? null : convert(v)),
  };
}
