// Every cross-resource analyzer (`istioctl analyze` without a cluster), in Istio's registration order.
// Each is named after the Istio analyzer it reproduces, so a conformance run can pick one.
import { annotationsAnalyzer } from './annotations';
import { authorizationPoliciesAnalyzer, k8sGatewaySelectorAnalyzer } from './authz';
import { deprecationAnalyzer } from './deprecation';
import { caCertificateAnalyzer, podNotSelectedAnalyzer } from './destination-rule';
import { certificateAnalyzer, conflictingGatewayAnalyzer, gatewayPortAnalyzer } from './gateway';
import { portNameAnalyzer } from './service';
import { conflictingProtocolAnalyzer, protocolAddressesAnalyzer } from './service-entry';
import { sidecarSelectorAnalyzer } from './sidecar';
import { telemetryDefaultSelectorAnalyzer, telemetryLightstepAnalyzer, telemetryProviderAnalyzer, telemetrySelectorAnalyzer } from './telemetry';
import {
  conflictingMeshHostsAnalyzer, destinationHostAnalyzer, gatewayRefAnalyzer, jwtClaimRouteAnalyzer, subsetAnalyzer,
} from './virtual-service';
import { CrossRule } from '../engine';

/** @internal */
export const ANALYZERS: readonly CrossRule[] = [
  annotationsAnalyzer,
  authorizationPoliciesAnalyzer,
  deprecationAnalyzer,
  caCertificateAnalyzer,
  podNotSelectedAnalyzer,
  gatewayPortAnalyzer,
  certificateAnalyzer,
  conflictingGatewayAnalyzer,
  k8sGatewaySelectorAnalyzer,
  portNameAnalyzer,
  protocolAddressesAnalyzer,
  conflictingProtocolAnalyzer,
  sidecarSelectorAnalyzer,
  telemetrySelectorAnalyzer,
  telemetryDefaultSelectorAnalyzer,
  telemetryProviderAnalyzer,
  telemetryLightstepAnalyzer,
  conflictingMeshHostsAnalyzer,
  destinationHostAnalyzer,
  subsetAnalyzer,
  gatewayRefAnalyzer,
  jwtClaimRouteAnalyzer,
];
