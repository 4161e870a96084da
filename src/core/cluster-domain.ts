// The cluster DNS domain (`cluster.local` unless the cluster was set up otherwise): the one place that knows
// it. Short Service names are qualified as `<name>.<namespace>.svc.<cluster domain>` when a resource in
// another namespace refers to them; like the API version, it is one switch for the whole app.
import { IConstruct } from 'constructs';

/**
 * Reads and sets the cluster DNS domain used to qualify Service hosts across namespaces.
 */
export class ClusterDomain {
  /** The context key that sets the cluster domain, e.g. `"corp.local"`. */
  public static readonly CONTEXT_KEY = 'cdk8s-istio:clusterDomain';

  /** Kubernetes' default cluster domain. */
  public static readonly DEFAULT = 'cluster.local';

  /**
   * Set the cluster domain for everything under `scope` (usually the App). Call it before adding charts,
   * because construct context cannot change once a scope has children.
   */
  public static use(scope: IConstruct, domain: string): void {
    if (scope.node.children.length > 0) {
      throw new Error(`[${scope.node.path}] ClusterDomain.use: call it before adding charts or constructs to this scope (got a scope with ${scope.node.children.length} children)`);
    }
    ClusterDomain.check(scope, domain);
    scope.node.setContext(ClusterDomain.CONTEXT_KEY, domain);
  }

  /** The cluster domain in force for `scope`. */
  public static of(scope: IConstruct): string {
    const value = scope.node.tryGetContext(ClusterDomain.CONTEXT_KEY);
    if (value === undefined) return ClusterDomain.DEFAULT;
    ClusterDomain.check(scope, value);
    return value;
  }

  private static check(scope: IConstruct, value: unknown): void {
    if (typeof value !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value)) {
      throw new Error(`[${scope.node.path}] context ${ClusterDomain.CONTEXT_KEY}: a cluster domain is a lower-case DNS name (got ${JSON.stringify(value)}; e.g. "cluster.local")`);
    }
  }

  private constructor() {}
}
