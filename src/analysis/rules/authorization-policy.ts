// istiod's webhook rules for AuthorizationPolicy (VALIDATION-RULES.md section 6) over plain manifests:
// IST0106 for what the webhook rejects, IST0133 for its warnings (DENY rules that also deny all TCP traffic).
import { validateIpOrCidr } from './common';
import { checkNonEmptyStrings, checkPolicyScope } from './policy-common';
import {
  CONDITION_KEYS, checkConditionKey, checkPolicyPath, checkPolicyPort, checkServiceAccountName, checkTrustDomain,
} from '../../core/policy-grammar';
import { ObjectRule, Reporter } from '../engine';
import { Messages } from '../messages';
import { listOf } from '../objects';


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
    const rules: any[] = listOf(spec.rules);

    if (spec.provider !== undefined && action !== 'CUSTOM') {
      r(Messages.SchemaValidationError, { field: 'spec.provider', problem: 'a provider is only allowed with action CUSTOM', got: spec.provider, fix: 'action: CUSTOM, or remove the provider' });
    }
    if (action === 'CUSTOM') {
      if (!spec.provider?.name) r(Messages.SchemaValidationError, { field: 'spec.provider.name', problem: 'a CUSTOM policy needs the name of an extension provider', got: spec.provider?.name ?? '', fix: 'a provider declared in meshConfig.extensionProviders' });
      if (!hasRules) r(Messages.SchemaValidationError, { field: 'spec.rules', problem: 'a CUSTOM policy needs rules; it would never call the provider', fix: 'rules: [{}] to send every request' });
    }
    if (action === 'DENY' && !hasRules) {
      r(Messages.SchemaValidationError, { field: 'spec.rules', problem: 'a DENY policy without rules never matches, so it denies nothing', fix: 'rules: [{}] to deny every request, or rules that say what to deny' });
    }
    rules.forEach((rule, i) => checkRule(r, rule, `spec.rules[${i}]`, action));
  },
};

function checkRule(r: Reporter, rule: any, f: string, action: string): void {
  if (rule === null || rule === undefined || typeof rule !== 'object') {
    r(Messages.SchemaValidationError, { field: f, problem: 'a rule must not be null', got: rule ?? null, fix: '{} matches every request' });
    return;
  }
  if (rule.from !== undefined) {
    if (!isSet(rule.from)) r(Messages.SchemaValidationError, { field: `${f}.from`, problem: '"from" must not be empty when present', got: rule.from, fix: 'omit it to match any source' });
    listOf(rule.from).forEach((entry: any, j: number) => checkSource(r, entry?.source, `${f}.from[${j}].source`, action));
  }
  if (rule.to !== undefined) {
    if (!isSet(rule.to)) r(Messages.SchemaValidationError, { field: `${f}.to`, problem: '"to" must not be empty when present', got: rule.to, fix: 'omit it to match any operation' });
    listOf(rule.to).forEach((entry: any, j: number) => checkOperation(r, entry?.operation, `${f}.to[${j}].operation`));
  }
  listOf(rule.when).forEach((c: any, j: number) => checkCondition(r, c, `${f}.when[${j}]`, action));

  if (action === 'DENY') {
    const ops: any[] = Array.isArray(rule.to) ? rule.to.map((t: any) => t?.operation ?? {}) : [];
    const sources: any[] = Array.isArray(rule.from) ? rule.from.map((s: any) => s?.source ?? {}) : [];
    if (ops.length > 0 && !ops.some(o => isSet(o.ports) || isSet(o.notPorts))) {
      r(Messages.SchemaWarning, { field: f, problem: 'this DENY rule names operations without ports, so for TCP traffic it matches, and denies, every connection in scope', fix: 'add ports/notPorts to the operations' });
    } else if (ops.length === 0 && sources.length > 0 && rule.when === undefined && !sources.some(s => TCP_SOURCE_FIELDS.some(k => isSet(s[k])))) {
      r(Messages.SchemaWarning, { field: f, problem: 'this DENY rule only checks HTTP attributes of the source, so it denies all TCP traffic in scope', fix: 'add principals, namespaces, serviceAccounts, ipBlocks or remoteIpBlocks, or ports in "to"' });
    }
  }
}

function checkSource(r: Reporter, source: any, f: string, action: string): void {
  if (!source || typeof source !== 'object' || !SOURCE_FIELDS.some(k => isSet(source[k]))) {
    r(Messages.SchemaValidationError, { field: f, problem: 'each "from" entry needs a source with at least one field', got: source ?? null, fix: 'e.g. principals, namespaces or ipBlocks' });
    return;
  }
  const sa = ['serviceAccounts', 'notServiceAccounts'].filter(k => isSet(source[k]));
  const other = ['principals', 'notPrincipals', 'namespaces', 'notNamespaces'].filter(k => isSet(source[k]));
  if (sa.length && other.length) {
    r(Messages.SchemaValidationError, { field: f, problem: 'serviceAccounts cannot be combined with principals or namespaces in one source', got: [...sa, ...other], fix: 'put them in separate "from" entries' });
  }
  for (const k of SOURCE_FIELDS) checkNonEmptyStrings(r, source[k], `${f}.${k}`, 'an entry');
  for (const k of ['serviceAccounts', 'notServiceAccounts']) {
    const list = source[k];
    if (!Array.isArray(list)) continue;
    if (list.length > 16) r(Messages.SchemaValidationError, { field: `${f}.${k}`, problem: 'at most 16 service accounts per field', got: list.length });
    list.forEach((v: any, i: number) => {
      const err = v === '' ? undefined : checkServiceAccountName(v);
      if (err) r(Messages.SchemaValidationError, { field: `${f}.${k}[${i}]`, problem: err, got: v });
    });
  }
  for (const k of ['trustDomains', 'notTrustDomains']) {
    listOf(source[k]).forEach((v: any, i: number) => {
      const err = v === '' ? undefined : checkTrustDomain(v);
      if (err) r(Messages.SchemaValidationError, { field: `${f}.${k}[${i}]`, problem: err, got: v });
    });
  }
  for (const k of IP_FIELDS) {
    listOf(source[k]).forEach((v: any, i: number) => {
      if (v !== '') validateIpOrCidr(r, `${f}.${k}[${i}]`, v);
    });
  }
  if (action === 'CUSTOM') {
    const used = CUSTOM_FORBIDDEN_SOURCE.filter(k => isSet(source[k]));
    if (used.length) r(Messages.SchemaValidationError, { field: f, problem: 'a CUSTOM policy cannot match on identities: the external authorizer runs before they are checked', got: used, fix: 'ipBlocks, remoteIpBlocks or operations' });
  }
}

function checkOperation(r: Reporter, op: any, f: string): void {
  if (!op || typeof op !== 'object' || !OPERATION_FIELDS.some(k => isSet(op[k]))) {
    r(Messages.SchemaValidationError, { field: f, problem: 'each "to" entry needs an operation with at least one field', got: op ?? null, fix: 'e.g. methods, paths or ports' });
    return;
  }
  for (const k of OPERATION_FIELDS) checkNonEmptyStrings(r, op[k], `${f}.${k}`, 'an entry');
  for (const k of ['ports', 'notPorts']) {
    listOf(op[k]).forEach((v: any, i: number) => {
      const err = v === '' ? undefined : checkPolicyPort(v);
      if (err) r(Messages.SchemaValidationError, { field: `${f}.${k}[${i}]`, problem: err, got: v });
    });
  }
  for (const k of ['paths', 'notPaths']) {
    listOf(op[k]).forEach((v: any, i: number) => {
      const err = v === '' ? undefined : checkPolicyPath(v);
      if (err) r(Messages.SchemaValidationError, { field: `${f}.${k}[${i}]`, problem: err, got: v });
    });
  }
}

function checkCondition(r: Reporter, c: any, f: string, action: string): void {
  if (!c || typeof c !== 'object') {
    r(Messages.SchemaValidationError, { field: f, problem: 'a condition must not be null', got: c ?? null });
    return;
  }
  const keyErr = checkConditionKey(c.key);
  if (keyErr) {
    r(Messages.SchemaValidationError, { field: `${f}.key`, problem: keyErr, got: c.key ?? '', fix: CONDITION_KEYS });
    return;
  }
  const key: string = c.key;
  if (!isSet(c.values) && !isSet(c.notValues)) r(Messages.SchemaValidationError, { field: f, problem: 'a condition needs values or notValues' });
  for (const k of ['values', 'notValues']) {
    const list: any[] = listOf(c[k]);
    checkNonEmptyStrings(r, list, `${f}.${k}`, 'a value');
    list.forEach((v, i) => {
      if (typeof v !== 'string' || v === '') return;
      if (IP_KEYS.includes(key)) {
        validateIpOrCidr(r, `${f}.${k}[${i}]`, v);
        return;
      }
      const err = valueError(key, v);
      if (err) r(Messages.SchemaValidationError, { field: `${f}.${k}[${i}]`, problem: err, got: v });
    });
  }
  if (action === 'CUSTOM' && (CUSTOM_FORBIDDEN_KEYS.includes(key) || key.startsWith('request.auth.'))) {
    r(Messages.SchemaValidationError, { field: `${f}.key`, problem: 'a CUSTOM policy cannot use identity conditions: the external authorizer runs before they are checked', got: key });
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
