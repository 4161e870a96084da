// TrafficMirror: live traffic served by one version and copied to a shadow version whose responses are
// discarded, to test a new version against real requests without users seeing it.
import { Construct } from 'constructs';
import { Release } from './release';
import { TrafficPatternProps } from './traffic-pattern';
import { WorkloadVersion } from './workload-version';
import { Percent } from '../core/percent';
import { HttpRoute } from '../gateway-api/http-route';
import { DestinationRule } from '../networking/destination-rule';
import { VirtualService } from '../networking/virtual-service';

/** Properties of a `TrafficMirror`. */
export interface TrafficMirrorProps extends TrafficPatternProps {
  /** The version that serves the requests (subset `live`). */
  readonly live: WorkloadVersion;
  /** The version that receives copies (subset `shadow`). */
  readonly shadow: WorkloadVersion;
  /**
   * The share of live requests copied to the shadow.
   * @default Percent.of(100)
   */
  readonly percentage?: Percent;
}

/**
 * Traffic mirroring: subsets `live` and `shadow`, route `live` to the live version mirroring to the shadow.
 * With `routingApi: RoutingApi.GATEWAY_API`, the same routes as rules of an HTTPRoute whose backends are
 * the versions' Services.
 *
 * @example
 * declare const chart: Chart;
 * declare const service: kplus.Service;
 * declare const live: kplus.Deployment;
 * declare const shadow: kplus.Deployment;
 * new TrafficMirror(chart, 'shadow', {
 *   service,
 *   live: WorkloadVersion.fromWorkload(live),
 *   shadow: WorkloadVersion.fromWorkload(shadow),
 *   percentage: Percent.of(10),
 * });
 * @see https://istio.io/latest/docs/tasks/traffic-management/mirroring/
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMirrorPolicy
 */
export class TrafficMirror extends Construct {
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
   * The DestinationRule with the `live` and `shadow` subsets.
   * @default - none with host-based splitting
   */
  public readonly destinationRule?: DestinationRule;

  public constructor(scope: Construct, id: string, props: TrafficMirrorProps) {
    super(scope, id);
    const release = new Release(this, {
      pattern: 'TrafficMirror',
      props,
      versions: [
        { field: 'live', subset: 'live', version: props.live },
        { field: 'shadow', subset: 'shadow', version: props.shadow },
      ],
    });
    this.virtualService = release.virtualService;
    this.httpRoute = release.httpRoute;
    this.destinationRule = release.subsets.size > 0 ? release.destinationRules[0] : undefined;

    release.addFaultTests('live');
    // Written even at 100% so the share is visible in the YAML and a diff shows any change to it.
    release.addRoute({ name: 'live', to: [release.to('live')], mirror: { subset: 'shadow', percentage: props.percentage ?? Percent.of(100) } });
  }
}
