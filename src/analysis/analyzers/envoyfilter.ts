// Istio's envoyfilter.EnvoyPatchAnalyzer: patch operations that Istio ignores for their applyTo (IST0152 REPLACE,
// IST0153 ADD, IST0154 REMOVE), and relative operations without a priority, whose order against other filters
// is fragile (IST0151), more so when an earlier EnvoyFilter patches the same filter under a proxyVersion match,
// which breaks during upgrades (IST0155). EnvoyFilters are analysed in input order, as Istio does.
import { CrossRule, Finding, Reporter } from '../engine';
import { MessageType, Messages } from '../messages';

const EF = 'networking.istio.io/EnvoyFilter';
/** applyTo values where ADD and REMOVE are ignored. */
const ROUTE_LEVEL = new Set(['ROUTE_CONFIGURATION', 'HTTP_ROUTE']);
/** applyTo values where REPLACE is valid (the message names the first two; Istio's code allows all three). */
const REPLACEABLE = new Set(['HTTP_FILTER', 'NETWORK_FILTER', 'VIRTUAL_HOST']);

/** The filter a patch is about: its value's `name`, else the filter its listener match names. */
function patchedFilterName(patch: any): string {
  const value = patch?.patch?.value;
  if (!value || typeof value !== 'object') return '';
  if (value.name !== undefined && value.name !== null) return JSON.stringify(value.name);
  const name = patch?.match?.listener?.filterChain?.filter?.name;
  return typeof name === 'string' ? name : '';
}

/** envoyfilter.EnvoyPatchAnalyzer. @internal */
export const envoyPatchAnalyzer: CrossRule = {
  name: 'envoyfilter.EnvoyPatchAnalyzer',
  check(ctx) {
    // Filters patched so far under a proxyVersion match (by this or an earlier EnvoyFilter).
    const versionedFilters = new Set<string>();
    for (const ef of ctx.ofKind(EF)) {
      const r = onePerCode(ctx.reporterFor(ef));
      const priority = typeof ef?.spec?.priority === 'number' ? ef.spec.priority : 0;
      const patches: unknown[] = Array.isArray(ef?.spec?.configPatches) ? ef.spec.configPatches : [];
      for (let i = 0; i < patches.length; i++) {
        const p: any = patches[i];
        if (!p?.patch || typeof p.patch !== 'object') break;
        const filter = patchedFilterName(p);
        const field = `spec.configPatches[${i}]`;
        const op = p.patch.operation;
        const applyTo = typeof p.applyTo === 'string' ? p.applyTo : 'INVALID';
        const relative = () => relativeWithoutPriority(r, { field, op, priority, versioned: versionedFilters.has(filter) });
        if (op === 'ADD') {
          if (ROUTE_LEVEL.has(applyTo)) r(Messages.EnvoyFilterUsesAddOperationIncorrectly, { field: `${field}.patch.operation`, problem: `the ADD operation is ignored when applyTo is ${applyTo}`, got: op, fix: 'use MERGE, or apply the patch to another level' });
        } else if (op === 'REMOVE') {
          if (ROUTE_LEVEL.has(applyTo)) r(Messages.EnvoyFilterUsesRemoveOperationIncorrectly, { field: `${field}.patch.operation`, problem: `the REMOVE operation is ignored when applyTo is ${applyTo}`, got: op, fix: 'remove the route with a VirtualService instead' });
          else relative();
        } else if (op === 'REPLACE') {
          if (!REPLACEABLE.has(applyTo)) r(Messages.EnvoyFilterUsesReplaceOperationIncorrectly, { field: `${field}.applyTo`, problem: `the REPLACE operation is only valid for HTTP_FILTER, NETWORK_FILTER and VIRTUAL_HOST, not ${applyTo}`, got: applyTo, fix: 'use MERGE, or REMOVE and ADD' });
          else relative();
        } else if (op === 'INSERT_BEFORE' || op === 'INSERT_AFTER') {
          relative();
        }
        const proxyVersion = p?.match?.proxy?.proxyVersion;
        if (typeof proxyVersion === 'string' && proxyVersion.length > 0) versionedFilters.add(filter);
      }
    }
  },
};

/**
 * Istio's messages for these codes carry no arguments, so several patches of one EnvoyFilter with the same
 * mistake make one message (istioctl prints identical messages once); the first patch is the one named.
 */
function onePerCode(r: Reporter): Reporter {
  const seen = new Set<string>();
  return (msg: MessageType, finding: Finding) => {
    if (seen.has(msg.code)) return;
    seen.add(msg.code);
    r(msg, finding);
  };
}

/** A relative patch operation (`field`: the patch) of an EnvoyFilter whose `priority` is 0. */
interface RelativePatch {
  readonly field: string;
  readonly op: string;
  readonly priority: number;
  /** The patched filter is also patched under a proxyVersion match. */
  readonly versioned: boolean;
}

function relativeWithoutPriority(r: Reporter, { field, op, priority, versioned }: RelativePatch): void {
  if (priority !== 0) return;
  if (versioned) {
    r(Messages.EnvoyFilterUsesRelativeOperationWithProxyVersion, { field: `${field}.patch.operation`, problem: `relative operation ${op} without spec.priority on a filter that an EnvoyFilter patches under a proxyVersion match; it may not apply after an upgrade`, got: op, fix: 'set spec.priority, or use INSERT_FIRST or ADD' });
  } else {
    r(Messages.EnvoyFilterUsesRelativeOperation, { field: `${field}.patch.operation`, problem: `relative operation ${op} without spec.priority: whether the patch applies depends on the order of other EnvoyFilters`, got: op, fix: 'set spec.priority, or use INSERT_FIRST or ADD' });
  }
}
