// Istio's gateway.* analyzers over Istio Gateways: the selector finds a workload and every server port is on
// a Service of that workload (IST0101, IST0162), no two Gateways on one workload claim one port and host
// (IST0145), no two overlapping Gateways share a certificate (IST0138), and credential Secrets exist and hold
// a valid certificate (IST0101, IST0161).
import { X509Certificate } from 'crypto';
import { elsewhereHint, MeshIndex, matchesSelector, selectorString, selectorSubset } from './mesh-index';
import { CrossRule, RunContext } from '../engine';
import { Messages } from '../messages';
import { mapOf } from '../objects';

const GW = 'networking.istio.io/Gateway';

function serversOf(gw: any): any[] {
  return Array.isArray(gw?.spec?.servers) ? gw.spec.servers : [];
}

/** IST0101 for a gateway selector that matches no workload; three of Istio's analyzers report it, we report it once. */
function reportSelectorNotFound(ctx: RunContext, idx: MeshIndex, gw: any): void {
  if (!idx.firstReport(`gateway-selector|${ctx.namespaceOf(gw)}/${gw?.metadata?.name}`)) return;
  ctx.reporterFor(gw)(Messages.ReferencedResourceNotFound, { args: ['selector', selectorString(gw?.spec?.selector)], field: 'spec.selector', problem: 'the selector matches no gateway workload (Pod or pod template) in the analysed manifests', got: selectorString(gw?.spec?.selector), fix: elsewhereHint(ctx) });
}

/** Whether a missing gateway workload is a finding: the input describes workloads and no namespace is declared elsewhere. */
function workloadsKnown(idx: MeshIndex): boolean {
  // Gateway pods may run in any namespace; one declared as existing elsewhere may hold them.
  return idx.declaredNamespaces.size === 0 && idx.workloadsDescribed;
}

/** gateway.IngressGatewayPortAnalyzer. @internal */
export const gatewayPortAnalyzer: CrossRule = {
  name: 'gateway.IngressGatewayPortAnalyzer',
  check(ctx) {
    const idx = MeshIndex.of(ctx);
    for (const gw of ctx.ofKind(GW)) {
      const selector: Record<string, string> = mapOf(gw?.spec?.selector);
      const pods = idx.select(selector);
      if (pods.length === 0) {
        if (workloadsKnown(idx)) reportSelectorNotFound(ctx, idx, gw);
        continue;
      }
      const ports = new Set<number>();
      let services = 0;
      for (const pod of pods) {
        for (const svc of idx.servicesIn(pod.namespace)) {
          if (!svc.selector || !matchesSelector(pod.labels, svc.selector)) continue;
          services++;
          for (const p of svc.ports) {
            if ((p.protocol ?? 'TCP') !== 'TCP') continue;
            ports.add(p.number);
            // The gateway pod listens on the targetPort, so a server may name either number.
            if (typeof p.targetPort === 'number') ports.add(p.targetPort);
          }
        }
      }
      // With no Service of the gateway in the input its ports are unknown (not guessed), unless the input is
      // the whole cluster and holds the gateway pods themselves.
      if (services === 0 && !(ctx.options.complete === true && pods.some(p => !p.synthetic))) continue;
      const r = ctx.reporterFor(gw);
      serversOf(gw).forEach((server, i) => {
        const n = server?.port?.number;
        if (typeof n !== 'number' || ports.has(n)) return;
        r(Messages.GatewayPortNotDefinedOnService, { args: [n, selectorString(selector)], field: `spec.servers[${i}].port.number`, problem: `port ${n} is not a port of any Service that selects the gateway workload (${selectorString(selector)})`, got: n, fix: ports.size ? `one of ${[...ports].sort((a, b) => a - b).join(', ')}` : 'expose it on the gateway Service' });
      });
    }
  },
};

/**
 * gateway.ConflictingGatewayAnalyzer: Gateways whose selectors are equal, or contain one another and select
 * a common Pod, and that declare one port number with a host (exactly equal, as Istio compares them) on the same
 * bind address.
 */
export const conflictingGatewayAnalyzer: CrossRule = {
  name: 'gateway.ConflictingGatewayAnalyzer',
  check(ctx) {
    const idx = MeshIndex.of(ctx);
    const gateways = ctx.ofKind(GW).map(gw => ({ gw, selector: mapOf(gw?.spec?.selector), key: selectorString(mapOf(gw?.spec?.selector)) }));
    // `ns/name` -> port -> host -> bind, over every server of every gateway.
    const hostsOf = new Map<any, Map<number, Map<string, string>>>();
    for (const { gw } of gateways) {
      const byPort = new Map<number, Map<string, string>>();
      for (const server of serversOf(gw)) {
        const port = typeof server?.port?.number === 'number' ? server.port.number : 0;
        const hosts = new Map<string, string>();
        for (const h of Array.isArray(server?.hosts) ? server.hosts : []) hosts.set(String(h), String(server?.bind ?? ''));
        byPort.set(port, hosts);
      }
      hostsOf.set(gw, byPort);
    }
    const sameWorkload = (a: typeof gateways[number], b: typeof gateways[number]) => {
      if (a.key === b.key) return true;
      if (!a.key.includes(b.key) && !b.key.includes(a.key)) return false;
      return idx.select(a.selector).some(w => matchesSelector(w.labels, b.selector));
    };
    for (const g of gateways) {
      const peers = gateways.filter(o => o.gw !== g.gw && sameWorkload(g, o) && hostsOf.get(o.gw)!.size > 0);
      if (g.key !== '' && hostsOf.get(g.gw)!.size === 0 && peers.length === 0) {
        if (workloadsKnown(idx) && idx.select(g.selector).length === 0) reportSelectorNotFound(ctx, idx, g.gw);
        continue;
      }
      serversOf(g.gw).forEach((server, i) => {
        const port = typeof server?.port?.number === 'number' ? server.port.number : 0;
        const bind = String(server?.bind ?? '');
        const mine: string[] = (Array.isArray(server?.hosts) ? server.hosts : []).map(String);
        const conflicting = peers.filter(o => {
          const theirs = hostsOf.get(o.gw)!.get(port);
          return theirs !== undefined && mine.some(h => theirs.get(h) === bind);
        });
        if (conflicting.length === 0) return;
        const names = conflicting.map(o => `${ctx.namespaceOf(o.gw)}/${o.gw.metadata?.name}`).sort().join(', ');
        ctx.reporterFor(g.gw)(Messages.ConflictingGateways, { args: [names, g.key, port, mine.join(',')], field: `spec.servers[${i}]`, problem: `conflicts with Gateway ${names}: the same workloads (selector ${g.key}), port ${port} and hosts (${mine.join(', ')})`, fix: 'merge the servers into one Gateway or use different ports or hosts' });
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
          ctx.reporterFor(gw)(Messages.GatewayDuplicateCertificate, { args: [[`${ctx.namespaceOf(gw)}/${gw.metadata?.name}`, `${ctx.namespaceOf(other)}/${other.metadata?.name}`]], field: 'spec.servers', problem: `uses the same ${what} as Gateway ${ctx.namespaceOf(other)}/${other.metadata?.name}, which selects the same workloads; HTTP/2 connection reuse can then route requests to the wrong server (404)`, fix: 'give each Gateway its own certificate or merge the servers' });
        }
      }
    }
  },
};

/** A Secret's `data` (base64) and `stringData` values, decoded. */
function secretData(secret: any): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(mapOf(secret?.data))) out[k] = Buffer.from(String(v), 'base64').toString('utf-8');
  for (const [k, v] of Object.entries(mapOf(secret?.stringData))) out[k] = String(v);
  return out;
}

/**
 * Why a gateway credential Secret is unusable, as istiod's ExtractCertInfo and ValidateCertificate see it (the
 * `cert`/`key` or `tls.crt`/`tls.key` pair, a parsable PEM certificate, valid now), or undefined when it is fine.
 */
export function credentialProblem(secret: any, now: Date = new Date()): string | undefined {
  const data = secretData(secret);
  const pair = data.cert && data.key ? data.cert : data['tls.crt'] && data['tls.key'] ? data['tls.crt'] : undefined;
  if (pair === undefined) {
    if ('cert' in data || 'tls.crt' in data) return 'the certificate or key is empty';
    return `it has neither cert/key nor tls.crt/tls.key (keys: ${Object.keys(data).sort().join(', ') || 'none'})`;
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pair);
  } catch {
    return 'its certificate is not a PEM-encoded X.509 certificate';
  }
  if (now.getTime() > new Date(cert.validTo).getTime()) return `its certificate expired on ${cert.validTo}`;
  if (now.getTime() < new Date(cert.validFrom).getTime()) return `its certificate is not valid before ${cert.validFrom}`;
  return undefined;
}

/**
 * gateway.SecretAnalyzer: every `tls.credentialName` names a Secret in the namespace of the gateway's pods
 * (IST0101), and that Secret holds a valid certificate (IST0161). A Secret missing from the input is reported in
 * complete mode, or when the input holds Secrets of that namespace.
 */
export const secretAnalyzer: CrossRule = {
  name: 'gateway.SecretAnalyzer',
  check(ctx) {
    const idx = MeshIndex.of(ctx);
    const secrets = new Map<string, any>();
    const secretNamespaces = new Set<string>();
    for (const s of ctx.ofKind('/Secret')) {
      secrets.set(`${ctx.namespaceOf(s)}/${s?.metadata?.name}`, s);
      secretNamespaces.add(ctx.namespaceOf(s));
    }
    for (const gw of ctx.ofKind(GW)) {
      const pod = idx.select(mapOf(gw?.spec?.selector))[0];
      if (!pod) {
        if (workloadsKnown(idx)) reportSelectorNotFound(ctx, idx, gw);
        continue;
      }
      const gwNs = pod.namespace;
      const r = ctx.reporterFor(gw);
      serversOf(gw).forEach((server, i) => {
        const name = server?.tls?.credentialName;
        if (typeof name !== 'string' || name === '') return;
        const field = `spec.servers[${i}].tls.credentialName`;
        const secret = secrets.get(`${gwNs}/${name}`);
        if (!secret) {
          if (idx.declaredElsewhere(`${gwNs}/${name}`, gwNs) || !(ctx.options.complete === true || secretNamespaces.has(gwNs))) return;
          r(Messages.ReferencedResourceNotFound, { args: ['credentialName', name], field, problem: `credentialName "${name}" matches no Secret in namespace ${gwNs}, where the gateway pods run`, got: name, fix: `create the Secret in ${gwNs} (the gateway workload's namespace, not the Gateway's)` });
          return;
        }
        const problem = credentialProblem(secret);
        if (problem) r(Messages.InvalidGatewayCredential, { args: [gw?.metadata?.name, gwNs], field, problem: `the credential Secret ${gwNs}/${name} is invalid: ${problem}`, got: name, fix: 'store a valid certificate and key under tls.crt and tls.key' });
      });
    }
  },
};
