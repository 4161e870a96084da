// The props every traffic pattern shares: the Service it is about, which API its routes are written in,
// where they live (a new or a given VirtualService, gateways, Gateway API parents), and the resilience and
// fault tests applied to them.
import { IConstruct } from 'constructs';
import { FaultTest, ResilienceProfile } from './resilience';
import { IHost } from '../core/host';
import { IGatewayRef } from '../gateway-api/parent-ref';
import { IGateway } from '../networking/gateway';
import { VirtualService } from '../networking/virtual-service';

/**
 * The API a traffic pattern writes its routes in. The same props give the same behaviour in both.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/
 */
export enum RoutingApi {
  /**
   * Istio's VirtualService, with DestinationRule subsets (or one Service per version).
   * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
   */
  ISTIO = 'istio',
  /**
   * A Kubernetes Gateway API HTTPRoute whose backendRefs are one Service per version (the Gateway API has
   * no subsets), attached to the pattern's Service for mesh traffic (GAMMA) and to `parentRefs` for ingress.
   * No fault injection, and no JWT claim cohorts: the Gateway API cannot express them.
   * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
   */
  GATEWAY_API = 'gateway-api',
}

/**
 * Properties every traffic pattern shares.
 */
export interface TrafficPatternProps {
  /**
   * The API the routes are written in. With `RoutingApi.GATEWAY_API` every version is a Service of its own
   * (`WorkloadVersion.fromService`), ingress is `parentRefs` instead of `gateways`, and timeouts and retries
   * of `resilience` become the HTTPRoute's `timeouts` and `retry`.
   * @default RoutingApi.ISTIO
   */
  readonly routingApi?: RoutingApi;
  /**
   * Gateway API Gateways (or listeners) the HTTPRoute also attaches to, for ingress (`RoutingApi.GATEWAY_API`
   * only; with `RoutingApi.ISTIO` this is `gateways`).
   * @default - the pattern's Service only (mesh traffic, GAMMA)
   */
  readonly parentRefs?: IGatewayRef[];
  /**
   * The Service clients call (cdk8s-plus `Service` or a raw `KubeService`); its selector must select the
   * pods of every version.
   */
  readonly service: IConstruct;
  /**
   * `metadata.name` of the DestinationRule and VirtualService (or of the HTTPRoute).
   * @default - the Service's name
   */
  readonly name?: string;
  /**
   * The Service port routes send to; required when the Service has several ports.
   * @default - the Service's only port
   */
  readonly port?: number;
  /**
   * Istio Gateways the routes also apply to (ingress). Not with `virtualService`; with
   * `RoutingApi.GATEWAY_API` this is `parentRefs`.
   * @default - the mesh (sidecars) only
   */
  readonly gateways?: IGateway[];
  /**
   * With `gateways` (or `parentRefs`), whether the routes also apply inside the mesh (`mesh` is added to the
   * gateways; the Service is added to the HTTPRoute's parents).
   * @default true
   */
  readonly includeMesh?: boolean;
  /**
   * More hosts the routes apply to besides the Service, e.g. the public name on a gateway (the HTTPRoute's
   * `hostnames`). Not with `virtualService`.
   * @default - only the Service's host
   */
  readonly hosts?: IHost[];
  /**
   * Append the pattern's routes to this VirtualService instead of creating one, after routes already added
   * to it (the pattern's last route matches every request, so it must come last).
   * @default - a new VirtualService for the Service
   */
  readonly virtualService?: VirtualService;
  /**
   * Timeout and retries on every route, and a circuit breaker on the DestinationRule (with
   * `RoutingApi.GATEWAY_API`, on a DestinationRule per version Service, which Istio applies to HTTPRoute
   * backends too; retries on `RetryOn.GATEWAY_ERROR` become the codes 502, 503 and 504, and connect failures
   * and refused streams are retried by Istio for every HTTPRoute retry).
   * @default - none: Istio's defaults
   */
  readonly resilience?: ResilienceProfile;
  /**
   * Fault-injection test routes, placed first and sent to the stable, default, active or live version
   * (`RoutingApi.ISTIO` only: the Gateway API has no fault injection).
   * @default - none
   */
  readonly faultTests?: FaultTest[];
}
