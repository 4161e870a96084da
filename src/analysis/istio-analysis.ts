// Analysis at synth: once per App, over every ApiObject of every chart (ours, cdk8s-plus, Include'd YAML).
// Errors become validation errors of the construct that owns the object, so cdk8s prints them with its path.
import { ApiObject, App } from 'cdk8s';
import { Construct, IConstruct, IValidation } from 'constructs';
import { Diagnostic, DiagnosticLevel } from './diagnostic';
import { ManifestEntry, runAnalysis } from './engine';
import { Messages, renderDiagnosticLine } from './messages';
import { AnalysisOptions, EngineOptions } from './options';
import { formatReport } from './report';
import { CROSS_RULES, OBJECT_RULES } from './rules';
import { schemaRule } from './schema';
import { IstioResource, resourceHooks } from '../core/resource';
import { oncePerSynthCall, useSinglePass } from '../core/synth-call';

const ID = 'IstioAnalysis';

/**
 * The Istio analysis of a cdk8s app: runs at synth over every object of every chart, fails synth on errors
 * and prints warnings. Configure it with `IstioAnalysis.of(app)`.
 *
 * @example
 * declare const app: App;
 * IstioAnalysis.of(app)
 *   .suppress('IST0134')
 *   .declareNamespaces('istio-system');
 * @see https://istio.io/latest/docs/reference/config/analysis/
 * @see https://istio.io/latest/docs/ops/diagnostic-tools/istioctl-analyze/
 */
export class IstioAnalysis extends Construct {
  /**
   * Analyze plain manifests (any Kubernetes objects; Istio ones are checked, others give context such as
   * Services, Namespaces and workloads).
   */
  public static analyze(manifests: { [key: string]: any }[], options: AnalysisOptions = {}): Diagnostic[] {
    return runAnalysis(manifests.map(object => ({ object })), options, schemaRule, OBJECT_RULES, CROSS_RULES);
  }

  /** The analysis of the app that `scope` belongs to (created on first use). */
  public static of(scope: IConstruct): IstioAnalysis {
    const app = scope.node.root;
    const existing = app.node.tryFindChild(ID);
    if (existing instanceof IstioAnalysis) return existing;
    return new IstioAnalysis(app as Construct);
  }

  private readonly suppressed = new Set<string>();
  private readonly namespaces = new Set<string>();
  private readonly hosts = new Set<string>();
  private failOnWarning = false;
  // A rule that can never match, or a namespace with two data-plane modes, is almost always a mistake in code
  // we generate, so synth treats Istio's warning as an error; `analyze` on plain YAML keeps Istio's level.
  private readonly failingCodes = new Set<string>([Messages.VirtualServiceUnreachableRule.code, Messages.NamespaceMultipleInjectionLabels.code]);
  private enabled = true;
  private completeInput = false;
  private meshConfigValue?: { [key: string]: any };
  private meshNetworksValue?: { [key: string]: any };
  private readonly otherClusters: { [clusterId: string]: { [key: string]: any }[] } = {};
  private lastRun: Diagnostic[] = [];
  private readonly ownerErrors = new Map<IConstruct, string[]>();
  private readonly hooked = new WeakSet<IConstruct>();
  private readonly resources: IstioResource[] = [];

  private constructor(app: Construct) {
    super(app, ID);
    // An app that uses our constructs is synthesized in one whole-app pass (see synth-call.ts).
    useSinglePass(app);
    // The root is validated first, so the run below is fresh when each owner's validation reads it.
    app.node.addValidation({ validate: () => oncePerSynthCall(this, () => this.run()) });
  }

  /** Never report these codes (e.g. `IST0134` when the mesh allocates ServiceEntry addresses). */
  public suppress(...codes: string[]): IstioAnalysis {
    codes.forEach(c => this.suppressed.add(c));
    return this;
  }

  /** Treat warnings as errors: synth fails on any warning. */
  public failOnWarnings(): IstioAnalysis {
    this.failOnWarning = true;
    return this;
  }

  /**
   * Fail synth on these codes even though Istio rates them as warnings or info. By default `IST0130`
   * (a VirtualService rule that can never match) and `IST0123` (a Namespace with several injection or
   * data-plane labels) fail synth.
   */
  public failOn(...codes: string[]): IstioAnalysis {
    codes.forEach(c => this.failingCodes.add(c));
    return this;
  }

  /** Report these codes at Istio's own level again (e.g. `doNotFailOn('IST0130')` to only warn). */
  public doNotFailOn(...codes: string[]): IstioAnalysis {
    codes.forEach(c => this.failingCodes.delete(c));
    return this;
  }

  /** Namespaces that exist in the cluster although this app does not define them. */
  public declareNamespaces(...namespaces: string[]): IstioAnalysis {
    namespaces.forEach(n => this.namespaces.add(n));
    return this;
  }

  /** Hosts and gateways (`ns/name`) that exist in the cluster although this app does not define them. */
  public declareHosts(...hosts: string[]): IstioAnalysis {
    hosts.forEach(h => this.hosts.add(h));
    return this;
  }

  /**
   * Treat the app's output as the whole cluster, as `istioctl analyze` treats its files: references to objects
   * the app does not define (a DestinationRule subset, a Gateway, a namespace, a credential Secret) are then
   * reported. Without it they are not guessed. `declareNamespaces`/`declareHosts` still name what exists elsewhere.
   * @see AnalysisOptions.complete
   */
  public complete(): IstioAnalysis {
    this.completeInput = true;
    return this;
  }

  /**
   * The mesh config of the target mesh (what the `mesh` key of the `istio` ConfigMap holds, as an object), for
   * the analyzers that depend on install-level settings.
   * @see https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/
   */
  public useMeshConfig(meshConfig: { [key: string]: any }): IstioAnalysis {
    this.meshConfigValue = meshConfig;
    return this;
  }

  /**
   * The mesh networks of a multi-network mesh (`networks: {...}`, the `meshNetworks` key of the `istio` ConfigMap).
   * @see https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/#MeshNetworks
   */
  public useMeshNetworks(meshNetworks: { [key: string]: any }): IstioAnalysis {
    this.meshNetworksValue = meshNetworks;
    return this;
  }

  /**
   * Another cluster of a multi-cluster mesh, by its cluster ID, with its manifests (e.g. read from its platform
   * repo's synth output). Synth then warns where a Service of this app differs from the same Service there
   * (IST0170: type, ports, headlessness); the app itself is the cluster `Kubernetes`. Findings about the other
   * cluster's own objects are left to its own pipeline: they are in `diagnostics` but do not fail or print here.
   * Call it again with the same ID to add manifests.
   * @see AnalysisOptions.clusters
   * @see https://istio.io/latest/docs/reference/config/analysis/ist0170/
   */
  public addCluster(clusterId: string, manifests: { [key: string]: any }[]): IstioAnalysis {
    (this.otherClusters[clusterId] ??= []).push(...manifests);
    return this;
  }

  /** Turn the analysis off for this app (construct-level checks still run). */
  public disable(): IstioAnalysis {
    this.enabled = false;
    return this;
  }

  /** The findings of the last synth. */
  public get diagnostics(): Diagnostic[] {
    return [...this.lastRun];
  }

  private options(): EngineOptions {
    return {
      suppress: [...this.suppressed],
      declaredNamespaces: [...this.namespaces],
      declaredHosts: [...this.hosts],
      complete: this.completeInput,
      meshConfig: this.meshConfigValue,
      meshNetworks: this.meshNetworksValue,
      clusters: this.otherClusters,
    };
  }

  /** @internal */
  public _register(resource: IstioResource): void {
    this.resources.push(resource);
  }

  private run(): string[] {
    this.ownerErrors.clear();
    // Construct-level checks first (they name what the user wrote), then Istio's rules on the output.
    for (const r of this.resources) {
      const errors = r._constructErrors();
      if (errors.length > 0) this.report(r, errors);
    }
    if (!this.enabled) {
      this.lastRun = [];
      return [];
    }
    const entries: ManifestEntry[] = [];
    const owners = new Map<string, IConstruct>();
    for (const c of this.node.root.node.findAll()) {
      if (!ApiObject.isApiObject(c)) continue;
      const object = c.toJson();
      const owner = ownerConstruct(c);
      // A construct's path is computed from its scopes on every read: once per object here.
      const constructPath = owner.node.path;
      owners.set(constructPath, owner);
      entries.push({ object, constructPath });
    }
    const diagnostics = runAnalysis(entries, this.options(), schemaRule, OBJECT_RULES, CROSS_RULES);
    this.lastRun = diagnostics;
    const printable: Diagnostic[] = [];
    for (const d of diagnostics) {
      if (d.cluster !== undefined) continue;
      const failing = d.level === DiagnosticLevel.ERROR
        || this.failingCodes.has(d.code)
        || (this.failOnWarning && d.level === DiagnosticLevel.WARNING);
      if (!failing) {
        if (d.level === DiagnosticLevel.WARNING) printable.push(d);
        continue;
      }
      const owner = d.constructPath !== undefined ? owners.get(d.constructPath) : undefined;
      if (owner) this.report(owner, [renderDiagnosticLine(d)]);
    }
    if (printable.length > 0 && process.env.CDK8S_ISTIO_QUIET !== '1') {
      process.stderr.write(formatReport(printable, { title: 'cdk8s-istio analysis warnings' }) + '\n');
    }
    return [];
  }

  /** Attach `errors` to `owner`, so that cdk8s prints them with its construct path. */
  private report(owner: IConstruct, errors: string[]) {
    if (!this.hooked.has(owner)) {
      this.hooked.add(owner);
      const validation: IValidation = { validate: () => this.ownerErrors.get(owner) ?? [] };
      owner.node.addValidation(validation);
    }
    this.ownerErrors.set(owner, [...(this.ownerErrors.get(owner) ?? []), ...errors]);
  }
}

/** The construct a user thinks of as the object: the cdk8s-plus or Istio construct whose default child it is. */
function ownerConstruct(obj: ApiObject): IConstruct {
  const scope = obj.node.scope;
  if (scope && scope.node.defaultChild === obj && !(scope instanceof App)) return scope;
  return obj;
}

// Every Istio construct joins the analysis of its app on creation.
resourceHooks.onCreate = (r: Construct) => {
  const analysis = IstioAnalysis.of(r);
  if (r instanceof IstioResource) analysis._register(r);
};
