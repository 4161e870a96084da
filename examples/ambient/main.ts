// The bookstore in ambient mode: no sidecars. ztunnel carries every connection over mTLS and enforces L4
// policy; one waypoint per namespace enforces L7 policy. Nothing is allowed by default: frontend may open
// connections to the reviews pods on 9080 (L4, ztunnel) and may only GET /reviews/* from the reviews Service
// (L7, the waypoint), and every request through the waypoint needs a JWT from auth.example.com. East-west
// traffic to reviews is a 90/10 canary of v1 and v2: an HTTPRoute whose parent is the reviews Service (GAMMA),
// which the waypoint applies; Gateway API splits across Services, so each version has its own.
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  BackendRef, DataPlaneMode, Host, HttpRoute, IstioNamespace, JwksSource, Operation, ParentRef, Source, ZeroTrustNamespace,
} from 'cdk8s-istio';

const NAMESPACE = 'bookstore';
const PORT = 9080;
const ISSUER = 'https://auth.example.com';

export function build(app: App): Chart[] {
  const chart = new Chart(app, 'bookstore', { namespace: NAMESPACE });
  const namespace = new IstioNamespace(chart, 'namespace', { metadata: { name: NAMESPACE }, mode: DataPlaneMode.ambient() });

  // STRICT mTLS, allow-nothing on ztunnel and on the waypoint, and ztunnel admitting the waypoint's identity.
  const zt = new ZeroTrustNamespace(chart, 'zero-trust', { ambient: {} });
  namespace.useWaypoint(zt.waypoint!);

  const frontendSa = new kplus.ServiceAccount(chart, 'frontend-sa', { metadata: { name: 'frontend' } });
  const reviewsSa = new kplus.ServiceAccount(chart, 'reviews-sa', { metadata: { name: 'reviews' } });
  new kplus.Deployment(chart, 'frontend', {
    metadata: { name: 'frontend' },
    serviceAccount: frontendSa,
    podMetadata: { labels: { app: 'frontend' } },
    containers: [{ name: 'frontend', image: 'ghcr.io/example/bookstore-frontend:v1', portNumber: 8080, securityContext: { user: 1000 } }],
  });
  const reviews = ['v1', 'v2'].map(version => new kplus.Deployment(chart, `reviews-${version}`, {
    metadata: { name: `reviews-${version}` },
    serviceAccount: reviewsSa,
    select: false,
    podMetadata: { labels: { app: 'reviews', version } },
    containers: [{ name: 'reviews', image: `ghcr.io/example/bookstore-reviews:${version}`, portNumber: PORT, securityContext: { user: 1000 } }],
  }));
  reviews.forEach((d, i) => d.select(kplus.LabelSelector.of({ labels: { app: 'reviews', version: ['v1', 'v2'][i] } })));
  const reviewsService = new kplus.Service(chart, 'reviews', {
    metadata: { name: 'reviews' },
    ports: [{ name: 'http', port: PORT, targetPort: PORT }],
  });
  reviewsService.selectLabel('app', 'reviews');
  const [v1, v2] = ['v1', 'v2'].map(version => {
    const svc = new kplus.Service(chart, `reviews-${version}-svc`, { metadata: { name: `reviews-${version}` }, ports: [{ name: 'http', port: PORT, targetPort: PORT }] });
    svc.selectLabel('app', 'reviews');
    svc.selectLabel('version', version);
    return Host.fromService(svc);
  });

  // The canary, for requests to the reviews Service from inside the mesh.
  new HttpRoute(chart, 'reviews-canary', { parentRefs: [ParentRef.service(Host.fromService(reviewsService))] })
    .addRule('canary', { backendRefs: [BackendRef.to(v1, { weight: 90 }), BackendRef.to(v2, { weight: 10 })] });

  // L4, enforced by ztunnel on the pods: connections straight to a pod (not through the Service).
  for (const d of reviews) zt.allowFrom(Source.serviceAccount(frontendSa), d, Operation.ports(PORT));
  // L7, enforced by the waypoint for requests to the reviews Service.
  zt.allowFrom(Source.serviceAccount(frontendSa), reviewsService, Operation.methods('GET').and(Operation.paths('/reviews/*')));
  // Only the waypoint validates tokens.
  zt.requireJwt({ jwtRules: [{ issuer: ISSUER, jwks: JwksSource.fromUri(`${ISSUER}/.well-known/jwks.json`), audiences: ['bookstore'] }] });

  return [chart];
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
