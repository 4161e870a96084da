import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { build } from '../../examples/bookinfo/main';
import { AuthorizationDecision, DestinationRule, ISubset, MeshAssertions, MeshModel } from '../../src';
import { synth } from '../util';

const chart = build(Testing.app());
synth(chart);
const mesh = MeshAssertions.fromChart(chart);
const reviews = chart.node.findChild('reviews-dr') as DestinationRule;
const subset = (dr: DestinationRule, name: string): ISubset => ({
  hostname: dr.host.hostname, namespace: 'bookinfo', ports: [], subsetName: name, destinationRule: dr,
});

test('jason reaches reviews v2', () => {
  mesh.request({ host: 'reviews', headers: { 'end-user': 'jason' } }).reachesSubset(subset(reviews, 'v2'));
});

test('everyone else is split 50/50 between v1 and v3', () => {
  mesh.request({ host: 'reviews' }).splitsTraffic([{ subset: subset(reviews, 'v1'), weight: 50 }, { subset: subset(reviews, 'v3'), weight: 50 }]);
});

test('the ingress gateway sends /productpage to productpage v1 with Istio mTLS', () => {
  const a = mesh.request({ host: 'bookinfo.example.com', path: '/productpage', gateway: 'bookinfo/bookinfo-gateway' }).answer;
  expect([a.virtualHost, a.route, a.clusters.map(c => [c.cluster, c.share, c.policy.tlsMode])]).toEqual([
    '*:8080', 'productpage', [['outbound|9080|v1|productpage.bookinfo.svc.cluster.local', 100, 'ISTIO_MUTUAL']],
  ]);
});

test('the ingress gateway has no route for other paths', () => {
  mesh.request({ host: 'bookinfo.example.com', path: '/admin', gateway: 'bookinfo/bookinfo-gateway' }).failsWith('no route matched');
});

test('a failed assertion says where the request went instead', () => {
  expect(() => mesh.request({ host: 'reviews' }).reachesSubset(subset(reviews, 'v2'))).toThrow(
    'Expected GET reviews/ to reach subset v2 (outbound|9080|v2|reviews.bookinfo.svc.cluster.local), but it goes to '
    + 'outbound|9080|v1|reviews.bookinfo.svc.cluster.local 50%, outbound|9080|v3|reviews.bookinfo.svc.cluster.local 50% '
    + '(decided by VirtualService bookinfo/reviews spec.http[1] (everyone-else), route everyone-else). Notes: reviews.bookinfo.svc.cluster.local '
    + 'is not in the input, which does not describe namespace bookinfo: it is assumed to be a Service there (ports and endpoints unknown)',
  );
});

describe('with the workloads of Istio\'s bookinfo sample (bookinfo.yaml) in the bookinfo namespace', () => {
  const file = path.join(__dirname, '..', '..', '..', 'shared', 'istio', 'samples', 'bookinfo', 'platform', 'kube', 'bookinfo.yaml');
  const workloads = parseAllDocuments(fs.readFileSync(file, 'utf-8')).map(d => d.toJS()).filter(o => o)
    .map(o => ({ ...o, metadata: { ...o.metadata, namespace: 'bookinfo' } }));
  const model = MeshModel.fromManifests([...chart.toJson(), ...workloads], { defaultNamespace: 'bookinfo' });
  const PRODUCTPAGE = 'cluster.local/ns/bookinfo/sa/bookinfo-productpage';

  test('productpage\'s sidecar splits reviews 50/50 between v1 and v3, with no assumption left in the notes', () => {
    const r = model.route({ host: 'reviews', fromWorkload: 'bookinfo/productpage-v1' });
    expect([r.proxy, r.route, r.clusters.map(c => [c.cluster, c.share]), r.notes]).toEqual(['sidecar of Deployment bookinfo/productpage-v1', 'everyone-else', [
      ['outbound|9080|v1|reviews.bookinfo.svc.cluster.local', 50], ['outbound|9080|v3|reviews.bookinfo.svc.cluster.local', 50],
    ], []]);
  });

  test('no AuthorizationPolicy: productpage may call reviews', () => {
    const a = model.authorize({ caller: { principal: PRODUCTPAGE }, workload: 'bookinfo/reviews-v2', port: 9080 });
    expect([a.decision, a.layer, a.explanation]).toEqual([AuthorizationDecision.ALLOW, 'sidecar',
      'no ALLOW policy applies to bookinfo/reviews-v2 and none denies: cluster.local/ns/bookinfo/sa/bookinfo-productpage GET / is allowed']);
  });

  test('the reviews DestinationRule makes the client side ISTIO_MUTUAL, which the PERMISSIVE server accepts', () => {
    expect(model.mtls('bookinfo/productpage-v1', 'bookinfo/reviews-v2', 9080).explanation).toBe(
      'server bookinfo/reviews-v2 port 9080: PERMISSIVE (no PeerAuthentication (PERMISSIVE)); client bookinfo/productpage-v1: ISTIO_MUTUAL (DestinationRule bookinfo/reviews); both sides speak Istio mutual TLS');
  });
});
