// Checks of install.istio.io/v1alpha1 IstioOperator documents. No IstioOperator CRD or schema is pinned in
// this repository (Istio's own CRD preserves unknown fields, and istioctl validates the spec in code), so this
// rule checks what istioctl's and istiod's MeshConfig validation would reject among the fields listed below;
// docs/egress-and-observability.md says exactly what is and is not covered.
import { checkDns1123Label } from '../../core/validate';
import { CrossRule, ObjectRule, Reporter } from '../engine';
import { Messages } from '../messages';
import { isObj, listOf } from '../objects';


const SPEC_KEYS = ['profile', 'installPackagePath', 'hub', 'tag', 'namespace', 'revision', 'compatibilityVersion', 'meshConfig', 'components', 'values', 'unvalidatedValues'];
const PROFILES = ['default', 'demo', 'minimal', 'empty', 'preview', 'remote', 'ambient', 'openshift', 'openshift-ambient', 'stable'];
const COMPONENTS = ['base', 'pilot', 'cni', 'ztunnel', 'istiodRemote', 'ingressGateways', 'egressGateways'];
/** Provider kinds of MeshConfig.ExtensionProvider, and whether they need service+port. */
const PROVIDER_TYPES: Record<string, boolean> = {
  envoyExtAuthzHttp: true,
  envoyExtAuthzGrpc: true,
  zipkin: true,
  lightstep: true,
  datadog: true,
  stackdriver: false,
  opencensus: true,
  skywalking: true,
  opentelemetry: true,
  prometheus: false,
  envoyFileAccessLog: false,
  envoyHttpAls: true,
  envoyTcpAls: true,
  envoyOtelAls: true,
  sds: false,
};
/** Providers every MeshConfig has unless it redefines them. */
const BUILT_IN_PROVIDERS = ['envoy', 'prometheus', 'stackdriver'];

function checkProviders(r: Reporter, mc: Record<string, any>): void {
  const list: unknown[] = listOf(mc.extensionProviders);
  const names = new Map<string, number>();
  list.forEach((p, i) => {
    const f = `spec.meshConfig.extensionProviders[${i}]`;
    if (!isObj(p)) return;
    if (typeof p.name !== 'string' || p.name.length === 0) r(Messages.InvalidIstioOperator, { field: `${f}.name`, problem: 'an extension provider needs a name', got: p.name });
    else if (names.has(p.name)) r(Messages.InvalidIstioOperator, { field: `${f}.name`, problem: `extension provider names must be unique (also used by extensionProviders[${names.get(p.name)}])`, got: p.name });
    else names.set(p.name, i);
    const types = Object.keys(p).filter(k => k !== 'name');
    const unknown = types.filter(t => !(t in PROVIDER_TYPES));
    if (unknown.length) r(Messages.InvalidIstioOperator, { field: f, problem: 'unknown extension provider type', got: unknown, fix: Object.keys(PROVIDER_TYPES).join(', ') });
    if (types.length !== 1) {
      r(Messages.InvalidIstioOperator, { field: f, problem: 'an extension provider needs exactly one provider type', got: types, fix: 'e.g. opentelemetry, zipkin, envoyFileAccessLog' });
      return;
    }
    const type = types[0];
    const settings = p[type];
    if (PROVIDER_TYPES[type]) {
      if (!isObj(settings) || typeof settings.service !== 'string' || settings.service.length === 0) r(Messages.InvalidIstioOperator, { field: `${f}.${type}.service`, problem: `a ${type} provider needs a service`, got: settings?.service });
      const port = settings?.port;
      if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) r(Messages.InvalidIstioOperator, { field: `${f}.${type}.port`, problem: 'a port must be an integer from 1 to 65535', got: port });
    }
    if (type === 'envoyFileAccessLog' && isObj(settings?.logFormat) && settings.logFormat.text !== undefined && settings.logFormat.labels !== undefined) {
      r(Messages.InvalidIstioOperator, { field: `${f}.envoyFileAccessLog.logFormat`, problem: 'give either text or labels, not both', got: Object.keys(settings.logFormat) });
    }
  });
  const known = new Set([...BUILT_IN_PROVIDERS, ...names.keys()]);
  if (isObj(mc.defaultProviders)) {
    for (const kind of ['tracing', 'accessLogging', 'metrics']) {
      const refs = mc.defaultProviders[kind];
      if (!Array.isArray(refs)) continue;
      refs.forEach((n, i) => {
        if (!known.has(n)) r(Messages.InvalidIstioOperator, { field: `spec.meshConfig.defaultProviders.${kind}[${i}]`, problem: 'a default provider must be defined in extensionProviders (or be a built-in)', got: n, fix: [...known].join(', ') });
      });
    }
  }
}

function checkMeshConfig(r: Reporter, mc: unknown): void {
  if (mc === undefined) return;
  if (!isObj(mc)) { r(Messages.InvalidIstioOperator, { field: 'spec.meshConfig', problem: 'meshConfig must be an object', got: mc }); return; }
  if (mc.accessLogEncoding !== undefined && mc.accessLogEncoding !== 'TEXT' && mc.accessLogEncoding !== 'JSON') {
    r(Messages.InvalidIstioOperator, { field: 'spec.meshConfig.accessLogEncoding', problem: 'unknown access log encoding', got: mc.accessLogEncoding, fix: 'TEXT or JSON' });
  }
  if (mc.accessLogFile !== undefined && typeof mc.accessLogFile !== 'string') r(Messages.InvalidIstioOperator, { field: 'spec.meshConfig.accessLogFile', problem: 'accessLogFile must be a path', got: mc.accessLogFile, fix: 'e.g. /dev/stdout' });
  if (mc.enableTracing !== undefined && typeof mc.enableTracing !== 'boolean') r(Messages.InvalidIstioOperator, { field: 'spec.meshConfig.enableTracing', problem: 'enableTracing must be a boolean', got: mc.enableTracing });
  if (mc.rootNamespace !== undefined) {
    const err = checkDns1123Label(mc.rootNamespace);
    if (err) r(Messages.InvalidIstioOperator, { field: 'spec.meshConfig.rootNamespace', problem: `the root namespace ${err}`, got: mc.rootNamespace });
  }
  const mode = mc.outboundTrafficPolicy?.mode;
  if (mode !== undefined && mode !== 'REGISTRY_ONLY' && mode !== 'ALLOW_ANY') {
    r(Messages.InvalidIstioOperator, { field: 'spec.meshConfig.outboundTrafficPolicy.mode', problem: 'unknown outbound traffic policy', got: mode, fix: 'REGISTRY_ONLY or ALLOW_ANY' });
  }
  const sampling = mc.defaultConfig?.tracing?.sampling;
  if (sampling !== undefined && (typeof sampling !== 'number' || sampling < 0 || sampling > 100)) {
    r(Messages.InvalidIstioOperator, { field: 'spec.meshConfig.defaultConfig.tracing.sampling', problem: 'a sampling percentage must be between 0 and 100', got: sampling });
  }
  checkProviders(r, mc);
}

function checkComponents(r: Reporter, c: unknown): void {
  if (c === undefined) return;
  if (!isObj(c)) { r(Messages.InvalidIstioOperator, { field: 'spec.components', problem: 'components must be an object', got: c }); return; }
  for (const k of Object.keys(c)) {
    if (!COMPONENTS.includes(k)) r(Messages.InvalidIstioOperator, { field: `spec.components.${k}`, problem: 'unknown component', got: k, fix: COMPONENTS.join(', ') });
  }
  for (const k of ['ingressGateways', 'egressGateways']) {
    const list = c[k];
    if (list === undefined) continue;
    if (!Array.isArray(list)) { r(Messages.InvalidIstioOperator, { field: `spec.components.${k}`, problem: 'gateways are a list', got: list }); continue; }
    const seen = new Set<string>();
    list.forEach((g, i) => {
      const f = `spec.components.${k}[${i}]`;
      if (!isObj(g)) return;
      if (typeof g.name !== 'string' || g.name.length === 0) r(Messages.InvalidIstioOperator, { field: `${f}.name`, problem: 'a gateway component needs a name', got: g.name, fix: 'e.g. istio-egressgateway' });
      else if (seen.has(g.name)) r(Messages.InvalidIstioOperator, { field: `${f}.name`, problem: 'gateway names must be unique', got: g.name });
      else seen.add(g.name);
      if (g.enabled !== undefined && typeof g.enabled !== 'boolean') r(Messages.InvalidIstioOperator, { field: `${f}.enabled`, problem: 'enabled must be a boolean', got: g.enabled });
    });
  }
}

/** IstioOperator checks. @internal */
export const istioOperatorRule: ObjectRule = {
  kinds: ['install.istio.io/IstioOperator'],
  check(obj, r) {
    if (obj.apiVersion !== 'install.istio.io/v1alpha1') r(Messages.InvalidIstioOperator, { field: 'apiVersion', problem: 'istioctl reads install.istio.io/v1alpha1', got: obj.apiVersion, fix: 'install.istio.io/v1alpha1' });
    const spec = obj.spec;
    if (spec === undefined) return;
    if (!isObj(spec)) { r(Messages.InvalidIstioOperator, { field: 'spec', problem: 'spec must be an object', got: spec }); return; }
    for (const k of Object.keys(spec)) {
      if (!SPEC_KEYS.includes(k)) r(Messages.InvalidIstioOperator, { field: `spec.${k}`, problem: 'unknown IstioOperator field', got: k, fix: SPEC_KEYS.join(', ') });
    }
    if (spec.profile !== undefined && spec.installPackagePath === undefined && !PROFILES.includes(spec.profile)) {
      r(Messages.InvalidIstioOperator, { field: 'spec.profile', problem: 'unknown installation profile', got: spec.profile, fix: PROFILES.join(', ') });
    }
    if (spec.revision !== undefined) {
      const err = checkDns1123Label(spec.revision);
      if (err) r(Messages.InvalidIstioOperator, { field: 'spec.revision', problem: `a revision ${err}`, got: spec.revision });
    }
    checkComponents(r, spec.components);
    checkMeshConfig(r, spec.meshConfig);
  },
};

/** Telemetry provider names against the IstioOperator of the same input (when there is exactly one). @internal */
export const telemetryProviderRule: CrossRule = {
  name: 'telemetry-providers',
  check(ctx) {
    const iops = ctx.ofKind('install.istio.io/IstioOperator');
    if (iops.length !== 1) return;
    const mc = iops[0].spec?.meshConfig ?? {};
    const defined = new Set([...BUILT_IN_PROVIDERS, ...(Array.isArray(mc.extensionProviders) ? mc.extensionProviders.map((p: any) => p?.name) : [])]);
    for (const t of ctx.ofKind('telemetry.istio.io/Telemetry')) {
      const r = ctx.reporterFor(t);
      for (const kind of ['tracing', 'accessLogging', 'metrics']) {
        const entries = t.spec?.[kind];
        if (!Array.isArray(entries)) continue;
        entries.forEach((e: any, i: number) => (Array.isArray(e?.providers) ? e.providers : []).forEach((p: any, j: number) => {
          if (typeof p?.name === 'string' && p.name && !defined.has(p.name)) {
            r(Messages.UnknownExtensionProvider, { field: `spec.${kind}[${i}].providers[${j}].name`, args: [p.name], problem: `the IstioOperator ${iops[0].metadata?.name ?? ''} defines no such extension provider, so Istio ignores this entry`, got: p.name, fix: [...defined].join(', ') });
          }
        }));
      }
    }
  },
};
