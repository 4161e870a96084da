// Istio's authn.BlockedCIDRsAnalyzer: RequestAuthentications exist, but the istiod Deployment in the input
// (label app=istiod) does not set BLOCKED_CIDRS_IN_JWKS_URIS, so istiod fetches JWKS URIs from any network
// (IST0175). Without an istiod Deployment in the input there is nothing to check.
import { CrossRule } from '../engine';
import { Messages } from '../messages';

const MAX_NAMES = 5;

/** authn.BlockedCIDRsAnalyzer. @internal */
export const blockedCIDRsAnalyzer: CrossRule = {
  name: 'authn.BlockedCIDRsAnalyzer',
  check(ctx) {
    const ras = ctx.ofKind('security.istio.io/RequestAuthentication').map(ra => `${ctx.namespaceOf(ra)}/${ra?.metadata?.name}`);
    if (ras.length === 0) return;
    const names = ras.length <= MAX_NAMES ? ras.join(', ') : `${ras.slice(0, MAX_NAMES).join(', ')}, and ${ras.length - MAX_NAMES} more`;
    for (const d of ctx.ofKind('apps/Deployment')) {
      if (d?.metadata?.labels?.app !== 'istiod') continue;
      const containers: any[] = Array.isArray(d?.spec?.template?.spec?.containers) ? d.spec.template.spec.containers : [];
      const set = containers.some(c => (Array.isArray(c?.env) ? c.env : []).some((e: any) => e?.name === 'BLOCKED_CIDRS_IN_JWKS_URIS' && e?.value));
      if (set) continue;
      ctx.reporterFor(d)(Messages.JwksUriFetchUnrestricted, { args: [ras.length, names], field: 'spec.template.spec.containers', problem: `BLOCKED_CIDRS_IN_JWKS_URIS is not set, but ${ras.length} RequestAuthentication resource(s) exist (${names}), so istiod fetches their JWKS URIs from any network`, fix: 'set the BLOCKED_CIDRS_IN_JWKS_URIS env var of istiod to the networks JWKS URIs must not resolve to' });
    }
  },
};
