// Retry policy of an HTTP rule and the conditions (Envoy `retry_on` values) that trigger a retry.
import { Duration } from 'cdk8s';
import { renderDuration } from '../core/duration';
import { JsonMap } from '../core/json';

/**
 * A condition that makes the proxy retry a request (an Envoy `x-envoy-retry-on` / `x-envoy-retry-grpc-on` value).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
 */
export class RetryOn {
  /** Any 5xx response, or a connect failure, reset or refused stream. */
  public static readonly SERVER_ERROR = new RetryOn('5xx');
  /** 502, 503 or 504. */
  public static readonly GATEWAY_ERROR = new RetryOn('gateway-error');
  /** A reset or timeout of the upstream connection. */
  public static readonly RESET = new RetryOn('reset');
  /** A reset before any request bytes were sent. */
  public static readonly RESET_BEFORE_REQUEST = new RetryOn('reset-before-request');
  /** A connection failure to the upstream. */
  public static readonly CONNECT_FAILURE = new RetryOn('connect-failure');
  /** Retriable 4xx responses (409). */
  public static readonly RETRIABLE_4XX = new RetryOn('retriable-4xx');
  /** REFUSED_STREAM from the upstream. */
  public static readonly REFUSED_STREAM = new RetryOn('refused-stream');
  /** The status codes listed in the `x-envoy-retriable-status-codes` header. */
  public static readonly RETRIABLE_STATUS_CODES = new RetryOn('retriable-status-codes');
  /** Responses carrying one of the `x-envoy-retriable-header-names` headers. */
  public static readonly RETRIABLE_HEADERS = new RetryOn('retriable-headers');
  /** Envoy rate limiting (`x-envoy-ratelimited`). */
  public static readonly ENVOY_RATELIMITED = new RetryOn('envoy-ratelimited');
  /** A failed HTTP/3 POST after the connection was established. */
  public static readonly HTTP3_POST_CONNECT_FAILURE = new RetryOn('http3-post-connect-failure');
  /** gRPC status CANCELLED. */
  public static readonly GRPC_CANCELLED = new RetryOn('cancelled');
  /** gRPC status DEADLINE_EXCEEDED. */
  public static readonly GRPC_DEADLINE_EXCEEDED = new RetryOn('deadline-exceeded');
  /** gRPC status INTERNAL. */
  public static readonly GRPC_INTERNAL = new RetryOn('internal');
  /** gRPC status RESOURCE_EXHAUSTED. */
  public static readonly GRPC_RESOURCE_EXHAUSTED = new RetryOn('resource-exhausted');
  /** gRPC status UNAVAILABLE. */
  public static readonly GRPC_UNAVAILABLE = new RetryOn('unavailable');

  /** Retry on one HTTP status code, e.g. `RetryOn.status(503)`. */
  public static status(code: number): RetryOn {
    return new RetryOn(String(code));
  }

  /** A condition by its Envoy name, for values newer than this library. Analysis checks it. */
  public static of(value: string): RetryOn {
    return new RetryOn(value);
  }

  /** The Envoy name of the condition. */
  public readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }
}

/**
 * How an HTTP rule retries failed requests.
 */
export interface RetryPolicy {
  /** Number of retries; 0 disables retries (and then no other field may be set). */
  readonly attempts: number;
  /**
   * Timeout of each attempt, including the first.
   * @default - the rule's timeout
   */
  readonly perTryTimeout?: Duration;
  /**
   * The conditions that trigger a retry.
   * @default - Istio's default: connect-failure, refused-stream, unavailable, cancelled, retriable-status-codes
   */
  readonly retryOn?: RetryOn[];
  /**
   * Retry on endpoints in other localities.
   * @default - Istio's default (false)
   */
  readonly retryRemoteLocalities?: boolean;
  /**
   * Base interval of the exponential back-off between retries.
   * @default - Envoy's default (25ms)
   */
  readonly backoff?: Duration;
  /**
   * Avoid hosts already tried when retrying.
   * @default - Istio's default
   */
  readonly retryIgnorePreviousHosts?: boolean;
}

/** @internal */
export function renderRetries(r: RetryPolicy | undefined, kind: string, field: string): JsonMap | undefined {
  if (!r) return undefined;
  return {
    attempts: r.attempts,
    perTryTimeout: r.perTryTimeout && renderDuration(r.perTryTimeout, kind, `${field}.perTryTimeout`),
    retryOn: r.retryOn && r.retryOn.length ? r.retryOn.map(x => x.value).join(',') : undefined,
    retryRemoteLocalities: r.retryRemoteLocalities,
    backoff: r.backoff && renderDuration(r.backoff, kind, `${field}.backoff`),
    retryIgnorePreviousHosts: r.retryIgnorePreviousHosts,
  };
}
