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
   * Namespaces that exist in the cluster although this input does not define them.
   * @default - none
   */
  readonly knownNamespaces?: string[];
  /**
   * Hosts (Services, ServiceEntries, Gateways as `ns/name`) that exist although this input does not define them.
   * @default - none
   */
  readonly knownHosts?: string[];
  /**
   * The mesh config of the target mesh (the `mesh` key of the `istio` ConfigMap, as an object). Analyzers that
   * depend on install-level settings read it: default access-log providers (IST0157), Lightstep extension
   * providers (IST0002), DNS capture with address auto-allocation (IST0134).
   * @default - Istio's defaults (no default providers, no DNS auto-allocation in proxyMetadata)
   */
  readonly meshConfig?: { [key: string]: any };
  /**
   * Treat the input as describing every workload of the cluster, as `istioctl analyze` does with files: a
   * selector or subset that matches no Pod or pod template is then reported even when the input holds no
   * workloads at all. Without it, such checks run only when the input contains at least one workload.
   * @default false
   */
  readonly workloadsComplete?: boolean;
}
