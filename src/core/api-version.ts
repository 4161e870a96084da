// Which Istio API versions the constructs emit. One switch for the whole app, never per field: mixing
// versions in one repository is how GitOps diffs fill with noise.
import { IConstruct } from 'constructs';

/**
 * The Istio API generation to emit.
 *
 * @see https://istio.io/latest/docs/reference/config/
 */
export enum IstioApiVersion {
  /** `networking.istio.io/v1`, `security.istio.io/v1`, `telemetry.istio.io/v1`: Istio 1.22 and later. */
  V1 = 'v1',
  /** `networking.istio.io/v1beta1`, `security.istio.io/v1beta1`, `telemetry.istio.io/v1alpha1`: meshes older than 1.22. */
  V1BETA1 = 'v1beta1',
}

/**
 * Reads and sets the API-version switch.
 *
 * @see https://istio.io/latest/docs/reference/config/
 */
export class IstioApi {
  /** The context key that selects the API version: `"v1"` (default) or `"v1beta1"`. */
  public static readonly CONTEXT_KEY = 'cdk8s-istio:apiVersion';

  /**
   * Select the API version for everything under `scope` (usually the App). Call it before adding charts,
   * because construct context cannot change once a scope has children.
   */
  public static useVersion(scope: IConstruct, version: IstioApiVersion): void {
    if (scope.node.children.length > 0) {
      throw new Error(`[${scope.node.path}] IstioApi.useVersion: call it before adding charts or constructs to this scope (got a scope with ${scope.node.children.length} children)`);
    }
    scope.node.setContext(IstioApi.CONTEXT_KEY, version);
  }

  /** The API version in force for `scope`. */
  public static versionOf(scope: IConstruct): IstioApiVersion {
    const v = scope.node.tryGetContext(IstioApi.CONTEXT_KEY);
    if (v === undefined || v === IstioApiVersion.V1) return IstioApiVersion.V1;
    if (v === IstioApiVersion.V1BETA1) return IstioApiVersion.V1BETA1;
    throw new Error(`[${scope.node.path}] context ${IstioApi.CONTEXT_KEY}: unknown Istio API version (got ${JSON.stringify(v)}; "v1" or "v1beta1")`);
  }

  private constructor() {}
}
