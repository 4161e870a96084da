// CanaryRelease: a stable and a canary version behind one Service, with a weighted split and an optional
// cohort (a tester's header or cookie) that always reaches the canary. Both weights are always written, 0
// included, so a progressive-delivery controller or a GitOps diff sees the split as two plain numbers.
import { Construct } from 'constructs';
import { Cohort } from './cohort';
import { Release } from './release';
import { TrafficPatternProps } from './traffic-pattern';
import { WorkloadVersion } from './workload-version';
import { constructError } from '../core/errors';
import { HttpRoute } from '../gateway-api/http-route';
import { DestinationRule, ISubset } from '../networking/destination-rule';
import { Fault } from '../networking/fault';
import { VirtualService } from '../networking/virtual-service';

/** Properties of a `CanaryRelease`. */
export interface CanaryReleaseProps extends TrafficPatternProps {
  /** The version serving most traffic (subset `stable`). */
  readonly stable: WorkloadVersion;
  /** The new version (subset `canary`). */
  readonly canary: WorkloadVersion;
  /** The share of traffic the canary receives, a whole number from 0 to 100; stable gets the rest. */
  readonly canaryWeight: number;
  /**
   * Requests that always reach the canary, whatever the weight (route `canary-override`), e.g.
   * `Cohort.header('canary', StringMatch.exact('true'))` or `Cohort.cookie('canary', 'always')`.
   * @default - none
   */
  readonly canaryOverride?: Cohort;
  /**
   * A fault injected into the weighted split (route `split`), e.g. a delay for 1% of requests.
   * @default - none
   */
  readonly fault?: Fault;
}

/**
 * A canary release: DestinationRule subsets `stable` and `canary` (or two Services), and a VirtualService
 * with the fault tests, the canary override, then the weighted split.
 * With `routingApi: RoutingApi.GATEWAY_API`, the same routes as rules of an HTTPRoute whose backends are
 * the versions' Services.
 *
 * Progressive-delivery controllers own the weights of route `split` and need only names:
 * - Argo Rollouts, subset-level (`WorkloadVersion.managedByArgoRollouts(rollout)` for both versions): the
 *   Rollout's `trafficRouting.istio.virtualService` is `{ name: virtualService.name, routes: [splitRoute] }`
 *   and its `destinationRule` `{ name: destinationRule.name, stableSubsetName: 'stable', canarySubsetName: 'canary' }`.
 * - Argo Rollouts' Gateway API plugin and Flagger's Gateway API provider (`RoutingApi.GATEWAY_API`, versions
 *   `WorkloadVersion.fromService(stableOrPrimary)` and `fromService(canary)`, `canaryWeight: 0`): an HTTPRoute
 *   whose rule `split` has the two backends at 100 and 0; the plugin's
 *   `trafficRouting.plugins["argoproj-labs/gatewayAPI"]` is `{ httpRoute: httpRoute.name, namespace }`, and the
 *   Rollout's `stableService` and `canaryService` are the two Services. Flagger writes this route itself from
 *   its Canary (`<app>-primary` at 100, `<app>-canary` at 0), so the pattern's route with those Services is the
 *   state Flagger takes over without a change in traffic; delete the pattern's route once Flagger owns it.
 * Write `canaryWeight: 0` (the controller's resting state) and let GitOps ignore the weights it changes.
 *
 * @example
 * declare const chart: Chart;
 * declare const service: kplus.Service;
 * declare const stable: kplus.Deployment;
 * declare const canary: kplus.Deployment;
 * new CanaryRelease(chart, 'release', {
 *   service,
 *   stable: WorkloadVersion.fromWorkload(stable),
 *   canary: WorkloadVersion.fromWorkload(canary),
 *   canaryWeight: 10,
 *   canaryOverride: Cohort.header('canary', StringMatch.exact('true')),
 * });
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/traffic-shifting/
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRouteDestination
 * @see https://argoproj.github.io/argo-rollouts/features/traffic-management/istio/
 * @see https://rollouts-plugin-trafficrouter-gatewayapi.readthedocs.io/
 * @see https://docs.flagger.app/tutorials/gatewayapi-progressive-delivery
 */
export class CanaryRelease extends Construct {
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
   * The name of the weighted route (VirtualService `http[].name`, HTTPRoute `rules[].name`): what Argo
   * Rollouts' `trafficRouting.istio.virtualService.routes` lists.
   */
  public readonly splitRoute: string = 'split';
  /**
   * The DestinationRule with the `stable` and `canary` subsets.
   * @default - none with host-based splitting
   */
  public readonly destinationRule?: DestinationRule;
  /**
   * The `stable` subset.
   * @default - none with host-based splitting
   */
  public readonly stableSubset?: ISubset;
  /**
   * The `canary` subset.
   * @default - none with host-based splitting
   */
  public readonly canarySubset?: ISubset;
  /** The canary's weight. */
  public readonly canaryWeight: number;
  /** The stable version's weight, `100 - canaryWeight`. */
  public readonly stableWeight: number;

  public constructor(scope: Construct, id: string, props: CanaryReleaseProps) {
    super(scope, id);
    const w = props.canaryWeight;
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 100) {
      throw constructError(this, { kind: 'CanaryRelease', field: 'canaryWeight', problem: 'the canary weight must be a whole number from 0 to 100', got: w, allowed: 'e.g. 10; stable gets 100 minus it' });
    }
    this.canaryWeight = w;
    this.stableWeight = 100 - w;
    const release = new Release(this, {
      pattern: 'CanaryRelease',
      props,
      versions: [
        { field: 'stable', subset: 'stable', version: props.stable },
        { field: 'canary', subset: 'canary', version: props.canary },
      ],
    });
    this.virtualService = release.virtualService;
    this.httpRoute = release.httpRoute;
    this.destinationRule = release.subsets.size > 0 ? release.destinationRules[0] : undefined;
    this.stableSubset = release.subsets.get('stable');
    this.canarySubset = release.subsets.get('canary');

    release.addFaultTests('stable');
    if (props.canaryOverride) {
      release.addRoute({ name: 'canary-override', cohort: props.canaryOverride, cohortField: 'canaryOverride', to: [release.to('canary')] });
    }
    release.addRoute({ name: this.splitRoute, to: [release.to('stable', this.stableWeight), release.to('canary', this.canaryWeight)], fault: props.fault, faultField: 'fault' });
  }
}
