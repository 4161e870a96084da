import { webhookOnly } from './webhook-only';
import { detailWithFix } from '../../src/analysis/messages';

const obj = (kind: string, spec: any, metadata: any = {}) => ({ apiVersion: 'security.istio.io/v1', kind, metadata: { name: 'p', namespace: 'shop', ...metadata }, spec });
const authz = (spec: any, metadata?: any) => obj('AuthorizationPolicy', spec, metadata);
const pa = (spec: any) => obj('PeerAuthentication', spec);
const ra = (spec: any) => obj('RequestAuthentication', spec);

function findings(o: any): string[] {
  // The webhook's own rules; where the CRD also rejects the object, synth reports the CRD's message first.
  return webhookOnly([o]).map(d => `${d.code} ${d.level} ${detailWithFix(d)}`);
}

describe('PeerAuthentication rules', () => {
  test('valid policies have no findings', () => {
    expect(findings(pa({ mtls: { mode: 'STRICT' } }))).toEqual([]);
    expect(findings(pa({ selector: { matchLabels: { app: 'a' } }, mtls: { mode: 'PERMISSIVE' }, portLevelMtls: { 80: { mode: 'STRICT' }, 65535: { mode: 'DISABLE' } } }))).toEqual([]);
  });
  test.each([
    ['portLevelMtls without selector', { portLevelMtls: { 80: { mode: 'STRICT' } } },
      'IST0106 error PeerAuthentication.spec.portLevelMtls: portLevelMtls requires a selector with labels; mesh- and namespace-wide policies cannot set per-port modes (got ["80"]; add a selector, or move the ports to a workload policy)'],
    ['empty portLevelMtls', { selector: { matchLabels: { a: 'b' } }, portLevelMtls: {} },
      'IST0106 error PeerAuthentication.spec.portLevelMtls: portLevelMtls needs at least one port (got {}; omit it, or give e.g. {"8080": {mode: DISABLE}})'],
    ['port 0', { selector: { matchLabels: { a: 'b' } }, portLevelMtls: { 0: { mode: 'STRICT' } } },
      'IST0106 error PeerAuthentication.spec.portLevelMtls.0: a portLevelMtls key must be a port number from 1 to 65535 (got "0")'],
    ['non-numeric port', { selector: { matchLabels: { a: 'b' } }, portLevelMtls: { http: { mode: 'STRICT' } } },
      'IST0106 error PeerAuthentication.spec.portLevelMtls.http: a portLevelMtls key must be a port number from 1 to 65535 (got "http")'],
    ['wildcard selector value', { selector: { matchLabels: { app: 'a*' } } },
      'IST0106 error PeerAuthentication.spec.selector.matchLabels.app: a selector value must not contain "*" (got "a*"; an exact label value)'],
    ['wildcard selector key', { selector: { matchLabels: { 'a*': 'b' } } },
      'IST0106 error PeerAuthentication.spec.selector.matchLabels.a*: a selector key must be non-empty and without "*" (got "a*")'],
    ['empty selector key', { selector: { matchLabels: { '': 'b' } } },
      'IST0106 error PeerAuthentication.spec.selector.matchLabels.: a selector key must be non-empty and without "*" (got "")'],
    ['selector without labels', { selector: {} },
      'IST0133 warning PeerAuthentication.spec.selector.matchLabels: a selector without labels selects every workload in the namespace (got {}; set labels, or drop the selector to mean the namespace)'],
  ])('%s', (_name, spec, message) => {
    expect(findings(pa(spec))).toEqual([message]);
  });
});

describe('AuthorizationPolicy rules', () => {
  test('valid policies have no findings', () => {
    expect(findings(authz({}))).toEqual([]);
    expect(findings(authz({ action: 'DENY', rules: [{}] }))).toEqual([]);
    expect(findings(authz({ action: 'CUSTOM', provider: { name: 'ext' }, rules: [{ from: [{ source: { ipBlocks: ['10.0.0.0/8'] } }], to: [{ operation: { paths: ['/a/{*}/b/{**}'] } }] }] }))).toEqual([]);
    expect(findings(authz({ action: 'DENY', rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }], to: [{ operation: { ports: ['8080'] } }] }] }))).toEqual([]);
    expect(findings(authz({ targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }], rules: [{ to: [{ operation: { methods: ['GET'] } }] }] }))).toEqual([]);
  });

  const rule = (r: any) => ({ rules: [r] });
  test.each([
    ['provider without CUSTOM', { action: 'ALLOW', provider: { name: 'x' }, rules: [{}] },
      'IST0106 error AuthorizationPolicy.spec.provider: a provider is only allowed with action CUSTOM (got {"name":"x"}; action: CUSTOM, or remove the provider)'],
    ['CUSTOM without provider name', { action: 'CUSTOM', provider: {}, rules: [{}] },
      'IST0106 error AuthorizationPolicy.spec.provider.name: a CUSTOM policy needs the name of an extension provider (got ""; a provider declared in meshConfig.extensionProviders)'],
    ['CUSTOM without rules', { action: 'CUSTOM', provider: { name: 'x' } },
      'IST0106 error AuthorizationPolicy.spec.rules: a CUSTOM policy needs rules; it would never call the provider (rules: [{}] to send every request)'],
    ['CUSTOM with identity sources', { action: 'CUSTOM', provider: { name: 'x' }, rules: [{ from: [{ source: { principals: ['a'], ipBlocks: ['1.1.1.1'] } }] }] },
      'IST0106 error AuthorizationPolicy.spec.rules[0].from[0].source: a CUSTOM policy cannot match on identities: the external authorizer runs before they are checked (got ["principals"]; ipBlocks, remoteIpBlocks or operations)'],
    ['CUSTOM with a request.auth condition', { action: 'CUSTOM', provider: { name: 'x' }, rules: [{ when: [{ key: 'request.auth.claims[a]', values: ['b'] }] }] },
      'IST0106 error AuthorizationPolicy.spec.rules[0].when[0].key: a CUSTOM policy cannot use identity conditions: the external authorizer runs before they are checked (got "request.auth.claims[a]")'],
    ['DENY without rules', { action: 'DENY' },
      'IST0106 error AuthorizationPolicy.spec.rules: a DENY policy without rules never matches, so it denies nothing (rules: [{}] to deny every request, or rules that say what to deny)'],
    ['null rule', rule(null), 'IST0106 error AuthorizationPolicy.spec.rules[0]: a rule must not be null (got null; {} matches every request)'],
    ['empty from', rule({ from: [] }), 'IST0106 error AuthorizationPolicy.spec.rules[0].from: "from" must not be empty when present (got []; omit it to match any source)'],
    ['empty source', rule({ from: [{}] }), 'IST0106 error AuthorizationPolicy.spec.rules[0].from[0].source: each "from" entry needs a source with at least one field (got null; e.g. principals, namespaces or ipBlocks)'],
    ['serviceAccounts with namespaces', rule({ from: [{ source: { notServiceAccounts: ['a'], notNamespaces: ['b'] } }] }),
      'IST0106 error AuthorizationPolicy.spec.rules[0].from[0].source: serviceAccounts cannot be combined with principals or namespaces in one source (got ["notServiceAccounts","notNamespaces"]; put them in separate "from" entries)'],
    ['wildcard service account', rule({ from: [{ source: { serviceAccounts: ['ns/*'] } }] }),
      'IST0106 error AuthorizationPolicy.spec.rules[0].from[0].source.serviceAccounts[0]: a service account must not contain "*" (got "ns/*")'],
    ['service account with three parts', rule({ from: [{ source: { serviceAccounts: ['a/b/c'] } }] }),
      'IST0106 error AuthorizationPolicy.spec.rules[0].from[0].source.serviceAccounts[0]: a service account is "name" or "namespace/name" (got "a/b/c")'],
    ['too many service accounts', rule({ from: [{ source: { serviceAccounts: Array.from({ length: 17 }, (_, i) => `sa${i}`) } }] }),
      'IST0106 error AuthorizationPolicy.spec.rules[0].from[0].source.serviceAccounts: at most 16 service accounts per field (got 17)'],
    ['trust domain with a middle wildcard', rule({ from: [{ source: { trustDomains: ['a*b'] } }] }),
      'IST0106 error AuthorizationPolicy.spec.rules[0].from[0].source.trustDomains[0]: a "*" in a trust domain must be at the start or the end (got "a*b")'],
    ['trust domain with a slash', rule({ from: [{ source: { notTrustDomains: ['a/b'] } }] }),
      'IST0106 error AuthorizationPolicy.spec.rules[0].from[0].source.notTrustDomains[0]: a trust domain must not contain "/" (got "a/b")'],
    ['trust domain with two wildcards', rule({ from: [{ source: { trustDomains: ['*a*'] } }] }),
      'IST0106 error AuthorizationPolicy.spec.rules[0].from[0].source.trustDomains[0]: a trust domain may hold at most one "*" (got "*a*")'],
    ['bad ip block', rule({ from: [{ source: { remoteIpBlocks: ['1.2.3'] } }] }),
      'IST0106 error AuthorizationPolicy.spec.rules[0].from[0].source.remoteIpBlocks[0]: an address must be an IP address or CIDR prefix (got "1.2.3"; e.g. 10.0.0.1, 10.0.0.0/16 or 2001:db8::/32)'],
    ['empty principal', rule({ from: [{ source: { principals: [''] } }] }),
      'IST0106 error AuthorizationPolicy.spec.rules[0].from[0].source.principals[0]: an entry must not be an empty string (got "")'],
    ['empty to', rule({ to: [] }), 'IST0106 error AuthorizationPolicy.spec.rules[0].to: "to" must not be empty when present (got []; omit it to match any operation)'],
    ['empty operation', rule({ to: [{ operation: {} }] }), 'IST0106 error AuthorizationPolicy.spec.rules[0].to[0].operation: each "to" entry needs an operation with at least one field (got {}; e.g. methods, paths or ports)'],
    ['port out of range', rule({ to: [{ operation: { ports: ['65536'] } }] }),
      'IST0106 error AuthorizationPolicy.spec.rules[0].to[0].operation.ports[0]: a port must be a number from 0 to 65535, written as a string (got "65536")'],
    ['port not a number', rule({ to: [{ operation: { notPorts: ['http'] } }] }),
      'IST0106 error AuthorizationPolicy.spec.rules[0].to[0].operation.notPorts[0]: a port must be a number from 0 to 65535, written as a string (got "http")'],
    ['operator after {**}', rule({ to: [{ operation: { paths: ['/{**}/a/{*}'] } }] }),
      'IST0106 error AuthorizationPolicy.spec.rules[0].to[0].operation.paths[0]: in a path template, {**} must be the last operator (got "/{**}/a/{*}")'],
    ['partial template segment', rule({ to: [{ operation: { notPaths: ['/a/{id}'] } }] }),
      'IST0106 error AuthorizationPolicy.spec.rules[0].to[0].operation.notPaths[0]: path template segment "{id}" is not allowed: use {*} or {**} as a whole segment (got "/a/{id}")'],
    ['bad literal in a template', rule({ to: [{ operation: { paths: ['/a b/{*}'] } }] }),
      'IST0106 error AuthorizationPolicy.spec.rules[0].to[0].operation.paths[0]: path template segment "a b" has characters outside [a-zA-Z0-9-._~%!$&\'()+,;:@=] (got "/a b/{*}")'],
    ['empty method', rule({ to: [{ operation: { methods: ['GET', ''] } }] }),
      'IST0106 error AuthorizationPolicy.spec.rules[0].to[0].operation.methods[1]: an entry must not be an empty string (got "")'],
    ['condition without values', rule({ when: [{ key: 'source.ip' }] }), 'IST0106 error AuthorizationPolicy.spec.rules[0].when[0]: a condition needs values or notValues'],
    ['unknown condition key', rule({ when: [{ key: 'destination.name', values: ['a'] }] }),
      'IST0106 error AuthorizationPolicy.spec.rules[0].when[0].key: the key destination.name is not supported: use a selector or targetRefs instead (got "destination.name"; source.ip, remote.ip, destination.ip, destination.port, source.namespace, source.principal, source.serviceAccount, source.trustDomain, request.auth.principal, request.auth.audiences, request.auth.presenter, connection.sni, request.headers[<name>], request.auth.claims[<name>], experimental.envoy.filters.<filter>[<key>])'],
    ['claim key without brackets', rule({ when: [{ key: 'request.auth.claims.groups', values: ['a'] }] }),
      'IST0106 error AuthorizationPolicy.spec.rules[0].when[0].key: the key request.auth.claims.groups needs a name in brackets, e.g. request.headers[x-user] or request.auth.claims[groups] (got "request.auth.claims.groups"; source.ip, remote.ip, destination.ip, destination.port, source.namespace, source.principal, source.serviceAccount, source.trustDomain, request.auth.principal, request.auth.audiences, request.auth.presenter, connection.sni, request.headers[<name>], request.auth.claims[<name>], experimental.envoy.filters.<filter>[<key>])'],
    ['condition ip', rule({ when: [{ key: 'remote.ip', notValues: ['nope'] }] }),
      'IST0106 error AuthorizationPolicy.spec.rules[0].when[0].notValues[0]: an address must be an IP address or CIDR prefix (got "nope"; e.g. 10.0.0.1, 10.0.0.0/16 or 2001:db8::/32)'],
    ['condition port', rule({ when: [{ key: 'destination.port', values: ['-1'] }] }),
      'IST0106 error AuthorizationPolicy.spec.rules[0].when[0].values[0]: a port must be a number from 0 to 65535, written as a string (got "-1")'],
    ['condition service account', rule({ when: [{ key: 'source.serviceAccount', values: ['*'] }] }),
      'IST0106 error AuthorizationPolicy.spec.rules[0].when[0].values[0]: a service account must not contain "*" (got "*")'],
    ['condition trust domain', rule({ when: [{ key: 'source.trustDomain', values: ['a/b'] }] }),
      'IST0106 error AuthorizationPolicy.spec.rules[0].when[0].values[0]: a trust domain must not contain "/" (got "a/b")'],
    ['selector and targetRef', { selector: { matchLabels: { a: 'b' } }, targetRef: { kind: 'Service', name: 'x' } },
      'IST0106 error AuthorizationPolicy.spec: only one of selector, targetRef or targetRefs can be set (got ["selector","targetRef"])'],
    ['unsupported target kind', { targetRefs: [{ group: 'apps', kind: 'Deployment', name: 'x' }] },
      'IST0106 error AuthorizationPolicy.spec.targetRefs[0]: a policy can only target a Service, ServiceEntry, or Gateway API Gateway/GatewayClass (got "apps/Deployment"; group "" kind Service, networking.istio.io ServiceEntry, gateway.networking.k8s.io Gateway or GatewayClass)'],
    ['target in another namespace', { targetRef: { kind: 'Service', name: 'x', namespace: 'other' } },
      'IST0106 error AuthorizationPolicy.spec.targetRef.namespace: cross-namespace references are not supported (got "other"; omit namespace; the policy\'s own namespace is used)'],
    ['target without name', { targetRefs: [{ kind: 'Service' }] },
      'IST0106 error AuthorizationPolicy.spec.targetRefs[0].name: a target reference needs a name of 1 to 253 characters (got nothing)'],
  ])('%s is rejected', (_name, spec, message) => {
    expect(findings(authz(spec))).toEqual([message]);
  });

  test.each([
    ['operations without ports', { action: 'DENY', rules: [{ to: [{ operation: { methods: ['POST'] } }] }] },
      'IST0133 warning AuthorizationPolicy.spec.rules[0]: this DENY rule names operations without ports, so for TCP traffic it matches, and denies, every connection in scope (add ports/notPorts to the operations)'],
    ['only HTTP source fields', { action: 'DENY', rules: [{ from: [{ source: { requestPrincipals: ['*'] } }] }] },
      'IST0133 warning AuthorizationPolicy.spec.rules[0]: this DENY rule only checks HTTP attributes of the source, so it denies all TCP traffic in scope (add principals, namespaces, serviceAccounts, ipBlocks or remoteIpBlocks, or ports in "to")'],
  ])('DENY with %s warns', (_name, spec, message) => {
    expect(findings(authz(spec))).toEqual([message]);
  });

  test('the suppression annotation silences the warning', () => {
    expect(findings(authz({ action: 'DENY', rules: [{ from: [{ source: { requestPrincipals: ['*'] } }] }] }, { annotations: { 'galley.istio.io/analyze-suppress': 'IST0133' } }))).toEqual([]);
  });
});

describe('RequestAuthentication rules', () => {
  test('valid objects have no findings', () => {
    expect(findings(ra({ jwtRules: [{ issuer: 'a', jwks: '{"keys":[{"kty":"RSA","n":"x","e":"AQAB"}]}' }, { jwks_uri: 'http://a/jwks' }, { issuer: 'b', timeout: '1500ms' }] }))).toEqual([]);
  });
  const rule = (r: any) => ({ jwtRules: [r] });
  test.each([
    ['no issuer nor jwksUri', rule({ audiences: ['a'] }), 'IST0106 error RequestAuthentication.spec.jwtRules[0]: a JWT rule needs an issuer or a jwksUri (set issuer (keys are then discovered) or jwksUri)'],
    ['null rule', rule(null), 'IST0106 error RequestAuthentication.spec.jwtRules[0]: a JWT rule must not be empty (got null)'],
    ['jwksUri without scheme', rule({ issuer: 'a', jwksUri: 'a.example.com/jwks' }),
      'IST0106 error RequestAuthentication.spec.jwtRules[0].jwksUri: jwksUri must be an http or https URL with a host (got "a.example.com/jwks"; e.g. https://issuer.example.com/.well-known/jwks.json)'],
    ['legacy jwks_uri with a bad scheme', rule({ jwks_uri: 'file:///jwks' }),
      'IST0106 error RequestAuthentication.spec.jwtRules[0].jwks_uri: jwksUri must be an http or https URL with a host (got "file:///jwks"; e.g. https://issuer.example.com/.well-known/jwks.json)'],
    ['jwks not JSON', rule({ issuer: 'a', jwks: 'nope' }),
      'IST0106 error RequestAuthentication.spec.jwtRules[0].jwks: jwks must be a JSON Web Key Set (got "nope"; {"keys": [{"kty": "RSA", ...}]})'],
    ['jwks key without kty', rule({ issuer: 'a', jwks: '{"keys":[{"n":"x"}]}' }),
      'IST0106 error RequestAuthentication.spec.jwtRules[0].jwks: jwks must be a JSON Web Key Set whose keys each have a "kty" (got "{\\"keys\\":[{\\"n\\":\\"x\\"}]}"; {"keys": [{"kty": "RSA", ...}]})'],
    ['symmetric key', rule({ issuer: 'a', jwks: '{"keys":[{"kty":"oct","k":"c2VjcmV0","kid":"k1"}]}' }),
      'IST0133 warning RequestAuthentication.spec.jwtRules[0].jwks: key 0 is a symmetric key; a JWKS published to the mesh should hold public keys only (got "k1")'],
    ['private key', rule({ issuer: 'a', jwks: '{"kty":"EC","crv":"P-256","x":"a","y":"b","d":"c"}' }),
      'IST0133 warning RequestAuthentication.spec.jwtRules[0].jwks: key 0 holds private key material ("d"); publish the public key only (got 0)'],
    ['empty audience', rule({ issuer: 'a', audiences: [''] }), 'IST0106 error RequestAuthentication.spec.jwtRules[0].audiences[0]: an audience must not be an empty string (got "")'],
    ['empty param', rule({ issuer: 'a', fromParams: [''] }), 'IST0106 error RequestAuthentication.spec.jwtRules[0].fromParams[0]: a query parameter name must not be an empty string (got "")'],
    ['empty cookie', rule({ issuer: 'a', fromCookies: [''] }), 'IST0106 error RequestAuthentication.spec.jwtRules[0].fromCookies[0]: a cookie name must not be an empty string (got "")'],
    ['header without name', rule({ issuer: 'a', fromHeaders: [{ prefix: 'Bearer ' }] }), 'IST0106 error RequestAuthentication.spec.jwtRules[0].fromHeaders[0].name: a token header needs a name (got nothing)'],
    ['claim without name', rule({ issuer: 'a', outputClaimToHeaders: [{ claim: '', header: 'x' }] }),
      'IST0106 error RequestAuthentication.spec.jwtRules[0].outputClaimToHeaders[0].claim: a claim to copy needs a claim name (got "")'],
    ['claim header with a colon', rule({ issuer: 'a', outputClaimToHeaders: [{ claim: 'sub', header: ':path' }] }),
      'IST0106 error RequestAuthentication.spec.jwtRules[0].outputClaimToHeaders[0].header: a header name may only hold letters, digits, "-" and "_" (got ":path")'],
    ['claim without header', rule({ issuer: 'a', outputClaimToHeaders: [{ claim: 'sub' }] }),
      'IST0106 error RequestAuthentication.spec.jwtRules[0].outputClaimToHeaders[0].header: a claim to copy needs a header name (got nothing)'],
    ['sub-millisecond timeout', rule({ issuer: 'a', timeout: '1500us' }),
      'IST0106 error RequestAuthentication.spec.jwtRules[0].timeout: a duration must be a whole number of milliseconds (got "1500us"; e.g. "250ms" or "5s")'],
    ['selector and targetRefs', { selector: { matchLabels: { a: 'b' } }, targetRefs: [{ kind: 'Service', name: 'x' }] },
      'IST0106 error RequestAuthentication.spec: only one of selector, targetRef or targetRefs can be set (got ["selector","targetRefs"])'],
  ])('%s', (_name, spec, message) => {
    expect(findings(ra(spec))).toEqual([message]);
  });
});
