// The webhook's metadata checks, run on every Istio kind (VALIDATION-RULES.md section 0).
import { ObjectRule } from '../engine';

const E = 'IST0106';
const DRY_RUN = 'istio.io/dry-run';
const INTERNAL = ['internal.istio.io/webhook-always-reject', 'internal.istio.io/parents', 'internal.istio.io/parent-namespace'];

const ISTIO_KINDS = [
  'Gateway', 'VirtualService', 'DestinationRule', 'ServiceEntry', 'Sidecar', 'WorkloadEntry', 'WorkloadGroup', 'EnvoyFilter', 'ProxyConfig',
].map(k => `networking.istio.io/${k}`).concat(
  ['AuthorizationPolicy', 'PeerAuthentication', 'RequestAuthentication'].map(k => `security.istio.io/${k}`),
  ['telemetry.istio.io/Telemetry', 'extensions.istio.io/WasmPlugin', 'extensions.istio.io/TrafficExtension'],
);

/** Annotation checks of every Istio kind. @internal */
export const metadataRule: ObjectRule = {
  kinds: ISTIO_KINDS,
  check(obj, r) {
    const annotations: Record<string, unknown> = obj.metadata?.annotations ?? {};
    for (const key of INTERNAL) {
      if (key in annotations) r.error(E, `metadata.annotations.${key}`, 'this annotation is internal to Istio and always rejected', annotations[key], 'remove it');
    }
    if (DRY_RUN in annotations) {
      const value = annotations[DRY_RUN];
      const action = obj.spec?.action ?? 'ALLOW';
      if (obj.kind !== 'AuthorizationPolicy' || (action !== 'ALLOW' && action !== 'DENY')) {
        r.error(E, `metadata.annotations.${DRY_RUN}`, 'dry-run is only supported on AuthorizationPolicy with action ALLOW or DENY', value);
      } else if (typeof value !== 'string' || !/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(value)) {
        r.error(E, `metadata.annotations.${DRY_RUN}`, 'dry-run must be a boolean', value, '"true" or "false"');
      }
    }
  },
};
