// Egress and observability for the workshop app, from our users' notes: the mesh is installed with an egress
// gateway, JSON access logs and an OpenTelemetry tracing provider; the workshop namespace is labelled for
// sidecar injection; its sidecars may only reach registered hosts (REGISTRY_ONLY), and api.github.com is
// registered and reached over TLS through the egress gateway; Telemetry traces 20% of requests and keeps
// access logs of the namespace.
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  AccessLogEncoding, DataPlaneMode, EgressGateway, EgressMode, ExtensionProvider, IstioNamespace, IstioOperator,
  IstioAnalysis, IstioProfile, OutboundTrafficPolicy, Percent, Sidecar, SidecarHost, Telemetry,
} from 'cdk8s-istio';

const NAMESPACE = 'workshop';

/** Build the charts into `app`: the control-plane install, and the workshop namespace's resources. */
export function build(app: App): Chart[] {
  // The IstioOperator is input for `istioctl install`; the gateway pods it creates (the egress gateway among
  // them) run in istio-system, which this app describes but does not populate.
  IstioAnalysis.of(app).declareNamespaces('istio-system');
  const mesh = new Chart(app, 'istio-install', { namespace: 'istio-system' });
  const otel = ExtensionProvider.openTelemetryTracing({
    name: 'otel-tracing',
    service: 'opentelemetry-collector.observability.svc.cluster.local',
    port: 4317,
  });
  new IstioOperator(mesh, 'control-plane', {
    metadata: { name: 'istio-controlplane' },
    profile: IstioProfile.DEFAULT,
    egressGateway: true,
    accessLogFile: '/dev/stdout',
    accessLogEncoding: AccessLogEncoding.JSON,
    traceSampling: Percent.of(20),
    extensionProviders: [otel],
  });

  const chart = new Chart(app, 'workshop-egress', { namespace: NAMESPACE });
  new IstioNamespace(chart, 'namespace', { metadata: { name: NAMESPACE }, mode: DataPlaneMode.sidecar() });

  new kplus.Deployment(chart, 'workshop-app', {
    metadata: { name: 'workshop-app' },
    podMetadata: { labels: { app: 'workshop-app' } },
    containers: [{ name: 'app', image: 'ghcr.io/example/workshop-app:v1', portNumber: 8080, securityContext: { user: 1000 } }],
  });

  // The app calls https://api.github.com itself; the egress gateway passes the TLS through, routed by SNI.
  new EgressGateway(chart, 'github', { host: 'api.github.com', mode: EgressMode.TLS_PASSTHROUGH });

  // Sidecars see their own namespace, the control plane and the egress gateway, and nothing unregistered.
  new Sidecar(chart, 'registry-only', {
    metadata: { name: 'default' },
    egress: [{ hosts: [SidecarHost.sameNamespace(), SidecarHost.inNamespace('istio-system')] }],
    outboundTrafficPolicy: OutboundTrafficPolicy.registryOnly(),
  });

  new Telemetry(chart, 'telemetry', {
    metadata: { name: 'workshop' },
    tracing: [{ providers: [otel], randomSamplingPercentage: Percent.of(20) }],
    accessLogging: [{ providers: [ExtensionProvider.ENVOY] }],
  });
  return [mesh, chart];
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
