// K8sGateway: the Kubernetes Gateway API's Gateway (gateway.networking.k8s.io), with its listeners, the routes
// they admit, addresses and the infrastructure Istio deploys for it. Istio's own Gateway is `Gateway`.
import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { GATEWAY_API_GROUP, GatewayRefData, IGatewayRef } from './parent-ref';
import { grantReference } from './reference-grant';
import { JsonMap } from '../core/json';
import { apiObjectOf } from '../core/kube';
import { ReferenceOptions } from '../core/reference';
import { compact } from '../core/render';
import { IstioResource, IstioResourceProps } from '../core/resource';

/** The route kinds a listener can admit. */
export enum RouteKind {
  /** HTTPRoute */
  HTTP_ROUTE = 'HTTPRoute',
  /** GRPCRoute */
  GRPC_ROUTE = 'GRPCRoute',
  /** TCPRoute */
  TCP_ROUTE = 'TCPRoute',
  /** TLSRoute */
  TLS_ROUTE = 'TLSRoute',
}

/** Options of every `AllowedRoutes` factory. */
export interface AllowedRoutesOptions {
  /**
   * The route kinds the listener admits.
   * @default - the kinds that fit the listener's protocol
   */
  readonly kinds?: RouteKind[];
}

/**
 * Which routes may attach to a listener: from which namespaces, of which kinds.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#allowedroutes
 */
export class AllowedRoutes {
  /** Routes in the Gateway's namespace (the Gateway API default, written out). */
  public static sameNamespace(options: AllowedRoutesOptions = {}): AllowedRoutes {
    return new AllowedRoutes({ from: 'Same' }, options);
  }

  /** Routes in any namespace. */
  public static allNamespaces(options: AllowedRoutesOptions = {}): AllowedRoutes {
    return new AllowedRoutes({ from: 'All' }, options);
  }

  /** Routes in the namespaces whose labels include all of `labels`, e.g. `{ 'shared-gateway-access': 'true' }`. */
  public static namespacesWithLabels(labels: { [key: string]: string }, options: AllowedRoutesOptions = {}): AllowedRoutes {
    return new AllowedRoutes({ from: 'Selector', selector: { matchLabels: { ...labels } } }, options);
  }

  private constructor(private readonly namespaces: JsonMap, private readonly options: AllowedRoutesOptions) {}

  /** @internal */
  public _render(): JsonMap {
    return { namespaces: this.namespaces, kinds: this.options.kinds?.map(kind => ({ kind })) };
  }
}

/** A TLS certificate of a listener: a Secret of type `kubernetes.io/tls`. */
export class CertificateRef {
  /**
   * A Secret of this app (a cdk8s-plus `Secret`, a raw `KubeSecret`). In another namespace than the Gateway,
   * the Gateway writes the ReferenceGrant it needs (see `ReferenceGrant`).
   */
  public static fromSecret(secret: IConstruct): CertificateRef {
    const obj = apiObjectOf(secret, 'Secret');
    return new CertificateRef(() => obj.name, () => obj.metadata.namespace, obj);
  }

  /** A Secret defined elsewhere, e.g. `CertificateRef.fromName('shop-cert', { namespace: 'certs' })`. */
  public static fromName(name: string, options: ReferenceOptions = {}): CertificateRef {
    return new CertificateRef(() => name, () => options.namespace);
  }

  /** The Secret of this app, when the certificate is one. @internal */
  public readonly _secret?: ApiObject;

  private constructor(private readonly name: () => string, private readonly namespace: () => string | undefined, secret?: ApiObject) {
    this._secret = secret;
  }

  /** @internal */
  public _render(gatewayNamespace: string | undefined): JsonMap {
    const ns = this.namespace();
    return { name: this.name(), namespace: ns !== undefined && ns !== gatewayNamespace ? ns : undefined };
  }
}

/** Options common to every listener. */
export interface ListenerOptions {
  /**
   * The listener's name, unique in the Gateway; routes attach to it with `gateway.listenerRef(name)`.
   * @default - the protocol in lower case (`http`, `https`, `tls`), with `-<port>` when the port is not the
   * protocol's usual one (`http-8080`, `tcp-31400`)
   */
  readonly name?: string;
  /**
   * The hostname the listener accepts (`shop.example.com`, `*.example.com`).
   * @default - every hostname
   */
  readonly hostname?: string;
  /**
   * Which routes may attach.
   * @default - routes of the Gateway's namespace, of the kinds that fit the protocol (the Gateway API default)
   */
  readonly allowedRoutes?: AllowedRoutes;
}

/** Options of `Listener.http`. */
export interface HttpListenerOptions extends ListenerOptions {
  /**
   * The port.
   * @default 80
   */
  readonly port?: number;
}

/** Options of `Listener.https`. */
export interface HttpsListenerOptions extends ListenerOptions {
  /**
   * The port.
   * @default 443
   */
  readonly port?: number;
  /** The certificates the listener serves (at least one): `CertificateRef.fromSecret(secret)` or `fromName`. */
  readonly certificates: CertificateRef[];
  /**
   * Implementation-specific TLS options (`tls.options`), e.g. Istio's `gateway.istio.io/tls-terminate-mode`.
   * @default - none
   */
  readonly tlsOptions?: { [key: string]: string };
}

/** Options of `Listener.tlsPassthrough`. */
export interface TlsPassthroughListenerOptions extends ListenerOptions {
  /**
   * The port.
   * @default 443
   */
  readonly port?: number;
}

/** Options of `Listener.tcp`. */
export interface TcpListenerOptions extends ListenerOptions {
  /** The port; TCP has no usual one. */
  readonly port: number;
}

/**
 * A listener of a Gateway: a port, a protocol, an optional hostname, TLS and the routes it admits.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#listener
 */
export class Listener {
  /** Plain HTTP (port 80 by default), for HTTPRoutes. */
  public static http(options: HttpListenerOptions = {}): Listener {
    return new Listener('HTTP', options.port ?? 80, 80, options);
  }

  /** HTTPS terminated at the gateway with the given certificates (port 443 by default), for HTTPRoutes. */
  public static https(options: HttpsListenerOptions): Listener {
    return new Listener('HTTPS', options.port ?? 443, 443, options, 'Terminate', options.certificates, options.tlsOptions);
  }

  /** TLS passed through to the backend, routed by SNI (port 443 by default), for TLSRoutes. */
  public static tlsPassthrough(options: TlsPassthroughListenerOptions = {}): Listener {
    return new Listener('TLS', options.port ?? 443, 443, options, 'Passthrough');
  }

  /** Opaque TCP, for TCPRoutes. */
  public static tcp(options: TcpListenerOptions): Listener {
    return new Listener('TCP', options.port, undefined, options);
  }

  /** The protocol: `HTTP`, `HTTPS`, `TLS` or `TCP`. */
  public readonly protocol: string;
  /** The port. */
  public readonly port: number;
  /** The listener's name. */
  public readonly name: string;

  private constructor(
    protocol: string,
    port: number,
    usualPort: number | undefined,
    private readonly options: ListenerOptions,
    private readonly tlsMode?: string,
    /** @internal */
    public readonly _certificates: CertificateRef[] = [],
    private readonly tlsOptions?: { [key: string]: string },
  ) {
    this.protocol = protocol;
    this.port = port;
    this.name = options.name ?? (port === usualPort ? protocol.toLowerCase() : `${protocol.toLowerCase()}-${port}`);
  }

  /** @internal */
  public _render(gatewayNamespace: string | undefined): JsonMap {
    return {
      name: this.name,
      hostname: this.options.hostname,
      port: this.port,
      protocol: this.protocol,
      tls: this.tlsMode && {
        mode: this.tlsMode === 'Terminate' ? undefined : this.tlsMode,
        certificateRefs: this._certificates.map(c => c._render(gatewayNamespace)),
        options: this.tlsOptions && { ...this.tlsOptions },
      },
      allowedRoutes: this.options.allowedRoutes?._render(),
    };
  }
}

/**
 * An address requested for a Gateway.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#gatewayspecaddress
 */
export class GatewayAddress {
  /** An IP address, e.g. `203.0.113.10`. */
  public static ipAddress(value: string): GatewayAddress {
    return new GatewayAddress(undefined, value);
  }

  /** A hostname, e.g. `lb.example.com`. */
  public static hostname(value: string): GatewayAddress {
    return new GatewayAddress('Hostname', value);
  }

  /** An implementation-specific named address. */
  public static named(value: string): GatewayAddress {
    return new GatewayAddress('NamedAddress', value);
  }

  private constructor(private readonly type: string | undefined, private readonly value: string) {}

  /** @internal */
  public _render(): JsonMap {
    return { type: this.type, value: this.value };
  }
}

/** A resource with implementation-specific parameters for a Gateway's infrastructure (Istio: a ConfigMap). */
export interface GatewayParametersRef {
  /** The API group, `` for a ConfigMap. */
  readonly group: string;
  /** The kind, e.g. `ConfigMap`. */
  readonly kind: string;
  /** The name, in the Gateway's namespace. */
  readonly name: string;
}

/** What Istio puts on the Deployment, Service and other objects it creates for the Gateway. */
export interface GatewayInfrastructure {
  /**
   * Labels for the generated objects.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations for the generated objects (e.g. a cloud load balancer's settings).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * Implementation-specific parameters.
   * @default - none
   */
  readonly parametersRef?: GatewayParametersRef;
}

/** Options of `K8sGateway.fromName`. */
export interface GatewayRefOptions extends ReferenceOptions {
  /**
   * The listener to attach to.
   * @default - every listener that admits the route
   */
  readonly sectionName?: string;
  /**
   * The port whose listeners to attach to.
   * @default - every port
   */
  readonly port?: number;
}

/** Properties of a `K8sGateway`. */
export interface K8sGatewayProps extends IstioResourceProps {
  /**
   * The GatewayClass: `istio` for Istio's gateway deployments, `istio-waypoint` for ambient waypoints.
   * @default "istio"
   */
  readonly gatewayClassName?: string;
  /**
   * The listeners. More can be added with `addListener`.
   * @default - none; a Gateway needs at least one
   */
  readonly listeners?: Listener[];
  /**
   * The addresses requested for the Gateway.
   * @default - assigned by the implementation (for Istio, the generated LoadBalancer Service)
   */
  readonly addresses?: GatewayAddress[];
  /**
   * Labels, annotations and parameters for the infrastructure Istio deploys for the Gateway.
   * @default - none
   */
  readonly infrastructure?: GatewayInfrastructure;
  /**
   * Write the ReferenceGrants that listener certificates in other namespaces need, when they are Secrets
   * of this app.
   * @default true
   */
  readonly createReferenceGrants?: boolean;
}

/**
 * A Kubernetes Gateway API Gateway (`gateway.networking.k8s.io/v1`): Istio deploys a gateway for it and
 * HTTPRoutes, GRPCRoutes, TCPRoutes and TLSRoutes attach to it.
 *
 * Named `K8sGateway` because `Gateway` is Istio's own kind (`networking.istio.io`), which this library also
 * offers: both kinds are called Gateway in YAML, and in Python, Java and Go (jsii) both classes share one
 * namespace, so the class name says which API it is. `K8s` is how Istio's documentation tells them apart
 * ("Kubernetes Gateway"), and the name stays short where it is used most (`new K8sGateway(...)`, parentRefs).
 *
 * @example
 * declare const chart: Chart;
 * const gateway = new K8sGateway(chart, 'public', {
 *   listeners: [
 *     Listener.http({ hostname: 'shop.example.com' }),
 *     Listener.https({ hostname: 'shop.example.com', certificates: [CertificateRef.fromName('shop-cert')] }),
 *   ],
 * });
 * new HttpRoute(chart, 'shop', { parentRefs: [gateway.listenerRef('https')] });
 * @see https://gateway-api.sigs.k8s.io/api-types/gateway/
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/
 */
export class K8sGateway extends IstioResource implements IGatewayRef {
  /**
   * A Gateway defined elsewhere, e.g. `K8sGateway.fromName('shared', { namespace: 'infra', sectionName: 'https' })`.
   */
  public static fromName(name: string, options: GatewayRefOptions = {}): IGatewayRef {
    return new GatewayRefData(name, options.namespace, 'Gateway', GATEWAY_API_GROUP, options.sectionName, options.port);
  }

  /** The GatewayClass. */
  public readonly gatewayClassName: string;
  /** The Gateway API group. */
  public readonly parentGroup: string = GATEWAY_API_GROUP;
  /** The kind routes refer to. */
  public readonly parentKind: string = 'Gateway';

  private readonly listeners: Listener[] = [];
  private readonly addresses: GatewayAddress[];
  private readonly infrastructure?: GatewayInfrastructure;
  private readonly grants: boolean;

  public constructor(scope: Construct, id: string, props: K8sGatewayProps = {}) {
    super(scope, id, 'Gateway', props, `${GATEWAY_API_GROUP}/Gateway`);
    this.gatewayClassName = props.gatewayClassName ?? 'istio';
    this.addresses = [...(props.addresses ?? [])];
    this.infrastructure = props.infrastructure;
    this.grants = props.createReferenceGrants ?? true;
    (props.listeners ?? []).forEach(l => this.addListener(l));
  }

  /** The Gateway's name, as routes refer to it. */
  public get parentName(): string {
    return this.name;
  }

  /** The Gateway's namespace. */
  public get parentNamespace(): string | undefined {
    return this.namespace;
  }

  /** Add a listener. */
  public addListener(listener: Listener): K8sGateway {
    this.listeners.push(listener);
    if (this.grants) listener._certificates.forEach(c => c._secret && grantReference(this, c._secret));
    return this;
  }

  /** The listeners' names. */
  public get listenerNames(): string[] {
    return this.listeners.map(l => l.name);
  }

  /** A reference to one listener of this Gateway, for a route's `parentRefs` (`sectionName`). */
  public listenerRef(listenerName: string): IGatewayRef {
    return new GatewayRefData(this.name, this.namespace, 'Gateway', GATEWAY_API_GROUP, listenerName);
  }

  /** @internal */
  protected _render(): unknown {
    const infra = this.infrastructure;
    return compact({
      gatewayClassName: this.gatewayClassName,
      listeners: this.listeners.map(l => l._render(this.namespace)),
      addresses: this.addresses.map(a => a._render()),
      infrastructure: infra && {
        labels: infra.labels && { ...infra.labels },
        annotations: infra.annotations && { ...infra.annotations },
        parametersRef: infra.parametersRef && { ...infra.parametersRef },
      },
    });
  }
}
