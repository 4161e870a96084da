// What the Gateway API route kinds share: how they write and check their parents and backends, and the
// ReferenceGrants their cross-namespace backends need. Internal: each kind's construct calls these.
import { BackendRef, backendPortProblem, checkWeight } from './backend-ref';
import { IGatewayRef, isServiceName, renderParentRef, serviceParentHost } from './parent-ref';
import { grantReference } from './reference-grant';
import type { RouteFilter } from './route-filter';
import { formatProblem } from '../core/errors';
import { IHost, RenderContext, hostIsDefinedByObject, renderContextOf, serviceObjectOf } from '../core/host';
import { JsonMap } from '../core/json';
import { compact } from '../core/render';
import type { IstioResource } from '../core/resource';

/** Collects construct-level problems of one kind. @internal */
export class Problems {
  public readonly list: string[] = [];
  constructor(private readonly kind: string) {}
  public add(field: string, problem: string, got: unknown, allowed?: string): void {
    this.list.push(formatProblem({ kind: this.kind, field, problem, got, allowed }));
  }
}

/** @internal */
export function renderParents(refs: IGatewayRef[], namespace: string | undefined): JsonMap[] {
  return refs.map(r => renderParentRef(r, namespace));
}

/** A Service parent must name a Service and one of its ports. @internal */
export function checkParents(refs: IGatewayRef[], problems: Problems): void {
  refs.forEach((ref, i) => {
    const host = serviceParentHost(ref);
    if (!host) return;
    const field = `spec.parentRefs[${i}]`;
    if (!isServiceName(host)) {
      problems.add(`${field}.name`, 'a Service parent is named by the Service name, not a hostname', host.hostname, 'ParentRef.service(Host.fromService(svc)) or Host.fromName(\'<service>\', { namespace })');
      return;
    }
    // A Service of the app is in the analysed output, where the engine checks the port (CDK8SISTIO0301).
    const ports = hostIsDefinedByObject(host) ? [] : host.ports;
    if (ref.parentPort !== undefined && ports.length > 0 && !ports.includes(ref.parentPort)) {
      problems.add(`${field}.port`, `Service ${host.hostname} has no port ${ref.parentPort}`, ref.parentPort, `give port: one of ${ports.join(', ')}, or none for every port`);
    }
  });
}

/** Weights are checked when the rule is added, so the error points at the call. @internal */
export function checkWeights(backends: BackendRef[], kind: string, field: string): void {
  backends.forEach((b, i) => checkWeight(b.options.weight, kind, `${field}[${i}].weight`));
}

/** The hosts a rule's filters mirror to. */
function mirrorsOf(filters: RouteFilter[] | undefined): Array<{ host: IHost; port?: number }> {
  return (filters ?? []).flatMap(f => (f._mirror ? [{ host: f._mirror.host, port: f._mirror.options.port }] : []));
}

/** Ports of the backends and mirrors of a rule, against the Services' known ports. @internal */
export function checkBackends(backends: BackendRef[], filters: RouteFilter[] | undefined, field: string, problems: Problems): void {
  const portProblem = (host: IHost, port: number | undefined, at: string) => {
    const p = backendPortProblem(host, port);
    if (p) problems.add(at, p.problem, p.got, p.allowed);
  };
  backends.forEach((b, i) => {
    portProblem(b.host, b.options.port, `${field}.backendRefs[${i}].port`);
    (b.options.filters ?? []).forEach((f, j) => {
      if (f._mirror) portProblem(f._mirror.host, f._mirror.options.port, `${field}.backendRefs[${i}].filters[${j}].requestMirror.backendRef.port`);
    });
  });
  (filters ?? []).forEach((f, j) => {
    if (f._mirror) portProblem(f._mirror.host, f._mirror.options.port, `${field}.filters[${j}].requestMirror.backendRef.port`);
  });
}

/** Write the ReferenceGrants for the Services of the app a rule refers to in other namespaces. @internal */
export function grantBackends(route: IstioResource, backends: BackendRef[], filters: RouteFilter[] | undefined): void {
  const hosts = [
    ...backends.flatMap(b => [b.host, ...mirrorsOf(b.options.filters).map(m => m.host)]),
    ...mirrorsOf(filters).map(m => m.host),
  ];
  for (const host of hosts) {
    const svc = serviceObjectOf(host);
    if (svc) grantReference(route, svc);
  }
}

/** @internal */
export function renderBackends(backends: BackendRef[], ctx: RenderContext): JsonMap[] {
  return backends.map(b => b._render(ctx));
}

/** One named rule of an HTTPRoute or GRPCRoute, and the fields only its kind has (`timeouts`, `retry`). */
interface L7RouteRule {
  readonly name: string;
  readonly matches?: Array<{ _render(): unknown }>;
  readonly filters?: RouteFilter[];
  readonly backendRefs: BackendRef[];
  readonly extra?: JsonMap;
}

/** The spec of an HTTPRoute or GRPCRoute: both write parents, hostnames and named rules the same way. @internal */
export function renderL7Route(route: IstioResource, parentRefs: IGatewayRef[], hostnames: string[], rules: L7RouteRule[]): unknown {
  const ctx = renderContextOf(route, route.namespace);
  return compact({
    parentRefs: renderParents(parentRefs, ctx.namespace),
    hostnames,
    rules: rules.map(r => ({
      name: r.name,
      matches: r.matches?.map(m => m._render()),
      filters: r.filters?.map(f => f._render(ctx)),
      backendRefs: renderBackends(r.backendRefs, ctx),
      ...r.extra,
    })),
  });
}
