// The protocols Istio listeners and service ports declare (Gateway, Sidecar, ServiceEntry).

/**
 * A port protocol as Istio names it.
 *
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
 */
export enum Protocol {
  /** HTTP/1.1 (and HTTP/2 prior knowledge on the same port when the client speaks it). */
  HTTP = 'HTTP',
  /** HTTP over TLS terminated by the proxy. */
  HTTPS = 'HTTPS',
  /** HTTP/2. */
  HTTP2 = 'HTTP2',
  /** gRPC. */
  GRPC = 'GRPC',
  /** gRPC-Web. */
  GRPC_WEB = 'GRPC-WEB',
  /** HTTP proxy (CONNECT). */
  HTTP_PROXY = 'HTTP_PROXY',
  /** Opaque TCP. */
  TCP = 'TCP',
  /** TLS, routed by SNI; passed through or terminated according to the server's TLS mode. */
  TLS = 'TLS',
  /** MongoDB wire protocol. */
  MONGO = 'MONGO',
  /** Redis. */
  REDIS = 'REDIS',
  /** MySQL. */
  MYSQL = 'MYSQL',
  /** UDP (ServiceEntry only; proxies do not route it). */
  UDP = 'UDP',
}
