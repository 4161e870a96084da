// Which workloads a policy applies to. Made from a workload construct, the labels cannot drift from the pods.
import { IConstruct } from 'constructs';
import { invalidValue } from './errors';
import { apiObjectOf, resolvedJson } from './kube';
import { checkLabels } from './validate';

/**
 * Selects workloads (pods) by their labels. Omit it to apply a resource to a whole namespace.
 *
 * @see https://istio.io/latest/docs/reference/config/type/workload-selector/#WorkloadSelector
 */
export class WorkloadSelector {
  /** Workloads whose pods carry all of these labels. */
  public static labels(labels: { [key: string]: string }): WorkloadSelector {
    const bad = checkLabels(labels);
    if (bad) throw invalidValue({ kind: 'WorkloadSelector', field: `labels.${bad[0]}`, problem: bad[1], got: labels[bad[0]] });
    if (Object.keys(labels).length === 0) {
      throw invalidValue({ kind: 'WorkloadSelector', problem: 'a selector needs at least one label; omit the selector to select the whole namespace', got: labels });
    }
    const copy = { ...labels };
    return new WorkloadSelector(() => copy);
  }

  /**
   * The pods of a workload: any construct whose default child is a Deployment, StatefulSet, DaemonSet, ...
   * ApiObject with `spec.selector.matchLabels` (cdk8s-plus workloads included). Read at synth time.
   */
  public static fromWorkload(workload: IConstruct): WorkloadSelector {
    const obj = apiObjectOf(workload);
    return new WorkloadSelector(() => {
      const json = resolvedJson(obj);
      const labels = json?.spec?.selector?.matchLabels ?? (json?.kind === 'Pod' ? json?.metadata?.labels : undefined);
      if (!labels || Object.keys(labels).length === 0) {
        throw new Error(`[${workload.node.path}] WorkloadSelector.fromWorkload: ${json?.kind ?? 'object'} has no spec.selector.matchLabels to select its pods by`);
      }
      return { ...labels };
    });
  }

  private constructor(private readonly produce: () => { [key: string]: string }) {}

  /** The labels, resolved (call at synth time for workload-based selectors). */
  public get matchLabels(): { [key: string]: string } {
    return this.produce();
  }
}
