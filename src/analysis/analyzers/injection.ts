// Istio's injection.* analyzers, over the Namespaces, Pods, Deployments, ConfigMaps and
// MutatingWebhookConfigurations the input holds (istioctl reads the same kinds from a cluster):
// - injection.Analyzer: a Namespace with no injection label (IST0102), or one the injector's
//   `enableNamespacesByDefault` injects anyway (IST0148, read from an `istio-sidecar-injector` ConfigMap in the
//   input); a Pod of an injected namespace without an istio-proxy container (IST0103). Istio's analyzer also
//   reports IST0123 (several injection labels); here the namespace rule reports that, once.
// - injection.ImageAnalyzer: proxies whose image differs from the injector ConfigMap's (IST0158).
// - injection.ImageAutoAnalyzer: `image: auto` on a bare Pod (IST0147) or on a Deployment no Istio injection
//   webhook matches (IST0146; without the webhooks in the input, only in complete mode).
import { labelSelectorMatches, MeshIndex } from './mesh-index';
import { CrossRule, RunContext } from '../engine';
import { Messages } from '../messages';
import { listOf, mapOf } from '../objects';

const INJECTOR_CONFIGMAP = 'istio-sidecar-injector';
const MWC = 'admissionregistration.k8s.io/MutatingWebhookConfiguration';

/** The injector ConfigMap's `values` (JSON), or undefined when absent or unparsable. */
function injectorValues(cm: any): any {
  const raw = cm?.data?.values;
  if (typeof raw !== 'string') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** `istio-sidecar-injector`, or `istio-sidecar-injector-<rev>` for a revision other than default. */
function injectorConfigMapName(revision: string | undefined): string {
  return !revision || revision === 'default' ? INJECTOR_CONFIGMAP : `${INJECTOR_CONFIGMAP}-${revision}`;
}

function configMapNamed(ctx: RunContext, name: string): any {
  return ctx.ofKind('/ConfigMap').find(cm => cm?.metadata?.name === name);
}

/** injection.Analyzer. @internal */
export const injectionAnalyzer: CrossRule = {
  name: 'injection.Analyzer',
  check(ctx) {
    const idx = MeshIndex.of(ctx);
    const injected = new Set<string>();
    // As in Istio, the flag found for one namespace's revision carries over to the namespaces after it.
    let enabledByDefault = false;
    for (const ns of ctx.ofKind('/Namespace')) {
      const name = String(ns?.metadata?.name ?? '');
      if (name === idx.rootNamespace) continue;
      const labels = mapOf(ns?.metadata?.labels);
      if (labels['istio.io/dataplane-mode'] === 'ambient') continue;
      const injection = labels['istio-injection'] ?? '';
      const hasRevision = 'istio.io/rev' in labels;
      const cm = configMapNamed(ctx, injectorConfigMapName(labels['istio.io/rev']));
      if (cm) enabledByDefault = injectorValues(cm)?.sidecarInjectorWebhook?.enableNamespacesByDefault === true;
      const r = ctx.reporterFor(ns);
      if (injection === '' && !hasRevision) {
        if (enabledByDefault) {
          r(Messages.NamespaceInjectionEnabledByDefault, { field: 'metadata.labels', problem: `namespace ${name} has no injection label, and the injector (ConfigMap ${cm?.metadata?.name ?? INJECTOR_CONFIGMAP}) has enableNamespacesByDefault, so its pods get sidecars`, fix: 'label it istio-injection=disabled if it should stay out of the mesh' });
        } else {
          r(Messages.NamespaceNotInjected, { args: [name, name], field: 'metadata.labels', problem: `namespace ${name} is not enabled for Istio injection`, fix: 'label it istio-injection=enabled, or istio-injection=disabled to mark it as not needing injection' });
        }
        continue;
      }
      if (injection === 'enabled') injected.add(name);
    }
    for (const pod of ctx.ofKind('/Pod')) {
      const ns = ctx.namespaceOf(pod);
      if (!injected.has(ns)) continue;
      const labels = mapOf(pod?.metadata?.labels);
      const inject = labels['sidecar.istio.io/inject'] ?? mapOf(pod?.metadata?.annotations)['sidecar.istio.io/inject'] ?? '';
      if (String(inject).toLowerCase() === 'false' || pod?.spec?.hostNetwork === true) continue;
      const containers = [...arrayOf(pod?.spec?.containers), ...arrayOf(pod?.spec?.initContainers)];
      const proxy = containers.find(c => c?.name === 'istio-proxy');
      if (!proxy?.image) {
        ctx.reporterFor(pod)(Messages.PodMissingProxy, { args: [`${ns}/${pod?.metadata?.name}`], field: 'spec.containers', problem: `pod ${ns}/${pod?.metadata?.name} runs in an injected namespace but has no istio-proxy container`, fix: 'restart or redeploy the workload so the injector adds the proxy' });
      }
    }
  },
};

function arrayOf(v: unknown): any[] {
  return listOf(v);
}

/** The proxy image an injector ConfigMap configures (`hub/image:tag`, or `global.proxy.image` when it has a `/`). */
function injectorProxyImage(cm: any): string {
  const g = injectorValues(cm)?.global ?? {};
  const image = String(g?.proxy?.image ?? '');
  return image.includes('/') ? image : `${g.hub ?? ''}/${image}:${g.tag ?? ''}`;
}

/** injection.ImageAnalyzer. @internal */
export const injectionImageAnalyzer: CrossRule = {
  name: 'injection.ImageAnalyzer',
  check(ctx) {
    const images = new Map<string, string>();
    for (const cm of ctx.ofKind('/ConfigMap')) {
      const name = String(cm?.metadata?.name ?? '');
      if (name.startsWith(INJECTOR_CONFIGMAP)) images.set(name, injectorProxyImage(cm));
    }
    if (images.size === 0) return;
    const namespaces = new Map<string, any>();
    const revisionOf = new Map<string, string>();
    for (const ns of ctx.ofKind('/Namespace')) {
      const name = String(ns?.metadata?.name ?? '');
      namespaces.set(name, ns);
      const labels = mapOf(ns?.metadata?.labels);
      if ('istio.io/rev' in labels) revisionOf.set(name, labels['istio.io/rev']);
      else if (labels['istio-injection'] === 'enabled') revisionOf.set(name, 'default');
    }
    const mismatched = new Map<string, string[]>();
    for (const pod of ctx.ofKind('/Pod')) {
      const ns = ctx.namespaceOf(pod);
      const revision = revisionOf.get(ns);
      if (revision === undefined || mapOf(pod?.metadata?.annotations)['sidecar.istio.io/proxyImage']) continue;
      const expected = images.get(injectorConfigMapName(revision));
      if (expected === undefined) continue;
      for (const c of arrayOf(pod?.spec?.containers)) {
        if (c?.name === 'istio-proxy' && c?.image !== expected) mismatched.set(ns, [...(mismatched.get(ns) ?? []), String(pod?.metadata?.name)]);
      }
    }
    for (const [ns, pods] of mismatched) {
      ctx.reporterFor(namespaces.get(ns))(Messages.PodsIstioProxyImageMismatchInNamespace, { args: [pods], field: 'metadata.name', problem: `the istio-proxy image of pods ${pods.join(', ')} differs from the image in the injection configuration`, fix: 'redeploy the pods (this often follows a control-plane upgrade)' });
    }
  },
};

/** Istio's injection webhooks (names ending in `istio.io`) of the MutatingWebhookConfigurations in the input. */
function istioWebhooks(ctx: RunContext): any[] {
  return ctx.ofKind(MWC).flatMap(m => arrayOf(m?.webhooks)).filter(w => typeof w?.name === 'string' && w.name.endsWith('istio.io'));
}

const hasAutoImage = (spec: any) => arrayOf(spec?.containers).some(c => c?.name === 'istio-proxy' && c?.image === 'auto');

/** injection.ImageAutoAnalyzer. @internal */
export const imageAutoAnalyzer: CrossRule = {
  name: 'injection.ImageAutoAnalyzer',
  check(ctx) {
    for (const pod of ctx.ofKind('/Pod')) {
      if (!hasAutoImage(pod?.spec)) continue;
      ctx.reporterFor(pod)(Messages.ImageAutoWithoutInjectionError, { args: ['Pod', pod?.metadata?.name], field: 'spec.containers', problem: `Pod ${pod?.metadata?.name} has an istio-proxy container with \`image: auto\`, which only the injector fills in, and a Pod is never injected after creation`, got: 'auto', fix: 'let a Deployment create the pod in an injected namespace' });
    }
    const webhooks = istioWebhooks(ctx);
    // Without the webhooks in the input, whether one matches is unknown unless the input is the whole cluster.
    if (webhooks.length === 0 && ctx.ofKind(MWC).length === 0 && ctx.options.complete !== true) return;
    const idx = MeshIndex.of(ctx);
    for (const d of ctx.ofKind('apps/Deployment')) {
      if (!hasAutoImage(d?.spec?.template?.spec)) continue;
      const nsLabels = mapOf(idx.namespaces.get(ctx.namespaceOf(d))?.metadata?.labels);
      const podLabels = mapOf(d?.spec?.template?.metadata?.labels);
      if (webhooks.some(w => labelSelectorMatches(w?.namespaceSelector, nsLabels) && labelSelectorMatches(w?.objectSelector, podLabels))) continue;
      ctx.reporterFor(d)(Messages.ImageAutoWithoutInjectionWarning, { args: ['Deployment', d?.metadata?.name], field: 'spec.template.spec.containers', problem: `Deployment ${d?.metadata?.name} has an istio-proxy container with \`image: auto\`, but no Istio injection webhook matches its namespace and pod labels`, got: 'auto', fix: 'label the namespace istio-injection=enabled (or istio.io/rev=<revision>)' });
    }
  },
};
