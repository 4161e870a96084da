// Istio's sidecar.SelectorAnalyzer: a Sidecar selector that matches no workload (IST0101), two Sidecars on
// one workload (IST0110), several selector-less Sidecars in a namespace (IST0111), and Sidecars in ambient
// mode, where they do nothing (IST0167). Telemetry has the same shape (telemetry.ts reuses selectorConflicts).
import { elsewhereHint, MeshIndex, Workload, isAmbientNamespace, selectorString } from './mesh-index';
import { CrossRule, RunContext } from '../engine';
import { MessageType, Messages } from '../messages';
import { nonEmptyMap } from '../objects';

/**
 * Report policies whose selectors pick no workload (IST0101) or share one (`conflictCode`), and namespaces
 * with several selector-less ones (`defaultCode`). @internal
 */
export function selectorConflicts(
  ctx: RunContext, objects: readonly any[], selectorOf: (o: any) => Record<string, string> | undefined,
  codes: { conflict?: MessageType; missing?: MessageType; noun: string },
  onSelected?: (o: any, workloads: Workload[]) => void,
): void {
  const idx = MeshIndex.of(ctx);
  // workload -> policies selecting it, filled as each selector is resolved once through the label index.
  const byWorkload = new Map<Workload, any[]>();
  for (const o of objects) {
    const selector = selectorOf(o);
    if (!selector) continue;
    const ns = ctx.namespaceOf(o);
    const pods = idx.select(selector, ns).filter(w => !w.synthetic);
    onSelected?.(o, pods);
    if (pods.length === 0) {
      if (codes.missing && !idx.declaredNamespaces.has(ns) && idx.workloadsDescribed) {
        ctx.reporterFor(o)(codes.missing, {
          field: selectorField(o),
          args: ['selector', selectorString(selector)],
          problem: `the selector matches no workload (Pod or pod template) in namespace ${ns} in the analysed manifests`,
          got: selectorString(selector),
          fix: elsewhereHint(ctx),
        });
      }
      continue;
    }
    for (const w of pods) {
      let list = byWorkload.get(w);
      if (!list) byWorkload.set(w, (list = []));
      list.push(o);
    }
  }
  if (!codes.conflict) return;
  const reported = new Set<any>();
  for (const [w, list] of byWorkload) {
    if (list.length < 2) continue;
    const names = list.map(o => o.metadata?.name).join(', ');
    for (const o of list) {
      if (reported.has(o)) continue;
      reported.add(o);
      ctx.reporterFor(o)(codes.conflict, {
        field: selectorField(o),
        args: [list.map(x => x.metadata?.name), w.namespace, w.obj?.metadata?.name],
        problem: `the ${codes.noun}s ${names} all select workload ${w.namespace}/${w.obj?.metadata?.name}; which one applies is undefined`,
        fix: 'make the selectors disjoint',
      });
    }
  }
}

function selectorField(o: any): string {
  return o?.kind === 'Sidecar' ? 'spec.workloadSelector.labels' : 'spec.selector.matchLabels';
}

/** Report every selector-less object of a namespace when there are several. @internal */
export function multipleDefaults(ctx: RunContext, objects: readonly any[], isDefault: (o: any) => boolean, msg: MessageType, noun: string): void {
  const byNs = new Map<string, any[]>();
  for (const o of objects) {
    if (!isDefault(o)) continue;
    const ns = ctx.namespaceOf(o);
    let list = byNs.get(ns);
    if (!list) byNs.set(ns, (list = []));
    list.push(o);
  }
  for (const [ns, list] of byNs) {
    if (list.length < 2) continue;
    const names = list.map(o => o.metadata?.name).join(', ');
    for (const o of list) {
      ctx.reporterFor(o)(msg, {
        field: 'spec',
        args: [list.map(x => x.metadata?.name), ns],
        problem: `namespace ${ns} has several ${noun}s without a workload selector (${names}); which one applies is undefined`,
        fix: 'keep one namespace-wide resource and give the others selectors',
      });
    }
  }
}

const SIDECAR = 'networking.istio.io/Sidecar';

/** sidecar.SelectorAnalyzer. @internal */
export const sidecarSelectorAnalyzer: CrossRule = {
  name: 'sidecar.SelectorAnalyzer',
  check(ctx) {
    const sidecars = ctx.ofKind(SIDECAR);
    if (sidecars.length === 0) return;
    const idx = MeshIndex.of(ctx);
    const selectorOf = (s: any) => nonEmptyMap(s?.spec?.workloadSelector?.labels);
    selectorConflicts(ctx, sidecars, selectorOf, { conflict: Messages.ConflictingSidecarWorkloadSelectors, missing: Messages.ReferencedResourceNotFound, noun: 'Sidecar' }, (s, pods) => {
      const ambient = pods.find(p => p.ambient);
      if (ambient) {
        ctx.reporterFor(s)(Messages.IneffectivePolicy, { field: 'spec.workloadSelector', problem: `selects workload ${ambient.namespace}/${ambient.obj?.metadata?.name}, which runs in ambient mode, where a Sidecar has no effect` });
      }
    });
    for (const s of sidecars) {
      if (selectorOf(s)) continue;
      const ns = ctx.namespaceOf(s);
      if (isAmbientNamespace(idx.namespaces.get(ns))) {
        ctx.reporterFor(s)(Messages.IneffectivePolicy, { field: 'spec', problem: `namespace ${ns} runs in ambient mode (istio.io/dataplane-mode=ambient), where a Sidecar has no effect` });
      }
    }
    multipleDefaults(ctx, sidecars, s => !selectorOf(s), Messages.MultipleSidecarsWithoutWorkloadSelectors, 'Sidecar');
  },
};
