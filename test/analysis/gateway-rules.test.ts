// Every Gateway rule of VALIDATION-RULES.md section 2 and the metadata rules of section 0, through
// the per-object layers (schema + webhook) on plain manifests: each violation gives exactly the expected diagnostics, and the
// closest valid object gives none.
import { webhookOnly } from './webhook-only';
import { detailWithFix } from '../../src/analysis/messages';

function gateway(servers: any, extra: { metadata?: any; top?: any } = {}): any {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: 'gw', namespace: 'shop', ...extra.metadata },
    spec: servers === undefined ? { selector: { istio: 'ingressgateway' } } : { selector: { istio: 'ingressgateway' }, servers },
    ...extra.top,
  };
}
const http = (over: any = {}) => ({ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'], ...over });
const https = (tls: any, over: any = {}) => ({ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com'], tls, ...over });
const tlsServer = (tls: any) => ({ port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: ['a.example.com'], tls });

interface Finding { code: string; level: string; field?: string; message: string }

function findings(obj: any): Finding[] {
  return webhookOnly([obj]).map(d => ({ code: d.code, level: d.level, field: d.field, message: detailWithFix(d) }));
}
const finding = (code: string, level: string, kind: string, field: string, rest: string): Finding => ({ code, level, field, message: `${kind}.${field}: ${rest}` });
const err = (field: string, rest: string) => finding('IST0106', 'error', 'Gateway', field, rest);
const warn = (field: string, rest: string) => finding('IST0133', 'warning', 'Gateway', field, rest);

const HOSTS_ALLOWED = '"[namespace/]host" with namespace "*", "." or a namespace and host "*", "*.example.com", "shop.example.com" or an IPv4 address';

describe('Gateway webhook rules', () => {
  test('a valid gateway with every server kind has no findings', () => {
    expect(findings(gateway([
      http(),
      http({ port: { number: 8080, name: 'redirect', protocol: 'http' }, tls: { httpsRedirect: true } }),
      https({ mode: 'SIMPLE', credentialName: 'cert' }),
      https({ mode: 'MUTUAL', serverCertificate: '/c', privateKey: '/k', caCertificates: '/ca', caCrl: '/crl' }, { port: { number: 8443, name: 'mtls', protocol: 'HTTPS' } }),
      https({ mode: 'SIMPLE', tlsCertificates: [{ serverCertificate: '/a', privateKey: '/b' }] }, { port: { number: 9443, name: 'files', protocol: 'HTTPS' } }),
      https({ mode: 'OPTIONAL_MUTUAL', credentialNames: ['rsa', 'ecdsa'] }, { port: { number: 9444, name: 'two-certs', protocol: 'HTTPS' } }),
      https({ mode: 'MUTUAL', caCertificates: '/ca', tlsCertificates: [{ serverCertificate: '/a', privateKey: '/b' }] }, { port: { number: 9445, name: 'mtls-list', protocol: 'HTTPS' } }),
      { port: { number: 15443, name: 'tls', protocol: 'TLS' }, hosts: ['*.local'], tls: { mode: 'AUTO_PASSTHROUGH' } },
      { port: { number: 31400, name: 'tcp', protocol: 'TCP' }, hosts: ['*'] },
      { port: { number: 0, name: 'uds', protocol: 'HTTP' }, hosts: ['ns/a.example.com'], bind: 'unix:///var/run/gw.sock' },
      { port: { number: 0, name: 'abstract', protocol: 'HTTP' }, hosts: ['a.example.com.'], bind: 'unix://@' },
      { port: { number: 81, name: 'bound', protocol: 'HTTP', targetPort: 0 }, hosts: ['./10.0.0.1', '*/a.example.com', 'ns/*'], bind: '10.0.0.1' },
      { port: { number: 82, name: 'bound6', protocol: 'GRPC' }, hosts: ['*.example.com'], bind: '::1' },
      https({ mode: 'ISTIO_MUTUAL' }, { port: { number: 10443, name: 'mesh', protocol: 'HTTPS' } }),
      https({ mode: 'SIMPLE', credentialName: 'c', minProtocolVersion: 'TLSV1_0', cipherSuites: ['ECDHE-RSA-AES128-SHA', 'ALL', '!RC4', '[A|B]', '-X'] }, { port: { number: 10444, name: 'legacy', protocol: 'HTTPS' } }),
      https({ mode: 'SIMPLE', credentialName: 'c', minProtocolVersion: 'TLSV1_2' }, { port: { number: 10445, name: 'modern', protocol: 'HTTPS' } }),
    ]))).toEqual([]);
  });

  test.each<[string, any, Finding[]]>([
    ['no servers', [], [err('spec.servers', 'a Gateway needs at least one server (got []; e.g. a server on port 80 for HTTP)')]],
    ['servers missing', undefined, [err('spec.servers', 'a Gateway needs at least one server (got []; e.g. a server on port 80 for HTTP)')]],
    ['no hosts', [http({ hosts: [] })], [err('spec.servers[0].hosts', 'a server needs at least one host (got []; e.g. ["shop.example.com"] or ["*"])')]],
    ['short host', [http({ hosts: ['reviews'] })],
      [err('spec.servers[0].hosts[0]', `short name "reviews" is not allowed: the host part must be "*" or contain a dot (got "reviews"; ${HOSTS_ALLOWED})`)]],
    ['short host after a namespace', [http({ hosts: ['shop/reviews'] })],
      [err('spec.servers[0].hosts[0]', `short name "reviews" is not allowed: the host part must be "*" or contain a dot (got "shop/reviews"; ${HOSTS_ALLOWED})`)]],
    ['IPv6 host (no dot, so a short name to istiod)', [http({ hosts: ['::1'] })],
      [err('spec.servers[0].hosts[0]', `short name "::1" is not allowed: the host part must be "*" or contain a dot (got "::1"; ${HOSTS_ALLOWED})`)]],
    ['partial wildcard', [http({ hosts: ['*shop.example.com'] })],
      [err('spec.servers[0].hosts[0]', `partial wildcard "*shop.example.com" is not allowed: a wildcard must be "*" or a "*." prefix (got "*shop.example.com"; ${HOSTS_ALLOWED})`)]],
    ['wildcard inside', [http({ hosts: ['a.*.example.com'] })],
      [err('spec.servers[0].hosts[0]', `partial wildcard "a.*.example.com" is not allowed: a wildcard must be "*" or a "*." prefix (got "a.*.example.com"; ${HOSTS_ALLOWED})`)]],
    ['empty label', [http({ hosts: ['a..example.com'] })],
      [err('spec.servers[0].hosts[0]', `a hostname must not contain empty labels ("..") (got "a..example.com"; ${HOSTS_ALLOWED})`)]],
    ['bad namespace part', [http({ hosts: ['Bad_ns/a.example.com'] })],
      [err('spec.servers[0].hosts[0]', `the namespace part "Bad_ns" must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit (got "Bad_ns/a.example.com"; ${HOSTS_ALLOWED})`)]],
    ['~ namespace (Sidecar only)', [http({ hosts: ['~/a.example.com'] })],
      [err('spec.servers[0].hosts[0]', `the namespace part "~" must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit (got "~/a.example.com"; ${HOSTS_ALLOWED})`)]],
    ['empty namespace part', [http({ hosts: ['/a.example.com'] })],
      [err('spec.servers[0].hosts[0]', `neither the namespace nor the host part may be empty (got "/a.example.com"; ${HOSTS_ALLOWED})`)]],
    ['empty port name', [http({ port: { number: 80, name: '', protocol: 'HTTP' } })],
      [err('spec.servers[0].port.name', 'a port needs a name (got ""; e.g. "http" or "https-443")')]],
    ['missing port name', [http({ port: { number: 80, protocol: 'HTTP' } })],
      [err('spec.servers[0].port.name', 'a port needs a name (got ""; e.g. "http" or "https-443")')]],
    ['duplicate port name', [http(), https({ mode: 'SIMPLE', credentialName: 'c' }, { port: { number: 443, name: 'http', protocol: 'HTTPS' } })],
      [err('spec.servers[1].port.name', 'port names must be unique across all servers of a Gateway (servers[0] uses it too) (got "http"; a name no other server of this Gateway uses)')]],
    ['unknown protocol', [http({ port: { number: 80, name: 'x', protocol: 'SPDY' } })],
      [err('spec.servers[0].port.protocol', 'unknown protocol (got "SPDY"; HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, HTTP_PROXY, TCP, TLS, MONGO, REDIS, MYSQL, UDP)')]],
    ['empty protocol', [http({ port: { number: 80, name: 'x', protocol: '' } })],
      [err('spec.servers[0].port.protocol', 'a protocol is required (got ""; HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, HTTP_PROXY, TCP, TLS, MONGO, REDIS, MYSQL, UDP)')]],
    ['port out of range', [http({ port: { number: 70000, name: 'x', protocol: 'HTTP' } })],
      [err('spec.servers[0].port.number', 'a port must be an integer from 1 to 65535 (got 70000; 1 to 65535; 0 only with a unix:// bind)')]],
    ['port 0 without a unix bind', [http({ port: { number: 0, name: 'x', protocol: 'HTTP' } })],
      [err('spec.servers[0].port.number', 'a port must be an integer from 1 to 65535 (got 0; 1 to 65535; 0 only with a unix:// bind)')]],
    ['port 0 with an IP bind', [http({ port: { number: 0, name: 'x', protocol: 'HTTP' }, bind: '10.0.0.1' })],
      [err('spec.servers[0].port.number', 'a port must be an integer from 1 to 65535 (got 0; 1 to 65535; 0 only with a unix:// bind)')]],
    ['unix bind with a port', [http({ bind: 'unix://@gw' })],
      [err('spec.servers[0].port.number', 'a server bound to a unix:// socket must use port number 0 (got 80; 0)')]],
    ['unix bind to a directory', [http({ port: { number: 0, name: 'x', protocol: 'HTTP' }, bind: 'unix:///var/run/' })],
      [err('spec.servers[0].bind', 'a unix address must be an absolute path to a file or an @abstract name (got "unix:///var/run/"; e.g. unix:///var/run/gw.sock or unix://@gw)')]],
    ['unix bind to a relative path', [http({ port: { number: 0, name: 'x', protocol: 'HTTP' }, bind: 'unix://gw.sock' })],
      [err('spec.servers[0].bind', 'a unix address must be an absolute path to a file or an @abstract name (got "unix://gw.sock"; e.g. unix:///var/run/gw.sock or unix://@gw)')]],
    ['empty unix bind', [http({ port: { number: 0, name: 'x', protocol: 'HTTP' }, bind: 'unix://' })],
      [err('spec.servers[0].bind', 'a unix address must not be empty (got "unix://"; e.g. unix:///var/run/gw.sock or unix://@gw)')]],
    ['bind not an IP', [http({ bind: 'localhost' })],
      [err('spec.servers[0].bind', 'bind must be an IP address or a unix:// socket (got "localhost"; e.g. 10.0.0.1 or unix:///var/run/gw.sock)')]],
    ['targetPort', [http({ port: { number: 80, name: 'x', protocol: 'HTTP', targetPort: 8080 } })],
      [err('spec.servers[0].port.targetPort', 'targetPort is not supported on Gateway servers (got 8080; remove it; the gateway listens on port.number)')]],
    ['HTTPS without tls', [https(undefined)],
      [err('spec.servers[0].tls', 'a HTTPS server needs tls settings (e.g. mode SIMPLE with a credentialName, or PASSTHROUGH for TLS)')]],
    ['TLS without tls', [{ port: { number: 443, name: 'tls', protocol: 'tls' }, hosts: ['a.example.com'] }],
      [err('spec.servers[0].tls', 'a TLS server needs tls settings (e.g. mode SIMPLE with a credentialName, or PASSTHROUGH for TLS)')]],
    ['HTTP with terminating tls', [http({ tls: { mode: 'SIMPLE', credentialName: 'c' } })],
      [err('spec.servers[0].tls', 'a plain HTTP server takes tls only to redirect to HTTPS; terminate TLS on an HTTPS server instead (got "mode SIMPLE"; tls: { httpsRedirect: true } and nothing else)')]],
    ['HTTP with certificate files', [http({ tls: { httpsRedirect: true, serverCertificate: '/c' } })],
      [err('spec.servers[0].tls', 'a plain HTTP server takes tls only to redirect to HTTPS; terminate TLS on an HTTPS server instead (got ["serverCertificate"]; tls: { httpsRedirect: true } and nothing else)'),
        warn('spec.servers[0].tls', 'PASSTHROUGH does not terminate TLS, so certificate fields are ignored (got ["serverCertificate"]; remove them, or use mode SIMPLE to terminate TLS)')]],
    ['TCP with tls', [{ port: { number: 9000, name: 'tcp', protocol: 'TCP' }, hosts: ['*'], tls: { mode: 'SIMPLE', credentialName: 'c' } }],
      [err('spec.servers[0].tls', 'a TCP server takes no tls settings (got {"mode":"SIMPLE","credentialName":"c"}; use protocol TLS or HTTPS for TLS)')]],
    ['ISTIO_MUTUAL with certificate fields', [https({ mode: 'ISTIO_MUTUAL', credentialName: 'c', privateKey: '/k' })],
      [err('spec.servers[0].tls', 'ISTIO_MUTUAL uses the mesh certificates and takes no certificate fields (got ["privateKey","credentialName"]; remove them, or use mode SIMPLE/MUTUAL)')]],
    ['ISTIO_MUTUAL with tlsCertificates', [https({ mode: 'ISTIO_MUTUAL', tlsCertificates: [{ serverCertificate: '/c', privateKey: '/k' }] })],
      [err('spec.servers[0].tls', 'ISTIO_MUTUAL uses the mesh certificates and takes no certificate fields (got ["tlsCertificates"]; remove them, or use mode SIMPLE/MUTUAL)')]],
    ['credentialName and credentialNames', [https({ mode: 'SIMPLE', credentialName: 'c', credentialNames: ['a', 'b'] })],
      [err('spec.servers[0].tls', 'certificate sources are mutually exclusive (got ["credentialName","credentialNames"]; one of serverCertificate+privateKey, credentialName, credentialNames, tlsCertificates)')]],
    ['credentialName and tlsCertificates (the CEL rule misses this pair)', [https({ mode: 'SIMPLE', credentialName: 'c', tlsCertificates: [{ serverCertificate: '/c', privateKey: '/k' }] })],
      [err('spec.servers[0].tls', 'certificate sources are mutually exclusive (got ["credentialName","tlsCertificates"]; one of serverCertificate+privateKey, credentialName, credentialNames, tlsCertificates)')]],
    ['files and credentialName', [https({ mode: 'SIMPLE', credentialName: 'c', serverCertificate: '/c', privateKey: '/k' })],
      [err('spec.servers[0].tls', 'certificate sources are mutually exclusive (got ["serverCertificate/privateKey","credentialName"]; one of serverCertificate+privateKey, credentialName, credentialNames, tlsCertificates)')]],
    ['SIMPLE without a certificate', [https({ mode: 'SIMPLE' })],
      [err('spec.servers[0].tls', 'without credentialName(s), SIMPLE needs serverCertificate and privateKey (got ["serverCertificate missing","privateKey missing"]; set credentialName to the Secret holding the certificate, or the missing file paths)')]],
    ['SIMPLE with an empty credentialName', [https({ mode: 'SIMPLE', credentialName: '', serverCertificate: '/c' })],
      [err('spec.servers[0].tls', 'without credentialName(s), SIMPLE needs serverCertificate and privateKey (got ["privateKey missing"]; set credentialName to the Secret holding the certificate, or the missing file paths)')]],
    ['MUTUAL files without CA', [https({ mode: 'MUTUAL', serverCertificate: '/c', privateKey: '/k' })],
      [err('spec.servers[0].tls', 'without credentialName(s), MUTUAL needs serverCertificate, privateKey and caCertificates (got ["caCertificates missing"]; set credentialName to the Secret holding the certificate, or the missing file paths)')]],
    ['OPTIONAL_MUTUAL without anything', [https({ mode: 'OPTIONAL_MUTUAL' })],
      [err('spec.servers[0].tls', 'without credentialName(s), OPTIONAL_MUTUAL needs serverCertificate, privateKey and caCertificates (got ["serverCertificate missing","privateKey missing","caCertificates missing"]; set credentialName to the Secret holding the certificate, or the missing file paths)')]],
    ['tlsCertificates entry without key', [https({ mode: 'SIMPLE', tlsCertificates: [{ serverCertificate: '/a', privateKey: '/b' }, { serverCertificate: '/c' }] })],
      [err('spec.servers[0].tls.tlsCertificates[1]', 'without credentialName(s), SIMPLE needs serverCertificate and privateKey (got ["privateKey missing"]; set credentialName to the Secret holding the certificate, or the missing file paths)')]],
    ['caCrl with credentialName', [https({ mode: 'MUTUAL', credentialName: 'c', caCrl: '/crl' })],
      [err('spec.servers[0].tls.caCrl', 'caCrl cannot be combined with credentialName; the CRL then comes from the Secret (got "/crl"; put the CRL into the credentialName Secret (key ca.crl), or use file certificates)')]],
    ['caCrl in SIMPLE mode', [https({ mode: 'SIMPLE', serverCertificate: '/c', privateKey: '/k', caCrl: '/crl' })],
      [err('spec.servers[0].tls.caCrl', 'caCrl is not allowed in SIMPLE mode, which does not verify client certificates (got "/crl"; use mode MUTUAL or OPTIONAL_MUTUAL, or remove caCrl)')]],
  ])('%s is rejected', (_name, servers, expected) => {
    expect(findings(gateway(servers))).toEqual(expected);
  });

  test.each<[string, any, Finding[]]>([
    ['PASSTHROUGH with a credential', [tlsServer({ mode: 'PASSTHROUGH', credentialName: 'c' })],
      [warn('spec.servers[0].tls', 'PASSTHROUGH does not terminate TLS, so certificate fields are ignored (got ["credentialName"]; remove them, or use mode SIMPLE to terminate TLS)')]],
    ['AUTO_PASSTHROUGH with caCrl', [tlsServer({ mode: 'AUTO_PASSTHROUGH', caCrl: '/crl' })],
      [warn('spec.servers[0].tls', 'AUTO_PASSTHROUGH does not terminate TLS, so certificate fields are ignored (got ["caCrl"]; remove them, or use mode SIMPLE to terminate TLS)')]],
    ['the default mode is PASSTHROUGH', [tlsServer({ serverCertificate: '/c', privateKey: '/k' })],
      [warn('spec.servers[0].tls', 'PASSTHROUGH does not terminate TLS, so certificate fields are ignored (got ["serverCertificate","privateKey"]; remove them, or use mode SIMPLE to terminate TLS)')]],
    ['TLS 1.0 without cipher suites', [https({ mode: 'SIMPLE', credentialName: 'c', minProtocolVersion: 'TLSV1_0' })],
      [warn('spec.servers[0].tls.minProtocolVersion', 'TLSV1_0 without cipherSuites uses Envoy\'s default suites, which TLS 1.0/1.1 clients cannot negotiate (got "TLSV1_0"; list cipherSuites those clients support)')]],
    ['TLS 1.1 without cipher suites', [https({ mode: 'SIMPLE', credentialName: 'c', minProtocolVersion: 'TLSV1_1', cipherSuites: [] })],
      [warn('spec.servers[0].tls.minProtocolVersion', 'TLSV1_1 without cipherSuites uses Envoy\'s default suites, which TLS 1.0/1.1 clients cannot negotiate (got "TLSV1_1"; list cipherSuites those clients support)')]],
    ['TLS options of a redirect stub are still checked', [http({ tls: { httpsRedirect: true, minProtocolVersion: 'TLSV1_0' } })],
      [warn('spec.servers[0].tls.minProtocolVersion', 'TLSV1_0 without cipherSuites uses Envoy\'s default suites, which TLS 1.0/1.1 clients cannot negotiate (got "TLSV1_0"; list cipherSuites those clients support)')]],
    ['httpsRedirect on an HTTPS server', [https({ mode: 'SIMPLE', credentialName: 'c', httpsRedirect: true })],
      [warn('spec.servers[0].tls.httpsRedirect', 'httpsRedirect only works on plain HTTP servers, not on HTTPS (got true; set it on a server with protocol HTTP)')]],
    ['unknown and duplicate cipher suites; an unknown repeat is reported once', [https({ mode: 'SIMPLE', credentialName: 'c', cipherSuites: ['AES128-SHA', 'NOPE', 'AES128-SHA', 'NOPE', '!RC4'] })], [
      warn('spec.servers[0].tls.cipherSuites[1]', 'unknown cipher suite; Envoy ignores it (got "NOPE"; e.g. ECDHE-RSA-AES128-GCM-SHA256 (Istio\'s list of supported suites))'),
      warn('spec.servers[0].tls.cipherSuites[2]', 'duplicate cipher suite; the repeat is ignored (got "AES128-SHA"; list each suite once)'),
    ]],
  ])('%s is a warning', (_name, servers, expected) => {
    expect(findings(gateway(servers))).toEqual(expected);
  });

  test('httpsRedirect on a TCP server warns besides the tls error', () => {
    expect(findings(gateway([{ port: { number: 9000, name: 'tcp', protocol: 'TCP' }, hosts: ['*'], tls: { httpsRedirect: true } }]))).toEqual([
      warn('spec.servers[0].tls.httpsRedirect', 'httpsRedirect only works on plain HTTP servers, not on TCP (got true; set it on a server with protocol HTTP)'),
      err('spec.servers[0].tls', 'a TCP server takes no tls settings (got {"httpsRedirect":true}; use protocol TLS or HTTPS for TLS)'),
    ]);
  });

  test('every server is checked and findings come in server order', () => {
    expect(findings(gateway([http({ hosts: ['reviews'] }), http({ port: { number: 81, name: 'b', protocol: 'HTTP', targetPort: 1 } })]))).toEqual([
      err('spec.servers[0].hosts[0]', `short name "reviews" is not allowed: the host part must be "*" or contain a dot (got "reviews"; ${HOSTS_ALLOWED})`),
      err('spec.servers[1].port.targetPort', 'targetPort is not supported on Gateway servers (got 1; remove it; the gateway listens on port.number)'),
    ]);
  });

  test('Kubernetes Gateway API Gateways are not Istio Gateways', () => {
    expect(findings({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'a.b' }, spec: { listeners: [] } })).toEqual([]);
  });
});

describe('metadata rules of every Istio kind', () => {
  const policy = (action: string | undefined, value: string) => ({
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: 'p', namespace: 'shop', annotations: { 'istio.io/dry-run': value } },
    // Each fixture is otherwise valid, so that only the annotation is reported.
    spec: action ? { action, rules: [{}], ...(action === 'CUSTOM' ? { provider: { name: 'ext-authz' } } : {}) } : {},
  });
  const apErr = (field: string, rest: string) => finding('IST0106', 'error', 'AuthorizationPolicy', field, rest);
  const DRY = 'metadata.annotations.istio.io/dry-run';

  test('a Gateway name is a DNS-1123 label: no dots', () => {
    expect(findings(gateway([http()], { metadata: { name: 'public.gw' } }))).toEqual([
      err('metadata.name', 'a Gateway name must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit (no dots, unlike other Kubernetes names) (got "public.gw"; e.g. "public-gateway")'),
    ]);
    expect(findings(gateway([http()], { metadata: { name: 'public-gw' } }))).toEqual([]);
    // Only Gateway names are held to this; other kinds keep Kubernetes' rules.
    expect(findings({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'a.b' }, spec: { hosts: ['a'], http: [{ route: [{ destination: { host: 'a' } }] }] } })).toEqual([]);
  });

  test('dry-run only on ALLOW/DENY AuthorizationPolicies, with a Go boolean value', () => {
    expect(findings(policy(undefined, 'true'))).toEqual([]);
    expect(findings(policy('DENY', 'False'))).toEqual([]);
    expect(findings(policy('ALLOW', '1'))).toEqual([]);
    expect(findings(policy('AUDIT', 'true'))).toEqual([
      apErr(DRY, 'the dry-run annotation is supported only on AuthorizationPolicy with action ALLOW or DENY, not AUDIT (got "true"; remove it, or use action ALLOW or DENY)'),
    ]);
    expect(findings(policy('CUSTOM', 'true'))).toEqual([
      apErr(DRY, 'the dry-run annotation is supported only on AuthorizationPolicy with action ALLOW or DENY, not CUSTOM (got "true"; remove it, or use action ALLOW or DENY)'),
    ]);
    expect(findings(policy('ALLOW', 'yes'))).toEqual([apErr(DRY, 'the dry-run annotation must be a boolean (got "yes"; "true" or "false")')]);
    expect(findings(policy('ALLOW', 'tRUE'))).toEqual([apErr(DRY, 'the dry-run annotation must be a boolean (got "tRUE"; "true" or "false")')]);
  });

  test('dry-run on any other kind is rejected', () => {
    expect(findings(gateway([http()], { metadata: { annotations: { 'istio.io/dry-run': 'true' } } }))).toEqual([
      err(DRY, 'the dry-run annotation is supported only on AuthorizationPolicy, not on Gateway (got "true"; remove it)'),
    ]);
    const pa = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'p', annotations: { 'istio.io/dry-run': 'false' } }, spec: {} };
    expect(findings(pa)).toEqual([
      finding('IST0106', 'error', 'PeerAuthentication', DRY, 'the dry-run annotation is supported only on AuthorizationPolicy, not on PeerAuthentication (got "false"; remove it)'),
    ]);
  });

  test.each([
    'internal.istio.io/webhook-always-reject', 'internal.istio.io/parents', 'internal.istio.io/parent-namespace',
  ])('internal annotation %s is always rejected', key => {
    expect(findings(gateway([http()], { metadata: { annotations: { [key]: 'x' } } }))).toEqual([
      err(`metadata.annotations.${key}`, 'this annotation is internal to Istio and always rejected (got "x"; remove it)'),
    ]);
  });

  test('ordinary annotations and status pass', () => {
    expect(findings(gateway([http()], { metadata: { annotations: { 'istio.io/rev': 'canary', 'internal.example.com/parents': 'x' } }, top: { status: {} } }))).toEqual([]);
  });

  test.each([
    ['networking.istio.io/v1', 'Sidecar'], ['networking.istio.io/v1', 'ServiceEntry'], ['networking.istio.io/v1alpha3', 'EnvoyFilter'],
    ['networking.istio.io/v1beta1', 'ProxyConfig'], ['networking.istio.io/v1', 'WorkloadEntry'], ['networking.istio.io/v1', 'WorkloadGroup'],
    ['security.istio.io/v1', 'RequestAuthentication'], ['telemetry.istio.io/v1', 'Telemetry'],
    ['extensions.istio.io/v1alpha1', 'WasmPlugin'], ['extensions.istio.io/v1alpha1', 'TrafficExtension'],
  ])('metadata rules run on %s %s', (apiVersion, kind) => {
    const obj = { apiVersion, kind, metadata: { name: 'x', annotations: { 'internal.istio.io/parents': 'p' } }, spec: {} };
    // An empty spec is wrong for some kinds (a ServiceEntry needs hosts); only the metadata findings matter here.
    const metadataFindings = (o: any) => findings(o).filter(f => f.field?.startsWith('metadata'));
    expect(metadataFindings(obj)).toEqual([
      finding('IST0106', 'error', kind, 'metadata.annotations.internal.istio.io/parents', 'this annotation is internal to Istio and always rejected (got "p"; remove it)'),
    ]);
    expect(metadataFindings({ ...obj, metadata: { name: 'x' } })).toEqual([]);
  });
});
