// VirtualService: the routing rules for a set of hosts (HTTP, TCP and TLS rules, in the order they are added),
// optionally bound to Gateways.
import { Construct } from 'constructs';
import { RouteDestination, isSubset } from './destination';
import { IGateway, renderGatewayRef } from './gateway';
import { renderHeaders } from './headers';
import { HttpRouteOptions, L4RouteOptions } from './http-route';
import { TcpMatch, TlsMatch, renderL4Match } from './match';
import { renderRetries } from './retry';
import { renderDuration } from '../core/duration';
import { NO_VALUE, formatProblem, withConstructPath } from '../core/errors';
import { IHost, RenderContext, hostIsDefinedByObject, renderContextOf, renderHost } from '../core/host';
import { JsonMap } from '../core/json';
import { ReferenceOptions } from '../core/reference';
import { compact } from '../core/render';
import { IstioResource, IstioResourceProps } from '../core/resource';

/**
 * A VirtualService that another one can delegate to.
 */
export interface IVirtualService {
  /** The VirtualService's name. */
  readonly virtualServiceName: string;
  /**
   * The VirtualService's namespace.
   * @default - the namespace of the delegating VirtualService
   */
  readonly virtualServiceNamespace?: string;
}

/** Options of `addTcpRoute`. */
export interface TcpRouteOptions extends L4RouteOptions {
  /**
   * The connections this rule applies to: any of these matches (OR).
   * @default - every connection (only the last rule may omit its matches)
   */
  readonly match?: TcpMatch[];
}

/** Options of `addTlsRoute`. */
export interface TlsRouteOptions extends L4RouteOptions {
  /** The connections this rule applies to, by SNI: any of these matches (OR). At least one is required. */
  readonly match: TlsMatch[];
}

/** Properties of a `VirtualService`. */
export interface VirtualServiceProps extends IstioResourceProps {
  /**
   * The hosts the rules apply to: `Host.fromService(svc)`, `Host.fromName('reviews')`,
   * `Host.fromName('*.example.com')`, or `Host.fromName('*')` on a gateway. Strings go through
   * `Host.fromName`, so every host is an `IHost` (jsii has no union types).
   * @default - none: the VirtualService is a delegate, used only through another's `delegate`
   */
  readonly hosts?: IHost[];
  /**
   * The gateways the rules apply to; include `Gateway.MESH` to also apply them to sidecars.
   * @default - the mesh (sidecars) only
   */
  readonly gateways?: IGateway[];
  /**
   * Namespaces the VirtualService is visible to: `.` (its own), `*` (all), or namespace names.
   * @default - all namespaces (the mesh default)
   */
  readonly exportTo?: string[];
}

type RouteKind = 'http' | 'tcp' | 'tls';
type ErrorSink = (field: string, problem: string, got?: unknown, allowed?: string) => void;

interface Rule {
  readonly kind: RouteKind;
  readonly name: string;
  readonly http?: HttpRouteOptions;
  readonly l4?: TcpRouteOptions | TlsRouteOptions;
  /** Fields rendered when the rule was added, so bad literals throw at the call. */
  readonly eager: { [key: string]: unknown };
}

class VirtualServiceRef implements IVirtualService {
  constructor(public readonly virtualServiceName: string, public readonly virtualServiceNamespace?: string) {}
}

/**
 * An Istio VirtualService: routing rules for hosts, evaluated in order; the first rule that matches wins.
 *
 * @example
 * declare const chart: Chart;
 * declare const reviewsService: kplus.Service;
 * const reviews = new DestinationRule(chart, 'reviews', { host: Host.fromService(reviewsService) });
 * const v1 = reviews.addSubset('v1', { labels: { version: 'v1' } });
 * const v2 = reviews.addSubset('v2', { labels: { version: 'v2' } });
 * const routes = new VirtualService(chart, 'reviews-routes', { hosts: [Host.fromService(reviewsService)] });
 * routes.addHttpRoute('jason', {
 *   match: [HttpMatch.header('end-user', StringMatch.exact('jason'))],
 *   to: [RouteDestination.to(v2)],
 * });
 * routes.addHttpRoute('split', {
 *   to: [RouteDestination.to(v1, { weight: 90 }), RouteDestination.to(v2, { weight: 10 })],
 *   timeout: Duration.seconds(10),
 * });
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
export class VirtualService extends IstioResource implements IVirtualService {
  /**
   * A VirtualService defined elsewhere, e.g. as a delegation target:
   * `VirtualService.fromName('reviews-delegate', { namespace: 'reviews' })`.
   */
  public static fromName(name: string, options: ReferenceOptions = {}): IVirtualService {
    return new VirtualServiceRef(name, options.namespace);
  }

  private readonly hosts: IHost[];
  private readonly gateways: IGateway[];
  private readonly exportTo?: string[];
  private readonly rules: Rule[] = [];

  public constructor(scope: Construct, id: string, props: VirtualServiceProps = {}) {
    super(scope, id, 'VirtualService', props);
    this.hosts = [...(props.hosts ?? [])];
    this.gateways = [...(props.gateways ?? [])];
    this.exportTo = props.exportTo ? [...props.exportTo] : undefined;
  }

  /** The VirtualService's name. */
  public get virtualServiceName(): string {
    return this.name;
  }

  /** The VirtualService's namespace. */
  public get virtualServiceNamespace(): string | undefined {
    return this.namespace;
  }

  /** Add a host the rules apply to. */
  public addHost(host: IHost): VirtualService {
    this.hosts.push(host);
    return this;
  }

  /** Bind the VirtualService to one more gateway. */
  public addGateway(gateway: IGateway): VirtualService {
    this.gateways.push(gateway);
    return this;
  }

  /**
   * Append a named HTTP rule. Rules are evaluated in the order they are added.
   * @param name the rule's name (rendered as `name`, shown in access logs and stats)
   */
  public addHttpRoute(name: string, options: HttpRouteOptions): VirtualService {
    const field = `spec.http[${this.count('http')}]`;
    const eager = withConstructPath(this, () => ({
      timeout: options.timeout && renderDuration(options.timeout, 'VirtualService', `${field}.timeout`),
      retries: renderRetries(options.retries, 'VirtualService', `${field}.retries`),
      corsMaxAge: options.corsPolicy?.maxAge && renderDuration(options.corsPolicy.maxAge, 'VirtualService', `${field}.corsPolicy.maxAge`, { wholeSeconds: true }),
      fault: options.fault?._render(),
    }));
    this.rules.push({ kind: 'http', name, http: options, eager });
    return this;
  }

  /**
   * Append a TCP rule. Rules are evaluated in the order they are added.
   * @param name a name for the rule in error messages (TCP rules have no name field in Istio)
   */
  public addTcpRoute(name: string, options: TcpRouteOptions): VirtualService {
    this.rules.push({ kind: 'tcp', name, l4: options, eager: {} });
    return this;
  }

  /**
   * Append a TLS (SNI) rule. Rules are evaluated in the order they are added.
   * @param name a name for the rule in error messages (TLS rules have no name field in Istio)
   */
  public addTlsRoute(name: string, options: TlsRouteOptions): VirtualService {
    this.rules.push({ kind: 'tls', name, l4: options, eager: {} });
    return this;
  }

  private count(kind: RouteKind): number {
    return this.rules.filter(r => r.kind === kind).length;
  }

  /** @internal */
  protected _render(): unknown {
    const ctx = renderContextOf(this, this.namespace);
    const http: JsonMap[] = [];
    const tcp: JsonMap[] = [];
    const tls: JsonMap[] = [];
    for (const rule of this.rules) {
      if (rule.kind === 'http') http.push(this.renderHttp(rule, ctx));
      else if (rule.kind === 'tcp') tcp.push(this.renderL4(rule, ctx, false));
      else tls.push(this.renderL4(rule, ctx, true));
    }
    return compact({
      hosts: this.hosts.map(h => renderHost(h, ctx)),
      gateways: this.gateways.map(g => renderGatewayRef(g, ctx.namespace)),
      exportTo: this.exportTo,
      http,
      tcp,
      tls,
    });
  }

  private renderHttp(rule: Rule, ctx: RenderContext): JsonMap {
    const o = rule.http!;
    const cors = o.corsPolicy;
    return {
      name: rule.name,
      match: o.match?.map(m => m._render(ctx.namespace)),
      route: o.to?.map(d => d._render(ctx, true)),
      redirect: o.redirect && { ...o.redirect },
      directResponse: o.directResponse && {
        status: o.directResponse.status,
        body: o.directResponse.body !== undefined || o.directResponse.bodyBase64 !== undefined
          ? { string: o.directResponse.body, bytes: o.directResponse.bodyBase64 }
          : undefined,
      },
      delegate: o.delegate && { name: o.delegate.virtualServiceName, namespace: o.delegate.virtualServiceNamespace },
      rewrite: o.rewrite && {
        uri: o.rewrite.uri,
        authority: o.rewrite.authority,
        uriRegexRewrite: o.rewrite.uriRegexRewrite && { ...o.rewrite.uriRegexRewrite },
      },
      timeout: rule.eager.timeout,
      retries: rule.eager.retries,
      fault: rule.eager.fault,
      mirror: o.mirror?._render(ctx),
      mirrorPercentage: o.mirror?.options.percentage && { value: o.mirror.options.percentage.value },
      mirrors: o.mirrors?.map(m => ({ destination: m._render(ctx), percentage: m.options.percentage && { value: m.options.percentage.value } })),
      corsPolicy: cors && {
        allowOrigins: cors.allowOrigins?.map(s => s._render()),
        allowMethods: cors.allowMethods,
        allowHeaders: cors.allowHeaders,
        exposeHeaders: cors.exposeHeaders,
        maxAge: rule.eager.corsMaxAge,
        allowCredentials: cors.allowCredentials,
        unmatchedPreflights: cors.unmatchedPreflights,
      },
      headers: renderHeaders(o.headers),
    };
  }

  private renderL4(rule: Rule, ctx: RenderContext, isTls: boolean): JsonMap {
    const o = rule.l4!;
    return {
      match: o.match?.map(m => renderL4Match(m, ctx.namespace, isTls ? [...(m as TlsMatch).sniHosts] : undefined)),
      route: o.to.map(d => d._render(ctx, false)),
    };
  }

  /** @internal */
  protected _validate(): string[] {
    const errors: string[] = [];
    const ns = this.namespace;
    const err = (field: string, problem: string, got?: unknown, allowed?: string) =>
      errors.push(formatProblem({ kind: 'VirtualService', field, problem, got, allowed }));
    const index: Record<RouteKind, number> = { http: 0, tcp: 0, tls: 0 };
    const seen = new Map<string, string>();
    for (const rule of this.rules) {
      const field = `spec.${rule.kind}[${index[rule.kind]++}]`;
      const prev = seen.get(rule.name);
      if (prev) err(field, `route name "${rule.name}" is already used by ${prev}`, rule.name, 'a unique name per route');
      else seen.set(rule.name, field);
      if (rule.kind === 'http') {
        const o = rule.http!;
        // A route without an action, or with several, shows in the output: the engine's webhook rule reports it.
        (o.match ?? []).forEach((m, i) => {
          if (Object.keys(compact(m._render(ns)) ?? {}).length === 0) {
            err(`${field}.match[${i}]`, 'a match with no conditions matches every request and would be dropped from the output', {}, 'omit `match` to match everything');
          }
        });
        if (o.directResponse && o.directResponse.body !== undefined && o.directResponse.bodyBase64 !== undefined) {
          err(`${field}.directResponse.body`, 'give either body or bodyBase64, not both', o.directResponse.body);
        }
        this.checkDestinations(o.to ?? [], `${field}.route`, rule.name, err, false);
        if (o.mirror) this.checkPort(o.mirror.target, o.mirror.options.port, `${field}.mirror.port`, err);
        (o.mirrors ?? []).forEach((m, i) => this.checkPort(m.target, m.options.port, `${field}.mirrors[${i}].destination.port`, err));
      } else {
        this.checkDestinations(rule.l4!.to, `${field}.route`, rule.name, err, true);
        // An L4 route without destinations renders as nothing, so only the typed API can see it.
        if (rule.l4!.to.length === 0) err(field, `route "${rule.name}" has no destination`, [], 'give `to` with at least one RouteDestination');
      }
    }
    return errors;
  }

  private checkDestinations(to: RouteDestination[], field: string, name: string, err: ErrorSink, l4: boolean) {
    const ctx = renderContextOf(this, this.namespace);
    const weighted = to.filter(d => d.options.weight !== undefined);
    // All-zero weights on several destinations show in the output (the engine's webhook rule); a weight left out beside given ones
    // renders as no weight, which Istio reads as 0: only the typed API can tell that it was forgotten.
    if (to.length === 1 && to[0].options.weight === 0) {
      // Istio ignores the weight of a lone destination, so the manifest looks fine while the code says "none".
      err(field, `every destination of route "${name}" has weight 0, so it sends no traffic`, [0], 'give at least one destination a positive weight');
    } else if (to.length > 1 && weighted.length > 0 && weighted.length < to.length) {
      err(field, `route "${name}" gives weights to some destinations but not others (a missing weight is 0)`, to.map(d => d.options.weight ?? null), 'give every destination a weight, or none when there is only one');
    }
    to.forEach((d, i) => {
      const f = `${field}[${i}]`;
      if (l4 && d.options.headers) err(`${f}.headers`, 'header changes apply only to HTTP routes', d.options.headers, 'move the headers to an addHttpRoute destination');
      const subset = d.options.subset;
      if (subset) {
        const targetHost = renderHost(d.target, ctx);
        const subsetHost = renderHost(subset, ctx);
        if (targetHost !== subsetHost) {
          err(`${f}.destination.subset`, `subset "${subset.subsetName}" belongs to the DestinationRule for host ${subsetHost}, not the routed host`, targetHost, 'a subset added to a DestinationRule for the same host');
        }
        if (isSubset(d.target) && d.target.subsetName !== subset.subsetName) {
          err(`${f}.destination.subset`, 'the target is already a subset; give the subset as the target or as the option, not both', subset.subsetName);
        }
      }
      this.checkPort(d.target, d.options.port, `${f}.destination.port`, err);
    });
  }

  private checkPort(host: IHost, port: number | undefined, field: string, err: ErrorSink) {
    // A Service or ServiceEntry of the app is in the analysed output, where the engine checks the port
    // (IST0101, IST0112); only ports given by hand (`Host.fromName(..., { ports })`) are checked here.
    if (hostIsDefinedByObject(host)) return;
    const ports = host.ports;
    if (ports.length === 0) return;
    if (port === undefined) {
      if (ports.length > 1) err(field, `host ${host.hostname} serves several ports, so the destination must name one`, NO_VALUE, `one of ${ports.join(', ')}`);
    } else if (!ports.includes(port)) {
      err(field, `host ${host.hostname} does not serve this port`, port, `one of ${ports.join(', ')}`);
    }
  }
}
