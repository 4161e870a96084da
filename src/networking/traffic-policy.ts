// The traffic policy of a DestinationRule (rule, subset and port level): load balancing, connection pool
// limits, outlier detection (circuit breaking), client TLS, PROXY protocol, tunnelling and retry budget.
import { Duration } from 'cdk8s';
import { ClientTls } from './client-tls';
import { LoadBalancer } from './load-balancer';
import { renderDuration } from '../core/duration';
import { JsonMap } from '../core/json';
import { Percent } from '../core/percent';

/** TCP keepalive probes on upstream connections. */
export interface TcpKeepalive {
  /**
   * Idle time before the first probe.
   * @default - the OS default (7200s)
   */
  readonly time?: Duration;
  /**
   * Interval between probes.
   * @default - the OS default (75s)
   */
  readonly interval?: Duration;
  /**
   * Unanswered probes before the connection is dropped.
   * @default - the OS default (9)
   */
  readonly probes?: number;
}

/** TCP connection limits. */
export interface TcpConnectionPool {
  /**
   * Maximum connections to each upstream host.
   * @default 2^32-1
   */
  readonly maxConnections?: number;
  /**
   * TCP connect timeout.
   * @default 10s
   */
  readonly connectTimeout?: Duration;
  /**
   * TCP keepalive probes.
   * @default - no keepalive
   */
  readonly tcpKeepalive?: TcpKeepalive;
  /**
   * Maximum lifetime of a connection.
   * @default - unlimited
   */
  readonly maxConnectionDuration?: Duration;
  /**
   * Idle timeout of a connection; `Duration.millis(0)` disables it.
   * @default 1h
   */
  readonly idleTimeout?: Duration;
}

/**
 * Whether HTTP/1.1 connections are upgraded to HTTP/2.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ConnectionPoolSettings-HTTPSettings-H2UpgradePolicy
 */
export enum H2UpgradePolicy {
  /** The mesh default. */
  DEFAULT = 'DEFAULT',
  /** Never upgrade. */
  DO_NOT_UPGRADE = 'DO_NOT_UPGRADE',
  /** Upgrade to HTTP/2. */
  UPGRADE = 'UPGRADE',
}

/** HTTP connection limits. */
export interface HttpConnectionPool {
  /**
   * Maximum requests queued while waiting for a connection.
   * @default 2^32-1
   */
  readonly http1MaxPendingRequests?: number;
  /**
   * Maximum active requests to the destination.
   * @default 2^32-1
   */
  readonly http2MaxRequests?: number;
  /**
   * Maximum requests per connection; 1 disables keep-alive.
   * @default - unlimited
   */
  readonly maxRequestsPerConnection?: number;
  /**
   * Maximum outstanding retries to the destination.
   * @default 2^32-1
   */
  readonly maxRetries?: number;
  /**
   * Idle timeout of upstream connections.
   * @default 1h
   */
  readonly idleTimeout?: Duration;
  /**
   * Upgrade HTTP/1.1 to HTTP/2.
   * @default H2UpgradePolicy.DEFAULT
   */
  readonly h2UpgradePolicy?: H2UpgradePolicy;
  /**
   * Use the client's protocol (HTTP/1.1 or HTTP/2) upstream.
   * @default false
   */
  readonly useClientProtocol?: boolean;
  /**
   * Maximum concurrent streams per HTTP/2 connection.
   * @default 2^31-1
   */
  readonly maxConcurrentStreams?: number;
}

/** Connection pool limits (circuit breaking by volume). */
export interface ConnectionPool {
  /**
   * TCP limits (also apply to HTTP).
   * @default - Envoy's defaults
   */
  readonly tcp?: TcpConnectionPool;
  /**
   * HTTP limits.
   * @default - Envoy's defaults
   */
  readonly http?: HttpConnectionPool;
}

/** Outlier detection: eject endpoints that keep failing. */
export interface OutlierDetection {
  /**
   * Consecutive 5xx responses (and connect errors) before ejection; 0 disables.
   * @default 5
   */
  readonly consecutive5xxErrors?: number;
  /**
   * Consecutive 502/503/504 responses before ejection; 0 disables.
   * @default 0
   */
  readonly consecutiveGatewayErrors?: number;
  /**
   * Consecutive locally originated failures before ejection; requires `splitExternalLocalOriginErrors`.
   * @default 5
   */
  readonly consecutiveLocalOriginFailures?: number;
  /**
   * Count locally originated failures (timeouts, resets) apart from upstream errors.
   * @default false
   */
  readonly splitExternalLocalOriginErrors?: boolean;
  /**
   * Time between ejection sweeps.
   * @default 10s
   */
  readonly interval?: Duration;
  /**
   * Minimum ejection time; it grows with each ejection of the same endpoint.
   * @default 30s
   */
  readonly baseEjectionTime?: Duration;
  /**
   * Maximum share of endpoints that may be ejected (0..100).
   * @default 10
   */
  readonly maxEjectionPercent?: number;
  /**
   * Outlier detection is off while fewer than this share of endpoints is healthy (0..100).
   * @default 0
   */
  readonly minHealthPercent?: number;
}

/**
 * PROXY protocol versions.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy-ProxyProtocol
 */
export enum ProxyProtocolVersion {
  /** Human-readable version 1. */
  V1 = 'V1',
  /** Binary version 2. */
  V2 = 'V2',
}

/**
 * Tunnelling protocols.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy-TunnelSettings
 */
export enum TunnelProtocol {
  /** HTTP CONNECT. */
  CONNECT = 'CONNECT',
  /** HTTP POST. */
  POST = 'POST',
}

/** Tunnel TCP over HTTP to a proxy. */
export interface TunnelSettings {
  /** The host (FQDN or IP) of the tunnel endpoint. */
  readonly targetHost: string;
  /** The port of the tunnel endpoint. */
  readonly targetPort: number;
  /**
   * Tunnel protocol.
   * @default TunnelProtocol.CONNECT
   */
  readonly protocol?: TunnelProtocol;
}

/** A cap on retries as a share of active requests. */
export interface RetryBudget {
  /**
   * Share of active requests that may be retries.
   * @default 20%
   */
  readonly percent?: Percent;
  /**
   * Minimum concurrent retries allowed.
   * @default 3
   */
  readonly minRetryConcurrency?: number;
}

/** The parts of a traffic policy that can also be set per port. */
export interface PortTrafficPolicyOptions {
  /**
   * Load balancing.
   * @default - Istio's default (LEAST_REQUEST)
   */
  readonly loadBalancer?: LoadBalancer;
  /**
   * Connection pool limits.
   * @default - Envoy's defaults
   */
  readonly connectionPool?: ConnectionPool;
  /**
   * Outlier detection.
   * @default - none
   */
  readonly outlierDetection?: OutlierDetection;
  /**
   * Client TLS to the upstream.
   * @default - Istio auto mTLS
   */
  readonly tls?: ClientTls;
}

/** A traffic policy for one port of the host. */
export interface PortTrafficPolicy extends PortTrafficPolicyOptions {
  /** The port number. */
  readonly port: number;
}

/** A traffic policy. */
export interface TrafficPolicy extends PortTrafficPolicyOptions {
  /**
   * Overrides for individual ports.
   * @default - none
   */
  readonly portLevelSettings?: PortTrafficPolicy[];
  /**
   * Send the PROXY protocol header upstream. Not with `tunnel`.
   * @default - none
   */
  readonly proxyProtocol?: ProxyProtocolVersion;
  /**
   * Tunnel connections over HTTP.
   * @default - no tunnel
   */
  readonly tunnel?: TunnelSettings;
  /**
   * Retry budget.
   * @default - Envoy's default
   */
  readonly retryBudget?: RetryBudget;
}

/** @internal */
export function renderTrafficPolicy(tp: TrafficPolicy | undefined, kind: string, field: string): JsonMap | undefined {
  if (!tp) return undefined;
  return {
    ...renderPortOptions(tp, kind, field),
    portLevelSettings: tp.portLevelSettings?.map((p, i) => ({
      port: { number: p.port },
      ...renderPortOptions(p, kind, `${field}.portLevelSettings[${i}]`),
    })),
    proxyProtocol: tp.proxyProtocol && { version: tp.proxyProtocol },
    tunnel: tp.tunnel && { protocol: tp.tunnel.protocol, targetHost: tp.tunnel.targetHost, targetPort: tp.tunnel.targetPort },
    retryBudget: tp.retryBudget && { percent: tp.retryBudget.percent?.value, minRetryConcurrency: tp.retryBudget.minRetryConcurrency },
  };
}

function renderPortOptions(p: PortTrafficPolicyOptions, kind: string, field: string): JsonMap {
  const d = (v: Duration | undefined, f: string) => v && renderDuration(v, kind, `${field}.${f}`);
  const tcp = p.connectionPool?.tcp;
  const http = p.connectionPool?.http;
  const od = p.outlierDetection;
  return {
    loadBalancer: p.loadBalancer?._render(),
    connectionPool: p.connectionPool && {
      tcp: tcp && {
        maxConnections: tcp.maxConnections,
        connectTimeout: d(tcp.connectTimeout, 'connectionPool.tcp.connectTimeout'),
        tcpKeepalive: tcp.tcpKeepalive && {
          time: d(tcp.tcpKeepalive.time, 'connectionPool.tcp.tcpKeepalive.time'),
          interval: d(tcp.tcpKeepalive.interval, 'connectionPool.tcp.tcpKeepalive.interval'),
          probes: tcp.tcpKeepalive.probes,
        },
        maxConnectionDuration: d(tcp.maxConnectionDuration, 'connectionPool.tcp.maxConnectionDuration'),
        // 0s is the one duration Istio accepts below 1ms here: it disables the idle timeout.
        idleTimeout: tcp.idleTimeout && (tcp.idleTimeout.toMilliseconds({ integral: false }) === 0 ? '0s' : d(tcp.idleTimeout, 'connectionPool.tcp.idleTimeout')),
      },
      http: http && {
        http1MaxPendingRequests: http.http1MaxPendingRequests,
        http2MaxRequests: http.http2MaxRequests,
        maxRequestsPerConnection: http.maxRequestsPerConnection,
        maxRetries: http.maxRetries,
        idleTimeout: d(http.idleTimeout, 'connectionPool.http.idleTimeout'),
        h2UpgradePolicy: http.h2UpgradePolicy,
        useClientProtocol: http.useClientProtocol,
        maxConcurrentStreams: http.maxConcurrentStreams,
      },
    },
    outlierDetection: od && {
      // The generated binding spells this property `consecutive5XxErrors` and writes it back as
      // `consecutive5xxErrors`; under the YAML name it would be dropped without a word.
      consecutive5XxErrors: od.consecutive5xxErrors,
      consecutiveGatewayErrors: od.consecutiveGatewayErrors,
      consecutiveLocalOriginFailures: od.consecutiveLocalOriginFailures,
      splitExternalLocalOriginErrors: od.splitExternalLocalOriginErrors,
      interval: d(od.interval, 'outlierDetection.interval'),
      baseEjectionTime: d(od.baseEjectionTime, 'outlierDetection.baseEjectionTime'),
      maxEjectionPercent: od.maxEjectionPercent,
      minHealthPercent: od.minHealthPercent,
    },
    tls: p.tls?._render(),
  };
}
