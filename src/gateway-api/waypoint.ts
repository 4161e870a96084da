// Waypoint: the ambient-mode L7 proxy of a namespace, Service or workload, declared as a Gateway API Gateway
// of class `istio-waypoint` with the HBONE listener on 15008, as `istioctl waypoint generate` writes it; and
// `Waypoint.use()`, which sends a Service's or workload's traffic through one (`istio.io/use-waypoint`).
import { ApiObject, ApiObjectMetadata, JsonPatch } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { constructError } from '../core/errors';
import { apiObjectOf } from '../core/kube';
import { ReferenceOptions } from '../core/reference';
import { readableName, resourceHooks } from '../core/resource';
import { Gateway as GatewayL1, GatewaySpecListenersAllowedRoutesNamespacesFrom } from '../imports/gateway-api-gateway.networking.k8s.io';

/** The labels Istio reads for waypoints. @internal */
export const WAYPOINT_LABELS = {
  waypointFor: 'istio.io/waypoint-for',
  useWaypoint: 'istio.io/use-waypoint',
  useWaypointNamespace: 'istio.io/use-waypoint-namespace',
} as const;

/** The GatewayClass Istio provisions waypoints for. */
const WAYPOINT_CLASS = 'istio-waypoint';

/**
 * Which traffic a waypoint handles (the `istio.io/waypoint-for` label).
 *
 * @see https://istio.io/latest/docs/ambient/usage/waypoint/#waypoint-traffic-types
 */
export enum WaypointTrafficType {
  /** Traffic addressed to Services (Istio's default). */
  SERVICE = 'service',
  /** Traffic addressed to pods and VMs directly (their IPs). */
  WORKLOAD = 'workload',
  /** Both Service and workload traffic. */
  ALL = 'all',
  /** No traffic: the waypoint is deployed but nothing is redirected to it. */
  NONE = 'none',
}

/**
 * The namespaces whose Services and workloads may use a waypoint (its listener's `allowedRoutes.namespaces`).
 * Istio refuses a `istio.io/use-waypoint` from a namespace the waypoint does not allow.
 *
 * @see https://istio.io/latest/docs/ambient/usage/waypoint/#usage-across-namespaces
 */
export class WaypointNamespaces {
  /** Only the waypoint's own namespace (Gateway API's default). */
  public static same(): WaypointNamespaces {
    return new WaypointNamespaces(GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME);
  }

  /** Every namespace. */
  public static all(): WaypointNamespaces {
    return new WaypointNamespaces(GatewaySpecListenersAllowedRoutesNamespacesFrom.ALL);
  }

  /** Namespaces whose labels match, e.g. `{ 'kubernetes.io/metadata.name': 'shop' }`. */
  public static withLabels(labels: { [key: string]: string }): WaypointNamespaces {
    return new WaypointNamespaces(GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR, { ...labels });
  }

  private constructor(
    private readonly from: GatewaySpecListenersAllowedRoutesNamespacesFrom,
    private readonly labels?: { [key: string]: string },
  ) {}

  /** @internal */
  public _render(): { from: GatewaySpecListenersAllowedRoutesNamespacesFrom; selector?: { matchLabels: { [key: string]: string } } } {
    return this.labels ? { from: this.from, selector: { matchLabels: this.labels } } : { from: this.from };
  }
}

/** A waypoint, defined by this program (`Waypoint`) or elsewhere (`Waypoint.fromName`). */
export interface IWaypoint {
  /** The name of the waypoint's Gateway. */
  readonly name: string;
  /**
   * The namespace of the waypoint's Gateway.
   * @default - the namespace of the resource that uses it
   */
  readonly namespace?: string;
}

/** Properties of a `Waypoint`. */
export interface WaypointProps {
  /**
   * Metadata of the Gateway: name, namespace, more labels (e.g. `istio.io/rev` for a revision).
   * @default - named after the construct id, in the chart's namespace
   */
  readonly metadata?: ApiObjectMetadata;
  /**
   * Which traffic the waypoint handles. Written out even for `SERVICE`, as `istioctl waypoint generate` does.
   * @default WaypointTrafficType.SERVICE
   */
  readonly trafficType?: WaypointTrafficType;
  /**
   * The namespaces whose Services and workloads may use the waypoint.
   * @default - no `allowedRoutes`: only the waypoint's namespace
   */
  readonly allowedNamespaces?: WaypointNamespaces;
}

/**
 * An ambient-mode waypoint proxy: a Gateway API `Gateway` of class `istio-waypoint` with one HBONE listener
 * (`mesh`, port 15008), which Istio deploys as an Envoy proxy that enforces L7 policy and routing for the
 * Services or workloads that use it. A waypoint receives no traffic until a namespace
 * (`IstioNamespace.useWaypoint`), Service or workload (`Waypoint.use`) is enrolled. Policies bind to it with
 * `targetRefs: [PolicyTargetRef.fromResource(waypoint)]`.
 *
 * @example
 * declare const chart: Chart;
 * declare const reviews: kplus.Service;
 * const waypoint = new Waypoint(chart, 'waypoint');
 * Waypoint.use(reviews, waypoint);
 * @see https://istio.io/latest/docs/ambient/usage/waypoint/
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#gateway
 */
export class Waypoint extends Construct implements IWaypoint {
  /** A waypoint defined outside this program. */
  public static fromName(name: string, options: ReferenceOptions = {}): IWaypoint {
    return { name, namespace: options.namespace };
  }

  /**
   * Send the traffic of a Service, ServiceEntry or workload through `waypoint`: the label
   * `istio.io/use-waypoint` (and `istio.io/use-waypoint-namespace` when the waypoint is in another namespace)
   * on the Service or ServiceEntry, or on the pods of a workload (a cdk8s-plus workload or raw Pod,
   * Deployment, StatefulSet, DaemonSet, ReplicaSet or Job; the label goes on its pod template, which is what
   * Istio reads). A namespace is enrolled with `IstioNamespace.useWaypoint()`.
   */
  public static use(resource: IConstruct, waypoint: IWaypoint): void {
    const obj = apiObjectOf(resource);
    const labels = useWaypointLabels(waypoint, obj.metadata.namespace);
    if (LABELLED_KINDS.has(obj.kind)) {
      for (const [k, v] of Object.entries(labels)) obj.metadata.addLabel(k, v);
    } else if (POD_TEMPLATE_KINDS.has(obj.kind)) {
      // cdk8s-plus workloads expose their pod template's metadata; a raw workload is patched at its path.
      const podMetadata = (resource as { podMetadata?: { addLabel?: (k: string, v: string) => void } }).podMetadata;
      for (const [k, v] of Object.entries(labels)) {
        if (typeof podMetadata?.addLabel === 'function') podMetadata.addLabel(k, v);
        else obj.addJsonPatch(JsonPatch.add(`/spec/template/metadata/labels/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, v));
      }
    } else if (obj.kind === 'Namespace') {
      throw constructError(resource, {
        kind: 'Waypoint',
        field: 'use',
        problem: 'a namespace is enrolled through its IstioNamespace, which also checks that it runs in ambient mode',
        got: obj.kind,
        allowed: 'istioNamespace.useWaypoint(waypoint)',
      });
    } else {
      throw constructError(resource, {
        kind: 'Waypoint',
        field: 'use',
        problem: 'Istio reads istio.io/use-waypoint on Services, ServiceEntries and pods only',
        got: obj.kind,
        allowed: `a Service, ServiceEntry, Pod or workload (${[...POD_TEMPLATE_KINDS].join(', ')})`,
      });
    }
  }

  /** The Gateway object. */
  public readonly apiObject: ApiObject;
  /** Which traffic the waypoint handles. */
  public readonly trafficType: WaypointTrafficType;

  public constructor(scope: Construct, id: string, props: WaypointProps = {}) {
    super(scope, id);
    this.trafficType = props.trafficType ?? WaypointTrafficType.SERVICE;
    const allowedRoutes = props.allowedNamespaces ? { namespaces: props.allowedNamespaces._render() } : undefined;
    this.apiObject = new GatewayL1(this, 'Resource', {
      metadata: {
        ...props.metadata,
        name: props.metadata?.name ?? readableName(this),
        labels: { ...props.metadata?.labels, [WAYPOINT_LABELS.waypointFor]: this.trafficType },
      },
      spec: {
        gatewayClassName: WAYPOINT_CLASS,
        listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE', allowedRoutes }],
      },
    });
    // Join the app-wide analysis, which judges the rendered object like every other resource.
    resourceHooks.onCreate?.(this);
  }

  /** The name of the waypoint's Gateway. */
  public get name(): string {
    return this.apiObject.name;
  }

  /** The namespace of the waypoint's Gateway, when it or its chart sets one. */
  public get namespace(): string | undefined {
    return this.apiObject.metadata.namespace;
  }
}

/** Kinds whose own labels Istio reads for `istio.io/use-waypoint`. */
const LABELLED_KINDS = new Set(['Service', 'ServiceEntry', 'Pod', 'WorkloadEntry']);
/** Kinds whose pods carry the label, through the pod template. */
const POD_TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/**
 * The `istio.io/use-waypoint` labels of a resource in `namespace`: the waypoint's name, and its namespace when
 * it is another one. A waypoint without a namespace is taken to be in the resource's own.
 * @internal
 */
export function useWaypointLabels(waypoint: IWaypoint, namespace: string | undefined): { [key: string]: string } {
  const labels: { [key: string]: string } = { [WAYPOINT_LABELS.useWaypoint]: waypoint.name };
  if (waypoint.namespace !== undefined && waypoint.namespace !== namespace) labels[WAYPOINT_LABELS.useWaypointNamespace] = waypoint.namespace;
  return labels;
}
