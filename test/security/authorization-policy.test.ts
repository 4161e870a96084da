import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus28 from 'cdk8s-plus-28';
import * as kplus33 from 'cdk8s-plus-33';
import {
  AuthorizationAction, AuthorizationPolicy, Condition, IstioAnalysis, Operation, PolicyTargetRef, Principal, Source, WorkloadSelector,
} from '../../src';
import { detailWithFix } from '../../src/analysis/messages';
import { chartIn, synth, synthError } from '../util';

const app = WorkloadSelector.labels({ app: 'workshop-app' });

describe('AuthorizationPolicy', () => {
  test('GET only, from one service account: exact output', () => {
    const { chart } = chartIn('workshop');
    const sa = new kplus33.ServiceAccount(chart, 'sa', { metadata: { name: 'workshop-app' } });
    new AuthorizationPolicy(chart, 'get', {
      metadata: { name: 'workshop-app-get' },
      selector: app,
      action: AuthorizationAction.ALLOW,
      rules: [{ from: [Source.serviceAccount(sa)], to: [Operation.methods('GET')] }],
    });
    expect(synth(chart).filter(o => o.kind === 'AuthorizationPolicy')).toEqual([{
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'workshop-app-get', namespace: 'workshop' },
      spec: {
        action: 'ALLOW',
        selector: { matchLabels: { app: 'workshop-app' } },
        rules: [{
          from: [{ source: { principals: ['cluster.local/ns/workshop/sa/workshop-app'] } }],
          to: [{ operation: { methods: ['GET'] } }],
        }],
      },
    }]);
  });

  test.each([
    ['cdk8s-plus-28', (c: Chart) => new kplus28.ServiceAccount(c, 'sa', { metadata: { name: 'reader', namespace: 'tools' } })],
    ['cdk8s-plus-33', (c: Chart) => new kplus33.ServiceAccount(c, 'sa', { metadata: { name: 'reader', namespace: 'tools' } })],
    ['a raw ApiObject', (c: Chart) => new ApiObject(c, 'sa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reader', namespace: 'tools' } })],
  ])('Source.serviceAccount reads a %s ServiceAccount; the trust domain is configurable', (_name, make) => {
    const { chart } = chartIn('shop');
    const sa = make(chart);
    new AuthorizationPolicy(chart, 'p', {
      rules: [{ from: [Source.serviceAccount(sa), Source.serviceAccount(sa, { trustDomain: 'prod.example.com' }), Source.notServiceAccount(sa)] }],
    });
    const policy = synth(chart).find(o => o.kind === 'AuthorizationPolicy');
    expect(policy.spec.rules[0].from).toEqual([
      { source: { principals: ['cluster.local/ns/tools/sa/reader'] } },
      { source: { principals: ['prod.example.com/ns/tools/sa/reader'] } },
      { source: { notPrincipals: ['cluster.local/ns/tools/sa/reader'] } },
    ]);
  });

  test('every source, operation and condition form; and() combines fields into one entry', () => {
    const { chart } = chartIn('shop');
    const p = new AuthorizationPolicy(chart, 'p', { metadata: { name: 'p' } });
    p.addRule({
      from: [
        Source.principals(Principal.of('cluster.local/ns/a/sa/b')).and(Source.namespaces('a')).and(Source.ipBlocks('10.0.0.0/8')).and(Source.remoteIpBlocks('1.2.3.4'))
          .and(Source.requestPrincipals('iss/sub')).and(Source.notPrincipals(Principal.of('x'))).and(Source.notNamespaces('y')).and(Source.notIpBlocks('10.1.0.0/16'))
          .and(Source.notRemoteIpBlocks('5.6.7.8')).and(Source.notRequestPrincipals('iss/bad')).and(Source.trustDomains('td')).and(Source.notTrustDomains('other')),
        Source.serviceAccountNames('ns/sa', 'sa').and(Source.notServiceAccountNames('ns/bad')),
        Source.principals(Principal.forServiceAccount('sa', { namespace: 'ns' }), Principal.of('spiffe-like/*')).and(Source.notPrincipals(Principal.of('bad'))),
        Source.of({ principals: [Principal.of('p')], requestPrincipals: ['r'] }),
      ],
      to: [
        Operation.methods('GET', 'HEAD').and(Operation.paths('/api/*', '/v1/{*}/items')).and(Operation.hosts('shop.example.com')).and(Operation.ports(8080))
          .and(Operation.notMethods('DELETE')).and(Operation.notPaths('/admin/*')).and(Operation.notHosts('*.internal')).and(Operation.notPorts(9090)),
        Operation.of({ paths: ['/health'], ports: [80] }),
      ],
      when: [
        Condition.requestClaim('groups', ['admin']),
        Condition.nestedRequestClaim(['realm', 'roles'], ['ops']),
        Condition.requestHeader('x-env', ['dev']).except('prod'),
        Condition.sourceIp(['10.0.0.0/8']),
        Condition.remoteIp(['1.2.3.4']),
        Condition.destinationIp(['10.1.1.1']),
        Condition.destinationPort([8080]),
        Condition.sourceNamespace(['a']),
        Condition.sourcePrincipal(['cluster.local/ns/a/sa/b']),
        Condition.sourceServiceAccount(['a/b']),
        Condition.sourceTrustDomain(['cluster.local']),
        Condition.requestPrincipal(['iss/sub']),
        Condition.requestAudiences(['api']),
        Condition.requestPresenter(['web']),
        Condition.connectionSni(['shop.example.com']),
        Condition.notOf('experimental.envoy.filters.network.mysql_proxy[db.table]', ['[update]']),
        Condition.match('request.headers[x-a]', { values: ['1'], notValues: ['2'] }),
      ],
    });
    expect(synth(chart)[0].spec).toMatchSnapshot();
  });

  test('allowNothing renders an empty spec in the chart namespace, or a given one', () => {
    const { chart } = chartIn('shop');
    AuthorizationPolicy.allowNothing(chart, 'none');
    AuthorizationPolicy.allowNothing(chart, 'other', { metadata: { name: 'lockdown', namespace: 'other' } });
    expect(synth(chart).map(o => [o.metadata.namespace, o.metadata.name, o.spec])).toEqual([
      ['shop', 'allow-nothing', {}],
      ['other', 'lockdown', {}],
    ]);
  });

  test('denyAll renders DENY with one empty rule; allowAll an ALLOW with one empty rule', () => {
    const { chart } = chartIn('shop');
    AuthorizationPolicy.denyAll(chart, 'deny', { selector: app });
    AuthorizationPolicy.allowAll(chart, 'allow');
    expect(synth(chart).map(o => [o.metadata.name, o.spec])).toEqual([
      ['deny-all', { action: 'DENY', selector: { matchLabels: { app: 'workshop-app' } }, rules: [{}] }],
      ['allow-all', { rules: [{}] }],
    ]);
  });

  test('an ALLOW rule that matches everything, added any other way, fails synth', () => {
    const { chart } = chartIn('shop');
    new AuthorizationPolicy(chart, 'p', { rules: [{ to: [Operation.methods('GET')] }] }).addRule({});
    expect(synthError(chart)).toContain('[test/p] AuthorizationPolicy.spec.rules[1]: an ALLOW rule without from, to or when allows every request to the workloads in scope (got {}; narrow it with from/to/when, or state it on purpose with AuthorizationPolicy.allowAll())');
  });

  test('an empty rule is fine for DENY, AUDIT and CUSTOM', () => {
    const { chart } = chartIn('shop');
    new AuthorizationPolicy(chart, 'audit', { action: AuthorizationAction.AUDIT, rules: [{}] });
    new AuthorizationPolicy(chart, 'ext', { action: AuthorizationAction.custom('ext-authz'), selector: app, rules: [{}] });
    expect(synth(chart).map(o => o.spec)).toEqual([
      { action: 'AUDIT', rules: [{}] },
      { action: 'CUSTOM', provider: { name: 'ext-authz' }, selector: { matchLabels: { app: 'workshop-app' } }, rules: [{}] },
    ]);
  });

  test('targetRefs: typed references and references read from constructs', () => {
    const { chart } = chartIn('shop');
    const svc = new kplus33.Service(chart, 'svc', { metadata: { name: 'web' }, ports: [{ port: 80 }] });
    const gw = new ApiObject(chart, 'gw', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'waypoint' },
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    });
    new AuthorizationPolicy(chart, 'p', {
      metadata: { name: 'p' },
      targetRefs: [
        PolicyTargetRef.fromResource(svc), PolicyTargetRef.fromResource(gw), PolicyTargetRef.service('api'),
        PolicyTargetRef.serviceEntry('ext'), PolicyTargetRef.gateway('ingress'), PolicyTargetRef.gatewayClass('istio-waypoint'),
      ],
      rules: [{ to: [Operation.methods('GET')] }],
    });
    expect(synth(chart).find(o => o.kind === 'AuthorizationPolicy').spec.targetRefs).toEqual([
      { group: '', kind: 'Service', name: 'web' },
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' },
      { group: '', kind: 'Service', name: 'api' },
      { group: 'networking.istio.io', kind: 'ServiceEntry', name: 'ext' },
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'ingress' },
      { group: 'gateway.networking.k8s.io', kind: 'GatewayClass', name: 'istio-waypoint' },
    ]);
  });

  test('a target of another kind throws at once; one in another namespace fails synth', () => {
    const { chart } = chartIn('shop');
    const cm = new kplus33.ConfigMap(chart, 'cm');
    expect(() => PolicyTargetRef.fromResource(cm)).toThrow('[test/cm] PolicyTargetRef.fromResource: a policy can target a Service, ServiceEntry, Gateway API Gateway or GatewayClass (got ConfigMap of group "")');
    const svc = new kplus33.Service(chart, 'svc', { metadata: { name: 'web', namespace: 'other' }, ports: [{ port: 80 }] });
    new AuthorizationPolicy(chart, 'p', { targetRefs: [PolicyTargetRef.fromResource(svc)], rules: [{ to: [Operation.methods('GET')] }] });
    expect(synthError(chart)).toContain('[test/p] AuthorizationPolicy.spec.targetRefs[0]: a policy can only target resources in its own namespace (got "test/svc is in namespace other"; namespace shop)');
  });

  test('selector and targetRefs together fail synth (analysis)', () => {
    const { chart } = chartIn('shop');
    new AuthorizationPolicy(chart, 'p', { selector: app, targetRefs: [PolicyTargetRef.service('web')], rules: [{ to: [Operation.methods('GET')] }] });
    expect(synthError(chart)).toContain('[test/p] IST0106 Schema validation error: AuthorizationPolicy.spec: only one of targetRefs or selector can be set');
  });

  test('a source without fields reaches the manifest and fails synth (analysis), instead of vanishing', () => {
    const { chart } = chartIn('shop');
    new AuthorizationPolicy(chart, 'p', { rules: [{ from: [Source.principals()] }] });
    expect(synthError(chart)).toContain('[test/p] IST0106 Schema validation error: AuthorizationPolicy.spec.rules[0].from[0].source: each "from" entry needs a source with at least one field (got {}; e.g. principals, namespaces or ipBlocks)');
  });

  test('serviceAccounts with principals in one source fails synth (analysis)', () => {
    const { chart } = chartIn('shop');
    new AuthorizationPolicy(chart, 'p', { rules: [{ from: [Source.serviceAccountNames('sa').and(Source.principals(Principal.of('p')))] }] });
    expect(synthError(chart)).toContain('[test/p] IST0106 Schema validation error: AuthorizationPolicy.spec.rules[0].from[0].source: Cannot set serviceAccounts with namespaces or principals');
  });

  test('a DENY policy without rules fails synth (analysis)', () => {
    const { chart } = chartIn('shop');
    new AuthorizationPolicy(chart, 'p', { action: AuthorizationAction.DENY });
    expect(synthError(chart)).toContain('[test/p] IST0106 Schema validation error: AuthorizationPolicy.spec.rules: a DENY policy without rules never matches, so it denies nothing (rules: [{}] to deny every request, or rules that say what to deny)');
  });

  test('Condition keys Istio does not accept throw at once', () => {
    expect(() => Condition.of('destination.namespace', ['a'])).toThrow(
      'Condition.key: the key destination.namespace is not supported: use the policy\'s metadata.namespace instead (got "destination.namespace"; source.ip, remote.ip, destination.ip, destination.port, source.namespace, source.principal, source.serviceAccount, source.trustDomain, request.auth.principal, request.auth.audiences, request.auth.presenter, connection.sni, request.headers[<name>], request.auth.claims[<name>], experimental.envoy.filters.<filter>[<key>])');
    expect(() => Condition.of('request.headers', ['a'])).toThrow('Condition.key: the key request.headers needs a name in brackets, e.g. request.headers[x-user] or request.auth.claims[groups]');
    expect(() => Condition.requestClaim('', ['a'])).toThrow('Condition.key: the key request.auth.claims[] needs a name in brackets');
    expect(() => Condition.of('destination.labels[app]', ['a'])).toThrow('Condition.key: the key destination.labels[app] is not supported: use a selector instead');
    expect(() => Condition.of('source.user', ['a'])).toThrow('Condition.key: unknown condition key source.user');
  });

  test('a condition value Istio rejects fails synth (analysis)', () => {
    const { chart } = chartIn('shop');
    new AuthorizationPolicy(chart, 'p', { rules: [{ when: [Condition.destinationPort([70000]), Condition.sourceIp(['10.0.0.0/33'])] }] });
    const err = synthError(chart);
    expect(err).toContain('[test/p] IST0106 Schema validation error: AuthorizationPolicy.spec.rules[0].when[0].values[0]: a port must be a number from 0 to 65535, written as a string (got "70000")');
    expect(err).toContain('[test/p] IST0106 Schema validation error: AuthorizationPolicy.spec.rules[0].when[1].values[0]: an address must be a valid CIDR prefix, e.g. 10.0.0.0/16 (got "10.0.0.0/33"; e.g. 10.0.0.1, 10.0.0.0/16 or 2001:db8::/32)');
  });

  test('a ServiceAccount without a namespace cannot name an identity', () => {
    const { chart } = chartIn();
    const sa = new kplus33.ServiceAccount(chart, 'sa', { metadata: { name: 'lost' } });
    new AuthorizationPolicy(chart, 'p', { rules: [{ from: [Source.serviceAccount(sa)] }] });
    expect(synthError(chart)).toContain('[test/sa] Principal.fromServiceAccount: the ServiceAccount "lost" has no namespace, so its identity is unknown (set metadata.namespace on it or a namespace on its chart)');
  });

  test('principal literals are checked at once', () => {
    expect(() => Principal.of('')).toThrow('Principal: a principal must not be empty (got "")');
    expect(() => Principal.forServiceAccount('sa', { namespace: '' })).toThrow('Principal: a service account identity needs a namespace and a name (got "/sa")');
    expect(() => Source.principals('cluster.local/ns/a/sa/b' as unknown as Principal)).toThrow(
      'Source.principals: a principal must be a Principal (got "cluster.local/ns/a/sa/b"; Principal.of("cluster.local/ns/shop/sa/checkout") or Principal.fromServiceAccount(sa))');
    expect(() => Principal.forServiceAccount('sa', { namespace: 'ns', trustDomain: 'a/b' })).toThrow('PrincipalOptions.trustDomain: a trust domain is a DNS-like name without "/" or "*" (got "a/b"; e.g. cluster.local)');
    expect(() => Source.serviceAccount(new Chart(Testing.app(), 'c'))).toThrow('[c] expected a Kubernetes object or a construct whose default child is one (such as a cdk8s-plus ServiceAccount)');
  });

  test('a DENY rule on HTTP attributes only warns (IST0133) but synthesizes', () => {
    const { app: theApp, chart } = chartIn('shop');
    new AuthorizationPolicy(chart, 'p', { action: AuthorizationAction.DENY, rules: [{ to: [Operation.paths('/admin/*')] }] });
    synth(chart);
    expect(IstioAnalysis.of(theApp).diagnostics.map(d => `${d.code} ${detailWithFix(d)}`)).toEqual([
      'IST0133 AuthorizationPolicy.spec.rules[0]: this DENY rule names operations without ports, so for TCP traffic it matches, and denies, every connection in scope (add ports/notPorts to the operations)',
    ]);
  });
});
