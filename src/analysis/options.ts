// Options that say what the analysis may assume about the cluster beyond its input.

/**
 * Options of an analysis run.
 */
export interface AnalysisOptions {
  /**
   * Codes never to report (Istio's `IST0134`, or our own).
   * @default - none
   */
  readonly suppress?: string[];
  /**
   * Namespace assumed for objects that name none.
   * @default 'default'
   */
  readonly defaultNamespace?: string;
  /**
   * The mesh root namespace (mesh-wide policies live here).
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
  /**
   * Namespaces that exist in the cluster although this input does not define them (as
   * `IstioAnalysis.declareNamespaces()` and the CLI's `--declare-namespaces`).
   * @default - none
   */
  readonly declaredNamespaces?: string[];
  /**
   * Hosts (Services, ServiceEntries, Gateways as `ns/name`) that exist although this input does not define them
   * (as `IstioAnalysis.declareHosts()` and the CLI's `--declare-hosts`).
   * @default - none
   */
  readonly declaredHosts?: string[];
  /**
   * The mesh config of the target mesh (the `mesh` key of the `istio` ConfigMap, as an object). Analyzers that
   * depend on install-level settings read it: default access-log providers (IST0157), Lightstep extension
   * providers (IST0002), DNS capture with address auto-allocation (IST0134).
   * @default - Istio's defaults (no default providers, no DNS auto-allocation in proxyMetadata)
   */
  readonly meshConfig?: { [key: string]: any };
  /**
   * The network topology of a multi-cluster mesh (the content of istioctl's `--meshNetworksFile`: an object with
   * a `networks` map). The meshNetworks analyzer checks that every `fromRegistry` it names is a known registry
   * (`Kubernetes`, `External`, `Mock`) or a cluster with a remote secret in the input (IST0126).
   * @default - none (nothing to check)
   * @see https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/#MeshNetworks
   */
  readonly meshNetworks?: { [key: string]: any };
  /**
   * Treat the input as the whole cluster, as `istioctl analyze` treats its files: a reference to an object the
   * input lacks (a host, a subset, a gateway, a namespace, a credential Secret, a workload a selector should
   * match) is then reported. When false, such references are not guessed: they are reported only when the
   * input describes the namespace they point into (it holds its Namespace, a Service or a workload).
   * `declaredNamespaces` and `declaredHosts` declare objects that exist elsewhere in either mode.
   * @default false
   */
  readonly complete?: boolean;
  /**
   * The manifests of the other clusters of a multi-cluster mesh, by cluster ID. The input itself is the cluster
   * `Kubernetes` (Istio's default cluster ID). Each cluster is analysed on its own, as `istioctl analyze` with
   * that cluster's context would (references resolve within it); then the Services that several clusters define
   * are compared (IST0170: a multi-cluster Service must have the same type, ports and headlessness everywhere).
   * @default - no other clusters
   * @see https://istio.io/latest/docs/reference/config/analysis/ist0170/
   */
  readonly clusters?: { [clusterId: string]: { [key: string]: any }[] };
}

/** Where an analysis runs, which decides how its fixes name the escape hatch for objects defined elsewhere. @internal */
export type AnalysisEntryPoint = 'app' | 'cli' | 'plugin';

/** The options the entry points give the engine: the public ones, plus where it runs. @internal */
export interface EngineOptions extends AnalysisOptions {
  /** Default: `app` (synth and `IstioAnalysis.analyze`). */
  readonly runsIn?: AnalysisEntryPoint;
}
