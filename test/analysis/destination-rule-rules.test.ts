// Every DestinationRule rule of VALIDATION-RULES.md section 4, one case per rule group, with the exact
// diagnostics (level, code, message) the engine reports for a DestinationRule in namespace `shop`.
import { Duration } from 'cdk8s';
import { DestinationRule, Host, LoadBalancer } from '../../src';
import { chartIn, synthError } from '../util';
import { webhookOnly } from './webhook-only';
import { detailWithFix } from '../../src/analysis/messages';

function diagnose(spec: any): string[] {
  const obj = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'dr', namespace: 'shop' }, spec };
  return webhookOnly([obj]).map(d => `${d.level} ${d.code} ${detailWithFix(d)}`);
}

const CASES: Array<[string, any]> = [
  ['valid: everything at once', {
    host: 'reviews',
    exportTo: ['.'],
    workloadSelector: { matchLabels: { app: 'client' } },
    trafficPolicy: {
      loadBalancer: {
        consistentHash: { httpCookie: { name: 's', ttl: '0s', attributes: [{ name: 'SameSite', value: 'Lax' }] }, maglev: { tableSize: 65537 } },
        localityLbSetting: { failover: [{ from: 'us-east', to: 'us-west' }] },
        warmup: { duration: '60s', minimumPercent: 10, aggression: 1.5 },
      },
      connectionPool: { tcp: { maxConnections: 1, connectTimeout: '1s', idleTimeout: '0s', tcpKeepalive: { time: '2h', interval: '75s', probes: 9 } }, http: { h2UpgradePolicy: 'UPGRADE', idleTimeout: '30s' } },
      outlierDetection: { consecutive5xxErrors: 0, consecutiveLocalOriginFailures: 2, splitExternalLocalOriginErrors: true, interval: '10s', maxEjectionPercent: 100 },
      tls: { mode: 'SIMPLE', credentialName: 'ca' },
      portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'MUTUAL', clientCertificate: '/c', privateKey: '/k', caCertificates: '/ca' } }],
      tunnel: { targetHost: '10.0.0.1', targetPort: 3128, protocol: 'CONNECT' },
    },
    subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' }, trafficPolicy: { loadBalancer: { simple: 'RANDOM' } } }],
  }],
  ['host', { host: '10.0.0.1' }],
  ['bad host', { host: 'a..b' }],
  ['subsets', { host: 'a', subsets: [{ name: 'Bad_Name', labels: { version: 'v1' } }, { name: 'v1', labels: { 'bad key!': 'x' } }, { name: 'v1', trafficPolicy: {} }] }],
  ['exportTo and workloadSelector', { host: 'a', exportTo: ['other', '*'], workloadSelector: { matchLabels: { 'a*': 'b', 'c': 'd*' } } }],
  ['empty workloadSelector', { host: 'a', workloadSelector: {} }],
  ['empty policy, tunnel + proxyProtocol', { host: 'a', trafficPolicy: { tunnel: { targetHost: 'a..b', targetPort: 0, protocol: 'GET' }, proxyProtocol: { version: 'V3' } } }],
  ['port level', { host: 'a', trafficPolicy: { portLevelSettings: [{ tls: { mode: 'DISABLE' } }, { port: { number: 80 } }] } }],
  ['connection pool', { host: 'a', trafficPolicy: { connectionPool: {} } }],
  ['connection pool values', {
    host: 'a',
    trafficPolicy: {
      connectionPool: {
        http: { http1MaxPendingRequests: -1, maxRetries: -2, h2UpgradePolicy: 'UPGRADE', useClientProtocol: true, idleTimeout: '0s', http2KeepAlive: { interval: '1s' } },
        tcp: { maxConnections: -1, connectTimeout: '500us', maxConnectionDuration: 'forever', idleTimeout: '1500us', tcpKeepalive: { time: '0s', interval: '1.5ms' } },
      },
    },
  }],
  ['outlier detection', { host: 'a', trafficPolicy: { outlierDetection: { interval: '0s', baseEjectionTime: '1x', maxEjectionPercent: 101, minHealthPercent: -1, consecutiveLocalOriginFailures: 3, consecutiveErrors: 5 } } }],
  ['consistent hash', { host: 'a', trafficPolicy: { loadBalancer: { consistentHash: { httpCookie: { attributes: [{ name: '' }, { name: 'a' }, { name: 'a' }] }, minimumRingSize: 1024, ringHash: {} } } } }],
  ['maglev', { host: 'a', trafficPolicy: { loadBalancer: { consistentHash: { useSourceIp: true, maglev: { tableSize: 65536 } } } }, subsets: [{ name: 'v1', labels: { v: '1' }, trafficPolicy: { loadBalancer: { consistentHash: { useSourceIp: true, maglev: {} } } } }] }],
  ['locality distribute', {
    host: 'a',
    trafficPolicy: {
      outlierDetection: { interval: '1s' },
      loadBalancer: {
        localityLbSetting: {
          distribute: [
            { from: 'us-west/*', to: { 'us-west/z1/*': 60, 'us-east/*': 30 } },
            { from: 'us-west/z2', to: { 'us//x': 100 } },
            { from: 'a/*/b', to: { 'eu/*': 0, 'eu/z1': 100 } },
          ],
          failover: [{ from: 'a', to: 'b' }],
        },
      },
    },
  }],
  ['locality failover', { host: 'a', trafficPolicy: { loadBalancer: { localityLbSetting: { failover: [{ from: 'us-east', to: 'us-east' }, { from: 'us/z1', to: 'eu*' }], failoverPriority: ['topology.kubernetes.io/region'] } } } }],
  ['warmup', { host: 'a', trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN', warmup: { minimumPercent: 101, aggression: 0 } } } }],
  ['warmup duration', { host: 'a', trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN', warmup: { duration: '0.5ms' } } } }],
  ['client tls', {
    host: 'a',
    trafficPolicy: {
      portLevelSettings: [
        { port: { number: 1 }, tls: { mode: 'SIMPLE', insecureSkipVerify: true, caCertificates: '/ca', credentialName: 'c', subjectAltNames: ['x'] } },
        { port: { number: 2 }, tls: { mode: 'MUTUAL', insecureSkipVerify: true, subjectAltNames: ['x'], credentialName: 'c' } },
        { port: { number: 3 }, tls: { mode: 'MUTUAL', credentialName: 'c', clientCertificate: '/c', privateKey: '/k', caCrl: '/crl' } },
        { port: { number: 4 }, tls: { mode: 'MUTUAL', clientCertificate: '/c' } },
        { port: { number: 5 }, tls: { mode: 'SIMPLE', credentialName: 'configmap://other/ca' } },
      ],
    },
  }],
];


const EXPECTED: Record<string, string[]> = {
  'valid: everything at once': [],
  'host': [
    'error IST0106 DestinationRule.spec.host: a host must be a hostname, not an IP address (got "10.0.0.1"; a short name ("reviews"), an FQDN ("reviews.shop.svc.cluster.local") or a wildcard domain ("*.example.com"))',
  ],
  'bad host': [
    'error IST0106 DestinationRule.spec.host: a hostname must not contain empty labels ("..") (got "a..b"; a short name ("reviews"), an FQDN ("reviews.shop.svc.cluster.local") or a wildcard domain ("*.example.com"))',
  ],
  'subsets': [
    'error IST0106 DestinationRule.spec.subsets[0].name: a subset name must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit (got "Bad_Name")',
    'error IST0106 DestinationRule.spec.subsets[1].labels.bad key!: a label name must be at most 63 characters, alphanumeric at both ends, with "-", "_" or "." inside (got "x"; Kubernetes label syntax without "*")',
    'error IST0106 DestinationRule.spec.subsets[2].name: duplicate subset name (got "v1"; unique subset names)',
    'error IST0106 DestinationRule.spec.subsets[2].trafficPolicy: a traffic policy must set something (got {}; loadBalancer, connectionPool, outlierDetection, tls, portLevelSettings, tunnel, proxyProtocol, retryBudget)',
  ],
  'exportTo and workloadSelector': [
    'error IST0106 DestinationRule.spec.exportTo: "*" must be the only exportTo entry (got ["other","*"]; ["*"] alone, or a list of namespaces)',
    'error IST0106 DestinationRule.spec.exportTo: a DestinationRule with a workloadSelector may be exported only to its own namespace (got ["other","*"]; ["."])',
    'error IST0106 DestinationRule.spec.workloadSelector.matchLabels.a*: a selector key must be non-empty and without "*" (got "a*")',
    'error IST0106 DestinationRule.spec.workloadSelector.matchLabels.c: a selector value must not contain "*" (got "d*"; an exact label value)',
  ],
  'empty workloadSelector': [
    'warning IST0133 DestinationRule.spec.workloadSelector.matchLabels: a selector without labels selects every workload in the namespace (got {}; set labels, or drop the selector to mean the namespace)',
  ],
  'empty policy, tunnel + proxyProtocol': [
    'error IST0106 DestinationRule.spec.trafficPolicy: tunnel and proxyProtocol cannot be combined (got ["tunnel","proxyProtocol"])',
    'error IST0106 DestinationRule.spec.trafficPolicy.tunnel.protocol: unknown tunnel protocol (got "GET"; CONNECT or POST)',
    'error IST0106 DestinationRule.spec.trafficPolicy.tunnel.targetHost: a hostname must not contain empty labels ("..") (got "a..b"; an FQDN or IP address)',
    'error IST0106 DestinationRule.spec.trafficPolicy.tunnel.targetPort: a port must be an integer from 1 to 65535 (got 0)',
    'error IST0106 DestinationRule.spec.trafficPolicy.proxyProtocol.version: unknown PROXY protocol version (got "V3"; V1 or V2)',
  ],
  'port level': [
    'error IST0106 DestinationRule.spec.trafficPolicy.portLevelSettings[0].port: a port-level setting needs a port (got nothing)',
    'error IST0106 DestinationRule.spec.trafficPolicy.portLevelSettings[1]: a port-level setting must set outlierDetection, connectionPool, loadBalancer or tls (got {"port":{"number":80}})',
  ],
  'connection pool': [
    'error IST0106 DestinationRule.spec.trafficPolicy.connectionPool: a connection pool needs tcp and/or http settings (got {})',
  ],
  'connection pool values': [
    'error IST0106 DestinationRule.spec.trafficPolicy.connectionPool.http.http1MaxPendingRequests: http1MaxPendingRequests must not be negative (got -1)',
    'error IST0106 DestinationRule.spec.trafficPolicy.connectionPool.http.maxRetries: maxRetries must not be negative (got -2)',
    'error IST0106 DestinationRule.spec.trafficPolicy.connectionPool.http: h2UpgradePolicy UPGRADE cannot be combined with useClientProtocol (got {"http1MaxPendingRequests":-1,"maxRetries":-2,"h2UpgradePolicy":"UPGRADE","useClientProtocol":true,"idleTimeout":"0s"...; one of the two)',
    'error IST0106 DestinationRule.spec.trafficPolicy.connectionPool.http.idleTimeout: a duration must be at least 1ms (got "0s"; e.g. "250ms" or "5s")',
    'error IST0106 DestinationRule.spec.trafficPolicy.connectionPool.http.http2KeepAlive: http2KeepAlive needs both interval and timeout (got {"interval":"1s"})',
    'error IST0106 DestinationRule.spec.trafficPolicy.connectionPool.tcp.maxConnections: maxConnections must not be negative (got -1)',
    'error IST0106 DestinationRule.spec.trafficPolicy.connectionPool.tcp.connectTimeout: a duration must be at least 1ms (got "500us"; e.g. "250ms" or "5s")',
    'error IST0106 DestinationRule.spec.trafficPolicy.connectionPool.tcp.maxConnectionDuration: a duration must be a Go duration such as "250ms", "5s" or "1h30m" (got "forever"; e.g. "250ms" or "5s")',
    'error IST0106 DestinationRule.spec.trafficPolicy.connectionPool.tcp.idleTimeout: a duration must be a whole number of milliseconds (got "1500us"; "0s" (disabled) or e.g. "250ms", "5s")',
    'error IST0106 DestinationRule.spec.trafficPolicy.connectionPool.tcp.tcpKeepalive.time: a duration must be at least 1ms (got "0s"; e.g. "250ms" or "5s")',
    'error IST0106 DestinationRule.spec.trafficPolicy.connectionPool.tcp.tcpKeepalive.interval: a duration must be a whole number of milliseconds (got "1.5ms"; e.g. "250ms" or "5s")',
  ],
  'outlier detection': [
    'error IST0106 DestinationRule.spec.trafficPolicy.outlierDetection.interval: a duration must be at least 1ms (got "0s"; e.g. "250ms" or "5s")',
    'error IST0106 DestinationRule.spec.trafficPolicy.outlierDetection.baseEjectionTime: a duration must be a Go duration such as "250ms", "5s" or "1h30m" (got "1x"; e.g. "250ms" or "5s")',
    'error IST0106 DestinationRule.spec.trafficPolicy.outlierDetection.maxEjectionPercent: a percentage must be between 0 and 100 (got 101)',
    'error IST0106 DestinationRule.spec.trafficPolicy.outlierDetection.minHealthPercent: a percentage must be between 0 and 100 (got -1)',
    'error IST0106 DestinationRule.spec.trafficPolicy.outlierDetection.consecutiveLocalOriginFailures: consecutiveLocalOriginFailures needs splitExternalLocalOriginErrors: true (got 3)',
    'warning IST0133 DestinationRule.spec.trafficPolicy.outlierDetection.consecutiveErrors: consecutiveErrors is deprecated (got 5; use consecutive5xxErrors)',
  ],
  'consistent hash': [
    'error IST0106 DestinationRule.spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.name: a hash cookie needs a name (got nothing)',
    'error IST0106 DestinationRule.spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes[0].name: a cookie attribute needs a name (got {"name":""})',
    'error IST0106 DestinationRule.spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes[2].name: duplicate cookie attribute (got "a")',
    'warning IST0133 DestinationRule.spec.trafficPolicy.loadBalancer.consistentHash.minimumRingSize: consistentHash.minimumRingSize is deprecated (got 1024; use ringHash.minimumRingSize)',
    'error IST0106 DestinationRule.spec.trafficPolicy.loadBalancer.consistentHash.minimumRingSize: the deprecated minimumRingSize cannot be combined with ringHash or maglev (got 1024)',
  ],
  'maglev': [
    'error IST0106 DestinationRule.spec.subsets[0].trafficPolicy.loadBalancer.consistentHash.maglev.tableSize: maglev needs a tableSize (got nothing; a prime below 5000011, e.g. 65537)',
    'error IST0106 DestinationRule.spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize: the maglev table size must be a prime below 5000011 (got 65536; e.g. 65537)',
  ],
  'locality distribute': [
    'error IST0106 DestinationRule.spec.trafficPolicy.loadBalancer.localityLbSetting: give either distribute or failover, not both (got {"distribute":[{"from":"us-west/*","to":{"us-west/z1/*":60,"us-east/*":30}},{"from":"us-west/z2","to":{"us//x":100}},...)',
    'error IST0106 DestinationRule.spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to: the weights of a distribute entry must add up to 100 (got 90; weights that sum to exactly 100)',
    'error IST0106 DestinationRule.spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[1].from: overlaps distribute[0].from "us-west/*" (got "us-west/z2")',
    'error IST0106 DestinationRule.spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[1].to.us//x: a locality must not have empty segments (got "us//x")',
    'error IST0106 DestinationRule.spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[2].from: a locality may hold one "*", only at the end (got "a/*/b")',
    'error IST0106 DestinationRule.spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[2].to.eu/*: a locality weight must be between 1 and 100 (got 0)',
  ],
  'locality failover': [
    'error IST0106 DestinationRule.spec.trafficPolicy.loadBalancer.localityLbSetting.failoverPriority: failover cannot be combined with a failoverPriority on region, zone or subzone labels (got ["topology.kubernetes.io/region"])',
    'error IST0106 DestinationRule.spec.trafficPolicy.loadBalancer.localityLbSetting.failover[0]: failover from and to must differ (got "us-east")',
    'error IST0106 DestinationRule.spec.trafficPolicy.loadBalancer.localityLbSetting.failover[1].from: failover regions must be a region only, without "/" or "*" (got "us/z1")',
    'error IST0106 DestinationRule.spec.trafficPolicy.loadBalancer.localityLbSetting.failover[1].to: failover regions must be a region only, without "/" or "*" (got "eu*")',
    'warning IST0133 DestinationRule.spec.trafficPolicy.loadBalancer.localityLbSetting: locality failover takes effect only with outlierDetection (got {"failover":[{"from":"us-east","to":"us-east"},{"from":"us/z1","to":"eu*"}],"failoverPriority":["topology.kubernetes....; add outlierDetection to the traffic policy)',
  ],
  'warmup': [
    'error IST0106 DestinationRule.spec.trafficPolicy.loadBalancer.warmup.duration: warmup needs a duration (got {"minimumPercent":101,"aggression":0})',
    'error IST0106 DestinationRule.spec.trafficPolicy.loadBalancer.warmup.minimumPercent: a percentage must be between 0 and 100 (got 101)',
    'error IST0106 DestinationRule.spec.trafficPolicy.loadBalancer.warmup.aggression: aggression must be above 0 (got 0; 1 for linear)',
  ],
  'warmup duration': [
    'error IST0106 DestinationRule.spec.trafficPolicy.loadBalancer.warmup.duration: a duration must be at least 1ms (got "0.5ms"; e.g. "250ms" or "5s")',
  ],
  'client tls': [
    'error IST0106 DestinationRule.spec.trafficPolicy.portLevelSettings[0].tls.insecureSkipVerify: insecureSkipVerify cannot be combined with caCertificates, credentialName, subjectAltNames (got ["caCertificates","credentialName","subjectAltNames"]; verification settings, or insecureSkipVerify alone)',
    'error IST0106 DestinationRule.spec.trafficPolicy.portLevelSettings[0].tls.credentialName: credentialName cannot be combined with caCertificates (got ["caCertificates"]; the secret holds them)',
    'error IST0106 DestinationRule.spec.trafficPolicy.portLevelSettings[1].tls.insecureSkipVerify: insecureSkipVerify cannot be combined with subjectAltNames (got ["subjectAltNames"]; verification settings, or insecureSkipVerify alone)',
    'error IST0106 DestinationRule.spec.trafficPolicy.portLevelSettings[2].tls.credentialName: credentialName cannot be combined with clientCertificate, privateKey, caCrl (got ["clientCertificate","privateKey","caCrl"]; the secret holds them)',
    'error IST0106 DestinationRule.spec.trafficPolicy.portLevelSettings[3].tls: MUTUAL TLS needs clientCertificate and privateKey, or a credentialName (got {"mode":"MUTUAL","clientCertificate":"/c"})',
    "error IST0106 DestinationRule.spec.trafficPolicy.portLevelSettings[4].tls.credentialName: a configmap:// credential must be in the DestinationRule's own namespace (got \"configmap://other/ca\")",
  ],
};

describe('DestinationRule webhook rules', () => {
  test.each(CASES.map(([title, spec]) => [title, spec]))('%s', (title, spec) => {
    expect(diagnose(spec)).toEqual(EXPECTED[title as string]);
  });
});

describe('DestinationRule rules at synth', () => {
  test('locality weights that do not sum to 100 fail synth with the construct path', () => {
    const { chart } = chartIn('shop');
    new DestinationRule(chart, 'dr', {
      host: Host.fromName('a'),
      trafficPolicy: { loadBalancer: LoadBalancer.roundRobin({ locality: { distribute: [{ from: 'eu/*', to: { 'eu/z1/*': 50, 'eu/z2/*': 40 } }] }, warmup: { duration: Duration.seconds(5), aggression: 0 } }) },
    });
    const err = synthError(chart);
    expect(err).toContain('[test/dr] IST0106 Schema validation error: DestinationRule.spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to: the weights of a distribute entry must add up to 100 (got 90; weights that sum to exactly 100)');
    expect(err).toContain('[test/dr] IST0106 Schema validation error: DestinationRule.spec.trafficPolicy.loadBalancer.warmup.aggression: aggression must be above 0 (got 0; 1 for linear)');
  });
});
