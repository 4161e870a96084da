// Every pattern, one intent, two APIs: the same props give the same routes (names, matches, backends and
// weights, mirrors) as a VirtualService or as an HTTPRoute, and each output is snapshotted exactly.
import { Chart, Duration } from 'cdk8s';
import { deployment, routingObjects, service } from './fixtures';
import {
  AbTest, BlueGreen, BlueGreenColour, CanaryRelease, Cohort, Fault, FaultTest, Gateway, Host, HttpMatch, K8sGateway, Listener, Percent,
  ResilienceProfile, RetryOn, RoutingApi, StringMatch, TrafficMirror, VirtualService, WorkloadVersion,
} from '../../src';
import { chartIn, ofKind, synthError } from '../util';

const APIS: Array<[string, RoutingApi]> = [['ISTIO', RoutingApi.ISTIO], ['GATEWAY_API', RoutingApi.GATEWAY_API]];

/** A Service of its own for one version: the pattern Service's selector plus the version's label. */
function versionOf(chart: Chart, name: string, labels: { [key: string]: string }, base = 'app'): WorkloadVersion {
  deployment(chart, `${name}-deploy`, { app: base, ...labels });
  return WorkloadVersion.fromService(service(chart, name, { app: base, ...labels }));
}

function headers(list: any[] | undefined): any {
  return Object.fromEntries((list ?? []).map(h => [h.name, { [h.type === 'RegularExpression' ? 'regex' : 'exact']: h.value }]));
}

/** What the routes do, read back from either API's YAML. */
function routesOf(objects: any[]): any[] {
  const vs = ofKind(objects, 'VirtualService')[0];
  if (vs) {
    return vs.spec.http.map((r: any) => ({
      name: r.name,
      matches: (r.match ?? []).map((m: any) => m.headers),
      to: r.route.map((d: any) => [d.destination.host, d.weight]),
      mirror: r.mirror ? [r.mirror.host, r.mirrorPercentage.value] : undefined,
      timeout: r.timeout,
    }));
  }
  return ofKind(objects, 'HTTPRoute')[0].spec.rules.map((r: any) => {
    const mirror = (r.filters ?? []).find((f: any) => f.type === 'RequestMirror')?.requestMirror;
    return {
      name: r.name,
      matches: (r.matches ?? []).map((m: any) => headers(m.headers)),
      to: r.backendRefs.map((b: any) => [b.name, b.weight]),
      mirror: mirror ? [mirror.backendRef.name, mirror.percent] : undefined,
      timeout: r.timeouts?.request,
    };
  });
}

describe.each(APIS)('with RoutingApi.%s', (_name, routingApi) => {
  describe('CanaryRelease', () => {
    function canary(weight: number, extra: any = {}) {
      const { chart } = chartIn('shop');
      const release = new CanaryRelease(chart, 'release', {
        service: service(chart),
        stable: versionOf(chart, 'app-stable', { track: 'stable' }),
        canary: versionOf(chart, 'app-canary', { track: 'canary' }),
        canaryWeight: weight,
        routingApi,
        ...extra,
      });
      return { chart, release };
    }

    test('the override first, then the weighted split', () => {
      const { chart } = canary(10, { canaryOverride: Cohort.header('canary', StringMatch.exact('true')) });
      const objects = routingObjects(chart);
      expect(routesOf(objects)).toEqual([
        { name: 'canary-override', matches: [{ canary: { exact: 'true' } }], to: [['app-canary', undefined]] },
        { name: 'split', matches: [], to: [['app-stable', 90], ['app-canary', 10]] },
      ]);
      expect(objects).toMatchSnapshot();
    });

    test.each([[0, 100], [50, 50], [100, 0]])('canary weight %i is written next to stable weight %i, zero included', (c, s) => {
      expect(routesOf(routingObjects(canary(c).chart))[0].to).toEqual([['app-stable', s], ['app-canary', c]]);
    });

    test('the routes and weights are on the construct that holds them', () => {
      const { release } = canary(25);
      expect(release.splitRoute).toBe('split');
      expect([release.stableWeight, release.canaryWeight]).toEqual([75, 25]);
      if (routingApi === RoutingApi.ISTIO) {
        expect([release.virtualService?.name, release.httpRoute]).toEqual(['app', undefined]);
      } else {
        expect([release.virtualService, release.httpRoute?.name]).toEqual([undefined, 'app']);
      }
    });

    test('cookie and regex cohorts; resilience timeout and retries on every route; a circuit breaker per version Service', () => {
      const { chart } = canary(10, {
        canaryOverride: Cohort.cookie('canary', 'always').or(Cohort.header('x-canary', StringMatch.regex('^(1|yes)$'))),
        resilience: new ResilienceProfile({ timeout: Duration.seconds(5) }),
      });
      const objects = routingObjects(chart);
      expect(routesOf(objects)).toEqual([
        {
          name: 'canary-override',
          matches: [{ cookie: { regex: '^(.*?;\\s*)?canary=always(;.*)?$' } }, { 'x-canary': { regex: '^(1|yes)$' } }],
          to: [['app-canary', undefined]],
          timeout: '5s',
        },
        { name: 'split', matches: [], to: [['app-stable', 90], ['app-canary', 10]], timeout: '5s' },
      ]);
      expect(ofKind(objects, 'DestinationRule').map(d => [d.metadata.name, d.spec.host])).toEqual([['app-stable', 'app-stable'], ['app-canary', 'app-canary']]);
      expect(objects).toMatchSnapshot();
    });
  });

  describe('AbTest', () => {
    test('a route per variant for its cohort, the default last', () => {
      const { chart } = chartIn('bookinfo');
      new AbTest(chart, 'ab', {
        service: service(chart, 'reviews', { app: 'reviews' }),
        variants: [
          { name: 'v2', version: versionOf(chart, 'reviews-v2', { version: 'v2' }, 'reviews'), match: Cohort.header('end-user', StringMatch.exact('jason')) },
          { name: 'v3', version: versionOf(chart, 'reviews-v3', { version: 'v3' }, 'reviews'), match: Cohort.cookie('group', 'beta') },
        ],
        defaultVariant: { name: 'v1', version: versionOf(chart, 'reviews-v1', { version: 'v1' }, 'reviews') },
        routingApi,
      });
      const objects = routingObjects(chart);
      expect(routesOf(objects)).toEqual([
        { name: 'v2', matches: [{ 'end-user': { exact: 'jason' } }], to: [['reviews-v2', undefined]] },
        { name: 'v3', matches: [{ cookie: { regex: '^(.*?;\\s*)?group=beta(;.*)?$' } }], to: [['reviews-v3', undefined]] },
        { name: 'v1', matches: [], to: [['reviews-v1', undefined]] },
      ]);
      expect(objects).toMatchSnapshot();
    });
  });

  describe('BlueGreen', () => {
    test.each([[BlueGreenColour.BLUE, 'app-green'], [BlueGreenColour.GREEN, 'app-blue']])('active %s; a preview cohort reaches the idle colour %s', (active, idle) => {
      const { chart } = chartIn('shop');
      new BlueGreen(chart, 'bg', {
        service: service(chart),
        blue: versionOf(chart, 'app-blue', { colour: 'blue' }),
        green: versionOf(chart, 'app-green', { colour: 'green' }),
        active,
        preview: Cohort.header('x-preview', StringMatch.exact('1')),
        routingApi,
      });
      const objects = routingObjects(chart);
      expect(routesOf(objects)).toEqual([
        { name: 'preview', matches: [{ 'x-preview': { exact: '1' } }], to: [[idle, undefined]] },
        { name: 'active', matches: [], to: [[`app-${active}`, undefined]] },
      ]);
      if (active === BlueGreenColour.BLUE) expect(objects).toMatchSnapshot();
    });
  });

  describe('TrafficMirror', () => {
    test.each([[Percent.of(20), 20], [undefined, 100]])('live traffic served by live, %p copied to shadow (written as %i)', (percentage, written) => {
      const { chart } = chartIn('shop');
      new TrafficMirror(chart, 'mirror', {
        service: service(chart),
        live: versionOf(chart, 'app-v1', { version: 'v1' }),
        shadow: versionOf(chart, 'app-v2', { version: 'v2' }),
        percentage,
        routingApi,
      });
      const objects = routingObjects(chart);
      expect(routesOf(objects)).toEqual([{ name: 'live', matches: [], to: [['app-v1', undefined]], mirror: ['app-v2', written] }]);
      if (written === 20) expect(objects).toMatchSnapshot();
    });
  });
});

describe('RoutingApi.GATEWAY_API', () => {
  function canaryOn(extra: any) {
    const { chart } = chartIn('shop');
    const release = new CanaryRelease(chart, 'release', {
      service: service(chart),
      stable: versionOf(chart, 'app-primary', { track: 'stable' }),
      canary: versionOf(chart, 'app-canary', { track: 'canary' }),
      canaryWeight: 0,
      routingApi: RoutingApi.GATEWAY_API,
      ...extra(chart),
    });
    return { chart, release };
  }

  test('east-west by default: the route\'s parent is the Service (GAMMA)', () => {
    const { chart } = canaryOn(() => ({}));
    expect(ofKind(routingObjects(chart), 'HTTPRoute')[0].spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'app' }]);
  });

  test('north-south: a Gateway API Gateway with the public hostname, the Service too unless includeMesh is false', () => {
    const parents = (includeMesh?: boolean) => {
      const { chart } = canaryOn((c: Chart) => ({
        parentRefs: [new K8sGateway(c, 'public', { listeners: [Listener.http({ hostname: 'app.example.com' })] })],
        hosts: [{ hostname: 'app.example.com', ports: [] }],
        includeMesh,
      }));
      const route = ofKind(routingObjects(chart), 'HTTPRoute')[0].spec;
      return [route.parentRefs, route.hostnames];
    };
    expect(parents()).toEqual([[{ name: 'public' }, { group: '', kind: 'Service', name: 'app' }], ['app.example.com']]);
    expect(parents(false)).toEqual([[{ name: 'public' }], ['app.example.com']]);
  });

  test('the shape Flagger\'s Gateway API provider and Argo Rollouts\' Gateway API plugin manage: primary and canary Services at 100/0', () => {
    const { chart, release } = canaryOn(() => ({}));
    expect(routingObjects(chart)).toEqual([{
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'app', namespace: 'shop' },
      spec: {
        parentRefs: [{ group: '', kind: 'Service', name: 'app' }],
        rules: [{ name: 'split', backendRefs: [{ name: 'app-primary', port: 80, weight: 100 }, { name: 'app-canary', port: 80, weight: 0 }] }],
      },
    }]);
    // What a Rollout's trafficRouting.plugins["argoproj-labs/gatewayAPI"] names.
    expect({ httpRoute: release.httpRoute?.name, namespace: release.httpRoute?.namespace }).toEqual({ httpRoute: 'app', namespace: 'shop' });
  });
});

describe('errors', () => {
  function gatewayCanary(extra: (chart: Chart) => any, versions?: (chart: Chart) => any) {
    const { chart } = chartIn('shop');
    new CanaryRelease(chart, 'release', {
      service: service(chart),
      ...(versions ? versions(chart) : { stable: versionOf(chart, 'app-stable', { track: 'stable' }), canary: versionOf(chart, 'app-canary', { track: 'canary' }) }),
      canaryWeight: 10,
      routingApi: RoutingApi.GATEWAY_API,
      ...extra(chart),
    });
    return synthError(chart);
  }

  test('a version without a Service of its own', () => {
    const err = gatewayCanary(() => ({}), c => ({
      stable: WorkloadVersion.fromService(service(c, 'app-stable', { app: 'app', track: 'stable' })),
      canary: WorkloadVersion.fromWorkload(deployment(c, 'app-canary', { app: 'app', track: 'canary' })),
    }));
    expect(err).toBe('Validation failed with the following errors:\n  [test/release] CanaryRelease.canary: the Gateway API has no subsets, so each version needs a Service of its own (got "a workload or label set"; WorkloadVersion.fromService(svc), a Service that selects only this version\'s pods)');
  });

  test('a version Service without the pattern\'s port', () => {
    const err = gatewayCanary(c => ({ service: service(c, 'web', { app: 'app' }, [80, 9090]), port: 9090 }), c => ({
      stable: WorkloadVersion.fromService(service(c, 'app-stable', { app: 'app', track: 'stable' }, [80, 9090])),
      canary: WorkloadVersion.fromService(service(c, 'app-canary', { app: 'app', track: 'canary' }, [80])),
    }));
    expect(err).toBe('Validation failed with the following errors:\n  [test/release/HTTPRoute] CDK8SISTIO0307 Backend Service shop/app-canary has no port 9090, so its traffic finds no endpoint. HTTPRoute.spec.rules[0].backendRefs[1].port: port 9090 is not a port of Service shop/app-canary (got 9090; one of 80)');
  });

  test('Istio Gateways, a VirtualService to append to, fault tests and a fault', () => {
    const err = gatewayCanary(c => ({
      gateways: [Gateway.fromName('public', { namespace: 'istio-system' })],
      virtualService: new VirtualService(c, 'vs', { metadata: { name: 'app-routes' }, hosts: [Host.fromName('app')] }),
      faultTests: [FaultTest.abort(Cohort.header('x-fault', StringMatch.exact('abort')), 503)],
      fault: Fault.delay(Duration.seconds(5), Percent.of(1)),
    }));
    expect(err).toContain('[test/release] CanaryRelease.gateways: Istio Gateways do not serve Gateway API routes (got ["public"]; parentRefs: [a K8sGateway or K8sGateway.fromName(...)], or routingApi: RoutingApi.ISTIO)');
    expect(err).toContain('[test/release] CanaryRelease.virtualService: the routes are an HTTPRoute with routingApi: RoutingApi.GATEWAY_API, so there is no VirtualService to append to (got "app-routes"; leave out virtualService, or use routingApi: RoutingApi.ISTIO)');
    expect(err).toContain('[test/release] CanaryRelease.faultTests: the Gateway API has no fault injection, so an HTTPRoute cannot test faults (got ["fault-abort"]; leave out faultTests, or use routingApi: RoutingApi.ISTIO)');
    expect(err).toContain('[test/release] CanaryRelease.fault: the Gateway API has no fault injection, so an HTTPRoute cannot inject this fault (got {"delay":{"fixedDelay":"5s","percentage":{"value":1}}}; leave it out, or use routingApi: RoutingApi.ISTIO)');
  });

  test('cohorts an HTTPRoute cannot match', () => {
    const err = gatewayCanary(() => ({
      canaryOverride: Cohort.claim('groups', StringMatch.exact('beta'))
        .or(Cohort.of(HttpMatch.of({ headers: { 'x-canary': StringMatch.exact('1') }, sourceLabels: { app: 'tester' } })))
        .or(Cohort.header('x-team', StringMatch.prefix('qa')))
        .or(Cohort.of(HttpMatch.method(StringMatch.regex('GET|HEAD')))),
    }));
    expect(err).toBe([
      'Validation failed with the following errors:',
      '  [test/release] CanaryRelease.canaryOverride.matches[0].headers: an HTTPRoute cannot match JWT claims (Cohort.claim is an Istio VirtualService match) (got "@request.auth.claims.groups"; have the gateway copy the claim to a header and use Cohort.header, or use routingApi: RoutingApi.ISTIO)',
      '  [test/release] CanaryRelease.canaryOverride.matches[1].sourceLabels: an HTTPRoute matches only path, headers, query parameters and method (got {"headers":{"x-canary":{"exact":"1"}},"sourceLabels":{"app":"tester"}}; a Cohort of headers, cookies or HttpMatch.uri/queryParam/method, or use routingApi: RoutingApi.ISTIO)',
      '  [test/release] CanaryRelease.canaryOverride.matches[2].headers.x-team: the Gateway API matches headers and query parameters exactly or by regular expression, not by prefix (got "qa"; StringMatch.exact(...) or StringMatch.regex(\'qa.*\'))',
      '  [test/release] CanaryRelease.canaryOverride.matches[3].method: an HTTPRoute matches the method exactly (got {"regex":"GET|HEAD"}; StringMatch.exact(\'GET\'))',
    ].join('\n'));
  });

  test('retry conditions an HTTPRoute cannot express: one message for all the routes', () => {
    const err = gatewayCanary(() => ({
      canaryOverride: Cohort.header('canary', StringMatch.exact('true')),
      resilience: new ResilienceProfile({ retryOn: [RetryOn.GATEWAY_ERROR, RetryOn.of('5xx')] }),
    }));
    expect(err).toBe('Validation failed with the following errors:\n  [test/release] CanaryRelease.resilience.retryOn: an HTTPRoute retries on status codes, connect failures and refused streams only (got ["gateway-error","5xx"]; RetryOn.GATEWAY_ERROR, RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM)');
  });

  test('Gateway API parents with the Istio API', () => {
    const { chart } = chartIn('shop');
    new CanaryRelease(chart, 'release', {
      service: service(chart),
      stable: WorkloadVersion.labels({ track: 'stable' }),
      canary: WorkloadVersion.labels({ track: 'canary' }),
      canaryWeight: 10,
      parentRefs: [K8sGateway.fromName('public', { namespace: 'istio-ingress' })],
    });
    expect(synthError(chart)).toBe('Validation failed with the following errors:\n  [test/release] CanaryRelease.parentRefs: Gateway API parents take HTTPRoutes, and these routes are a VirtualService (got ["public"]; routingApi: RoutingApi.GATEWAY_API, or gateways: [an Istio Gateway])');
  });
});
