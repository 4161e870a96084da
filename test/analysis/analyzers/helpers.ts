// Builders for the analyzer tests: small manifests, and a run of one analyzer that returns what a user sees.
import { ANALYZERS } from '../../../src/analysis/analyzers';
import { ObjectRule, runAnalysis } from '../../../src/analysis/engine';
import { detailWithFix } from '../../../src/analysis/messages';
import { AnalysisOptions } from '../../../src/analysis/options';

const noSchema: ObjectRule = { kinds: [], check: () => undefined };

/** `CODE level Kind ns/name: message` of every finding of the named Istio analyzer. */
export function run(analyzer: string, objects: any[], options: AnalysisOptions = {}): string[] {
  const rule = ANALYZERS.find(a => a.name === analyzer);
  if (!rule) throw new Error(`no analyzer ${analyzer}`);
  return runAnalysis(objects.map(object => ({ object })), options, noSchema, [], [rule])
    .map(d => `${d.code} ${d.level} ${d.kind} ${d.namespace ?? ''}/${d.name}: ${detailWithFix(d)}`);
}

const meta = (name: string, namespace = 'default', extra: any = {}) => ({ name, namespace, ...extra });

export const svc = (name: string, ns: string, ports: any[], extra: any = {}) => ({
  apiVersion: 'v1', kind: 'Service', metadata: meta(name, ns, extra.metadata), spec: { ports, ...extra.spec },
});
export const pod = (name: string, ns: string, labels: Record<string, string>, extra: any = {}) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: meta(name, ns, { labels, ...extra }), spec: { containers: [{ name: 'app' }] },
});
export const deploy = (name: string, ns: string, labels: Record<string, string>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: meta(name, ns),
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app' }] } } },
});
export const namespace = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
export const istio = (kind: string, name: string, ns: string, spec: any, extra: any = {}) => {
  const group = ['AuthorizationPolicy', 'RequestAuthentication', 'PeerAuthentication'].includes(kind) ? 'security.istio.io/v1'
    : kind === 'Telemetry' ? 'telemetry.istio.io/v1' : kind === 'WasmPlugin' ? 'extensions.istio.io/v1alpha1' : 'networking.istio.io/v1';
  return { apiVersion: group, kind, metadata: meta(name, ns, extra), spec };
};
