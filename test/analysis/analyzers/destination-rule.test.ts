import { deploy, istio, run, svc } from './helpers';

const dr = (name: string, spec: any) => istio('DestinationRule', name, 'default', spec);

describe('destinationrule.CaCertificateAnalyzer', () => {
  const A = 'destinationrule.CaCertificateAnalyzer';
  test('IST0128 and IST0129 for TLS origination without caCertificates', () => {
    expect(run(A, [dr('db', { host: 'db.example.com', trafficPolicy: { tls: { mode: 'SIMPLE' }, portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'MUTUAL' } }] } })])).toEqual([
      'IST0128 warning DestinationRule default/db: DestinationRule.spec.trafficPolicy.tls: TLS mode SIMPLE without caCertificates: the server certificate of db.example.com is not verified (set caCertificates (or credentialName with a workloadSelector))',
      'IST0129 warning DestinationRule default/db: DestinationRule.spec.trafficPolicy.portLevelSettings[0].tls: TLS mode MUTUAL on port 443 without caCertificates: the server certificate of db.example.com is not verified (set caCertificates (or credentialName with a workloadSelector))',
    ]);
  });
  test('near miss: caCertificates set, ISTIO_MUTUAL, or credentialName with a workloadSelector', () => {
    expect(run(A, [
      dr('a', { host: 'a', trafficPolicy: { tls: { mode: 'SIMPLE', caCertificates: '/ca.pem' } } }),
      dr('b', { host: 'b', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } }),
      dr('c', { host: 'c', workloadSelector: { matchLabels: { app: 'c' } }, trafficPolicy: { tls: { mode: 'SIMPLE', credentialName: 'cred' } } }),
    ])).toEqual([]);
  });
});

describe('destinationrule.PodNotSelectedAnalyzer', () => {
  const A = 'destinationrule.PodNotSelectedAnalyzer';
  const reviews = svc('reviews', 'default', [{ name: 'http', port: 9080 }], { spec: { selector: { app: 'reviews' } } });
  const v1 = deploy('reviews-v1', 'default', { app: 'reviews', version: 'v1' });
  test('IST0173 for a subset that selects no workload (complete mode)', () => {
    expect(run(A, [reviews, v1, dr('reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] })], { complete: true })).toEqual([
      'IST0173 error DestinationRule default/reviews: DestinationRule.spec.subsets[1]: subset "v2" selects no workload (Pod or pod template) in the analysed manifests (got {"version":"v2"}; match the labels of the workloads behind the host)',
    ]);
  });
  test('near miss: partial mode does not guess, whether or not the input holds workloads (pods may be deployed elsewhere)', () => {
    const only = [reviews, dr('reviews', { host: 'reviews', subsets: [{ name: 'v2', labels: { version: 'v2' } }] })];
    expect(run(A, only)).toEqual([]);
    expect(run(A, [v1, ...only])).toEqual([]);
    expect(run(A, only, { complete: true })).toHaveLength(1);
  });
  test('IST0174 for a host nothing defines, in a namespace the input describes', () => {
    expect(run(A, [reviews, dr('bogus', { host: 'bogus' })])).toEqual([
      'IST0174 warning DestinationRule default/bogus: DestinationRule.spec.host: host "bogus" matches no Service or ServiceEntry visible from namespace default in the analysed manifests (got "bogus"; if it exists outside these manifests, declare it (IstioAnalysis.of(app).declareHosts / declareNamespaces))',
    ]);
    expect(run(A, [reviews, dr('bogus', { host: 'bogus' })], { declaredHosts: ['bogus'] })).toEqual([]);
  });
});
