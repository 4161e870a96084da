// HTTPRoute: the Gateway API's HTTP routing rules for the Gateways (or, in the mesh, the Services) it attaches
// to. Rules are named and kept in the order they are added; matches, filters, weighted backends, timeouts.
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { BackendRef } from './backend-ref';
import { renderGatewayDuration } from './duration';
import { GATEWAY_API_GROUP, IGatewayRef } from './parent-ref';
import { Problems, checkBackends, checkParents, checkWeights, grantBackends, renderL7Route } from './route-common';
import { RouteFilter } from './route-filter';
import { invalidValue, withConstructPath } from '../core/errors';
import { JsonMap } from '../core/json';
import { IstioResource, IstioResourceProps } from '../core/resource';
import { StringMatch } from '../networking/string-match';

/** The HTTP methods a Gateway API route can match. */
export enum HttpMethod {
  /** GET */
  GET = 'GET',
  /** HEAD */
  HEAD = 'HEAD',
  /** POST */
  POST = 'POST',
  /** PUT */
  PUT = 'PUT',
  /** DELETE */
  DELETE = 'DELETE',
  /** CONNECT */
  CONNECT = 'CONNECT',
  /** OPTIONS */
  OPTIONS = 'OPTIONS',
  /** TRACE */
  TRACE = 'TRACE',
  /** PATCH */
  PATCH = 'PATCH',
}

/** The conditions of one HTTPRoute match; all given conditions must hold (AND). */
export interface HttpRouteMatchOptions {
  /**
   * The request path: `StringMatch.exact('/login')` (Exact), `StringMatch.prefix('/api')` (PathPrefix: whole
   * path elements, so `/api` matches `/api/v1` but not `/apiary`), `StringMatch.regex(...)` (RegularExpression).
   * @default - any path (the Gateway API's `PathPrefix /`)
   */
  readonly path?: StringMatch;
  /**
   * Request headers that must match, by name: `StringMatch.exact` or `StringMatch.regex` (the Gateway API has
   * no prefix match for headers).
   * @default - no header conditions
   */
  readonly headers?: { [name: string]: StringMatch };
  /**
   * Query parameters that must match, by name: exact or regex.
   * @default - no query parameter conditions
   */
  readonly queryParams?: { [name: string]: StringMatch };
  /**
   * The HTTP method.
   * @default - any method
   */
  readonly method?: HttpMethod;
}

/**
 * One HTTPRoute match: an AND of conditions on the request. Give a rule several to match any of them (OR).
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproutematch
 */
export class HttpRouteMatch {
  /** A match combining any of the conditions. */
  public static of(options: HttpRouteMatchOptions): HttpRouteMatch {
    return new HttpRouteMatch({ ...options });
  }

  /** The request path matches, e.g. `HttpRouteMatch.path(StringMatch.prefix('/api'))`. */
  public static path(match: StringMatch): HttpRouteMatch {
    return new HttpRouteMatch({ path: match });
  }

  /** A request header matches, e.g. `HttpRouteMatch.header('x-env', StringMatch.exact('dev'))`. */
  public static header(name: string, match: StringMatch): HttpRouteMatch {
    return new HttpRouteMatch({ headers: { [name]: match } });
  }

  /** A query parameter matches. */
  public static queryParam(name: string, match: StringMatch): HttpRouteMatch {
    return new HttpRouteMatch({ queryParams: { [name]: match } });
  }

  /** The HTTP method is `method`. */
  public static method(method: HttpMethod): HttpRouteMatch {
    return new HttpRouteMatch({ method });
  }

  /** The conditions of this match. */
  public readonly options: HttpRouteMatchOptions;

  private constructor(options: HttpRouteMatchOptions) {
    for (const [field, map] of [['headers', options.headers], ['queryParams', options.queryParams]] as const) {
      for (const [name, m] of Object.entries(map ?? {})) {
        if (m.type === 'prefix') {
          throw invalidValue({ kind: 'HttpRouteMatch', field: `${field}.${name}`, problem: 'the Gateway API matches headers and query parameters exactly or by regular expression, not by prefix', got: m.value, allowed: `StringMatch.exact(...) or StringMatch.regex('${escapeRegex(m.value)}.*')` });
        }
      }
    }
    this.options = options;
  }

  /** This match with more conditions (AND). Conditions given here replace those of the same field and name. */
  public and(options: HttpRouteMatchOptions): HttpRouteMatch {
    const o = this.options;
    return new HttpRouteMatch({
      ...o,
      ...options,
      headers: o.headers || options.headers ? { ...o.headers, ...options.headers } : undefined,
      queryParams: o.queryParams || options.queryParams ? { ...o.queryParams, ...options.queryParams } : undefined,
    });
  }

  /** @internal */
  public _render(): JsonMap {
    const o = this.options;
    return {
      path: o.path && { type: PATH_TYPES[o.path.type], value: o.path.value },
      headers: renderNameMatches(o.headers),
      queryParams: renderNameMatches(o.queryParams),
      method: o.method,
    };
  }
}

const PATH_TYPES: Record<string, string> = { exact: 'Exact', prefix: 'PathPrefix', regex: 'RegularExpression' };

/** `[{ name, value }]`, with `type` only for regular expressions (`Exact` is the default). @internal */
export function renderNameMatches(map: { [name: string]: StringMatch } | undefined): JsonMap[] | undefined {
  if (!map) return undefined;
  return Object.entries(map).map(([name, m]) => ({ name, value: m.value, type: m.type === 'regex' ? 'RegularExpression' : undefined }));
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Timeouts of an HTTPRoute rule. */
export interface HttpRouteTimeouts {
  /**
   * How long the gateway waits for the whole request, retries included, before it answers 504.
   * `Duration.seconds(0)` disables the timeout.
   * @default - Istio's default (no timeout)
   */
  readonly request?: Duration;
  /**
   * How long one try towards a backend may take; at most `request`.
   * @default - the request timeout
   */
  readonly backendRequest?: Duration;
}

/** Retries of an HTTPRoute rule (a field of the Gateway API's experimental channel). */
export interface HttpRouteRetry {
  /**
   * How many times to retry.
   * @default - the implementation's default
   */
  readonly attempts?: number;
  /**
   * The minimum wait between tries.
   * @default - the implementation's default
   */
  readonly backoff?: Duration;
  /**
   * The HTTP status codes (500-599) that are retried.
   * @default - the implementation's default
   */
  readonly codes?: number[];
}

/** Options of `HttpRoute.addRule`. */
export interface HttpRouteRuleOptions {
  /**
   * The requests this rule applies to: any of these matches (OR).
   * @default - every request (the Gateway API's `PathPrefix /`)
   */
  readonly matches?: HttpRouteMatch[];
  /**
   * Filters applied to every request of the rule, in order.
   * @default - none
   */
  readonly filters?: RouteFilter[];
  /**
   * Where requests go: `BackendRef.to(Host.fromService(svc), { weight })`.
   * @default - none (a rule with a redirect filter needs none; without a backend, requests get a 500)
   */
  readonly backendRefs?: BackendRef[];
  /**
   * Request and per-try timeouts.
   * @default - none
   */
  readonly timeouts?: HttpRouteTimeouts;
  /**
   * Retries (experimental channel).
   * @default - none
   */
  readonly retry?: HttpRouteRetry;
}

/** Properties of an `HttpRoute`. */
export interface HttpRouteProps extends IstioResourceProps {
  /**
   * What the route attaches to: a `K8sGateway`, `gateway.listenerRef('https')`, `K8sGateway.fromName(...)`, or
   * `ParentRef.service(host)` for mesh routing. More can be added with `addParentRef`.
   * @default - none; a route needs at least one parent to take effect
   */
  readonly parentRefs?: IGatewayRef[];
  /**
   * The hostnames (Host header) the route applies to, e.g. `shop.example.com`, `*.example.com`.
   * @default - every hostname the listener accepts
   */
  readonly hostnames?: string[];
  /**
   * Write the ReferenceGrants that backends in other namespaces need, when they are Services of this app.
   * @default true
   */
  readonly createReferenceGrants?: boolean;
}

interface Rule {
  readonly name: string;
  readonly options: HttpRouteRuleOptions;
  readonly eager: JsonMap;
}

/**
 * A Kubernetes Gateway API HTTPRoute: HTTP routing rules for the Gateways or Services it attaches to.
 * The most specific match wins across rules (Gateway API precedence), not the order of the rules.
 *
 * @example
 * declare const chart: Chart;
 * declare const v1: kplus.Service;
 * declare const v2: kplus.Service;
 * const gateway = K8sGateway.fromName('public');
 * new HttpRoute(chart, 'shop', { parentRefs: [gateway], hostnames: ['shop.example.com'] })
 *   .addRule('canary', {
 *     backendRefs: [BackendRef.to(Host.fromService(v1), { weight: 90 }), BackendRef.to(Host.fromService(v2), { weight: 10 })],
 *     timeouts: { request: Duration.seconds(10) },
 *   });
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
 */
export class HttpRoute extends IstioResource {
  private readonly parentRefs: IGatewayRef[];
  private readonly hostnames: string[];
  private readonly rules: Rule[] = [];
  private readonly grants: boolean;

  public constructor(scope: Construct, id: string, props: HttpRouteProps = {}) {
    super(scope, id, 'HTTPRoute', props, `${GATEWAY_API_GROUP}/HTTPRoute`);
    this.parentRefs = [...(props.parentRefs ?? [])];
    this.hostnames = [...(props.hostnames ?? [])];
    this.grants = props.createReferenceGrants ?? true;
  }

  /** Attach the route to one more parent. */
  public addParentRef(parent: IGatewayRef): HttpRoute {
    this.parentRefs.push(parent);
    return this;
  }

  /** Apply the route to one more hostname. */
  public addHostname(hostname: string): HttpRoute {
    this.hostnames.push(hostname);
    return this;
  }

  /**
   * Append a named rule.
   * @param name the rule's name (`spec.rules[].name`, a DNS subdomain such as `canary`), shown in status and metrics
   */
  public addRule(name: string, options: HttpRouteRuleOptions): HttpRoute {
    const field = `spec.rules[${this.rules.length}]`;
    const eager = withConstructPath(this, () => {
      checkWeights(options.backendRefs ?? [], 'HTTPRoute', `${field}.backendRefs`);
      return {
        timeouts: options.timeouts && {
          request: options.timeouts.request && renderGatewayDuration(options.timeouts.request, 'HTTPRoute', `${field}.timeouts.request`),
          backendRequest: options.timeouts.backendRequest && renderGatewayDuration(options.timeouts.backendRequest, 'HTTPRoute', `${field}.timeouts.backendRequest`),
        },
        retry: options.retry && {
          attempts: options.retry.attempts,
          backoff: options.retry.backoff && renderGatewayDuration(options.retry.backoff, 'HTTPRoute', `${field}.retry.backoff`),
          codes: options.retry.codes && [...options.retry.codes],
        },
      };
    });
    if (this.grants) grantBackends(this, options.backendRefs ?? [], options.filters);
    this.rules.push({ name, options, eager });
    return this;
  }

  /** @internal */
  protected _render(): unknown {
    return renderL7Route(this, this.parentRefs, this.hostnames, this.rules.map(r => ({
      name: r.name,
      matches: r.options.matches,
      filters: r.options.filters,
      backendRefs: r.options.backendRefs ?? [],
      extra: { timeouts: r.eager.timeouts, retry: r.eager.retry },
    })));
  }

  /** @internal */
  protected _validate(): string[] {
    const problems = new Problems('HTTPRoute');
    checkParents(this.parentRefs, problems);
    this.rules.forEach((r, i) => checkBackends(r.options.backendRefs ?? [], r.options.filters, `spec.rules[${i}]`, problems));
    return problems.list;
  }
}
