// The mesh model: what the mesh will do with a request, answered offline from manifests (ours or any YAML),
// on the analysis engine's index. Routing follows Istio's simulation, authorization and mTLS istiod's policy
// selection.
import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { authorize } from './authorization';
import { MeshData, describeRef } from './data';
import { destinationPolicy, serverMtls } from './policy';
import { route } from './routing';
import { AuthorizationAnswer, AuthorizationRequest, MeshRequest, MtlsAnswer, RouteAnswer } from './types';

/** Options of the mesh model. */
export interface MeshModelOptions {
  /**
   * The namespace of objects without one, and of callers not given one.
   * @default 'default'
   */
  readonly defaultNamespace?: string;
  /**
   * Istio's root namespace (mesh-wide policies).
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
  /**
   * The mesh's `outboundTrafficPolicy.mode`: `ALLOW_ANY` or `REGISTRY_ONLY`.
   * @default 'ALLOW_ANY'
   * @see https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/#MeshConfig-OutboundTrafficPolicy
   */
  readonly outboundTrafficPolicy?: string;
}

/**
 * What the mesh will do, before it is applied: routing (`route`), authorization (`authorize`) and mutual TLS
 * (`mtls`), from the manifests alone.
 */
export class MeshModel {
  /** A model of plain manifests (any Kubernetes objects; the Istio ones and Services, Namespaces, workloads count). */
  public static fromManifests(objects: { [key: string]: any }[], options: MeshModelOptions = {}): MeshModel {
    if (!Array.isArray(objects)) throw new Error(`MeshModel.fromManifests: objects must be a list of Kubernetes objects (got ${typeof objects})`);
    return new MeshModel(new MeshData(objects, options));
  }

  /** A model of every object of a cdk8s app, as its analysis sees them at synth. */
  public static fromApp(app: App, options: MeshModelOptions = {}): MeshModel {
    return MeshModel.fromManifests(manifestsOf(app), options);
  }

  /**
   * A model of the app that `chart` belongs to (all of its charts: mesh-wide policies often live in another one),
   * with the chart's namespace as the default namespace.
   */
  public static fromChart(chart: Chart, options: MeshModelOptions = {}): MeshModel {
    return MeshModel.fromManifests(manifestsOf(chart.node.root), { defaultNamespace: chart.namespace, ...options });
  }

  /** @internal */
  public readonly _data: MeshData;

  private constructor(data: MeshData) {
    this._data = data;
  }

  /** The namespace of objects and callers given without one. */
  public get defaultNamespace(): string {
    return this._data.defaultNamespace;
  }

  /**
   * Route a request as the calling sidecar or the gateway would: the virtual host, the route, the clusters with
   * their shares, or Istio's error, with what the route applies and the deciding resource (a VirtualService rule,
   * or the Gateway API route rule: HTTPRoute, GRPCRoute, TCPRoute, TLSRoute).
   * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
   * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproute
   */
  public route(request: MeshRequest): RouteAnswer {
    return route(this._data, request);
  }

  /**
   * Authorize a request to a workload: CUSTOM, then DENY, then ALLOW policies, naming the deciding one and, in
   * ambient mode, the layer that enforces it (the Service's waypoint at L7, then the destination's ztunnel at L4).
   * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
   * @see https://istio.io/latest/docs/ambient/usage/l4-policy/
   */
  public authorize(request: AuthorizationRequest): AuthorizationAnswer {
    return authorize(this._data, request);
  }

  /**
   * Whether `clientWorkload` can connect to `serverWorkload` on a Service port, and with which TLS: the server's
   * PeerAuthentication mode against the client's DestinationRule TLS or auto mTLS. Between two ambient workloads
   * the client side is ztunnel's HBONE (always mutual TLS); a server no Service selects is reached through the
   * client sidecar's PassthroughCluster, in plaintext.
   * @param clientWorkload `namespace/name` of the calling workload
   * @param serverWorkload `namespace/name` of the called workload
   * @param port the Service port the client calls (mapped to the server's container port through its Service)
   * @see https://istio.io/latest/docs/concepts/security/#mutual-tls-authentication
   */
  public mtls(clientWorkload: string, serverWorkload: string, port: number): MtlsAnswer {
    const data = this._data;
    const client = data.requireWorkload(clientWorkload, 'MeshModel.mtls: client workload');
    const server = data.requireWorkload(serverWorkload, 'MeshModel.mtls: server workload');
    const svc = data.servicesOf(server).find(s => s.ports.some(p => p.number === port)) ?? data.servicesOf(server)[0];
    const targetPort = svc?.ports.find(p => p.number === port)?.targetPort ?? port;
    const mode = serverMtls(data, server, targetPort);
    const serverMode = server.inMesh ? mode.mode : 'DISABLE';
    const policy = svc
      ? destinationPolicy(data, { namespace: client.namespace, labels: client.labels }, svc, svc.fqdn, undefined, port)
      : undefined;
    // Between two ambient workloads ztunnel carries every connection over HBONE (mutual TLS), Service or not,
    // and DestinationRule TLS settings do not apply to it.
    // https://istio.io/latest/docs/ambient/architecture/hbone/
    const hbone = client.ambient && server.ambient;
    let clientMode = hbone ? 'ISTIO_MUTUAL' : policy?.tlsMode ?? 'DISABLE';
    if (!client.inMesh && clientMode === 'ISTIO_MUTUAL') clientMode = 'DISABLE';
    if (clientMode === 'AUTO') clientMode = server.inMesh ? 'ISTIO_MUTUAL' : 'DISABLE';
    const autoMtls = !hbone && (policy?.autoMtls ?? false);
    let canConnect: boolean;
    let why: string;
    if (!client.inMesh && serverMode === 'STRICT') {
      canConnect = false;
      why = `${clientWorkload} has no proxy and sends plaintext, which STRICT refuses`;
    } else if (clientMode === 'ISTIO_MUTUAL') {
      canConnect = server.inMesh && serverMode !== 'DISABLE';
      why = canConnect ? 'both sides speak Istio mutual TLS' : `the client sends Istio mutual TLS but the server ${server.inMesh ? 'has mTLS disabled' : 'has no proxy'}`;
    } else if (clientMode === 'DISABLE') {
      canConnect = serverMode !== 'STRICT';
      why = canConnect ? 'the client sends plaintext, which the server accepts' : 'the client sends plaintext, which STRICT refuses';
    } else {
      canConnect = serverMode !== 'STRICT';
      why = canConnect ? `the client originates its own TLS (${clientMode}), passed through to the application` : `the client originates its own TLS (${clientMode}), not Istio's: STRICT refuses it`;
    }
    const serverBy = mode.policy ? describeRef(mode.policy) : 'no PeerAuthentication (PERMISSIVE)';
    // Without a Service the client's sidecar has no cluster for the server: the connection leaves through
    // PassthroughCluster, in plaintext.
    const clientBy = hbone ? 'ztunnel, HBONE'
      : !svc ? `no Service selects ${serverWorkload}: PassthroughCluster`
        : policy?.decidedBy && !autoMtls ? describeRef(policy.decidedBy) : 'auto mTLS';
    return {
      serverMode,
      ...(mode.policy && server.inMesh ? { serverPolicy: mode.policy } : {}),
      serverInMesh: server.inMesh,
      clientMode,
      autoMtls,
      ...(policy?.decidedBy && !autoMtls && !hbone ? { clientPolicy: policy.decidedBy } : {}),
      canConnect,
      mutualTls: canConnect && clientMode === 'ISTIO_MUTUAL',
      explanation: `server ${serverWorkload} port ${targetPort}: ${serverMode} (${serverBy}); client ${clientWorkload}: ${clientMode} (${clientBy}); ${why}`,
    };
  }
}

/** The JSON of every ApiObject below `root`, as the analysis collects them at synth. */
function manifestsOf(root: IConstruct): any[] {
  return root.node.findAll().filter(ApiObject.isApiObject).map(o => (o as ApiObject).toJson());
}
