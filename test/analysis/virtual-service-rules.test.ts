// Every VirtualService rule of VALIDATION-RULES.md section 3, one case per rule group, with the exact
// diagnostics (level, code, message) the engine reports for a VirtualService in namespace `shop`.
import { webhookOnly } from './webhook-only';
import { Host, HttpMatch, IstioAnalysis, RouteDestination, VirtualService } from '../../src';
import { detailWithFix } from '../../src/analysis/messages';
import { chartIn, synthError } from '../util';

function diagnose(spec: any): string[] {
  const obj = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'vs', namespace: 'shop' }, spec };
  return webhookOnly([obj]).map(d => `${d.level} ${d.code} ${detailWithFix(d)}`);
}

const route = (host = 'a') => [{ destination: { host } }];
const CASES: Array<[string, any]> = [
  ['valid: gateway-bound "*", JWT claims, empty URI prefix, weights as proportions, Envoy variables', {
    hosts: ['*'],
    gateways: ['istio-system/public'],
    http: [
      { match: [{ headers: { '@request.auth.claims.group': { exact: 'admin' } }, withoutHeaders: { 'x-debug': { regex: '*' } } }], route: [{ destination: { host: 'a' }, weight: 3 }, { destination: { host: 'b' }, weight: 0 }], headers: { request: { set: { 'x-host': '%HOSTNAME%', ':authority': 'a' } } } },
      { match: [{ uri: { regex: '(?i)/API/(?P<v>v[0-9]+)' } }], route: route(), retries: { attempts: 0 }, timeout: '1h30m', fault: { delay: { fixedDelay: '2.5s', percentage: { value: 0 } } } },
      { match: [{ uri: { prefix: '' }, port: 8080 }], route: route(), retries: { attempts: 3, retryOn: '5xx,503,retriable-status-codes' }, corsPolicy: { allowOrigins: [{ prefix: 'https://' }], allowMethods: ['GET', '*'], maxAge: '24h' } },
      { route: route() },
    ],
  }],
  ['valid: istiod\'s auto-generated SNI name as host and as SNI host (Istio\'s "allow sni based domains")', {
    hosts: ['outbound_.15010_._.istiod.istio-system.svc.cluster.local'],
    gateways: ['ns1/gateway'],
    tls: [{ match: [{ sniHosts: ['outbound_.15010_._.istiod.istio-system.svc.cluster.local'] }], route: route('istio.istio-system.svc.cluster.local') }],
  }],
  ['valid: auto-passthrough TLS host, SNI covered by a wildcard host', {
    hosts: ['*.example.com', 'outbound_.15443_._.svc.local'],
    gateways: ['gw'],
    tls: [
      { match: [{ sniHosts: ['a.example.com', '*.b.example.com'] }], route: route() },
    ],
  }],
  ['no rules', { hosts: ['a'] }],
  ['delegate with gateways/tcp/tls', { gateways: ['gw'], tcp: [{ route: route() }], tls: [{ match: [{ sniHosts: ['a'] }], route: route() }] }],
  ['delegate delegating again', { http: [{ delegate: { name: 'x' } }] }],
  ['star host on mesh', { hosts: ['*'], http: [{ route: route() }] }],
  ['bad host', { hosts: ['a..b'], http: [{ route: route() }] }],
  ['overlapping hosts', { hosts: ['*.a.com', 'x.a.com'], http: [{ route: route() }] }],
  ['bad gateway refs', { hosts: ['a.com'], gateways: ['ns/', 'gw.ns', 'Bad_Name'], http: [{ route: route() }] }],
  ['exportTo', { hosts: ['a'], exportTo: ['*', '~', 'Bad_ns', '.', 'shop'], http: [{ route: route() }] }],
  ['jwt claim on mesh', { hosts: ['a'], http: [{ match: [{ headers: { '@request.auth.claims.group': { exact: 'x' } } }], route: route() }] }],
  ['delegate with route', { hosts: ['a'], http: [{ delegate: { name: 'x' }, route: route() }] }],
  ['no action', { hosts: ['a'], http: [{ name: 'r', timeout: '1s' }] }],
  ['redirect with others', { hosts: ['a'], http: [{ redirect: { uri: '/x' }, route: route(), fault: { abort: { httpStatus: 500 } }, rewrite: { uri: '/' } }] }],
  ['directResponse with others', { hosts: ['a'], http: [{ directResponse: { status: 200 }, route: route(), rewrite: { uri: '/' } }] }],
  ['mirror and mirrors', { hosts: ['a'], http: [{ route: route(), mirror: { host: 'b' }, mirrors: [{ destination: { host: 'c' } }] }] }],
  ['string matches', { hosts: ['a'], http: [{ match: [{ uri: { regex: '(?=x)' }, scheme: { prefix: '' }, method: { regex: '' }, authority: { regex: 'a(b' }, queryParams: { q: { regex: '\\1' } }, withoutHeaders: { x: { regex: '*' } } }], route: route() }] }],
  ['match header names, port, labels, namespace, gateways', { hosts: ['a'], http: [{ match: [{ headers: { 'bad header': { exact: 'x' } }, port: 0, sourceLabels: { 'bad key!': 'v' }, sourceNamespace: 'Bad_NS', gateways: ['a/b/c'] }], route: route() }] }],
  ['destinations', { hosts: ['a'], http: [{ route: [{ destination: { host: '*', subset: 'Bad_Subset', port: { number: 70000 } }, weight: -1 }, { destination: { host: '10.0.0.1' }, weight: 0 }] }] }],
  ['weights total zero', { hosts: ['a'], http: [{ route: [{ destination: { host: 'a' }, weight: 0 }, { destination: { host: 'b' } }] }] }],
  ['header operations', { hosts: ['a'], http: [{ route: [{ destination: { host: 'a' }, headers: { response: { set: { Host: 'x' } } } }], headers: { request: { set: { ':path': '/x', 'x-a': 'bad\u0001' }, add: { 'x-b': 'abc%123' }, remove: ['', ':authority'] }, response: { add: { ':status': '200' } } } }] }],
  ['authority twice', { hosts: ['a'], http: [{ route: route(), rewrite: { authority: 'b' }, headers: { request: { set: { host: 'c' } } } }] }],
  ['retries', { hosts: ['a'], http: [{ route: route(), retries: { attempts: 0, perTryTimeout: '1500us', retryOn: 'gateway-error,5xx,bogus,999' } }] }],
  ['negative attempts', { hosts: ['a'], http: [{ route: route(), retries: { attempts: -1 } }] }],
  ['timeout', { hosts: ['a'], http: [{ route: route(), timeout: '0s' }] }],
  ['fault empty', { hosts: ['a'], http: [{ route: route(), fault: {} }] }],
  ['fault abort', { hosts: ['a'], http: [{ route: route(), fault: { abort: { httpStatus: 700, percentage: { value: 0.00001 } }, delay: { fixedDelay: '1.5ms', percentage: { value: 101 } } } }] }],
  ['fault grpc / http2 / none / exponential', {
    hosts: ['a'],
    http: [
      { match: [{ port: 1 }], route: route(), fault: { abort: { grpcStatus: 'unavailable' } } },
      { match: [{ port: 2 }], route: route(), fault: { abort: { http2Error: 'x' } } },
      { match: [{ port: 3 }], route: route(), fault: { abort: { percentage: { value: 5 } } } },
      { route: route(), fault: { delay: { exponentialDelay: '1s' } } },
    ],
  }],
  ['mirrors', {
    hosts: ['a'],
    http: [
      { match: [{ port: 1 }], route: route(), mirror: { host: '*' }, mirrorPercentage: { value: 150 } },
      { match: [{ port: 2 }], route: route(), mirrorPercent: 120 },
      { route: route(), mirrors: [{ percentage: { value: 5 } }, { destination: { host: 'b' }, percentage: { value: -1 } }] },
    ],
  }],
  ['redirect', {
    hosts: ['a'],
    http: [
      { match: [{ uri: { exact: '/x' } }], redirect: { uri: '/a', prefixRewrite: '/b' } },
      { match: [{ port: 2 }], redirect: {} },
      { redirect: { uri: '/a', redirectCode: 200, scheme: 'HTTPS', port: 0 } },
    ],
  }],
  ['rewrite', {
    hosts: ['a'],
    http: [
      { match: [{ port: 1 }], route: route(), rewrite: { uri: '/a', uriRegexRewrite: { match: 'a', rewrite: 'b' } } },
      { match: [{ port: 2 }], route: route(), rewrite: { uriRegexRewrite: { match: '(?<=a)' } } },
      { route: route(), rewrite: {} },
    ],
  }],
  ['direct response', {
    hosts: ['a'],
    http: [
      { match: [{ port: 1 }], directResponse: { status: 100 } },
      { match: [{ port: 2 }], directResponse: { status: 200, body: { string: 'x'.repeat(200 * 1024) } } },
      { directResponse: { status: 200, body: { string: 'x'.repeat(1024 * 1024 + 1) } } },
    ],
  }],
  ['cors', { hosts: ['a'], http: [{ route: route(), corsPolicy: { allowOrigins: [{ exact: '' }, { regex: '[' }], allowMethods: ['get'], allowHeaders: ['bad header'], exposeHeaders: ['*'], maxAge: '1500ms' } }] }],
  ['tls routes', {
    hosts: ['a.example.com'],
    gateways: ['gw'],
    tls: [
      { match: [], route: route() },
      { match: [{ sniHosts: [] }], route: route() },
      { match: [{ sniHosts: ['b.example.com', '10.0.0.1', 'a..b'], destinationSubnets: ['10.0.0.0/33'], port: 0 }], route: [] },
    ],
  }],
  ['tcp routes', { hosts: ['a'], tcp: [{ match: [{ port: 70000, sourceSubnet: 'x', sourceLabels: { 'a b': 'c' }, sourceNamespace: 'A_B', gateways: ['/x'] }], route: [] }] }],
  ['reachability', {
    hosts: ['a'],
    http: [
      { name: 'api', match: [{ uri: { prefix: '/api' } }], route: route() },
      { name: 'dup', match: [{ uri: { prefix: '/api' }, name: 'other-name' }], route: route() },
      { name: 'covered', match: [{ uri: { prefix: '/api/v1' } }, { uri: { exact: '/api/x' } }, { uri: { prefix: '/web' } }], route: route() },
      { name: 'all', route: route() },
      { name: 'after', match: [{ uri: { prefix: '/late' } }], route: route() },
    ],
  }],
  // Istio's analyzer testdata virtualservice_overlappingmatches.yaml (schema.ValidationAnalyzer expectations).
  ['prefix covered inside one rule (a match without method counts as GET)', {
    hosts: ['a'], http: [{ name: 'r', match: [{ uri: { prefix: '/api/v1/product' } }, { uri: { prefix: '/api/v1/products' }, method: { exact: 'GET' } }], route: route() }],
  }],
  ['an exact URI is not compared with a prefix', {
    hosts: ['a'], http: [{ name: 'r', match: [{ uri: { prefix: '/' } }, { uri: { exact: '/' }, method: { exact: 'GET' } }], route: route() }],
  }],
  ['prefix covered by an earlier rule: ineffective, not unreachable', {
    hosts: ['a'],
    http: [
      { name: 'product', match: [{ uri: { prefix: '/api/v1/product' }, method: { exact: 'GET' } }], route: route() },
      { name: 'products', match: [{ uri: { prefix: '/api/v1/products' }, method: { exact: 'GET' } }], route: route() },
    ],
  }],
  ['prefix covered with the same method only', {
    hosts: ['a'],
    http: [
      { name: 'prod', match: [{ uri: { prefix: '/api/v1/prod' }, method: { exact: 'GET' } }], route: route() },
      { name: 'product', match: [{ uri: { prefix: '/api/v1/product' }, method: { exact: 'GET' } }, { uri: { prefix: '/api/v1/products' }, method: { exact: 'POST' } }], route: route() },
    ],
  }],
  ['reachability tcp', { hosts: ['a'], tcp: [{ match: [{ port: 1 }], route: route() }, { match: [{ port: 1 }], route: route() }] }],
];


const EXPECTED: Record<string, string[]> = {
  'valid: gateway-bound "*", JWT claims, empty URI prefix, weights as proportions, Envoy variables': [],
  'valid: istiod\'s auto-generated SNI name as host and as SNI host (Istio\'s "allow sni based domains")': [],
  'valid: auto-passthrough TLS host, SNI covered by a wildcard host': [],
  'no rules': [
    'error IST0106 VirtualService.spec: a VirtualService needs at least one http, tcp or tls rule (got {"hosts":["a"]})',
  ],
  'delegate with gateways/tcp/tls': [
    'error IST0106 VirtualService.spec.gateways: a delegate VirtualService (one without hosts) must not set gateways (got ["gw"]; set gateways on the root VirtualService)',
    'error IST0106 VirtualService.spec.tcp: a delegate VirtualService (one without hosts) supports only http rules (got "tcp")',
    'error IST0106 VirtualService.spec.tls: a delegate VirtualService (one without hosts) supports only http rules (got "tls")',
  ],
  'delegate delegating again': [
    'error IST0106 VirtualService.spec.http[0].delegate: a delegate VirtualService cannot delegate again (got {"name":"x"})',
  ],
  'star host on mesh': [
    'error IST0106 VirtualService.spec.hosts[0]: the host "*" is not allowed when the VirtualService applies to the mesh (got "*"; bind it to gateways only, or name the hosts)',
  ],
  'bad host': [
    'error IST0106 VirtualService.spec.hosts[0]: a hostname must not contain empty labels ("..") (got "a..b"; a short name, an FQDN, a wildcard domain or an IP address)',
  ],
  'overlapping hosts': [
    'error IST0106 VirtualService.spec.hosts[1]: host overlaps spec.hosts[0] "*.a.com" (got "x.a.com"; hosts that do not overlap (one VirtualService per host, or one wildcard))',
  ],
  'bad gateway refs': [
    'error IST0106 VirtualService.spec.gateways[0]: a gateway reference "namespace/name" needs two DNS-1123 labels: must be a non-empty DNS-1123 label (got "ns/"; "mesh", "name" or "namespace/name")',
    'warning IST0133 VirtualService.spec.gateways[1]: the "name.namespace" gateway form is deprecated (got "gw.ns"; write "ns/gw")',
    'error IST0106 VirtualService.spec.gateways[2]: an invalid gateway reference: must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit (got "Bad_Name"; "mesh", "name" or "namespace/name")',
  ],
  'exportTo': [
    'error IST0106 VirtualService.spec.exportTo[1]: "~" (export to no one) is allowed only on ServiceEntry (got "~"; ".", "*" or a namespace)',
    'error IST0106 VirtualService.spec.exportTo[2]: an exportTo namespace must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit (got "Bad_ns"; ".", "*" or a namespace)',
    'error IST0106 VirtualService.spec.exportTo[4]: duplicate exportTo entry ("." and the own namespace count as the same) (got "shop")',
    'error IST0106 VirtualService.spec.exportTo: "*" must be the only exportTo entry (got ["*","~","Bad_ns",".","shop"]; ["*"] alone, or a list of namespaces)',
  ],
  'jwt claim on mesh': [
    'error IST0106 VirtualService.spec.http[0].match[0].headers.@request.auth.claims.group: JWT claim matches work only on gateways (got "@request.auth.claims.group"; bind the VirtualService to gateways only (no "mesh"))',
  ],
  'delegate with route': [
    'error IST0106 VirtualService.spec.http[0].delegate: a rule that delegates must not also set route or redirect (got {"name":"x"}; delegate alone, or route/redirect without delegate)',
  ],
  'no action': [
    'error IST0106 VirtualService.spec.http[0]: an HTTP rule needs route, redirect, directResponse or delegate (got "r"; e.g. route: [{ destination: { host: ... } }])',
  ],
  'redirect with others': [
    'error IST0106 VirtualService.spec.http[0].redirect: a redirect cannot be combined with route, fault, rewrite (got ["route","fault","rewrite"]; redirect alone)',
  ],
  'directResponse with others': [
    'error IST0106 VirtualService.spec.http[0].directResponse: a direct response cannot be combined with route, rewrite (got ["route","rewrite"]; directResponse alone)',
  ],
  'mirror and mirrors': [
    'error IST0106 VirtualService.spec.http[0].mirrors: give either mirror or mirrors, not both (got [{"destination":{"host":"c"}}])',
  ],
  'string matches': [
    'error IST0106 VirtualService.spec.http[0].match[0].uri.regex: the regex is not valid RE2: error parsing regexp: invalid or unsupported Perl syntax: `(?=` (got "(?=x)"; an RE2 regular expression (no lookaround or backreferences), at most 1024 bytes)',
    'error IST0106 VirtualService.spec.http[0].match[0].scheme.prefix: an empty prefix matches everything and is rejected here (got ""; a non-empty prefix, or omit the condition)',
    'error IST0106 VirtualService.spec.http[0].match[0].method.regex: a regex must not be empty (got ""; an RE2 regular expression (no lookaround or backreferences), at most 1024 bytes)',
    'error IST0106 VirtualService.spec.http[0].match[0].authority.regex: the regex is not valid RE2: error parsing regexp: missing closing ): `a(b` (got "a(b"; an RE2 regular expression (no lookaround or backreferences), at most 1024 bytes)',
    'error IST0106 VirtualService.spec.http[0].match[0].queryParams.q.regex: the regex is not valid RE2: error parsing regexp: invalid escape sequence: `\\1` (got "\\\\1"; an RE2 regular expression (no lookaround or backreferences), at most 1024 bytes)',
  ],
  'match header names, port, labels, namespace, gateways': [
    'error IST0106 VirtualService.spec.http[0].match[0].headers.bad header: a header name must be an RFC 7230 token, a pseudo-header (:method, :scheme, :authority, :path, :status) or a JWT claim (@request.auth.claims.<name>) (got "bad header")',
    'error IST0106 VirtualService.spec.http[0].match[0].port: a port must be an integer from 1 to 65535 (got 0)',
    'error IST0106 VirtualService.spec.http[0].match[0].sourceLabels.bad key!: a label name must be at most 63 characters, alphanumeric at both ends, with "-", "_" or "." inside (got "v"; Kubernetes label syntax without "*")',
    'error IST0106 VirtualService.spec.http[0].match[0].sourceNamespace: a namespace must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit (got "Bad_NS")',
    'error IST0106 VirtualService.spec.http[0].match[0].gateways[0]: a gateway reference "namespace/name" needs two DNS-1123 labels: must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit (got "a/b/c"; "mesh", "name" or "namespace/name")',
  ],
  'destinations': [
    'error IST0106 VirtualService.spec.http[0].route[0].destination.host: a destination host must not be "*" (got "*"; a Service or ServiceEntry host)',
    'error IST0106 VirtualService.spec.http[0].route[0].destination.subset: a subset name must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit (got "Bad_Subset")',
    'error IST0106 VirtualService.spec.http[0].route[0].destination.port.number: a port must be an integer from 1 to 65535 (got 70000)',
    'error IST0106 VirtualService.spec.http[0].route[1].destination.host: a host must be a hostname, not an IP address (got "10.0.0.1"; a short name ("reviews"), an FQDN ("reviews.shop.svc.cluster.local") or a wildcard domain ("*.example.com"))',
    'error IST0106 VirtualService.spec.http[0].route[0].weight: a weight must not be negative (got -1; 0 or more)',
    'error IST0106 VirtualService.spec.http[0].route: with several destinations the weights must not all be 0 (a missing weight counts as 0) (got [-1,0]; weights that add up to more than 0, e.g. 90 and 10)',
  ],
  'weights total zero': [
    'error IST0106 VirtualService.spec.http[0].route: with several destinations the weights must not all be 0 (a missing weight counts as 0) (got [0,null]; weights that add up to more than 0, e.g. 90 and 10)',
  ],
  'header operations': [
    'error IST0106 VirtualService.spec.http[0].route[0].headers.response.set.Host: response operations cannot touch Host or pseudo-headers (got "Host"; a regular header name)',
    'error IST0106 VirtualService.spec.http[0].headers.request.set.:path: pseudo-headers cannot be set, except :authority (got ":path"; a regular header name, :authority or Host)',
    'error IST0106 VirtualService.spec.http[0].headers.request.set.x-a: a header value must not contain control characters (TAB is allowed) (got "bad\\u0001"; printable text; "%%" for a literal "%")',
    'error IST0106 VirtualService.spec.http[0].headers.request.add.x-b: a "%" in a header value must be "%%" or start an Envoy variable such as %HOSTNAME% or %REQ(x-id)% (got "abc%123"; printable text; "%%" for a literal "%")',
    'error IST0106 VirtualService.spec.http[0].headers.request.remove[0]: a header name must not be empty (got "")',
    'error IST0106 VirtualService.spec.http[0].headers.request.remove[1]: request remove operations cannot touch Host or pseudo-headers (got ":authority"; a regular header name)',
    'error IST0106 VirtualService.spec.http[0].headers.response.add.:status: response operations cannot touch Host or pseudo-headers (got ":status"; a regular header name)',
  ],
  'authority twice': [
    'error IST0106 VirtualService.spec.http[0]: the authority is rewritten in more than one place (got ["rewrite.authority","headers.request.set.host"]; one of rewrite.authority or a request header set/add of :authority/Host)',
  ],
  'retries': [
    'error IST0106 VirtualService.spec.http[0].retries: attempts 0 disables retries, so perTryTimeout, retryOn cannot be set (got ["perTryTimeout","retryOn"]; attempts > 0, or remove them)',
    'error IST0106 VirtualService.spec.http[0].retries.perTryTimeout: a duration must be a whole number of milliseconds (got "1500us"; e.g. "250ms" or "5s")',
    'error IST0106 VirtualService.spec.http[0].retries.retryOn: unknown retry condition "bogus" (got "gateway-error,5xx,bogus,999"; comma-separated, no spaces: 5xx, gateway-error, reset, connect-failure, retriable-4xx, refused-stream, ... or an HTTP status code)',
    'error IST0106 VirtualService.spec.http[0].retries.retryOn: unknown retry condition "999" (got "gateway-error,5xx,bogus,999"; comma-separated, no spaces: 5xx, gateway-error, reset, connect-failure, retriable-4xx, refused-stream, ... or an HTTP status code)',
  ],
  'negative attempts': [
    'error IST0106 VirtualService.spec.http[0].retries.attempts: attempts must not be negative (got -1)',
  ],
  'timeout': [
    'error IST0106 VirtualService.spec.http[0].timeout: a duration must be at least 1ms (got "0s"; e.g. "250ms" or "5s")',
  ],
  'fault empty': [
    'error IST0106 VirtualService.spec.http[0].fault: a fault needs abort and/or delay (got {})',
  ],
  'fault abort': [
    'error IST0106 VirtualService.spec.http[0].fault.abort.httpStatus: an abort status must be between 200 and 600 (got 700)',
    'error IST0106 VirtualService.spec.http[0].fault.abort.percentage.value: a fault percentage must be 0 or between 0.0001 and 100 (got 0.00001)',
    'error IST0106 VirtualService.spec.http[0].fault.delay.fixedDelay: a duration must be a whole number of milliseconds (got "1.5ms"; e.g. "250ms" or "5s")',
    'error IST0106 VirtualService.spec.http[0].fault.delay.percentage.value: a fault percentage must be 0 or between 0.0001 and 100 (got 101)',
  ],
  'fault grpc / http2 / none / exponential': [
    'error IST0106 VirtualService.spec.http[0].fault.abort.grpcStatus: unknown gRPC status (got "unavailable"; an upper-case gRPC code such as UNAVAILABLE)',
    'error IST0106 VirtualService.spec.http[1].fault.abort.http2Error: HTTP/2 abort errors are not supported (got "x"; httpStatus or grpcStatus)',
    'warning IST0133 VirtualService.spec.http[2].fault.abort: an abort without httpStatus or grpcStatus does nothing (got {"percentage":{"value":5}})',
    'error IST0106 VirtualService.spec.http[3].fault.delay.exponentialDelay: exponential delays are not supported (got "1s"; fixedDelay)',
  ],
  'mirrors': [
    'error IST0106 VirtualService.spec.http[0].mirror.host: a destination host must not be "*" (got "*"; a Service or ServiceEntry host)',
    'error IST0106 VirtualService.spec.http[0].mirrorPercentage.value: a mirror percentage must be between 0 and 100 (got 150)',
    'error IST0106 VirtualService.spec.http[1].mirrorPercent: a mirror percentage must be at most 100 (got 120)',
    'warning IST0133 VirtualService.spec.http[1].mirrorPercent: mirrorPercent is deprecated (got 120; use mirrorPercentage: { value: ... })',
    'error IST0106 VirtualService.spec.http[2].mirrors[0].destination: a mirror needs a destination (got {"percentage":{"value":5}})',
    'error IST0106 VirtualService.spec.http[2].mirrors[1].percentage.value: a mirror percentage must be between 0 and 100 (got -1)',
  ],
  'redirect': [
    'error IST0106 VirtualService.spec.http[0].redirect: give either uri or prefixRewrite, not both (got {"uri":"/a","prefixRewrite":"/b"})',
    'error IST0106 VirtualService.spec.http[0].redirect.prefixRewrite: prefixRewrite needs every URI match of the rule to be a prefix match (got "/b")',
    'error IST0106 VirtualService.spec.http[1].redirect: a redirect must change something (got {}; at least one of uri, authority, scheme, port or derivePort)',
    'error IST0106 VirtualService.spec.http[2].redirect.redirectCode: a redirect code must be between 300 and 399 (got 200)',
    'error IST0106 VirtualService.spec.http[2].redirect.scheme: the redirect scheme must be "http" or "https" (got "HTTPS")',
    'error IST0106 VirtualService.spec.http[2].redirect.port: a port must be an integer from 1 to 65535 (got 0)',
  ],
  'rewrite': [
    'error IST0106 VirtualService.spec.http[0].rewrite: give either uri or uriRegexRewrite, not both (got {"uri":"/a","uriRegexRewrite":{"match":"a","rewrite":"b"}})',
    'error IST0106 VirtualService.spec.http[1].rewrite.uriRegexRewrite: uriRegexRewrite needs both match and rewrite (got {"match":"(?<=a)"})',
    'error IST0106 VirtualService.spec.http[1].rewrite.uriRegexRewrite.match: the regex is not valid RE2: error parsing regexp: invalid named capture: `(?<=a)` (got "(?<=a)"; an RE2 regular expression (no lookaround or backreferences), at most 1024 bytes)',
    'error IST0106 VirtualService.spec.http[2].rewrite: a rewrite must set uri, uriRegexRewrite or authority (got {})',
  ],
  'direct response': [
    'error IST0106 VirtualService.spec.http[0].directResponse.status: a direct response status must be between 200 and 600 (got 100)',
    "warning IST0133 VirtualService.spec.http[1].directResponse.body: a direct response body over 100 KiB bloats every proxy's configuration (got \"204800 bytes\")",
    'error IST0106 VirtualService.spec.http[2].directResponse.body: a direct response body must be at most 1 MiB (got "1048577 bytes")',
  ],
  'cors': [
    'error IST0106 VirtualService.spec.http[0].corsPolicy.allowOrigins[0]: an allowed origin needs a non-empty exact, prefix or regex (got {"exact":""})',
    'error IST0106 VirtualService.spec.http[0].corsPolicy.allowOrigins[1].regex: the regex is not valid RE2: error parsing regexp: missing closing ]: `[` (got "["; an RE2 regular expression (no lookaround or backreferences), at most 1024 bytes)',
    'error IST0106 VirtualService.spec.http[0].corsPolicy.allowMethods[0]: unknown HTTP method (case-sensitive) (got "get"; GET, HEAD, POST, PUT, PATCH, DELETE, CONNECT, OPTIONS, TRACE or *)',
    'error IST0106 VirtualService.spec.http[0].corsPolicy.allowHeaders[0]: a header name must be an RFC 7230 token or "*" (got "bad header")',
    'error IST0106 VirtualService.spec.http[0].corsPolicy.maxAge: a duration must be a whole number of seconds (got "1500ms"; whole seconds, e.g. "60s")',
  ],
  'tls routes': [
    'error IST0106 VirtualService.spec.tls[0].match: a TLS rule needs at least one match (got []; a match with sniHosts)',
    'error IST0106 VirtualService.spec.tls[1].match[0].sniHosts: a TLS match needs at least one SNI host (got [])',
    'error IST0106 VirtualService.spec.tls[2].match[0].sniHosts[0]: an SNI host must be one of the VirtualService hosts or covered by one (got "b.example.com"; one of ["a.example.com"])',
    'warning IST0133 VirtualService.spec.tls[2].match[0].sniHosts[1]: an IP address as SNI never matches: clients do not send IPs as SNI (got "10.0.0.1")',
    'error IST0106 VirtualService.spec.tls[2].match[0].sniHosts[2]: a hostname must not contain empty labels ("..") (got "a..b")',
    'error IST0106 VirtualService.spec.tls[2].match[0].port: a port must be an integer from 1 to 65535 (got 0)',
    'error IST0106 VirtualService.spec.tls[2].match[0].destinationSubnets[0]: must be a valid CIDR prefix, e.g. 10.0.0.0/16 (got "10.0.0.0/33")',
    'error IST0106 VirtualService.spec.tls[2].route: a TLS rule needs a route (got []; at least one destination)',
  ],
  'tcp routes': [
    'error IST0106 VirtualService.spec.tcp[0].match[0].port: a port must be an integer from 1 to 65535 (got 70000)',
    'error IST0106 VirtualService.spec.tcp[0].match[0].sourceSubnet: must be an IP address or CIDR prefix (got "x")',
    'error IST0106 VirtualService.spec.tcp[0].match[0].sourceLabels.a b: a label name must be at most 63 characters, alphanumeric at both ends, with "-", "_" or "." inside (got "c"; Kubernetes label syntax without "*")',
    'error IST0106 VirtualService.spec.tcp[0].match[0].sourceNamespace: a namespace must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit (got "A_B")',
    'error IST0106 VirtualService.spec.tcp[0].match[0].gateways[0]: a gateway reference "namespace/name" needs two DNS-1123 labels: must be a non-empty DNS-1123 label (got "/x"; "mesh", "name" or "namespace/name")',
    'error IST0106 VirtualService.spec.tcp[0].route: a TCP rule needs a route (got []; at least one destination)',
  ],
  'reachability': [
    'info IST0131 VirtualService.spec.http[1].match[0]: this match repeats one of the earlier rule "api" and never applies here (got {"uri":{"prefix":"/api"},"name":"other-name"})',
    'warning IST0130 VirtualService.spec.http[1]: rule "dup" is unreachable: earlier rules catch every request it matches (got [{"uri":{"prefix":"/api"},"name":"other-name"}]; remove the rule or move it before the rules that shadow it)',
    'warning IST0130 VirtualService.spec.http[4]: rule "after" is unreachable: the earlier rule "all" has no match and catches everything (got [{"uri":{"prefix":"/late"}}]; only the last rule may omit match; move the catch-all rule to the end)',
    'info IST0131 VirtualService.spec.http[2].match[0]: this match is covered by the URI prefix match "/api" of the earlier rule "api" and never applies here (got {"uri":{"prefix":"/api/v1"}})',
  ],
  'prefix covered inside one rule (a match without method counts as GET)': [
    'info IST0131 VirtualService.spec.http[0].match[1]: this match is covered by the URI prefix match "/api/v1/product" of an earlier match of this rule and never applies here (got {"uri":{"prefix":"/api/v1/products"},"method":{"exact":"GET"}})',
  ],
  'an exact URI is not compared with a prefix': [],
  'prefix covered by an earlier rule: ineffective, not unreachable': [
    'info IST0131 VirtualService.spec.http[1].match[0]: this match is covered by the URI prefix match "/api/v1/product" of the earlier rule "product" and never applies here (got {"uri":{"prefix":"/api/v1/products"},"method":{"exact":"GET"}})',
  ],
  'prefix covered with the same method only': [
    'info IST0131 VirtualService.spec.http[1].match[0]: this match is covered by the URI prefix match "/api/v1/prod" of the earlier rule "prod" and never applies here (got {"uri":{"prefix":"/api/v1/product"},"method":{"exact":"GET"}})',
  ],
  'reachability tcp': [
    'info IST0131 VirtualService.spec.tcp[1].match[0]: this match repeats one of the earlier rule spec.tcp[0] and never applies here (got {"port":1})',
    'warning IST0130 VirtualService.spec.tcp[1]: rule spec.tcp[1] is unreachable: earlier rules catch every request it matches (got [{"port":1}]; remove the rule or move it before the rules that shadow it)',
  ],
};

describe('VirtualService webhook rules', () => {
  test.each(CASES.map(([title, spec]) => [title, spec]))('%s', (title, spec) => {
    expect(diagnose(spec)).toEqual(EXPECTED[title as string]);
  });
});

describe('VirtualService rules at synth', () => {
  test('an engine finding fails synth with the construct path; the construct does not re-check it', () => {
    const { chart } = chartIn('shop');
    const vs = new VirtualService(chart, 'vs', { hosts: [Host.fromName('*')] });
    vs.addHttpRoute('all', { to: [RouteDestination.to(Host.fromName('a'))] });
    vs.addHttpRoute('late', { match: [HttpMatch.port(80)], to: [RouteDestination.to(Host.fromName('a'))] });
    const err = synthError(chart);
    expect(err).toContain('[test/vs] IST0106 Schema validation error: VirtualService.spec.hosts[0]: the host "*" is not allowed when the VirtualService applies to the mesh (got "*"; bind it to gateways only, or name the hosts)');
    expect(err).toContain('[test/vs] IST0130 VirtualService rule late not used (only the last rule can have no matches). VirtualService.spec.http[1]: rule "late" is unreachable: the earlier rule "all" has no match and catches everything (got [{"port":80}]; only the last rule may omit match; move the catch-all rule to the end)');
  });

  test('IST0130 can be suppressed for an app', () => {
    const { app, chart } = chartIn('shop');
    IstioAnalysis.of(app).suppress('IST0130');
    const vs = new VirtualService(chart, 'vs', { hosts: [Host.fromName('a')] });
    vs.addHttpRoute('all', { to: [RouteDestination.to(Host.fromName('a'))] });
    vs.addHttpRoute('late', { match: [HttpMatch.port(80)], to: [RouteDestination.to(Host.fromName('a'))] });
    expect(synthError(chart)).toBeUndefined();
  });
});
