// The README's code, compiled and synthesized, so the first thing a user pastes keeps working.
import { App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  ClientTls, DestinationRule, Fault, Gateway, GatewayServer, Host, HttpMatch, JwksSource, Operation, Percent, RetryOn, RouteDestination,
  ServerCertificate, Source, StringMatch, VirtualService, WorkloadSelector, ZeroTrustNamespace,
} from '../src';
import { synth, synthError } from './util';

test('Quickstart synthesizes, and its broken variant fails with the message the README shows', () => {
  const app = new App({ outdir: Testing.app().outdir });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new Gateway(chart, 'public', {
    selector: WorkloadSelector.labels({ istio: 'ingressgateway' }),
    servers: [
      GatewayServer.https({ hosts: ['shop.example.com'], certificate: ServerCertificate.fromSecret('shop-cert') }),
      GatewayServer.httpsRedirect({ hosts: ['shop.example.com'] }),
    ],
  });
  expect(synth(chart)).toHaveLength(1);

  const broken = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  new Gateway(broken, 'public', { servers: [GatewayServer.https({ hosts: ['shop.example.com'] })] });
  expect(synthError(broken)).toBe('Validation failed with the following errors:\n'
    + '  [shop/public] IST0106 Gateway.spec.servers[0].tls: without credentialName(s), SIMPLE needs serverCertificate and privateKey '
    + '(got ["serverCertificate missing","privateKey missing"]; set credentialName to the Secret holding the certificate, or the missing file paths)');
});

test('Traffic management and zero-trust snippets synthesize', () => {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const reviewsService = new kplus.Service(chart, 'svc', { metadata: { name: 'reviews' }, ports: [{ port: 9080, name: 'http' }] });
  const reviews = new DestinationRule(chart, 'reviews', {
    host: Host.fromService(reviewsService),
    trafficPolicy: {
      tls: ClientTls.istioMutual(),
      connectionPool: { http: { http1MaxPendingRequests: 100 } },
      outlierDetection: { consecutive5xxErrors: 5, interval: Duration.seconds(10) },
    },
  });
  const v1 = reviews.addSubset('v1', { labels: { version: 'v1' } });
  const v2 = reviews.addSubset('v2', { labels: { version: 'v2' } });
  const vs = new VirtualService(chart, 'reviews-routes', { hosts: [Host.fromService(reviewsService)] });
  vs.addHttpRoute('jason', { match: [HttpMatch.header('end-user', StringMatch.exact('jason'))], to: [RouteDestination.to(v2)] });
  vs.addHttpRoute('split', {
    to: [RouteDestination.to(v1, { weight: 90 }), RouteDestination.to(v2, { weight: 10 })],
    timeout: Duration.seconds(10),
    retries: { attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: [RetryOn.GATEWAY_ERROR] },
    fault: Fault.delay(Duration.seconds(5), Percent.of(1)),
  });
  const frontendSa = new kplus.ServiceAccount(chart, 'sa');
  const workshopApp = new kplus.Deployment(chart, 'app', { containers: [{ image: 'x', securityContext: { user: 1000 } }] });
  const zt = new ZeroTrustNamespace(chart, 'zero-trust');
  zt.allowFrom(Source.serviceAccount(frontendSa), workshopApp, Operation.methods('GET'));
  zt.requireJwt({
    jwtRules: [{ issuer: 'https://auth.example.com', jwks: JwksSource.fromUri('https://auth.example.com/jwks.json') }],
    to: [Operation.paths('/api/*')],
  });
  expect(synth(chart).map(o => o.kind).sort()).toEqual([
    'AuthorizationPolicy', 'AuthorizationPolicy', 'AuthorizationPolicy', 'Deployment', 'DestinationRule', 'PeerAuthentication',
    'RequestAuthentication', 'Service', 'ServiceAccount', 'VirtualService',
  ]);
});
