// Routing as Envoy does it with the configuration istiod generates: a listener per port, the route
// configuration's virtual hosts, routes in order (first match wins), then weighted clusters. The names
// (listeners, route configurations, virtual hosts, routes, clusters) and the errors are those of Istio's own
// simulation (pilot/pkg/simulation/traffic.go in istio/istio), so an answer can be checked against istioctl.
import { describeRef, MeshData, mostSpecific, RegistryHost, splitRef } from './data';
import { GATEWAY_NAME_LABEL } from './gateway-api';
import { lowerKeys, stringMatches } from './match';
import { ClientView, destinationPolicy, destinationRuleFor } from './policy';
import {
  DecidedBy, FaultApplied, HeaderChanges, MeshRequest, MirrorApplied, RedirectApplied, RequestProtocol, RetriesApplied,
  RouteAnswer, RouteCluster,
} from './types';
import { matchesSelector, Workload } from '../analysis/analyzers/mesh-index';
import { hostsMatch, toFqdn } from '../analysis/hosts';
import { listOf } from '../analysis/objects';

/** Istio's simulation errors (pilot/pkg/simulation/traffic.go). */
const ERRORS = {
  noListener: 'no listener matched',
  noFilterChain: 'no filter chains matched',
  noRoute: 'no route matched',
  tlsRedirect: 'tls required, sending 301',
  noVirtualHost: 'no virtual host matched',
  protocol: 'protocol error',
};

/** The proxy that routes, with what its matches compare against. */
interface Proxy {
  readonly kind: 'sidecar' | 'gateway';
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly describe: string;
  /** For a gateway: the Gateway resources in force (`ns/name` → object). */
  readonly gateways: Map<string, any>;
  readonly sidecar?: any;
  /** The caller is in ambient mode (no sidecar). */
  readonly ambient?: boolean;
}

/** A request with its defaults applied. */
interface Call {
  readonly host: string;
  readonly authority: string;
  readonly port: number | undefined;
  readonly protocol: RequestProtocol;
  readonly tls: boolean;
  readonly sni?: string;
  readonly path: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly query: Record<string, string>;
}

/** One HTTP route of a virtual host: a VirtualService rule, possibly reached through delegation. */
interface HttpEntry {
  readonly vs: any;
  readonly rule: any;
  readonly index: number;
  readonly rootMatches?: any[];
  readonly delegatedBy?: DecidedBy;
}

const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB']);
const TLS_PROTOCOLS = new Set(['HTTPS', 'TLS']);

function normalize(req: MeshRequest): Call {
  if (typeof req.host !== 'string' || req.host.length === 0) throw new Error('MeshModel.route: request.host must be a non-empty host name (got ' + JSON.stringify(req.host) + ')');
  const protocol = req.protocol ?? RequestProtocol.HTTP;
  const [hostOnly, hostPort] = splitHostPort(req.host);
  const rawPath = req.path ?? '/';
  const q = rawPath.indexOf('?');
  const query: Record<string, string> = {};
  if (q >= 0) for (const [k, v] of new URLSearchParams(rawPath.slice(q + 1))) query[k] = v;
  Object.assign(query, req.query ?? {});
  const tls = req.tls ?? protocol === RequestProtocol.TLS;
  return {
    host: hostOnly.toLowerCase(),
    authority: req.host,
    port: req.port ?? hostPort,
    protocol,
    tls,
    sni: req.sni ?? (tls ? hostOnly : undefined),
    path: q >= 0 ? rawPath.slice(0, q) : rawPath,
    method: (req.method ?? (protocol === RequestProtocol.GRPC ? 'POST' : 'GET')).toUpperCase(),
    headers: lowerKeys(req.headers),
    query,
  };
}

function splitHostPort(h: string): [string, number | undefined] {
  const m = /^(.*):(\d+)$/.exec(h);
  return m ? [m[1], Number(m[2])] : [h, undefined];
}

/** Route a request. @internal */
export function route(data: MeshData, req: MeshRequest): RouteAnswer {
  const call = normalize(req);
  if (req.gateway !== undefined || req.gatewayLabels !== undefined) return routeAtGateway(data, req, call);
  return routeAtSidecar(data, req, call);
}

// ------------------------------------------------------------------------------------------------ sidecar

function sidecarProxy(data: MeshData, req: MeshRequest): Proxy {
  let namespace = req.fromNamespace ?? data.defaultNamespace;
  let labels: Record<string, string> = {};
  let describe = `sidecar in ${namespace}`;
  const nsLabels = data.namespaces.get(namespace)?.metadata?.labels ?? {};
  let ambient = nsLabels['istio.io/dataplane-mode'] === 'ambient' && !('istio-injection' in nsLabels);
  if (req.fromWorkload !== undefined) {
    const w = data.requireWorkload(req.fromWorkload, 'MeshModel.route: fromWorkload');
    namespace = w.namespace;
    labels = w.labels;
    describe = `sidecar of ${w.obj.kind} ${namespace}/${w.obj.metadata?.name}`;
    ambient = w.ambient;
  }
  if (ambient) describe = describe.replace(/^sidecar of /, 'ambient ').replace(/^sidecar in /, 'ambient client in ');
  const inNs = data.sidecars.filter(s => data.nsOf(s) === namespace);
  const sidecar = inNs.find(s => s.spec?.workloadSelector?.labels && Object.keys(labels).length > 0
      && matchesSelector(labels, s.spec.workloadSelector.labels))
    ?? inNs.find(s => !s.spec?.workloadSelector)
    ?? data.sidecars.find(s => data.nsOf(s) === data.rootNamespace && !s.spec?.workloadSelector);
  return { kind: 'sidecar', namespace, labels, describe, gateways: new Map(), sidecar: ambient ? undefined : sidecar, ambient };
}

/** Hosts a short name can mean, in Kubernetes DNS search order. */
function hostCandidates(host: string, namespace: string): string[] {
  const parts = host.split('.');
  if (parts.length === 1) return [toFqdn(host, namespace)];
  if (parts.length === 2) return [`${host}.svc.cluster.local`, host];
  if (parts.length === 3 && parts[2] === 'svc') return [`${host}.cluster.local`, host];
  return [host];
}

/**
 * Whether a Sidecar's egress lets the proxy see a host on a port.
 * @see https://istio.io/latest/docs/reference/config/networking/sidecar/#IstioEgressListener
 */
function egressAllows(proxy: Proxy, host: RegistryHost, port: number): boolean {
  const egress = proxy.sidecar?.spec?.egress;
  if (!Array.isArray(egress) || egress.length === 0) return true;
  return egress.some((l: any) => {
    if (l?.port?.number !== undefined && l.port.number !== port) return false;
    return (Array.isArray(l?.hosts) ? l.hosts : []).some((h: string) => {
      const [ns, name] = splitRef(h, '*');
      const nsOk = ns === '*' || (ns === '.' ? host.namespace === proxy.namespace : ns === host.namespace);
      if (!nsOk || ns === '~') return false;
      return name === '*' || name === host.fqdn || (name.startsWith('*') && hostsMatch(name, host.fqdn));
    });
  });
}

function routeAtSidecar(data: MeshData, req: MeshRequest, call: Call): RouteAnswer {
  const proxy = sidecarProxy(data, req);
  const notes: string[] = [];
  let host: RegistryHost | undefined;
  for (const c of hostCandidates(call.host, proxy.namespace)) {
    host = data.registryHost(c, proxy.namespace);
    if (host) break;
  }
  const port = call.port ?? (host && host.ports.length === 1 ? host.ports[0].number : 80);
  const base = { proxy: proxy.describe, clusters: [] as RouteCluster[], mirrors: [] as MirrorApplied[], notes };
  if (host && !host.assumed && !host.ports.some(p => p.number === port)) {
    notes.push(`${host.kind} ${host.namespace}/${host.obj?.metadata?.name} has no port ${port} (ports: ${host.ports.map(p => p.number).join(', ') || 'none'})`);
    host = undefined;
  } else if (host && !egressAllows(proxy, host, port)) {
    notes.push(`${describeRef(data.ref(proxy.sidecar))} does not import ${host.fqdn}:${port} into the caller's egress`);
    host = undefined;
  }
  if (!host) return outsideRegistry(data, proxy, call, port, base);
  const fqdn = host.fqdn.startsWith('*') ? call.host : host.fqdn;
  const portProtocol = host.ports.find(p => p.number === port)?.protocol ?? 'AUTO';
  const wantsHttp = call.protocol !== RequestProtocol.TCP && call.protocol !== RequestProtocol.TLS && !call.tls;
  const http = HTTP_PROTOCOLS.has(portProtocol) || (portProtocol === 'AUTO' && wantsHttp);
  const client: ClientView = { namespace: proxy.namespace, labels: proxy.labels };
  if (http && !wantsHttp) {
    return { ...base, listener: `0.0.0.0_${port}`, error: ERRORS.protocol, explanation: `${fqdn}:${port} is an HTTP port (${portProtocol}); the sidecar's HTTP connection manager cannot decode ${call.tls ? 'TLS' : call.protocol} traffic` };
  }
  const vs = onPort(virtualServiceFor(data, proxy, fqdn), port);
  for (const d of data.detachedRoutes) if (host.kind === 'Service' && d.parent === `Service ${host.namespace}/${host.obj?.metadata?.name}`) note(notes, d.note);
  const ownVs = (x: any) => !x.__origin && (x.spec?.hosts ?? []).some((h: string) => toFqdn(h, data.nsOf(x)) === fqdn);
  if (vs?.__gamma && data.virtualServices.some(ownVs)) {
    note(notes, `both a VirtualService and an HTTPRoute (GAMMA) apply to ${fqdn}; Istio does not define which wins (this model takes the VirtualService)`);
  }
  if (proxy.ambient && host.kind === 'Service') {
    // Ambient: the caller has no sidecar. Its ztunnel hands HTTP to the Service's waypoint, which routes as a
    // sidecar would (HTTPRoutes bound to the Service); without a waypoint ztunnel forwards at L4 only.
    // https://istio.io/latest/docs/ambient/usage/l7-features/
    const wp = serviceWaypoint(data, host);
    if (!wp) {
      note(notes, `the caller is in ambient mode and ${fqdn} uses no waypoint: ztunnel forwards the connection at L4; HTTP routes do not apply`);
      const cluster = buildCluster(data, client, fqdn, undefined, port, 100, 100, notes);
      return { ...base, proxy: `ztunnel (${proxy.describe})`, listener: `0.0.0.0_${port}`, clusters: [cluster], explanation: `ztunnel sends the connection to ${fqdn}:${port} (L4; no waypoint)` };
    }
    base.proxy = `waypoint ${wp}`;
  }
  if (!http) return routeTcpOrTls(data, proxy, call, host, fqdn, port, vs, client, base, TLS_PROTOCOLS.has(portProtocol) || call.tls);
  const virtualHost = `${fqdn}:${port}`;
  const http0 = { ...base, listener: `0.0.0.0_${port}`, routeConfig: String(port), virtualHost };
  if (!vs) {
    const cluster = buildCluster(data, client, fqdn, undefined, port, 100, 100, notes);
    return { ...http0, route: 'default', clusters: [cluster], explanation: `no VirtualService applies to ${fqdn}: the default route sends everything to ${cluster.cluster}` };
  }
  return routeHttp(data, proxy, call, port, vs ? httpEntries(data, [vs], proxy) : [], http0, client, vs);
}

/** A GAMMA route attached only to other ports of the Service (parentRef port or sectionName) leaves `port` to the default route. */
function onPort(vs: any, port: number): any {
  if (!vs?.__gamma) return vs;
  const elsewhere = (r: any) => (r.match ?? []).length > 0 && r.match.every((m: any) => m.port !== undefined && m.port !== port);
  return (vs.spec.http as any[]).every(elsewhere) ? undefined : vs;
}

/** The waypoint (`ns/name`) a Service's traffic goes through: its `istio.io/use-waypoint` label, else its namespace's. */
function serviceWaypoint(data: MeshData, host: RegistryHost): string | undefined {
  const labels = host.obj?.metadata?.labels ?? {};
  const nsLabels = data.namespaces.get(host.namespace)?.metadata?.labels ?? {};
  const src = labels['istio.io/use-waypoint'] !== undefined ? labels : nsLabels;
  const name = src['istio.io/use-waypoint'];
  if (name === undefined || name === 'none') return undefined;
  return `${src['istio.io/use-waypoint-namespace'] ?? host.namespace}/${name}`;
}

function outsideRegistry(data: MeshData, proxy: Proxy, call: Call, port: number, base: any): RouteAnswer {
  const mode = proxy.sidecar?.spec?.outboundTrafficPolicy?.mode ?? data.outboundTrafficPolicy;
  const decidedBy = proxy.sidecar?.spec?.outboundTrafficPolicy?.mode ? data.ref(proxy.sidecar, 'spec.outboundTrafficPolicy') : undefined;
  const registryOnly = mode === 'REGISTRY_ONLY';
  const name = registryOnly ? 'block_all' : 'allow_any';
  const cluster = registryOnly ? 'BlackHoleCluster' : 'PassthroughCluster';
  base.notes.push(`${call.host} is not a Service or ServiceEntry visible to the ${proxy.describe}`);
  const http = call.protocol !== RequestProtocol.TCP && call.protocol !== RequestProtocol.TLS && !call.tls;
  return {
    ...base,
    listener: http ? `0.0.0.0_${port}` : 'virtualOutbound',
    ...(http ? { routeConfig: String(port), virtualHost: name, route: name } : {}),
    clusters: [{ cluster, host: call.host, port, weight: 100, share: 100, policy: { loadBalancer: 'ORIGINAL_DST', tlsMode: 'DISABLE', autoMtls: false } }],
    ...(decidedBy ? { decidedBy } : {}),
    explanation: registryOnly
      ? `${call.host}:${port} is outside the registry and the outbound traffic policy is REGISTRY_ONLY: the request is dropped (BlackHoleCluster)`
      : `${call.host}:${port} is outside the registry; with outbound traffic policy ALLOW_ANY it passes through to the original destination (PassthroughCluster)`,
  };
}

/**
 * The VirtualService a sidecar uses for a host: bound to `mesh`, exported to the caller, an exact host before the
 * most specific wildcard; of several for one host the oldest (input order) wins, since sidecars do not merge
 * VirtualServices.
 * @see https://istio.io/latest/docs/ops/best-practices/traffic-management/#split-virtual-services
 */
function virtualServiceFor(data: MeshData, proxy: Proxy, fqdn: string): any {
  const candidates: Array<{ vs: any; host: string }> = [];
  for (const vs of data.virtualServices) {
    const gws: string[] = Array.isArray(vs.spec?.gateways) && vs.spec.gateways.length > 0 ? vs.spec.gateways : ['mesh'];
    if (!gws.includes('mesh') || !data.exportedTo(vs, proxy.namespace)) continue;
    for (const h of Array.isArray(vs.spec?.hosts) ? vs.spec.hosts : []) {
      const full = toFqdn(String(h), data.nsOf(vs));
      if (full === fqdn || (full.startsWith('*') && hostsMatch(full, fqdn))) candidates.push({ vs, host: full });
    }
  }
  return candidates.find(c => c.host === fqdn)?.vs ?? mostSpecific(candidates, c => c.host)?.vs;
}

/** The HTTP routes of VirtualServices in order, delegates expanded in place. */
function httpEntries(data: MeshData, vss: any[], proxy: Proxy): HttpEntry[] {
  const out: HttpEntry[] = [];
  for (const vs of vss) {
    const rules = Array.isArray(vs.spec?.http) ? vs.spec.http : [];
    rules.forEach((rule: any, index: number) => {
      if (!rule || typeof rule !== 'object') return;
      if (rule.delegate) {
        const ns = rule.delegate.namespace ?? data.nsOf(vs);
        const d = data.virtualServices.find(x => data.nsOf(x) === ns && x.metadata?.name === rule.delegate.name);
        const delegatedBy = data.ref(vs, `spec.http[${index}]`, index, rule.name);
        if (!d) return;
        (Array.isArray(d.spec?.http) ? d.spec.http : []).forEach((dr: any, j: number) => {
          if (dr && typeof dr === 'object') out.push({ vs: d, rule: dr, index: j, rootMatches: rule.match, delegatedBy });
        });
        return;
      }
      out.push({ vs, rule, index });
    });
  }
  void proxy;
  return out;
}

interface MatchContext {
  readonly proxy: Proxy;
  readonly call: Call;
  readonly port: number;
  /** For a gateway: the `ns/name` of the Gateway whose server took the request. */
  readonly gateway?: string;
}

/** Whether an HTTPMatchRequest matches; returns the match when it does. */
function httpMatch(m: any, vsNs: string, ctx: MatchContext): boolean {
  if (!m || typeof m !== 'object') return true;
  const { call } = ctx;
  const uriOk = (u: any) => (u.__pathSeparated ? pathSeparatedPrefix(u.prefix, call.path) : stringMatches(u, call.path, m.ignoreUriCase === true));
  if (m.uri && !uriOk(m.uri)) return false;
  if (m.scheme && !stringMatches(m.scheme, call.tls ? 'https' : 'http')) return false;
  if (m.method && !stringMatches(m.method, call.method)) return false;
  if (m.authority && !stringMatches(m.authority, call.authority)) return false;
  for (const [name, sm] of Object.entries(m.headers ?? {})) {
    if (!stringMatches(sm, headerValue(call, name.toLowerCase()))) return false;
  }
  for (const [name, sm] of Object.entries(m.withoutHeaders ?? {})) {
    if (stringMatches(sm, headerValue(call, name.toLowerCase()))) return false;
  }
  for (const [name, sm] of Object.entries(m.queryParams ?? {})) {
    if (!stringMatches(sm, call.query[name])) return false;
  }
  return commonMatch(m, vsNs, ctx);
}

/** Envoy's path_separated_prefix (Gateway API PathPrefix): whole path segments, a trailing `/` ignored. */
function pathSeparatedPrefix(prefix: string, path: string): boolean {
  const p = prefix.replace(/\/+$/, '');
  return p === '' || path === p || path.startsWith(`${p}/`);
}

function headerValue(call: Call, name: string): string | undefined {
  if (name === ':authority' || name === 'host') return call.authority;
  if (name === ':method') return call.method;
  if (name === ':path') return call.path;
  return call.headers[name];
}

/** The match fields HTTP, TCP and TLS routes share: port, sourceLabels, sourceNamespace, gateways. */
function commonMatch(m: any, vsNs: string, ctx: MatchContext): boolean {
  if (m.port !== undefined && m.port !== ctx.port) return false;
  if (m.sourceLabels && !matchesSelector(ctx.proxy.labels, m.sourceLabels)) return false;
  if (m.sourceNamespace !== undefined && m.sourceNamespace !== ctx.proxy.namespace) return false;
  if (Array.isArray(m.gateways) && m.gateways.length > 0) {
    const self = ctx.proxy.kind === 'sidecar' ? 'mesh' : ctx.gateway;
    if (!m.gateways.some((g: string) => (g === 'mesh' ? 'mesh' : gatewayKey(g, vsNs)) === self)) return false;
  }
  return true;
}

function gatewayKey(ref: string, vsNs: string): string {
  const [ns, name] = splitRef(ref, vsNs);
  return `${ns}/${name}`;
}

function matchingMatch(matches: any[] | undefined, vsNs: string, ctx: MatchContext): { ok: boolean; match?: any } {
  if (!Array.isArray(matches) || matches.length === 0) return { ok: true };
  const hit = matches.find(m => httpMatch(m, vsNs, ctx));
  return hit ? { ok: true, match: hit } : { ok: false };
}

function routeHttp(data: MeshData, proxy: Proxy, call: Call, port: number, entries: HttpEntry[], base: any, client: ClientView,
  vsForNote: any, gateway?: string): RouteAnswer {
  const ctx: MatchContext = { proxy, call, port, gateway };
  for (const e of entries) {
    if (e.rootMatches && !matchingMatch(e.rootMatches, e.delegatedBy!.namespace, ctx).ok) continue;
    const m = matchingMatch(e.rule.match, data.nsOf(e.vs), ctx);
    if (!m.ok) continue;
    return applyHttpRule(data, e, m.match, call, port, base, client);
  }
  const where = vsForNote ? describeRef(data.ref(vsForNote)) : 'the virtual host';
  return { ...base, error: ERRORS.noRoute, decidedBy: vsForNote ? data.ref(vsForNote) : undefined, explanation: `no rule of ${where} matches ${call.method} ${call.path}: Envoy answers 404` };
}

function applyHttpRule(data: MeshData, e: HttpEntry, match: any, call: Call, port: number, base: any, client: ClientView): RouteAnswer {
  const rule = e.rule;
  const vsNs = data.nsOf(e.vs);
  const name = rule.name && match?.name ? `${rule.name}.${match.name}` : (rule.name ?? '');
  const decidedBy = data.ref(e.vs, `spec.http[${e.index}]`, e.index, rule.name);
  const notes: string[] = base.notes;
  for (const n of listOf(rule.__notes)) note(notes, `${describeRef(decidedBy)}: ${n}`);
  const answer: any = { ...base, route: name, decidedBy, ...(e.delegatedBy ? { delegatedBy: e.delegatedBy } : {}) };
  const by = describeRef(decidedBy);
  if (rule.redirect) {
    const r = rule.redirect;
    const code = r.redirectCode ?? 301;
    const scheme = r.scheme ?? (call.tls ? 'https' : 'http');
    const authority = r.authority ?? call.host;
    const rport = r.port !== undefined ? `:${r.port}` : '';
    const uri = r.__replacePrefix !== undefined ? rewritePath(r.__replacePrefix, match, call.path) : r.uri ?? call.path;
    const redirect: RedirectApplied = { code, location: `${scheme}://${authority}${rport}${uri}` };
    return { ...answer, redirect, explanation: `${by} redirects with ${code} to ${redirect.location}` };
  }
  if (rule.directResponse) {
    const body = rule.directResponse.body?.string ?? (rule.directResponse.body?.bytes ? '<bytes>' : undefined);
    return { ...answer, directResponse: { status: rule.directResponse.status, ...(body !== undefined ? { body } : {}) }, explanation: `${by} answers ${rule.directResponse.status} itself` };
  }
  const dests: any[] = listOf(rule.route);
  const weights = dests.map(d => (dests.length === 1 ? d.weight ?? 100 : d.weight ?? 0));
  const total = weights.reduce((a, b) => a + b, 0);
  answer.clusters = dests.map((d, i) => {
    const host = toFqdn(String(d.destination?.host ?? ''), vsNs);
    const dport = destinationPort(data, client, host, d.destination?.port?.number, port);
    return buildCluster(data, client, host, d.destination?.subset, dport, weights[i], total > 0 ? (weights[i] * 100) / total : 0, notes);
  });
  if (rule.timeout !== undefined) answer.timeout = String(rule.timeout);
  if (rule.retries) {
    const retries: RetriesApplied = {
      attempts: rule.retries.attempts ?? 0,
      ...(rule.retries.perTryTimeout ? { perTryTimeout: String(rule.retries.perTryTimeout) } : {}),
      ...(rule.retries.retryOn ? { retryOn: String(rule.retries.retryOn) } : {}),
    };
    answer.retries = retries;
  }
  if (rule.fault) answer.fault = fault(rule.fault);
  answer.mirrors = mirrors(data, rule, vsNs, port, client);
  if (rule.rewrite) {
    const rw: any = {};
    if (rule.rewrite.uri !== undefined) rw.path = rewritePath(rule.rewrite.uri, match, call.path);
    if (rule.rewrite.uriRegexRewrite) {
      try {
        rw.path = call.path.replace(new RegExp(rule.rewrite.uriRegexRewrite.match), String(rule.rewrite.uriRegexRewrite.rewrite).replace(/\\(\d)/g, '$$$1'));
      } catch {
        notes.push('uriRegexRewrite uses RE2 syntax this model cannot evaluate');
      }
    }
    if (rule.rewrite.authority !== undefined) rw.authority = rule.rewrite.authority;
    answer.rewrite = rw;
  }
  const rh = headerChanges(rule.headers?.request);
  if (rh) answer.requestHeaders = rh;
  const sh = headerChanges(rule.headers?.response);
  if (sh) answer.responseHeaders = sh;
  const split = answer.clusters.map((c: RouteCluster) => `${c.cluster} ${fmtShare(c.share)}%`).join(', ');
  answer.explanation = `${by}${e.delegatedBy ? ` (delegated by ${describeRef(e.delegatedBy)})` : ''} matches and sends ${split || 'nothing'}`;
  return answer;
}

function note(notes: string[], text: string) {
  if (!notes.includes(text)) notes.push(text);
}

/** A share for humans: whole numbers as such, else two decimals. @internal */
export function fmtShare(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

function rewritePath(uri: string, match: any, path: string): string {
  const m = match?.uri;
  if (m?.__pathSeparated) {
    // Gateway API ReplacePrefixMatch: the matched segments replaced, joined by exactly one `/`.
    const rest = path.slice(String(m.prefix).replace(/\/+$/, '').length).replace(/^\/+/, '');
    const head = uri.replace(/\/+$/, '');
    return rest ? `${head}/${rest}` : (head || '/');
  }
  if (m && typeof m.prefix === 'string') return uri + path.slice(m.prefix.length);
  if (m && typeof m.exact === 'string') return uri;
  // Without a prefix match Envoy's prefix_rewrite replaces the route's `/` prefix.
  return uri + path.slice(1);
}

function fault(f: any): FaultApplied {
  const pct = (x: any) => (x?.percentage?.value ?? x?.percent ?? 100);
  return {
    ...(f.delay ? { delay: String(f.delay.fixedDelay ?? f.delay.exponentialDelay), delayPercent: pct(f.delay) } : {}),
    ...(f.abort ? { abortStatus: f.abort.httpStatus ?? f.abort.grpcStatus, abortPercent: pct(f.abort) } : {}),
  };
}

function mirrors(data: MeshData, rule: any, vsNs: string, port: number, client: ClientView): MirrorApplied[] {
  const out: MirrorApplied[] = [];
  const one = (dest: any, percent: number) => {
    const host = toFqdn(String(dest?.host ?? ''), vsNs);
    const dport = destinationPort(data, client, host, dest?.port?.number, port);
    out.push({ cluster: clusterName(dport, dest?.subset, host), percent });
  };
  if (rule.mirror) one(rule.mirror, rule.mirrorPercentage?.value ?? rule.mirrorPercent ?? 100);
  for (const m of listOf(rule.mirrors)) one(m?.destination, m?.percentage?.value ?? 100);
  return out;
}

function headerChanges(h: any): HeaderChanges | undefined {
  if (!h || typeof h !== 'object') return undefined;
  return { set: { ...(h.set ?? {}) }, add: { ...(h.add ?? {}) }, remove: [...(h.remove ?? [])] };
}

/** Istio's cluster name. */
function clusterName(port: number, subset: string | undefined, host: string): string {
  return `outbound|${port}|${subset ?? ''}|${host}`;
}

/** A destination without a port goes to the host's only port, else the port the request came on. */
function destinationPort(data: MeshData, client: ClientView, fqdn: string, explicit: number | undefined, requestPort: number): number {
  if (explicit !== undefined) return explicit;
  const h = data.registryHost(fqdn, client.namespace);
  return h && h.ports.length === 1 ? h.ports[0].number : requestPort;
}

function buildCluster(data: MeshData, client: ClientView, fqdn: string, subset: string | undefined, port: number,
  weight: number, share: number, notes: string[]): RouteCluster {
  const host = data.registryHost(fqdn, client.namespace);
  if (host?.assumed) {
    note(notes, `${fqdn} is not in the input, which does not describe namespace ${host.namespace}: it is assumed to be a Service there (ports and endpoints unknown)`);
  }
  if (!host) {
    notes.push(`${fqdn} is not a Service or ServiceEntry visible from ${client.namespace}: Envoy has no endpoints for ${clusterName(port, subset, fqdn)} (503)`);
  } else if (subset !== undefined) {
    const dr = destinationRuleFor(data, client, fqdn, host.namespace);
    if (!dr || !dr.subsets.some(s => s.subset.name === subset)) {
      notes.push(`subset ${subset} of ${fqdn} is not defined by a DestinationRule visible from ${client.namespace}: Envoy has no cluster ${clusterName(port, subset, fqdn)} (503)`);
    }
  }
  return {
    cluster: clusterName(port, subset, fqdn),
    host: fqdn,
    ...(subset !== undefined ? { subset } : {}),
    port,
    weight,
    share,
    policy: destinationPolicy(data, client, host, fqdn, subset, port),
  };
}

function routeTcpOrTls(data: MeshData, proxy: Proxy, call: Call, host: RegistryHost | undefined, fqdn: string, port: number,
  vs: any, client: ClientView, base: any, tls: boolean, gateway?: string): RouteAnswer {
  const section = tls ? 'tls' : 'tcp';
  const ctx: MatchContext = { proxy, call, port, gateway };
  const rules: any[] = vs && Array.isArray(vs.spec?.[section]) ? vs.spec[section] : [];
  const listener = `0.0.0.0_${port}`;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    const matches: any[] = Array.isArray(rule?.match) ? rule.match : [];
    const ok = matches.length === 0 || matches.some(m => commonMatch(m, data.nsOf(vs), ctx)
      && (!tls || (Array.isArray(m.sniHosts) && m.sniHosts.some((s: string) => call.sni !== undefined && hostsMatch(s, call.sni)))));
    if (!ok) continue;
    const dests: any[] = listOf(rule.route);
    const weights = dests.map(d => (dests.length === 1 ? d.weight ?? 100 : d.weight ?? 0));
    const total = weights.reduce((a, b) => a + b, 0);
    const clusters = dests.map((d, j) => {
      const h = toFqdn(String(d.destination?.host ?? ''), data.nsOf(vs));
      const dport = destinationPort(data, client, h, d.destination?.port?.number, port);
      return buildCluster(data, client, h, d.destination?.subset, dport, weights[j], total > 0 ? (weights[j] * 100) / total : 0, base.notes);
    });
    const decidedBy = data.ref(vs, `spec.${section}[${i}]`, i);
    return { ...base, listener, clusters, decidedBy, explanation: `${describeRef(decidedBy)} matches and sends ${clusters.map(c => `${c.cluster} ${fmtShare(c.share)}%`).join(', ')}` };
  }
  if (proxy.kind === 'gateway') {
    return { ...base, listener, error: ERRORS.noFilterChain, explanation: `no ${section} route of a VirtualService bound to ${gateway} matches ${call.sni ?? call.host}:${port}` };
  }
  const cluster = buildCluster(data, client, fqdn, undefined, port, 100, 100, base.notes);
  void host;
  return { ...base, listener, clusters: [cluster], explanation: `${vs ? `no ${section} rule of ${describeRef(data.ref(vs))} matches; ` : ''}the ${tls ? 'TLS (SNI)' : 'TCP'} proxy sends the connection to ${cluster.cluster}` };
}

// ------------------------------------------------------------------------------------------------ gateway

/** Istio's default ingress gateway Service maps 80 → 8080 and 443 → 8443 (the Helm chart's values). */
const DEFAULT_INGRESS_PORTS: Record<number, number> = { 80: 8080, 443: 8443 };

function routeAtGateway(data: MeshData, req: MeshRequest, call: Call): RouteAnswer {
  let labels: Record<string, string>;
  if (req.gatewayLabels) {
    labels = req.gatewayLabels;
  } else {
    const [ns, name] = splitRef(req.gateway!, data.defaultNamespace);
    const gw = data.gateways.find(g => data.nsOf(g) === ns && g.metadata?.name === name && !g.__gatewayApi);
    const apiGw = gw ? undefined : data.gatewayApiGateways.find(g => data.nsOf(g) === ns && g.metadata?.name === name);
    if (!gw && !apiGw) {
      const waypoint = data.waypoints.some(g => data.nsOf(g) === ns && g.metadata?.name === name);
      throw new Error(`MeshModel.route: gateway '${req.gateway}' is ${waypoint ? 'a waypoint (gatewayClassName istio-waypoint), which routes east-west traffic: ask for the request to the Service instead' : 'not an Istio Gateway or a Gateway API Gateway of an Istio class in the input (write namespace/name)'}`);
    }
    if (apiGw) return routeAtGatewayApi(data, `${ns}/${name}`, call);
    labels = gw.spec?.selector ?? {};
  }
  const pods = data.index.select(labels);
  const namespace = pods[0]?.namespace ?? data.rootNamespace;
  const inForce = new Map<string, any>();
  for (const g of data.gateways) if (!g.__gatewayApi && matchesSelector(labels, g.spec?.selector ?? {})) inForce.set(`${data.nsOf(g)}/${g.metadata?.name}`, g);
  const describe = `gateway ${Object.keys(labels).sort().map(k => `${k}=${labels[k]}`).join(',')}`;
  return routeAtProxy(data, { kind: 'gateway', namespace, labels, describe, gateways: inForce }, pods, call, []);
}

/**
 * A Gateway API Gateway: its proxy is the Deployment istiod creates for it, listening on the listeners' ports
 * themselves, with the Istio Gateways generated for its listeners in force.
 */
function routeAtGatewayApi(data: MeshData, key: string, call: Call): RouteAnswer {
  const [namespace, name] = splitRef(key, data.defaultNamespace);
  const inForce = new Map<string, any>();
  for (const g of data.gateways) if (g.__gatewayApi === key) inForce.set(`${data.nsOf(g)}/${g.metadata?.name}`, g);
  const labels = { [GATEWAY_NAME_LABEL]: name };
  const notes = data.detachedRoutes.filter(d => d.parent === `Gateway ${key}`).map(d => d.note);
  return routeAtProxy(data, { kind: 'gateway', namespace, labels, describe: `gateway ${key}`, gateways: inForce }, [], call, notes, true);
}

function routeAtProxy(data: MeshData, proxy: Proxy, pods: Workload[], call: Call, notes: string[], gatewayApi = false): RouteAnswer {
  const { namespace, labels, describe } = proxy;
  const inForce = proxy.gateways;
  const base = { proxy: describe, clusters: [] as RouteCluster[], mirrors: [] as MirrorApplied[], notes };
  const requested = call.port ?? (call.tls ? 443 : 80);
  const port = gatewayApi ? requested : listenerPort(data, labels, pods, requested, notes);
  const servers: Array<{ server: any; gw: any; key: string; index: number }> = [];
  for (const [key, g] of inForce) {
    (Array.isArray(g.spec?.servers) ? g.spec.servers : []).forEach((s: any, index: number) => {
      // istiod binds a server to the gateway Service's port or to its target port alike.
      if (s?.port?.number === port || s?.port?.number === requested) servers.push({ server: s, gw: g, key, index });
    });
  }
  if (servers.length === 0) {
    return { ...base, error: ERRORS.noListener, explanation: `no server of the Gateways on this proxy (${[...inForce.keys()].join(', ') || 'none'}) listens on port ${port}` };
  }
  const listener = `0.0.0.0_${port}`;
  const proto = (s: any) => String(s.port?.protocol ?? '').toUpperCase();
  const tlsMode = (s: any) => String(s.tls?.mode ?? 'SIMPLE');
  const terminates = (s: any) => TLS_PROTOCOLS.has(proto(s)) && !['PASSTHROUGH', 'AUTO_PASSTHROUGH'].includes(tlsMode(s));
  const sniOk = (s: any) => (s.hosts ?? []).some((h: string) => call.sni !== undefined && hostsMatch(splitRef(h, '*')[1], call.sni));
  const wantsHttp = call.protocol !== RequestProtocol.TCP && call.protocol !== RequestProtocol.TLS;
  let chosen: typeof servers;
  let routeConfig: string;
  if (call.tls) {
    const tlsServers = servers.filter(s => TLS_PROTOCOLS.has(proto(s.server)) && sniOk(s.server));
    if (tlsServers.length === 0) return { ...base, listener, error: ERRORS.noFilterChain, explanation: `no TLS server on port ${port} takes SNI ${call.sni ?? '(none)'}` };
    const first = tlsServers[0];
    if (!terminates(first.server) || !wantsHttp) {
      const passthrough = !terminates(first.server);
      const vss = boundVirtualServices(data, proxy, [first]);
      const tlsCall = { ...call };
      for (const { vs } of vss) {
        const r = routeTcpOrTls(data, proxy, tlsCall, undefined, call.host, port, vs, { namespace, labels }, base, passthrough, first.key);
        if (!r.error) return r;
      }
      return { ...base, listener, error: ERRORS.noFilterChain, explanation: `no ${passthrough ? 'tls' : 'tcp'} route of a VirtualService bound to ${first.key} matches ${call.sni}:${port}` };
    }
    chosen = [first];
    routeConfig = `https.${first.server.port?.number}.${first.server.port?.name ?? ''}.${first.gw.metadata?.name}.${data.nsOf(first.gw)}`;
  } else {
    const plainHttp = servers.filter(s => HTTP_PROTOCOLS.has(proto(s.server)));
    const tcp = servers.filter(s => !HTTP_PROTOCOLS.has(proto(s.server)) && !TLS_PROTOCOLS.has(proto(s.server)));
    if (plainHttp.length === 0 && tcp.length === 0) {
      return { ...base, listener, error: ERRORS.noFilterChain, explanation: `port ${port} only has TLS servers (${servers.map(s => `${s.key} spec.servers[${s.index}]`).join(', ')}); a plaintext request matches no filter chain` };
    }
    if (plainHttp.length === 0 || !wantsHttp) {
      if (plainHttp.length > 0 && tcp.length === 0) return { ...base, listener, error: ERRORS.protocol, explanation: `port ${port} is an HTTP server; ${call.protocol} traffic cannot be decoded` };
      for (const { vs } of boundVirtualServices(data, proxy, tcp)) {
        const r = routeTcpOrTls(data, proxy, call, undefined, call.host, port, vs, { namespace, labels }, base, false, tcp[0].key);
        if (!r.error) return r;
      }
      return { ...base, listener, error: ERRORS.noFilterChain, explanation: `no tcp route of a VirtualService bound to ${tcp[0].key} matches port ${port}` };
    }
    chosen = plainHttp;
    routeConfig = `http.${plainHttp[0].server.port.number}`;
  }
  // Route configurations and virtual hosts are named after the server's port, which may be the Service port.
  return gatewayHttp(data, proxy, call, chosen[0].server.port.number, chosen, { ...base, listener, routeConfig });
}

/** The port the gateway listens on for a request to its Service's port (the Service's targetPort). */
function listenerPort(data: MeshData, labels: Record<string, string>, pods: Workload[], requested: number, notes: string[]): number {
  const svc = data.index.services.find(s => s.selector && Object.keys(s.selector).length > 0
    && pods.some(p => matchesSelector(p.labels, s.selector)) && s.ports.some(p => p.number === requested));
  if (!svc) {
    // The analysis stands in Istio's default ingress gateway Pod when the input has none, never its Service;
    // requests to that gateway are mapped as Istio's default chart maps them (80 -> 8080, 443 -> 8443).
    const target = pods.some(w => w.synthetic) ? DEFAULT_INGRESS_PORTS[requested] ?? requested : requested;
    if (target !== requested) notes.push(`Istio's default ingress gateway Service maps port ${requested} to the gateway's port ${target}`);
    return target;
  }
  const p = svc.ports.find(x => x.number === requested)!;
  const target = typeof p.targetPort === 'number' ? p.targetPort : requested;
  if (target !== requested) notes.push(`Service ${svc.namespace}/${svc.name} maps port ${requested} to the gateway's port ${target}`);
  void labels;
  return target;
}

/** VirtualServices bound to a Gateway owning one of `servers`, exported to the gateway's namespace. */
function boundVirtualServices(data: MeshData, proxy: Proxy, servers: Array<{ key: string }>): Array<{ vs: any; gatewayKey: string }> {
  const keys = new Set(servers.map(s => s.key));
  const out: Array<{ vs: any; gatewayKey: string }> = [];
  for (const vs of data.virtualServices) {
    if (!data.exportedTo(vs, proxy.namespace) && !servers.some(s => data.exportedTo(vs, s.key.split('/')[0]))) continue;
    const refs: string[] = Array.isArray(vs.spec?.gateways) ? vs.spec.gateways : [];
    const hit = refs.map(g => gatewayKey(g, data.nsOf(vs))).find(k => keys.has(k));
    if (hit) out.push({ vs, gatewayKey: hit });
  }
  return out;
}

/** Whether a server's `ns/host` admits a VirtualService host from `vsNs`; returns the virtual host name. */
function bindHost(serverHost: string, gwNs: string, vsHost: string, vsNs: string): string | undefined {
  const [ns, h] = splitRef(serverHost, '*');
  if (!(ns === '*' || (ns === '.' ? vsNs === gwNs : ns === vsNs))) return undefined;
  if (!hostsMatch(h, vsHost)) return undefined;
  // The more specific of the two names the virtual host.
  if (h.startsWith('*') && !vsHost.startsWith('*')) return vsHost;
  if (vsHost.startsWith('*') && !h.startsWith('*')) return h;
  return h.length >= vsHost.length ? h : vsHost;
}

/**
 * A gateway's HTTP routes for a port: one virtual host per VirtualService host bound to a server's hosts; several
 * VirtualServices for one host merge their routes in order.
 * @see https://istio.io/latest/docs/ops/best-practices/traffic-management/#split-virtual-services
 */
type GatewayServer = { server: any; gw: any; key: string; index: number };
type VirtualHostEntry = { vss: any[]; gatewayKey: string; redirect: boolean; server: string };

/** The virtual hosts of a gateway's servers: one per VirtualService host bound to a server host. */
function gatewayVirtualHosts(data: MeshData, proxy: Proxy, servers: GatewayServer[]): Map<string, VirtualHostEntry> {
  const vhosts = new Map<string, VirtualHostEntry>();
  for (const { vs, gatewayKey: gk } of boundVirtualServices(data, proxy, servers)) {
    const vsNs = data.nsOf(vs);
    for (const raw of Array.isArray(vs.spec?.hosts) ? vs.spec.hosts : []) {
      const vsHost = String(raw).includes('.') || String(raw) === '*' || String(raw).startsWith('*') ? String(raw) : toFqdn(String(raw), vsNs);
      for (const s of servers) {
        if (s.key !== gk) continue;
        for (const sh of listOf(s.server.hosts)) {
          const name = bindHost(String(sh), data.nsOf(s.gw), vsHost, vsNs);
          if (!name) continue;
          let v = vhosts.get(name);
          if (!v) vhosts.set(name, (v = { vss: [], gatewayKey: gk, redirect: s.server.tls?.httpsRedirect === true, server: `${s.key} spec.servers[${s.index}]` }));
          if (!v.vss.includes(vs)) v.vss.push(vs);
        }
      }
    }
  }
  return vhosts;
}

function gatewayHttp(data: MeshData, proxy: Proxy, call: Call, port: number,
  servers: Array<{ server: any; gw: any; key: string; index: number }>, base: any): RouteAnswer {
  const vhosts = gatewayVirtualHosts(data, proxy, servers);
  if (vhosts.size === 0) {
    return { ...base, virtualHost: `blackhole:${port}`, error: ERRORS.noRoute, explanation: `no VirtualService is bound to the servers on port ${port} (${servers.map(s => s.key).join(', ')}): Envoy answers 404` };
  }
  const names = [...vhosts.keys()];
  const name = names.find(n => n === call.host)
    ?? mostSpecific(names.filter(n => n.startsWith('*') && n !== '*' && call.host.endsWith(n.slice(1))), n => n)
    ?? names.find(n => n === '*');
  if (!name) {
    return { ...base, error: ERRORS.noVirtualHost, explanation: `no virtual host on port ${port} takes ${call.host} (hosts: ${names.sort().join(', ')})` };
  }
  const v = vhosts.get(name)!;
  const withVh = { ...base, virtualHost: `${name}:${port}` };
  if (v.redirect && !call.tls) {
    return { ...withVh, error: ERRORS.tlsRedirect, explanation: `${v.server} sets httpsRedirect: plaintext requests are answered 301 to https` };
  }
  const client = { namespace: proxy.namespace, labels: proxy.labels };
  return routeHttp(data, proxy, call, port, httpEntries(data, v.vss, proxy), withVh, client, v.vss.length === 1 ? v.vss[0] : undefined, v.gatewayKey);
}

/** One route of a route table: what it matches and where it sends traffic. @internal */
export interface RouteTableEntry {
  readonly route: string;
  readonly match: string;
  readonly clusters: Array<{ cluster: string; share: number }>;
  readonly decidedBy?: DecidedBy;
}

/**
 * Every route the mesh has, for `diff` and `graph`: per registry host and port as a sidecar in the host's
 * namespace sees it, and per gateway virtual host.
 * @internal
 */
export function routeTable(data: MeshData): Map<string, RouteTableEntry[]> {
  const out = new Map<string, RouteTableEntry[]>();
  for (const host of data.registry) {
    if (host.fqdn.startsWith('*')) continue;
    const proxy: Proxy = { kind: 'sidecar', namespace: host.namespace, labels: {}, describe: '', gateways: new Map() };
    const client = { namespace: host.namespace, labels: {} };
    const hostVs = virtualServiceFor(data, proxy, host.fqdn);
    for (const p of host.ports.length > 0 ? host.ports : [{ number: 80 }]) {
      const vs = onPort(hostVs, p.number);
      const entries = vs ? httpEntries(data, [vs], proxy) : [];
      const tcp = vs ? [...(vs.spec?.tcp ?? []), ...(vs.spec?.tls ?? [])] : [];
      const rows = entries.map(e => tableRow(data, client, e.vs, e.rule, `spec.http[${e.index}]`, e.index, p.number, e.rootMatches));
      tcp.forEach((rule: any, i: number) => rows.push(tableRow(data, client, vs, rule, i < (vs.spec?.tcp ?? []).length ? `spec.tcp[${i}]` : `spec.tls[${i - (vs.spec?.tcp ?? []).length}]`, i, p.number)));
      if (rows.length === 0) rows.push({ route: 'default', match: '*', clusters: [{ cluster: clusterName(p.number, undefined, host.fqdn), share: 100 }] });
      out.set(`${host.fqdn}:${p.number}`, rows);
    }
  }
  for (const gw of data.gateways) {
    const key = `${data.nsOf(gw)}/${gw.metadata?.name}`;
    const proxy: Proxy = { kind: 'gateway', namespace: data.nsOf(gw), labels: gw.spec?.selector ?? {}, describe: '', gateways: new Map([[key, gw]]) };
    const client = { namespace: proxy.namespace, labels: proxy.labels };
    (Array.isArray(gw.spec?.servers) ? gw.spec.servers : []).forEach((server: any, index: number) => {
      const port = server?.port?.number;
      for (const [name, v] of gatewayVirtualHosts(data, proxy, [{ server, gw, key, index }])) {
        const rows = httpEntries(data, v.vss, proxy).map(e => tableRow(data, client, e.vs, e.rule, `spec.http[${e.index}]`, e.index, port, e.rootMatches));
        out.set(`gateway ${key} ${name}:${port}`, rows);
      }
    });
  }
  return out;
}

function tableRow(data: MeshData, client: ClientView, vs: any, rule: any, field: string, index: number, port: number,
  rootMatches?: any[]): RouteTableEntry {
  const vsNs = data.nsOf(vs);
  const dests: any[] = Array.isArray(rule?.route) ? rule.route : [];
  const weights = dests.map(d => (dests.length === 1 ? d.weight ?? 100 : d.weight ?? 0));
  const total = weights.reduce((a, b) => a + b, 0);
  const clusters = dests.map((d, i) => {
    const host = toFqdn(String(d.destination?.host ?? ''), vsNs);
    const dport = destinationPort(data, client, host, d.destination?.port?.number, port);
    return { cluster: clusterName(dport, d.destination?.subset, host), share: total > 0 ? (weights[i] * 100) / total : 0 };
  });
  const matches = [...(rootMatches ?? []), ...(Array.isArray(rule?.match) ? rule.match : [])];
  const match = matches.length === 0 ? '*' : matches.map(m => JSON.stringify(m)).join(' | ');
  const name = rule?.name ?? (rule?.redirect ? 'redirect' : rule?.directResponse ? 'direct response' : '');
  return { route: name, match, clusters, decidedBy: data.ref(vs, field, index, rule?.name) };
}
