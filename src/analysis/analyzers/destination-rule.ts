// Istio's destinationrule.* analyzers: TLS origination without certificate verification (IST0128,
// IST0129), a host that resolves to nothing (IST0174) and subsets that select no workload (IST0173).
import { elsewhereHint, MeshIndex } from './mesh-index';
import { CrossRule } from '../engine';
import { namespaceOfHost } from '../hosts';
import { Messages } from '../messages';

const DR = 'networking.istio.io/DestinationRule';

function unverified(tls: any): boolean {
  if (!tls || typeof tls !== 'object') return false;
  return (tls.mode === 'SIMPLE' || tls.mode === 'MUTUAL') && !tls.caCertificates;
}

/** destinationrule.CaCertificateAnalyzer. @internal */
export const caCertificateAnalyzer: CrossRule = {
  name: 'destinationrule.CaCertificateAnalyzer',
  check(ctx) {
    for (const dr of ctx.ofKind(DR)) {
      const r = ctx.reporterFor(dr);
      const tp = dr?.spec?.trafficPolicy;
      // A credentialName together with a workloadSelector means the CA comes with the credential.
      const exempt = (tls: any) => Boolean(tls?.credentialName) && Boolean(dr?.spec?.workloadSelector);
      if (unverified(tp?.tls) && !exempt(tp.tls)) {
        r(Messages.NoServerCertificateVerificationDestinationLevel, { args: [dr?.metadata?.name, ctx.namespaceOf(dr), tp.tls.mode, dr.spec.host], field: 'spec.trafficPolicy.tls', problem: `TLS mode ${tp.tls.mode} without caCertificates: the server certificate of ${dr.spec.host} is not verified`, fix: 'set caCertificates (or credentialName with a workloadSelector)' });
      }
      const pls: any[] = Array.isArray(tp?.portLevelSettings) ? tp.portLevelSettings : [];
      pls.forEach((p, i) => {
        if (unverified(p?.tls) && !exempt(p.tls)) {
          r(Messages.NoServerCertificateVerificationPortLevel, { args: [dr?.metadata?.name, ctx.namespaceOf(dr), p.tls.mode, dr.spec.host, p?.port?.number], field: `spec.trafficPolicy.portLevelSettings[${i}].tls`, problem: `TLS mode ${p.tls.mode} on port ${p?.port?.number} without caCertificates: the server certificate of ${dr.spec.host} is not verified`, fix: 'set caCertificates (or credentialName with a workloadSelector)' });
        }
      });
    }
  },
};

const TOPOLOGY = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone'];

/** destinationrule.PodNotSelectedAnalyzer. @internal */
export const podNotSelectedAnalyzer: CrossRule = {
  name: 'destinationrule.PodNotSelectedAnalyzer',
  check(ctx) {
    const drs = ctx.ofKind(DR);
    if (drs.length === 0) return;
    const idx = MeshIndex.of(ctx);
    // Istio adds the node's topology labels to endpoints, so subsets may select by them; empty values never match.
    const nodes = new Map<string, Record<string, string>>();
    for (const n of ctx.ofKind('/Node')) nodes.set(String(n?.metadata?.name), n?.metadata?.labels ?? {});
    const labelsOf = (w: { obj: any; labels: Record<string, string> }): Record<string, string> => {
      const nodeName = w.obj?.kind === 'Pod' ? w.obj?.spec?.nodeName : undefined;
      const node = nodeName ? nodes.get(nodeName) : undefined;
      if (!node) return w.labels;
      const out: Record<string, string> = { ...w.labels, 'kubernetes.io/hostname': nodeName };
      for (const k of TOPOLOGY) if (node[k]) out[k] = node[k];
      return out;
    };
    const withTopology = nodes.size > 0;
    for (const dr of drs) {
      const ns = ctx.namespaceOf(dr);
      const host: string = typeof dr?.spec?.host === 'string' ? dr.spec.host : '';
      const entry = idx.resolveHost(host, ns, dr?.spec?.exportTo);
      const r = ctx.reporterFor(dr);
      if (!entry) {
        const hostNs = namespaceOfHost(host, ns);
        if (idx.declaredElsewhere(host, hostNs) || !idx.described(hostNs)) continue;
        r(Messages.UnknownDestinationRuleHost, { args: [host], field: 'spec.host', problem: `host "${host}" matches no Service or ServiceEntry visible from namespace ${ns} in the analysed manifests`, got: host, fix: elsewhereHint(ctx) });
        continue;
      }
      const subsets: any[] = Array.isArray(dr?.spec?.subsets) ? dr.spec.subsets : [];
      // Only the whole cluster shows that no pod carries a subset's labels: an app's subsets may select pods
      // another program deploys (WorkloadVersion.labels), so partial mode does not guess; nor for a namespace
      // declared as existing elsewhere.
      const hostNs = namespaceOfHost(host, ns);
      if ((hostNs !== undefined && idx.declaredNamespaces.has(hostNs)) || ctx.options.complete !== true) continue;
      subsets.forEach((s, i) => {
        const selector: Record<string, string> = { ...(entry.workloadSelector ?? {}), ...(s?.labels ?? {}) };
        const keys = Object.keys(selector);
        let matched: boolean;
        if (!withTopology || !keys.some(k => TOPOLOGY.includes(k) || k === 'kubernetes.io/hostname')) {
          matched = idx.anyMatch(selector, undefined, w => !w.synthetic);
        } else {
          matched = idx.workloads.some(w => !w.synthetic && keys.every(k => labelsOf(w)[k] === selector[k]));
        }
        if (!matched) {
          // Pod templates stand in for pods.
          r(Messages.DestinationRuleSubsetNotSelectPods, { args: [s?.name], field: `spec.subsets[${i}]`, problem: `subset "${s?.name}" selects no workload (Pod or pod template) in the analysed manifests`, got: s?.labels, fix: 'match the labels of the workloads behind the host' });
        }
      });
    }
  },
};
