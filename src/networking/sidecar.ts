// Sidecar: narrows what a workload's proxy listens on (ingress) and what it can see and reach (egress), and
// whether it may call hosts outside the service registry.
import { Construct } from 'constructs';
import { Protocol } from './protocol';
import { CertificateFiles, ServerTlsMode, TlsProtocolVersion } from './tls';
import { ConnectionPool, renderTrafficPolicy } from './traffic-policy';
import { withConstructPath } from '../core/errors';
import { IHost, RenderContext, qualifiedHost, renderContextOf, renderHost } from '../core/host';
import { JsonMap } from '../core/json';
import { compact } from '../core/render';
import { IstioResource, IstioResourceProps } from '../core/resource';
import { WorkloadSelector } from '../core/selector';

/**
 * One `namespace/dnsName` entry of an egress listener: which hosts of which namespaces the proxy sees.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/sidecar/#IstioEgressListener
 */
export class SidecarHost {
  /** Hosts in the Sidecar's own namespace (`./<dnsName>`, by default `./*`). */
  public static sameNamespace(dnsName: string = '*'): SidecarHost {
    return new SidecarHost(`./${dnsName}`);
  }

  /** Hosts of any namespace (namespace part `*`), e.g. `SidecarHost.anyNamespace('api.github.com')`. */
  public static anyNamespace(dnsName: string = '*'): SidecarHost {
    return new SidecarHost(`*/${dnsName}`);
  }

  /** Hosts of one namespace (`<namespace>/<dnsName>`, by default all its hosts). */
  public static inNamespace(namespace: string, dnsName: string = '*'): SidecarHost {
    return new SidecarHost(`${namespace}/${dnsName}`);
  }

  /**
   * `~/<dnsName>`: hosts of no namespace. With the default `*`, the listener imports nothing, e.g. to close
   * a port.
   */
  public static noNamespace(dnsName: string = '*'): SidecarHost {
    return new SidecarHost(`~/${dnsName}`);
  }

  /**
   * A host of a Service or ServiceEntry: `<its namespace>/<fully qualified name>`, or any namespace (`*`)
   * when its namespace is unknown.
   */
  public static fromHost(host: IHost): SidecarHost {
    return new SidecarHost(undefined, host);
  }

  /** An entry as Istio writes it, e.g. `istio-system/*` or `./reviews.shop.svc.cluster.local`. */
  public static of(entry: string): SidecarHost {
    return new SidecarHost(entry);
  }

  private constructor(private readonly entry?: string, private readonly host?: IHost) {}

  /** @internal */
  public _render(ctx: RenderContext): string {
    if (this.entry !== undefined) return this.entry;
    const h = this.host!;
    // Egress hosts must be dotted names: a short Service name is qualified with the namespace it lives in.
    return `${h.namespace ?? '*'}/${qualifiedHost(h, ctx.clusterDomain)}`;
  }
}

/**
 * How traffic reaches a listener.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/sidecar/#CaptureMode
 */
export enum CaptureMode {
  /** The capture mode of the environment (iptables unless configured otherwise). */
  DEFAULT = 'DEFAULT',
  /** Traffic is captured by iptables. */
  IPTABLES = 'IPTABLES',
  /** No capture: the application talks to the listener's address directly. */
  NONE = 'NONE',
}

/** A port of a Sidecar listener. */
export interface SidecarPort {
  /** The port number. */
  readonly number: number;
  /**
   * The protocol.
   * @default - sniffed
   */
  readonly protocol?: Protocol;
  /**
   * The port's name.
   * @default - unnamed
   */
  readonly name?: string;
}

/** TLS terminated by the sidecar for traffic from outside the mesh (ingress listeners on HTTPS/TLS ports). */
export interface SidecarTlsOptions {
  /** The certificate files mounted into the workload's pod. */
  readonly files: CertificateFiles;
  /**
   * The TLS mode: SIMPLE, MUTUAL or OPTIONAL_MUTUAL.
   * @default ServerTlsMode.SIMPLE
   */
  readonly mode?: ServerTlsMode;
  /**
   * Minimum TLS version.
   * @default - Envoy's default
   */
  readonly minProtocolVersion?: TlsProtocolVersion;
  /**
   * Maximum TLS version.
   * @default - Envoy's default
   */
  readonly maxProtocolVersion?: TlsProtocolVersion;
  /**
   * Cipher suites.
   * @default - Envoy's default list
   */
  readonly cipherSuites?: string[];
}

/** An ingress listener: a port the workload's proxy accepts traffic on. */
export interface SidecarIngressListener {
  /** The port. */
  readonly port: SidecarPort;
  /**
   * Where to forward the traffic: `127.0.0.1:<port>`, `0.0.0.0:<port>`, `[::1]:<port>` forms as Istio
   * writes them, or `unix:///path`.
   * @default - the instance IP on the port's number
   */
  readonly defaultEndpoint?: string;
  /**
   * The IP to bind to.
   * @default - all addresses of the workload
   */
  readonly bind?: string;
  /**
   * How traffic reaches the listener.
   * @default CaptureMode.DEFAULT
   */
  readonly captureMode?: CaptureMode;
  /**
   * TLS terminated by the sidecar (HTTPS or TLS ports).
   * @default - no TLS termination (mesh mTLS still applies)
   */
  readonly tls?: SidecarTlsOptions;
  /**
   * Limits on connections accepted on this port.
   * @default - `inboundConnectionPool`
   */
  readonly connectionPool?: ConnectionPool;
}

/** An egress listener: what the workload's proxy sees and may reach, on one port or on all. */
export interface SidecarEgressListener {
  /** The hosts the listener imports. */
  readonly hosts: SidecarHost[];
  /**
   * The port; omit it on the last listener to cover all other ports.
   * @default - all ports
   */
  readonly port?: SidecarPort;
  /**
   * The IP or Unix domain socket (`unix:///path`, with port number 0) to bind to.
   * @default - derived from the imported services
   */
  readonly bind?: string;
  /**
   * How traffic reaches the listener.
   * @default CaptureMode.DEFAULT
   */
  readonly captureMode?: CaptureMode;
}

/**
 * What proxies do with traffic to hosts they do not know: per namespace or workload (`Sidecar`), or for the
 * whole mesh (`IstioOperator`, where only the mode applies).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/sidecar/#OutboundTrafficPolicy
 */
export class OutboundTrafficPolicy {
  /** Only hosts in the service registry (Services, ServiceEntries) are reachable; the rest is refused. */
  public static registryOnly(): OutboundTrafficPolicy {
    return new OutboundTrafficPolicy('REGISTRY_ONLY');
  }

  /**
   * Unknown hosts are passed through.
   * @param egressProxy forward unknown traffic to this host instead (deprecated by Istio, which ignores it;
   * analysis warns with IST0002)
   * @param egressProxyPort the port of `egressProxy`
   */
  public static allowAny(egressProxy?: IHost, egressProxyPort?: number): OutboundTrafficPolicy {
    return new OutboundTrafficPolicy('ALLOW_ANY', egressProxy, egressProxyPort);
  }

  private constructor(private readonly mode: string, private readonly proxy?: IHost, private readonly proxyPort?: number) {}

  /** The mode (`REGISTRY_ONLY` or `ALLOW_ANY`). */
  public get outboundMode(): string {
    return this.mode;
  }

  /**
   * The egress proxy, when one was given.
   * @default - none
   */
  public get egressProxy(): IHost | undefined {
    return this.proxy;
  }

  /** @internal */
  public _render(ctx: RenderContext): JsonMap {
    return {
      mode: this.mode,
      egressProxy: this.proxy && {
        host: renderHost(this.proxy, ctx),
        port: this.proxyPort !== undefined ? { number: this.proxyPort } : undefined,
      },
    };
  }
}

/** Properties of a `Sidecar`. */
export interface SidecarProps extends IstioResourceProps {
  /**
   * The workloads the Sidecar applies to. Rendered as Istio's `spec.workloadSelector`.
   * @default - every workload of the namespace without a more specific Sidecar (one per namespace)
   */
  readonly selector?: WorkloadSelector;
  /**
   * Ingress listeners. More with `addIngress`.
   * @default - inferred from the workload's Services
   */
  readonly ingress?: SidecarIngressListener[];
  /**
   * Egress listeners. More with `addEgress`.
   * @default - every host of the mesh (unless the mesh config narrows it)
   */
  readonly egress?: SidecarEgressListener[];
  /**
   * What happens to traffic for hosts outside the registry.
   * @default - the mesh-wide setting (ALLOW_ANY unless MeshConfig says otherwise)
   */
  readonly outboundTrafficPolicy?: OutboundTrafficPolicy;
  /**
   * Limits on connections accepted on all ingress ports.
   * @default - no limits
   */
  readonly inboundConnectionPool?: ConnectionPool;
}

/**
 * An Istio Sidecar: the listeners and visible hosts of the proxies of a namespace or of selected workloads.
 * A root-namespace Sidecar without a selector is the mesh default.
 *
 * @example
 * declare const chart: Chart;
 * new Sidecar(chart, 'registry-only', {
 *   egress: [{ hosts: [SidecarHost.sameNamespace(), SidecarHost.inNamespace('istio-system')] }],
 *   outboundTrafficPolicy: OutboundTrafficPolicy.registryOnly(),
 * });
 * @see https://istio.io/latest/docs/reference/config/networking/sidecar/
 */
export class Sidecar extends IstioResource {
  private readonly props: SidecarProps;
  private readonly ingress: SidecarIngressListener[];
  private readonly egress: SidecarEgressListener[];
  private readonly ingressPools: unknown[];
  private readonly inboundPool: unknown;

  public constructor(scope: Construct, id: string, props: SidecarProps = {}) {
    super(scope, id, 'Sidecar', props);
    this.props = props;
    this.ingress = [];
    this.ingressPools = [];
    this.egress = [...(props.egress ?? [])];
    this.inboundPool = withConstructPath(this, () => pool(props.inboundConnectionPool, 'spec.inboundConnectionPool'));
    for (const i of props.ingress ?? []) this.addIngress(i);
  }

  /** Add an ingress listener. */
  public addIngress(listener: SidecarIngressListener): Sidecar {
    this.ingressPools.push(withConstructPath(this, () => pool(listener.connectionPool, `spec.ingress[${this.ingress.length}].connectionPool`)));
    this.ingress.push(listener);
    return this;
  }

  /** Add an egress listener (a port-less one must stay last). */
  public addEgress(listener: SidecarEgressListener): Sidecar {
    this.egress.push(listener);
    return this;
  }

  /** @internal */
  protected _render(): unknown {
    const ctx = renderContextOf(this, this.namespace);
    const p = this.props;
    return compact({
      workloadSelector: p.selector && { labels: p.selector.matchLabels },
      ingress: this.ingress.map((l, i) => ({
        port: port(l.port),
        bind: l.bind,
        captureMode: l.captureMode,
        defaultEndpoint: l.defaultEndpoint,
        tls: l.tls && {
          mode: l.tls.mode ?? ServerTlsMode.SIMPLE,
          serverCertificate: l.tls.files.serverCertificate,
          privateKey: l.tls.files.privateKey,
          caCertificates: l.tls.files.caCertificates,
          caCrl: l.tls.files.caCrl,
          minProtocolVersion: l.tls.minProtocolVersion,
          maxProtocolVersion: l.tls.maxProtocolVersion,
          cipherSuites: l.tls.cipherSuites,
        },
        connectionPool: this.ingressPools[i],
      })),
      egress: this.egress.map(l => ({
        port: l.port && port(l.port),
        bind: l.bind,
        captureMode: l.captureMode,
        hosts: l.hosts.map(h => h._render(ctx)),
      })),
      outboundTrafficPolicy: p.outboundTrafficPolicy?._render(ctx),
      inboundConnectionPool: this.inboundPool,
    });
  }
}

function port(p: SidecarPort): JsonMap {
  return { number: p.number, protocol: p.protocol, name: p.name };
}

/** A connection pool rendered the way DestinationRule renders it, so bad durations throw at the call. */
function pool(cp: ConnectionPool | undefined, field: string): unknown {
  if (!cp) return undefined;
  try {
    return renderTrafficPolicy({ connectionPool: cp }, 'Sidecar', 'spec')?.connectionPool;
  } catch (e) {
    // The shared renderer names the field `spec.connectionPool...`; say where it really is.
    throw new Error((e as Error).message.replace('Sidecar.spec.connectionPool', `Sidecar.${field}`));
  }
}
