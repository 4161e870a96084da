// The per-run index every cross-resource analyzer reads: workloads (Pods and the pod templates of
// Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs), Namespaces, Services, the host
// registry (Services + ServiceEntries by export scope) and gateways. It is built once per run and cached on
// the RunContext, so each analyzer costs one pass over its own kind plus indexed look-ups.
import { RunContext } from '../engine';
import { CLUSTER_DOMAIN, hostCovers, toFqdn } from '../hosts';
import { listOf, mapOf } from '../objects';
import { AnalysisEntryPoint } from '../options';

const WORKLOAD_KINDS = ['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'apps/ReplicaSet', 'batch/Job', 'batch/CronJob'];

/** A workload as analyzers see it: one Pod or one pod template. @internal */
export interface Workload {
  readonly obj: any;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /** Whether Istio would put a proxy (sidecar or ambient) in front of it. */
  readonly inMesh: boolean;
  /** Whether it runs in ambient mode (a Sidecar has no effect there). */
  readonly ambient: boolean;
  /** Stands in for Istio's default ingress gateway that `istioctl analyze` assumes offline. */
  readonly synthetic?: boolean;
}

/** A port of a Service or ServiceEntry. */
interface HostPort {
  readonly number: number;
  readonly protocol?: string;
  readonly name?: string;
  readonly targetPort?: unknown;
}

/** What a host resolves to. @internal */
export interface HostEntry {
  readonly obj: any;
  readonly ports: readonly HostPort[];
  readonly workloadSelector?: Record<string, string>;
}

/** A Service with its selector, for gateway port checks. */
interface ServiceInfo {
  readonly obj: any;
  readonly namespace: string;
  readonly name: string;
  readonly selector?: Record<string, string>;
  readonly ports: readonly HostPort[];
}

/** A label selector as a plain map (empty map = everything). @internal */
export function matchesSelector(labels: Record<string, string>, selector: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector)) {
    if (labels[k] !== v) return false;
  }
  return true;
}

/** `k=v,k2=v2` in key order, as Kubernetes prints selectors. @internal */
export function selectorString(selector: Record<string, string> | undefined): string {
  return Object.keys(selector ?? {}).sort().map(k => `${k}=${selector![k]}`).join(',');
}

/**
 * Whether a Kubernetes LabelSelector (`matchLabels` and `matchExpressions`) matches `labels`. An absent selector
 * matches everything, as the admission webhook spec says; a malformed one matches nothing. @internal
 */
export function labelSelectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  if (selector === undefined || selector === null) return true;
  if (typeof selector !== 'object') return false;
  const s = selector as { matchLabels?: unknown; matchExpressions?: unknown };
  if (!matchesSelector(labels, mapOf(s.matchLabels))) return false;
  const expressions = listOf(s.matchExpressions);
  return expressions.every((e: any) => {
    const values: unknown[] = Array.isArray(e?.values) ? e.values : [];
    const has = typeof e?.key === 'string' && e.key in labels;
    switch (e?.operator) {
      case 'In': return has && values.includes(labels[e.key]);
      case 'NotIn': return !has || !values.includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
}

/** True when every label of `x` is in `y` with the same value. @internal */
export function selectorSubset(x: Record<string, string>, y: Record<string, string>): boolean {
  return Object.entries(x).every(([k, v]) => y[k] === v);
}

/** Namespaces an exportTo list makes a resource visible in; `*` for all. @internal */
export function exportScopes(exportTo: unknown, ownNamespace: string): string[] {
  if (!Array.isArray(exportTo) || exportTo.length === 0 || exportTo.includes('*')) return ['*'];
  const out = new Set<string>();
  for (const e of exportTo) {
    if (e === '.') out.add(ownNamespace);
    else if (e !== '~' && typeof e === 'string') out.add(e);
  }
  return [...out];
}

function portsOf(list: unknown): HostPort[] {
  if (!Array.isArray(list)) return [];
  return list.filter(p => p && typeof p === 'object').map(p => ({ number: p.port ?? p.number, protocol: p.protocol, name: p.name, targetPort: p.targetPort }));
}

const INJECTION_LABEL = 'istio-injection';
const REV_LABEL = 'istio.io/rev';
const DATAPLANE_LABEL = 'istio.io/dataplane-mode';

/** Whether a Namespace is in ambient mode and not also sidecar-injected. @internal */
export function isAmbientNamespace(ns: any): boolean {
  const labels = mapOf(ns?.metadata?.labels);
  return labels[DATAPLANE_LABEL] === 'ambient' && !(INJECTION_LABEL in labels) && !(REV_LABEL in labels);
}

/** Istio's util.IsIstioControlPlane: labelled `istio=...` or `release=istio`. @internal */
export function isIstioControlPlane(obj: any): boolean {
  const labels = mapOf(obj?.metadata?.labels);
  return 'istio' in labels || labels.release === 'istio';
}

function hasIstioProxy(containers: unknown): boolean {
  return Array.isArray(containers) && containers.some(c => c?.name === 'istio-proxy' && typeof c?.image === 'string' && c.image !== '');
}

/**
 * Istio's util.inMesh, which the deployment and injection analyzers use: an `istio-proxy` container with an
 * image, else the `sidecar.istio.io/inject` label, else that annotation, else `istio-injection=enabled` on the
 * Namespace when the input holds it. (Revision labels and ambient mode do not count here, as in Istio.)
 */
function injectedPerIstio(ctx: RunContext, meta: any, namespace: string, containers: unknown): boolean {
  if (hasIstioProxy(containers)) return true;
  const labels = mapOf(meta?.labels);
  if ('sidecar.istio.io/inject' in labels) return labels['sidecar.istio.io/inject'] === 'true';
  const annotations = mapOf(meta?.annotations);
  if ('sidecar.istio.io/inject' in annotations) return annotations['sidecar.istio.io/inject'] === 'true';
  const ns = MeshIndex.of(ctx).namespaces.get(namespace);
  return ns !== undefined && mapOf(ns?.metadata?.labels)[INJECTION_LABEL] === 'enabled';
}

/** Istio's util.DeploymentInMesh, over the pod template. @internal */
export function deploymentInMesh(ctx: RunContext, d: any): boolean {
  const template = d?.spec?.template;
  return injectedPerIstio(ctx, template?.metadata, ctx.namespaceOf(d), template?.spec?.containers);
}

/** The index of one run. @internal */
export class MeshIndex {
  /** The index of `ctx`, built on first use. */
  public static of(ctx: RunContext): MeshIndex {
    let idx = CACHE.get(ctx);
    if (!idx) CACHE.set(ctx, (idx = new MeshIndex(ctx)));
    return idx;
  }

  public readonly rootNamespace: string;
  public readonly namespaces = new Map<string, any>();
  public readonly workloads: Workload[] = [];
  /** Services of the input. */
  public readonly services: ServiceInfo[] = [];
  /** `scope/fqdn` → entry; scope is a namespace or `*`. */
  public readonly hosts = new Map<string, HostEntry>();
  /** Wildcard hosts, scanned after exact look-ups (they are few). */
  public readonly wildcardHosts: Array<{ scope: string; host: string; entry: HostEntry }> = [];
  /** `ns/name` → Istio Gateway. */
  public readonly istioGateways = new Map<string, any>();
  /** `ns/name` → Gateway API Gateway. */
  public readonly k8sGateways = new Map<string, any>();
  /**
   * Whether a selector that matches nothing is a finding: the input holds workloads (so it stands in for the
   * cluster's), or the caller said it describes all of them.
   */
  public readonly workloadsDescribed: boolean;
  /** Namespaces holding at least one Gateway in the input. */
  public readonly gatewayNamespaces = new Set<string>();
  public readonly declaredNamespaces: Set<string>;
  public readonly declaredHosts: Set<string>;
  private readonly reported = new Set<string>();
  private readonly byLabel = new Map<string, Workload[]>();
  private describedNs?: Set<string>;
  private readonly byNamespace = new Map<string, Workload[]>();
  private readonly servicesByNamespace = new Map<string, ServiceInfo[]>();

  private constructor(private readonly ctx: RunContext) {
    this.rootNamespace = ctx.options.rootNamespace ?? 'istio-system';
    this.declaredNamespaces = new Set(ctx.options.declaredNamespaces ?? []);
    this.declaredHosts = new Set(ctx.options.declaredHosts ?? []);
    for (const ns of ctx.ofKind('/Namespace')) this.namespaces.set(String(ns?.metadata?.name ?? ''), ns);
    for (const pod of ctx.ofKind('/Pod')) this.addWorkload(pod, pod?.metadata, pod?.spec);
    for (const gk of WORKLOAD_KINDS) {
      for (const obj of ctx.ofKind(gk)) {
        const template = gk === 'batch/CronJob' ? obj?.spec?.jobTemplate?.spec?.template : obj?.spec?.template;
        if (template) this.addWorkload(obj, { ...template.metadata, namespace: obj?.metadata?.namespace }, template.spec);
      }
    }
    this.workloadsDescribed = ctx.options.complete === true || this.workloads.length > 0;
    for (const svc of ctx.ofKind('/Service')) this.addService(svc);
    const hasDefaultIngress = this.workloads.some(w => w.namespace === this.rootNamespace && w.labels.istio === 'ingressgateway');
    if (!hasDefaultIngress) this.addDefaultIngressGateway();
    for (const se of ctx.ofKind('networking.istio.io/ServiceEntry')) this.addServiceEntry(se);
    for (const gw of ctx.ofKind('networking.istio.io/Gateway')) {
      this.istioGateways.set(`${ctx.namespaceOf(gw)}/${gw?.metadata?.name}`, gw);
      this.gatewayNamespaces.add(ctx.namespaceOf(gw));
    }
    for (const gw of ctx.ofKind('gateway.networking.k8s.io/Gateway')) {
      this.k8sGateways.set(`${ctx.namespaceOf(gw)}/${gw?.metadata?.name}`, gw);
      this.gatewayNamespaces.add(ctx.namespaceOf(gw));
    }
  }

  /** Workloads in `namespace` (or anywhere) whose labels match `selector`. */
  public select(selector: Record<string, string> | undefined, namespace?: string): Workload[] {
    const entries = Object.entries(selector ?? {});
    if (entries.length === 0) return namespace === undefined ? this.workloads : this.byNamespace.get(namespace) ?? [];
    // Start from the rarest label so a selector costs the size of its smallest posting list.
    let best: Workload[] | undefined;
    for (const [k, v] of entries) {
      const list = this.byLabel.get(`${k}=${v}`) ?? [];
      if (!best || list.length < best.length) best = list;
      if (best.length === 0) return [];
    }
    return best!.filter(w => (namespace === undefined || w.namespace === namespace) && matchesSelector(w.labels, selector));
  }

  /** Whether some workload matching `selector` (in `namespace`, if given) passes `accept`; stops at the first. */
  public anyMatch(selector: Record<string, string> | undefined, namespace: string | undefined, accept: (w: Workload) => boolean): boolean {
    const entries = Object.entries(selector ?? {});
    let candidates: Workload[] | undefined = entries.length === 0
      ? (namespace === undefined ? this.workloads : this.byNamespace.get(namespace) ?? [])
      : undefined;
    for (const [k, v] of entries) {
      const list = this.byLabel.get(`${k}=${v}`) ?? [];
      if (!candidates || list.length < candidates.length) candidates = list;
    }
    for (const w of candidates ?? []) {
      if ((namespace === undefined || w.namespace === namespace) && matchesSelector(w.labels, selector) && accept(w)) return true;
    }
    return false;
  }

  /** Services of a namespace. */
  public servicesIn(namespace: string): readonly ServiceInfo[] {
    return this.servicesByNamespace.get(namespace) ?? [];
  }

  /** Istio's GetDestinationHost: the Service or ServiceEntry `host` resolves to from `namespace`. */
  public resolveHost(host: string, namespace: string, exportTo?: unknown): HostEntry | undefined {
    const fqdn = toFqdn(host, namespace);
    const all = this.hosts.get(`*/${fqdn}`);
    if (all) return all;
    const scopes = Array.isArray(exportTo) && exportTo.length > 0
      ? exportTo.map(e => (e === '.' ? namespace : String(e)))
      : [namespace];
    for (const s of scopes) {
      const hit = this.hosts.get(`${s}/${fqdn}`);
      if (hit) return hit;
    }
    for (const w of this.wildcardHosts) {
      if (w.scope !== '*' && w.scope !== namespace) continue;
      if (hostCovers(w.host, host)) return w.entry;
    }
    return undefined;
  }

  /**
   * Whether the input describes `namespace` (it holds its Namespace, a Service or a workload), so a missing
   * reference into it is a finding rather than a guess. A host outside the cluster domain counts as described
   * when the input has any ServiceEntry.
   */
  public described(namespace: string | undefined): boolean {
    if (namespace !== undefined && this.declaredNamespaces.has(namespace)) return false;
    if (this.ctx.options.complete === true) return true;
    if (namespace === undefined) return this.ctx.ofKind('networking.istio.io/ServiceEntry').length > 0;
    if (!this.describedNs) {
      this.describedNs = new Set<string>(this.namespaces.keys());
      for (const s of this.services) this.describedNs.add(s.namespace);
      for (const w of this.workloads) if (!w.synthetic) this.describedNs.add(w.namespace);
    }
    return this.describedNs.has(namespace);
  }

  /**
   * Whether a missing reference may exist outside the input: the host or `ns/name` was declared, or it points
   * into a namespace declared as existing elsewhere.
   */
  public declaredElsewhere(ref: string, namespace?: string): boolean {
    if (this.declaredHosts.has(ref)) return true;
    return namespace !== undefined && this.declaredNamespaces.has(namespace);
  }

  private addWorkload(obj: any, meta: any, spec: any) {
    const namespace = meta?.namespace ?? this.ctx.options.defaultNamespace ?? 'default';
    const labels = mapOf(meta?.labels);
    const annotations = mapOf(meta?.annotations);
    const nsObj = this.namespaces.get(namespace);
    const nsLabels = mapOf(nsObj?.metadata?.labels);
    const ambient = annotations['ambient.istio.io/redirection'] === 'enabled'
      || labels[DATAPLANE_LABEL] === 'ambient'
      || (isAmbientNamespace(nsObj) && labels[DATAPLANE_LABEL] !== 'none');
    const containers: any[] = Array.isArray(spec?.containers) ? spec.containers : [];
    const optOut = labels['sidecar.istio.io/inject'] === 'false' || annotations['sidecar.istio.io/inject'] === 'false';
    const nsInjected = nsLabels[INJECTION_LABEL] === 'enabled' || REV_LABEL in nsLabels;
    const hasProxy = containers.some(c => c?.name === 'istio-proxy') || 'sidecar.istio.io/status' in annotations;
    let inMesh: boolean;
    if (obj.kind === 'Pod') {
      inMesh = hasProxy || ambient || (nsInjected && !optOut) || labels['sidecar.istio.io/inject'] === 'true';
    } else {
      // A pod template is not injected yet; when its Namespace is not in the input we cannot tell, so we
      // assume it joins the mesh rather than report policies as selecting nothing.
      inMesh = !optOut && (nsObj === undefined || nsInjected || ambient || labels['sidecar.istio.io/inject'] === 'true');
    }
    this.pushWorkload({ obj, namespace, labels, annotations, inMesh, ambient });
  }

  private pushWorkload(w: Workload) {
    this.workloads.push(w);
    let list = this.byNamespace.get(w.namespace);
    if (!list) this.byNamespace.set(w.namespace, (list = []));
    list.push(w);
    for (const [k, v] of Object.entries(w.labels)) {
      const key = `${k}=${v}`;
      let l = this.byLabel.get(key);
      if (!l) this.byLabel.set(key, (l = []));
      l.push(w);
    }
  }

  private addService(svc: any) {
    const namespace = this.ctx.namespaceOf(svc);
    const name = String(svc?.metadata?.name ?? '');
    const ports = portsOf(svc?.spec?.ports);
    const info: ServiceInfo = { obj: svc, namespace, name, selector: svc?.spec?.selector, ports };
    this.pushService(info);
    const anno: string | undefined = svc?.metadata?.annotations?.['networking.istio.io/exportTo'];
    const scopes = anno ? anno.split(',').map(s => s.trim()).map(s => (s === '.' ? namespace : s)) : ['*'];
    const entry: HostEntry = { obj: svc, ports: ports.map(p => ({ ...p, protocol: p.protocol })) };
    for (const s of scopes) this.hosts.set(`${s}/${name}.${namespace}.${CLUSTER_DOMAIN}`, entry);
  }

  private pushService(info: ServiceInfo) {
    this.services.push(info);
    let list = this.servicesByNamespace.get(info.namespace);
    if (!list) this.servicesByNamespace.set(info.namespace, (list = []));
    list.push(info);
  }

  private addServiceEntry(se: any) {
    const namespace = this.ctx.namespaceOf(se);
    const spec = se?.spec ?? {};
    const entry: HostEntry = { obj: se, ports: portsOf(spec.ports), workloadSelector: spec.workloadSelector?.labels };
    const scopes = exportScopes(spec.exportTo, namespace);
    for (const h of listOf(spec.hosts)) {
      if (typeof h !== 'string') continue;
      const fqdn = toFqdn(h, namespace);
      for (const s of scopes) {
        this.hosts.set(`${s}/${fqdn}`, entry);
        if (fqdn.startsWith('*')) this.wildcardHosts.push({ scope: s, host: fqdn, entry });
      }
    }
  }

  // `istioctl analyze` on files adds a default ingress gateway Pod (labelled istio=ingressgateway, in the root
  // namespace) so that Gateways on it resolve; so do we. istioctl also adds a Service for it with a fixed port
  // list; we do not assume one: ports are checked only against Services in the input.
  private addDefaultIngressGateway() {
    const ns = this.rootNamespace;
    const labels = { istio: 'ingressgateway' };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'istio-ingressgateway', namespace: ns, labels } };
    this.pushWorkload({ obj: pod, namespace: ns, labels, annotations: {}, inMesh: true, ambient: false, synthetic: true });
  }

  /** True the first time `key` is seen in this run: findings several analyzers share are reported once. */
  public firstReport(key: string): boolean {
    if (this.reported.has(key)) return false;
    this.reported.add(key);
    return true;
  }
}

const CACHE = new WeakMap<RunContext, MeshIndex>();

/** Every destination of a VirtualService (http, tcp, tls routes) with its field path. @internal */
export function routeDestinations(vs: any): Array<{ dest: any; field: string; kind: 'route' | 'mirror' }> {
  const out: Array<{ dest: any; field: string; kind: 'route' | 'mirror' }> = [];
  const spec = vs?.spec ?? {};
  for (const section of ['tcp', 'tls', 'http']) {
    const rules = listOf(spec[section]);
    rules.forEach((rule: any, i: number) => {
      const routes = Array.isArray(rule?.route) ? rule.route : [];
      routes.forEach((r: any, j: number) => out.push({ dest: r?.destination ?? {}, field: `spec.${section}[${i}].route[${j}].destination`, kind: 'route' }));
    });
  }
  return out;
}

/** Every mirror destination of a VirtualService (`mirror` and `mirrors[].destination`). @internal */
export function mirrorDestinations(vs: any): Array<{ dest: any; field: string; kind: 'route' | 'mirror' }> {
  const out: Array<{ dest: any; field: string; kind: 'route' | 'mirror' }> = [];
  const rules = Array.isArray(vs?.spec?.http) ? vs.spec.http : [];
  rules.forEach((rule: any, i: number) => {
    if (rule?.mirror) out.push({ dest: rule.mirror, field: `spec.http[${i}].mirror`, kind: 'mirror' });
    const mirrors = Array.isArray(rule?.mirrors) ? rule.mirrors : [];
    mirrors.forEach((m: any, j: number) => {
      if (m?.destination) out.push({ dest: m.destination, field: `spec.http[${i}].mirrors[${j}].destination`, kind: 'mirror' });
    });
  });
  return out;
}

/** The selector labels of a policy (`selector.matchLabels`), or undefined without one. @internal */
export function matchLabelsOf(obj: any): Record<string, string> | undefined {
  const ml = obj?.spec?.selector?.matchLabels;
  return ml && typeof ml === 'object' ? ml : undefined;
}

/** The hint a "not found" finding carries, naming the escape hatch for objects defined elsewhere. @internal */
export function elsewhereHint(ctx: RunContext): string {
  return ELSEWHERE_HINTS[ctx.options.runsIn ?? 'app'];
}

const ELSEWHERE_HINTS: Record<AnalysisEntryPoint, string> = {
  app: 'if it exists outside these manifests, declare it (IstioAnalysis.of(app).declareHosts / declareNamespaces)',
  cli: 'if it exists outside these files, analyse it with them, declare it (--declare-hosts / --declare-namespaces), or pass --partial',
  plugin: 'if it exists outside these manifests, declare it (the declaredHosts / declaredNamespaces properties of the IstioValidation plugin)',
};
