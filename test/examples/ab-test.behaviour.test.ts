import { Testing } from 'cdk8s';
import { build } from '../../examples/ab-test/main';
import { AuthorizationDecision, MeshModel } from '../../src';
import { synth } from '../util';

const chart = build(Testing.app());
synth(chart);
const mesh = MeshModel.fromChart(chart);
const route = (headers: Record<string, string>) => {
  const a = mesh.route({ host: 'reviews', headers });
  return [a.route, a.clusters.map(c => `${c.cluster} ${c.share}`), a.fault];
};

test('jason gets variant v2, everyone else v1', () => {
  expect(route({ 'end-user': 'jason' })).toEqual(['v2', ['outbound|9080|v2|reviews.bookinfo.svc.cluster.local 100'], undefined]);
  expect(route({})).toEqual(['v1', ['outbound|9080|v1|reviews.bookinfo.svc.cluster.local 100'], undefined]);
});

test('the fault-test cohort gets a 7s delay on the default variant, before the variants match', () => {
  expect(route({ 'x-fault-test': 'delay', 'end-user': 'jason' })).toEqual([
    'fault-delay', ['outbound|9080|v1|reviews.bookinfo.svc.cluster.local 100'], { delay: '7s', delayPercent: 100 },
  ]);
});

test('no AuthorizationPolicy: any caller is allowed, and the model says why', () => {
  const a = mesh.authorize({ caller: { principal: 'cluster.local/ns/shop/sa/frontend' }, workload: 'bookinfo/reviews-v2' });
  expect([a.decision, a.layer, a.policy, a.explanation]).toEqual([AuthorizationDecision.ALLOW, 'sidecar', undefined,
    'no ALLOW policy applies to bookinfo/reviews-v2 and none denies: cluster.local/ns/shop/sa/frontend GET / is allowed']);
});

test('no PeerAuthentication: the variants talk PERMISSIVE, with Istio mTLS chosen by auto mTLS', () => {
  const m = mesh.mtls('bookinfo/reviews-v1', 'bookinfo/reviews-v2', 9080);
  expect([m.serverMode, m.clientMode, m.autoMtls, m.canConnect, m.mutualTls]).toEqual(['PERMISSIVE', 'ISTIO_MUTUAL', true, true, true]);
});
