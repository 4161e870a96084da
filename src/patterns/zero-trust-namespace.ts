// ZeroTrustNamespace: a namespace where nothing is reachable unless allowed by name. STRICT mTLS (no plaintext),
// an allow-nothing policy (no request is allowed by default), then one least-privilege ALLOW policy per
// `allowFrom()` call, and optionally a JWT that requests must carry.
import { Construct, IConstruct } from 'constructs';
import { constructError } from '../core/errors';
import { WorkloadSelector } from '../core/selector';
import { AuthorizationPolicy, Operation, Source } from '../security/authorization-policy';
import { MtlsMode, PeerAuthentication } from '../security/peer-authentication';
import { JwtRule, RequestAuthentication } from '../security/request-authentication';

/** Properties of a `ZeroTrustNamespace`. */
export interface ZeroTrustNamespaceProps {
  /**
   * The namespace to lock down.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
}

/** Options of `ZeroTrustNamespace.requireJwt()`. */
export interface ZeroTrustJwtOptions {
  /** The accepted issuers and their keys. */
  readonly jwtRules: JwtRule[];
  /**
   * The workloads that validate the token (for ingress: the gateway's pods in this namespace).
   * @default - every workload of the namespace
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
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 * @see https://istio.io/latest/docs/reference/config/security/request_authentication/
 */
export class ZeroTrustNamespace extends Construct {
  /** The STRICT mTLS PeerAuthentication of the namespace. */
  public readonly peerAuthentication: PeerAuthentication;
  /** The allow-nothing AuthorizationPolicy of the namespace. */
  public readonly allowNothing: AuthorizationPolicy;
  private readonly namespace?: string;
  private allowed = 0;

  public constructor(scope: Construct, id: string, props: ZeroTrustNamespaceProps = {}) {
    super(scope, id);
    this.namespace = props.namespace;
    this.peerAuthentication = new PeerAuthentication(this, 'StrictMtls', {
      metadata: { name: 'default', ...(props.namespace ? { namespace: props.namespace } : {}) },
      mtls: MtlsMode.STRICT,
    });
    this.allowNothing = AuthorizationPolicy.allowNothing(this, 'AllowNothing', { metadata: this.namespace ? { namespace: this.namespace } : undefined });
  }

  /**
   * Let `source` call the workload (a Deployment or other workload construct, or its pods by labels) with the
   * given operations, and nothing else. At least one operation is required: "anything from this caller" is
   * not least privilege.
   */
  public allowFrom(source: Source, workload: IConstruct, ...operations: Operation[]): AuthorizationPolicy {
    return this.allow(source, WorkloadSelector.fromWorkload(workload), operations);
  }

  /** Like `allowFrom`, for workloads selected by labels (pods deployed by another program). */
  public allowFromToLabels(source: Source, selector: WorkloadSelector, ...operations: Operation[]): AuthorizationPolicy {
    return this.allow(source, selector, operations);
  }

  /**
   * Require a valid JWT: a RequestAuthentication for the selected workloads and the DENY policy that rejects
   * requests without one (a RequestAuthentication alone lets token-less requests through).
   */
  public requireJwt(options: ZeroTrustJwtOptions): RequestAuthentication {
    const ra = new RequestAuthentication(this, 'Jwt', {
      metadata: this.namespace ? { namespace: this.namespace } : undefined,
      selector: options.selector,
      jwtRules: options.jwtRules,
    });
    ra.requireJwt({ to: options.to });
    return ra;
  }

  private allow(source: Source, selector: WorkloadSelector, operations: Operation[]): AuthorizationPolicy {
    if (operations.length === 0) {
      throw constructError(this, {
        kind: 'ZeroTrustNamespace',
        field: 'allowFrom',
        problem: 'name the operations to allow; allowing everything from a caller is not least privilege',
        got: [],
        allowed: 'e.g. allowFrom(source, workload, Operation.methods("GET"))',
      });
    }
    this.allowed++;
    return new AuthorizationPolicy(this, `Allow${this.allowed}`, {
      metadata: this.namespace ? { namespace: this.namespace } : undefined,
      selector,
      rules: [{ from: [source], to: operations }],
    });
  }
}
