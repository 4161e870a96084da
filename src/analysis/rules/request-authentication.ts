// istiod's webhook rules for RequestAuthentication (VALIDATION-RULES.md section 7) over plain manifests.
import { validateDuration } from './common';
import { checkNonEmptyStrings, checkPolicyScope } from './policy-common';
import { NO_VALUE } from '../../core/errors';
import { ObjectRule, Reporter } from '../engine';

const E = 'IST0106';
const W = 'IST0133';

/** RequestAuthentication rules. @internal */
export const requestAuthenticationRule: ObjectRule = {
  kinds: ['security.istio.io/RequestAuthentication'],
  check(obj, r) {
    const spec = obj.spec ?? {};
    checkPolicyScope(r, spec);
    const rules = Array.isArray(spec.jwtRules) ? spec.jwtRules : [];
    rules.forEach((rule: any, i: number) => checkJwtRule(r, rule, `spec.jwtRules[${i}]`));
  },
};

function checkJwtRule(r: Reporter, rule: any, f: string): void {
  if (!rule || typeof rule !== 'object') {
    r.error(E, f, 'a JWT rule must not be empty', rule ?? null);
    return;
  }
  const uri = rule.jwksUri ?? rule.jwks_uri;
  if (!rule.issuer && !uri) r.error(E, f, 'a JWT rule needs an issuer or a jwksUri', undefined, 'set issuer (keys are then discovered) or jwksUri');
  if (typeof uri === 'string') {
    const field = rule.jwksUri !== undefined ? `${f}.jwksUri` : `${f}.jwks_uri`;
    if (!/^https?:\/\/[^/?#\s]+/i.test(uri)) r.error(E, field, 'jwksUri must be an http or https URL with a host', uri, 'e.g. https://issuer.example.com/.well-known/jwks.json');
  }
  if (typeof rule.jwks === 'string') checkJwks(r, rule.jwks, `${f}.jwks`);
  checkNonEmptyStrings(r, rule.audiences, `${f}.audiences`, 'an audience');
  checkNonEmptyStrings(r, rule.fromParams, `${f}.fromParams`, 'a query parameter name');
  checkNonEmptyStrings(r, rule.fromCookies, `${f}.fromCookies`, 'a cookie name');
  (Array.isArray(rule.fromHeaders) ? rule.fromHeaders : []).forEach((h: any, j: number) => {
    if (!h || typeof h.name !== 'string' || h.name.length === 0) r.error(E, `${f}.fromHeaders[${j}].name`, 'a token header needs a name', h?.name ?? NO_VALUE);
  });
  (Array.isArray(rule.outputClaimToHeaders) ? rule.outputClaimToHeaders : []).forEach((c: any, j: number) => {
    const cf = `${f}.outputClaimToHeaders[${j}]`;
    if (!c || typeof c.claim !== 'string' || c.claim.length === 0) r.error(E, `${cf}.claim`, 'a claim to copy needs a claim name', c?.claim ?? NO_VALUE);
    if (!c || typeof c.header !== 'string' || c.header.length === 0) r.error(E, `${cf}.header`, 'a claim to copy needs a header name', c?.header ?? NO_VALUE);
    else if (!/^[-_A-Za-z0-9]+$/.test(c.header)) r.error(E, `${cf}.header`, 'a header name may only hold letters, digits, "-" and "_"', c.header);
  });
  validateDuration(r, `${f}.timeout`, rule.timeout);
}

function checkJwks(r: Reporter, jwks: string, f: string): void {
  let parsed: any;
  try {
    parsed = JSON.parse(jwks);
  } catch {
    r.error(E, f, 'jwks must be a JSON Web Key Set', jwks, '{"keys": [{"kty": "RSA", ...}]}');
    return;
  }
  const keys = parsed && typeof parsed === 'object' && Array.isArray(parsed.keys) ? parsed.keys : parsed && typeof parsed === 'object' && 'kty' in parsed ? [parsed] : undefined;
  if (!keys || keys.some((k: any) => !k || typeof k !== 'object' || typeof k.kty !== 'string')) {
    r.error(E, f, 'jwks must be a JSON Web Key Set whose keys each have a "kty"', jwks, '{"keys": [{"kty": "RSA", ...}]}');
    return;
  }
  keys.forEach((k: any, i: number) => {
    if (k.kty === 'oct') r.warning(W, f, `key ${i} is a symmetric key; a JWKS published to the mesh should hold public keys only`, k.kid ?? i);
    else if (k.d !== undefined) r.warning(W, f, `key ${i} holds private key material ("d"); publish the public key only`, k.kid ?? i);
  });
}
