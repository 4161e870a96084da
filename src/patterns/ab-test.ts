// AbTest: variants of an application chosen by who is asking (a header, a cookie, a JWT claim), everyone
// else on the default variant. Unlike a canary there is no random split: a user always sees the same variant.
import { Construct } from 'constructs';
import { Cohort } from './cohort';
import { Release } from './release';
import { TrafficPatternProps } from './traffic-pattern';
import { WorkloadVersion } from './workload-version';
import { NO_VALUE } from '../core/errors';
import { HttpRoute } from '../gateway-api/http-route';
import { DestinationRule } from '../networking/destination-rule';
import { VirtualService } from '../networking/virtual-service';

/** The variant everyone outside the other variants' cohorts gets. */
export interface AbTestDefaultVariant {
  /** The variant's name: its subset and route name, e.g. `v1`. */
  readonly name: string;
  /** The variant's pods or Service. */
  readonly version: WorkloadVersion;
}

/** A variant chosen by a cohort of requests. */
export interface AbTestVariant extends AbTestDefaultVariant {
  /** The requests that get this variant, e.g. `Cohort.header('end-user', StringMatch.exact('jason'))`. */
  readonly match: Cohort;
}

/** Properties of an `AbTest`. */
export interface AbTestProps extends TrafficPatternProps {
  /**
   * The variants, tried in order; the first whose cohort a request is in wins. With `RoutingApi.GATEWAY_API`
   * the HTTPRoute's precedence applies instead: the most specific match wins (path, then method, then the
   * number of headers, then of query parameters), and the order only breaks ties, so cohorts of one header
   * each keep it.
   */
  readonly variants: AbTestVariant[];
  /** The variant for every other request. */
  readonly defaultVariant: AbTestDefaultVariant;
}

/**
 * An A/B test: one subset per variant (or one Service each), a route per variant for its cohort, and a last
 * route to the default variant.
 * With `routingApi: RoutingApi.GATEWAY_API`, the same routes as rules of an HTTPRoute whose backends are
 * the versions' Services.
 *
 * @example
 * declare const chart: Chart;
 * declare const service: kplus.Service;
 * declare const v1: kplus.Deployment;
 * declare const v2: kplus.Deployment;
 * new AbTest(chart, 'reviews-ab', {
 *   service,
 *   variants: [{ name: 'v2', version: WorkloadVersion.fromWorkload(v2), match: Cohort.header('end-user', StringMatch.exact('jason')) }],
 *   defaultVariant: { name: 'v1', version: WorkloadVersion.fromWorkload(v1) },
 * });
 * @see https://istio.io/latest/docs/tasks/traffic-management/request-routing/
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMatchRequest
 */
export class AbTest extends Construct {
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
   * The DestinationRule with one subset per variant.
   * @default - none with host-based splitting
   */
  public readonly destinationRule?: DestinationRule;

  public constructor(scope: Construct, id: string, props: AbTestProps) {
    super(scope, id);
    const variants = props.variants ?? [];
    const release = new Release(this, {
      pattern: 'AbTest',
      props,
      versions: [
        ...variants.map((v, i) => ({ field: `variants[${i}]`, subset: v.name, version: v.version })),
        { field: 'defaultVariant', subset: props.defaultVariant.name, version: props.defaultVariant.version },
      ],
    });
    this.virtualService = release.virtualService;
    this.httpRoute = release.httpRoute;
    this.destinationRule = release.subsets.size > 0 ? release.destinationRules[0] : undefined;

    release.addFaultTests(props.defaultVariant.name);
    variants.forEach((v, i) => {
      // Without a match the route would catch every request and hide the default; synth reports it instead.
      if (v.match && v.match.matches.length > 0) release.addRoute({ name: v.name, cohort: v.match, cohortField: `variants[${i}].match`, to: [release.to(v.name)] });
    });
    release.addRoute({ name: props.defaultVariant.name, to: [release.to(props.defaultVariant.name)] });

    this.node.addValidation({
      validate: () => {
        const errors: string[] = [];
        const seen = new Map<string, string>([]);
        const all = [...variants.map((v, i) => [`variants[${i}]`, v.name] as const), ['defaultVariant', props.defaultVariant.name] as const];
        for (const [field, name] of all) {
          const prev = seen.get(name);
          if (prev) errors.push(release.problem(`${field}.name`, `variant name "${name}" is already used by ${prev}`, name, 'a unique name per variant'));
          else seen.set(name, field);
        }
        variants.forEach((v, i) => {
          if (!v.match || v.match.matches.length === 0) {
            errors.push(release.problem(`variants[${i}].match`, `variant "${v.name}" has no match, so no request would choose it`, v.match ? [] : NO_VALUE,
              'a Cohort, e.g. Cohort.header(\'end-user\', StringMatch.exact(\'jason\'))'));
          }
        });
        return errors;
      },
    });
  }
}
