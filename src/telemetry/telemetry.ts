// Telemetry: tracing, access logging and metrics for the whole mesh (root namespace, no selector), a
// namespace (no selector), selected workloads, or targeted Services and gateways (waypoints), through
// providers that MeshConfig defines.
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { renderDuration } from '../core/duration';
import { formatProblem, withConstructPath } from '../core/errors';
import { JsonMap } from '../core/json';
import { Percent } from '../core/percent';
import { compact } from '../core/render';
import { IstioResource, IstioResourceProps } from '../core/resource';
import { WorkloadSelector } from '../core/selector';
import { ExtensionProvider } from '../mesh/extension-provider';
import { PolicyTargetRef } from '../security/target-ref';

/**
 * Which side of a connection a setting applies to.
 *
 * @see https://istio.io/latest/docs/reference/config/telemetry/#WorkloadMode
 */
export enum TrafficDirection {
  /** Both outbound (client) and inbound (server) traffic. */
  CLIENT_AND_SERVER = 'CLIENT_AND_SERVER',
  /** Outbound traffic of the workload (it is the client). */
  CLIENT = 'CLIENT',
  /** Inbound traffic of the workload (it is the server). */
  SERVER = 'SERVER',
}

/**
 * A custom tag added to every span.
 *
 * @see https://istio.io/latest/docs/reference/config/telemetry/#Tracing-CustomTag
 */
export class CustomTag {
  /** The same value on every span. */
  public static literal(value: string): CustomTag {
    return new CustomTag({ literal: { value } });
  }

  /**
   * The value of an environment variable of the proxy.
   * @param name the variable
   * @param defaultValue the value when it is unset
   */
  public static environment(name: string, defaultValue?: string): CustomTag {
    return new CustomTag({ environment: { name, defaultValue } });
  }

  /**
   * The value of a request header.
   * @param name the header
   * @param defaultValue the value when the header is absent
   */
  public static header(name: string, defaultValue?: string): CustomTag {
    return new CustomTag({ header: { name, defaultValue } });
  }

  /** The value of an access-log command operator, e.g. `%REQ(:PATH)%`. */
  public static formatter(value: string): CustomTag {
    return new CustomTag({ formatter: { value } });
  }

  private constructor(private readonly json: JsonMap) {}

  /** @internal */
  public _render(): JsonMap {
    return JSON.parse(JSON.stringify(this.json));
  }
}

/** Tracing settings. */
export interface TracingOptions {
  /**
   * The provider to send spans to (Istio supports one per Telemetry).
   * @default - the mesh's default tracing provider
   */
  readonly providers?: ExtensionProvider[];
  /**
   * The share of requests traced when no upstream decision was made.
   * @default - the provider's or mesh's default (1%)
   */
  readonly randomSamplingPercentage?: Percent;
  /**
   * Tags added to every span, by tag name.
   * @default - none
   */
  readonly customTags?: { [name: string]: CustomTag };
  /**
   * Stop reporting spans (context is still propagated).
   * @default - spans are reported
   */
  readonly disableSpanReporting?: boolean;
  /**
   * Base the sampling decision on `x-request-id`, so all proxies decide alike.
   * @default - Istio's default (true)
   */
  readonly useRequestIdForTraceSampling?: boolean;
  /**
   * The traffic direction the settings apply to.
   * @default - both
   */
  readonly match?: TrafficDirection;
}

/** Access logging settings. */
export interface AccessLoggingOptions {
  /**
   * The providers to log to.
   * @default - the mesh's default access log providers
   */
  readonly providers?: ExtensionProvider[];
  /**
   * A CEL expression; only requests for which it is true are logged, e.g. `response.code >= 400`.
   * @default - every request
   */
  readonly filter?: string;
  /**
   * Turn access logging off (for these providers).
   * @default - logging is on
   */
  readonly disabled?: boolean;
  /**
   * The traffic direction the settings apply to.
   * @default - both
   */
  readonly match?: TrafficDirection;
}

/**
 * Istio's standard metrics.
 *
 * @see https://istio.io/latest/docs/reference/config/metrics/
 */
export enum IstioMetric {
  /** Every metric. */
  ALL_METRICS = 'ALL_METRICS',
  /** `istio_requests_total`. */
  REQUEST_COUNT = 'REQUEST_COUNT',
  /** `istio_request_duration_milliseconds`. */
  REQUEST_DURATION = 'REQUEST_DURATION',
  /** `istio_request_bytes`. */
  REQUEST_SIZE = 'REQUEST_SIZE',
  /** `istio_response_bytes`. */
  RESPONSE_SIZE = 'RESPONSE_SIZE',
  /** `istio_tcp_connections_opened_total`. */
  TCP_OPENED_CONNECTIONS = 'TCP_OPENED_CONNECTIONS',
  /** `istio_tcp_connections_closed_total`. */
  TCP_CLOSED_CONNECTIONS = 'TCP_CLOSED_CONNECTIONS',
  /** `istio_tcp_sent_bytes_total`. */
  TCP_SENT_BYTES = 'TCP_SENT_BYTES',
  /** `istio_tcp_received_bytes_total`. */
  TCP_RECEIVED_BYTES = 'TCP_RECEIVED_BYTES',
  /** `istio_request_messages_total` (gRPC). */
  GRPC_REQUEST_MESSAGES = 'GRPC_REQUEST_MESSAGES',
  /** `istio_response_messages_total` (gRPC). */
  GRPC_RESPONSE_MESSAGES = 'GRPC_RESPONSE_MESSAGES',
}

/**
 * Which metrics an override applies to.
 *
 * @see https://istio.io/latest/docs/reference/config/telemetry/#MetricSelector
 */
export class MetricSelector {
  /**
   * One of Istio's standard metrics (or all of them).
   * @param direction client-side, server-side or both
   */
  public static metric(metric: IstioMetric, direction?: TrafficDirection): MetricSelector {
    return new MetricSelector({ metric, mode: direction });
  }

  /**
   * A metric by name, e.g. one a WasmPlugin adds.
   * @param direction client-side, server-side or both
   */
  public static custom(name: string, direction?: TrafficDirection): MetricSelector {
    return new MetricSelector({ customMetric: name, mode: direction });
  }

  private constructor(private readonly json: JsonMap) {}

  /** @internal */
  public _render(): JsonMap {
    return { ...this.json };
  }
}

/**
 * A change to one tag (label) of the selected metrics.
 *
 * @see https://istio.io/latest/docs/reference/config/telemetry/#MetricsOverrides-TagOverride
 */
export class TagOverride {
  /**
   * Add or replace the tag with a CEL expression over the request, e.g. `request.host`.
   */
  public static upsert(value: string): TagOverride {
    return new TagOverride({ operation: 'UPSERT', value });
  }

  /** Drop the tag (fewer series in Prometheus). */
  public static remove(): TagOverride {
    return new TagOverride({ operation: 'REMOVE' });
  }

  private constructor(private readonly json: JsonMap) {}

  /** @internal */
  public _render(): JsonMap {
    return { ...this.json };
  }
}

/** A change to some metrics. */
export interface MetricsOverride {
  /**
   * The metrics it applies to.
   * @default - every metric, both directions
   */
  readonly match?: MetricSelector;
  /**
   * Stop emitting the selected metrics.
   * @default - emitted
   */
  readonly disabled?: boolean;
  /**
   * Tag changes, by tag name.
   * @default - none
   */
  readonly tagOverrides?: { [tag: string]: TagOverride };
}

/** Metrics settings. */
export interface MetricsOptions {
  /**
   * The providers to send metrics to.
   * @default - the mesh's default metrics providers (Prometheus)
   */
  readonly providers?: ExtensionProvider[];
  /**
   * Changes to the metrics, applied in order.
   * @default - none
   */
  readonly overrides?: MetricsOverride[];
  /**
   * How often TCP metrics are reported for long-lived connections (whole milliseconds).
   * @default - Istio's default (15s for Prometheus)
   */
  readonly reportingInterval?: Duration;
}

/** Properties of a `Telemetry`. */
export interface TelemetryProps extends IstioResourceProps {
  /**
   * The workloads it applies to.
   * @default - the whole namespace; in the root namespace (`istio-system`) the whole mesh
   */
  readonly selector?: WorkloadSelector;
  /**
   * Services, ServiceEntries or Gateway API gateways (a `Waypoint`, an ingress Gateway) it applies to, instead
   * of a selector: in ambient mode, the telemetry of a waypoint is configured this way.
   * @default - none
   */
  readonly targetRefs?: PolicyTargetRef[];
  /**
   * Tracing settings. Istio supports one entry.
   * @default - the mesh's tracing settings
   */
  readonly tracing?: TracingOptions[];
  /**
   * Access logging settings.
   * @default - the mesh's access logging settings
   */
  readonly accessLogging?: AccessLoggingOptions[];
  /**
   * Metrics settings.
   * @default - the mesh's metrics settings
   */
  readonly metrics?: MetricsOptions[];
}

/** Properties of `Telemetry.meshWide`. */
export interface MeshWideTelemetryProps extends TelemetryProps {
  /**
   * The mesh root namespace.
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
}

/**
 * An Istio Telemetry resource (`telemetry.istio.io/v1`). Its scope follows from where it lives: the root
 * namespace without a selector is mesh-wide (`Telemetry.meshWide`), another namespace without a selector is
 * that namespace, and a selector narrows it to workloads.
 *
 * @example
 * declare const chart: Chart;
 * new Telemetry(chart, 'access-logs', {
 *   accessLogging: [{ providers: [ExtensionProvider.ENVOY], filter: 'response.code >= 400' }],
 * });
 * @see https://istio.io/latest/docs/reference/config/telemetry/
 */
export class Telemetry extends IstioResource {
  /** A mesh-wide Telemetry: in the root namespace, without a selector. */
  public static meshWide(scope: Construct, id: string, props: MeshWideTelemetryProps = {}): Telemetry {
    return new Telemetry(scope, id, {
      ...props,
      metadata: { ...props.metadata, namespace: props.rootNamespace ?? 'istio-system' },
    });
  }

  private readonly props: TelemetryProps;
  private readonly tracing: JsonMap[] = [];
  private readonly accessLogging: JsonMap[] = [];
  private readonly metrics: JsonMap[] = [];

  public constructor(scope: Construct, id: string, props: TelemetryProps = {}) {
    super(scope, id, 'Telemetry', props);
    this.props = props;
    (props.tracing ?? []).forEach(t => this.addTracing(t));
    (props.accessLogging ?? []).forEach(a => this.addAccessLogging(a));
    (props.metrics ?? []).forEach(m => this.addMetrics(m));
  }

  /** Add tracing settings. */
  public addTracing(options: TracingOptions): Telemetry {
    this.tracing.push({
      match: options.match && { mode: options.match },
      providers: names(options.providers),
      randomSamplingPercentage: options.randomSamplingPercentage?.value,
      disableSpanReporting: options.disableSpanReporting,
      useRequestIdForTraceSampling: options.useRequestIdForTraceSampling,
      customTags: options.customTags && mapValues(options.customTags, t => t._render()),
    });
    return this;
  }

  /** Add access logging settings. */
  public addAccessLogging(options: AccessLoggingOptions): Telemetry {
    this.accessLogging.push({
      match: options.match && { mode: options.match },
      providers: names(options.providers),
      disabled: options.disabled,
      filter: options.filter !== undefined ? { expression: options.filter } : undefined,
    });
    return this;
  }

  /** Add metrics settings. */
  public addMetrics(options: MetricsOptions): Telemetry {
    const field = `spec.metrics[${this.metrics.length}].reportingInterval`;
    this.metrics.push(withConstructPath(this, () => ({
      providers: names(options.providers),
      overrides: options.overrides?.map(o => ({
        match: o.match?._render(),
        disabled: o.disabled,
        tagOverrides: o.tagOverrides && mapValues(o.tagOverrides, t => t._render()),
      })),
      reportingInterval: options.reportingInterval && renderDuration(options.reportingInterval, 'Telemetry', field),
    })));
    return this;
  }

  /** @internal */
  protected _render(): unknown {
    return compact({
      selector: this.props.selector && { matchLabels: this.props.selector.matchLabels },
      targetRefs: this.props.targetRefs?.map(t => t._render()),
      tracing: this.tracing,
      accessLogging: this.accessLogging,
      metrics: this.metrics,
    });
  }

  /** @internal */
  protected _validate(): string[] {
    // An entry with nothing set would vanish from the minimal output, so the manifest could not show it.
    const errors: string[] = [];
    const lists: Array<[string, JsonMap[]]> = [['tracing', this.tracing], ['accessLogging', this.accessLogging], ['metrics', this.metrics]];
    for (const [key, list] of lists) {
      list.forEach((entry, i) => {
        if (compact(entry) === undefined) {
          errors.push(formatProblem({ kind: 'Telemetry', field: `spec.${key}[${i}]`, problem: 'an entry without settings renders as nothing', got: {}, allowed: 'set at least one option, e.g. providers' }));
        }
      });
    }
    (this.props.targetRefs ?? []).forEach((t, i) => {
      const other = t._crossNamespace(this.namespace);
      if (other) {
        errors.push(formatProblem({ kind: 'Telemetry', field: `spec.targetRefs[${i}]`, problem: 'a Telemetry can only target resources in its own namespace', got: other, allowed: `namespace ${this.namespace ?? '(none)'}` }));
      }
    });
    return errors;
  }
}

function names(providers: ExtensionProvider[] | undefined): JsonMap[] | undefined {
  return providers?.map(p => ({ name: p.name }));
}

function mapValues<T>(o: { [k: string]: T }, f: (v: T) => unknown): JsonMap {
  const out: JsonMap = {};
  for (const [k, v] of Object.entries(o)) out[k] = f(v);
  return out;
}
