// RequestAuthentication: which JWTs the selected workloads validate (issuer, keys, where the token is read
// from, what is forwarded), and `requireJwt()`, the AuthorizationPolicy that makes a token mandatory.
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { AuthorizationAction, AuthorizationPolicy, Operation, Source } from './authorization-policy';
import { PolicyTargetRef } from './target-ref';
import { SUPPRESS_ANNOTATION } from '../analysis/engine';
import { Messages } from '../analysis/messages';
import { renderDuration } from '../core/duration';
import { formatProblem, withConstructPath } from '../core/errors';
import { JsonMap } from '../core/json';
import { compact } from '../core/render';
import { IstioResource, IstioResourceProps } from '../core/resource';
import { WorkloadSelector } from '../core/selector';

/**
 * Where the public keys that verify a token come from: a URL or an inline JWKS, never both.
 *
 * @see https://istio.io/latest/docs/reference/config/security/jwt/#JWTRule
 */
export class JwksSource {
  /** Fetch the JSON Web Key Set from this `http(s)` URL (istiod fetches and caches it). */
  public static fromUri(uri: string): JwksSource {
    return new JwksSource({ jwksUri: uri });
  }

  /** An inline JSON Web Key Set (`{"keys": [...]}`), as a JSON string. Public keys only. */
  public static fromJson(jwks: string): JwksSource {
    return new JwksSource({ jwks });
  }

  private constructor(private readonly fields: { jwksUri?: string; jwks?: string }) {}

  /** @internal */
  public _render(): { jwksUri?: string; jwks?: string } {
    return { ...this.fields };
  }
}

/** A header that carries the token. */
export interface JwtHeader {
  /** The header name, e.g. `x-goog-iap-jwt-assertion`. */
  readonly name: string;
  /**
   * A prefix to strip before the token, e.g. `Bearer ` (with the space).
   * @default - no prefix
   */
  readonly prefix?: string;
}

/** A claim copied into a request header for the workload. */
export interface ClaimToHeader {
  /** The claim name, e.g. `sub`; nested claims as `a.b`. */
  readonly claim: string;
  /** The header to write, letters, digits, `-` and `_`. */
  readonly header: string;
}

/** One JWT issuer a workload accepts. */
export interface JwtRule {
  /**
   * The token issuer (`iss`).
   * @default - any issuer; then `jwks` must be a URL
   */
  readonly issuer?: string;
  /**
   * Accepted audiences (`aud`).
   * @default - the token's audience is not checked
   */
  readonly audiences?: string[];
  /**
   * The keys that verify tokens.
   * @default - discovered from the issuer's OpenID configuration
   */
  readonly jwks?: JwksSource;
  /**
   * Headers to read the token from.
   * @default - `Authorization: Bearer <token>`
   */
  readonly fromHeaders?: JwtHeader[];
  /**
   * Query parameters to read the token from.
   * @default - `access_token`
   */
  readonly fromParams?: string[];
  /**
   * Cookies to read the token from.
   * @default - none
   */
  readonly fromCookies?: string[];
  /**
   * A header to which the verified payload is written (base64url-encoded JSON).
   * @default - not written
   */
  readonly outputPayloadToHeader?: string;
  /**
   * Claims copied into headers.
   * @default - none
   */
  readonly outputClaimToHeaders?: ClaimToHeader[];
  /**
   * Keep the token on the request to the workload.
   * @default false
   */
  readonly forwardOriginalToken?: boolean;
  /**
   * How long istiod waits when fetching the JWKS.
   * @default - 5 seconds (Istio's default)
   */
  readonly timeout?: Duration;
  /**
   * Claims whose value is a space-separated list (such as `scope`) beyond `scope` and `permission`.
   * @default - none
   */
  readonly spaceDelimitedClaims?: string[];
}

/** Properties of a `RequestAuthentication`. */
export interface RequestAuthenticationProps extends IstioResourceProps {
  /**
   * The workloads that validate tokens. Give this or `targetRefs`, not both.
   * @default - every workload of the namespace (of the mesh in the root namespace)
   */
  readonly selector?: WorkloadSelector;
  /**
   * Services, ServiceEntries or Gateway API gateways that validate tokens. Give this or `selector`.
   * @default - none
   */
  readonly targetRefs?: PolicyTargetRef[];
  /**
   * The accepted issuers. More can be added with `addJwtRule`.
   * @default - none
   */
  readonly jwtRules?: JwtRule[];
}

/** Options of `RequestAuthentication.requireJwt()`. */
export interface RequireJwtOptions extends IstioResourceProps {
  /**
   * Only these operations need a token (e.g. `[Operation.paths('/api/*')]`).
   * @default - every request needs a token
   */
  readonly to?: Operation[];
}

/**
 * An Istio RequestAuthentication: the JWTs the selected workloads validate.
 *
 * It only rejects requests that carry an *invalid* token; a request without any token passes. Call
 * `requireJwt()` to add the AuthorizationPolicy that denies requests without a valid token.
 *
 * @example
 * declare const chart: Chart;
 * new RequestAuthentication(chart, 'jwt', {
 *   jwtRules: [{ issuer: 'https://auth.example.com', jwks: JwksSource.fromUri('https://auth.example.com/jwks.json') }],
 * });
 * @see https://istio.io/latest/docs/reference/config/security/request_authentication/
 */
export class RequestAuthentication extends IstioResource {
  private readonly selector?: WorkloadSelector;
  private readonly targetRefs?: PolicyTargetRef[];
  private readonly rules: JwtRule[] = [];

  public constructor(scope: Construct, id: string, props: RequestAuthenticationProps = {}) {
    super(scope, id, 'RequestAuthentication', props);
    this.selector = props.selector;
    this.targetRefs = props.targetRefs ? [...props.targetRefs] : undefined;
    for (const r of props.jwtRules ?? []) this.addJwtRule(r);
    // The generated binding writes the CRD's legacy alias `jwks_uri` (and its toJson drops any other key, so
    // a JSON patch cannot rename it); Istio's docs, samples and tools write `jwksUri`.
    const l1ToJson = this.apiObject.toJson.bind(this.apiObject);
    this.apiObject.toJson = () => renameJwksUri(l1ToJson());
  }

  /** Accept tokens of one more issuer. */
  public addJwtRule(rule: JwtRule): RequestAuthentication {
    // Rendered once here so that a bad timeout throws at the call, naming this construct.
    withConstructPath(this, () => renderRule(rule, this.rules.length));
    this.rules.push(rule);
    return this;
  }

  /**
   * Deny requests that carry no valid token: a DENY AuthorizationPolicy on the same workloads matching
   * `notRequestPrincipals: ["*"]` (and `options.to` when given). It is a child of this construct, named
   * `<name>-require-jwt`. Istio warns (IST0133) that such a DENY rule also denies all plain TCP traffic to
   * the workloads; a TCP connection carries no token, so that is what requiring one means, and the policy
   * suppresses that warning with Istio's analyze annotation.
   */
  public requireJwt(options: RequireJwtOptions = {}): AuthorizationPolicy {
    const annotations = { [SUPPRESS_ANNOTATION]: Messages.SchemaWarning.code, ...options.metadata?.annotations };
    return new AuthorizationPolicy(this, 'RequireJwt', {
      metadata: { name: `${this.name}-require-jwt`, namespace: this.namespace, ...options.metadata, annotations },
      action: AuthorizationAction.DENY,
      selector: this.selector,
      targetRefs: this.targetRefs,
      rules: [{ from: [Source.notRequestPrincipals('*')], to: options.to }],
    });
  }

  /** @internal */
  protected _render(): unknown {
    const spec: JsonMap = compact({
      selector: this.selector ? { matchLabels: this.selector.matchLabels } : undefined,
      targetRefs: this.targetRefs?.map(t => t._render()),
    }) ?? {};
    // An empty rule must reach the analysis (which rejects it) instead of vanishing from the list.
    if (this.rules.length > 0) spec.jwtRules = this.rules.map((r, i) => compact(renderRule(r, i)) ?? {});
    return spec;
  }

  /** @internal */
  protected _validate(): string[] {
    const errors: string[] = [];
    (this.targetRefs ?? []).forEach((t, i) => {
      const other = t._crossNamespace(this.namespace);
      if (other) {
        errors.push(formatProblem({
          kind: 'RequestAuthentication',
          field: `spec.targetRefs[${i}]`,
          problem: 'a policy can only target resources in its own namespace',
          got: other,
          allowed: `namespace ${this.namespace ?? '(none)'}`,
        }));
      }
    });
    return errors;
  }
}

function renderRule(r: JwtRule, i: number): JsonMap {
  return {
    issuer: r.issuer,
    audiences: r.audiences,
    ...(r.jwks ? r.jwks._render() : {}),
    fromHeaders: r.fromHeaders?.map(h => ({ name: h.name, prefix: h.prefix })),
    fromParams: r.fromParams,
    fromCookies: r.fromCookies,
    outputPayloadToHeader: r.outputPayloadToHeader,
    outputClaimToHeaders: r.outputClaimToHeaders?.map(c => ({ claim: c.claim, header: c.header })),
    forwardOriginalToken: r.forwardOriginalToken,
    timeout: r.timeout ? renderDuration(r.timeout, 'RequestAuthentication', `spec.jwtRules[${i}].timeout`) : undefined,
    spaceDelimitedClaims: r.spaceDelimitedClaims,
  };
}

// The resolved object as cdk8s produces it: its shape is whatever the L1 binding wrote, so it is walked untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function renameJwksUri(json: any): any {
  for (const rule of json?.spec?.jwtRules ?? []) {
    if (rule && typeof rule === 'object' && 'jwks_uri' in rule) {
      const { jwks_uri: uri, ...rest } = rule;
      for (const k of Object.keys(rule)) delete rule[k];
      // Keys stay sorted, as cdk8s writes them.
      Object.assign(rule, Object.fromEntries(Object.entries({ ...rest, jwksUri: uri }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
    }
  }
  return json;
}
