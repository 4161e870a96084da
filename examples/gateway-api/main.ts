// The workshop app of examples/workshop-app and examples/workshop-gateway, written with the Kubernetes Gateway
// API instead of Istio's Gateway and VirtualService: a Gateway for workshop-app.local (HTTP, and HTTPS with a
// certificate from a Secret); requests with `x-env: dev` go to workshop-app-dev, the rest are split 90/10
// between v1 and v2 of prod. Gateway API splits traffic across Services, not subsets, so each prod version
// has its own Service. Both rules get a 10s request timeout, 2s per try and 3 retries on gateway errors
// (retry is a field of the Gateway API's experimental channel, which Istio serves).
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  BackendRef, CertificateRef, Host, HttpRoute, HttpRouteMatch, HttpRouteRetry, HttpRouteTimeouts, K8sGateway, Listener, StringMatch,
} from 'cdk8s-istio';

const PORT = 8080;

function workload(chart: Chart, name: string, labels: { [key: string]: string }): void {
  new kplus.Deployment(chart, name, {
    metadata: { name },
    podMetadata: { labels: { app: 'workshop-app', ...labels } },
    containers: [{ name: 'app', image: `ghcr.io/example/workshop-app:${labels.version ?? labels.track}`, portNumber: PORT, securityContext: { user: 1000 } }],
  });
}

export function build(app: App): Chart {
  const chart = new Chart(app, 'workshop-app', { namespace: 'workshop' });

  workload(chart, 'workshop-app-dev', { track: 'dev' });
  workload(chart, 'workshop-app-v1', { track: 'prod', version: 'v1' });
  workload(chart, 'workshop-app-v2', { track: 'prod', version: 'v2' });
  const service = (name: string, labels: { [key: string]: string }) => Host.fromService(new kplus.Service(chart, `${name}-svc`, {
    metadata: { name },
    ports: [{ name: 'http', port: PORT, targetPort: PORT }],
    selector: kplus.Pods.select(chart, `${name}-pods`, { labels: { app: 'workshop-app', ...labels } }),
  }));
  const dev = service('workshop-app-dev', { track: 'dev' });
  const v1 = service('workshop-app-v1', { track: 'prod', version: 'v1' });
  const v2 = service('workshop-app-v2', { track: 'prod', version: 'v2' });

  const gateway = new K8sGateway(chart, 'workshop-gateway', {
    listeners: [
      Listener.http({ hostname: 'workshop-app.local' }),
      Listener.https({ hostname: 'workshop-app.local', certificates: [CertificateRef.fromName('workshop-app-tls')] }),
    ],
  });

  const timeouts: HttpRouteTimeouts = { request: Duration.seconds(10), backendRequest: Duration.seconds(2) };
  const retry: HttpRouteRetry = { attempts: 3, codes: [502, 503, 504] };
  new HttpRoute(chart, 'workshop-app', { parentRefs: [gateway], hostnames: ['workshop-app.local'] })
    .addRule('dev', {
      matches: [HttpRouteMatch.header('x-env', StringMatch.exact('dev'))],
      backendRefs: [BackendRef.to(dev)],
      timeouts,
      retry,
    })
    .addRule('prod', {
      backendRefs: [BackendRef.to(v1, { weight: 90 }), BackendRef.to(v2, { weight: 10 })],
      timeouts,
      retry,
    });
  return chart;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
