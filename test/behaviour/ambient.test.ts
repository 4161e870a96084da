// Ambient mode: which layer enforces authorization (ztunnel at L4, the waypoint at L7) and how east-west HTTP is
// routed (through the Service's waypoint, by the HTTPRoutes bound to the Service; else by ztunnel at L4).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { model, service } from './util';
import { authz, explain } from '../../src/behaviour/cli';

const NS = (labels: string) => `
apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { istio.io/dataplane-mode: ambient${labels} } }
---`;
const WAYPOINT = `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: waypoint, namespace: shop }
spec: { gatewayClassName: istio-waypoint, listeners: [{ name: mesh, port: 15008, protocol: HBONE }] }
`;
const POLICY = (name: string, target: string, rules: string, action = 'ALLOW') => `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ${name}, namespace: shop }
spec: { ${target}, action: ${action}, rules: ${rules} }
`;
const APP = service('reviews', 'shop', 9080, ['v1', 'v2']);
const SELECT = 'selector: { matchLabels: { app: reviews } }';
const TO_SERVICE = 'targetRefs: [{ kind: Service, group: "", name: reviews }]';
const WEB = 'cluster.local/ns/shop/sa/web';

describe('authorization layers', () => {
  test('a workload with a sidecar is enforced by its sidecar', () => {
    const a = model(APP + POLICY('l4', SELECT, `[{ from: [{ source: { principals: [${WEB}] } }] }]`)).authorize({ caller: { principal: WEB }, workload: 'shop/reviews-v1' });
    expect([a.decision, a.layer]).toEqual(['ALLOW', 'sidecar']);
  });

  test('an L4 DENY by namespace, enforced by ztunnel, applies to HTTP requests too', () => {
    const a = model(NS('') + APP + POLICY('no-batch', SELECT, '[{ from: [{ source: { namespaces: [batch] } }] }]', 'DENY'))
      .authorize({ caller: { principal: 'cluster.local/ns/batch/sa/job' }, workload: 'shop/reviews-v1', method: 'GET', path: '/x' });
    expect([a.decision, a.layer, a.explanation]).toEqual(['DENY', 'ztunnel', 'AuthorizationPolicy shop/no-batch spec.rules[0] denies cluster.local/ns/batch/sa/job TCP port 9080 at ztunnel']);
  });

  test('a DENY policy with HTTP attributes at ztunnel is enforced without them (denies every request), with istiod\'s message', () => {
    const a = model(NS('') + APP + POLICY('no-delete', SELECT, '[{ from: [{ source: { namespaces: [shop] } }], to: [{ operation: { methods: [DELETE] } }] }]', 'DENY'))
      .authorize({ caller: { principal: WEB }, workload: 'shop/reviews-v1', method: 'GET' });
    expect([a.decision, a.layer, a.policy?.field, a.notes]).toEqual(['DENY', 'ztunnel', 'spec.rules[0]', [
      'AuthorizationPolicy shop/no-delete: ztunnel does not support HTTP attributes (found: methods). In ambient mode you must use a waypoint proxy to enforce HTTP rules. '
        + 'DENY policy with HTTP attributes is enforced without the HTTP rules. This will be more restrictive than requested.',
    ]]);
    // What is left of the rule (from namespace shop) still decides.
    const other = model(NS('') + APP + POLICY('no-delete', SELECT, '[{ from: [{ source: { namespaces: [shop] } }], to: [{ operation: { methods: [DELETE] } }] }]', 'DENY'))
      .authorize({ caller: { principal: 'cluster.local/ns/batch/sa/job' }, workload: 'shop/reviews-v1', method: 'DELETE' });
    expect(other.decision).toBe('ALLOW');
  });

  test('an ALLOW policy with HTTP attributes at ztunnel keeps its L4 rules and omits the others', () => {
    const m = model(NS('') + APP + POLICY('mixed', SELECT, `[{ to: [{ operation: { paths: [/public] } }] }, { from: [{ source: { principals: [${WEB}] } }] }]`));
    const web = m.authorize({ caller: { principal: WEB }, workload: 'shop/reviews-v1', path: '/anything' });
    expect([web.decision, web.policy?.field]).toEqual(['ALLOW', 'spec.rules[1]']);
    const other = m.authorize({ caller: { principal: 'cluster.local/ns/shop/sa/other' }, workload: 'shop/reviews-v1', path: '/public' });
    expect([other.decision, other.notes]).toEqual(['DENY', [
      'AuthorizationPolicy shop/mixed: ztunnel does not support HTTP attributes (found: paths). In ambient mode you must use a waypoint proxy to enforce HTTP rules. '
        + 'Within an ALLOW policy, rules matching HTTP attributes are omitted. This will be more restrictive than requested.',
    ]]);
  });

  test('through a waypoint: L7 at the waypoint, then ztunnel with the waypoint\'s identity', () => {
    const yaml = NS(', istio.io/use-waypoint: waypoint') + APP + WAYPOINT
      + POLICY('get', TO_SERVICE, `[{ from: [{ source: { principals: [${WEB}] } }], to: [{ operation: { methods: [GET] } }] }]`)
      + POLICY('from-waypoint', SELECT, '[{ from: [{ source: { principals: [cluster.local/ns/shop/sa/waypoint] } }] }]');
    const m = model(yaml);
    const get = m.authorize({ caller: { principal: WEB }, workload: 'shop/reviews-v1', method: 'GET' });
    expect([get.decision, get.layer, get.policy?.name, get.applicable.map(p => p.name)]).toEqual(['ALLOW', 'waypoint shop/waypoint', 'get', ['get', 'from-waypoint']]);
    expect(get.notes).toEqual([
      "through waypoint shop/waypoint: the destination ztunnel sees the waypoint's identity cluster.local/ns/shop/sa/waypoint as the caller",
      'then ztunnel: AuthorizationPolicy shop/from-waypoint spec.rules[0] allows cluster.local/ns/shop/sa/waypoint TCP port 9080 at ztunnel',
    ]);
    const post = m.authorize({ caller: { principal: WEB }, workload: 'shop/reviews-v1', method: 'POST' });
    expect([post.decision, post.layer]).toEqual(['DENY', 'waypoint shop/waypoint']);
  });

  test('a Service opting out of the namespace waypoint (use-waypoint: none) is enforced by ztunnel alone', () => {
    const app = APP.replace('metadata: { name: reviews, namespace: shop }', 'metadata: { name: reviews, namespace: shop, labels: { istio.io/use-waypoint: none } }');
    const a = model(NS(', istio.io/use-waypoint: waypoint') + app + WAYPOINT + POLICY('get', TO_SERVICE, '[{ to: [{ operation: { methods: [GET] } }] }]'))
      .authorize({ caller: { principal: WEB }, workload: 'shop/reviews-v1', method: 'POST' });
    expect([a.decision, a.layer]).toEqual(['ALLOW', 'ztunnel']);
  });

  test('authz on the command line prints the layer', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ambient-'));
    const file = path.join(dir, 'all.yaml');
    fs.writeFileSync(file, NS(', istio.io/use-waypoint: waypoint') + APP + WAYPOINT + POLICY('get', TO_SERVICE, '[{ to: [{ operation: { methods: [GET] } }] }]'));
    expect(authz([file, '--from', WEB, '--to', 'shop/reviews-v1', '--request', 'DELETE http://reviews.shop:9080/r'])).toEqual({
      exitCode: 1,
      stdout: 'DENY 1 ALLOW policy applies to shop/reviews-v1 at waypoint shop/waypoint (shop/get) and none matches cluster.local/ns/shop/sa/web DELETE /r: denied\nlayer: waypoint shop/waypoint\n',
    });
    expect(JSON.parse(authz([file, '--from', WEB, '--to', 'shop/reviews-v1', '--request', 'GET http://reviews.shop:9080/r', '-o', 'json']).stdout)).toMatchObject({
      decision: 'ALLOW', policy: { kind: 'AuthorizationPolicy', namespace: 'shop', name: 'get' }, rule: 0, layer: 'waypoint shop/waypoint',
    });
    const r = explain([file, '--request', 'GET http://reviews.shop:9080/r']);
    expect(r.stdout.split('\n')[0]).toBe('proxy: waypoint shop/waypoint');
  });
});

describe('routing', () => {
  const ROUTE = `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: reviews, namespace: shop }
spec:
  parentRefs: [{ group: "", kind: Service, name: reviews, port: 9080 }]
  rules:
  - matches: [{ headers: [{ name: end-user, value: jason }] }]
    backendRefs: [{ name: reviews-v2, port: 9080 }]
  - backendRefs: [{ name: reviews-v1, port: 9080 }]
`;
  const VERSIONS = ['v1', 'v2'].map(v => `---
apiVersion: v1
kind: Service
metadata: { name: reviews-${v}, namespace: shop }
spec: { selector: { app: reviews, version: ${v} }, ports: [{ name: http, port: 9080 }] }
`).join('');

  test('east-west HTTP through the waypoint follows the HTTPRoute bound to the Service', () => {
    const m = model(NS(', istio.io/use-waypoint: waypoint') + APP + VERSIONS + WAYPOINT + ROUTE);
    const a = m.route({ host: 'reviews', fromNamespace: 'shop', headers: { 'end-user': 'jason' } });
    expect([a.proxy, a.route, a.clusters.map(c => c.cluster), a.decidedBy?.field]).toEqual(['waypoint shop/waypoint', 'shop.reviews.0',
      ['outbound|9080||reviews-v2.shop.svc.cluster.local'], 'spec.rules[0].matches[0]']);
  });

  test('without a waypoint ztunnel forwards at L4 and the HTTPRoute does not apply', () => {
    const a = model(NS('') + APP + VERSIONS + ROUTE).route({ host: 'reviews', fromNamespace: 'shop', headers: { 'end-user': 'jason' } });
    expect([a.proxy, a.route, a.clusters.map(c => c.cluster), a.notes]).toEqual(['ztunnel (ambient client in shop)', undefined,
      ['outbound|9080||reviews.shop.svc.cluster.local'],
      ['the caller is in ambient mode and reviews.shop.svc.cluster.local uses no waypoint: ztunnel forwards the connection at L4; HTTP routes do not apply']]);
  });
});
