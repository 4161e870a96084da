// Hosts are what VirtualServices, DestinationRules and ServiceEntries talk about. A host made from a Service
// knows its namespace and ports, so a route can be checked against them instead of trusting a string.
// A host is data (name, namespace, ports); how a referring resource writes it is decided here, in one place.
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ClusterDomain } from './cluster-domain';
import { invalidValue } from './errors';
import { apiObjectOf, resolvedJson } from './kube';
import { ReferenceOptions } from './reference';
import { checkWildcardDomain } from './validate';

/**
 * A mesh hostname: a Kubernetes Service, a ServiceEntry host, or an external name.
 *
 * A reference: it carries what the library needs to know about the host; how a referring resource writes it
 * (`reviews`, or `reviews.shop.svc.cluster.local` from another namespace) is decided when that resource renders.
 */
export interface IHost {
  /** The host as written in the resource that defines it (a short name such as `reviews`, or an FQDN). */
  readonly hostname: string;
  /**
   * The namespace of the Service or ServiceEntry that defines the host, when known.
   * @default - unknown: the host is written as given
   */
  readonly namespace?: string;
  /**
   * The port numbers the host serves, when known (read at synth time). Empty when unknown.
   */
  readonly ports: number[];
}

/** Options for `Host.fromName`. */
export interface NamedHostOptions extends ReferenceOptions {
  /**
   * The ports the host is known to serve; routes to other ports are reported.
   * @default - unknown: ports are not checked
   */
  readonly ports?: number[];
}

/**
 * Factories for `IHost`. A ServiceEntry's hosts come from `serviceEntry.host()`.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#Destination
 */
export class Host {
  /**
   * The host of a Kubernetes Service: any construct whose default child is a Service ApiObject
   * (cdk8s-plus-28 ... -33 `Service`, or a raw `KubeService`). Name, namespace and ports are read from it.
   * From another namespace it is written `<name>.<namespace>.svc.<cluster domain>` (see `ClusterDomain`).
   */
  public static fromService(service: IConstruct): IHost {
    return new ServiceHost(apiObjectOf(service, 'Service'));
  }

  /**
   * A host by name, for Services or ServiceEntries defined outside this program (`reviews`,
   * `reviews.shop.svc.cluster.local`, `*.example.com`). Analysis checks it against what it can see.
   */
  public static fromName(hostname: string, options: NamedHostOptions = {}): IHost {
    return new NamedHost(hostname, options.namespace, options.ports ?? []);
  }

  /** A host outside the mesh, such as `api.example.com`; it must be a fully qualified name. */
  public static external(hostname: string, ports: number[] = []): IHost {
    if (!hostname.includes('.')) {
      throw invalidValue({ kind: 'Host', problem: 'an external host must be fully qualified', got: hostname, allowed: 'e.g. api.example.com' });
    }
    return new NamedHost(hostname, undefined, ports);
  }

  private constructor() {}
}

/**
 * Where a resource that refers to hosts is: what decides how it writes them.
 * @internal
 */
export interface RenderContext {
  /** The namespace of the referring resource, when it has one. */
  readonly namespace?: string;
  /** The cluster DNS domain (`ClusterDomain.of`). */
  readonly clusterDomain: string;
}

/** The render context of a construct: its namespace (if it has one) and the app's cluster domain. @internal */
export function renderContextOf(scope: IConstruct, namespace: string | undefined): RenderContext {
  return { namespace, clusterDomain: ClusterDomain.of(scope) };
}

/**
 * A host written literally whatever the referring namespace (ServiceEntry hosts: Istio does not qualify them).
 * @internal
 */
export interface LiteralHostMarker {
  readonly _literal?: boolean;
}

/** True for hosts written as declared (ServiceEntry hosts and subsets of them). @internal */
export function isLiteralHost(host: IHost): boolean {
  return (host as LiteralHostMarker)._literal === true;
}

/**
 * The host's fully qualified name when it is a short Service name in a known namespace, else as declared.
 * @internal
 */
export function qualifiedHost(host: IHost, clusterDomain: string): string {
  const name = host.hostname;
  if (isLiteralHost(host) || host.namespace === undefined || name === '*' || name.includes('.')) return name;
  return `${name}.${host.namespace}.svc.${clusterDomain}`;
}

/**
 * The host as a resource at `ctx` writes it: as declared in the host's own namespace, qualified elsewhere
 * (a short name in another namespace would name a different Service).
 * @internal
 */
export function renderHost(host: IHost, ctx: RenderContext): string {
  if (host.namespace !== undefined && host.namespace === ctx.namespace) return host.hostname;
  return qualifiedHost(host, ctx.clusterDomain);
}

/**
 * Whether the host was read from a Service or ServiceEntry object, which the app's analysis then sees.
 * @internal
 */
export function hostIsDefinedByObject(host: IHost): boolean {
  return host instanceof ServiceHost || host instanceof ServiceEntryHost;
}

/**
 * The Service object a host was read from (`Host.fromService`), or undefined for other hosts.
 * @internal
 */
export function serviceObjectOf(host: IHost): ApiObject | undefined {
  return host instanceof ServiceHost ? host._service : undefined;
}

class NamedHost implements IHost {
  constructor(public readonly hostname: string, public readonly namespace: string | undefined, private readonly _ports: number[]) {
    const err = checkWildcardDomain(hostname);
    if (err) throw invalidValue({ kind: 'Host', problem: err, got: hostname, allowed: 'a DNS name such as reviews, reviews.shop.svc.cluster.local or *.example.com' });
  }
  public get ports(): number[] { return [...this._ports]; }
}

class ServiceHost implements IHost {
  constructor(private readonly svc: ApiObject) {}
  public get _service(): ApiObject { return this.svc; }
  public get hostname(): string { return this.svc.name; }
  public get namespace(): string | undefined { return this.svc.metadata.namespace; }
  public get ports(): number[] {
    const ports: unknown[] = resolvedJson(this.svc)?.spec?.ports ?? [];
    return ports.map(p => (p as { port?: unknown }).port).filter((p): p is number => typeof p === 'number');
  }
}

/**
 * One host of a ServiceEntry (made by `ServiceEntry.host()`): Istio takes ServiceEntry hosts literally.
 * @internal
 */
export class ServiceEntryHost implements IHost, LiteralHostMarker {
  public readonly _literal = true;
  constructor(public readonly hostname: string, private readonly source: { readonly namespace?: string; readonly portNumbers: number[] }) {}
  public get namespace(): string | undefined { return this.source.namespace; }
  public get ports(): number[] { return [...this.source.portNumbers]; }
}
