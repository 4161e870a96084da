// Minimal, deterministic output: no undefined, no empty lists or objects. `weight: 0` and `false` are kept
// because they are meaningful (controllers and GitOps diffs rely on an explicit zero weight).
import { ApiObject, App, ImplicitTokenResolver, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';

/**
 * Copy `value` without undefined fields, empty arrays and empty objects (recursively).
 * @internal
 */
export function compact<T>(value: T): T {
  return prune(value) as T;
}

// Plain loops: constructs compact nested parts and then the whole spec, so this runs several times per object.
function prune(value: any): any {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out: any[] = [];
    for (let i = 0; i < value.length; i++) {
      const p = prune(value[i]);
      if (p !== undefined) out.push(p);
    }
    return out.length === 0 ? undefined : out;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, any> = {};
  let any = false;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const p = prune(value[keys[i]]);
    if (p !== undefined) {
      out[keys[i]] = p;
      any = true;
    }
  }
  return any ? out : undefined;
}

/** A value the default resolvers would change or cdk8s could not render: the object renders the stock way. */
const NOT_PLAIN = Symbol('not plain');

/**
 * What cdk8s's `resolve` and `sanitizeValue` make of `value` when it holds only plain data (no Lazy, no token,
 * no class instance): the same data with keys sorted and null/undefined fields dropped, in one walk.
 * Throws NOT_PLAIN otherwise.
 */
function plainSorted(value: any): any {
  if (value === null || value === undefined) return undefined;
  const type = typeof value;
  if (type !== 'object') {
    if (type === 'function') throw NOT_PLAIN;
    return value;
  }
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = plainSorted(value[i]);
    return out;
  }
  if (value.constructor !== Object || typeof value.resolve === 'function') throw NOT_PLAIN;
  const out: Record<string, any> = {};
  for (const k of Object.keys(value).sort()) {
    const v = plainSorted(value[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

const DEFAULT_RESOLVERS = [LazyResolver, ImplicitTokenResolver, NumberStringUnionResolver];

/**
 * The JSON of a generated L1 object (`apiVersion`, `kind`, `metadata`, `spec`) rendered straight from its
 * spec, or undefined where that might differ from cdk8s's own `toJson()` (then the caller renders it the stock
 * way). cdk8s resolves the object's props with the app's resolvers, sanitizes the result (sorted keys, no
 * nulls), applies the JSON patches, and the binding maps it to the CRD's field names; with only the default
 * resolvers, no patches and a spec of plain data, resolving copies the data unchanged, so one walk that sorts
 * and drops nulls, then the binding's mapping, gives the same JSON without resolving every value.
 * @internal
 */
export function renderFromSpec(obj: ApiObject, gvk: { apiVersion: string; kind: string }, spec: unknown,
  toJsonProps: (props: any) => any): any {
  // CDK8S_ISTIO_SINGLE_PASS=0 is the switch back to stock cdk8s, for rendering as for synth (synth-call.ts).
  if (process.env.CDK8S_DISABLE_SORT || process.env.CDK8S_ISTIO_SINGLE_PASS === '0') return undefined;
  const resolvers = App.of(obj).resolvers;
  if (resolvers.length !== DEFAULT_RESOLVERS.length || resolvers.some((r, i) => r.constructor !== DEFAULT_RESOLVERS[i])) return undefined;
  try {
    const metadata = plainSorted(obj.metadata.toJson());
    const specJson = plainSorted(spec instanceof Lazy ? spec.produce() : spec);
    return { apiVersion: gvk.apiVersion, kind: gvk.kind, ...toJsonProps({ metadata, spec: specJson }) };
  } catch {
    // Not plain data, or a producer that throws: the stock render says so with cdk8s's own message.
    return undefined;
  }
}
