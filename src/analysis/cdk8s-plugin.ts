// The analysis as a cdk8s-cli validation plugin: `validations:` in any app's cdk8s.yaml runs it over the synth
// output, whether or not the app uses our constructs. cdk8s-cli loads the package, constructs the class with
// the `properties` of the cdk8s.yaml entry and calls `validate(context)`.
import * as fs from 'fs';
import { readMeshFile } from './cli/mesh-config';
import { collectFiles, readManifestText } from './cli/read';
import { Diagnostic, DiagnosticLevel } from './diagnostic';
import { ManifestEntry, runAnalysis } from './engine';
import { documentationUrl, renderDiagnosticText } from './messages';
import { EngineOptions } from './options';
import { CROSS_RULES, OBJECT_RULES } from './rules';
import { schemaRule } from './schema';

/**
 * Options of the cdk8s-cli validation plugin (the `properties` of its cdk8s.yaml entry).
 */
export interface IstioValidationProps {
  /**
   * Codes never to report.
   * @default - none
   */
  readonly suppress?: string[];
  /**
   * Fail on warnings too.
   * @default false
   */
  readonly failOnWarnings?: boolean;
  /**
   * Namespaces that exist in the cluster although the app does not define them (as
   * `IstioAnalysis.declareNamespaces()` and the CLI's `--declare-namespaces`).
   * @default - none
   */
  readonly declaredNamespaces?: string[];
  /**
   * Hosts and gateways (`ns/name`) that exist although the app does not define them (as
   * `IstioAnalysis.declareHosts()` and the CLI's `--declare-hosts`).
   * @default - none
   */
  readonly declaredHosts?: string[];
  /**
   * The mesh config of the target mesh (what the `mesh` key of the `istio` ConfigMap holds), as an object.
   * @default - Istio's defaults, or `meshConfigFile`
   * @see https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/
   */
  readonly meshConfig?: { [key: string]: any };
  /**
   * A file holding the mesh config: a MeshConfig YAML (istioctl's `--meshConfigFile` format) or the `istio`
   * ConfigMap; relative to the directory cdk8s runs in. `meshConfig` wins over it.
   * @default - none
   */
  readonly meshConfigFile?: string;
  /**
   * The mesh networks of a multi-network mesh (`networks: {...}`), as an object.
   * @default - none, or `meshNetworksFile`
   * @see https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/#MeshNetworks
   */
  readonly meshNetworks?: { [key: string]: any };
  /**
   * A file holding the mesh networks (MeshNetworks YAML, istioctl's format). `meshNetworks` wins over it.
   * @default - none
   */
  readonly meshNetworksFile?: string;
  /**
   * The app's manifests are the whole cluster: report references to objects outside them, as `istioctl
   * analyze` does with files.
   * @default false
   */
  readonly complete?: boolean;
  /**
   * The other clusters of a multi-cluster mesh: cluster ID to a file or directory of that cluster's manifests
   * (relative to the directory cdk8s runs in). The app is the cluster `Kubernetes`; Services are compared
   * across clusters (IST0170), and each cluster's findings fail the run as the app's do.
   * @default - no other clusters
   * @see https://istio.io/latest/docs/reference/config/analysis/ist0170/
   */
  readonly clusters?: { [clusterId: string]: string };
}

/** One object a violation names, as cdk8s-cli's validation report takes it. */
export interface ValidationPluginResource {
  /** The object's `metadata.name`. */
  readonly resourceName: string;
  /** Field paths within the object, e.g. `spec.http[0].route`. */
  readonly locations: string[];
  /** The manifest file the object was read from. */
  readonly manifestPath: string;
}

/**
 * A violation, as cdk8s-cli's `ValidationReport.addViolation` takes it (cdk8s-cli `lib/plugins/validation.d.ts`).
 */
export interface ValidationPluginViolation {
  /** The finding's code, e.g. `IST0101`. */
  readonly ruleName: string;
  /** The finding's message. */
  readonly recommendation: string;
  /** Where to read about the finding: its istio.io page, or the README section. */
  readonly fix: string;
  /** The objects the finding is about. */
  readonly violatingResources: ValidationPluginResource[];
}

/** The report of cdk8s-cli's `ValidationContext`: the members this plugin uses. */
export interface IValidationPluginReport {
  /** Record one violation. */
  addViolation(violation: ValidationPluginViolation): void;
  /**
   * Close the report.
   * @param status `success` or `failure`
   * @param metadata what the plugin analysed, e.g. `{ analyzed: '12' }`
   */
  submit(status: string, metadata?: { [key: string]: string }): void;
}

/** The logger of cdk8s-cli's `ValidationContext`. */
export interface IValidationPluginLogger {
  /** Print one line. */
  log(message: string): void;
}

/**
 * What cdk8s-cli hands a validation plugin (its `ValidationContext`): the members this plugin uses, declared
 * here so that no cdk8s-cli version is a dependency of the library.
 */
export interface IValidationPluginContext {
  /** Paths of the synthesized manifest files. */
  readonly manifests: string[];
  /** Where violations go. */
  readonly report: IValidationPluginReport;
  /** Where warnings go. */
  readonly logger: IValidationPluginLogger;
  /** The Kubernetes objects of one manifest file (YAML documents as JSON objects). */
  parseManifest(manifestPath: string): { [key: string]: any }[];
}

/**
 * A cdk8s-cli validation plugin that runs the Istio analysis over the synthesized manifests:
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-istio
 *     version: 0.0.0
 *     class: IstioValidation
 *     properties: { suppress: [IST0134] }
 * ```
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/
 * @see https://istio.io/latest/docs/ops/diagnostic-tools/istioctl-analyze/
 */
export class IstioValidation {
  private readonly props: IstioValidationProps;

  public constructor(props: IstioValidationProps = {}) {
    this.props = props;
  }

  /**
   * Called by cdk8s-cli after synth with its `ValidationContext`: reads every manifest, reports each failing
   * finding as a violation, and submits the report.
   */
  public async validate(context: IValidationPluginContext): Promise<void> {
    const entries: ManifestEntry[] = [];
    for (const file of context.manifests) {
      for (const object of context.parseManifest(file)) {
        if (object) entries.push({ object, source: file });
      }
    }
    const p = this.props;
    const unreadable: Diagnostic[] = [];
    for (const [cluster, where] of Object.entries(p.clusters ?? {})) {
      for (const source of clusterFiles(cluster, where)) {
        const read = readManifestText(fs.readFileSync(source, 'utf-8'), source);
        for (const e of read.entries) entries.push({ ...e, cluster });
        for (const d of read.problems) unreadable.push({ ...d, cluster });
      }
    }
    const fromFile = p.meshConfigFile ? readMeshFile(p.meshConfigFile, 'meshConfig') : {};
    const networksFile = p.meshNetworksFile ? readMeshFile(p.meshNetworksFile, 'meshNetworks') : {};
    const options: EngineOptions = {
      runsIn: 'plugin',
      suppress: p.suppress,
      declaredNamespaces: p.declaredNamespaces,
      declaredHosts: p.declaredHosts,
      meshConfig: p.meshConfig ?? fromFile.meshConfig,
      meshNetworks: p.meshNetworks ?? networksFile.meshNetworks ?? fromFile.meshNetworks,
      complete: p.complete ?? false,
    };
    const diagnostics = [...unreadable, ...runAnalysis(entries, options, schemaRule, OBJECT_RULES, CROSS_RULES)];
    let failed = false;
    for (const d of diagnostics) {
      const failing = d.level === DiagnosticLevel.ERROR || (this.props.failOnWarnings === true && d.level === DiagnosticLevel.WARNING);
      if (!failing) {
        if (d.level === DiagnosticLevel.WARNING) context.logger.log(`WARNING ${d.code} ${d.kind}/${d.namespace ?? ''}/${d.name}: ${renderDiagnosticText(d)}`);
        continue;
      }
      failed = true;
      context.report.addViolation({
        ruleName: d.code,
        recommendation: renderDiagnosticText(d),
        fix: documentationUrl(d.code) ?? 'see "Analysis, three ways" in the cdk8s-istio README',
        violatingResources: [{ resourceName: d.name, locations: d.field ? [d.field] : [], manifestPath: d.source ?? '' }],
      });
    }
    context.report.submit(failed ? 'failure' : 'success', { analyzed: String(entries.length) });
  }
}

/** The manifest files of `clusters.<cluster>`; a path that cannot be read is one error naming the property. */
function clusterFiles(cluster: string, where: string): string[] {
  try {
    return collectFiles([where]);
  } catch (e) {
    throw new Error(`IstioValidation properties.clusters.${cluster}: cannot read "${where}" (${(e as Error).message}); give a file or directory of that cluster's manifests, relative to where cdk8s runs`);
  }
}
