import { Testing } from 'cdk8s';
import { build } from '../../examples/canary/main';
import { AuthorizationDecision, CanaryRelease, MeshAssertions, MeshModel } from '../../src';
import { synth } from '../util';

const setup = (weight?: number) => {
  const chart = build(Testing.app(), weight);
  synth(chart);
  const release = chart.node.findChild('release') as CanaryRelease;
  return { mesh: MeshAssertions.fromChart(chart), stable: release.stableSubset!, canary: release.canarySubset! };
};

test('90% of requests reach the stable version, 10% the canary, with the 1% delay', () => {
  const { mesh, stable, canary } = setup();
  const r = mesh.request({ host: 'app' }).splitsTraffic([{ subset: stable, weight: 90 }, { subset: canary, weight: 10 }]);
  expect(r.answer.fault).toEqual({ delay: '5s', delayPercent: 1 });
});

test('testers sending canary: true always reach the canary', () => {
  const { mesh, canary } = setup();
  mesh.request({ host: 'app', headers: { canary: 'true' } }).reachesSubset(canary);
});

test('moving the canary on to 50 changes the shares', () => {
  const { mesh, stable, canary } = setup(50);
  mesh.request({ host: 'app' }).splitsTraffic([{ subset: stable, weight: 50 }, { subset: canary, weight: 50 }]);
});

test('a wrong expected split says what the split is', () => {
  const { mesh, stable, canary } = setup();
  expect(() => mesh.request({ host: 'app' }).splitsTraffic([{ subset: stable, weight: 50 }, { subset: canary, weight: 50 }])).toThrow(
    'Expected GET app/ to split outbound|80|stable|app.shop.svc.cluster.local 50%, outbound|80|canary|app.shop.svc.cluster.local 50%, but it goes to '
    + 'outbound|80|stable|app.shop.svc.cluster.local 90%, outbound|80|canary|app.shop.svc.cluster.local 10% (decided by VirtualService shop/app spec.http[1] (split), route split)',
  );
});

test('both versions accept any caller (no AuthorizationPolicy) and reach each other with auto mTLS', () => {
  const chart = build(Testing.app());
  synth(chart);
  const model = MeshModel.fromChart(chart);
  for (const workload of ['shop/app-stable', 'shop/app-canary']) {
    const a = model.authorize({ caller: { principal: 'cluster.local/ns/web/sa/front' }, workload });
    expect([a.decision, a.policy]).toEqual([AuthorizationDecision.ALLOW, undefined]);
  }
  expect(model.mtls('shop/app-stable', 'shop/app-canary', 80).explanation).toBe(
    'server shop/app-canary port 8080: PERMISSIVE (no PeerAuthentication (PERMISSIVE)); client shop/app-stable: ISTIO_MUTUAL (auto mTLS); both sides speak Istio mutual TLS');
});
