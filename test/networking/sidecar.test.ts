import { Duration } from 'cdk8s';
import {
  CaptureMode, Host, OutboundTrafficPolicy, Protocol, ServerTlsMode, ServiceEntry, ServicePort, Sidecar, SidecarHost, WorkloadSelector,
} from '../../src';
import { chartIn, ofKind, synth, synthError } from '../util';

describe('Sidecar', () => {
  test('a namespace-wide REGISTRY_ONLY sidecar that sees its namespace and istio-system', () => {
    const { chart } = chartIn('shop');
    new Sidecar(chart, 'default', {
      metadata: { name: 'default' },
      egress: [{ hosts: [SidecarHost.sameNamespace(), SidecarHost.inNamespace('istio-system')] }],
      outboundTrafficPolicy: OutboundTrafficPolicy.registryOnly(),
    });
    expect(synth(chart)).toEqual([{
      apiVersion: 'networking.istio.io/v1',
      kind: 'Sidecar',
      metadata: { name: 'default', namespace: 'shop' },
      spec: { egress: [{ hosts: ['./*', 'istio-system/*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
    }]);
  });

  test('host forms: ./, */, ~/, ns/, raw, and from Services and ServiceEntries', () => {
    const { chart } = chartIn('shop');
    const se = new ServiceEntry(chart, 'gh', { hosts: ['api.github.com'], ports: [ServicePort.https(443)] });
    new Sidecar(chart, 'sc', {
      egress: [
        { port: { number: 9080, protocol: Protocol.HTTP, name: 'http' }, hosts: [SidecarHost.noNamespace()] },
        {
          hosts: [
            SidecarHost.sameNamespace('reviews.shop.svc.cluster.local'),
            SidecarHost.anyNamespace('*.example.com'),
            SidecarHost.of('istio-system/*'),
            SidecarHost.fromHost(Host.fromName('ratings', { namespace: 'bookinfo' })),
            SidecarHost.fromHost(se.host()),
            SidecarHost.fromHost(Host.external('api.example.com')),
          ],
        },
      ],
    });
    expect(ofKind(synth(chart), 'Sidecar')[0].spec.egress).toEqual([
      { port: { name: 'http', number: 9080, protocol: 'HTTP' }, hosts: ['~/*'] },
      { hosts: ['./reviews.shop.svc.cluster.local', '*/*.example.com', 'istio-system/*', 'bookinfo/ratings.bookinfo.svc.cluster.local', 'shop/api.github.com', '*/api.example.com'] },
    ]);
  });

  test('workload selector, ingress listeners with TLS and connection pools, ALLOW_ANY', () => {
    const { chart } = chartIn('shop');
    const sc = new Sidecar(chart, 'sc', {
      selector: WorkloadSelector.labels({ app: 'ratings' }),
      ingress: [{ port: { number: 9080, protocol: Protocol.HTTP, name: 'http' }, defaultEndpoint: '127.0.0.1:8080', captureMode: CaptureMode.IPTABLES }],
      outboundTrafficPolicy: OutboundTrafficPolicy.allowAny(),
      inboundConnectionPool: { tcp: { maxConnections: 100 } },
    });
    sc.addIngress({
      port: { number: 8443, protocol: Protocol.HTTPS, name: 'https' },
      defaultEndpoint: 'unix:///var/run/app.sock',
      bind: '0.0.0.0',
      tls: { files: { serverCertificate: '/etc/certs/tls.crt', privateKey: '/etc/certs/tls.key', caCertificates: '/etc/certs/ca.crt' }, mode: ServerTlsMode.MUTUAL },
      connectionPool: { http: { http1MaxPendingRequests: 10, idleTimeout: Duration.seconds(30) } },
    });
    sc.addEgress({ hosts: [SidecarHost.anyNamespace()] });
    expect(ofKind(synth(chart), 'Sidecar')[0].spec).toEqual({
      workloadSelector: { labels: { app: 'ratings' } },
      ingress: [
        { port: { name: 'http', number: 9080, protocol: 'HTTP' }, defaultEndpoint: '127.0.0.1:8080', captureMode: 'IPTABLES' },
        {
          port: { name: 'https', number: 8443, protocol: 'HTTPS' },
          bind: '0.0.0.0',
          defaultEndpoint: 'unix:///var/run/app.sock',
          tls: { mode: 'MUTUAL', serverCertificate: '/etc/certs/tls.crt', privateKey: '/etc/certs/tls.key', caCertificates: '/etc/certs/ca.crt' },
          connectionPool: { http: { http1MaxPendingRequests: 10, idleTimeout: '30s' } },
        },
      ],
      egress: [{ hosts: ['*/*'] }],
      outboundTrafficPolicy: { mode: 'ALLOW_ANY' },
      inboundConnectionPool: { tcp: { maxConnections: 100 } },
    });
  });

  test('an egress proxy renders, and analysis warns that Istio ignores it (IST0002)', () => {
    const { app, chart } = chartIn('shop');
    new Sidecar(chart, 'sc', { outboundTrafficPolicy: OutboundTrafficPolicy.allowAny(Host.external('proxy.example.com'), 3128) });
    expect(ofKind(synth(chart), 'Sidecar')[0].spec.outboundTrafficPolicy).toEqual({ mode: 'ALLOW_ANY', egressProxy: { host: 'proxy.example.com', port: { number: 3128 } } });
    void app;
  });

  test('a bad duration in a connection pool throws at once, naming the real field', () => {
    const { chart } = chartIn();
    expect(() => new Sidecar(chart, 'sc', { inboundConnectionPool: { tcp: { connectTimeout: Duration.millis(0.5) } } })).toThrow(
      '[test/sc] Sidecar.spec.inboundConnectionPool.tcp.connectTimeout: Istio durations must be a whole number of milliseconds, at least 1ms (got "0.5ms"; e.g. Duration.millis(250) or Duration.seconds(5))');
  });

  test('an empty Sidecar fails synth through analysis, with the construct path', () => {
    const { chart } = chartIn();
    new Sidecar(chart, 'sc');
    expect(synthError(chart)).toContain('[test/sc] IST0106 Schema validation error: Sidecar.spec: a Sidecar must set at least one of egress, ingress, outboundTrafficPolicy or inboundConnectionPool');
  });

  test('a port-less egress listener that is not last fails synth', () => {
    const { chart } = chartIn();
    new Sidecar(chart, 'sc', { egress: [{ hosts: [SidecarHost.sameNamespace()] }, { port: { number: 80 }, hosts: [SidecarHost.sameNamespace()] }] });
    expect(synthError(chart)).toContain('[test/sc] IST0106 Schema validation error: Sidecar.spec.egress[0]: only the last egress listener may omit its port (it catches all other ports) (give a port, or move this listener last)');
  });
});
