// Istio's deprecation.FieldAnalyzer (IST0002): fields Istio still accepts but ignores or replaced.
import { CrossRule } from '../engine';

/** deprecation.FieldAnalyzer. @internal */
export const deprecationAnalyzer: CrossRule = {
  name: 'deprecation.FieldAnalyzer',
  check(ctx) {
    for (const vs of ctx.ofKind('networking.istio.io/VirtualService')) {
      const http: any[] = Array.isArray(vs?.spec?.http) ? vs.spec.http : [];
      http.forEach((rule, i) => {
        const delay = rule?.fault?.delay;
        if (delay && delay.percent !== undefined) {
          ctx.reporterFor(vs).warning('IST0002', `spec.http[${i}].fault.delay.percent`, 'fault.delay.percent is deprecated', delay.percent, 'use fault.delay.percentage.value');
        }
      });
    }
    for (const sc of ctx.ofKind('networking.istio.io/Sidecar')) {
      if (sc?.spec?.outboundTrafficPolicy?.egressProxy !== undefined) {
        ctx.reporterFor(sc).warning('IST0002', 'spec.outboundTrafficPolicy.egressProxy', 'egressProxy is deprecated and ignored', undefined, 'route egress through an egress gateway instead');
      }
    }
  },
};
