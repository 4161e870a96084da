// The behaviour subcommands of `cdk8s-istio`: explain (routing), authz (authorization), diff (what changed in
// behaviour between two inputs) and graph (gateways, hosts, routes, subsets, workloads, authorization edges).
// Each takes its argv (after the subcommand) and returns what to print and the exit status, so the CLI's
// dispatch table and tests call them alike. Exit status: 0 as asked, 1 a finding (error, DENY, change), 2 bad
// usage or unreadable/invalid input.
import * as fs from 'fs';
import { parseArgs } from 'node:util';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { namespaceOfPrincipal, policiesFor } from './authorization';
import { describeRef, MeshData } from './data';
import { MeshModel } from './model';
import { serverMtls } from './policy';
import { fmtShare, routeTable, RouteTableEntry } from './routing';
import { dotToSvg } from './svg';
import { AuthorizationDecision, DecidedBy, MeshRequest, RequestProtocol, RouteAnswer } from './types';
import { DiagnosticLevel } from '../analysis/diagnostic';
import { runAnalysis } from '../analysis/engine';
import { CROSS_RULES, OBJECT_RULES } from '../analysis/rules';
import { schemaRule } from '../analysis/schema';

/** What a subcommand prints and its exit status. */
interface CommandResult {
  readonly stdout: string;
  readonly exitCode: number;
}

class UsageError extends Error {}

/** Read every object of the YAML files below `paths` (`-` is stdin). */
function loadObjects(paths: string[], command: string): any[] {
  const files: string[] = [];
  const visit = (p: string) => {
    if (p === '-') return files.push(p);
    if (!fs.existsSync(p)) throw new UsageError(`${p}: no such file or directory`);
    if (fs.statSync(p).isDirectory()) {
      for (const e of fs.readdirSync(p).sort()) {
        const child = path.join(p, e);
        if (!e.startsWith('.') && (fs.statSync(child).isDirectory() || /\.ya?ml$/.test(e))) visit(child);
      }
      return;
    }
    return files.push(p);
  };
  paths.forEach(visit);
  const out: any[] = [];
  for (const f of files) {
    const text = f === '-' ? fs.readFileSync(0, 'utf-8') : fs.readFileSync(f, 'utf-8');
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new UsageError(`${f}: ${doc.errors[0].message}`);
      const o = doc.toJS();
      if (o === null || o === undefined) continue;
      out.push(...(o.kind === 'List' && Array.isArray(o.items) ? o.items : [o]));
    }
  }
  // Behaviour of configuration Istio rejects is not defined: report it instead of answering.
  const errors = runAnalysis(out.map(object => ({ object })), {}, schemaRule, OBJECT_RULES, CROSS_RULES)
    .filter(d => d.level === DiagnosticLevel.ERROR);
  if (errors.length > 0) {
    throw new UsageError(`the input has ${errors.length} error(s) Istio would reject; fix them first (cdk8s-istio analyze lists them):\n`
      + errors.map(d => `  ${d.code} ${d.kind} ${d.namespace ?? 'default'}/${d.name}: ${d.message}`).join('\n'));
  }
  void command;
  return out;
}

function run(command: string, usage: string, body: () => CommandResult): CommandResult {
  try {
    return body();
  } catch (e) {
    if (e instanceof UsageError || (e as any)?.code?.startsWith?.('ERR_PARSE_ARGS')) {
      return { stdout: `cdk8s-istio ${command}: ${(e as Error).message}\n${usage}\n`, exitCode: 2 };
    }
    if (e instanceof Error && /^MeshModel\./.test(e.message)) return { stdout: `cdk8s-istio ${command}: ${e.message}\n`, exitCode: 2 };
    throw e;
  }
}

/** `METHOD URL` → method, host, port, path, tls. */
function parseRequestLine(line: string): { method: string; host: string; port?: number; path: string; tls: boolean } {
  const m = /^\s*([A-Za-z]+)\s+(\S+)\s*$/.exec(line ?? '');
  if (!m) throw new UsageError(`--request must be 'METHOD URL', e.g. 'GET http://reviews:9080/reviews/1' (got '${line}')`);
  let url: URL;
  try {
    url = new URL(m[2].includes('://') ? m[2] : `http://${m[2]}`);
  } catch {
    throw new UsageError(`--request: '${m[2]}' is not a URL`);
  }
  if (!['http:', 'https:'].includes(url.protocol)) throw new UsageError(`--request: the URL scheme must be http or https (got ${url.protocol.slice(0, -1)})`);
  return {
    method: m[1].toUpperCase(),
    host: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: `${url.pathname}${url.search}`,
    tls: url.protocol === 'https:',
  };
}

function parseHeaders(values: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of values ?? []) {
    const i = h.indexOf(':');
    if (i <= 0) throw new UsageError(`-H must be 'name: value' (got '${h}')`);
    out[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
  }
  return out;
}

function outputFormat(value: string | undefined, allowed: string[]): string {
  const o = value ?? allowed[0];
  if (!allowed.includes(o)) throw new UsageError(`-o must be one of ${allowed.join(', ')} (got ${o})`);
  return o;
}

const EXPLAIN_USAGE = `usage: cdk8s-istio explain FILE|DIR|-... --request 'METHOD URL' [-H 'name: value']...
                           [--from NS/WORKLOAD | --gateway NS/NAME] [--protocol http|http2|grpc|tcp|tls] [-o text|json]
  How the calling sidecar (--from; default: a sidecar in the URL host's namespace) or the gateway (an Istio Gateway
  or a Gateway API Gateway) routes the request.
  Exit status: 0 routed, 1 Istio's simulation reports an error, 2 bad usage or input.`;

/** `cdk8s-istio explain`. @internal */
export function explain(argv: string[]): CommandResult {
  return run('explain', EXPLAIN_USAGE, () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        request: { type: 'string' },
        H: { type: 'string', short: 'H', multiple: true },
        from: { type: 'string' },
        gateway: { type: 'string' },
        protocol: { type: 'string' },
        o: { type: 'string', short: 'o' },
      },
    });
    const format = outputFormat(values.o, ['text', 'json']);
    if (positionals.length === 0) throw new UsageError('no input files');
    if (!values.request) throw new UsageError('--request is required');
    if (values.from && values.gateway) throw new UsageError('--from and --gateway exclude each other');
    const protocols = Object.values(RequestProtocol) as string[];
    if (values.protocol && !protocols.includes(values.protocol)) throw new UsageError(`--protocol must be one of ${protocols.join(', ')} (got ${values.protocol})`);
    const line = parseRequestLine(values.request);
    const model = MeshModel.fromManifests(loadObjects(positionals, 'explain'));
    const hostNs = /^[^.]+\.([^.]+)(\.svc(\.cluster\.local)?)?$/.exec(line.host)?.[1];
    const request: MeshRequest = {
      host: line.host,
      ...(line.port !== undefined ? { port: line.port } : {}),
      path: line.path,
      method: line.method,
      tls: line.tls,
      headers: parseHeaders(values.H),
      ...(values.protocol ? { protocol: values.protocol as RequestProtocol } : {}),
      ...(values.gateway ? { gateway: values.gateway } : {}),
      ...(values.from ? { fromWorkload: values.from } : hostNs ? { fromNamespace: hostNs } : {}),
    };
    const answer = model.route(request);
    const stdout = format === 'json' ? JSON.stringify(explainJson(answer), undefined, 2) + '\n' : explainText(answer);
    return { stdout, exitCode: answer.error ? 1 : 0 };
  });
}

function refJson(r: DecidedBy | undefined) {
  return r ? { kind: r.kind, namespace: r.namespace, name: r.name, ...(r.ruleIndex !== undefined ? { rule: r.ruleIndex } : {}) } : undefined;
}

/** The JSON of `explain`: Istio's names, shares as weights adding up to 100. */
function explainJson(a: RouteAnswer): any {
  return {
    proxy: a.proxy,
    listener: a.listener,
    virtualHost: a.virtualHost,
    route: a.route,
    clusters: a.clusters.map(c => ({ cluster: c.cluster, weight: Math.round(c.share * 100) / 100 })),
    error: a.error,
    decidedBy: refJson(a.decidedBy),
    delegatedBy: refJson(a.delegatedBy),
    timeout: a.timeout,
    retries: a.retries,
    fault: a.fault,
    mirrors: a.mirrors.length ? a.mirrors : undefined,
    rewrite: a.rewrite,
    redirect: a.redirect,
    directResponse: a.directResponse,
    requestHeaders: a.requestHeaders,
    responseHeaders: a.responseHeaders,
    policies: a.clusters.map(c => ({ cluster: c.cluster, ...c.policy, decidedBy: refJson(c.policy.decidedBy) })),
    explanation: a.explanation,
    notes: a.notes.length ? a.notes : undefined,
  };
}

function explainText(a: RouteAnswer): string {
  const lines: string[] = [];
  if (a.error) lines.push(`error: ${a.error}`);
  lines.push(`proxy: ${a.proxy}`);
  if (a.listener) lines.push(`listener: ${a.listener}`);
  if (a.virtualHost) lines.push(`virtual host: ${a.virtualHost}`);
  if (a.route !== undefined) lines.push(`route: ${a.route || '(unnamed)'}`);
  lines.push(`decided by: ${describeRef(a.decidedBy)}${a.delegatedBy ? ` (delegated by ${describeRef(a.delegatedBy)})` : ''}`);
  for (const c of a.clusters) {
    const p = c.policy;
    lines.push(`cluster: ${c.cluster} ${fmtShare(c.share)}% (tls ${p.tlsMode}${p.autoMtls ? ' by auto mTLS' : ''}, lb ${p.loadBalancer}`
      + `${p.connectionPool ? `, connectionPool ${p.connectionPool}` : ''}${p.outlierDetection ? `, outlierDetection ${p.outlierDetection}` : ''}`
      + `${p.decidedBy ? `; ${describeRef(p.decidedBy)}` : ''})`);
  }
  if (a.timeout) lines.push(`timeout: ${a.timeout}`);
  if (a.retries) lines.push(`retries: ${a.retries.attempts}${a.retries.perTryTimeout ? ` x ${a.retries.perTryTimeout}` : ''}${a.retries.retryOn ? ` on ${a.retries.retryOn}` : ''}`);
  if (a.fault?.delay) lines.push(`fault: delay ${a.fault.delay} for ${a.fault.delayPercent}%`);
  if (a.fault?.abortStatus !== undefined) lines.push(`fault: abort ${a.fault.abortStatus} for ${a.fault.abortPercent}%`);
  for (const m of a.mirrors) lines.push(`mirror: ${m.cluster} ${m.percent}%`);
  if (a.rewrite) lines.push(`rewrite: ${JSON.stringify(a.rewrite)}`);
  if (a.redirect) lines.push(`redirect: ${a.redirect.code} ${a.redirect.location}`);
  if (a.directResponse) lines.push(`direct response: ${a.directResponse.status}${a.directResponse.body !== undefined ? ` ${JSON.stringify(a.directResponse.body)}` : ''}`);
  if (a.requestHeaders) lines.push(`request headers: ${JSON.stringify(a.requestHeaders)}`);
  if (a.responseHeaders) lines.push(`response headers: ${JSON.stringify(a.responseHeaders)}`);
  lines.push(`why: ${a.explanation}`);
  for (const n of a.notes) lines.push(`note: ${n}`);
  return lines.join('\n') + '\n';
}

const AUTHZ_USAGE = `usage: cdk8s-istio authz FILE|DIR|-... --from PRINCIPAL --to NS/WORKLOAD --request 'METHOD URL' [-H 'name: value']...
                         [--protocol http|tcp] [-o text|json]
  PRINCIPAL as Istio writes it (cluster.local/ns/shop/sa/frontend), or ns/NAMESPACE for any caller of a namespace.
  The first word printed is ALLOW, DENY or CUSTOM. Exit status: 0 ALLOW, 1 DENY or CUSTOM, 2 bad usage or input.`;

/** `cdk8s-istio authz`. @internal */
export function authz(argv: string[]): CommandResult {
  return run('authz', AUTHZ_USAGE, () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        request: { type: 'string' },
        H: { type: 'string', short: 'H', multiple: true },
        protocol: { type: 'string' },
        o: { type: 'string', short: 'o' },
      },
    });
    const format = outputFormat(values.o, ['text', 'json']);
    if (positionals.length === 0) throw new UsageError('no input files');
    if (!values.from) throw new UsageError('--from is required');
    if (!values.to) throw new UsageError('--to is required');
    const line = parseRequestLine(values.request ?? 'GET http://localhost/');
    const nsOnly = /^ns\/([^/]+)$/.exec(values.from);
    if (!nsOnly && !/\/ns\/[^/]+\/sa\/[^/]+$/.test(values.from)) {
      throw new UsageError(`--from must be a principal (cluster.local/ns/NAMESPACE/sa/ACCOUNT) or ns/NAMESPACE (got ${values.from})`);
    }
    // A namespace caller has an unknown service account: only patterns covering every account of it match.
    const caller = nsOnly
      ? { namespace: nsOnly[1], principal: `cluster.local/ns/${nsOnly[1]}/sa/<any>` }
      : { principal: values.from, namespace: namespaceOfPrincipal(values.from) };
    const model = MeshModel.fromManifests(loadObjects(positionals, 'authz'));
    const data = model._data;
    const w = data.workload(values.to);
    const svc = w ? data.servicesOf(w)[0] : undefined;
    const port = line.port !== undefined ? svc?.ports.find(p => p.number === line.port)?.targetPort ?? line.port : undefined;
    const a = model.authorize({
      caller,
      workload: values.to,
      ...(port !== undefined ? { port } : {}),
      method: line.method,
      path: line.path,
      host: line.host,
      headers: parseHeaders(values.H),
      ...(values.protocol ? { protocol: values.protocol as RequestProtocol } : {}),
    });
    const policy = a.policy ? { kind: a.policy.kind, namespace: a.policy.namespace, name: a.policy.name } : null;
    const rule = a.policy?.ruleIndex ?? null;
    const stdout = format === 'json'
      ? JSON.stringify({ decision: a.decision, policy, rule, layer: a.layer, explanation: a.explanation, dryRun: a.dryRun, notes: a.notes }, undefined, 2) + '\n'
      : `${a.decision} ${a.explanation}\n${a.layer !== 'sidecar' ? `layer: ${a.layer}\n` : ''}${a.dryRun.map(d => `dry-run: ${d.action} ${describeRef(d.policy)} would match\n`).join('')}${a.notes.map(n => `note: ${n}\n`).join('')}`;
    return { stdout, exitCode: a.decision === AuthorizationDecision.ALLOW ? 0 : 1 };
  });
}

// -------------------------------------------------------------------------------------------------- diff

interface BehaviourChange {
  readonly area: 'route' | 'authorization' | 'mtls';
  readonly subject: string;
  readonly before: string;
  readonly after: string;
  readonly causes: string[];
}

function shares(e: RouteTableEntry): string {
  return e.clusters.map(c => `${c.cluster} ${fmtShare(c.share)}%`).join(', ') || '(no cluster)';
}

function routeChanges(oldT: Map<string, RouteTableEntry[]>, newT: Map<string, RouteTableEntry[]>): BehaviourChange[] {
  const out: BehaviourChange[] = [];
  for (const key of [...new Set([...oldT.keys(), ...newT.keys()])].sort()) {
    const o = oldT.get(key) ?? [];
    const n = newT.get(key) ?? [];
    for (let i = 0; i < Math.max(o.length, n.length); i++) {
      const a = o[i];
      const b = n[i];
      const describe = (e: RouteTableEntry | undefined) => (e ? `${e.route || '(unnamed)'} [${e.match}] -> ${shares(e)}` : '(none)');
      if (a && b && a.match === b.match && a.route === b.route && shares(a) === shares(b)) continue;
      if (a && b && a.match === b.match && a.route === b.route) {
        out.push({ area: 'route', subject: `${key} route ${b.route || i}`, before: shares(a), after: shares(b), causes: [describeRef(b.decidedBy)] });
      } else {
        out.push({ area: 'route', subject: `${key} route #${i + 1}`, before: describe(a), after: describe(b), causes: [a, b].filter(x => x?.decidedBy).map(x => describeRef(x!.decidedBy)) });
      }
    }
  }
  return out;
}

/** Callers and operations worth asking about: those any policy of either input names, plus strangers. */
function probes(datas: MeshData[]) {
  const principals = new Set<string>(['cluster.local/ns/<other>/sa/<other>']);
  const namespaces = new Set<string>();
  const ops = new Set<string>(['GET /']);
  for (const d of datas) {
    for (const p of d.authorizationPolicies) {
      for (const r of p.spec?.rules ?? []) {
        for (const f of r?.from ?? []) {
          for (const x of f?.source?.principals ?? []) if (!String(x).includes('*')) principals.add(String(x));
          for (const x of f?.source?.namespaces ?? []) if (!String(x).includes('*')) namespaces.add(String(x));
        }
        for (const t of r?.to ?? []) {
          const methods: string[] = t?.operation?.methods ?? ['GET'];
          const paths: string[] = (t?.operation?.paths ?? ['/']).map((x: string) => x.replace(/\*$/, 'x').replace(/^\*/, '/x'));
          for (const m of methods) for (const pa of paths) ops.add(`${m} ${pa}`);
        }
      }
    }
  }
  for (const ns of namespaces) principals.add(`cluster.local/ns/${ns}/sa/<any>`);
  return { principals: [...principals].sort(), ops: [...ops].sort() };
}

function authzChanges(o: MeshModel, n: MeshModel): BehaviourChange[] {
  const out: BehaviourChange[] = [];
  const { principals, ops } = probes([o._data, n._data]);
  const workloads = n._data.index.workloads.filter(w => !w.synthetic && o._data.workload(`${w.namespace}/${w.obj.metadata?.name}`));
  for (const w of workloads) {
    const ref = `${w.namespace}/${w.obj.metadata?.name}`;
    if (policiesFor(o._data, o._data.workload(ref)!).length === 0 && policiesFor(n._data, w).length === 0) continue;
    for (const principal of principals) {
      for (const op of ops) {
        const [method, p] = op.split(' ');
        const req = { caller: { principal, namespace: namespaceOfPrincipal(principal) }, workload: ref, method, path: p };
        const a = o.authorize(req);
        const b = n.authorize(req);
        if (a.decision === b.decision) continue;
        out.push({
          area: 'authorization',
          subject: `${ref} ${op} from ${principal}`,
          before: a.decision,
          after: b.decision,
          causes: [a.policy, b.policy].filter((x): x is DecidedBy => x !== undefined).map(describeRef)
            .concat(a.policy || b.policy ? [] : [b.explanation]),
        });
      }
    }
  }
  return out;
}

function mtlsChanges(o: MeshModel, n: MeshModel): BehaviourChange[] {
  const out: BehaviourChange[] = [];
  for (const w of n._data.index.workloads) {
    if (w.synthetic) continue;
    const ref = `${w.namespace}/${w.obj.metadata?.name}`;
    const ow = o._data.workload(ref);
    if (!ow) continue;
    const ports = [...new Set(n._data.servicesOf(w).flatMap(s => s.ports.map(p => p.targetPort ?? p.number)))];
    for (const port of ports.length ? ports : [0]) {
      const a = serverMtls(o._data, ow, port);
      const b = serverMtls(n._data, w, port);
      if (a.mode !== b.mode) {
        out.push({ area: 'mtls', subject: `${ref}${port ? ` port ${port}` : ''}`, before: a.mode, after: b.mode, causes: [a.policy, b.policy].filter((x): x is DecidedBy => !!x).map(describeRef) });
      }
    }
  }
  return out;
}

const DIFF_USAGE = `usage: cdk8s-istio diff OLD NEW [-o text|markdown|json]
  OLD and NEW are files or directories. Prints the behaviour that changed: routes and their shares per host and
  port, callers newly allowed or denied per workload and operation, mTLS modes, each with the objects that cause it.
  Exit status: 0 no behaviour change, 1 behaviour changed, 2 bad usage or input.`;

/** `cdk8s-istio diff`. @internal */
export function diff(argv: string[]): CommandResult {
  return run('diff', DIFF_USAGE, () => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { o: { type: 'string', short: 'o' } } });
    const format = outputFormat(values.o, ['text', 'markdown', 'json']);
    if (positionals.length !== 2) throw new UsageError(`diff takes OLD and NEW (got ${positionals.length} path(s))`);
    const o = MeshModel.fromManifests(loadObjects([positionals[0]], 'diff'));
    const n = MeshModel.fromManifests(loadObjects([positionals[1]], 'diff'));
    const changes = [
      ...routeChanges(routeTable(o._data), routeTable(n._data)),
      ...authzChanges(o, n),
      ...mtlsChanges(o, n),
    ];
    return { stdout: formatDiff(changes, format), exitCode: changes.length > 0 ? 1 : 0 };
  });
}

function formatDiff(changes: BehaviourChange[], format: string): string {
  if (format === 'json') return JSON.stringify({ changed: changes.length > 0, changes }, undefined, 2) + '\n';
  if (changes.length === 0) return 'no behaviour change\n';
  if (format === 'markdown') {
    const esc = (s: string) => s.replace(/\|/g, '\\|');
    const rows = changes.map(c => `| ${c.area} | ${esc(c.subject)} | ${esc(c.before)} | ${esc(c.after)} | ${esc(c.causes.join('; '))} |`);
    return `### Behaviour changes (${changes.length})\n\n| | what | before | after | caused by |\n|---|---|---|---|---|\n${rows.join('\n')}\n`;
  }
  return changes.map(c => `${c.area}: ${c.subject}: ${c.before} -> ${c.after} (${c.causes.join('; ')})`).join('\n') + '\n';
}

// ------------------------------------------------------------------------------------------------- graph

const GRAPH_USAGE = `usage: cdk8s-istio graph FILE|DIR|-... [-o mermaid|dot|svg]
  Gateways, hosts, routes with their shares, the workloads behind each cluster, and authorization edges.
  svg is the dot graph laid out by Graphviz (compiled to WebAssembly; no system binary).`;

/** `cdk8s-istio graph`. @internal */
export function graph(argv: string[]): CommandResult {
  return run('graph', GRAPH_USAGE, () => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { o: { type: 'string', short: 'o' } } });
    const format = outputFormat(values.o, ['mermaid', 'dot', 'svg']);
    if (positionals.length === 0) throw new UsageError('no input files');
    const data = MeshModel.fromManifests(loadObjects(positionals, 'graph'))._data;
    if (format === 'svg') return { stdout: dotToSvg(renderGraph(meshGraph(data), 'dot')), exitCode: 0 };
    return { stdout: renderGraph(meshGraph(data), format), exitCode: 0 };
  });
}

interface Graph {
  nodes: Map<string, { label: string; shape: 'gateway' | 'host' | 'cluster' | 'workload' | 'caller' }>;
  edges: Array<{ from: string; to: string; label: string; dashed?: boolean }>;
}

function meshGraph(data: MeshData): Graph {
  const g: Graph = { nodes: new Map(), edges: [] };
  const node = (id: string, label: string, shape: Graph['nodes'] extends Map<string, infer V> ? V extends { shape: infer S } ? S : never : never) => {
    if (!g.nodes.has(id)) g.nodes.set(id, { label, shape });
    return id;
  };
  // One edge per route and cluster: the matches of one Gateway API rule are separate routes with one name.
  const edge = (from: string, to: string, label: string) => {
    if (!g.edges.some(e => e.from === from && e.to === to && e.label === label)) g.edges.push({ from, to, label });
  };
  const table = routeTable(data);
  for (const [key, rows] of [...table].sort(([a], [b]) => a.localeCompare(b))) {
    const gw = /^gateway (\S+) (\S+)$/.exec(key);
    const isDefaultOnly = rows.length === 1 && rows[0].route === 'default' && !rows[0].decidedBy;
    if (isDefaultOnly && !gw) continue;
    // A gateway's virtual host (`*:80`) is its own node: two gateways may both have one of that name.
    const hostId = node(`host:${key}`, gw ? gw[2] : key, 'host');
    if (gw) g.edges.push({ from: node(`gw:${gw[1]}`, gatewayLabel(data, gw[1]), 'gateway'), to: hostId, label: '' });
    for (const r of rows) {
      for (const c of r.clusters) {
        const cid = node(`cluster:${c.cluster}`, c.cluster, 'cluster');
        edge(hostId, cid, `${r.route || 'route'} ${fmtShare(c.share)}%`);
      }
    }
  }
  for (const [id, n] of g.nodes) {
    if (n.shape !== 'cluster') continue;
    const [, , subset, fqdn] = n.label.split('|');
    const host = data.registry.find(h => h.fqdn === fqdn);
    if (!host) continue;
    const dr = subset ? data.destinationRules.find(d => (d.spec?.subsets ?? []).some((s: any) => s?.name === subset) && String(d.spec?.host ?? '').split('.')[0] === fqdn.split('.')[0]) : undefined;
    const labels = subset ? (dr?.spec?.subsets ?? []).find((s: any) => s?.name === subset)?.labels : undefined;
    for (const w of data.endpoints(host, labels)) {
      g.edges.push({ from: id, to: node(`w:${w.namespace}/${w.obj.metadata?.name}`, `${w.obj.kind} ${w.namespace}/${w.obj.metadata?.name}`, 'workload'), label: '' });
    }
  }
  for (const w of data.index.workloads) {
    if (w.synthetic) continue;
    const wid = `w:${w.namespace}/${w.obj.metadata?.name}`;
    for (const p of policiesFor(data, w)) {
      const action = String(p.spec?.action ?? 'ALLOW');
      for (const r of p.spec?.rules ?? []) {
        const sources: string[] = (r?.from ?? []).flatMap((f: any) => [...(f?.source?.principals ?? []), ...(f?.source?.namespaces ?? []).map((x: string) => `ns/${x}`)]);
        for (const s of sources.length ? sources : ['any caller']) {
          node(wid, `${w.obj.kind} ${w.namespace}/${w.obj.metadata?.name}`, 'workload');
          g.edges.push({ from: node(`caller:${s}`, s, 'caller'), to: wid, label: `${action} (${data.nsOf(p)}/${p.metadata?.name})`, dashed: true });
        }
      }
    }
  }
  return g;
}

/** `Gateway ns/name`, or for a Gateway API listener `Gateway ns/name listener http` (not istiod's generated name). */
function gatewayLabel(data: MeshData, key: string): string {
  const gw = data.gateways.find(x => `${data.nsOf(x)}/${x.metadata?.name}` === key);
  const origin = gw?.__origin?.[''];
  return gw?.__gatewayApi && origin ? `Gateway ${gw.__gatewayApi} listener ${origin.ruleName}` : `Gateway ${key}`;
}

function renderGraph(g: Graph, format: string): string {
  const ids = new Map<string, string>();
  [...g.nodes.keys()].forEach((k, i) => ids.set(k, `n${i}`));
  const q = (s: string) => s.replace(/"/g, '\'');
  if (format === 'dot') {
    const shape = { gateway: 'house', host: 'box', cluster: 'ellipse', workload: 'component', caller: 'plaintext' };
    const lines = ['digraph mesh {', '  rankdir=LR;'];
    for (const [k, n] of g.nodes) lines.push(`  ${ids.get(k)} [label="${q(n.label)}", shape=${shape[n.shape]}];`);
    for (const e of g.edges) lines.push(`  ${ids.get(e.from)} -> ${ids.get(e.to)}${e.label || e.dashed ? ` [${[e.label ? `label="${q(e.label)}"` : '', e.dashed ? 'style=dashed' : ''].filter(Boolean).join(', ')}]` : ''};`);
    lines.push('}');
    return lines.join('\n') + '\n';
  }
  const open = { gateway: '{{', host: '[', cluster: '([', workload: '[[', caller: '>' };
  const close = { gateway: '}}', host: ']', cluster: '])', workload: ']]', caller: ']' };
  const lines = ['flowchart LR'];
  for (const [k, n] of g.nodes) lines.push(`  ${ids.get(k)}${open[n.shape]}"${q(n.label)}"${close[n.shape]}`);
  for (const e of g.edges) lines.push(`  ${ids.get(e.from)} ${e.dashed ? '-.->' : '-->'}${e.label ? `|"${q(e.label)}"|` : ''} ${ids.get(e.to)}`);
  return lines.join('\n') + '\n';
}

/** The behaviour subcommands by name, for the CLI's dispatch table. @internal */
export const BEHAVIOUR_COMMANDS: Record<string, (argv: string[]) => CommandResult> = { explain, authz, diff, graph };
