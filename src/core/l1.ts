// The generated L1 classes, by kind and API generation. Internal: users see the L2 constructs only.
//
// The bindings are required on first use of a kind, not when cdk8s-istio is loaded: the networking module
// alone is over 1 MB of JavaScript, and a program that only analyses YAML, or only uses security kinds,
// should not pay for parsing it.
//
// Each class is extended so that its JSON is computed once per synth call: the app-wide analysis resolves
// every object when it validates the app, and cdk8s resolves it again to render it (see synth-call.ts); and
// rendered from its spec in one walk where cdk8s's resolve would only copy it (see render.ts).
import type { ApiObject, JsonPatch } from 'cdk8s';
import { IstioApiVersion } from './api-version';
import { renderFromSpec } from './render';
import { resolvedOncePerSynthCall } from './synth-call';

type L1Class = new (scope: any, id: string, props: any) => ApiObject;

/* eslint-disable @typescript-eslint/no-require-imports */
const MODULES = {
  net: () => require('../imports/istio-networking.istio.io'),
  sec: () => require('../imports/istio-security.istio.io'),
  tel: () => require('../imports/istio-telemetry.istio.io'),
  gw: () => require('../imports/gateway-api-gateway.networking.k8s.io'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Module and class name per kind and generation. */
const L1: Record<string, { module: keyof typeof MODULES } & Record<IstioApiVersion, string>> = {
  Gateway: { module: 'net', v1: 'Gateway', v1beta1: 'GatewayV1Beta1' },
  VirtualService: { module: 'net', v1: 'VirtualService', v1beta1: 'VirtualServiceV1Beta1' },
  DestinationRule: { module: 'net', v1: 'DestinationRule', v1beta1: 'DestinationRuleV1Beta1' },
  ServiceEntry: { module: 'net', v1: 'ServiceEntry', v1beta1: 'ServiceEntryV1Beta1' },
  Sidecar: { module: 'net', v1: 'Sidecar', v1beta1: 'SidecarV1Beta1' },
  WorkloadEntry: { module: 'net', v1: 'WorkloadEntry', v1beta1: 'WorkloadEntryV1Beta1' },
  PeerAuthentication: { module: 'sec', v1: 'PeerAuthentication', v1beta1: 'PeerAuthenticationV1Beta1' },
  AuthorizationPolicy: { module: 'sec', v1: 'AuthorizationPolicy', v1beta1: 'AuthorizationPolicyV1Beta1' },
  RequestAuthentication: { module: 'sec', v1: 'RequestAuthentication', v1beta1: 'RequestAuthenticationV1Beta1' },
  // Telemetry never had a v1beta1; older meshes serve v1alpha1.
  Telemetry: { module: 'tel', v1: 'Telemetry', v1beta1: 'TelemetryV1Alpha1' },
};

// The Gateway API versions its kinds on its own: Istio's v1/v1beta1 switch does not apply to them. Keyed by
// group and kind, since its Gateway shares its kind with Istio's.
const GATEWAY_API_L1: Record<string, { module: keyof typeof MODULES } & Record<IstioApiVersion, string>> = {
  'gateway.networking.k8s.io/Gateway': { module: 'gw', v1: 'Gateway', v1beta1: 'Gateway' },
  'gateway.networking.k8s.io/HTTPRoute': { module: 'gw', v1: 'HttpRoute', v1beta1: 'HttpRoute' },
  'gateway.networking.k8s.io/GRPCRoute': { module: 'gw', v1: 'GrpcRoute', v1beta1: 'GrpcRoute' },
  'gateway.networking.k8s.io/TCPRoute': { module: 'gw', v1: 'TcpRoute', v1beta1: 'TcpRoute' },
  'gateway.networking.k8s.io/TLSRoute': { module: 'gw', v1: 'TlsRoute', v1beta1: 'TlsRoute' },
  'gateway.networking.k8s.io/ReferenceGrant': { module: 'gw', v1: 'ReferenceGrant', v1beta1: 'ReferenceGrant' },
};

const classes = new Map<string, L1Class>();

/** The generated class for `kind` at `version`. @internal */
export function l1ClassFor(kind: string, version: IstioApiVersion): L1Class {
  const entry = L1[kind] ?? GATEWAY_API_L1[kind];
  if (!entry) throw new Error(`internal: no L1 binding registered for ${kind}`);
  const key = `${kind}/${version}`;
  let cls = classes.get(key);
  if (!cls) {
    const module = MODULES[entry.module]();
    const Generated: L1Class = module[entry[version]];
    const gvk = (Generated as any).GVK;
    const toJsonProps = module[`toJson_${entry[version]}Props`];
    cls = class extends Generated {
      private readonly _spec: unknown;
      private _patched = false;
      public constructor(scope: any, id: string, props: any) {
        super(scope, id, props);
        this._spec = props.spec;
      }
      public addJsonPatch(...ops: JsonPatch[]): void {
        this._patched = true;
        super.addJsonPatch(...ops);
      }
      public toJson(): any {
        return resolvedOncePerSynthCall(this, () =>
          (this._patched ? undefined : renderFromSpec(this, gvk, this._spec, toJsonProps)) ?? super.toJson());
      }
    };
    classes.set(key, cls);
  }
  return cls;
}
