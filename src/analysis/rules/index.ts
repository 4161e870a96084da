// Every rule the engine runs, in one list per phase. A new rule module is added here and nowhere else.
import { authorizationPolicyRule } from './authorization-policy';
import { destinationRuleRule } from './destination-rule';
import { gatewayRule } from './gateway';
import { istioOperatorRule, telemetryProviderRule } from './istio-operator';
import { envelopeTypesRule, kubernetesObjectRule, metadataRule } from './metadata';
import { namespaceRule } from './namespace';
import { peerAuthenticationRule } from './peer-authentication';
import { requestAuthenticationRule } from './request-authentication';
import { serviceEntryRule } from './service-entry';
import { sidecarRule } from './sidecar';
import { telemetryRule } from './telemetry';
import { virtualServiceRule } from './virtual-service';
import { ANALYZERS } from '../analyzers';
import { CrossRule, MeshRule, ObjectRule } from '../engine';

/** Per-object rules: the API server's envelope checks, then istiod's webhook rules (after the schema passes). @internal */
export const OBJECT_RULES: readonly ObjectRule[] = [
  envelopeTypesRule, kubernetesObjectRule, metadataRule,
  gatewayRule, virtualServiceRule, destinationRuleRule, serviceEntryRule, sidecarRule, telemetryRule,
  peerAuthenticationRule, authorizationPolicyRule, requestAuthenticationRule, namespaceRule, istioOperatorRule,
];

/** Cross-resource analyzers (`istioctl analyze`). @internal */
export const CROSS_RULES: readonly (CrossRule | MeshRule)[] = [...ANALYZERS, telemetryProviderRule];
