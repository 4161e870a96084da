// PeerAuthentication: whether sidecars accept plaintext, mTLS or both, mesh-wide (root namespace),
// per namespace, per workload and per port. The mode values and their port-level overrides live here.
import { Construct } from 'constructs';
import { formatProblem } from '../core/errors';
import { compact } from '../core/render';
import { IstioResource, IstioResourceProps } from '../core/resource';
import { WorkloadSelector } from '../core/selector';

/**
 * The mutual TLS mode of a workload's inbound traffic.
 *
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/#PeerAuthentication-MutualTLS-Mode
 */
export enum MtlsMode {
  /** Inherit the mode from the parent scope (workload <- namespace <- mesh); PERMISSIVE when none sets one. */
  UNSET = 'UNSET',
  /** Plaintext only: mTLS is not accepted. */
  DISABLE = 'DISABLE',
  /** Both plaintext and mTLS are accepted; use it while migrating. */
  PERMISSIVE = 'PERMISSIVE',
  /** mTLS only: plaintext connections are refused. */
  STRICT = 'STRICT',
}

/** The mTLS mode of one port of the selected workloads. */
export interface PortMtls {
  /** The workload (container) port number, 1 to 65535. */
  readonly port: number;
  /** The mode on this port. */
  readonly mode: MtlsMode;
}

/** Properties of a `PeerAuthentication`. */
export interface PeerAuthenticationProps extends IstioResourceProps {
  /**
   * The mTLS mode.
   * @default - no `mtls` field: the mode is inherited from the namespace or mesh policy (UNSET)
   */
  readonly mtls?: MtlsMode;
  /**
   * The workloads the policy applies to.
   * @default - every workload of the namespace (of the whole mesh in the root namespace)
   */
  readonly selector?: WorkloadSelector;
  /**
   * Per-port overrides. Istio only accepts them together with a selector. More can be added with `addPortMtls`.
   * @default - none
   */
  readonly portLevelMtls?: PortMtls[];
}

/** Options of the mesh-wide helpers. */
export interface MeshWideMtlsOptions extends IstioResourceProps {
  /**
   * The mesh root namespace (`meshConfig.rootNamespace`); a policy there applies to the whole mesh.
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
}

/**
 * An Istio PeerAuthentication: the mutual TLS mode that sidecars enforce on inbound traffic.
 *
 * Start with `PeerAuthentication.meshWideStrict()`: every workload then refuses plaintext.
 *
 * @example
 * declare const meshChart: Chart;
 * declare const chart: Chart;
 * PeerAuthentication.meshWideStrict(meshChart, 'strict-mtls');   // istio-system
 * PeerAuthentication.namespaceStrict(chart, 'ns-strict');         // the chart's namespace only
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
export class PeerAuthentication extends IstioResource {
  /**
   * STRICT mTLS for the whole mesh: a policy named `default` without selector in the root namespace.
   */
  public static meshWideStrict(scope: Construct, id: string, options: MeshWideMtlsOptions = {}): PeerAuthentication {
    return PeerAuthentication.meshWide(scope, id, MtlsMode.STRICT, options);
  }

  /** A mesh-wide mode: a policy named `default` without selector in the root namespace. */
  public static meshWide(scope: Construct, id: string, mode: MtlsMode, options: MeshWideMtlsOptions = {}): PeerAuthentication {
    const metadata = { name: 'default', ...options.metadata, namespace: options.rootNamespace ?? 'istio-system' };
    return new PeerAuthentication(scope, id, { metadata, mtls: mode });
  }

  /** STRICT mTLS for every workload of one namespace: a policy named `default` without selector. */
  public static namespaceStrict(scope: Construct, id: string, options: IstioResourceProps = {}): PeerAuthentication {
    return PeerAuthentication.namespaceWide(scope, id, MtlsMode.STRICT, options);
  }

  /** A namespace-wide mode: a policy named `default` without selector. */
  public static namespaceWide(scope: Construct, id: string, mode: MtlsMode, options: IstioResourceProps = {}): PeerAuthentication {
    return new PeerAuthentication(scope, id, { metadata: { name: 'default', ...options.metadata }, mtls: mode });
  }

  private readonly mtls?: MtlsMode;
  private readonly selector?: WorkloadSelector;
  private readonly ports: PortMtls[] = [];

  public constructor(scope: Construct, id: string, props: PeerAuthenticationProps = {}) {
    super(scope, id, 'PeerAuthentication', props);
    this.mtls = props.mtls;
    this.selector = props.selector;
    for (const p of props.portLevelMtls ?? []) this.addPortMtls(p.port, p.mode);
  }

  /** Set the mode of one port of the selected workloads (needs a selector). */
  public addPortMtls(port: number, mode: MtlsMode): PeerAuthentication {
    this.ports.push({ port, mode });
    return this;
  }

  /** @internal */
  protected _render(): unknown {
    const portLevelMtls: { [port: string]: { mode: MtlsMode } } = {};
    for (const p of this.ports) portLevelMtls[String(p.port)] = { mode: p.mode };
    return compact({
      selector: this.selector ? { matchLabels: this.selector.matchLabels } : undefined,
      mtls: this.mtls ? { mode: this.mtls } : undefined,
      portLevelMtls,
    }) ?? {};
  }

  /** @internal */
  protected _validate(): string[] {
    // A map key can hold one mode per port; a second entry would silently replace the first in the output.
    const seen = new Set<number>();
    const errors: string[] = [];
    for (const p of this.ports) {
      if (seen.has(p.port)) errors.push(formatProblem({ kind: 'PeerAuthentication', field: `spec.portLevelMtls.${p.port}`, problem: 'the port is given twice; the manifest would keep only the last mode', got: p.port, allowed: 'one mode per port' }));
      seen.add(p.port);
    }
    return errors;
  }
}
