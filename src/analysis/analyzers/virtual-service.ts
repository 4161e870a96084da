// Istio's virtualservice.* analyzers: destination hosts and ports (IST0101, IST0112, IST0140), subsets
// (IST0101), gateway references (IST0101, IST0132, IST0165), conflicting mesh hosts (IST0109) and
// JWT-claim routing without a RequestAuthentication (IST0149).
import { elsewhereHint, MeshIndex, matchLabelsOf, matchesSelector, mirrorDestinations, routeDestinations } from './mesh-index';
import { CrossRule, RunContext } from '../engine';
import { hostsMatch, namespaceOfHost, resourceNameFromHost, toFqdn } from '../hosts';
import { Messages } from '../messages';
import { isJwtClaimKey } from '../rules/common';

const VS = 'networking.istio.io/VirtualService';

/** virtualservice.DestinationHostAnalyzer. @internal */
export const destinationHostAnalyzer: CrossRule = {
  name: 'virtualservice.DestinationHostAnalyzer',
  check(ctx) {
    const idx = MeshIndex.of(ctx);
    // host -> whether some VS routes to it with a subset while listing it in its own hosts (IST0140).
    const subsetHosts = new Set<string>();
    for (const vs of ctx.ofKind(VS)) {
      const hosts: unknown[] = Array.isArray(vs?.spec?.hosts) ? vs.spec.hosts : [];
      for (const { dest, field } of routeDestinations(vs)) {
        if (field.startsWith('spec.http') && dest?.subset && typeof dest.host === 'string' && hosts.includes(dest.host)) subsetHosts.add(dest.host);
      }
    }
    for (const vs of ctx.ofKind(VS)) {
      const ns = ctx.namespaceOf(vs);
      const r = ctx.reporterFor(vs);
      for (const d of [...routeDestinations(vs), ...mirrorDestinations(vs)]) {
        // An ill-typed host is the schema check's finding; a missing one (a null destination) resolves to
        // nothing, as in Istio.
        if (d.dest?.host !== undefined && typeof d.dest.host !== 'string') continue;
        const host: string = d.dest?.host ?? '';
        const entry = idx.resolveHost(host, ns, vs?.spec?.exportTo);
        const what = d.kind === 'mirror' ? 'mirror host' : 'host';
        if (!entry) {
          const hostNs = namespaceOfHost(host, ns);
          if (host && (idx.declaredElsewhere(host, hostNs) || !idx.described(hostNs))) continue;
          r(Messages.ReferencedResourceNotFound, { args: ['host', host], field: `${d.field}.host`, problem: `${what} "${host}" matches no Service or ServiceEntry visible from namespace ${ns} in the analysed manifests`, got: host, fix: elsewhereHint(ctx) });
          continue;
        }
        const port = d.dest?.port?.number;
        if (port === undefined) {
          if (entry.ports.length > 1) {
            const numbers = entry.ports.map(p => p.number);
            r(Messages.VirtualServiceDestinationPortSelectorRequired, { args: [host, entry.ports.map(p => p.number)], field: d.field, problem: `${what} "${host}" exposes several ports, so the destination must select one with port.number`, fix: `one of ${numbers.join(', ')}` });
          }
        } else if (!entry.ports.some(p => p.number === port)) {
          r(Messages.ReferencedResourceNotFound, { args: ['host:port', `${host}:${port}`], field: `${d.field}.port.number`, problem: `port ${port} is not a port of "${host}"`, got: `${host}:${port}`, fix: `one of ${entry.ports.map(p => p.number).join(', ') || '(no ports)'}` });
        }
      }
      // A gateway-bound route without a subset skips the subset rules other VSs define for the host.
      if (!Array.isArray(vs?.spec?.gateways) || vs.spec.gateways.length === 0) continue;
      const http: any[] = Array.isArray(vs?.spec?.http) ? vs.spec.http : [];
      http.forEach((rule, i) => {
        (Array.isArray(rule?.route) ? rule.route : []).forEach((route: any, j: number) => {
          const dest = route?.destination;
          if (dest && !dest.subset && subsetHosts.has(dest.host)) {
            r(Messages.IngressRouteRulesNotAffected, { args: [dest.host, `${ns}/${vs?.metadata?.name}`], field: `spec.http[${i}].route[${j}].destination`, problem: `another VirtualService routes "${dest.host}" by subset; those subset rules do not apply to traffic from this gateway route`, got: dest.host, fix: 'route to a subset here too, or accept that ingress traffic ignores them' });
          }
        });
      });
    }
  },
};

/** virtualservice.DestinationRuleAnalyzer: every subset a VS uses is defined by a DR for that host. @internal */
export const subsetAnalyzer: CrossRule = {
  name: 'virtualservice.DestinationRuleAnalyzer',
  check(ctx) {
    const idx = MeshIndex.of(ctx);
    const defined = new Set<string>();
    const hostsWithRules = new Set<string>();
    for (const dr of ctx.ofKind('networking.istio.io/DestinationRule')) {
      const host = dr?.spec?.host;
      if (typeof host !== 'string') continue;
      const rn = resourceNameFromHost(host, ctx.namespaceOf(dr));
      hostsWithRules.add(`${rn.namespace}/${rn.name}`);
      for (const s of Array.isArray(dr?.spec?.subsets) ? dr.spec.subsets : []) defined.add(`${rn.namespace}/${rn.name}+${s?.name}`);
    }
    for (const vs of ctx.ofKind(VS)) {
      const ns = ctx.namespaceOf(vs);
      for (const d of [...routeDestinations(vs), ...mirrorDestinations(vs)]) {
        const subset = d.dest?.subset;
        const host = d.dest?.host;
        if (!subset || typeof host !== 'string') continue;
        const rn = resourceNameFromHost(host, ns);
        if (defined.has(`${rn.namespace}/${rn.name}+${subset}`)) continue;
        // With no DestinationRule for the host in the input, its rules may live elsewhere: not guessed unless
        // the input is the whole cluster.
        if (idx.declaredElsewhere(host, rn.namespace)) continue;
        if (!hostsWithRules.has(`${rn.namespace}/${rn.name}`) && ctx.options.complete !== true) continue;
        ctx.reporterFor(vs)(Messages.ReferencedResourceNotFound, { args: ['host+subset in destinationrule', `${host}+${subset}`], field: `${d.field}.subset`, problem: `no DestinationRule in the analysed manifests defines subset "${subset}" for host "${host}"`, got: `${host}+${subset}`, fix: 'add the subset to the DestinationRule of that host' });
      }
    }
  },
};

const INTERNAL_GATEWAY = '~istio-autogenerated-k8s-gateway~';

/** The hosts of a gateway as seen from `vsNamespace`, after `ns/` scoping; undefined when it is missing. */
function gatewayHosts(idx: MeshIndex, key: string, vsNamespace: string): string[] | undefined {
  const istio = idx.istioGateways.get(key);
  if (istio) {
    const gwNs = key.slice(0, key.indexOf('/'));
    const out: string[] = [];
    for (const server of Array.isArray(istio?.spec?.servers) ? istio.spec.servers : []) {
      for (const h of Array.isArray(server?.hosts) ? server.hosts : []) {
        if (typeof h !== 'string') continue;
        const slash = h.indexOf('/');
        if (slash < 0) { out.push(h); continue; }
        const scope = h.slice(0, slash) === '.' ? gwNs : h.slice(0, slash);
        if (scope === '*' || scope === vsNamespace) out.push(h.slice(slash + 1));
      }
    }
    return out;
  }
  const k8s = idx.k8sGateways.get(key);
  if (k8s) {
    const listeners: any[] = Array.isArray(k8s?.spec?.listeners) ? k8s.spec.listeners : [];
    return listeners.map(l => (typeof l?.hostname === 'string' && l.hostname ? l.hostname : '*'));
  }
  return undefined;
}

/** virtualservice.GatewayAnalyzer. @internal */
export const gatewayRefAnalyzer: CrossRule = {
  name: 'virtualservice.GatewayAnalyzer',
  check(ctx) {
    const idx = MeshIndex.of(ctx);
    for (const vs of ctx.ofKind(VS)) {
      const ns = ctx.namespaceOf(vs);
      const r = ctx.reporterFor(vs);
      const vsHosts: string[] = (Array.isArray(vs?.spec?.hosts) ? vs.spec.hosts : []).filter((h: unknown) => typeof h === 'string');
      const gateways: unknown[] = Array.isArray(vs?.spec?.gateways) ? vs.spec.gateways : [];
      gateways.forEach((g, i) => {
        if (typeof g !== 'string' || g === 'mesh') return;
        const field = `spec.gateways[${i}]`;
        if (g.includes(INTERNAL_GATEWAY)) {
          r(Messages.ReferencedInternalGateway, { args: [`${ns}/${vs?.metadata?.name}`, g], field, problem: 'this gateway is generated by Istio from a Kubernetes Gateway; reference the Kubernetes Gateway through an HTTPRoute instead', got: g });
          return;
        }
        const key = g.includes('/') ? g : `${ns}/${g}`;
        const hosts = gatewayHosts(idx, key, ns);
        if (hosts === undefined) {
          const gwNs = key.slice(0, key.indexOf('/'));
          // Gateways of a namespace the input holds no Gateway in are usually platform-owned: not guessed unless
          // the input is the whole cluster.
          if (idx.declaredElsewhere(key, gwNs) || (!idx.gatewayNamespaces.has(gwNs) && ctx.options.complete !== true)) return;
          r(Messages.ReferencedResourceNotFound, { args: ['gateway', g], field, problem: `gateway "${g}" is not defined in the analysed manifests`, got: g, fix: `"namespace/name" of a Gateway; ${elsewhereHint(ctx)}` });
        }
        const covered = (hosts ?? []).some(gh => vsHosts.some(vh => hostsMatch(gh, vh)));
        if (!covered) {
          r(Messages.VirtualServiceHostNotFoundInGateway, { args: [vsHosts.join(','), `${ns}/${vs?.metadata?.name}`, key], field, problem: `none of the VirtualService hosts (${vsHosts.join(', ')}) is served by gateway ${key}`, got: g, fix: 'add the host to a server of the gateway, or bind to a gateway that serves it' });
        }
      });
    }
  },
};

/** virtualservice.ConflictingMeshGatewayHostsAnalyzer: two mesh-bound VSs claim one host in overlapping scopes. @internal */
export const conflictingMeshHostsAnalyzer: CrossRule = {
  name: 'virtualservice.ConflictingMeshGatewayHostsAnalyzer',
  check(ctx) {
    // scope/fqdn -> VSs. Scope `*` entries also conflict with any scoped entry whose host they match.
    const groups = new Map<string, any[]>();
    const global = new Map<string, any[]>();
    const globalWildcards: string[] = [];
    for (const vs of ctx.ofKind(VS)) {
      const gws: unknown[] = Array.isArray(vs?.spec?.gateways) ? vs.spec.gateways : [];
      if (gws.length > 0 && !gws.includes('mesh')) continue;
      const ns = ctx.namespaceOf(vs);
      const exportTo: unknown[] = Array.isArray(vs?.spec?.exportTo) ? vs.spec.exportTo : [];
      const scopes = exportTo.length === 0 || exportTo.includes('*') ? ['*'] : [...new Set(exportTo.map(e => (e === '.' ? ns : String(e))))];
      for (const scope of scopes) {
        for (const h of Array.isArray(vs?.spec?.hosts) ? vs.spec.hosts : []) {
          if (typeof h !== 'string') continue;
          const fqdn = toFqdn(h, ns);
          const key = `${scope}/${fqdn}`;
          let list = groups.get(key);
          if (!list) groups.set(key, (list = []));
          if (!list.includes(vs)) list.push(vs);
          if (scope === '*') {
            let gl = global.get(fqdn);
            if (!gl) { global.set(fqdn, (gl = [])); if (fqdn.startsWith('*')) globalWildcards.push(fqdn); }
            if (!gl.includes(vs)) gl.push(vs);
          }
        }
      }
    }
    const reported = new Set<any>();
    for (const [key, list] of groups) {
      const slash = key.indexOf('/');
      const scope = key.slice(0, slash);
      const fqdn = key.slice(slash + 1);
      let all = list;
      if (scope !== '*') {
        const extra: any[] = [];
        if (fqdn.startsWith('*')) {
          for (const [g, vss] of global) if (hostsMatch(fqdn, g)) extra.push(...vss);
        } else {
          extra.push(...(global.get(fqdn) ?? []));
          for (const w of globalWildcards) if (hostsMatch(fqdn, w)) extra.push(...global.get(w)!);
        }
        all = [...new Set([...list, ...extra])];
      }
      if (all.length < 2) continue;
      const names = all.map(v => `${ctx.namespaceOf(v)}/${v.metadata?.name}`).join(', ');
      for (const vs of all) {
        if (reported.has(vs)) continue;
        reported.add(vs);
        ctx.reporterFor(vs)(Messages.ConflictingMeshGatewayVirtualServiceHosts, { args: [names, fqdn], field: 'spec.hosts', problem: `the mesh-bound VirtualServices ${names} claim the same host ${fqdn} (export scope ${scope}); which one applies is undefined`, fix: 'merge them into one VirtualService or use delegation' });
      }
    }
  },
};

/** The first JWT-claim header a VirtualService matches on, if any. */
function jwtClaimKey(vs: any): string | undefined {
  for (const rule of Array.isArray(vs?.spec?.http) ? vs.spec.http : []) {
    for (const m of Array.isArray(rule?.match) ? rule.match : []) {
      for (const section of ['headers', 'withoutHeaders']) {
        const key = Object.keys(m?.[section] ?? {}).find(isJwtClaimKey);
        if (key !== undefined) return key;
      }
    }
  }
  return undefined;
}

/** virtualservice.JWTClaimRouteAnalyzer: claim-based routing on a gateway needs a RequestAuthentication there. @internal */
export const jwtClaimRouteAnalyzer: CrossRule = {
  name: 'virtualservice.JWTClaimRouteAnalyzer',
  check(ctx: RunContext) {
    const vss = ctx.ofKind(VS).filter(vs => jwtClaimKey(vs) !== undefined);
    if (vss.length === 0) return;
    const idx = MeshIndex.of(ctx);
    const ras = ctx.ofKind('security.istio.io/RequestAuthentication');
    const covered = (ns: string, labels: Record<string, string>) => ras.some(ra => {
      const raNs = ctx.namespaceOf(ra);
      if (raNs !== idx.rootNamespace && raNs !== ns) return false;
      return matchesSelector(labels, matchLabelsOf(ra) ?? {});
    });
    for (const vs of vss) {
      const ns = ctx.namespaceOf(vs);
      const gateways: unknown[] = Array.isArray(vs?.spec?.gateways) ? vs.spec.gateways : [];
      gateways.forEach((g, i) => {
        if (typeof g !== 'string' || g === 'mesh') return;
        const gw = idx.istioGateways.get(g.includes('/') ? g : `${ns}/${g}`);
        if (!gw) return;
        const pods = idx.select(gw?.spec?.selector ?? {});
        const bare = pods.find(p => !covered(p.namespace, p.labels));
        if (bare) {
          ctx.reporterFor(vs)(Messages.JwtClaimBasedRoutingWithoutRequestAuthN, { args: [jwtClaimKey(vs), g, `${bare.namespace}/${bare.obj?.metadata?.name}`], field: `spec.gateways[${i}]`, problem: `routes match on JWT claims, but no RequestAuthentication selects the gateway workload ${bare.namespace}/${bare.obj?.metadata?.name}, so the claims are never set`, got: g, fix: `add a RequestAuthentication whose selector matches the gateway pods (in ${idx.rootNamespace} or ${bare.namespace})` });
        }
      });
    }
  },
};
