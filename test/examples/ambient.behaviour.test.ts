// What examples/ambient does, asked of the mesh model: the waypoint decides at L7, then ztunnel admits the
// waypoint's identity at L4.
import { Testing } from 'cdk8s';
import { build } from '../../examples/ambient/main';
import { AuthorizationDecision, MeshModel } from '../../src';
import { synth } from '../util';

const [chart] = build(Testing.app());
synth(chart);
const model = MeshModel.fromChart(chart);
const FRONTEND = 'cluster.local/ns/bookstore/sa/frontend';
const USER = 'https://auth.example.com/alice';
const WAYPOINT = 'waypoint bookstore/waypoint';

test('frontend with a token may GET /reviews/*: allowed by the waypoint, then ztunnel admits the waypoint', () => {
  const a = model.authorize({ caller: { principal: FRONTEND, requestPrincipal: USER }, workload: 'bookstore/reviews-v1', method: 'GET', path: '/reviews/1' });
  expect([a.decision, a.layer, a.policy?.name, a.notes]).toEqual([AuthorizationDecision.ALLOW, WAYPOINT, 'zero-trust-allow3', [
    'through waypoint bookstore/waypoint: the destination ztunnel sees the waypoint\'s identity cluster.local/ns/bookstore/sa/waypoint as the caller',
    'then ztunnel: AuthorizationPolicy bookstore/allow-from-waypoint spec.rules[0] allows cluster.local/ns/bookstore/sa/waypoint TCP port 9080 at ztunnel',
  ]]);
});

test('without a token, with another method, or from another caller: denied at the waypoint, naming the deciding policy', () => {
  const noToken = model.authorize({ caller: { principal: FRONTEND }, workload: 'bookstore/reviews-v1', method: 'GET', path: '/reviews/1' });
  expect([noToken.decision, noToken.layer, noToken.policy?.name]).toEqual([AuthorizationDecision.DENY, WAYPOINT, 'zero-trust-jwt-require-jwt']);
  const post = model.authorize({ caller: { principal: FRONTEND, requestPrincipal: USER }, workload: 'bookstore/reviews-v2', method: 'POST', path: '/reviews/1' });
  expect([post.decision, post.explanation]).toEqual([AuthorizationDecision.DENY,
    '2 ALLOW policies apply to bookstore/reviews-v2 at waypoint bookstore/waypoint (bookstore/waypoint-allow-nothing, bookstore/zero-trust-allow3) and none matches cluster.local/ns/bookstore/sa/frontend POST /reviews/1: denied']);
  const other = model.authorize({ caller: { principal: 'cluster.local/ns/bookstore/sa/reviews', requestPrincipal: USER }, workload: 'bookstore/reviews-v1', method: 'GET', path: '/reviews/1' });
  expect([other.decision, other.layer]).toEqual([AuthorizationDecision.DENY, WAYPOINT]);
});

test('east-west requests to reviews go through the waypoint, 90/10 by the HTTPRoute bound to the Service', () => {
  const r = model.route({ host: 'reviews', fromNamespace: 'bookstore' });
  expect([r.proxy, r.decidedBy?.name, r.clusters.map(c => [c.cluster, c.weight])]).toEqual(['waypoint bookstore/waypoint', 'reviews-canary', [
    ['outbound|9080||reviews-v1.bookstore.svc.cluster.local', 90],
    ['outbound|9080||reviews-v2.bookstore.svc.cluster.local', 10],
  ]]);
});

test('STRICT in bookstore: ztunnel carries frontend to reviews over HBONE, whatever the Service', () => {
  const m = model.mtls('bookstore/frontend', 'bookstore/reviews-v1', 9080);
  expect([m.serverMode, m.serverPolicy?.name, m.clientMode, m.autoMtls, m.canConnect, m.explanation]).toEqual(['STRICT', 'default', 'ISTIO_MUTUAL', false, true,
    'server bookstore/reviews-v1 port 9080: STRICT (PeerAuthentication bookstore/default spec.mtls); client bookstore/frontend: ISTIO_MUTUAL (ztunnel, HBONE); both sides speak Istio mutual TLS']);
  expect(model.mtls('bookstore/reviews-v1', 'bookstore/frontend', 8080).canConnect).toBe(true);
});
