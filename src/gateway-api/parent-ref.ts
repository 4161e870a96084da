// The parents a Gateway API route attaches to: a Gateway (or one of its listeners), or a Service for mesh
// (GAMMA) routing. A parent is data (`IGatewayRef`); how a route writes it is decided here, in one place.
import { IHost, isLiteralHost } from '../core/host';
import { JsonMap } from '../core/json';

/** The API group of the Gateway API kinds. @internal */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/**
 * What a Gateway API route attaches to: a `K8sGateway` (all its listeners), `gateway.listenerRef(name)` (one
 * listener), `K8sGateway.fromName(...)` (a Gateway defined elsewhere), or `ParentRef.service(host)` (a Service,
 * for east-west mesh routing). A reference (data); a user can implement it with plain values.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#parentreference
 */
export interface IGatewayRef {
  /** The name of the parent (a Gateway or a Service). */
  readonly parentName: string;
  /**
   * The namespace of the parent.
   * @default - the namespace of the route
   */
  readonly parentNamespace?: string;
  /** The kind of the parent: `Gateway`, or `Service` for mesh routing. */
  readonly parentKind: string;
  /** The API group of the parent: `gateway.networking.k8s.io` for a Gateway, `` (core) for a Service. */
  readonly parentGroup: string;
  /**
   * The listener of a Gateway (its name), or the port name of a Service, the route attaches to.
   * @default - every listener (every port) that allows the route
   */
  readonly sectionName?: string;
  /**
   * The port the route attaches to: the listeners on that port of a Gateway, or that port of a Service.
   * @default - every port
   */
  readonly parentPort?: number;
}

/** Options of `ParentRef.service`. */
export interface ServiceParentOptions {
  /**
   * The port of the Service whose traffic the route applies to; it must be one of the Service's ports.
   * @default - every port of the Service
   */
  readonly port?: number;
}

/** An `IGatewayRef` made of plain values. @internal */
export class GatewayRefData implements IGatewayRef {
  constructor(
    public readonly parentName: string,
    public readonly parentNamespace: string | undefined,
    public readonly parentKind: string,
    public readonly parentGroup: string,
    public readonly sectionName?: string,
    public readonly parentPort?: number,
  ) {}
}

/** A Service as a parent, read from its host at synth (its name and namespace). */
class ServiceParent implements IGatewayRef {
  public readonly parentKind = 'Service';
  public readonly parentGroup = '';
  constructor(public readonly _host: IHost, public readonly parentPort?: number) {}
  public get parentName(): string { return this._host.hostname; }
  public get parentNamespace(): string | undefined { return this._host.namespace; }
}

/**
 * Parents that are not Gateways. A Gateway is a parent itself (`K8sGateway`, `gateway.listenerRef()`,
 * `K8sGateway.fromName()`).
 *
 * @see https://gateway-api.sigs.k8s.io/mesh/
 */
export class ParentRef {
  /**
   * A Service as the parent, for mesh (GAMMA) routing: the route applies to traffic that workloads of the mesh
   * send to this Service. `host` is `Host.fromService(svc)`, or `Host.fromName('reviews', { namespace, ports })`
   * for a Service defined elsewhere; it must name a Service, not a hostname.
   */
  public static service(host: IHost, options: ServiceParentOptions = {}): IGatewayRef {
    return new ServiceParent(host, options.port);
  }

  private constructor() {}
}

/** The host behind a Service parent, for the route's checks. @internal */
export function serviceParentHost(ref: IGatewayRef): IHost | undefined {
  return ref instanceof ServiceParent ? ref._host : undefined;
}

/** Whether a host can be written as a Service name (not an FQDN, a wildcard or a ServiceEntry host). @internal */
export function isServiceName(host: IHost): boolean {
  return !isLiteralHost(host) && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(host.hostname);
}

/**
 * The parentRef as a route in `namespace` writes it: group and kind only when they are not the Gateway
 * default, the namespace only when it is another one.
 * @internal
 */
export function renderParentRef(ref: IGatewayRef, namespace: string | undefined): JsonMap {
  const isGateway = ref.parentGroup === GATEWAY_API_GROUP && ref.parentKind === 'Gateway';
  const ns = ref.parentNamespace;
  return {
    group: isGateway ? undefined : ref.parentGroup,
    kind: isGateway ? undefined : ref.parentKind,
    name: ref.parentName,
    namespace: ns !== undefined && ns !== namespace ? ns : undefined,
    sectionName: ref.sectionName,
    port: ref.parentPort,
  };
}
