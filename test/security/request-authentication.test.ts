import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  IstioAnalysis, JwksSource, Operation, PolicyTargetRef, RequestAuthentication, WorkloadSelector,
} from '../../src';
import { chartIn, synth, synthError } from '../util';

const ingress = WorkloadSelector.labels({ istio: 'ingressgateway' });

describe('RequestAuthentication', () => {
  test('a JWT rule with every field, and requireJwt for one path: exact output', () => {
    const { app, chart } = chartIn('istio-system');
    const ra = new RequestAuthentication(chart, 'jwt', {
      metadata: { name: 'workshop-jwt' },
      selector: ingress,
      jwtRules: [{
        issuer: 'https://auth.example.com',
        audiences: ['workshop'],
        jwks: JwksSource.fromUri('https://auth.example.com/.well-known/jwks.json'),
        fromHeaders: [{ name: 'x-jwt', prefix: 'Bearer ' }, { name: 'x-token' }],
        fromParams: ['token'],
        fromCookies: ['session'],
        outputPayloadToHeader: 'x-jwt-payload',
        outputClaimToHeaders: [{ claim: 'sub', header: 'x-user' }],
        forwardOriginalToken: true,
        timeout: Duration.seconds(3),
        spaceDelimitedClaims: ['roles'],
      }],
    });
    ra.requireJwt({ to: [Operation.paths('/api/*')] });
    expect(synth(chart)).toEqual([
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'RequestAuthentication',
        metadata: { name: 'workshop-jwt', namespace: 'istio-system' },
        spec: {
          selector: { matchLabels: { istio: 'ingressgateway' } },
          jwtRules: [{
            issuer: 'https://auth.example.com',
            audiences: ['workshop'],
            jwksUri: 'https://auth.example.com/.well-known/jwks.json',
            fromHeaders: [{ name: 'x-jwt', prefix: 'Bearer ' }, { name: 'x-token' }],
            fromParams: ['token'],
            fromCookies: ['session'],
            outputPayloadToHeader: 'x-jwt-payload',
            outputClaimToHeaders: [{ claim: 'sub', header: 'x-user' }],
            forwardOriginalToken: true,
            timeout: '3s',
            spaceDelimitedClaims: ['roles'],
          }],
        },
      },
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name: 'workshop-jwt-require-jwt', namespace: 'istio-system', annotations: { 'galley.istio.io/analyze-suppress': 'IST0133' } },
        spec: {
          action: 'DENY',
          selector: { matchLabels: { istio: 'ingressgateway' } },
          rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }], to: [{ operation: { paths: ['/api/*'] } }] }],
        },
      },
    ]);
    // The suppressed IST0133 is the only finding Istio would have: nothing else is printed.
    expect(IstioAnalysis.of(app).diagnostics).toEqual([]);
  });

  test('keys are written as jwksUri (not the binding\'s jwks_uri) in sorted order, and inline jwks as given', () => {
    const { chart } = chartIn('shop');
    const jwks = '{"keys":[{"kty":"RSA","e":"AQAB","n":"abc"}]}';
    new RequestAuthentication(chart, 'ra', { jwtRules: [{ issuer: 'a', jwks: JwksSource.fromUri('https://a/jwks') }] })
      .addJwtRule({ issuer: 'b', jwks: JwksSource.fromJson(jwks) });
    const rules = synth(chart)[0].spec.jwtRules;
    expect(rules).toEqual([{ issuer: 'a', jwksUri: 'https://a/jwks' }, { issuer: 'b', jwks }]);
    expect(Object.keys(rules[0])).toEqual(['issuer', 'jwksUri']);
  });

  test('requireJwt without options covers every request; targetRefs carry over', () => {
    const { chart } = chartIn('shop');
    const svc = new kplus.Service(chart, 'svc', { metadata: { name: 'api' }, ports: [{ port: 80 }] });
    const ra = new RequestAuthentication(chart, 'ra', { metadata: { name: 'api' }, targetRefs: [PolicyTargetRef.fromResource(svc)], jwtRules: [{ issuer: 'https://auth.example.com' }] });
    const policy = ra.requireJwt({ metadata: { name: 'api-needs-token', labels: { team: 'a' } } });
    const out = synth(chart).find(o => o.kind === 'AuthorizationPolicy');
    expect(policy.node.path).toBe('test/ra/RequireJwt');
    expect(out.metadata).toEqual({ name: 'api-needs-token', namespace: 'shop', labels: { team: 'a' }, annotations: { 'galley.istio.io/analyze-suppress': 'IST0133' } });
    expect(out.spec).toEqual({
      action: 'DENY',
      targetRefs: [{ group: '', kind: 'Service', name: 'api' }],
      rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }] }],
    });
  });

  test('an empty JWT rule reaches the manifest and fails synth (analysis)', () => {
    const { chart } = chartIn('shop');
    new RequestAuthentication(chart, 'ra', { jwtRules: [{}] });
    expect(synthError(chart)).toContain('[test/ra] IST0106 Schema validation error: RequestAuthentication.spec.jwtRules[0]: a JWT rule needs an issuer or a jwksUri (set issuer (keys are then discovered) or jwksUri)');
  });

  test('a jwksUri that is not http(s) fails synth (analysis)', () => {
    const { chart } = chartIn('shop');
    new RequestAuthentication(chart, 'ra', { jwtRules: [{ issuer: 'a', jwks: JwksSource.fromUri('ftp://a/jwks') }] });
    expect(synthError(chart)).toContain('[test/ra] IST0106 Schema validation error: RequestAuthentication.spec.jwtRules[0].jwksUri: url must have scheme http:// or https:// (got "ftp://a/jwks")');
  });

  test('a timeout below 1ms throws where the rule is given, naming the construct', () => {
    const { chart } = chartIn('shop');
    expect(() => new RequestAuthentication(chart, 'ra', { jwtRules: [{ issuer: 'a', timeout: Duration.millis(0.5) }] })).toThrow('[test/ra] RequestAuthentication.spec.jwtRules[0].timeout: Istio durations must be a whole number of milliseconds, at least 1ms (got "0.5ms"; e.g. Duration.millis(250) or Duration.seconds(5))');
  });

  test('a target in another namespace fails synth at the construct', () => {
    const { chart } = chartIn('shop');
    const svc = new kplus.Service(chart, 'svc', { metadata: { name: 'api', namespace: 'other' }, ports: [{ port: 80 }] });
    new RequestAuthentication(chart, 'ra', { targetRefs: [PolicyTargetRef.fromResource(svc)], jwtRules: [{ issuer: 'a' }] });
    expect(synthError(chart)).toContain('[test/ra] RequestAuthentication.spec.targetRefs[0]: a policy can only target resources in its own namespace (got "test/svc is in namespace other"; namespace shop)');
  });
});
