// istiod's webhook rules for ServiceEntry (VALIDATION-RULES.md section 8) over plain manifests: IST0106 for
// what the webhook rejects, IST0133 for what it admits with a warning.
import { isHttpFamily, isTlsFamily, parseProtocol, PROTOCOL_NAMES, validateExportTo, validateLabels, validateWorkloadSelector } from './common';
import {
  checkDns1123Label, checkFqdn, checkIpOrCidr, checkUnixAddress, checkWildcardDomain, isIP, isPartialWildcard,
} from '../../core/validate';
import { ObjectRule, Reporter } from '../engine';
import { Messages } from '../messages';
import { isObj, listOf } from '../objects';


/** A networking `workloadSelector.labels` map (Sidecar, ServiceEntry): no empty or `*` keys, no `*` values. @internal */
export function checkNetworkingSelector(r: Reporter, ws: any, field: string): void {
  if (!isObj(ws)) return;
  const labels = ws.labels ?? {};
  validateWorkloadSelector(r, `${field}.labels`, labels);
  // Label syntax only for the entries the selector rule accepted, so one bad entry is reported once.
  const keys = Object.keys(labels);
  const good = Object.fromEntries(keys.filter(k => k !== '' && !k.includes('*') && !String(labels[k]).includes('*')).map(k => [k, labels[k]]));
  if (keys.length > 0) validateLabels(r, `${field}.labels`, good);
}

/** What every ServiceEntry check reads: the spec's lists, normalised once, and where to report. */
interface Entry {
  readonly obj: any;
  readonly spec: any;
  readonly report: Reporter;
  readonly resolution: string;
  readonly hosts: unknown[];
  readonly addresses: unknown[];
  readonly ports: any[];
  readonly endpoints: any[];
}

/** ServiceEntry rules. @internal */
export const serviceEntryRule: ObjectRule = {
  kinds: ['networking.istio.io/ServiceEntry'],
  check(obj, report, ctx) {
    const spec = obj.spec ?? {};
    const e: Entry = {
      obj,
      spec,
      report,
      resolution: spec.resolution ?? 'NONE',
      hosts: listOf(spec.hosts),
      addresses: listOf(spec.addresses),
      ports: listOf(spec.ports),
      endpoints: listOf(spec.endpoints),
    };
    checkHosts(e);
    checkAddresses(e);
    checkSelection(e);
    const protocols = checkPorts(e);
    checkUnaddressedTcpPorts(e);
    checkHostsShareListeners(e, protocols);
    checkResolution(e, protocols);
    // exportTo: `~` (no one) is ServiceEntry's own, and only alone.
    validateExportTo(report, 'spec.exportTo', spec.exportTo, { ownNamespace: ctx.namespaceOf(obj), allowTilde: true });
  },
};

function checkHosts({ spec, report: r, resolution, hosts }: Entry): void {
  if (hosts.length === 0) r(Messages.SchemaValidationError, { field: 'spec.hosts', problem: 'a ServiceEntry needs at least one host', got: spec.hosts ?? [], fix: 'e.g. ["api.example.com"]' });
  hosts.forEach((h, i) => {
    const f = `spec.hosts[${i}]`;
    if (typeof h !== 'string') return;
    if (h === '*') { r(Messages.SchemaValidationError, { field: f, problem: 'a ServiceEntry host cannot be the wildcard "*"', got: h, fix: 'a DNS name, optionally "*.example.com"' }); return; }
    const err = checkWildcardDomain(h);
    if (err) { r(Messages.SchemaValidationError, { field: f, problem: err, got: h }); return; }
    if (isPartialWildcard(h) && resolution !== 'DYNAMIC_DNS') {
      r(Messages.SchemaWarning, { field: f, problem: 'a partial wildcard host matches unexpectedly; use "*" or "*.domain"', got: h });
    }
  });
}

function checkAddresses({ report: r, resolution, addresses }: Entry): void {
  addresses.forEach((a, i) => {
    const f = `spec.addresses[${i}]`;
    if (typeof a !== 'string') return;
    const err = checkIpOrCidr(a);
    if (err) { r(Messages.SchemaValidationError, { field: f, problem: err, got: a }); return; }
    if (a.includes('/') && resolution !== 'NONE' && resolution !== 'STATIC') {
      r(Messages.SchemaValidationError, { field: f, problem: `CIDR addresses are allowed only with resolution NONE or STATIC (resolution is ${resolution})`, got: a, fix: 'a single IP, or resolution NONE/STATIC' });
    }
  });
}

/** workloadSelector and endpoints are the two ways to pick the entry's workloads; one at a time. */
function checkSelection({ spec, report: r, endpoints }: Entry): void {
  if (spec.workloadSelector && endpoints.length > 0) {
    r(Messages.SchemaValidationError, { field: 'spec', problem: 'only one of workloadSelector or endpoints can be set', got: ['workloadSelector', 'endpoints'] });
  }
  checkNetworkingSelector(r, spec.workloadSelector, 'spec.workloadSelector');
}

/**
 * Names, numbers and protocols of `spec.ports`; returns each port's parsed protocol by index (undefined: unset,
 * unknown, or not an object, which the schema reports).
 */
function checkPorts({ report: r, ports }: Entry): Array<string | undefined> {
  const names = new Map<string, number>();
  const numbers = new Map<number, number>();
  return ports.map((p, i) => {
    const f = `spec.ports[${i}]`;
    if (!isObj(p)) return undefined;
    const nameErr = typeof p.name === 'string' ? checkDns1123Label(p.name) : 'a port needs a name';
    if (nameErr) r(Messages.SchemaValidationError, { field: `${f}.name`, problem: `a port name ${nameErr}`, got: p.name ?? undefined });
    else if (names.has(p.name)) r(Messages.SchemaValidationError, { field: `${f}.name`, problem: `port names must be unique (also used by ports[${names.get(p.name)}])`, got: p.name });
    else names.set(p.name, i);
    if (!isPortNumber(p.number)) {
      r(Messages.SchemaValidationError, { field: `${f}.number`, problem: 'a port must be an integer from 1 to 65535', got: p.number });
    } else if (numbers.has(p.number)) {
      r(Messages.SchemaValidationError, { field: `${f}.number`, problem: `port numbers must be unique (also used by ports[${numbers.get(p.number)}])`, got: p.number });
    } else {
      numbers.set(p.number, i);
    }
    if (p.targetPort !== undefined && !isPortNumber(p.targetPort)) {
      r(Messages.SchemaValidationError, { field: `${f}.targetPort`, problem: 'a targetPort must be an integer from 1 to 65535', got: p.targetPort });
    }
    const protocol = p.protocol === undefined || p.protocol === '' ? undefined : parseProtocol(p.protocol);
    if (p.protocol !== undefined && p.protocol !== '' && !protocol) r(Messages.SchemaValidationError, { field: `${f}.protocol`, problem: 'unknown protocol', got: p.protocol, fix: `${PROTOCOL_NAMES}, or none to sniff` });
    return protocol;
  });
}

function isPortNumber(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;
}

/**
 * The webhook's address warning: TCP (compared case-sensitively, as istiod does) or unset protocol, no
 * addresses, and no auto-allocation (which needs resolution other than NONE and the label not "false").
 */
function checkUnaddressedTcpPorts({ obj, report: r, resolution, addresses, ports }: Entry): void {
  const autoAllocate = resolution !== 'NONE' && obj.metadata?.labels?.['networking.istio.io/enable-autoallocate-ip'] !== 'false';
  if (addresses.length > 0 || autoAllocate) return;
  ports.forEach((p, i) => {
    if (p && (p.protocol === undefined || p.protocol === '' || p.protocol === 'TCP')) {
      r(Messages.SchemaWarning, { field: `spec.ports[${i}].protocol`, problem: 'a TCP (or unset) port without addresses makes every connection to this port match the entry; give addresses', got: p.protocol ?? undefined, fix: 'addresses, or an HTTP/TLS protocol' });
    }
  });
}

/** More than one host: listeners cannot tell the hosts apart unless the protocol carries the host name. */
function checkHostsShareListeners({ report: r, resolution, hosts, ports }: Entry, protocols: Array<string | undefined>): void {
  if (resolution === 'NONE' || hosts.length <= 1) return;
  protocols.forEach((proto, i) => {
    if (isObj(ports[i]) && !isHttpFamily(proto) && !isTlsFamily(proto)) {
      r(Messages.SchemaValidationError, { field: `spec.ports[${i}].protocol`, problem: `with resolution ${resolution} and several hosts, every port must be HTTP-family or TLS-family`, got: ports[i]?.protocol ?? undefined, fix: 'HTTP, HTTP2, HTTP_PROXY, GRPC, GRPC-WEB, HTTPS or TLS; or one ServiceEntry per host' });
    }
  });
}

/** What each resolution allows of endpoints, hosts, addresses and protocols. */
function checkResolution(e: Entry, protocols: Array<string | undefined>): void {
  const { spec, report: r, resolution, hosts, addresses, endpoints } = e;
  switch (resolution) {
    case 'NONE':
      if (endpoints.length > 0) r(Messages.SchemaValidationError, { field: 'spec.endpoints', problem: 'resolution NONE cannot have endpoints', got: endpoints.length, fix: 'resolution STATIC or DNS' });
      if (spec.workloadSelector) r(Messages.SchemaWarning, { field: 'spec.workloadSelector', problem: 'a workloadSelector has no effect with resolution NONE', got: spec.workloadSelector, fix: 'resolution STATIC' });
      break;
    case 'STATIC':
      endpoints.forEach((ep, i) => checkEndpoint(e, ep, i));
      break;
    case 'DNS':
    case 'DNS_ROUND_ROBIN':
      if (endpoints.length === 0) {
        hosts.forEach((h, i) => {
          if (typeof h === 'string' && h.includes('*')) r(Messages.SchemaValidationError, { field: `spec.hosts[${i}]`, problem: `resolution ${resolution} without endpoints resolves the hosts themselves, so they cannot be wildcards`, got: h, fix: 'a plain DNS name, or endpoints' });
        });
      }
      if (resolution === 'DNS_ROUND_ROBIN' && endpoints.length > 1) {
        r(Messages.SchemaValidationError, { field: 'spec.endpoints', problem: 'resolution DNS_ROUND_ROBIN allows at most one endpoint', got: endpoints.length, fix: 'resolution DNS for several' });
      }
      endpoints.forEach((ep, i) => checkEndpoint(e, ep, i));
      if (addresses.length > 0 && hosts.length > 1 && protocols.some(p => !isHttpFamily(p) && !isTlsFamily(p))) {
        r(Messages.SchemaWarning, { field: 'spec.addresses', problem: 'addresses with a TCP port and several hosts: the hosts share the addresses, so TCP traffic cannot tell them apart', got: addresses });
      }
      break;
    case 'DYNAMIC_DNS':
      checkDynamicDns(e, protocols);
      break;
    default:
      break;
  }
}

function checkDynamicDns({ obj, spec, report: r, hosts, addresses, ports, endpoints }: Entry, protocols: Array<string | undefined>): void {
  hosts.forEach((h, i) => {
    if (typeof h === 'string' && !h.startsWith('*')) r(Messages.SchemaValidationError, { field: `spec.hosts[${i}]`, problem: 'resolution DYNAMIC_DNS needs wildcard hosts', got: h, fix: 'e.g. "*.example.com"' });
  });
  if (addresses.length > 0) r(Messages.SchemaValidationError, { field: 'spec.addresses', problem: 'resolution DYNAMIC_DNS takes no addresses', got: addresses });
  if (endpoints.length > 0) r(Messages.SchemaValidationError, { field: 'spec.endpoints', problem: 'resolution DYNAMIC_DNS takes no endpoints', got: endpoints.length });
  protocols.forEach((proto, i) => {
    if (isObj(ports[i]) && proto !== 'HTTP' && proto !== 'TLS' && proto !== 'GRPC' && proto !== 'HTTP2') {
      r(Messages.SchemaValidationError, { field: `spec.ports[${i}].protocol`, problem: 'resolution DYNAMIC_DNS supports only HTTP, TLS, GRPC and HTTP2 ports', got: ports[i]?.protocol ?? undefined });
    }
  });
  const waypoint = obj.metadata?.labels?.['istio.io/use-waypoint'];
  if (spec.location === 'MESH_INTERNAL' && waypoint !== undefined && waypoint !== 'none') {
    r(Messages.SchemaValidationError, { field: 'spec.location', problem: 'resolution DYNAMIC_DNS with MESH_INTERNAL is not supported behind a waypoint (istio.io/use-waypoint)', got: spec.location, fix: 'MESH_EXTERNAL' });
  }
}

/** One endpoint of a STATIC (IP or unix:// socket) or DNS (IP or hostname) entry. */
function checkEndpoint({ report: r, resolution, ports }: Entry, ep: any, i: number): void {
  const f = `spec.endpoints[${i}]`;
  if (!isObj(ep)) return;
  const allowFqdn = resolution !== 'STATIC';
  const address: unknown = ep.address;
  if (address === undefined || address === '') {
    if (ep.network) r(Messages.SchemaWarning, { field: `${f}.address`, problem: 'an endpoint without an address is reached only through its network gateway', fix: 'set address unless that is intended' });
    else r(Messages.SchemaValidationError, { field: `${f}.address`, problem: 'an endpoint needs an address or a network' });
  } else if (typeof address === 'string') {
    if (address.startsWith('unix://') && allowFqdn) {
      // istiod takes unix:// sockets only with resolution STATIC; with DNS the address must resolve.
      r(Messages.SchemaValidationError, { field: `${f}.address`, problem: `with resolution ${resolution} an endpoint address must be an IP or a hostname, not a unix:// socket`, got: address, fix: 'resolution STATIC for unix sockets' });
    } else if (address.startsWith('unix://')) {
      const err = checkUnixAddress(address.slice('unix://'.length));
      if (err) r(Messages.SchemaValidationError, { field: `${f}.address`, problem: err, got: address });
      if (ep.ports && Object.keys(ep.ports).length > 0) r(Messages.SchemaValidationError, { field: `${f}.ports`, problem: 'a unix socket endpoint takes no ports', got: ep.ports });
      if (ports.length !== 1) r(Messages.SchemaValidationError, { field: 'spec.ports', problem: 'a ServiceEntry with a unix socket endpoint needs exactly one port', got: ports.length });
    } else if (!isIP(address)) {
      if (!allowFqdn) {r(Messages.SchemaValidationError, { field: `${f}.address`, problem: 'with resolution STATIC an endpoint address must be an IP or a unix:// socket', got: address, fix: 'resolution DNS for hostnames' });} else {
        const err = checkFqdn(address);
        if (err) r(Messages.SchemaValidationError, { field: `${f}.address`, problem: `an endpoint address must be an IP or a hostname: ${err}`, got: address });
      }
    }
  }
  const portNames = new Set(ports.map(p => p?.name));
  for (const [name, num] of Object.entries(ep.ports ?? {})) {
    if (!portNames.has(name)) r(Messages.SchemaValidationError, { field: `${f}.ports.${name}`, problem: 'endpoint port names must name a port of the ServiceEntry', got: name, fix: [...portNames].join(', ') || 'no ports declared' });
    if (!isPortNumber(num)) r(Messages.SchemaValidationError, { field: `${f}.ports.${name}`, problem: 'a port must be an integer from 1 to 65535', got: num });
  }
  validateLabels(r, `${f}.labels`, ep.labels);
}
