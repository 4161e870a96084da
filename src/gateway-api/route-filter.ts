// Filters of Gateway API route rules and backends: header changes, redirects, URL rewrites, mirroring, CORS
// and extension references. One factory per filter type, so a filter always carries the one field its type needs.
import { Duration } from 'cdk8s';
import { BackendRefOptions, renderBackendObjectRef } from './backend-ref';
import { invalidValue } from '../core/errors';
import { IHost, RenderContext } from '../core/host';
import { JsonMap } from '../core/json';
import { Percent } from '../core/percent';
import { HeaderOperations } from '../networking/headers';

/** The scheme of a redirect. */
export enum HttpScheme {
  /** `http`. */
  HTTP = 'http',
  /** `https`. */
  HTTPS = 'https',
}

/**
 * How a redirect or rewrite changes the path.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httppathmodifier
 */
export class PathModifier {
  /** Replace the whole path, e.g. `/new`. */
  public static replaceFullPath(path: string): PathModifier {
    return new PathModifier({ type: 'ReplaceFullPath', replaceFullPath: path });
  }

  /** Replace the part the rule's `PathPrefix` match matched, e.g. `/api/v1` -> `/v2`. */
  public static replacePrefixMatch(prefix: string): PathModifier {
    return new PathModifier({ type: 'ReplacePrefixMatch', replacePrefixMatch: prefix });
  }

  private constructor(private readonly json: JsonMap) {}

  /** @internal */
  public _render(): JsonMap {
    return { ...this.json };
  }
}

/** Options of `RouteFilter.requestRedirect`. */
export interface RequestRedirectOptions {
  /**
   * The scheme of the redirect target.
   * @default - the scheme of the request
   */
  readonly scheme?: HttpScheme;
  /**
   * The host of the redirect target.
   * @default - the Host header of the request
   */
  readonly hostname?: string;
  /**
   * How the path changes.
   * @default - the path of the request
   */
  readonly path?: PathModifier;
  /**
   * The port of the redirect target.
   * @default - the well-known port of the scheme when the scheme changes, else the listener's port
   */
  readonly port?: number;
  /**
   * The status code: 301, 302, 303, 307 or 308.
   * @default 302 (the Gateway API default)
   */
  readonly statusCode?: number;
}

/** Options of `RouteFilter.urlRewrite`. */
export interface UrlRewriteOptions {
  /**
   * The Host header sent to the backend.
   * @default - unchanged
   */
  readonly hostname?: string;
  /**
   * How the path changes.
   * @default - unchanged
   */
  readonly path?: PathModifier;
}

/** Options of `RouteFilter.requestMirror`. */
export interface RequestMirrorOptions {
  /**
   * The port of the mirror's Service.
   * @default - the Service's only port, when it is known to have exactly one
   */
  readonly port?: number;
  /**
   * The share of requests mirrored. Whole percentages are written as `percent`, others as a `fraction`.
   * @default - every request
   */
  readonly percent?: Percent;
}

/** Options of `RouteFilter.cors`. */
export interface CorsFilterOptions {
  /**
   * Origins allowed to make cross-origin requests (`https://shop.example.com`, `https://*.example.com`, `*`).
   * @default - none
   */
  readonly allowOrigins?: string[];
  /**
   * Methods allowed (`GET`, `POST`, ..., or `*`).
   * @default - none
   */
  readonly allowMethods?: string[];
  /**
   * Request headers allowed.
   * @default - none
   */
  readonly allowHeaders?: string[];
  /**
   * Response headers the browser may expose.
   * @default - none
   */
  readonly exposeHeaders?: string[];
  /**
   * Whether credentials are allowed.
   * @default - not allowed
   */
  readonly allowCredentials?: boolean;
  /**
   * How long browsers may cache a preflight response, in whole seconds.
   * @default - 5 seconds (the Gateway API default)
   */
  readonly maxAge?: Duration;
}

/** A reference to an implementation-specific filter resource. */
export interface ExtensionRefOptions {
  /** The API group of the filter resource. */
  readonly group: string;
  /** The kind of the filter resource. */
  readonly kind: string;
  /** The name of the filter resource, in the route's namespace. */
  readonly name: string;
}

/**
 * A filter of a route rule or of one backend: changes the request or response on the way.
 * GRPCRoute takes the header modifiers, the mirror and extension references.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproutefilter
 */
export class RouteFilter {
  /** Set, add or remove request headers before the request is forwarded. */
  public static requestHeaders(operations: HeaderOperations): RouteFilter {
    return new RouteFilter('RequestHeaderModifier', 'requestHeaderModifier', () => renderHeaderModifier(operations));
  }

  /** Set, add or remove response headers before the response is returned. */
  public static responseHeaders(operations: HeaderOperations): RouteFilter {
    return new RouteFilter('ResponseHeaderModifier', 'responseHeaderModifier', () => renderHeaderModifier(operations));
  }

  /** Answer with a redirect instead of forwarding (a rule with a redirect has no backends). */
  public static requestRedirect(options: RequestRedirectOptions): RouteFilter {
    return new RouteFilter('RequestRedirect', 'requestRedirect', () => ({
      scheme: options.scheme,
      hostname: options.hostname,
      path: options.path?._render(),
      port: options.port,
      statusCode: options.statusCode,
    }));
  }

  /** Rewrite the Host header or the path before forwarding. */
  public static urlRewrite(options: UrlRewriteOptions): RouteFilter {
    return new RouteFilter('URLRewrite', 'urlRewrite', () => ({ hostname: options.hostname, path: options.path?._render() }));
  }

  /** Copy requests to another Service; its responses are discarded. */
  public static requestMirror(host: IHost, options: RequestMirrorOptions = {}): RouteFilter {
    const filter = new RouteFilter('RequestMirror', 'requestMirror', ctx => ({
      backendRef: renderBackendObjectRef(host, options.port, ctx),
      ...renderShare(options.percent),
    }));
    filter._mirror = { host, options: { port: options.port } };
    return filter;
  }

  /** Answer CORS preflight requests and add CORS headers to responses. */
  public static cors(options: CorsFilterOptions): RouteFilter {
    let maxAge: number | undefined;
    if (options.maxAge) {
      const s = options.maxAge.toSeconds({ integral: false });
      if (!Number.isInteger(s) || s < 1) {
        throw invalidValue({ kind: 'RouteFilter', field: 'cors.maxAge', problem: 'maxAge must be whole seconds, at least 1', got: `${s}s`, allowed: 'e.g. Duration.hours(1)' });
      }
      maxAge = s;
    }
    return new RouteFilter('CORS', 'cors', () => ({
      allowOrigins: options.allowOrigins && [...options.allowOrigins],
      allowMethods: options.allowMethods && [...options.allowMethods],
      allowHeaders: options.allowHeaders && [...options.allowHeaders],
      exposeHeaders: options.exposeHeaders && [...options.exposeHeaders],
      allowCredentials: options.allowCredentials,
      maxAge,
    }));
  }

  /** An implementation-specific filter, defined by another resource. */
  public static extensionRef(ref: ExtensionRefOptions): RouteFilter {
    return new RouteFilter('ExtensionRef', 'extensionRef', () => ({ group: ref.group, kind: ref.kind, name: ref.name }));
  }

  /** The filter type, e.g. `RequestHeaderModifier`. */
  public readonly type: string;

  /** The mirror's backend, for the route's port check and ReferenceGrant. @internal */
  public _mirror?: { readonly host: IHost; readonly options: BackendRefOptions };

  private constructor(type: string, private readonly field: string, private readonly body: (ctx: RenderContext) => JsonMap) {
    this.type = type;
  }

  /** @internal */
  public _render(ctx: RenderContext): JsonMap {
    return { type: this.type, [this.field]: this.body(ctx) };
  }
}

function renderHeaderModifier(o: HeaderOperations): JsonMap {
  const list = (m: { [name: string]: string } | undefined) => m && Object.entries(m).map(([name, value]) => ({ name, value }));
  return { set: list(o.set), add: list(o.add), remove: o.remove && [...o.remove] };
}

/** A whole percentage as `percent`, a fractional one as the smallest exact `fraction`. */
function renderShare(p: Percent | undefined): JsonMap {
  if (!p) return {};
  if (Number.isInteger(p.value)) return { percent: p.value };
  let scale = 1;
  while (!Number.isInteger(Math.round(p.value * scale * 1e6) / 1e6) && scale < 1e9) scale *= 10;
  return { fraction: { numerator: Math.round(p.value * scale), denominator: 100 * scale } };
}
