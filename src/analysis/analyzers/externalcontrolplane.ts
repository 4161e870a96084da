// Istio's externalcontrolplane.ExternalControlPlaneAnalyzer over the webhook configurations in the input: the
// validating (istiod-default-validator, istio-validator*) and injection (istio-sidecar-injector*) webhooks of a
// cluster whose istiod runs elsewhere must reach it by a URL with a hostname (IST0163 when the URL is missing or
// unparsable, IST0164 when it is an IP address). istioctl also resolves the hostname through DNS; offline
// analysis does not (no network), so an unresolvable hostname is not reported.
import { isIP } from 'net';
import { CrossRule, RunContext } from '../engine';
import { Messages } from '../messages';

function checkWebhooks(ctx: RunContext, cfg: any): void {
  const hooks: any[] = Array.isArray(cfg?.webhooks) ? cfg.webhooks : [];
  hooks.forEach((hook, i) => {
    const r = ctx.reporterFor(cfg);
    const url = hook?.clientConfig?.url;
    const field = `webhooks[${i}].clientConfig`;
    if (typeof url === 'string') {
      let host: string;
      try {
        host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
      } catch {
        r(Messages.InvalidExternalControlPlaneConfig, { args: [url, hook?.name, 'was provided in an invalid format'], field: `${field}.url`, problem: `the URL of webhook ${hook?.name} to the external control plane was provided in an invalid format`, got: url, fix: 'use https://<istiod hostname>:<port>/<path>' });
        return;
      }
      if (isIP(host) !== 0) {
        r(Messages.ExternalControlPlaneAddressIsNotAHostname, { args: [url, hook?.name], field: `${field}.url`, problem: `webhook ${hook?.name} reaches the external control plane by the IP address ${host}, which is not recommended in production`, got: url, fix: 'use a hostname' });
      }
    } else if (!hook?.clientConfig?.service) {
      r(Messages.InvalidExternalControlPlaneConfig, { args: ['', hook?.name, 'is blank'], field, problem: `webhook ${hook?.name} has neither a URL nor a Service to reach the control plane (is blank)`, fix: 'set clientConfig.url to the external istiod' });
    }
  });
}

/** externalcontrolplane.ExternalControlPlaneAnalyzer. @internal */
export const externalControlPlaneAnalyzer: CrossRule = {
  name: 'externalcontrolplane.ExternalControlPlaneAnalyzer',
  check(ctx) {
    for (const cfg of ctx.ofKind('admissionregistration.k8s.io/ValidatingWebhookConfiguration')) {
      const name = String(cfg?.metadata?.name ?? '');
      if (name === 'istiod-default-validator' || name.startsWith('istio-validator')) checkWebhooks(ctx, cfg);
    }
    for (const cfg of ctx.ofKind('admissionregistration.k8s.io/MutatingWebhookConfiguration')) {
      if (String(cfg?.metadata?.name ?? '').startsWith('istio-sidecar-injector')) checkWebhooks(ctx, cfg);
    }
  },
};
