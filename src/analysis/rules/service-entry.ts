// istiod's webhook rules for ServiceEntry (VALIDATION-RULES.md section 8) over plain manifests: IST0106 for
// what the webhook rejects, IST0133 for what it admits with a warning.
import { isHttpFamily, isTlsFamily, parseProtocol, PROTOCOL_NAMES, validateExportTo, validateLabels, validateWorkloadSelector } from './common';
import {
  checkDns1123Label, checkFqdn, checkIpOrCidr, checkWildcardDomain, isIP, isPartialWildcard,
} from '../../core/validate';
import { ObjectRule, Reporter } from '../engine';

const E = 'IST0106';
const W = 'IST0133';

/** A networking `workloadSelector.labels` map (Sidecar, ServiceEntry): no empty or `*` keys, no `*` values. @internal */
export function checkNetworkingSelector(r: Reporter, ws: any, field: string): void {
  if (!ws || typeof ws !== 'object') return;
  const labels = ws.labels ?? {};
  validateWorkloadSelector(r, `${field}.labels`, labels);
  // Label syntax only for the entries the selector rule accepted, so one bad entry is reported once.
  const keys = Object.keys(labels);
  const good = Object.fromEntries(keys.filter(k => k !== '' && !k.includes('*') && !String(labels[k]).includes('*')).map(k => [k, labels[k]]));
  if (keys.length > 0) validateLabels(r, `${field}.labels`, good);
}

function checkUds(address: string): string | undefined {
  const path = address.slice('unix://'.length);
  if (path.startsWith('@')) return path.length > 1 ? undefined : 'an abstract unix socket needs a name after "@"';
  if (!path.startsWith('/')) return 'a unix socket path must be absolute';
  if (path.endsWith('/')) return 'a unix socket path must not end with "/"';
  return undefined;
}

/** ServiceEntry rules. @internal */
export const serviceEntryRule: ObjectRule = {
  kinds: ['networking.istio.io/ServiceEntry'],
  check(obj, r, ctx) {
    const spec = obj.spec ?? {};
    const resolution: string = spec.resolution ?? 'NONE';
    const hosts: unknown[] = Array.isArray(spec.hosts) ? spec.hosts : [];
    const addresses: unknown[] = Array.isArray(spec.addresses) ? spec.addresses : [];
    const ports: any[] = Array.isArray(spec.ports) ? spec.ports : [];
    const endpoints: any[] = Array.isArray(spec.endpoints) ? spec.endpoints : [];

    // Hosts
    if (hosts.length === 0) r.error(E, 'spec.hosts', 'a ServiceEntry needs at least one host', spec.hosts ?? [], 'e.g. ["api.example.com"]');
    hosts.forEach((h, i) => {
      const f = `spec.hosts[${i}]`;
      if (typeof h !== 'string') return;
      if (h === '*') { r.error(E, f, 'a ServiceEntry host cannot be the wildcard "*"', h, 'a DNS name, optionally "*.example.com"'); return; }
      const err = checkWildcardDomain(h);
      if (err) { r.error(E, f, err, h); return; }
      if (isPartialWildcard(h) && resolution !== 'DYNAMIC_DNS') {
        r.warning(W, f, 'a partial wildcard host matches unexpectedly; use "*" or "*.domain"', h);
      }
    });

    // Addresses
    addresses.forEach((a, i) => {
      const f = `spec.addresses[${i}]`;
      if (typeof a !== 'string') return;
      const err = checkIpOrCidr(a);
      if (err) { r.error(E, f, err, a); return; }
      if (a.includes('/') && resolution !== 'NONE' && resolution !== 'STATIC') {
        r.error(E, f, `CIDR addresses are allowed only with resolution NONE or STATIC (resolution is ${resolution})`, a, 'a single IP, or resolution NONE/STATIC');
      }
    });

    // Selection
    if (spec.workloadSelector && endpoints.length > 0) {
      r.error(E, 'spec', 'only one of workloadSelector or endpoints can be set', ['workloadSelector', 'endpoints']);
    }
    checkNetworkingSelector(r, spec.workloadSelector, 'spec.workloadSelector');

    // Ports
    const names = new Map<string, number>();
    const numbers = new Map<number, number>();
    const protocols: Array<string | undefined> = [];
    ports.forEach((p, i) => {
      const f = `spec.ports[${i}]`;
      if (!p || typeof p !== 'object') return;
      const nameErr = typeof p.name === 'string' ? checkDns1123Label(p.name) : 'a port needs a name';
      if (nameErr) r.error(E, `${f}.name`, `a port name ${nameErr}`, p.name ?? undefined);
      else if (names.has(p.name)) r.error(E, `${f}.name`, `port names must be unique (also used by ports[${names.get(p.name)}])`, p.name);
      else names.set(p.name, i);
      if (typeof p.number !== 'number' || !Number.isInteger(p.number) || p.number < 1 || p.number > 65535) {
        r.error(E, `${f}.number`, 'a port must be an integer from 1 to 65535', p.number);
      } else if (numbers.has(p.number)) {
        r.error(E, `${f}.number`, `port numbers must be unique (also used by ports[${numbers.get(p.number)}])`, p.number);
      } else {
        numbers.set(p.number, i);
      }
      if (p.targetPort !== undefined && (typeof p.targetPort !== 'number' || !Number.isInteger(p.targetPort) || p.targetPort < 1 || p.targetPort > 65535)) {
        r.error(E, `${f}.targetPort`, 'a targetPort must be an integer from 1 to 65535', p.targetPort);
      }
      const protocol = p.protocol === undefined || p.protocol === '' ? undefined : parseProtocol(p.protocol);
      if (p.protocol !== undefined && p.protocol !== '' && !protocol) r.error(E, `${f}.protocol`, 'unknown protocol', p.protocol, `${PROTOCOL_NAMES}, or none to sniff`);
      protocols.push(protocol);
    });

    // The webhook's address warning: TCP (compared case-sensitively, as istiod does) or unset protocol, no
    // addresses, and no auto-allocation (which needs resolution other than NONE and the label not "false").
    const autoAllocate = resolution !== 'NONE' && obj.metadata?.labels?.['networking.istio.io/enable-autoallocate-ip'] !== 'false';
    if (addresses.length === 0 && !autoAllocate) {
      ports.forEach((p, i) => {
        if (p && (p.protocol === undefined || p.protocol === '' || p.protocol === 'TCP')) {
          r.warning(W, `spec.ports[${i}].protocol`, 'a TCP (or unset) port without addresses makes every connection to this port match the entry; give addresses', p.protocol ?? undefined, 'addresses, or an HTTP/TLS protocol');
        }
      });
    }

    // More than one host: listeners cannot tell the hosts apart unless the protocol carries the host name.
    if (resolution !== 'NONE' && hosts.length > 1) {
      protocols.forEach((proto, i) => {
        if (!isHttpFamily(proto) && !isTlsFamily(proto)) {
          r.error(E, `spec.ports[${i}].protocol`, `with resolution ${resolution} and several hosts, every port must be HTTP-family or TLS-family`, ports[i]?.protocol ?? undefined,
            'HTTP, HTTP2, HTTP_PROXY, GRPC, GRPC-WEB, HTTPS or TLS; or one ServiceEntry per host');
        }
      });
    }

    const portNames = new Set(ports.map(p => p?.name));
    const checkEndpoint = (ep: any, i: number, allowFqdn: boolean) => {
      const f = `spec.endpoints[${i}]`;
      if (!ep || typeof ep !== 'object') return;
      const address: unknown = ep.address;
      if (address === undefined || address === '') {
        if (ep.network) r.warning(W, `${f}.address`, 'an endpoint without an address is reached only through its network gateway', undefined, 'set address unless that is intended');
        else r.error(E, `${f}.address`, 'an endpoint needs an address or a network', undefined);
      } else if (typeof address === 'string') {
        if (address.startsWith('unix://')) {
          const err = checkUds(address);
          if (err) r.error(E, `${f}.address`, err, address);
          if (ep.ports && Object.keys(ep.ports).length > 0) r.error(E, `${f}.ports`, 'a unix socket endpoint takes no ports', ep.ports);
          if (ports.length !== 1) r.error(E, 'spec.ports', 'a ServiceEntry with a unix socket endpoint needs exactly one port', ports.length);
        } else if (!isIP(address)) {
          if (!allowFqdn) {r.error(E, `${f}.address`, 'with resolution STATIC an endpoint address must be an IP or a unix:// socket', address, 'resolution DNS for hostnames');} else {
            const err = checkFqdn(address);
            if (err) r.error(E, `${f}.address`, `an endpoint address must be an IP or a hostname: ${err}`, address);
          }
        }
      }
      for (const [name, num] of Object.entries(ep.ports ?? {})) {
        if (!portNames.has(name)) r.error(E, `${f}.ports.${name}`, 'endpoint port names must name a port of the ServiceEntry', name, [...portNames].join(', ') || 'no ports declared');
        if (typeof num !== 'number' || !Number.isInteger(num) || num < 1 || num > 65535) r.error(E, `${f}.ports.${name}`, 'a port must be an integer from 1 to 65535', num);
      }
      validateLabels(r, `${f}.labels`, ep.labels);
    };

    switch (resolution) {
      case 'NONE':
        if (endpoints.length > 0) r.error(E, 'spec.endpoints', 'resolution NONE cannot have endpoints', endpoints.length, 'resolution STATIC or DNS');
        if (spec.workloadSelector) r.warning(W, 'spec.workloadSelector', 'a workloadSelector has no effect with resolution NONE', spec.workloadSelector, 'resolution STATIC');
        break;
      case 'STATIC':
        endpoints.forEach((ep, i) => checkEndpoint(ep, i, false));
        break;
      case 'DNS':
      case 'DNS_ROUND_ROBIN':
        if (endpoints.length === 0) {
          hosts.forEach((h, i) => {
            if (typeof h === 'string' && h.includes('*')) r.error(E, `spec.hosts[${i}]`, `resolution ${resolution} without endpoints resolves the hosts themselves, so they cannot be wildcards`, h, 'a plain DNS name, or endpoints');
          });
        }
        if (resolution === 'DNS_ROUND_ROBIN' && endpoints.length > 1) {
          r.error(E, 'spec.endpoints', 'resolution DNS_ROUND_ROBIN allows at most one endpoint', endpoints.length, 'resolution DNS for several');
        }
        endpoints.forEach((ep, i) => checkEndpoint(ep, i, true));
        if (addresses.length > 0 && hosts.length > 1 && protocols.some(p => !isHttpFamily(p) && !isTlsFamily(p))) {
          r.warning(W, 'spec.addresses', 'addresses with a TCP port and several hosts: the hosts share the addresses, so TCP traffic cannot tell them apart', addresses);
        }
        break;
      case 'DYNAMIC_DNS':
        hosts.forEach((h, i) => {
          if (typeof h === 'string' && !h.startsWith('*')) r.error(E, `spec.hosts[${i}]`, 'resolution DYNAMIC_DNS needs wildcard hosts', h, 'e.g. "*.example.com"');
        });
        if (addresses.length > 0) r.error(E, 'spec.addresses', 'resolution DYNAMIC_DNS takes no addresses', addresses);
        if (endpoints.length > 0) r.error(E, 'spec.endpoints', 'resolution DYNAMIC_DNS takes no endpoints', endpoints.length);
        protocols.forEach((proto, i) => {
          if (proto !== 'HTTP' && proto !== 'TLS' && proto !== 'GRPC' && proto !== 'HTTP2') {
            r.error(E, `spec.ports[${i}].protocol`, 'resolution DYNAMIC_DNS supports only HTTP, TLS, GRPC and HTTP2 ports', ports[i]?.protocol ?? undefined);
          }
        });
        {
          const waypoint = obj.metadata?.labels?.['istio.io/use-waypoint'];
          if (spec.location === 'MESH_INTERNAL' && waypoint !== undefined && waypoint !== 'none') {
            r.error(E, 'spec.location', 'resolution DYNAMIC_DNS with MESH_INTERNAL is not supported behind a waypoint (istio.io/use-waypoint)', spec.location, 'MESH_EXTERNAL');
          }
        }
        break;
      default:
        break;
    }

    // exportTo: `~` (no one) is ServiceEntry's own, and only alone.
    validateExportTo(r, 'spec.exportTo', spec.exportTo, { ownNamespace: ctx.namespaceOf(obj), allowTilde: true });
  },
};
