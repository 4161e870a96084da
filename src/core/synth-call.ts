// One `App.synth()` / `App.synthYaml()` call as a unit of work. cdk8s validates the whole app again for every
// chart it renders in those calls, so an app of C charts runs every validation C + 1 times; with validations
// that cost O(objects) (the analysis) or one per construct, synth time grows with the square of the app.
// No user code runs between those validations (only validations and Lazy producers), so a validation's
// result can be remembered for the rest of the call. Outside such a call (Chart.toJson, Testing.synth)
// nothing is remembered, and every call starts afresh, so mutations between two synths are always seen.
import { App } from 'cdk8s';
import { IConstruct } from 'constructs';

interface SynthCall {
  /** Validation results, by validation key. */
  readonly validations: Map<object, string[]>;
  /** Resolved JSON of ApiObjects, by object. */
  readonly json: Map<IConstruct, unknown>;
}

const calls = new WeakMap<IConstruct, SynthCall>();

function wrap(method: 'synth' | 'synthYaml') {
  const proto = App.prototype as any;
  const original = proto[method];
  if (typeof original !== 'function' || original.__istioOncePerSynth) return;
  const wrapped = function (this: App, ...args: unknown[]) {
    // A nested call belongs to the outer one.
    if (calls.has(this)) return original.apply(this, args);
    calls.set(this, { validations: new Map(), json: new Map() });
    try {
      return original.apply(this, args);
    } finally {
      calls.delete(this);
    }
  };
  Object.defineProperty(wrapped, '__istioOncePerSynth', { value: true });
  proto[method] = wrapped;
}
wrap('synth');
wrap('synthYaml');

/**
 * Run the validation `key` of construct `scope` once per synth call of its app (every time outside one).
 * @internal
 */
export function oncePerSynthCall(scope: IConstruct, key: object, validate: () => string[]): string[] {
  const call = calls.get(scope.node.root);
  if (!call) return validate();
  let errors = call.validations.get(key);
  if (!errors) call.validations.set(key, (errors = validate()));
  return errors;
}

/**
 * Resolve `obj` once per synth call of its app (every time outside one). The analysis resolves every object
 * when the app is validated and cdk8s resolves it again to render its chart; between the two only
 * validations run, so the second resolution would produce the same JSON. The same object is returned to
 * both, and neither modifies it (the analysis only reads, and cdk8s only serializes).
 * @internal
 */
export function resolvedOncePerSynthCall(obj: IConstruct, resolve: () => unknown): any {
  const call = calls.get(obj.node.root);
  if (!call) return resolve();
  if (call.json.has(obj)) return call.json.get(obj);
  const json = resolve();
  call.json.set(obj, json);
  return json;
}
