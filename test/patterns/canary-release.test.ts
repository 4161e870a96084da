import { Duration } from 'cdk8s';
import { deployment, istioObjects, service } from './fixtures';
import {
  CanaryRelease, Cohort, Fault, FaultTest, Gateway, GatewayServer, Host, Percent, ResilienceProfile, RouteDestination, StringMatch,
  IstioAnalysis, VirtualService, WorkloadSelector, WorkloadVersion,
} from '../../src';
import { chartIn, ofKind, synth, synthError } from '../util';

function canaryApp(weight: number, extra: any = {}) {
  const { chart } = chartIn('shop');
  const svc = service(chart);
  const stable = deployment(chart, 'app-stable', { app: 'app', track: 'stable' });
  const canary = deployment(chart, 'app-canary', { app: 'app', track: 'canary' });
  const release = new CanaryRelease(chart, 'release', {
    service: svc, stable: WorkloadVersion.fromWorkload(stable), canary: WorkloadVersion.fromWorkload(canary), canaryWeight: weight, ...extra,
  });
  return { chart, svc, release };
}

describe('CanaryRelease', () => {
  test('subsets from the workloads, the override first, then the weighted split', () => {
    const { chart, release } = canaryApp(10, {
      canaryOverride: Cohort.header('canary', StringMatch.exact('true')),
      fault: Fault.delay(Duration.seconds(5), Percent.of(1)),
    });
    expect(release.stableWeight).toBe(90);
    expect(release.destinationRule?.subsetNames).toEqual(['stable', 'canary']);
    expect(istioObjects(chart)).toEqual([
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'app', namespace: 'shop' },
        spec: {
          host: 'app',
          subsets: [{ labels: { track: 'stable' }, name: 'stable' }, { labels: { track: 'canary' }, name: 'canary' }],
        },
      },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'app', namespace: 'shop' },
        spec: {
          hosts: ['app'],
          http: [
            { match: [{ headers: { canary: { exact: 'true' } } }], name: 'canary-override', route: [{ destination: { host: 'app', subset: 'canary' } }] },
            {
              fault: { delay: { fixedDelay: '5s', percentage: { value: 1 } } },
              name: 'split',
              route: [{ destination: { host: 'app', subset: 'stable' }, weight: 90 }, { destination: { host: 'app', subset: 'canary' }, weight: 10 }],
            },
          ],
        },
      },
    ]);
  });

  test.each([[0, 100], [50, 50], [100, 0]])('canary weight %i is written next to stable weight %i, zero included', (canary, stable) => {
    const { chart } = canaryApp(canary);
    const vs = ofKind(istioObjects(chart), 'VirtualService')[0];
    expect(vs.spec.http[0].route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['stable', stable], ['canary', canary]]);
  });

  test('snapshot with every option: cookie override, gateway plus mesh, resilience, fault tests, port', () => {
    const { chart } = chartIn('shop');
    const svc = service(chart, 'app', { app: 'app' }, [80, 9090]);
    const gw = new Gateway(chart, 'gw', { metadata: { name: 'public' }, selector: WorkloadSelector.labels({ istio: 'ingressgateway' }), servers: [GatewayServer.http({ hosts: ['app.example.com'] })] });
    new CanaryRelease(chart, 'release', {
      service: svc,
      stable: WorkloadVersion.fromWorkload(deployment(chart, 'app-stable', { app: 'app', version: 'v1' })),
      canary: WorkloadVersion.fromWorkload(deployment(chart, 'app-canary', { app: 'app', version: 'v2' })),
      canaryWeight: 25,
      canaryOverride: Cohort.cookie('canary', 'always').or(Cohort.header('x-canary', StringMatch.exact('1'))),
      gateways: [gw],
      hosts: [Host.fromName('app.example.com')],
      port: 80,
      resilience: new ResilienceProfile({ timeout: Duration.seconds(5) }),
      faultTests: [
        FaultTest.delay(Cohort.header('x-fault', StringMatch.exact('delay')), Duration.seconds(3)),
        FaultTest.abort(Cohort.header('x-fault', StringMatch.exact('abort')), 503, { percentage: Percent.of(50) }),
      ],
    });
    const objects = istioObjects(chart);
    const vs = ofKind(objects, 'VirtualService')[0].spec;
    expect(vs.gateways).toEqual(['public', 'mesh']);
    expect(vs.hosts).toEqual(['app', 'app.example.com']);
    expect(vs.http.map((r: any) => r.name)).toEqual(['fault-delay', 'fault-abort', 'canary-override', 'split']);
    expect(vs.http[2].match).toEqual([
      { headers: { cookie: { regex: '^(.*?;\\s*)?canary=always(;.*)?$' } } },
      { headers: { 'x-canary': { exact: '1' } } },
    ]);
    expect(objects).toMatchSnapshot();
  });

  test('includeMesh: false keeps the routes on the gateway only', () => {
    const { chart } = canaryApp(10, { gateways: [Gateway.fromName('public', { namespace: 'istio-system' })], includeMesh: false, hosts: [Host.fromName('app.example.com')] });
    expect(ofKind(istioObjects(chart), 'VirtualService')[0].spec.gateways).toEqual(['istio-system/public']);
  });

  test('host-based splitting: two Services, no subsets; a DestinationRule per Service only for the circuit breaker', () => {
    const { chart } = chartIn('shop');
    const svc = service(chart);
    const primary = service(chart, 'app-primary', { app: 'app', track: 'stable' });
    const canarySvc = service(chart, 'app-canary', { app: 'app', track: 'canary' });
    const props = { service: svc, stable: WorkloadVersion.fromService(primary), canary: WorkloadVersion.fromService(canarySvc), canaryWeight: 0 };
    const release = new CanaryRelease(chart, 'release', props);
    expect(release.destinationRule).toBeUndefined();
    expect(istioObjects(chart)).toEqual([{
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'app', namespace: 'shop' },
      spec: {
        hosts: ['app'],
        http: [{ name: 'split', route: [{ destination: { host: 'app-primary' }, weight: 100 }, { destination: { host: 'app-canary' }, weight: 0 }] }],
      },
    }]);

    const withBreaker = chartIn('shop').chart;
    const s2 = service(withBreaker);
    new CanaryRelease(withBreaker, 'release', {
      service: s2,
      stable: WorkloadVersion.fromService(service(withBreaker, 'app-primary', { app: 'app', track: 'stable' })),
      canary: WorkloadVersion.fromService(service(withBreaker, 'app-canary', { app: 'app', track: 'canary' })),
      canaryWeight: 10,
      resilience: new ResilienceProfile(),
    });
    const drs = ofKind(istioObjects(withBreaker), 'DestinationRule');
    expect(drs.map(d => [d.metadata.name, d.spec.host, Object.keys(d.spec.trafficPolicy)])).toEqual([
      ['app-primary', 'app-primary', ['connectionPool', 'outlierDetection']],
      ['app-canary', 'app-canary', ['connectionPool', 'outlierDetection']],
    ]);
  });

  test('label sets and explicit subset labels', () => {
    const { chart } = chartIn('shop');
    const svc = service(chart);
    new CanaryRelease(chart, 'release', {
      service: svc,
      stable: WorkloadVersion.labels({ version: 'v1' }),
      canary: WorkloadVersion.fromWorkload(deployment(chart, 'app-canary', { app: 'app', track: 'canary', version: 'v2' }), { subsetLabels: { version: 'v2' } }),
      canaryWeight: 10,
    });
    const manifests = synth(chart);
    expect(ofKind(manifests, 'DestinationRule')[0].spec.subsets).toEqual([
      { labels: { version: 'v1' }, name: 'stable' },
      { labels: { version: 'v2' }, name: 'canary' },
    ]);
    // The stable pods are deployed elsewhere: not guessed at synth; taken as the whole cluster, nothing carries its labels.
    expect(IstioAnalysis.analyze(manifests)).toEqual([]);
    expect(IstioAnalysis.analyze(manifests, { complete: true }).map(d => `${d.level} ${d.code} ${d.field}`)).toEqual(['error IST0173 spec.subsets[0]']);
  });

  test('a workload with only the Service labels falls back to its own selector labels', () => {
    const { chart } = chartIn('shop');
    const svc = service(chart);
    const stable = deployment(chart, 'app-stable', { app: 'app', track: 'stable' });
    const canary = deployment(chart, 'app-canary', { app: 'app' });
    new CanaryRelease(chart, 'release', { service: svc, stable: WorkloadVersion.fromWorkload(stable), canary: WorkloadVersion.fromWorkload(canary), canaryWeight: 10 });
    const subsets = ofKind(istioObjects(chart), 'DestinationRule')[0].spec.subsets;
    expect(subsets).toEqual([
      { labels: { track: 'stable' }, name: 'stable' },
      { labels: { 'cdk8s.io/metadata.addr': 'test-app-canary-c80a35fb' }, name: 'canary' },
    ]);
  });

  test('routes appended to a given VirtualService, after its own', () => {
    const { chart } = chartIn('shop');
    const svc = service(chart);
    const vs = new VirtualService(chart, 'vs', { metadata: { name: 'app-routes' }, hosts: [Host.fromService(svc)] });
    const debug = service(chart, 'app-debug', { app: 'app-debug' });
    vs.addHttpRoute('debug', { match: Cohort.header('x-debug', StringMatch.exact('1')).matches, to: [RouteDestination.to(Host.fromService(debug))] });
    const release = new CanaryRelease(chart, 'release', {
      service: svc,
      stable: WorkloadVersion.labels({ track: 'stable' }),
      canary: WorkloadVersion.labels({ track: 'canary' }),
      canaryWeight: 10,
      virtualService: vs,
    });
    expect(release.virtualService).toBe(vs);
    const objects = istioObjects(chart);
    expect(ofKind(objects, 'VirtualService').map(v => [v.metadata.name, v.spec.http.map((r: any) => r.name)])).toEqual([['app-routes', ['debug', 'split']]]);
    expect(ofKind(objects, 'DestinationRule').map(d => d.metadata.name)).toEqual(['app']);
  });

  describe('errors', () => {
    test.each([120, -1, 10.5, NaN])('canary weight %p throws at once, naming the construct', w => {
      expect(() => canaryApp(w)).toThrow(`[test/release] CanaryRelease.canaryWeight: the canary weight must be a whole number from 0 to 100 (got ${w}; e.g. 10; stable gets 100 minus it)`);
    });

    test('a workload whose pods the Service does not select', () => {
      const { chart } = chartIn('shop');
      const svc = service(chart);
      const stable = deployment(chart, 'app-stable', { app: 'app', track: 'stable' });
      const canary = deployment(chart, 'app-canary', { app: 'app-v2', track: 'canary' });
      new CanaryRelease(chart, 'release', { service: svc, stable: WorkloadVersion.fromWorkload(stable), canary: WorkloadVersion.fromWorkload(canary), canaryWeight: 10 });
      const err = synthError(chart);
      expect(err).toContain('[test/release] CanaryRelease.canary: the pods of test/app-canary do not carry the selector of Service app, so it never sends them traffic (got {"app":"app-v2","cdk8s.io/metadata.addr":"test-app-canary-c80a35fb","track":"canary"}; pod labels that include {"app":"app"})');
      expect(err).not.toContain('CanaryRelease.stable');
    });

    test('a label set that contradicts the Service selector', () => {
      const { chart } = chartIn('shop');
      new CanaryRelease(chart, 'release', {
        service: service(chart), stable: WorkloadVersion.labels({ app: 'other', version: 'v1' }), canary: WorkloadVersion.labels({ version: 'v2' }), canaryWeight: 10,
      });
      expect(synthError(chart)).toContain('[test/release] CanaryRelease.stable: these labels contradict the selector of Service app, so no pod has both (got {"app":"other","version":"v1"}; labels that agree with {"app":"app"})');
    });

    test('versions whose subsets overlap', () => {
      const { chart } = chartIn('shop');
      new CanaryRelease(chart, 'release', {
        service: service(chart),
        stable: WorkloadVersion.labels({ tier: 'web' }),
        canary: WorkloadVersion.labels({ tier: 'web', version: 'v2' }),
        canaryWeight: 10,
      });
      expect(synthError(chart)).toContain('[test/release] CanaryRelease.stable: subset "stable" also selects the pods of canary, so they would share its traffic (got {"tier":"web"}; labels only stable\'s pods carry, e.g. version: ..., or WorkloadVersion.managedByArgoRollouts(rollout) for both when Argo Rollouts tells them apart)');
    });

    test('one version a Service, the other a workload', () => {
      const { chart } = chartIn('shop');
      new CanaryRelease(chart, 'release', {
        service: service(chart), stable: WorkloadVersion.fromService(service(chart, 'app-primary')), canary: WorkloadVersion.labels({ version: 'v2' }), canaryWeight: 10,
      });
      expect(synthError(chart)).toContain('[test/release] CanaryRelease.canary: some versions are Services (host-based splitting) and this one is not (got "a workload or label set"; give every version with WorkloadVersion.fromService, or none)');
    });

    test('gateways together with a given VirtualService', () => {
      const { chart } = chartIn('shop');
      const svc = service(chart);
      new CanaryRelease(chart, 'release', {
        service: svc,
        stable: WorkloadVersion.labels({ version: 'v1' }),
        canary: WorkloadVersion.labels({ version: 'v2' }),
        canaryWeight: 10,
        virtualService: new VirtualService(chart, 'vs', { hosts: [Host.fromService(svc)] }),
        gateways: [Gateway.MESH],
      });
      expect(synthError(chart)).toContain('[test/release] CanaryRelease.gateways: the hosts and gateways of a given virtualService are its own (got "gateways"; set them on the VirtualService, or leave out virtualService)');
    });

    test('bad literals throw at once', () => {
      expect(() => WorkloadVersion.labels({})).toThrow('WorkloadVersion.labels: a version needs at least one label, or it would select every pod of the Service (got {})');
      expect(() => WorkloadVersion.labels({ version: 'v 1' })).toThrow('WorkloadVersion.labels.version: a label value must be empty');
      expect(() => Cohort.cookie('a b', 'x')).toThrow('Cohort.cookie: a cookie name must be an RFC 6265 token (got "a b"');
      expect(() => WorkloadVersion.fromService(deployment(chartIn().chart, 'd', { a: 'b' }))).toThrow('expected a Service (got Deployment)');
    });
  });

  test('the tester cohort renders as ordinary header matches; claims use the JWT claim header', () => {
    expect(Cohort.claim('groups', StringMatch.exact('beta')).matches[0]._render(undefined).headers).toEqual({ '@request.auth.claims.groups': { exact: 'beta' } });
    expect(Cohort.header('X-Canary', StringMatch.exact('1')).matches[0]._render(undefined).headers).toEqual({ 'x-canary': { exact: '1' } });
  });
});
