// The workshop app from our users' notes: a Gateway for workshop-app.local; requests with `x-env: dev` go to
// workshop-app-dev, the rest to workshop-app-prod (both on 8080), where a 90/10 canary splits v1 and v2.
// Both routes get a 10s timeout and 3 retries of 2s on gateway errors; the prod route injects a 5s delay into
// 1% of requests; a DestinationRule puts a circuit breaker with outlier detection in front of prod.
// The prod canary is a CanaryRelease appended to the gateway's VirtualService, and the timeouts, retries and
// circuit breaker are one ResilienceProfile; examples/bookinfo shows every object written by hand instead.
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  CanaryRelease, Fault, Gateway, GatewayServer, Host, HttpMatch, Percent, ResilienceProfile, RetryOn, RouteDestination, StringMatch,
  VirtualService, WorkloadVersion,
} from 'cdk8s-istio';

const PORT = 8080;

function workload(chart: Chart, name: string, labels: { [key: string]: string }): kplus.Deployment {
  return new kplus.Deployment(chart, name, {
    metadata: { name },
    podMetadata: { labels: { app: 'workshop-app', ...labels } },
    containers: [{ name: 'app', image: `ghcr.io/example/workshop-app:${labels.version ?? labels.track}`, portNumber: PORT, securityContext: { user: 1000 } }],
  });
}

export function build(app: App): Chart {
  const chart = new Chart(app, 'workshop-app', { namespace: 'workshop' });

  workload(chart, 'workshop-app-dev', { track: 'dev' });
  const v1 = workload(chart, 'workshop-app-v1', { track: 'prod', version: 'v1' });
  const v2 = workload(chart, 'workshop-app-v2', { track: 'prod', version: 'v2' });
  const service = (name: string, track: string) => new kplus.Service(chart, `${name}-svc`, {
    metadata: { name },
    ports: [{ name: 'http', port: PORT, targetPort: PORT }],
    selector: kplus.Pods.select(chart, `${name}-pods`, { labels: { app: 'workshop-app', track } }),
  });
  const dev = Host.fromService(service('workshop-app-dev', 'dev'));
  const prod = service('workshop-app-prod', 'prod');

  const gateway = new Gateway(chart, 'gateway', {
    metadata: { name: 'workshop-gateway' },
    servers: [GatewayServer.http({ hosts: ['workshop-app.local'], portName: 'http' })],
  });

  const resilience = new ResilienceProfile({
    retryOn: [RetryOn.GATEWAY_ERROR],
    maxPendingRequests: 10,
    maxRequestsPerConnection: 10,
  });
  const routes = new VirtualService(chart, 'routes', {
    metadata: { name: 'workshop-app' },
    hosts: [Host.fromName('workshop-app.local')],
    gateways: [gateway],
  });
  routes.addHttpRoute('dev', {
    match: [HttpMatch.header('x-env', StringMatch.exact('dev'))],
    to: [RouteDestination.to(dev, { port: PORT })],
    ...resilience.routeOptions(),
  });
  new CanaryRelease(chart, 'prod', {
    service: prod,
    name: 'workshop-app-prod',
    stable: WorkloadVersion.fromWorkload(v1),
    canary: WorkloadVersion.fromWorkload(v2),
    canaryWeight: 10,
    port: PORT,
    virtualService: routes,
    resilience,
    fault: Fault.delay(Duration.seconds(5), Percent.of(1)),
  });
  return chart;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
