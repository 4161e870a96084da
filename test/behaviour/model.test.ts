import { model, service, subsets } from './util';
import { AuthorizationDecision, RequestProtocol } from '../../src';

const REVIEWS = service('reviews', 'shop', 9080, ['v1', 'v2']) + '---' + subsets('reviews', 'shop', ['v1', 'v2']);

describe('route: what the matched rule applies', () => {
  const m = model(REVIEWS + `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews]
  http:
  - name: api
    match: [{ name: v1api, uri: { prefix: /api/v1 } }]
    rewrite: { uri: /v1 }
    timeout: 3s
    retries: { attempts: 2, perTryTimeout: 1s, retryOn: 5xx }
    fault: { delay: { fixedDelay: 5s, percentage: { value: 10 } } }
    mirror: { host: reviews, subset: v2 }
    mirrorPercentage: { value: 25 }
    headers: { request: { set: { x-api: v1 }, remove: [cookie] } }
    route: [{ destination: { host: reviews, subset: v1 } }]
  - name: old
    match: [{ uri: { exact: /old } }]
    redirect: { uri: /new, redirectCode: 302 }
  - name: health
    match: [{ uri: { exact: /healthz } }]
    directResponse: { status: 200, body: { string: ok } }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews-extra, namespace: shop }
spec:
  host: reviews
  trafficPolicy:
    loadBalancer: { simple: ROUND_ROBIN }
    outlierDetection: { consecutive5xxErrors: 5 }
    portLevelSettings: [{ port: { number: 9080 }, loadBalancer: { consistentHash: { httpHeaderName: x-user } } }]
  subsets: [{ name: v1, labels: { version: v9 } }, { name: v3, labels: { version: v3 } }]
`);

  test('rewrite, timeout, retries, fault, mirror, header changes, and the policy of the merged DestinationRules', () => {
    const a = m.route({ host: 'reviews', fromNamespace: 'shop', path: '/api/v1/books' });
    expect(a.route).toBe('api.v1api');
    expect(a.rewrite).toEqual({ path: '/v1/books' });
    expect(a.timeout).toBe('3s');
    expect(a.retries).toEqual({ attempts: 2, perTryTimeout: '1s', retryOn: '5xx' });
    expect(a.fault).toEqual({ delay: '5s', delayPercent: 10 });
    expect(a.mirrors).toEqual([{ cluster: 'outbound|9080|v2|reviews.shop.svc.cluster.local', percent: 25 }]);
    expect(a.requestHeaders).toEqual({ set: { 'x-api': 'v1' }, add: {}, remove: ['cookie'] });
    // reviews (first) and reviews-extra merge: the first rule with a traffic policy gives it; port-level wins.
    expect(a.clusters[0].policy).toEqual({
      loadBalancer: 'consistentHash(httpHeaderName=x-user)',
      outlierDetection: '{"consecutive5xxErrors":5}',
      tlsMode: 'ISTIO_MUTUAL',
      autoMtls: true,
      decidedBy: { kind: 'DestinationRule', namespace: 'shop', name: 'reviews-extra' },
    });
  });

  test('a redirect and a direct response send no cluster', () => {
    const r = m.route({ host: 'reviews', fromNamespace: 'shop', path: '/old' });
    expect([r.route, r.redirect, r.clusters]).toEqual(['old', { code: 302, location: 'http://reviews/new' }, []]);
    const d = m.route({ host: 'reviews', fromNamespace: 'shop', path: '/healthz' });
    expect([d.directResponse, d.explanation]).toEqual([{ status: 200, body: 'ok' }, 'VirtualService shop/reviews spec.http[2] (health) answers 200 itself']);
  });

  test('TCP to an HTTP port is a protocol error', () => {
    const a = m.route({ host: 'reviews', fromNamespace: 'shop', protocol: RequestProtocol.TCP });
    expect(a.error).toBe('protocol error');
  });

  test('a route to a subset no DestinationRule defines says Envoy has no such cluster', () => {
    const n = model(REVIEWS + `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec: { hosts: [reviews], http: [{ name: v9, route: [{ destination: { host: reviews, subset: v9 } }] }] }`);
    expect(n.route({ host: 'reviews', fromNamespace: 'shop' }).notes).toEqual([
      'subset v9 of reviews.shop.svc.cluster.local is not defined by a DestinationRule visible from shop: Envoy has no cluster outbound|9080|v9|reviews.shop.svc.cluster.local (503)',
    ]);
  });
});

describe('errors name the input that is wrong', () => {
  const m = model(REVIEWS);
  test('unknown calling workload', () => {
    expect(() => m.route({ host: 'reviews', fromWorkload: 'shop/nope' })).toThrow("MeshModel.route: fromWorkload 'shop/nope' is not a workload of the input (write namespace/name of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod)");
  });
  test('unknown gateway', () => {
    expect(() => m.route({ host: 'x', gateway: 'shop/gw' })).toThrow("MeshModel.route: gateway 'shop/gw' is not an Istio Gateway or a Gateway API Gateway of an Istio class in the input (write namespace/name)");
  });
  test('empty host', () => {
    expect(() => m.route({ host: '' })).toThrow('MeshModel.route: request.host must be a non-empty host name (got "")');
  });
  test('unknown workload to authorize', () => {
    expect(() => m.authorize({ caller: {}, workload: 'shop/nope' })).toThrow("MeshModel.authorize: workload 'shop/nope' is not a workload of the input (write namespace/name of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod)");
  });
  test('unknown mtls server', () => {
    expect(() => m.mtls('shop/reviews-v1', 'shop/nope', 9080)).toThrow("MeshModel.mtls: server workload 'shop/nope' is not a workload of the input (write namespace/name of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod)");
  });
});

describe('authorize: identities and JWTs', () => {
  const m = model(REVIEWS + `---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: jwt, namespace: shop }
spec: { jwtRules: [{ issuer: https://auth.example.com }] }
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: admins, namespace: shop }
spec:
  selector: { matchLabels: { app: reviews } }
  rules:
  - from: [{ source: { requestPrincipals: ['https://auth.example.com/*'] } }]
    when: [{ key: 'request.auth.claims[groups]', values: [admin] }]
  - from: [{ source: { principals: ['cluster.local/ns/shop/sa/*'] } }]
`);
  test('a JWT claim decides', () => {
    const a = m.authorize({ caller: { requestPrincipal: 'https://auth.example.com/alice', claims: { groups: 'dev,admin' } }, workload: 'shop/reviews-v1' });
    expect([a.decision, a.policy?.field]).toEqual([AuthorizationDecision.ALLOW, 'spec.rules[0]']);
  });
  test('a JWT from an issuer no RequestAuthentication accepts is rejected', () => {
    const a = m.authorize({ caller: { requestPrincipal: 'https://evil.example.com/alice' }, workload: 'shop/reviews-v1' });
    expect([a.decision, a.explanation]).toEqual([AuthorizationDecision.DENY, 'RequestAuthentication shop/jwt spec.jwtRules accepts no JWT from issuer https://evil.example.com: the request is rejected with 401']);
  });
  test('a namespace caller (`ns/shop` on the command line) matches a namespace-wide principal pattern', () => {
    const a = m.authorize({ caller: { namespace: 'shop', principal: 'cluster.local/ns/shop/sa/<any>' }, workload: 'shop/reviews-v1' });
    expect([a.decision, a.policy?.field]).toEqual([AuthorizationDecision.ALLOW, 'spec.rules[1]']);
  });
  test('no ALLOW rule matching denies, naming the policies in force', () => {
    const a = m.authorize({ caller: { principal: 'cluster.local/ns/web/sa/front' }, workload: 'shop/reviews-v1' });
    expect(a.explanation).toBe('1 ALLOW policy applies to shop/reviews-v1 (shop/admins) and none matches cluster.local/ns/web/sa/front GET /: denied');
  });
});
