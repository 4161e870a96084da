// The object envelope, in the order the API server and istiod meet it, each step its own rule:
// 1. envelopeTypesRule: what the API server cannot decode (a list document, no kind or apiVersion, metadata
//    fields of the wrong type). Nothing else runs on such an object, in any group.
// 2. kubernetesObjectRule: what the API server's validation refuses in any kind's envelope (metadata.name in the
//    format the kind requires, namespace, label and annotation syntax and size). It runs before the schema,
//    because the API server refuses such an object whatever its spec.
// 3. metadataRule: istiod's webhook envelope checks of Istio kinds (VALIDATION-RULES.md section 0): the dry-run
//    annotation, Istio's internal annotations, and the Gateway name, which istiod uses as a DNS label.
// (Unknown top-level fields are the schema rule's, for every kind it has a schema for.)
// All report IST0106 (Schema validation error): the object is refused before any analyzer sees it, and Istio's
// code for "refused at admission" is the one users search for; a second code for the same fact would not help.
import { renderValue } from '../../core/errors';
import { checkDns1123Label, checkLabelKey, checkLabelValue } from '../../core/validate';
import { Finding, groupOf, ObjectRule, Reporter } from '../engine';
import { Messages } from '../messages';
import { isObj } from '../objects';

/** The API server or istiod refuses the object: IST0106. */
function refuse(r: Reporter, finding: Finding) {
  r(Messages.SchemaValidationError, finding);
}

const DRY_RUN = 'istio.io/dry-run';
const INTERNAL = ['internal.istio.io/webhook-always-reject', 'internal.istio.io/parents', 'internal.istio.io/parent-namespace'];
// Go's strconv.ParseBool, which istiod uses on the dry-run value.
const GO_BOOL = /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/;

// The API server's name grammars (k8s.io/apimachinery/pkg/util/validation): lower case only, unlike Istio's.
const K8S_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const K8S_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const K8S_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** The API server's limit on all annotations of one object together (TotalAnnotationSizeLimitB). */
const ANNOTATIONS_LIMIT = 256 * 1024;

function dns1123Label(value: string): string | undefined {
  if (value.length > 63) return `must be at most 63 characters (a DNS-1123 label; got ${value.length})`;
  if (!K8S_LABEL.test(value)) return 'must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit';
  return undefined;
}

function dns1035Label(value: string): string | undefined {
  if (value.length > 63) return `must be at most 63 characters (a DNS-1035 label; got ${value.length})`;
  if (!K8S_1035_LABEL.test(value)) return 'must be a DNS-1035 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit';
  return undefined;
}

function dns1123Subdomain(value: string): string | undefined {
  if (value.length > 253) return `must be at most 253 characters (a DNS-1123 subdomain; got ${value.length})`;
  if (!K8S_SUBDOMAIN.test(value)) return 'must be a DNS-1123 subdomain: lower-case letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit';
  return undefined;
}

function pathSegment(value: string): string | undefined {
  if (value === '.' || value === '..') return `must not be "${value}"`;
  if (/[/%]/.test(value)) return 'must not contain "/" or "%"';
  return undefined;
}

const RBAC = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].map(k => `rbac.authorization.k8s.io/${k}`);

/** The name grammar the API server applies to a kind (ValidateObjectMeta's nameFn per registry). */
function nameRule(groupKind: string): [(v: string) => string | undefined, string] {
  if (groupKind === '/Namespace') return [dns1123Label, 'e.g. "shop"'];
  if (groupKind === '/Service') return [dns1035Label, 'e.g. "reviews"'];
  if (RBAC.includes(groupKind)) return [pathSegment, 'e.g. "reader"'];
  return [dns1123Subdomain, 'e.g. "reviews" or "reviews.v1"'];
}

function checkName(obj: any, gk: string, r: Reporter) {
  const m = obj.metadata;
  const name = m.name;
  // null decodes as absent, as in any Kubernetes object field.
  if (name === undefined || name === null || name === '') {
    const hint = typeof m.generateName === 'string' ? 'generateName works with kubectl create only; kubectl apply and GitOps tools need a name' : 'give the object a name';
    refuse(r, { field: 'metadata.name', problem: 'the API server requires a name', got: name === '' ? '' : undefined, fix: hint });
    return;
  }
  const [check, example] = nameRule(gk);
  const err = check(name);
  if (err) refuse(r, { field: 'metadata.name', problem: `a ${obj.kind} name ${err}`, got: name, fix: example });
}

function checkNamespace(ns: string | null | undefined, r: Reporter) {
  if (ns === undefined || ns === null || ns === '') return;
  const err = dns1123Label(ns);
  if (err) refuse(r, { field: 'metadata.namespace', problem: `a namespace ${err}`, got: ns, fix: 'e.g. "shop"' });
}

function checkMap(obj: any, key: 'labels' | 'annotations', r: Reporter) {
  const map = obj.metadata[key];
  if (!isObj(map)) return;
  let size = 0;
  for (const [k, v] of Object.entries(map)) {
    const field = `metadata.${key}.${k}`;
    const keyErr = checkLabelKey(k);
    if (keyErr) {
      refuse(r, { field, problem: `invalid ${key === 'labels' ? 'label' : 'annotation'} key: ${key === 'labels' ? keyErr : keyErr.replace(/label/g, 'annotation')}`, got: k });
      continue;
    }
    size += k.length + Buffer.byteLength(v as string);
    if (key === 'labels') {
      const valueErr = checkLabelValue(v as string);
      if (valueErr) refuse(r, { field, problem: `invalid label value: ${valueErr}`, got: v });
    }
  }
  if (key === 'annotations' && size > ANNOTATIONS_LIMIT) {
    refuse(r, { field: 'metadata.annotations', problem: `annotations may hold at most 256 KiB together (got ${size} bytes)`, fix: 'move large data into a ConfigMap' });
  }
}

/**
 * What the API server cannot decode into an object at all: a document that is a list, no kind or apiVersion, and
 * envelope fields of the wrong type. Nothing else runs on such an object (`decodes`).
 * @internal
 */
export const envelopeTypesRule: ObjectRule = {
  kinds: ['*'],
  decodes: true,
  check(obj, r) {
    if (Array.isArray(obj)) {
      refuse(r, { field: '', problem: `the YAML document is a list (got ${renderValue(obj)}), not a Kubernetes object`, fix: 'write each object as its own document, or wrap them in kind: List with items' });
      return;
    }
    if (typeof obj.kind !== 'string' || obj.kind === '') {
      refuse(r, { field: 'kind', problem: 'every Kubernetes object needs a kind', got: obj.kind, fix: 'e.g. kind: VirtualService' });
      return;
    }
    if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') {
      refuse(r, { field: 'apiVersion', problem: 'every Kubernetes object needs an apiVersion', got: obj.apiVersion, fix: 'e.g. apiVersion: networking.istio.io/v1' });
    }
    const m = obj.metadata;
    if (m === undefined || m === null) return;
    if (!isObj(m)) {
      refuse(r, { field: 'metadata', problem: 'must be an object', got: m, fix: 'metadata: {name: ..., namespace: ...}' });
      return;
    }
    for (const key of ['name', 'namespace', 'generateName']) {
      if (m[key] !== undefined && m[key] !== null && typeof m[key] !== 'string') refuse(r, { field: `metadata.${key}`, problem: 'must be a string', got: m[key] });
    }
    for (const key of ['labels', 'annotations']) {
      const map = m[key];
      if (map === undefined || map === null) continue;
      if (!isObj(map)) {
        refuse(r, { field: `metadata.${key}`, problem: 'must be a map of strings', got: map });
        continue;
      }
      for (const [k, v] of Object.entries(map)) {
        if (typeof v !== 'string') refuse(r, { field: `metadata.${key}.${k}`, problem: 'must be a string', got: v, fix: 'quote it, e.g. "true"' });
      }
    }
  },
};

/**
 * What the API server refuses in a decodable object's envelope, whatever its kind: the name in the format the
 * kind requires, the namespace, label and annotation syntax and size.
 * @internal
 */
export const kubernetesObjectRule: ObjectRule = {
  kinds: ['*'],
  check(obj, r) {
    if (!isObj(obj.metadata)) {
      refuse(r, { field: 'metadata.name', problem: 'the API server requires metadata with a name', got: obj.metadata, fix: 'add metadata: {name: ...}' });
      return;
    }
    checkName(obj, `${groupOf(obj.apiVersion)}/${obj.kind}`, r);
    checkNamespace(obj.metadata.namespace, r);
    checkMap(obj, 'labels', r);
    checkMap(obj, 'annotations', r);
  },
};

// The webhook covers every kind of these groups; these are the kinds the pinned CRDs define.
const ISTIO_KINDS = [
  'Gateway', 'VirtualService', 'DestinationRule', 'ServiceEntry', 'Sidecar', 'WorkloadEntry', 'WorkloadGroup', 'EnvoyFilter', 'ProxyConfig',
].map(k => `networking.istio.io/${k}`).concat(
  ['AuthorizationPolicy', 'PeerAuthentication', 'RequestAuthentication'].map(k => `security.istio.io/${k}`),
  ['telemetry.istio.io/Telemetry', 'extensions.istio.io/WasmPlugin', 'extensions.istio.io/TrafficExtension'],
);

/** istiod's envelope and annotation checks of every Istio kind. @internal */
export const metadataRule: ObjectRule = {
  kinds: ISTIO_KINDS,
  check(obj, r) {
    const annotations: Record<string, unknown> = obj.metadata?.annotations ?? {};
    for (const key of INTERNAL) {
      if (key in annotations) refuse(r, { field: `metadata.annotations.${key}`, problem: 'this annotation is internal to Istio and always rejected', got: annotations[key], fix: 'remove it' });
    }
    if (DRY_RUN in annotations) {
      const value = annotations[DRY_RUN];
      const field = `metadata.annotations.${DRY_RUN}`;
      const action = obj.spec?.action ?? 'ALLOW';
      if (obj.kind !== 'AuthorizationPolicy') {
        refuse(r, { field, problem: `the dry-run annotation is supported only on AuthorizationPolicy, not on ${obj.kind}`, got: value, fix: 'remove it' });
      } else if (action !== 'ALLOW' && action !== 'DENY') {
        refuse(r, { field, problem: `the dry-run annotation is supported only on AuthorizationPolicy with action ALLOW or DENY, not ${action}`, got: value, fix: 'remove it, or use action ALLOW or DENY' });
      } else if (typeof value !== 'string' || !GO_BOOL.test(value)) {
        refuse(r, { field, problem: 'the dry-run annotation must be a boolean', got: value, fix: '"true" or "false"' });
      }
    }
    // A name the API server refuses is reported once, by kubernetesObjectRule; this is istiod's stricter rule.
    const name = obj.metadata?.name;
    if (obj.kind === 'Gateway' && typeof name === 'string' && !dns1123Subdomain(name)) {
      const err = checkDns1123Label(name);
      if (err) refuse(r, { field: 'metadata.name', problem: `a Gateway name ${err} (no dots, unlike other Kubernetes names)`, got: name, fix: 'e.g. "public-gateway"' });
    }
  },
};
