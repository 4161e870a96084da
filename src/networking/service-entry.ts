// ServiceEntry: adds hosts to the mesh's service registry (external APIs, VMs, services of other platforms),
// with their ports, how their addresses are resolved, and where their endpoints are.
import { Construct } from 'constructs';
import { Protocol } from './protocol';
import { constructError, formatProblem } from '../core/errors';
import { IHost, ServiceEntryHost } from '../core/host';
import { JsonMap } from '../core/json';
import { compact } from '../core/render';
import { IstioResource, IstioResourceProps } from '../core/resource';
import { WorkloadSelector } from '../core/selector';

/**
 * Whether the service is part of the mesh.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/#ServiceEntry-Location
 */
export enum ServiceEntryLocation {
  /** Outside the mesh: no mTLS to it, metrics report it as external (Istio's default). */
  MESH_EXTERNAL = 'MESH_EXTERNAL',
  /** Part of the mesh (VMs, other platforms): mTLS and mesh policy apply. */
  MESH_INTERNAL = 'MESH_INTERNAL',
}

/**
 * How the proxy finds the endpoints of the hosts.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/#ServiceEntry-Resolution
 */
export enum ServiceEntryResolution {
  /** Forward to the IP the application connected to (Istio's default). */
  NONE = 'NONE',
  /** Use the static endpoint IPs given in `endpoints` (or selected by `workloadSelector`). */
  STATIC = 'STATIC',
  /** Resolve the hosts (or the endpoint hostnames) through DNS; all returned IPs are used. */
  DNS = 'DNS',
  /** Resolve through DNS and use only the first returned IP, for services behind a round-robin DNS name. */
  DNS_ROUND_ROBIN = 'DNS_ROUND_ROBIN',
  /** Resolve wildcard hosts at request time, per host. */
  DYNAMIC_DNS = 'DYNAMIC_DNS',
}

/** Options of a `ServicePort`. */
export interface ServicePortOptions {
  /**
   * The port's name, unique within the ServiceEntry; endpoints refer to it.
   * @default - `<protocol>-<number>` in lower case (e.g. `https-443`), or `port-<number>` without a protocol
   */
  readonly name?: string;
  /**
   * The port on the endpoints that receives the traffic.
   * @default - the same number as the service port
   */
  readonly targetPort?: number;
}

/**
 * A port of a ServiceEntry: number, protocol and name.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/#ServicePort
 */
export class ServicePort {
  /** Plain HTTP. */
  public static http(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort(port, Protocol.HTTP, options);
  }

  /** HTTPS: TLS the application originates; the proxy routes it by SNI without terminating it. */
  public static https(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort(port, Protocol.HTTPS, options);
  }

  /** HTTP/2 (prior knowledge). */
  public static http2(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort(port, Protocol.HTTP2, options);
  }

  /** gRPC. */
  public static grpc(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort(port, Protocol.GRPC, options);
  }

  /** Opaque TCP. */
  public static tcp(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort(port, Protocol.TCP, options);
  }

  /** TLS, routed by SNI. */
  public static tls(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort(port, Protocol.TLS, options);
  }

  /** Any other protocol Istio knows (MONGO, REDIS, MYSQL, GRPC-WEB, UDP, ...). */
  public static of(protocol: Protocol, port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort(port, protocol, options);
  }

  /** A port without a declared protocol: the proxy sniffs HTTP, else treats it as TCP. */
  public static sniffed(port: number, options: ServicePortOptions = {}): ServicePort {
    return new ServicePort(port, undefined, options);
  }

  /** The port number. */
  public readonly number: number;
  /**
   * The protocol.
   * @default - none (sniffed)
   */
  public readonly protocol?: Protocol;
  /** The port's name. */
  public readonly name: string;
  /**
   * The port on the endpoints.
   * @default - the port number
   */
  public readonly targetPort?: number;

  private constructor(port: number, protocol: Protocol | undefined, options: ServicePortOptions) {
    this.number = port;
    this.protocol = protocol;
    this.name = options.name ?? `${protocol ? protocol.toLowerCase() : 'port'}-${port}`;
    this.targetPort = options.targetPort;
  }

  /** @internal */
  public _render(): JsonMap {
    return { number: this.number, protocol: this.protocol, name: this.name, targetPort: this.targetPort };
  }
}

/** One endpoint of a ServiceEntry (STATIC, DNS or DNS_ROUND_ROBIN resolution). */
export interface ServiceEntryEndpoint {
  /**
   * The address: an IP (STATIC), a hostname (DNS), or a Unix domain socket `unix:///path`.
   * @default - none; then `network` must be set (the endpoint is reached through that network's gateway)
   */
  readonly address?: string;
  /**
   * Port overrides by port name, e.g. `{ https: 8443 }`.
   * @default - the service ports' target ports
   */
  readonly ports?: { [portName: string]: number };
  /**
   * Labels of the endpoint, for DestinationRule subsets.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * The network the endpoint lives in (multi-network meshes).
   * @default - the proxy's own network
   */
  readonly network?: string;
  /**
   * Locality `region/zone/subzone`, for locality-aware load balancing.
   * @default - unknown
   */
  readonly locality?: string;
  /**
   * Load-balancing weight relative to the other endpoints.
   * @default - equal weights
   */
  readonly weight?: number;
  /**
   * The service account of the workload behind the endpoint (used for mTLS identity).
   * @default - none
   */
  readonly serviceAccount?: string;
}

/** Properties of a `ServiceEntry`. */
export interface ServiceEntryProps extends IstioResourceProps {
  /**
   * The hosts: DNS names, optionally with a wildcard prefix (`*.example.com`). More with `addHost`.
   */
  readonly hosts: string[];
  /**
   * Virtual IPs or CIDRs of the service; traffic to them is treated as traffic to the hosts.
   * @default - none (Istio may auto-allocate one)
   */
  readonly addresses?: string[];
  /**
   * The ports. More with `addPort`.
   * @default - none
   */
  readonly ports?: ServicePort[];
  /**
   * Whether the service is part of the mesh.
   * @default - not rendered; Istio treats it as MESH_EXTERNAL
   */
  readonly location?: ServiceEntryLocation;
  /**
   * How endpoints are found.
   * @default - not rendered; Istio treats it as NONE
   */
  readonly resolution?: ServiceEntryResolution;
  /**
   * Explicit endpoints. Give these or `workloadSelector`, not both.
   * @default - none
   */
  readonly endpoints?: ServiceEntryEndpoint[];
  /**
   * Mesh workloads (pods, WorkloadEntries) that are the endpoints (MESH_INTERNAL services).
   * @default - none
   */
  readonly workloadSelector?: WorkloadSelector;
  /**
   * Namespaces the entry is visible to: `.`, `*`, namespace names, or `~` (no one) alone.
   * @default - all namespaces (the mesh default)
   */
  readonly exportTo?: string[];
  /**
   * Subject alternative names the server certificate of the endpoints must carry (mTLS to MESH_INTERNAL).
   * @default - not checked
   */
  readonly subjectAltNames?: string[];
}

/**
 * An Istio ServiceEntry: hosts added to the mesh's service registry, e.g. an external API that sidecars with
 * `REGISTRY_ONLY` may then call. `se.host()` makes one of its hosts a routing target.
 *
 * @example
 * declare const chart: Chart;
 * new ServiceEntry(chart, 'github', {
 *   hosts: ['api.github.com'],
 *   ports: [ServicePort.https(443)],
 *   resolution: ServiceEntryResolution.DNS,
 * });
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/
 */
export class ServiceEntry extends IstioResource {
  private readonly hostnames: string[];
  private readonly servicePorts: ServicePort[] = [];
  private readonly endpoints: ServiceEntryEndpoint[];
  private readonly props: ServiceEntryProps;

  public constructor(scope: Construct, id: string, props: ServiceEntryProps) {
    super(scope, id, 'ServiceEntry', props);
    this.props = props;
    this.hostnames = [...props.hosts];
    this.endpoints = [...(props.endpoints ?? [])];
    for (const p of props.ports ?? []) this.addPort(p);
  }

  /** The hosts the entry declares. */
  public get hosts(): string[] {
    return [...this.hostnames];
  }

  /** The port numbers the entry declares. */
  public get portNumbers(): number[] {
    return this.servicePorts.map(p => p.number);
  }

  /**
   * One of the entry's hosts as a routing target for VirtualServices and DestinationRules, which then target
   * exactly what the entry declares and have their routes checked against its ports.
   * @param hostname the host; may be omitted when the entry declares only one
   */
  public host(hostname?: string): IHost {
    const hosts = this.hostnames;
    if (hostname === undefined && hosts.length !== 1) {
      throw constructError(this, { kind: 'ServiceEntry', field: 'spec.hosts', problem: 'the entry declares several hosts, so name the one to use', got: hosts, allowed: 'serviceEntry.host(hostname)' });
    }
    const host = hostname ?? hosts[0];
    if (!hosts.includes(host)) {
      throw constructError(this, { kind: 'ServiceEntry', field: 'spec.hosts', problem: 'the entry does not declare this host', got: host, allowed: `one of ${hosts.join(', ')}` });
    }
    return new ServiceEntryHost(host, this);
  }

  /** Add a host. */
  public addHost(hostname: string): ServiceEntry {
    this.hostnames.push(hostname);
    return this;
  }

  /** Add a port. */
  public addPort(port: ServicePort): ServiceEntry {
    this.servicePorts.push(port);
    return this;
  }

  /** Add an endpoint. */
  public addEndpoint(endpoint: ServiceEntryEndpoint): ServiceEntry {
    this.endpoints.push(endpoint);
    return this;
  }

  /** @internal */
  protected _render(): unknown {
    const p = this.props;
    return compact({
      hosts: this.hostnames,
      addresses: p.addresses,
      ports: this.servicePorts.map(x => x._render()),
      location: p.location,
      resolution: p.resolution,
      endpoints: this.endpoints.map(e => ({
        address: e.address,
        ports: e.ports && { ...e.ports },
        labels: e.labels && { ...e.labels },
        network: e.network,
        locality: e.locality,
        weight: e.weight,
        serviceAccount: e.serviceAccount,
      })),
      workloadSelector: p.workloadSelector && { labels: p.workloadSelector.matchLabels },
      exportTo: p.exportTo,
      subjectAltNames: p.subjectAltNames,
    });
  }

  /** @internal */
  protected _validate(): string[] {
    // An endpoint with no fields at all renders as nothing, so the manifest could not show the mistake.
    return this.endpoints
      .map((e, i) => [e, i] as const)
      .filter(([e]) => Object.keys(compact({ ...e }) ?? {}).length === 0)
      .map(([, i]) => formatProblem({ kind: 'ServiceEntry', field: `spec.endpoints[${i}]`, problem: 'an endpoint needs an address or a network', got: {}, allowed: 'e.g. { address: "10.0.0.5" }' }));
  }
}
