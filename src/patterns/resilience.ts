// ResilienceProfile: the timeout, retries and circuit breaker that a service should have, as one value with
// documented defaults, and FaultTest: a fault-injection route for one cohort, which proves callers cope when the
// service is slow or failing. Patterns apply the profile to every route they write; `addHttpRoute` users spread
// `routeOptions()` and give `trafficPolicy()` to their DestinationRule.
import { Duration } from 'cdk8s';
import { Cohort } from './cohort';
import { Percent } from '../core/percent';
import { Fault } from '../networking/fault';
import { RetryOn, RetryPolicy } from '../networking/retry';
import { TrafficPolicy } from '../networking/traffic-policy';

/**
 * The fields of a resilience profile; each one left out keeps the documented default.
 */
export interface ResilienceProfileProps {
  /**
   * Timeout of a whole request, retries included.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * Retries after the first attempt; 0 turns retries off.
   * @default 3
   */
  readonly retryAttempts?: number;
  /**
   * Timeout of each attempt. With the defaults, 3 retries of 2s fit inside the 10s timeout.
   * @default Duration.seconds(2)
   */
  readonly perTryTimeout?: Duration;
  /**
   * What triggers a retry. The default retries only what is safe for non-idempotent requests: the request
   * never reached the application, or a gateway between reported failure.
   * @default [RetryOn.GATEWAY_ERROR, RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM]
   */
  readonly retryOn?: RetryOn[];
  /**
   * Write a circuit breaker (connection pool limits and outlier detection) into the DestinationRule.
   * @default true
   */
  readonly circuitBreaker?: boolean;
  /**
   * Maximum TCP connections to each endpoint.
   * @default 100
   */
  readonly maxConnections?: number;
  /**
   * Maximum requests queued while waiting for a connection; beyond it requests fail fast with 503.
   * @default 100
   */
  readonly maxPendingRequests?: number;
  /**
   * Maximum requests per connection; 1 turns keep-alive off.
   * @default - unlimited
   */
  readonly maxRequestsPerConnection?: number;
  /**
   * Consecutive 5xx responses after which an endpoint is ejected.
   * @default 5
   */
  readonly consecutive5xxErrors?: number;
  /**
   * Time between ejection sweeps.
   * @default Duration.seconds(10)
   */
  readonly ejectionInterval?: Duration;
  /**
   * Minimum time an ejected endpoint stays out.
   * @default Duration.seconds(30)
   */
  readonly baseEjectionTime?: Duration;
  /**
   * Maximum share of endpoints ejected at once (0..100). Half keeps a small deployment serving while its
   * failing pods are out.
   * @default 50
   */
  readonly maxEjectionPercent?: number;
}

/** The route-level part of a resilience profile, to spread into `addHttpRoute` options. */
export interface ResilienceRouteOptions {
  /**
   * Timeout of the whole request.
   * @default - no timeout
   */
  readonly timeout?: Duration;
  /**
   * Retry policy.
   * @default - Istio's default retry policy
   */
  readonly retries?: RetryPolicy;
}

/**
 * Timeouts, retries and a circuit breaker with sane defaults; override any field, keep the rest.
 *
 * ```ts
 * const profile = new ResilienceProfile({ timeout: Duration.seconds(5) });
 * vs.addHttpRoute('api', { to: [RouteDestination.to(api)], ...profile.routeOptions() });
 * new DestinationRule(chart, 'api', { host: api, trafficPolicy: profile.trafficPolicy() });
 * ```
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/circuit-breaking/
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
 */
export class ResilienceProfile {
  /** The resolved fields: the defaults with the given overrides. */
  public readonly props: ResilienceProfileProps;

  public constructor(props: ResilienceProfileProps = {}) {
    this.props = { ...DEFAULTS, ...withoutUndefined(props) };
  }

  /** A copy of this profile with more fields overridden. */
  public with(overrides: ResilienceProfileProps): ResilienceProfile {
    return new ResilienceProfile({ ...this.props, ...withoutUndefined(overrides) });
  }

  /** Timeout and retries for a VirtualService HTTP route. */
  public routeOptions(): ResilienceRouteOptions {
    const p = this.props;
    // Istio rejects any other retry field once attempts is 0.
    const retries: RetryPolicy = p.retryAttempts === 0
      ? { attempts: 0 }
      : { attempts: p.retryAttempts!, perTryTimeout: p.perTryTimeout, retryOn: p.retryOn };
    return { timeout: p.timeout, retries };
  }

  /** The circuit breaker as a DestinationRule traffic policy (empty when `circuitBreaker` is false). */
  public trafficPolicy(): TrafficPolicy {
    const p = this.props;
    if (!p.circuitBreaker) return {};
    return {
      connectionPool: {
        tcp: { maxConnections: p.maxConnections },
        http: { http1MaxPendingRequests: p.maxPendingRequests, maxRequestsPerConnection: p.maxRequestsPerConnection },
      },
      outlierDetection: {
        consecutive5xxErrors: p.consecutive5xxErrors,
        interval: p.ejectionInterval,
        baseEjectionTime: p.baseEjectionTime,
        maxEjectionPercent: p.maxEjectionPercent,
      },
    };
  }
}

const DEFAULTS: ResilienceProfileProps = {
  timeout: Duration.seconds(10),
  retryAttempts: 3,
  perTryTimeout: Duration.seconds(2),
  retryOn: [RetryOn.GATEWAY_ERROR, RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM],
  circuitBreaker: true,
  maxConnections: 100,
  maxPendingRequests: 100,
  consecutive5xxErrors: 5,
  ejectionInterval: Duration.seconds(10),
  baseEjectionTime: Duration.seconds(30),
  maxEjectionPercent: 50,
};

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Options of `FaultTest.delay` and `FaultTest.abort`. */
export interface FaultTestOptions {
  /**
   * The route name.
   * @default 'fault-delay' or 'fault-abort'
   */
  readonly name?: string;
  /**
   * The share of the cohort's requests that get the fault. Always written: Istio reads a missing
   * percentage as 0 (the deprecated integer `percent`), so an implicit "all" would inject nothing.
   * @default Percent.of(100)
   */
  readonly percentage?: Percent;
}

/**
 * A route that injects a fault for one cohort (e.g. requests with `x-fault-test: delay`), so resilience can
 * be tested in a live mesh without touching anyone else's traffic.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/fault-injection/
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPFaultInjection
 */
export class FaultTest {
  /** Delay the cohort's requests by `delay`. */
  public static delay(cohort: Cohort, delay: Duration, options: FaultTestOptions = {}): FaultTest {
    return new FaultTest(options.name ?? 'fault-delay', cohort, Fault.delay(delay, options.percentage ?? Percent.of(100)));
  }

  /** Answer the cohort's requests with `httpStatus` instead of forwarding them. */
  public static abort(cohort: Cohort, httpStatus: number, options: FaultTestOptions = {}): FaultTest {
    return new FaultTest(options.name ?? 'fault-abort', cohort, Fault.abort(httpStatus, options.percentage ?? Percent.of(100)));
  }

  /** The route name. */
  public readonly name: string;
  /** The requests the fault applies to. */
  public readonly cohort: Cohort;
  /** The fault. */
  public readonly fault: Fault;

  private constructor(name: string, cohort: Cohort, fault: Fault) {
    this.name = name;
    this.cohort = cohort;
    this.fault = fault;
  }
}
