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
  /** `<Kind>.<field path>: <what is wrong> (got <value>; <what is allowed>)`. */
  readonly message: string;
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
}
