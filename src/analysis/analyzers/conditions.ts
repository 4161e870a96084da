// Istio's conditions.ConditionAnalyzer: a Service, ServiceEntry or AuthorizationPolicy whose `status` (as the
// input carries it, e.g. a `kubectl get -o yaml` dump) holds a condition with status False (IST0171).
import { CrossRule } from '../engine';

const KINDS = ['/Service', 'networking.istio.io/ServiceEntry', 'security.istio.io/AuthorizationPolicy'];

/** conditions.ConditionAnalyzer. @internal */
export const conditionAnalyzer: CrossRule = {
  name: 'conditions.ConditionAnalyzer',
  check(ctx) {
    for (const gk of KINDS) {
      for (const obj of ctx.ofKind(gk)) {
        const conditions: unknown[] = Array.isArray(obj?.status?.conditions) ? obj.status.conditions : [];
        conditions.forEach((c: any, i) => {
          if (c?.status !== 'False') return;
          ctx.reporterFor(obj).warning('IST0171', `status.conditions[${i}]`, `condition ${c.type} is False (reason ${c.reason ?? ''}: ${c.message ?? ''})`, c.type, 'fix what the reason names; istiod sets the condition');
        });
      }
    }
  },
};
