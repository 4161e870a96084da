// Host names as Istio compares them, for every rule and analyzer: the cluster domain, short names expanded in
// a namespace, and wildcard-aware matching (Istio's host.Name.Matches and SubsetOf).
import { ClusterDomain } from '../core/cluster-domain';

/** The domain of Kubernetes Service hosts (`svc.` and Kubernetes' default cluster domain). @internal */
export const CLUSTER_DOMAIN = `svc.${ClusterDomain.DEFAULT}`;

const FQDN = new RegExp(`^(.+)\\.([^.]+)\\.${CLUSTER_DOMAIN.replace(/\./g, '\\.')}$`);

/** `name` → `name.ns.svc.cluster.local`; wildcards and dotted names stay as they are. @internal */
export function toFqdn(host: string, namespace: string): string {
  if (host.startsWith('*') || host.includes('.')) return host;
  return `${host}.${namespace}.${CLUSTER_DOMAIN}`;
}

/** `{name, namespace}` of a cluster-local FQDN, else the host as a short name in `namespace`. @internal */
export function resourceNameFromHost(host: string, namespace: string): { name: string; namespace: string } {
  const m = FQDN.exec(host);
  if (m) return { name: m[1], namespace: m[2] };
  return { name: host, namespace };
}

/** The namespace a cluster-local FQDN points into, if any. @internal */
export function namespaceOfHost(host: string, ownNamespace: string): string | undefined {
  const m = FQDN.exec(host);
  if (m) return m[2];
  return host.includes('.') || host.startsWith('*') ? undefined : ownNamespace;
}

/** Istio's host.Name.Matches: true when either host covers the other (wildcard-aware). @internal */
export function hostsMatch(a: string, b: string): boolean {
  const aw = a.startsWith('*');
  const bw = b.startsWith('*');
  if (!aw && !bw) return a === b;
  if (aw && bw) {
    const as = a.slice(1);
    const bs = b.slice(1);
    return as.length > bs.length ? as.endsWith(bs) : bs.endsWith(as);
  }
  const [w, c] = aw ? [a, b] : [b, a];
  return c.endsWith(w.slice(1));
}

/**
 * Istio's host.Name.SubsetOf: true when host `a` (maybe a wildcard) covers every name that `b` covers.
 * @internal
 */
export function hostCovers(a: string, b: string): boolean {
  if (a === '*' || a === b) return true;
  if (!a.startsWith('*')) return false;
  const suffix = a.slice(1);
  return b.startsWith('*') ? b.slice(1).endsWith(suffix) : b.endsWith(suffix);
}
