import * as kplus from 'cdk8s-plus-33';
import { IstioAnalysis, JwksSource, Operation, Source, WorkloadSelector, ZeroTrustNamespace } from '../../src';
import { chartIn, ofKind, synth } from '../util';

function workshop() {
  const { chart } = chartIn('workshop');
  const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'frontend' } });
  const app = new kplus.Deployment(chart, 'app', {
    metadata: { name: 'workshop-app' },
    podMetadata: { labels: { app: 'workshop-app' } },
    containers: [{ image: 'ghcr.io/example/workshop-app:v1', portNumber: 8080, securityContext: { user: 1000 } }],
  });
  return { chart, sa, app };
}

describe('ZeroTrustNamespace', () => {
  test('STRICT mTLS, allow-nothing, and one least-privilege policy per allowed call', () => {
    const { chart, sa, app } = workshop();
    const zt = new ZeroTrustNamespace(chart, 'zt');
    zt.allowFrom(Source.serviceAccount(sa), app, Operation.methods('GET'), Operation.paths('/healthz'));
    zt.allowFromToLabels(Source.namespaces('istio-system'), WorkloadSelector.labels({ app: 'workshop-app' }), Operation.ports(8080));
    const out = synth(chart);
    expect(ofKind(out, 'PeerAuthentication')).toEqual([{
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace: 'workshop' },
      spec: { mtls: { mode: 'STRICT' } },
    }]);
    const policies = ofKind(out, 'AuthorizationPolicy');
    expect(policies.map(p => p.metadata.name)).toEqual(['allow-nothing', 'zt-allow1', 'zt-allow2']);
    expect(policies[0].spec).toEqual({});
    expect(policies[1].spec).toEqual({
      selector: { matchLabels: ofKind(out, 'Deployment')[0].spec.selector.matchLabels },
      rules: [{
        from: [{ source: { principals: ['cluster.local/ns/workshop/sa/frontend'] } }],
        to: [{ operation: { methods: ['GET'] } }, { operation: { paths: ['/healthz'] } }],
      }],
    });
    expect(policies[2].spec.rules).toEqual([{ from: [{ source: { namespaces: ['istio-system'] } }], to: [{ operation: { ports: ['8080'] } }] }]);
    expect(IstioAnalysis.analyze(out, { declaredNamespaces: ['istio-system'] }).filter(d => d.level !== 'info')).toEqual([]);
  });

  test('requireJwt adds the RequestAuthentication and the DENY policy for requests without a token', () => {
    const { chart } = workshop();
    const zt = new ZeroTrustNamespace(chart, 'zt');
    zt.requireJwt({
      jwtRules: [{ issuer: 'https://auth.example.com', jwks: JwksSource.fromUri('https://auth.example.com/jwks.json') }],
      selector: WorkloadSelector.labels({ app: 'workshop-app' }),
      to: [Operation.paths('/api/*')],
    });
    const out = synth(chart);
    expect(ofKind(out, 'RequestAuthentication')[0].spec).toEqual({
      selector: { matchLabels: { app: 'workshop-app' } },
      jwtRules: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/jwks.json' }],
    });
    const deny = ofKind(out, 'AuthorizationPolicy').find(p => p.spec?.action === 'DENY');
    expect(deny.spec.rules).toEqual([{ from: [{ source: { notRequestPrincipals: ['*'] } }], to: [{ operation: { paths: ['/api/*'] } }] }]);
  });

  test('an explicit namespace is written on every object', () => {
    const { chart } = chartIn();
    const zt = new ZeroTrustNamespace(chart, 'zt', { namespace: 'payments' });
    zt.allowFromToLabels(Source.namespaces('shop'), WorkloadSelector.labels({ app: 'pay' }), Operation.methods('POST'));
    expect(synth(chart).map(o => o.metadata.namespace)).toEqual(['payments', 'payments', 'payments']);
  });

  test('allowing everything from a caller is refused at once', () => {
    const { chart, sa, app } = workshop();
    const zt = new ZeroTrustNamespace(chart, 'zt');
    expect(() => zt.allowFrom(Source.serviceAccount(sa), app)).toThrow(
      'ZeroTrustNamespace.allowFrom: name the operations to allow; allowing everything from a caller is not least privilege '
      + '(got []; e.g. allowFrom(source, workload, Operation.methods("GET")))');
  });
});
