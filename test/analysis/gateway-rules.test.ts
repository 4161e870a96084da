import { webhookOnly } from './webhook-only';

function gateway(servers: any[], extra: any = {}): any {
  return { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'shop', ...extra.metadata }, spec: { selector: { istio: 'ingressgateway' }, servers } };
}
const http = (over: any = {}) => ({ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'], ...over });
const https = (tls: any, over: any = {}) => ({ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com'], tls, ...over });

/** `CODE field: message` of every finding. */
function findings(obj: any): string[] {
  return webhookOnly([obj]).map(d => `${d.code} ${d.level} ${d.message}`);
}

describe('Gateway webhook rules', () => {
  test('a valid gateway with every server kind has no findings', () => {
    expect(findings(gateway([
      http(),
      http({ port: { number: 8080, name: 'redirect', protocol: 'http' }, tls: { httpsRedirect: true } }),
      https({ mode: 'SIMPLE', credentialName: 'cert' }),
      https({ mode: 'MUTUAL', serverCertificate: '/c', privateKey: '/k', caCertificates: '/ca', caCrl: '/crl' }, { port: { number: 8443, name: 'mtls', protocol: 'HTTPS' } }),
      https({ mode: 'SIMPLE', tlsCertificates: [{ serverCertificate: '/a', privateKey: '/b' }] }, { port: { number: 9443, name: 'files', protocol: 'HTTPS' } }),
      { port: { number: 15443, name: 'tls', protocol: 'TLS' }, hosts: ['*.local'], tls: { mode: 'AUTO_PASSTHROUGH' } },
      { port: { number: 31400, name: 'tcp', protocol: 'TCP' }, hosts: ['*'] },
      { port: { number: 0, name: 'uds', protocol: 'HTTP' }, hosts: ['ns/a.example.com'], bind: 'unix:///var/run/gw.sock' },
      { port: { number: 81, name: 'bound', protocol: 'HTTP' }, hosts: ['./10.0.0.1', '*/a.example.com'], bind: '10.0.0.1' },
      https({ mode: 'ISTIO_MUTUAL' }, { port: { number: 10443, name: 'mesh', protocol: 'HTTPS' } }),
    ]))).toEqual([]);
  });

  test.each([
    ['name with dots', { metadata: { name: 'a.b' } }, [http()], 'IST0106 error Gateway.metadata.name: a Gateway name must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit (dots are not allowed) (got "a.b")'],
    ['no servers', {}, [], 'IST0106 error Gateway.spec.servers: a Gateway needs at least one server (got []; e.g. a server on port 80 for HTTP)'],
    ['no hosts', {}, [http({ hosts: [] })], 'IST0106 error Gateway.spec.servers[0].hosts: a server needs at least one host (got []; e.g. ["shop.example.com"] or ["*"])'],
    ['short host', {}, [http({ hosts: ['reviews'] })], 'IST0106 error Gateway.spec.servers[0].hosts[0]: "reviews" must be a fully qualified name with a dot (short names resolve nowhere here) (got "reviews"; "[namespace/]host" with host "*", "*.example.com", "shop.example.com" or an IP)'],
    ['partial wildcard', {}, [http({ hosts: ['*shop.example.com'] })], 'IST0106 error Gateway.spec.servers[0].hosts[0]: partial wildcard "*shop.example.com" is not allowed here (got "*shop.example.com"; "[namespace/]host" with host "*", "*.example.com", "shop.example.com" or an IP)'],
    ['bad namespace part', {}, [http({ hosts: ['Bad_ns/a.example.com'] })], 'IST0106 error Gateway.spec.servers[0].hosts[0]: the namespace part "Bad_ns" must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit (got "Bad_ns/a.example.com"; "[namespace/]host" with host "*", "*.example.com", "shop.example.com" or an IP)'],
    ['empty port name', {}, [http({ port: { number: 80, name: '', protocol: 'HTTP' } })], 'IST0106 error Gateway.spec.servers[0].port.name: a server port needs a name (got "")'],
    ['duplicate port name', {}, [http(), http({ port: { number: 81, name: 'http', protocol: 'HTTP' } })], 'IST0106 error Gateway.spec.servers[1].port.name: port names must be unique across all servers of a Gateway (also used by servers[0]) (got "http")'],
    ['unknown protocol', {}, [http({ port: { number: 80, name: 'x', protocol: 'SPDY' } })], 'IST0106 error Gateway.spec.servers[0].port.protocol: unknown protocol (got "SPDY"; HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, HTTP_PROXY, TCP, TLS, MONGO, REDIS, MYSQL, UDP)'],
    ['port out of range', {}, [http({ port: { number: 70000, name: 'x', protocol: 'HTTP' } })], 'IST0106 error Gateway.spec.servers[0].port.number: a port must be an integer from 1 to 65535 (got 70000)'],
    ['port 0 without unix bind', {}, [http({ port: { number: 0, name: 'x', protocol: 'HTTP' } })], 'IST0106 error Gateway.spec.servers[0].port.number: port 0 is only allowed with a unix:// bind (got 0; 1 to 65535)'],
    ['unix bind with a port', {}, [http({ bind: 'unix://@gw' })], 'IST0106 error Gateway.spec.servers[0].port.number: a server bound to a unix:// socket must use port number 0 (got 80; 0)'],
    ['unix bind to a directory', {}, [http({ port: { number: 0, name: 'x', protocol: 'HTTP' }, bind: 'unix:///var/run/' })], 'IST0106 error Gateway.spec.servers[0].bind: a unix:// bind needs an absolute file path or an @abstract name (got "unix:///var/run/"; e.g. unix:///var/run/gw.sock or unix://@gw)'],
    ['bind not an IP', {}, [http({ bind: 'localhost' })], 'IST0106 error Gateway.spec.servers[0].bind: bind must be an IP address or a unix:// socket (got "localhost")'],
    ['targetPort', {}, [http({ port: { number: 80, name: 'x', protocol: 'HTTP', targetPort: 8080 } })], 'IST0106 error Gateway.spec.servers[0].port.targetPort: targetPort is not supported on Gateway servers (got 8080; remove it)'],
    ['HTTPS without tls', {}, [https(undefined)], 'IST0106 error Gateway.spec.servers[0].tls: a HTTPS server needs tls settings (e.g. mode SIMPLE with a credentialName, or PASSTHROUGH for TLS)'],
    ['HTTP with terminating tls', {}, [http({ tls: { mode: 'SIMPLE', credentialName: 'c' } })], 'IST0106 error Gateway.spec.servers[0].tls: a plain HTTP server only takes tls to redirect to HTTPS; terminate TLS on an HTTPS server instead (got "SIMPLE"; tls: { httpsRedirect: true })'],
    ['HTTP with certificate files', {}, [http({ tls: { httpsRedirect: true, serverCertificate: '/c' } })], 'IST0106 error Gateway.spec.servers[0].tls: a plain HTTP server only takes tls to redirect to HTTPS; terminate TLS on an HTTPS server instead (got ["serverCertificate"]; tls: { httpsRedirect: true })'],
    ['TCP with tls', {}, [{ port: { number: 9000, name: 'tcp', protocol: 'TCP' }, hosts: ['*'], tls: { mode: 'SIMPLE' } }], 'IST0106 error Gateway.spec.servers[0].tls: a TCP server takes no tls settings (got {"mode":"SIMPLE"}; use protocol TLS or HTTPS for TLS)'],
    ['ISTIO_MUTUAL with a credential', {}, [https({ mode: 'ISTIO_MUTUAL', credentialName: 'c' })], 'IST0106 error Gateway.spec.servers[0].tls: ISTIO_MUTUAL uses the mesh certificates and takes no certificate fields (got ["credentialName"]; remove them)'],
    ['two certificate sources', {}, [https({ mode: 'SIMPLE', credentialName: 'c', credentialNames: ['a', 'b'] })], 'IST0106 error Gateway.spec.servers[0].tls: certificate sources are mutually exclusive (got ["credentialName","credentialNames"]; one of serverCertificate+privateKey, credentialName, credentialNames, tlsCertificates)'],
    ['SIMPLE without a certificate', {}, [https({ mode: 'SIMPLE' })], 'IST0106 error Gateway.spec.servers[0].tls: SIMPLE needs a certificate: a credentialName, or serverCertificate and privateKey (set credentialName to the Secret with the certificate (e.g. ServerCertificate.fromSecret))'],
    ['MUTUAL files without CA', {}, [https({ mode: 'MUTUAL', serverCertificate: '/c', privateKey: '/k' })], 'IST0106 error Gateway.spec.servers[0].tls: MUTUAL needs a certificate: a credentialName, or caCertificates (set credentialName to the Secret with the certificate (e.g. ServerCertificate.fromSecret))'],
    ['tlsCertificates entry without key', {}, [https({ mode: 'SIMPLE', tlsCertificates: [{ serverCertificate: '/c' }] })], 'IST0106 error Gateway.spec.servers[0].tls.tlsCertificates[0]: SIMPLE needs a certificate: a credentialName, or privateKey (set credentialName to the Secret with the certificate (e.g. ServerCertificate.fromSecret))'],
    ['caCrl with credentialName', {}, [https({ mode: 'MUTUAL', credentialName: 'c', caCrl: '/crl' })], 'IST0106 error Gateway.spec.servers[0].tls.caCrl: caCrl is not allowed with credentialName or in SIMPLE mode (got "/crl")'],
  ])('%s is rejected', (_name, extra, servers, message) => {
    expect(findings(gateway(servers, extra))).toEqual([message]);
  });

  test.each([
    ['passthrough with certificate fields', [{ port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: ['a.example.com'], tls: { mode: 'PASSTHROUGH', credentialName: 'c' } }],
      'IST0133 warning Gateway.spec.servers[0].tls: PASSTHROUGH does not terminate TLS, so certificate fields are ignored (got ["credentialName"])'],
    ['TLS 1.0 without cipher suites', [https({ mode: 'SIMPLE', credentialName: 'c', minProtocolVersion: 'TLSV1_0' })],
      'IST0133 warning Gateway.spec.servers[0].tls.minProtocolVersion: TLSV1_0 without cipherSuites uses Envoy\'s defaults, which TLS 1.0/1.1 clients cannot negotiate (got "TLSV1_0"; list the cipherSuites)'],
  ])('%s is a warning', (_name, servers, message) => {
    expect(findings(gateway(servers))).toEqual([message]);
  });

  test('unknown and duplicate cipher suites are warnings; "-"/"!" prefixed entries pass', () => {
    expect(findings(gateway([https({ mode: 'SIMPLE', credentialName: 'c', cipherSuites: ['AES128-SHA', 'NOPE', 'AES128-SHA', '!RC4'] })]))).toEqual([
      'IST0133 warning Gateway.spec.servers[0].tls.cipherSuites[1]: unknown cipher suite; Envoy ignores it (got "NOPE")',
      'IST0133 warning Gateway.spec.servers[0].tls.cipherSuites[2]: duplicate cipher suite (got "AES128-SHA")',
    ]);
  });

  test('httpsRedirect on a TCP server warns besides the tls error', () => {
    expect(findings(gateway([{ port: { number: 9000, name: 'tcp', protocol: 'TCP' }, hosts: ['*'], tls: { httpsRedirect: true } }]))).toEqual([
      'IST0133 warning Gateway.spec.servers[0].tls.httpsRedirect: httpsRedirect has no effect on a TCP server (got true)',
      'IST0106 error Gateway.spec.servers[0].tls: a TCP server takes no tls settings (got {"httpsRedirect":true}; use protocol TLS or HTTPS for TLS)',
    ]);
  });
});

describe('metadata rules of every Istio kind', () => {
  const policy = (action: string | undefined, value: string) => ({
    apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'p', namespace: 'shop', annotations: { 'istio.io/dry-run': value } }, spec: action ? { action } : {},
  });
  test('dry-run only on ALLOW/DENY AuthorizationPolicies, with a boolean value', () => {
    expect(findings(policy(undefined, 'true'))).toEqual([]);
    expect(findings(policy('DENY', 'false'))).toEqual([]);
    expect(findings(policy('AUDIT', 'true'))).toEqual(['IST0106 error AuthorizationPolicy.metadata.annotations.istio.io/dry-run: dry-run is only supported on AuthorizationPolicy with action ALLOW or DENY (got "true")']);
    expect(findings(policy('ALLOW', 'yes'))).toEqual(['IST0106 error AuthorizationPolicy.metadata.annotations.istio.io/dry-run: dry-run must be a boolean (got "yes"; "true" or "false")']);
    expect(findings(gateway([http()], { metadata: { annotations: { 'istio.io/dry-run': 'true' } } }))).toEqual([
      'IST0106 error Gateway.metadata.annotations.istio.io/dry-run: dry-run is only supported on AuthorizationPolicy with action ALLOW or DENY (got "true")',
    ]);
  });
  test('internal annotations are always rejected', () => {
    expect(findings(gateway([http()], { metadata: { annotations: { 'internal.istio.io/parents': 'x' } } }))).toEqual([
      'IST0106 error Gateway.metadata.annotations.internal.istio.io/parents: this annotation is internal to Istio and always rejected (got "x"; remove it)',
    ]);
  });
});
