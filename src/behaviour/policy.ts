// DestinationRule look-up and merging as istiod does it for one client proxy, and the mTLS mode of a server
// workload from PeerAuthentications. Both are shared by routing (the policy in force for each cluster),
// `mtls()` and authorization (whether peer identities are known).
import { MeshData, mostSpecific, RegistryHost } from './data';
import { DecidedBy, DestinationPolicy } from './types';
import { matchesSelector, Workload } from '../analysis/analyzers/mesh-index';
import { hostsMatch, toFqdn } from '../analysis/hosts';

/** The client side that looks a DestinationRule up. @internal */
export interface ClientView {
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

/**
 * The DestinationRule in force for `fqdn` seen from `client`: the client's namespace first, then the host's, then
 * the root namespace; in a namespace the most specific host wins, and rules for the same host merge (the first
 * one's traffic policy, subsets from all, the first of a name winning).
 * @see https://istio.io/latest/docs/ops/best-practices/traffic-management/#cross-namespace-configuration
 * @see https://istio.io/latest/docs/ops/best-practices/traffic-management/#split-virtual-services
 * @internal
 */
export function destinationRuleFor(data: MeshData, client: ClientView, fqdn: string,
  hostNamespace: string | undefined): { rules: any[]; trafficPolicy?: any; subsets: any[] } | undefined {
  const order = [...new Set([client.namespace, hostNamespace, data.rootNamespace].filter((n): n is string => n !== undefined))];
  for (const ns of order) {
    const candidates = data.destinationRules.filter(dr => {
      if (data.nsOf(dr) !== ns || !data.exportedTo(dr, client.namespace)) return false;
      const sel = dr.spec?.workloadSelector?.matchLabels;
      if (sel && (ns !== client.namespace || !matchesSelector(client.labels, sel))) return false;
      const h = typeof dr.spec?.host === 'string' ? toFqdn(dr.spec.host, ns) : undefined;
      return h !== undefined && (h === fqdn || (h.startsWith('*') && hostsMatch(h, fqdn)));
    });
    if (candidates.length === 0) continue;
    const exact = candidates.filter(dr => toFqdn(dr.spec.host, ns) === fqdn);
    const bestHost = exact.length > 0 ? fqdn : toFqdn(mostSpecific(candidates, dr => toFqdn(dr.spec.host, ns))!.spec.host, ns);
    const rules = candidates.filter(dr => toFqdn(dr.spec.host, ns) === bestHost);
    const subsets: any[] = [];
    for (const r of rules) {
      for (const s of Array.isArray(r.spec?.subsets) ? r.spec.subsets : []) {
        if (!subsets.some(x => x.subset.name === s?.name)) subsets.push({ subset: s, rule: r });
      }
    }
    const withPolicy = rules.find(r => r.spec?.trafficPolicy);
    return { rules, trafficPolicy: withPolicy?.spec?.trafficPolicy, subsets };
  }
  return undefined;
}

/** The policy fields a subset or port-level setting replaces. */
const POLICY_FIELDS = ['loadBalancer', 'connectionPool', 'outlierDetection', 'tls'];

/**
 * The destination policy for one cluster: the rule's traffic policy, the subset's fields over it, then the
 * port-level settings of the port.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy
 * @internal
 */
export function destinationPolicy(data: MeshData, client: ClientView, host: RegistryHost | undefined, fqdn: string,
  subset: string | undefined, port: number): DestinationPolicy {
  const found = destinationRuleFor(data, client, fqdn, host?.namespace);
  const effective: Record<string, any> = {};
  let decidingRule: any;
  const apply = (policy: any) => {
    if (!policy || typeof policy !== 'object') return;
    for (const f of POLICY_FIELDS) if (policy[f] !== undefined) effective[f] = policy[f];
    const pl = Array.isArray(policy.portLevelSettings) ? policy.portLevelSettings.find((p: any) => p?.port?.number === port) : undefined;
    if (pl) for (const f of POLICY_FIELDS) if (pl[f] !== undefined) effective[f] = pl[f];
  };
  let subsetLabels: Record<string, string> | undefined;
  if (found) {
    decidingRule = found.rules.find(r => r.spec?.trafficPolicy) ?? found.rules[0];
    apply(found.trafficPolicy);
    const s = subset !== undefined ? found.subsets.find(x => x.subset.name === subset) : undefined;
    if (s) {
      subsetLabels = s.subset.labels;
      apply(s.subset.trafficPolicy);
      if (s.subset.trafficPolicy) decidingRule = s.rule;
    }
  }
  const decidedBy: DecidedBy | undefined = decidingRule ? data.ref(decidingRule) : undefined;
  let tlsMode: string;
  let autoMtls = false;
  if (typeof effective.tls?.mode === 'string') {
    tlsMode = effective.tls.mode;
  } else {
    autoMtls = true;
    tlsMode = autoMtlsMode(data, host, subsetLabels, port);
  }
  return {
    loadBalancer: describeLoadBalancer(effective.loadBalancer),
    ...(effective.connectionPool ? { connectionPool: JSON.stringify(effective.connectionPool) } : {}),
    ...(effective.outlierDetection ? { outlierDetection: JSON.stringify(effective.outlierDetection) } : {}),
    tlsMode,
    autoMtls,
    ...(decidedBy ? { decidedBy } : {}),
  };
}

/**
 * Auto mTLS: Istio mutual TLS to endpoints that have a proxy (unless their PeerAuthentication disables it),
 * plaintext otherwise; `AUTO` when the input holds no endpoint of the host.
 * @see https://istio.io/latest/docs/concepts/security/#auto-mutual-tls
 */
function autoMtlsMode(data: MeshData, host: RegistryHost | undefined, subsetLabels: Record<string, string> | undefined, port: number): string {
  if (!host) return 'DISABLE';
  if (host.kind === 'ServiceEntry' && !host.selector) return 'DISABLE';
  const endpoints = data.endpoints(host, subsetLabels);
  if (endpoints.length === 0) return 'AUTO';
  const target = host.ports.find(p => p.number === port)?.targetPort ?? port;
  const mtls = endpoints.every(w => w.inMesh && serverMtls(data, w, target).mode !== 'DISABLE');
  return mtls ? 'ISTIO_MUTUAL' : 'DISABLE';
}

function describeLoadBalancer(lb: any): string {
  if (!lb || typeof lb !== 'object') return 'LEAST_REQUEST';
  if (typeof lb.simple === 'string') return lb.simple;
  if (lb.consistentHash && typeof lb.consistentHash === 'object') {
    const ch = lb.consistentHash;
    const key = Object.keys(ch).find(k => ['httpHeaderName', 'httpCookie', 'useSourceIp', 'httpQueryParameterName'].includes(k));
    const value = key === undefined ? '' : typeof ch[key] === 'object' ? ch[key].name : String(ch[key]);
    return `consistentHash(${key ?? 'unspecified'}${key ? `=${value}` : ''})`;
  }
  return 'LEAST_REQUEST';
}

/**
 * A server workload's mTLS mode on a (container) port and the PeerAuthentication that decided it: a workload
 * selector policy in its namespace over the namespace-wide one over the root namespace's; port-level modes over
 * the policy's; `UNSET` inherits from the next level; PERMISSIVE by default.
 * @see https://istio.io/latest/docs/concepts/security/#peer-authentication
 * @internal
 */
export function serverMtls(data: MeshData, w: Workload, port: number): { mode: string; policy?: DecidedBy } {
  const levels: any[] = [];
  const inNs = data.peerAuthentications.filter(pa => data.nsOf(pa) === w.namespace);
  const bySelector = inNs.find(pa => pa.spec?.selector?.matchLabels && Object.keys(pa.spec.selector.matchLabels).length > 0
    && matchesSelector(w.labels, pa.spec.selector.matchLabels));
  const nsWide = inNs.find(pa => !pa.spec?.selector?.matchLabels || Object.keys(pa.spec.selector.matchLabels).length === 0);
  const root = data.peerAuthentications.find(pa => data.nsOf(pa) === data.rootNamespace
    && (!pa.spec?.selector?.matchLabels || Object.keys(pa.spec.selector.matchLabels).length === 0));
  for (const pa of [bySelector, nsWide, root]) if (pa) levels.push(pa);
  for (const pa of levels) {
    const portLevel = pa === bySelector ? pa.spec?.portLevelMtls?.[String(port)]?.mode : undefined;
    if (portLevel && portLevel !== 'UNSET') return { mode: portLevel, policy: data.ref(pa, `spec.portLevelMtls.${port}`) };
    const mode = pa.spec?.mtls?.mode;
    if (mode && mode !== 'UNSET') return { mode, policy: data.ref(pa, 'spec.mtls') };
  }
  return { mode: 'PERMISSIVE' };
}
