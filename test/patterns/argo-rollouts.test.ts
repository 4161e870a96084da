// Argo Rollouts' subset-level canary: one Rollout behind both subsets, with the names its trafficRouting
// refers to; and what a pattern refuses when a version is a Rollout's where that cannot work.
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { deployment, istioObjects, service } from './fixtures';
import { BlueGreen, BlueGreenColour, CanaryRelease, RoutingApi, TrafficMirror, WorkloadVersion } from '../../src';
import { chartIn, ofKind, synthError } from '../util';

function rollout(chart: Chart, name = 'app', labels: { [key: string]: string } = { app: 'app' }): ApiObject {
  return new ApiObject(chart, `${name}-rollout`, {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'example/app:2' }] } },
    },
  });
}

describe('WorkloadVersion.managedByArgoRollouts', () => {
  test('both subsets with the Rollout\'s labels, and the names a Rollout\'s trafficRouting.istio refers to', () => {
    const { chart } = chartIn('shop');
    const r = rollout(chart);
    const version = WorkloadVersion.managedByArgoRollouts(r);
    const release = new CanaryRelease(chart, 'release', { service: service(chart), stable: version, canary: version, canaryWeight: 0 });
    r.addJsonPatch(JsonPatch.add('/spec/strategy', {
      canary: {
        trafficRouting: {
          istio: {
            virtualService: { name: release.virtualService!.name, routes: [release.splitRoute] },
            destinationRule: {
              name: release.destinationRule!.name,
              stableSubsetName: release.stableSubset!.subsetName,
              canarySubsetName: release.canarySubset!.subsetName,
            },
          },
        },
      },
    }));
    const objects = istioObjects(chart);
    expect(objects).toEqual([
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'app', namespace: 'shop' },
        spec: { host: 'app', subsets: [{ labels: { app: 'app' }, name: 'stable' }, { labels: { app: 'app' }, name: 'canary' }] },
      },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'app', namespace: 'shop' },
        spec: {
          hosts: ['app'],
          http: [{ name: 'split', route: [{ destination: { host: 'app', subset: 'stable' }, weight: 100 }, { destination: { host: 'app', subset: 'canary' }, weight: 0 }] }],
        },
      },
    ]);
    expect(ofKind(chart.toJson(), 'Rollout')[0].spec.strategy.canary.trafficRouting.istio).toEqual({
      virtualService: { name: 'app', routes: ['split'] },
      destinationRule: { name: 'app', stableSubsetName: 'stable', canarySubsetName: 'canary' },
    });
    expect(objects).toMatchSnapshot();
  });

  test('a cdk8s-plus workload (the Deployment a Rollout\'s workloadRef names): its pod labels without the generated ones', () => {
    const { chart } = chartIn('shop');
    const version = WorkloadVersion.managedByArgoRollouts(deployment(chart, 'app', { app: 'app', team: 'shop' }));
    new CanaryRelease(chart, 'release', { service: service(chart), stable: version, canary: version, canaryWeight: 0 });
    expect(ofKind(istioObjects(chart), 'DestinationRule')[0].spec.subsets).toEqual([
      { labels: { app: 'app', team: 'shop' }, name: 'stable' }, { labels: { app: 'app', team: 'shop' }, name: 'canary' },
    ]);
  });

  describe('errors', () => {
    test('the same labels without Argo Rollouts are still refused', () => {
      const { chart } = chartIn('shop');
      new CanaryRelease(chart, 'release', { service: service(chart), stable: WorkloadVersion.labels({ app: 'app' }), canary: WorkloadVersion.labels({ app: 'app' }), canaryWeight: 0 });
      expect(synthError(chart)).toContain('[test/release] CanaryRelease.stable: subset "stable" also selects the pods of canary, so they would share its traffic (got {"app":"app"}; labels only stable\'s pods carry, e.g. version: ..., or WorkloadVersion.managedByArgoRollouts(rollout) for both when Argo Rollouts tells them apart)');
    });

    test('only one version managed by Argo Rollouts', () => {
      const { chart } = chartIn('shop');
      new CanaryRelease(chart, 'release', {
        service: service(chart), stable: WorkloadVersion.managedByArgoRollouts(rollout(chart)), canary: WorkloadVersion.labels({ version: 'v2' }), canaryWeight: 0,
      });
      expect(synthError(chart)).toContain('[test/release] CanaryRelease.canary: stable is managed by Argo Rollouts, which keeps stable and canary in one Rollout, so canary must be too (got "a workload or label set"; WorkloadVersion.managedByArgoRollouts(rollout) for both stable and canary)');
    });

    test('two Rollouts', () => {
      const { chart } = chartIn('shop');
      new CanaryRelease(chart, 'release', {
        service: service(chart),
        stable: WorkloadVersion.managedByArgoRollouts(rollout(chart, 'app')),
        canary: WorkloadVersion.managedByArgoRollouts(rollout(chart, 'app-next')),
        canaryWeight: 0,
      });
      expect(synthError(chart)).toContain('[test/release] CanaryRelease.canary: stable and canary are the pods of different Rollouts, and Argo Rollouts splits traffic between the ReplicaSets of one (got ["test/app-rollout","test/app-next-rollout"]; the same Rollout for both)');
    });

    test('a Rollout whose pods the Service does not select', () => {
      const { chart } = chartIn('shop');
      const version = WorkloadVersion.managedByArgoRollouts(rollout(chart, 'app', { app: 'other' }));
      new CanaryRelease(chart, 'release', { service: service(chart), stable: version, canary: version, canaryWeight: 0 });
      expect(synthError(chart)).toContain('[test/release] CanaryRelease.stable: the pods of test/app-rollout do not carry the selector of Service app, so it never sends them traffic (got {"app":"other"}; pod labels that include {"app":"app"})');
    });

    test.each([
      ['BlueGreen', 'blue', (chart: Chart, v: WorkloadVersion) => new BlueGreen(chart, 'release', { service: service(chart), blue: v, green: v, active: BlueGreenColour.BLUE })],
      ['TrafficMirror', 'live', (chart: Chart, v: WorkloadVersion) => new TrafficMirror(chart, 'release', { service: service(chart), live: v, shadow: v })],
    ])('%s refuses it: Argo shifts route weights only for a canary', (kind, field, make) => {
      const { chart } = chartIn('shop');
      make(chart, WorkloadVersion.managedByArgoRollouts(rollout(chart)));
      expect(synthError(chart)).toContain(`[test/release] ${kind}.${field}: Argo Rollouts shifts route weights only for a canary (its blue-green strategy switches Services, not routes) (got "WorkloadVersion.managedByArgoRollouts"; a CanaryRelease, or WorkloadVersion.fromWorkload / WorkloadVersion.fromService)`);
    });

    test('with the Gateway API, the Rollout\'s stableService and canaryService are the versions', () => {
      const { chart } = chartIn('shop');
      const version = WorkloadVersion.managedByArgoRollouts(rollout(chart));
      new CanaryRelease(chart, 'release', { service: service(chart), stable: version, canary: version, canaryWeight: 0, routingApi: RoutingApi.GATEWAY_API });
      expect(synthError(chart)).toContain('[test/release] CanaryRelease.stable: the Gateway API has no subsets: Argo Rollouts\' Gateway API plugin shifts weights between the Rollout\'s stableService and canaryService (got "the pods of a Rollout"; WorkloadVersion.fromService(stableService) and WorkloadVersion.fromService(canaryService))');
    });
  });
});
