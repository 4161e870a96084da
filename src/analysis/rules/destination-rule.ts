// istiod's webhook rules for DestinationRule (pkg/config/validation/validation.go), over plain manifests:
// IST0106 for what the webhook rejects, IST0133 for its warnings. See VALIDATION-RULES.md section 4.
import { validateDestinationHost, validateDuration, validateExportTo, validateLabels, validatePort, validateWorkloadSelector } from './common';
import { NO_VALUE } from '../../core/errors';
import { checkDns1123Label, checkFqdn, isIP } from '../../core/validate';
import { ObjectRule, Reporter, RunContext } from '../engine';
import { Messages } from '../messages';
import { isObj, listOf, objOf } from '../objects';


const has = (o: any, k: string) => isObj(o) && o[k] !== undefined && o[k] !== null;

const TOPOLOGY_LABELS = new Set(['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone']);

function nonNegative(report: Reporter, o: Record<string, any>, keys: string[], field: string): void {
  for (const k of keys) {
    if (typeof o[k] === 'number' && o[k] < 0) report(Messages.SchemaValidationError, { field: `${field}.${k}`, problem: `${k} must not be negative`, got: o[k] });
  }
}

function percent(report: Reporter, value: unknown, field: string): void {
  if (typeof value === 'number' && (value < 0 || value > 100)) report(Messages.SchemaValidationError, { field, problem: 'a percentage must be between 0 and 100', got: value });
}

function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  for (let i = 2; i * i <= n; i++) if (n % i === 0) return false;
  return true;
}

function checkLocality(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return 'a locality must not be empty';
  const parts = value.split('/');
  if (parts.length > 3) return 'a locality is region[/zone[/subzone]]';
  if (parts.some(p => p === '')) return 'a locality must not have empty segments';
  const star = value.indexOf('*');
  if (star >= 0 && (star !== value.length - 1 || value.indexOf('*') !== value.lastIndexOf('*'))) return 'a locality may hold one "*", only at the end';
  return undefined;
}

function localityCovers(a: string, b: string): boolean {
  if (a === b) return true;
  return a.endsWith('*') && b.startsWith(a.slice(0, -1));
}

function checkLoadBalancer(report: Reporter, lb: unknown, field: string, hasOutlier: boolean): void {
  if (!isObj(lb)) return;
  const ch = lb.consistentHash;
  if (isObj(ch)) {
    const f = `${field}.consistentHash`;
    if (has(ch, 'httpCookie')) {
      const c = ch.httpCookie;
      if (!c.name) report(Messages.SchemaValidationError, { field: `${f}.httpCookie.name`, problem: 'a hash cookie needs a name', got: c.name ?? NO_VALUE });
      const names = new Set<string>();
      listOf(c.attributes).forEach((a, i) => {
        if (!isObj(a) || !a.name) report(Messages.SchemaValidationError, { field: `${f}.httpCookie.attributes[${i}].name`, problem: 'a cookie attribute needs a name', got: a });
        else if (names.has(a.name)) report(Messages.SchemaValidationError, { field: `${f}.httpCookie.attributes[${i}].name`, problem: 'duplicate cookie attribute', got: a.name });
        else names.add(a.name);
      });
    }
    if (ch.minimumRingSize !== undefined) {
      report(Messages.SchemaWarning, { field: `${f}.minimumRingSize`, problem: 'consistentHash.minimumRingSize is deprecated', got: ch.minimumRingSize, fix: 'use ringHash.minimumRingSize' });
      if (has(ch, 'ringHash') || has(ch, 'maglev')) report(Messages.SchemaValidationError, { field: `${f}.minimumRingSize`, problem: 'the deprecated minimumRingSize cannot be combined with ringHash or maglev', got: ch.minimumRingSize });
    }
    if (has(ch, 'maglev')) {
      const t = ch.maglev.tableSize;
      if (!t) report(Messages.SchemaValidationError, { field: `${f}.maglev.tableSize`, problem: 'maglev needs a tableSize', got: t ?? NO_VALUE, fix: 'a prime below 5000011, e.g. 65537' });
      else if (typeof t === 'number' && (!isPrime(t) || t >= 5000011)) report(Messages.SchemaValidationError, { field: `${f}.maglev.tableSize`, problem: 'the maglev table size must be a prime below 5000011', got: t, fix: 'e.g. 65537' });
    }
  }
  const loc = lb.localityLbSetting;
  if (isObj(loc)) {
    const f = `${field}.localityLbSetting`;
    const distribute = listOf(loc.distribute);
    const failover = listOf(loc.failover);
    if (distribute.length && failover.length) report(Messages.SchemaValidationError, { field: f, problem: 'give either distribute or failover, not both', got: loc });
    if (failover.length && listOf(loc.failoverPriority).some(l => TOPOLOGY_LABELS.has(l))) {
      report(Messages.SchemaValidationError, { field: `${f}.failoverPriority`, problem: 'failover cannot be combined with a failoverPriority on region, zone or subzone labels', got: loc.failoverPriority });
    }
    const froms: string[] = [];
    distribute.forEach((d, i) => {
      if (!isObj(d)) return;
      const df = `${f}.distribute[${i}]`;
      const err = checkLocality(d.from);
      if (err) {report(Messages.SchemaValidationError, { field: `${df}.from`, problem: err, got: d.from });} else {
        const prev = froms.findIndex(p => localityCovers(p, d.from));
        if (prev >= 0) report(Messages.SchemaValidationError, { field: `${df}.from`, problem: `overlaps distribute[${prev}].from ${JSON.stringify(froms[prev])}`, got: d.from });
        froms.push(d.from);
      }
      let sum = 0;
      for (const [to, w] of Object.entries(objOf(d.to))) {
        const le = checkLocality(to);
        if (le) report(Messages.SchemaValidationError, { field: `${df}.to.${to}`, problem: le, got: to });
        if (typeof w !== 'number' || w < 1 || w > 100) report(Messages.SchemaValidationError, { field: `${df}.to.${to}`, problem: 'a locality weight must be between 1 and 100', got: w });
        else sum += w;
      }
      if (sum !== 100) report(Messages.SchemaValidationError, { field: `${df}.to`, problem: 'the weights of a distribute entry must add up to 100', got: sum, fix: 'weights that sum to exactly 100' });
    });
    failover.forEach((fo, i) => {
      if (!isObj(fo)) return;
      const ff = `${f}.failover[${i}]`;
      if (fo.from === fo.to) report(Messages.SchemaValidationError, { field: ff, problem: 'failover from and to must differ', got: fo.from });
      for (const k of ['from', 'to'] as const) {
        if (typeof fo[k] === 'string' && (fo[k].includes('/') || fo[k].includes('*') || fo[k] === '')) {
          report(Messages.SchemaValidationError, { field: `${ff}.${k}`, problem: 'failover regions must be a region only, without "/" or "*"', got: fo[k] });
        }
      }
    });
    if ((failover.length || listOf(loc.failoverPriority).length) && !hasOutlier) {
      report(Messages.SchemaWarning, { field: f, problem: 'locality failover takes effect only with outlierDetection', got: loc, fix: 'add outlierDetection to the traffic policy' });
    }
  }
  const wu = lb.warmup;
  if (isObj(wu)) {
    if (wu.duration === undefined) report(Messages.SchemaValidationError, { field: `${field}.warmup.duration`, problem: 'warmup needs a duration', got: wu });
    else validateDuration(report, `${field}.warmup.duration`, wu.duration);
    percent(report, wu.minimumPercent, `${field}.warmup.minimumPercent`);
    if (typeof wu.aggression === 'number' && wu.aggression <= 0) report(Messages.SchemaValidationError, { field: `${field}.warmup.aggression`, problem: 'aggression must be above 0', got: wu.aggression, fix: '1 for linear' });
  }
}

/** Connection pool settings, shared with Sidecar ingress listeners. @internal */
export function checkConnectionPool(report: Reporter, cp: unknown, field: string): void {
  if (!isObj(cp)) return;
  if (!has(cp, 'tcp') && !has(cp, 'http')) report(Messages.SchemaValidationError, { field, problem: 'a connection pool needs tcp and/or http settings', got: cp });
  const http = cp.http;
  if (isObj(http)) {
    const f = `${field}.http`;
    nonNegative(report, http, ['http1MaxPendingRequests', 'http2MaxRequests', 'maxRequestsPerConnection', 'maxRetries', 'maxConcurrentStreams'], f);
    if (http.h2UpgradePolicy === 'UPGRADE' && http.useClientProtocol === true) {
      report(Messages.SchemaValidationError, { field: f, problem: 'h2UpgradePolicy UPGRADE cannot be combined with useClientProtocol', got: http, fix: 'one of the two' });
    }
    validateDuration(report, `${f}.idleTimeout`, http.idleTimeout);
    if (isObj(http.http2KeepAlive)) {
      const ka = http.http2KeepAlive;
      if (ka.interval === undefined || ka.timeout === undefined) report(Messages.SchemaValidationError, { field: `${f}.http2KeepAlive`, problem: 'http2KeepAlive needs both interval and timeout', got: ka });
      validateDuration(report, `${f}.http2KeepAlive.interval`, ka.interval);
      validateDuration(report, `${f}.http2KeepAlive.timeout`, ka.timeout);
    }
  }
  const tcp = cp.tcp;
  if (isObj(tcp)) {
    const f = `${field}.tcp`;
    nonNegative(report, tcp, ['maxConnections'], f);
    validateDuration(report, `${f}.connectTimeout`, tcp.connectTimeout);
    validateDuration(report, `${f}.maxConnectionDuration`, tcp.maxConnectionDuration);
    validateDuration(report, `${f}.idleTimeout`, tcp.idleTimeout, { allowZero: true });
    if (isObj(tcp.tcpKeepalive)) {
      validateDuration(report, `${f}.tcpKeepalive.time`, tcp.tcpKeepalive.time);
      validateDuration(report, `${f}.tcpKeepalive.interval`, tcp.tcpKeepalive.interval);
    }
  }
}

function checkOutlier(report: Reporter, od: unknown, field: string): void {
  if (!isObj(od)) return;
  validateDuration(report, `${field}.interval`, od.interval);
  validateDuration(report, `${field}.baseEjectionTime`, od.baseEjectionTime);
  percent(report, od.maxEjectionPercent, `${field}.maxEjectionPercent`);
  percent(report, od.minHealthPercent, `${field}.minHealthPercent`);
  if (typeof od.consecutiveLocalOriginFailures === 'number' && od.consecutiveLocalOriginFailures > 0 && od.splitExternalLocalOriginErrors !== true) {
    report(Messages.SchemaValidationError, { field: `${field}.consecutiveLocalOriginFailures`, problem: 'consecutiveLocalOriginFailures needs splitExternalLocalOriginErrors: true', got: od.consecutiveLocalOriginFailures });
  }
  if (od.consecutiveErrors !== undefined) report(Messages.SchemaWarning, { field: `${field}.consecutiveErrors`, problem: 'consecutiveErrors is deprecated', got: od.consecutiveErrors, fix: 'use consecutive5xxErrors' });
}

function checkTls(report: Reporter, tls: unknown, field: string, ownNamespace: string): void {
  if (!isObj(tls)) return;
  const mode = tls.mode;
  if (typeof tls.credentialName === 'string' && tls.credentialName.startsWith('configmap://')) {
    const rest = tls.credentialName.slice('configmap://'.length);
    if (rest.includes('/') && rest.split('/')[0] !== ownNamespace) {
      report(Messages.SchemaValidationError, { field: `${field}.credentialName`, problem: 'a configmap:// credential must be in the DestinationRule\'s own namespace', got: tls.credentialName });
    }
  }
  if (mode !== 'SIMPLE' && mode !== 'MUTUAL') return;
  if (tls.insecureSkipVerify === true) {
    const forbidden = mode === 'SIMPLE' ? ['caCertificates', 'credentialName', 'subjectAltNames'] : ['caCertificates', 'subjectAltNames'];
    const set = forbidden.filter(k => tls[k] !== undefined);
    if (set.length) report(Messages.SchemaValidationError, { field: `${field}.insecureSkipVerify`, problem: `insecureSkipVerify cannot be combined with ${set.join(', ')}`, got: set, fix: 'verification settings, or insecureSkipVerify alone' });
  }
  if (tls.credentialName !== undefined) {
    const set = ['clientCertificate', 'privateKey', 'caCertificates', 'caCrl'].filter(k => tls[k] !== undefined);
    if (set.length) report(Messages.SchemaValidationError, { field: `${field}.credentialName`, problem: `credentialName cannot be combined with ${set.join(', ')}`, got: set, fix: 'the secret holds them' });
  } else if (mode === 'MUTUAL' && (!tls.clientCertificate || !tls.privateKey)) {
    report(Messages.SchemaValidationError, { field, problem: 'MUTUAL TLS needs clientCertificate and privateKey, or a credentialName', got: tls });
  }
}

function checkPolicy(report: Reporter, tp: unknown, field: string, ownNamespace: string): void {
  if (!isObj(tp)) return;
  const parts = ['loadBalancer', 'connectionPool', 'outlierDetection', 'tls', 'portLevelSettings', 'tunnel', 'proxyProtocol', 'retryBudget'];
  if (!parts.some(k => has(tp, k) && !(Array.isArray(tp[k]) && tp[k].length === 0))) {
    report(Messages.SchemaValidationError, { field, problem: 'a traffic policy must set something', got: tp, fix: parts.join(', ') });
  }
  if (has(tp, 'tunnel') && has(tp, 'proxyProtocol')) report(Messages.SchemaValidationError, { field, problem: 'tunnel and proxyProtocol cannot be combined', got: ['tunnel', 'proxyProtocol'] });
  const hasOutlier = has(tp, 'outlierDetection');
  checkLoadBalancer(report, tp.loadBalancer, `${field}.loadBalancer`, hasOutlier);
  checkConnectionPool(report, tp.connectionPool, `${field}.connectionPool`);
  checkOutlier(report, tp.outlierDetection, `${field}.outlierDetection`);
  checkTls(report, tp.tls, `${field}.tls`, ownNamespace);
  listOf(tp.portLevelSettings).forEach((p, i) => {
    const f = `${field}.portLevelSettings[${i}]`;
    if (!isObj(p)) return;
    if (!isObj(p.port) || p.port.number === undefined) report(Messages.SchemaValidationError, { field: `${f}.port`, problem: 'a port-level setting needs a port', got: p.port ?? NO_VALUE });
    if (!['outlierDetection', 'connectionPool', 'loadBalancer', 'tls'].some(k => has(p, k))) {
      report(Messages.SchemaValidationError, { field: f, problem: 'a port-level setting must set outlierDetection, connectionPool, loadBalancer or tls', got: p });
    }
    checkLoadBalancer(report, p.loadBalancer, `${f}.loadBalancer`, has(p, 'outlierDetection') || hasOutlier);
    checkConnectionPool(report, p.connectionPool, `${f}.connectionPool`);
    checkOutlier(report, p.outlierDetection, `${f}.outlierDetection`);
    checkTls(report, p.tls, `${f}.tls`, ownNamespace);
  });
  const tun = tp.tunnel;
  if (isObj(tun)) {
    if (tun.protocol !== undefined && tun.protocol !== '' && tun.protocol !== 'CONNECT' && tun.protocol !== 'POST') {
      report(Messages.SchemaValidationError, { field: `${field}.tunnel.protocol`, problem: 'unknown tunnel protocol', got: tun.protocol, fix: 'CONNECT or POST' });
    }
    if (typeof tun.targetHost === 'string' && !isIP(tun.targetHost)) {
      const err = checkFqdn(tun.targetHost);
      if (err) report(Messages.SchemaValidationError, { field: `${field}.tunnel.targetHost`, problem: err, got: tun.targetHost, fix: 'an FQDN or IP address' });
    }
    validatePort(report, `${field}.tunnel.targetPort`, tun.targetPort);
  }
  if (isObj(tp.proxyProtocol) && tp.proxyProtocol.version !== undefined && !['V1', 'V2'].includes(tp.proxyProtocol.version)) {
    report(Messages.SchemaValidationError, { field: `${field}.proxyProtocol.version`, problem: 'unknown PROXY protocol version', got: tp.proxyProtocol.version, fix: 'V1 or V2' });
  }
}

/** The DestinationRule webhook rules. @internal */
export const destinationRuleRule: ObjectRule = {
  kinds: ['networking.istio.io/DestinationRule'],
  check(obj: any, report: Reporter, ctx: RunContext): void {
    const spec = obj?.spec;
    if (!isObj(spec)) return;
    const ns = ctx.namespaceOf(obj);
    validateDestinationHost(report, 'spec.host', spec.host);
    const names = new Set<string>();
    listOf(spec.subsets).forEach((s, i) => {
      if (!isObj(s)) return;
      const f = `spec.subsets[${i}]`;
      if (typeof s.name === 'string') {
        const err = checkDns1123Label(s.name);
        if (err) report(Messages.SchemaValidationError, { field: `${f}.name`, problem: `a subset name ${err}`, got: s.name });
        else if (names.has(s.name)) report(Messages.SchemaValidationError, { field: `${f}.name`, problem: 'duplicate subset name', got: s.name, fix: 'unique subset names' });
        names.add(s.name);
      }
      validateLabels(report, `${f}.labels`, s.labels);
      checkPolicy(report, s.trafficPolicy, `${f}.trafficPolicy`, ns);
    });
    checkPolicy(report, spec.trafficPolicy, 'spec.trafficPolicy', ns);
    validateExportTo(report, 'spec.exportTo', spec.exportTo, { ownNamespace: ns });
    if (has(spec, 'workloadSelector') && Array.isArray(spec.exportTo) && spec.exportTo.some((e: unknown) => e !== '.' && e !== ns)) {
      report(Messages.SchemaValidationError, { field: 'spec.exportTo', problem: 'a DestinationRule with a workloadSelector may be exported only to its own namespace', got: spec.exportTo, fix: '["."]' });
    }
    if (isObj(spec.workloadSelector)) validateWorkloadSelector(report, 'spec.workloadSelector.matchLabels', spec.workloadSelector.matchLabels);
  },
};
