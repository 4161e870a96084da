// istiod's webhook rules for PeerAuthentication (VALIDATION-RULES.md section 5) over plain manifests.
import { checkPolicySelector } from './policy-common';
import { ObjectRule } from '../engine';
import { Messages } from '../messages';


/** PeerAuthentication rules. @internal */
export const peerAuthenticationRule: ObjectRule = {
  kinds: ['security.istio.io/PeerAuthentication'],
  check(obj, r) {
    const spec = obj.spec ?? {};
    checkPolicySelector(r, spec.selector);
    const ports = spec.portLevelMtls;
    if (ports === undefined || ports === null) return;
    const labels = Object.keys(spec.selector?.matchLabels ?? {});
    if (labels.length === 0) {
      r(Messages.SchemaValidationError, { field: 'spec.portLevelMtls', problem: 'portLevelMtls requires a selector with labels; mesh- and namespace-wide policies cannot set per-port modes', got: Object.keys(ports), fix: 'add a selector, or move the ports to a workload policy' });
    }
    if (typeof ports !== 'object' || Object.keys(ports).length === 0) {
      r(Messages.SchemaValidationError, { field: 'spec.portLevelMtls', problem: 'portLevelMtls needs at least one port', got: ports, fix: 'omit it, or give e.g. {"8080": {mode: DISABLE}}' });
      return;
    }
    for (const key of Object.keys(ports)) {
      if (!/^[0-9]+$/.test(key) || Number(key) < 1 || Number(key) > 65535) {
        r(Messages.SchemaValidationError, { field: `spec.portLevelMtls.${key}`, problem: 'a portLevelMtls key must be a port number from 1 to 65535', got: key });
      }
    }
  },
};
