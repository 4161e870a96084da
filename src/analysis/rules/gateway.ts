// istiod's webhook rules for Gateway (VALIDATION-RULES.md section 2) over plain manifests: IST0106 for what
// the webhook rejects, IST0133 for what it admits with a warning. The Gateway name is checked with the other
// metadata rules (metadata.ts).
import {
  isHttpFamily, isTlsFamily, isUnixBind, validateBind, validateNamespacedHost, validatePort, validatePortName,
  validateProtocol,
} from './common';
import { ObjectRule, Reporter } from '../engine';
import { Messages } from '../messages';
import { isObj, listOf, objOf } from '../objects';


// Istio's list of cipher suites Envoy supports on servers; anything else is dropped by Envoy.
const KNOWN_CIPHERS = new Set([
  'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256', 'AES256-GCM-SHA384', 'AES128-GCM-SHA256', 'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305', 'ECDHE-ECDSA-AES128-SHA', 'ECDHE-RSA-AES128-SHA', 'ECDHE-ECDSA-AES256-SHA',
  'ECDHE-RSA-AES256-SHA', 'AES128-SHA', 'AES256-SHA', 'DES-CBC3-SHA',
]);

const CERT_FIELDS = ['serverCertificate', 'privateKey', 'caCertificates', 'caCrl', 'credentialName', 'credentialNames', 'tlsCertificates'];
const ISTIO_MUTUAL_FORBIDDEN = ['serverCertificate', 'privateKey', 'caCertificates', 'tlsCertificates', 'credentialName', 'credentialNames'];
// A plain HTTP server's tls may only ask for the redirect; these would mean terminating TLS on it.
const HTTP_REDIRECT_FORBIDDEN = ['serverCertificate', 'privateKey', 'caCertificates'];

/** Set in the Go sense: a non-empty string or list. */
const isSet = (o: any, k: string) => isObj(o) && o[k] !== undefined && o[k] !== null && o[k] !== '' && !(Array.isArray(o[k]) && o[k].length === 0);

/** Envoy's cipher expressions (`-X`, `!X`, `+X`, `[A|B]`) and `ALL` are passed through, as istiod does. */
function isKnownCipher(c: string): boolean {
  return c === '' || c === 'ALL' || !/^[\p{L}\p{N}]/u.test(c) || KNOWN_CIPHERS.has(c);
}

/** Gateway rules. @internal */
export const gatewayRule: ObjectRule = {
  kinds: ['networking.istio.io/Gateway'],
  check(obj, r) {
    const servers = listOf(obj.spec?.servers);
    if (servers.length === 0) {
      r(Messages.SchemaValidationError, { field: 'spec.servers', problem: 'a Gateway needs at least one server', got: servers, fix: 'e.g. a server on port 80 for HTTP' });
      return;
    }
    servers.forEach((s, i) => {
      if (isObj(s)) checkServer(r, s, `spec.servers[${i}]`);
    });
    checkUniquePortNames(r, servers);
  },
};

/** istiod keys a Gateway's listeners by port name, so a name may serve one server only. */
function checkUniquePortNames(r: Reporter, servers: unknown[]): void {
  const first = new Map<string, number>();
  servers.forEach((s, i) => {
    const name = isObj(s) ? objOf(s.port).name : undefined;
    if (typeof name !== 'string' || name === '') return;
    const seen = first.get(name);
    if (seen === undefined) first.set(name, i);
    else r(Messages.SchemaValidationError, { field: `spec.servers[${i}].port.name`, problem: `port names must be unique across all servers of a Gateway (servers[${seen}] uses it too)`, got: name, fix: 'a name no other server of this Gateway uses' });
  });
}

function checkServer(r: Reporter, s: Record<string, any>, f: string): void {
  const hosts = listOf(s.hosts);
  if (hosts.length === 0) r(Messages.SchemaValidationError, { field: `${f}.hosts`, problem: 'a server needs at least one host', got: hosts, fix: 'e.g. ["shop.example.com"] or ["*"]' });
  hosts.forEach((h, j) => validateNamespacedHost(r, `${f}.hosts[${j}]`, h, 'gateway'));

  const port = objOf(s.port);
  validatePortName(r, `${f}.port.name`, port.name, { required: true });
  const protocol = validateProtocol(r, `${f}.port.protocol`, port.protocol);
  const unix = isUnixBind(s.bind);
  // Port 0 is how a server says "no TCP port" when it listens on a unix socket.
  if (!(unix && port.number === 0)) validatePort(r, `${f}.port.number`, port.number, unix ? '0 with a unix:// bind' : '1 to 65535; 0 only with a unix:// bind');
  if (typeof port.targetPort === 'number' && port.targetPort > 0) {
    r(Messages.SchemaValidationError, { field: `${f}.port.targetPort`, problem: 'targetPort is not supported on Gateway servers', got: port.targetPort, fix: 'remove it; the gateway listens on port.number' });
  }

  validateBind(r, `${f}.bind`, s.bind);
  if (unix && typeof port.number === 'number' && port.number !== 0) {
    r(Messages.SchemaValidationError, { field: `${f}.port.number`, problem: 'a server bound to a unix:// socket must use port number 0', got: port.number, fix: '0' });
  }

  const tls = isObj(s.tls) ? s.tls : undefined;
  if (tls?.httpsRedirect === true && !isHttpFamily(protocol)) {
    r(Messages.SchemaWarning, { field: `${f}.tls.httpsRedirect`, problem: `httpsRedirect only works on plain HTTP servers, not on ${protocol ?? String(port.protocol)}`, got: true, fix: 'set it on a server with protocol HTTP' });
  }
  if (protocol) checkTlsPresence(r, tls, protocol, f);
  if (tls) checkTls(r, tls, `${f}.tls`);
}

function checkTlsPresence(r: Reporter, tls: Record<string, any> | undefined, protocol: string, f: string): void {
  if (isTlsFamily(protocol)) {
    if (!tls) r(Messages.SchemaValidationError, { field: `${f}.tls`, problem: `a ${protocol} server needs tls settings`, fix: 'e.g. mode SIMPLE with a credentialName, or PASSTHROUGH for TLS' });
    return;
  }
  if (!tls) return;
  if (isHttpFamily(protocol)) {
    const mode = tls.mode ?? 'PASSTHROUGH';
    const certs = HTTP_REDIRECT_FORBIDDEN.filter(k => isSet(tls, k));
    if ((mode !== 'PASSTHROUGH' && mode !== 'AUTO_PASSTHROUGH') || certs.length > 0) {
      r(Messages.SchemaValidationError, { field: `${f}.tls`, problem: `a plain ${protocol} server takes tls only to redirect to HTTPS; terminate TLS on an HTTPS server instead`, got: certs.length ? certs : `mode ${mode}`, fix: 'tls: { httpsRedirect: true } and nothing else' });
    }
    return;
  }
  r(Messages.SchemaValidationError, { field: `${f}.tls`, problem: `a ${protocol} server takes no tls settings`, got: tls, fix: 'use protocol TLS or HTTPS for TLS' });
}

function checkTls(r: Reporter, tls: Record<string, any>, f: string): void {
  const mode: string = tls.mode ?? 'PASSTHROUGH';
  checkCiphers(r, tls, f);

  if (mode === 'ISTIO_MUTUAL') {
    const forbidden = ISTIO_MUTUAL_FORBIDDEN.filter(k => isSet(tls, k));
    if (forbidden.length) r(Messages.SchemaValidationError, { field: f, problem: 'ISTIO_MUTUAL uses the mesh certificates and takes no certificate fields', got: forbidden, fix: 'remove them, or use mode SIMPLE/MUTUAL' });
    return;
  }
  if (mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH') {
    const ignored = CERT_FIELDS.filter(k => isSet(tls, k));
    if (ignored.length) r(Messages.SchemaWarning, { field: f, problem: `${mode} does not terminate TLS, so certificate fields are ignored`, got: ignored, fix: 'remove them, or use mode SIMPLE to terminate TLS' });
  }

  const sources = [
    isSet(tls, 'serverCertificate') || isSet(tls, 'privateKey') ? 'serverCertificate/privateKey' : undefined,
    isSet(tls, 'credentialName') ? 'credentialName' : undefined,
    isSet(tls, 'credentialNames') ? 'credentialNames' : undefined,
    isSet(tls, 'tlsCertificates') ? 'tlsCertificates' : undefined,
  ].filter((x): x is string => !!x);
  if (sources.length > 1) {
    r(Messages.SchemaValidationError, { field: f, problem: 'certificate sources are mutually exclusive', got: sources, fix: 'one of serverCertificate+privateKey, credentialName, credentialNames, tlsCertificates' });
  }

  const terminating = mode === 'SIMPLE' || mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL';
  if (terminating && !isSet(tls, 'credentialName') && !isSet(tls, 'credentialNames')) {
    const mutual = mode !== 'SIMPLE';
    const certs: Array<[any, string]> = isSet(tls, 'tlsCertificates')
      ? listOf(tls.tlsCertificates).map((c, i) => [c, `${f}.tlsCertificates[${i}]`])
      : [[tls, f]];
    for (const [c, cf] of certs) {
      const missing = ['serverCertificate', 'privateKey'].filter(k => !isSet(c, k));
      // The CA that verifies clients may sit beside the certificates or once at the top level.
      if (mutual && !isSet(c, 'caCertificates') && !isSet(tls, 'caCertificates')) missing.push('caCertificates');
      if (missing.length) {
        const needs = mutual ? 'serverCertificate, privateKey and caCertificates' : 'serverCertificate and privateKey';
        r(Messages.SchemaValidationError, { field: cf, problem: `without credentialName(s), ${mode} needs ${needs}`, got: missing.map(k => `${k} missing`), fix: 'set credentialName to the Secret holding the certificate, or the missing file paths' });
      }
    }
  }
  if (isSet(tls, 'caCrl')) {
    if (isSet(tls, 'credentialName')) {
      r(Messages.SchemaValidationError, { field: `${f}.caCrl`, problem: 'caCrl cannot be combined with credentialName; the CRL then comes from the Secret', got: tls.caCrl, fix: 'put the CRL into the credentialName Secret (key ca.crl), or use file certificates' });
    } else if (mode === 'SIMPLE') {
      r(Messages.SchemaValidationError, { field: `${f}.caCrl`, problem: 'caCrl is not allowed in SIMPLE mode, which does not verify client certificates', got: tls.caCrl, fix: 'use mode MUTUAL or OPTIONAL_MUTUAL, or remove caCrl' });
    }
  }
}

function checkCiphers(r: Reporter, tls: Record<string, any>, f: string): void {
  const min = tls.minProtocolVersion;
  if ((min === 'TLSV1_0' || min === 'TLSV1_1') && !isSet(tls, 'cipherSuites')) {
    r(Messages.SchemaWarning, { field: `${f}.minProtocolVersion`, problem: `${min} without cipherSuites uses Envoy's default suites, which TLS 1.0/1.1 clients cannot negotiate`, got: min, fix: 'list cipherSuites those clients support' });
  }
  const known = new Set<string>();
  const unknown = new Set<string>();
  listOf(tls.cipherSuites).forEach((c, i) => {
    if (typeof c !== 'string') return;
    const cf = `${f}.cipherSuites[${i}]`;
    if (!isKnownCipher(c)) {
      if (!unknown.has(c)) r(Messages.SchemaWarning, { field: cf, problem: 'unknown cipher suite; Envoy ignores it', got: c, fix: 'e.g. ECDHE-RSA-AES128-GCM-SHA256 (Istio\'s list of supported suites)' });
      unknown.add(c);
    } else if (known.has(c)) {
      r(Messages.SchemaWarning, { field: cf, problem: 'duplicate cipher suite; the repeat is ignored', got: c, fix: 'list each suite once' });
    } else {
      known.add(c);
    }
  });
}
