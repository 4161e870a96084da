import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  AuthorizationPolicy, DataPlaneMode, IstioAnalysis, IstioNamespace, Operation, PolicyTargetRef, RequestAuthentication, Source, Telemetry,
  ExtensionProvider, OutboundTrafficPolicy, Sidecar, Waypoint, WaypointNamespaces, WaypointTrafficType, JwksSource, WorkloadSelector,
} from '../../src';
import { chartIn, ofKind, synth, synthErrors } from '../util';

function shop() {
  const { app, chart } = chartIn('shop');
  const deployment = new kplus.Deployment(chart, 'reviews', {
    metadata: { name: 'reviews' },
    podMetadata: { labels: { app: 'reviews' } },
    containers: [{ image: 'ghcr.io/example/reviews:v1', portNumber: 9080, securityContext: { user: 1000 } }],
  });
  const service = new kplus.Service(chart, 'reviews-svc', { metadata: { name: 'reviews' }, selector: deployment, ports: [{ name: 'http', port: 9080 }] });
  return { app, chart, deployment, service };
}

describe('Waypoint', () => {
  test('writes what `istioctl waypoint generate --for service` writes, named after the construct id', () => {
    const { chart } = chartIn('shop');
    new Waypoint(chart, 'waypoint');
    expect(synth(chart)).toEqual([{
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'waypoint', namespace: 'shop', labels: { 'istio.io/waypoint-for': 'service' } },
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    }]);
  });

  test('traffic type, metadata (a revision label, another namespace) and the namespaces allowed to use it', () => {
    const { chart } = chartIn('shop');
    const all = new Waypoint(chart, 'shared', {
      metadata: { name: 'shared-waypoint', namespace: 'infra', labels: { 'istio.io/rev': 'stable' } },
      trafficType: WaypointTrafficType.ALL,
      allowedNamespaces: WaypointNamespaces.all(),
    });
    new Waypoint(chart, 'pods', { trafficType: WaypointTrafficType.WORKLOAD, allowedNamespaces: WaypointNamespaces.withLabels({ team: 'shop' }) });
    new Waypoint(chart, 'same', { trafficType: WaypointTrafficType.NONE, allowedNamespaces: WaypointNamespaces.same() });
    const out = synth(chart);
    expect(out.map(o => [o.metadata, o.spec.listeners[0].allowedRoutes])).toEqual([
      [{ name: 'shared-waypoint', namespace: 'infra', labels: { 'istio.io/rev': 'stable', 'istio.io/waypoint-for': 'all' } }, { namespaces: { from: 'All' } }],
      [{ name: 'pods', namespace: 'shop', labels: { 'istio.io/waypoint-for': 'workload' } }, { namespaces: { from: 'Selector', selector: { matchLabels: { team: 'shop' } } } }],
      [{ name: 'same', namespace: 'shop', labels: { 'istio.io/waypoint-for': 'none' } }, { namespaces: { from: 'Same' } }],
    ]);
    expect([all.name, all.namespace, all.trafficType]).toEqual(['shared-waypoint', 'infra', 'all']);
  });

  test('Waypoint.use labels a Service, and the pod template of a cdk8s-plus or raw workload; cross-namespace adds the namespace', () => {
    const { chart, deployment, service } = shop();
    const waypoint = new Waypoint(chart, 'waypoint', { trafficType: WaypointTrafficType.ALL });
    Waypoint.use(service, waypoint);
    Waypoint.use(deployment, Waypoint.fromName('shared', { namespace: 'infra' }));
    const raw = new ApiObject(chart, 'raw', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres' }] } } },
    });
    Waypoint.use(raw, Waypoint.fromName('waypoint', { namespace: 'shop' }));
    const out = synth(chart);
    expect(ofKind(out, 'Service')[0].metadata.labels).toEqual({ 'istio.io/use-waypoint': 'waypoint' });
    expect(ofKind(out, 'Deployment')[0].spec.template.metadata.labels).toEqual({
      'app': 'reviews', 'cdk8s.io/metadata.addr': expect.any(String), 'istio.io/use-waypoint': 'shared', 'istio.io/use-waypoint-namespace': 'infra',
    });
    expect(ofKind(out, 'Deployment')[0].metadata.labels).toBeUndefined();
    expect(ofKind(out, 'StatefulSet')[0].spec.template.metadata.labels).toEqual({ 'app': 'db', 'istio.io/use-waypoint': 'waypoint' });
  });

  test('Waypoint.use refuses a Namespace (IstioNamespace.useWaypoint enrolls it) and kinds Istio does not read the label on', () => {
    const { chart } = chartIn('shop');
    const waypoint = new Waypoint(chart, 'waypoint');
    const ns = new kplus.Namespace(chart, 'ns', { metadata: { name: 'shop' } });
    const cm = new kplus.ConfigMap(chart, 'cm');
    expect(() => Waypoint.use(ns, waypoint)).toThrow('[test/ns] Waypoint.use: a namespace is enrolled through its IstioNamespace, which also checks that it runs in ambient mode (got "Namespace"; istioNamespace.useWaypoint(waypoint))');
    expect(() => Waypoint.use(cm, waypoint)).toThrow('[test/cm] Waypoint.use: Istio reads istio.io/use-waypoint on Services, ServiceEntries and pods only (got "ConfigMap"; a Service, ServiceEntry, Pod or workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job))');
  });

  test('a policy, a RequestAuthentication and a Telemetry target the waypoint or a Service through PolicyTargetRef.fromResource', () => {
    const { chart, service } = shop();
    const waypoint = new Waypoint(chart, 'waypoint');
    new AuthorizationPolicy(chart, 'get-reviews', {
      targetRefs: [PolicyTargetRef.fromResource(service)],
      rules: [{ from: [Source.namespaces('shop')], to: [Operation.methods('GET')] }],
    });
    new RequestAuthentication(chart, 'jwt', {
      targetRefs: [PolicyTargetRef.fromResource(waypoint)],
      jwtRules: [{ issuer: 'https://auth.example.com', jwks: JwksSource.fromUri('https://auth.example.com/jwks.json') }],
    });
    new Telemetry(chart, 'waypoint-logs', { targetRefs: [PolicyTargetRef.fromResource(waypoint)], accessLogging: [{ providers: [ExtensionProvider.ENVOY] }] });
    const out = synth(chart);
    const toWaypoint = [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }];
    expect(ofKind(out, 'AuthorizationPolicy')[0].spec.targetRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews' }]);
    expect(ofKind(out, 'RequestAuthentication')[0].spec.targetRefs).toEqual(toWaypoint);
    expect(ofKind(out, 'Telemetry')[0].spec).toEqual({ targetRefs: toWaypoint, accessLogging: [{ providers: [{ name: 'envoy' }] }] });
  });

  test('a Telemetry cannot target a waypoint in another namespace: one message with the construct path', () => {
    const { chart } = chartIn('shop');
    const waypoint = new Waypoint(chart, 'waypoint', { metadata: { namespace: 'infra' } });
    new Telemetry(chart, 'logs', { targetRefs: [PolicyTargetRef.fromResource(waypoint)], accessLogging: [{ providers: [ExtensionProvider.ENVOY] }] });
    expect(synthErrors(chart)).toEqual(['[test/logs] Telemetry.spec.targetRefs[0]: a Telemetry can only target resources in its own namespace (got "test/waypoint is in namespace infra"; namespace shop)']);
  });
});

describe('IstioNamespace.useWaypoint', () => {
  test('labels an ambient namespace with the waypoint, and its namespace when it is another one', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'mesh');
    const waypoint = new Waypoint(chart, 'waypoint', { metadata: { namespace: 'shop' }, allowedNamespaces: WaypointNamespaces.withLabels({ 'kubernetes.io/metadata.name': 'web' }) });
    new IstioNamespace(chart, 'shop', { metadata: { name: 'shop' }, mode: DataPlaneMode.ambient() }).useWaypoint(waypoint);
    new IstioNamespace(chart, 'web', { metadata: { name: 'web' }, mode: DataPlaneMode.ambient() }).useWaypoint(waypoint);
    expect(ofKind(synth(chart), 'Namespace').map(n => n.metadata)).toEqual([
      { name: 'shop', labels: { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' } },
      { name: 'web', labels: { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint', 'istio.io/use-waypoint-namespace': 'shop' } },
    ]);
  });

  test('refuses a sidecar namespace', () => {
    const { chart } = chartIn();
    const ns = new IstioNamespace(chart, 'shop', { metadata: { name: 'shop' }, mode: DataPlaneMode.sidecar() });
    expect(() => ns.useWaypoint(Waypoint.fromName('waypoint'))).toThrow('[test/shop] IstioNamespace.useWaypoint: only ambient workloads use waypoints; with sidecars, L7 policy is enforced by each sidecar (got "sidecar"; mode: DataPlaneMode.ambient())');
  });
});

describe('ambient analysis through the constructs', () => {
  test('an L7 policy by selector in an ambient namespace fails synth, naming the construct, the field and the fix', () => {
    const { chart, deployment } = shop();
    new IstioNamespace(chart, 'ns', { metadata: { name: 'shop' }, mode: DataPlaneMode.ambient() });
    new AuthorizationPolicy(chart, 'get', { selector: WorkloadSelector.fromWorkload(deployment), rules: [{ to: [Operation.methods('GET')] }] });
    expect(synthErrors(chart)).toEqual([
      '[test/get] CDK8SISTIO0401 The policy applies to ambient workloads through ztunnel, which cannot enforce the L7 attributes methods. AuthorizationPolicy.spec.rules[0].to[0].operation.methods: the selector picks workload shop/reviews, which runs in ambient mode, so ztunnel enforces the policy for it; istiod omits the rule for ztunnel ("more restrictive than requested"), so the requests it is meant to allow are denied (got ["methods"]; replace the selector with targetRefs: [{ group: gateway.networking.k8s.io, kind: Gateway, name: <waypoint> }] (or a Service that uses the waypoint), so that the waypoint enforces it)',
    ]);
  });

  test('use-waypoint naming a missing waypoint fails synth of a complete app only, on the Service construct', () => {
    const { app, chart, service } = shop();
    Waypoint.use(service, Waypoint.fromName('missing'));
    expect(synthErrors(chart)).toEqual([]);
    IstioAnalysis.of(app).complete().declareNamespaces('istio-system');
    expect(synthErrors(chart)).toEqual([
      '[test/reviews-svc] CDK8SISTIO0402 Referenced waypoint not found: "shop/missing". Service.metadata.labels.istio.io/use-waypoint: no Gateway missing in namespace shop in the analysed manifests, so Istio cannot send this service\'s traffic through a waypoint (got "missing"; define the waypoint (new Waypoint(...)), or set istio.io/use-waypoint-namespace to the namespace that holds it)',
    ]);
  });

  test('a Sidecar (IST0167, Istio\'s) and an EnvoyFilter (CDK8SISTIO0404) in an ambient namespace warn, with their construct paths', () => {
    const { app, chart } = shop();
    new IstioNamespace(chart, 'ns', { metadata: { name: 'shop' }, mode: DataPlaneMode.ambient() });
    new Sidecar(chart, 'sidecar', { outboundTrafficPolicy: OutboundTrafficPolicy.registryOnly() });
    new ApiObject(chart, 'lua', {
      apiVersion: 'networking.istio.io/v1alpha3',
      kind: 'EnvoyFilter',
      metadata: { name: 'lua' },
      spec: { configPatches: [{ applyTo: 'HTTP_FILTER', patch: { operation: 'INSERT_FIRST', value: { name: 'envoy.lua' } } }] },
    });
    process.env.CDK8S_ISTIO_QUIET = '1';
    try {
      expect(synthErrors(chart)).toEqual([]);
    } finally {
      delete process.env.CDK8S_ISTIO_QUIET;
    }
    expect(IstioAnalysis.of(app).diagnostics.map(d => `${d.code} ${d.level} [${d.constructPath}] ${d.field}`)).toEqual([
      'IST0167 warning [test/sidecar] spec',
      'CDK8SISTIO0404 warning [test/lua] spec',
    ]);
  });

  test('a Service using a waypoint of another namespace that does not allow it fails synth; allowing the namespace fixes it', () => {
    const { chart, service } = shop();
    const infra = new Chart(chart.node.scope as any, 'infra', { namespace: 'infra' });
    const closed = new Waypoint(infra, 'closed');
    Waypoint.use(service, closed);
    expect(synthErrors(chart)).toEqual([
      '[test/reviews-svc] CDK8SISTIO0406 The waypoint "infra/closed" does not allow use from namespace "shop". Service.metadata.labels.istio.io/use-waypoint: waypoint infra/closed is in another namespace and its HBONE listener\'s allowedRoutes does not admit namespace shop, so Istio does not bind this Service to it (got "closed"; allow the namespace on the waypoint (allowedNamespaces: WaypointNamespaces.all() or withLabels({...}); allowedRoutes.namespaces in YAML))',
    ]);
  });
});
