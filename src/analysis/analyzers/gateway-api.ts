// istiod's own checks on Gateway API objects (pilot/pkg/config/kube/gateway): the conditions it would set on a
// route's parent status (Accepted: NoMatchingParent, NotAllowedByListeners, NoMatchingListenerHostname;
// ResolvedRefs: BackendNotFound, InvalidKind, RefNotPermitted, InvalidDestination) and on a Gateway's listeners
// (UnsupportedProtocol, InvalidRouteKinds, InvalidCertificateRef, RefNotPermitted), found offline. A missing
// object is IST0101, as Istio's analyzers report one; the rest are CDK8SISTIO03xx, whose first argument is the
// reason istiod would write. What the input does not hold is reported only where the input stands for it
// (complete mode, or it describes the namespace), as for every other reference.
import { credentialProblem } from './gateway';
import { elsewhereHint, MeshIndex, labelSelectorMatches } from './mesh-index';
import { CrossRule, RunContext, groupOf } from '../engine';
import { CLUSTER_DOMAIN, hostsMatch } from '../hosts';
import { Messages } from '../messages';
import { listOf, mapOf } from '../objects';

const GROUP = 'gateway.networking.k8s.io';
const ISTIO_GROUP = 'networking.istio.io';
const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute'];
/** The controller istiod answers for, and the classes it installs for it. */
const ISTIO_CONTROLLER = 'istio.io/gateway-controller';
const ISTIO_CLASSES = new Set(['istio', 'istio-waypoint', 'istio-east-west', 'istio-remote']);

type Ref = { [key: string]: any };

/** The route kinds Istio serves on a listener of this protocol (Istio's generateSupportedKinds). */
function supportedKinds(listener: Ref): string[] {
  switch (listener?.protocol) {
    case 'HTTP':
    case 'HTTPS':
      return ['HTTPRoute', 'GRPCRoute'];
    case 'TCP':
      return ['TCPRoute'];
    case 'TLS':
      // TLSRoute in both modes; a terminating listener also carries TCPRoute (the CRD defaults mode to Terminate).
      return listener?.tls && (listener.tls.mode ?? 'Terminate') === 'Terminate' ? ['TLSRoute', 'TCPRoute'] : ['TLSRoute'];
    default:
      return [];
  }
}
const PROTOCOLS = new Set(['HTTP', 'HTTPS', 'TCP', 'TLS', 'HBONE']);

/** The kinds a listener admits: its allowedRoutes.kinds that Istio supports, else every supported kind. */
function admittedKinds(listener: Ref): string[] {
  const supported = supportedKinds(listener);
  const kinds: Ref[] = Array.isArray(listener?.allowedRoutes?.kinds) ? listener.allowedRoutes.kinds : [];
  if (kinds.length === 0) return supported;
  return kinds.filter(k => (k?.group ?? GROUP) === GROUP && supported.includes(k?.kind)).map(k => k.kind);
}

/** The Gateways of the input that istiod programs: of an Istio class, or of a class an input GatewayClass gives to istiod. */
function istioManaged(ctx: RunContext): (gw: Ref) => boolean {
  const classes = new Map<string, string>();
  for (const c of ctx.ofKind(`${GROUP}/GatewayClass`)) classes.set(String(c?.metadata?.name), String(c?.spec?.controllerName ?? ''));
  return gw => {
    const cls = String(gw?.spec?.gatewayClassName ?? '');
    const controller = classes.get(cls);
    return controller !== undefined ? controller === ISTIO_CONTROLLER : ISTIO_CLASSES.has(cls);
  };
}

/** ReferenceGrants by the namespace they live in (the target's). */
class Grants {
  private readonly byNamespace = new Map<string, Ref[]>();
  public constructor(ctx: RunContext) {
    for (const g of ctx.ofKind(`${GROUP}/ReferenceGrant`)) {
      const ns = ctx.namespaceOf(g);
      let list = this.byNamespace.get(ns);
      if (!list) this.byNamespace.set(ns, (list = []));
      list.push(g);
    }
  }

  public has(namespace: string): boolean {
    return this.byNamespace.has(namespace);
  }

  /** Whether a grant in `toNamespace` lets `from` (group/kind in fromNamespace) refer to `to` (group/kind/name). */
  public allows(
    fromGroup: string, fromKind: string, fromNamespace: string, toGroup: string, toKind: string, toName: string, toNamespace: string,
  ): boolean {
    return (this.byNamespace.get(toNamespace) ?? []).some(g =>
      listOf(g?.spec?.from).some(f => (f?.group ?? '') === fromGroup && f?.kind === fromKind && f?.namespace === fromNamespace)
      && listOf(g?.spec?.to).some(t => (t?.group ?? '') === toGroup && t?.kind === toKind && (t?.name === undefined || t.name === '' || t.name === toName)));
  }
}

const CACHE = new WeakMap<RunContext, Grants>();
function grantsOf(ctx: RunContext): Grants {
  let g = CACHE.get(ctx);
  if (!g) CACHE.set(ctx, (g = new Grants(ctx)));
  return g;
}

/** Every route of a supported kind in the input. */
function routes(ctx: RunContext): Ref[] {
  return ROUTE_KINDS.flatMap(k => ctx.ofKind(`${GROUP}/${k}`));
}

interface Denial { readonly rank: number; readonly reason: string; readonly message: string }
const NOT_ALLOWED = 0;
const NO_HOSTNAME = 1;
const NOT_ACCEPTED = 2;

/**
 * Why `listener` refuses the route, in the order istiod's referenceAllowed checks: port and sectionName, then
 * hostname and namespace, then kind. `undefined`: it accepts it, or whether it does depends on a Namespace the
 * input does not hold.
 */
function listenerDenial(ctx: RunContext, gw: Ref, listener: Ref, ref: Ref, route: Ref): Denial | undefined {
  if (ref.port !== undefined && ref.port !== listener?.port) return { rank: NOT_ACCEPTED, reason: 'NoMatchingParent', message: `port ${ref.port} not found` };
  if (ref.sectionName !== undefined && ref.sectionName !== listener?.name) return { rank: NOT_ACCEPTED, reason: 'NoMatchingParent', message: `sectionName "${ref.sectionName}" not found` };
  const routeNs = ctx.namespaceOf(route);
  const gwNs = ctx.namespaceOf(gw);
  const hostnames: string[] = listOf(route?.spec?.hostnames).filter(h => typeof h === 'string');
  const listenerHost = typeof listener?.hostname === 'string' && listener.hostname ? listener.hostname : '*';
  const hostMatched = (hostnames.length ? hostnames : ['*']).some(h => hostsMatch(listenerHost, h));
  const nsAllowed = namespaceAllowed(ctx, listener, gwNs, routeNs);
  if (nsAllowed === undefined) return undefined;
  if (!(hostMatched && nsAllowed)) {
    const shown = typeof listener?.hostname === 'string' ? listener.hostname : '';
    if (hostMatched) return { rank: NOT_ALLOWED, reason: 'NotAllowedByListeners', message: `hostnames matched parent hostname "${shown}", but namespace "${routeNs}" is not allowed by the parent` };
    return { rank: NO_HOSTNAME, reason: 'NoMatchingListenerHostname', message: `no hostnames matched parent hostname "${shown}"` };
  }
  if (!admittedKinds(listener).includes(route.kind)) return { rank: NOT_ALLOWED, reason: 'NotAllowedByListeners', message: `kind ${route.kind} is not allowed` };
  return undefined;
}

/** allowedRoutes.namespaces of a listener: Same (the default), All, Selector over the route's Namespace labels, None. */
function namespaceAllowed(ctx: RunContext, listener: Ref, gwNs: string, routeNs: string): boolean | undefined {
  const ns = listener?.allowedRoutes?.namespaces ?? {};
  switch (ns.from ?? 'Same') {
    case 'All': return true;
    case 'Same': return gwNs === routeNs;
    case 'Selector': {
      const nsObj = MeshIndex.of(ctx).namespaces.get(routeNs);
      // The labels of a Namespace the input lacks are not guessed; in complete mode it has none.
      if (!nsObj && ctx.options.complete !== true) return undefined;
      return labelSelectorMatches(ns.selector ?? {}, { 'kubernetes.io/metadata.name': routeNs, ...mapOf(nsObj?.metadata?.labels) });
    }
    default: return false;
  }
}

/** gatewayapi.RouteParentAnalyzer: every parentRef of a route names a parent that accepts it. @internal */
export const routeParentAnalyzer: CrossRule = {
  name: 'gatewayapi.RouteParentAnalyzer',
  check(ctx) {
    const idx = MeshIndex.of(ctx);
    const managed = istioManaged(ctx);
    for (const route of routes(ctx)) {
      const r = ctx.reporterFor(route);
      const routeNs = ctx.namespaceOf(route);
      listOf(route?.spec?.parentRefs).forEach((ref: Ref, i: number) => {
        if (!ref || typeof ref.name !== 'string') return;
        const field = `spec.parentRefs[${i}]`;
        const group = ref.group ?? GROUP;
        const kind = ref.kind ?? 'Gateway';
        const ns = typeof ref.namespace === 'string' ? ref.namespace : routeNs;
        if (group === GROUP && kind === 'Gateway') {
          const key = `${ns}/${ref.name}`;
          const gw = idx.k8sGateways.get(key);
          if (!gw) {
            // Gateways of a namespace the input holds none in are usually platform-owned: not guessed.
            if (idx.declaredElsewhere(key, ns) || (!idx.gatewayNamespaces.has(ns) && ctx.options.complete !== true)) return;
            r(Messages.ReferencedResourceNotFound, { args: ['parentRef Gateway', key], field: `${field}.name`, problem: `parentRef names Gateway ${key}, which is not in the analysed manifests, so istiod accepts the route nowhere`, got: ref.name, fix: `${namesIn('Gateways', [...idx.k8sGateways.keys()].filter(k => k.startsWith(`${ns}/`)).map(k => k.slice(ns.length + 1)), ns)}${elsewhereHint(ctx)}` });
            return;
          }
          // A Gateway of another controller is that controller's to judge.
          if (!managed(gw)) return;
          const listeners: Ref[] = listOf(gw?.spec?.listeners);
          const denials: Denial[] = [];
          for (const l of listeners) {
            const d = listenerDenial(ctx, gw, l, ref, route);
            if (!d) return;
            denials.push(d);
          }
          if (denials.length === 0) return;
          // istiod reports the least severe refusal among the listeners, as its createRouteStatus ranks them.
          const best = Math.min(...denials.map(d => d.rank));
          const picked = denials.filter(d => d.rank === best);
          const message = [...new Set(picked.map(d => d.message))].join('; ');
          const reason = picked[0].reason;
          const msg = reason === 'NoMatchingParent' ? Messages.GatewayApiNoMatchingParent
            : reason === 'NoMatchingListenerHostname' ? Messages.GatewayApiNoMatchingListenerHostname : Messages.GatewayApiNotAllowedByListeners;
          const listenerList = listeners.map(l => `${l?.name}(${l?.protocol} ${l?.port}${l?.hostname ? ' ' + l.hostname : ''})`).join(', ');
          const fix = reason === 'NoMatchingParent' ? `a sectionName and port of a listener of ${key}: ${listenerList || '(no listeners)'}`
            : reason === 'NoMatchingListenerHostname' ? `a hostname that a listener of ${key} accepts: ${listeners.map(l => l?.hostname ?? '*').join(', ')}`
              : `a listener whose allowedRoutes admits ${route.kind} from namespace ${routeNs}`;
          r(msg, { args: [`Gateway ${key}`, reason, message], field, problem: `Gateway ${key} refuses the route: ${message}`, got: parentRefString(ref), fix });
          return;
        }
        if (group === '' && kind === 'Service') {
          // GAMMA: the route attaches to the Service's mesh traffic.
          const svc = idx.servicesIn(ns).find(s => s.name === ref.name);
          if (!svc) {
            const host = `${ref.name}.${ns}.${CLUSTER_DOMAIN}`;
            if (idx.declaredElsewhere(host, ns) || !idx.described(ns)) return;
            r(Messages.ReferencedResourceNotFound, { args: ['parentRef Service', `${ns}/${ref.name}`], field: `${field}.name`, problem: `parent service: "${ref.name}" not found in namespace ${ns} in the analysed manifests`, got: ref.name, fix: elsewhereHint(ctx) });
            return;
          }
          if (ref.port !== undefined && !svc.ports.some(p => p.number === ref.port)) {
            r(Messages.GatewayApiNoMatchingParent, { args: [`Service ${ns}/${ref.name}`, 'NoMatchingParent', `port ${ref.port} not found`], field: `${field}.port`, problem: `Service ${ns}/${ref.name} has no port ${ref.port}`, got: ref.port, fix: `one of ${svc.ports.map(p => p.number).join(', ') || '(no ports)'}` });
          }
          return;
        }
        if (group === ISTIO_GROUP && kind === 'ServiceEntry') {
          const found = ctx.ofKind(`${ISTIO_GROUP}/ServiceEntry`).some(se => se?.metadata?.name === ref.name && ctx.namespaceOf(se) === ns);
          if (found || idx.declaredElsewhere(`${ns}/${ref.name}`, ns) || !(ctx.options.complete === true || ctx.ofKind(`${ISTIO_GROUP}/ServiceEntry`).length > 0)) return;
          r(Messages.ReferencedResourceNotFound, { args: ['parentRef ServiceEntry', `${ns}/${ref.name}`], field: `${field}.name`, problem: `parent service entry: "${ref.name}" not found in namespace ${ns} in the analysed manifests`, got: ref.name, fix: elsewhereHint(ctx) });
        }
        // Other parent kinds belong to other controllers; istiod ignores them.
      });
    }
  },
};

/** `Gateways in namespace shop: public, internal; ` (the names a typo most likely meant), or nothing. */
function namesIn(what: string, names: string[], ns: string): string {
  if (names.length === 0) return '';
  const shown = [...names].sort();
  return `${what} in namespace ${ns}: ${shown.slice(0, 5).join(', ')}${shown.length > 5 ? ', ...' : ''}; `;
}

function parentRefString(ref: Ref): string {
  const parts = [`${ref.namespace ? ref.namespace + '/' : ''}${ref.name}`];
  if (ref.sectionName !== undefined) parts.push(`sectionName ${ref.sectionName}`);
  if (ref.port !== undefined) parts.push(`port ${ref.port}`);
  return parts.join(', ');
}

/** Every backend reference of a route, with its field path: rule backendRefs and RequestMirror filters. */
function backendRefs(route: Ref): Array<{ ref: Ref; field: string }> {
  const out: Array<{ ref: Ref; field: string }> = [];
  const mirrors = (filters: unknown, at: string) => listOf(filters).forEach((f: Ref, k: number) => {
    if (f?.type === 'RequestMirror' && f?.requestMirror?.backendRef) out.push({ ref: f.requestMirror.backendRef, field: `${at}.filters[${k}].requestMirror.backendRef` });
  });
  listOf(route?.spec?.rules).forEach((rule: Ref, i: number) => {
    listOf(rule?.backendRefs).forEach((b: Ref, j: number) => {
      // istiod drops weight-0 backends before it resolves them.
      if (b && b.weight !== 0) out.push({ ref: b, field: `spec.rules[${i}].backendRefs[${j}]` });
      mirrors(b?.filters, `spec.rules[${i}].backendRefs[${j}]`);
    });
    mirrors(rule?.filters, `spec.rules[${i}]`);
  });
  return out;
}

/** gatewayapi.BackendRefAnalyzer: every backendRef resolves, as istiod's buildDestination resolves it. @internal */
export const backendRefAnalyzer: CrossRule = {
  name: 'gatewayapi.BackendRefAnalyzer',
  check(ctx) {
    const idx = MeshIndex.of(ctx);
    const grants = grantsOf(ctx);
    for (const route of routes(ctx)) {
      const r = ctx.reporterFor(route);
      const routeNs = ctx.namespaceOf(route);
      // A mesh (GAMMA) route needs no ReferenceGrant: a consumer route in its own namespace routes to the
      // producer's Service in another one (the Gateway API's mesh conformance, MeshConsumerRoute).
      const parents = listOf(route?.spec?.parentRefs);
      const mesh = parents.length > 0 && parents.every((p: Ref) => (p?.kind === 'Service' && (p?.group ?? '') === '') || (p?.kind === 'ServiceEntry' && p?.group === ISTIO_GROUP));
      for (const { ref, field } of backendRefs(route)) {
        if (typeof ref?.name !== 'string') continue;
        const group = ref.group ?? '';
        const kind = ref.kind ?? 'Service';
        const ns = typeof ref.namespace === 'string' ? ref.namespace : routeNs;
        const shown = `${ns}/${ref.name}`;
        if (ns !== routeNs && !mesh && !grants.allows(GROUP, route.kind, routeNs, group, kind, ref.name, ns)) {
          if (ctx.options.complete === true || grants.has(ns) || idx.described(ns)) {
            r(Messages.GatewayApiRefNotPermitted, { args: ['RefNotPermitted', `backendRef ${ref.name}/${ns} not accessible to a ${route.kind} in namespace "${routeNs}" (missing a ReferenceGrant?)`], field: `${field}.namespace`, problem: `the backend ${kind} ${shown} is in another namespace, and no ReferenceGrant there allows ${route.kind}s from namespace ${routeNs}`, got: ns, fix: `add a ReferenceGrant in ${ns} from { group: ${GROUP}, kind: ${route.kind}, namespace: ${routeNs} } to { group: "${group}", kind: ${kind}, name: ${ref.name} }` });
          }
          continue;
        }
        if (group === '' && kind === 'Service') {
          if (ref.name.includes('.')) {
            r(Messages.GatewayApiInvalidBackend, { args: ['InvalidDestination', 'service name invalid; the name of the Service must be used, not the hostname.'], field: `${field}.name`, problem: 'a Service backend is named by its Service name, not a hostname', got: ref.name, fix: `name: ${ref.name.split('.')[0]}${ref.name.split('.').length > 1 ? ', namespace: ' + ref.name.split('.')[1] : ''}` });
            continue;
          }
          const svc = idx.servicesIn(ns).find(s => s.name === ref.name);
          const host = `${ref.name}.${ns}.${CLUSTER_DOMAIN}`;
          if (!svc) {
            if (!idx.declaredElsewhere(host, ns) && idx.described(ns)) {
              r(Messages.ReferencedResourceNotFound, { args: ['backendRef Service', shown], field: `${field}.name`, problem: `backend(${host}) not found: no Service ${shown} in the analysed manifests (istiod drops the backend and answers its share of requests with 500)`, got: ref.name, fix: `${namesIn('Services', idx.servicesIn(ns).map(x => x.name), ns)}${elsewhereHint(ctx)}` });
            }
          } else if (ref.port !== undefined && !svc.ports.some(p => p.number === ref.port)) {
            r(Messages.GatewayApiBackendPortNotFound, { args: [`Service ${shown}`, ref.port], field: `${field}.port`, problem: `port ${ref.port} is not a port of Service ${shown}`, got: ref.port, fix: `one of ${svc.ports.map(p => p.number).join(', ') || '(no ports)'}` });
          }
        } else if (group === ISTIO_GROUP && kind === 'Hostname') {
          if (ref.namespace !== undefined) {
            r(Messages.GatewayApiInvalidBackend, { args: ['InvalidDestination', 'namespace may not be set with Hostname type'], field: `${field}.namespace`, problem: 'a Hostname backend names a ServiceEntry host, which has no namespace', got: ref.namespace, fix: 'remove namespace' });
            continue;
          }
          const entry = idx.resolveHost(ref.name, routeNs);
          if (!entry) {
            if (!idx.declaredElsewhere(ref.name) && idx.described(undefined)) {
              r(Messages.ReferencedResourceNotFound, { args: ['backendRef Hostname', ref.name], field: `${field}.name`, problem: `backend(${ref.name}) not found: no ServiceEntry or Service visible from namespace ${routeNs} declares host ${ref.name}`, got: ref.name, fix: elsewhereHint(ctx) });
            }
          } else if (ref.port !== undefined && !entry.ports.some(p => p.number === ref.port)) {
            r(Messages.GatewayApiBackendPortNotFound, { args: [`host ${ref.name}`, ref.port], field: `${field}.port`, problem: `port ${ref.port} is not a port of host ${ref.name}`, got: ref.port, fix: `one of ${entry.ports.map(p => p.number).join(', ') || '(no ports)'}` });
          }
        } else if (!(group === 'multicluster.x-k8s.io' && kind === 'ServiceImport') && !(group === 'inference.networking.k8s.io' && kind === 'InferencePool')) {
          r(Messages.GatewayApiBackendInvalidKind, { args: ['InvalidKind', `referencing unsupported backendRef: group "${group}" kind "${kind}"`], field, problem: `Istio routes to a core Service, a ${ISTIO_GROUP} Hostname or a ServiceImport, not to a ${group ? group + '/' : ''}${kind}`, got: `${group ? group + '/' : ''}${kind}`, fix: 'kind: Service (group ""), or kind: Hostname (group networking.istio.io) for a ServiceEntry host' });
          continue;
        }
        // A Service backendRef without a port is refused by the CRDs' own rule ("Must have port for Service
        // reference", IST0106 from the schema check) before istiod sees it: one message for one mistake.
        if (ref.port === undefined && kind !== 'InferencePool' && !(group === '' && kind === 'Service')) {
          r(Messages.GatewayApiInvalidBackend, { args: ['InvalidDestination', 'port is required in backendRef'], field, problem: 'the backendRef has no port, so istiod refuses the whole rule', got: ref.name, fix: 'set port to a port of the backend' });
        }
      }
    }
  },
};

/** gatewayapi.ListenerAnalyzer: listeners istiod can program, with certificates it may read; route kinds it implements. @internal */
export const listenerAnalyzer: CrossRule = {
  name: 'gatewayapi.ListenerAnalyzer',
  check(ctx) {
    const managed = istioManaged(ctx);
    const grants = grantsOf(ctx);
    const secrets = new Map(ctx.ofKind('/Secret').map(s => [`${ctx.namespaceOf(s)}/${s?.metadata?.name}`, s]));
    const secretNamespaces = new Set(ctx.ofKind('/Secret').map(s => ctx.namespaceOf(s)));
    const idx = MeshIndex.of(ctx);
    for (const gw of ctx.ofKind(`${GROUP}/Gateway`)) {
      if (!managed(gw)) continue;
      const r = ctx.reporterFor(gw);
      const gwNs = ctx.namespaceOf(gw);
      listOf(gw?.spec?.listeners).forEach((l: Ref, i: number) => {
        const field = `spec.listeners[${i}]`;
        const name = String(l?.name ?? i);
        if (typeof l?.protocol === 'string' && !PROTOCOLS.has(l.protocol)) {
          r(Messages.GatewayApiUnsupportedProtocol, { args: [name, 'UnsupportedProtocol', `protocol "${l.protocol}" is unsupported`], field: `${field}.protocol`, problem: `Istio does not implement listeners of protocol ${l.protocol}`, got: l.protocol, fix: 'HTTP, HTTPS, TLS or TCP' });
          return;
        }
        const kinds: Ref[] = listOf(l?.allowedRoutes?.kinds);
        const supported = supportedKinds(l);
        kinds.forEach((k, j) => {
          if ((k?.group ?? GROUP) === GROUP && supported.includes(k?.kind)) return;
          r(Messages.GatewayApiInvalidRouteKinds, { args: [name, 'InvalidRouteKinds', 'Invalid route kinds'], field: `${field}.allowedRoutes.kinds[${j}]`, problem: `Istio does not serve ${k?.kind} on a ${l?.protocol}${l?.protocol === 'TLS' ? ' ' + (l?.tls?.mode ?? 'Terminate') : ''} listener`, got: `${k?.group ?? GROUP}/${k?.kind}`, fix: `one of ${supported.join(', ') || '(none)'}` });
        });
        listOf(l?.tls?.certificateRefs).forEach((c: Ref, j: number) => {
          if (typeof c?.name !== 'string') return;
          const cField = `${field}.tls.certificateRefs[${j}]`;
          const group = c.group ?? '';
          const kind = c.kind ?? 'Secret';
          const ns = typeof c.namespace === 'string' ? c.namespace : gwNs;
          if (!(group === '' && kind === 'Secret')) {
            r(Messages.GatewayApiInvalidCertificateRef, { args: [name, 'InvalidCertificateRef', `invalid certificate reference ${group ? group + '/' : ''}${kind}/${c.name}, only Secret is allowed`], field: cField, problem: 'Istio reads listener certificates from core Secrets only', got: `${group ? group + '/' : ''}${kind}`, fix: 'kind: Secret, group: ""' });
            return;
          }
          if (ns !== gwNs && !grants.allows(GROUP, 'Gateway', gwNs, '', 'Secret', c.name, ns)) {
            if (ctx.options.complete === true || grants.has(ns) || secretNamespaces.has(ns) || idx.described(ns)) {
              r(Messages.GatewayApiRefNotPermitted, { args: ['RefNotPermitted', `certificateRef ${c.name}/${ns} not accessible to a Gateway in namespace "${gwNs}" (missing a ReferenceGrant?)`], field: `${cField}.namespace`, problem: `the Secret ${ns}/${c.name} is in another namespace, and no ReferenceGrant there allows Gateways from namespace ${gwNs}`, got: ns, fix: `add a ReferenceGrant in ${ns} from { group: ${GROUP}, kind: Gateway, namespace: ${gwNs} } to { group: "", kind: Secret, name: ${c.name} }` });
            }
            return;
          }
          const secret = secrets.get(`${ns}/${c.name}`);
          if (secret) {
            // A Secret without data stands for one whose content is filled elsewhere (cert-manager, a CSI driver).
            const problem = secret.data || secret.stringData ? credentialProblem(secret) : undefined;
            if (problem) r(Messages.GatewayApiInvalidCertificateRef, { args: [name, 'InvalidCertificateRef', `invalid certificate reference ${ns}/${c.name}: ${problem}`], field: cField, problem: `the certificate Secret ${ns}/${c.name} is unusable: ${problem}`, got: c.name, fix: 'store a valid PEM certificate and key under tls.crt and tls.key' });
            return;
          }
          if (idx.declaredElsewhere(`${ns}/${c.name}`, ns) || !(ctx.options.complete === true || secretNamespaces.has(ns))) return;
          r(Messages.ReferencedResourceNotFound, { args: ['certificateRef Secret', `${ns}/${c.name}`], field: `${cField}.name`, problem: `the listener's certificate Secret ${ns}/${c.name} is not in the analysed manifests, so istiod does not program listener ${name} (InvalidCertificateRef)`, got: c.name, fix: `create the Secret in ${ns}; ${elsewhereHint(ctx)}` });
        });
      });
    }
    for (const gw of ctx.ofKind(`${GROUP}/Gateway`)) {
      if (managed(gw)) gatewayTlsRefs(ctx, gw, grants, secrets, secretNamespaces);
    }
    for (const ls of ctx.ofKind(`${GROUP}/ListenerSet`)) listenerSetParent(ctx, ls, managed);
    for (const u of ctx.ofKind(`${GROUP}/UDPRoute`)) {
      ctx.reporterFor(u)(Messages.GatewayApiUnsupportedRouteKind, { args: ['UDPRoute'], problem: 'istiod implements HTTPRoute, GRPCRoute, TCPRoute and TLSRoute; a UDPRoute gets no status and carries no traffic', got: groupOf(u?.apiVersion) + '/UDPRoute', fix: 'serve UDP outside the Gateway API implementation of Istio' });
    }
  },
};

/**
 * A Gateway's own TLS references: spec.tls.backend.clientCertificateRef (a core Secret, istiod's
 * resolveGatewayBackendTLS) and the frontend validation caCertificateRefs (core ConfigMaps or Secrets), default
 * and per port. Missing objects are reported as other references are: in complete mode, or when the input holds
 * objects of that kind in that namespace.
 */
function gatewayTlsRefs(ctx: RunContext, gw: Ref, grants: Grants, secrets: Map<string, any>, secretNamespaces: Set<string>): void {
  const r = ctx.reporterFor(gw);
  const gwNs = ctx.namespaceOf(gw);
  const idx = MeshIndex.of(ctx);
  const configMaps = new Set(ctx.ofKind('/ConfigMap').map(c => `${ctx.namespaceOf(c)}/${c?.metadata?.name}`));
  const configMapNamespaces = new Set(ctx.ofKind('/ConfigMap').map(c => ctx.namespaceOf(c)));
  const missing = (ns: string, name: string, known: Set<string>) =>
    !idx.declaredElsewhere(`${ns}/${name}`, ns) && (ctx.options.complete === true || known.has(ns));

  const client = gw?.spec?.tls?.backend?.clientCertificateRef;
  if (client && typeof client.name === 'string') {
    const field = 'spec.tls.backend.clientCertificateRef';
    const group = client.group ?? '';
    const kind = client.kind ?? 'Secret';
    const ns = typeof client.namespace === 'string' ? client.namespace : gwNs;
    if (!(group === '' && kind === 'Secret')) {
      r(Messages.GatewayApiInvalidClientCertificateRef, { args: ['InvalidClientCertificateRef', `invalid client certificate reference ${group ? group + '/' : ''}${kind}/${client.name}, only Secret is allowed`], field, problem: 'Istio reads the client certificate for backends from a core Secret only', got: `${group ? group + '/' : ''}${kind}`, fix: 'kind: Secret, group: ""' });
    } else if (ns !== gwNs && !grants.allows(GROUP, 'Gateway', gwNs, '', 'Secret', client.name, ns)) {
      if (ctx.options.complete === true || grants.has(ns) || secretNamespaces.has(ns) || idx.described(ns)) {
        r(Messages.GatewayApiRefNotPermitted, { args: ['RefNotPermitted', `clientCertificateRef ${client.name}/${ns} not accessible to a Gateway in namespace "${gwNs}" (missing a ReferenceGrant?)`], field: `${field}.namespace`, problem: `the Secret ${ns}/${client.name} is in another namespace, and no ReferenceGrant there allows Gateways from namespace ${gwNs}`, got: ns, fix: `add a ReferenceGrant in ${ns} from { group: ${GROUP}, kind: Gateway, namespace: ${gwNs} } to { group: "", kind: Secret, name: ${client.name} }` });
      }
    } else {
      const secret = secrets.get(`${ns}/${client.name}`);
      const problem = secret && (secret.data || secret.stringData) ? credentialProblem(secret) : undefined;
      if (!secret && missing(ns, client.name, secretNamespaces)) {
        r(Messages.ReferencedResourceNotFound, { args: ['clientCertificateRef Secret', `${ns}/${client.name}`], field: `${field}.name`, problem: `the backend client certificate Secret ${ns}/${client.name} is not in the analysed manifests (InvalidClientCertificateRef)`, got: client.name, fix: `create the Secret in ${ns}; ${elsewhereHint(ctx)}` });
      } else if (problem) {
        r(Messages.GatewayApiInvalidClientCertificateRef, { args: ['InvalidClientCertificateRef', `invalid client certificate reference ${ns}/${client.name}: ${problem}`], field, problem: `the client certificate Secret ${ns}/${client.name} is unusable: ${problem}`, got: client.name, fix: 'store a valid PEM certificate and key under tls.crt and tls.key' });
      }
    }
  }

  const frontend = gw?.spec?.tls?.frontend;
  const validations: Array<{ v: Ref; field: string }> = [];
  if (frontend?.default?.validation) validations.push({ v: frontend.default.validation, field: 'spec.tls.frontend.default.validation' });
  listOf(frontend?.perPort).forEach((p: Ref, i: number) => {
    if (p?.tls?.validation) validations.push({ v: p.tls.validation, field: `spec.tls.frontend.perPort[${i}].tls.validation` });
  });
  for (const { v, field } of validations) {
    listOf(v?.caCertificateRefs).forEach((c: Ref, j: number) => {
      if (typeof c?.name !== 'string') return;
      const cField = `${field}.caCertificateRefs[${j}]`;
      const group = c.group ?? '';
      const kind = c.kind ?? 'ConfigMap';
      const ns = typeof c.namespace === 'string' ? c.namespace : gwNs;
      if (!(group === '' && (kind === 'ConfigMap' || kind === 'Secret'))) {
        r(Messages.GatewayApiInvalidCACertificateRef, { args: ['InvalidCACertificateKind', `invalid CA certificate reference ${group ? group + '/' : ''}${kind}/${c.name}, only ConfigMap or Secret is allowed`], field: cField, problem: 'a CA certificate comes from a core ConfigMap or Secret', got: `${group ? group + '/' : ''}${kind}`, fix: 'kind: ConfigMap, group: ""' });
        return;
      }
      if (ns !== gwNs && !grants.allows(GROUP, 'Gateway', gwNs, '', kind, c.name, ns)) {
        if (ctx.options.complete === true || grants.has(ns) || idx.described(ns)) {
          r(Messages.GatewayApiRefNotPermitted, { args: ['RefNotPermitted', `caCertificateRef ${c.name}/${ns} not accessible to a Gateway in namespace "${gwNs}" (missing a ReferenceGrant?)`], field: `${cField}.namespace`, problem: `the ${kind} ${ns}/${c.name} is in another namespace, and no ReferenceGrant there allows Gateways from namespace ${gwNs}`, got: ns, fix: `add a ReferenceGrant in ${ns} from { group: ${GROUP}, kind: Gateway, namespace: ${gwNs} } to { group: "", kind: ${kind}, name: ${c.name} }` });
        }
        return;
      }
      const present = kind === 'Secret' ? secrets.has(`${ns}/${c.name}`) : configMaps.has(`${ns}/${c.name}`);
      if (!present && missing(ns, c.name, kind === 'Secret' ? secretNamespaces : configMapNamespaces)) {
        r(Messages.ReferencedResourceNotFound, { args: [`caCertificateRef ${kind}`, `${ns}/${c.name}`], field: `${cField}.name`, problem: `the CA certificate ${kind} ${ns}/${c.name} is not in the analysed manifests, so the listeners it validates are not programmed (InvalidCACertificateRef)`, got: c.name, fix: `create the ${kind} in ${ns}; ${elsewhereHint(ctx)}` });
      }
    });
  }
}

/**
 * A ListenerSet attaches to its parent Gateway only where the Gateway's allowedListeners admits its namespace:
 * None (the default), Same, All, or Selector over the Namespace labels (not guessed for a Namespace the input
 * lacks). A parent Gateway missing from the input is IST0101 where a missing Gateway is reported for routes.
 */
function listenerSetParent(ctx: RunContext, ls: Ref, managed: (gw: Ref) => boolean): void {
  const ref = ls?.spec?.parentRef;
  if (!ref || typeof ref.name !== 'string' || (ref.kind ?? 'Gateway') !== 'Gateway' || (ref.group ?? GROUP) !== GROUP) return;
  const idx = MeshIndex.of(ctx);
  const lsNs = ctx.namespaceOf(ls);
  const ns = typeof ref.namespace === 'string' ? ref.namespace : lsNs;
  const key = `${ns}/${ref.name}`;
  const gw = idx.k8sGateways.get(key);
  const r = ctx.reporterFor(ls);
  if (!gw) {
    if (idx.declaredElsewhere(key, ns) || (!idx.gatewayNamespaces.has(ns) && ctx.options.complete !== true)) return;
    r(Messages.ReferencedResourceNotFound, { args: ['parentRef Gateway', key], field: 'spec.parentRef.name', problem: `the ListenerSet's parent Gateway ${key} is not in the analysed manifests`, got: ref.name, fix: elsewhereHint(ctx) });
    return;
  }
  if (!managed(gw)) return;
  const from = gw?.spec?.allowedListeners?.namespaces?.from ?? 'None';
  let allowed: boolean | undefined;
  switch (from) {
    case 'All': allowed = true; break;
    case 'Same': allowed = ns === lsNs; break;
    case 'Selector': {
      const nsObj = idx.namespaces.get(lsNs);
      allowed = !nsObj && ctx.options.complete !== true ? undefined
        : labelSelectorMatches(gw.spec.allowedListeners.namespaces.selector ?? {}, { 'kubernetes.io/metadata.name': lsNs, ...mapOf(nsObj?.metadata?.labels) });
      break;
    }
    default: allowed = false;
  }
  if (allowed !== false) return;
  r(Messages.GatewayApiListenerSetNotAllowed, { args: [key, 'NotAllowed', `Gateway ${key} does not allow ListenerSets from namespace "${lsNs}" (allowedListeners.namespaces.from: ${from})`], field: 'spec.parentRef', problem: `Gateway ${key} admits ListenerSets ${from === 'None' ? 'from no namespace (allowedListeners defaults to None)' : `by allowedListeners.namespaces.from: ${from}`}, not from namespace ${lsNs}`, got: key, fix: `set spec.allowedListeners.namespaces on Gateway ${key} to admit namespace ${lsNs}` });
}
