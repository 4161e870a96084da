// Workload identities as AuthorizationPolicy matches them: SPIFFE-style principals
// `<trust domain>/ns/<namespace>/sa/<service account>`. Made from a ServiceAccount construct, the name and
// namespace cannot drift from the account the pods actually run as.
import { IConstruct } from 'constructs';
import { invalidValue } from '../core/errors';
import { apiObjectOf } from '../core/kube';

/** Options of `Principal.fromServiceAccount` and `Source.serviceAccount`. */
export interface PrincipalOptions {
  /**
   * The mesh trust domain (`meshConfig.trustDomain`).
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;
}

/** Options of `Principal.forServiceAccount`. */
export interface ServiceAccountPrincipalOptions extends PrincipalOptions {
  /** The namespace of the service account. */
  readonly namespace: string;
}

/**
 * A workload identity (mTLS peer principal), e.g. `cluster.local/ns/shop/sa/checkout`.
 *
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Source
 */
export class Principal {
  /**
   * The identity of a ServiceAccount: any construct whose default child is a ServiceAccount ApiObject
   * (cdk8s-plus-28 ... -33 `ServiceAccount`, or a raw `KubeServiceAccount`). Name and namespace are read at
   * synth; the account (or its chart) must have a namespace.
   */
  public static fromServiceAccount(serviceAccount: IConstruct, options: PrincipalOptions = {}): Principal {
    const obj = apiObjectOf(serviceAccount, 'ServiceAccount');
    const trustDomain = checkedTrustDomain(options.trustDomain);
    return new Principal(() => {
      const ns = obj.metadata.namespace;
      if (!ns) {
        throw new Error(`[${serviceAccount.node.path}] Principal.fromServiceAccount: the ServiceAccount "${obj.name}" has no namespace, so its identity is unknown (set metadata.namespace on it or a namespace on its chart)`);
      }
      return `${trustDomain}/ns/${ns}/sa/${obj.name}`;
    });
  }

  /**
   * The identity of a service account defined outside this program, by name:
   * `Principal.forServiceAccount('checkout', { namespace: 'shop' })`.
   */
  public static forServiceAccount(name: string, options: ServiceAccountPrincipalOptions): Principal {
    const namespace = options.namespace;
    if (!namespace || !name) {
      throw invalidValue({ kind: 'Principal', problem: 'a service account identity needs a namespace and a name', got: `${namespace}/${name}` });
    }
    const value = `${checkedTrustDomain(options.trustDomain)}/ns/${namespace}/sa/${name}`;
    return new Principal(() => value);
  }

  /** A principal as written, e.g. `cluster.local/ns/shop/*` (prefix and suffix `*` match). */
  public static of(value: string): Principal {
    if (!value) throw invalidValue({ kind: 'Principal', problem: 'a principal must not be empty', got: value });
    return new Principal(() => value);
  }

  private constructor(private readonly produce: () => string) {}

  /** The principal string; for a ServiceAccount construct, resolve it at synth time. */
  public get value(): string {
    return this.produce();
  }
}

function checkedTrustDomain(td: string | undefined): string {
  const value = td ?? 'cluster.local';
  if (!value || value.includes('/') || value.includes('*')) {
    throw invalidValue({ kind: 'PrincipalOptions', field: 'trustDomain', problem: 'a trust domain is a DNS-like name without "/" or "*"', got: value, allowed: 'e.g. cluster.local' });
  }
  return value;
}
