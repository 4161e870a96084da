// The shared value rules of rules/common.ts (VALIDATION-RULES.md section 1), run through the engine on plain
// manifests: a probe rule hands `spec.value` to one helper, so each case asserts the exact diagnostics a
// later kind will produce, and that the closest valid value produces none.
import { Diagnostic } from '../../src/analysis/diagnostic';
import { ObjectRule, Reporter, runAnalysis } from '../../src/analysis/engine';
import { detailWithFix } from '../../src/analysis/messages';
import {
  validateBind, validateDuration, validateExportTo, validateGatewayRef, validateHeaderOpName, validateHeaderValue,
  validateDestinationHost, validateIpOrCidr, validateLabels, validateMatchHeaderName, validateNamespacedHost, validatePort,
  validatePortName, validateProtocol, validateRegex, validateWorkloadSelector,
} from '../../src/analysis/rules/common';

type Helper = (report: Reporter, field: string, value: any) => void;

interface Finding { code: string; level: string; field?: string; message: string }

/** Diagnostics of `helper` on `value`, as a rule of a ServiceEntry would report them. */
function run(helper: Helper, value: any): Finding[] {
  const probe: ObjectRule = {
    kinds: ['networking.istio.io/ServiceEntry'],
    check: (obj, report) => helper(report, 'spec.value', obj.spec.value),
  };
  const obj = { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'x', namespace: 'shop' }, spec: { value } };
  // The probe object is not a real ServiceEntry, so the schema check stays out of the way.
  return runAnalysis([{ object: obj }], {}, { kinds: [], check: () => undefined }, [probe], [])
    .map((d: Diagnostic) => ({ code: d.code, level: d.level, field: d.field, message: detailWithFix(d) }));
}
const err = (rest: string, field = 'spec.value'): Finding => ({ code: 'IST0106', level: 'error', field, message: `ServiceEntry.${field}: ${rest}` });
const warn = (rest: string, field = 'spec.value'): Finding => ({ code: 'IST0133', level: 'warning', field, message: `ServiceEntry.${field}: ${rest}` });

describe('durations', () => {
  const d: Helper = (r, f, v) => validateDuration(r, f, v);
  test.each(['1ms', '250ms', '5s', '1h30m', '2.5s', '1000us'])('%s passes', v => expect(run(d, v)).toEqual([]));
  test.each([
    ['1500us', 'a duration must be a whole number of milliseconds (got "1500us"; e.g. "250ms" or "5s")'],
    ['0s', 'a duration must be at least 1ms (got "0s"; e.g. "250ms" or "5s")'],
    ['500us', 'a duration must be at least 1ms (got "500us"; e.g. "250ms" or "5s")'],
    ['-1s', 'a duration must be a Go duration such as "250ms", "5s" or "1h30m" (got "-1s"; e.g. "250ms" or "5s")'],
    ['1d', 'a duration must be a Go duration such as "250ms", "5s" or "1h30m" (got "1d"; e.g. "250ms" or "5s")'],
  ])('%s is rejected', (v, msg) => expect(run(d, v)).toEqual([err(msg)]));
  test('0s means disabled where allowed; whole seconds where required', () => {
    expect(run((r, f, v) => validateDuration(r, f, v, { allowZero: true }), '0s')).toEqual([]);
    expect(run((r, f, v) => validateDuration(r, f, v, { allowZero: true }), '0.5ms')).toEqual([err('a duration must be at least 1ms (got "0.5ms"; "0s" (disabled) or e.g. "250ms", "5s")')]);
    expect(run((r, f, v) => validateDuration(r, f, v, { wholeSeconds: true }), '60s')).toEqual([]);
    expect(run((r, f, v) => validateDuration(r, f, v, { wholeSeconds: true }), '1500ms')).toEqual([err('a duration must be a whole number of seconds (got "1500ms"; whole seconds, e.g. "60s")')]);
    expect(run(d, undefined)).toEqual([]);
  });
});

describe('regexes (RE2)', () => {
  const ALLOWED = 'an RE2 regular expression (no lookaround or backreferences), at most 1024 bytes';
  test.each(['^/api/v[0-9]+', '(?P<id>[a-z]+)', '(?i)bearer .*', '\\pL+', '[[:alpha:]]+\\z', 'a{1000}'])('%s compiles', v => expect(run(validateRegex, v)).toEqual([]));
  test.each([
    ['a(?=b)', 'the regex is not valid RE2: error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['(a)\\1', 'the regex is not valid RE2: error parsing regexp: invalid escape sequence: `\\1`'],
    ['x*+', 'the regex is not valid RE2: error parsing regexp: invalid nested repetition operator: `*+`'],
    ['a{1001}', 'the regex is not valid RE2: error parsing regexp: invalid repeat count: `{1001}`'],
    ['', 'a regex must not be empty'],
  ])('%s is rejected', (v, problem) => expect(run(validateRegex, v)).toEqual([err(`${problem} (got ${JSON.stringify(v)}; ${ALLOWED})`)]));
  test('a regex that is not a string is the schema\'s to report', () => expect(run(validateRegex, 7)).toEqual([]));
  test('the 1024 limit counts UTF-8 bytes, as Go does', () => {
    expect(run(validateRegex, 'a'.repeat(1024))).toEqual([]);
    const long = 'é'.repeat(513);
    expect(run(validateRegex, long).map(f => f.message.split(' (got')[0])).toEqual(['ServiceEntry.spec.value: a regex must be at most 1024 bytes']);
  });
});

describe('header names and values', () => {
  test.each(['x-user', ':authority', '@request.auth.claims.group', '@request.auth.claims[a][b]'])('match key %s passes', v => expect(run(validateMatchHeaderName, v)).toEqual([]));
  test('a match key with a space is rejected', () => {
    expect(run(validateMatchHeaderName, 'x user')).toEqual([err('a header name must be an RFC 7230 token, a pseudo-header (:method, :scheme, :authority, :path, :status) or a JWT claim (@request.auth.claims.<name>) (got "x user")')]);
    expect(run(validateMatchHeaderName, ':host')).toHaveLength(1);
  });
  test.each(['100%%', '%HOSTNAME%', '%REQ(x-id)%', 'a\tb', '%START_TIME(%s)%'])('value %s passes', v => expect(run(validateHeaderValue, v)).toEqual([]));
  test.each([
    ['abc%123', 'a "%" in a header value must be "%%" or start an Envoy variable such as %HOSTNAME% or %REQ(x-id)%'],
    ['a\nb', 'a header value must not contain control characters (TAB is allowed)'],
  ])('value %j is rejected', (v, problem) => expect(run(validateHeaderValue, v)).toEqual([err(`${problem} (got ${JSON.stringify(v)}; printable text; "%%" for a literal "%")`)]));

  const op = (direction: 'request' | 'response', o: 'add' | 'set' | 'remove'): Helper => (r, f, v) => validateHeaderOpName(r, f, v, { direction, op: o });
  test('requests may set :authority and Host, nothing else pseudo', () => {
    expect(run(op('request', 'set'), ':authority')).toEqual([]);
    expect(run(op('request', 'add'), 'Host')).toEqual([]);
    expect(run(op('request', 'set'), ':path')).toEqual([err('pseudo-headers cannot be set, except :authority (got ":path"; a regular header name, :authority or Host)')]);
    expect(run(op('request', 'set'), '')).toEqual([err('a header name must not be empty (got "")')]);
  });
  test('request remove and response operations may not touch Host or pseudo-headers', () => {
    expect(run(op('request', 'remove'), 'x-debug')).toEqual([]);
    expect(run(op('request', 'remove'), 'HOST')).toEqual([err('request remove operations cannot touch Host or pseudo-headers (got "HOST"; a regular header name)')]);
    expect(run(op('response', 'set'), ':status')).toEqual([err('response operations cannot touch Host or pseudo-headers (got ":status"; a regular header name)')]);
  });
});

describe('exportTo', () => {
  const vs: Helper = (r, f, v) => validateExportTo(r, f, v, { ownNamespace: 'shop' });
  const se: Helper = (r, f, v) => validateExportTo(r, f, v, { ownNamespace: 'shop', allowTilde: true });
  test('valid lists', () => {
    expect(run(vs, ['.', 'istio-system'])).toEqual([]);
    expect(run(vs, ['*'])).toEqual([]);
    expect(run(se, ['~'])).toEqual([]);
  });
  test('"~" only on ServiceEntry, and alone', () => {
    expect(run(vs, ['~'])).toEqual([err('"~" (export to no one) is allowed only on ServiceEntry (got "~"; ".", "*" or a namespace)', 'spec.value[0]')]);
    expect(run(se, ['~', 'a'])).toEqual([err('"~" must be the only exportTo entry (got ["~","a"]; ["~"] alone, or a list of namespaces)')]);
  });
  test('"*" alone, no duplicates ("." is the own namespace), DNS labels', () => {
    expect(run(vs, ['*', 'a'])).toEqual([err('"*" must be the only exportTo entry (got ["*","a"]; ["*"] alone, or a list of namespaces)')]);
    expect(run(vs, ['.', 'shop'])).toEqual([err('duplicate exportTo entry ("." and the own namespace count as the same) (got "shop")', 'spec.value[1]')]);
    expect(run(vs, ['a.b'])).toEqual([err('an exportTo namespace must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit (got "a.b"; ".", "*" or a namespace)', 'spec.value[0]')]);
  });
});

describe('gateway references', () => {
  const ALLOWED = '"mesh", "name" or "namespace/name"';
  test.each(['mesh', 'shop/public', 'public'])('%s passes', v => expect(run(validateGatewayRef, v)).toEqual([]));
  test('the legacy name.namespace form is a warning', () => {
    expect(run(validateGatewayRef, 'public.shop')).toEqual([warn('the "name.namespace" gateway form is deprecated (got "public.shop"; write "shop/public")')]);
  });
  test('bad references', () => {
    expect(run(validateGatewayRef, 'shop/')).toEqual([err(`a gateway reference "namespace/name" needs two DNS-1123 labels: must be a non-empty DNS-1123 label (got "shop/"; ${ALLOWED})`)]);
    expect(run(validateGatewayRef, 'pub_lic')).toEqual([err(`an invalid gateway reference: must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit (got "pub_lic"; ${ALLOWED})`)]);
    expect(run(validateGatewayRef, 'a..b')).toEqual([err(`an invalid gateway reference: must be a non-empty DNS-1123 label (got "a..b"; ${ALLOWED})`)]);
  });
});

describe('labels and workload selectors', () => {
  test('label maps', () => {
    expect(run(validateLabels, { 'app.kubernetes.io/name': 'shop', 'version': '' })).toEqual([]);
    expect(run(validateLabels, { app: 'a*' })).toEqual([err('a label value must be empty or at most 63 characters, alphanumeric at both ends, with "-", "_" or "." inside (got "a*"; Kubernetes label syntax without "*")', 'spec.value.app')]);
    expect(run(validateLabels, { 'Bad.Prefix/x': 'a' })).toEqual([err('label key prefix "Bad.Prefix" must be a DNS subdomain (got "a"; Kubernetes label syntax without "*")', 'spec.value.Bad.Prefix/x')]);
  });
  test('selectors: no wildcards, and empty is a warning', () => {
    expect(run(validateWorkloadSelector, { app: 'shop' })).toEqual([]);
    expect(run(validateWorkloadSelector, {})).toEqual([warn('a selector without labels selects every workload in the namespace (got {}; set labels, or drop the selector to mean the namespace)')]);
    expect(run(validateWorkloadSelector, { 'app*': 'x', 'v': 'y*' })).toEqual([
      err('a selector key must be non-empty and without "*" (got "app*")', 'spec.value.app*'),
      err('a selector value must not contain "*" (got "y*"; an exact label value)', 'spec.value.v'),
    ]);
  });
});

describe('ports and protocols', () => {
  test('port numbers', () => {
    expect(run(validatePort, 1)).toEqual([]);
    expect(run(validatePort, 65535)).toEqual([]);
    expect(run(validatePort, undefined)).toEqual([]);
    expect(run(validatePort, 0)).toEqual([err('a port must be an integer from 1 to 65535 (got 0)')]);
    expect(run(validatePort, 65536)).toEqual([err('a port must be an integer from 1 to 65535 (got 65536)')]);
    expect(run(validatePort, '80')).toEqual([err('a port must be an integer from 1 to 65535 (got "80")')]);
    expect(run((r, f, v) => validatePort(r, f, v, '0 with a unix:// bind'), 70000)).toEqual([err('a port must be an integer from 1 to 65535 (got 70000; 0 with a unix:// bind)')]);
  });
  test('port names: required for Gateway, DNS labels for ServiceEntry/Sidecar', () => {
    const gw: Helper = (r, f, v) => validatePortName(r, f, v, { required: true });
    const se: Helper = (r, f, v) => validatePortName(r, f, v, { dns1123: true });
    expect(run(gw, 'HTTP_1')).toEqual([]);
    expect(run(gw, undefined)).toEqual([err('a port needs a name (got ""; e.g. "http" or "https-443")')]);
    expect(run(se, undefined)).toEqual([]);
    expect(run(se, 'http-web')).toEqual([]);
    expect(run(se, 'http_web')).toEqual([err('a port name must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit (got "http_web")')]);
  });
  test('protocols are case-insensitive; empty is sniffing where allowed', () => {
    const names = 'HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, HTTP_PROXY, TCP, TLS, MONGO, REDIS, MYSQL, UDP';
    expect(run(validateProtocol, 'grpc-web')).toEqual([]);
    expect(run(validateProtocol, 'HTTP3')).toEqual([err(`unknown protocol (got "HTTP3"; ${names})`)]);
    expect(run(validateProtocol, '')).toEqual([err(`a protocol is required (got ""; ${names})`)]);
    expect(run((r, f, v) => validateProtocol(r, f, v, { allowEmpty: true }), '')).toEqual([]);
  });
});

describe('hosts and addresses', () => {
  test('Sidecar egress hosts: namespace/host required, "~" allowed, no IPs, no short names', () => {
    const sc: Helper = (r, f, v) => validateNamespacedHost(r, f, v, 'sidecar');
    const allowed = '"namespace/host" with namespace "*", ".", "~" or a namespace and host "*", "*.example.com" or "shop.example.com"';
    expect(run(sc, '~/*')).toEqual([]);
    expect(run(sc, 'istio-system/*.example.com')).toEqual([]);
    expect(run(sc, 'a.example.com')).toEqual([err(`a host must have the form namespace/host (got "a.example.com"; ${allowed})`)]);
    expect(run(sc, './10.0.0.1')).toEqual([err(`the last label of a hostname must not be all digits (IP addresses are not hostnames) (got "./10.0.0.1"; ${allowed})`)]);
    expect(run(sc, './reviews')).toEqual([err(`short name "reviews" is not allowed: the host part must be "*" or contain a dot (got "./reviews"; ${allowed})`)]);
    expect(run(sc, '*/*x.example.com')).toEqual([err(`partial wildcard "*x.example.com" is not allowed: a wildcard must be "*" or a "*." prefix (got "*/*x.example.com"; ${allowed})`)]);
  });
  test('destination hosts: short names, FQDNs and wildcards, never IPs', () => {
    const FORMS = 'a short name ("reviews"), an FQDN ("reviews.shop.svc.cluster.local") or a wildcard domain ("*.example.com")';
    expect(run(validateDestinationHost, 'reviews')).toEqual([]);
    expect(run(validateDestinationHost, 'reviews.shop.svc.cluster.local')).toEqual([]);
    expect(run(validateDestinationHost, '*.example.com')).toEqual([]);
    expect(run(validateDestinationHost, 42)).toEqual([]);
    expect(run(validateDestinationHost, '10.0.0.1')).toEqual([err(`a host must be a hostname, not an IP address (got "10.0.0.1"; ${FORMS})`)]);
    expect(run(validateDestinationHost, '2001:db8::1')).toEqual([err(`a host must be a hostname, not an IP address (got "2001:db8::1"; ${FORMS})`)]);
    expect(run(validateDestinationHost, 'Reviews_v1')).toHaveLength(1);
  });
  test('binds', () => {
    expect(run(validateBind, '0.0.0.0')).toEqual([]);
    expect(run(validateBind, 'unix://@envoy')).toEqual([]);
    expect(run(validateBind, '10.0.0.256')).toEqual([err('bind must be an IP address or a unix:// socket (got "10.0.0.256"; e.g. 10.0.0.1 or unix:///var/run/gw.sock)')]);
  });
  test('IPs and CIDRs', () => {
    expect(run(validateIpOrCidr, '10.0.0.0/8')).toEqual([]);
    expect(run(validateIpOrCidr, '2001:db8::/32')).toEqual([]);
    expect(run(validateIpOrCidr, '10.0.0.1')).toEqual([]);
    expect(run(validateIpOrCidr, '10.0.0.0/33')).toEqual([err('an address must be a valid CIDR prefix, e.g. 10.0.0.0/16 (got "10.0.0.0/33"; e.g. 10.0.0.1, 10.0.0.0/16 or 2001:db8::/32)')]);
    expect(run(validateIpOrCidr, 'example.com')).toEqual([err('an address must be an IP address or CIDR prefix (got "example.com"; e.g. 10.0.0.1, 10.0.0.0/16 or 2001:db8::/32)')]);
  });
});
