// Istio's multicluster.MeshNetworksAnalyzer: every `fromRegistry` of the meshNetworks config (the `meshNetworks`
// option, istioctl's --meshNetworksFile) names a known service registry (Kubernetes, External, Mock) or a
// cluster with a remote secret (a Secret labelled istio/multiCluster=true) in the input (IST0126). Istio's
// multicluster.ServiceAnalyzer compares clusters and has no single-input equivalent.
import { CrossRule } from '../engine';
import { Messages } from '../messages';
import { mapOf } from '../objects';

const REGISTRIES = ['Mock', 'Kubernetes', 'External'];

/** multicluster.MeshNetworksAnalyzer. @internal */
export const meshNetworksAnalyzer: CrossRule = {
  name: 'multicluster.MeshNetworksAnalyzer',
  check(ctx) {
    const networks = mapOf(ctx.options.meshNetworks?.networks) as Record<string, any>;
    if (Object.keys(networks).length === 0) return;
    const known = new Set(REGISTRIES);
    for (const s of ctx.ofKind('/Secret')) {
      if (mapOf(s?.metadata?.labels)['istio/multiCluster'] !== 'true') continue;
      for (const k of Object.keys({ ...mapOf(s?.data), ...mapOf(s?.stringData) })) known.add(k);
    }
    // The findings belong to the meshNetworks config, which is not an object of the input.
    const config = { apiVersion: '', kind: 'MeshNetworks', metadata: { name: 'meshNetworks', namespace: ctx.options.rootNamespace ?? 'istio-system' } };
    for (const [network, spec] of Object.entries(networks)) {
      const endpoints: unknown[] = Array.isArray(spec?.endpoints) ? spec.endpoints : [];
      endpoints.forEach((e: any, j) => {
        const registry = e?.fromRegistry;
        if (typeof registry !== 'string' || known.has(registry)) return;
        ctx.reporterFor(config)(Messages.UnknownMeshNetworksServiceRegistry, { args: [registry, network], field: `networks.${network}.endpoints[${j}].fromRegistry`, problem: `unknown service registry ${registry} in network ${network}`, got: registry, fix: 'name a cluster that has a remote secret (istioctl create-remote-secret), or Kubernetes' });
      });
    }
  },
};
