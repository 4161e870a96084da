// Istio's multicluster analyzers. MeshNetworksAnalyzer: every `fromRegistry` of the meshNetworks config (the
// `meshNetworks` option, istioctl's --meshNetworksFile) names a known service registry (Kubernetes, External,
// Mock) or a cluster with a remote secret (a Secret labelled istio/multiCluster=true) in the input (IST0126).
// ServiceAnalyzer: istiod merges the Services of one name and namespace from every cluster into one service, so
// they must agree on type, ports and headlessness (IST0170). Istio compares the clusters of `istioctl analyze
// --remote-contexts`; here they are the input and the `clusters` option (the CLI's --cluster).
import { MeshRule, RunContext } from '../engine';
import { Messages } from '../messages';
import { mapOf, objOf } from '../objects';

const REGISTRIES = ['Mock', 'Kubernetes', 'External'];

/** multicluster.MeshNetworksAnalyzer: once for the mesh, knowing the remote secrets of every cluster. @internal */
export const meshNetworksAnalyzer: MeshRule = {
  name: 'multicluster.MeshNetworksAnalyzer',
  checkMesh(clusters) {
    const primary = clusters[0];
    const networks = mapOf(primary.options.meshNetworks?.networks) as Record<string, any>;
    if (Object.keys(networks).length === 0) return;
    const known = new Set(REGISTRIES);
    for (const s of clusters.flatMap(c => c.ofKind('/Secret'))) {
      if (mapOf(s?.metadata?.labels)['istio/multiCluster'] !== 'true') continue;
      for (const k of Object.keys({ ...mapOf(s?.data), ...mapOf(s?.stringData) })) known.add(k);
    }
    // The findings belong to the meshNetworks config, which is not an object of the input.
    const config = { apiVersion: '', kind: 'MeshNetworks', metadata: { name: 'meshNetworks', namespace: primary.options.rootNamespace ?? 'istio-system' } };
    for (const [network, spec] of Object.entries(networks)) {
      const endpoints: unknown[] = Array.isArray(spec?.endpoints) ? spec.endpoints : [];
      endpoints.forEach((e: any, j) => {
        const registry = e?.fromRegistry;
        if (typeof registry !== 'string' || known.has(registry)) return;
        primary.reporterFor(config)(Messages.UnknownMeshNetworksServiceRegistry, { args: [registry, network], field: `networks.${network}.endpoints[${j}].fromRegistry`, problem: `unknown service registry ${registry} in network ${network}`, got: registry, fix: 'name a cluster that has a remote secret (istioctl create-remote-secret), or Kubernetes' });
      });
    }
  },
};

const HEADLESS = 'service has mixed mode like headless and clusterIP';
const TYPE = 'service type is inconsistent';
const PORTS = 'service ports are inconsistent';

/** One cluster's definition of a Service. */
interface Definition {
  readonly cluster: string;
  readonly service: any;
  readonly ctx: RunContext;
}

/**
 * A Service port as the API server stores it (protocol TCP and targetPort = port when omitted), so that a file
 * that leaves out a default agrees with one that spells it out; Istio compares the stored objects.
 */
function storedPort(p: unknown): string {
  const port = objOf(p);
  const stored: Record<string, unknown> = { ...port, protocol: port.protocol ?? 'TCP', targetPort: port.targetPort ?? port.port };
  return JSON.stringify(Object.keys(stored).sort().map(k => [k, stored[k]]));
}

/** Istio's compareServicePorts: the same ports, compared in name order. */
function samePorts(a: any, b: any): boolean {
  const ports = (s: any): any[] => (Array.isArray(s?.spec?.ports) ? s.spec.ports : []);
  const sorted = (s: any) => [...ports(s)].sort((x, y) => String(x?.name ?? '').localeCompare(String(y?.name ?? ''))).map(storedPort);
  const pa = sorted(a);
  const pb = sorted(b);
  return pa.length === pb.length && pa.every((p, i) => p === pb[i]);
}

const typeOf = (s: any): string => s?.spec?.type ?? 'ClusterIP';
const isHeadless = (s: any): boolean => s?.spec?.clusterIP === 'None';

/** Istio's findInconsistencies: the clusters that differ from the first, and why. */
function inconsistencies(defs: readonly Definition[]): { clusters: string[]; reasons: string[] } {
  const clusters = new Set<string>();
  const reasons = new Set<string>();
  const first = defs[0];
  // Headless in some clusters and not in others makes every cluster part of the problem.
  if (defs.some(d => isHeadless(d.service) !== isHeadless(first.service))) {
    defs.forEach(d => clusters.add(d.cluster));
    reasons.add(HEADLESS);
  }
  for (const d of defs.slice(1)) {
    if (typeOf(d.service) !== typeOf(first.service)) {
      clusters.add(d.cluster);
      reasons.add(TYPE);
    }
    if (!samePorts(first.service, d.service)) {
      clusters.add(d.cluster);
      reasons.add(PORTS);
    }
  }
  if (clusters.size > 0) clusters.add(first.cluster);
  return { clusters: [...clusters].sort(), reasons: [...reasons].sort() };
}

/** services.MultiClusterServiceAnalyzer. @internal */
export const multiClusterServiceAnalyzer: MeshRule = {
  name: 'services.MultiClusterServiceAnalyzer',
  checkMesh(clusters) {
    if (clusters.length < 2) return;
    const byName = new Map<string, Definition[]>();
    for (const ctx of clusters) {
      for (const service of ctx.ofKind('/Service')) {
        const name = service?.metadata?.name;
        if (typeof name !== 'string') continue;
        const key = `${ctx.namespaceOf(service)}/${name}`;
        let defs = byName.get(key);
        if (!defs) byName.set(key, (defs = []));
        defs.push({ cluster: ctx.cluster, service, ctx });
      }
    }
    for (const defs of byName.values()) {
      if (defs.length < 2) continue;
      const { clusters: differing, reasons } = inconsistencies(defs);
      if (differing.length === 0) continue;
      // Istio reports on one of the definitions; the first cluster's is the one a reader compares the others to.
      const { service, ctx } = defs[0];
      const name: string = service.metadata.name;
      const namespace = ctx.namespaceOf(service);
      const field = reasons.length === 1 && reasons[0] === PORTS ? 'spec.ports' : reasons.length === 1 && reasons[0] === TYPE ? 'spec.type' : 'spec';
      ctx.reporterFor(service)(Messages.MultiClusterInconsistentService, {
        args: [name, namespace, differing, reasons.join('; ')],
        field,
        problem: `the Service ${namespace}/${name} differs across clusters ${differing.join(', ')} (${reasons.join('; ')}), and istiod merges them into one service`,
        fix: 'define the Service alike in every cluster: the same type, the same ports (name, port, protocol, targetPort) and, in all or none, clusterIP: None',
      });
    }
  },
};
