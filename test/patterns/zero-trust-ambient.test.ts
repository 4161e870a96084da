import * as kplus from 'cdk8s-plus-33';
import {
  DataPlaneMode, IstioAnalysis, IstioNamespace, JwksSource, Operation, Source, Waypoint, WorkloadSelector, ZeroTrustNamespace,
} from '../../src';
import { chartIn, ofKind, synth } from '../util';

function shop() {
  const { app, chart } = chartIn('shop');
  const ns = new IstioNamespace(chart, 'ns', { metadata: { name: 'shop' }, mode: DataPlaneMode.ambient() });
  const web = new kplus.ServiceAccount(chart, 'web', { metadata: { name: 'web' } });
  const api = new kplus.Deployment(chart, 'api', {
    metadata: { name: 'api' },
    podMetadata: { labels: { app: 'api' } },
    containers: [{ image: 'ghcr.io/example/api:v1', portNumber: 8080, securityContext: { user: 1000 } }],
  });
  const apiService = new kplus.Service(chart, 'api-svc', { metadata: { name: 'api' }, selector: api, ports: [{ name: 'http', port: 8080 }] });
  return { app, chart, ns, web, api, apiService };
}

const WAYPOINT_REF = [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }];

describe('ZeroTrustNamespace in ambient mode', () => {
  test('creates the waypoint; L4 rules select workloads (ztunnel), L7 rules target the Service (waypoint)', () => {
    const { app, chart, ns, web, api, apiService } = shop();
    IstioAnalysis.of(app).declareNamespaces('monitoring');
    const zt = new ZeroTrustNamespace(chart, 'zt', { ambient: {} });
    ns.useWaypoint(zt.waypoint!);
    zt.allowFrom(Source.namespaces('monitoring'), api, Operation.ports(8080));
    zt.allowFrom(Source.serviceAccount(web), apiService, Operation.methods('GET').and(Operation.paths('/api/*')));
    const out = synth(chart);
    expect(out.filter(o => !['Deployment', 'Service', 'ServiceAccount'].includes(o.kind))).toEqual([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' } } },
      { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'shop' }, spec: { mtls: { mode: 'STRICT' } } },
      { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'allow-nothing', namespace: 'shop' }, spec: {} },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'waypoint', namespace: 'shop', labels: { 'istio.io/waypoint-for': 'service' } },
        spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
      },
      { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'waypoint-allow-nothing', namespace: 'shop' }, spec: { targetRefs: WAYPOINT_REF } },
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name: 'allow-from-waypoint', namespace: 'shop' },
        spec: { rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/waypoint'] } }] }] },
      },
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name: 'zt-allow1', namespace: 'shop' },
        spec: {
          selector: { matchLabels: ofKind(out, 'Deployment')[0].spec.selector.matchLabels },
          rules: [{ from: [{ source: { namespaces: ['monitoring'] } }], to: [{ operation: { ports: ['8080'] } }] }],
        },
      },
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name: 'zt-allow2', namespace: 'shop' },
        spec: {
          targetRefs: [{ group: '', kind: 'Service', name: 'api' }],
          rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }], to: [{ operation: { methods: ['GET'], paths: ['/api/*'] } }] }],
        },
      },
    ]);
    // The ambient analyzers find nothing to report on what the pattern writes.
    expect(IstioAnalysis.analyze(out, { complete: true, declaredNamespaces: ['monitoring'] }).filter(d => d.level !== 'info')).toEqual([]);
  });

  test('a waypoint given; requireJwt binds the RequestAuthentication and its DENY policy to it', () => {
    const { chart } = shop();
    const waypoint = new Waypoint(chart, 'shop-waypoint');
    const zt = new ZeroTrustNamespace(chart, 'zt', { ambient: { waypoint } });
    zt.requireJwt({ jwtRules: [{ issuer: 'https://auth.example.com', jwks: JwksSource.fromUri('https://auth.example.com/jwks.json') }], to: [Operation.paths('/api/*')] });
    const out = synth(chart);
    expect(ofKind(out, 'Gateway').map(g => g.metadata.name)).toEqual(['shop-waypoint']);
    const toWaypoint = [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shop-waypoint' }];
    expect(ofKind(out, 'RequestAuthentication').map(r => r.spec)).toEqual([
      { targetRefs: toWaypoint, jwtRules: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/jwks.json' }] },
    ]);
    expect(ofKind(out, 'AuthorizationPolicy').map(p => [p.metadata.name, p.spec])).toEqual([
      ['allow-nothing', {}],
      ['shop-waypoint-allow-nothing', { targetRefs: toWaypoint }],
      ['allow-from-shop-waypoint', { rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/shop-waypoint'] } }] }] }],
      ['zt-jwt-require-jwt', { targetRefs: toWaypoint, action: 'DENY', rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }], to: [{ operation: { paths: ['/api/*'] } }] }] }],
    ]);
  });

  test('an L7 rule on a workload is refused at once: ztunnel cannot read it', () => {
    const { chart, web, api } = shop();
    const zt = new ZeroTrustNamespace(chart, 'zt', { ambient: {} });
    expect(() => zt.allowFrom(Source.serviceAccount(web), api, Operation.methods('GET'))).toThrow(
      '[test/zt] ZeroTrustNamespace.allowFrom: in ambient mode an L7 rule is enforced by the waypoint, which a policy reaches through a Service; ztunnel, which enforces policies that select the pods of test/api, cannot read methods (got ["methods"]; pass the Service in front of the workload, or only ports and sources (principals, namespaces, ipBlocks))');
    expect(() => zt.allowFromToLabels(Source.requestPrincipals('*'), WorkloadSelector.labels({ app: 'api' }), Operation.ports(8080))).toThrow(
      'ztunnel, which enforces policies that select workloads by labels, cannot read requestPrincipals');
  });

  test('requireJwt with a selector, and a waypoint of another namespace, are refused', () => {
    const { chart } = shop();
    const zt = new ZeroTrustNamespace(chart, 'zt', { ambient: {} });
    expect(() => zt.requireJwt({ jwtRules: [{ issuer: 'https://auth.example.com' }], selector: WorkloadSelector.labels({ app: 'api' }) })).toThrow(
      '[test/zt] ZeroTrustNamespace.requireJwt.selector: in ambient mode the waypoint validates tokens; ztunnel, which enforces selector-bound policies, cannot (got {"app":"api"}; omit selector)');
    expect(() => new ZeroTrustNamespace(chart, 'other', { ambient: { waypoint: Waypoint.fromName('shared', { namespace: 'infra' }) } })).toThrow(
      '[test/other] ZeroTrustNamespace.ambient.waypoint: the waypoint must be in the namespace, whose policies target it and whose ztunnel admits its identity (got "waypoint in namespace infra, ZeroTrustNamespace in shop"; a waypoint of this namespace, and a namespace on the pattern or its chart)');
  });

  test('sidecar mode is unchanged: no waypoint', () => {
    const { chart } = chartIn('shop');
    expect(new ZeroTrustNamespace(chart, 'zt').waypoint).toBeUndefined();
  });
});
