import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  AllowedRoutes, BackendRef, CertificateRef, Gateway, GatewayAddress, GatewayServer, Host, HttpMethod, HttpRoute, HttpRouteMatch, HttpScheme,
  K8sGateway, Listener,
  ParentRef, PathModifier, Percent, ReferenceGrant, RouteFilter, RouteKind, StringMatch,
} from '../../src';
import { chartIn, synth, synthErrors } from '../util';

// A self-signed certificate valid from 2026-12-01 to 2126-11-07 (as in the gateway analyzer tests).
const CERT = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBjTCCATOgAwIBAgIUDI0a8Sv5Cacb7RlGylO6myNya44wCgYIKoZIzj0EAwIw',
  'GzEZMBcGA1UEAwwQc2hvcC5leGFtcGxlLmNvbTAgFw0yNjEyMDEyMzQyNDBaGA8y',
  'MTI2MTEwNzIzNDI0MFowGzEZMBcGA1UEAwwQc2hvcC5leGFtcGxlLmNvbTBZMBMG',
  'ByqGSM49AgEGCCqGSM49AwEHA0IABKHthbHCDl0RLwdd53b4WaFUg8PigmIhXFSb',
  'Hi+pK8mAZQxfw5UJ/nOQDvCxWAROMoMJ/hLI4Ib6zLHLNGjh/j2jUzBRMB0GA1Ud',
  'DgQWBBSRoZ7nPmiPaYQQh7ANhCK1OudDlTAfBgNVHSMEGDAWgBSRoZ7nPmiPaYQQ',
  'h7ANhCK1OudDlTAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIFJ1',
  '7LdDZqbkphMgqr/NtVciYqmbx77W30besdR346QLAiEA8maPLn+n6LTvEa8QC21c',
  'vTkZrzaJ8mqtTqHE8v0Buls=',
  '-----END CERTIFICATE-----',
].join('\n');

function service(chart: Chart, name: string, ports: number[], namespace?: string): kplus.Service {
  return new kplus.Service(chart, `${name}-svc`, {
    metadata: { name, namespace },
    ports: ports.map(port => ({ port, name: `http-${port}` })),
    selector: kplus.Pods.select(chart, `${name}-pods`, { labels: { app: name } }),
  });
}

const services = (manifests: any[]) => manifests.filter(m => m.kind !== 'Service');

describe('K8sGateway', () => {
  test('listeners, allowedRoutes, addresses and infrastructure render minimal YAML with gatewayClassName istio', () => {
    const { chart } = chartIn('shop');
    new K8sGateway(chart, 'public', {
      listeners: [
        Listener.http({ hostname: 'shop.example.com', allowedRoutes: AllowedRoutes.sameNamespace() }),
        Listener.https({ hostname: 'shop.example.com', certificates: [CertificateRef.fromName('shop-cert')] }),
        Listener.tlsPassthrough({ port: 8443, allowedRoutes: AllowedRoutes.allNamespaces({ kinds: [RouteKind.TLS_ROUTE] }) }),
        Listener.tcp({ port: 31400, allowedRoutes: AllowedRoutes.namespacesWithLabels({ 'shared-gateway': 'true' }) }),
      ],
      addresses: [GatewayAddress.ipAddress('203.0.113.10'), GatewayAddress.hostname('lb.example.com')],
      infrastructure: { labels: { team: 'shop' }, annotations: { 'networking.istio.io/service-type': 'ClusterIP' } },
    });
    expect(synth(chart)).toEqual([{
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'public', namespace: 'shop' },
      spec: {
        gatewayClassName: 'istio',
        addresses: [{ value: '203.0.113.10' }, { type: 'Hostname', value: 'lb.example.com' }],
        infrastructure: { annotations: { 'networking.istio.io/service-type': 'ClusterIP' }, labels: { team: 'shop' } },
        listeners: [
          { name: 'http', hostname: 'shop.example.com', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } },
          { name: 'https', hostname: 'shop.example.com', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'shop-cert' }] } },
          {
            name: 'tls-8443',
            port: 8443,
            protocol: 'TLS',
            tls: { mode: 'Passthrough' },
            allowedRoutes: { kinds: [{ kind: 'TLSRoute' }], namespaces: { from: 'All' } },
          },
          {
            name: 'tcp-31400',
            port: 31400,
            protocol: 'TCP',
            allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { 'shared-gateway': 'true' } } } },
          },
        ],
      },
    }]);
  });

  test('an Istio Gateway and a Gateway API Gateway of one name do not clash', () => {
    const { chart } = chartIn('shop');
    new Gateway(chart, 'public', { servers: [GatewayServer.http({ hosts: ['*'] })] });
    new K8sGateway(chart, 'k8s-public', { metadata: { name: 'public' }, listeners: [Listener.http()] });
    expect(synth(chart).map(m => `${m.apiVersion} ${m.kind} ${m.metadata.name}`)).toEqual([
      'networking.istio.io/v1 Gateway public',
      'gateway.networking.k8s.io/v1 Gateway public',
    ]);
  });

  test('two Gateway API Gateways of one name clash, naming the first', () => {
    const { app } = chartIn('shop');
    const a = new Chart(app, 'a', { namespace: 'shop' });
    const b = new Chart(app, 'b', { namespace: 'shop' });
    new K8sGateway(a, 'public', { listeners: [Listener.http()] });
    new K8sGateway(b, 'public', { listeners: [Listener.http()] });
    expect(synthErrors(b)).toEqual([
      '[b/public] Gateway.metadata.name: a/public already defines a Gateway of this name in namespace "shop", so one would replace the other in the cluster (got "public"; give one of them another construct id or metadata.name)',
    ]);
  });

  test('a certificate Secret of the app in another namespace gets a ReferenceGrant there', () => {
    const app = Testing.app();
    const certs = new Chart(app, 'certs', { namespace: 'certs' });
    const edge = new Chart(app, 'edge', { namespace: 'edge' });
    const secret = new kplus.Secret(certs, 'shop-cert', { metadata: { name: 'shop-cert' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': CERT, 'tls.key': 'key' } });
    new K8sGateway(edge, 'public', { listeners: [Listener.https({ certificates: [CertificateRef.fromSecret(secret)] })] });
    expect(synth(edge)[0].spec.listeners[0].tls).toEqual({ certificateRefs: [{ name: 'shop-cert', namespace: 'certs' }] });
    expect(synth(certs).filter(m => m.kind === 'ReferenceGrant')).toEqual([{
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'ReferenceGrant',
      metadata: { name: 'allow-gateway-from-edge', namespace: 'certs' },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'edge' }],
        to: [{ group: '', kind: 'Secret', name: 'shop-cert' }],
      },
    }]);
  });
});

describe('HttpRoute', () => {
  test('parentRefs, hostnames, named rules with matches, filters, weights (0 kept) and timeouts', () => {
    const { chart } = chartIn('shop');
    const gateway = new K8sGateway(chart, 'public', { listeners: [Listener.http(), Listener.https({ certificates: [CertificateRef.fromName('c')] })] });
    const v1 = Host.fromService(service(chart, 'shop-v1', [8080]));
    const v2 = Host.fromService(service(chart, 'shop-v2', [8080]));
    const mirror = Host.fromService(service(chart, 'shadow', [80, 9090]));
    new HttpRoute(chart, 'shop', { parentRefs: [gateway.listenerRef('https'), K8sGateway.fromName('shared', { namespace: 'infra', port: 443 })], hostnames: ['shop.example.com'] })
      .addRule('dev', {
        matches: [
          HttpRouteMatch.header('x-env', StringMatch.exact('dev')).and({ path: StringMatch.prefix('/api'), method: HttpMethod.GET }),
          HttpRouteMatch.queryParam('env', StringMatch.regex('dev|test')),
        ],
        filters: [
          RouteFilter.requestHeaders({ set: { 'x-track': 'dev' }, remove: ['x-debug'] }),
          RouteFilter.urlRewrite({ path: PathModifier.replaceFullPath('/') }),
          RouteFilter.requestMirror(mirror, { port: 9090, percent: Percent.of(12.5) }),
        ],
        backendRefs: [BackendRef.to(v2, { filters: [RouteFilter.responseHeaders({ add: { 'x-served-by': 'v2' } })] })],
        timeouts: { request: Duration.seconds(10), backendRequest: Duration.millis(2500) },
        retry: { attempts: 3, backoff: Duration.millis(100), codes: [502, 503] },
      })
      .addRule('canary', {
        backendRefs: [BackendRef.to(v1, { weight: 100 }), BackendRef.to(v2, { port: 8080, weight: 0 })],
        timeouts: { request: Duration.minutes(90) },
      });
    new HttpRoute(chart, 'redirect', { parentRefs: [gateway.listenerRef('http')] })
      .addRule('to-https', { filters: [RouteFilter.requestRedirect({ scheme: HttpScheme.HTTPS, statusCode: 301 })] });
    const routes = synth(chart).filter(m => m.kind === 'HTTPRoute');
    expect(routes).toEqual([
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'shop', namespace: 'shop' },
        spec: {
          hostnames: ['shop.example.com'],
          parentRefs: [{ name: 'public', sectionName: 'https' }, { name: 'shared', namespace: 'infra', port: 443 }],
          rules: [
            {
              name: 'dev',
              matches: [
                { headers: [{ name: 'x-env', value: 'dev' }], method: 'GET', path: { type: 'PathPrefix', value: '/api' } },
                { queryParams: [{ name: 'env', type: 'RegularExpression', value: 'dev|test' }] },
              ],
              filters: [
                { type: 'RequestHeaderModifier', requestHeaderModifier: { remove: ['x-debug'], set: [{ name: 'x-track', value: 'dev' }] } },
                { type: 'URLRewrite', urlRewrite: { path: { replaceFullPath: '/', type: 'ReplaceFullPath' } } },
                { type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', port: 9090 }, fraction: { denominator: 1000, numerator: 125 } } },
              ],
              backendRefs: [{
                name: 'shop-v2',
                port: 8080,
                filters: [{ type: 'ResponseHeaderModifier', responseHeaderModifier: { add: [{ name: 'x-served-by', value: 'v2' }] } }],
              }],
              timeouts: { request: '10s', backendRequest: '2500ms' },
              retry: { attempts: 3, backoff: '100ms', codes: [502, 503] },
            },
            {
              name: 'canary',
              backendRefs: [{ name: 'shop-v1', port: 8080, weight: 100 }, { name: 'shop-v2', port: 8080, weight: 0 }],
              timeouts: { request: '90m' },
            },
          ],
        },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'redirect', namespace: 'shop' },
        spec: {
          parentRefs: [{ name: 'public', sectionName: 'http' }],
          rules: [{ name: 'to-https', filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
        },
      },
    ]);
  });

  test('mesh routing: a Service parent is written with the core group and kind Service', () => {
    const { chart } = chartIn('bookinfo');
    const reviews = Host.fromService(service(chart, 'reviews', [9080]));
    service(chart, 'reviews-v1', [9080]);
    new HttpRoute(chart, 'reviews-route', { metadata: { name: 'reviews' }, parentRefs: [ParentRef.service(reviews, { port: 9080 })] })
      .addRule('v1', { backendRefs: [BackendRef.to(Host.fromName('reviews-v1', { ports: [9080] }))] });
    expect(services(synth(chart))[0].spec).toEqual({
      parentRefs: [{ group: '', kind: 'Service', name: 'reviews', port: 9080 }],
      rules: [{ name: 'v1', backendRefs: [{ name: 'reviews-v1', port: 9080 }] }],
    });
  });

  test('a backend Service of the app in another namespace is written with its namespace and gets one ReferenceGrant', () => {
    const app = Testing.app();
    const backend = new Chart(app, 'backend', { namespace: 'backend' });
    const frontend = new Chart(app, 'frontend', { namespace: 'frontend' });
    const api = Host.fromService(service(backend, 'api', [8080]));
    const auth = Host.fromService(service(backend, 'auth', [8080]));
    const gw = new K8sGateway(frontend, 'public', { listeners: [Listener.http()] });
    new HttpRoute(frontend, 'a', { parentRefs: [gw] }).addRule('api', { backendRefs: [BackendRef.to(api)] });
    new HttpRoute(frontend, 'b', { parentRefs: [gw] }).addRule('all', { backendRefs: [BackendRef.to(api), BackendRef.to(auth)] });
    expect(synth(frontend).find(m => m.metadata.name === 'a').spec.rules[0].backendRefs).toEqual([{ name: 'api', namespace: 'backend', port: 8080 }]);
    expect(synth(backend).filter(m => m.kind === 'ReferenceGrant')).toEqual([{
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'ReferenceGrant',
      metadata: { name: 'allow-httproute-from-frontend', namespace: 'backend' },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'frontend' }],
        to: [{ group: '', kind: 'Service', name: 'api' }, { group: '', kind: 'Service', name: 'auth' }],
      },
    }]);
  });

  test('with createReferenceGrants: false, no grant is written and the analysis says which one is missing', () => {
    const app = Testing.app();
    const backend = new Chart(app, 'backend', { namespace: 'backend' });
    const frontend = new Chart(app, 'frontend', { namespace: 'frontend' });
    const gw = new K8sGateway(frontend, 'public', { listeners: [Listener.http()] });
    new HttpRoute(frontend, 'c', { parentRefs: [gw], createReferenceGrants: false }).addRule('all', { backendRefs: [BackendRef.to(Host.fromService(service(backend, 'other', [80])))] });
    expect(synthErrors(frontend)).toEqual([
      '[frontend/c] CDK8SISTIO0305 The reference is refused (RefNotPermitted): backendRef other/backend not accessible to a HTTPRoute in namespace "frontend" (missing a ReferenceGrant?). HTTPRoute.spec.rules[0].backendRefs[0].namespace: the backend Service backend/other is in another namespace, and no ReferenceGrant there allows HTTPRoutes from namespace frontend (got "backend"; add a ReferenceGrant in backend from { group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: frontend } to { group: "", kind: Service, name: other })',
    ]);
  });

  test('a port a Service of the app lacks, or none for a Service with several: one finding each, from the analysis', () => {
    const { chart } = chartIn('shop');
    const multi = Host.fromService(service(chart, 'multi', [80, 9090]));
    const one = Host.fromService(service(chart, 'one', [8080]));
    new HttpRoute(chart, 'r', { parentRefs: [ParentRef.service(one, { port: 80 })] })
      .addRule('a', { backendRefs: [BackendRef.to(multi)], filters: [RouteFilter.requestMirror(one, { port: 9999 })] })
      .addRule('b', { backendRefs: [BackendRef.to(one, { port: 80 })] });
    expect(synthErrors(chart)).toEqual([
      '[test/r] IST0106 Schema validation error: HTTPRoute.spec.rules[0].backendRefs[0]: Must have port for Service reference',
      '[test/r] CDK8SISTIO0301 The route is not accepted by parent Service shop/one (NoMatchingParent): port 80 not found. HTTPRoute.spec.parentRefs[0].port: Service shop/one has no port 80 (got 80; one of 8080)',
      '[test/r] CDK8SISTIO0307 Backend Service shop/one has no port 9999, so its traffic finds no endpoint. HTTPRoute.spec.rules[0].filters[0].requestMirror.backendRef.port: port 9999 is not a port of Service shop/one (got 9999; one of 8080)',
      '[test/r] CDK8SISTIO0307 Backend Service shop/one has no port 80, so its traffic finds no endpoint. HTTPRoute.spec.rules[1].backendRefs[0].port: port 80 is not a port of Service shop/one (got 80; one of 8080)',
    ]);
  });

  test('a port a host given by hand lacks fails at construct level, since no Service object shows it', () => {
    const { chart } = chartIn('shop');
    new HttpRoute(chart, 'r', { parentRefs: [ParentRef.service(Host.fromName('one', { ports: [8080] }), { port: 80 })] })
      .addRule('a', { backendRefs: [BackendRef.to(Host.fromName('multi', { ports: [80, 9090] }))] })
      .addRule('b', { backendRefs: [BackendRef.to(Host.fromName('one', { ports: [8080] }), { port: 80 })] });
    expect(synthErrors(chart)).toEqual([
      '[test/r] HTTPRoute.spec.parentRefs[0].port: Service one has no port 80 (got 80; give port: one of 8080, or none for every port)',
      '[test/r] HTTPRoute.spec.rules[1].backendRefs[0].port: Service one has no port 80 (got 80; give port: one of 8080)',
      '[test/r] IST0106 Schema validation error: HTTPRoute.spec.rules[0].backendRefs[0]: Must have port for Service reference',
    ]);
  });

  test('a Service parent named by a hostname fails synth', () => {
    const { chart } = chartIn('shop');
    new HttpRoute(chart, 'r', { parentRefs: [ParentRef.service(Host.fromName('reviews.shop.svc.cluster.local'))] })
      .addRule('a', { backendRefs: [BackendRef.to(Host.fromName('reviews', { ports: [9080] }))] });
    expect(synthErrors(chart)).toEqual([
      '[test/r] HTTPRoute.spec.parentRefs[0].name: a Service parent is named by the Service name, not a hostname (got "reviews.shop.svc.cluster.local"; ParentRef.service(Host.fromService(svc)) or Host.fromName(\'<service>\', { namespace }))',
    ]);
  });

  test('a weight out of range or a bad duration throws at addRule with the construct path', () => {
    const { chart } = chartIn('shop');
    const route = new HttpRoute(chart, 'r');
    const host = Host.fromName('shop', { ports: [80] });
    expect(() => route.addRule('a', { backendRefs: [BackendRef.to(host), BackendRef.to(host, { weight: -5 })] })).toThrow(
      '[test/r] HTTPRoute.spec.rules[0].backendRefs[1].weight: a backend weight must be an integer from 0 to 1000000 (got -5; e.g. 90 and 10 for a 90/10 split)');
    expect(() => route.addRule('b', { backendRefs: [BackendRef.to(host, { weight: 2.5 })] })).toThrow(
      '[test/r] HTTPRoute.spec.rules[0].backendRefs[0].weight: a backend weight must be an integer from 0 to 1000000 (got 2.5; e.g. 90 and 10 for a 90/10 split)');
    expect(() => route.addRule('c', { timeouts: { request: Duration.millis(0.5) } })).toThrow(
      '[test/r] HTTPRoute.spec.rules[0].timeouts.request: Gateway API durations must be a whole number of milliseconds, 0 or more (got "0.5ms"; e.g. Duration.millis(250) or Duration.seconds(10))');
  });

  test('header and query matches refuse a prefix, naming the regex to use', () => {
    expect(() => HttpRouteMatch.header('x-env', StringMatch.prefix('dev.'))).toThrow(
      'HttpRouteMatch.headers.x-env: the Gateway API matches headers and query parameters exactly or by regular expression, not by prefix (got "dev."; StringMatch.exact(...) or StringMatch.regex(\'dev\\..*\'))');
  });

  test('durations render in the Gateway API format', () => {
    const { chart } = chartIn('shop');
    const route = new HttpRoute(chart, 'r', { parentRefs: [K8sGateway.fromName('gw')] });
    const cases: Array<[Duration, string]> = [
      [Duration.seconds(0), '0s'], [Duration.millis(250), '250ms'], [Duration.millis(1500), '1500ms'], [Duration.hours(2), '2h'],
      [Duration.seconds(90), '90s'], [Duration.seconds(100000), '27h46m40s'], [Duration.millis(100000001), '27h46m40s1ms'],
    ];
    cases.forEach(([d], i) => route.addRule(`r${i}`, { timeouts: { request: d }, backendRefs: [BackendRef.to(Host.fromName('s', { ports: [80] }))] }));
    expect(synth(chart)[0].spec.rules.map((r: any) => r.timeouts.request)).toEqual(cases.map(c => c[1]));
  });

  test('a ServiceEntry-style hostname backend is written as Istio\'s Hostname kind', () => {
    const { chart } = chartIn('shop');
    new HttpRoute(chart, 'r', { parentRefs: [K8sGateway.fromName('gw')] })
      .addRule('ext', { backendRefs: [BackendRef.to(Host.external('api.example.com', [443]))] })
      .addRule('fqdn', { backendRefs: [BackendRef.to(Host.fromName('reviews.bookinfo.svc.cluster.local'), { port: 9080 })] });
    expect(synth(chart)[0].spec.rules.map((r: any) => r.backendRefs)).toEqual([
      [{ group: 'networking.istio.io', kind: 'Hostname', name: 'api.example.com', port: 443 }],
      [{ name: 'reviews', namespace: 'bookinfo', port: 9080 }],
    ]);
  });
});

describe('ReferenceGrant, CORS, redirects and listener names', () => {
  test('a ReferenceGrant written by hand renders the default groups', () => {
    const { chart } = chartIn('backend');
    new ReferenceGrant(chart, 'allow-frontend', {
      from: [{ kind: 'HTTPRoute', namespace: 'frontend' }],
      to: [{ kind: 'Service', name: 'api' }],
    }).addTo({ kind: 'Secret' });
    expect(synth(chart)).toEqual([{
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'ReferenceGrant',
      metadata: { name: 'allow-frontend', namespace: 'backend' },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'frontend' }],
        to: [{ group: '', kind: 'Service', name: 'api' }, { group: '', kind: 'Secret' }],
      },
    }]);
  });

  test('CORS, full-path redirects and extension refs render their one field; listener names follow protocol and port', () => {
    const { chart } = chartIn('shop');
    new K8sGateway(chart, 'gw', { listeners: [Listener.http({ port: 8080 }), Listener.https({ port: 8443, certificates: [CertificateRef.fromName('c')] }), Listener.tlsPassthrough({ name: 'pass' })] });
    new HttpRoute(chart, 'r', { parentRefs: [K8sGateway.fromName('gw')] })
      .addRule('cors', {
        filters: [
          RouteFilter.cors({ allowOrigins: ['https://shop.example.com'], allowMethods: ['GET', 'POST'], allowCredentials: true, maxAge: Duration.hours(1) }),
          RouteFilter.extensionRef({ group: 'networking.istio.io', kind: 'EnvoyFilter', name: 'lua' }),
        ],
        backendRefs: [BackendRef.to(Host.fromName('shop', { ports: [80] }))],
      })
      .addRule('moved', { filters: [RouteFilter.requestRedirect({ hostname: 'new.example.com', path: PathModifier.replaceFullPath('/'), port: 443 })] })
      .addRule('v2', {
        matches: [HttpRouteMatch.path(StringMatch.prefix('/v1'))],
        filters: [RouteFilter.urlRewrite({ hostname: 'internal.example.com', path: PathModifier.replacePrefixMatch('/v2') })],
        backendRefs: [BackendRef.to(Host.fromName('shop', { ports: [80] }))],
      });
    const [gw, route] = synth(chart);
    expect(gw.spec.listeners.map((l: any) => l.name)).toEqual(['http-8080', 'https-8443', 'pass']);
    expect(route.spec.rules.map((r: any) => r.filters)).toEqual([
      [
        { type: 'CORS', cors: { allowCredentials: true, allowMethods: ['GET', 'POST'], allowOrigins: ['https://shop.example.com'], maxAge: 3600 } },
        { type: 'ExtensionRef', extensionRef: { group: 'networking.istio.io', kind: 'EnvoyFilter', name: 'lua' } },
      ],
      [{ type: 'RequestRedirect', requestRedirect: { hostname: 'new.example.com', path: { replaceFullPath: '/', type: 'ReplaceFullPath' }, port: 443 } }],
      [{ type: 'URLRewrite', urlRewrite: { hostname: 'internal.example.com', path: { replacePrefixMatch: '/v2', type: 'ReplacePrefixMatch' } } }],
    ]);
  });

  test('a CORS maxAge that is not whole seconds throws at once', () => {
    expect(() => RouteFilter.cors({ maxAge: Duration.millis(1500) })).toThrow(
      'RouteFilter.cors.maxAge: maxAge must be whole seconds, at least 1 (got "1.5s"; e.g. Duration.hours(1))');
  });
});
