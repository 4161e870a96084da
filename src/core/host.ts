// Hosts are what VirtualServices, DestinationRules and ServiceEntries talk about. A host made from a Service
// knows its namespace and ports, so a route can be checked against them instead of trusting a string.
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalidValue } from './errors';
import { apiObjectOf, resolvedJson } from './kube';
import { checkWildcardDomain } from './validate';

/**
 * A mesh hostname: a Kubernetes Service, a ServiceEntry host, or an external name.
 */
export interface IHost {
  /** The host as written in the resource that defines it (a short name such as `reviews`, or an FQDN). */
  readonly hostname: string;
  /** The namespace of the Service or ServiceEntry that defines the host, when known. */
  readonly namespace?: string;
  /**
   * The port numbers the host serves, when known (read at synth time). Empty when unknown.
   */
  readonly ports: number[];
  /**
   * The host as a resource in `namespace` must write it: the short name in the same namespace, the
   * fully qualified `name.ns.svc.<cluster domain>` elsewhere.
   * @param namespace the namespace of the referring resource (undefined when it has none)
   */
  renderFor(namespace?: string): string;
}

/**
 * What `Host.fromServiceEntry` reads of a ServiceEntry. Structural, so that core does not import the
 * networking module (`ServiceEntry` implements it).
 */
export interface IServiceEntryHosts {
  /** The hosts the ServiceEntry declares. */
  readonly serviceEntryHosts: string[];
  /** The port numbers the ServiceEntry declares. */
  readonly serviceEntryPorts: number[];
  /**
   * The namespace of the ServiceEntry.
   * @default - none (the namespace of the referring resource)
   */
  readonly namespace?: string;
}

/** Options for `Host.fromService`. */
export interface ServiceHostOptions {
  /**
   * The cluster DNS domain used to qualify the name from other namespaces.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
}

/** Options for `Host.fromName`. */
export interface NamedHostOptions {
  /**
   * The namespace the short name lives in, when it is a Service defined elsewhere.
   * @default - the namespace of the referring resource
   */
  readonly namespace?: string;
  /**
   * The ports the host is known to serve; routes to other ports are reported.
   * @default - unknown: ports are not checked
   */
  readonly ports?: number[];
}

/**
 * Factories for `IHost`.
 */
export class Host {
  /**
   * The host of a Kubernetes Service: any construct whose default child is a Service ApiObject
   * (cdk8s-plus-28 ... -33 `Service`, or a raw `KubeService`). Name, namespace and ports are read from it.
   */
  public static fromService(service: IConstruct, options: ServiceHostOptions = {}): IHost {
    return new ServiceHost(apiObjectOf(service, 'Service'), options.clusterDomain ?? 'cluster.local');
  }

  /**
   * A host by name, for Services or ServiceEntries defined outside this program (`reviews`,
   * `reviews.shop.svc.cluster.local`, `*.example.com`). Analysis checks it against what it can see.
   */
  public static fromName(hostname: string, options: NamedHostOptions = {}): IHost {
    return new NamedHost(hostname, options.namespace, options.ports ?? []);
  }

  /**
   * A host of a ServiceEntry, so VirtualServices and DestinationRules target exactly what it declares and
   * routes are checked against its ports.
   * @param serviceEntry the ServiceEntry (`ServiceEntry` construct)
   * @param hostname one of its hosts; required when it declares more than one
   */
  public static fromServiceEntry(serviceEntry: IServiceEntryHosts, hostname?: string): IHost {
    const hosts = serviceEntry.serviceEntryHosts;
    if (hostname === undefined && hosts.length !== 1) {
      throw invalidValue({ kind: 'Host', problem: 'the ServiceEntry declares several hosts, so name the one to use', got: hosts, allowed: 'Host.fromServiceEntry(se, hostname)' });
    }
    const host = hostname ?? hosts[0];
    if (!hosts.includes(host)) {
      throw invalidValue({ kind: 'Host', problem: 'the ServiceEntry does not declare this host', got: host, allowed: `one of ${hosts.join(', ')}` });
    }
    return new ServiceEntryHost(serviceEntry, host);
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
 * Whether the host was read from a Service or ServiceEntry object, which the app's analysis then sees.
 * @internal
 */
export function hostIsDefinedByObject(host: IHost): boolean {
  return host instanceof ServiceHost || host instanceof ServiceEntryHost;
}

class NamedHost implements IHost {
  constructor(public readonly hostname: string, public readonly namespace: string | undefined, private readonly _ports: number[]) {
    const err = checkWildcardDomain(hostname);
    if (err) throw invalidValue({ kind: 'Host', problem: err, got: hostname, allowed: 'a DNS name such as reviews, reviews.shop.svc.cluster.local or *.example.com' });
  }
  public get ports(): number[] { return [...this._ports]; }
  public renderFor(namespace?: string): string {
    if (this.namespace && namespace !== undefined && namespace !== this.namespace && !this.hostname.includes('.')) {
      return `${this.hostname}.${this.namespace}.svc.cluster.local`;
    }
    return this.hostname;
  }
}

class ServiceHost implements IHost {
  constructor(private readonly svc: ApiObject, private readonly clusterDomain: string) {}
  public get hostname(): string { return this.svc.name; }
  public get namespace(): string | undefined { return this.svc.metadata.namespace; }
  public get ports(): number[] {
    const ports = resolvedJson(this.svc)?.spec?.ports ?? [];
    return ports.map((p: any) => p.port).filter((p: unknown) => typeof p === 'number');
  }
  public renderFor(namespace?: string): string {
    const ns = this.namespace;
    if (!ns || ns === namespace) return this.svc.name;
    return `${this.svc.name}.${ns}.svc.${this.clusterDomain}`;
  }
}

class ServiceEntryHost implements IHost {
  constructor(private readonly se: IServiceEntryHosts, public readonly hostname: string) {}
  public get namespace(): string | undefined { return this.se.namespace; }
  public get ports(): number[] { return [...this.se.serviceEntryPorts]; }
  // ServiceEntry hosts are taken literally by Istio (no namespace qualification), so they render as written.
  public renderFor(_namespace?: string): string { return this.hostname; }
}
