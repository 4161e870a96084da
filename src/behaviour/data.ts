// What the mesh model knows, built on the analysis engine's index (workloads, Services, the host registry,
// gateways) plus the Istio kinds the index does not hold. Istio orders configs of one kind by creation time;
// manifests carry none, so input order (the order `kubectl apply` creates them) stands in for it.
import { translateGatewayApi, GATEWAY_API_GROUP, isIstioGateway } from './gateway-api';
import { DecidedBy } from './types';
import { exportScopes, HostEntry, matchesSelector, MeshIndex, Workload } from '../analysis/analyzers/mesh-index';
import { groupKindOf, indexByKind, PRIMARY_CLUSTER, Reporter, RunContext } from '../analysis/engine';
import { CLUSTER_DOMAIN, hostsMatch, toFqdn } from '../analysis/hosts';
import { listOf } from '../analysis/objects';
import { AnalysisOptions } from '../analysis/options';

interface MeshDataOptions {
  readonly defaultNamespace?: string;
  readonly rootNamespace?: string;
  readonly outboundTrafficPolicy?: string;
  readonly complete?: boolean;
}

/** A Service or ServiceEntry host with its ports, as the registry holds it. @internal */
export interface RegistryHost {
  readonly fqdn: string;
  readonly namespace: string;
  readonly kind: 'Service' | 'ServiceEntry';
  readonly obj: any;
  readonly ports: Array<{ number: number; protocol: string; name?: string; targetPort?: number }>;
  /** Labels of the endpoints (Service selector or ServiceEntry workloadSelector). */
  readonly selector?: Record<string, string>;
  /** Visible in these namespaces (`*` = all). */
  readonly scopes: string[];
  /**
   * A Service the input references but does not hold, in a namespace the input does not describe: assumed to
   * exist (with any port), as the analysis does not guess such references to be missing.
   */
  readonly assumed?: boolean;
}

const SILENT: Reporter = new Proxy({}, { get: () => () => undefined }) as Reporter;

/** Namespace of an object with the default applied. */
type NsOf = (obj: any) => string;

/** The mesh's objects, indexed for the questions the model answers. @internal */
export class MeshData {
  public readonly index: MeshIndex;
  public readonly defaultNamespace: string;
  public readonly rootNamespace: string;
  public readonly outboundTrafficPolicy: string;
  public readonly objects: readonly any[];
  public readonly virtualServices: any[];
  public readonly destinationRules: any[];
  public readonly gateways: any[];
  public readonly sidecars: any[];
  public readonly serviceEntries: any[];
  public readonly peerAuthentications: any[];
  public readonly authorizationPolicies: any[];
  public readonly requestAuthentications: any[];
  public readonly registry: RegistryHost[] = [];
  public readonly nsOf: NsOf;
  /** Gateway API Gateways of Istio's classes (ingress, not waypoints). */
  public readonly gatewayApiGateways: any[];
  /** Gateway API waypoints (`gatewayClassName: istio-waypoint`). */
  public readonly waypoints: any[];
  /** Routes and parent references that attach to nothing, by the parent they name (`Gateway ns/name`). */
  public readonly detachedRoutes: Array<{ parent: string; note: string }>;
  /** Namespace objects by name. */
  public readonly namespaces: Map<string, any>;

  constructor(input: readonly any[], options: MeshDataOptions) {
    this.defaultNamespace = options.defaultNamespace ?? 'default';
    const objects = lastDefinitions(input.filter(o => o && typeof o === 'object' && typeof o.kind === 'string'), this.defaultNamespace);
    this.objects = objects;
    const byKind = indexByKind(objects);
    this.nsOf = obj => obj?.metadata?.namespace ?? this.defaultNamespace;
    const analysisOptions: AnalysisOptions = { defaultNamespace: this.defaultNamespace, rootNamespace: options.rootNamespace };
    const ctx: RunContext = {
      options: analysisOptions,
      cluster: PRIMARY_CLUSTER,
      objects,
      ofKind: gk => byKind.get(gk) ?? [],
      namespaceOf: this.nsOf,
      reporterFor: () => SILENT,
    };
    this.index = MeshIndex.of(ctx);
    this.rootNamespace = this.index.rootNamespace;
    this.outboundTrafficPolicy = options.outboundTrafficPolicy ?? 'ALLOW_ANY';
    const kind = (gk: string) => [...(byKind.get(gk) ?? [])];
    this.virtualServices = kind('networking.istio.io/VirtualService');
    this.destinationRules = kind('networking.istio.io/DestinationRule');
    this.gateways = kind('networking.istio.io/Gateway');
    this.sidecars = kind('networking.istio.io/Sidecar');
    this.serviceEntries = kind('networking.istio.io/ServiceEntry');
    this.peerAuthentications = kind('security.istio.io/PeerAuthentication');
    this.authorizationPolicies = kind('security.istio.io/AuthorizationPolicy');
    this.requestAuthentications = kind('security.istio.io/RequestAuthentication');
    this.namespaces = new Map(kind('/Namespace').map(n => [String(n.metadata?.name), n]));
    const classes = kind(`${GATEWAY_API_GROUP}/GatewayClass`);
    const gwApi = kind(`${GATEWAY_API_GROUP}/Gateway`);
    this.gatewayApiGateways = gwApi.filter(g => isIstioGateway(g, classes));
    this.waypoints = gwApi.filter(g => g.spec?.gatewayClassName === 'istio-waypoint');
    // Gateway API routes become the Istio objects istiod generates for them, after the input's own.
    const translated = translateGatewayApi({
      ofKind: kind,
      nsOf: this.nsOf,
      namespaceLabels: ns => this.namespaces.get(ns)?.metadata?.labels,
      serviceExists: (name, ns) => {
        if (this.index.services.some(s => s.name === name && s.namespace === ns)) return true;
        return this.index.described(ns) ? false : undefined;
      },
      servicePort: (name, ns, portName) => this.index.services.find(s => s.name === name && s.namespace === ns)?.obj?.spec?.ports
        ?.find((p: any) => p?.name === portName)?.port,
    });
    this.gateways.push(...translated.gateways);
    this.virtualServices.push(...translated.virtualServices);
    this.detachedRoutes = translated.detached;
    for (const s of this.index.services) {
      const anno: string | undefined = s.obj?.metadata?.annotations?.['networking.istio.io/exportTo'];
      const scopes = anno ? anno.split(',').map(x => x.trim()).map(x => (x === '.' ? s.namespace : x)) : ['*'];
      this.registry.push({
        fqdn: `${s.name}.${s.namespace}.${CLUSTER_DOMAIN}`,
        namespace: s.namespace,
        kind: 'Service',
        obj: s.obj,
        ports: (s.obj?.spec?.ports ?? []).filter((p: any) => p && typeof p.port === 'number').map((p: any) => ({
          number: p.port,
          protocol: servicePortProtocol(p),
          name: p.name,
          targetPort: typeof p.targetPort === 'number' ? p.targetPort : (typeof p.targetPort === 'string' ? namedTargetPort(this, s.selector, s.namespace, p.targetPort) : p.port),
        })),
        selector: s.selector,
        scopes,
      });
    }
    for (const se of this.serviceEntries) {
      const ns = this.nsOf(se);
      const spec = se.spec ?? {};
      const ports = listOf(spec.ports).filter((p: any) => p && typeof p.number === 'number')
        .map((p: any) => ({ number: p.number, protocol: String(p.protocol ?? 'TCP').toUpperCase(), name: p.name, targetPort: p.targetPort ?? p.number }));
      for (const h of listOf(spec.hosts)) {
        if (typeof h !== 'string') continue;
        this.registry.push({
          fqdn: toFqdn(h, ns),
          namespace: ns,
          kind: 'ServiceEntry',
          obj: se,
          ports,
          selector: spec.workloadSelector?.labels,
          scopes: exportScopes(spec.exportTo, ns),
        });
      }
    }
    if (options.complete !== true) this.assumeReferencedServices();
  }

  // A VirtualService or DestinationRule naming `reviews` with no Service `reviews` in the input, in a namespace
  // the input does not describe, is about a Service defined elsewhere (the partial view the analysis takes at
  // synth): it is modelled with the ports the references use, and every answer through it says so.
  private assumeReferencedServices() {
    const ports = new Map<string, Set<number>>();
    const refer = (host: unknown, ns: string, port?: unknown) => {
      if (typeof host !== 'string' || host.startsWith('*')) return;
      const fqdn = toFqdn(host, ns);
      const m = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(fqdn);
      if (!m || this.registry.some(h => h.fqdn === fqdn) || this.index.described(m[2])) return;
      let set = ports.get(fqdn);
      if (!set) ports.set(fqdn, (set = new Set()));
      if (typeof port === 'number') set.add(port);
    };
    for (const vs of this.virtualServices) {
      const ns = this.nsOf(vs);
      for (const h of Array.isArray(vs.spec?.hosts) ? vs.spec.hosts : []) refer(h, ns);
      for (const section of ['http', 'tcp', 'tls']) {
        for (const rule of Array.isArray(vs.spec?.[section]) ? vs.spec[section] : []) {
          for (const d of Array.isArray(rule?.route) ? rule.route : []) refer(d?.destination?.host, ns, d?.destination?.port?.number);
          if (rule?.mirror) refer(rule.mirror.host, ns, rule.mirror.port?.number);
        }
      }
    }
    for (const dr of this.destinationRules) {
      const ns = this.nsOf(dr);
      refer(dr.spec?.host, ns);
      for (const pl of dr.spec?.trafficPolicy?.portLevelSettings ?? []) refer(dr.spec?.host, ns, pl?.port?.number);
    }
    for (const [fqdn, set] of ports) {
      const m = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(fqdn)!;
      this.registry.push({
        fqdn,
        namespace: m[2],
        kind: 'Service',
        obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: m[1], namespace: m[2] } },
        ports: [...set].sort((a, b) => a - b).map(number => ({ number, protocol: 'AUTO', targetPort: number })),
        scopes: ['*'],
        assumed: true,
      });
    }
  }

  /** The workload `ns/name` (a Pod or a workload with a pod template), or undefined. */
  public workload(ref: string): Workload | undefined {
    const [ns, name] = splitRef(ref, this.defaultNamespace);
    return this.index.workloads.find(w => !w.synthetic && w.namespace === ns && w.obj?.metadata?.name === name);
  }

  /** The workload `ref` names, or an error for `caller` (e.g. `MeshModel.authorize: workload`) that says how to name one. */
  public requireWorkload(ref: string, caller: string): Workload {
    const w = this.workload(ref);
    if (!w) throw new Error(`${caller} '${ref}' is not a workload of the input (write namespace/name of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod)`);
    return w;
  }

  /** The service account of a workload's pods. */
  public serviceAccountOf(w: Workload): string {
    const spec = w.obj?.kind === 'Pod' ? w.obj.spec
      : w.obj?.kind === 'CronJob' ? w.obj.spec?.jobTemplate?.spec?.template?.spec : w.obj?.spec?.template?.spec;
    return String(spec?.serviceAccountName ?? spec?.serviceAccount ?? 'default');
  }

  /** The registry host `fqdn` as seen from `namespace` (exportTo applied), exact before wildcard. */
  public registryHost(fqdn: string, namespace: string): RegistryHost | undefined {
    const visible = this.registry.filter(h => h.scopes.includes('*') || h.scopes.includes(namespace));
    return visible.find(h => h.fqdn === fqdn)
      ?? mostSpecific(visible.filter(h => h.fqdn.startsWith('*') && hostsMatch(h.fqdn, fqdn)), h => h.fqdn);
  }

  /** Istio's GetDestinationHost, through the analysis index. */
  public resolve(host: string, namespace: string): HostEntry | undefined {
    return this.index.resolveHost(host, namespace);
  }

  /** Workloads behind a registry host, optionally narrowed to a subset's labels. */
  public endpoints(host: RegistryHost, subsetLabels?: Record<string, string>): Workload[] {
    if (!host.selector) return [];
    const ns = host.kind === 'Service' ? host.namespace : undefined;
    return this.index.select({ ...host.selector, ...(subsetLabels ?? {}) }, ns).filter(w => !w.synthetic);
  }

  /** Services (not ServiceEntries) selecting a workload. */
  public servicesOf(w: Workload): RegistryHost[] {
    return this.registry.filter(h => h.kind === 'Service' && h.namespace === w.namespace && h.selector
      && Object.keys(h.selector).length > 0 && matchesSelector(w.labels, h.selector));
  }

  /** Whether `obj` (with `exportTo`) is visible from `namespace`. */
  public exportedTo(obj: any, namespace: string): boolean {
    const scopes = exportScopes(obj?.spec?.exportTo, this.nsOf(obj));
    return scopes.includes('*') || scopes.includes(namespace);
  }

  /** A reference to an object for answers. */
  public ref(obj: any, field?: string, ruleIndex?: number, ruleName?: string): DecidedBy {
    // Objects generated from Gateway API routes answer with the route rule they come from.
    const origin: DecidedBy | undefined = obj?.__origin?.[field ?? ''] ?? obj?.__origin?.[''];
    if (origin) return origin;
    return {
      kind: String(obj?.kind ?? ''),
      namespace: this.nsOf(obj),
      name: String(obj?.metadata?.name ?? ''),
      ...(field !== undefined ? { field } : {}),
      ...(ruleIndex !== undefined ? { ruleIndex } : {}),
      ...(ruleName ? { ruleName } : {}),
    };
  }
}

/** `ns/name` → [ns, name]; a bare name is in `defaultNamespace`. @internal */
export function splitRef(ref: string, defaultNamespace: string): [string, string] {
  const slash = ref.indexOf('/');
  return slash < 0 ? [defaultNamespace, ref] : [ref.slice(0, slash), ref.slice(slash + 1)];
}

/** The entry whose key is longest (the most specific wildcard), first on ties. @internal */
export function mostSpecific<T>(items: T[], key: (t: T) => string): T | undefined {
  let best: T | undefined;
  for (const i of items) if (!best || key(i).length > key(best).length) best = i;
  return best;
}

/** Describe a resource reference for a sentence: `VirtualService bookinfo/reviews spec.http[0] (jason)`. @internal */
export function describeRef(r: DecidedBy | undefined): string {
  if (!r) return 'Istio\'s defaults';
  return `${r.kind} ${r.namespace}/${r.name}${r.field ? ` ${r.field}` : ''}${r.ruleName ? ` (${r.ruleName})` : ''}`;
}

// Istio's protocol selection: appProtocol, then the port name's prefix, else sniffed (`AUTO`).
// https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
const NAMED = ['http2', 'https', 'http', 'grpc-web', 'grpc', 'tcp', 'tls', 'mongo', 'mysql', 'redis', 'udp'];
function servicePortProtocol(p: any): string {
  if (typeof p.appProtocol === 'string') return p.appProtocol.toUpperCase();
  if (p.protocol === 'UDP') return 'UDP';
  const name = typeof p.name === 'string' ? p.name.toLowerCase() : '';
  for (const n of NAMED) if (name === n || name.startsWith(`${n}-`)) return n.toUpperCase();
  return 'AUTO';
}

function namedTargetPort(data: MeshData, selector: Record<string, string> | undefined, ns: string, name: string): number | undefined {
  if (!selector) return undefined;
  for (const w of data.index.select(selector, ns)) {
    const spec = w.obj?.kind === 'Pod' ? w.obj.spec : w.obj?.spec?.template?.spec;
    for (const c of spec?.containers ?? []) for (const p of c?.ports ?? []) if (p?.name === name) return p.containerPort;
  }
  return undefined;
}

// Of several definitions of one resource the last applied wins, as in the analysis engine's stored view.
function lastDefinitions(objects: any[], defaultNamespace: string): any[] {
  const last = new Map<string, any>();
  for (const o of objects) {
    const key = `${groupKindOf(o)}|${o.metadata?.namespace ?? defaultNamespace}|${o.metadata?.name}`;
    last.set(key, o);
  }
  const kept = new Set(last.values());
  return objects.filter(o => kept.has(o));
}
