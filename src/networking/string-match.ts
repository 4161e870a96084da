// StringMatch: how a VirtualService compares a URI, header, query parameter, method, authority or CORS origin.
// One class with three factories makes "exact and prefix at once" (a CRD oneOf violation) unwritable.
import { JsonMap } from '../core/json';

/**
 * A string comparison: exact, prefix, or RE2 regular expression.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#StringMatch
 */
export class StringMatch {
  /** The value must equal `value`. */
  public static exact(value: string): StringMatch {
    return new StringMatch('exact', value);
  }

  /** The value must start with `value`. An empty prefix is allowed only for URIs. */
  public static prefix(value: string): StringMatch {
    return new StringMatch('prefix', value);
  }

  /**
   * The value must match the RE2 regular expression `pattern` (Go syntax: no lookaround, no backreferences;
   * at most 1024 characters). Envoy matches the whole value, as if the pattern were anchored.
   */
  public static regex(pattern: string): StringMatch {
    return new StringMatch('regex', pattern);
  }

  /** `exact`, `prefix` or `regex`. */
  public readonly type: string;
  /** The string or pattern compared against. */
  public readonly value: string;

  private constructor(type: string, value: string) {
    this.type = type;
    this.value = value;
  }

  /** @internal */
  public _render(): { [key: string]: string } {
    return { [this.type]: this.value };
  }
}

/** Render a map of StringMatches. @internal */
export function renderMatchMap(map: { [key: string]: StringMatch } | undefined): JsonMap | undefined {
  if (!map) return undefined;
  const out: JsonMap = {};
  for (const [k, v] of Object.entries(map)) out[k] = v._render();
  return out;
}
