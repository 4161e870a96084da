// TCPRoute (gateway.networking.k8s.io/v1alpha2, experimental channel): forwards the TCP connections of the
// listeners it attaches to, split by weight across backends.
import { Construct } from 'constructs';
import { BackendRef } from './backend-ref';
import { GATEWAY_API_GROUP, IGatewayRef } from './parent-ref';
import { Problems, checkBackends, checkParents, checkWeights, grantBackends, renderBackends, renderParents } from './route-common';
import { withConstructPath } from '../core/errors';
import { renderContextOf } from '../core/host';
import { compact } from '../core/render';
import { IstioResource, IstioResourceProps } from '../core/resource';

/** Options of `TcpRoute.addRule` and `TlsRoute.addRule`. */
export interface L4RouteRuleOptions {
  /** Where connections go: `BackendRef.to(Host.fromService(svc), { weight })`. */
  readonly backendRefs: BackendRef[];
}

/** Properties of a `TcpRoute`. */
export interface TcpRouteProps extends IstioResourceProps {
  /**
   * The Gateway listeners (or Services) the route attaches to. More can be added with `addParentRef`.
   * @default - none; a route needs at least one parent to take effect
   */
  readonly parentRefs?: IGatewayRef[];
  /**
   * Write the ReferenceGrants that backends in other namespaces need, when they are Services of this app.
   * @default true
   */
  readonly createReferenceGrants?: boolean;
}

interface L4Rule { readonly name: string; readonly options: L4RouteRuleOptions }

/**
 * A Kubernetes Gateway API TCPRoute (v1alpha2, experimental channel).
 *
 * @example
 * declare const chart: Chart;
 * declare const gateway: K8sGateway;
 * declare const echo: kplus.Service;
 * new TcpRoute(chart, 'tcp-echo', { parentRefs: [gateway.listenerRef('tcp-31400')] })
 *   .addRule('all', { backendRefs: [BackendRef.to(Host.fromService(echo))] });
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#tcproute
 */
export class TcpRoute extends IstioResource {
  private readonly parentRefs: IGatewayRef[];
  private readonly rules: L4Rule[] = [];
  private readonly grants: boolean;

  public constructor(scope: Construct, id: string, props: TcpRouteProps = {}) {
    super(scope, id, 'TCPRoute', props, `${GATEWAY_API_GROUP}/TCPRoute`);
    this.parentRefs = [...(props.parentRefs ?? [])];
    this.grants = props.createReferenceGrants ?? true;
  }

  /** Attach the route to one more parent. */
  public addParentRef(parent: IGatewayRef): TcpRoute {
    this.parentRefs.push(parent);
    return this;
  }

  /**
   * Append a named rule.
   * @param name the rule's name (`spec.rules[].name`)
   */
  public addRule(name: string, options: L4RouteRuleOptions): TcpRoute {
    withConstructPath(this, () => checkWeights(options.backendRefs, 'TCPRoute', `spec.rules[${this.rules.length}].backendRefs`));
    if (this.grants) grantBackends(this, options.backendRefs, undefined);
    this.rules.push({ name, options });
    return this;
  }

  /** @internal */
  protected _render(): unknown {
    const ctx = renderContextOf(this, this.namespace);
    return compact({
      parentRefs: renderParents(this.parentRefs, ctx.namespace),
      rules: this.rules.map(r => ({ name: r.name, backendRefs: renderBackends(r.options.backendRefs, ctx) })),
    });
  }

  /** @internal */
  protected _validate(): string[] {
    return validateL4('TCPRoute', this.parentRefs, this.rules);
  }
}

/** @internal */
export function validateL4(kind: string, parents: IGatewayRef[], rules: Array<{ readonly options: L4RouteRuleOptions }>): string[] {
  const problems = new Problems(kind);
  checkParents(parents, problems);
  rules.forEach((r, i) => {
    const field = `spec.rules[${i}]`;
    checkBackends(r.options.backendRefs, undefined, field, problems);
    r.options.backendRefs.forEach((b, j) => {
      if (b.options.filters?.length) problems.add(`${field}.backendRefs[${j}].filters`, `${kind} backends take no filters`, b.options.filters.map(f => f.type), 'filters apply to HTTPRoute and GRPCRoute backends only');
    });
  });
  return problems.list;
}
