// Extension providers: the tracing, access-log and metrics backends MeshConfig defines by name and Telemetry
// resources select by name. One class serves both sides, so a Telemetry names a provider object, not a string.
import { JsonMap } from '../core/json';

/** Options of a provider reached over the network (a collector Service). */
export interface CollectorProviderOptions {
  /** The provider's name, used by Telemetry resources. */
  readonly name: string;
  /** The collector's host, e.g. `opentelemetry-collector.observability.svc.cluster.local`. */
  readonly service: string;
  /** The collector's port. */
  readonly port: number;
}

/** Options of a tracing provider. */
export interface TracingProviderOptions extends CollectorProviderOptions {
  /**
   * The longest tag value the proxy sends; longer values are cut.
   * @default - Istio's default (256)
   */
  readonly maxTagLength?: number;
}

/** Options of `ExtensionProvider.openTelemetryAccessLog`. */
export interface OtelAccessLogProviderOptions extends CollectorProviderOptions {
  /**
   * The log name reported to the collector.
   * @default - Istio's default (`otel_envoy_accesslog`)
   */
  readonly logName?: string;
}

/** Options of `ExtensionProvider.fileAccessLog`. */
export interface FileAccessLogProviderOptions {
  /** The provider's name, used by Telemetry resources. */
  readonly name: string;
  /**
   * The file to write to.
   * @default '/dev/stdout'
   */
  readonly path?: string;
  /**
   * Write JSON with these fields (name to Envoy command operator, e.g. `{ code: '%RESPONSE_CODE%' }`).
   * @default - Istio's default text format
   */
  readonly jsonLabels?: { [key: string]: string };
  /**
   * Write text in this Envoy format (give this or `jsonLabels`).
   * @default - Istio's default text format
   */
  readonly textFormat?: string;
}

/**
 * A MeshConfig extension provider. Define one for the IstioOperator with a factory such as
 * `ExtensionProvider.openTelemetryTracing()`, and select it in Telemetry resources; providers defined
 * elsewhere (or Istio's built-in `envoy` and `prometheus`) come from `ExtensionProvider.fromName()`.
 *
 * @see https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/#MeshConfig-ExtensionProvider
 */
export class ExtensionProvider {
  /** Istio's built-in access log to the proxy's standard output. */
  public static readonly ENVOY = new ExtensionProvider('envoy');
  /** Istio's built-in Prometheus metrics. */
  public static readonly PROMETHEUS = new ExtensionProvider('prometheus');

  /** A provider defined elsewhere (an existing MeshConfig), by name. */
  public static fromName(name: string): ExtensionProvider {
    return new ExtensionProvider(name);
  }

  /** Traces exported over OTLP/gRPC to an OpenTelemetry collector. */
  public static openTelemetryTracing(options: TracingProviderOptions): ExtensionProvider {
    return new ExtensionProvider(options.name, 'opentelemetry', { service: options.service, port: options.port, maxTagLength: options.maxTagLength });
  }

  /** Traces sent to a Zipkin-compatible collector (Zipkin, Jaeger's Zipkin endpoint). */
  public static zipkin(options: TracingProviderOptions): ExtensionProvider {
    return new ExtensionProvider(options.name, 'zipkin', { service: options.service, port: options.port, maxTagLength: options.maxTagLength });
  }

  /** Access logs sent over OTLP/gRPC to an OpenTelemetry collector. */
  public static openTelemetryAccessLog(options: OtelAccessLogProviderOptions): ExtensionProvider {
    return new ExtensionProvider(options.name, 'envoyOtelAls', { service: options.service, port: options.port, logName: options.logName });
  }

  /** Access logs written by the proxy to a file (standard output by default), as text or JSON. */
  public static fileAccessLog(options: FileAccessLogProviderOptions): ExtensionProvider {
    const format = options.jsonLabels || options.textFormat !== undefined
      ? { labels: options.jsonLabels && { ...options.jsonLabels }, text: options.textFormat }
      : undefined;
    return new ExtensionProvider(options.name, 'envoyFileAccessLog', { path: options.path ?? '/dev/stdout', logFormat: format });
  }

  /** Prometheus metrics under another name. */
  public static prometheus(name: string): ExtensionProvider {
    return new ExtensionProvider(name, 'prometheus', {});
  }

  /** The provider's name. */
  public readonly name: string;

  private constructor(name: string, private readonly type?: string, private readonly settings?: { [key: string]: unknown }) {
    this.name = name;
  }

  /** True when this object defines the provider (rather than naming one defined elsewhere). */
  public get isDefinition(): boolean {
    return this.type !== undefined;
  }

  /** The MeshConfig `extensionProviders[]` entry. @internal */
  public _definition(): JsonMap | undefined {
    if (!this.type) return undefined;
    return { name: this.name, [this.type]: JSON.parse(JSON.stringify(this.settings ?? {})) };
  }
}
