// Compiles a CRD's structural OpenAPI v3 schema into one closure per schema node, judging a value the way the
// Kubernetes API server does (types, enum, required, bounds, lengths, patterns, formats, list types,
// oneOf/anyOf/allOf/not, maps, x-kubernetes-validations) and, unlike the API server, reporting unknown
// fields instead of pruning them. Each node also gets a converter to the CEL value the API server binds to
// `self` (integers as int, objects as maps).
import { isIP } from 'net';
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
  /** The value with the schema's defaults applied (the same value when none applies). */
  withDefaults(value: unknown): unknown;
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
  // kube-openapi's strfmt: an address Go's net.ParseIP takes, written with dots (ipv4) or colons (ipv6).
  'ipv4': s => s.includes('.') && !s.includes('%') && isIP(s) !== 0,
  'ipv6': s => s.includes(':') && !s.includes('%') && isIP(s) !== 0,
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

/**
 * A test for the value-validation schemas inside oneOf/anyOf/allOf/not (Gateway API addresses: a `type` enum
 * with an ip `format` on `value`): the value satisfies the schema when its checks find nothing, and the answer
 * is the first problem found. Such schemas only constrain; they declare no fields, so an undeclared field is
 * not a failure.
 */
function predicate(s: Schema): (v: any) => string | undefined {
  const node = compileNode(s, true);
  return v => {
    let first: string | undefined;
    node.check(v, undefined, (path, problem, got) => {
      if (first !== undefined) return;
      const keys: Array<string | number> = [];
      for (let p = path; p; p = p.up) keys.unshift(p.key);
      first = `${keys.length ? `${keys.join('.')}: ` : ''}${problem}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`;
    });
    return first;
  };
}

/** The fields named by `required` alternatives (StringMatch's exact/prefix/regex), or the formats of others. */
function alternativeFields(alts: Schema[]): string[] {
  return alts.flatMap(a => (a.required as string[] | undefined) ?? (typeof a.format === 'string' ? [`format ${a.format}`] : []));
}

function combinatorChecks(s: Schema, checks: Check[]) {
  if (s.oneOf) {
    const alts = (s.oneOf as Schema[]).map(predicate);
    const fields = alternativeFields(s.oneOf);
    checks.push((v, path, sink) => {
      const problems = alts.map(a => a(v));
      const n = problems.filter(p => p === undefined).length;
      if (n === 1) return;
      if (fields.length) {
        const set = fields.filter(f => v !== null && typeof v === 'object' && v[f] !== undefined);
        sink(path, 'must validate one and only one schema (oneOf)', set, `at most one of ${fields.join(', ')}`);
      } else {
        // Say why each alternative does not fit, or that several do.
        sink(path, 'must validate one and only one schema (oneOf)', scalar(v), n === 0 ? `no alternative fits: ${problems.join('; ')}` : `${n} alternatives fit`);
      }
    });
  }
  if (s.anyOf && !s['x-kubernetes-int-or-string']) {
    const alts = (s.anyOf as Schema[]).map(predicate);
    const fields = alternativeFields(s.anyOf);
    checks.push((v, path, sink) => {
      if (alts.every(a => a(v) !== undefined)) sink(path, 'must validate at least one schema (anyOf)', scalar(v), fields.length ? `at least one of ${fields.join(', ')}` : undefined);
    });
  }
  if (s.allOf) {
    for (const sub of s.allOf as Schema[]) combinatorChecks(sub, checks);
  }
  if (s.not) {
    const not = predicate(s.not);
    checks.push((v, path, sink) => {
      if (not(v) === undefined) sink(path, 'must not validate the schema (not)', scalar(v));
    });
  }
}

/** The type test of a node and the name messages give its type. */
function typeCheck(s: Schema): { typeOk: (v: any) => boolean; typeName: string } {
  const type: string | undefined = s.type;
  if (s['x-kubernetes-int-or-string']) {
    return { typeOk: v => typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)), typeName: 'integer or string' };
  }
  const typeName = type ?? '';
  switch (type) {
    case 'integer': return { typeOk: v => typeof v === 'number' && Number.isInteger(v), typeName };
    case 'number': return { typeOk: v => typeof v === 'number' && Number.isFinite(v), typeName };
    case 'string':
    case 'boolean': return { typeOk: v => typeof v === type, typeName };
    case 'array': return { typeOk: v => Array.isArray(v), typeName };
    case 'object': return { typeOk: v => v !== null && typeof v === 'object' && !Array.isArray(v), typeName };
    default: return { typeOk: () => true, typeName };
  }
}

/** minLength, maxLength, pattern, format and enum. */
function stringChecks(s: Schema, checks: Check[]) {
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
  // A value-validation schema (inside oneOf, ...) gives a format without a type; it applies to strings.
  if (typeof s.format === 'string' && FORMATS[s.format] && (s.type === 'string' || s.type === undefined)) {
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
}

/** minimum and maximum, exclusive or not. */
function numberChecks(s: Schema, checks: Check[]) {
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
}

/** minItems, maxItems, the items schema and list types; returns the compiled items node. */
function arrayChecks(s: Schema, checks: Check[], constraint: boolean): CompiledNode | undefined {
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
  let items: CompiledNode | undefined;
  if (s.items && typeof s.items === 'object') {
    const node = (items = compileNode(s.items, constraint));
    checks.push((v: unknown[], path, sink) => {
      for (let i = 0; i < v.length; i++) node.check(v[i], child(path, i), sink);
    });
  }
  listTypeCheck(s, checks);
  return items;
}

/**
 * `x-kubernetes-list-type: set` (no two equal items) and `map` (no two items with the same values of the
 * `x-kubernetes-list-map-keys`, e.g. two Gateway listeners of one name).
 */
function listTypeCheck(s: Schema, checks: Check[]) {
  const listType = s['x-kubernetes-list-type'];
  if (listType !== 'set' && listType !== 'map') return;
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

/** The compiled children of an object node: named properties and the schema of any other key. */
interface ObjectChildren {
  readonly props: Map<string, CompiledNode>;
  readonly extra: CompiledNode | undefined;
}

/** properties, additionalProperties, unknown fields, required, min/maxProperties. */
function objectChecks(s: Schema, checks: Check[], constraint: boolean): ObjectChildren {
  const props = new Map<string, CompiledNode>();
  for (const [name, sub] of Object.entries<Schema>(s.properties ?? {})) props.set(name, compileNode(sub, constraint));
  const known = [...props.keys()];
  const extra = s.additionalProperties && typeof s.additionalProperties === 'object' ? compileNode(s.additionalProperties, constraint) : undefined;
  const openEnded = constraint || !!s['x-kubernetes-preserve-unknown-fields'] || s.additionalProperties === true;
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
  return { props, extra };
}

/** The CEL value the API server binds to `self` for a value of this node. */
function celConverter(s: Schema, items: CompiledNode | undefined, object: ObjectChildren | undefined): (v: any) => unknown {
  const preserve = !!s['x-kubernetes-preserve-unknown-fields'];
  if (object) {
    const { props, extra } = object;
    return v => {
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
  }
  // Where the schema gives no type (int-or-string included) the value's own JSON type decides.
  if (preserve || !s.type) return anyToCel;
  if (items) return v => (Array.isArray(v) ? v.map(items.toCel) : v);
  if (s.type === 'integer') return v => (typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v);
  return v => v;
}

/**
 * Transition rules compare the object with its stored predecessor (`oldSelf`); on a create there is none, and the
 * API server does not evaluate them, so neither do we: an analysed manifest is always judged as a create.
 */
const TRANSITION = /\boldSelf\b/;

/** x-kubernetes-validations: compiled on first evaluation (see cel.ts); `self` is converted once per value. */
function celChecks(s: Schema, checks: Check[], toCel: (v: any) => unknown) {
  const validations: Array<{ rule: string; message?: string; messageExpression?: string }> =
    (s['x-kubernetes-validations'] ?? []).filter((r: { rule: string }) => !TRANSITION.test(r.rule));
  if (!validations.length) return;
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

/** A compiled node with its structural defaulting; `withDefaults` is absent where nothing below has a default. */
interface CompiledNode extends Omit<SchemaNode, 'withDefaults'> {
  readonly withDefaults?: (value: unknown) => unknown;
}

const copyOf = (v: unknown) => (v === null || typeof v !== 'object' ? v : JSON.parse(JSON.stringify(v)));

/**
 * Structural defaulting, as the API server applies it when it decodes an object (before any validation): a
 * property's `default` fills the property when it is absent from an object that is present, at any depth, in
 * list items and map values too. The input is never changed: a value with something defaulted is a copy.
 */
function defaulter(items: CompiledNode | undefined, object: ObjectChildren | undefined, s: Schema): ((v: unknown) => unknown) | undefined {
  if (items?.withDefaults) {
    const inner = items.withDefaults;
    return v => {
      if (!Array.isArray(v)) return v;
      let out: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const d = inner(v[i]);
        if (d !== v[i]) (out ??= [...v])[i] = d;
      }
      return out ?? v;
    };
  }
  if (!object) return undefined;
  const own: Array<[string, unknown]> = Object.entries<Schema>(s.properties ?? {})
    .filter(([, sub]) => sub.default !== undefined)
    .map(([k, sub]) => [k, sub.default]);
  const below = [...object.props].filter(([, n]) => n.withDefaults);
  const extra = object.extra?.withDefaults;
  if (!own.length && !below.length && !extra) return undefined;
  return v => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const value = v as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    for (const [k, d] of own) if (value[k] === undefined) (out ??= { ...value })[k] = copyOf(d);
    const current = () => out ?? value;
    for (const [k, n] of below) {
      const field = current()[k];
      if (field === undefined) continue;
      const d = n.withDefaults!(field);
      if (d !== field) (out ??= { ...value })[k] = d;
    }
    if (extra) {
      for (const k of Object.keys(value)) {
        if (object.props.has(k) || value[k] === undefined) continue;
        const d = extra(value[k]);
        if (d !== value[k]) (out ??= { ...value })[k] = d;
      }
    }
    return out ?? value;
  };
}

/** `constraint`: a value-validation schema of a combinator, which adds checks to a node but declares nothing. */
function compileNode(s: Schema, constraint = false): CompiledNode {
  const checks: Check[] = [];
  const { typeOk, typeName } = typeCheck(s);
  // A null passes a value-validation schema without a type: its node's own schema judges the null.
  const nullable = !!s.nullable || (constraint && !s.type);
  stringChecks(s, checks);
  numberChecks(s, checks);
  const items = arrayChecks(s, checks, constraint);
  // A value-validation schema may be only `required: [...]` (Istio's oneOf alternatives), with no type.
  const objectLike = s.properties || s.additionalProperties !== undefined || s.type === 'object' || (constraint && s.required);
  const object = objectLike ? objectChecks(s, checks, constraint) : undefined;
  combinatorChecks(s, checks);
  const toCel = celConverter(s, items, object);
  celChecks(s, checks, toCel);
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
    toCel: v => (v === null ? null : toCel(v)),
    withDefaults: defaulter(items, object, s),
  };
}

/**
 * Compile one schema node (and, eagerly, everything below it). `check` judges the value as given; call
 * `withDefaults` first to judge it as the API server stores it.
 */
export function compileSchema(s: Schema): SchemaNode {
  const node = compileNode(s);
  const withDefaults = node.withDefaults ?? (v => v);
  return { check: node.check, toCel: node.toCel, withDefaults };
}
