// The CEL side of the schema check: the environment the API server gives `x-kubernetes-validations` rules
// (standard library, string extensions, Kubernetes' `isURL`/`url().getScheme()` and `isIP`), and a lazy cache of planned
// programs keyed by rule text, so each distinct rule is parsed once per process and never at import time.
import { isIP } from 'net';
import type { CelValue } from '@bufbuild/cel';

// The CEL library is loaded on the first rule evaluated, not when cdk8s-istio is required: most programs
// never reach a CEL rule before synth, and loading it costs more than the rest of the analysis together.
type CelLib = typeof import('@bufbuild/cel');
let celLib: CelLib | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cel = (): CelLib => (celLib ??= require('@bufbuild/cel'));

/** The outcome of one rule: passed, failed (the rule said false), or could not be evaluated. */
type RuleOutcome = { readonly ok: true } | { readonly ok: false; readonly error?: string };

type Program = (self: unknown) => CelValue | Error;

const VALID_ESCAPES = (s: string) => !/%(?![0-9A-Fa-f]{2})/.test(s);

/** Go's authority check: userinfo and host characters, a numeric port, valid %-escapes. */
function validAuthority(authority: string): boolean {
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : '';
  let host = at >= 0 ? authority.slice(at + 1) : authority;
  if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo) || !VALID_ESCAPES(userinfo)) return false;
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close < 0) return false;
    host = host.slice(close + 1);
    return host === '' || /^:\d*$/.test(host);
  }
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && !/^\d*$/.test(host.slice(colon + 1))) return false;
  return /^[A-Za-z0-9\-._~!$&'()*+,;=%:]*$/.test(host) && VALID_ESCAPES(host);
}

/**
 * Kubernetes' `url()` accepts what Go's `url.ParseRequestURI` accepts: an absolute URI (with a scheme) or an
 * absolute path; no fragment is split off, so a `#` must pass the authority and path checks.
 */
function parseRequestUri(s: string): { scheme: string } | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(s)) return undefined;
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(s);
  if (!m && !s.startsWith('/')) return undefined;
  const scheme = m ? m[1].toLowerCase() : '';
  let rest = m ? s.slice(m[0].length) : s;
  const query = rest.indexOf('?');
  if (query >= 0) rest = rest.slice(0, query);
  // An opaque URI (`mailto:x`) is accepted as is.
  if (!rest.startsWith('/')) return { scheme };
  if (scheme && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    if (!validAuthority(authority)) return undefined;
    rest = slash < 0 ? '' : rest.slice(slash);
  }
  return VALID_ESCAPES(rest) ? { scheme } : undefined;
}

const urlFuncs = ({ celFunc, celMethod, CelScalar }: CelLib) => [
  celFunc('isURL', [CelScalar.STRING], CelScalar.BOOL, (s: string) => parseRequestUri(s) !== undefined),
  celFunc('url', [CelScalar.STRING], CelScalar.STRING, (s: string) => {
    if (!parseRequestUri(s)) throw new Error(`URL parse error during conversion from string: ${s}`);
    return s;
  }),
  // Defined on strings because `url()` returns the string it checked; the CRDs call it only on url() results.
  celMethod('getScheme', CelScalar.STRING, [], CelScalar.STRING, function (this: string) {
    return parseRequestUri(this)?.scheme ?? '';
  }),
];

/**
 * Kubernetes' IP library, the part the pinned CRDs call (Gateway API route hostnames: `!isIP(h)`): Go's
 * `netip.ParseAddr`, which takes no leading zeros in IPv4 (as `net.isIP`), and then refuses zones and
 * IPv4-mapped IPv6 addresses.
 */
function isKubernetesIp(s: string): boolean {
  const version = isIP(s);
  if (version === 0 || s.includes('%')) return false;
  return version === 4 || expandIpv6(s).slice(0, 6).join(':') !== '0:0:0:0:0:65535';
}

/** The eight 16-bit groups of an IPv6 address, as numbers (the address is known to be valid). */
function expandIpv6(s: string): number[] {
  let text = s;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = `${text.slice(0, v4.index)}${(a * 256 + b).toString(16)}:${(c * 256 + d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map(g => parseInt(g, 16)) : []);
  const h = parse(head);
  const t = parse(tail);
  return tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
}

const ipFuncs = ({ celFunc, CelScalar }: CelLib) => [
  celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, isKubernetesIp),
];

let env: ReturnType<typeof makeEnv> | undefined;
function makeEnv() {
  const lib = cel();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { strings } = require('@bufbuild/cel/ext') as typeof import('@bufbuild/cel/ext');
  return lib.celEnv({ funcs: [...strings, ...urlFuncs(lib), ...ipFuncs(lib)], variables: { self: lib.CelScalar.DYN } });
}

const programs = new Map<string, Program>();

function program(rule: string): Program {
  let p = programs.get(rule);
  if (!p) {
    env ??= makeEnv();
    try {
      const run = cel().plan(env, cel().parse(rule));
      p = (self: unknown) => run({ self: self as any });
    } catch (e) {
      const message = `rule does not compile: ${(e as Error).message}`;
      p = () => new Error(message);
    }
    programs.set(rule, p);
  }
  return p;
}

// A rule's outcome on a scalar depends on the rule and the value alone, and a large app repeats the same few
// values (durations such as '5s', label values) thousands of times; maps and lists are evaluated every time.
// Each rule remembers a bounded number of values, so memory stays flat however varied the input is.
const MEMO_LIMIT = 1024;
const scalarOutcomes = new Map<string, Map<unknown, RuleOutcome>>();

/** Evaluate `rule` with `self` bound to an already converted CEL value. */
export function evaluateRule(rule: string, self: unknown): RuleOutcome {
  const t = typeof self;
  if (t !== 'string' && t !== 'boolean' && t !== 'bigint' && t !== 'number') return evaluateUncached(rule, self);
  let memo = scalarOutcomes.get(rule);
  if (!memo) scalarOutcomes.set(rule, (memo = new Map()));
  let outcome = memo.get(self);
  if (!outcome) {
    outcome = evaluateUncached(rule, self);
    if (memo.size < MEMO_LIMIT) memo.set(self, outcome);
  }
  return outcome;
}

function evaluateUncached(rule: string, self: unknown): RuleOutcome {
  let result: CelValue | Error;
  try {
    result = program(rule)(self);
  } catch (e) {
    result = e as Error;
  }
  if (result === true) return { ok: true };
  if (result === false) return { ok: false };
  if (result instanceof Error || cel().isCelError(result)) return { ok: false, error: result.message };
  return { ok: false, error: `rule returned ${String(result)}, not a bool` };
}

/** Evaluate a `messageExpression`; undefined when it does not yield a string. */
export function evaluateMessage(expression: string, self: unknown): string | undefined {
  try {
    const result = program(expression)(self);
    return typeof result === 'string' ? result : undefined;
  } catch {
    return undefined;
  }
}

/** Parse a CEL expression (e.g. a Telemetry access-log filter), throwing its syntax error; loads CEL lazily. */
export function parseCelExpression(expression: string): void {
  cel().parse(expression);
}
