import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  Gateway, GatewayServer, Host, IstioAnalysis, IstioApi, IstioApiVersion, Protocol, ServerCertificate, ServerTlsMode,
  TlsProtocolVersion, VirtualService, WorkloadSelector,
} from '../../src';
import { chartIn, ofKind, synth, synthError } from '../util';

describe('Gateway', () => {
  test('an HTTPS gateway with an HTTP->HTTPS redirect renders minimal, ordered YAML', () => {
    const { chart } = chartIn('shop');
    new Gateway(chart, 'public', {
      metadata: { name: 'public' },
      selector: WorkloadSelector.labels({ istio: 'ingressgateway' }),
      servers: [
        GatewayServer.https({ hosts: ['shop.example.com'], certificate: ServerCertificate.fromSecret('shop-cert') }),
        GatewayServer.httpsRedirect({ hosts: ['shop.example.com'] }),
      ],
    });
    expect(synth(chart)).toEqual([{
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'public', namespace: 'shop' },
      spec: {
        selector: { istio: 'ingressgateway' },
        servers: [
          {
            hosts: ['shop.example.com'],
            port: { name: 'https-443', number: 443, protocol: 'HTTPS' },
            tls: { credentialName: 'shop-cert', mode: 'SIMPLE' },
          },
          {
            hosts: ['shop.example.com'],
            port: { name: 'http-80', number: 80, protocol: 'HTTP' },
            tls: { httpsRedirect: true },
          },
        ],
      },
    }]);
  });

  test('defaults to the istio ingress gateway selector', () => {
    const { chart } = chartIn();
    new Gateway(chart, 'gw', { servers: [GatewayServer.http({ hosts: ['*'] })] });
    expect(ofKind(synth(chart), 'Gateway')[0].spec.selector).toEqual({ istio: 'ingressgateway' });
  });

  test('every server factory and TLS option', () => {
    const { chart } = chartIn('edge');
    const gw = new Gateway(chart, 'edge', { selector: WorkloadSelector.labels({ app: 'edge-gw' }) });
    gw.addServer(GatewayServer.http({ hosts: ['./a.example.com'], port: 8080, portName: 'http', name: 'plain', bind: '0.0.0.0' }));
    gw.addServer(GatewayServer.https({
      hosts: ['shop/*.example.com'],
      port: 8443,
      mode: ServerTlsMode.MUTUAL,
      certificate: ServerCertificate.fromFiles({ serverCertificate: '/etc/certs/tls.crt', privateKey: '/etc/certs/tls.key', caCertificates: '/etc/certs/ca.crt' }),
      minProtocolVersion: TlsProtocolVersion.TLSV1_2,
      maxProtocolVersion: TlsProtocolVersion.TLSV1_3,
      cipherSuites: ['ECDHE-ECDSA-AES256-GCM-SHA384'],
      subjectAltNames: ['spiffe://cluster.local/ns/shop/sa/client'],
    }));
    gw.addServer(GatewayServer.https({ hosts: ['b.example.com'], port: 9443, certificate: ServerCertificate.fromSecrets('rsa-cert', 'ecdsa-cert') }));
    gw.addServer(GatewayServer.https({ hosts: ['c.example.com'], port: 10443, mode: ServerTlsMode.OPTIONAL_MUTUAL, certificate: ServerCertificate.fromSecret('c-cert') }));
    gw.addServer(GatewayServer.tls({ hosts: ['db.example.com'], port: 15443 }));
    gw.addServer(GatewayServer.autoPassthrough({ hosts: ['*.local'], port: 16443 }));
    gw.addServer(GatewayServer.tcp({ hosts: ['*'], port: 31400 }));
    gw.addServer(GatewayServer.plain(Protocol.GRPC, { hosts: ['grpc.example.com'], port: 9000 }));
    gw.addServer(GatewayServer.https({ hosts: ['mesh.example.com'], port: 11443, mode: ServerTlsMode.ISTIO_MUTUAL }));
    const servers = ofKind(synth(chart), 'Gateway')[0].spec.servers;
    expect(servers.map((s: any) => [s.port.name, s.port.protocol, s.tls?.mode])).toEqual([
      ['http', 'HTTP', undefined],
      ['https-8443', 'HTTPS', 'MUTUAL'],
      ['https-9443', 'HTTPS', 'SIMPLE'],
      ['https-10443', 'HTTPS', 'OPTIONAL_MUTUAL'],
      ['tls-15443', 'TLS', 'PASSTHROUGH'],
      ['tls-16443', 'TLS', 'AUTO_PASSTHROUGH'],
      ['tcp-31400', 'TCP', undefined],
      ['grpc-9000', 'GRPC', undefined],
      ['https-11443', 'HTTPS', 'ISTIO_MUTUAL'],
    ]);
    expect(servers[0]).toEqual({ bind: '0.0.0.0', hosts: ['./a.example.com'], name: 'plain', port: { name: 'http', number: 8080, protocol: 'HTTP' } });
    expect(servers[1].tls).toEqual({
      caCertificates: '/etc/certs/ca.crt',
      cipherSuites: ['ECDHE-ECDSA-AES256-GCM-SHA384'],
      maxProtocolVersion: 'TLSV1_3',
      minProtocolVersion: 'TLSV1_2',
      mode: 'MUTUAL',
      privateKey: '/etc/certs/tls.key',
      serverCertificate: '/etc/certs/tls.crt',
      subjectAltNames: ['spiffe://cluster.local/ns/shop/sa/client'],
    });
    expect(servers[2].tls).toEqual({ credentialNames: ['rsa-cert', 'ecdsa-cert'], mode: 'SIMPLE' });
    expect(gw.hosts).toEqual(['./a.example.com', 'shop/*.example.com', 'b.example.com', 'c.example.com', 'db.example.com', '*.local', '*', 'grpc.example.com', 'mesh.example.com']);
  });

  test('selector from a cdk8s-plus Deployment', () => {
    const { chart } = chartIn('ingress');
    const deploy = new kplus.Deployment(chart, 'gw-pods', { containers: [{ image: 'istio/proxyv2' }] });
    new Gateway(chart, 'gw', { selector: WorkloadSelector.fromWorkload(deploy), servers: [GatewayServer.http({ hosts: ['*'] })] });
    const gw = ofKind(synth(chart), 'Gateway')[0];
    const pods = ofKind(Testing.synth(chart), 'Deployment')[0];
    expect(gw.spec.selector).toEqual(pods.spec.selector.matchLabels);
  });

  test('references are written bare in the same namespace, ns/name elsewhere, mesh as mesh', () => {
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const other = new Chart(app, 'other', { namespace: 'other' });
    const gw = new Gateway(shop, 'public', { servers: [GatewayServer.http({ hosts: ['*'] })] });
    const gateways = [gw, Gateway.fromName('ingress', { namespace: 'istio-system' }), Gateway.fromName('local'), Gateway.MESH];
    IstioAnalysis.of(app).declareHosts('istio-system/ingress', 'shop/local', 'other/local');
    new VirtualService(shop, 'here', { hosts: [Host.fromName('a.example.com')], gateways }).addHttpRoute('ok', { directResponse: { status: 200 } });
    new VirtualService(other, 'there', { hosts: [Host.fromName('b.example.com')], gateways }).addHttpRoute('ok', { directResponse: { status: 200 } });
    expect(ofKind(Testing.synth(shop), 'VirtualService')[0].spec.gateways).toEqual(['public', 'istio-system/ingress', 'local', 'mesh']);
    expect(ofKind(Testing.synth(other), 'VirtualService')[0].spec.gateways).toEqual(['shop/public', 'istio-system/ingress', 'local', 'mesh']);
    expect([gw.gatewayName, gw.gatewayNamespace]).toEqual(['public', 'shop']);
    expect([Gateway.MESH.gatewayName, Gateway.MESH.gatewayNamespace]).toEqual(['mesh', undefined]);
  });

  test('the default name is the construct id, so references and messages read as written', () => {
    const { chart } = chartIn('shop');
    new Gateway(chart, 'public', { servers: [GatewayServer.http({ hosts: ['*'] })] });
    new Gateway(chart, 'InternalEdge', { selector: WorkloadSelector.labels({ app: 'internal' }), servers: [GatewayServer.http({ hosts: ['*'] })] });
    expect(ofKind(synth(chart), 'Gateway').map(g => g.metadata.name)).toEqual(['public', 'internal-edge']);
  });

  test('two Gateways of one name in one namespace fail synth once, naming both constructs', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'shop' });
    const b = new Chart(app, 'b', { namespace: 'shop' });
    new Gateway(a, 'public', { servers: [GatewayServer.http({ hosts: ['*'] })] });
    new Gateway(b, 'public', { servers: [GatewayServer.http({ hosts: ['*'] })] });
    const message = synthError(b)!;
    expect(message).toContain('[b/public] Gateway.metadata.name: a/public already defines a Gateway of this name in namespace "shop", so one would replace the other in the cluster (got "public"; give one of them another construct id or metadata.name)');
    expect(message.split('already defines').length).toBe(2);
  });

  test('emits v1beta1 when the app selects the legacy API', () => {
    const app = Testing.app();
    IstioApi.useVersion(app, IstioApiVersion.V1BETA1);
    const chart = new Chart(app, 'c');
    new Gateway(chart, 'gw', { servers: [GatewayServer.http({ hosts: ['*'] })] });
    expect(synth(chart)[0].apiVersion).toBe('networking.istio.io/v1beta1');
  });

  test('a server without hosts throws at once', () => {
    expect(() => GatewayServer.http({ hosts: [] })).toThrow(
      'GatewayServer.hosts: a server must expose at least one host (got []; e.g. ["shop.example.com"] or ["*"])');
  });

});
