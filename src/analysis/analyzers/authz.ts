// Istio's authz.AuthorizationPoliciesAnalyzer: policies that select no in-mesh workload (IST0127) and source
// namespaces that match no Namespace (IST0101).
import { MeshIndex, matchLabelsOf, selectorString } from './mesh-index';
import { CrossRule } from '../engine';
import { Messages } from '../messages';

const AP = 'security.istio.io/AuthorizationPolicy';

function namespaceMatches(ns: string, exp: string): boolean {
  if (exp === '*') return true;
  if (exp.startsWith('*')) return ns.endsWith(exp.slice(1));
  if (exp.endsWith('*')) return ns.startsWith(exp.slice(0, -1));
  return ns.toLowerCase() === exp.toLowerCase();
}

/** authz.AuthorizationPoliciesAnalyzer. @internal */
export const authorizationPoliciesAnalyzer: CrossRule = {
  name: 'authz.AuthorizationPoliciesAnalyzer',
  check(ctx) {
    const policies = ctx.ofKind(AP);
    if (policies.length === 0) return;
    const idx = MeshIndex.of(ctx);
    const nsNames = [...idx.namespaces.keys(), ...idx.declaredNamespaces];
    const exactNs = new Set(nsNames.map(n => n.toLowerCase()));
    const inMeshNs = new Set(idx.workloads.filter(w => w.inMesh).map(w => w.namespace));
    for (const ap of policies) {
      const ns = ctx.namespaceOf(ap);
      const r = ctx.reporterFor(ap);
      const selector = matchLabelsOf(ap);
      if (!idx.workloadsDescribed) {
        // Nothing in the input stands in for workloads; whether the policy selects any is unknown.
      } else if (ns === idx.rootNamespace) {
        if (selector && !idx.anyMatch(selector, undefined, w => w.inMesh) && idx.declaredNamespaces.size === 0) {
          r(Messages.NoMatchingWorkloadsFound, { args: [selectorString(selector)], field: 'spec.selector', problem: 'this mesh-wide policy selects no in-mesh workload anywhere in the analysed manifests', got: selectorString(selector) });
        }
      } else if (!idx.declaredNamespaces.has(ns)) {
        if (!selector) {
          if (!inMeshNs.has(ns)) r(Messages.NoMatchingWorkloadsFound, { field: 'spec', args: [''], problem: `namespace ${ns} has no in-mesh workload in the analysed manifests, so this namespace-wide policy applies to nothing` });
        } else if (!idx.anyMatch(selector, ns, w => w.inMesh)) {
          r(Messages.NoMatchingWorkloadsFound, { args: [selectorString(selector)], field: 'spec.selector', problem: `the selector matches no in-mesh workload in namespace ${ns} in the analysed manifests`, got: selectorString(selector) });
        }
      }
      // Without any Namespace object in the input the namespace list is not described at all: not guessed unless
      // the input is the whole cluster.
      if (nsNames.length === 0 && ctx.options.complete !== true) continue;
      const rules: any[] = Array.isArray(ap?.spec?.rules) ? ap.spec.rules : [];
      rules.forEach((rule, i) => {
        (Array.isArray(rule?.from) ? rule.from : []).forEach((from: any, j: number) => {
          for (const key of ['namespaces', 'notNamespaces']) {
            (Array.isArray(from?.source?.[key]) ? from.source[key] : []).forEach((exp: unknown, k: number) => {
              if (typeof exp !== 'string') return;
              const found = exp.includes('*') ? nsNames.some(n => namespaceMatches(n, exp)) : exactNs.has(exp.toLowerCase());
              if (!found) {
                r(Messages.ReferencedResourceNotFound, { args: ['namespace', exp], field: `spec.rules[${i}].from[${j}].source.${key}[${k}]`, problem: `namespace "${exp}" matches no Namespace in the analysed manifests`, got: exp, fix: 'emit the Namespace, or declare namespaces that exist elsewhere (IstioAnalysis.of(app).declareNamespaces)' });
              }
            });
          }
        });
      });
    }
  },
};
