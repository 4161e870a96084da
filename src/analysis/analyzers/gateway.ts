// Istio's gateway.* analyzers over Istio Gateways: the selector finds a workload and every server port is on
// a Service of that workload (IST0101, IST0162), no two Gateways on one workload claim one port and host
// (IST0145), and no two overlapping Gateways share a certificate (IST0138).
import { ELSEWHERE_HINT, MeshIndex, hostsMatch, matchesSelector, selectorString, selectorSubset } from './mesh-index';
import { CrossRule } from '../engine';

const GW = 'networking.istio.io/Gateway';

function serversOf(gw: any): any[] {
  return Array.isArray(gw?.spec?.servers) ? gw.spec.servers : [];
}

/** gateway.IngressGatewayPortAnalyzer. @internal */
export const gatewayPortAnalyzer: CrossRule = {
  name: 'gateway.IngressGatewayPortAnalyzer',
  check(ctx) {
    const idx = MeshIndex.of(ctx);
    for (const gw of ctx.ofKind(GW)) {
      const selector: Record<string, string> = gw?.spec?.selector ?? {};
      const pods = idx.select(selector);
      const r = ctx.reporterFor(gw);
      if (pods.length === 0) {
        // Gateway pods may run in any namespace; one declared as existing elsewhere may hold them.
        if (idx.knownNamespaces.size > 0 || !idx.workloadsDescribed) continue;
        r.error('IST0101', 'spec.selector', 'the selector matches no gateway workload (Pod or pod template) in the analysed manifests', selectorString(selector), ELSEWHERE_HINT);
        continue;
      }
      const ports = new Set<number>();
      for (const pod of pods) {
        for (const svc of idx.servicesIn(pod.namespace)) {
          if (!svc.selector || !matchesSelector(pod.labels, svc.selector)) continue;
          for (const p of svc.ports) {
            if ((p.protocol ?? 'TCP') !== 'TCP') continue;
            ports.add(p.number);
            // The gateway pod listens on the targetPort, so a server may name either number.
            if (typeof p.targetPort === 'number') ports.add(p.targetPort);
          }
        }
      }
      serversOf(gw).forEach((server, i) => {
        const n = server?.port?.number;
        if (typeof n !== 'number' || ports.has(n)) return;
        r.warning('IST0162', `spec.servers[${i}].port.number`, `port ${n} is not a port of any Service that selects the gateway workload (${selectorString(selector)})`, n, ports.size ? `one of ${[...ports].sort((a, b) => a - b).join(', ')}` : 'expose it on the gateway Service');
      });
    }
  },
};

/** gateway.ConflictingGatewayAnalyzer. @internal */
export const conflictingGatewayAnalyzer: CrossRule = {
  name: 'gateway.ConflictingGatewayAnalyzer',
  check(ctx) {
    // selector~port~bind -> gateways with their hosts on that port.
    const groups = new Map<string, Array<{ gw: any; hosts: string[] }>>();
    const keyOf = (gw: any, server: any) => `${selectorString(gw?.spec?.selector)}~${server?.port?.number}~${server?.bind ?? ''}`;
    for (const gw of ctx.ofKind(GW)) {
      for (const server of serversOf(gw)) {
        if (typeof server?.port?.number !== 'number') continue;
        const key = keyOf(gw, server);
        let list = groups.get(key);
        if (!list) groups.set(key, (list = []));
        const hosts: string[] = (Array.isArray(server.hosts) ? server.hosts : []).map((h: string) => String(h).replace(/^[^/]*\//, ''));
        list.push({ gw, hosts });
      }
    }
    for (const gw of ctx.ofKind(GW)) {
      serversOf(gw).forEach((server, i) => {
        if (typeof server?.port?.number !== 'number') return;
        const mine: string[] = (Array.isArray(server.hosts) ? server.hosts : []).map((h: string) => String(h).replace(/^[^/]*\//, ''));
        const others = (groups.get(keyOf(gw, server)) ?? []).filter(o => o.gw !== gw && o.hosts.some(h => mine.some(m => hostsMatch(m, h))));
        if (others.length === 0) return;
        const names = [...new Set(others.map(o => `${ctx.namespaceOf(o.gw)}/${o.gw.metadata?.name}`))].join(', ');
        ctx.reporterFor(gw).error('IST0145', `spec.servers[${i}]`, `conflicts with Gateway ${names}: same workload selector (${selectorString(gw?.spec?.selector)}), port ${server.port.number} and overlapping hosts (${mine.join(', ')})`, undefined, 'merge the servers into one Gateway or use different ports or hosts');
      });
    }
  },
};

function certKey(tls: any): string | undefined {
  if (!tls || typeof tls !== 'object') return undefined;
  if (tls.credentialName) return `cred:${tls.credentialName}`;
  if (tls.serverCertificate && tls.privateKey) return `file:${tls.serverCertificate}\u0000${tls.privateKey}`;
  return undefined;
}

/** gateway.CertificateAnalyzer. @internal */
export const certificateAnalyzer: CrossRule = {
  name: 'gateway.CertificateAnalyzer',
  check(ctx) {
    // certificate -> gateways with a server using it; only gateways sharing a certificate are compared.
    const byCert = new Map<string, any[]>();
    for (const gw of ctx.ofKind(GW)) {
      for (const server of serversOf(gw)) {
        const key = certKey(server?.tls);
        if (!key) continue;
        let list = byCert.get(key);
        if (!list) byCert.set(key, (list = []));
        if (!list.includes(gw)) list.push(gw);
      }
    }
    for (const [key, list] of byCert) {
      if (list.length < 2) continue;
      for (const gw of list) {
        const sel: Record<string, string> = gw?.spec?.selector ?? {};
        // Istio compares "is my selector a subset of the other's": the broader gateway is reported.
        for (const other of list) {
          if (other === gw) continue;
          if (Object.keys(sel).length > 0 && !selectorSubset(sel, other?.spec?.selector ?? {})) continue;
          const what = key.startsWith('cred:') ? `credentialName "${key.slice(5)}"` : 'serverCertificate and privateKey';
          ctx.reporterFor(gw).warning('IST0138', 'spec.servers', `uses the same ${what} as Gateway ${ctx.namespaceOf(other)}/${other.metadata?.name}, which selects the same workloads; HTTP/2 connection reuse can then route requests to the wrong server (404)`, undefined, 'give each Gateway its own certificate or merge the servers');
        }
      }
    }
  },
};
