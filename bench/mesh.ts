// The benchmark mesh, written twice: (a) with the cdk8s-istio constructs, (b) as raw cdk8s ApiObjects that
// synthesize to the same bytes. (b) is what a user would write without the library, so a/b is the library's cost.
import { ApiObject, App, Chart, Duration } from 'cdk8s';
import {
  AuthorizationPolicy, DestinationRule, Host, HttpMatch, Operation, PeerAuthentication, Principal, RetryOn, RouteDestination, Source,
  StringMatch, VirtualService, WorkloadSelector,
} from '../src';

/**
 * Services per namespace; each namespace is one Chart with one PeerAuthentication. cdk8s revalidates the whole
 * app once per chart it renders, so this decides how much of synth is that quadratic term (bench/RESULTS.md).
 */
let SERVICES_PER_NAMESPACE = 10;
export function setServicesPerNamespace(n: number) {
  SERVICES_PER_NAMESPACE = n;
}

const nsName = (i: number) => `team-${String(Math.floor(i / SERVICES_PER_NAMESPACE)).padStart(4, '0')}`;
const svcName = (i: number) => `svc-${String(i).padStart(5, '0')}`;

function forEachNamespace(n: number, body: (ns: string, services: number[]) => void) {
  for (let first = 0; first < n; first += SERVICES_PER_NAMESPACE) {
    const services: number[] = [];
    for (let i = first; i < Math.min(n, first + SERVICES_PER_NAMESPACE); i++) services.push(i);
    body(nsName(first), services);
  }
}

/** (a) Through the constructs; the app-wide analysis joins on the first construct. */
export function buildConstructs(app: App, n: number): void {
  forEachNamespace(n, (ns, services) => {
    const chart = new Chart(app, ns, { namespace: ns });
    PeerAuthentication.namespaceStrict(chart, 'mtls');
    for (const i of services) {
      const name = svcName(i);
      const caller = svcName(i === 0 ? n - 1 : i - 1);
      const dr = new DestinationRule(chart, `${name}-dr`, {
        metadata: { name },
        host: Host.fromName(name),
        trafficPolicy: {
          connectionPool: {
            tcp: { maxConnections: 100, connectTimeout: Duration.millis(500) },
            http: { http1MaxPendingRequests: 64, maxRequestsPerConnection: 10 },
          },
          outlierDetection: {
            consecutive5xxErrors: 5, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30), maxEjectionPercent: 50,
          },
        },
      });
      const stable = dr.addSubset('stable', { labels: { version: 'v1' } });
      const canary = dr.addSubset('canary', { labels: { version: 'v2' } });
      const vs = new VirtualService(chart, `${name}-vs`, { metadata: { name }, hosts: [Host.fromName(name)] });
      const retries = { attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: [RetryOn.SERVER_ERROR, RetryOn.CONNECT_FAILURE] };
      vs.addHttpRoute('testers', {
        match: [HttpMatch.header('x-canary', StringMatch.exact('always'))],
        to: [RouteDestination.to(canary)],
        timeout: Duration.seconds(5),
        retries,
      });
      vs.addHttpRoute('split', {
        to: [RouteDestination.to(stable, { weight: 90 }), RouteDestination.to(canary, { weight: 10 })],
        timeout: Duration.seconds(5),
        retries,
      });
      new AuthorizationPolicy(chart, `${name}-authz`, {
        metadata: { name },
        selector: WorkloadSelector.labels({ app: name }),
        rules: [{
          from: [Source.principals(Principal.of(`cluster.local/ns/${nsName(i === 0 ? n - 1 : i - 1)}/sa/${caller}`))],
          to: [Operation.of({ methods: ['GET', 'POST'], paths: ['/api/*'] })],
        }],
      });
    }
  });
}

/** (b) The same manifests as raw ApiObjects, written as a user without the library would. */
export function buildRaw(app: App, n: number): void {
  forEachNamespace(n, (ns, services) => {
    const chart = new Chart(app, ns, { namespace: ns });
    new ApiObject(chart, 'mtls', {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'default' },
      spec: { mtls: { mode: 'STRICT' } },
    });
    for (const i of services) {
      const name = svcName(i);
      const caller = svcName(i === 0 ? n - 1 : i - 1);
      new ApiObject(chart, `${name}-dr`, {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name },
        spec: {
          host: name,
          trafficPolicy: {
            connectionPool: {
              tcp: { maxConnections: 100, connectTimeout: '500ms' },
              http: { http1MaxPendingRequests: 64, maxRequestsPerConnection: 10 },
            },
            outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
          },
          subsets: [
            { name: 'stable', labels: { version: 'v1' } },
            { name: 'canary', labels: { version: 'v2' } },
          ],
        },
      });
      const retries = { attempts: 3, perTryTimeout: '2s', retryOn: '5xx,connect-failure' };
      new ApiObject(chart, `${name}-vs`, {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name },
        spec: {
          hosts: [name],
          http: [
            {
              name: 'testers',
              match: [{ headers: { 'x-canary': { exact: 'always' } } }],
              route: [{ destination: { host: name, subset: 'canary' } }],
              timeout: '5s',
              retries,
            },
            {
              name: 'split',
              route: [
                { destination: { host: name, subset: 'stable' }, weight: 90 },
                { destination: { host: name, subset: 'canary' }, weight: 10 },
              ],
              timeout: '5s',
              retries,
            },
          ],
        },
      });
      new ApiObject(chart, `${name}-authz`, {
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name },
        spec: {
          selector: { matchLabels: { app: name } },
          rules: [{
            from: [{ source: { principals: [`cluster.local/ns/${nsName(i === 0 ? n - 1 : i - 1)}/sa/${caller}`] } }],
            to: [{ operation: { methods: ['GET', 'POST'], paths: ['/api/*'] } }],
          }],
        },
      });
    }
  });
}
