// BlueGreen: two complete versions, all traffic on one; switching is a change of one prop. The idle colour
// keeps its subset, so switching back is as quick, and a preview cohort can try the idle colour first.
import { Construct } from 'constructs';
import { Cohort } from './cohort';
import { Release } from './release';
import { TrafficPatternProps } from './traffic-pattern';
import { WorkloadVersion } from './workload-version';
import { HttpRoute } from '../gateway-api/http-route';
import { DestinationRule } from '../networking/destination-rule';
import { VirtualService } from '../networking/virtual-service';

/**
 * The colours of a blue/green deployment.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/traffic-shifting/
 */
export enum BlueGreenColour {
  /** The blue version. */
  BLUE = 'blue',
  /** The green version. */
  GREEN = 'green',
}

/** Properties of a `BlueGreen`. */
export interface BlueGreenProps extends TrafficPatternProps {
  /** The blue version (subset `blue`). */
  readonly blue: WorkloadVersion;
  /** The green version (subset `green`). */
  readonly green: WorkloadVersion;
  /** The colour that receives all traffic. */
  readonly active: BlueGreenColour;
  /**
   * Requests sent to the idle colour (route `preview`), to try it before switching.
   * @default - none: the idle colour receives no traffic
   */
  readonly preview?: Cohort;
}

/**
 * A blue/green deployment: subsets `blue` and `green`, route `active` to the active colour.
 * With `routingApi: RoutingApi.GATEWAY_API`, the same routes as rules of an HTTPRoute whose backends are
 * the versions' Services.
 *
 * @example
 * declare const chart: Chart;
 * declare const service: kplus.Service;
 * declare const blue: kplus.Deployment;
 * declare const green: kplus.Deployment;
 * new BlueGreen(chart, 'release', {
 *   service,
 *   blue: WorkloadVersion.fromWorkload(blue),
 *   green: WorkloadVersion.fromWorkload(green),
 *   active: BlueGreenColour.BLUE,
 * });
 * @see https://istio.io/latest/docs/tasks/traffic-management/traffic-shifting/
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#Subset
 */
export class BlueGreen extends Construct {
  /**
   * The VirtualService holding the routes.
   * @default - none with `RoutingApi.GATEWAY_API`
   */
  public readonly virtualService?: VirtualService;
  /**
   * The HTTPRoute holding the routes (its `name` is what Argo Rollouts' Gateway API plugin's `httpRoute` names).
   * @default - none with `RoutingApi.ISTIO`
   */
  public readonly httpRoute?: HttpRoute;
  /**
   * The DestinationRule with the `blue` and `green` subsets.
   * @default - none with host-based splitting
   */
  public readonly destinationRule?: DestinationRule;
  /** The colour receiving traffic. */
  public readonly active: BlueGreenColour;
  /** The idle colour. */
  public readonly idle: BlueGreenColour;

  public constructor(scope: Construct, id: string, props: BlueGreenProps) {
    super(scope, id);
    this.active = props.active;
    this.idle = props.active === BlueGreenColour.BLUE ? BlueGreenColour.GREEN : BlueGreenColour.BLUE;
    const release = new Release(this, {
      pattern: 'BlueGreen',
      props,
      versions: [
        { field: 'blue', subset: BlueGreenColour.BLUE, version: props.blue },
        { field: 'green', subset: BlueGreenColour.GREEN, version: props.green },
      ],
    });
    this.virtualService = release.virtualService;
    this.httpRoute = release.httpRoute;
    this.destinationRule = release.subsets.size > 0 ? release.destinationRules[0] : undefined;

    release.addFaultTests(this.active);
    if (props.preview) release.addRoute({ name: 'preview', cohort: props.preview, cohortField: 'preview', to: [release.to(this.idle)] });
    release.addRoute({ name: 'active', to: [release.to(this.active)] });
  }
}
