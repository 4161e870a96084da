import { Testing } from 'cdk8s';
import { build } from '../../examples/zero-trust/main';
import { AuthorizationDecision, MeshAssertions, MeshModel, Principal } from '../../src';
import { synth } from '../util';

const [mesh, workshop] = build(Testing.app());
synth(mesh);
synth(workshop);
const model = MeshModel.fromChart(workshop);
const self = Principal.forServiceAccount('workshop-app', { namespace: 'workshop' });
const other = Principal.forServiceAccount('frontend', { namespace: 'shop' });

test('workshop-app answers GET from its own service account and nothing else', () => {
  const assertions = MeshAssertions.fromChart(workshop);
  assertions.request({ host: 'workshop-app' }).isAllowedFor(self).isDeniedFor(other).requiresMtls();
  assertions.request({ host: 'workshop-app', method: 'POST' }).isDeniedFor(self);
});

test('the deciding policy is named', () => {
  const allowed = model.authorize({ caller: { principal: self.value }, workload: 'workshop/workshop-app' });
  expect([allowed.decision, allowed.policy]).toEqual([AuthorizationDecision.ALLOW, {
    kind: 'AuthorizationPolicy', namespace: 'workshop', name: 'workshop-app-get', field: 'spec.rules[0]', ruleIndex: 0,
  }]);
  const denied = model.authorize({ caller: { principal: other.value }, workload: 'workshop/workshop-app' });
  expect(denied.explanation).toBe('2 ALLOW policies apply to workshop/workshop-app (workshop/allow-nothing, workshop/workshop-app-get) and none matches cluster.local/ns/shop/sa/frontend GET /: denied');
});

test('mesh-wide STRICT mTLS and the ISTIO_MUTUAL DestinationRule agree', () => {
  const m = model.mtls('workshop/workshop-app', 'workshop/workshop-app', 8080);
  expect([m.serverMode, m.serverPolicy?.name, m.clientMode, m.clientPolicy?.name, m.canConnect]).toEqual(['STRICT', 'default', 'ISTIO_MUTUAL', 'workshop-app', true]);
});

test('an assertion that does not hold says which policy decided', () => {
  expect(() => MeshAssertions.fromChart(workshop).request({ host: 'workshop-app' }).isAllowedFor(other)).toThrow(
    'Expected GET workshop-app/ to be allowed for cluster.local/ns/shop/sa/frontend, but on workshop/workshop-app it is DENY: 2 ALLOW policies apply',
  );
});
