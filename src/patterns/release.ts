// The machinery every traffic pattern shares (internal): the DestinationRule subsets (or per-version Services),
// the VirtualService, and the checks that the versions' pods really are the pods of the pattern's Service.
import { Construct } from 'constructs';
import { Cohort } from './cohort';
import { ResilienceRouteOptions } from './resilience';
import { TrafficPatternProps } from './traffic-pattern';
import { WorkloadVersion } from './workload-version';
import { formatProblem } from '../core/errors';
import { Host, IHost } from '../core/host';
import { apiObjectOf, resolvedJson } from '../core/kube';
import { Percent } from '../core/percent';
import { Mirror, RouteDestination } from '../networking/destination';
import { DestinationRule, ISubset } from '../networking/destination-rule';
import { Fault } from '../networking/fault';
import { Gateway } from '../networking/gateway';
import { VirtualService } from '../networking/virtual-service';

/** One version of a pattern: where it comes from in the props, and its subset name. @internal */
export interface VersionSpec {
  readonly field: string;
  readonly subset: string;
  readonly version: WorkloadVersion | undefined;
}

/** @internal */
export interface RouteSpec {
  readonly name: string;
  readonly cohort?: Cohort;
  readonly to: RouteDestination[];
  readonly fault?: Fault;
  readonly mirror?: Mirror;
}

type Labels = { [key: string]: string };

/** What a pattern hands to `Release`. @internal */
export interface ReleaseSpec {
  /** The pattern's class name, e.g. `CanaryRelease`, for messages. */
  readonly pattern: string;
  readonly props: TrafficPatternProps;
  readonly versions: VersionSpec[];
}

/**
 * The objects and checks of one pattern.
 * @internal
 */
export class Release {
  public readonly virtualService: VirtualService;
  public readonly destinationRules: DestinationRule[] = [];
  public readonly subsets = new Map<string, ISubset>();
  private readonly targets = new Map<string, IHost>();
  private readonly serviceName: string;
  private readonly routeOptions: ResilienceRouteOptions;

  private readonly kind: string;
  private readonly props: TrafficPatternProps;
  private readonly versions: VersionSpec[];

  public constructor(scope: Construct, spec: ReleaseSpec) {
    this.kind = spec.pattern;
    this.props = spec.props;
    this.versions = spec.versions;
    const { props, versions } = spec;
    const service = apiObjectOf(props.service, 'Service');
    this.serviceName = service.name;
    const name = props.name ?? service.name;
    const host = Host.fromService(props.service);
    const policy = props.resilience?.trafficPolicy();
    const present = versions.filter(v => v.version !== undefined);
    const byService = present.length > 0 && present.every(v => v.version!._service !== undefined);

    if (byService) {
      for (const v of present) {
        const svc = v.version!._service!;
        const vhost = Host.fromService(svc);
        this.targets.set(v.subset, vhost);
        // Without subsets the circuit breaker is the only reason for a DestinationRule per version Service.
        if (policy && Object.keys(policy).length > 0) {
          this.destinationRules.push(new DestinationRule(scope, `DestinationRule-${v.subset}`, {
            metadata: { name: apiObjectOf(svc).name }, host: vhost, trafficPolicy: policy,
          }));
        }
      }
    } else {
      const dr = new DestinationRule(scope, 'DestinationRule', { metadata: { name }, host, trafficPolicy: policy });
      this.destinationRules.push(dr);
      for (const v of present) {
        if (v.version!._service) continue; // reported by validate(): versions must all be Services or none
        const version = v.version!;
        const subset = dr.addSubset(v.subset, { labels: lazyLabels(() => version._subsetLabels(this.serviceSelector())) });
        this.subsets.set(v.subset, subset);
        this.targets.set(v.subset, subset);
      }
    }

    this.virtualService = props.virtualService ?? new VirtualService(scope, 'VirtualService', {
      metadata: { name },
      hosts: [host, ...(props.hosts ?? [])],
      gateways: props.gateways && props.gateways.length > 0
        ? [...props.gateways, ...(props.includeMesh === false ? [] : [Gateway.MESH])]
        : undefined,
    });
    this.routeOptions = props.resilience?.routeOptions() ?? {};
    scope.node.addValidation({ validate: () => this.validate() });
  }

  /** A destination for a version, with the pattern's port. */
  public to(subset: string, weight?: number): RouteDestination {
    return RouteDestination.to(this.target(subset), { weight, port: this.props.port });
  }

  /** A mirror to a version. */
  public mirror(subset: string, percentage?: Percent): Mirror {
    return Mirror.to(this.target(subset), { port: this.props.port, percentage });
  }

  /** Append the fault-test routes, sent to `subset`. */
  public addFaultTests(subset: string) {
    for (const t of this.props.faultTests ?? []) {
      this.addRoute({ name: t.name, cohort: t.cohort, to: [this.to(subset)], fault: t.fault });
    }
  }

  public addRoute(r: RouteSpec) {
    this.virtualService.addHttpRoute(r.name, {
      match: r.cohort?.matches,
      to: r.to,
      fault: r.fault,
      mirror: r.mirror,
      ...this.routeOptions,
    });
  }

  /** An error of this pattern in the library's message shape. */
  public problem(field: string, problem: string, got?: unknown, allowed?: string): string {
    return formatProblem({ kind: this.kind, field, problem, got, allowed });
  }

  private target(subset: string): IHost {
    // A version left out is reported by the pattern; any host keeps construction going until synth says so.
    return this.targets.get(subset) ?? Host.fromService(this.props.service);
  }

  private serviceSelector(): Labels {
    return resolvedJson(apiObjectOf(this.props.service, 'Service'))?.spec?.selector ?? {};
  }

  private validate(): string[] {
    const errors: string[] = [];
    const present = this.versions.filter(v => v.version !== undefined);
    const services = present.filter(v => v.version!._service !== undefined);
    if (services.length > 0 && services.length < present.length) {
      const v = present.find(x => x.version!._service === undefined)!;
      errors.push(this.problem(v.field, 'some versions are Services (host-based splitting) and this one is not', 'a workload or label set',
        'give every version with WorkloadVersion.fromService, or none'));
    }
    if (this.props.virtualService && (this.props.gateways || this.props.hosts)) {
      errors.push(this.problem(this.props.gateways ? 'gateways' : 'hosts', 'the hosts and gateways of a given virtualService are its own', this.props.gateways ? 'gateways' : 'hosts',
        'set them on the VirtualService, or leave out virtualService'));
    }
    if (services.length > 0) return errors;

    const selector = this.serviceSelector();
    const subsetVersions = present.filter(v => v.version!._service === undefined);
    for (const v of subsetVersions) {
      const version = v.version!;
      const pods = version._podLabels();
      const what = version._workloadPath ? `the pods of ${version._workloadPath}` : 'these pods';
      if (version._hasPodTemplate) {
        if (!pods || Object.keys(pods).length === 0) {
          errors.push(this.problem(v.field, `${what} have no labels, so neither the Service nor a subset can select them`, pods ?? {}, 'a workload with pod-template labels'));
          continue;
        }
        const missing = Object.entries(selector).filter(([k, val]) => pods[k] !== val);
        if (missing.length > 0) {
          errors.push(this.problem(v.field, `${what} do not carry the selector of Service ${this.serviceName}, so it never sends them traffic`, pods,
            `pod labels that include ${JSON.stringify(Object.fromEntries(missing))}`));
          continue;
        }
      } else {
        const clash = Object.entries(selector).filter(([k, val]) => pods![k] !== undefined && pods![k] !== val);
        if (clash.length > 0) {
          errors.push(this.problem(v.field, `these labels contradict the selector of Service ${this.serviceName}, so no pod has both`, pods,
            `labels that agree with ${JSON.stringify(selector)}`));
          continue;
        }
      }
      const subset = version._subsetLabels(selector);
      if (Object.keys(subset).length === 0) {
        errors.push(this.problem(v.field, 'no labels set this version apart from the others', subset, 'WorkloadVersion.fromWorkload(w, { subsetLabels: { version: ... } })'));
        continue;
      }
      for (const other of subsetVersions) {
        if (other === v) continue;
        const otherPods = other.version!._podLabels() ?? other.version!._subsetLabels(selector);
        if (Object.entries(subset).every(([k, val]) => otherPods[k] === val)) {
          errors.push(this.problem(v.field, `subset "${v.subset}" also selects the pods of ${other.field}, so they would share its traffic`, subset,
            `labels only ${v.field}'s pods carry, e.g. version: ...`));
          break;
        }
      }
    }
    return errors;
  }
}

/**
 * A label map whose entries are produced at synth. DestinationRule copies subset labels when it renders, and
 * a workload's labels (or the Service's selector they are derived from) may still change until then.
 */
function lazyLabels(produce: () => Labels): Labels {
  return new Proxy({} as Labels, {
    ownKeys: () => Reflect.ownKeys(produce()),
    getOwnPropertyDescriptor: (_t, k) => {
      const labels = produce();
      return typeof k === 'string' && k in labels ? { value: labels[k], enumerable: true, configurable: true, writable: false } : undefined;
    },
    get: (_t, k) => (typeof k === 'string' ? produce()[k] : undefined),
    has: (_t, k) => typeof k === 'string' && k in produce(),
  });
}
