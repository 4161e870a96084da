// What analysis reports: one finding about one object, with Istio's code where Istio has one.

/**
 * How serious a finding is; the levels are Istio's.
 *
 * @see https://istio.io/latest/docs/reference/config/analysis/
 */
export enum DiagnosticLevel {
  /** Istio would reject the object, or it cannot work. Fails synth. */
  ERROR = 'error',
  /** Istio accepts it, but it probably does not do what was meant. Printed at synth. */
  WARNING = 'warning',
  /** Worth knowing. Shown by the command line, not at synth. */
  INFO = 'info',
}

/**
 * One finding of the analysis.
 */
export interface Diagnostic {
  /** Istio's code (`IST0106`, `IST0101`, ...) where one exists, else `CDK8SISTIO####`. */
  readonly code: string;
  /** How serious the finding is. */
  readonly level: DiagnosticLevel;
  /**
   * Istio's message for the code, its template filled in: what `istioctl analyze` prints and puts in its JSON
   * `message` (e.g. `Referenced gateway not found: "shop/public"`). For our own `CDK8SISTIO` codes, our sentence.
   */
  readonly message: string;
  /** Ours: `<Kind>.<field path>: <what is wrong> (got <value>)`. */
  readonly detail: string;
  /**
   * What to do about it.
   * @default - no fix is known beyond the detail
   */
  readonly fix?: string;
  /**
   * The 1-based line in `source` of the object (or of the field, where known).
   * @default - unknown
   */
  readonly line?: number;
  /**
   * Istio's reference page for the code, e.g. `https://istio.io/latest/docs/reference/config/analysis/ist0101/`.
   * @default - none (our own codes)
   */
  readonly documentationUrl?: string;
  /** `apiVersion` of the object. */
  readonly apiVersion: string;
  /** `kind` of the object. */
  readonly kind: string;
  /** `metadata.name` of the object. */
  readonly name: string;
  /**
   * `metadata.namespace` of the object.
   * @default - the object has no namespace
   */
  readonly namespace?: string;
  /**
   * The field path inside the object, e.g. `spec.servers[0].port.number`.
   * @default - the finding is about the whole object
   */
  readonly field?: string;
  /**
   * The construct path of the object, when it came from a cdk8s app.
   * @default - unknown (plain manifests)
   */
  readonly constructPath?: string;
  /**
   * The file the object was read from, when it came from a file.
   * @default - unknown
   */
  readonly source?: string;
  /**
   * The cluster the object belongs to, when the analysis was given other clusters of the mesh
   * (`AnalysisOptions.clusters`, the CLI's `--cluster`) and the object is one of theirs.
   * @default - the input's own cluster
   */
  readonly cluster?: string;
}
