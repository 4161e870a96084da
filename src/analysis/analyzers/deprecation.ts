// Istio's deprecation.FieldAnalyzer (IST0002): fields Istio still accepts but ignores or replaced.
import { CrossRule } from '../engine';
import { Messages } from '../messages';

/** deprecation.FieldAnalyzer. @internal */
export const deprecationAnalyzer: CrossRule = {
  name: 'deprecation.FieldAnalyzer',
  check(ctx) {
    for (const vs of ctx.ofKind('networking.istio.io/VirtualService')) {
      const http: any[] = Array.isArray(vs?.spec?.http) ? vs.spec.http : [];
      http.forEach((rule, i) => {
        const delay = rule?.fault?.delay;
        if (delay && delay.percent !== undefined) {
          ctx.reporterFor(vs)(Messages.Deprecated, { field: `spec.http[${i}].fault.delay.percent`, problem: 'fault.delay.percent is deprecated', got: delay.percent, fix: 'use fault.delay.percentage.value' });
        }
      });
    }
    for (const sc of ctx.ofKind('networking.istio.io/Sidecar')) {
      if (sc?.spec?.outboundTrafficPolicy?.egressProxy !== undefined) {
        ctx.reporterFor(sc)(Messages.Deprecated, { field: 'spec.outboundTrafficPolicy.egressProxy', problem: 'egressProxy is deprecated and ignored', fix: 'route egress through an egress gateway instead' });
      }
    }
  },
};
