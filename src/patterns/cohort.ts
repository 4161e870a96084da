// Cohort: the requests a pattern sends somewhere special (a tester to the canary, a user group to variant B),
// chosen by header, cookie or JWT claim. It renders to ordinary HttpMatches, so the output is plain Istio.
import { invalidValue } from '../core/errors';
import { HttpMatch } from '../networking/match';
import { StringMatch } from '../networking/string-match';

/**
 * A group of requests, chosen by header, cookie or user claim; a request is in the cohort when any of its
 * matches holds (OR).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMatchRequest
 */
export class Cohort {
  /** Requests whose header `name` matches, e.g. `Cohort.header('canary', StringMatch.exact('true'))`. */
  public static header(name: string, match: StringMatch): Cohort {
    return new Cohort([HttpMatch.header(name.toLowerCase(), match)]);
  }

  /**
   * Requests carrying the cookie `name=value`. Istio has no cookie match, so this is a regex on the `cookie`
   * header that finds the pair anywhere in the list.
   */
  public static cookie(name: string, value: string): Cohort {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
      throw invalidValue({ kind: 'Cohort', field: 'cookie', problem: 'a cookie name must be an RFC 6265 token', got: name, allowed: 'letters, digits and !#$%&\'*+-.^_`|~' });
    }
    return new Cohort([HttpMatch.header('cookie', StringMatch.regex(`^(.*?;\\s*)?${escapeRe(name)}=${escapeRe(value)}(;.*)?$`))]);
  }

  /**
   * Requests whose validated JWT has the claim `claim` matching. Istio matches claims only on gateways, and
   * only after a RequestAuthentication validated the token.
   * @param claim the claim name; nested claims are written `a.b`
   */
  public static claim(claim: string, match: StringMatch): Cohort {
    return new Cohort([HttpMatch.header(`@request.auth.claims.${claim}`, match)]);
  }

  /** Requests that satisfy any of these matches, for conditions the other factories do not cover. */
  public static of(...matches: HttpMatch[]): Cohort {
    return new Cohort([...matches]);
  }

  /** The matches, any of which puts a request in the cohort. */
  public readonly matches: HttpMatch[];

  private constructor(matches: HttpMatch[]) {
    this.matches = matches;
  }

  /** This cohort or another: a request in either is in the result. */
  public or(other: Cohort): Cohort {
    return new Cohort([...this.matches, ...other.matches]);
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
