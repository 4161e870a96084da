// One `App.synth()` / `App.synthYaml()` call as a unit of work. cdk8s validates the whole app again for every
// chart it renders in those calls, so an app of C charts runs every validation C + 1 times; with validations
// that cost O(objects) (the analysis) or one per construct, synth time grows with the square of the app.
// No user code runs between those validations (only validations and Lazy producers), so a validation's
// result can be remembered for the rest of the call. Outside such a call (Chart.toJson, Testing.synth)
// nothing is remembered, and every call starts afresh, so mutations between two synths are always seen.
//
// The validations run once per construct per pass, so the look-up is kept to one WeakMap read: the call in
// progress is a module-level id rather than something found from the construct's root. A validation only
// ever visits constructs of the app being synthesized, so one id serves even when a synth nests another
// app's synth (the outer id is restored when the inner call returns).
import { App } from 'cdk8s';
import { IConstruct } from 'constructs';

/** The synth call in progress (0: none) and its resolved JSON. */
let current = 0;
let currentJson: Map<IConstruct, unknown> | undefined;
let nextId = 1;
const inSynth = new WeakSet<IConstruct>();
const validations = new WeakMap<object, { readonly call: number; readonly errors: string[] }>();

function wrap(method: 'synth' | 'synthYaml') {
  const proto = App.prototype as any;
  const original = proto[method];
  if (typeof original !== 'function' || original.__istioOncePerSynth) return;
  const wrapped = function (this: App, ...args: unknown[]) {
    // A nested call on the same app belongs to the outer one.
    if (inSynth.has(this)) return original.apply(this, args);
    const [outer, outerJson] = [current, currentJson];
    current = nextId++;
    currentJson = new Map();
    inSynth.add(this);
    try {
      return original.apply(this, args);
    } finally {
      inSynth.delete(this);
      [current, currentJson] = [outer, outerJson];
    }
  };
  Object.defineProperty(wrapped, '__istioOncePerSynth', { value: true });
  proto[method] = wrapped;
}
wrap('synth');
wrap('synthYaml');

/**
 * Run the validation `key` once per synth call (every time outside one).
 * @internal
 */
export function oncePerSynthCall(key: object, validate: () => string[]): string[] {
  if (current === 0) return validate();
  const memo = validations.get(key);
  if (memo && memo.call === current) return memo.errors;
  const errors = validate();
  validations.set(key, { call: current, errors });
  return errors;
}

/**
 * Resolve `obj` once per synth call (every time outside one). The analysis resolves every object when the
 * app is validated and cdk8s resolves it again to render its chart; between the two only validations run,
 * so the second resolution would produce the same JSON. The same object is returned to both, and neither
 * modifies it (the analysis only reads, and cdk8s only serializes). The JSON is dropped when the call ends.
 * @internal
 */
export function resolvedOncePerSynthCall(obj: IConstruct, resolve: () => unknown): any {
  if (!currentJson) return resolve();
  if (currentJson.has(obj)) return currentJson.get(obj);
  const json = resolve();
  currentJson.set(obj, json);
  return json;
}
