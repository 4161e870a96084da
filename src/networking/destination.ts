// RouteDestination: where a VirtualService rule sends traffic (a host or a DestinationRule subset, a port and
// a weight), and Mirror: where it copies traffic to.
import type { ISubset } from './destination-rule';
import { HttpHeaders, renderHeaders } from './headers';
import { IHost, RenderContext, renderHost } from '../core/host';
import { JsonMap } from '../core/json';
import { Percent } from '../core/percent';

/** Options of `RouteDestination.to`. */
export interface RouteDestinationOptions {
  /**
   * The relative share of traffic this destination receives among the rule's destinations. Weights are
   * proportions (they need not sum to 100); an explicit 0 is kept in the output.
   * @default - unset: a lone destination gets all traffic; Istio requires weights when there are several
   */
  readonly weight?: number;
  /**
   * The port of the host to send to. Required when the host is a Service with several ports.
   * @default - the host's only port (or the port the request came in on)
   */
  readonly port?: number;
  /**
   * Header changes applied only when this destination is chosen (HTTP rules only).
   * @default - none
   */
  readonly headers?: HttpHeaders;
  /**
   * A subset of a DestinationRule for this host, when `to()` was given the host rather than the subset
   * (e.g. the Service host, while the subset was defined on `Host.fromName`). The subset's host must render
   * as the same name as the target.
   * @default - the subset of the target when the target is an `ISubset`, else none
   */
  readonly subset?: ISubset;
}

/**
 * A destination of a VirtualService rule.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRouteDestination
 */
export class RouteDestination {
  /**
   * Send traffic to a host, or to a subset (`DestinationRule.addSubset()` returns one; a subset is also a host).
   */
  public static to(target: IHost, options: RouteDestinationOptions = {}): RouteDestination {
    return new RouteDestination(target, options);
  }

  /** The host or subset. */
  public readonly target: IHost;
  /** The options. */
  public readonly options: RouteDestinationOptions;

  private constructor(target: IHost, options: RouteDestinationOptions) {
    this.target = target;
    this.options = options;
  }

  /** The subset routed to, if any. @internal */
  public get _subset(): ISubset | undefined {
    return this.options.subset ?? (isSubset(this.target) ? this.target : undefined);
  }

  /** @internal */
  public _render(ctx: RenderContext, withHeaders: boolean): JsonMap {
    return {
      destination: renderDestination(this.target, this._subset, this.options.port, ctx),
      weight: this.options.weight,
      headers: withHeaders ? renderHeaders(this.options.headers) : undefined,
    };
  }
}

/** Options of `Mirror.to`. */
export interface MirrorOptions {
  /**
   * The port of the host to mirror to.
   * @default - the host's only port
   */
  readonly port?: number;
  /**
   * The share of requests to mirror.
   * @default - 100%
   */
  readonly percentage?: Percent;
}

/**
 * A copy of traffic sent to another host or subset ("shadowing"); responses from it are discarded.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMirrorPolicy
 */
export class Mirror {
  /** Mirror requests to a host or subset. */
  public static to(target: IHost, options: MirrorOptions = {}): Mirror {
    return new Mirror(target, options);
  }

  /** The host or subset. */
  public readonly target: IHost;
  /** The options. */
  public readonly options: MirrorOptions;

  private constructor(target: IHost, options: MirrorOptions) {
    this.target = target;
    this.options = options;
  }

  /** The destination of the mirrored copies. @internal */
  public _render(ctx: RenderContext): JsonMap {
    return renderDestination(this.target, isSubset(this.target) ? this.target : undefined, this.options.port, ctx);
  }
}

/** True when a host is a DestinationRule subset. @internal */
export function isSubset(h: IHost): h is ISubset {
  return typeof (h as Partial<ISubset>).subsetName === 'string';
}

function renderDestination(target: IHost, subset: ISubset | undefined, port: number | undefined, ctx: RenderContext): JsonMap {
  return {
    host: renderHost(target, ctx),
    subset: subset?.subsetName,
    port: port !== undefined ? { number: port } : undefined,
  };
}
