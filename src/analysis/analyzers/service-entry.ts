// Istio's serviceentry.* analyzers: TCP (or protocol-less) ports of a ServiceEntry without addresses, which
// Istio cannot tell apart unless DNS auto-allocation is on (IST0134), and ServiceEntries that declare one
// host and port with different protocols in overlapping export scopes (IST0177).
import { exportScopes } from './mesh-index';
import { CrossRule } from '../engine';
import { Messages } from '../messages';

const SE = 'networking.istio.io/ServiceEntry';

/** serviceentry.ProtocolAddressesAnalyzer. @internal */
export const protocolAddressesAnalyzer: CrossRule = {
  name: 'serviceentry.ProtocolAddressesAnalyzer',
  check(ctx) {
    const meta = ctx.options.meshConfig?.defaultConfig?.proxyMetadata ?? {};
    if (meta.ISTIO_META_DNS_CAPTURE === 'true' && meta.ISTIO_META_DNS_AUTO_ALLOCATE === 'true') return;
    for (const se of ctx.ofKind(SE)) {
      const addresses = se?.spec?.addresses;
      const allocated = se?.status?.addresses;
      if ((Array.isArray(addresses) && addresses.length > 0) || (Array.isArray(allocated) && allocated.length > 0)) continue;
      const ports: any[] = Array.isArray(se?.spec?.ports) ? se.spec.ports : [];
      ports.forEach((p, i) => {
        const protocol = typeof p?.protocol === 'string' ? p.protocol.toUpperCase() : '';
        if (protocol !== '' && protocol !== 'TCP') return;
        ctx.reporterFor(se)(Messages.ServiceEntryAddressesRequired, { field: `spec.ports[${i}]`, problem: `port ${p?.number} is ${protocol || 'without a protocol (TCP)'} and the ServiceEntry has no addresses, so Istio cannot tell its traffic from other TCP traffic on that port`, fix: 'set spec.addresses, or enable DNS capture with address auto-allocation in the mesh config' });
      });
    }
  },
};

/** serviceentry.ConflictingServiceEntryProtocolAnalyzer. @internal */
export const conflictingProtocolAnalyzer: CrossRule = {
  name: 'serviceentry.ConflictingServiceEntryProtocolAnalyzer',
  check(ctx) {
    // host:port -> declarations; only groups with two protocols are compared pairwise.
    const groups = new Map<string, Array<{ se: any; protocol: string; scopes: string[] }>>();
    for (const se of ctx.ofKind(SE)) {
      const ns = ctx.namespaceOf(se);
      const scopes = Array.isArray(se?.spec?.exportTo) && se.spec.exportTo.includes('~') && se.spec.exportTo.length === 1 ? [] : exportScopes(se?.spec?.exportTo, ns);
      for (const h of Array.isArray(se?.spec?.hosts) ? se.spec.hosts : []) {
        for (const p of Array.isArray(se?.spec?.ports) ? se.spec.ports : []) {
          const key = `${h}:${p?.number}`;
          let list = groups.get(key);
          if (!list) groups.set(key, (list = []));
          list.push({ se, protocol: String(p?.protocol ?? '').toUpperCase(), scopes });
        }
      }
    }
    const overlap = (a: string[], b: string[]) => (a.includes('*') && b.length > 0) || (b.includes('*') && a.length > 0) || a.some(s => b.includes(s));
    const reported = new Set<any>();
    for (const [key, list] of groups) {
      if (new Set(list.map(e => e.protocol)).size < 2) continue;
      for (const a of list) {
        if (reported.has(a.se)) continue;
        const others = list.filter(b => b.se !== a.se && b.protocol !== a.protocol && overlap(a.scopes, b.scopes));
        if (others.length === 0) continue;
        reported.add(a.se);
        const names = others.map(b => `${ctx.namespaceOf(b.se)}/${b.se.metadata?.name} (${b.protocol || 'no protocol'})`).join(', ');
        ctx.reporterFor(a.se)(Messages.ConflictingServiceEntryProtocol, {
          args: [[a, ...others].map(b => `${ctx.namespaceOf(b.se)}/${b.se.metadata?.name}`).sort().join(', '), key.slice(0, key.lastIndexOf(':')), Number(key.slice(key.lastIndexOf(':') + 1)), [...new Set([a, ...others].map(b => b.protocol))].sort().join(', ')],
          field: 'spec.ports',
          problem: `${key} is declared as ${a.protocol || 'no protocol'} here and differently by ${names}; the protocol Istio uses is undefined`,
          fix: 'declare one protocol for the host and port',
        });
      }
    }
  },
};
