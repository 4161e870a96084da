import { Chart, Testing } from 'cdk8s';
import {
  DestinationRule, RouteDestination, ServiceEntry, ServiceEntryLocation, ServiceEntryResolution, ServicePort, Protocol,
  VirtualService, WorkloadSelector,
} from '../../src';
import { chartIn, ofKind, synth, synthError, synthErrors } from '../util';

describe('ServiceEntry', () => {
  test('an external HTTPS API renders minimal YAML (defaults left to Istio)', () => {
    const { chart } = chartIn('shop');
    new ServiceEntry(chart, 'github', { metadata: { name: 'github' }, hosts: ['api.github.com'], ports: [ServicePort.https(443)] });
    expect(synth(chart)).toEqual([{
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'github', namespace: 'shop' },
      spec: { hosts: ['api.github.com'], ports: [{ name: 'https-443', number: 443, protocol: 'HTTPS' }] },
    }]);
  });

  test('every field: ports of each factory, location, resolution, endpoints, exportTo, subjectAltNames', () => {
    const { chart } = chartIn('shop');
    const se = new ServiceEntry(chart, 'db', {
      metadata: { name: 'db' },
      hosts: ['db.internal.example.com'],
      addresses: ['10.1.0.0/16'],
      ports: [ServicePort.tcp(5432, { name: 'postgres', targetPort: 15432 }), ServicePort.http(80), ServicePort.grpc(9000), ServicePort.tls(8443), ServicePort.http2(8080)],
      location: ServiceEntryLocation.MESH_INTERNAL,
      resolution: ServiceEntryResolution.STATIC,
      endpoints: [{ address: '10.1.0.5', ports: { postgres: 25432 }, labels: { version: 'v1' }, network: 'net1', locality: 'eu/west/a', weight: 2, serviceAccount: 'db' }],
      exportTo: ['.'],
      subjectAltNames: ['spiffe://cluster.local/ns/shop/sa/db'],
    });
    se.addPort(ServicePort.of(Protocol.MONGO, 27017)).addEndpoint({ address: '10.1.0.6' });
    se.addPort(ServicePort.sniffed(7000));
    const spec = ofKind(synth(chart), 'ServiceEntry')[0].spec;
    expect(spec).toEqual({
      hosts: ['db.internal.example.com'],
      addresses: ['10.1.0.0/16'],
      ports: [
        { name: 'postgres', number: 5432, protocol: 'TCP', targetPort: 15432 },
        { name: 'http-80', number: 80, protocol: 'HTTP' },
        { name: 'grpc-9000', number: 9000, protocol: 'GRPC' },
        { name: 'tls-8443', number: 8443, protocol: 'TLS' },
        { name: 'http2-8080', number: 8080, protocol: 'HTTP2' },
        { name: 'mongo-27017', number: 27017, protocol: 'MONGO' },
        { name: 'port-7000', number: 7000 },
      ],
      location: 'MESH_INTERNAL',
      resolution: 'STATIC',
      endpoints: [
        { address: '10.1.0.5', ports: { postgres: 25432 }, labels: { version: 'v1' }, network: 'net1', locality: 'eu/west/a', weight: 2, serviceAccount: 'db' },
        { address: '10.1.0.6' },
      ],
      exportTo: ['.'],
      subjectAltNames: ['spiffe://cluster.local/ns/shop/sa/db'],
    });
  });

  test('workloadSelector renders as labels', () => {
    const { chart } = chartIn('shop');
    new ServiceEntry(chart, 'vm', {
      hosts: ['vm.shop.svc.cluster.local'],
      ports: [ServicePort.http(80)],
      location: ServiceEntryLocation.MESH_INTERNAL,
      resolution: ServiceEntryResolution.STATIC,
      workloadSelector: WorkloadSelector.labels({ app: 'vm' }),
    });
    expect(ofKind(synth(chart), 'ServiceEntry')[0].spec.workloadSelector).toEqual({ labels: { app: 'vm' } });
  });

  test('se.host() makes it a routing target whose ports are checked, written as declared from anywhere', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'shop' });
    const other = new Chart(app, 'other', { namespace: 'other' });
    const se = new ServiceEntry(chart, 'g', { hosts: ['www.googleapis.com'], ports: [ServicePort.http(80), ServicePort.https(443)], resolution: ServiceEntryResolution.DNS });
    const host = se.host();
    expect(host.hostname).toBe('www.googleapis.com');
    expect(host.ports).toEqual([80, 443]);
    expect(host.namespace).toBe('shop');
    expect([se.hosts, se.portNumbers]).toEqual([['www.googleapis.com'], [80, 443]]);
    new DestinationRule(other, 'dr', { host });
    expect(ofKind(Testing.synth(other), 'DestinationRule')[0].spec.host).toBe('www.googleapis.com');
    new DestinationRule(chart, 'dr', { host: se.host() });
    new VirtualService(chart, 'vs', { hosts: [host] }).addHttpRoute('bad-port', { to: [RouteDestination.to(host, { port: 8080 })] });
    expect(synthErrors(chart)).toEqual(['[test/vs] IST0101 Referenced host:port not found: "www.googleapis.com:8080". VirtualService.spec.http[0].route[0].destination.port.number: port 8080 is not a port of "www.googleapis.com" (got "www.googleapis.com:8080"; one of 80, 443)']);
  });

  test('se.host() needs the host when there are several, and one that exists', () => {
    const { chart } = chartIn();
    const se = new ServiceEntry(chart, 'apt', { hosts: ['deb.debian.org'], ports: [ServicePort.http(80)] }).addHost('security.debian.org');
    expect(() => se.host()).toThrow(
      '[test/apt] ServiceEntry.spec.hosts: the entry declares several hosts, so name the one to use (got ["deb.debian.org","security.debian.org"]; serviceEntry.host(hostname))');
    expect(() => se.host('example.com')).toThrow('[test/apt] ServiceEntry.spec.hosts: the entry does not declare this host (got "example.com"; one of deb.debian.org, security.debian.org)');
    expect(se.host('security.debian.org').hostname).toBe('security.debian.org');
  });

  test('an empty endpoint fails synth with the construct path (it would vanish from the output)', () => {
    const { chart } = chartIn();
    new ServiceEntry(chart, 'se', { hosts: ['a.example.com'], resolution: ServiceEntryResolution.STATIC, endpoints: [{}] });
    expect(synthError(chart)).toContain('[test/se] ServiceEntry.spec.endpoints[0]: an endpoint needs an address or a network (got {}; e.g. { address: "10.0.0.5" })');
  });

  test('Istio\'s rules are judged by analysis at synth, with the construct path', () => {
    const { chart } = chartIn();
    new ServiceEntry(chart, 'se', { hosts: ['a.example.com', 'b.example.com'], ports: [ServicePort.tcp(9000)], resolution: ServiceEntryResolution.DNS });
    expect(synthError(chart)).toContain('[test/se] IST0106 Schema validation error: ServiceEntry.spec.ports[0].protocol: with resolution DNS and several hosts, every port must be HTTP-family or TLS-family (got "TCP"; HTTP, HTTP2, HTTP_PROXY, GRPC, GRPC-WEB, HTTPS or TLS; or one ServiceEntry per host)');
  });
});
