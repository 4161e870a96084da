import { webhookOnly } from './webhook-only';
import { detailWithFix } from '../../src/analysis/messages';

function sidecar(spec: any): any {
  return { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'sc', namespace: 'shop' }, spec };
}
function findings(obj: any): string[] {
  return webhookOnly([obj]).map(d => `${d.code} ${d.level} ${detailWithFix(d)}`);
}
const eg = (over: any = {}) => ({ hosts: ['./*'], ...over });
const ing = (over: any = {}) => ({ port: { number: 9080, name: 'http', protocol: 'HTTP' }, ...over });

describe('Sidecar webhook rules', () => {
  test('a valid sidecar with every listener kind has no findings', () => {
    expect(findings(sidecar({
      workloadSelector: { labels: { app: 'reviews' } },
      ingress: [
        ing({ defaultEndpoint: '127.0.0.1:8080', bind: '0.0.0.0', captureMode: 'IPTABLES', connectionPool: { http: { http1MaxPendingRequests: 1 } } }),
        { port: { number: 8443, name: 'https', protocol: 'HTTPS' }, defaultEndpoint: '[::1]:8443', tls: { mode: 'SIMPLE', serverCertificate: '/c', privateKey: '/k' } },
        { port: { number: 9000, protocol: 'TCP' }, defaultEndpoint: ':9001' },
        { port: { number: 9001 }, defaultEndpoint: 'unix:///var/run/app.sock' },
      ],
      egress: [
        eg({ port: { number: 0, name: 'uds' }, bind: 'unix:///var/run/out.sock', captureMode: 'NONE' }),
        eg({ port: { number: 3306, protocol: 'MYSQL' }, bind: '127.0.0.1', hosts: ['*/mysql.example.com', '~/*'] }),
        eg({ hosts: ['./*', 'istio-system/*', '*/*.example.com', 'bookinfo/reviews.bookinfo.svc.cluster.local'] }),
      ],
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
      inboundConnectionPool: { tcp: { maxConnections: 10 } },
    }))).toEqual([]);
  });

  test.each([
    ['nothing set', {}, 'IST0106 error Sidecar.spec: a Sidecar must set at least one of egress, ingress, outboundTrafficPolicy or inboundConnectionPool (got {})'],
    ['selector key *', { workloadSelector: { labels: { '*': 'a' } }, egress: [eg()] }, 'IST0106 error Sidecar.spec.workloadSelector.labels.*: a selector key must be non-empty and without "*" (got "*")'],
    ['ingress without port', { ingress: [{ defaultEndpoint: '127.0.0.1:8080' }] }, 'IST0106 error Sidecar.spec.ingress[0].port: an ingress listener needs a port'],
    ['ingress targetPort', { ingress: [ing({ port: { number: 1, targetPort: 2 } })] }, 'IST0106 error Sidecar.spec.ingress[0].port.targetPort: targetPort is not supported on Sidecar listeners (got 2; remove it)'],
    ['ingress port name', { ingress: [ing({ port: { number: 1, name: 'a_b' } })] }, 'IST0106 error Sidecar.spec.ingress[0].port.name: a port name must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit (got "a_b")'],
    ['ingress protocol', { ingress: [ing({ port: { number: 1, protocol: 'SPDY' } })] }, 'IST0106 error Sidecar.spec.ingress[0].port.protocol: unknown protocol (got "SPDY"; HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, HTTP_PROXY, TCP, TLS, MONGO, REDIS, MYSQL, UDP, or none to sniff)'],
    ['ingress port range', { ingress: [ing({ port: { number: 0 } })] }, 'IST0106 error Sidecar.spec.ingress[0].port.number: a port must be an integer from 1 to 65535 (got 0)'],
    ['ingress duplicate port', { ingress: [ing(), ing()] }, 'IST0106 error Sidecar.spec.ingress[1].port.number: ingress port numbers must be unique (also used by ingress[0]) (got 9080)'],
    ['ingress bind', { ingress: [ing({ bind: 'localhost' })] }, 'IST0106 error Sidecar.spec.ingress[0].bind: an ingress bind must be an IP address (got "localhost")'],
    ['defaultEndpoint host', { ingress: [ing({ defaultEndpoint: '10.0.0.1:8080' })] }, 'IST0106 error Sidecar.spec.ingress[0].defaultEndpoint: defaultEndpoint the host must be 127.0.0.1, 0.0.0.0, ::1, :: or empty (got "10.0.0.1:8080"; 127.0.0.1:<port>, 0.0.0.0:<port>, [::1]:<port>, :<port> or unix:///path)'],
    ['defaultEndpoint port', { ingress: [ing({ defaultEndpoint: '127.0.0.1:0' })] }, 'IST0106 error Sidecar.spec.ingress[0].defaultEndpoint: defaultEndpoint the port must be from 1 to 65535 (got "127.0.0.1:0"; 127.0.0.1:<port>, 0.0.0.0:<port>, [::1]:<port>, :<port> or unix:///path)'],
    ['defaultEndpoint unix', { ingress: [ing({ defaultEndpoint: 'unix://rel.sock' })] }, 'IST0106 error Sidecar.spec.ingress[0].defaultEndpoint: defaultEndpoint a unix:// endpoint needs an absolute file path (got "unix://rel.sock"; 127.0.0.1:<port>, 0.0.0.0:<port>, [::1]:<port>, :<port> or unix:///path)'],
    ['tls on HTTP', { ingress: [ing({ tls: { mode: 'SIMPLE', serverCertificate: '/c', privateKey: '/k' } })] }, 'IST0106 error Sidecar.spec.ingress[0].tls: TLS on a Sidecar ingress listener needs an HTTPS or TLS port (got "HTTP"; protocol HTTPS or TLS)'],
    ['tls credentialName', { ingress: [{ port: { number: 443, protocol: 'HTTPS' }, tls: { mode: 'SIMPLE', credentialName: 'c', serverCertificate: '/c', privateKey: '/k' } }] }, 'IST0106 error Sidecar.spec.ingress[0].tls: these TLS fields are not supported on Sidecar ingress listeners (got ["credentialName"]; serverCertificate, privateKey and caCertificates files)'],
    ['tls ISTIO_MUTUAL', { ingress: [{ port: { number: 443, protocol: 'HTTPS' }, tls: { mode: 'ISTIO_MUTUAL' } }] }, 'IST0106 error Sidecar.spec.ingress[0].tls.mode: mode ISTIO_MUTUAL is not supported on Sidecar ingress listeners (got "ISTIO_MUTUAL"; SIMPLE, MUTUAL or OPTIONAL_MUTUAL)'],
    ['tls MUTUAL without CA', { ingress: [{ port: { number: 443, protocol: 'HTTPS' }, tls: { mode: 'MUTUAL', serverCertificate: '/c', privateKey: '/k' } }] }, 'IST0106 error Sidecar.spec.ingress[0].tls: MUTUAL needs caCertificates (certificate files mounted into the pod)'],
    ['ingress pool', { ingress: [ing({ connectionPool: {} })] }, 'IST0106 error Sidecar.spec.ingress[0].connectionPool: a connection pool needs tcp and/or http settings (got {})'],
    ['inbound pool duration', { inboundConnectionPool: { tcp: { connectTimeout: '1500us' } } }, 'IST0106 error Sidecar.spec.inboundConnectionPool.tcp.connectTimeout: a duration must be a whole number of milliseconds (got "1500us"; e.g. "250ms" or "5s")'],
    ['port-less egress not last', { egress: [eg(), eg({ port: { number: 80 } })] }, 'IST0106 error Sidecar.spec.egress[0]: only the last egress listener may omit its port (it catches all other ports) (give a port, or move this listener last)'],
    ['port 0 without unix bind', { egress: [eg({ port: { number: 0 } })] }, 'IST0106 error Sidecar.spec.egress[0].bind: port 0 means a unix domain socket listener, which needs a unix:// bind (unix:///absolute/path)'],
    ['unix bind relative', { egress: [eg({ port: { number: 0 }, bind: 'unix://a.sock' })] }, 'IST0106 error Sidecar.spec.egress[0].bind: a unix address must be an absolute path to a file or an @abstract name (got "unix://a.sock")'],
    ['unix bind captureMode', { egress: [eg({ port: { number: 0 }, bind: 'unix:///a.sock', captureMode: 'IPTABLES' })] }, 'IST0106 error Sidecar.spec.egress[0].captureMode: a unix socket listener takes captureMode DEFAULT or NONE (got "IPTABLES")'],
    ['duplicate unix bind', { egress: [eg({ port: { number: 0 }, bind: 'unix:///a.sock' }), eg({ port: { number: 0 }, bind: 'unix:///a.sock' })] }, 'IST0106 error Sidecar.spec.egress[1].bind: unix socket binds must be unique (also used by egress[0]) (got "unix:///a.sock")'],
    ['egress port range', { egress: [eg({ port: { number: 70000 } })] }, 'IST0106 error Sidecar.spec.egress[0].port.number: a port must be an integer from 1 to 65535 (got 70000)'],
    ['egress duplicate port', { egress: [eg({ port: { number: 80 } }), eg({ port: { number: 80 } })] }, 'IST0106 error Sidecar.spec.egress[1].port.number: egress port numbers must be unique (also used by egress[0]) (got 80)'],
    ['egress bind not IP', { egress: [eg({ port: { number: 80 }, bind: 'unix:///a.sock' })] }, 'IST0106 error Sidecar.spec.egress[0].bind: an egress bind on a port must be an IP address (got "unix:///a.sock")'],
    ['egress targetPort', { egress: [eg({ port: { number: 80, targetPort: 81 } })] }, 'IST0106 error Sidecar.spec.egress[0].port.targetPort: targetPort is not supported on Sidecar listeners (got 81; remove it)'],
    ['egress no hosts', { egress: [{ hosts: [] }] }, 'IST0106 error Sidecar.spec.egress[0].hosts: an egress listener needs at least one host (got []; e.g. ["./*", "istio-system/*"])'],
    ['host without namespace', { egress: [{ hosts: ['reviews.shop.svc.cluster.local'] }] }, 'IST0106 error Sidecar.spec.egress[0].hosts[0]: an egress host must be "namespace/dnsName" (got "reviews.shop.svc.cluster.local"; "namespace/dnsName" with namespace "*", ".", "~" or a name, and dnsName "*", "*.example.com" or a dotted name)'],
    ['short host', { egress: [{ hosts: ['./reviews'] }] }, 'IST0106 error Sidecar.spec.egress[0].hosts[0]: short name "reviews" is not allowed: the host part must be "*" or contain a dot (got "./reviews"; "namespace/dnsName" with namespace "*", ".", "~" or a name, and dnsName "*", "*.example.com" or a dotted name)'],
    ['IP host', { egress: [{ hosts: ['*/10.0.0.1'] }] }, 'IST0106 error Sidecar.spec.egress[0].hosts[0]: an IP address ("10.0.0.1") is not a host; import the Service or ServiceEntry that has it (got "*/10.0.0.1"; "namespace/dnsName" with namespace "*", ".", "~" or a name, and dnsName "*", "*.example.com" or a dotted name)'],
    ['partial wildcard host', { egress: [{ hosts: ['*/*foo.com'] }] }, 'IST0106 error Sidecar.spec.egress[0].hosts[0]: partial wildcard "*foo.com" is not allowed: a wildcard must be "*" or a "*." prefix (got "*/*foo.com"; "namespace/dnsName" with namespace "*", ".", "~" or a name, and dnsName "*", "*.example.com" or a dotted name)'],
    ['bad namespace', { egress: [{ hosts: ['Bad_ns/*'] }] }, 'IST0106 error Sidecar.spec.egress[0].hosts[0]: the namespace part "Bad_ns" must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit (got "Bad_ns/*"; "namespace/dnsName" with namespace "*", ".", "~" or a name, and dnsName "*", "*.example.com" or a dotted name)'],
    ['ALLOW_ANY_DYNAMIC_DNS', { outboundTrafficPolicy: { mode: 'ALLOW_ANY_DYNAMIC_DNS' } }, 'IST0106 error Sidecar.spec.outboundTrafficPolicy.mode: ALLOW_ANY_DYNAMIC_DNS is only a MeshConfig setting (got "ALLOW_ANY_DYNAMIC_DNS"; REGISTRY_ONLY or ALLOW_ANY)'],
  ])('%s is rejected', (_name, spec, message) => {
    expect(findings(sidecar(spec))).toEqual([message]);
  });

  test('egressProxy: deprecated (IST0002), only with ALLOW_ANY, an FQDN host and a port', () => {
    expect(findings(sidecar({ outboundTrafficPolicy: { mode: 'ALLOW_ANY', egressProxy: { host: 'proxy.example.com', port: { number: 3128 } } } }))).toEqual([
      'IST0002 warning Sidecar.spec.outboundTrafficPolicy.egressProxy: egressProxy is deprecated and ignored by Istio (got {"host":"proxy.example.com","port":{"number":3128}}; route through an egress gateway instead)',
    ]);
    expect(findings(sidecar({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY', egressProxy: { host: 'a..b' } } })).slice(1)).toEqual([
      'IST0106 error Sidecar.spec.outboundTrafficPolicy.egressProxy: egressProxy is only allowed with mode ALLOW_ANY (got "REGISTRY_ONLY"; mode ALLOW_ANY)',
      'IST0106 error Sidecar.spec.outboundTrafficPolicy.egressProxy.host: a hostname must not contain empty labels ("..") (got "a..b")',
      'IST0106 error Sidecar.spec.outboundTrafficPolicy.egressProxy.port: an egressProxy needs a port from 1 to 65535 (e.g. { number: 3128 })',
    ]);
  });

  test.each([
    ['empty selector', { workloadSelector: {}, egress: [eg()] }, 'IST0133 warning Sidecar.spec.workloadSelector.labels: a selector without labels selects every workload in the namespace (got {}; set labels, or drop the selector to mean the namespace)'],
    ['duplicate host', { egress: [{ hosts: ['./*', './*'] }] }, 'IST0133 warning Sidecar.spec.egress[0].hosts[1]: duplicate egress host (got "./*")'],
    ['*/* with others', { egress: [{ hosts: ['*/*', './*'] }] }, 'IST0133 warning Sidecar.spec.egress[0].hosts: "*/*" imports every host, so the other entries have no effect (got ["*/*","./*"]; "*/*" alone)'],
    ['HTTP pool on TCP port', { ingress: [{ port: { number: 9000, protocol: 'TCP' }, connectionPool: { http: { maxRetries: 1 } } }] }, 'IST0133 warning Sidecar.spec.ingress[0].connectionPool.http: HTTP connection pool settings have no effect on a TCP port (got {"maxRetries":1})'],
  ])('%s is a warning', (_name, spec, message) => {
    expect(findings(sidecar(spec))).toEqual([message]);
  });

  // Istio's own validation tables accept these; the rules once refused them.
  test.each([
    ['an excluded namespace beside "*/*" (Istio 1.31)', { egress: [eg({ hosts: ['*/*', '~ns1/*'] })] }],
    ['a host excluded from every namespace', { egress: [eg({ hosts: ['*/*', '~/foo.com'] })] }],
    ['a unix:// bind with an abstract socket on port 0', { egress: [eg({ port: { number: 0, name: 'uds', protocol: 'http' }, hosts: ['ns1/bar.com'], bind: 'unix://@foo/bar/com' })] }],
    ['a unix:// bind with a path on port 0', { egress: [eg({ port: { number: 0, name: 'uds', protocol: 'http' }, hosts: ['ns1/bar.com'], bind: 'unix:///@foo/bar/com' })] }],
  ])('istiod accepts %s', (_name, spec) => {
    expect(findings(sidecar(spec))).toEqual([]);
  });

  test('an exclusion still needs a DNS-label namespace', () => {
    expect(findings(sidecar({ egress: [eg({ hosts: ['~Ns_1/*'] })] }))).toEqual([
      'IST0106 error Sidecar.spec.egress[0].hosts[0]: the namespace part "~Ns_1" must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit (got "~Ns_1/*"; "namespace/dnsName" with namespace "*", ".", "~" or a name, and dnsName "*", "*.example.com" or a dotted name)',
    ]);
  });
});
