// Every cross-resource analyzer (`istioctl analyze` without a cluster), in the order of Istio's
// analyzers.All() at the pinned release. Each is named after the Istio analyzer it reproduces, so a conformance
// run can pick one. Our own analyzers (ambient.*, which Istio has no equivalent of) follow Istio's.
import { ambientEnvoyFilterAnalyzer, useWaypointAnalyzer, ztunnelPolicyAnalyzer } from './ambient';
import { annotationsAnalyzer } from './annotations';
import { blockedCIDRsAnalyzer } from './authn';
import { authorizationPoliciesAnalyzer } from './authz';
import { conditionAnalyzer } from './conditions';
import { applicationUIDAnalyzer, serviceAssociationAnalyzer } from './deployment';
import { deprecationAnalyzer } from './deprecation';
import { caCertificateAnalyzer, podNotSelectedAnalyzer } from './destination-rule';
import { envoyPatchAnalyzer } from './envoyfilter';
import { externalControlPlaneAnalyzer } from './externalcontrolplane';
import { certificateAnalyzer, conflictingGatewayAnalyzer, gatewayPortAnalyzer, secretAnalyzer } from './gateway';
import { backendRefAnalyzer, listenerAnalyzer, routeParentAnalyzer } from './gateway-api';
import { imageAutoAnalyzer, injectionAnalyzer, injectionImageAnalyzer } from './injection';
import { crdVersionAnalyzer, k8sGatewaySelectorAnalyzer } from './k8sgateway';
import { meshNetworksAnalyzer, multiClusterServiceAnalyzer } from './multicluster';
import { portNameAnalyzer } from './service';
import { conflictingProtocolAnalyzer, protocolAddressesAnalyzer } from './service-entry';
import { sidecarSelectorAnalyzer } from './sidecar';
import { telemetryDefaultSelectorAnalyzer, telemetryLightstepAnalyzer, telemetryProviderAnalyzer, telemetrySelectorAnalyzer } from './telemetry';
import {
  conflictingMeshHostsAnalyzer, destinationHostAnalyzer, gatewayRefAnalyzer, jwtClaimRouteAnalyzer, subsetAnalyzer,
} from './virtual-service';
import { webhookAnalyzer } from './webhook';
import { CrossRule, MeshRule } from '../engine';

/** @internal */
export const ANALYZERS: readonly (CrossRule | MeshRule)[] = [
  annotationsAnalyzer,
  blockedCIDRsAnalyzer,
  authorizationPoliciesAnalyzer,
  conditionAnalyzer,
  serviceAssociationAnalyzer,
  applicationUIDAnalyzer,
  caCertificateAnalyzer,
  podNotSelectedAnalyzer,
  deprecationAnalyzer,
  envoyPatchAnalyzer,
  externalControlPlaneAnalyzer,
  gatewayPortAnalyzer,
  certificateAnalyzer,
  secretAnalyzer,
  conflictingGatewayAnalyzer,
  injectionAnalyzer,
  injectionImageAnalyzer,
  imageAutoAnalyzer,
  k8sGatewaySelectorAnalyzer,
  crdVersionAnalyzer,
  meshNetworksAnalyzer,
  multiClusterServiceAnalyzer,
  portNameAnalyzer,
  protocolAddressesAnalyzer,
  conflictingProtocolAnalyzer,
  sidecarSelectorAnalyzer,
  conflictingMeshHostsAnalyzer,
  destinationHostAnalyzer,
  subsetAnalyzer,
  gatewayRefAnalyzer,
  jwtClaimRouteAnalyzer,
  webhookAnalyzer,
  telemetryProviderAnalyzer,
  telemetrySelectorAnalyzer,
  telemetryDefaultSelectorAnalyzer,
  telemetryLightstepAnalyzer,
  // Not Istio analyzers: the conditions istiod sets on Gateway API objects.
  routeParentAnalyzer, backendRefAnalyzer, listenerAnalyzer,
  // Not Istio analyzers either: what ztunnel and waypoints cannot do (ambient mode).
  ztunnelPolicyAnalyzer,
  useWaypointAnalyzer,
  ambientEnvoyFilterAnalyzer,
];
