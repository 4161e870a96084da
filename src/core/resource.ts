// The base of every Istio construct: one generated L1 object whose spec is produced lazily, so `add*`
// methods work until synth, plus the construct-level checks and the hook into app-wide analysis.
import { ApiObject, ApiObjectMetadata, Chart, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { IstioApi } from './api-version';
import { formatProblem } from './errors';
import { l1ClassFor } from './l1';

/**
 * Properties common to every Istio resource.
 */
export interface IstioResourceProps {
  /**
   * Metadata of the resource: name, namespace, labels, annotations.
   * @default - named after the construct id (see `IstioResource`), in the namespace of the chart
   */
  readonly metadata?: ApiObjectMetadata;
}

/**
 * A hook the analysis module installs so that every Istio resource joins the app-wide analysis.
 * Kept as a registry to avoid an import cycle between core and analysis.
 * @internal
 */
export const resourceHooks: { onCreate?: (r: Construct) => void } = {};

/**
 * Base class of the Istio constructs (internal: jsii copies its members into each kind).
 * `apiObject` is the escape hatch: `apiObject.addJsonPatch(...)`.
 *
 * Names: `metadata.name` is the construct id unless given, so the names users refer to (`gateways: [public]`,
 * error messages, `kubectl get`) are the ones they wrote. Inside a pattern, the ids below the chart are joined
 * (`canary` / `DestinationRule` -> `canary-destination-rule`). Two objects of one kind and namespace with one
 * name fail synth, naming both constructs.
 * @internal
 */
export abstract class IstioResource extends Construct {
  /** The underlying Kubernetes object. */
  public readonly apiObject: ApiObject;

  /** The Istio kind, e.g. `VirtualService`. */
  public readonly kind: string;

  /** An earlier object of this kind, namespace and name, if any (a clash reported at synth). */
  private readonly sameName?: IstioResource;

  /**
   * @param l1Kind the binding's key in `l1ClassFor` when the kind alone is ambiguous (the Gateway API's
   * `gateway.networking.k8s.io/Gateway` beside Istio's `Gateway`)
   */
  protected constructor(scope: Construct, id: string, kind: string, props: IstioResourceProps = {}, l1Kind: string = kind) {
    super(scope, id);
    this.kind = kind;
    const L1 = l1ClassFor(l1Kind, IstioApi.versionOf(this));
    this.apiObject = new L1(this, 'Resource', {
      metadata: { ...props.metadata, name: props.metadata?.name ?? readableName(this) },
      spec: Lazy.any({ produce: () => this._render() }),
    });
    this.sameName = claimName(this);
    // No validation of its own: the app's analysis runs every resource's construct checks once per synth and
    // attaches errors to the failing constructs only, since cdk8s walks every validation once per chart.
    resourceHooks.onCreate?.(this);
  }

  /** The name of the resource (`metadata.name`). */
  public get name(): string {
    return this.apiObject.name;
  }

  /** The namespace of the resource, when it or its chart sets one. */
  public get namespace(): string | undefined {
    return this.apiObject.metadata.namespace;
  }

  /**
   * The spec as the L1 binding takes it. Called at synth.
   * @internal
   */
  protected abstract _render(): unknown;

  /**
   * The construct-level problems, for the app's analysis to report at synth.
   * @internal
   */
  public _constructErrors(): string[] {
    const errors = this._validate();
    if (this.sameName) {
      const ns = this.namespace === undefined ? 'without a namespace' : `in namespace "${this.namespace}"`;
      errors.unshift(formatProblem({
        kind: this.kind,
        field: 'metadata.name',
        problem: `${this.sameName.node.path} already defines a ${this.kind} of this name ${ns}, so one would replace the other in the cluster`,
        got: this.name,
        allowed: 'give one of them another construct id or metadata.name',
      }));
    }
    return errors;
  }

  /**
   * Construct-level problems that only the typed API can see (a route without destinations, ...).
   * Istio's own rules are checked by the analysis engine over the synthesized object, not here.
   * @internal
   */
  protected _validate(): string[] {
    return [];
  }
}

/**
 * The default name: the construct ids from below the chart down to the resource, in DNS form
 * (`public`, `AllowNothing` -> `allow-nothing`, `canary`/`VirtualService` -> `canary-virtual-service`).
 * @internal
 */
export function readableName(resource: IConstruct): string | undefined {
  const scopes = resource.node.scopes;
  const chart = Chart.of(resource);
  const ids = scopes.slice(scopes.indexOf(chart) + 1).map(c => dnsName(c.node.id)).filter(id => id.length > 0);
  const name = ids.join('-');
  // Ids with nothing DNS-like in them keep cdk8s's default (a name derived from the path, with a hash).
  return name.length > 0 && name.length <= 253 ? name : undefined;
}

function dnsName(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
}

/** The objects by kind, namespace and name, per app: names are fixed once an ApiObject exists. */
const NAMES = new WeakMap<IConstruct, Map<string, IstioResource>>();

function claimName(resource: IstioResource): IstioResource | undefined {
  const root = resource.node.root;
  let names = NAMES.get(root);
  if (!names) NAMES.set(root, names = new Map());
  // The API group is part of the key: an Istio Gateway and a Gateway API Gateway may share a name.
  const key = `${resource.apiObject.apiGroup}/${resource.kind}/${resource.namespace ?? ''}/${resource.name}`;
  const first = names.get(key);
  if (first) return first;
  names.set(key, resource);
  return undefined;
}
