// What a security policy attaches to instead of a workload selector: a Service, a ServiceEntry, or a
// Kubernetes Gateway API Gateway/GatewayClass (the only kinds istiod accepts). Typed factories make the
// group/kind pair right by construction; the reference is always in the policy's own namespace, because
// Istio does not support cross-namespace targets.
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { JsonMap } from '../core/json';
import { apiObjectOf } from '../core/kube';

const GATEWAY_API = 'gateway.networking.k8s.io';

/**
 * A `targetRefs` entry of an AuthorizationPolicy, RequestAuthentication or Telemetry. A `Waypoint` is a Gateway
 * API Gateway: `PolicyTargetRef.fromResource(waypoint)`.
 *
 * @see https://istio.io/latest/docs/reference/config/type/workload-selector/#PolicyTargetReference
 */
export class PolicyTargetRef {
  /** A Kubernetes Service by name (`group: ""`, `kind: Service`). */
  public static service(name: string): PolicyTargetRef {
    return new PolicyTargetRef('', 'Service', () => name);
  }

  /** An Istio ServiceEntry by name. */
  public static serviceEntry(name: string): PolicyTargetRef {
    return new PolicyTargetRef('networking.istio.io', 'ServiceEntry', () => name);
  }

  /** A Kubernetes Gateway API `Gateway` by name (waypoints and Gateway API ingress). */
  public static gateway(name: string): PolicyTargetRef {
    return new PolicyTargetRef(GATEWAY_API, 'Gateway', () => name);
  }

  /** A Kubernetes Gateway API `GatewayClass` by name (applies to every Gateway of the class). */
  public static gatewayClass(name: string): PolicyTargetRef {
    return new PolicyTargetRef(GATEWAY_API, 'GatewayClass', () => name);
  }

  /**
   * The object behind a construct: a Service (cdk8s-plus or raw), a ServiceEntry, a Gateway API Gateway or
   * GatewayClass. Its namespace must be the policy's (checked at synth).
   */
  public static fromResource(resource: IConstruct): PolicyTargetRef {
    const obj = apiObjectOf(resource);
    const group = obj.apiGroup === 'core' ? '' : obj.apiGroup;
    const allowed = ALLOWED.some(([g, k]) => g === group && k === obj.kind);
    if (!allowed) {
      throw new Error(`[${resource.node.path}] PolicyTargetRef.fromResource: a policy can target a Service, ServiceEntry, Gateway API Gateway or GatewayClass (got ${obj.kind} of group "${group}")`);
    }
    return new PolicyTargetRef(group, obj.kind, () => obj.name, obj, resource);
  }

  private constructor(
    /** @internal */ public readonly _group: string,
    /** @internal */ public readonly _kind: string,
    private readonly name: () => string,
    private readonly target?: ApiObject,
    private readonly construct?: IConstruct,
  ) {}

  /** @internal */
  public _render(): JsonMap {
    return { group: this._group, kind: this._kind, name: this.name() };
  }

  /**
   * A target in another namespace than the policy's: the manifest cannot show it (targetRefs carry no
   * namespace), so the construct reports it.
   * @internal
   */
  public _crossNamespace(policyNamespace: string | undefined): string | undefined {
    if (!this.target) return undefined;
    const ns = this.target.metadata.namespace;
    if (ns === policyNamespace) return undefined;
    return `${this.construct!.node.path} is in namespace ${ns ?? '(none)'}`;
  }
}

const ALLOWED: Array<[string, string]> = [['', 'Service'], ['networking.istio.io', 'ServiceEntry'], [GATEWAY_API, 'Gateway'], [GATEWAY_API, 'GatewayClass']];
