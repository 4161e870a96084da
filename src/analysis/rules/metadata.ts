// The webhook's checks of the object envelope, run on every Istio kind (VALIDATION-RULES.md section 0): unknown
// top-level keys, the dry-run annotation, Istio's internal annotations, and the Gateway name, which istiod
// uses as a DNS label in generated resource names and so holds to a stricter rule than Kubernetes.
import { checkDns1123Label } from '../../core/validate';
import { ObjectRule } from '../engine';

const E = 'IST0106';
const DRY_RUN = 'istio.io/dry-run';
const INTERNAL = ['internal.istio.io/webhook-always-reject', 'internal.istio.io/parents', 'internal.istio.io/parent-namespace'];
const TOP_LEVEL = new Set(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
// Go's strconv.ParseBool, which istiod uses on the dry-run value.
const GO_BOOL = /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/;

// The webhook covers every kind of these groups; these are the kinds the pinned CRDs define.
const ISTIO_KINDS = [
  'Gateway', 'VirtualService', 'DestinationRule', 'ServiceEntry', 'Sidecar', 'WorkloadEntry', 'WorkloadGroup', 'EnvoyFilter', 'ProxyConfig',
].map(k => `networking.istio.io/${k}`).concat(
  ['AuthorizationPolicy', 'PeerAuthentication', 'RequestAuthentication'].map(k => `security.istio.io/${k}`),
  ['telemetry.istio.io/Telemetry', 'extensions.istio.io/WasmPlugin', 'extensions.istio.io/TrafficExtension'],
);

/** Envelope and annotation checks of every Istio kind. @internal */
export const metadataRule: ObjectRule = {
  kinds: ISTIO_KINDS,
  check(obj, r) {
    for (const key of Object.keys(obj)) {
      if (!TOP_LEVEL.has(key)) r.error(E, key, 'unknown top-level field; istiod rejects anything but apiVersion, kind, metadata, spec and status', key, 'move it under spec, or remove it');
    }
    const annotations: Record<string, unknown> = obj.metadata?.annotations ?? {};
    for (const key of INTERNAL) {
      if (key in annotations) r.error(E, `metadata.annotations.${key}`, 'this annotation is internal to Istio and always rejected', annotations[key], 'remove it');
    }
    if (DRY_RUN in annotations) {
      const value = annotations[DRY_RUN];
      const field = `metadata.annotations.${DRY_RUN}`;
      const action = obj.spec?.action ?? 'ALLOW';
      if (obj.kind !== 'AuthorizationPolicy') {
        r.error(E, field, `the dry-run annotation is supported only on AuthorizationPolicy, not on ${obj.kind}`, value, 'remove it');
      } else if (action !== 'ALLOW' && action !== 'DENY') {
        r.error(E, field, `the dry-run annotation is supported only on AuthorizationPolicy with action ALLOW or DENY, not ${action}`, value, 'remove it, or use action ALLOW or DENY');
      } else if (typeof value !== 'string' || !GO_BOOL.test(value)) {
        r.error(E, field, 'the dry-run annotation must be a boolean', value, '"true" or "false"');
      }
    }
    if (obj.kind === 'Gateway' && typeof obj.metadata?.name === 'string') {
      const err = checkDns1123Label(obj.metadata.name);
      if (err) r.error(E, 'metadata.name', `a Gateway name ${err} (no dots, unlike other Kubernetes names)`, obj.metadata.name, 'e.g. "public-gateway"');
    }
  },
};
