// What ztunnel, ambient mode's node proxy, can enforce of an AuthorizationPolicy: L4 attributes (peer identity,
// namespace, IPs, ports) only, as istiod converts policies for it (pilot's ambient authorization.go, handleRule).
// Read by ZeroTrustNamespace (to bind L7 rules to a waypoint) and by the ambient analyzer (to report L7 rules
// bound by selector), over the rule as Istio's YAML writes it. The mesh model (src/behaviour/authorization.ts)
// keeps the same list for its ztunnel layer.

/** Source fields that need the HTTP request (a JWT, or the original client from X-Forwarded-For). */
const L7_SOURCE_FIELDS = ['requestPrincipals', 'notRequestPrincipals', 'remoteIpBlocks', 'notRemoteIpBlocks'];
/** Operation fields that need the HTTP request. */
const L7_OPERATION_FIELDS = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'];

/** The `when` keys istiod hands to ztunnel; every other key counts as an HTTP attribute. */
const L4_CONDITION_KEYS = new Set(['source.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port']);

function isL7ConditionKey(key: string): boolean {
  return !L4_CONDITION_KEYS.has(key);
}

/** One L7 attribute of a rule: its field path below the rule and the field name. */
interface L7Attribute {
  /** e.g. `to[0].operation.paths`, `when[1]`. */
  readonly field: string;
  /** e.g. `paths`, `request.headers[x-user]`. */
  readonly name: string;
}

/** The L7 attributes of one rule as YAML writes it (`{ from: [{ source }], to: [{ operation }], when }`). @internal */
export function l7AttributesOfRule(rule: any): L7Attribute[] {
  const out: L7Attribute[] = [];
  (Array.isArray(rule?.from) ? rule.from : []).forEach((f: any, i: number) => {
    for (const k of L7_SOURCE_FIELDS) if (isSet(f?.source?.[k])) out.push({ field: `from[${i}].source.${k}`, name: k });
  });
  (Array.isArray(rule?.to) ? rule.to : []).forEach((t: any, i: number) => {
    for (const k of L7_OPERATION_FIELDS) if (isSet(t?.operation?.[k])) out.push({ field: `to[${i}].operation.${k}`, name: k });
  });
  (Array.isArray(rule?.when) ? rule.when : []).forEach((c: any, i: number) => {
    if (typeof c?.key === 'string' && isL7ConditionKey(c.key)) out.push({ field: `when[${i}]`, name: c.key });
  });
  return out;
}

const isSet = (v: unknown) => Array.isArray(v) && v.length > 0;
