// Istio's telemetry.* analyzers: selectors that match nothing or overlap (IST0101, IST0159), several
// selector-less Telemetries in a namespace (IST0160), access logging with no provider while the mesh has no
// default (IST0157), and tracing through a Lightstep provider (IST0002, needs `meshConfig`).
import { multipleDefaults, selectorConflicts } from './sidecar';
import { CrossRule } from '../engine';
import { Messages } from '../messages';
import { nonEmptyMap } from '../objects';

const TELEMETRY = 'telemetry.istio.io/Telemetry';

function selectorOf(t: any): Record<string, string> | undefined {
  return nonEmptyMap(t?.spec?.selector?.matchLabels);
}

/** telemetry.SelectorAnalyzer. @internal */
export const telemetrySelectorAnalyzer: CrossRule = {
  name: 'telemetry.SelectorAnalyzer',
  check(ctx) {
    selectorConflicts(ctx, ctx.ofKind(TELEMETRY), selectorOf, { conflict: Messages.ConflictingTelemetryWorkloadSelectors, missing: Messages.ReferencedResourceNotFound, noun: 'Telemetry' });
  },
};

/** telemetry.DefaultSelectorAnalyzer (a targetRef-only Telemetry counts as selector-less, as in Istio). @internal */
export const telemetryDefaultSelectorAnalyzer: CrossRule = {
  name: 'telemetry.DefaultSelectorAnalyzer',
  check(ctx) {
    multipleDefaults(ctx, ctx.ofKind(TELEMETRY), t => !selectorOf(t), Messages.MultipleTelemetriesWithoutWorkloadSelectors, 'Telemetry');
  },
};

/** telemetry.ProviderAnalyzer. @internal */
export const telemetryProviderAnalyzer: CrossRule = {
  name: 'telemetry.ProviderAnalyzer',
  check(ctx) {
    const defaults: unknown = ctx.options.meshConfig?.defaultProviders?.accessLogging;
    if (Array.isArray(defaults) && defaults.length > 0) return;
    for (const t of ctx.ofKind(TELEMETRY)) {
      const entries: any[] = Array.isArray(t?.spec?.accessLogging) ? t.spec.accessLogging : [];
      entries.forEach((e, i) => {
        const providers = Array.isArray(e?.providers) ? e.providers : [];
        if (providers.length === 0 && e?.disabled !== true) {
          ctx.reporterFor(t)(Messages.InvalidTelemetryProvider, { args: [t?.metadata?.name, ctx.namespaceOf(t)], field: `spec.accessLogging[${i}]`, problem: 'access logging without providers, and the mesh config names no default access-log provider: this entry is ignored', fix: 'list providers (e.g. envoy) or set meshConfig.defaultProviders.accessLogging' });
        }
      });
    }
  },
};

/** telemetry.LightstepAnalyzer. @internal */
export const telemetryLightstepAnalyzer: CrossRule = {
  name: 'telemetry.LightstepAnalyzer',
  check(ctx) {
    const providers: any[] = Array.isArray(ctx.options.meshConfig?.extensionProviders) ? ctx.options.meshConfig.extensionProviders : [];
    const lightstep = new Set(providers.filter(p => p?.lightstep).map(p => p.name));
    if (lightstep.size === 0) return;
    for (const t of ctx.ofKind(TELEMETRY)) {
      const tracing: any[] = Array.isArray(t?.spec?.tracing) ? t.spec.tracing : [];
      tracing.forEach((tr, i) => {
        (Array.isArray(tr?.providers) ? tr.providers : []).forEach((p: any, j: number) => {
          if (lightstep.has(p?.name)) {
            ctx.reporterFor(t)(Messages.Deprecated, { field: `spec.tracing[${i}].providers[${j}]`, problem: `provider "${p.name}" is a Lightstep provider, which is deprecated`, got: p.name, fix: 'use an OpenTelemetry provider' });
          }
        });
      });
    }
  },
};
