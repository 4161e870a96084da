// ZeroTrustNamespace: a namespace where nothing is reachable unless allowed by name. STRICT mTLS (no plaintext),
// an allow-nothing policy (no request is allowed by default), then one least-privilege ALLOW policy per
// `allowFrom()` call, and optionally a JWT that requests must carry. In ambient mode ztunnel enforces the L4
// rules and a waypoint the L7 ones, so each rule is bound where it can be enforced.
import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { constructError } from '../core/errors';
import { apiObjectOf } from '../core/kube';
import { WorkloadSelector } from '../core/selector';
import { l7AttributesOfRule } from '../core/ztunnel';
import { IWaypoint, Waypoint } from '../gateway-api/waypoint';
import { AuthorizationPolicy, Operation, Source } from '../security/authorization-policy';
import { MtlsMode, PeerAuthentication } from '../security/peer-authentication';
import { Principal } from '../security/principal';
import { JwtRule, RequestAuthentication } from '../security/request-authentication';
import { PolicyTargetRef } from '../security/target-ref';

/** Ambient mode of a `ZeroTrustNamespace`. */
export interface ZeroTrustAmbientOptions {
  /**
   * The waypoint that enforces the namespace's L7 rules and JWTs, in the namespace itself.
   * @default - a `Waypoint` named `waypoint`, created in the namespace
   */
  readonly waypoint?: IWaypoint;
}

/** Properties of a `ZeroTrustNamespace`. */
export interface ZeroTrustNamespaceProps {
  /**
   * The namespace to lock down.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Run the namespace in ambient mode: L4 rules on workloads are enforced by ztunnel (bound by `selector`),
   * rules on Services and every L7 rule (methods, paths, hosts, request principals, request conditions) by
   * the waypoint (bound by `targetRefs`). The waypoint denies by default too, and ztunnel admits the
   * waypoint's own identity, which is what it sees for traffic the waypoint forwards. The namespace must
   * be ambient and use the waypoint (`IstioNamespace.useWaypoint(zt.waypoint)`).
   * @default - sidecar mode: every policy selects workloads
   * @see https://istio.io/latest/docs/ambient/usage/l7-features/
   */
  readonly ambient?: ZeroTrustAmbientOptions;
}

/** Options of `ZeroTrustNamespace.requireJwt()`. */
export interface ZeroTrustJwtOptions {
  /** The accepted issuers and their keys. */
  readonly jwtRules: JwtRule[];
  /**
   * The workloads that validate the token (for ingress: the gateway's pods in this namespace). Not in
   * ambient mode, where the waypoint validates it.
   * @default - every workload of the namespace; in ambient mode, the waypoint
   */
  readonly selector?: WorkloadSelector;
  /**
   * Only these operations need a token (e.g. `[Operation.paths('/api/*')]`).
   * @default - every request needs a token
   */
  readonly to?: Operation[];
}

/**
 * A namespace where every workload refuses plaintext, nothing is allowed by default, and each allowed call is
 * written as one least-privilege AuthorizationPolicy.
 *
 * @example
 * declare const chart: Chart;
 * declare const frontend: kplus.ServiceAccount;
 * declare const api: kplus.Deployment;
 * const zt = new ZeroTrustNamespace(chart, 'zero-trust');   // the chart's namespace
 * zt.allowFrom(Source.serviceAccount(frontend), api, Operation.methods('GET'));
 * @see https://istio.io/latest/docs/ambient/usage/l4-policy/
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 * @see https://istio.io/latest/docs/reference/config/security/request_authentication/
 */
export class ZeroTrustNamespace extends Construct {
  /** The STRICT mTLS PeerAuthentication of the namespace. */
  public readonly peerAuthentication: PeerAuthentication;
  /** The allow-nothing AuthorizationPolicy of the namespace (in ambient mode: enforced by ztunnel). */
  public readonly allowNothing: AuthorizationPolicy;
  /**
   * In ambient mode, the waypoint that enforces L7 rules.
   * @default - none (sidecar mode)
   */
  public readonly waypoint?: IWaypoint;
  private readonly namespace?: string;
  private allowed = 0;

  public constructor(scope: Construct, id: string, props: ZeroTrustNamespaceProps = {}) {
    super(scope, id);
    this.namespace = props.namespace;
    const metadata = this.namespace ? { namespace: this.namespace } : undefined;
    this.peerAuthentication = new PeerAuthentication(this, 'StrictMtls', {
      metadata: { name: 'default', ...metadata },
      mtls: MtlsMode.STRICT,
    });
    this.allowNothing = AuthorizationPolicy.allowNothing(this, 'AllowNothing', { metadata });
    if (props.ambient) {
      const namespace = this.namespace ?? Chart.of(this).namespace;
      const waypoint = props.ambient.waypoint ?? new Waypoint(this, 'Waypoint', { metadata: { name: 'waypoint', ...metadata } });
      if (namespace === undefined || (waypoint.namespace !== undefined && waypoint.namespace !== namespace)) {
        throw constructError(this, {
          kind: 'ZeroTrustNamespace',
          field: 'ambient.waypoint',
          problem: 'the waypoint must be in the namespace, whose policies target it and whose ztunnel admits its identity',
          got: `waypoint in namespace ${waypoint.namespace ?? '(none)'}, ZeroTrustNamespace in ${namespace ?? '(none)'}`,
          allowed: 'a waypoint of this namespace, and a namespace on the pattern or its chart',
        });
      }
      this.waypoint = waypoint;
      const targetRefs = [PolicyTargetRef.gateway(waypoint.name)];
      // Namespace-wide policies do not apply to a waypoint: it denies by default only with its own.
      AuthorizationPolicy.allowNothing(this, 'WaypointAllowNothing', { metadata: { name: `${waypoint.name}-allow-nothing`, ...metadata }, targetRefs });
      // Behind a waypoint, ztunnel sees the waypoint's identity (its service account is the Gateway's name).
      new AuthorizationPolicy(this, 'AllowWaypoint', {
        metadata: { name: `allow-from-${waypoint.name}`, ...metadata },
        rules: [{ from: [Source.principals(Principal.forServiceAccount(waypoint.name, { namespace }))] }],
      });
    }
  }

  /**
   * Let `source` call the workload with the given operations, and nothing else. At least one operation is
   * required: "anything from this caller" is not least privilege.
   *
   * `target` is a workload (a Deployment or other workload construct: the policy selects its pods) or, in
   * ambient mode, a Service (the policy targets it, and the waypoint the Service uses enforces it). In ambient
   * mode an L7 rule (methods, paths, hosts, request principals) needs a Service: ztunnel, which enforces
   * policies that select workloads, cannot read HTTP.
   */
  public allowFrom(source: Source, target: IConstruct, ...operations: Operation[]): AuthorizationPolicy {
    if (this.waypoint && apiObjectOf(target).kind === 'Service') {
      return this.allow(source, { targetRefs: [PolicyTargetRef.fromResource(target)] }, operations, target);
    }
    return this.allow(source, { selector: WorkloadSelector.fromWorkload(target) }, operations, target);
  }

  /** Like `allowFrom`, for workloads selected by labels (pods deployed by another program). */
  public allowFromToLabels(source: Source, selector: WorkloadSelector, ...operations: Operation[]): AuthorizationPolicy {
    return this.allow(source, { selector }, operations);
  }

  /**
   * Require a valid JWT: a RequestAuthentication for the selected workloads and the DENY policy that rejects
   * requests without one (a RequestAuthentication alone lets token-less requests through).
   */
  public requireJwt(options: ZeroTrustJwtOptions): RequestAuthentication {
    if (this.waypoint && options.selector) {
      throw constructError(this, {
        kind: 'ZeroTrustNamespace',
        field: 'requireJwt.selector',
        problem: 'in ambient mode the waypoint validates tokens; ztunnel, which enforces selector-bound policies, cannot',
        got: options.selector.matchLabels,
        allowed: 'omit selector',
      });
    }
    const ra = new RequestAuthentication(this, 'Jwt', {
      metadata: this.namespace ? { namespace: this.namespace } : undefined,
      selector: options.selector,
      targetRefs: this.waypoint ? [PolicyTargetRef.gateway(this.waypoint.name)] : undefined,
      jwtRules: options.jwtRules,
    });
    ra.requireJwt({ to: options.to });
    return ra;
  }

  private allow(
    source: Source, scope: { selector?: WorkloadSelector; targetRefs?: PolicyTargetRef[] }, operations: Operation[], target?: IConstruct,
  ): AuthorizationPolicy {
    if (operations.length === 0) {
      throw constructError(this, {
        kind: 'ZeroTrustNamespace',
        field: 'allowFrom',
        problem: 'name the operations to allow; allowing everything from a caller is not least privilege',
        got: [],
        allowed: 'e.g. allowFrom(source, workload, Operation.methods("GET"))',
      });
    }
    if (this.waypoint && scope.selector) {
      // Field names only: values such as a ServiceAccount's namespace may be known only at synth.
      const l7 = l7AttributesOfRule({
        from: [{ source: Object.fromEntries(source._fieldNames().map(k => [k, ['*']])) }],
        to: operations.map(o => ({ operation: Object.fromEntries(o._fieldNames().map(k => [k, ['*']])) })),
      });
      if (l7.length > 0) {
        throw constructError(this, {
          kind: 'ZeroTrustNamespace',
          field: 'allowFrom',
          problem: `in ambient mode an L7 rule is enforced by the waypoint, which a policy reaches through a Service; ztunnel, which enforces policies that select ${target ? `the pods of ${target.node.path}` : 'workloads by labels'}, cannot read ${l7.map(a => a.name).join(', ')}`,
          got: l7.map(a => a.name),
          allowed: 'pass the Service in front of the workload, or only ports and sources (principals, namespaces, ipBlocks)',
        });
      }
    }
    this.allowed++;
    return new AuthorizationPolicy(this, `Allow${this.allowed}`, {
      metadata: this.namespace ? { namespace: this.namespace } : undefined,
      ...scope,
      rules: [{ from: [source], to: operations }],
    });
  }
}
