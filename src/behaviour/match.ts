// The matchers Envoy runs for Istio's match fields: StringMatch (exact, prefix, RE2 regex over the whole value)
// and the authorization value syntax (exact, `prefix*`, `*suffix`, `*` = present).
type Re2Lib = typeof import('@bufbuild/re2');
let re2Lib: Re2Lib | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const re2 = (): Re2Lib => (re2Lib ??= require('@bufbuild/re2'));

/** Whether `value` (undefined = absent) satisfies an Istio StringMatch. An empty StringMatch means present. @internal */
export function stringMatches(m: any, value: string | undefined, ignoreCase = false): boolean {
  if (value === undefined) return false;
  if (!m || typeof m !== 'object') return true;
  const fold = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  if (typeof m.exact === 'string') return fold(value) === fold(m.exact);
  if (typeof m.prefix === 'string') return fold(value).startsWith(fold(m.prefix));
  if (typeof m.regex === 'string') {
    try {
      return re2().RE2JS.matches(ignoreCase ? `(?i)${m.regex}` : m.regex, value);
    } catch {
      return false;
    }
  }
  return true;
}

/** Istio's authorization value match: exact, `prefix*`, `*suffix`, `*` (any non-empty value). @internal */
export function authzValueMatches(pattern: string, value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return value === pattern;
}

/** Whether an IPv4 address is inside a CIDR (or equals an address). @internal */
export function ipInBlock(block: string, ip: string | undefined): boolean {
  if (!ip) return false;
  const [base, bitsText] = block.split('/');
  const toInt = (a: string) => {
    const parts = a.split('.').map(Number);
    if (parts.length !== 4 || parts.some(p => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
    return parts.reduce((acc, p) => acc * 256 + p, 0);
  };
  const b = toInt(base);
  const v = toInt(ip);
  if (b === undefined || v === undefined) return block === ip;
  const size = 2 ** (32 - (bitsText === undefined ? 32 : Number(bitsText)));
  return Math.floor(b / size) === Math.floor(v / size);
}

/** Lower-cased header map. @internal */
export function lowerKeys(map: { [k: string]: string } | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map ?? {})) out[k.toLowerCase()] = v;
  return out;
}
