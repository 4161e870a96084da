// The ingress gateway of the workshop app from our users' notes: plain HTTP for workshop-app.local on port 80,
// and HTTPS with a certificate from a Kubernetes Secret.
import { App, Chart } from 'cdk8s';
import { Gateway, GatewayServer, ServerCertificate, WorkloadSelector } from 'cdk8s-istio';

export function build(app: App): Chart {
  const chart = new Chart(app, 'workshop-gateway', { namespace: 'workshop' });
  new Gateway(chart, 'workshop-gateway', {
    metadata: { name: 'workshop-gateway' },
    selector: WorkloadSelector.labels({ istio: 'ingressgateway' }),
    servers: [
      GatewayServer.http({ hosts: ['workshop-app.local'], port: 80, portName: 'http' }),
      GatewayServer.https({ hosts: ['workshop-app.local'], portName: 'https', certificate: ServerCertificate.fromSecret('workshop-app-tls') }),
    ],
  });
  return chart;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
