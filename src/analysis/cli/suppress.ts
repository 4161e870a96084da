// `--suppress` as istioctl accepts it (`CODE=Kind name.namespace`, `*` matching any run of characters, as
// go-glob does) beside a plain list of codes (`IST0102,IST0118`), which suppresses a code everywhere.
import { originOf } from './format';
import { Diagnostic } from '../diagnostic';

/** One suppression: a code, and the resources it applies to (`undefined`: everywhere). @internal */
export interface Suppression {
  readonly code: string;
  readonly resource?: string;
}

/** Parse the values of `--suppress`; throws on a value istioctl would refuse. @internal */
export function parseSuppressions(values: readonly string[]): Suppression[] {
  const out: Suppression[] = [];
  for (const value of values) {
    if (value.includes('=')) {
      const parts = value.split('=');
      if (parts.length !== 2 || !parts[0]) throw new Error(`${value} is not a valid suppression value (expected CODE=Kind name.namespace, e.g. "IST0102=DestinationRule primary-dr.default")`);
      out.push({ code: parts[0].trim(), resource: parts[1].trim() });
    } else {
      for (const code of value.split(',').map(s => s.trim()).filter(Boolean)) out.push({ code });
    }
  }
  return out;
}

/** go-glob: `*` matches any run of characters, nothing else is special. @internal */
export function globMatch(pattern: string, subject: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === subject;
  if (!subject.startsWith(parts[0]) || !subject.endsWith(parts[parts.length - 1])) return false;
  let at = parts[0].length;
  const end = subject.length - parts[parts.length - 1].length;
  for (const part of parts.slice(1, -1)) {
    const i = subject.indexOf(part, at);
    if (i < 0 || i + part.length > end) return false;
    at = i + part.length;
  }
  return at <= end;
}

/** Whether a suppression that names resources removes this finding. @internal */
export function isSuppressed(d: Diagnostic, suppressions: readonly Suppression[], defaultNamespace?: string): boolean {
  const origin = originOf(d, defaultNamespace);
  return suppressions.some(s => s.resource !== undefined && s.code === d.code && origin !== '' && globMatch(s.resource, origin));
}
