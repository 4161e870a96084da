import { webhookOnly } from './webhook-only';
import { detailWithFix } from '../../src/analysis/messages';

function se(spec: any, metadata: any = {}): any {
  return { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'se', namespace: 'shop', ...metadata }, spec };
}
function findings(obj: any): string[] {
  return webhookOnly([obj]).map(d => `${d.code} ${d.level} ${detailWithFix(d)}`);
}
const https = { number: 443, name: 'https', protocol: 'HTTPS' };

describe('ServiceEntry webhook rules', () => {
  test.each([
    ['external HTTPS', { hosts: ['api.github.com'], ports: [https], resolution: 'DNS' }],
    ['several HTTP hosts, NONE', { hosts: ['a.example.com', 'b.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] }],
    ['CIDRs with NONE and lower-case tcp', { hosts: ['dummy.github.com'], addresses: ['140.82.112.0/20', '13.229.188.59/32'], ports: [{ number: 22, name: 'tcp', protocol: 'tcp' }], location: 'MESH_EXTERNAL' }],
    ['STATIC endpoints', { hosts: ['db.example.com'], addresses: ['10.0.0.1'], ports: [{ number: 5432, name: 'pg', protocol: 'TCP' }], resolution: 'STATIC', endpoints: [{ address: '10.0.0.5', ports: { pg: 15432 } }, { address: '10.0.0.6' }] }],
    ['STATIC unix socket with one port', { hosts: ['uds.example.com'], ports: [https], resolution: 'STATIC', endpoints: [{ address: 'unix:///var/run/a.sock' }] }],
    ['DNS endpoints', { hosts: ['example.com'], ports: [https], resolution: 'DNS', endpoints: [{ address: 'sub.example.com' }] }],
    ['DNS_ROUND_ROBIN one endpoint', { hosts: ['example.com'], ports: [https], resolution: 'DNS_ROUND_ROBIN', endpoints: [{ address: 'sub.example.com' }] }],
    ['DYNAMIC_DNS wildcard', { hosts: ['*.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DYNAMIC_DNS' }],
    ['exportTo ~ alone', { hosts: ['a.example.com'], ports: [https], exportTo: ['~'] }],
    ['exportTo namespaces', { hosts: ['a.example.com'], ports: [https], exportTo: ['.', 'other'] }],
    ['workloadSelector with STATIC', { hosts: ['vm.example.com'], ports: [https], resolution: 'STATIC', workloadSelector: { labels: { app: 'vm' } } }],
  ])('%s: no findings', (_name, spec) => {
    expect(findings(se(spec))).toEqual([]);
  });

  test.each([
    ['no hosts', { hosts: [] }, 'IST0106 error ServiceEntry.spec.hosts: a ServiceEntry needs at least one host (got []; e.g. ["api.example.com"])'],
    ['host *', { hosts: ['*'] }, 'IST0106 error ServiceEntry.spec.hosts[0]: a ServiceEntry host cannot be the wildcard "*" (got "*"; a DNS name, optionally "*.example.com")'],
    ['bad host', { hosts: ['a..b'] }, 'IST0106 error ServiceEntry.spec.hosts[0]: a hostname must not contain empty labels ("..") (got "a..b")'],
    ['bad address', { hosts: ['a.example.com'], addresses: ['1.2.3.4/99'] }, 'IST0106 error ServiceEntry.spec.addresses[0]: must be a valid CIDR prefix, e.g. 10.0.0.0/16 (got "1.2.3.4/99")'],
    ['CIDR with DNS', { hosts: ['a.example.com'], addresses: ['1.2.3.4/16'], ports: [https], resolution: 'DNS' }, 'IST0106 error ServiceEntry.spec.addresses[0]: CIDR addresses are allowed only with resolution NONE or STATIC (resolution is DNS) (got "1.2.3.4/16"; a single IP, or resolution NONE/STATIC)'],
    ['selector and endpoints', { hosts: ['a.example.com'], ports: [https], resolution: 'STATIC', workloadSelector: { labels: { a: 'b' } }, endpoints: [{ address: '1.2.3.4' }] }, 'IST0106 error ServiceEntry.spec: only one of workloadSelector or endpoints can be set (got ["workloadSelector","endpoints"])'],
    ['selector value *', { hosts: ['a.example.com'], ports: [https], resolution: 'STATIC', workloadSelector: { labels: { val: '*' } } }, 'IST0106 error ServiceEntry.spec.workloadSelector.labels.val: a selector value must not contain "*" (got "*"; an exact label value)'],
    ['selector key *', { hosts: ['a.example.com'], ports: [https], resolution: 'STATIC', workloadSelector: { labels: { '*': 'v' } } }, 'IST0106 error ServiceEntry.spec.workloadSelector.labels.*: a selector key must be non-empty and without "*" (got "*")'],
    ['duplicate port name', { hosts: ['a.example.com'], ports: [{ name: 'a', number: 1, protocol: 'HTTP' }, { name: 'a', number: 12, protocol: 'HTTP' }] }, 'IST0106 error ServiceEntry.spec.ports[1].name: port names must be unique (also used by ports[0]) (got "a")'],
    ['duplicate port number', { hosts: ['a.example.com'], ports: [{ name: 'a', number: 1, protocol: 'HTTP' }, { name: 'b', number: 1, protocol: 'HTTP' }] }, 'IST0106 error ServiceEntry.spec.ports[1].number: port numbers must be unique (also used by ports[0]) (got 1)'],
    ['port out of range', { hosts: ['a.example.com'], ports: [{ name: 'a', number: 99999, protocol: 'HTTP' }] }, 'IST0106 error ServiceEntry.spec.ports[0].number: a port must be an integer from 1 to 65535 (got 99999)'],
    ['targetPort out of range', { hosts: ['a.example.com'], ports: [{ name: 'a', number: 1, targetPort: 99999, protocol: 'HTTP' }] }, 'IST0106 error ServiceEntry.spec.ports[0].targetPort: a targetPort must be an integer from 1 to 65535 (got 99999)'],
    ['port name not a label', { hosts: ['a.example.com'], ports: [{ name: 'a_b', number: 1, protocol: 'HTTP' }] }, 'IST0106 error ServiceEntry.spec.ports[0].name: a port name must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit (got "a_b")'],
    ['unknown protocol', { hosts: ['a.example.com'], ports: [{ name: 'a', number: 1, protocol: 'SPDY' }] }, 'IST0106 error ServiceEntry.spec.ports[0].protocol: unknown protocol (got "SPDY"; HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, HTTP_PROXY, TCP, TLS, MONGO, REDIS, MYSQL, UDP, or none to sniff)'],
    ['NONE with endpoints', { hosts: ['a.example.com'], ports: [https], endpoints: [{ address: '1.2.3.4' }], resolution: 'NONE' }, 'IST0106 error ServiceEntry.spec.endpoints: resolution NONE cannot have endpoints (got 1; resolution STATIC or DNS)'],
    ['STATIC hostname endpoint', { hosts: ['a.example.com'], ports: [https], resolution: 'STATIC', endpoints: [{ address: 'b.example.com' }] }, 'IST0106 error ServiceEntry.spec.endpoints[0].address: with resolution STATIC an endpoint address must be an IP or a unix:// socket (got "b.example.com"; resolution DNS for hostnames)'],
    ['endpoint without address or network', { hosts: ['a.example.com'], ports: [https], resolution: 'STATIC', endpoints: [{ labels: { a: 'b' } }] }, 'IST0106 error ServiceEntry.spec.endpoints[0].address: an endpoint needs an address or a network'],
    ['relative unix socket', { hosts: ['a.example.com'], ports: [https], resolution: 'STATIC', endpoints: [{ address: 'unix://a.sock' }] }, 'IST0106 error ServiceEntry.spec.endpoints[0].address: a unix address must be an absolute path to a file or an @abstract name (got "unix://a.sock")'],
    ['unknown endpoint port name', { hosts: ['a.example.com'], ports: [https], resolution: 'STATIC', endpoints: [{ address: '1.2.3.4', ports: { http: 8080 } }] }, 'IST0106 error ServiceEntry.spec.endpoints[0].ports.http: endpoint port names must name a port of the ServiceEntry (got "http"; https)'],
    ['endpoint port out of range', { hosts: ['a.example.com'], ports: [https], resolution: 'STATIC', endpoints: [{ address: '1.2.3.4', ports: { https: 0 } }] }, 'IST0106 error ServiceEntry.spec.endpoints[0].ports.https: a port must be an integer from 1 to 65535 (got 0)'],
    ['bad endpoint label', { hosts: ['a.example.com'], ports: [https], resolution: 'STATIC', endpoints: [{ address: '1.2.3.4', labels: { 'a b': 'c' } }] }, 'IST0106 error ServiceEntry.spec.endpoints[0].labels.a b: a label name must be at most 63 characters, alphanumeric at both ends, with "-", "_" or "." inside (got "c"; Kubernetes label syntax without "*")'],
    ['DNS wildcard without endpoints', { hosts: ['*.example.com'], ports: [https], resolution: 'DNS' }, 'IST0106 error ServiceEntry.spec.hosts[0]: resolution DNS without endpoints resolves the hosts themselves, so they cannot be wildcards (got "*.example.com"; a plain DNS name, or endpoints)'],
    ['DNS_ROUND_ROBIN two endpoints', { hosts: ['example.com'], ports: [https], resolution: 'DNS_ROUND_ROBIN', endpoints: [{ address: 'a.example.com' }, { address: 'b.example.com' }] }, 'IST0106 error ServiceEntry.spec.endpoints: resolution DNS_ROUND_ROBIN allows at most one endpoint (got 2; resolution DNS for several)'],
    ['DNS bad endpoint name', { hosts: ['example.com'], ports: [https], resolution: 'DNS', endpoints: [{ address: 'a..example.com' }] }, 'IST0106 error ServiceEntry.spec.endpoints[0].address: an endpoint address must be an IP or a hostname: a hostname must not contain empty labels ("..") (got "a..example.com")'],
    ['DYNAMIC_DNS HTTPS port', { hosts: ['*.example.com'], ports: [https], resolution: 'DYNAMIC_DNS' }, 'IST0106 error ServiceEntry.spec.ports[0].protocol: resolution DYNAMIC_DNS supports only HTTP, TLS, GRPC and HTTP2 ports (got "HTTPS")'],
    ['DYNAMIC_DNS with addresses', { hosts: ['*.example.com'], addresses: ['1.2.3.4'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DYNAMIC_DNS' }, 'IST0106 error ServiceEntry.spec.addresses: resolution DYNAMIC_DNS takes no addresses (got ["1.2.3.4"])'],
    ['exportTo ~ with others', { hosts: ['a.example.com'], ports: [https], exportTo: ['~', '.'] }, 'IST0106 error ServiceEntry.spec.exportTo: "~" must be the only exportTo entry (got ["~","."]; ["~"] alone, or a list of namespaces)'],
    ['exportTo duplicate', { hosts: ['a.example.com'], ports: [https], exportTo: ['.', 'shop'] }, 'IST0106 error ServiceEntry.spec.exportTo[1]: duplicate exportTo entry ("." and the own namespace count as the same) (got "shop")'],
  ])('%s is rejected', (_name, spec, message) => {
    expect(findings(se(spec))).toEqual([message]);
  });

  test('DYNAMIC_DNS needs wildcard hosts, takes no endpoints, and MESH_INTERNAL not behind a waypoint', () => {
    expect(findings(se({ hosts: ['example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DYNAMIC_DNS', location: 'MESH_INTERNAL', endpoints: [{ address: '1.2.3.4' }] },
      { labels: { 'istio.io/use-waypoint': 'wp' } }))).toEqual([
      'IST0106 error ServiceEntry.spec.hosts[0]: resolution DYNAMIC_DNS needs wildcard hosts (got "example.com"; e.g. "*.example.com")',
      'IST0106 error ServiceEntry.spec.endpoints: resolution DYNAMIC_DNS takes no endpoints (got 1)',
      'IST0106 error ServiceEntry.spec.location: resolution DYNAMIC_DNS with MESH_INTERNAL is not supported behind a waypoint (istio.io/use-waypoint) (got "MESH_INTERNAL"; MESH_EXTERNAL)',
    ]);
  });

  test('with resolution DNS a unix:// endpoint is refused, as istiod does (it takes sockets only with STATIC)', () => {
    expect(findings(se({ hosts: ['foo.bar.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS', endpoints: [{ address: 'unix:///path/to/socket' }] }))).toEqual([
      'IST0106 error ServiceEntry.spec.endpoints[0].address: with resolution DNS an endpoint address must be an IP or a hostname, not a unix:// socket (got "unix:///path/to/socket"; resolution STATIC for unix sockets)',
    ]);
    expect(findings(se({ hosts: ['foo.bar.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'STATIC', endpoints: [{ address: 'unix://@abstract' }] }))).toEqual([]);
  });

  test('a unix socket endpoint takes no ports and needs exactly one service port', () => {
    expect(findings(se({ hosts: ['a.example.com'], ports: [https, { number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'STATIC', endpoints: [{ address: 'unix:///a.sock', ports: { https: 1 } }] }))).toEqual([
      'IST0106 error ServiceEntry.spec.endpoints[0].ports: a unix socket endpoint takes no ports (got {"https":1})',
      'IST0106 error ServiceEntry.spec.ports: a ServiceEntry with a unix socket endpoint needs exactly one port (got 2)',
    ]);
  });

  test.each([
    ['partial wildcard host', { hosts: ['*x'] }, 'IST0133 warning ServiceEntry.spec.hosts[0]: a partial wildcard host matches unexpectedly; use "*" or "*.domain" (got "*x")'],
    ['TCP port without addresses (NONE)', { hosts: ['a.example.com'], ports: [{ number: 22, name: 'ssh', protocol: 'TCP' }] }, 'IST0133 warning ServiceEntry.spec.ports[0].protocol: a TCP (or unset) port without addresses makes every connection to this port match the entry; give addresses (got "TCP"; addresses, or an HTTP/TLS protocol)'],
    ['empty selector', { hosts: ['a.example.com'], ports: [https], resolution: 'STATIC', workloadSelector: {} }, 'IST0133 warning ServiceEntry.spec.workloadSelector.labels: a selector without labels selects every workload in the namespace (got {}; set labels, or drop the selector to mean the namespace)'],
    ['selector with NONE', { hosts: ['a.example.com'], ports: [https], workloadSelector: { labels: { a: 'b' } } }, 'IST0133 warning ServiceEntry.spec.workloadSelector: a workloadSelector has no effect with resolution NONE (got {"labels":{"a":"b"}}; resolution STATIC)'],
    ['endpoint with only a network', { hosts: ['a.example.com'], ports: [https], resolution: 'STATIC', endpoints: [{ network: 'n2' }] }, 'IST0133 warning ServiceEntry.spec.endpoints[0].address: an endpoint without an address is reached only through its network gateway (set address unless that is intended)'],
  ])('%s is a warning', (_name, spec, message) => {
    expect(findings(se(spec))).toEqual([message]);
  });

  test('several hosts with a TCP port and DNS: rejected, and the shared addresses warned about', () => {
    expect(findings(se({ hosts: ['a.example.com', 'b.example.com'], addresses: ['1.2.3.4'], ports: [{ name: 'tcp', number: 9000, protocol: 'TCP' }], resolution: 'DNS' }))).toEqual([
      'IST0106 error ServiceEntry.spec.ports[0].protocol: with resolution DNS and several hosts, every port must be HTTP-family or TLS-family (got "TCP"; HTTP, HTTP2, HTTP_PROXY, GRPC, GRPC-WEB, HTTPS or TLS; or one ServiceEntry per host)',
      'IST0133 warning ServiceEntry.spec.addresses: addresses with a TCP port and several hosts: the hosts share the addresses, so TCP traffic cannot tell them apart (got ["1.2.3.4"])',
    ]);
  });
  test('a port that is not an object is the schema\'s; the protocol rules still name the right index after it', () => {
    expect(findings(se({ hosts: ['a.example.com', 'b.example.com'], ports: [null, { name: 'tcp', number: 9000, protocol: 'TCP' }], resolution: 'DNS' }))).toEqual([
      'IST0106 error ServiceEntry.spec.ports[1].protocol: with resolution DNS and several hosts, every port must be HTTP-family or TLS-family (got "TCP"; HTTP, HTTP2, HTTP_PROXY, GRPC, GRPC-WEB, HTTPS or TLS; or one ServiceEntry per host)',
    ]);
    expect(findings(se({ hosts: ['*.example.com'], ports: ['http', { name: 'tcp', number: 9000, protocol: 'TCP' }], resolution: 'DYNAMIC_DNS' }))).toEqual([
      'IST0106 error ServiceEntry.spec.ports[1].protocol: resolution DYNAMIC_DNS supports only HTTP, TLS, GRPC and HTTP2 ports (got "TCP")',
    ]);
  });

  test('a TCP port without addresses is fine when auto-allocation applies, and warns when the label turns it off', () => {
    const spec = { hosts: ['a.example.com'], ports: [{ number: 22, name: 'ssh', protocol: 'TCP' }], resolution: 'DNS' };
    expect(findings(se(spec))).toEqual([]);
    expect(findings(se(spec, { labels: { 'networking.istio.io/enable-autoallocate-ip': 'false' } }))).toHaveLength(1);
  });
});
