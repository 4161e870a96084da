// Istio's k8sgateway.* analyzers: policies that select a Gateway-API-managed gateway by label, where only
// targetRef takes effect (IST0166), and Gateway API CRDs in the input whose bundle version is below the one
// this Istio release requires, so istiod ignores their resources (IST0176).
import { MeshIndex, matchLabelsOf, selectorString } from './mesh-index';
import { CrossRule } from '../engine';
import { Messages } from '../messages';

const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
const SELECTOR_KINDS = ['security.istio.io/AuthorizationPolicy', 'security.istio.io/RequestAuthentication', 'telemetry.istio.io/Telemetry', 'extensions.istio.io/WasmPlugin'];

/** k8sgateway.SelectorAnalyzer. @internal */
export const k8sGatewaySelectorAnalyzer: CrossRule = {
  name: 'k8sgateway.SelectorAnalyzer',
  check(ctx) {
    const idx = MeshIndex.of(ctx);
    for (const gk of SELECTOR_KINDS) {
      for (const o of ctx.ofKind(gk)) {
        const selector = matchLabelsOf(o);
        if (!selector || o?.spec?.targetRef || (Array.isArray(o?.spec?.targetRefs) && o.spec.targetRefs.length > 0)) continue;
        const ns = ctx.namespaceOf(o);
        const pod = idx.select(selector, ns).find(w => GATEWAY_NAME_LABEL in w.labels);
        const named = selector[GATEWAY_NAME_LABEL];
        const gateway = pod?.labels[GATEWAY_NAME_LABEL] ?? (named !== undefined && idx.k8sGateways.has(`${ns}/${named}`) ? named : undefined);
        if (gateway === undefined) continue;
        ctx.reporterFor(o)(Messages.IneffectiveSelector, { args: [gateway], field: 'spec.selector', problem: `the selector picks the pods of Kubernetes Gateway ${ns}/${gateway}, which ignore selector-based policies`, got: selectorString(selector), fix: `use targetRefs: [{ kind: Gateway, group: gateway.networking.k8s.io, name: ${gateway} }]` });
      }
    }
  },
};

/** The minimum Gateway API bundle version per CRD (Istio's gatewayapi.MinimumCRDVersions at the pinned release). */
const MINIMUM_CRD_VERSIONS: Record<string, [number, number, number]> = {
  'grpcroutes.gateway.networking.k8s.io': [1, 1, 0],
  'backendtlspolicies.gateway.networking.k8s.io': [1, 4, 0],
  'tlsroutes.gateway.networking.k8s.io': [1, 5, 0],
};
const BUNDLE_VERSION = 'gateway.networking.k8s.io/bundle-version';
const SEMVER = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** k8sgateway.CRDVersionAnalyzer. @internal */
export const crdVersionAnalyzer: CrossRule = {
  name: 'k8sgateway.CRDVersionAnalyzer',
  check(ctx) {
    for (const crd of ctx.ofKind('apiextensions.k8s.io/CustomResourceDefinition')) {
      const name = String(crd?.metadata?.name ?? '');
      const minimum = MINIMUM_CRD_VERSIONS[name];
      const installed = crd?.metadata?.annotations?.[BUNDLE_VERSION];
      if (!minimum || typeof installed !== 'string') continue;
      const m = SEMVER.exec(installed);
      if (!m) continue;
      const version = [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
      const at = version.findIndex((v, i) => v !== minimum[i]);
      if (at < 0 || version[at] > minimum[at]) continue;
      ctx.reporterFor(crd)(Messages.GatewayAPICRDVersionBelowMinimum, { args: [name, installed, minimum.join('.')], field: `metadata.annotations.${BUNDLE_VERSION}`, problem: `Gateway API CRD ${name} is at version ${installed} but Istio requires at least ${minimum.join('.')}; istiod does not process resources of this kind`, got: installed, fix: 'upgrade the Gateway API CRDs' });
    }
  },
};
