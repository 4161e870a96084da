// Request matches of VirtualService rules: HttpMatch (an AND of request conditions) for HTTP rules, and the
// connection-level matches of TCP and TLS rules. A rule's match list is an OR of these.
import { IGateway, renderGatewayRef } from './gateway';
import { StringMatch, renderMatchMap } from './string-match';
import { JsonMap } from '../core/json';

/**
 * The conditions of one HTTP match; all given conditions must hold (AND).
 */
export interface HttpMatchOptions {
  /**
   * The request path.
   * @default - any path
   */
  readonly uri?: StringMatch;
  /**
   * The URI scheme (`http`, `https`).
   * @default - any scheme
   */
  readonly scheme?: StringMatch;
  /**
   * The HTTP method.
   * @default - any method
   */
  readonly method?: StringMatch;
  /**
   * The HTTP authority (Host header).
   * @default - any authority
   */
  readonly authority?: StringMatch;
  /**
   * Request headers that must match, by lower-case name. On gateway-bound VirtualServices the name may be a
   * JWT claim, `@request.auth.claims.<claim>`.
   * @default - no header conditions
   */
  readonly headers?: { [name: string]: StringMatch };
  /**
   * Request headers that must NOT match, by lower-case name.
   * @default - no negative header conditions
   */
  readonly withoutHeaders?: { [name: string]: StringMatch };
  /**
   * Query parameters that must match, by name.
   * @default - no query parameter conditions
   */
  readonly queryParams?: { [name: string]: StringMatch };
  /**
   * The port the request was addressed to, for hosts that serve several ports.
   * @default - any port
   */
  readonly port?: number;
  /**
   * Labels the calling workload must carry (sidecar traffic only).
   * @default - any caller
   */
  readonly sourceLabels?: { [key: string]: string };
  /**
   * Namespace the calling workload must run in (sidecar traffic only).
   * @default - any namespace
   */
  readonly sourceNamespace?: string;
  /**
   * Gateways this match is limited to; overrides the VirtualService's gateways for this match.
   * @default - the VirtualService's gateways
   */
  readonly gateways?: IGateway[];
  /**
   * Compare `uri` case-insensitively (exact and prefix only).
   * @default false
   */
  readonly ignoreUriCase?: boolean;
  /**
   * A name for the match, appended to the route name in access logs and stats.
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * A stat prefix for the route generated from this match.
   * @default - none
   */
  readonly statPrefix?: string;
}

/**
 * One HTTP match: an AND of conditions on the request. Give a rule several to match any of them (OR).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMatchRequest
 */
export class HttpMatch {
  /** A match combining any of the conditions. */
  public static of(options: HttpMatchOptions): HttpMatch {
    return new HttpMatch({ ...options });
  }

  /** The request path matches, e.g. `HttpMatch.uri(StringMatch.prefix('/api'))`. */
  public static uri(match: StringMatch): HttpMatch {
    return new HttpMatch({ uri: match });
  }

  /** A request header matches, e.g. `HttpMatch.header('end-user', StringMatch.exact('jason'))`. */
  public static header(name: string, match: StringMatch): HttpMatch {
    return new HttpMatch({ headers: { [name]: match } });
  }

  /** A query parameter matches. */
  public static queryParam(name: string, match: StringMatch): HttpMatch {
    return new HttpMatch({ queryParams: { [name]: match } });
  }

  /** The HTTP method matches, e.g. `HttpMatch.method(StringMatch.exact('GET'))`. */
  public static method(match: StringMatch): HttpMatch {
    return new HttpMatch({ method: match });
  }

  /** The authority (Host header) matches. */
  public static authority(match: StringMatch): HttpMatch {
    return new HttpMatch({ authority: match });
  }

  /** The request was addressed to `port`. */
  public static port(port: number): HttpMatch {
    return new HttpMatch({ port });
  }

  /** The conditions of this match. */
  public readonly options: HttpMatchOptions;

  private constructor(options: HttpMatchOptions) {
    this.options = options;
  }

  /**
   * This match with more conditions (AND). Conditions given here replace those of the same field.
   */
  public and(options: HttpMatchOptions): HttpMatch {
    const o = this.options;
    return new HttpMatch({
      ...o,
      ...options,
      headers: mergeMaps(o.headers, options.headers),
      withoutHeaders: mergeMaps(o.withoutHeaders, options.withoutHeaders),
      queryParams: mergeMaps(o.queryParams, options.queryParams),
      sourceLabels: mergeMaps(o.sourceLabels, options.sourceLabels),
    });
  }

  /** @internal */
  public _render(namespace: string | undefined): JsonMap {
    const o = this.options;
    return {
      name: o.name,
      uri: o.uri?._render(),
      scheme: o.scheme?._render(),
      method: o.method?._render(),
      authority: o.authority?._render(),
      headers: renderMatchMap(o.headers),
      withoutHeaders: renderMatchMap(o.withoutHeaders),
      queryParams: renderMatchMap(o.queryParams),
      port: o.port,
      sourceLabels: o.sourceLabels ? { ...o.sourceLabels } : undefined,
      sourceNamespace: o.sourceNamespace,
      gateways: o.gateways?.map(g => renderGatewayRef(g, namespace)),
      ignoreUriCase: o.ignoreUriCase,
      statPrefix: o.statPrefix,
    };
  }
}

function mergeMaps<T>(a: { [k: string]: T } | undefined, b: { [k: string]: T } | undefined): { [k: string]: T } | undefined {
  if (!a) return b;
  if (!b) return a;
  return { ...a, ...b };
}

/**
 * The conditions of one TCP match; all given conditions must hold.
 */
export interface TcpMatch {
  /**
   * The port the connection was addressed to.
   * @default - any port
   */
  readonly port?: number;
  /**
   * Destination IPs or CIDRs (`a.b.c.d/xx`) of the connection.
   * @default - any destination address
   */
  readonly destinationSubnets?: string[];
  /**
   * Labels the calling workload must carry.
   * @default - any caller
   */
  readonly sourceLabels?: { [key: string]: string };
  /**
   * Namespace the calling workload must run in.
   * @default - any namespace
   */
  readonly sourceNamespace?: string;
  /**
   * Gateways this match is limited to.
   * @default - the VirtualService's gateways
   */
  readonly gateways?: IGateway[];
}

/**
 * The conditions of one TLS match: the SNI of the connection and, optionally, TCP conditions.
 */
export interface TlsMatch extends TcpMatch {
  /**
   * SNI values to match; each must be one of the VirtualService's hosts or covered by one of them.
   * Use `["*"]` with a `*` host to match every SNI.
   */
  readonly sniHosts: string[];
}

/** @internal */
export function renderL4Match(m: TcpMatch, namespace: string | undefined, sniHosts?: string[]): JsonMap {
  return {
    sniHosts,
    port: m.port,
    destinationSubnets: m.destinationSubnets,
    sourceLabels: m.sourceLabels ? { ...m.sourceLabels } : undefined,
    sourceNamespace: m.sourceNamespace,
    gateways: m.gateways?.map(g => renderGatewayRef(g, namespace)),
  };
}
