import { Testing } from 'cdk8s';
import { build } from '../../examples/gateway-api/main';
import { AuthorizationDecision, MeshModel } from '../../src';
import { synth } from '../util';

const chart = build(Testing.app());
synth(chart);
const model = MeshModel.fromChart(chart);
const via = { gateway: 'workshop/workshop-gateway' };
const clusters = (a: { clusters: Array<{ cluster: string; share: number }> }) => a.clusters.map(c => [c.cluster, c.share]);

test('workshop-app.local through the Gateway: 90/10 across the v1 and v2 Services, 10s timeout, 3 retries of 2s', () => {
  const a = model.route({ host: 'workshop-app.local', ...via });
  expect([a.route, clusters(a), a.timeout, a.retries, a.decidedBy?.kind]).toEqual(['prod', [
    ['outbound|8080||workshop-app-v1.workshop.svc.cluster.local', 90], ['outbound|8080||workshop-app-v2.workshop.svc.cluster.local', 10],
  ], '10s', { attempts: 3, perTryTimeout: '2s', retryOn: 'connect-failure,refused-stream,unavailable,cancelled,502,503,504' }, 'HTTPRoute']);
});

test('x-env: dev reaches the dev Service', () => {
  const a = model.route({ host: 'workshop-app.local', headers: { 'x-env': 'dev' }, ...via });
  expect([a.route, clusters(a)]).toEqual(['dev', [['outbound|8080||workshop-app-dev.workshop.svc.cluster.local', 100]]]);
});

test('other hostnames find no virtual host on the Gateway', () => {
  expect(model.route({ host: 'other.local', ...via }).error).toBe('no virtual host matched');
});

test('no policies: callers are allowed, and the versions talk Istio mTLS by auto mTLS', () => {
  const a = model.authorize({ caller: { namespace: 'istio-system' }, workload: 'workshop/workshop-app-v1' });
  expect([a.decision, a.policy]).toEqual([AuthorizationDecision.ALLOW, undefined]);
  const m = model.mtls('workshop/workshop-app-dev', 'workshop/workshop-app-v2', 8080);
  expect([m.serverMode, m.clientMode, m.autoMtls, m.canConnect]).toEqual(['PERMISSIVE', 'ISTIO_MUTUAL', true, true]);
});
