import { Testing } from 'cdk8s';
import { build } from '../../examples/egress-and-observability/main';
import { AuthorizationDecision, MeshModel, RequestProtocol } from '../../src';
import { synth } from '../util';

const charts = build(Testing.app());
charts.forEach(c => synth(c));
const model = MeshModel.fromChart(charts[1]);
const app = 'workshop/workshop-app';

test('TLS to api.github.com goes to the egress gateway, which passes it through on SNI', () => {
  const sidecar = model.route({ host: 'api.github.com', port: 443, protocol: RequestProtocol.TLS, fromWorkload: app });
  expect([sidecar.clusters.map(c => c.cluster), sidecar.decidedBy?.field]).toEqual([['outbound|443|github|istio-egressgateway.istio-system.svc.cluster.local'], 'spec.tls[0]']);
  const gateway = model.route({ host: 'api.github.com', port: 443, protocol: RequestProtocol.TLS, gatewayLabels: { istio: 'egressgateway' } });
  expect([gateway.clusters.map(c => c.cluster), gateway.decidedBy?.field]).toEqual([['outbound|443||api.github.com'], 'spec.tls[1]']);
});

test('the Sidecar drops hosts outside the registry (REGISTRY_ONLY)', () => {
  const a = model.route({ host: 'example.com', fromWorkload: app });
  expect([a.virtualHost, a.clusters.map(c => c.cluster), a.decidedBy]).toEqual([
    'block_all', ['BlackHoleCluster'], { kind: 'Sidecar', namespace: 'workshop', name: 'default', field: 'spec.outboundTrafficPolicy' },
  ]);
});

test('no AuthorizationPolicy in workshop: callers are allowed; without a Service, a call to the pod is plaintext', () => {
  const a = model.authorize({ caller: { namespace: 'shop' }, workload: app });
  expect([a.decision, a.layer]).toEqual([AuthorizationDecision.ALLOW, 'sidecar']);
  expect(model.mtls(app, app, 8080).explanation).toBe(
    'server workshop/workshop-app port 8080: PERMISSIVE (no PeerAuthentication (PERMISSIVE)); client workshop/workshop-app: DISABLE '
    + '(no Service selects workshop/workshop-app: PassthroughCluster); the client sends plaintext, which the server accepts');
});
