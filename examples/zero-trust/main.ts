// Zero trust for the workshop app: every workload refuses plaintext (mesh-wide STRICT mTLS), the `workshop`
// namespace allows nothing by default, workshop-app answers only GET requests from its own service account,
// the ingress gateway requires a JWT from auth.example.com on /api/*, and clients of workshop-app originate
// Istio mutual TLS (a DestinationRule with ISTIO_MUTUAL).
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  AuthorizationPolicy, ClientTls, DestinationRule, Host, JwksSource, Operation, PeerAuthentication, RequestAuthentication, Source,
  WorkloadSelector,
} from 'cdk8s-istio';

const ISSUER = 'https://auth.example.com';
const PORT = 8080;

export function build(app: App): Chart[] {
  // Mesh-wide policies live in the root namespace.
  const mesh = new Chart(app, 'mesh', { namespace: 'istio-system' });
  PeerAuthentication.meshWideStrict(mesh, 'strict-mtls');

  const ingress = WorkloadSelector.labels({ istio: 'ingressgateway' });
  const jwt = new RequestAuthentication(mesh, 'ingress-jwt', {
    metadata: { name: 'ingress-jwt' },
    selector: ingress,
    jwtRules: [{ issuer: ISSUER, jwks: JwksSource.fromUri(`${ISSUER}/.well-known/jwks.json`), audiences: ['workshop'] }],
  });
  // RequestAuthentication alone lets requests without a token through; this makes the token mandatory.
  jwt.requireJwt({ to: [Operation.paths('/api/*')] });

  const workshop = new Chart(app, 'workshop', { namespace: 'workshop' });
  AuthorizationPolicy.allowNothing(workshop, 'allow-nothing');

  const identity = new kplus.ServiceAccount(workshop, 'sa', { metadata: { name: 'workshop-app' } });
  const deployment = new kplus.Deployment(workshop, 'app', {
    metadata: { name: 'workshop-app' },
    serviceAccount: identity,
    podMetadata: { labels: { app: 'workshop-app' } },
    containers: [{ name: 'app', image: 'ghcr.io/example/workshop-app:v1', portNumber: PORT, securityContext: { user: 1000 } }],
  });
  const service = new kplus.Service(workshop, 'svc', {
    metadata: { name: 'workshop-app' },
    ports: [{ name: 'http', port: PORT, targetPort: PORT }],
    selector: deployment,
  });

  new AuthorizationPolicy(workshop, 'get-from-self', {
    metadata: { name: 'workshop-app-get' },
    selector: WorkloadSelector.fromWorkload(deployment),
    rules: [{ from: [Source.serviceAccount(identity)], to: [Operation.methods('GET')] }],
  });

  new DestinationRule(workshop, 'mtls', {
    metadata: { name: 'workshop-app' },
    host: Host.fromService(service),
    trafficPolicy: { tls: ClientTls.istioMutual() },
  });

  return [mesh, workshop];
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
