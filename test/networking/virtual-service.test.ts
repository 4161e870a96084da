import { ApiObject, Duration } from 'cdk8s';
import * as kplus28 from 'cdk8s-plus-28';
import * as kplus33 from 'cdk8s-plus-33';
import {
  ClientTls, DestinationRule, Fault, Gateway, GatewayServer, GrpcStatus, Host, HttpMatch, IstioApi, IstioApiVersion, Mirror, Percent,
  RedirectPortSelection, RetryOn, RouteDestination, StringMatch, UnmatchedPreflights, VirtualService,
} from '../../src';
import { chartIn, ofKind, synth, synthError, synthErrors } from '../util';

const vsSpec = (manifests: any[]) => ofKind(manifests, 'VirtualService')[0].spec;

describe('VirtualService', () => {
  test('the design sketch: header route to v2, weighted split, timeout and retries', () => {
    const { chart } = chartIn('shop');
    const reviews = Host.fromName('reviews');
    const dr = new DestinationRule(chart, 'reviews-dr', { metadata: { name: 'reviews' }, host: reviews, trafficPolicy: { tls: ClientTls.istioMutual() } });
    const v1 = dr.addSubset('v1', { labels: { version: 'v1' } });
    const v2 = dr.addSubset('v2', { labels: { version: 'v2' } });
    const vs = new VirtualService(chart, 'reviews-routes', { metadata: { name: 'reviews' }, hosts: [reviews] });
    vs.addHttpRoute('jason', { match: [HttpMatch.header('end-user', StringMatch.exact('jason'))], to: [RouteDestination.to(v2)] });
    vs.addHttpRoute('split', {
      to: [RouteDestination.to(v1, { weight: 90 }), RouteDestination.to(v2, { weight: 10 })],
      timeout: Duration.seconds(10),
      retries: { attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: [RetryOn.GATEWAY_ERROR, RetryOn.CONNECT_FAILURE, RetryOn.status(503)] },
    });
    expect(ofKind(synth(chart), 'VirtualService')).toEqual([{
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace: 'shop' },
      spec: {
        hosts: ['reviews'],
        http: [
          {
            match: [{ headers: { 'end-user': { exact: 'jason' } } }],
            name: 'jason',
            route: [{ destination: { host: 'reviews', subset: 'v2' } }],
          },
          {
            name: 'split',
            retries: { attempts: 3, perTryTimeout: '2s', retryOn: 'gateway-error,connect-failure,503' },
            route: [
              { destination: { host: 'reviews', subset: 'v1' }, weight: 90 },
              { destination: { host: 'reviews', subset: 'v2' }, weight: 10 },
            ],
            timeout: '10s',
          },
        ],
      },
    }]);
  });

  test('weight 0 is kept', () => {
    const { chart } = chartIn('shop');
    const vs = new VirtualService(chart, 'vs', { hosts: [Host.fromName('ratings')] });
    vs.addHttpRoute('canary', { to: [RouteDestination.to(Host.fromName('ratings-v1'), { weight: 100 }), RouteDestination.to(Host.fromName('ratings-v2'), { weight: 0 })] });
    expect(vsSpec(synth(chart)).http[0].route.map((r: any) => r.weight)).toEqual([100, 0]);
  });

  test('every HTTP match condition', () => {
    const { chart } = chartIn('shop');
    const gw = new Gateway(chart, 'gw', { metadata: { name: 'public' }, servers: [GatewayServer.http({ hosts: ['shop.example.com'] })] });
    const vs = new VirtualService(chart, 'vs', { hosts: [Host.fromName('shop.example.com')], gateways: [gw, Gateway.MESH] });
    vs.addHttpRoute('all', {
      match: [
        HttpMatch.of({
          name: 'api',
          uri: StringMatch.prefix('/api'),
          scheme: StringMatch.exact('https'),
          method: StringMatch.regex('GET|HEAD'),
          authority: StringMatch.exact('shop.example.com'),
          headers: { 'x-env': StringMatch.exact('dev') },
          withoutHeaders: { 'x-debug': StringMatch.regex('*') },
          queryParams: { v: StringMatch.exact('2') },
          port: 80,
          sourceLabels: { app: 'frontend' },
          sourceNamespace: 'web',
          gateways: [gw],
          ignoreUriCase: true,
          statPrefix: 'api',
        }),
        HttpMatch.uri(StringMatch.exact('/')).and({ headers: { a: StringMatch.exact('1') } }).and({ headers: { b: StringMatch.exact('2') } }),
        HttpMatch.queryParam('q', StringMatch.prefix('x')),
        HttpMatch.method(StringMatch.exact('POST')),
        HttpMatch.authority(StringMatch.prefix('shop')),
        HttpMatch.port(8080),
      ],
      to: [RouteDestination.to(Host.fromName('shop'))],
    });
    const spec = vsSpec(synth(chart));
    expect(spec.gateways).toEqual(['public', 'mesh']);
    expect(spec.http[0].match).toEqual([
      {
        authority: { exact: 'shop.example.com' },
        gateways: ['public'],
        headers: { 'x-env': { exact: 'dev' } },
        ignoreUriCase: true,
        method: { regex: 'GET|HEAD' },
        name: 'api',
        port: 80,
        queryParams: { v: { exact: '2' } },
        scheme: { exact: 'https' },
        sourceLabels: { app: 'frontend' },
        sourceNamespace: 'web',
        statPrefix: 'api',
        uri: { prefix: '/api' },
        withoutHeaders: { 'x-debug': { regex: '*' } },
      },
      { headers: { a: { exact: '1' }, b: { exact: '2' } }, uri: { exact: '/' } },
      { queryParams: { q: { prefix: 'x' } } },
      { method: { exact: 'POST' } },
      { authority: { prefix: 'shop' } },
      { port: 8080 },
    ]);
  });

  test('faults, mirrors, rewrite, headers, CORS and retries render every option', () => {
    const { chart } = chartIn('shop');
    const vs = new VirtualService(chart, 'vs', { hosts: [Host.fromName('api')], exportTo: ['.', 'web'] });
    const api = Host.fromName('api');
    vs.addHttpRoute('everything', {
      match: [HttpMatch.header('x-all', StringMatch.exact('1'))],
      to: [RouteDestination.to(api, { port: 8080, headers: { request: { set: { 'x-dest': 'v1' } }, response: { remove: ['x-internal'] } } })],
      fault: Fault.delayAndAbort(Fault.delay(Duration.millis(250), Percent.of(0.5)), Fault.abort(503, Percent.of(1))),
      mirrors: [Mirror.to(Host.fromName('api-shadow'), { percentage: Percent.of(5), port: 9090 }), Mirror.to(Host.fromName('api-audit'))],
      rewrite: { uri: '/v2', authority: 'api.internal' },
      headers: { request: { add: { 'x-trace': '%REQ(x-request-id)%' }, remove: ['cookie'] }, response: { set: { 'cache-control': 'no-store' } } },
      corsPolicy: {
        allowOrigins: [StringMatch.exact('https://shop.example.com'), StringMatch.regex('https://.*\\.example\\.com')],
        allowMethods: ['GET', 'POST'],
        allowHeaders: ['content-type'],
        exposeHeaders: ['x-request-id'],
        maxAge: Duration.hours(1),
        allowCredentials: true,
        unmatchedPreflights: UnmatchedPreflights.IGNORE,
      },
      retries: { attempts: 2, retryOn: [RetryOn.of('5xx'), RetryOn.RESET], retryRemoteLocalities: true, backoff: Duration.millis(50), retryIgnorePreviousHosts: true },
      timeout: Duration.millis(1500),
    });
    vs.addHttpRoute('grpc-abort', { match: [HttpMatch.port(9000)], to: [RouteDestination.to(api, { port: 9000 })], fault: Fault.abortGrpc(GrpcStatus.UNAVAILABLE), mirror: Mirror.to(Host.fromName('api-shadow'), { percentage: Percent.of(10) }) });
    vs.addHttpRoute('regex-rewrite', { match: [HttpMatch.uri(StringMatch.regex('/old/(.*)'))], to: [RouteDestination.to(api)], rewrite: { uriRegexRewrite: { match: '/old/(.*)', rewrite: '/new/\\1' } } });
    const spec = vsSpec(synth(chart));
    expect(spec.exportTo).toEqual(['.', 'web']);
    expect(spec.http[0]).toEqual({
      corsPolicy: {
        allowCredentials: true,
        allowHeaders: ['content-type'],
        allowMethods: ['GET', 'POST'],
        allowOrigins: [{ exact: 'https://shop.example.com' }, { regex: 'https://.*\\.example\\.com' }],
        exposeHeaders: ['x-request-id'],
        maxAge: '3600s',
        unmatchedPreflights: 'IGNORE',
      },
      fault: { abort: { httpStatus: 503, percentage: { value: 1 } }, delay: { fixedDelay: '250ms', percentage: { value: 0.5 } } },
      headers: { request: { add: { 'x-trace': '%REQ(x-request-id)%' }, remove: ['cookie'] }, response: { set: { 'cache-control': 'no-store' } } },
      match: [{ headers: { 'x-all': { exact: '1' } } }],
      mirrors: [
        { destination: { host: 'api-shadow', port: { number: 9090 } }, percentage: { value: 5 } },
        { destination: { host: 'api-audit' } },
      ],
      name: 'everything',
      retries: { attempts: 2, backoff: '50ms', retryIgnorePreviousHosts: true, retryOn: '5xx,reset', retryRemoteLocalities: true },
      rewrite: { authority: 'api.internal', uri: '/v2' },
      route: [{
        destination: { host: 'api', port: { number: 8080 } },
        headers: { request: { set: { 'x-dest': 'v1' } }, response: { remove: ['x-internal'] } },
      }],
      timeout: '1500ms',
    });
    // An omitted percentage is written as 100: Istio would read an absent one as 0% for delays.
    expect(spec.http[1].fault).toEqual({ abort: { grpcStatus: 'UNAVAILABLE', percentage: { value: 100 } } });
    expect(spec.http[1].mirror).toEqual({ host: 'api-shadow' });
    expect(spec.http[1].mirrorPercentage).toEqual({ value: 10 });
    expect(spec.http[2].rewrite).toEqual({ uriRegexRewrite: { match: '/old/(.*)', rewrite: '/new/\\1' } });
  });

  test('redirect, direct response and delegation', () => {
    const { chart } = chartIn('shop');
    const delegate = new VirtualService(chart, 'orders', { metadata: { name: 'orders-routes' } });
    delegate.addHttpRoute('orders', { to: [RouteDestination.to(Host.fromName('orders'))] });
    const root = new VirtualService(chart, 'root', { hosts: [Host.fromName('shop.example.com')], gateways: [Gateway.fromName('public', { namespace: 'istio-system' })] });
    root.addHttpRoute('old', { match: [HttpMatch.uri(StringMatch.prefix('/old'))], redirect: { uri: '/new', authority: 'www.example.com', scheme: 'https', derivePort: RedirectPortSelection.FROM_PROTOCOL_DEFAULT, redirectCode: 308 } });
    root.addHttpRoute('health', { match: [HttpMatch.uri(StringMatch.exact('/healthz'))], directResponse: { status: 200, body: 'ok' } });
    root.addHttpRoute('bin', { match: [HttpMatch.uri(StringMatch.exact('/bin'))], directResponse: { status: 200, bodyBase64: 'AAEC' } });
    root.addHttpRoute('teapot', { match: [HttpMatch.uri(StringMatch.exact('/tea'))], directResponse: { status: 418 } });
    root.addHttpRoute('orders', { match: [HttpMatch.uri(StringMatch.prefix('/orders'))], delegate });
    root.addHttpRoute('legacy', { match: [HttpMatch.uri(StringMatch.prefix('/legacy'))], delegate: VirtualService.fromName('legacy-routes', { namespace: 'legacy' }) });
    const manifests = synth(chart);
    const [d, r] = ofKind(manifests, 'VirtualService');
    expect(d.spec.hosts).toBeUndefined();
    expect(r.spec.gateways).toEqual(['istio-system/public']);
    expect(r.spec.http.map((h: any) => h.redirect ?? h.directResponse ?? h.delegate)).toEqual([
      { authority: 'www.example.com', derivePort: 'FROM_PROTOCOL_DEFAULT', redirectCode: 308, scheme: 'https', uri: '/new' },
      { body: { string: 'ok' }, status: 200 },
      { body: { bytes: 'AAEC' }, status: 200 },
      { status: 418 },
      { name: 'orders-routes', namespace: 'shop' },
      { name: 'legacy-routes', namespace: 'legacy' },
    ]);
  });

  test('TCP and TLS routes', () => {
    const { chart } = chartIn('edge');
    const gw = new Gateway(chart, 'gw', { metadata: { name: 'tcp-gw' }, servers: [GatewayServer.tcp({ hosts: ['*'], port: 31400 })] });
    const vs = new VirtualService(chart, 'vs', { hosts: [Host.fromName('*')], gateways: [gw] });
    vs.addTcpRoute('echo', {
      match: [{ port: 31400, destinationSubnets: ['10.0.0.0/16'], sourceLabels: { app: 'client' }, sourceNamespace: 'edge', gateways: [gw] }],
      to: [RouteDestination.to(Host.fromName('tcp-echo'), { port: 9000, weight: 80 }), RouteDestination.to(Host.fromName('tcp-echo-v2'), { port: 9000, weight: 20 })],
    });
    vs.addTcpRoute('rest', { to: [RouteDestination.to(Host.fromName('tcp-echo'), { port: 9000 })] });
    const tls = new VirtualService(chart, 'tls', { hosts: [Host.fromName('*.example.com')], gateways: [gw] });
    tls.addTlsRoute('sni', { match: [{ sniHosts: ['a.example.com'], port: 443 }], to: [RouteDestination.to(Host.external('a.example.com'), { port: 443 })] });
    const [t, s] = ofKind(synth(chart), 'VirtualService');
    expect(t.spec.tcp).toEqual([
      {
        match: [{ destinationSubnets: ['10.0.0.0/16'], gateways: ['tcp-gw'], port: 31400, sourceLabels: { app: 'client' }, sourceNamespace: 'edge' }],
        route: [
          { destination: { host: 'tcp-echo', port: { number: 9000 } }, weight: 80 },
          { destination: { host: 'tcp-echo-v2', port: { number: 9000 } }, weight: 20 },
        ],
      },
      { route: [{ destination: { host: 'tcp-echo', port: { number: 9000 } } }] },
    ]);
    expect(s.spec.tls).toEqual([{ match: [{ port: 443, sniHosts: ['a.example.com'] }], route: [{ destination: { host: 'a.example.com', port: { number: 443 } } }] }]);
  });

  test('hosts from cdk8s-plus-28, cdk8s-plus-33 and raw Services, qualified across namespaces', () => {
    const { app, chart } = chartIn('shop');
    const other = new kplus33.Deployment(chart, 'other-deploy', { containers: [{ image: 'nginx', portNumber: 80 }] });
    void other;
    const svc33 = new kplus33.Service(chart, 'web', { metadata: { name: 'web' }, ports: [{ port: 80 }], selector: kplus33.Pods.select(chart, 'web-pods', { labels: { app: 'web' } }) });
    const svc28 = new kplus28.Service(chart, 'api', { metadata: { name: 'api' }, ports: [{ port: 8080 }], selector: kplus28.Pods.select(chart, 'api-pods', { labels: { app: 'api' } }) });
    const raw = new kplus33.k8s.KubeService(chart, 'db', { metadata: { name: 'db', namespace: 'data' }, spec: { ports: [{ port: 5432 }, { port: 9187 }] } });
    const plain = new ApiObject(chart, 'cache', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'cache', namespace: 'data' }, spec: { ports: [{ port: 6379 }] } });
    void app;
    const vs = new VirtualService(chart, 'vs', { hosts: [Host.fromService(svc33), Host.fromService(svc28)] });
    vs.addHttpRoute('api', { match: [HttpMatch.uri(StringMatch.prefix('/api'))], to: [RouteDestination.to(Host.fromService(svc28))] });
    vs.addHttpRoute('db', { match: [HttpMatch.uri(StringMatch.prefix('/db'))], to: [RouteDestination.to(Host.fromService(raw), { port: 9187 })] });
    vs.addHttpRoute('cache', { match: [HttpMatch.uri(StringMatch.prefix('/cache'))], to: [RouteDestination.to(Host.fromService(plain))] });
    vs.addHttpRoute('web', { to: [RouteDestination.to(Host.fromService(svc33), { port: 80 })] });
    const spec = vsSpec(synth(chart));
    expect(spec.hosts).toEqual(['web', 'api']);
    expect(spec.http.map((h: any) => h.route[0].destination)).toEqual([
      { host: 'api' },
      { host: 'db.data.svc.cluster.local', port: { number: 9187 } },
      { host: 'cache.data.svc.cluster.local' },
      { host: 'web', port: { number: 80 } },
    ]);
  });

  test('a subset of a rule in another namespace is qualified with the rule\'s namespace', () => {
    const app = chartIn().app;
    const { Chart } = jest.requireActual('cdk8s');
    const data = new Chart(app, 'data', { namespace: 'data' });
    const web = new Chart(app, 'web', { namespace: 'web' });
    const dr = new DestinationRule(data, 'dr', { host: Host.fromName('db') });
    const v1 = dr.addSubset('v1', { labels: { version: 'v1' } });
    const vs = new VirtualService(web, 'vs', { hosts: [Host.fromName('db.data.svc.cluster.local')] });
    vs.addHttpRoute('db', { to: [RouteDestination.to(v1)] });
    expect(vsSpec(synth(web)).http[0].route[0].destination).toEqual({ host: 'db.data.svc.cluster.local', subset: 'v1' });
    expect(v1.hostname).toBe('db');
    expect(v1.namespace).toBe('data');
    expect(v1.ports).toEqual([]);
    expect(v1.destinationRule).toBe(dr);
    expect(dr.subsetNames).toEqual(['v1']);
  });

  test('v1beta1 when the app selects the legacy API', () => {
    const { app } = chartIn();
    void app;
    const { Chart, Testing } = jest.requireActual('cdk8s');
    const legacy = Testing.app();
    IstioApi.useVersion(legacy, IstioApiVersion.V1BETA1);
    const chart = new Chart(legacy, 'c');
    new VirtualService(chart, 'vs', { hosts: [Host.fromName('a')] }).addHttpRoute('a', { to: [RouteDestination.to(Host.fromName('a'))] });
    new DestinationRule(chart, 'dr', { host: Host.fromName('a') }).addSubset('v1', { labels: { v: '1' } });
    expect(synth(chart).map(m => m.apiVersion)).toEqual(['networking.istio.io/v1beta1', 'networking.istio.io/v1beta1']);
  });

  test('addHost and addGateway append', () => {
    const { chart } = chartIn('shop');
    const vs = new VirtualService(chart, 'vs');
    vs.addHost(Host.fromName('a.example.com')).addGateway(Gateway.fromName('gw', { namespace: 'shop' })).addHttpRoute('a', { to: [RouteDestination.to(Host.fromName('a'))] });
    const spec = vsSpec(synth(chart));
    expect([spec.hosts, spec.gateways]).toEqual([['a.example.com'], ['gw']]);
    expect(vs.virtualServiceName).toBe(vs.name);
    expect(vs.virtualServiceNamespace).toBe('shop');
  });
});

describe('VirtualService construct-level errors', () => {
  const setup = () => {
    const { chart } = chartIn('shop');
    const vs = new VirtualService(chart, 'vs', { hosts: [Host.fromName('reviews')] });
    return { chart, vs };
  };

  test('a route with no destination', () => {
    const { chart, vs } = setup();
    vs.addHttpRoute('empty', { to: [] });
    expect(synthErrors(chart)).toEqual(['[test/vs] IST0106 Schema validation error: VirtualService.spec.http[0]: an HTTP rule needs route, redirect, directResponse or delegate (got "empty"; e.g. route: [{ destination: { host: ... } }])']);
  });

  test('a route with no action at all', () => {
    const { chart, vs } = setup();
    vs.addHttpRoute('nothing', { timeout: Duration.seconds(1) });
    expect(synthErrors(chart)).toEqual(['[test/vs] IST0106 Schema validation error: VirtualService.spec.http[0]: an HTTP rule needs route, redirect, directResponse or delegate (got "nothing"; e.g. route: [{ destination: { host: ... } }])']);
  });

  test('route and redirect together', () => {
    const { chart, vs } = setup();
    vs.addHttpRoute('both', { to: [RouteDestination.to(Host.fromName('reviews'))], redirect: { uri: '/x' } });
    expect(synthErrors(chart)).toEqual(['[test/vs] IST0106 Schema validation error: VirtualService.spec.http[0].redirect: a redirect cannot be combined with route (got ["route"]; redirect alone)']);
  });

  test('all weights zero on several destinations: the engine\'s rule alone', () => {
    const { chart, vs } = setup();
    vs.addHttpRoute('dead', { to: [RouteDestination.to(Host.fromName('a'), { weight: 0 }), RouteDestination.to(Host.fromName('b'), { weight: 0 })] });
    expect(synthErrors(chart)).toEqual(['[test/vs] IST0106 Schema validation error: VirtualService.spec.http[0].route: with several destinations the weights must not all be 0 (a missing weight counts as 0) (got [0,0]; weights that add up to more than 0, e.g. 90 and 10)']);
  });

  test('weight 0 on the only destination (Istio ignores it, so only the construct can tell)', () => {
    const { chart, vs } = setup();
    vs.addHttpRoute('dead', { to: [RouteDestination.to(Host.fromName('reviews'), { weight: 0 })] });
    expect(synthError(chart)).toContain('[test/vs] VirtualService.spec.http[0].route: every destination of route "dead" has weight 0, so it sends no traffic (got [0]; give at least one destination a positive weight)');
  });

  test('weights on some destinations only', () => {
    const { chart, vs } = setup();
    vs.addHttpRoute('half', { to: [RouteDestination.to(Host.fromName('a'), { weight: 50 }), RouteDestination.to(Host.fromName('b'))] });
    expect(synthError(chart)).toContain('[test/vs] VirtualService.spec.http[0].route: route "half" gives weights to some destinations but not others (a missing weight is 0) (got [50,null]; give every destination a weight, or none when there is only one)');
  });

  test('duplicate route names', () => {
    const { chart, vs } = setup();
    vs.addHttpRoute('a', { match: [HttpMatch.port(1)], to: [RouteDestination.to(Host.fromName('a'))] });
    vs.addHttpRoute('a', { to: [RouteDestination.to(Host.fromName('a'))] });
    expect(synthError(chart)).toContain('[test/vs] VirtualService.spec.http[1]: route name "a" is already used by spec.http[0] (got "a"; a unique name per route)');
  });

  test('a match without conditions', () => {
    const { chart, vs } = setup();
    vs.addHttpRoute('a', { match: [HttpMatch.uri(StringMatch.exact('/')), HttpMatch.of({})], to: [RouteDestination.to(Host.fromName('a'))] });
    expect(synthError(chart)).toContain('[test/vs] VirtualService.spec.http[0].match[1]: a match with no conditions matches every request and would be dropped from the output (got {}; omit `match` to match everything)');
  });

  test('body and bodyBase64 together', () => {
    const { chart, vs } = setup();
    vs.addHttpRoute('a', { directResponse: { status: 200, body: 'x', bodyBase64: 'eA==' } });
    expect(synthError(chart)).toContain('[test/vs] VirtualService.spec.http[0].directResponse.body: give either body or bodyBase64, not both (got "x")');
  });

  test('headers on a TCP destination, and a TCP route with no destination', () => {
    const { chart, vs } = setup();
    vs.addTcpRoute('t', { to: [RouteDestination.to(Host.fromName('a'), { headers: { request: { set: { a: 'b' } } } })] });
    vs.addTlsRoute('s', { match: [{ sniHosts: ['reviews'] }], to: [] });
    const err = synthError(chart);
    expect(err).toContain('[test/vs] VirtualService.spec.tcp[0].route[0].headers: header changes apply only to HTTP routes (got {"request":{"set":{"a":"b"}}}; move the headers to an addHttpRoute destination)');
    expect(err).toContain('[test/vs] VirtualService.spec.tls[0]: route "s" has no destination (got []; give `to` with at least one RouteDestination)');
  });

  test('a port the Service does not expose, and no port on a multi-port Service', () => {
    const { chart, vs } = setup();
    const svc = new kplus33.Service(chart, 'svc', { metadata: { name: 'reviews' }, ports: [{ port: 9080, name: 'http' }, { port: 9090, name: 'metrics' }] });
    const single = new kplus28.Service(chart, 'single', { metadata: { name: 'single' }, ports: [{ port: 80 }] });
    vs.addHttpRoute('wrong-port', { match: [HttpMatch.port(1)], to: [RouteDestination.to(Host.fromService(single), { port: 8080 })] });
    vs.addHttpRoute('no-port', { match: [HttpMatch.port(2)], to: [RouteDestination.to(Host.fromService(svc))], mirror: Mirror.to(Host.fromService(svc), { port: 1234 }) });
    vs.addHttpRoute('mirrors', { to: [RouteDestination.to(Host.fromService(svc), { port: 9080 })], mirrors: [Mirror.to(Host.fromService(svc))] });
    // The Services are in the app, so the engine's analyzers judge the ports; the construct adds nothing.
    expect(synthErrors(chart)).toEqual([
      '[test/vs] IST0101 Referenced host:port not found: "single:8080". VirtualService.spec.http[0].route[0].destination.port.number: port 8080 is not a port of "single" (got "single:8080"; one of 80)',
      '[test/vs] IST0112 This VirtualService routes to a service "reviews" that exposes multiple ports [9080 9090]. Specifying a port in the destination is required to disambiguate. VirtualService.spec.http[1].route[0].destination: host "reviews" exposes several ports, so the destination must select one with port.number (one of 9080, 9090)',
      '[test/vs] IST0101 Referenced host:port not found: "reviews:1234". VirtualService.spec.http[1].mirror.port.number: port 1234 is not a port of "reviews" (got "reviews:1234"; one of 9080, 9090)',
      '[test/vs] IST0112 This VirtualService routes to a service "reviews" that exposes multiple ports [9080 9090]. Specifying a port in the destination is required to disambiguate. VirtualService.spec.http[2].mirrors[0].destination: mirror host "reviews" exposes several ports, so the destination must select one with port.number (one of 9080, 9090)',
    ]);
  });

  test('a port a hand-declared host does not serve (no object shows it, so the construct checks it)', () => {
    const { chart, vs } = setup();
    vs.addHttpRoute('r', { to: [RouteDestination.to(Host.fromName('ext.example.com', { ports: [443] }), { port: 80 })] });
    expect(synthErrors(chart)).toEqual(['[test/vs] VirtualService.spec.http[0].route[0].destination.port: host ext.example.com does not serve this port (got 80; one of 443)']);
  });

  test('a subset of a DestinationRule for a different host', () => {
    const { chart, vs } = setup();
    const ratings = new DestinationRule(chart, 'ratings', { host: Host.fromName('ratings') });
    const reviews = new DestinationRule(chart, 'reviews', { host: Host.fromName('reviews') });
    const r1 = ratings.addSubset('v1', { labels: { version: 'v1' } });
    const v2 = reviews.addSubset('v2', { labels: { version: 'v2' } });
    vs.addHttpRoute('wrong', { match: [HttpMatch.port(1)], to: [RouteDestination.to(Host.fromName('reviews'), { subset: r1 })] });
    vs.addHttpRoute('twice', { match: [HttpMatch.port(2)], to: [RouteDestination.to(v2, { subset: r1 })] });
    vs.addHttpRoute('ok', { to: [RouteDestination.to(Host.fromName('reviews'), { subset: v2 })] });
    const err = synthError(chart)!;
    expect(err).toContain('[test/vs] VirtualService.spec.http[0].route[0].destination.subset: subset "v1" belongs to the DestinationRule for host ratings, not the routed host (got "reviews"; a subset added to a DestinationRule for the same host)');
    expect(err).toContain('[test/vs] VirtualService.spec.http[1].route[0].destination.subset: the target is already a subset; give the subset as the target or as the option, not both (got "v1")');
    expect(err).not.toContain('spec.http[2]');
  });

  test('bad literals throw where they are written', () => {
    const { vs } = setup();
    expect(() => vs.addHttpRoute('t', { to: [RouteDestination.to(Host.fromName('a'))], timeout: Duration.millis(0.5) })).toThrow(
      '[test/vs] VirtualService.spec.http[0].timeout: Istio durations must be a whole number of milliseconds, at least 1ms (got "0.5ms"; e.g. Duration.millis(250) or Duration.seconds(5))');
    expect(() => vs.addHttpRoute('c', { to: [RouteDestination.to(Host.fromName('a'))], corsPolicy: { maxAge: Duration.millis(1500) } })).toThrow(
      '[test/vs] VirtualService.spec.http[0].corsPolicy.maxAge: this duration must be whole seconds (got "1500ms"; e.g. Duration.seconds(60))');
    expect(() => Fault.delay(Duration.millis(0))).toThrow('Fault.delay.fixedDelay: Istio durations must be a whole number of milliseconds, at least 1ms');
    expect(() => Fault.delayAndAbort(Fault.abort(500), Fault.delay(Duration.seconds(1)))).toThrow(
      'Fault: delayAndAbort takes a delay fault and an abort fault, in that order (Fault.delayAndAbort(Fault.delay(...), Fault.abort(...)))');
  });
});
