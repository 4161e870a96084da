// Istio's webhook.Analyzer over the MutatingWebhookConfigurations in the input (istioctl reads them from the
// cluster): two Istio injection webhooks that match the same namespace and pod labels inject twice (IST0139),
// and an injection webhook must point at a Service that exists (IST0139; a Service outside the input is only
// reported in complete mode or when the input describes its namespace).
import { labelSelectorMatches, MeshIndex } from './mesh-index';
import { CrossRule } from '../engine';
import { Messages } from '../messages';
import { mapOf } from '../objects';

const MWC = 'admissionregistration.k8s.io/MutatingWebhookConfiguration';
const REV = 'istio.io/rev';

/** The revisions a webhook configuration serves (its label, and its selectors' `istio.io/rev` values). */
function revisionsOf(cfg: any): string[] {
  const out = new Set<string>();
  const label = mapOf(cfg?.metadata?.labels)[REV];
  if (label !== undefined) out.add(label);
  for (const w of Array.isArray(cfg?.webhooks) ? cfg.webhooks : []) {
    for (const sel of [w?.namespaceSelector, w?.objectSelector]) {
      const v = mapOf(sel?.matchLabels)[REV];
      if (v !== undefined) out.add(v);
      for (const e of Array.isArray(sel?.matchExpressions) ? sel.matchExpressions : []) {
        if (e?.key === REV && Array.isArray(e.values)) e.values.forEach((x: unknown) => out.add(String(x)));
      }
    }
  }
  return [...out];
}

const isIstioWebhookConfig = (cfg: any) => (Array.isArray(cfg?.webhooks) ? cfg.webhooks : []).some((w: any) => typeof w?.name === 'string' && w.name.endsWith('istio.io'));

/** webhook.Analyzer. @internal */
export const webhookAnalyzer: CrossRule = {
  name: 'webhook.Analyzer',
  check(ctx) {
    const hooks: Array<{ cfg: any; index: number; hook: any; key: string }> = [];
    const revisions = new Set<string>();
    for (const cfg of ctx.ofKind(MWC)) {
      const revs = revisionsOf(cfg);
      if (revs.length === 0 && !isIstioWebhookConfig(cfg)) continue;
      revs.forEach(r => revisions.add(r));
      (Array.isArray(cfg?.webhooks) ? cfg.webhooks : []).forEach((hook: any, index: number) => hooks.push({ cfg, index, hook, key: `${cfg?.metadata?.name}/${hook?.name}` }));
    }
    if (hooks.length === 0) return;
    // Every namespace and pod label combination Istio's injection understands must match at most one webhook.
    const withRevisions = (base: Array<Record<string, string>>) => [...base, ...[...revisions].flatMap(rev => base.map(b => ({ ...b, [REV]: rev })))];
    const nsLabelSets = withRevisions([{}, { 'istio-injection': 'enabled' }, { 'istio-injection': 'disabled' }]);
    const podLabelSets = withRevisions([{}, { 'sidecar.istio.io/inject': 'true' }, { 'sidecar.istio.io/inject': 'false' }]);
    const overlapping = new Map<string, Set<string>>();
    for (const nl of nsLabelSets) {
      for (const pl of podLabelSets) {
        const matches = hooks.filter(h => labelSelectorMatches(h.hook?.namespaceSelector, nl) && labelSelectorMatches(h.hook?.objectSelector, pl));
        if (matches.length < 2) continue;
        for (const m of matches) {
          let others = overlapping.get(m.key);
          if (!others) overlapping.set(m.key, (others = new Set()));
          matches.filter(o => o !== m).forEach(o => others!.add(o.key));
        }
      }
    }
    for (const h of hooks) {
      const others = overlapping.get(h.key);
      if (others) {
        ctx.reporterFor(h.cfg)(Messages.InvalidWebhook, { field: `webhooks[${h.index}]`, problem: `webhook ${h.hook?.name} overlaps with ${[...others].sort().join(', ')}: a pod both select is injected twice`, fix: 'make the namespace and object selectors of the injection webhooks disjoint' });
      }
    }
    const idx = MeshIndex.of(ctx);
    for (const h of hooks) {
      const svc = h.hook?.clientConfig?.service;
      if (!svc || typeof svc !== 'object') continue;
      const ns = String(svc.namespace ?? '');
      const name = String(svc.name ?? '');
      if (idx.servicesIn(ns).some(s => s.name === name)) continue;
      if (idx.declaredElsewhere(`${ns}/${name}`, ns) || !idx.described(ns)) continue;
      ctx.reporterFor(h.cfg)(Messages.InvalidWebhook, { field: `webhooks[${h.index}].clientConfig.service`, problem: `the injector refers to a control plane Service that does not exist: ${ns}/${name}`, got: `${ns}/${name}`, fix: 'point clientConfig.service at the istiod Service of this revision' });
    }
  },
};
