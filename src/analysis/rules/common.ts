// Value checks that the webhook rules of several kinds share (durations, percentages, regexes, header names
// and values, exportTo, gateway references, label maps, protocols, server hosts). Predicates return undefined
// when the value is fine, else what is wrong; `report*`/`check*(report, ...)` helpers report directly.
import { parseGoDuration } from '../../core/duration';
import { checkDns1123Label, checkLabels, checkWildcardDomain, isIP, isPartialWildcard } from '../../core/validate';
import { Reporter } from '../engine';

/** Istio's ValidateDuration: at least 1ms and a whole number of milliseconds. @internal */
export function checkDuration(value: unknown, opts: { allowZero?: boolean; wholeSeconds?: boolean } = {}): string | undefined {
  if (typeof value !== 'string') return 'must be a duration string such as "250ms" or "5s"';
  const ns = parseGoDuration(value);
  if (ns === undefined) return 'must be a Go duration such as "250ms", "5s" or "1h30m"';
  if (opts.allowZero && ns === 0) return undefined;
  if (ns < 1e6) return 'must be at least 1ms';
  if (Math.round(ns) % 1e6 !== 0) return 'must be a whole number of milliseconds';
  if (opts.wholeSeconds && Math.round(ns) % 1e9 !== 0) return 'must be a whole number of seconds';
  return undefined;
}

/** Go RE2 as far as JavaScript can tell: no lookaround or backreferences, compiles, <= 1024 chars. @internal */
export function checkRegex(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'a regex must not be empty';
  if (value.length > 1024) return 'a regex must be at most 1024 characters';
  if (/\(\?<?[=!]/.test(value)) return 'RE2 has no lookahead or lookbehind';
  if (/\\[1-9]|\\k</.test(value)) return 'RE2 has no backreferences';
  // RE2 syntax JavaScript lacks: named groups (?P<n>...) and inline flags (?i) / (?i:...).
  const js = value.replace(/\(\?P</g, '(?<').replace(/\(\?[imsU-]+\)/g, '').replace(/\(\?[imsU-]+:/g, '(?:');
  try {
    new RegExp(js);
  } catch (e) {
    return `the regex does not compile: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
  return undefined;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PSEUDO = new Set([':method', ':scheme', ':authority', ':path', ':status']);

/** True for a JWT-claim match key. @internal */
export function isJwtClaimKey(name: string): boolean {
  return name.startsWith('@request.auth.claims.') || name.startsWith('@request.auth.claims[');
}

/** A header name usable as a match key. @internal */
export function checkMatchHeaderName(name: string): string | undefined {
  if (TOKEN.test(name) || PSEUDO.has(name) || isJwtClaimKey(name)) return undefined;
  return 'a header name must be an RFC 7230 token, a pseudo-header (:method, :scheme, :authority, :path, :status) or a JWT claim (@request.auth.claims.<name>)';
}

/** A header value Envoy accepts: no control characters but TAB, `%` only as `%%` or an Envoy `%VARIABLE%`. @internal */
export function checkHeaderValue(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'a header value must be a string';
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

/** exportTo of a VirtualService or DestinationRule (`~` is only for ServiceEntry). @internal */
export function checkExportTo(report: Reporter, exportTo: unknown, ownNamespace: string, field = 'spec.exportTo'): void {
  if (!Array.isArray(exportTo)) return;
  const seen = new Set<string>();
  exportTo.forEach((e, i) => {
    const f = `${field}[${i}]`;
    if (typeof e !== 'string') return;
    if (e === '~') {
      report.error('IST0106', f, '"~" (export to no one) is allowed only on ServiceEntry', e, '".", "*" or a namespace');
      return;
    }
    if (e !== '.' && e !== '*') {
      const err = checkDns1123Label(e);
      if (err) { report.error('IST0106', f, `an exportTo namespace ${err}`, e, '".", "*" or a namespace'); return; }
    }
    const key = e === ownNamespace ? '.' : e;
    if (seen.has(key)) report.error('IST0106', f, 'duplicate exportTo entry ("." and the own namespace count as the same)', e);
    seen.add(key);
  });
  if (exportTo.includes('*') && exportTo.length > 1) {
    report.error('IST0106', field, '"*" must be the only exportTo entry', exportTo, '["*"] alone, or a list of namespaces');
  }
}

/** A gateway reference: `mesh`, `ns/name`, a bare name, or the legacy `name.ns` (a warning). @internal */
export function checkGatewayRef(report: Reporter, ref: unknown, field: string): void {
  if (typeof ref !== 'string') return;
  if (ref === 'mesh') return;
  const slash = ref.indexOf('/');
  if (slash >= 0) {
    const ns = ref.slice(0, slash);
    const name = ref.slice(slash + 1);
    const err = checkDns1123Label(ns) ?? checkDns1123Label(name);
    if (err) report.error('IST0106', field, `a gateway reference "namespace/name" needs two DNS-1123 labels: ${err}`, ref, '"mesh", "name" or "namespace/name"');
    return;
  }
  if (ref.includes('.')) {
    const bad = ref.split('.').map(checkDns1123Label).find(Boolean);
    if (bad) { report.error('IST0106', field, `an invalid gateway reference: ${bad}`, ref, '"mesh", "name" or "namespace/name"'); return; }
    report.warning('IST0133', field, 'the "name.namespace" gateway form is deprecated', ref, `write "${ref.slice(ref.indexOf('.') + 1)}/${ref.slice(0, ref.indexOf('.'))}"`);
    return;
  }
  const err = checkDns1123Label(ref);
  if (err) report.error('IST0106', field, `an invalid gateway reference: ${err}`, ref, '"mesh", "name" or "namespace/name"');
}

/** A label map (sourceLabels, subset labels). @internal */
export function checkLabelMap(report: Reporter, labels: unknown, field: string): void {
  if (!labels || typeof labels !== 'object') return;
  const bad = checkLabels(labels as Record<string, string>);
  if (bad) report.error('IST0106', `${field}.${bad[0]}`, bad[1], (labels as any)[bad[0]]);
}

/** A Percent{value} of a fault: 0, or 0.0001..100. @internal */
export function checkFaultPercent(value: unknown): string | undefined {
  if (typeof value !== 'number') return undefined;
  if (value === 0) return undefined;
  if (value < 0.0001 || value > 100) return 'a fault percentage must be 0 or between 0.0001 and 100';
  return undefined;
}

const PROTOCOLS = ['HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'GRPC-WEB', 'HTTP_PROXY', 'TCP', 'TLS', 'MONGO', 'REDIS', 'MYSQL', 'UDP'];

/** Istio's protocol names, parsed case-insensitively; undefined when unknown. @internal */
export function parseProtocol(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const upper = value.toUpperCase();
  return PROTOCOLS.includes(upper) ? upper : undefined;
}

/** The allowed protocol names, for messages. @internal */
export const PROTOCOL_NAMES = PROTOCOLS.join(', ');

/** HTTP, HTTP2, HTTP_PROXY, GRPC, GRPC-WEB. @internal */
export function isHttpFamily(protocol: string | undefined): boolean {
  return protocol === 'HTTP' || protocol === 'HTTP2' || protocol === 'HTTP_PROXY' || protocol === 'GRPC' || protocol === 'GRPC-WEB';
}

/** HTTPS, TLS. @internal */
export function isTlsFamily(protocol: string | undefined): boolean {
  return protocol === 'HTTPS' || protocol === 'TLS';
}

/**
 * A `[namespace/]host` entry of a Gateway server or Sidecar egress listener: the namespace part is `*`, `.`,
 * `~` (Sidecar only) or a DNS label; the host part is `*`, a dotted FQDN with an optional `*.` wildcard, or an
 * IP address. Short names and partial wildcards are rejected there. @internal
 */
export function checkNamespacedHost(value: unknown, opts: { allowTilde?: boolean } = {}): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'a host must not be empty';
  const slash = value.indexOf('/');
  const ns = slash >= 0 ? value.slice(0, slash) : undefined;
  const host = slash >= 0 ? value.slice(slash + 1) : value;
  if (ns !== undefined && ns !== '*' && ns !== '.' && !(opts.allowTilde && ns === '~')) {
    const err = checkDns1123Label(ns);
    if (err) return `the namespace part "${ns}" ${err}`;
  }
  if (host === '*') return undefined;
  if (isIP(host)) return undefined;
  if (isPartialWildcard(host)) return `partial wildcard "${host}" is not allowed here`;
  if (!host.includes('.')) return `"${host}" must be a fully qualified name with a dot (short names resolve nowhere here)`;
  const err = checkWildcardDomain(host);
  return err;
}
