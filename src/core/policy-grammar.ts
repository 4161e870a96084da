// Istio's grammars for the values of security policies (VALIDATION-RULES.md section 6): condition keys,
// service-account names, trust domains, ports as strings and path templates. Pure predicates, shared by the
// constructs (which refuse a bad literal at once) and the analysis engine (which judges any manifest).
// Each returns undefined when the value is fine, else what is wrong.

/** The `when` keys that take a bracketed name: `request.headers[x-user]`. */
const MAP_KEY_PREFIXES = ['request.headers', 'request.auth.claims', 'experimental.envoy.filters.'];

/** The `when` keys Istio accepts as they are. */
const PLAIN_KEYS = [
  'source.ip', 'remote.ip', 'destination.ip', 'destination.port', 'source.namespace', 'source.principal',
  'source.serviceAccount', 'source.trustDomain', 'request.auth.principal', 'request.auth.audiences',
  'request.auth.presenter', 'connection.sni',
];

/** Keys Istio names in its refusal because a better field exists. */
const REJECTED_KEYS: Record<string, string> = {
  'destination.namespace': 'use the policy\'s metadata.namespace instead',
  'destination.name': 'use a selector or targetRefs instead',
  'destination.user': 'it is not supported',
};

/** Every accepted key form, for messages. @internal */
export const CONDITION_KEYS = `${PLAIN_KEYS.join(', ')}, request.headers[<name>], request.auth.claims[<name>], experimental.envoy.filters.<filter>[<key>]`;

/** A `when` key (`validateAttribute`): one of the plain keys or a prefix + `[name]`. @internal */
export function checkConditionKey(key: unknown): string | undefined {
  if (typeof key !== 'string' || key.length === 0) return 'a condition needs a key';
  if (PLAIN_KEYS.includes(key)) return undefined;
  if (key in REJECTED_KEYS) return `the key ${key} is not supported: ${REJECTED_KEYS[key]}`;
  if (key.startsWith('destination.labels')) return `the key ${key} is not supported: use a selector instead`;
  if (MAP_KEY_PREFIXES.some(p => key.startsWith(p))) {
    const open = key.indexOf('[');
    if (key.endsWith(']') && open > 0 && open < key.length - 2) return undefined;
    return `the key ${key} needs a name in brackets, e.g. request.headers[x-user] or request.auth.claims[groups]`;
  }
  return `unknown condition key ${key}`;
}

/** A `serviceAccounts` entry: `sa` or `ns/sa`, both parts non-empty, no `*`, <= 320 characters. @internal */
export function checkServiceAccountName(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'a service account must not be empty';
  if (value.length > 320) return 'a service account must be at most 320 characters';
  if (value.includes('*')) return 'a service account must not contain "*"';
  const parts = value.split('/');
  if (parts.length > 2 || parts.some(p => p.length === 0)) return 'a service account is "name" or "namespace/name"';
  return undefined;
}

/** A `trustDomains` entry: no `/`, at most one `*`, only at the start or the end. @internal */
export function checkTrustDomain(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'a trust domain must not be empty';
  if (value.includes('/')) return 'a trust domain must not contain "/"';
  const stars = value.split('*').length - 1;
  if (stars > 1) return 'a trust domain may hold at most one "*"';
  if (stars === 1 && !value.startsWith('*') && !value.endsWith('*')) return 'a "*" in a trust domain must be at the start or the end';
  return undefined;
}

/** A port as AuthorizationPolicy writes it: a decimal string from 0 to 65535. @internal */
export function checkPolicyPort(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^[0-9]+$/.test(value) || Number(value) > 65535) return 'a port must be a number from 0 to 65535, written as a string';
  return undefined;
}

const LITERAL_SEGMENT = /^[a-zA-Z0-9\-._~%!$&'()+,;:@=]+$/;

/**
 * An operation path. Without `{` or `}` anything goes (`*` works as prefix/suffix wildcard). With them it
 * is a template: `{*}` (one segment) and `{**}` (any number) as whole segments, nothing templated after a
 * `{**}`, and literal segments from the URL path charset. @internal
 */
export function checkPolicyPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'a path must not be empty';
  if (!value.includes('{') && !value.includes('}')) return undefined;
  const segments = value.replace(/^\//, '').split('/');
  let sawMatchAny = false;
  for (const seg of segments) {
    if (seg === '{*}' || seg === '{**}') {
      if (sawMatchAny) return 'in a path template, {**} must be the last operator';
      if (seg === '{**}') sawMatchAny = true;
      continue;
    }
    if (seg.includes('{') || seg.includes('}')) return `path template segment "${seg}" is not allowed: use {*} or {**} as a whole segment`;
    if (!LITERAL_SEGMENT.test(seg)) return `path template segment "${seg}" has characters outside [a-zA-Z0-9-._~%!$&'()+,;:@=]`;
  }
  return undefined;
}
