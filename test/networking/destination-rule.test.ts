import { Duration } from 'cdk8s';
import * as kplus33 from 'cdk8s-plus-33';
import {
  ClientTls, DestinationRule, H2UpgradePolicy, HashAlgorithm, HashKey, Host, LoadBalancer, Percent, ProxyProtocolVersion,
  TunnelProtocol, WorkloadSelector,
} from '../../src';
import { chartIn, ofKind, synth } from '../util';


describe('DestinationRule', () => {
  test('subsets with ISTIO_MUTUAL, host from a cdk8s-plus Service', () => {
    const { chart } = chartIn('bookinfo');
    const svc = new kplus33.Service(chart, 'reviews-svc', { metadata: { name: 'reviews' }, ports: [{ port: 9080 }] });
    const dr = new DestinationRule(chart, 'reviews', { metadata: { name: 'reviews' }, host: Host.fromService(svc), trafficPolicy: { tls: ClientTls.istioMutual() } });
    dr.addSubset('v1', { labels: { version: 'v1' } });
    dr.addSubset('v2', { labels: { version: 'v2' }, trafficPolicy: { loadBalancer: LoadBalancer.random() } });
    expect(ofKind(synth(chart), 'DestinationRule')).toEqual([{
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'reviews', namespace: 'bookinfo' },
      spec: {
        host: 'reviews',
        subsets: [
          { labels: { version: 'v1' }, name: 'v1' },
          { labels: { version: 'v2' }, name: 'v2', trafficPolicy: { loadBalancer: { simple: 'RANDOM' } } },
        ],
        trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
      },
    }]);
  });

  test('every simple load balancer and consistent hash key/algorithm', () => {
    const { chart } = chartIn('lb');
    const cases: Array<[LoadBalancer, any]> = [
      [LoadBalancer.roundRobin(), { simple: 'ROUND_ROBIN' }],
      [LoadBalancer.leastRequest(), { simple: 'LEAST_REQUEST' }],
      [LoadBalancer.random(), { simple: 'RANDOM' }],
      [LoadBalancer.passthrough(), { simple: 'PASSTHROUGH' }],
      [LoadBalancer.consistentHash({ key: HashKey.header('x-user') }), { consistentHash: { httpHeaderName: 'x-user' } }],
      [LoadBalancer.consistentHash({ key: HashKey.sourceIp(), algorithm: HashAlgorithm.maglev(65537) }),
        { consistentHash: { maglev: { tableSize: 65537 }, useSourceIp: true } }],
      [LoadBalancer.consistentHash({ key: HashKey.queryParameter('u'), algorithm: HashAlgorithm.ringHash(2048) }), { consistentHash: { httpQueryParameterName: 'u', ringHash: { minimumRingSize: 2048 } } }],
      [LoadBalancer.consistentHash({ key: HashKey.cookie('session', { ttl: Duration.minutes(30), path: '/', attributes: [{ name: 'SameSite', value: 'Strict' }, { name: 'Secure' }] }) }),
        { consistentHash: { httpCookie: { attributes: [{ name: 'SameSite', value: 'Strict' }, { name: 'Secure' }], name: 'session', path: '/', ttl: '1800s' } } }],
      [LoadBalancer.consistentHash({ key: HashKey.cookie('s', { ttl: Duration.seconds(0) }), algorithm: HashAlgorithm.ringHash() }), { consistentHash: { httpCookie: { name: 's', ttl: '0s' } } }],
    ];
    cases.forEach(([lb], i) => new DestinationRule(chart, `dr${i}`, { host: Host.fromName(`h${i}`), trafficPolicy: { loadBalancer: lb } }));
    const out = ofKind(synth(chart), 'DestinationRule').map(d => d.spec.trafficPolicy.loadBalancer);
    expect(out).toEqual(cases.map(c => c[1]));
  });

  test('locality, warmup, connection pool, outlier detection, port level, proxy protocol, tunnel, retry budget', () => {
    const { chart } = chartIn('ops');
    new DestinationRule(chart, 'dr', {
      host: Host.fromName('api.ops.svc.cluster.local'),
      exportTo: ['.'],
      trafficPolicy: {
        loadBalancer: LoadBalancer.roundRobin({
          locality: { enabled: true, distribute: [{ from: 'us-west/zone1/*', to: { 'us-west/zone1/*': 80, 'us-west/zone2/*': 20 } }] },
          warmup: { duration: Duration.seconds(60), minimumPercent: Percent.of(10), aggression: 2 },
        }),
        connectionPool: {
          tcp: {
            maxConnections: 100,
            connectTimeout: Duration.millis(500),
            tcpKeepalive: { time: Duration.hours(2), interval: Duration.seconds(75), probes: 9 },
            maxConnectionDuration: Duration.hours(1),
            idleTimeout: Duration.millis(0),
          },
          http: {
            http1MaxPendingRequests: 10,
            http2MaxRequests: 100,
            maxRequestsPerConnection: 1,
            maxRetries: 3,
            idleTimeout: Duration.seconds(30),
            h2UpgradePolicy: H2UpgradePolicy.DO_NOT_UPGRADE,
            useClientProtocol: true,
            maxConcurrentStreams: 50,
          },
        },
        outlierDetection: {
          consecutive5xxErrors: 0,
          consecutiveGatewayErrors: 5,
          consecutiveLocalOriginFailures: 3,
          splitExternalLocalOriginErrors: true,
          interval: Duration.seconds(10),
          baseEjectionTime: Duration.seconds(30),
          maxEjectionPercent: 50,
          minHealthPercent: 20,
        },
        portLevelSettings: [{ port: 443, tls: ClientTls.simple({ sni: 'api.example.com', caCertificates: '/etc/ca.pem', subjectAltNames: ['api.example.com'] }) }],
        proxyProtocol: ProxyProtocolVersion.V2,
        retryBudget: { percent: Percent.of(25), minRetryConcurrency: 5 },
      },
    });
    new DestinationRule(chart, 'tunnel', {
      host: Host.external('ext.example.com'),
      trafficPolicy: {
        tunnel: { targetHost: 'proxy.example.com', targetPort: 3128, protocol: TunnelProtocol.CONNECT },
        loadBalancer: LoadBalancer.defaultAlgorithm({ locality: { failover: [{ from: 'us-east', to: 'us-west' }], failoverPriority: ['topology.istio.io/network'] } }),
        outlierDetection: { consecutive5xxErrors: 5 },
      },
    });
    const [a, b] = ofKind(synth(chart), 'DestinationRule').map(d => d.spec);
    expect(a).toEqual({
      exportTo: ['.'],
      host: 'api.ops.svc.cluster.local',
      trafficPolicy: {
        connectionPool: {
          http: { h2UpgradePolicy: 'DO_NOT_UPGRADE', http1MaxPendingRequests: 10, http2MaxRequests: 100, idleTimeout: '30s', maxConcurrentStreams: 50, maxRequestsPerConnection: 1, maxRetries: 3, useClientProtocol: true },
          tcp: { connectTimeout: '500ms', idleTimeout: '0s', maxConnectionDuration: '3600s', maxConnections: 100, tcpKeepalive: { interval: '75s', probes: 9, time: '7200s' } },
        },
        loadBalancer: {
          localityLbSetting: { distribute: [{ from: 'us-west/zone1/*', to: { 'us-west/zone1/*': 80, 'us-west/zone2/*': 20 } }], enabled: true },
          simple: 'ROUND_ROBIN',
          warmup: { aggression: 2, duration: '60s', minimumPercent: 10 },
        },
        outlierDetection: { baseEjectionTime: '30s', consecutive5xxErrors: 0, consecutiveGatewayErrors: 5, consecutiveLocalOriginFailures: 3, interval: '10s', maxEjectionPercent: 50, minHealthPercent: 20, splitExternalLocalOriginErrors: true },
        portLevelSettings: [{ port: { number: 443 }, tls: { caCertificates: '/etc/ca.pem', mode: 'SIMPLE', sni: 'api.example.com', subjectAltNames: ['api.example.com'] } }],
        proxyProtocol: { version: 'V2' },
        retryBudget: { minRetryConcurrency: 5, percent: 25 },
      },
    });
    expect(b.trafficPolicy.tunnel).toEqual({ protocol: 'CONNECT', targetHost: 'proxy.example.com', targetPort: 3128 });
    expect(b.trafficPolicy.loadBalancer).toEqual({ localityLbSetting: { failover: [{ from: 'us-east', to: 'us-west' }], failoverPriority: ['topology.istio.io/network'] } });
  });

  test('client TLS modes and workload selector', () => {
    const { chart } = chartIn('egress');
    const tls = [
      ClientTls.istioMutual({ sni: 'a.local', subjectAltNames: ['spiffe://cluster.local/ns/a/sa/b'] }),
      ClientTls.simple({ credentialName: 'ext-ca' }),
      ClientTls.simple({ insecureSkipVerify: true }),
      ClientTls.mutual({ clientCertificate: '/c.pem', privateKey: '/k.pem', caCertificates: '/ca.pem' }),
      ClientTls.mutual({ credentialName: 'client-cert', sni: 'x.example.com' }),
      ClientTls.disable(),
    ];
    tls.forEach((t, i) => new DestinationRule(chart, `dr${i}`, { host: Host.fromName(`h${i}.example.com`), trafficPolicy: { tls: t } }));
    new DestinationRule(chart, 'sel', { host: Host.fromName('x'), exportTo: ['.'], selector: WorkloadSelector.labels({ app: 'client' }), trafficPolicy: { tls: ClientTls.istioMutual() } });
    const specs = ofKind(synth(chart), 'DestinationRule').map(d => d.spec);
    expect(specs.slice(0, 6).map(s => s.trafficPolicy.tls)).toEqual([
      { mode: 'ISTIO_MUTUAL', sni: 'a.local', subjectAltNames: ['spiffe://cluster.local/ns/a/sa/b'] },
      { credentialName: 'ext-ca', mode: 'SIMPLE' },
      { insecureSkipVerify: true, mode: 'SIMPLE' },
      { caCertificates: '/ca.pem', clientCertificate: '/c.pem', mode: 'MUTUAL', privateKey: '/k.pem' },
      { credentialName: 'client-cert', mode: 'MUTUAL', sni: 'x.example.com' },
      { mode: 'DISABLE' },
    ]);
    expect(tls.map(t => t.mode)).toEqual(['ISTIO_MUTUAL', 'SIMPLE', 'SIMPLE', 'MUTUAL', 'MUTUAL', 'DISABLE']);
    expect(specs[6].workloadSelector).toEqual({ matchLabels: { app: 'client' } });
  });

  test('bad durations throw where the policy is written', () => {
    const { chart } = chartIn();
    expect(() => new DestinationRule(chart, 'a', { host: Host.fromName('a'), trafficPolicy: { outlierDetection: { interval: Duration.millis(0.5) } } })).toThrow(
      '[test/a] DestinationRule.spec.trafficPolicy.outlierDetection.interval: Istio durations must be a whole number of milliseconds, at least 1ms (got "0.5ms"');
    const dr = new DestinationRule(chart, 'b', { host: Host.fromName('b') });
    expect(() => dr.addSubset('v1', { labels: { v: '1' }, trafficPolicy: { connectionPool: { tcp: { connectTimeout: Duration.millis(0) } } } })).toThrow(
      '[test/b] DestinationRule.spec.subsets[0].trafficPolicy.connectionPool.tcp.connectTimeout: Istio durations must be a whole number of milliseconds');
    expect(() => LoadBalancer.roundRobin({ warmup: { duration: Duration.millis(0) } })).toThrow('LoadBalancer.warmup.duration');
  });
});
