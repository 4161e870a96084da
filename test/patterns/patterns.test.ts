import { Duration } from 'cdk8s';
import { deployment, istioObjects, service } from './fixtures';
import {
  AbTest, BlueGreen, BlueGreenColour, Cohort, DestinationRule, FaultTest, Gateway, Host, HttpMatch, Percent, ResilienceProfile, RetryOn,
  RouteDestination,
  StringMatch, TrafficMirror, VirtualService, WorkloadVersion,
} from '../../src';
import { chartIn, ofKind, synthError } from '../util';

const vsOf = (objects: any[]) => ofKind(objects, 'VirtualService')[0].spec;

describe('AbTest', () => {
  function abApp(variants: any[], extra: any = {}) {
    const { chart } = chartIn('bookinfo');
    const svc = service(chart, 'reviews', { app: 'reviews' });
    const v = (version: string) => WorkloadVersion.fromWorkload(deployment(chart, `reviews-${version}`, { app: 'reviews', version }));
    new AbTest(chart, 'ab', { service: svc, variants: variants.map(x => ({ ...x, version: v(x.name) })), defaultVariant: { name: 'v1', version: v('v1') }, ...extra });
    return chart;
  }

  test('a route per variant for its cohort, the default last; fault tests first', () => {
    const chart = abApp([
      { name: 'v2', match: Cohort.header('end-user', StringMatch.exact('jason')) },
      { name: 'v3', match: Cohort.cookie('group', 'beta') },
    ], { faultTests: [FaultTest.delay(Cohort.header('x-fault-test', StringMatch.exact('delay')), Duration.seconds(7))] });
    const objects = istioObjects(chart);
    expect(ofKind(objects, 'DestinationRule')[0].spec.subsets.map((s: any) => [s.name, s.labels])).toEqual([
      ['v2', { version: 'v2' }], ['v3', { version: 'v3' }], ['v1', { version: 'v1' }],
    ]);
    expect(vsOf(objects).http).toEqual([
      {
        fault: { delay: { fixedDelay: '7s', percentage: { value: 100 } } },
        match: [{ headers: { 'x-fault-test': { exact: 'delay' } } }],
        name: 'fault-delay',
        route: [{ destination: { host: 'reviews', subset: 'v1' } }],
      },
      { match: [{ headers: { 'end-user': { exact: 'jason' } } }], name: 'v2', route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
      { match: [{ headers: { cookie: { regex: '^(.*?;\\s*)?group=beta(;.*)?$' } } }], name: 'v3', route: [{ destination: { host: 'reviews', subset: 'v3' } }] },
      { name: 'v1', route: [{ destination: { host: 'reviews', subset: 'v1' } }] },
    ]);
    expect(objects).toMatchSnapshot();
  });

  test('a variant without a match', () => {
    const chart = abApp([{ name: 'v2', match: undefined }, { name: 'v3', match: Cohort.of() }]);
    const err = synthError(chart);
    expect(err).toContain('[test/ab] AbTest.variants[0].match: variant "v2" has no match, so no request would choose it (got nothing; a Cohort, e.g. Cohort.header(\'end-user\', StringMatch.exact(\'jason\')))');
    expect(err).toContain('[test/ab] AbTest.variants[1].match: variant "v3" has no match, so no request would choose it (got []; a Cohort, e.g. Cohort.header(\'end-user\', StringMatch.exact(\'jason\')))');
  });

  test('two variants with one name', () => {
    const { chart } = chartIn('bookinfo');
    new AbTest(chart, 'ab', {
      service: service(chart, 'reviews', { app: 'reviews' }),
      variants: [{ name: 'v1', version: WorkloadVersion.labels({ version: 'v2' }), match: Cohort.header('end-user', StringMatch.exact('jason')) }],
      defaultVariant: { name: 'v1', version: WorkloadVersion.labels({ version: 'v1' }) },
    });
    expect(synthError(chart)).toContain('[test/ab] AbTest.defaultVariant.name: variant name "v1" is already used by variants[0] (got "v1"; a unique name per variant)');
  });

  test('user claims on a gateway; with the mesh too, the analysis (not the pattern) reports them', () => {
    const claims = (includeMesh: boolean) => {
      const { chart } = chartIn('shop');
      new AbTest(chart, 'ab', {
        service: service(chart),
        gateways: [Gateway.fromName('public', { namespace: 'istio-system' })],
        includeMesh,
        hosts: [Host.fromName('app.example.com')],
        variants: [{ name: 'beta', version: WorkloadVersion.labels({ version: 'v2' }), match: Cohort.claim('groups', StringMatch.exact('beta-testers')) }],
        defaultVariant: { name: 'ga', version: WorkloadVersion.labels({ version: 'v1' }) },
      });
      return chart;
    };
    expect(synthError(claims(true))).toContain('[test/ab/VirtualService] IST0106 Schema validation error: VirtualService.spec.http[0].match[0].headers.@request.auth.claims.groups: JWT claim matches work only on gateways');
    const vs = vsOf(istioObjects(claims(false)));
    expect(vs.gateways).toEqual(['istio-system/public']);
    expect(vs.http[0].match).toEqual([{ headers: { '@request.auth.claims.groups': { exact: 'beta-testers' } } }]);
  });
});

describe('BlueGreen', () => {
  function bg(active: BlueGreenColour, preview?: Cohort) {
    const { chart } = chartIn('shop');
    const svc = service(chart);
    new BlueGreen(chart, 'bg', {
      service: svc,
      blue: WorkloadVersion.fromWorkload(deployment(chart, 'app-blue', { app: 'app', colour: 'blue' })),
      green: WorkloadVersion.fromWorkload(deployment(chart, 'app-green', { app: 'app', colour: 'green' })),
      active,
      preview,
    });
    return istioObjects(chart);
  }

  test('all traffic to the active colour; the idle colour keeps its subset', () => {
    const objects = bg(BlueGreenColour.BLUE);
    expect(ofKind(objects, 'DestinationRule')[0].spec.subsets).toEqual([
      { labels: { colour: 'blue' }, name: 'blue' }, { labels: { colour: 'green' }, name: 'green' },
    ]);
    expect(vsOf(objects).http).toEqual([{ name: 'active', route: [{ destination: { host: 'app', subset: 'blue' } }] }]);
    expect(objects).toMatchSnapshot();
  });

  test('switching is one value in the output; a preview cohort reaches the idle colour', () => {
    const objects = bg(BlueGreenColour.GREEN, Cohort.header('x-preview', StringMatch.exact('1')));
    expect(ofKind(objects, 'DestinationRule')[0].spec.subsets.map((s: any) => s.name)).toEqual(['blue', 'green']);
    expect(vsOf(objects).http).toEqual([
      { match: [{ headers: { 'x-preview': { exact: '1' } } }], name: 'preview', route: [{ destination: { host: 'app', subset: 'blue' } }] },
      { name: 'active', route: [{ destination: { host: 'app', subset: 'green' } }] },
    ]);
  });

  test('a colour whose pods the Service does not select', () => {
    const { chart } = chartIn('shop');
    new BlueGreen(chart, 'bg', {
      service: service(chart),
      blue: WorkloadVersion.fromWorkload(deployment(chart, 'app-blue', { app: 'app', colour: 'blue' })),
      green: WorkloadVersion.fromWorkload(deployment(chart, 'app-green', { colour: 'green' })),
      active: BlueGreenColour.BLUE,
    });
    expect(synthError(chart)).toContain('[test/bg] BlueGreen.green: the pods of test/app-green do not carry the selector of Service app, so it never sends them traffic (got {"cdk8s.io/metadata.addr":"test-app-green-c8d67468","colour":"green"}; pod labels that include {"app":"app"})');
  });
});

describe('TrafficMirror', () => {
  test('live traffic served by live, a share copied to shadow', () => {
    const { chart } = chartIn('shop');
    new TrafficMirror(chart, 'mirror', {
      service: service(chart),
      live: WorkloadVersion.labels({ version: 'v1' }),
      shadow: WorkloadVersion.labels({ version: 'v2' }),
      percentage: Percent.of(20),
    });
    const objects = istioObjects(chart);
    expect(vsOf(objects).http).toEqual([{
      mirror: { host: 'app', subset: 'shadow' },
      mirrorPercentage: { value: 20 },
      name: 'live',
      route: [{ destination: { host: 'app', subset: 'live' } }],
    }]);
    expect(objects).toMatchSnapshot();
  });

  test('100% by default, written out; host-based shadow', () => {
    const { chart } = chartIn('shop');
    new TrafficMirror(chart, 'mirror', {
      service: service(chart),
      live: WorkloadVersion.fromService(service(chart, 'app-v1', { app: 'app', version: 'v1' })),
      shadow: WorkloadVersion.fromService(service(chart, 'app-v2', { app: 'app', version: 'v2' })),
    });
    expect(vsOf(istioObjects(chart)).http).toEqual([{
      mirror: { host: 'app-v2' }, mirrorPercentage: { value: 100 }, name: 'live', route: [{ destination: { host: 'app-v1' } }],
    }]);
  });
});

describe('ResilienceProfile', () => {
  test('the documented defaults', () => {
    const p = new ResilienceProfile();
    expect(p.routeOptions()).toEqual({
      timeout: Duration.seconds(10),
      retries: { attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: [RetryOn.GATEWAY_ERROR, RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM] },
    });
    expect(p.trafficPolicy()).toEqual({
      connectionPool: { tcp: { maxConnections: 100 }, http: { http1MaxPendingRequests: 100, maxRequestsPerConnection: undefined } },
      outlierDetection: { consecutive5xxErrors: 5, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30), maxEjectionPercent: 50 },
    });
  });

  test('fields are overridden one by one; the rest keep their defaults', () => {
    const p = new ResilienceProfile({ retryAttempts: 5, maxRequestsPerConnection: 10, timeout: undefined }).with({ maxEjectionPercent: 100 });
    expect(p.props.timeout).toEqual(Duration.seconds(10));
    expect(p.routeOptions().retries?.attempts).toBe(5);
    expect(p.trafficPolicy().connectionPool?.http?.maxRequestsPerConnection).toBe(10);
    expect(p.trafficPolicy().outlierDetection?.maxEjectionPercent).toBe(100);
    expect(p.trafficPolicy().outlierDetection?.consecutive5xxErrors).toBe(5);
  });

  test('no retries and no circuit breaker', () => {
    const p = new ResilienceProfile({ retryAttempts: 0, circuitBreaker: false });
    expect(p.routeOptions().retries).toEqual({ attempts: 0 });
    expect(p.trafficPolicy()).toEqual({});
  });

  test('usable by addHttpRoute and DestinationRule users; the output passes analysis', () => {
    const { chart } = chartIn('shop');
    const svc = service(chart);
    const profile = new ResilienceProfile({ timeout: Duration.seconds(3), retryAttempts: 0 });
    const host = Host.fromService(svc);
    new DestinationRule(chart, 'dr', { metadata: { name: 'app' }, host, trafficPolicy: profile.trafficPolicy() });
    const vs = new VirtualService(chart, 'vs', { metadata: { name: 'app' }, hosts: [host] });
    const test = FaultTest.abort(Cohort.of(HttpMatch.header('x-fault', StringMatch.exact('abort'))), 503);
    vs.addHttpRoute(test.name, { match: test.cohort.matches, fault: test.fault, to: [RouteDestination.to(host)], ...profile.routeOptions() });
    vs.addHttpRoute('all', { to: [RouteDestination.to(host)], ...profile.routeOptions() });
    const objects = istioObjects(chart);
    expect(vsOf(objects).http).toEqual([
      {
        fault: { abort: { httpStatus: 503, percentage: { value: 100 } } },
        match: [{ headers: { 'x-fault': { exact: 'abort' } } }],
        name: 'fault-abort',
        retries: { attempts: 0 },
        route: [{ destination: { host: 'app' } }],
        timeout: '3s',
      },
      { name: 'all', retries: { attempts: 0 }, route: [{ destination: { host: 'app' } }], timeout: '3s' },
    ]);
    expect(ofKind(objects, 'DestinationRule')[0].spec.trafficPolicy).toEqual({
      connectionPool: { http: { http1MaxPendingRequests: 100 }, tcp: { maxConnections: 100 } },
      outlierDetection: { baseEjectionTime: '30s', consecutive5xxErrors: 5, interval: '10s', maxEjectionPercent: 50 },
    });
  });
});
