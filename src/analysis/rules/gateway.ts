// istiod's webhook rules for Gateway (VALIDATION-RULES.md section 2) over plain manifests: IST0106 for what
// the webhook rejects, IST0133 for what it admits with a warning.
import {
  checkNamespacedHost, isHttpFamily, isTlsFamily, parseProtocol, PROTOCOL_NAMES,
} from './common';
import { checkDns1123Label, isIP } from '../../core/validate';
import { ObjectRule, Reporter } from '../engine';

const E = 'IST0106';
const W = 'IST0133';

const KNOWN_CIPHERS = new Set([
  'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256', 'AES256-GCM-SHA384', 'AES128-GCM-SHA256', 'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305', 'ECDHE-ECDSA-AES128-SHA', 'ECDHE-RSA-AES128-SHA', 'ECDHE-ECDSA-AES256-SHA',
  'ECDHE-RSA-AES256-SHA', 'AES128-SHA', 'AES256-SHA', 'DES-CBC3-SHA',
]);

const CERT_FIELDS = ['serverCertificate', 'privateKey', 'caCertificates'];

/** Gateway rules. @internal */
export const gatewayRule: ObjectRule = {
  kinds: ['networking.istio.io/Gateway'],
  check(obj, r) {
    const nameErr = checkDns1123Label(obj.metadata?.name ?? '');
    if (nameErr) r.error(E, 'metadata.name', `a Gateway name ${nameErr} (dots are not allowed)`, obj.metadata?.name);
    const servers: any[] = obj.spec?.servers ?? [];
    if (servers.length === 0) {
      r.error(E, 'spec.servers', 'a Gateway needs at least one server', servers, 'e.g. a server on port 80 for HTTP');
      return;
    }
    const portNames = new Map<string, number>();
    servers.forEach((s, i) => checkServer(r, s, `spec.servers[${i}]`, i, portNames));
  },
};

function checkServer(r: Reporter, s: any, f: string, index: number, portNames: Map<string, number>) {
  const hosts: unknown[] = s.hosts ?? [];
  if (hosts.length === 0) r.error(E, `${f}.hosts`, 'a server needs at least one host', hosts, 'e.g. ["shop.example.com"] or ["*"]');
  hosts.forEach((h, j) => {
    const err = checkNamespacedHost(h);
    if (err) r.error(E, `${f}.hosts[${j}]`, err, h, '"[namespace/]host" with host "*", "*.example.com", "shop.example.com" or an IP');
  });

  const port = s.port ?? {};
  const bind: string | undefined = s.bind;
  const unixBind = typeof bind === 'string' && bind.startsWith('unix://');
  if (typeof port.name !== 'string' || port.name.length === 0) {
    r.error(E, `${f}.port.name`, 'a server port needs a name', port.name);
  } else if (portNames.has(port.name)) {
    r.error(E, `${f}.port.name`, `port names must be unique across all servers of a Gateway (also used by servers[${portNames.get(port.name)}])`, port.name);
  } else {
    portNames.set(port.name, index);
  }
  const protocol = parseProtocol(port.protocol);
  if (!protocol) r.error(E, `${f}.port.protocol`, 'unknown protocol', port.protocol, PROTOCOL_NAMES);
  if (port.number === 0) {
    if (!unixBind) r.error(E, `${f}.port.number`, 'port 0 is only allowed with a unix:// bind', 0, '1 to 65535');
  } else if (typeof port.number !== 'number' || port.number < 1 || port.number > 65535) {
    r.error(E, `${f}.port.number`, 'a port must be an integer from 1 to 65535', port.number);
  } else if (unixBind) {
    r.error(E, `${f}.port.number`, 'a server bound to a unix:// socket must use port number 0', port.number, '0');
  }
  if (port.targetPort !== undefined) r.error(E, `${f}.port.targetPort`, 'targetPort is not supported on Gateway servers', port.targetPort, 'remove it');

  if (bind !== undefined) checkBind(r, bind, `${f}.bind`);
  checkTlsPresence(r, s.tls, protocol, f);
  // Only TLS-family servers terminate or pass through TLS; on the others the presence check said it all.
  if (s.tls && isTlsFamily(protocol)) checkTls(r, s.tls, `${f}.tls`);
}

function checkBind(r: Reporter, bind: string, f: string) {
  if (bind.startsWith('unix://')) {
    const rest = bind.slice('unix://'.length);
    if (rest.startsWith('@') ? rest.length > 1 : rest.startsWith('/') && !rest.endsWith('/')) return;
    r.error(E, f, 'a unix:// bind needs an absolute file path or an @abstract name', bind, 'e.g. unix:///var/run/gw.sock or unix://@gw');
    return;
  }
  if (!isIP(bind)) r.error(E, f, 'bind must be an IP address or a unix:// socket', bind);
}

function checkTlsPresence(r: Reporter, tls: any, protocol: string | undefined, f: string) {
  if (!protocol) return;
  if (isTlsFamily(protocol)) {
    if (!tls) r.error(E, `${f}.tls`, `a ${protocol} server needs tls settings`, undefined, 'e.g. mode SIMPLE with a credentialName, or PASSTHROUGH for TLS');
    return;
  }
  if (isHttpFamily(protocol)) {
    if (!tls) return;
    const mode = tls.mode ?? 'PASSTHROUGH';
    const certs = CERT_FIELDS.filter(k => tls[k] !== undefined);
    if ((mode !== 'PASSTHROUGH' && mode !== 'AUTO_PASSTHROUGH') || certs.length > 0) {
      r.error(E, `${f}.tls`, `a plain ${protocol} server only takes tls to redirect to HTTPS; terminate TLS on an HTTPS server instead`,
        certs.length ? certs : mode, 'tls: { httpsRedirect: true }');
    }
    return;
  }
  if (tls) {
    if (tls.httpsRedirect) r.warning(W, `${f}.tls.httpsRedirect`, `httpsRedirect has no effect on a ${protocol} server`, true);
    r.error(E, `${f}.tls`, `a ${protocol} server takes no tls settings`, tls, 'use protocol TLS or HTTPS for TLS');
  }
}

function checkTls(r: Reporter, tls: any, f: string) {
  const mode: string = tls.mode ?? 'PASSTHROUGH';
  const has = (k: string) => tls[k] !== undefined && tls[k] !== '' && !(Array.isArray(tls[k]) && tls[k].length === 0);

  if (mode === 'ISTIO_MUTUAL') {
    const forbidden = ['serverCertificate', 'privateKey', 'caCertificates', 'tlsCertificates', 'credentialName', 'credentialNames'].filter(has);
    if (forbidden.length) r.error(E, f, 'ISTIO_MUTUAL uses the mesh certificates and takes no certificate fields', forbidden, 'remove them');
    return;
  }
  if (mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH') {
    const ignored = ['serverCertificate', 'privateKey', 'caCertificates', 'tlsCertificates', 'credentialName', 'credentialNames'].filter(has);
    if (ignored.length) r.warning(W, f, `${mode} does not terminate TLS, so certificate fields are ignored`, ignored);
  }

  const sources = [
    has('serverCertificate') || has('privateKey') ? 'serverCertificate/privateKey' : undefined,
    has('credentialName') ? 'credentialName' : undefined,
    has('credentialNames') ? 'credentialNames' : undefined,
    has('tlsCertificates') ? 'tlsCertificates' : undefined,
  ].filter((x): x is string => !!x);
  if (sources.length > 1) r.error(E, f, 'certificate sources are mutually exclusive', sources, 'one of serverCertificate+privateKey, credentialName, credentialNames, tlsCertificates');

  const terminating = mode === 'SIMPLE' || mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL';
  const fromCredential = has('credentialName') || has('credentialNames');
  if (terminating && !fromCredential) {
    const mutual = mode !== 'SIMPLE';
    const certs: Array<[any, string]> = has('tlsCertificates')
      ? (tls.tlsCertificates as any[]).map((c, i) => [c, `${f}.tlsCertificates[${i}]`])
      : [[tls, f]];
    for (const [c, cf] of certs) {
      const missing = ['serverCertificate', 'privateKey', ...(mutual ? ['caCertificates'] : [])].filter(k => !c?.[k]);
      if (missing.length) {
        r.error(E, cf, `${mode} needs a certificate: a credentialName, or ${missing.join(' and ')}`, undefined,
          'set credentialName to the Secret with the certificate (e.g. ServerCertificate.fromSecret)');
      }
    }
  }
  if (has('caCrl') && (has('credentialName') || mode === 'SIMPLE')) {
    r.error(E, `${f}.caCrl`, 'caCrl is not allowed with credentialName or in SIMPLE mode', tls.caCrl);
  }

  const min = tls.minProtocolVersion;
  if ((min === 'TLSV1_0' || min === 'TLSV1_1') && !has('cipherSuites')) {
    r.warning(W, `${f}.minProtocolVersion`, `${min} without cipherSuites uses Envoy's defaults, which TLS 1.0/1.1 clients cannot negotiate`, min, 'list the cipherSuites');
  }
  const seen = new Set<string>();
  ((tls.cipherSuites ?? []) as string[]).forEach((c, i) => {
    if (seen.has(c)) r.warning(W, `${f}.cipherSuites[${i}]`, 'duplicate cipher suite', c);
    seen.add(c);
    if (/^[A-Za-z0-9]/.test(c) && !KNOWN_CIPHERS.has(c)) r.warning(W, `${f}.cipherSuites[${i}]`, 'unknown cipher suite; Envoy ignores it', c);
  });
}
