// WorkloadVersion: one version of an application that a pattern routes to. It is either a set of pods (a
// workload construct or a label set), which becomes a DestinationRule subset of the pattern's Service, or a
// Service of its own, for host-based splitting (Flagger-style `app-primary` / `app-canary` Services), or the
// pods of an Argo Rollouts Rollout, whose controller tells its stable and canary pods apart itself.
import { IConstruct } from 'constructs';
import { invalidValue } from '../core/errors';
import { apiObjectOf, resolvedJson } from '../core/kube';
import { checkLabels } from '../core/validate';

/** Options of `WorkloadVersion.fromWorkload`. */
export interface WorkloadVersionOptions {
  /**
   * The labels of the DestinationRule subset for this version.
   * @default - the workload's pod-template labels that the pattern's Service does not select on, without the
   * `cdk8s.io/` labels cdk8s-plus generates; if none are left, the workload's `spec.selector.matchLabels`
   */
  readonly subsetLabels?: { [key: string]: string };
}

/**
 * One version of an application that a traffic pattern routes to.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#Subset
 */
export class WorkloadVersion {
  /**
   * The pods of a workload: any construct whose default child is a Deployment, StatefulSet, ... ApiObject
   * with a pod template (cdk8s-plus workloads included). Its pod labels are read at synth, and synth fails
   * when they do not carry the pattern Service's selector.
   */
  public static fromWorkload(workload: IConstruct, options: WorkloadVersionOptions = {}): WorkloadVersion {
    if (options.subsetLabels) validLabels(options.subsetLabels, 'subsetLabels');
    apiObjectOf(workload);
    return new WorkloadVersion(workload, options.subsetLabels ? { ...options.subsetLabels } : undefined, undefined);
  }

  /**
   * Pods carrying these labels, defined elsewhere (another chart, Helm, a controller). The labels become the
   * subset's labels.
   */
  public static labels(labels: { [key: string]: string }): WorkloadVersion {
    validLabels(labels, 'labels');
    return new WorkloadVersion(undefined, { ...labels }, undefined);
  }

  /**
   * A Service of its own (host-based splitting): routes go to this Service's host instead of a subset.
   * Give both versions of a pattern this way, or neither; with `RoutingApi.GATEWAY_API` (no subsets) every
   * version is given this way. Patterns do not create these Services: their names, ports and owners are the
   * application's (Argo Rollouts and Flagger rewrite the selectors of Services they manage).
   */
  public static fromService(service: IConstruct): WorkloadVersion {
    apiObjectOf(service, 'Service');
    return new WorkloadVersion(undefined, undefined, service);
  }

  /**
   * The pods of an Argo Rollouts `Rollout` (any construct whose default child is the Rollout ApiObject, or
   * a Deployment a Rollout's `workloadRef` names), for a `CanaryRelease` whose `stable` and `canary` are both
   * this version: Argo's subset-level traffic splitting. Both subsets get the same labels, the pods' own,
   * because the controller tells the two ReplicaSets apart by adding `rollouts-pod-template-hash` to each
   * subset when it updates the Rollout.
   *
   * The controller then owns the weights of route `split` and the subsets' hash labels: write
   * `canaryWeight: 0` (its resting state) and have GitOps ignore those fields. The Rollout names what this
   * pattern writes: `trafficRouting.istio.virtualService` `{ name: release.virtualService.name, routes:
   * [release.splitRoute] }` and `destinationRule` `{ name: release.destinationRule.name, stableSubsetName:
   * 'stable', canarySubsetName: 'canary' }`.
   *
   * @see https://argoproj.github.io/argo-rollouts/features/traffic-management/istio/#subset-level-traffic-splitting
   */
  public static managedByArgoRollouts(rollout: IConstruct): WorkloadVersion {
    apiObjectOf(rollout);
    return new WorkloadVersion(rollout, undefined, undefined, true);
  }

  private constructor(
    private readonly workload: IConstruct | undefined,
    private readonly fixedLabels: { [key: string]: string } | undefined,
    private readonly service: IConstruct | undefined,
    private readonly argoRollouts = false,
  ) {}

  /** True for the pods of an Argo Rollouts Rollout, whose controller adds the labels that set versions apart. @internal */
  public get _argoRollouts(): boolean {
    return this.argoRollouts;
  }

  /** The Rollout (or workload) behind this version. @internal */
  public get _workload(): IConstruct | undefined {
    return this.workload;
  }

  /** The version's own Service, for host-based splitting. @internal */
  public get _service(): IConstruct | undefined {
    return this.service;
  }

  /** The construct path of the workload, for messages. @internal */
  public get _workloadPath(): string | undefined {
    return this.workload?.node.path;
  }

  /**
   * The labels of the version's pods, when known (a workload's pod template, or the label set itself).
   * Synth time only.
   * @internal
   */
  public _podLabels(): { [key: string]: string } | undefined {
    if (!this.workload) return this.fixedLabels;
    const json = resolvedJson(apiObjectOf(this.workload));
    return json?.spec?.template?.metadata?.labels ?? (json?.kind === 'Pod' ? json?.metadata?.labels : undefined);
  }

  /** True when the pod labels are the workload's own (so a mismatch is certain, not a guess). @internal */
  public get _hasPodTemplate(): boolean {
    return this.workload !== undefined;
  }

  /**
   * The subset labels, given the Service's selector. Synth time only.
   * @internal
   */
  public _subsetLabels(serviceSelector: { [key: string]: string }): { [key: string]: string } {
    if (this.fixedLabels) return { ...this.fixedLabels };
    const pod = this._podLabels() ?? {};
    if (this.argoRollouts) {
      // Every label of the pods: Argo adds the hash that makes each subset select one ReplicaSet.
      return Object.fromEntries(Object.entries(pod).filter(([k]) => !k.startsWith('cdk8s.io/')));
    }
    // The labels the Service selects on are shared by every version, so they cannot tell versions apart;
    // cdk8s-plus's generated address label would work but hides the intent in the YAML.
    const own = Object.fromEntries(Object.entries(pod).filter(([k]) => !(k in serviceSelector) && !k.startsWith('cdk8s.io/')));
    if (Object.keys(own).length > 0) return own;
    return { ...(resolvedJson(apiObjectOf(this.workload!))?.spec?.selector?.matchLabels ?? {}) };
  }
}

function validLabels(labels: { [key: string]: string }, field: string) {
  const bad = checkLabels(labels);
  if (bad) throw invalidValue({ kind: 'WorkloadVersion', field: `${field}.${bad[0]}`, problem: bad[1], got: labels[bad[0]] });
  if (Object.keys(labels).length === 0) {
    throw invalidValue({ kind: 'WorkloadVersion', field, problem: 'a version needs at least one label, or it would select every pod of the Service', got: labels });
  }
}
