// Gateway: the load balancer at the edge of the mesh (ingress, egress, east-west), its servers and TLS.
import { Construct } from 'constructs';
import { Protocol } from './protocol';
import { ServerCertificate, ServerTlsMode, TlsProtocolVersion } from './tls';
import { invalidValue } from '../core/errors';
import { ReferenceOptions } from '../core/reference';
import { compact } from '../core/render';
import { IstioResource, IstioResourceProps } from '../core/resource';
import { WorkloadSelector } from '../core/selector';

/**
 * A Gateway that VirtualServices can bind to: one defined here, one defined elsewhere, or the mesh itself.
 * A reference (data); how a VirtualService writes it is decided when the VirtualService renders.
 */
export interface IGateway {
  /** The Gateway's name; `mesh` for the mesh pseudo-gateway. */
  readonly gatewayName: string;
  /**
   * The Gateway's namespace, when known.
   * @default - unknown: resolved in the namespace of the referring resource
   */
  readonly gatewayNamespace?: string;
}

class GatewayRef implements IGateway {
  constructor(public readonly gatewayName: string, public readonly gatewayNamespace?: string) {}
}

/**
 * The gateway as a resource in `namespace` writes it: `name` in the same namespace, `ns/name` elsewhere,
 * `mesh` for the mesh.
 * @internal
 */
export function renderGatewayRef(gateway: IGateway, namespace: string | undefined): string {
  const ns = gateway.gatewayNamespace;
  if (!ns || ns === namespace) return gateway.gatewayName;
  return `${ns}/${gateway.gatewayName}`;
}

/** Options common to every Gateway server, whatever its port rules. */
export interface GatewayServerBaseOptions {
  /**
   * Hosts this server exposes: `shop.example.com`, `*.example.com`, `*`, optionally prefixed with the
   * namespace whose VirtualServices may bind (`shop/shop.example.com`, `./`, `*`/).
   */
  readonly hosts: string[];
  /**
   * Name of the port; must be unique across the servers of a Gateway.
   * @default - `<protocol>-<port>`, e.g. `https-443`
   */
  readonly portName?: string;
  /**
   * Name of the server, for telemetry and for Gateway API attachment.
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * The IP address or Unix domain socket (`unix:///path`, `unix://@abstract`) to bind to.
   * @default - all addresses of the gateway pods
   */
  readonly bind?: string;
}

/** Options of a server whose protocol has a well-known port. */
export interface GatewayServerOptions extends GatewayServerBaseOptions {
  /**
   * Port number the gateway listens on.
   * @default - 80 for HTTP, 443 for HTTPS and TLS, 15443 for AUTO_PASSTHROUGH
   */
  readonly port?: number;
}

/** TLS settings of a terminating server (HTTPS, or TLS with SIMPLE/MUTUAL/...). */
export interface ServerTlsOptions {
  /**
   * Where the certificate comes from: `ServerCertificate.fromSecret('shop-cert')` (Istio's `credentialName`),
   * `fromSecrets(rsa, ecdsa)` or `fromFiles({...})`.
   * @default - none; required unless the mode is ISTIO_MUTUAL or a passthrough mode
   */
  readonly certificate?: ServerCertificate;
  /**
   * TLS mode.
   * @default ServerTlsMode.SIMPLE for HTTPS, ServerTlsMode.PASSTHROUGH for TLS
   */
  readonly mode?: ServerTlsMode;
  /**
   * Minimum TLS version.
   * @default - Envoy's default (TLS 1.2 on gateways)
   */
  readonly minProtocolVersion?: TlsProtocolVersion;
  /**
   * Maximum TLS version.
   * @default - Envoy's default (TLS 1.3)
   */
  readonly maxProtocolVersion?: TlsProtocolVersion;
  /**
   * Cipher suites, e.g. `ECDHE-ECDSA-AES256-GCM-SHA384`.
   * @default - Envoy's default list
   */
  readonly cipherSuites?: string[];
  /**
   * Subject alternative names a client certificate must carry (MUTUAL).
   * @default - any
   */
  readonly subjectAltNames?: string[];
  /**
   * Base64 SHA-256 SPKI hashes a client certificate must match.
   * @default - not pinned
   */
  readonly verifyCertificateSpki?: string[];
  /**
   * Hex SHA-256 hashes a client certificate must match.
   * @default - not pinned
   */
  readonly verifyCertificateHash?: string[];
}

/** Options of `GatewayServer.https()` and `GatewayServer.tls()`. */
export interface TlsServerOptions extends GatewayServerOptions, ServerTlsOptions {}

/** Options of a server on a port with no TLS of its own (TCP, gRPC, Mongo, ...). */
export interface PlainServerOptions extends GatewayServerBaseOptions {
  /** Port number; these protocols have no default port. */
  readonly port: number;
}

/**
 * A server of a Gateway: a port, a protocol, the hosts it exposes and its TLS.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#Server
 */
export class GatewayServer {
  /** Plain HTTP (port 80 by default). For a server that only redirects to HTTPS, use `httpsRedirect()`. */
  public static http(options: GatewayServerOptions): GatewayServer {
    return new GatewayServer(Protocol.HTTP, options.port ?? 80, options);
  }

  /** Plain HTTP that redirects every request to HTTPS with a 301 (port 80 by default). */
  public static httpsRedirect(options: GatewayServerOptions): GatewayServer {
    return new GatewayServer(Protocol.HTTP, options.port ?? 80, options, { httpsRedirect: true });
  }

  /** HTTPS terminated at the gateway (port 443, mode SIMPLE by default). */
  public static https(options: TlsServerOptions): GatewayServer {
    return new GatewayServer(Protocol.HTTPS, options.port ?? 443, options, tlsFields(options, ServerTlsMode.SIMPLE));
  }

  /**
   * TLS routed by SNI (port 443, mode PASSTHROUGH by default); with a terminating mode, the decrypted
   * stream is routed as TCP.
   */
  public static tls(options: TlsServerOptions): GatewayServer {
    return new GatewayServer(Protocol.TLS, options.port ?? 443, options, tlsFields(options, ServerTlsMode.PASSTHROUGH));
  }

  /** Multi-network east-west traffic: TLS with AUTO_PASSTHROUGH (port 15443 by default). */
  public static autoPassthrough(options: GatewayServerOptions): GatewayServer {
    return new GatewayServer(Protocol.TLS, options.port ?? 15443, options, { mode: ServerTlsMode.AUTO_PASSTHROUGH });
  }

  /** Opaque TCP. */
  public static tcp(options: PlainServerOptions): GatewayServer {
    return new GatewayServer(Protocol.TCP, options.port, options);
  }

  /** Any protocol without TLS settings of its own (HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, ...). */
  public static plain(protocol: Protocol, options: PlainServerOptions): GatewayServer {
    return new GatewayServer(protocol, options.port, options);
  }

  /** The protocol of the server. */
  public readonly protocol: Protocol;
  /** The port number of the server. */
  public readonly port: number;
  /** The hosts the server exposes. */
  public readonly hosts: string[];

  private constructor(
    protocol: Protocol,
    port: number,
    private readonly options: GatewayServerBaseOptions,
    private readonly tls?: { [key: string]: unknown },
  ) {
    if (!Array.isArray(options.hosts) || options.hosts.length === 0) {
      throw invalidValue({ kind: 'GatewayServer', field: 'hosts', problem: 'a server must expose at least one host', got: options.hosts, allowed: 'e.g. ["shop.example.com"] or ["*"]' });
    }
    this.protocol = protocol;
    this.port = port;
    this.hosts = [...options.hosts];
  }

  /** The port name this server renders. */
  public get portName(): string {
    return this.options.portName ?? `${this.protocol.toLowerCase()}-${this.port}`;
  }

  /** @internal */
  public _render(): unknown {
    return compact({
      port: { number: this.port, name: this.portName, protocol: this.protocol },
      hosts: this.hosts,
      name: this.options.name,
      bind: this.options.bind,
      tls: this.tls,
    });
  }
}

function tlsFields(o: ServerTlsOptions, defaultMode: ServerTlsMode): { [key: string]: unknown } {
  return {
    mode: o.mode ?? defaultMode,
    ...(o.certificate ? o.certificate._render() : {}),
    minProtocolVersion: o.minProtocolVersion,
    maxProtocolVersion: o.maxProtocolVersion,
    cipherSuites: o.cipherSuites,
    subjectAltNames: o.subjectAltNames,
    verifyCertificateSpki: o.verifyCertificateSpki,
    verifyCertificateHash: o.verifyCertificateHash,
  };
}

/** Properties of a `Gateway`. */
export interface GatewayProps extends IstioResourceProps {
  /**
   * The gateway pods this configuration applies to: `WorkloadSelector.labels({ istio: 'egressgateway' })`, or
   * `WorkloadSelector.fromWorkload(gatewayDeployment)`. Rendered as Istio's `spec.selector`.
   * @default - the pods labelled `istio: ingressgateway` (Istio's default ingress gateway)
   */
  readonly selector?: WorkloadSelector;
  /**
   * The servers (listeners). More can be added with `addServer`.
   * @default - none; a Gateway needs at least one by synth
   */
  readonly servers?: GatewayServer[];
}

/**
 * An Istio Gateway: the ports, protocols, hosts and TLS of a gateway workload at the edge of the mesh.
 *
 * Bind VirtualServices to it to route what it receives.
 *
 * @example
 * declare const chart: Chart;
 * new Gateway(chart, 'public', {
 *   servers: [GatewayServer.https({
 *     hosts: ['shop.example.com'],
 *     certificate: ServerCertificate.fromSecret('shop-cert'),
 *   })],
 * });
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/
 */
export class Gateway extends IstioResource implements IGateway {
  /** The mesh pseudo-gateway: the sidecars of every workload. */
  public static readonly MESH: IGateway = new GatewayRef('mesh');

  /**
   * A Gateway defined elsewhere, e.g. `Gateway.fromName('ingress', { namespace: 'istio-system' })`. Analysis
   * checks the reference when that Gateway is in the same app.
   */
  public static fromName(name: string, options: ReferenceOptions = {}): IGateway {
    return new GatewayRef(name, options.namespace);
  }

  private readonly servers: GatewayServer[] = [];
  private readonly selector?: WorkloadSelector;

  public constructor(scope: Construct, id: string, props: GatewayProps = {}) {
    super(scope, id, 'Gateway', props);
    this.selector = props.selector;
    for (const s of props.servers ?? []) this.addServer(s);
  }

  /** The Gateway's name. */
  public get gatewayName(): string {
    return this.name;
  }

  /** The Gateway's namespace. */
  public get gatewayNamespace(): string | undefined {
    return this.namespace;
  }

  /** Add a server (listener). */
  public addServer(server: GatewayServer): Gateway {
    this.servers.push(server);
    return this;
  }

  /** All hosts exposed by the servers of this Gateway. */
  public get hosts(): string[] {
    return [...new Set(this.servers.flatMap(s => s.hosts))];
  }

  /** @internal */
  protected _render(): unknown {
    return compact({
      selector: this.selector ? this.selector.matchLabels : { istio: 'ingressgateway' },
      servers: this.servers.map(s => s._render()),
    });
  }
}
