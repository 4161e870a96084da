// EgressGateway: calls to one external host leave the mesh through the egress gateway, as in Istio's
// "Egress Gateways" and "Egress Gateways with TLS Origination" tasks: a ServiceEntry for the host, a Gateway on
// the egress gateway pods, a DestinationRule naming the gateway as a subset, and a VirtualService that sends
// sidecar traffic to the gateway and gateway traffic to the host (plus, for TLS origination, a DestinationRule
// that opens TLS to the host).
import { Construct } from 'constructs';
import { Host, IHost } from '../core/host';
import { WorkloadSelector } from '../core/selector';
import { ClientTls } from '../networking/client-tls';
import { RouteDestination } from '../networking/destination';
import { DestinationRule } from '../networking/destination-rule';
import { Gateway, GatewayServer } from '../networking/gateway';
import { LoadBalancer } from '../networking/load-balancer';
import { HttpMatch } from '../networking/match';
import { ServiceEntry, ServiceEntryResolution, ServicePort } from '../networking/service-entry';
import { ServerTlsMode } from '../networking/tls';
import { VirtualService } from '../networking/virtual-service';

/**
 * How traffic to the external host travels.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway/
 */
export enum EgressMode {
  /** Plain HTTP from the application, through the gateway, to the host's port 80. */
  HTTP = 'HTTP',
  /**
   * The application speaks TLS (HTTPS) itself; sidecars and gateway route it by SNI without decrypting it.
   */
  TLS_PASSTHROUGH = 'TLS_PASSTHROUGH',
  /**
   * The application speaks plain HTTP; the sidecar sends it to the gateway over Istio mTLS, and the gateway
   * opens TLS to the host (so the gateway can see, log and police the requests).
   */
  TLS_ORIGINATION = 'TLS_ORIGINATION',
}

/** Properties of an `EgressGateway`. */
export interface EgressGatewayProps {
  /** The external host, e.g. `api.github.com`. */
  readonly host: string;
  /**
   * How the traffic travels.
   * @default EgressMode.TLS_PASSTHROUGH
   */
  readonly mode?: EgressMode;
  /**
   * The egress gateway pods, e.g. `WorkloadSelector.labels({ istio: 'egressgateway' })`.
   * @default - the pods labelled `istio: egressgateway` (Istio's egress gateway)
   */
  readonly gatewaySelector?: WorkloadSelector;
  /**
   * The egress gateway's Service.
   * @default - `istio-egressgateway` in `istio-system`
   */
  readonly gatewayService?: IHost;
  /**
   * A prefix for the names of the generated resources.
   * @default - the construct id
   */
  readonly namePrefix?: string;
}

/**
 * Sends the mesh's calls to one external host through the egress gateway, so that they leave from known
 * nodes and can be logged and policed there. Combine with `OutboundTrafficPolicy.registryOnly()` on
 * Sidecars (or the mesh) to make this the only way out.
 *
 * @example
 * declare const chart: Chart;
 * new EgressGateway(chart, 'github', { host: 'api.github.com', mode: EgressMode.TLS_PASSTHROUGH });
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway/
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway-tls-origination/
 */
export class EgressGateway extends Construct {
  /** The ServiceEntry of the external host. */
  public readonly serviceEntry: ServiceEntry;
  /** The Gateway on the egress gateway pods. */
  public readonly gateway: Gateway;
  /** The DestinationRule for the egress gateway Service (its subset names this route). */
  public readonly gatewayDestinationRule: DestinationRule;
  /** The VirtualService: sidecars to the gateway, the gateway to the host. */
  public readonly virtualService: VirtualService;
  /**
   * The DestinationRule that opens TLS to the host (TLS origination only).
   * @default - none
   */
  public readonly originationDestinationRule?: DestinationRule;

  public constructor(scope: Construct, id: string, props: EgressGatewayProps) {
    super(scope, id);
    const mode = props.mode ?? EgressMode.TLS_PASSTHROUGH;
    const prefix = props.namePrefix ?? id;
    const name = (suffix: string) => ({ name: `${prefix}-${suffix}` });
    const gatewayService = props.gatewayService ?? Host.fromName('istio-egressgateway', { namespace: 'istio-system' });
    // The sidecar-to-gateway hop and the gateway's listener use the port the application uses.
    const appPort = mode === EgressMode.TLS_PASSTHROUGH ? 443 : 80;

    this.serviceEntry = new ServiceEntry(this, 'ServiceEntry', {
      metadata: name('external'),
      hosts: [props.host],
      ports: mode === EgressMode.TLS_PASSTHROUGH
        ? [ServicePort.tls(443, { name: 'tls' })]
        : [ServicePort.http(80, { name: 'http' }), ServicePort.https(443, { name: 'https' })],
      resolution: ServiceEntryResolution.DNS,
    });
    const external = this.serviceEntry.host();

    const server = mode === EgressMode.HTTP
      ? GatewayServer.http({ hosts: [props.host], portName: 'http' })
      : mode === EgressMode.TLS_PASSTHROUGH
        ? GatewayServer.tls({ hosts: [props.host], portName: 'tls', mode: ServerTlsMode.PASSTHROUGH })
        : GatewayServer.https({ hosts: [props.host], port: 80, portName: 'https-for-tls-origination', mode: ServerTlsMode.ISTIO_MUTUAL });
    this.gateway = new Gateway(this, 'Gateway', {
      metadata: name('egress'),
      selector: props.gatewaySelector ?? WorkloadSelector.labels({ istio: 'egressgateway' }),
      servers: [server],
    });

    this.gatewayDestinationRule = new DestinationRule(this, 'GatewayRule', { metadata: name('via-egress-gateway'), host: gatewayService });
    const subset = this.gatewayDestinationRule.addSubset(prefix, {
      labels: {},
      trafficPolicy: mode === EgressMode.TLS_ORIGINATION
        ? { portLevelSettings: [{ port: 80, tls: ClientTls.istioMutual({ sni: props.host }) }] }
        : undefined,
    });

    this.virtualService = new VirtualService(this, 'Routes', {
      metadata: name('through-egress-gateway'),
      hosts: [external],
      gateways: [this.gateway, Gateway.MESH],
    });
    if (mode === EgressMode.TLS_PASSTHROUGH) {
      this.virtualService.addTlsRoute('mesh-to-gateway', {
        match: [{ gateways: [Gateway.MESH], port: 443, sniHosts: [props.host] }],
        to: [RouteDestination.to(subset, { port: 443 })],
      });
      this.virtualService.addTlsRoute('gateway-to-external', {
        match: [{ gateways: [this.gateway], port: 443, sniHosts: [props.host] }],
        to: [RouteDestination.to(external, { port: 443 })],
      });
    } else {
      this.virtualService.addHttpRoute('mesh-to-gateway', {
        match: [HttpMatch.of({ gateways: [Gateway.MESH], port: appPort })],
        to: [RouteDestination.to(subset, { port: appPort })],
      });
      this.virtualService.addHttpRoute('gateway-to-external', {
        match: [HttpMatch.of({ gateways: [this.gateway], port: appPort })],
        to: [RouteDestination.to(external, { port: mode === EgressMode.HTTP ? 80 : 443 })],
      });
    }

    if (mode === EgressMode.TLS_ORIGINATION) {
      this.originationDestinationRule = new DestinationRule(this, 'Origination', {
        metadata: name('originate-tls'),
        host: external,
        trafficPolicy: {
          loadBalancer: LoadBalancer.roundRobin(),
          portLevelSettings: [{ port: 443, tls: ClientTls.simple({ sni: props.host }) }],
        },
      });
    }
  }
}
