// The machinery every traffic pattern shares (internal): the DestinationRule subsets (or per-version Services),
// the VirtualService or HTTPRoute, and the checks that the versions' pods really are the pods of the pattern's
// Service. A pattern says what its routes mean (`RouteSpec`); this module writes them in the chosen API.
import { Construct } from 'constructs';
import { Cohort } from './cohort';
import { gatewayMatch } from './gateway-route';
import { ResilienceRouteOptions } from './resilience';
import { RoutingApi, TrafficPatternProps } from './traffic-pattern';
import { WorkloadVersion } from './workload-version';
import { formatProblem } from '../core/errors';
import { Host, IHost } from '../core/host';
import { apiObjectOf, resolvedJson } from '../core/kube';
import { Percent } from '../core/percent';
import { BackendRef } from '../gateway-api/backend-ref';
import { HttpRoute, HttpRouteMatch, HttpRouteRetry, HttpRouteTimeouts } from '../gateway-api/http-route';
import { IGatewayRef, ParentRef } from '../gateway-api/parent-ref';
import { RouteFilter } from '../gateway-api/route-filter';
import { Mirror, RouteDestination } from '../networking/destination';
import { DestinationRule, ISubset } from '../networking/destination-rule';
import { Fault } from '../networking/fault';
import { Gateway } from '../networking/gateway';
import { RetryOn } from '../networking/retry';
import { VirtualService } from '../networking/virtual-service';

/** One version of a pattern: where it comes from in the props, and its subset name. */
interface VersionSpec {
  readonly field: string;
  readonly subset: string;
  readonly version: WorkloadVersion | undefined;
}

/** Where a route sends requests: a version, and its weight in a split. */
interface Target {
  readonly subset: string;
  readonly weight?: number;
}

/** What one route of a pattern means, in either API. */
interface RouteSpec {
  readonly name: string;
  readonly cohort?: Cohort;
  /** The pattern's field the cohort comes from, for messages. */
  readonly cohortField?: string;
  readonly to: Target[];
  readonly fault?: Fault;
  /** The pattern's field the fault comes from, for messages. */
  readonly faultField?: string;
  readonly mirror?: { readonly subset: string; readonly percentage: Percent };
}

type Labels = { [key: string]: string };

/** What a pattern hands to `Release`. */
interface ReleaseSpec {
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
  public readonly api: RoutingApi;
  public readonly virtualService?: VirtualService;
  public readonly httpRoute?: HttpRoute;
  public readonly destinationRules: DestinationRule[] = [];
  public readonly subsets = new Map<string, ISubset>();
  private readonly targets = new Map<string, IHost>();
  private readonly serviceName: string;
  private readonly routeOptions: ResilienceRouteOptions;
  private resilienceRule?: { timeouts?: HttpRouteTimeouts; retry?: HttpRouteRetry };
  /** Problems found while the routes were written, reported at synth with the rest. */
  private readonly routeProblems: string[] = [];

  private readonly kind: string;
  private readonly props: TrafficPatternProps;
  private readonly versions: VersionSpec[];

  public constructor(scope: Construct, spec: ReleaseSpec) {
    this.kind = spec.pattern;
    this.props = spec.props;
    this.versions = spec.versions;
    const { props, versions } = spec;
    this.api = props.routingApi ?? RoutingApi.ISTIO;
    const service = apiObjectOf(props.service, 'Service');
    this.serviceName = service.name;
    const name = props.name ?? service.name;
    const host = Host.fromService(props.service);
    const policy = props.resilience?.trafficPolicy();
    const present = versions.filter(v => v.version !== undefined);
    // The Gateway API has no subsets: a version that is not a Service is reported by validate().
    const byService = this.api === RoutingApi.GATEWAY_API || (present.length > 0 && present.every(v => v.version!._service !== undefined));

    if (byService) {
      for (const v of present) {
        const svc = v.version!._service;
        if (!svc) continue;
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

    if (this.api === RoutingApi.GATEWAY_API) {
      // Mesh traffic reaches the routes through the Service as a parent (GAMMA), as `mesh` does for Istio.
      const mesh: IGatewayRef[] = props.parentRefs && props.parentRefs.length > 0 && props.includeMesh === false ? [] : [ParentRef.service(host)];
      this.httpRoute = new HttpRoute(scope, 'HTTPRoute', {
        metadata: { name },
        parentRefs: [...(props.parentRefs ?? []), ...mesh],
        hostnames: props.hosts && props.hosts.length > 0 ? props.hosts.map(h => h.hostname) : undefined,
      });
    } else {
      this.virtualService = props.virtualService ?? new VirtualService(scope, 'VirtualService', {
        metadata: { name },
        hosts: [host, ...(props.hosts ?? [])],
        gateways: props.gateways && props.gateways.length > 0
          ? [...props.gateways, ...(props.includeMesh === false ? [] : [Gateway.MESH])]
          : undefined,
      });
    }
    this.routeOptions = props.resilience?.routeOptions() ?? {};
    scope.node.addValidation({ validate: () => [...this.validate(), ...this.routeProblems] });
  }

  /** A destination for a version, with a weight in a split. */
  public to(subset: string, weight?: number): Target {
    return { subset, weight };
  }

  /** Append the fault-test routes, sent to `subset`. */
  public addFaultTests(subset: string) {
    const tests = this.props.faultTests ?? [];
    if (this.api === RoutingApi.GATEWAY_API && tests.length > 0) {
      this.routeProblems.push(this.problem('faultTests', 'the Gateway API has no fault injection, so an HTTPRoute cannot test faults', tests.map(t => t.name),
        'leave out faultTests, or use routingApi: RoutingApi.ISTIO'));
      return;
    }
    tests.forEach((t, i) => this.addRoute({ name: t.name, cohort: t.cohort, cohortField: `faultTests[${i}].cohort`, to: [this.to(subset)], fault: t.fault }));
  }

  public addRoute(r: RouteSpec) {
    if (this.httpRoute) {
      this.addHttpRouteRule(this.httpRoute, r);
      return;
    }
    this.virtualService!.addHttpRoute(r.name, {
      match: r.cohort?.matches,
      to: r.to.map(t => RouteDestination.to(this.target(t.subset), { weight: t.weight, port: this.props.port })),
      fault: r.fault,
      mirror: r.mirror && Mirror.to(this.target(r.mirror.subset), { port: this.props.port, percentage: r.mirror.percentage }),
      ...this.routeOptions,
    });
  }

  /** An error of this pattern in the library's message shape. */
  public problem(field: string, problem: string, got?: unknown, allowed?: string): string {
    return formatProblem({ kind: this.kind, field, problem, got, allowed });
  }

  private addHttpRouteRule(route: HttpRoute, r: RouteSpec) {
    if (r.fault) {
      this.routeProblems.push(this.problem(r.faultField ?? 'fault', 'the Gateway API has no fault injection, so an HTTPRoute cannot inject this fault', r.fault._render(),
        'leave it out, or use routingApi: RoutingApi.ISTIO'));
    }
    const port = this.props.port;
    const matches: HttpRouteMatch[] = [];
    r.cohort?.matches.forEach((m, i) => {
      const converted = gatewayMatch(m, this.kind, `${r.cohortField ?? r.name}.matches[${i}]`);
      if (typeof converted === 'string') this.routeProblems.push(converted);
      else matches.push(converted);
    });
    route.addRule(r.name, {
      matches: r.cohort ? matches : undefined,
      backendRefs: r.to.map(t => BackendRef.to(this.target(t.subset), { weight: t.weight, port })),
      filters: r.mirror ? [RouteFilter.requestMirror(this.target(r.mirror.subset), { port, percent: r.mirror.percentage })] : undefined,
      ...this.gatewayResilience(),
    });
  }

  /** The resilience profile's timeout and retries as HTTPRoute rule fields. */
  private gatewayResilience(): { timeouts?: HttpRouteTimeouts; retry?: HttpRouteRetry } {
    // Once per pattern, so a retry condition the Gateway API lacks is one message, not one per route.
    this.resilienceRule ??= this.renderGatewayResilience();
    return this.resilienceRule;
  }

  private renderGatewayResilience(): { timeouts?: HttpRouteTimeouts; retry?: HttpRouteRetry } {
    const { timeout, retries } = this.routeOptions;
    if (!timeout && !retries) return {};
    const codes: number[] = [];
    for (const on of retries?.retryOn ?? []) {
      if (on.value === RetryOn.GATEWAY_ERROR.value) {
        codes.push(502, 503, 504);
      } else if (on.value !== RetryOn.CONNECT_FAILURE.value && on.value !== RetryOn.REFUSED_STREAM.value) {
        this.routeProblems.push(this.problem('resilience.retryOn', 'an HTTPRoute retries on status codes, connect failures and refused streams only', retries!.retryOn!.map(r => r.value),
          'RetryOn.GATEWAY_ERROR, RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM'));
        break;
      }
    }
    return {
      timeouts: timeout || retries?.perTryTimeout ? { request: timeout, backendRequest: retries?.perTryTimeout } : undefined,
      retry: retries ? { attempts: retries.attempts, codes: codes.length > 0 ? codes : undefined } : undefined,
    };
  }

  private target(subset: string): IHost {
    // A version left out is reported by the pattern; any host keeps construction going until synth says so.
    return this.targets.get(subset) ?? Host.fromService(this.props.service);
  }

  private serviceSelector(): Labels {
    return resolvedJson(apiObjectOf(this.props.service, 'Service'))?.spec?.selector ?? {};
  }

  private validate(): string[] {
    if (this.api === RoutingApi.GATEWAY_API) return this.validateGatewayApi();
    const errors: string[] = [];
    const present = this.versions.filter(v => v.version !== undefined);
    const services = present.filter(v => v.version!._service !== undefined);
    errors.push(...this.validateArgoRollouts(present));
    if (services.length > 0 && services.length < present.length) {
      const v = present.find(x => x.version!._service === undefined)!;
      errors.push(this.problem(v.field, 'some versions are Services (host-based splitting) and this one is not', 'a workload or label set',
        'give every version with WorkloadVersion.fromService, or none'));
    }
    if (this.props.parentRefs && this.props.parentRefs.length > 0) {
      errors.push(this.problem('parentRefs', 'Gateway API parents take HTTPRoutes, and these routes are a VirtualService', this.props.parentRefs.map(p => p.parentName),
        'routingApi: RoutingApi.GATEWAY_API, or gateways: [an Istio Gateway]'));
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
        // Argo Rollouts' subsets share their labels on purpose: the controller adds the pod-template hash.
        if (other === v || (version._argoRollouts && other.version!._argoRollouts)) continue;
        const otherPods = other.version!._podLabels() ?? other.version!._subsetLabels(selector);
        if (Object.entries(subset).every(([k, val]) => otherPods[k] === val)) {
          errors.push(this.problem(v.field, `subset "${v.subset}" also selects the pods of ${other.field}, so they would share its traffic`, subset,
            `labels only ${v.field}'s pods carry, e.g. version: ...${this.kind === 'CanaryRelease' ? ', or WorkloadVersion.managedByArgoRollouts(rollout) for both when Argo Rollouts tells them apart' : ''}`));
          break;
        }
      }
    }
    return errors;
  }

  private validateArgoRollouts(present: VersionSpec[]): string[] {
    const argo = present.filter(v => v.version!._argoRollouts);
    if (argo.length === 0) return [];
    const first = argo[0];
    if (this.kind !== 'CanaryRelease') {
      return [this.problem(first.field, 'Argo Rollouts shifts route weights only for a canary (its blue-green strategy switches Services, not routes)', 'WorkloadVersion.managedByArgoRollouts',
        'a CanaryRelease, or WorkloadVersion.fromWorkload / WorkloadVersion.fromService')];
    }
    const other = present.find(v => !v.version!._argoRollouts);
    if (other) {
      return [this.problem(other.field, `${first.field} is managed by Argo Rollouts, which keeps stable and canary in one Rollout, so ${other.field} must be too`,
        other.version!._service ? 'a Service' : 'a workload or label set', 'WorkloadVersion.managedByArgoRollouts(rollout) for both stable and canary')];
    }
    const paths = argo.map(v => v.version!._workload!.node.path);
    const second = argo.find((_v, i) => paths[i] !== paths[0]);
    if (second) {
      return [this.problem(second.field, `${first.field} and ${second.field} are the pods of different Rollouts, and Argo Rollouts splits traffic between the ReplicaSets of one`,
        paths, 'the same Rollout for both')];
    }
    return [];
  }

  private validateGatewayApi(): string[] {
    const errors: string[] = [];
    for (const v of this.versions) {
      const version = v.version;
      if (!version || version._service) continue;
      if (version._argoRollouts) {
        errors.push(this.problem(v.field, 'the Gateway API has no subsets: Argo Rollouts\' Gateway API plugin shifts weights between the Rollout\'s stableService and canaryService', 'the pods of a Rollout',
          'WorkloadVersion.fromService(stableService) and WorkloadVersion.fromService(canaryService)'));
      } else {
        errors.push(this.problem(v.field, 'the Gateway API has no subsets, so each version needs a Service of its own', 'a workload or label set',
          'WorkloadVersion.fromService(svc), a Service that selects only this version\'s pods'));
      }
    }
    if (this.props.gateways && this.props.gateways.length > 0) {
      errors.push(this.problem('gateways', 'Istio Gateways do not serve Gateway API routes', this.props.gateways.map(g => g.gatewayName),
        'parentRefs: [a K8sGateway or K8sGateway.fromName(...)], or routingApi: RoutingApi.ISTIO'));
    }
    if (this.props.virtualService) {
      errors.push(this.problem('virtualService', 'the routes are an HTTPRoute with routingApi: RoutingApi.GATEWAY_API, so there is no VirtualService to append to', this.props.virtualService.name,
        'leave out virtualService, or use routingApi: RoutingApi.ISTIO'));
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
