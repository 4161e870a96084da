// Istio's conditions.ConditionAnalyzer: a Service, ServiceEntry or AuthorizationPolicy whose `status` (as the
// input carries it, e.g. a `kubectl get -o yaml` dump) holds a condition with status False (IST0171).
import { CrossRule } from '../engine';
import { Messages } from '../messages';

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
          ctx.reporterFor(obj)(Messages.NegativeConditionStatus, { args: [c.type, c.reason ?? '', c.message ?? ''], field: `status.conditions[${i}]`, problem: `condition ${c.type} is False (reason ${c.reason ?? ''}: ${c.message ?? ''})`, got: c.type, fix: 'fix what the reason names; istiod sets the condition' });
        });
      }
    }
  },
};
