// The analysis engine: one pass over plain manifests. Per-object rules (schema + CEL of the pinned CRDs, then
// the istiod webhook rules) and cross-resource analyzers all report through the same Reporter, so the
// command line, the cdk8s plugin and synth print the same findings.
import { Diagnostic, DiagnosticLevel } from './diagnostic';
import { MessageType, documentationUrl, formatMessage } from './messages';
import { AnalysisOptions, EngineOptions } from './options';
import { formatProblem, joinPath } from '../core/errors';

export type { AnalysisOptions };

/** A manifest plus where it came from. @internal */
export interface ManifestEntry {
  readonly object: any;
  readonly constructPath?: string;
  readonly source?: string;
  /** The 1-based line in `source` where the object starts. */
  readonly line?: number;
  /** The cluster the object belongs to. Default: the input's own cluster, `PRIMARY_CLUSTER`. */
  readonly cluster?: string;
}

/**
 * The ID of the cluster the input describes, when the analysis is given other clusters too: Istio's default
 * cluster ID (istiod's `CLUSTER_ID`), which a single-cluster install has. @internal
 */
export const PRIMARY_CLUSTER = 'Kubernetes';

/**
 * One finding about one object, as a rule reports it. The code, level and template come from the message.
 * @internal
 */
export interface Finding {
  /** The field path below the object, e.g. `spec.servers[0]`; omitted for the whole object. */
  readonly field?: string;
  /**
   * The arguments of the message's template, in order.
   * Default: for a message with one free-text argument (`Schema validation error: %v`), the detail.
   */
  readonly args?: readonly unknown[];
  /** What is wrong, in words. */
  readonly problem: string;
  /** The offending value; `NO_VALUE` when the field is missing. Omitted: no value is shown. */
  readonly got?: unknown;
  /** What to do about it (what would be accepted instead). */
  readonly fix?: string;
  /** The 1-based source line of the field, where the rule knows it better than the object's. */
  readonly line?: number;
}

/**
 * Reports findings about one object: `report(Messages.SchemaValidationError, { field, problem, got, fix })`.
 * @internal
 */
export type Reporter = (msg: MessageType, finding: Finding) => void;

/** A check of one object of the given kinds (`group/Kind`, e.g. `networking.istio.io/Gateway`; `*`: every object). @internal */
export interface ObjectRule {
  readonly kinds: string[];
  /**
   * An error from this rule means the API server cannot decode the object (a field of the wrong type), so no
   * rule after it runs on the object: not the schema, not istiod's webhook rules, which trust the types.
   * The schema rule always counts as one.
   */
  readonly decodes?: boolean;
  check(obj: any, report: Reporter, ctx: RunContext): void;
}

/** A check across the objects of one cluster. @internal */
export interface CrossRule {
  readonly name: string;
  check(ctx: RunContext): void;
}

/** A check across clusters (each as its own RunContext, the input's own cluster first). @internal */
export interface MeshRule {
  readonly name: string;
  checkMesh(clusters: readonly RunContext[]): void;
}

/** What rules see of a run: the objects of one cluster. @internal */
export interface RunContext {
  readonly options: EngineOptions;
  /** The cluster's ID (`PRIMARY_CLUSTER` for the input's own). */
  readonly cluster: string;
  /** Every object of the cluster, in input order. */
  readonly objects: readonly any[];
  /** The objects of one `group/Kind`. */
  ofKind(groupKind: string): readonly any[];
  /** The namespace of an object, with the default applied. */
  namespaceOf(obj: any): string;
  /** A reporter for an object. */
  reporterFor(obj: any): Reporter;
}

/** The group of an apiVersion (`networking.istio.io/v1` -> `networking.istio.io`; `v1` -> ``). @internal */
export function groupOf(apiVersion: string | undefined): string {
  if (typeof apiVersion !== 'string') return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** `group/Kind` of an object; core objects are `/Kind`. @internal */
export function groupKindOf(obj: any): string {
  return `${groupOf(obj?.apiVersion)}/${obj?.kind}`;
}

/** The API groups whose objects istiod validates. */
const ISTIO_GROUPS = new Set(['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io']);

/** Istio's per-object suppression annotation: a comma-separated list of codes, or `*`. @internal */
export const SUPPRESS_ANNOTATION = 'galley.istio.io/analyze-suppress';

/**
 * Run `objectRules` and `crossRules` over `entries`, each cluster of them (and of `options.clusters`) on its own,
 * then the mesh rules of `crossRules` across the clusters.
 * @internal
 */
export function runAnalysis(
  entries: readonly ManifestEntry[],
  options: EngineOptions,
  schemaRule: ObjectRule,
  objectRules: readonly ObjectRule[],
  crossRules: readonly (CrossRule | MeshRule)[],
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const reporterFor = reporters(options, diagnostics);
  const clusters: RunContext[] = [];
  for (const [cluster, members] of byCluster(entries, options)) {
    const ctx = clusterContext(cluster, members, options, reporterFor);
    runObjectRules(ctx.objects, ctx, schemaRule, objectRules, diagnostics);
    // Cross-resource analyzers see what `istioctl analyze` sees: every object of the input, those with schema
    // errors included (each analyzer reads only the fields it needs and skips ill-typed ones), except that of
    // several definitions of one resource (a directory of alternative files) the last one applied wins.
    const stored = storedView(ctx);
    for (const rule of crossRules) if (!isMeshRule(rule)) rule.check(stored);
    clusters.push(stored);
  }
  for (const rule of crossRules) if (isMeshRule(rule)) rule.checkMesh(clusters);
  return diagnostics;
}

function isMeshRule(rule: CrossRule | MeshRule): rule is MeshRule {
  return 'checkMesh' in rule;
}

/** The entries of each cluster, in input order: the input's own cluster first, then `options.clusters` in order. */
function byCluster(entries: readonly ManifestEntry[], options: EngineOptions): Map<string, ManifestEntry[]> {
  // The input's own cluster is always analysed, even empty: mesh-level findings (meshNetworks) belong to it.
  const groups = new Map<string, ManifestEntry[]>([[PRIMARY_CLUSTER, []]]);
  const add = (e: ManifestEntry, cluster: string) => {
    if (!e.object || typeof e.object !== 'object') return;
    let list = groups.get(cluster);
    if (!list) groups.set(cluster, (list = []));
    list.push(e);
  };
  for (const e of entries) add(e, e.cluster ?? PRIMARY_CLUSTER);
  for (const [cluster, objects] of Object.entries(options.clusters ?? {})) {
    for (const object of objects ?? []) add({ object, cluster }, cluster);
  }
  return groups;
}

/**
 * One reporter per object, shared by every rule: drops the codes the options or the object's
 * `galley.istio.io/analyze-suppress` annotation suppress, and records the rest as diagnostics.
 */
function reporters(options: EngineOptions, diagnostics: Diagnostic[]): (obj: any, entry: ManifestEntry | undefined) => Reporter {
  const suppressed = new Set(options.suppress ?? []);
  const made = new Map<any, Reporter>();
  return (obj, entry) => {
    let r = made.get(obj);
    if (r) return r;
    const annotation: string | undefined = obj?.metadata?.annotations?.[SUPPRESS_ANNOTATION];
    const objSuppressed = new Set((annotation ?? '').split(',').map(s => s.trim()).filter(Boolean));
    r = (msg: MessageType, finding: Finding) => {
      const code = msg.code;
      if (suppressed.has(code) || objSuppressed.has(code) || objSuppressed.has('*')) return;
      diagnostics.push(diagnosticOf(obj, entry, msg, finding));
    };
    made.set(obj, r);
    return r;
  };
}

function clusterContext(
  cluster: string, entries: readonly ManifestEntry[], options: EngineOptions,
  reporterFor: (obj: any, entry: ManifestEntry | undefined) => Reporter,
): RunContext {
  const origin = new Map<any, ManifestEntry>();
  for (const e of entries) origin.set(e.object, e);
  const objects = entries.map(e => e.object);
  const byKind = indexByKind(objects);
  const defaultNamespace = options.defaultNamespace ?? 'default';
  return {
    options,
    cluster,
    objects,
    ofKind: gk => byKind.get(gk) ?? [],
    namespaceOf: obj => obj?.metadata?.namespace ?? defaultNamespace,
    reporterFor: obj => reporterFor(obj, origin.get(obj)),
  };
}

/** The objects of each `group/Kind`, in input order. @internal */
export function indexByKind(objects: readonly any[]): Map<string, any[]> {
  const byKind = new Map<string, any[]>();
  for (const o of objects) {
    const gk = groupKindOf(o);
    let list = byKind.get(gk);
    if (!list) byKind.set(gk, (list = []));
    list.push(o);
  }
  return byKind;
}

/**
 * The schema check of every object of a CRD group, then the webhook rules of its kind. Webhook rules only see objects
 * that passed the schema check (the API server rejects the others first), so they may trust field types.
 */
function runObjectRules(
  objects: readonly any[], ctx: RunContext, schemaRule: ObjectRule, objectRules: readonly ObjectRule[], diagnostics: Diagnostic[],
): void {
  const rulesByKind = new Map<string, ObjectRule[]>();
  for (const rule of objectRules) {
    for (const k of rule.kinds) {
      let list = rulesByKind.get(k);
      if (!list) rulesByKind.set(k, (list = []));
      list.push(rule);
    }
  }

  // Rules of kind `*` are the API server's own checks of every object: they run before the schema, whose
  // failure does not hide them. Those that decode run first: an object they refuse goes no further.
  const everyKind = [...(rulesByKind.get('*') ?? [])].sort((a, b) => Number(!!b.decodes) - Number(!!a.decodes));
  // The schema rule judges every object of Istio's groups and of any other group it has CRDs for (the Gateway API's).
  const schemaGroups = new Set([...ISTIO_GROUPS, ...schemaRule.kinds.map(gk => groupOf(gk))]);
  const refuses = (rule: ObjectRule, obj: any, report: Reporter): boolean => {
    const before = diagnostics.length;
    rule.check(obj, report, ctx);
    return diagnostics.slice(before).some(d => d.level === DiagnosticLevel.ERROR) || refusesSuppressed(obj, rule, ctx);
  };
  next: for (const obj of objects) {
    const report = ctx.reporterFor(obj);
    for (const rule of everyKind) {
      if (!rule.decodes) rule.check(obj, report, ctx);
      else if (refuses(rule, obj, report)) continue next;
    }
    if (schemaGroups.has(groupOf(obj.apiVersion)) && refuses(schemaRule, obj, report)) continue;
    for (const rule of rulesByKind.get(groupKindOf(obj)) ?? []) rule.check(obj, report, ctx);
  }
}

/** The diagnostic for one finding about `obj`. */
function diagnosticOf(obj: any, entry: ManifestEntry | undefined, msg: MessageType, finding: Finding): Diagnostic {
  const field = finding.field ?? '';
  const detail = formatProblem({ kind: String(obj?.kind ?? 'object'), field, problem: finding.problem, got: finding.got });
  return {
    code: msg.code,
    level: msg.level,
    message: formatMessage(msg, finding.args, detail),
    detail,
    fix: finding.fix || undefined,
    apiVersion: String(obj?.apiVersion ?? ''),
    kind: String(obj?.kind ?? ''),
    name: String(obj?.metadata?.name ?? ''),
    namespace: obj?.metadata?.namespace,
    field: field || undefined,
    constructPath: entry?.constructPath,
    source: entry?.source,
    cluster: entry?.cluster === PRIMARY_CLUSTER ? undefined : entry?.cluster,
    line: finding.line ?? entry?.line,
    documentationUrl: documentationUrl(msg.code),
  };
}

function supersededDefinitions(ctx: RunContext): Set<any> {
  const last = new Map<string, any>();
  const superseded = new Set<any>();
  for (const o of ctx.objects) {
    const name = o?.metadata?.name;
    if (typeof name !== 'string') continue;
    const key = `${groupKindOf(o)}|${ctx.namespaceOf(o)}|${name}`;
    const previous = last.get(key);
    if (previous) superseded.add(previous);
    last.set(key, o);
  }
  return superseded;
}

/** The cluster as its API server would store it: the last definition of each resource. */
function storedView(ctx: RunContext): RunContext {
  const superseded = supersededDefinitions(ctx);
  if (superseded.size === 0) return ctx;
  const kept = ctx.objects.filter(o => !superseded.has(o));
  const byKind = indexByKind(kept);
  return { ...ctx, objects: kept, ofKind: gk => byKind.get(gk) ?? [] };
}

/** A decoding or schema error that the user suppressed must still keep the rules after it from an ill-typed object. */
function refusesSuppressed(obj: any, rule: ObjectRule, ctx: RunContext): boolean {
  const annotation = obj?.metadata?.annotations?.[SUPPRESS_ANNOTATION];
  if (!annotation && !(ctx.options.suppress ?? []).length) return false;
  let failed = false;
  const silent: Reporter = msg => { if (msg.level === DiagnosticLevel.ERROR) failed = true; };
  rule.check(obj, silent, ctx);
  return failed;
}

export { joinPath };
