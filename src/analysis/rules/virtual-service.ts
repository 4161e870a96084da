// istiod's webhook rules for VirtualService (pkg/config/validation/virtualservice.go and validation.go), over
// plain manifests: IST0106 for what the webhook rejects, IST0133 for its warnings, and the rule reachability
// analysis (IST0130 unreachable rule, IST0131 ineffective match). See VALIDATION-RULES.md section 3.
import {
  checkFaultPercent, isJwtClaimKey, validateDestinationHost, validateDuration, validateExportTo, validateGatewayRef,
  validateHeaderOpName, validateHeaderValue, validateLabels, validateMatchHeaderName, validatePort, validateRegex,
} from './common';
import { checkDns1123Label, checkIpOrCidr, checkWildcardDomain, isIP } from '../../core/validate';
import { GrpcStatus } from '../../networking/fault';
import { RetryOn } from '../../networking/retry';
import { ObjectRule, Reporter, RunContext } from '../engine';
import { hostCovers, hostsMatch } from '../hosts';
import { Messages } from '../messages';
import { isObj, listOf, objOf } from '../objects';


const has = (o: any, k: string) => isObj(o) && o[k] !== undefined && o[k] !== null;

const STRING_MATCH_FIELDS = ['uri', 'scheme', 'method', 'authority'] as const;
// The constructs' RetryOn constants and GrpcStatus enum are the one list of the names Istio accepts.
const RETRY_ON = new Set(Object.values(RetryOn).filter((v): v is RetryOn => v instanceof RetryOn).map(v => v.value));
const GRPC_CODES = new Set<string>(Object.values(GrpcStatus));
const CORS_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', '*']);
// Go's net/http StatusText knows these codes; retryOn accepts any of them.
const HTTP_STATUS = new Set([100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308,
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429,
  431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511]);

/** Where a StringMatch sits decides two of istiod's exceptions. */
interface StringMatchOptions {
  /** `uri: { prefix: "" }` matches every path, which istiod allows for the URI alone. */
  readonly allowEmptyPrefix?: boolean;
  /** `withoutHeaders: { x: { regex: "*" } }` is istiod's idiom for "header x is absent", not a regex. */
  readonly allowStarRegex?: boolean;
}

function checkStringMatch(report: Reporter, m: unknown, field: string, opts: StringMatchOptions = {}): void {
  if (!isObj(m)) return;
  if (typeof m.regex === 'string') {
    if (opts.allowStarRegex && m.regex === '*') return;
    validateRegex(report, `${field}.regex`, m.regex);
  }
  if (m.prefix === '' && !opts.allowEmptyPrefix) report(Messages.SchemaValidationError, { field: `${field}.prefix`, problem: 'an empty prefix matches everything and is rejected here', got: '', fix: 'a non-empty prefix, or omit the condition' });
}

function checkDestination(report: Reporter, d: unknown, field: string): void {
  if (!isObj(d)) return;
  const host = d.host;
  if (typeof host === 'string') {
    if (host === '*') {report(Messages.SchemaValidationError, { field: `${field}.host`, problem: 'a destination host must not be "*"', got: host, fix: 'a Service or ServiceEntry host' });} else {
      validateDestinationHost(report, `${field}.host`, host);
    }
  }
  if (typeof d.subset === 'string') {
    const err = checkDns1123Label(d.subset);
    if (err) report(Messages.SchemaValidationError, { field: `${field}.subset`, problem: `a subset name ${err}`, got: d.subset });
  }
  if (isObj(d.port)) validatePort(report, `${field}.port.number`, d.port.number);
}

function checkWeights(report: Reporter, routes: any[], field: string): void {
  let total = 0;
  routes.forEach((r, i) => {
    if (!isObj(r)) return;
    const w = r.weight;
    if (typeof w === 'number') {
      if (w < 0) report(Messages.SchemaValidationError, { field: `${field}[${i}].weight`, problem: 'a weight must not be negative', got: w, fix: '0 or more' });
      else total += w;
    }
  });
  if (routes.length > 1 && total === 0) {
    report(Messages.SchemaValidationError, { field, problem: 'with several destinations the weights must not all be 0 (a missing weight counts as 0)', got: routes.map(r => r?.weight ?? null), fix: 'weights that add up to more than 0, e.g. 90 and 10' });
  }
}

function checkHeaderOps(report: Reporter, h: unknown, field: string): void {
  if (!isObj(h)) return;
  for (const dir of ['request', 'response'] as const) {
    const ops = h[dir];
    if (!isObj(ops)) continue;
    for (const op of ['set', 'add'] as const) {
      for (const [name, value] of Object.entries(objOf(ops[op]))) {
        const f = `${field}.${dir}.${op}.${name}`;
        validateHeaderOpName(report, f, name, { direction: dir, op });
        validateHeaderValue(report, f, value);
      }
    }
    listOf(ops.remove).forEach((name, i) => validateHeaderOpName(report, `${field}.${dir}.remove[${i}]`, name, { direction: dir, op: 'remove' }));
  }
}

function checkHttpMatch(report: Reporter, m: unknown, field: string, appliesToMesh: boolean): void {
  if (!isObj(m)) return;
  for (const k of STRING_MATCH_FIELDS) checkStringMatch(report, m[k], `${field}.${k}`, { allowEmptyPrefix: k === 'uri' });
  for (const k of ['headers', 'withoutHeaders'] as const) {
    for (const [name, sm] of Object.entries(objOf(m[k]))) {
      const f = `${field}.${k}.${name}`;
      validateMatchHeaderName(report, f, name);
      if (isJwtClaimKey(name) && appliesToMesh) {
        report(Messages.SchemaValidationError, { field: f, problem: 'JWT claim matches work only on gateways', got: name, fix: 'bind the VirtualService to gateways only (no "mesh")' });
      }
      checkStringMatch(report, sm, f, { allowStarRegex: k === 'withoutHeaders' });
    }
  }
  for (const [name, sm] of Object.entries(objOf(m.queryParams))) checkStringMatch(report, sm, `${field}.queryParams.${name}`);
  validatePort(report, `${field}.port`, m.port);
  validateLabels(report, `${field}.sourceLabels`, m.sourceLabels);
  if (typeof m.sourceNamespace === 'string') {
    const err = checkDns1123Label(m.sourceNamespace);
    if (err) report(Messages.SchemaValidationError, { field: `${field}.sourceNamespace`, problem: `a namespace ${err}`, got: m.sourceNamespace });
  }
  listOf(m.gateways).forEach((g, i) => validateGatewayRef(report, `${field}.gateways[${i}]`, g));
}

function checkL4Match(report: Reporter, m: Record<string, any>, field: string): void {
  validatePort(report, `${field}.port`, m.port);
  listOf(m.destinationSubnets).forEach((s, i) => {
    const err = checkIpOrCidr(s);
    if (err) report(Messages.SchemaValidationError, { field: `${field}.destinationSubnets[${i}]`, problem: err, got: s });
  });
  if (typeof m.sourceSubnet === 'string') {
    const err = checkIpOrCidr(m.sourceSubnet);
    if (err) report(Messages.SchemaValidationError, { field: `${field}.sourceSubnet`, problem: err, got: m.sourceSubnet });
  }
  validateLabels(report, `${field}.sourceLabels`, m.sourceLabels);
  if (typeof m.sourceNamespace === 'string') {
    const err = checkDns1123Label(m.sourceNamespace);
    if (err) report(Messages.SchemaValidationError, { field: `${field}.sourceNamespace`, problem: `a namespace ${err}`, got: m.sourceNamespace });
  }
  listOf(m.gateways).forEach((g, i) => validateGatewayRef(report, `${field}.gateways[${i}]`, g));
}

function checkHttpRoute(report: Reporter, r: unknown, field: string, isDelegate: boolean, appliesToMesh: boolean): void {
  if (!isObj(r)) return;
  const route = listOf(r.route);
  if (has(r, 'delegate')) {
    if (isDelegate) report(Messages.SchemaValidationError, { field: `${field}.delegate`, problem: 'a delegate VirtualService cannot delegate again', got: r.delegate });
    if (route.length || has(r, 'redirect')) {
      report(Messages.SchemaValidationError, { field: `${field}.delegate`, problem: 'a rule that delegates must not also set route or redirect', got: r.delegate, fix: 'delegate alone, or route/redirect without delegate' });
    }
  } else if (!route.length && !has(r, 'redirect') && !has(r, 'directResponse')) {
    report(Messages.SchemaValidationError, { field, problem: 'an HTTP rule needs route, redirect, directResponse or delegate', got: r.name, fix: 'e.g. route: [{ destination: { host: ... } }]' });
  }
  if (has(r, 'redirect')) {
    const others = ['route', 'fault', 'rewrite', 'directResponse'].filter(k => (k === 'route' ? route.length > 0 : has(r, k)));
    if (others.length) report(Messages.SchemaValidationError, { field: `${field}.redirect`, problem: `a redirect cannot be combined with ${others.join(', ')}`, got: others, fix: 'redirect alone' });
  }
  if (has(r, 'directResponse')) {
    const others = ['route', 'fault', 'rewrite'].filter(k => (k === 'route' ? route.length > 0 : has(r, k)));
    if (others.length) report(Messages.SchemaValidationError, { field: `${field}.directResponse`, problem: `a direct response cannot be combined with ${others.join(', ')}`, got: others, fix: 'directResponse alone' });
  }
  if (has(r, 'mirror') && listOf(r.mirrors).length) report(Messages.SchemaValidationError, { field: `${field}.mirrors`, problem: 'give either mirror or mirrors, not both', got: r.mirrors });

  listOf(r.match).forEach((m, i) => checkHttpMatch(report, m, `${field}.match[${i}]`, appliesToMesh));
  route.forEach((d, i) => {
    if (!isObj(d)) return;
    checkDestination(report, d.destination, `${field}.route[${i}].destination`);
    checkHeaderOps(report, d.headers, `${field}.route[${i}].headers`);
  });
  checkWeights(report, route, `${field}.route`);
  checkHeaderOps(report, r.headers, `${field}.headers`);
  checkAuthority(report, r, field);
  validateDuration(report, `${field}.timeout`, r.timeout);
  checkRetries(report, r.retries, `${field}.retries`);
  checkFault(report, r.fault, `${field}.fault`);
  if (has(r, 'mirror')) checkDestination(report, r.mirror, `${field}.mirror`);
  if (isObj(r.mirrorPercentage) && typeof r.mirrorPercentage.value === 'number' && (r.mirrorPercentage.value < 0 || r.mirrorPercentage.value > 100)) {
    report(Messages.SchemaValidationError, { field: `${field}.mirrorPercentage.value`, problem: 'a mirror percentage must be between 0 and 100', got: r.mirrorPercentage.value });
  }
  if (r.mirrorPercent !== undefined) {
    if (typeof r.mirrorPercent === 'number' && r.mirrorPercent > 100) report(Messages.SchemaValidationError, { field: `${field}.mirrorPercent`, problem: 'a mirror percentage must be at most 100', got: r.mirrorPercent });
    report(Messages.SchemaWarning, { field: `${field}.mirrorPercent`, problem: 'mirrorPercent is deprecated', got: r.mirrorPercent, fix: 'use mirrorPercentage: { value: ... }' });
  }
  listOf(r.mirrors).forEach((m, i) => {
    const f = `${field}.mirrors[${i}]`;
    if (!isObj(m) || !isObj(m.destination)) { report(Messages.SchemaValidationError, { field: `${f}.destination`, problem: 'a mirror needs a destination', got: m }); return; }
    checkDestination(report, m.destination, `${f}.destination`);
    const p = m.percentage?.value;
    if (typeof p === 'number' && (p < 0 || p > 100)) report(Messages.SchemaValidationError, { field: `${f}.percentage.value`, problem: 'a mirror percentage must be between 0 and 100', got: p });
  });
  checkRedirect(report, r, field);
  checkRewrite(report, r.rewrite, `${field}.rewrite`);
  checkDirectResponse(report, r.directResponse, `${field}.directResponse`);
  checkCors(report, r.corsPolicy, `${field}.corsPolicy`);
}

function checkAuthority(report: Reporter, r: Record<string, any>, field: string): void {
  const places: string[] = [];
  if (isObj(r.rewrite) && r.rewrite.authority) places.push('rewrite.authority');
  for (const op of ['set', 'add']) {
    const ops = r.headers?.request?.[op];
    for (const k of Object.keys(objOf(ops))) if (/^(:authority|host)$/i.test(k)) places.push(`headers.request.${op}.${k}`);
  }
  if (places.length > 1) report(Messages.SchemaValidationError, { field, problem: 'the authority is rewritten in more than one place', got: places, fix: 'one of rewrite.authority or a request header set/add of :authority/Host' });
}

function checkRetries(report: Reporter, r: unknown, field: string): void {
  if (!isObj(r)) return;
  if (typeof r.attempts === 'number' && r.attempts < 0) report(Messages.SchemaValidationError, { field: `${field}.attempts`, problem: 'attempts must not be negative', got: r.attempts });
  if (r.attempts === 0) {
    const extra = ['perTryTimeout', 'retryOn', 'retryRemoteLocalities'].filter(k => r[k] !== undefined);
    if (extra.length) report(Messages.SchemaValidationError, { field, problem: `attempts 0 disables retries, so ${extra.join(', ')} cannot be set`, got: extra, fix: 'attempts > 0, or remove them' });
  }
  validateDuration(report, `${field}.perTryTimeout`, r.perTryTimeout);
  validateDuration(report, `${field}.backoff`, r.backoff);
  if (typeof r.retryOn === 'string') {
    for (const item of r.retryOn.split(',')) {
      if (RETRY_ON.has(item)) continue;
      if (/^\d+$/.test(item) && HTTP_STATUS.has(Number(item))) continue;
      report(Messages.SchemaValidationError, { field: `${field}.retryOn`, problem: `unknown retry condition "${item}"`, got: r.retryOn, fix: 'comma-separated, no spaces: 5xx, gateway-error, reset, connect-failure, retriable-4xx, refused-stream, ... or an HTTP status code' });
    }
  }
}

function checkFault(report: Reporter, f: unknown, field: string): void {
  if (!isObj(f)) return;
  if (!has(f, 'abort') && !has(f, 'delay')) report(Messages.SchemaValidationError, { field, problem: 'a fault needs abort and/or delay', got: f });
  const a = f.abort;
  if (isObj(a)) {
    if (a.httpStatus !== undefined && (typeof a.httpStatus !== 'number' || a.httpStatus < 200 || a.httpStatus > 600)) {
      report(Messages.SchemaValidationError, { field: `${field}.abort.httpStatus`, problem: 'an abort status must be between 200 and 600', got: a.httpStatus });
    }
    if (a.grpcStatus !== undefined && !GRPC_CODES.has(a.grpcStatus)) {
      report(Messages.SchemaValidationError, { field: `${field}.abort.grpcStatus`, problem: 'unknown gRPC status', got: a.grpcStatus, fix: 'an upper-case gRPC code such as UNAVAILABLE' });
    }
    if (a.http2Error !== undefined) report(Messages.SchemaValidationError, { field: `${field}.abort.http2Error`, problem: 'HTTP/2 abort errors are not supported', got: a.http2Error, fix: 'httpStatus or grpcStatus' });
    if (a.httpStatus === undefined && a.grpcStatus === undefined && a.http2Error === undefined) {
      report(Messages.SchemaWarning, { field: `${field}.abort`, problem: 'an abort without httpStatus or grpcStatus does nothing', got: a });
    }
    const err = checkFaultPercent(a.percentage?.value);
    if (err) report(Messages.SchemaValidationError, { field: `${field}.abort.percentage.value`, problem: err, got: a.percentage.value });
  }
  const d = f.delay;
  if (isObj(d)) {
    validateDuration(report, `${field}.delay.fixedDelay`, d.fixedDelay);
    if (d.exponentialDelay !== undefined) report(Messages.SchemaValidationError, { field: `${field}.delay.exponentialDelay`, problem: 'exponential delays are not supported', got: d.exponentialDelay, fix: 'fixedDelay' });
    const err = checkFaultPercent(d.percentage?.value);
    if (err) report(Messages.SchemaValidationError, { field: `${field}.delay.percentage.value`, problem: err, got: d.percentage.value });
  }
}

function checkRedirect(report: Reporter, r: Record<string, any>, field: string): void {
  const rd = r.redirect;
  if (!isObj(rd)) return;
  const f = `${field}.redirect`;
  if (rd.uri !== undefined && rd.prefixRewrite !== undefined) report(Messages.SchemaValidationError, { field: f, problem: 'give either uri or prefixRewrite, not both', got: rd });
  if (rd.prefixRewrite !== undefined && listOf(r.match).some(m => isObj(m?.uri) && m.uri.prefix === undefined)) {
    report(Messages.SchemaValidationError, { field: `${f}.prefixRewrite`, problem: 'prefixRewrite needs every URI match of the rule to be a prefix match', got: rd.prefixRewrite });
  }
  if (![rd.uri, rd.prefixRewrite, rd.authority, rd.scheme, rd.port, rd.derivePort].some(v => v !== undefined && v !== '')) {
    report(Messages.SchemaValidationError, { field: f, problem: 'a redirect must change something', got: rd, fix: 'at least one of uri, authority, scheme, port or derivePort' });
  }
  if (rd.redirectCode !== undefined && (typeof rd.redirectCode !== 'number' || rd.redirectCode < 300 || rd.redirectCode > 399)) {
    report(Messages.SchemaValidationError, { field: `${f}.redirectCode`, problem: 'a redirect code must be between 300 and 399', got: rd.redirectCode });
  }
  if (rd.scheme !== undefined && rd.scheme !== 'http' && rd.scheme !== 'https') report(Messages.SchemaValidationError, { field: `${f}.scheme`, problem: 'the redirect scheme must be "http" or "https"', got: rd.scheme });
  validatePort(report, `${f}.port`, rd.port);
}

function checkRewrite(report: Reporter, rw: unknown, field: string): void {
  if (!isObj(rw)) return;
  if (rw.uri !== undefined && rw.uriRegexRewrite !== undefined) report(Messages.SchemaValidationError, { field, problem: 'give either uri or uriRegexRewrite, not both', got: rw });
  if (!rw.uri && !rw.authority && rw.uriRegexRewrite === undefined) report(Messages.SchemaValidationError, { field, problem: 'a rewrite must set uri, uriRegexRewrite or authority', got: rw });
  const rr = rw.uriRegexRewrite;
  if (isObj(rr)) {
    if (!rr.match || rr.rewrite === undefined) {
      report(Messages.SchemaValidationError, { field: `${field}.uriRegexRewrite`, problem: 'uriRegexRewrite needs both match and rewrite', got: rr });
    }
    if (rr.match) {
      validateRegex(report, `${field}.uriRegexRewrite.match`, rr.match);
    }
  }
}

function checkDirectResponse(report: Reporter, dr: unknown, field: string): void {
  if (!isObj(dr)) return;
  if (typeof dr.status === 'number' && (dr.status < 200 || dr.status > 600)) report(Messages.SchemaValidationError, { field: `${field}.status`, problem: 'a direct response status must be between 200 and 600', got: dr.status });
  const body = dr.body;
  if (isObj(body)) {
    const size = typeof body.string === 'string' ? Buffer.byteLength(body.string) : typeof body.bytes === 'string' ? Math.floor(body.bytes.length * 3 / 4) : 0;
    if (size > 1024 * 1024) report(Messages.SchemaValidationError, { field: `${field}.body`, problem: 'a direct response body must be at most 1 MiB', got: `${size} bytes` });
    else if (size > 100 * 1024) report(Messages.SchemaWarning, { field: `${field}.body`, problem: 'a direct response body over 100 KiB bloats every proxy\'s configuration', got: `${size} bytes` });
  }
}

function checkCors(report: Reporter, c: unknown, field: string): void {
  if (!isObj(c)) return;
  listOf(c.allowOrigins).forEach((o, i) => {
    const f = `${field}.allowOrigins[${i}]`;
    if (!isObj(o) || ![o.exact, o.prefix, o.regex].some(v => typeof v === 'string' && v !== '')) {
      report(Messages.SchemaValidationError, { field: f, problem: 'an allowed origin needs a non-empty exact, prefix or regex', got: o });
      return;
    }
    validateRegex(report, `${f}.regex`, o.regex);
  });
  listOf(c.allowMethods).forEach((m, i) => {
    if (!CORS_METHODS.has(m)) report(Messages.SchemaValidationError, { field: `${field}.allowMethods[${i}]`, problem: 'unknown HTTP method (case-sensitive)', got: m, fix: 'GET, HEAD, POST, PUT, PATCH, DELETE, CONNECT, OPTIONS, TRACE or *' });
  });
  for (const k of ['allowHeaders', 'exposeHeaders'] as const) {
    listOf(c[k]).forEach((h, i) => {
      if (typeof h === 'string' && h !== '*' && !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(h)) report(Messages.SchemaValidationError, { field: `${field}.${k}[${i}]`, problem: 'a header name must be an RFC 7230 token or "*"', got: h });
    });
  }
  validateDuration(report, `${field}.maxAge`, c.maxAge, { wholeSeconds: true });
}

function checkL4Routes(report: Reporter, rules: any[], kind: 'tcp' | 'tls', hosts: string[]): void {
  rules.forEach((r, i) => {
    const field = `spec.${kind}[${i}]`;
    if (!isObj(r)) return;
    const match = listOf(r.match);
    if (kind === 'tls' && match.length === 0) report(Messages.SchemaValidationError, { field: `${field}.match`, problem: 'a TLS rule needs at least one match', got: r.match, fix: 'a match with sniHosts' });
    match.forEach((m, j) => {
      const f = `${field}.match[${j}]`;
      if (!isObj(m)) return;
      if (kind === 'tls') {
        const sni = listOf(m.sniHosts);
        if (sni.length === 0) report(Messages.SchemaValidationError, { field: `${f}.sniHosts`, problem: 'a TLS match needs at least one SNI host', got: m.sniHosts });
        sni.forEach((s, k) => {
          if (typeof s !== 'string') return;
          const sf = `${f}.sniHosts[${k}]`;
          if (isIP(s)) { report(Messages.SchemaWarning, { field: sf, problem: 'an IP address as SNI never matches: clients do not send IPs as SNI', got: s }); return; }
          const err = isAutoGeneratedSni(s) ? undefined : checkWildcardDomain(s);
          if (err) { report(Messages.SchemaValidationError, { field: sf, problem: err, got: s }); return; }
          if (hosts.length > 0 && !hosts.some(h => hostCovers(h, s))) {
            report(Messages.SchemaValidationError, { field: sf, problem: 'an SNI host must be one of the VirtualService hosts or covered by one', got: s, fix: `one of ${JSON.stringify(hosts)}` });
          }
        });
      }
      checkL4Match(report, m, f);
    });
    const route = listOf(r.route);
    if (route.length === 0) report(Messages.SchemaValidationError, { field: `${field}.route`, problem: `a ${kind.toUpperCase()} rule needs a route`, got: r.route, fix: 'at least one destination' });
    route.forEach((d, j) => { if (isObj(d)) checkDestination(report, d.destination, `${field}.route[${j}].destination`); });
    checkWeights(report, route, `${field}.route`);
  });
}

/** Compare matches ignoring `name` (Istio's asJSON without the name). */
function matchKey(m: unknown): string {
  if (!isObj(m)) return JSON.stringify(m);
  const { name: _name, ...rest } = m;
  return stableJson(rest);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (isObj(v)) return `{${Object.keys(v).sort().map(k => `${JSON.stringify(k)}:${stableJson(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** A StringMatch as Istio's overlap check compares it: `exact:v`, `prefix:v`, or '' (regex and absent). */
function exactOrPrefix(m: unknown): string {
  if (!isObj(m)) return '';
  if (typeof m.exact === 'string' && m.exact !== '') return `exact:${m.exact}`;
  if (typeof m.prefix === 'string' && m.prefix !== '') return `prefix:${m.prefix}`;
  return '';
}

/** The parts of a URI-prefix HTTP match that Istio's overlap check (genMatchHTTPRoutes) compares. */
interface PrefixMatch {
  readonly rule: number;
  readonly match: number;
  readonly prefix: string;
  readonly port: unknown;
  readonly method: string;
  readonly authority: string;
  /** headers, queryParams, withoutHeaders. */
  readonly maps: Array<Record<string, string>>;
}

function prefixMatchOf(m: unknown, rule: number, match: number): PrefixMatch | undefined {
  if (!isObj(m) || !isObj(m.uri) || typeof m.uri.prefix !== 'string' || m.uri.prefix === '') return undefined;
  const asMap = (v: unknown) => Object.fromEntries(Object.entries(objOf(v)).map(([k, x]) => [k, exactOrPrefix(x)]));
  // A match without a method counts as GET, as in Istio.
  return { rule, match, prefix: m.uri.prefix, port: m.port ?? 0, method: exactOrPrefix(m.method) || 'exact:GET', authority: exactOrPrefix(m.authority), maps: [asMap(m.headers), asMap(m.queryParams), asMap(m.withoutHeaders)] };
}

/** Istio's coveredValidation: the earlier prefix match `a` catches what the later `b` does. */
function prefixCovers(a: PrefixMatch, b: PrefixMatch): boolean {
  if (!b.prefix.startsWith(a.prefix) || b.port !== a.port) return false;
  if (a.method !== b.method && !a.method.startsWith(b.method)) return false;
  if (a.authority !== b.authority && !a.authority.startsWith(b.authority)) return false;
  return a.maps.every((am, k) => {
    const bm = b.maps[k];
    return Object.keys(am).length === Object.keys(bm).length
      && Object.entries(am).every(([key, v]) => key in bm && (v === bm[key] || v.startsWith(bm[key])));
  });
}

function ruleLabel(r: any, i: number, kind: string): string {
  return typeof r?.name === 'string' ? `"${r.name}"` : `spec.${kind}[${i}]`;
}

/**
 * The SNI names istiod generates for AUTO_PASSTHROUGH (`outbound_.<port>_._.<host>`), which are no DNS names but
 * are accepted as SNI hosts and as hosts of VirtualServices bound to gateways.
 */
function isAutoGeneratedSni(s: string): boolean {
  const parts = s.split('_');
  if (parts.length < 4 || parts[0] !== 'outbound') return false;
  const trim = (x: string) => x.replace(/^\.+|\.+$/g, '');
  return /[0-9]/.test(trim(parts[1])) && /[a-zA-Z]/.test(trim(parts[3]));
}

/** How Istio's messages name a rule or a match: its name, else `#<index>`. */
function istioName(x: any, i: number): string {
  return typeof x?.name === 'string' && x.name ? x.name : `#${i}`;
}

/**
 * Istio's analyzeUnreachable{HTTP,TCP,TLS}Rules: a rule after a match-less one, or whose every match repeats an
 * earlier one, is unreachable (IST0130); a repeated match is ineffective (IST0131), and so is an HTTP URI-prefix
 * match that an earlier prefix match (in this rule or an earlier one) covers with compatible conditions; a
 * covered match alone does not make its rule unreachable.
 */
function checkReachability(report: Reporter, rules: any[], kind: 'http' | 'tcp' | 'tls'): void {
  const seen = new Map<string, number>();
  const prefixes: PrefixMatch[] = [];
  let catchAll = -1;
  rules.forEach((r, i) => {
    if (!isObj(r)) return;
    const field = `spec.${kind}[${i}]`;
    const match = listOf(r.match);
    // A TLS rule must have matches (reported above); without them it is not a catch-all.
    if (kind === 'tls' && match.length === 0) return;
    if (match.length === 0) {
      if (catchAll >= 0) {
        report(Messages.VirtualServiceUnreachableRule, {
          field,
          args: [istioName(r, i), 'only the last rule can have no matches'],
          problem: `rule ${ruleLabel(r, i, kind)} is unreachable: the earlier rule ${ruleLabel(rules[catchAll], catchAll, kind)} has no match either; only the last rule may omit match`,
          got: r.match,
          fix: 'merge the rules without match into one',
        });
      }
      catchAll = i;
      return;
    }
    if (catchAll >= 0) {
      report(Messages.VirtualServiceUnreachableRule, { field, args: [istioName(r, i), 'only the last rule can have no matches'], problem: `rule ${ruleLabel(r, i, kind)} is unreachable: the earlier rule ${ruleLabel(rules[catchAll], catchAll, kind)} has no match and catches everything`, got: r.match, fix: 'only the last rule may omit match; move the catch-all rule to the end' });
      return;
    }
    let dead = 0;
    match.forEach((m, j) => {
      const key = matchKey(m);
      const dup = seen.get(key);
      if (dup !== undefined) {
        report(Messages.VirtualServiceIneffectiveMatch, { field: `${field}.match[${j}]`, args: [istioName(r, i), istioName(m, j), istioName(rules[dup], dup)], problem: `this match repeats one of the earlier rule ${ruleLabel(rules[dup], dup, kind)} and never applies here`, got: m });
        dead++;
        return;
      }
      seen.set(key, i);
      const pm = kind === 'http' ? prefixMatchOf(m, i, j) : undefined;
      if (pm) prefixes.push(pm);
    });
    if (dead === match.length) {
      report(Messages.VirtualServiceUnreachableRule, { field, args: [istioName(r, i), 'all matches used by prior rules'], problem: `rule ${ruleLabel(r, i, kind)} is unreachable: earlier rules catch every request it matches`, got: r.match, fix: 'remove the rule or move it before the rules that shadow it' });
    }
  });
  prefixes.forEach((a, x) => {
    for (const b of prefixes.slice(x + 1)) {
      if (b.prefix === a.prefix || !prefixCovers(a, b)) continue;
      const where = a.rule === b.rule ? 'an earlier match of this rule' : `the earlier rule ${ruleLabel(rules[a.rule], a.rule, kind)}`;
      const later = listOf(rules[b.rule].match)[b.match];
      report(Messages.VirtualServiceIneffectiveMatch, {
        field: `spec.${kind}[${b.rule}].match[${b.match}]`,
        args: [istioName(rules[b.rule], b.rule), `${istioName(later, b.match)} of prefix ${b.prefix}`, `${istioName(listOf(rules[a.rule].match)[a.match], a.match)} of prefix ${a.prefix} on ${istioName(rules[a.rule], a.rule)}`],
        problem: `this match is covered by the URI prefix match "${a.prefix}" of ${where} and never applies here`,
        got: later,
      });
    }
  });
}

/** The VirtualService webhook rules. @internal */
export const virtualServiceRule: ObjectRule = {
  kinds: ['networking.istio.io/VirtualService'],
  check(obj: any, report: Reporter, ctx: RunContext): void {
    const spec = obj?.spec;
    if (!isObj(spec)) {
      report(Messages.SchemaValidationError, { field: 'spec', problem: 'a VirtualService needs a spec with at least one http, tcp or tls rule', got: spec });
      return;
    }
    const hosts = listOf(spec.hosts).filter((h): h is string => typeof h === 'string');
    const gateways = listOf(spec.gateways).filter((g): g is string => typeof g === 'string');
    const http = listOf(spec.http);
    const tcp = listOf(spec.tcp);
    const tls = listOf(spec.tls);
    const isDelegate = hosts.length === 0;
    const appliesToMesh = gateways.length === 0 || gateways.includes('mesh');

    if (!http.length && !tcp.length && !tls.length) report(Messages.SchemaValidationError, { field: 'spec', problem: 'a VirtualService needs at least one http, tcp or tls rule', got: spec });
    if (isDelegate) {
      if (gateways.length) report(Messages.SchemaValidationError, { field: 'spec.gateways', problem: 'a delegate VirtualService (one without hosts) must not set gateways', got: gateways, fix: 'set gateways on the root VirtualService' });
      if (tcp.length) report(Messages.SchemaValidationError, { field: 'spec.tcp', problem: 'a delegate VirtualService (one without hosts) supports only http rules', got: 'tcp' });
      if (tls.length) report(Messages.SchemaValidationError, { field: 'spec.tls', problem: 'a delegate VirtualService (one without hosts) supports only http rules', got: 'tls' });
    }
    hosts.forEach((h, i) => {
      const f = `spec.hosts[${i}]`;
      if (h === '*' && appliesToMesh) {
        report(Messages.SchemaValidationError, { field: f, problem: 'the host "*" is not allowed when the VirtualService applies to the mesh', got: h, fix: 'bind it to gateways only, or name the hosts' });
        return;
      }
      if (isIP(h)) return;
      if (!appliesToMesh && tls.length && isAutoGeneratedSni(h)) return;
      const err = checkWildcardDomain(h);
      if (err) report(Messages.SchemaValidationError, { field: f, problem: err, got: h, fix: 'a short name, an FQDN, a wildcard domain or an IP address' });
    });
    for (let i = 0; i < hosts.length; i++) {
      for (let j = i + 1; j < hosts.length; j++) {
        if (hostsMatch(hosts[i], hosts[j])) {
          report(Messages.SchemaValidationError, { field: `spec.hosts[${j}]`, problem: `host overlaps spec.hosts[${i}] ${JSON.stringify(hosts[i])}`, got: hosts[j], fix: 'hosts that do not overlap (one VirtualService per host, or one wildcard)' });
        }
      }
    }
    gateways.forEach((g, i) => validateGatewayRef(report, `spec.gateways[${i}]`, g));
    validateExportTo(report, 'spec.exportTo', spec.exportTo, { ownNamespace: ctx.namespaceOf(obj) });

    http.forEach((r, i) => checkHttpRoute(report, r, `spec.http[${i}]`, isDelegate, appliesToMesh));
    checkL4Routes(report, tcp, 'tcp', hosts);
    checkL4Routes(report, tls, 'tls', hosts);
    checkReachability(report, http, 'http');
    checkReachability(report, tcp, 'tcp');
    checkReachability(report, tls, 'tls');
  },
};
