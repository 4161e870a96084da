// istiod's webhook rules for RequestAuthentication (VALIDATION-RULES.md section 7) over plain manifests.
import { validateDuration } from './common';
import { checkNonEmptyStrings, checkPolicyScope } from './policy-common';
import { NO_VALUE } from '../../core/errors';
import { ObjectRule, Reporter } from '../engine';
import { Messages } from '../messages';
import { listOf } from '../objects';


/** RequestAuthentication rules. @internal */
export const requestAuthenticationRule: ObjectRule = {
  kinds: ['security.istio.io/RequestAuthentication'],
  check(obj, r) {
    const spec = obj.spec ?? {};
    checkPolicyScope(r, spec);
    const rules = listOf(spec.jwtRules);
    rules.forEach((rule: any, i: number) => checkJwtRule(r, rule, `spec.jwtRules[${i}]`));
  },
};

function checkJwtRule(r: Reporter, rule: any, f: string): void {
  if (!rule || typeof rule !== 'object') {
    r(Messages.SchemaValidationError, { field: f, problem: 'a JWT rule must not be empty', got: rule ?? null });
    return;
  }
  const uri = rule.jwksUri ?? rule.jwks_uri;
  if (!rule.issuer && !uri) r(Messages.SchemaValidationError, { field: f, problem: 'a JWT rule needs an issuer or a jwksUri', fix: 'set issuer (keys are then discovered) or jwksUri' });
  if (typeof uri === 'string') {
    const field = rule.jwksUri !== undefined ? `${f}.jwksUri` : `${f}.jwks_uri`;
    if (!/^https?:\/\/[^/?#\s]+/i.test(uri)) r(Messages.SchemaValidationError, { field, problem: 'jwksUri must be an http or https URL with a host', got: uri, fix: 'e.g. https://issuer.example.com/.well-known/jwks.json' });
  }
  if (typeof rule.jwks === 'string') checkJwks(r, rule.jwks, `${f}.jwks`);
  checkNonEmptyStrings(r, rule.audiences, `${f}.audiences`, 'an audience');
  checkNonEmptyStrings(r, rule.fromParams, `${f}.fromParams`, 'a query parameter name');
  checkNonEmptyStrings(r, rule.fromCookies, `${f}.fromCookies`, 'a cookie name');
  listOf(rule.fromHeaders).forEach((h: any, j: number) => {
    if (!h || typeof h.name !== 'string' || h.name.length === 0) r(Messages.SchemaValidationError, { field: `${f}.fromHeaders[${j}].name`, problem: 'a token header needs a name', got: h?.name ?? NO_VALUE });
  });
  listOf(rule.outputClaimToHeaders).forEach((c: any, j: number) => {
    const cf = `${f}.outputClaimToHeaders[${j}]`;
    if (!c || typeof c.claim !== 'string' || c.claim.length === 0) r(Messages.SchemaValidationError, { field: `${cf}.claim`, problem: 'a claim to copy needs a claim name', got: c?.claim ?? NO_VALUE });
    if (!c || typeof c.header !== 'string' || c.header.length === 0) r(Messages.SchemaValidationError, { field: `${cf}.header`, problem: 'a claim to copy needs a header name', got: c?.header ?? NO_VALUE });
    else if (!/^[-_A-Za-z0-9]+$/.test(c.header)) r(Messages.SchemaValidationError, { field: `${cf}.header`, problem: 'a header name may only hold letters, digits, "-" and "_"', got: c.header });
  });
  validateDuration(r, `${f}.timeout`, rule.timeout);
}

function checkJwks(r: Reporter, jwks: string, f: string): void {
  let parsed: any;
  try {
    parsed = JSON.parse(jwks);
  } catch {
    r(Messages.SchemaValidationError, { field: f, problem: 'jwks must be a JSON Web Key Set', got: jwks, fix: '{"keys": [{"kty": "RSA", ...}]}' });
    return;
  }
  const keys = parsed && typeof parsed === 'object' && Array.isArray(parsed.keys) ? parsed.keys : parsed && typeof parsed === 'object' && 'kty' in parsed ? [parsed] : undefined;
  if (!keys || keys.some((k: any) => !k || typeof k !== 'object' || typeof k.kty !== 'string')) {
    r(Messages.SchemaValidationError, { field: f, problem: 'jwks must be a JSON Web Key Set whose keys each have a "kty"', got: jwks, fix: '{"keys": [{"kty": "RSA", ...}]}' });
    return;
  }
  keys.forEach((k: any, i: number) => {
    if (k.kty === 'oct') r(Messages.SchemaWarning, { field: f, problem: `key ${i} is a symmetric key; a JWKS published to the mesh should hold public keys only`, got: k.kid ?? i });
    else if (k.d !== undefined) r(Messages.SchemaWarning, { field: f, problem: `key ${i} holds private key material ("d"); publish the public key only`, got: k.kid ?? i });
  });
}
