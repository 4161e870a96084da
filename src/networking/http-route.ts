// The options of an HTTP rule of a VirtualService (`addHttpRoute`): what it matches, where it sends traffic,
// and what it does on the way (timeouts, retries, faults, mirroring, redirects, rewrites, headers, CORS).
import { Duration } from 'cdk8s';
import { Mirror, RouteDestination } from './destination';
import { Fault } from './fault';
import { HttpHeaders } from './headers';
import { HttpMatch } from './match';
import { RetryPolicy } from './retry';
import { StringMatch } from './string-match';
import type { IVirtualService } from './virtual-service';

/**
 * Which port a redirect keeps when it does not set one.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRedirect-RedirectPortSelection
 */
export enum RedirectPortSelection {
  /** 80 for http, 443 for https. */
  FROM_PROTOCOL_DEFAULT = 'FROM_PROTOCOL_DEFAULT',
  /** The port of the original request. */
  FROM_REQUEST_PORT = 'FROM_REQUEST_PORT',
}

/**
 * An HTTP redirect returned instead of forwarding the request.
 */
export interface HttpRedirect {
  /**
   * Replace the path with this.
   * @default - keep the path
   */
  readonly uri?: string;
  /**
   * Replace the authority (host) with this.
   * @default - keep the authority
   */
  readonly authority?: string;
  /**
   * Replace the port with this.
   * @default - see `derivePort`
   */
  readonly port?: number;
  /**
   * Derive the port from the protocol or the request, instead of `port`.
   * @default - keep the port
   */
  readonly derivePort?: RedirectPortSelection;
  /**
   * Replace the scheme: `http` or `https`.
   * @default - keep the scheme
   */
  readonly scheme?: string;
  /**
   * The status code of the redirect, 300..399.
   * @default 301
   */
  readonly redirectCode?: number;
}

/**
 * A regex rewrite of the path.
 */
export interface RegexRewrite {
  /** RE2 regular expression matched against the path. */
  readonly match: string;
  /** Replacement; `\1` etc. refer to capture groups. */
  readonly rewrite: string;
}

/**
 * Changes to the request before it is forwarded.
 */
export interface HttpRewrite {
  /**
   * Replace the matched URI part: the whole path for exact matches, the prefix for prefix matches.
   * @default - keep the path
   */
  readonly uri?: string;
  /**
   * Rewrite the path with a regular expression.
   * @default - no regex rewrite
   */
  readonly uriRegexRewrite?: RegexRewrite;
  /**
   * Replace the authority (Host header).
   * @default - keep the authority
   */
  readonly authority?: string;
}

/**
 * A fixed response returned instead of forwarding the request.
 */
export interface DirectResponse {
  /** HTTP status code, 200..600. */
  readonly status: number;
  /**
   * The response body, as text.
   * @default - empty body
   */
  readonly body?: string;
  /**
   * The response body, base64-encoded bytes. Give this or `body`.
   * @default - see `body`
   */
  readonly bodyBase64?: string;
}

/**
 * What a CORS preflight that matches no policy does.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#CorsPolicy-UnmatchedPreflights
 */
export enum UnmatchedPreflights {
  /** Forward it to the upstream. */
  FORWARD = 'FORWARD',
  /** Answer it without forwarding. */
  IGNORE = 'IGNORE',
}

/**
 * A CORS policy.
 */
export interface CorsPolicy {
  /**
   * Origins allowed to make requests.
   * @default - none
   */
  readonly allowOrigins?: StringMatch[];
  /**
   * Methods allowed: GET, HEAD, POST, PUT, PATCH, DELETE, CONNECT, OPTIONS, TRACE, or `*`.
   * @default - none
   */
  readonly allowMethods?: string[];
  /**
   * Request headers allowed.
   * @default - none
   */
  readonly allowHeaders?: string[];
  /**
   * Response headers the browser may read.
   * @default - none
   */
  readonly exposeHeaders?: string[];
  /**
   * How long a preflight result may be cached; whole seconds.
   * @default - not cached by the policy
   */
  readonly maxAge?: Duration;
  /**
   * Whether credentials may be sent.
   * @default - unset (not allowed)
   */
  readonly allowCredentials?: boolean;
  /**
   * What to do with preflights no origin matches.
   * @default - Envoy's default (FORWARD)
   */
  readonly unmatchedPreflights?: UnmatchedPreflights;
}

/**
 * The options of an HTTP rule. Give exactly one action: `to`, `redirect`, `directResponse` or `delegate`.
 */
export interface HttpRouteOptions {
  /**
   * The requests this rule applies to: any of these matches (OR).
   * @default - every request (only the last rule may omit its matches)
   */
  readonly match?: HttpMatch[];
  /**
   * Where to send the requests; several destinations split traffic by weight.
   * @default - none: give `redirect`, `directResponse` or `delegate` instead
   */
  readonly to?: RouteDestination[];
  /**
   * Timeout of the whole request, retries included.
   * @default - no timeout
   */
  readonly timeout?: Duration;
  /**
   * Retry policy.
   * @default - Istio's default retry policy
   */
  readonly retries?: RetryPolicy;
  /**
   * Faults to inject.
   * @default - none
   */
  readonly fault?: Fault;
  /**
   * Copy requests to one other destination.
   * @default - no mirroring
   */
  readonly mirror?: Mirror;
  /**
   * Copy requests to several other destinations. Give this or `mirror`.
   * @default - no mirroring
   */
  readonly mirrors?: Mirror[];
  /**
   * Answer with a redirect instead of forwarding.
   * @default - no redirect
   */
  readonly redirect?: HttpRedirect;
  /**
   * Answer with a fixed response instead of forwarding.
   * @default - no direct response
   */
  readonly directResponse?: DirectResponse;
  /**
   * Rewrite the request before forwarding.
   * @default - no rewrite
   */
  readonly rewrite?: HttpRewrite;
  /**
   * Header changes for every destination of the rule.
   * @default - none
   */
  readonly headers?: HttpHeaders;
  /**
   * CORS policy.
   * @default - none
   */
  readonly corsPolicy?: CorsPolicy;
  /**
   * Hand the matched requests to another VirtualService (one without hosts) that holds the routes.
   * @default - no delegation
   */
  readonly delegate?: IVirtualService;
}

/**
 * The options of a TCP or TLS rule.
 */
export interface L4RouteOptions {
  /** Where to send the connections; several destinations split them by weight. */
  readonly to: RouteDestination[];
}
