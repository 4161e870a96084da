// The generated L1 classes, by kind and API generation. Internal: users see the L2 constructs only.
import { IstioApiVersion } from './api-version';
import * as net from '../imports/istio-networking.istio.io';
import * as sec from '../imports/istio-security.istio.io';
import * as tel from '../imports/istio-telemetry.istio.io';

type L1Class = new (scope: any, id: string, props: any) => any;

const L1: Record<string, Record<IstioApiVersion, L1Class>> = {
  Gateway: { v1: net.Gateway, v1beta1: net.GatewayV1Beta1 },
  VirtualService: { v1: net.VirtualService, v1beta1: net.VirtualServiceV1Beta1 },
  DestinationRule: { v1: net.DestinationRule, v1beta1: net.DestinationRuleV1Beta1 },
  ServiceEntry: { v1: net.ServiceEntry, v1beta1: net.ServiceEntryV1Beta1 },
  Sidecar: { v1: net.Sidecar, v1beta1: net.SidecarV1Beta1 },
  WorkloadEntry: { v1: net.WorkloadEntry, v1beta1: net.WorkloadEntryV1Beta1 },
  PeerAuthentication: { v1: sec.PeerAuthentication, v1beta1: sec.PeerAuthenticationV1Beta1 },
  AuthorizationPolicy: { v1: sec.AuthorizationPolicy, v1beta1: sec.AuthorizationPolicyV1Beta1 },
  RequestAuthentication: { v1: sec.RequestAuthentication, v1beta1: sec.RequestAuthenticationV1Beta1 },
  // Telemetry never had a v1beta1; older meshes serve v1alpha1.
  Telemetry: { v1: tel.Telemetry, v1beta1: tel.TelemetryV1Alpha1 },
};

/** The generated class for `kind` at `version`. @internal */
export function l1ClassFor(kind: string, version: IstioApiVersion): L1Class {
  const entry = L1[kind];
  if (!entry) throw new Error(`internal: no L1 binding registered for ${kind}`);
  return entry[version];
}
