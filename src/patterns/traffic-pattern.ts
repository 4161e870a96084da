// The props every traffic pattern shares: the Service it is about, where its routes live (a new or a given
// VirtualService, gateways), and the resilience and fault tests applied to its routes.
import { IConstruct } from 'constructs';
import { FaultTest, ResilienceProfile } from './resilience';
import { IHost } from '../core/host';
import { IGateway } from '../networking/gateway';
import { VirtualService } from '../networking/virtual-service';

/**
 * Properties every traffic pattern shares.
 */
export interface TrafficPatternProps {
  /**
   * The Service clients call (cdk8s-plus `Service` or a raw `KubeService`); its selector must select the
   * pods of every version.
   */
  readonly service: IConstruct;
  /**
   * `metadata.name` of the DestinationRule and VirtualService.
   * @default - the Service's name
   */
  readonly name?: string;
  /**
   * The Service port routes send to; required when the Service has several ports.
   * @default - the Service's only port
   */
  readonly port?: number;
  /**
   * Gateways the routes also apply to (ingress). Not with `virtualService`.
   * @default - the mesh (sidecars) only
   */
  readonly gateways?: IGateway[];
  /**
   * With `gateways`, whether the routes also apply inside the mesh (`mesh` is added to the gateways).
   * @default true
   */
  readonly includeMesh?: boolean;
  /**
   * More hosts the routes apply to besides the Service, e.g. the public name on a gateway. Not with
   * `virtualService`.
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
   * Timeout and retries on every route, and a circuit breaker on the DestinationRule.
   * @default - none: Istio's defaults
   */
  readonly resilience?: ResilienceProfile;
  /**
   * Fault-injection test routes, placed first and sent to the stable, default, active or live version.
   * @default - none
   */
  readonly faultTests?: FaultTest[];
}
