// DestinationRule: what happens to traffic for a host after routing (traffic policy), and its named subsets
// (versions) that VirtualService rules route to.
import { Construct } from 'constructs';
import { TrafficPolicy, renderTrafficPolicy } from './traffic-policy';
import { withConstructPath } from '../core/errors';
import { IHost, LiteralHostMarker, isLiteralHost, renderContextOf, renderHost } from '../core/host';
import { JsonMap } from '../core/json';
import { compact } from '../core/render';
import { IstioResource, IstioResourceProps } from '../core/resource';
import { WorkloadSelector } from '../core/selector';

/**
 * A named subset of a DestinationRule's host. It is also a host, so `RouteDestination.to(subset)` routes to it.
 */
export interface ISubset extends IHost {
  /** The subset's name, e.g. `v1`. */
  readonly subsetName: string;
  /** The DestinationRule that defines the subset. */
  readonly destinationRule: DestinationRule;
}

/** Options of `DestinationRule.addSubset`. */
export interface SubsetOptions {
  /** Labels of the endpoints (pods) in the subset, e.g. `{ version: 'v1' }`. */
  readonly labels: { [key: string]: string };
  /**
   * A traffic policy for this subset; it replaces the rule's policy for the fields it sets.
   * @default - the DestinationRule's policy
   */
  readonly trafficPolicy?: TrafficPolicy;
}

/** Properties of a `DestinationRule`. */
export interface DestinationRuleProps extends IstioResourceProps {
  /** The host the rule applies to: `Host.fromService(svc)`, `Host.fromName('reviews')`, ... */
  readonly host: IHost;
  /**
   * The traffic policy for the host.
   * @default - Istio's defaults
   */
  readonly trafficPolicy?: TrafficPolicy;
  /**
   * Namespaces the rule is visible to: `.` (its own), `*` (all), or namespace names.
   * @default - all namespaces (the mesh default)
   */
  readonly exportTo?: string[];
  /**
   * The client workloads the rule applies to (then it may only be exported to its own namespace). Rendered
   * as Istio's `spec.workloadSelector`.
   * @default - every workload that sees the rule
   */
  readonly selector?: WorkloadSelector;
}

class Subset implements ISubset, LiteralHostMarker {
  constructor(
    public readonly destinationRule: DestinationRule,
    public readonly subsetName: string,
    public readonly options: SubsetOptions,
    /** The subset's traffic policy, rendered when the subset was added so a bad duration throws there. */
    public readonly policyJson: JsonMap | undefined,
  ) {}
  public get hostname(): string { return this.destinationRule.host.hostname; }
  // A short name in the DestinationRule means the host in the rule's namespace; from elsewhere it must be
  // qualified or it would name a different Service (which has no such subset).
  public get namespace(): string | undefined { return this.destinationRule.host.namespace ?? this.destinationRule.namespace; }
  public get ports(): number[] { return this.destinationRule.host.ports; }
  public get _literal(): boolean { return isLiteralHost(this.destinationRule.host); }
}

/**
 * An Istio DestinationRule: traffic policy for a host and its subsets.
 *
 * @example
 * declare const chart: Chart;
 * declare const reviewsService: kplus.Service;
 * const reviews = new DestinationRule(chart, 'reviews', {
 *   host: Host.fromService(reviewsService),
 *   trafficPolicy: {
 *     tls: ClientTls.istioMutual(),
 *     outlierDetection: { consecutive5xxErrors: 5, interval: Duration.seconds(10) },
 *   },
 * });
 * reviews.addSubset('v1', { labels: { version: 'v1' } });
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/
 */
export class DestinationRule extends IstioResource {
  /** The host the rule applies to. */
  public readonly host: IHost;
  private readonly exportTo?: string[];
  private readonly selector?: WorkloadSelector;
  private readonly subsets: Subset[] = [];
  private readonly policyJson: JsonMap | undefined;

  public constructor(scope: Construct, id: string, props: DestinationRuleProps) {
    super(scope, id, 'DestinationRule', props);
    this.host = props.host;
    this.exportTo = props.exportTo ? [...props.exportTo] : undefined;
    this.selector = props.selector;
    this.policyJson = withConstructPath(this, () => renderTrafficPolicy(props.trafficPolicy, 'DestinationRule', 'spec.trafficPolicy'));
  }

  /**
   * Add a named subset and return it, to route to with `RouteDestination.to(subset)`.
   * @param name the subset name, e.g. `v1`
   */
  public addSubset(name: string, options: SubsetOptions): ISubset {
    const policy = withConstructPath(this, () => renderTrafficPolicy(options.trafficPolicy, 'DestinationRule', `spec.subsets[${this.subsets.length}].trafficPolicy`));
    const subset = new Subset(this, name, options, policy);
    this.subsets.push(subset);
    return subset;
  }

  /** The subsets added so far. */
  public get subsetNames(): string[] {
    return this.subsets.map(s => s.subsetName);
  }

  /** @internal */
  protected _render(): unknown {
    return compact({
      host: renderHost(this.host, renderContextOf(this, this.namespace)),
      trafficPolicy: this.policyJson,
      subsets: this.subsets.map(s => ({ name: s.subsetName, labels: { ...s.options.labels }, trafficPolicy: s.policyJson })),
      exportTo: this.exportTo,
      workloadSelector: this.selector && { matchLabels: this.selector.matchLabels },
    });
  }
}
