// istiod's webhook rules for AuthorizationPolicy (VALIDATION-RULES.md section 6) over plain manifests:
// IST0106 for what the webhook rejects, IST0133 for its warnings (DENY rules that also deny all TCP traffic).
import { validateIpOrCidr } from './common';
import { checkNonEmptyStrings, checkPolicyScope } from './policy-common';
import {
  CONDITION_KEYS, checkConditionKey, checkPolicyPath, checkPolicyPort, checkServiceAccountName, checkTrustDomain,
} from '../../core/policy-grammar';
import { ObjectRule, Reporter } from '../engine';

const E = 'IST0106';
const W = 'IST0133';

const SOURCE_FIELDS = [
  'principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals', 'namespaces', 'notNamespaces',
  'ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks', 'serviceAccounts', 'notServiceAccounts',
  'trustDomains', 'notTrustDomains',
];
const OPERATION_FIELDS = ['hosts', 'notHosts', 'ports', 'notPorts', 'methods', 'notMethods', 'paths', 'notPaths'];
const IP_FIELDS = ['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'];
/** Source fields a CUSTOM policy may not use: the external authorizer is called before they are known. */
const CUSTOM_FORBIDDEN_SOURCE = [
  'namespaces', 'notNamespaces', 'principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals',
  'serviceAccounts', 'notServiceAccounts', 'trustDomains', 'notTrustDomains',
];
const CUSTOM_FORBIDDEN_KEYS = ['source.namespace', 'source.serviceAccount', 'source.trustDomain', 'source.principal'];
/** Source fields that also apply to TCP traffic; a DENY rule without any of them matches all TCP traffic. */
const TCP_SOURCE_FIELDS = [
  'principals', 'notPrincipals', 'namespaces', 'notNamespaces', 'serviceAccounts', 'notServiceAccounts',
  'ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks',
];

const IP_KEYS = ['source.ip', 'remote.ip', 'destination.ip'];

const isSet = (v: unknown) => Array.isArray(v) && v.length > 0;

/** AuthorizationPolicy rules. @internal */
export const authorizationPolicyRule: ObjectRule = {
  kinds: ['security.istio.io/AuthorizationPolicy'],
  check(obj, r) {
    const spec = obj.spec ?? {};
    checkPolicyScope(r, spec);
    const action: string = spec.action ?? 'ALLOW';
    const hasRules = spec.rules !== undefined && spec.rules !== null;
    const rules: any[] = Array.isArray(spec.rules) ? spec.rules : [];

    if (spec.provider !== undefined && action !== 'CUSTOM') {
      r.error(E, 'spec.provider', 'a provider is only allowed with action CUSTOM', spec.provider, 'action: CUSTOM, or remove the provider');
    }
    if (action === 'CUSTOM') {
      if (!spec.provider?.name) r.error(E, 'spec.provider.name', 'a CUSTOM policy needs the name of an extension provider', spec.provider?.name ?? '', 'a provider declared in meshConfig.extensionProviders');
      if (!hasRules) r.error(E, 'spec.rules', 'a CUSTOM policy needs rules; it would never call the provider', undefined, 'rules: [{}] to send every request');
    }
    if (action === 'DENY' && !hasRules) {
      r.error(E, 'spec.rules', 'a DENY policy without rules never matches, so it denies nothing', undefined, 'rules: [{}] to deny every request, or rules that say what to deny');
    }
    rules.forEach((rule, i) => checkRule(r, rule, `spec.rules[${i}]`, action));
  },
};

function checkRule(r: Reporter, rule: any, f: string, action: string): void {
  if (rule === null || rule === undefined || typeof rule !== 'object') {
    r.error(E, f, 'a rule must not be null', rule ?? null, '{} matches every request');
    return;
  }
  if (rule.from !== undefined) {
    if (!isSet(rule.from)) r.error(E, `${f}.from`, '"from" must not be empty when present', rule.from, 'omit it to match any source');
    (Array.isArray(rule.from) ? rule.from : []).forEach((entry: any, j: number) => checkSource(r, entry?.source, `${f}.from[${j}].source`, action));
  }
  if (rule.to !== undefined) {
    if (!isSet(rule.to)) r.error(E, `${f}.to`, '"to" must not be empty when present', rule.to, 'omit it to match any operation');
    (Array.isArray(rule.to) ? rule.to : []).forEach((entry: any, j: number) => checkOperation(r, entry?.operation, `${f}.to[${j}].operation`));
  }
  (Array.isArray(rule.when) ? rule.when : []).forEach((c: any, j: number) => checkCondition(r, c, `${f}.when[${j}]`, action));

  if (action === 'DENY') {
    const ops: any[] = Array.isArray(rule.to) ? rule.to.map((t: any) => t?.operation ?? {}) : [];
    const sources: any[] = Array.isArray(rule.from) ? rule.from.map((s: any) => s?.source ?? {}) : [];
    if (ops.length > 0 && !ops.some(o => isSet(o.ports) || isSet(o.notPorts))) {
      r.warning(W, f, 'this DENY rule names operations without ports, so for TCP traffic it matches, and denies, every connection in scope', undefined, 'add ports/notPorts to the operations');
    } else if (ops.length === 0 && sources.length > 0 && rule.when === undefined && !sources.some(s => TCP_SOURCE_FIELDS.some(k => isSet(s[k])))) {
      r.warning(W, f, 'this DENY rule only checks HTTP attributes of the source, so it denies all TCP traffic in scope', undefined,
        'add principals, namespaces, serviceAccounts, ipBlocks or remoteIpBlocks, or ports in "to"');
    }
  }
}

function checkSource(r: Reporter, source: any, f: string, action: string): void {
  if (!source || typeof source !== 'object' || !SOURCE_FIELDS.some(k => isSet(source[k]))) {
    r.error(E, f, 'each "from" entry needs a source with at least one field', source ?? null, 'e.g. principals, namespaces or ipBlocks');
    return;
  }
  const sa = ['serviceAccounts', 'notServiceAccounts'].filter(k => isSet(source[k]));
  const other = ['principals', 'notPrincipals', 'namespaces', 'notNamespaces'].filter(k => isSet(source[k]));
  if (sa.length && other.length) {
    r.error(E, f, 'serviceAccounts cannot be combined with principals or namespaces in one source', [...sa, ...other], 'put them in separate "from" entries');
  }
  for (const k of SOURCE_FIELDS) checkNonEmptyStrings(r, source[k], `${f}.${k}`, 'an entry');
  for (const k of ['serviceAccounts', 'notServiceAccounts']) {
    const list = source[k];
    if (!Array.isArray(list)) continue;
    if (list.length > 16) r.error(E, `${f}.${k}`, 'at most 16 service accounts per field', list.length);
    list.forEach((v: any, i: number) => {
      const err = v === '' ? undefined : checkServiceAccountName(v);
      if (err) r.error(E, `${f}.${k}[${i}]`, err, v);
    });
  }
  for (const k of ['trustDomains', 'notTrustDomains']) {
    (Array.isArray(source[k]) ? source[k] : []).forEach((v: any, i: number) => {
      const err = v === '' ? undefined : checkTrustDomain(v);
      if (err) r.error(E, `${f}.${k}[${i}]`, err, v);
    });
  }
  for (const k of IP_FIELDS) {
    (Array.isArray(source[k]) ? source[k] : []).forEach((v: any, i: number) => {
      if (v !== '') validateIpOrCidr(r, `${f}.${k}[${i}]`, v);
    });
  }
  if (action === 'CUSTOM') {
    const used = CUSTOM_FORBIDDEN_SOURCE.filter(k => isSet(source[k]));
    if (used.length) r.error(E, f, 'a CUSTOM policy cannot match on identities: the external authorizer runs before they are checked', used, 'ipBlocks, remoteIpBlocks or operations');
  }
}

function checkOperation(r: Reporter, op: any, f: string): void {
  if (!op || typeof op !== 'object' || !OPERATION_FIELDS.some(k => isSet(op[k]))) {
    r.error(E, f, 'each "to" entry needs an operation with at least one field', op ?? null, 'e.g. methods, paths or ports');
    return;
  }
  for (const k of OPERATION_FIELDS) checkNonEmptyStrings(r, op[k], `${f}.${k}`, 'an entry');
  for (const k of ['ports', 'notPorts']) {
    (Array.isArray(op[k]) ? op[k] : []).forEach((v: any, i: number) => {
      const err = v === '' ? undefined : checkPolicyPort(v);
      if (err) r.error(E, `${f}.${k}[${i}]`, err, v);
    });
  }
  for (const k of ['paths', 'notPaths']) {
    (Array.isArray(op[k]) ? op[k] : []).forEach((v: any, i: number) => {
      const err = v === '' ? undefined : checkPolicyPath(v);
      if (err) r.error(E, `${f}.${k}[${i}]`, err, v);
    });
  }
}

function checkCondition(r: Reporter, c: any, f: string, action: string): void {
  if (!c || typeof c !== 'object') {
    r.error(E, f, 'a condition must not be null', c ?? null);
    return;
  }
  const keyErr = checkConditionKey(c.key);
  if (keyErr) {
    r.error(E, `${f}.key`, keyErr, c.key ?? '', CONDITION_KEYS);
    return;
  }
  const key: string = c.key;
  if (!isSet(c.values) && !isSet(c.notValues)) r.error(E, f, 'a condition needs values or notValues', undefined);
  for (const k of ['values', 'notValues']) {
    const list: any[] = Array.isArray(c[k]) ? c[k] : [];
    checkNonEmptyStrings(r, list, `${f}.${k}`, 'a value');
    list.forEach((v, i) => {
      if (typeof v !== 'string' || v === '') return;
      if (IP_KEYS.includes(key)) {
        validateIpOrCidr(r, `${f}.${k}[${i}]`, v);
        return;
      }
      const err = valueError(key, v);
      if (err) r.error(E, `${f}.${k}[${i}]`, err, v);
    });
  }
  if (action === 'CUSTOM' && (CUSTOM_FORBIDDEN_KEYS.includes(key) || key.startsWith('request.auth.'))) {
    r.error(E, `${f}.key`, 'a CUSTOM policy cannot use identity conditions: the external authorizer runs before they are checked', key);
  }
}

function valueError(key: string, v: string): string | undefined {
  switch (key) {
    case 'destination.port':
      return checkPolicyPort(v);
    case 'source.serviceAccount':
      return checkServiceAccountName(v);
    case 'source.trustDomain':
      return checkTrustDomain(v);
    default:
      return undefined;
  }
}
