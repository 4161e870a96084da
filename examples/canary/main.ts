// The canary walk-through of our users' notes: `app-stable` and `app-canary` behind the Service `app`, 90/10;
// a tester who sends `canary: true` always reaches the canary; 1% of requests get a 5s delay, so callers'
// timeouts are exercised all the time. Moving the canary on is a change of CANARY_WEIGHT (README.md, "10 → 50 → 100 is a one-line diff").
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { CanaryRelease, Cohort, Fault, Percent, StringMatch, WorkloadVersion } from 'cdk8s-istio';

const CANARY_WEIGHT = 10;

export function build(app: App, canaryWeight: number = CANARY_WEIGHT): Chart {
  const chart = new Chart(app, 'canary', { namespace: 'shop' });

  const deployment = (name: string, track: string, tag: string) => new kplus.Deployment(chart, name, {
    metadata: { name },
    podMetadata: { labels: { app: 'app', track } },
    containers: [{ name: 'app', image: `ghcr.io/example/app:${tag}`, portNumber: 8080, securityContext: { user: 1000 } }],
  });
  const stable = deployment('app-stable', 'stable', '1.4.2');
  const canary = deployment('app-canary', 'canary', '1.5.0');
  const service = new kplus.Service(chart, 'app', {
    metadata: { name: 'app' },
    ports: [{ name: 'http', port: 80, targetPort: 8080 }],
    selector: kplus.Pods.select(chart, 'app-pods', { labels: { app: 'app' } }),
  });

  new CanaryRelease(chart, 'release', {
    service,
    stable: WorkloadVersion.fromWorkload(stable),
    canary: WorkloadVersion.fromWorkload(canary),
    canaryWeight,
    canaryOverride: Cohort.header('canary', StringMatch.exact('true')),
    fault: Fault.delay(Duration.seconds(5), Percent.of(1)),
  });
  return chart;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
