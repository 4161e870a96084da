// TLSRoute (gateway.networking.k8s.io/v1): routes TLS connections by SNI hostname, usually from a passthrough
// listener, to backends that terminate TLS themselves.
import { Construct } from 'constructs';
import { GATEWAY_API_GROUP, IGatewayRef } from './parent-ref';
import { checkWeights, grantBackends, renderBackends, renderParents } from './route-common';
import { L4RouteRuleOptions, validateL4 } from './tcp-route';
import { withConstructPath } from '../core/errors';
import { renderContextOf } from '../core/host';
import { compact } from '../core/render';
import { IstioResource, IstioResourceProps } from '../core/resource';

/** Properties of a `TlsRoute`. */
export interface TlsRouteProps extends IstioResourceProps {
  /**
   * The Gateway listeners the route attaches to (`Listener.tlsPassthrough`). More can be added with `addParentRef`.
   * @default - none; a route needs at least one parent to take effect
   */
  readonly parentRefs?: IGatewayRef[];
  /** The SNI hostnames the route applies to (at least one), e.g. `db.example.com`, `*.example.com`. */
  readonly hostnames: string[];
  /**
   * Write the ReferenceGrants that backends in other namespaces need, when they are Services of this app.
   * @default true
   */
  readonly createReferenceGrants?: boolean;
}

/**
 * A Kubernetes Gateway API TLSRoute (v1): one rule that forwards TLS connections for its hostnames.
 *
 * @example
 * declare const chart: Chart;
 * declare const gateway: K8sGateway;
 * declare const db: kplus.Service;
 * new TlsRoute(chart, 'db', { parentRefs: [gateway.listenerRef('tls')], hostnames: ['db.example.com'] })
 *   .addRule('db', { backendRefs: [BackendRef.to(Host.fromService(db))] });
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#tlsroute
 */
export class TlsRoute extends IstioResource {
  private readonly parentRefs: IGatewayRef[];
  private readonly hostnames: string[];
  private readonly rules: Array<{ readonly name: string; readonly options: L4RouteRuleOptions }> = [];
  private readonly grants: boolean;

  public constructor(scope: Construct, id: string, props: TlsRouteProps) {
    super(scope, id, 'TLSRoute', props, `${GATEWAY_API_GROUP}/TLSRoute`);
    this.parentRefs = [...(props.parentRefs ?? [])];
    this.hostnames = [...props.hostnames];
    this.grants = props.createReferenceGrants ?? true;
  }

  /** Attach the route to one more parent. */
  public addParentRef(parent: IGatewayRef): TlsRoute {
    this.parentRefs.push(parent);
    return this;
  }

  /**
   * Set the route's rule (TLSRoute v1 takes one).
   * @param name the rule's name (`spec.rules[].name`)
   */
  public addRule(name: string, options: L4RouteRuleOptions): TlsRoute {
    withConstructPath(this, () => checkWeights(options.backendRefs, 'TLSRoute', `spec.rules[${this.rules.length}].backendRefs`));
    if (this.grants) grantBackends(this, options.backendRefs, undefined);
    this.rules.push({ name, options });
    return this;
  }

  /** @internal */
  protected _render(): unknown {
    const ctx = renderContextOf(this, this.namespace);
    return compact({
      parentRefs: renderParents(this.parentRefs, ctx.namespace),
      hostnames: this.hostnames,
      rules: this.rules.map(r => ({ name: r.name, backendRefs: renderBackends(r.options.backendRefs, ctx) })),
    });
  }

  /** @internal */
  protected _validate(): string[] {
    return validateL4('TLSRoute', this.parentRefs, this.rules);
  }
}
