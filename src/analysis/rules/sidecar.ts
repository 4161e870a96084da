// istiod's webhook rules for Sidecar (VALIDATION-RULES.md section 9) over plain manifests: IST0106 for what the
// webhook rejects, IST0133 for what it admits with a warning.
import { isHttpFamily, isTlsFamily, parseProtocol, PROTOCOL_NAMES } from './common';
import { checkConnectionPool } from './destination-rule';
import { checkNetworkingSelector } from './service-entry';
import { checkDns1123Label, checkFqdn, checkNamespacedHost, checkUnixAddress, isIP } from '../../core/validate';
import { ObjectRule, Reporter } from '../engine';
import { Messages } from '../messages';
import { isObj, listOf } from '../objects';


const validPort = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;

function checkPortFields(r: Reporter, port: Record<string, any>, f: string): string | undefined {
  if (port.name !== undefined && port.name !== '') {
    const err = checkDns1123Label(port.name);
    if (err) r(Messages.SchemaValidationError, { field: `${f}.name`, problem: `a port name ${err}`, got: port.name });
  }
  const protocol = port.protocol === undefined || port.protocol === '' ? undefined : parseProtocol(port.protocol);
  if (port.protocol !== undefined && port.protocol !== '' && !protocol) r(Messages.SchemaValidationError, { field: `${f}.protocol`, problem: 'unknown protocol', got: port.protocol, fix: `${PROTOCOL_NAMES}, or none to sniff` });
  if (port.targetPort !== undefined) r(Messages.SchemaValidationError, { field: `${f}.targetPort`, problem: 'targetPort is not supported on Sidecar listeners', got: port.targetPort, fix: 'remove it' });
  return protocol;
}

/** The socket after `unix://`, as istiod's ValidateUnixAddress reads it (an `@abstract` name is fine). */
function checkUdsBind(bind: string): string | undefined {
  return checkUnixAddress(bind.slice('unix://'.length));
}

/** `<127.0.0.1|0.0.0.0|::1|::>:<port>`, `:<port>` (also `[::1]:<port>`), or `unix://<absolute path>`. */
function checkDefaultEndpoint(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.startsWith('unix://')) return checkUdsBind(value) ? 'a unix:// endpoint needs an absolute file path' : undefined;
  let host: string;
  let port: string;
  const bracket = /^\[([^\]]*)\]:(.*)$/.exec(value);
  if (bracket) {
    [, host, port] = bracket;
  } else {
    const colon = value.lastIndexOf(':');
    if (colon < 0) return 'needs a port, e.g. 127.0.0.1:8080';
    host = value.slice(0, colon);
    port = value.slice(colon + 1);
    if (host.includes(':')) return 'an IPv6 host must be in brackets, e.g. [::1]:8080';
  }
  if (host !== '' && !['127.0.0.1', '0.0.0.0', '::1', '::'].includes(host)) return 'the host must be 127.0.0.1, 0.0.0.0, ::1, :: or empty';
  if (!/^[0-9]+$/.test(port) || !validPort(Number(port))) return 'the port must be from 1 to 65535';
  return undefined;
}

function checkIngressTls(r: Reporter, tls: Record<string, any>, protocol: string | undefined, f: string): void {
  if (!isTlsFamily(protocol)) r(Messages.SchemaValidationError, { field: f, problem: 'TLS on a Sidecar ingress listener needs an HTTPS or TLS port', got: protocol ?? undefined, fix: 'protocol HTTPS or TLS' });
  const forbidden = ['subjectAltNames', 'httpsRedirect', 'credentialName', 'credentialNames', 'tlsCertificates'].filter(k => tls[k] !== undefined);
  if (forbidden.length) r(Messages.SchemaValidationError, { field: f, problem: 'these TLS fields are not supported on Sidecar ingress listeners', got: forbidden, fix: 'serverCertificate, privateKey and caCertificates files' });
  const mode: string = tls.mode ?? 'PASSTHROUGH';
  if (mode === 'ISTIO_MUTUAL' || mode === 'AUTO_PASSTHROUGH') {
    r(Messages.SchemaValidationError, { field: `${f}.mode`, problem: `mode ${mode} is not supported on Sidecar ingress listeners`, got: mode, fix: 'SIMPLE, MUTUAL or OPTIONAL_MUTUAL' });
    return;
  }
  if (mode === 'SIMPLE' || mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL') {
    const missing = ['serverCertificate', 'privateKey', ...(mode === 'SIMPLE' ? [] : ['caCertificates'])].filter(k => !tls[k]);
    if (missing.length) r(Messages.SchemaValidationError, { field: f, problem: `${mode} needs ${missing.join(' and ')}`, fix: 'certificate files mounted into the pod' });
  }
}

function checkIngress(r: Reporter, ingress: any[]): void {
  const numbers = new Map<number, number>();
  ingress.forEach((l, i) => {
    const f = `spec.ingress[${i}]`;
    if (!isObj(l)) return;
    if (!isObj(l.port)) {
      r(Messages.SchemaValidationError, { field: `${f}.port`, problem: 'an ingress listener needs a port', got: l.port });
      return;
    }
    const protocol = checkPortFields(r, l.port, `${f}.port`);
    const n = l.port.number;
    if (!validPort(n)) r(Messages.SchemaValidationError, { field: `${f}.port.number`, problem: 'a port must be an integer from 1 to 65535', got: n });
    else if (numbers.has(n)) r(Messages.SchemaValidationError, { field: `${f}.port.number`, problem: `ingress port numbers must be unique (also used by ingress[${numbers.get(n)}])`, got: n });
    else numbers.set(n, i);
    if (l.bind !== undefined && !isIP(l.bind)) r(Messages.SchemaValidationError, { field: `${f}.bind`, problem: 'an ingress bind must be an IP address', got: l.bind });
    if (l.defaultEndpoint !== undefined) {
      const err = checkDefaultEndpoint(l.defaultEndpoint);
      if (err) r(Messages.SchemaValidationError, { field: `${f}.defaultEndpoint`, problem: `defaultEndpoint ${err}`, got: l.defaultEndpoint, fix: '127.0.0.1:<port>, 0.0.0.0:<port>, [::1]:<port>, :<port> or unix:///path' });
    }
    if (isObj(l.tls)) checkIngressTls(r, l.tls, protocol, `${f}.tls`);
    if (l.connectionPool !== undefined) {
      checkConnectionPool(r, l.connectionPool, `${f}.connectionPool`);
      if (isObj(l.connectionPool.http) && protocol !== undefined && !isHttpFamily(protocol)) {
        r(Messages.SchemaWarning, { field: `${f}.connectionPool.http`, problem: `HTTP connection pool settings have no effect on a ${protocol} port`, got: l.connectionPool.http });
      }
    }
  });
}

/** `namespace/dnsName` of an egress listener: namespace `*`, `.`, `~` or a name; dnsName `*` or a dotted name. */
function checkEgressHost(h: unknown): string | undefined {
  if (typeof h !== 'string' || h.length === 0) return 'an egress host must not be empty';
  const slash = h.indexOf('/');
  if (slash < 0 || h.indexOf('/', slash + 1) >= 0) return 'an egress host must be "namespace/dnsName"';
  const dns = h.slice(slash + 1);
  if (isIP(dns)) return `an IP address ("${dns}") is not a host; import the Service or ServiceEntry that has it`;
  return checkNamespacedHost(h, 'sidecar');
}

function checkEgress(r: Reporter, egress: any[]): void {
  const numbers = new Map<number, number>();
  const binds = new Map<string, number>();
  egress.forEach((l, i) => {
    const f = `spec.egress[${i}]`;
    if (!isObj(l)) return;
    if (!isObj(l.port)) {
      if (i !== egress.length - 1) r(Messages.SchemaValidationError, { field: f, problem: 'only the last egress listener may omit its port (it catches all other ports)', fix: 'give a port, or move this listener last' });
    } else {
      checkPortFields(r, l.port, `${f}.port`);
      const n = l.port.number;
      const bind: unknown = l.bind;
      if (n === 0) {
        if (typeof bind !== 'string' || !bind.startsWith('unix://')) {
          r(Messages.SchemaValidationError, { field: `${f}.bind`, problem: 'port 0 means a unix domain socket listener, which needs a unix:// bind', got: bind, fix: 'unix:///absolute/path' });
        } else {
          const err = checkUdsBind(bind);
          if (err) r(Messages.SchemaValidationError, { field: `${f}.bind`, problem: err, got: bind });
          else if (binds.has(bind)) r(Messages.SchemaValidationError, { field: `${f}.bind`, problem: `unix socket binds must be unique (also used by egress[${binds.get(bind)}])`, got: bind });
          else binds.set(bind, i);
          if (l.captureMode !== undefined && l.captureMode !== 'DEFAULT' && l.captureMode !== 'NONE') {
            r(Messages.SchemaValidationError, { field: `${f}.captureMode`, problem: 'a unix socket listener takes captureMode DEFAULT or NONE', got: l.captureMode });
          }
        }
      } else if (!validPort(n)) {
        r(Messages.SchemaValidationError, { field: `${f}.port.number`, problem: 'a port must be an integer from 1 to 65535', got: n });
      } else {
        if (numbers.has(n)) r(Messages.SchemaValidationError, { field: `${f}.port.number`, problem: `egress port numbers must be unique (also used by egress[${numbers.get(n)}])`, got: n });
        else numbers.set(n, i);
        if (bind !== undefined && !(typeof bind === 'string' && isIP(bind))) r(Messages.SchemaValidationError, { field: `${f}.bind`, problem: 'an egress bind on a port must be an IP address', got: bind });
      }
    }
    const hosts: unknown[] = listOf(l.hosts);
    if (hosts.length === 0) r(Messages.SchemaValidationError, { field: `${f}.hosts`, problem: 'an egress listener needs at least one host', got: l.hosts ?? [], fix: 'e.g. ["./*", "istio-system/*"]' });
    const seen = new Set<unknown>();
    hosts.forEach((h, j) => {
      const err = checkEgressHost(h);
      if (err) r(Messages.SchemaValidationError, { field: `${f}.hosts[${j}]`, problem: err, got: h, fix: '"namespace/dnsName" with namespace "*", ".", "~" or a name, and dnsName "*", "*.example.com" or a dotted name' });
      else if (seen.has(h)) r(Messages.SchemaWarning, { field: `${f}.hosts[${j}]`, problem: 'duplicate egress host', got: h });
      seen.add(h);
    });
    // `~` entries (Istio 1.31: `~ns1/*`, `~/foo.com`) subtract from what the others import, so they count beside "*/*".
    if (hosts.includes('*/*') && hosts.filter(h => !(typeof h === 'string' && h.startsWith('~'))).length > 1) {
      r(Messages.SchemaWarning, { field: `${f}.hosts`, problem: '"*/*" imports every host, so the other entries have no effect', got: hosts, fix: '"*/*" alone' });
    }
  });
}

function checkOutbound(r: Reporter, otp: Record<string, any>): void {
  const f = 'spec.outboundTrafficPolicy';
  if (otp.mode === 'ALLOW_ANY_DYNAMIC_DNS') r(Messages.SchemaValidationError, { field: `${f}.mode`, problem: 'ALLOW_ANY_DYNAMIC_DNS is only a MeshConfig setting', got: otp.mode, fix: 'REGISTRY_ONLY or ALLOW_ANY' });
  const proxy = otp.egressProxy;
  if (proxy === undefined) return;
  // Its deprecation (IST0002) is the deprecation analyzer's finding, not the webhook's: reported once, there.
  if ((otp.mode ?? 'REGISTRY_ONLY') !== 'ALLOW_ANY') {
    r(Messages.SchemaValidationError, { field: `${f}.egressProxy`, problem: 'egressProxy is only allowed with mode ALLOW_ANY', got: otp.mode ?? undefined, fix: 'mode ALLOW_ANY' });
  }
  if (isObj(proxy)) {
    const err = typeof proxy.host === 'string' ? checkFqdn(proxy.host) : 'an egressProxy needs a host';
    if (err) r(Messages.SchemaValidationError, { field: `${f}.egressProxy.host`, problem: err, got: proxy.host });
    if (!isObj(proxy.port) || !validPort(proxy.port.number)) r(Messages.SchemaValidationError, { field: `${f}.egressProxy.port`, problem: 'an egressProxy needs a port from 1 to 65535', got: proxy.port, fix: 'e.g. { number: 3128 }' });
  }
}

/** Sidecar rules. @internal */
export const sidecarRule: ObjectRule = {
  kinds: ['networking.istio.io/Sidecar'],
  check(obj, r) {
    const spec = obj.spec ?? {};
    checkNetworkingSelector(r, spec.workloadSelector, 'spec.workloadSelector');
    const ingress: any[] = listOf(spec.ingress);
    const egress: any[] = listOf(spec.egress);
    if (ingress.length === 0 && egress.length === 0 && spec.outboundTrafficPolicy === undefined && spec.inboundConnectionPool === undefined) {
      r(Messages.SchemaValidationError, { field: 'spec', problem: 'a Sidecar must set at least one of egress, ingress, outboundTrafficPolicy or inboundConnectionPool', got: spec });
    }
    checkIngress(r, ingress);
    checkEgress(r, egress);
    if (isObj(spec.outboundTrafficPolicy)) checkOutbound(r, spec.outboundTrafficPolicy);
    if (spec.inboundConnectionPool !== undefined) checkConnectionPool(r, spec.inboundConnectionPool, 'spec.inboundConnectionPool');
  },
};
