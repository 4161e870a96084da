// Fault injection of an HTTP rule: delays and aborts, each for a share of requests; both may apply at once.
import { Duration } from 'cdk8s';
import { renderDuration } from '../core/duration';
import { invalidValue } from '../core/errors';
import { JsonMap } from '../core/json';
import { Percent } from '../core/percent';

/**
 * gRPC status codes an abort can return.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPFaultInjection-Abort
 */
export enum GrpcStatus {
  /** OK */
  OK = 'OK',
  /** CANCELLED */
  CANCELLED = 'CANCELLED',
  /** UNKNOWN */
  UNKNOWN = 'UNKNOWN',
  /** INVALID_ARGUMENT */
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
  /** DEADLINE_EXCEEDED */
  DEADLINE_EXCEEDED = 'DEADLINE_EXCEEDED',
  /** NOT_FOUND */
  NOT_FOUND = 'NOT_FOUND',
  /** ALREADY_EXISTS */
  ALREADY_EXISTS = 'ALREADY_EXISTS',
  /** PERMISSION_DENIED */
  PERMISSION_DENIED = 'PERMISSION_DENIED',
  /** RESOURCE_EXHAUSTED */
  RESOURCE_EXHAUSTED = 'RESOURCE_EXHAUSTED',
  /** FAILED_PRECONDITION */
  FAILED_PRECONDITION = 'FAILED_PRECONDITION',
  /** ABORTED */
  ABORTED = 'ABORTED',
  /** OUT_OF_RANGE */
  OUT_OF_RANGE = 'OUT_OF_RANGE',
  /** UNIMPLEMENTED */
  UNIMPLEMENTED = 'UNIMPLEMENTED',
  /** INTERNAL */
  INTERNAL = 'INTERNAL',
  /** UNAVAILABLE */
  UNAVAILABLE = 'UNAVAILABLE',
  /** DATA_LOSS */
  DATA_LOSS = 'DATA_LOSS',
  /** UNAUTHENTICATED */
  UNAUTHENTICATED = 'UNAUTHENTICATED',
}

/**
 * Faults injected into the requests a rule matches, to test resilience.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPFaultInjection
 */
export class Fault {
  /**
   * Delay requests by `fixedDelay` before forwarding them.
   * @param fixedDelay how long to wait (whole milliseconds, at least 1ms)
   * @param percentage the share of requests to delay; all requests when omitted (written as 100)
   */
  public static delay(fixedDelay: Duration, percentage?: Percent): Fault {
    return new Fault({ fixedDelay: renderDuration(fixedDelay, 'Fault', 'delay.fixedDelay'), percentage: pct(percentage) }, undefined);
  }

  /**
   * Answer requests with an HTTP status instead of forwarding them.
   * @param httpStatus the status code, 200..600
   * @param percentage the share of requests to abort; all requests when omitted (written as 100)
   */
  public static abort(httpStatus: number, percentage?: Percent): Fault {
    return new Fault(undefined, { httpStatus, percentage: pct(percentage) });
  }

  /**
   * Answer gRPC requests with a gRPC status instead of forwarding them.
   * @param grpcStatus the gRPC status
   * @param percentage the share of requests to abort; all requests when omitted (written as 100)
   */
  public static abortGrpc(grpcStatus: GrpcStatus, percentage?: Percent): Fault {
    return new Fault(undefined, { grpcStatus, percentage: pct(percentage) });
  }

  /** A delay and an abort together: `Fault.delayAndAbort(Fault.delay(...), Fault.abort(...))`. */
  public static delayAndAbort(delay: Fault, abort: Fault): Fault {
    if (!delay.delayJson || delay.abortJson || !abort.abortJson || abort.delayJson) {
      throw invalidValue({ kind: 'Fault', problem: 'delayAndAbort takes a delay fault and an abort fault, in that order', allowed: 'Fault.delayAndAbort(Fault.delay(...), Fault.abort(...))' });
    }
    return new Fault(delay.delayJson, abort.abortJson);
  }

  private constructor(private readonly delayJson: JsonMap | undefined, private readonly abortJson: JsonMap | undefined) {}

  /** @internal */
  public _render(): JsonMap {
    return { delay: this.delayJson, abort: this.abortJson };
  }
}

// Istio translates an absent percentage as 0% for delays (the deprecated integer `percent` defaults to 0),
// so "all requests" is written out rather than left to a default that does the opposite of what was meant.
function pct(p: Percent | undefined): JsonMap {
  return { value: p === undefined ? 100 : p.value };
}
