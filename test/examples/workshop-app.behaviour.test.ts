import { Testing } from 'cdk8s';
import { build } from '../../examples/workshop-app/main';
import { AuthorizationDecision, CanaryRelease, MeshAssertions } from '../../src';
import { synth } from '../util';

const chart = build(Testing.app());
synth(chart);
const mesh = MeshAssertions.fromChart(chart);
const prod = chart.node.findChild('prod') as CanaryRelease;
const via = { gateway: 'workshop/workshop-gateway' };

test('workshop-app.local through the ingress gateway: 90/10 between prod v1 and v2 with the resilience profile', () => {
  const r = mesh.request({ host: 'workshop-app.local', ...via }).splitsTraffic([{ subset: prod.stableSubset!, weight: 90 }, { subset: prod.canarySubset!, weight: 10 }]);
  expect([r.answer.virtualHost, r.answer.timeout, r.answer.retries]).toEqual(['workshop-app.local:80', '10s', { attempts: 3, perTryTimeout: '2s', retryOn: 'gateway-error' }]);
  expect(r.answer.clusters[0].policy.connectionPool).toBe('{"http":{"http1MaxPendingRequests":10,"maxRequestsPerConnection":10},"tcp":{"maxConnections":100}}');
});

test('x-env: dev reaches the dev Service', () => {
  const a = mesh.request({ host: 'workshop-app.local', headers: { 'x-env': 'dev' }, ...via }).answer;
  expect([a.route, a.clusters.map(c => c.cluster)]).toEqual(['dev', ['outbound|8080||workshop-app-dev.workshop.svc.cluster.local']]);
});

test('other hosts have no virtual host on the gateway', () => {
  mesh.request({ host: 'other.local', ...via }).failsWith('no virtual host matched');
});

test('no policies in workshop: callers are allowed and the versions talk Istio mTLS by auto mTLS', () => {
  const a = mesh.model.authorize({ caller: { principal: 'cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account' }, workload: 'workshop/workshop-app-v2' });
  expect([a.decision, a.policy]).toEqual([AuthorizationDecision.ALLOW, undefined]);
  const m = mesh.model.mtls('workshop/workshop-app-dev', 'workshop/workshop-app-v1', 8080);
  expect([m.serverMode, m.clientMode, m.autoMtls, m.mutualTls]).toEqual(['PERMISSIVE', 'ISTIO_MUTUAL', true, true]);
});
