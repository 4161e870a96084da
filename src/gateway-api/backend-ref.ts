// Where a Gateway API route sends traffic: a Service (or, Istio's extension, a mesh hostname such as a
// ServiceEntry host), a port and a weight. A backend is an `IHost`, as for VirtualService destinations.
import type { RouteFilter } from './route-filter';
import { invalidValue } from '../core/errors';
import { IHost, RenderContext, hostIsDefinedByObject, isLiteralHost } from '../core/host';
import { JsonMap } from '../core/json';

/** Options of `BackendRef.to`. */
export interface BackendRefOptions {
  /**
   * The port of the Service to send to; it must be one of the Service's ports.
   * @default - the Service's only port, when it is known to have exactly one
   */
  readonly port?: number;
  /**
   * The relative share of traffic (0 to 1,000,000) among the rule's backends. Weights are proportions; an
   * explicit 0 is kept in the output (a backend ready to receive traffic, as progressive-delivery controllers
   * write it).
   * @default - unset: the Gateway API's default weight of 1
   */
  readonly weight?: number;
  /**
   * Filters applied only when this backend is chosen (HTTPRoute and GRPCRoute only).
   * @default - none
   */
  readonly filters?: RouteFilter[];
}

/**
 * A backend of a Gateway API route rule.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httpbackendref
 */
export class BackendRef {
  /**
   * Send traffic to a host: `Host.fromService(svc)` (a Service of this app, whose ports are checked),
   * `Host.fromName('reviews', { namespace, ports })`, or a ServiceEntry's `host()` (written as Istio's
   * `networking.istio.io/Hostname` backend).
   */
  public static to(host: IHost, options: BackendRefOptions = {}): BackendRef {
    return new BackendRef(host, options);
  }

  /** The host. */
  public readonly host: IHost;
  /** The options. */
  public readonly options: BackendRefOptions;

  private constructor(host: IHost, options: BackendRefOptions) {
    this.host = host;
    this.options = options;
  }

  /** @internal */
  public _render(ctx: RenderContext): JsonMap {
    return {
      ...renderBackendObjectRef(this.host, this.options.port, ctx),
      weight: this.options.weight,
      filters: this.options.filters?.map(f => f._render(ctx)),
    };
  }
}

/** The weight a backend may have: an integer from 0 to 1,000,000. @internal */
export function checkWeight(weight: number | undefined, kind: string, field: string): void {
  if (weight === undefined) return;
  if (!Number.isInteger(weight) || weight < 0 || weight > 1_000_000) {
    throw invalidValue({ kind, field, problem: 'a backend weight must be an integer from 0 to 1000000', got: weight, allowed: 'e.g. 90 and 10 for a 90/10 split' });
  }
}

/**
 * The port a backend is written with: the given one, or the host's only known port.
 * @internal
 */
export function backendPort(host: IHost, port: number | undefined): number | undefined {
  if (port !== undefined) return port;
  const ports = host.ports;
  return ports.length === 1 ? ports[0] : undefined;
}

/**
 * A problem with the port of a backend whose Service ports are known, or undefined.
 * @internal
 */
export function backendPortProblem(host: IHost, port: number | undefined): { problem: string; got: unknown; allowed: string } | undefined {
  // A Service of the app is in the analysed output, where the engine checks the port (CDK8SISTIO0306/0307):
  // only ports given by hand (`Host.fromName(..., { ports })`) are checked here, so one mistake is one message.
  if (hostIsDefinedByObject(host)) return undefined;
  const ports = host.ports;
  if (ports.length === 0) return undefined;
  // A backendRef without a port is in the manifest, where the engine reports it (CDK8SISTIO0306).
  if (port === undefined) return undefined;
  if (!ports.includes(port)) return { problem: `Service ${host.hostname} has no port ${port}`, got: port, allowed: `give port: one of ${ports.join(', ')}` };
  return undefined;
}

/**
 * The Service name and namespace a host stands for: a short name (in the host's namespace), or
 * `<name>.<namespace>.svc.<cluster domain>`; undefined for other hostnames.
 * @internal
 */
export function serviceOfHost(host: IHost, clusterDomain: string): { name: string; namespace?: string } | undefined {
  if (isLiteralHost(host)) return undefined;
  const name = host.hostname;
  if (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) return { name, namespace: host.namespace };
  const suffix = `.svc.${clusterDomain}`;
  if (name.endsWith(suffix)) {
    const parts = name.slice(0, -suffix.length).split('.');
    if (parts.length === 2) return { name: parts[0], namespace: parts[1] };
  }
  return undefined;
}

/**
 * The object reference of a backend (`name`, `namespace`, `port`; group and kind for non-Services).
 * @internal
 */
export function renderBackendObjectRef(host: IHost, port: number | undefined, ctx: RenderContext): JsonMap {
  const service = serviceOfHost(host, ctx.clusterDomain);
  if (!service) {
    // Istio's extension: any mesh hostname (a ServiceEntry host, for instance) as a backend.
    return { group: 'networking.istio.io', kind: 'Hostname', name: host.hostname, port: backendPort(host, port) };
  }
  const ns = service.namespace;
  return {
    name: service.name,
    namespace: ns !== undefined && ns !== ctx.namespace ? ns : undefined,
    port: backendPort(host, port),
  };
}
