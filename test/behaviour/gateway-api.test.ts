// Gateway API routes in the mesh model, from YAML as users write them: how istiod translates them and what the
// answers name. The bookinfo and helloworld samples are in the conformance suite (scripts/conformance/behaviour.ts).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { model, objects, service } from './util';
import { Host, MeshAssertions, RequestProtocol } from '../../src';
import { diff, graph } from '../../src/behaviour/cli';

const GATEWAY = (listeners: string, ns = 'shop') => `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: web, namespace: ${ns} }
spec: { gatewayClassName: istio, listeners: ${listeners} }
`;
const ROUTE = (name: string, ns: string, spec: string, kind = 'HTTPRoute', version = 'v1') => `---
apiVersion: gateway.networking.k8s.io/${version}
kind: ${kind}
metadata: { name: ${name}, namespace: ${ns} }
spec:
${spec}
`;
const BASE = service('reviews', 'shop', 9080) + '---' + service('ratings', 'shop', 9080);
const HTTP = GATEWAY('[{ name: http, port: 80, protocol: HTTP }]');

describe('filters', () => {
  const m = model(BASE + HTTP + ROUTE('r', 'shop', `  parentRefs: [{ name: web }]
  rules:
  - matches: [{ path: { type: PathPrefix, value: /api/ } }]
    filters:
    - { type: URLRewrite, urlRewrite: { hostname: internal, path: { type: ReplacePrefixMatch, replacePrefixMatch: /v2 } } }
    - { type: RequestMirror, requestMirror: { backendRef: { name: ratings, port: 9080 }, percent: 25 } }
    - { type: ResponseHeaderModifier, responseHeaderModifier: { add: [{ name: X-Served, value: gw }], remove: [server] } }
    backendRefs: [{ name: reviews, port: 9080 }]
    timeouts: { request: 3s }
    retry: { attempts: 4, codes: [503] }
  - matches: [{ path: { type: Exact, value: /old } }]
    filters: [{ type: URLRewrite, urlRewrite: { path: { type: ReplaceFullPath, replaceFullPath: /new } } }]
    backendRefs: [{ name: reviews, port: 9080 }]`));

  test('rewrite of the matched prefix, mirror, response headers, timeout and retries', () => {
    const a = m.route({ host: 'shop.example.com', path: '/api/items/1', gateway: 'shop/web' });
    const { route, decidedBy, rewrite, mirrors, responseHeaders, timeout, retries } = a;
    expect({ route, decidedBy, rewrite, mirrors, responseHeaders, timeout, retries }).toEqual({
      route: 'shop.r.0',
      decidedBy: { kind: 'HTTPRoute', namespace: 'shop', name: 'r', field: 'spec.rules[0].matches[0]', ruleIndex: 0 },
      rewrite: { path: '/v2/items/1', authority: 'internal' },
      mirrors: [{ cluster: 'outbound|9080||ratings.shop.svc.cluster.local', percent: 25 }],
      responseHeaders: { set: {}, add: { 'x-served': 'gw' }, remove: ['server'] },
      timeout: '3s',
      retries: { attempts: 4, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,503' },
    });
  });

  test('ReplaceFullPath replaces the whole path', () => {
    expect(m.route({ host: 'shop.example.com', path: '/old', gateway: 'shop/web' }).rewrite).toEqual({ path: '/new' });
  });
});

describe('timeouts and retries, as istiod converts them', () => {
  const route = (rule: string) => model(BASE + HTTP + ROUTE('r', 'shop', `  parentRefs: [{ name: web }]
  rules:
  - backendRefs: [{ name: reviews, port: 9080 }]
${rule}`)).route({ host: 'shop.example.com', gateway: 'shop/web' });
  test('backendRequest is the per-try timeout when the rule retries', () => {
    const a = route('    timeouts: { request: 10s, backendRequest: 2s }\n    retry: { attempts: 3 }');
    expect([a.timeout, a.retries]).toEqual(['10s', { attempts: 3, perTryTimeout: '2s', retryOn: 'connect-failure,refused-stream,unavailable,cancelled' }]);
  });
  test('without retries, backendRequest replaces the request timeout; a zero duration sets none', () => {
    expect(route('    timeouts: { request: 10s, backendRequest: 2s }').timeout).toBe('2s');
    expect(route('    timeouts: { request: 0s }').timeout).toBeUndefined();
  });
  test('retry without attempts retries twice; zero attempts retries on nothing', () => {
    expect(route('    retry: { codes: [503] }').retries).toEqual({ attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,503' });
    expect(route('    retry: { attempts: 0 }').retries).toEqual({ attempts: 0 });
  });
});

describe('backends', () => {
  test('a backend in another namespace needs a ReferenceGrant there; without one the rule answers 500', () => {
    const yaml = BASE + service('books', 'lib', 8080) + HTTP
      + ROUTE('r', 'shop', '  parentRefs: [{ name: web }]\n  rules: [{ backendRefs: [{ name: books, namespace: lib, port: 8080 }] }]');
    const denied = model(yaml).route({ host: 'a.example.com', gateway: 'shop/web' });
    expect([denied.directResponse, denied.clusters, denied.notes]).toEqual([{ status: 500 }, [], [
      'HTTPRoute shop/r spec.rules[0]: backend Service lib/books is in another namespace and no ReferenceGrant there allows HTTPRoutes from shop (RefNotPermitted): requests to it are answered 500',
    ]]);
    const grant = `---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: { name: shop-routes, namespace: lib }
spec: { from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop }], to: [{ group: "", kind: Service }] }
`;
    const allowed = model(yaml + grant).route({ host: 'a.example.com', gateway: 'shop/web' });
    expect(allowed.clusters.map(c => c.cluster)).toEqual(['outbound|8080||books.lib.svc.cluster.local']);
  });

  test('assertions: reachesHost and splitsTrafficAcross name backend Services, and fail saying where traffic goes', () => {
    const mesh = MeshAssertions.fromManifests(objects(BASE + ROUTE('reviews', 'shop', `  parentRefs: [{ group: "", kind: Service, name: reviews, port: 9080 }]
  rules:
  - matches: [{ headers: [{ name: end-user, value: jason }] }]
    backendRefs: [{ name: ratings, port: 9080 }]
  - backendRefs: [{ name: reviews, port: 9080, weight: 9 }, { name: ratings, port: 9080, weight: 1 }]`)), { defaultNamespace: 'shop' });
    const reviews = Host.fromName('reviews', { namespace: 'shop' });
    const ratings = Host.fromName('ratings', { namespace: 'shop' });
    mesh.request({ host: 'reviews', headers: { 'end-user': 'jason' } }).reachesHost(ratings);
    mesh.request({ host: 'reviews' }).splitsTrafficAcross([{ host: reviews, weight: 90 }, { host: ratings, weight: 10 }]);
    expect(() => mesh.request({ host: 'reviews' }).reachesHost(reviews)).toThrow(
      'Expected GET reviews/ to reach reviews.shop.svc.cluster.local, but it goes to outbound|9080||reviews.shop.svc.cluster.local 90%, outbound|9080||ratings.shop.svc.cluster.local 10% (decided by HTTPRoute shop/reviews spec.rules[1], route shop.reviews.1)');
  });
});

describe('listeners and attachment', () => {
  test('allowedRoutes Selector admits namespaces by label; sectionName picks the listener', () => {
    const ns = `---
apiVersion: v1
kind: Namespace
metadata: { name: team, labels: { gateway-access: 'yes' } }
`;
    const gw = GATEWAY(`[{ name: a, port: 80, protocol: HTTP, hostname: a.example.com, allowedRoutes: { namespaces: { from: Selector, selector: { matchLabels: { gateway-access: 'yes' } } } } },
  { name: b, port: 80, protocol: HTTP, hostname: b.example.com, allowedRoutes: { namespaces: { from: All } } }]`);
    const m = model(BASE + service('team-app', 'team', 8080) + ns + gw
      + ROUTE('r', 'team', '  parentRefs: [{ name: web, namespace: shop, sectionName: a }]\n  rules: [{ backendRefs: [{ name: team-app, port: 8080 }] }]'));
    expect(m.route({ host: 'a.example.com', gateway: 'shop/web' }).clusters.map(c => c.cluster)).toEqual(['outbound|8080||team-app.team.svc.cluster.local']);
    const b = m.route({ host: 'b.example.com', gateway: 'shop/web' });
    // Listener b takes no route, so port 80 has virtual hosts for a.example.com only.
    expect([b.virtualHost, b.error]).toEqual([undefined, 'no virtual host matched']);
  });

  test('a route whose hostnames miss every listener is attached to nothing, and says why', () => {
    const m = model(BASE + GATEWAY('[{ name: http, port: 80, protocol: HTTP, hostname: a.example.com }]')
      + ROUTE('r', 'shop', '  parentRefs: [{ name: web }]\n  hostnames: [b.example.com]\n  rules: [{ backendRefs: [{ name: reviews, port: 9080 }] }]'));
    const a = m.route({ host: 'a.example.com', gateway: 'shop/web' });
    expect([a.error, a.notes]).toEqual(['no route matched', [
      "HTTPRoute shop/r spec.parentRefs[0]: the route is attached to nothing: no hostname of the route intersects listener http's a.example.com (NoMatchingListenerHostname)",
    ]]);
  });

  test('a GAMMA route to a Service the input does not hold is attached to nothing', () => {
    const m = model(BASE + ROUTE('r', 'shop', '  parentRefs: [{ group: "", kind: Service, name: nope, port: 80 }]\n  rules: [{ backendRefs: [{ name: reviews, port: 9080 }] }]'));
    expect(m._data.detachedRoutes.map(d => d.note)).toEqual([
      'HTTPRoute shop/r spec.parentRefs[0]: no Service shop/nope in the input: the route is attached to nothing (Istio reports Accepted=False, BackendNotFound)',
    ]);
  });

  test('an HTTPS listener terminates TLS and routes the HTTPRoute; a TLS Passthrough listener routes a TLSRoute by SNI', () => {
    const m = model(BASE + GATEWAY(`[{ name: https, port: 443, protocol: HTTPS, hostname: a.example.com, tls: { certificateRefs: [{ name: cert }] } },
  { name: tls, port: 8443, protocol: TLS, tls: { mode: Passthrough } }]`)
      + ROUTE('r', 'shop', '  parentRefs: [{ name: web, sectionName: https }]\n  rules: [{ backendRefs: [{ name: reviews, port: 9080 }] }]')
      + ROUTE('t', 'shop', '  parentRefs: [{ name: web, sectionName: tls }]\n  hostnames: [b.example.com]\n  rules: [{ backendRefs: [{ name: ratings, port: 9080 }] }]', 'TLSRoute', 'v1alpha2'));
    const https = m.route({ host: 'a.example.com', tls: true, gateway: 'shop/web' });
    expect([https.virtualHost, https.route, https.clusters.map(c => c.cluster)]).toEqual(['a.example.com:443', 'shop.r.0', ['outbound|9080||reviews.shop.svc.cluster.local']]);
    const tls = m.route({ host: 'b.example.com', port: 8443, tls: true, protocol: RequestProtocol.TLS, gateway: 'shop/web' });
    expect([tls.clusters.map(c => c.cluster), tls.decidedBy]).toEqual([['outbound|9080||ratings.shop.svc.cluster.local'],
      { kind: 'TLSRoute', namespace: 'shop', name: 't', field: 'spec.rules[0]', ruleIndex: 0 }]);
  });

  test('a GRPCRoute matches service and method as the HTTP/2 path', () => {
    const m = model(BASE + HTTP + ROUTE('g', 'shop', `  parentRefs: [{ name: web }]
  rules:
  - matches: [{ method: { service: shop.Reviews, method: Get } }]
    backendRefs: [{ name: reviews, port: 9080 }]
  - backendRefs: [{ name: ratings, port: 9080 }]`, 'GRPCRoute'));
    expect(m.route({ host: 'a.example.com', path: '/shop.Reviews/Get', protocol: RequestProtocol.GRPC, gateway: 'shop/web' }).route).toBe('shop.g.0');
    expect(m.route({ host: 'a.example.com', path: '/shop.Reviews/List', protocol: RequestProtocol.GRPC, gateway: 'shop/web' }).route).toBe('shop.g.1');
  });

  test('a consumer GAMMA route (in the caller\'s namespace) applies only to callers there', () => {
    const m = model(BASE + service('web', 'front', 8080) + ROUTE('to-ratings', 'front',
      '  parentRefs: [{ group: "", kind: Service, name: reviews, namespace: shop, port: 9080 }]\n  rules: [{ backendRefs: [{ name: ratings, namespace: shop, port: 9080 }] }]')
      + `---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: { name: front, namespace: shop }
spec: { from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: front }], to: [{ group: "", kind: Service }] }
`);
    expect(m.route({ host: 'reviews.shop', fromNamespace: 'front' }).clusters.map(c => c.cluster)).toEqual(['outbound|9080||ratings.shop.svc.cluster.local']);
    expect(m.route({ host: 'reviews.shop', fromNamespace: 'shop' }).route).toBe('default');
  });

  test('a waypoint is not an ingress gateway', () => {
    const m = model(BASE + `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: waypoint, namespace: shop }
spec: { gatewayClassName: istio-waypoint, listeners: [{ name: mesh, port: 15008, protocol: HBONE }] }
`);
    expect(() => m.route({ host: 'reviews', gateway: 'shop/waypoint' })).toThrow(
      "MeshModel.route: gateway 'shop/waypoint' is a waypoint (gatewayClassName istio-waypoint), which routes east-west traffic: ask for the request to the Service instead");
  });
});

describe('Istio\'s Gateway API samples on the command line', () => {
  const shared = path.join(__dirname, '..', '..', '..', 'shared');
  const sample = (f: string) => path.join(shared, 'gateway-api', 'istio-samples', f);
  const kube = (f: string) => path.join(shared, 'istio', 'samples', 'bookinfo', 'platform', 'kube', f);
  const BOOKINFO = [kube('bookinfo.yaml'), kube('bookinfo-versions.yaml'), sample('bookinfo__gateway-api__bookinfo-gateway.yaml')];

  test('graph: the Gateway API Gateway by its listener, the HTTPRoute rules with their shares, one edge per rule', () => {
    expect(graph([...BOOKINFO, sample('bookinfo__gateway-api__route-reviews-90-10.yaml')]).stdout).toBe([
      'flowchart LR',
      '  n0["*:80"]',
      '  n1{{"Gateway default/bookinfo-gateway listener http"}}',
      '  n2(["outbound|9080||productpage.default.svc.cluster.local"])',
      '  n3["reviews.default.svc.cluster.local:9080"]',
      '  n4(["outbound|9080||reviews-v1.default.svc.cluster.local"])',
      '  n5(["outbound|9080||reviews-v2.default.svc.cluster.local"])',
      '  n6[["Deployment default/productpage-v1"]]',
      '  n7[["Deployment default/reviews-v1"]]',
      '  n8[["Deployment default/reviews-v2"]]',
      '  n1 --> n0',
      '  n0 -->|"default.bookinfo.0 100%"| n2',
      '  n3 -->|"default.reviews.0 90%"| n4',
      '  n3 -->|"default.reviews.0 10%"| n5',
      '  n2 --> n6',
      '  n4 --> n7',
      '  n5 --> n8',
      '',
    ].join('\n'));
  });

  test('diff from route-reviews-90-10 to route-reviews-50-v3 prints the share change and nothing else', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gwapi-diff-'));
    const old = path.join(dir, 'old.yaml');
    const next = path.join(dir, 'new.yaml');
    const cat = (files: string[]) => files.map(f => fs.readFileSync(f, 'utf-8')).join('\n---\n');
    fs.writeFileSync(old, cat([...BOOKINFO, sample('bookinfo__gateway-api__route-reviews-90-10.yaml')]));
    fs.writeFileSync(next, cat([...BOOKINFO, sample('bookinfo__gateway-api__route-reviews-50-v3.yaml')]));
    expect(diff([old, next])).toEqual({
      exitCode: 1,
      stdout: 'route: reviews.default.svc.cluster.local:9080 route default.reviews.0: outbound|9080||reviews-v1.default.svc.cluster.local 90%, '
        + 'outbound|9080||reviews-v2.default.svc.cluster.local 10% -> outbound|9080||reviews-v1.default.svc.cluster.local 50%, '
        + 'outbound|9080||reviews-v3.default.svc.cluster.local 50% (HTTPRoute default/reviews spec.rules[0])\n',
    });
  });
});

describe('GAMMA parent references', () => {
  test('sectionName names the Service port the route applies to', () => {
    const svc = service('reviews', 'shop', 9080).replace('ports: [{ name: http, port: 9080, targetPort: 9080 }]', 'ports: [{ name: http, port: 9080, targetPort: 9080 }, { name: admin, port: 9090, targetPort: 9090 }]');
    const m = model(svc + '---' + service('ratings', 'shop', 9080) + ROUTE('admin', 'shop',
      '  parentRefs: [{ group: "", kind: Service, name: reviews, sectionName: admin }]\n  rules: [{ backendRefs: [{ name: ratings, port: 9080 }] }]'));
    expect(m.route({ host: 'reviews', port: 9090, fromNamespace: 'shop' }).clusters.map(c => c.cluster)).toEqual(['outbound|9080||ratings.shop.svc.cluster.local']);
    // The route is attached to port 9090 only: 9080 keeps the default route.
    const http = m.route({ host: 'reviews', port: 9080, fromNamespace: 'shop' });
    expect([http.route, http.clusters.map(c => c.cluster)]).toEqual(['default', ['outbound|9080||reviews.shop.svc.cluster.local']]);
  });
});
