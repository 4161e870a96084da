// An A/B test on Bookinfo's reviews: the user jason (header `end-user: jason`, set by productpage after login)
// gets v2, everyone else v1. A fault-test route delays requests marked `x-fault-test: delay` by 7s, so the
// callers' timeouts can be tried without touching anyone else's traffic.
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { AbTest, Cohort, FaultTest, StringMatch, WorkloadVersion } from 'cdk8s-istio';

export function build(app: App): Chart {
  const chart = new Chart(app, 'ab-test', { namespace: 'bookinfo' });

  const deployment = (version: string) => new kplus.Deployment(chart, `reviews-${version}`, {
    metadata: { name: `reviews-${version}` },
    podMetadata: { labels: { app: 'reviews', version } },
    containers: [{ name: 'reviews', image: `docker.io/istio/examples-bookinfo-reviews-${version}:1.20.2`, portNumber: 9080, securityContext: { user: 1000 } }],
  });
  const v1 = deployment('v1');
  const v2 = deployment('v2');
  const service = new kplus.Service(chart, 'reviews', {
    metadata: { name: 'reviews' },
    ports: [{ name: 'http', port: 9080 }],
    selector: kplus.Pods.select(chart, 'reviews-pods', { labels: { app: 'reviews' } }),
  });

  new AbTest(chart, 'reviews-ab', {
    service,
    variants: [{ name: 'v2', version: WorkloadVersion.fromWorkload(v2), match: Cohort.header('end-user', StringMatch.exact('jason')) }],
    defaultVariant: { name: 'v1', version: WorkloadVersion.fromWorkload(v1) },
    faultTests: [FaultTest.delay(Cohort.header('x-fault-test', StringMatch.exact('delay')), Duration.seconds(7))],
  });
  return chart;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
