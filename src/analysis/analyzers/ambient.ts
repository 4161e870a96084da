// Ambient mode: what ztunnel and waypoints cannot do with configuration written for sidecars. Istio's analysis
// has no analyzer for these (its one ambient check, a Sidecar in ambient mode, is IST0167 in sidecar.ts), so
// the codes are ours (CDK8SISTIO04xx):
// - an AuthorizationPolicy that ztunnel enforces (bound by selector, or namespace-wide) with L7 attributes or a
//   CUSTOM/AUDIT action: ztunnel fails safe (an ALLOW rule matches nothing, a DENY rule matches more);
// - a RequestAuthentication that ztunnel would have to enforce: ztunnel validates no tokens;
// - `istio.io/use-waypoint` naming a waypoint the input lacks (complete input only), or one whose
//   `istio.io/waypoint-for` excludes the labelled resource's traffic, or one in another namespace whose HBONE
//   listener does not admit the labelled resource's namespace (`allowedRoutes`);
// - an EnvoyFilter that applies to ambient workloads, which have no Envoy to patch.
// Policies in the root namespace apply mesh-wide, to sidecar and ambient workloads alike: not judged here.
import { MeshIndex, isAmbientNamespace, labelSelectorMatches, matchLabelsOf, selectorString } from './mesh-index';
import { l7AttributesOfRule } from '../../core/ztunnel';
import { CrossRule, RunContext } from '../engine';
import { Messages } from '../messages';
import { mapOf } from '../objects';

const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
const USE_WAYPOINT = 'istio.io/use-waypoint';
const USE_WAYPOINT_NAMESPACE = 'istio.io/use-waypoint-namespace';
const WAYPOINT_FOR = 'istio.io/waypoint-for';
const WAYPOINT_CLASS = 'istio-waypoint';
const GATEWAY_API = 'gateway.networking.k8s.io';

const hasTargetRefs = (o: any) => Boolean(o?.spec?.targetRef) || (Array.isArray(o?.spec?.targetRefs) && o.spec.targetRefs.length > 0);

/**
 * Why ztunnel enforces a policy of namespace `ns` with `selector` (undefined: namespace-wide), or undefined
 * when it does not: the workloads in scope are not ambient, or the selector picks gateway pods (IST0166's).
 */
function ztunnelScope(idx: MeshIndex, ns: string, selector: Record<string, string> | undefined): string | undefined {
  if (ns === idx.rootNamespace) return undefined;
  const ambientNs = isAmbientNamespace(idx.namespaces.get(ns));
  if (!selector) return ambientNs ? `namespace ${ns} runs in ambient mode (istio.io/dataplane-mode=ambient) and the policy has no targetRefs, so ztunnel enforces it` : undefined;
  if (GATEWAY_NAME_LABEL in selector) return undefined;
  const pods = idx.select(selector, ns).filter(w => !w.synthetic);
  if (pods.length === 0) return ambientNs ? `namespace ${ns} runs in ambient mode, so ztunnel enforces the policy for the workloads its selector picks` : undefined;
  const ambient = pods.find(w => w.ambient);
  return ambient ? `the selector picks workload ${ambient.namespace}/${ambient.obj?.metadata?.name}, which runs in ambient mode, so ztunnel enforces the policy for it` : undefined;
}

/** The waypoint the namespace uses or holds, to name in a fix. */
function waypointOf(ctx: RunContext, idx: MeshIndex, ns: string): string | undefined {
  const used = mapOf(idx.namespaces.get(ns)?.metadata?.labels)[USE_WAYPOINT];
  if (used && used !== 'none') return used;
  const own = ctx.ofKind(`${GATEWAY_API}/Gateway`).find(g => ctx.namespaceOf(g) === ns && g?.spec?.gatewayClassName === WAYPOINT_CLASS);
  return own?.metadata?.name;
}

function targetRefsFix(waypoint: string | undefined, selector: boolean): string {
  const gateway = `{ group: ${GATEWAY_API}, kind: Gateway, name: ${waypoint ?? '<waypoint>'} }`;
  return `${selector ? 'replace the selector with' : 'add'} targetRefs: [${gateway}] (or a Service that uses the waypoint), so that the waypoint enforces it`;
}

/** ambient.ZtunnelPolicyAnalyzer: AuthorizationPolicies and RequestAuthentications ztunnel cannot enforce. @internal */
export const ztunnelPolicyAnalyzer: CrossRule = {
  name: 'ambient.ZtunnelPolicyAnalyzer',
  check(ctx) {
    const policies = ctx.ofKind('security.istio.io/AuthorizationPolicy');
    const authns = ctx.ofKind('security.istio.io/RequestAuthentication');
    if (policies.length === 0 && authns.length === 0) return;
    const idx = MeshIndex.of(ctx);
    for (const ap of policies) {
      if (hasTargetRefs(ap)) continue;
      const ns = ctx.namespaceOf(ap);
      const action = typeof ap?.spec?.action === 'string' ? ap.spec.action : 'ALLOW';
      const rules: any[] = Array.isArray(ap?.spec?.rules) ? ap.spec.rules : [];
      const attributes = rules.flatMap((rule, i) => l7AttributesOfRule(rule).map(a => ({ ...a, field: `spec.rules[${i}].${a.field}` })));
      const waypointOnly = action === 'CUSTOM' || action === 'AUDIT';
      if (attributes.length === 0 && !waypointOnly) continue;
      const selector = matchLabelsOf(ap);
      const scope = ztunnelScope(idx, ns, selector);
      if (!scope) continue;
      const names = [...new Set(attributes.map(a => a.name))];
      const what = waypointOnly ? `action ${action}` : `the L7 attributes ${names.join(', ')}`;
      const consequence = waypointOnly
        ? `only a waypoint applies action ${action}`
        : action === 'DENY'
          ? 'istiod hands ztunnel the rule without them ("more restrictive than requested"), so it denies every connection its other attributes match'
          : 'istiod omits the rule for ztunnel ("more restrictive than requested"), so the requests it is meant to allow are denied';
      ctx.reporterFor(ap)(Messages.ZtunnelCannotEnforceL7, {
        args: [what],
        field: waypointOnly ? 'spec.action' : attributes[0].field,
        problem: `${scope}; ${consequence}`,
        got: waypointOnly ? action : names,
        fix: targetRefsFix(waypointOf(ctx, idx, ns), selector !== undefined),
      });
    }
    for (const ra of authns) {
      if (hasTargetRefs(ra)) continue;
      const ns = ctx.namespaceOf(ra);
      const selector = matchLabelsOf(ra);
      const scope = ztunnelScope(idx, ns, selector);
      if (!scope) continue;
      ctx.reporterFor(ra)(Messages.RequestAuthenticationOnZtunnel, {
        args: ['only a waypoint validates JWTs, so invalid tokens are not rejected and request principals and claims stay empty'],
        field: selector ? 'spec.selector' : 'spec',
        problem: `${scope}, which validates no tokens: invalid tokens are not rejected, and AuthorizationPolicy rules on requestPrincipals or request.auth claims never match`,
        got: selector ? selectorString(selector) : undefined,
        fix: targetRefsFix(waypointOf(ctx, idx, ns), selector !== undefined),
      });
    }
  },
};

/** The objects Istio reads `istio.io/use-waypoint` on, with where the label sits and which traffic it redirects. */
interface Enrolled {
  readonly obj: any;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly field: string;
  /** `service`, `workload`, or undefined for a Namespace (both). */
  readonly traffic?: 'service' | 'workload';
}

const TEMPLATE_KINDS = ['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'apps/ReplicaSet', 'batch/Job'];

function enrolled(ctx: RunContext): Enrolled[] {
  const out: Enrolled[] = [];
  const labelField = (prefix: string) => `${prefix}.labels.${USE_WAYPOINT}`;
  for (const ns of ctx.ofKind('/Namespace')) {
    out.push({ obj: ns, namespace: String(ns?.metadata?.name ?? ''), labels: mapOf(ns?.metadata?.labels), field: labelField('metadata') });
  }
  for (const gk of ['/Service', 'networking.istio.io/ServiceEntry']) {
    for (const o of ctx.ofKind(gk)) out.push({ obj: o, namespace: ctx.namespaceOf(o), labels: mapOf(o?.metadata?.labels), field: labelField('metadata'), traffic: 'service' });
  }
  for (const gk of ['/Pod', 'networking.istio.io/WorkloadEntry']) {
    for (const o of ctx.ofKind(gk)) out.push({ obj: o, namespace: ctx.namespaceOf(o), labels: mapOf(o?.metadata?.labels), field: labelField('metadata'), traffic: 'workload' });
  }
  for (const gk of TEMPLATE_KINDS) {
    for (const o of ctx.ofKind(gk)) {
      out.push({ obj: o, namespace: ctx.namespaceOf(o), labels: mapOf(o?.spec?.template?.metadata?.labels), field: labelField('spec.template.metadata'), traffic: 'workload' });
    }
  }
  return out;
}

/** ambient.UseWaypointAnalyzer: `istio.io/use-waypoint` naming a missing waypoint, or one for other traffic. @internal */
export const useWaypointAnalyzer: CrossRule = {
  name: 'ambient.UseWaypointAnalyzer',
  check(ctx) {
    const idx = MeshIndex.of(ctx);
    const classes = new Map(ctx.ofKind(`${GATEWAY_API}/GatewayClass`).map(c => [String(c?.metadata?.name ?? ''), c]));
    for (const e of enrolled(ctx)) {
      const name = e.labels[USE_WAYPOINT];
      if (typeof name !== 'string' || name === '' || name === 'none') continue;
      const waypointNs = e.labels[USE_WAYPOINT_NAMESPACE] || e.namespace;
      const ref = `${waypointNs}/${name}`;
      const gateway = idx.k8sGateways.get(ref);
      if (!gateway) {
        // Outside complete input the waypoint may well be another program's: not guessed.
        if (ctx.options.complete !== true || idx.declaredElsewhere(ref, waypointNs)) continue;
        ctx.reporterFor(e.obj)(Messages.WaypointNotFound, {
          args: [ref],
          field: e.field,
          problem: `no Gateway ${name} in namespace ${waypointNs} in the analysed manifests, so Istio cannot send this ${e.traffic ?? 'namespace'}'s traffic through a waypoint`,
          got: name,
          fix: waypointNs === e.namespace
            ? `define the waypoint (new Waypoint(...)), or set ${USE_WAYPOINT_NAMESPACE} to the namespace that holds it`
            : `define the waypoint in namespace ${waypointNs}, or declare that namespace as existing elsewhere`,
        });
        continue;
      }
      if (waypointNs !== e.namespace) {
        const admitted = admitsNamespace(gateway, e.namespace, idx.namespaces.get(e.namespace), ctx.options.complete === true);
        if (admitted !== true) {
          if (admitted === false) {
            ctx.reporterFor(e.obj)(Messages.WaypointNamespaceNotAllowed, {
              args: [ref, e.namespace],
              field: e.field,
              problem: `waypoint ${ref} is in another namespace and its HBONE listener's allowedRoutes does not admit namespace ${e.namespace}, so Istio does not bind this ${String(e.obj?.kind)} to it`,
              got: name,
              fix: 'allow the namespace on the waypoint (allowedNamespaces: WaypointNamespaces.all() or withLabels({...}); allowedRoutes.namespaces in YAML)',
            });
          }
          continue;
        }
      }
      const waypointFor = mapOf(gateway?.metadata?.labels)[WAYPOINT_FOR]
        ?? mapOf(classes.get(String(gateway?.spec?.gatewayClassName ?? ''))?.metadata?.labels)[WAYPOINT_FOR]
        ?? 'service';
      const handles = waypointFor === 'all' || (e.traffic !== undefined && waypointFor === e.traffic);
      if (handles || (e.traffic === undefined && waypointFor !== 'none')) continue;
      const traffic = e.traffic ?? 'service and workload';
      ctx.reporterFor(e.obj)(Messages.WaypointTrafficTypeMismatch, {
        args: [ref, waypointFor, traffic],
        field: e.field,
        problem: `waypoint ${ref} is labelled ${WAYPOINT_FOR}=${waypointFor}, so the ${traffic} traffic of this ${String(e.obj?.kind)} bypasses it and its L7 policies`,
        got: name,
        fix: e.traffic === 'workload'
          ? `label the waypoint ${WAYPOINT_FOR}: workload (or all), or enroll the Service in front of these pods instead`
          : `label the waypoint ${WAYPOINT_FOR}: service (or all)`,
      });
    }
  },
};

/**
 * Whether a waypoint's HBONE listener admits a resource of `namespace` (Gateway API's allowedRoutes, default
 * Same); undefined when a label selector decides and the input does not hold the Namespace (not guessed,
 * unless the input is complete: then the Namespace has only its `kubernetes.io/metadata.name` label).
 */
function admitsNamespace(gateway: any, namespace: string, nsObj: any, complete: boolean): boolean | undefined {
  const listeners: any[] = Array.isArray(gateway?.spec?.listeners) ? gateway.spec.listeners : [];
  const hbone = listeners.filter(l => l?.protocol === 'HBONE');
  let unknown = false;
  for (const l of hbone) {
    const ns = l?.allowedRoutes?.namespaces;
    const from = ns?.from ?? 'Same';
    if (from === 'All') return true;
    if (from !== 'Selector') continue;
    if (!nsObj && !complete) {
      unknown = true;
      continue;
    }
    const labels = { ...mapOf(nsObj?.metadata?.labels), 'kubernetes.io/metadata.name': namespace };
    if (labelSelectorMatches(ns?.selector, labels)) return true;
  }
  return unknown ? undefined : false;
}

/** ambient.EnvoyFilterAnalyzer: EnvoyFilters that apply only to ambient workloads. @internal */
export const ambientEnvoyFilterAnalyzer: CrossRule = {
  name: 'ambient.EnvoyFilterAnalyzer',
  check(ctx) {
    const filters = ctx.ofKind('networking.istio.io/EnvoyFilter');
    if (filters.length === 0) return;
    const idx = MeshIndex.of(ctx);
    for (const ef of filters) {
      if (hasTargetRefs(ef)) continue;
      const ns = ctx.namespaceOf(ef);
      if (ns === idx.rootNamespace) continue;
      const labels = mapOf(ef?.spec?.workloadSelector?.labels);
      const selector = Object.keys(labels).length > 0 ? labels : undefined;
      const ambientNs = isAmbientNamespace(idx.namespaces.get(ns));
      let reason: string | undefined;
      if (!selector) {
        // Any Envoy in the namespace (a sidecar-injected pod, a Gateway API gateway) is what it patches.
        const envoys = idx.select(undefined, ns).some(w => !w.synthetic && !w.ambient)
          || ctx.ofKind(`${GATEWAY_API}/Gateway`).some(g => ctx.namespaceOf(g) === ns && g?.spec?.gatewayClassName !== WAYPOINT_CLASS);
        if (ambientNs && !envoys) reason = `namespace ${ns} runs in ambient mode, where workloads have no sidecar and waypoints do not apply EnvoyFilters`;
      } else if (!(GATEWAY_NAME_LABEL in selector)) {
        const pods = idx.select(selector, ns).filter(w => !w.synthetic);
        if (pods.length > 0 && pods.every(w => w.ambient)) {
          reason = `the workload selector picks only ambient workloads (${pods[0].namespace}/${pods[0].obj?.metadata?.name}), which have no sidecar`;
        } else if (pods.length === 0 && ambientNs) {
          reason = `namespace ${ns} runs in ambient mode, where the workloads the selector picks have no sidecar`;
        }
      }
      if (!reason) continue;
      ctx.reporterFor(ef)(Messages.EnvoyFilterInAmbient, {
        args: ['ambient workloads have no sidecar, and waypoints do not apply EnvoyFilters'],
        field: selector ? 'spec.workloadSelector' : 'spec',
        problem: `${reason}, so Istio applies this EnvoyFilter to nothing`,
        got: selector ? selectorString(selector) : undefined,
        fix: 'use a WasmPlugin with targetRefs to the waypoint for custom L7 behaviour, or remove the EnvoyFilter',
      });
    }
  },
};
