// One `App.synth()` / `App.synthYaml()` call as a unit of work.
//
// cdk8s renders each chart with `App._synthChart(chart)`, which resolves the dependencies of the whole app and
// validates the whole app before rendering the chart; `synth()` and `synthYaml()` have already done both once
// before their chart loop. An app of C charts therefore pays C + 1 whole-app passes, and synth time grows
// with charts x constructs. Between the call's own passes and its chart renders no user code runs (only
// Lazy producers, which cannot add constructs cdk8s would see: the charts were already listed), so
// repeating the passes changes nothing but the time.
//
// Single pass: within a synth call of an app that uses our constructs, once the app's passes have run (the
// call reads `app.charts` right after them), each chart is rendered without repeating them, exactly as
// `_synthChart` would render it after its passes. That relies on cdk8s internals (`App._synthChart`, its
// module-private `chartToKube`, and the order of work in `synth`/`synthYaml`): their compiled text is compared
// with the cdk8s this was written for (see SUPPORTED_CDK8S) and, if any differs, synth stays stock and says so
// once. `CDK8S_ISTIO_SINGLE_PASS=0` turns it off. docs/cdk8s-single-pass.md proposes the same change to cdk8s.
//
// Validation memo: in the stock path (single pass off or unavailable) every chart revalidates the app, so a
// validation that costs O(app) (our analysis) remembers its result for the rest of the call. Outside a synth
// call (Chart.toJson, Testing.synth) nothing is remembered, so mutations between two synths are always seen.
// The call in progress is a module-level id rather than something found from the construct's root, to keep
// the look-up one WeakMap read; a nested synth of another app restores the outer id when it returns.
import { createHash } from 'crypto';
import * as fs from 'fs';
import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';

/** The cdk8s releases whose internals single-pass synth was checked against (the peer range). */
const SUPPORTED_CDK8S = '^2.70.0';

/**
 * The state of synth calls. It lives on the App class, so that two copies of this library loaded with one
 * cdk8s (two versions in one node_modules) share one set of wrappers and see the same calls.
 */
interface SynthCallState {
  /** The synth call in progress (0: none) and its resolved JSON. */
  current: number;
  currentJson: Map<IConstruct, unknown> | undefined;
  nextId: number;
  readonly inSynth: WeakSet<IConstruct>;
  readonly validations: WeakMap<object, { readonly call: number; readonly errors: string[] }>;
  /** Apps that use our constructs: only their synth is changed. */
  readonly singlePassApps: WeakSet<App>;
  /** Per app in a single-pass synth call: whether the app's dependency and validation passes have run. */
  readonly passes: WeakMap<App, { done: boolean }>;
  /** The stock methods, as cdk8s defined them (captured before anything is wrapped). */
  readonly stock: {
    readonly synth: (...a: unknown[]) => unknown;
    readonly synthYaml: (...a: unknown[]) => unknown;
    readonly synthChart: (chart: Chart) => any[];
    readonly charts: PropertyDescriptor | undefined;
  };
  /** Whether single pass is installed, and if not, why (printed once, on the first synth that wanted it). */
  installed: boolean;
  unavailable: string | undefined;
  noticed: boolean;
}

const proto = App.prototype as any;
const STATE = Symbol.for('cdk8s-istio/synth-call');
const S: SynthCallState = (App as any)[STATE] ?? createState();

function createState(): SynthCallState {
  const state: SynthCallState = {
    current: 0,
    currentJson: undefined,
    nextId: 1,
    inSynth: new WeakSet(),
    validations: new WeakMap(),
    singlePassApps: new WeakSet(),
    passes: new WeakMap(),
    stock: {
      synth: proto.synth,
      synthYaml: proto.synthYaml,
      synthChart: (App as any)._synthChart,
      charts: Object.getOwnPropertyDescriptor(App.prototype, 'charts'),
    },
    installed: false,
    unavailable: undefined,
    noticed: false,
  };
  Object.defineProperty(App, STATE, { value: state });
  wrapSynth(state, 'synth');
  wrapSynth(state, 'synthYaml');
  return state;
}

function wrapSynth(state: SynthCallState, method: 'synth' | 'synthYaml') {
  const original = state.stock[method];
  if (typeof original !== 'function') return;
  proto[method] = function (this: App, ...args: unknown[]) {
    // A nested call on the same app belongs to the outer one.
    if (state.inSynth.has(this)) return original.apply(this, args);
    const [outer, outerJson] = [state.current, state.currentJson];
    state.current = state.nextId++;
    state.currentJson = new Map();
    state.inSynth.add(this);
    const single = state.singlePassApps.has(this) && singlePassWanted();
    if (single) state.passes.set(this, { done: false });
    try {
      return original.apply(this, args);
    } finally {
      if (single) state.passes.delete(this);
      state.inSynth.delete(this);
      [state.current, state.currentJson] = [outer, outerJson];
    }
  };
}

function singlePassWanted(): boolean {
  if (process.env.CDK8S_ISTIO_SINGLE_PASS === '0') return false;
  if (S.installed) return true;
  if (!S.noticed) {
    S.noticed = true;
    process.stderr.write(`cdk8s-istio: ${S.unavailable}; synthesizing the stock way (every chart revalidates the whole app)\n`);
  }
  return false;
}

/** `_synthChart` when its app's passes already ran in this call: the chart's objects in dependency order. */
function singlePassSynthChart(this: unknown, chart: Chart): any[] {
  const state = S.passes.get(App.of(chart));
  if (!state) return S.stock.synthChart.call(this, chart);
  if (!state.done) {
    // The call's own passes did not run before this render (a cdk8s that renders charts differently):
    // render stock, which runs them, so the next charts of the call can skip them.
    const out = S.stock.synthChart.call(this, chart);
    state.done = true;
    return out;
  }
  return chartObjects(chart).map(obj => obj.toJson());
}

/** cdk8s's `chartToKube`, from its public DependencyGraph: an object renders only in its closest chart. */
function chartObjects(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node).topology()
    .filter((x): x is ApiObject => x instanceof ApiObject)
    .filter(x => Chart.of(x) === chart);
}

const normalize = (code: string) => code.replace(/\/\/[^\n]*/g, '').replace(/\s+/g, ' ').trim();

/**
 * The compiled text of the cdk8s internals single pass stands in for (cdk8s 2.70.106), whitespace and comments
 * aside. `synth()` is long, so it is compared by hash; it must validate, resolve dependencies and read
 * `this.charts` before rendering any chart, which is what marks the passes done.
 */
const EXPECTED = {
  synthChart: '_synthChart(chart) { const app = App.of(chart); const cache = new SynthRequestCache(); resolveDependencies(app, cache); validate(app, cache); return chartToKube(chart).map(obj => obj.toJson()); }',
  chartToKube: 'function chartToKube(chart) { return new dependency_1.DependencyGraph(chart.node).topology() .filter(x => x instanceof api_object_1.ApiObject) .filter(x => chart_1.Chart.of(x) === chart) .map(x => x); }',
  chartToJson: 'toJson() { return app_1.App._synthChart(this); }',
  charts: 'get charts() { const isChart = (x) => x instanceof chart_1.Chart; return new dependency_1.DependencyGraph(this.node) .topology() .filter(isChart); }',
  synthYaml: 'synthYaml() { const cache = new SynthRequestCache(); resolveDependencies(this, cache); validate(this, cache); const charts = this.charts; const docs = []; for (const chart of charts) { docs.push(...Object.values(chart.toJson())); } return yaml_1.Yaml.stringify(...docs); }',
  synthSha256: 'fc72e5d90eb4221c',
};

/** The internals single pass relies on, as the running cdk8s has them. */
interface Cdk8sInternals {
  readonly version: string;
  readonly synthChart: unknown;
  readonly chartToKube: string | undefined;
  readonly chartToJson: unknown;
  readonly charts: unknown;
  readonly synthYaml: unknown;
  readonly synth: unknown;
}

/** The running cdk8s's internals. @internal */
export function currentInternals(): Cdk8sInternals {
  let chartToKube: string | undefined;
  try {
    const source = fs.readFileSync(require.resolve('cdk8s/lib/app.js'), 'utf8');
    chartToKube = /\nfunction chartToKube\([^]*?\n}\n/.exec(source)?.[0];
  } catch {
    chartToKube = undefined;
  }
  return {
    version: (App as any)[Symbol.for('jsii.rtti')]?.version ?? 'unknown',
    synthChart: S.stock.synthChart,
    chartToKube,
    chartToJson: Chart.prototype.toJson,
    charts: S.stock.charts?.get,
    synthYaml: S.stock.synthYaml,
    synth: S.stock.synth,
  };
}

/**
 * Why single pass cannot stand in for these internals, or undefined when it can.
 * @internal
 */
export function singlePassIncompatibility(cdk8s: Cdk8sInternals): string | undefined {
  const [major, minor] = cdk8s.version.split('.').map(Number);
  const prefix = `cdk8s ${cdk8s.version} (single-pass synth supports ${SUPPORTED_CDK8S})`;
  if (major !== 2 || !(minor >= 70)) return `${prefix} is outside the supported range`;
  const text = (f: unknown) => (typeof f === 'function' ? normalize(f.toString()) : undefined);
  const changed: string[] = [];
  if (text(cdk8s.synthChart) !== EXPECTED.synthChart) changed.push('App._synthChart');
  if (cdk8s.chartToKube === undefined || normalize(cdk8s.chartToKube) !== EXPECTED.chartToKube) changed.push('chartToKube');
  if (text(cdk8s.chartToJson) !== EXPECTED.chartToJson) changed.push('Chart.toJson');
  if (text(cdk8s.charts) !== EXPECTED.charts) changed.push('App.charts');
  if (text(cdk8s.synthYaml) !== EXPECTED.synthYaml) changed.push('App.synthYaml');
  const synth = text(cdk8s.synth);
  if (synth === undefined || createHash('sha256').update(synth).digest('hex').slice(0, 16) !== EXPECTED.synthSha256) changed.push('App.synth');
  return changed.length > 0 ? `${prefix} has a different ${changed.join(', ')}` : undefined;
}

/**
 * Install single pass if the running cdk8s has the internals it was written for (else stay stock, and say so
 * on the first synth that wanted it). Returns whether it is installed.
 * @internal
 */
export function installSinglePass(cdk8s: Cdk8sInternals = currentInternals()): boolean {
  uninstallSinglePass();
  S.unavailable = singlePassIncompatibility(cdk8s);
  S.noticed = false;
  if (S.unavailable !== undefined || !S.stock.charts?.get) return false;
  const chartsGetter = S.stock.charts.get;
  (App as any)._synthChart = singlePassSynthChart;
  Object.defineProperty(App.prototype, 'charts', {
    ...S.stock.charts,
    get(this: App) {
      // synth() and synthYaml() list the charts right after their own passes.
      const state = S.passes.get(this);
      if (state) state.done = true;
      return chartsGetter.call(this);
    },
  });
  S.installed = true;
  return true;
}

/** Back to stock cdk8s rendering (the validation memo stays). */
function uninstallSinglePass(): void {
  (App as any)._synthChart = S.stock.synthChart;
  if (S.stock.charts) Object.defineProperty(App.prototype, 'charts', S.stock.charts);
  S.installed = false;
}

/**
 * Synthesize `app` in a single pass from now on (our constructs call this for their app).
 * @internal
 */
export function useSinglePass(app: IConstruct): void {
  if (app instanceof App) S.singlePassApps.add(app);
}

if (!S.installed && S.unavailable === undefined) installSinglePass();

/**
 * Run the validation `key` once per synth call (every time outside one).
 * @internal
 */
export function oncePerSynthCall(key: object, validate: () => string[]): string[] {
  if (S.current === 0) return validate();
  const memo = S.validations.get(key);
  if (memo && memo.call === S.current) return memo.errors;
  const errors = validate();
  S.validations.set(key, { call: S.current, errors });
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
  const json = S.currentJson;
  if (!json) return resolve();
  if (json.has(obj)) return json.get(obj);
  const resolved = resolve();
  json.set(obj, resolved);
  return resolved;
}
