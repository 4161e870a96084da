// ReferenceGrant: the permission, written in the target namespace, for Gateway API objects of another
// namespace to refer to its Services or Secrets. Without it a cross-namespace reference fails at runtime
// only (the route's status says RefNotPermitted), so the constructs write the grants they need themselves.
import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { GATEWAY_API_GROUP } from './parent-ref';
import { compact } from '../core/render';
import { IstioResource, IstioResourceProps } from '../core/resource';

/** Who a ReferenceGrant lets refer: the objects of one kind in one namespace. */
export interface ReferenceGrantFrom {
  /** The kind of the referring objects, e.g. `HTTPRoute` or `Gateway`. */
  readonly kind: string;
  /** The namespace of the referring objects. */
  readonly namespace: string;
  /**
   * The API group of the referring objects.
   * @default "gateway.networking.k8s.io"
   */
  readonly group?: string;
}

/** What a ReferenceGrant lets them refer to: objects of one kind in the grant's namespace. */
export interface ReferenceGrantTo {
  /** The kind of the objects, e.g. `Service` or `Secret`. */
  readonly kind: string;
  /**
   * The API group of the objects.
   * @default "" (the core group of Service and Secret)
   */
  readonly group?: string;
  /**
   * The name of the one object the grant is for.
   * @default - every object of the kind in the namespace
   */
  readonly name?: string;
}

/** Properties of a `ReferenceGrant`. */
export interface ReferenceGrantProps extends IstioResourceProps {
  /**
   * Who may refer. More can be added with `addFrom`.
   * @default - none; a grant needs at least one by synth
   */
  readonly from?: ReferenceGrantFrom[];
  /**
   * What they may refer to. More can be added with `addTo`.
   * @default - none; a grant needs at least one by synth
   */
  readonly to?: ReferenceGrantTo[];
}

/**
 * A Gateway API ReferenceGrant: lets objects in other namespaces (`from`) refer to objects in this one (`to`).
 * Every `from` may refer to every `to`.
 *
 * The routes and Gateways of this library write the grants their cross-namespace references need when both
 * ends are objects of the app (a backend `Host.fromService(svc)` in another namespace, a listener's
 * `CertificateRef.fromSecret(secret)`): one grant per target namespace, referring kind and referring namespace,
 * named `allow-<kind>-from-<namespace>` (e.g. `allow-httproute-from-frontend`), listing each target by name.
 * Turn it off with `createReferenceGrants: false` on the route or Gateway and write the grant yourself.
 *
 * @example
 * declare const chart: Chart;
 * new ReferenceGrant(chart, 'allow-frontend', {
 *   metadata: { namespace: 'backend' },
 *   from: [{ kind: 'HTTPRoute', namespace: 'frontend' }],
 *   to: [{ kind: 'Service', name: 'api' }],
 * });
 * @see https://gateway-api.sigs.k8s.io/api-types/referencegrant/
 */
export class ReferenceGrant extends IstioResource {
  private readonly from: ReferenceGrantFrom[] = [];
  private readonly to: ReferenceGrantTo[] = [];

  public constructor(scope: Construct, id: string, props: ReferenceGrantProps = {}) {
    super(scope, id, 'ReferenceGrant', props, `${GATEWAY_API_GROUP}/ReferenceGrant`);
    (props.from ?? []).forEach(f => this.addFrom(f));
    (props.to ?? []).forEach(t => this.addTo(t));
  }

  /** Let objects of one more kind and namespace refer. */
  public addFrom(from: ReferenceGrantFrom): ReferenceGrant {
    this.from.push(from);
    return this;
  }

  /** Let them refer to one more kind (or object). */
  public addTo(to: ReferenceGrantTo): ReferenceGrant {
    this.to.push(to);
    return this;
  }

  /** Whether the grant already lets them refer to this object. @internal */
  public _allows(kind: string, name: string): boolean {
    return this.to.some(t => (t.group ?? '') === '' && t.kind === kind && (t.name === undefined || t.name === name));
  }

  /** @internal */
  protected _render(): unknown {
    return compact({
      from: this.from.map(f => ({ group: f.group ?? GATEWAY_API_GROUP, kind: f.kind, namespace: f.namespace })),
      to: this.to.map(t => ({ group: t.group ?? '', kind: t.kind, name: t.name })),
    });
  }
}

/** The grants this library wrote, per app, by target namespace, referring kind and namespace. */
const GRANTS = new WeakMap<IConstruct, Map<string, ReferenceGrant>>();

/**
 * Make sure a ReferenceGrant lets `from` (a Gateway API object) refer to `target` (a Service or Secret of
 * the app), when they are in different namespaces. Called when the reference is added, since no construct
 * may be created at synth.
 * @internal
 */
export function grantReference(from: IstioResource, target: ApiObject): void {
  const fromNs = from.namespace;
  const toNs = target.metadata.namespace;
  if (fromNs === undefined || toNs === undefined || fromNs === toNs) return;
  const root = from.node.root;
  let grants = GRANTS.get(root);
  if (!grants) GRANTS.set(root, grants = new Map());
  const key = `${toNs}/${from.kind}/${fromNs}`;
  let grant = grants.get(key);
  if (!grant) {
    const name = `allow-${from.kind.toLowerCase()}-from-${fromNs}`;
    grant = new ReferenceGrant(Chart.of(target), `ReferenceGrant-${toNs}-${from.kind}-${fromNs}`, {
      metadata: { name, namespace: toNs },
      from: [{ kind: from.kind, namespace: fromNs }],
    });
    grants.set(key, grant);
  }
  if (!grant._allows(target.kind, target.name)) grant.addTo({ kind: target.kind, name: target.name });
}
