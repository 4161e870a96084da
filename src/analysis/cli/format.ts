// istioctl analyze's output formats (log, json, yaml) and two for CI: SARIF 2.1.0 for code scanning and GitHub
// workflow-command annotations. Every format renders the same `Diagnostic`s; errors of the command itself are
// findings too, so `-o json` prints valid JSON on every path.
import * as path from 'path';
import { Diagnostic, DiagnosticLevel } from '../diagnostic';
import { MESSAGES_BY_CODE } from '../messages';

/** The output formats of `-o`. @internal */
export const FORMATS = ['log', 'json', 'yaml', 'sarif', 'github'] as const;
/** @internal */
export type Format = typeof FORMATS[number];

/** istioctl's level names, in its order of severity. @internal */
export const LEVEL_NAMES: Record<DiagnosticLevel, string> = {
  [DiagnosticLevel.ERROR]: 'Error',
  [DiagnosticLevel.WARNING]: 'Warning',
  [DiagnosticLevel.INFO]: 'Info',
};
const SEVERITY: Record<string, number> = { error: 0, warning: 1, info: 2 };


/** Kinds without a namespace: istioctl names them `Kind name`, others `Kind name.namespace`. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'StorageClass', 'PriorityClass', 'IngressClass',
  'GatewayClass', 'APIService', 'RuntimeClass', 'CSIDriver', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
]);

/** istioctl's name of a resource: `VirtualService reviews.default`, `Namespace shop`; empty for no resource. @internal */
export function originOf(d: Diagnostic, defaultNamespace = 'default'): string {
  if (!d.kind) return '';
  if (CLUSTER_SCOPED.has(d.kind)) return `${d.kind} ${d.name}`;
  return `${d.kind} ${d.name}.${d.namespace ?? defaultNamespace}`;
}

/** `file:line`, as istioctl's `reference`. */
function referenceOf(d: Diagnostic): string | undefined {
  if (!d.source) return undefined;
  return d.line ? `${d.source}:${d.line}` : d.source;
}

/** Istio's documentation page of a code; ours for CDK8SISTIO codes. */
function documentationUrlOf(d: Diagnostic): string {
  if (d.documentationUrl) return d.documentationUrl;
  if (d.code.startsWith('IST')) return `https://istio.io/latest/docs/reference/config/analysis/${d.code.toLowerCase()}/`;
  return 'https://github.com/cdk8s-istio/cdk8s-istio#analysis-on-the-command-line';
}

/** istioctl's order: level, code, resource, message. @internal */
export function sortFindings(findings: readonly Diagnostic[], defaultNamespace?: string): Diagnostic[] {
  return [...findings].sort((a, b) => (SEVERITY[a.level] - SEVERITY[b.level])
    || a.code.localeCompare(b.code)
    || originOf(a, defaultNamespace).localeCompare(originOf(b, defaultNamespace))
    || (a.source ?? '').localeCompare(b.source ?? '')
    || (a.line ?? 0) - (b.line ?? 0)
    || a.message.localeCompare(b.message));
}

/** The lines under a finding's headline: our field path and value, the construct, the fix. */
function explanation(d: Diagnostic): string[] {
  const lines: string[] = [];
  // A message that already carries the detail or the fix (a one-argument template) does not repeat them.
  if (d.detail && !d.message.includes(d.detail.replace(/\)$/, ''))) lines.push(d.detail);
  if (d.constructPath) lines.push(`construct: ${d.constructPath}`);
  if (d.cluster) lines.push(`cluster: ${d.cluster}`);
  if (d.fix && !d.message.includes(d.fix)) lines.push(`fix: ${d.fix}`);
  return lines;
}

function logLine(d: Diagnostic, ns?: string): string {
  const origin = originOf(d, ns);
  const ref = referenceOf(d);
  const where = [origin, ref].filter(Boolean).join(' ');
  const head = `${LEVEL_NAMES[d.level]} [${d.code}]${where ? ` (${where})` : ''} ${d.message}`;
  return [head, ...explanation(d).map(l => `    ${l}`)].join('\n');
}

/** istioctl's JSON object of a finding (keys sorted, as Go marshals a map), plus ours. */
function toJsonObject(d: Diagnostic, ns?: string): Record<string, unknown> {
  const o: Record<string, unknown> = {
    cluster: d.cluster,
    code: d.code,
    constructPath: d.constructPath,
    detail: d.detail,
    documentationUrl: documentationUrlOf(d),
    field: d.field,
    fix: d.fix,
    level: LEVEL_NAMES[d.level],
    message: d.message,
    origin: originOf(d, ns) || undefined,
    reference: referenceOf(d),
  };
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

function sarifUri(source: string): string {
  if (source === '-') return 'stdin';
  const rel = path.relative(process.cwd(), source);
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  return 'file://' + path.resolve(source).split(path.sep).join('/');
}

const SARIF_LEVEL: Record<DiagnosticLevel, string> = { error: 'error', warning: 'warning', info: 'note' };

/** A SARIF 2.1.0 log: one run, one rule per code, one result per finding. */
function toSarif(findings: readonly Diagnostic[], version: string, ns?: string): object {
  const rules: object[] = [];
  const ruleIndex = new Map<string, number>();
  const results = findings.map(d => {
    if (!ruleIndex.has(d.code)) {
      ruleIndex.set(d.code, rules.length);
      const msg = MESSAGES_BY_CODE.get(d.code);
      rules.push({
        id: d.code,
        ...(msg ? { name: msg.name } : {}),
        shortDescription: { text: msg?.template ?? d.code },
        helpUri: documentationUrlOf(d),
        defaultConfiguration: { level: SARIF_LEVEL[d.level] },
      });
    }
    const text = [d.message, ...explanation(d)].join('\n');
    const origin = originOf(d, ns);
    const location: Record<string, unknown> = {};
    if (d.source) {
      location.physicalLocation = {
        artifactLocation: { uri: sarifUri(d.source) },
        ...(d.line ? { region: { startLine: d.line } } : {}),
      };
    }
    if (origin) location.logicalLocations = [{ fullyQualifiedName: origin, kind: 'resource' }];
    return {
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code),
      level: SARIF_LEVEL[d.level],
      message: { text },
      ...(Object.keys(location).length ? { locations: [location] } : {}),
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'cdk8s-istio', version, informationUri: 'https://github.com/cdk8s-istio/cdk8s-istio', rules } },
      results,
    }],
  };
}

// GitHub workflow commands: data escapes %, CR, LF; property values also ':' and ','.
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
const GITHUB_LEVEL: Record<DiagnosticLevel, string> = { error: 'error', warning: 'warning', info: 'notice' };

function githubLine(d: Diagnostic, ns?: string): string {
  const props: string[] = [];
  if (d.source && d.source !== '-') props.push(`file=${escapeProperty(d.source)}`);
  if (d.source && d.line) props.push(`line=${d.line}`);
  const origin = originOf(d, ns);
  props.push(`title=${escapeProperty(origin ? `${d.code} ${origin}` : d.code)}`);
  return `::${GITHUB_LEVEL[d.level]} ${props.join(',')}::${escapeData([d.message, ...explanation(d)].join('\n'))}`;
}

/** Render findings in one format (findings sorted by the caller). @internal */
export function render(findings: readonly Diagnostic[], format: Format, version: string, ns?: string): string {
  switch (format) {
    case 'json':
      return JSON.stringify(findings.map(d => toJsonObject(d, ns)), undefined, '\t');
    case 'yaml':
      // The yaml package is required only for this format: it is most of the command's startup otherwise.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return findings.length === 0 ? '[]' : (require('yaml') as typeof import('yaml')).stringify(findings.map(d => toJsonObject(d, ns)), { lineWidth: 0 }).trimEnd();
    case 'sarif':
      return JSON.stringify(toSarif(findings, version, ns), undefined, 2);
    case 'github':
      return findings.map(d => githubLine(d, ns)).join('\n');
    default:
      return findings.map(d => logLine(d, ns)).join('\n');
  }
}
