// GRPCRoute (gateway.networking.k8s.io/v1): routes gRPC calls by service, method and headers.
import { Construct } from 'constructs';
import { BackendRef } from './backend-ref';
import { renderNameMatches } from './http-route';
import { GATEWAY_API_GROUP, IGatewayRef } from './parent-ref';
import { Problems, checkBackends, checkParents, checkWeights, grantBackends, renderL7Route } from './route-common';
import { RouteFilter } from './route-filter';
import { invalidValue, withConstructPath } from '../core/errors';
import { JsonMap } from '../core/json';
import { IstioResource, IstioResourceProps } from '../core/resource';
import { StringMatch } from '../networking/string-match';

/** The conditions of one GRPCRoute match; all given conditions must hold (AND). */
export interface GrpcRouteMatchOptions {
  /**
   * The gRPC service, e.g. `helloworld.Greeter`.
   * @default - any service
   */
  readonly service?: string;
  /**
   * The gRPC method, e.g. `SayHello`.
   * @default - any method
   */
  readonly method?: string;
  /**
   * Compare `service` and `method` as RE2 regular expressions.
   * @default false (exact)
   */
  readonly regex?: boolean;
  /**
   * Request metadata (headers) that must match: exact or regex.
   * @default - no header conditions
   */
  readonly headers?: { [name: string]: StringMatch };
}

/**
 * One GRPCRoute match. Give a rule several to match any of them (OR).
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#grpcroutematch
 */
export class GrpcRouteMatch {
  /** A match combining any of the conditions. */
  public static of(options: GrpcRouteMatchOptions): GrpcRouteMatch {
    return new GrpcRouteMatch({ ...options });
  }

  /** Calls to one service, or one method of it. */
  public static method(service: string, method?: string): GrpcRouteMatch {
    return new GrpcRouteMatch({ service, method });
  }

  /** A request header matches. */
  public static header(name: string, match: StringMatch): GrpcRouteMatch {
    return new GrpcRouteMatch({ headers: { [name]: match } });
  }

  /** The conditions of this match. */
  public readonly options: GrpcRouteMatchOptions;

  private constructor(options: GrpcRouteMatchOptions) {
    for (const [name, m] of Object.entries(options.headers ?? {})) {
      if (m.type === 'prefix') {
        throw invalidValue({ kind: 'GrpcRouteMatch', field: `headers.${name}`, problem: 'the Gateway API matches headers exactly or by regular expression, not by prefix', got: m.value, allowed: 'StringMatch.exact(...) or StringMatch.regex(...)' });
      }
    }
    this.options = options;
  }

  /** @internal */
  public _render(): JsonMap {
    const o = this.options;
    const method = o.service !== undefined || o.method !== undefined
      ? { type: o.regex ? 'RegularExpression' : undefined, service: o.service, method: o.method } : undefined;
    return { method, headers: renderNameMatches(o.headers) };
  }
}

/** Options of `GrpcRoute.addRule`. */
export interface GrpcRouteRuleOptions {
  /**
   * The calls this rule applies to: any of these matches (OR).
   * @default - every call
   */
  readonly matches?: GrpcRouteMatch[];
  /**
   * Filters: header modifiers, mirror, extension references.
   * @default - none
   */
  readonly filters?: RouteFilter[];
  /** Where calls go. */
  readonly backendRefs: BackendRef[];
}

/** Properties of a `GrpcRoute`. */
export interface GrpcRouteProps extends IstioResourceProps {
  /**
   * What the route attaches to. More can be added with `addParentRef`.
   * @default - none; a route needs at least one parent to take effect
   */
  readonly parentRefs?: IGatewayRef[];
  /**
   * The hostnames the route applies to.
   * @default - every hostname the listener accepts
   */
  readonly hostnames?: string[];
  /**
   * Write the ReferenceGrants that backends in other namespaces need, when they are Services of this app.
   * @default true
   */
  readonly createReferenceGrants?: boolean;
}

/**
 * A Kubernetes Gateway API GRPCRoute (v1).
 *
 * @example
 * declare const chart: Chart;
 * declare const greeter: kplus.Service;
 * const gateway = K8sGateway.fromName('public');
 * new GrpcRoute(chart, 'greeter', { parentRefs: [gateway] })
 *   .addRule('hello', { matches: [GrpcRouteMatch.method('helloworld.Greeter', 'SayHello')], backendRefs: [BackendRef.to(Host.fromService(greeter))] });
 * @see https://gateway-api.sigs.k8s.io/api-types/grpcroute/
 */
export class GrpcRoute extends IstioResource {
  private readonly parentRefs: IGatewayRef[];
  private readonly hostnames: string[];
  private readonly rules: Array<{ readonly name: string; readonly options: GrpcRouteRuleOptions }> = [];
  private readonly grants: boolean;

  public constructor(scope: Construct, id: string, props: GrpcRouteProps = {}) {
    super(scope, id, 'GRPCRoute', props, `${GATEWAY_API_GROUP}/GRPCRoute`);
    this.parentRefs = [...(props.parentRefs ?? [])];
    this.hostnames = [...(props.hostnames ?? [])];
    this.grants = props.createReferenceGrants ?? true;
  }

  /** Attach the route to one more parent. */
  public addParentRef(parent: IGatewayRef): GrpcRoute {
    this.parentRefs.push(parent);
    return this;
  }

  /**
   * Append a named rule.
   * @param name the rule's name (`spec.rules[].name`)
   */
  public addRule(name: string, options: GrpcRouteRuleOptions): GrpcRoute {
    withConstructPath(this, () => checkWeights(options.backendRefs, 'GRPCRoute', `spec.rules[${this.rules.length}].backendRefs`));
    if (this.grants) grantBackends(this, options.backendRefs, options.filters);
    this.rules.push({ name, options });
    return this;
  }

  /** @internal */
  protected _render(): unknown {
    return renderL7Route(this, this.parentRefs, this.hostnames, this.rules.map(r => ({
      name: r.name, matches: r.options.matches, filters: r.options.filters, backendRefs: r.options.backendRefs,
    })));
  }

  /** @internal */
  protected _validate(): string[] {
    const problems = new Problems('GRPCRoute');
    checkParents(this.parentRefs, problems);
    this.rules.forEach((r, i) => checkBackends(r.options.backendRefs, r.options.filters, `spec.rules[${i}]`, problems));
    return problems.list;
  }
}
