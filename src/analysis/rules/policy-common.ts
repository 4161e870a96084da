// Checks the three security kinds and Telemetry share: the selector / targetRef /
// targetRefs scope of VALIDATION-RULES.md section 1. Value rules (selectors, IPs, durations) are common.ts's.
import { validateWorkloadSelector } from './common';
import { NO_VALUE } from '../../core/errors';
import { Reporter } from '../engine';
import { Messages } from '../messages';


const ALLOWED_TARGETS = new Set(['/Service', 'networking.istio.io/ServiceEntry', 'gateway.networking.k8s.io/Gateway', 'gateway.networking.k8s.io/GatewayClass']);

/** `spec.selector.matchLabels` of a security kind, when a selector is present (common.ts has the rule). @internal */
export function checkPolicySelector(r: Reporter, selector: any): void {
  if (selector === undefined || selector === null || typeof selector !== 'object') return;
  validateWorkloadSelector(r, 'spec.selector.matchLabels', selector.matchLabels);
}

/** At most one of selector, targetRef, targetRefs; each reference a supported kind in the own namespace. @internal */
export function checkPolicyScope(r: Reporter, spec: any): void {
  const given = ['selector', 'targetRef', 'targetRefs'].filter(k => spec[k] !== undefined && spec[k] !== null);
  if (given.length > 1) r(Messages.SchemaValidationError, { field: 'spec', problem: 'only one of selector, targetRef or targetRefs can be set', got: given });
  checkPolicySelector(r, spec.selector);
  if (spec.targetRef) checkTargetRef(r, spec.targetRef, 'spec.targetRef');
  if (Array.isArray(spec.targetRefs)) spec.targetRefs.forEach((t: any, i: number) => checkTargetRef(r, t, `spec.targetRefs[${i}]`));
}

function checkTargetRef(r: Reporter, ref: any, field: string): void {
  if (!ref || typeof ref !== 'object') return;
  if (typeof ref.name !== 'string' || ref.name.length === 0 || ref.name.length > 253) {
    r(Messages.SchemaValidationError, { field: `${field}.name`, problem: 'a target reference needs a name of 1 to 253 characters', got: ref.name ?? NO_VALUE });
  }
  if (ref.namespace) r(Messages.SchemaValidationError, { field: `${field}.namespace`, problem: 'cross-namespace references are not supported', got: ref.namespace, fix: 'omit namespace; the policy\'s own namespace is used' });
  const gk = `${ref.group ?? ''}/${ref.kind}`;
  if (!ALLOWED_TARGETS.has(gk)) {
    r(Messages.SchemaValidationError, { field, problem: 'a policy can only target a Service, ServiceEntry, or Gateway API Gateway/GatewayClass', got: gk, fix: 'group "" kind Service, networking.istio.io ServiceEntry, gateway.networking.k8s.io Gateway or GatewayClass' });
  }
}

/** A list of strings in which no entry may be empty. @internal */
export function checkNonEmptyStrings(r: Reporter, list: unknown, field: string, what: string): void {
  if (!Array.isArray(list)) return;
  list.forEach((v, i) => {
    if (typeof v !== 'string' || v.length === 0) r(Messages.SchemaValidationError, { field: `${field}[${i}]`, problem: `${what} must not be an empty string`, got: v });
  });
}
