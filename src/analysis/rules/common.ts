// The value rules that istiod applies in the same way to several kinds (VALIDATION-RULES.md section 1):
// durations, regexes, header names and values, exportTo, gateway references, label maps and workload
// selectors, protocols, ports and port names, server hosts, binds, IPs and CIDRs.
// Two layers: `check*`/`parse*` predicates return undefined when the value is fine, else what is wrong (the
// grammars themselves live in core/validate.ts, shared with the constructs); `validate*(report, field, value)`
// report IST0106 (rejected by the webhook) or IST0133 (admitted with a warning) themselves. A `validate*`
// helper ignores values of the wrong type: the schema check reports those and keeps the object from here.
import { parseGoDuration } from '../../core/duration';
import {
  checkDns1123Label, checkIpOrCidr, checkLabels, checkNamespacedHost, checkPort, checkUnixAddress,
  checkWildcardDomain, isIP,
} from '../../core/validate';
import { Protocol } from '../../networking/protocol';
import { Reporter } from '../engine';
import { Messages } from '../messages';
import { isObj } from '../objects';

// RE2 is loaded on the first regex checked, not when cdk8s-istio is required.
type Re2Lib = typeof import('@bufbuild/re2');
let re2Lib: Re2Lib | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const re2 = (): Re2Lib => (re2Lib ??= require('@bufbuild/re2'));


// ---------------------------------------------------------------------------------------------- durations

/** Options of a duration field. */
interface DurationOptions {
  /** `0s` means "disabled" (connectionPool.tcp.idleTimeout). */
  readonly allowZero?: boolean;
  /** corsPolicy.maxAge. */
  readonly wholeSeconds?: boolean;
}

/** Istio's ValidateDuration: at least 1ms and a whole number of milliseconds. @internal */
export function checkDuration(value: unknown, opts: DurationOptions = {}): string | undefined {
  if (typeof value !== 'string') return 'must be a duration string such as "250ms" or "5s"';
  const ns = parseGoDuration(value);
  if (ns === undefined) return 'must be a Go duration such as "250ms", "5s" or "1h30m"';
  if (opts.allowZero && ns === 0) return undefined;
  if (ns < 1e6) return 'must be at least 1ms';
  if (Math.round(ns) % 1e6 !== 0) return 'must be a whole number of milliseconds';
  if (opts.wholeSeconds && Math.round(ns) % 1e9 !== 0) return 'must be a whole number of seconds';
  return undefined;
}

/** A duration field; absent is fine. @internal */
export function validateDuration(report: Reporter, field: string, value: unknown, opts: DurationOptions = {}): void {
  if (value === undefined || value === null) return;
  const err = checkDuration(value, opts);
  if (!err) return;
  const allowed = opts.allowZero ? '"0s" (disabled) or e.g. "250ms", "5s"' : opts.wholeSeconds ? 'whole seconds, e.g. "60s"' : 'e.g. "250ms" or "5s"';
  report(Messages.SchemaValidationError, { field, problem: `a duration ${err}`, got: value, fix: allowed });
}

// ------------------------------------------------------------------------------------------------- regexes

// Go's regexp limit that istiod applies, counted in UTF-8 bytes as Go's len() does.
const MAX_REGEX_BYTES = 1024;

/**
 * Go `regexp` (RE2) syntax, compiled with an RE2 port so that lookaround, backreferences and possessive
 * quantifiers fail as they do in istiod, and RE2-only syntax (`(?P<n>)`, `\z`, `[[:alpha:]]`) passes.
 */
function checkRegex(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'a regex must not be empty';
  if (Buffer.byteLength(value, 'utf8') > MAX_REGEX_BYTES) return `a regex must be at most ${MAX_REGEX_BYTES} bytes`;
  try {
    new (re2().RE2JS)(value);
  } catch (e) {
    return `the regex is not valid RE2: ${(e as Error).message}`;
  }
  return undefined;
}

/** A regex field (StringMatch regex, CORS origin regex, uriRegexRewrite match); a non-string is the schema's. @internal */
export function validateRegex(report: Reporter, field: string, value: unknown): void {
  if (typeof value !== 'string') return;
  const err = checkRegex(value);
  if (err) report(Messages.SchemaValidationError, { field, problem: err, got: value, fix: 'an RE2 regular expression (no lookaround or backreferences), at most 1024 bytes' });
}

// ------------------------------------------------------------------------------------------------- headers

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PSEUDO = new Set([':method', ':scheme', ':authority', ':path', ':status']);

/** True for a JWT-claim match key. @internal */
export function isJwtClaimKey(name: string): boolean {
  return name.startsWith('@request.auth.claims.') || name.startsWith('@request.auth.claims[');
}

/** A header name usable as a match key (headers, withoutHeaders). */
function checkMatchHeaderName(name: string): string | undefined {
  if (TOKEN.test(name) || PSEUDO.has(name) || isJwtClaimKey(name)) return undefined;
  return 'a header name must be an RFC 7230 token, a pseudo-header (:method, :scheme, :authority, :path, :status) or a JWT claim (@request.auth.claims.<name>)';
}

/** A header match key. @internal */
export function validateMatchHeaderName(report: Reporter, field: string, name: unknown): void {
  if (typeof name !== 'string') return;
  const err = checkMatchHeaderName(name);
  if (err) report(Messages.SchemaValidationError, { field, problem: err, got: name });
}

/** A header value Envoy accepts: no control characters but TAB, `%` only as `%%` or an Envoy `%VARIABLE%`. */
function checkHeaderValue(value: string): string | undefined {
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) return 'a header value must not contain control characters (TAB is allowed)';
  let i = 0;
  while ((i = value.indexOf('%', i)) >= 0) {
    if (value[i + 1] === '%') { i += 2; continue; }
    const m = /^%[A-Za-z_][A-Za-z0-9_]*(\((\[[^\]]*\]|[^)]*)\))?(:[0-9]+)?%/.exec(value.slice(i));
    if (!m) return 'a "%" in a header value must be "%%" or start an Envoy variable such as %HOSTNAME% or %REQ(x-id)%';
    i += m[0].length;
  }
  return undefined;
}

/** A header value of a header operation (add/set). @internal */
export function validateHeaderValue(report: Reporter, field: string, value: unknown): void {
  if (typeof value !== 'string') return;
  const err = checkHeaderValue(value);
  if (err) report(Messages.SchemaValidationError, { field, problem: err, got: value, fix: 'printable text; "%%" for a literal "%"' });
}

/** Where a header operation applies, which decides the names it may touch. */
interface HeaderOperation {
  readonly direction: 'request' | 'response';
  readonly op: 'add' | 'set' | 'remove';
}

/**
 * The name of a header operation. Rewriting the authority is allowed on requests (`:authority`, `Host`);
 * removing it, or touching pseudo-headers anywhere else, would break the request or response.
 * @internal
 */
export function validateHeaderOpName(report: Reporter, field: string, name: unknown, where: HeaderOperation): void {
  if (typeof name !== 'string') return;
  if (name === '') { report(Messages.SchemaValidationError, { field, problem: 'a header name must not be empty', got: name }); return; }
  const lower = name.toLowerCase();
  if (where.direction === 'request' && where.op !== 'remove') {
    if (name.startsWith(':') && lower !== ':authority') report(Messages.SchemaValidationError, { field, problem: 'pseudo-headers cannot be set, except :authority', got: name, fix: 'a regular header name, :authority or Host' });
    return;
  }
  if (name.startsWith(':') || lower === 'host') {
    report(Messages.SchemaValidationError, { field, problem: `${where.direction === 'request' ? 'request remove' : 'response'} operations cannot touch Host or pseudo-headers`, got: name, fix: 'a regular header name' });
  }
}

// -------------------------------------------------------------------------------------------- references

/** Options of exportTo. */
interface ExportToOptions {
  /** The object's namespace: `.` and its name count as the same entry. */
  readonly ownNamespace: string;
  /** ServiceEntry only: `~` (export to no one), as the sole entry. */
  readonly allowTilde?: boolean;
}

/** exportTo of a VirtualService, DestinationRule or ServiceEntry. @internal */
export function validateExportTo(report: Reporter, field: string, exportTo: unknown, opts: ExportToOptions): void {
  if (!Array.isArray(exportTo)) return;
  const allowed = opts.allowTilde ? '".", "*", "~" or a namespace' : '".", "*" or a namespace';
  const seen = new Set<string>();
  exportTo.forEach((e, i) => {
    const f = `${field}[${i}]`;
    if (typeof e !== 'string') return;
    if (e === '~' && !opts.allowTilde) {
      report(Messages.SchemaValidationError, { field: f, problem: '"~" (export to no one) is allowed only on ServiceEntry', got: e, fix: allowed });
      return;
    }
    if (e !== '.' && e !== '*' && e !== '~') {
      const err = checkDns1123Label(e);
      if (err) { report(Messages.SchemaValidationError, { field: f, problem: `an exportTo namespace ${err}`, got: e, fix: allowed }); return; }
    }
    const key = e === opts.ownNamespace ? '.' : e;
    if (seen.has(key)) report(Messages.SchemaValidationError, { field: f, problem: 'duplicate exportTo entry ("." and the own namespace count as the same)', got: e });
    seen.add(key);
  });
  for (const only of ['*', '~']) {
    if (exportTo.includes(only) && exportTo.length > 1 && (only === '*' || opts.allowTilde)) {
      report(Messages.SchemaValidationError, { field, problem: `"${only}" must be the only exportTo entry`, got: exportTo, fix: `["${only}"] alone, or a list of namespaces` });
    }
  }
}

/** A gateway reference: `mesh`, `ns/name`, a bare name, or the legacy `name.ns` (a warning). @internal */
export function validateGatewayRef(report: Reporter, field: string, ref: unknown): void {
  if (typeof ref !== 'string') return;
  if (ref === 'mesh') return;
  const allowed = '"mesh", "name" or "namespace/name"';
  const slash = ref.indexOf('/');
  if (slash >= 0) {
    const err = checkDns1123Label(ref.slice(0, slash)) ?? checkDns1123Label(ref.slice(slash + 1));
    if (err) report(Messages.SchemaValidationError, { field, problem: `a gateway reference "namespace/name" needs two DNS-1123 labels: ${err}`, got: ref, fix: allowed });
    return;
  }
  if (ref.includes('.')) {
    const bad = ref.split('.').map(checkDns1123Label).find(Boolean);
    if (bad) { report(Messages.SchemaValidationError, { field, problem: `an invalid gateway reference: ${bad}`, got: ref, fix: allowed }); return; }
    const dot = ref.indexOf('.');
    report(Messages.SchemaWarning, { field, problem: 'the "name.namespace" gateway form is deprecated', got: ref, fix: `write "${ref.slice(dot + 1)}/${ref.slice(0, dot)}"` });
    return;
  }
  const err = checkDns1123Label(ref);
  if (err) report(Messages.SchemaValidationError, { field, problem: `an invalid gateway reference: ${err}`, got: ref, fix: allowed });
}

// ------------------------------------------------------------------------------------- labels, selectors

/** A label map (sourceLabels, subset labels, endpoint labels); reports the first bad entry. @internal */
export function validateLabels(report: Reporter, field: string, labels: unknown): void {
  if (!isObj(labels)) return;
  const bad = checkLabels(labels as Record<string, string>);
  if (bad) report(Messages.SchemaValidationError, { field: `${field}.${bad[0]}`, problem: bad[1], got: labels[bad[0]], fix: 'Kubernetes label syntax without "*"' });
}

/**
 * A workload selector's label map: `selector.matchLabels` (security, telemetry, extensions, DestinationRule)
 * or `workloadSelector.labels` (Sidecar, ServiceEntry, EnvoyFilter). `field` is the map's path. A selector
 * that is present but empty selects the whole namespace, which istiod admits with a warning.
 * @internal
 */
export function validateWorkloadSelector(report: Reporter, field: string, labels: unknown): void {
  if (labels !== undefined && labels !== null && !isObj(labels)) return;
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) {
    report(Messages.SchemaWarning, { field, problem: 'a selector without labels selects every workload in the namespace', got: labels ?? {}, fix: 'set labels, or drop the selector to mean the namespace' });
    return;
  }
  for (const [k, v] of entries) {
    if (k === '' || k.includes('*')) report(Messages.SchemaValidationError, { field: `${field}.${k}`, problem: 'a selector key must be non-empty and without "*"', got: k });
    if (typeof v === 'string' && v.includes('*')) report(Messages.SchemaValidationError, { field: `${field}.${k}`, problem: 'a selector value must not contain "*"', got: v, fix: 'an exact label value' });
  }
}

// ------------------------------------------------------------------------------------------------ percents

/** A Percent{value} of a fault: 0, or 0.0001..100. @internal */
export function checkFaultPercent(value: unknown): string | undefined {
  if (typeof value !== 'number') return undefined;
  if (value === 0) return undefined;
  if (value < 0.0001 || value > 100) return 'a fault percentage must be 0 or between 0.0001 and 100';
  return undefined;
}

// -------------------------------------------------------------------------------------- ports, protocols

// The constructs' enum is the one list of Istio's protocol names.
const PROTOCOLS: string[] = Object.values(Protocol);

/** Istio's protocol names, parsed case-insensitively; undefined when unknown. @internal */
export function parseProtocol(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const upper = value.toUpperCase();
  return PROTOCOLS.includes(upper) ? upper : undefined;
}

/** The allowed protocol names, for messages. @internal */
export const PROTOCOL_NAMES = PROTOCOLS.join(', ');

const HTTP_FAMILY = new Set<string>([Protocol.HTTP, Protocol.HTTP2, Protocol.HTTP_PROXY, Protocol.GRPC, Protocol.GRPC_WEB]);

/** HTTP, HTTP2, HTTP_PROXY, GRPC, GRPC-WEB (Istio's `IsHTTP`). @internal */
export function isHttpFamily(protocol: string | undefined): boolean {
  return protocol !== undefined && HTTP_FAMILY.has(protocol);
}

/** HTTPS, TLS (Istio's `IsTLS`). @internal */
export function isTlsFamily(protocol: string | undefined): boolean {
  return protocol === 'HTTPS' || protocol === 'TLS';
}

/**
 * A port protocol; returns the parsed (upper-case) name or undefined. Gateway requires one; ServiceEntry and
 * Sidecar take an empty or missing protocol as "sniff".
 * @internal
 */
export function validateProtocol(report: Reporter, field: string, value: unknown, opts: { allowEmpty?: boolean } = {}): string | undefined {
  if ((value === undefined || value === '') && opts.allowEmpty) return undefined;
  const parsed = parseProtocol(value);
  if (!parsed) report(Messages.SchemaValidationError, { field, problem: value === undefined || value === '' ? 'a protocol is required' : 'unknown protocol', got: value ?? '', fix: PROTOCOL_NAMES });
  return parsed;
}

/**
 * A port number 1..65535 wherever Istio uses one; absent is fine. The problem names the range, so the fix is
 * only given where a field has more to say (a Gateway's port 0 with a unix:// bind).
 * @internal
 */
export function validatePort(report: Reporter, field: string, value: unknown, fix?: string): void {
  if (value === undefined || value === null) return;
  const err = checkPort(value);
  if (err) report(Messages.SchemaValidationError, { field, problem: err, got: value, fix });
}

/**
 * A port name. Gateway only requires one (`dns1123: false`); ServiceEntry, WorkloadEntry and Sidecar want a
 * DNS-1123 label when it is set.
 * @internal
 */
export function validatePortName(report: Reporter, field: string, value: unknown, opts: { required?: boolean; dns1123?: boolean }): void {
  if (value === undefined || value === '') {
    if (opts.required) report(Messages.SchemaValidationError, { field, problem: 'a port needs a name', got: value ?? '', fix: 'e.g. "http" or "https-443"' });
    return;
  }
  if (typeof value !== 'string') return;
  const err = opts.dns1123 ? checkDns1123Label(value) : undefined;
  if (err) report(Messages.SchemaValidationError, { field, problem: `a port name ${err}`, got: value });
}

// ------------------------------------------------------------------------------------- hosts, addresses

/**
 * A `[namespace/]host` entry of a Gateway server (`gateway`: the namespace part is optional, IPs with dots
 * pass) or of a Sidecar egress listener (`sidecar`: `namespace/host` required, `~` allowed, no IPs).
 * @internal
 */
export function validateNamespacedHost(report: Reporter, field: string, value: unknown, flavor: 'gateway' | 'sidecar'): void {
  if (typeof value !== 'string') return;
  const err = checkNamespacedHost(value, flavor);
  if (!err) return;
  const ns = flavor === 'gateway' ? '[namespace/]' : 'namespace/';
  const nsParts = flavor === 'gateway' ? '"*", "." or a namespace' : '"*", ".", "~" or a namespace';
  const hostParts = flavor === 'gateway' ? '"*", "*.example.com", "shop.example.com" or an IPv4 address' : '"*", "*.example.com" or "shop.example.com"';
  report(Messages.SchemaValidationError, { field, problem: err, got: value, fix: `"${ns}host" with namespace ${nsParts} and host ${hostParts}` });
}

/**
 * A destination host (DestinationRule `host`, a route's `destination.host`): a short name, an FQDN or a
 * wildcard domain, never an IP address.
 * @internal
 */
export function validateDestinationHost(report: Reporter, field: string, value: unknown): void {
  if (typeof value !== 'string') return;
  const err = isIP(value) ? 'a host must be a hostname, not an IP address' : checkWildcardDomain(value);
  if (err) report(Messages.SchemaValidationError, { field, problem: err, got: value, fix: 'a short name ("reviews"), an FQDN ("reviews.shop.svc.cluster.local") or a wildcard domain ("*.example.com")' });
}

/** A bind address of a Gateway server or Sidecar listener: an IP, or `unix://` with a file path or @name. @internal */
export function validateBind(report: Reporter, field: string, bind: unknown): void {
  if (typeof bind !== 'string' || bind === '') return;
  if (bind.startsWith('unix://')) {
    const err = checkUnixAddress(bind.slice('unix://'.length));
    if (err) report(Messages.SchemaValidationError, { field, problem: err, got: bind, fix: 'e.g. unix:///var/run/gw.sock or unix://@gw' });
    return;
  }
  if (!isIP(bind)) report(Messages.SchemaValidationError, { field, problem: 'bind must be an IP address or a unix:// socket', got: bind, fix: 'e.g. 10.0.0.1 or unix:///var/run/gw.sock' });
}

/** True when a bind is a unix domain socket (then the port number is 0). @internal */
export function isUnixBind(bind: unknown): boolean {
  return typeof bind === 'string' && bind.startsWith('unix://');
}

/** An IP address or CIDR prefix (ServiceEntry addresses, endpoint addresses, AuthorizationPolicy ipBlocks). @internal */
export function validateIpOrCidr(report: Reporter, field: string, value: unknown): void {
  if (typeof value !== 'string') return;
  const err = checkIpOrCidr(value);
  if (err) report(Messages.SchemaValidationError, { field, problem: `an address ${err}`, got: value, fix: 'e.g. 10.0.0.1, 10.0.0.0/16 or 2001:db8::/32' });
}
