// The questions the mesh model answers and the shape of its answers: plain structs, so that every jsii
// language reads them the same way. Names follow Istio's own simulation (pilot/pkg/simulation in istio/istio).

/**
 * The protocol a request is sent with.
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
 */
export enum RequestProtocol {
  /** HTTP/1.1. */
  HTTP = 'http',
  /** HTTP/2 (prior knowledge or ALPN). */
  HTTP2 = 'http2',
  /** gRPC (HTTP/2 with gRPC framing; routed as HTTP). */
  GRPC = 'grpc',
  /** Opaque TCP. */
  TCP = 'tcp',
  /** TLS originated by the application (routed on SNI unless a gateway terminates it). */
  TLS = 'tls',
}

/**
 * A request as the proxy that routes it sees it: the calling sidecar's outbound side, or a gateway.
 */
export interface MeshRequest {
  /**
   * The host the client calls: the `Host`/`:authority` header for HTTP, the destination host for TCP and TLS.
   * A short name (`reviews`) or `name.namespace` is resolved in the caller's namespace, as Kubernetes DNS does.
   */
  readonly host: string;
  /**
   * The destination port.
   * @default - the port of the URL; else, through a sidecar, the destination Service's port when it has exactly
   * one (80 otherwise); through a gateway 80 (443 when `tls` is set)
   */
  readonly port?: number;
  /**
   * The protocol.
   * @default RequestProtocol.HTTP
   */
  readonly protocol?: RequestProtocol;
  /**
   * Whether the client sends TLS (an `https://` URL). Only gateways terminate it; through a sidecar a TLS request
   * is routed on its SNI.
   * @default - true for RequestProtocol.TLS, else false
   */
  readonly tls?: boolean;
  /**
   * The TLS server name.
   * @default - the host, when the request is TLS
   */
  readonly sni?: string;
  /**
   * The HTTP path, optionally with a query string (`/api?x=1`).
   * @default '/'
   */
  readonly path?: string;
  /**
   * The HTTP method.
   * @default 'GET'
   */
  readonly method?: string;
  /**
   * HTTP headers (names are case-insensitive).
   * @default - none
   */
  readonly headers?: { [name: string]: string };
  /**
   * Query parameters, in addition to those in `path`.
   * @default - those of `path`
   */
  readonly query?: { [name: string]: string };
  /**
   * The calling workload, `namespace/name` of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod
   * of the input. Its labels decide `sourceLabels` matches and the Sidecar resource in force.
   * @default - a sidecar without labels in `fromNamespace`
   */
  readonly fromWorkload?: string;
  /**
   * The namespace of the calling sidecar, when `fromWorkload` is not given.
   * @default - the model's default namespace
   */
  readonly fromNamespace?: string;
  /**
   * The gateway (`namespace/name`) whose proxy receives the request, instead of a sidecar: an Istio Gateway (the
   * proxy is the one its selector picks; every Gateway selecting that proxy is in force), or a Gateway API Gateway
   * of an Istio class (its listeners and the routes attached to them, as istiod translates them).
   * @default - the request is seen by a sidecar
   * @see https://gateway-api.sigs.k8s.io/reference/spec/#gateway
   */
  readonly gateway?: string;
  /**
   * The labels of the gateway proxy that receives the request (instead of naming a Gateway resource).
   * @default - the request is seen by a sidecar, or by the proxy of `gateway`
   */
  readonly gatewayLabels?: { [key: string]: string };
}

/** The resource (and rule) an answer comes from. */
export interface DecidedBy {
  /** The kind, e.g. `VirtualService`. */
  readonly kind: string;
  /** The namespace. */
  readonly namespace: string;
  /** The name. */
  readonly name: string;
  /**
   * The field of the deciding rule, e.g. `spec.http[1]`.
   * @default - the resource as a whole
   */
  readonly field?: string;
  /**
   * The index of the deciding rule in its list.
   * @default - the resource as a whole
   */
  readonly ruleIndex?: number;
  /**
   * The rule's name, where it has one.
   * @default - unnamed
   */
  readonly ruleName?: string;
}

/** The destination policy (DestinationRule traffic policy, or Istio's default) in force for a cluster. */
export interface DestinationPolicy {
  /** The load balancer, e.g. `ROUND_ROBIN`, `LEAST_REQUEST`, `consistentHash(httpHeaderName=x-user)`. */
  readonly loadBalancer: string;
  /**
   * The connection pool settings as JSON, as written in the DestinationRule.
   * @default - Envoy's defaults
   */
  readonly connectionPool?: string;
  /**
   * The outlier detection settings as JSON, as written in the DestinationRule.
   * @default - no outlier detection
   */
  readonly outlierDetection?: string;
  /**
   * The TLS the client originates: `ISTIO_MUTUAL`, `MUTUAL`, `SIMPLE` or `DISABLE`.
   */
  readonly tlsMode: string;
  /** Whether the TLS mode was chosen by auto mTLS rather than written in a DestinationRule. */
  readonly autoMtls: boolean;
  /**
   * The DestinationRule the policy comes from.
   * @default - none applies: Istio's defaults
   */
  readonly decidedBy?: DecidedBy;
}

/** One upstream cluster of a route. */
export interface RouteCluster {
  /** The Envoy cluster, e.g. `outbound|9080|v2|reviews.default.svc.cluster.local`. */
  readonly cluster: string;
  /** The destination host (FQDN). */
  readonly host: string;
  /**
   * The subset.
   * @default - no subset
   */
  readonly subset?: string;
  /** The destination port. */
  readonly port: number;
  /** The weight as written (100 for a single destination). */
  readonly weight: number;
  /** The percentage of requests the cluster gets (weights normalized to 100). */
  readonly share: number;
  /** The destination policy in force. */
  readonly policy: DestinationPolicy;
}

/** Retries a route applies. */
export interface RetriesApplied {
  /** Attempts. */
  readonly attempts: number;
  /**
   * Timeout per try.
   * @default - the route timeout
   */
  readonly perTryTimeout?: string;
  /**
   * Conditions to retry on.
   * @default - Istio's default conditions
   */
  readonly retryOn?: string;
}

/** A fault a route injects. */
export interface FaultApplied {
  /**
   * The delay.
   * @default - none
   */
  readonly delay?: string;
  /**
   * The percentage of requests delayed.
   * @default - none
   */
  readonly delayPercent?: number;
  /**
   * The HTTP status of aborted requests.
   * @default - none
   */
  readonly abortStatus?: number;
  /**
   * The percentage of requests aborted.
   * @default - none
   */
  readonly abortPercent?: number;
}

/** A mirror a route sends copies to. */
export interface MirrorApplied {
  /** The cluster the copy goes to. */
  readonly cluster: string;
  /** The percentage of requests mirrored. */
  readonly percent: number;
}

/** Header changes a route applies. */
export interface HeaderChanges {
  /** Headers set (overwritten). */
  readonly set: { [name: string]: string };
  /** Headers appended. */
  readonly add: { [name: string]: string };
  /** Headers removed. */
  readonly remove: string[];
}

/** A redirect a route answers with. */
export interface RedirectApplied {
  /** The status code. */
  readonly code: number;
  /** The location the client is sent to (`scheme://authority:port/path`, parts not rewritten left as requested). */
  readonly location: string;
}

/** A direct response a route answers with. */
export interface DirectResponseApplied {
  /** The status code. */
  readonly status: number;
  /**
   * The body.
   * @default - empty
   */
  readonly body?: string;
}

/** A rewrite a route applies before forwarding. */
export interface RewriteApplied {
  /**
   * The new path (prefix replaced, or the regex rewrite's result).
   * @default - unchanged
   */
  readonly path?: string;
  /**
   * The new authority.
   * @default - unchanged
   */
  readonly authority?: string;
}

/** The answer to `MeshModel.route()`. */
export interface RouteAnswer {
  /** Who routes the request: `sidecar <ns>[/<workload>]` or `gateway <labels>`. */
  readonly proxy: string;
  /**
   * The listener, e.g. `0.0.0.0_9080`.
   * @default - no listener matched
   */
  readonly listener?: string;
  /**
   * The HTTP route configuration, e.g. `9080` or `http.8080`.
   * @default - not HTTP
   */
  readonly routeConfig?: string;
  /**
   * The virtual host, e.g. `reviews.default.svc.cluster.local:9080`.
   * @default - not HTTP, or none matched
   */
  readonly virtualHost?: string;
  /**
   * The route name: the rule's `name` (`<rule>.<match>` for a named match), `default` when no VirtualService
   * applies.
   * @default - no route matched, or not HTTP
   */
  readonly route?: string;
  /** The clusters the request is sent to (empty on errors, redirects and direct responses). */
  readonly clusters: RouteCluster[];
  /**
   * Istio's simulation error: `no listener matched`, `no filter chains matched`, `no virtual host matched`,
   * `tls required, sending 301`, `no route matched`, `protocol error`.
   * @default - routed
   */
  readonly error?: string;
  /**
   * The resource and rule that decided the answer.
   * @default - Istio's defaults decided (no VirtualService applies)
   */
  readonly decidedBy?: DecidedBy;
  /**
   * The VirtualService that delegated to the deciding one.
   * @default - no delegation
   */
  readonly delegatedBy?: DecidedBy;
  /** One sentence: what happens and why. */
  readonly explanation: string;
  /** Facts worth knowing about the answer (a missing subset, a host outside the registry...). */
  readonly notes: string[];
  /**
   * The route timeout.
   * @default - none (Istio disables Envoy's route timeout)
   */
  readonly timeout?: string;
  /**
   * Retries.
   * @default - Istio's default retry policy
   */
  readonly retries?: RetriesApplied;
  /**
   * The fault injected.
   * @default - none
   */
  readonly fault?: FaultApplied;
  /** The mirrors. */
  readonly mirrors: MirrorApplied[];
  /**
   * A rewrite.
   * @default - none
   */
  readonly rewrite?: RewriteApplied;
  /**
   * A redirect.
   * @default - none
   */
  readonly redirect?: RedirectApplied;
  /**
   * A direct response.
   * @default - none
   */
  readonly directResponse?: DirectResponseApplied;
  /**
   * Request header changes.
   * @default - none
   */
  readonly requestHeaders?: HeaderChanges;
  /**
   * Response header changes.
   * @default - none
   */
  readonly responseHeaders?: HeaderChanges;
}

/** Who calls, as Istio's authorization sees it. */
export interface Caller {
  /**
   * The peer principal (from mTLS), e.g. `cluster.local/ns/shop/sa/frontend`.
   * @default - none (plaintext, or unknown service account of `namespace`)
   */
  readonly principal?: string;
  /**
   * The peer namespace.
   * @default - the namespace of `principal`
   */
  readonly namespace?: string;
  /**
   * The source IP (also used as the remote IP).
   * @default - unknown: ipBlocks do not match
   */
  readonly ip?: string;
  /**
   * The request principal (`<iss>/<sub>` of a JWT the workload's RequestAuthentication accepted).
   * @default - no JWT
   */
  readonly requestPrincipal?: string;
  /**
   * JWT claims (a list claim as its values joined with `,`).
   * @default - none
   */
  readonly claims?: { [name: string]: string };
}

/** A request to authorize. */
export interface AuthorizationRequest {
  /** The caller. */
  readonly caller: Caller;
  /** The called workload, `namespace/name` (a Deployment, Pod or other workload of the input). */
  readonly workload: string;
  /**
   * The port the workload receives on (its container port).
   * @default - the target port of the workload's Service when it has one port, else 80
   */
  readonly port?: number;
  /**
   * The protocol (TCP requests carry no HTTP attributes).
   * @default RequestProtocol.HTTP
   */
  readonly protocol?: RequestProtocol;
  /**
   * The method.
   * @default 'GET'
   */
  readonly method?: string;
  /**
   * The path.
   * @default '/'
   */
  readonly path?: string;
  /**
   * The Host header.
   * @default - the workload's Service host
   */
  readonly host?: string;
  /**
   * HTTP headers.
   * @default - none
   */
  readonly headers?: { [name: string]: string };
  /**
   * The TLS server name of the connection.
   * @default - none
   */
  readonly sni?: string;
}

/** What authorization decided. */
export enum AuthorizationDecision {
  /** The request is let through. */
  ALLOW = 'ALLOW',
  /** The request is denied (403, or 401 for a rejected JWT). */
  DENY = 'DENY',
  /** A CUSTOM policy matched: the external authorizer decides. */
  CUSTOM = 'CUSTOM',
}

/** A policy that matched but is not enforced (`istio.io/dry-run: "true"`). */
export interface DryRunMatch {
  /** The policy's action. */
  readonly action: string;
  /** The policy and rule. */
  readonly policy: DecidedBy;
}

/** The answer to `MeshModel.authorize()`. */
export interface AuthorizationAnswer {
  /** The decision. */
  readonly decision: AuthorizationDecision;
  /**
   * Where the decision is enforced: `sidecar`, `ztunnel` (ambient, L4 only) or `waypoint <ns>/<name>` (ambient, L7).
   * @see https://istio.io/latest/docs/ambient/usage/l4-policy/
   */
  readonly layer: string;
  /**
   * The deciding policy and rule.
   * @default - no policy decided (no ALLOW policy applies, so everything is allowed)
   */
  readonly policy?: DecidedBy;
  /** One sentence: why. */
  readonly explanation: string;
  /** Dry-run policies that matched, reported but not enforced. */
  readonly dryRun: DryRunMatch[];
  /** The policies that apply to the workload, in evaluation order. */
  readonly applicable: DecidedBy[];
  /** Facts worth knowing (fields ignored on TCP, an unvalidated JWT...). */
  readonly notes: string[];
}

/** The answer to `MeshModel.mtls()`. */
export interface MtlsAnswer {
  /** The server's mode on the port: `STRICT`, `PERMISSIVE` or `DISABLE`. */
  readonly serverMode: string;
  /**
   * The PeerAuthentication that decided the server's mode.
   * @default - none applies: PERMISSIVE
   */
  readonly serverPolicy?: DecidedBy;
  /** Whether the server has a proxy (sidecar or ambient) that terminates Istio mTLS. */
  readonly serverInMesh: boolean;
  /** The TLS the client sends: `ISTIO_MUTUAL`, `MUTUAL`, `SIMPLE` or `DISABLE`. */
  readonly clientMode: string;
  /** Whether the client's TLS was chosen by auto mTLS. */
  readonly autoMtls: boolean;
  /**
   * The DestinationRule that decided the client's TLS.
   * @default - auto mTLS
   */
  readonly clientPolicy?: DecidedBy;
  /** Whether the connection succeeds. */
  readonly canConnect: boolean;
  /** Whether the connection is Istio mutual TLS (peer identities are known to authorization). */
  readonly mutualTls: boolean;
  /** One sentence: why. */
  readonly explanation: string;
}
