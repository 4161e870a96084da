// Authorization as the server's proxy evaluates it: CUSTOM policies first, then DENY, then ALLOW; with no ALLOW
// policy everything that is not denied is allowed, with ALLOW policies only what one of them matches. Dry-run
// policies are evaluated and reported but not enforced.
// https://istio.io/latest/docs/concepts/security/#implicit-enablement
import { describeRef, MeshData } from './data';
import { authzValueMatches, ipInBlock, lowerKeys } from './match';
import { AuthorizationAnswer, AuthorizationDecision, AuthorizationRequest, Caller, DecidedBy, DryRunMatch, RequestProtocol } from './types';
import { matchesSelector, Workload } from '../analysis/analyzers/mesh-index';
import { listOf } from '../analysis/objects';

/** The attributes a rule is evaluated against. */
interface Attributes {
  readonly principal?: string;
  readonly namespace?: string;
  readonly ip?: string;
  readonly requestPrincipal?: string;
  readonly claims: Record<string, string>;
  readonly host?: string;
  readonly port: number;
  readonly method?: string;
  readonly path?: string;
  readonly headers: Record<string, string>;
  readonly sni?: string;
  readonly http: boolean;
}

/** A caller principal's namespace (`<td>/ns/<ns>/sa/<sa>`). @internal */
export function namespaceOfPrincipal(principal: string | undefined): string | undefined {
  const m = principal ? /\/ns\/([^/]+)\/sa\//.exec(principal) : null;
  return m ? m[1] : undefined;
}

/** The AuthorizationPolicies that apply to a workload, in input (creation) order. @internal */
export function policiesFor(data: MeshData, w: Workload): any[] {
  return data.authorizationPolicies.filter(p => {
    if (p.spec?.targetRef || p.spec?.targetRefs) return false;
    const ns = data.nsOf(p);
    if (ns !== w.namespace && ns !== data.rootNamespace) return false;
    const sel = p.spec?.selector?.matchLabels;
    return !sel || matchesSelector(w.labels, sel);
  });
}

/** Which fields of a rule need HTTP: a sidecar on a TCP port and ztunnel see them differently. */
interface L7Fields {
  readonly source: string[];
  readonly operation: string[];
  readonly when: (key: string) => boolean;
}
const HTTP_OPERATION_FIELDS = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'];
/** A sidecar on a TCP port: the AuthorizationPolicy reference's HTTP-only fields. */
const SIDECAR_TCP: L7Fields = { source: ['requestPrincipals', 'notRequestPrincipals'], operation: HTTP_OPERATION_FIELDS, when: k => k.startsWith('request.') };
/** ztunnel (istiod's ambient conversion, handleRule): also remoteIpBlocks, and every condition but five L4 keys. */
const L4_CONDITIONS = new Set(['source.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port']);
const ZTUNNEL: L7Fields = {
  source: ['remoteIpBlocks', 'notRemoteIpBlocks', 'requestPrincipals', 'notRequestPrincipals'],
  operation: HTTP_OPERATION_FIELDS,
  when: k => !L4_CONDITIONS.has(k),
};

/**
 * The waypoint a workload's Service traffic goes through in ambient mode: the Service's `istio.io/use-waypoint`
 * label, else its namespace's (`none` opts out).
 * @see https://istio.io/latest/docs/ambient/usage/waypoint/#configure-a-pod-to-use-a-specific-waypoint
 * @internal
 */
export function waypointOf(data: MeshData, w: Workload): any | undefined {
  const svc = data.servicesOf(w)[0];
  const svcLabels = svc?.obj?.metadata?.labels ?? {};
  const nsLabels = data.namespaces.get(w.namespace)?.metadata?.labels ?? {};
  const [name, ns] = svcLabels['istio.io/use-waypoint'] !== undefined
    ? [svcLabels['istio.io/use-waypoint'], svcLabels['istio.io/use-waypoint-namespace'] ?? w.namespace]
    : [nsLabels['istio.io/use-waypoint'], nsLabels['istio.io/use-waypoint-namespace'] ?? w.namespace];
  if (name === undefined || name === 'none') return undefined;
  return data.waypoints.find(g => data.nsOf(g) === ns && g.metadata?.name === name) ?? { kind: 'Gateway', metadata: { name, namespace: ns }, __missing: true };
}

/**
 * Policies a waypoint enforces for a workload: `targetRefs` to the waypoint Gateway, or to a Service of the
 * workload that uses it.
 * @see https://istio.io/latest/docs/ambient/usage/l7-features/
 */
function waypointPolicies(data: MeshData, w: Workload, waypoint: any): any[] {
  const services = data.servicesOf(w).map(s => s.obj?.metadata?.name);
  return data.authorizationPolicies.filter(p => {
    const refs: any[] = [...(Array.isArray(p.spec?.targetRefs) ? p.spec.targetRefs : []), ...(p.spec?.targetRef ? [p.spec.targetRef] : [])];
    return refs.some(r => (r?.kind === 'Gateway' && data.nsOf(p) === data.nsOf(waypoint) && r.name === waypoint.metadata?.name)
      || (r?.kind === 'Service' && (r.group ?? '') === '' && data.nsOf(p) === w.namespace && services.includes(r.name)));
  });
}

/** Authorize a request. @internal */
export function authorize(data: MeshData, req: AuthorizationRequest): AuthorizationAnswer {
  const w = data.requireWorkload(req.workload, 'MeshModel.authorize: workload');
  if (!w.ambient) return { ...decide(data, w, req, policiesFor(data, w), 'sidecar'), layer: 'sidecar' };
  // Ambient: the waypoint (if the Service uses one) enforces L7 with the caller's identity; the destination's
  // ztunnel then enforces L4, and sees the waypoint as the caller.
  // https://istio.io/latest/docs/ambient/usage/l4-policy/#considerations
  const waypoint = waypointOf(data, w);
  const notes: string[] = [];
  let viaWaypoint: AuthorizationAnswer | undefined;
  let ztunnelReq = req;
  if (waypoint) {
    const layer = `waypoint ${data.nsOf(waypoint)}/${waypoint.metadata?.name}`;
    if (waypoint.__missing) notes.push(`${layer} (istio.io/use-waypoint) is not a Gateway of class istio-waypoint in the input`);
    viaWaypoint = { ...decide(data, w, req, waypointPolicies(data, w, waypoint), layer), layer };
    if (viaWaypoint.decision !== AuthorizationDecision.ALLOW) return { ...viaWaypoint, notes: [...notes, ...viaWaypoint.notes] };
    const principal = `cluster.local/ns/${data.nsOf(waypoint)}/sa/${waypoint.metadata?.name}`;
    notes.push(`through ${layer}: the destination ztunnel sees the waypoint's identity ${principal} as the caller`);
    ztunnelReq = { ...req, caller: { principal, namespace: data.nsOf(waypoint) } };
  }
  const z = { ...decide(data, w, ztunnelReq, policiesFor(data, w), 'ztunnel'), layer: 'ztunnel' };
  // Allowed at both: the waypoint's policy is the one about the caller (ztunnel judged the waypoint).
  const decidedAtWaypoint = viaWaypoint && z.decision === AuthorizationDecision.ALLOW && viaWaypoint.policy !== undefined;
  const chosen = decidedAtWaypoint ? viaWaypoint! : z;
  if (decidedAtWaypoint && z.policy) notes.push(`then ztunnel: ${z.explanation}`);
  return {
    ...chosen,
    applicable: [...(viaWaypoint?.applicable ?? []), ...z.applicable],
    dryRun: [...(viaWaypoint?.dryRun ?? []), ...z.dryRun],
    notes: [...notes, ...(viaWaypoint?.notes ?? []), ...z.notes],
  };
}

/** CUSTOM, DENY, ALLOW over `policies` at one enforcement point. */
function decide(data: MeshData, w: Workload, req: AuthorizationRequest, policies: any[], layer: string): Omit<AuthorizationAnswer, 'layer'> {
  const notes: string[] = [];
  const ztunnel = layer === 'ztunnel';
  const attrs = attributesOf(data, w, ztunnel ? { ...req, protocol: RequestProtocol.TCP } : req, notes, !ztunnel);
  const applicable = policies.map(p => data.ref(p));
  const dryRun: DryRunMatch[] = [];
  const enforced: Record<string, Array<{ policy: any; rule?: number }>> = { CUSTOM: [], DENY: [], ALLOW: [] };
  let allowPolicies = 0;
  for (const p of policies) {
    const action = String(p.spec?.action ?? 'ALLOW');
    if (action === 'AUDIT') continue;
    const isDryRun = p.metadata?.annotations?.['istio.io/dry-run'] === 'true';
    if (ztunnel && action === 'CUSTOM') {
      notes.push(`${describeRef(data.ref(p))}: ztunnel does not support the CUSTOM action (attach the policy to a waypoint with targetRefs)`);
      continue;
    }
    if (ztunnel) ztunnelNote(data, p, action, notes);
    if (action === 'ALLOW' && !isDryRun) allowPolicies++;
    const rule = matchingRule(p, action, attrs, notes, data, ztunnel ? ZTUNNEL : SIDECAR_TCP);
    if (rule === undefined) continue;
    if (isDryRun) dryRun.push({ action, policy: data.ref(p, `spec.rules[${rule}]`, rule) });
    else enforced[action]?.push({ policy: p, rule });
  }
  const who = describeCaller(req.caller);
  const what = attrs.http ? `${attrs.method} ${attrs.path}` : `TCP port ${attrs.port}`;
  const at = layer === 'sidecar' ? '' : ` at ${layer}`;
  const base = { dryRun, applicable, notes };
  const jwtDenial = ztunnel ? undefined : jwtRejection(data, w, req.caller);
  if (jwtDenial) return { ...base, decision: AuthorizationDecision.DENY, policy: jwtDenial, explanation: `${describeRef(jwtDenial)} accepts no JWT from issuer ${issuerOf(req.caller.requestPrincipal)}: the request is rejected with 401` };
  if (enforced.CUSTOM.length > 0) {
    const m = enforced.CUSTOM[0];
    const policy = data.ref(m.policy, `spec.rules[${m.rule}]`, m.rule);
    return { ...base, decision: AuthorizationDecision.CUSTOM, policy, explanation: `${describeRef(policy)} sends ${who} ${what} to the external authorizer ${m.policy.spec?.provider?.name ?? ''}, which decides` };
  }
  if (enforced.DENY.length > 0) {
    const m = enforced.DENY[0];
    const policy = data.ref(m.policy, `spec.rules[${m.rule}]`, m.rule);
    return { ...base, decision: AuthorizationDecision.DENY, policy, explanation: `${describeRef(policy)} denies ${who} ${what}${at}` };
  }
  if (allowPolicies === 0) {
    return { ...base, decision: AuthorizationDecision.ALLOW, explanation: `no ALLOW policy applies to ${req.workload}${at} and none denies: ${who} ${what} is allowed` };
  }
  if (enforced.ALLOW.length > 0) {
    const m = enforced.ALLOW[0];
    const policy = data.ref(m.policy, `spec.rules[${m.rule}]`, m.rule);
    return { ...base, decision: AuthorizationDecision.ALLOW, policy, explanation: `${describeRef(policy)} allows ${who} ${what}${at}` };
  }
  return {
    ...base,
    decision: AuthorizationDecision.DENY,
    explanation: `${allowPolicies} ALLOW polic${allowPolicies === 1 ? 'y applies' : 'ies apply'} to ${req.workload}${at} (${policies.filter(p => (p.spec?.action ?? 'ALLOW') === 'ALLOW').map(p => `${data.nsOf(p)}/${p.metadata?.name}`).join(', ')}) and none matches ${who} ${what}: denied`,
  };
}

function issuerOf(requestPrincipal: string | undefined): string {
  if (!requestPrincipal) return '';
  const i = requestPrincipal.lastIndexOf('/');
  return i < 0 ? requestPrincipal : requestPrincipal.slice(0, i);
}

/**
 * A JWT whose issuer no RequestAuthentication of the workload accepts is rejected (401); without any
 * RequestAuthentication the token is not validated and carries no request principal.
 * @see https://istio.io/latest/docs/concepts/security/#request-authentication
 */
function jwtRejection(data: MeshData, w: Workload, caller: Caller): DecidedBy | undefined {
  if (!caller.requestPrincipal) return undefined;
  const ras = requestAuthenticationsFor(data, w);
  if (ras.length === 0) return undefined;
  const iss = issuerOf(caller.requestPrincipal);
  if (ras.some(ra => (ra.spec?.jwtRules ?? []).some((r: any) => r?.issuer === iss))) return undefined;
  return data.ref(ras[0], 'spec.jwtRules');
}

/** RequestAuthentications that apply to a workload. */
function requestAuthenticationsFor(data: MeshData, w: Workload): any[] {
  return data.requestAuthentications.filter(ra => {
    const ns = data.nsOf(ra);
    if (ns !== w.namespace && ns !== data.rootNamespace) return false;
    const sel = ra.spec?.selector?.matchLabels;
    return !sel || matchesSelector(w.labels, sel);
  });
}

function attributesOf(data: MeshData, w: Workload, req: AuthorizationRequest, notes: string[], jwt = true): Attributes {
  const caller = req.caller ?? {};
  const http = (req.protocol ?? RequestProtocol.HTTP) !== RequestProtocol.TCP && (req.protocol ?? RequestProtocol.HTTP) !== RequestProtocol.TLS;
  const svc = data.servicesOf(w)[0];
  const port = req.port ?? (svc && svc.ports.length === 1 ? svc.ports[0].targetPort ?? svc.ports[0].number : 80);
  let requestPrincipal = caller.requestPrincipal;
  if (!jwt) {requestPrincipal = undefined;} else if (requestPrincipal && requestAuthenticationsFor(data, w).length === 0) {
    notes.push(`no RequestAuthentication applies to ${req.workload}: the JWT is not validated and the request has no request principal`);
    requestPrincipal = undefined;
  }
  return {
    principal: caller.principal,
    namespace: caller.namespace ?? namespaceOfPrincipal(caller.principal),
    ip: caller.ip,
    requestPrincipal,
    claims: requestPrincipal ? { ...(caller.claims ?? {}) } : {},
    host: req.host ?? (svc ? svc.fqdn : undefined),
    port,
    method: http ? (req.method ?? 'GET').toUpperCase() : undefined,
    path: http ? (req.path ?? '/').split('?')[0] : undefined,
    headers: lowerKeys(req.headers),
    sni: req.sni,
    http,
  };
}

function describeCaller(c: Caller): string {
  if (c.principal) return c.principal;
  if (c.namespace) return `a caller in ${c.namespace}`;
  if (c.requestPrincipal) return c.requestPrincipal;
  if (c.ip) return c.ip;
  return 'an unauthenticated caller';
}

/**
 * istiod's status message for a policy with HTTP attributes that ztunnel enforces: an ALLOW rule with them is
 * omitted, a DENY rule is enforced without them; either way more restrictive than written.
 */
function ztunnelNote(data: MeshData, p: any, action: string, notes: string[]) {
  const found = new Set<string>();
  for (const r of Array.isArray(p.spec?.rules) ? p.spec.rules : []) {
    for (const f of r?.from ?? []) for (const k of ZTUNNEL.source) if (f?.source?.[k] !== undefined) found.add(k);
    for (const t of r?.to ?? []) for (const k of ZTUNNEL.operation) if (t?.operation?.[k] !== undefined) found.add(k);
    for (const c of r?.when ?? []) if (ZTUNNEL.when(String(c?.key ?? ''))) found.add(String(c?.key));
  }
  if (found.size === 0) return;
  const boilerplate = action === 'DENY'
    ? 'DENY policy with HTTP attributes is enforced without the HTTP rules. This will be more restrictive than requested.'
    : 'Within an ALLOW policy, rules matching HTTP attributes are omitted. This will be more restrictive than requested.';
  notes.push(`${describeRef(data.ref(p))}: ztunnel does not support HTTP attributes (found: ${[...found].sort().join(', ')}). `
    + `In ambient mode you must use a waypoint proxy to enforce HTTP rules. ${boilerplate}`);
}

/** The index of the first rule of `policy` that matches, or undefined. */
function matchingRule(policy: any, action: string, a: Attributes, notes: string[], data: MeshData, l7: L7Fields): number | undefined {
  const rules: any[] = Array.isArray(policy.spec?.rules) ? policy.spec.rules : [];
  for (let i = 0; i < rules.length; i++) {
    let rule = rules[i] ?? {};
    if (!a.http) {
      // On TCP, HTTP-only fields make an ALLOW rule match nothing and are dropped from a DENY rule.
      // https://istio.io/latest/docs/ops/configuration/security/security-policy-examples/ (TCP) and the
      // AuthorizationPolicy reference: "If the rule contains HTTP-only fields ... ignored for TCP".
      const httpOnly = usesHttpOnlyFields(rule, l7);
      if (httpOnly && action === 'ALLOW') {
        if (l7 === SIDECAR_TCP) notes.push(`${describeRef(data.ref(policy, `spec.rules[${i}]`))} uses HTTP-only fields: on TCP it matches nothing`);
        continue;
      }
      if (httpOnly) rule = stripHttpOnly(rule, l7);
    }
    if (ruleMatches(rule, a)) return i;
  }
  return undefined;
}

function usesHttpOnlyFields(rule: any, l7: L7Fields): boolean {
  const src = (rule.from ?? []).some((f: any) => l7.source.some(k => f?.source?.[k] !== undefined));
  const op = (rule.to ?? []).some((t: any) => l7.operation.some(k => t?.operation?.[k] !== undefined));
  const when = (rule.when ?? []).some((c: any) => l7.when(String(c?.key ?? '')));
  return src || op || when;
}

function stripHttpOnly(rule: any, l7: L7Fields): any {
  const strip = (o: any, keys: string[]) => Object.fromEntries(Object.entries(o ?? {}).filter(([k]) => !keys.includes(k)));
  return {
    from: rule.from?.map((f: any) => ({ source: strip(f?.source, l7.source) })),
    to: rule.to?.map((t: any) => ({ operation: strip(t?.operation, l7.operation) })),
    when: rule.when?.filter((c: any) => !l7.when(String(c?.key ?? ''))),
  };
}

/** A rule matches when one of its sources, one of its operations and all of its conditions match. */
function ruleMatches(rule: any, a: Attributes): boolean {
  const from: any[] = listOf(rule.from);
  const to: any[] = listOf(rule.to);
  const when: any[] = listOf(rule.when);
  if (from.length > 0 && !from.some(f => sourceMatches(f?.source ?? {}, a))) return false;
  if (to.length > 0 && !to.some(t => operationMatches(t?.operation ?? {}, a))) return false;
  return when.every(c => conditionMatches(c, a));
}

function anyOf(patterns: unknown, value: string | undefined): boolean {
  return Array.isArray(patterns) && patterns.some(p => authzValueMatches(String(p), value));
}

/** A field matches when absent, or when the value matches one of its patterns; its `not` field the opposite. */
function field(src: any, key: string, notKey: string, value: string | undefined, match = anyOf): boolean {
  if (src[key] !== undefined && !match(src[key], value)) return false;
  if (src[notKey] !== undefined && match(src[notKey], value)) return false;
  return true;
}

const inBlocks = (blocks: unknown, ip: string | undefined) => Array.isArray(blocks) && blocks.some(b => ipInBlock(String(b), ip));

function sourceMatches(s: any, a: Attributes): boolean {
  return field(s, 'principals', 'notPrincipals', a.principal)
    && field(s, 'requestPrincipals', 'notRequestPrincipals', a.requestPrincipal)
    && field(s, 'namespaces', 'notNamespaces', a.namespace)
    && field(s, 'ipBlocks', 'notIpBlocks', a.ip, inBlocks)
    && field(s, 'remoteIpBlocks', 'notRemoteIpBlocks', a.ip, inBlocks);
}

function hostMatches(patterns: unknown, host: string | undefined): boolean {
  if (!Array.isArray(patterns) || host === undefined) return false;
  const h = host.toLowerCase();
  const bare = h.replace(/:\d+$/, '');
  return patterns.some(p => authzValueMatches(String(p).toLowerCase(), h) || authzValueMatches(String(p).toLowerCase(), bare));
}

function operationMatches(o: any, a: Attributes): boolean {
  return field(o, 'hosts', 'notHosts', a.host, hostMatches)
    && field(o, 'ports', 'notPorts', String(a.port))
    && field(o, 'methods', 'notMethods', a.method)
    && field(o, 'paths', 'notPaths', a.path);
}

/**
 * A `when` condition.
 * @see https://istio.io/latest/docs/reference/config/security/conditions/
 */
function conditionMatches(c: any, a: Attributes): boolean {
  const key = String(c?.key ?? '');
  let value: string | undefined;
  let block = false;
  const claim = /^request\.auth\.claims\[(.+)\]$/.exec(key);
  const header = /^request\.headers\[(.+)\]$/.exec(key);
  if (claim) {value = a.claims[claim[1].split('][').join('.')];} else if (header) {value = a.headers[header[1].toLowerCase()];} else if (key === 'source.ip' || key === 'remote.ip') { value = a.ip; block = true; } else if (key === 'source.namespace') {value = a.namespace;} else if (key === 'source.principal') {value = a.principal;} else if (key === 'request.auth.principal') {value = a.requestPrincipal;} else if (key === 'request.auth.audiences') {value = a.claims.aud;} else if (key === 'request.auth.presenter') {value = a.claims.azp;} else if (key === 'destination.port') {value = String(a.port);} else if (key === 'connection.sni') {value = a.sni;}
  const matchOne = (patterns: unknown) => {
    if (!Array.isArray(patterns)) return false;
    if (block) return patterns.some(p => ipInBlock(String(p), value));
    // A list claim matches when one of its values does.
    const values = claim && value !== undefined ? value.split(',') : [value];
    return values.some(v => anyOf(patterns, v));
  };
  if (c.values !== undefined && !matchOne(c.values)) return false;
  if (c.notValues !== undefined && matchOne(c.notValues)) return false;
  return true;
}
