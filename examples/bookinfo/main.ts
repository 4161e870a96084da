// Istio's Bookinfo, the traffic-management part: the ingress Gateway and its VirtualService for productpage,
// the four DestinationRules with their version subsets and ISTIO_MUTUAL, and reviews routed jason -> v2,
// everyone else 50/50 between v1 and v3.
import { App, Chart } from 'cdk8s';
import {
  ClientTls, DestinationRule, Gateway, GatewayServer, Host, HttpMatch, ISubset, RouteDestination, StringMatch, VirtualService,
} from 'cdk8s-istio';

export function build(app: App): Chart {
  const chart = new Chart(app, 'bookinfo', { namespace: 'bookinfo' });
  const port = 9080;

  const subsets = (service: string, versions: string[]): Record<string, ISubset> => {
    const dr = new DestinationRule(chart, `${service}-dr`, {
      metadata: { name: service },
      host: Host.fromName(service, { ports: [port] }),
      trafficPolicy: { tls: ClientTls.istioMutual() },
    });
    return Object.fromEntries(versions.map(v => [v, dr.addSubset(v, { labels: { version: v } })]));
  };
  const productpage = subsets('productpage', ['v1']);
  const reviews = subsets('reviews', ['v1', 'v2', 'v3']);
  subsets('ratings', ['v1', 'v2', 'v2-mysql', 'v2-mysql-vm']);
  subsets('details', ['v1', 'v2']);

  const gateway = new Gateway(chart, 'gateway', {
    metadata: { name: 'bookinfo-gateway' },
    servers: [GatewayServer.http({ hosts: ['*'], port: 8080, portName: 'http' })],
  });
  const ingress = new VirtualService(chart, 'ingress', { metadata: { name: 'bookinfo' }, hosts: [Host.fromName('*')], gateways: [gateway] });
  ingress.addHttpRoute('productpage', {
    match: [
      HttpMatch.uri(StringMatch.exact('/productpage')),
      HttpMatch.uri(StringMatch.prefix('/static')),
      HttpMatch.uri(StringMatch.exact('/login')),
      HttpMatch.uri(StringMatch.exact('/logout')),
      HttpMatch.uri(StringMatch.prefix('/api/v1/products')),
    ],
    to: [RouteDestination.to(productpage.v1, { port })],
  });

  const reviewsRoutes = new VirtualService(chart, 'reviews-routes', { metadata: { name: 'reviews' }, hosts: [Host.fromName('reviews')] });
  reviewsRoutes.addHttpRoute('jason', {
    match: [HttpMatch.header('end-user', StringMatch.exact('jason'))],
    to: [RouteDestination.to(reviews.v2, { port })],
  });
  reviewsRoutes.addHttpRoute('everyone-else', {
    to: [RouteDestination.to(reviews.v1, { port, weight: 50 }), RouteDestination.to(reviews.v3, { port, weight: 50 })],
  });
  return chart;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
