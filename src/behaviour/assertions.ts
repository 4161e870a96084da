// Assertions about what the mesh does, for tests in any jsii language (in the spirit of aws-cdk's
// `assertions.Template`): build them from a chart, send a request, assert where it goes and who may make it.
// A failed assertion throws an Error that says what happened instead.
import { App, Chart } from 'cdk8s';
import { describeRef } from './data';
import { MeshModel, MeshModelOptions } from './model';
import { destinationRuleFor } from './policy';
import { fmtShare } from './routing';
import { AuthorizationDecision, MeshRequest, RouteAnswer, RouteCluster } from './types';
import { toFqdn } from '../analysis/hosts';
import { IHost } from '../core/host';
import { ISubset } from '../networking/destination-rule';
import { Principal } from '../security/principal';

/** An expected share of traffic for `RequestAssertion.splitsTraffic`. */
export interface TrafficShare {
  /** The subset. */
  readonly subset: ISubset;
  /** The percentage of requests it should get (0-100). */
  readonly weight: number;
}

/**
 * An expected share of traffic for `RequestAssertion.splitsTrafficAcross`: a backend host without a subset, as
 * Gateway API routes (and VirtualServices routing to several Services) split traffic.
 */
export interface HostShare {
  /** The backend host (a Service), e.g. `Host.fromService(reviewsV2)`. */
  readonly host: IHost;
  /** The percentage of requests it should get (0-100). */
  readonly weight: number;
}

/** Assertions on the behaviour of a mesh. */
export class MeshAssertions {
  /** Assertions on the app that `chart` belongs to (all its charts), with the chart's namespace as default. */
  public static fromChart(chart: Chart, options: MeshModelOptions = {}): MeshAssertions {
    return new MeshAssertions(MeshModel.fromChart(chart, options));
  }

  /** Assertions on every object of an app. */
  public static fromApp(app: App, options: MeshModelOptions = {}): MeshAssertions {
    return new MeshAssertions(MeshModel.fromApp(app, options));
  }

  /** Assertions on plain manifests. */
  public static fromManifests(objects: { [key: string]: any }[], options: MeshModelOptions = {}): MeshAssertions {
    return new MeshAssertions(MeshModel.fromManifests(objects, options));
  }

  /** Assertions on a model. */
  public static fromModel(model: MeshModel): MeshAssertions {
    return new MeshAssertions(model);
  }

  private constructor(
    /** The model the assertions ask. */
    public readonly model: MeshModel,
  ) {}

  /** A request to assert on (routed at once; routing errors in the input throw here). */
  public request(request: MeshRequest): RequestAssertion {
    return new RequestAssertion(this.model, request);
  }
}

/** Assertions on one request. */
export class RequestAssertion {
  /** How the mesh routes the request. */
  public readonly answer: RouteAnswer;

  /** @internal */
  constructor(private readonly model: MeshModel, private readonly request: MeshRequest) {
    this.answer = model.route(request);
  }

  /** Assert that every request goes to `subset` (100%). */
  public reachesSubset(subset: ISubset): RequestAssertion {
    const cluster = this.clusterOf(subset);
    const live = this.answer.clusters.filter(c => c.share > 0);
    if (this.answer.error || live.length !== 1 || live[0].cluster !== cluster) {
      this.fail(`to reach subset ${subset.subsetName} (${cluster})`);
    }
    return this;
  }

  /**
   * Assert that every request goes to `host` (100%, no subset): the backend of a Gateway API route, for example.
   * @see https://gateway-api.sigs.k8s.io/reference/spec/#httpbackendref
   */
  public reachesHost(host: IHost): RequestAssertion {
    const fqdn = this.fqdnOf(host);
    const live = this.answer.clusters.filter(c => c.share > 0);
    if (this.answer.error || live.length !== 1 || live[0].host !== fqdn || live[0].subset !== undefined) this.fail(`to reach ${fqdn}`);
    return this;
  }

  /** Assert that the request reaches exactly these hosts (no subsets) with these shares (percent). */
  public splitsTrafficAcross(shares: HostShare[]): RequestAssertion {
    const want = new Map<string, number>();
    for (const s of shares) if (s.weight > 0) want.set(this.fqdnOf(s.host), (want.get(this.fqdnOf(s.host)) ?? 0) + s.weight);
    const got = new Map<string, number>();
    for (const c of this.answer.clusters.filter(x => x.share > 0)) {
      // A subset cluster never equals a host, so it shows as a difference.
      const key = c.subset === undefined ? c.host : c.cluster;
      got.set(key, (got.get(key) ?? 0) + c.share);
    }
    const same = want.size === got.size && [...want].every(([k, v]) => Math.abs((got.get(k) ?? -1) - v) < 0.005);
    if (this.answer.error || !same) this.fail(`to split ${[...want].map(([k, v]) => `${k} ${fmtShare(v)}%`).join(', ')}`);
    return this;
  }

  /** Assert that the request reaches exactly these subsets with these shares (percent). */
  public splitsTraffic(shares: TrafficShare[]): RequestAssertion {
    const want = new Map<string, number>();
    for (const s of shares) want.set(this.clusterOf(s.subset), (want.get(this.clusterOf(s.subset)) ?? 0) + s.weight);
    const got = new Map<string, number>();
    for (const c of this.answer.clusters) if (c.share > 0) got.set(c.cluster, (got.get(c.cluster) ?? 0) + c.share);
    for (const [k, v] of want) if (v === 0) want.delete(k);
    const same = want.size === got.size && [...want].every(([k, v]) => Math.abs((got.get(k) ?? -1) - v) < 0.005);
    if (this.answer.error || !same) {
      this.fail(`to split ${[...want].map(([k, v]) => `${k} ${fmtShare(v)}%`).join(', ')}`);
    }
    return this;
  }

  /** Assert that routing fails with Istio's simulation error, e.g. `no route matched`. */
  public failsWith(error: string): RequestAssertion {
    if (this.answer.error !== error) this.fail(`to fail with '${error}'`);
    return this;
  }

  /** Assert that authorization on every workload the request reaches denies `principal`. */
  public isDeniedFor(principal: Principal): RequestAssertion {
    return this.authorizedAs(principal, false);
  }

  /** Assert that authorization on every workload the request reaches allows `principal`. */
  public isAllowedFor(principal: Principal): RequestAssertion {
    return this.authorizedAs(principal, true);
  }

  /**
   * Assert that every workload the request reaches accepts only Istio mutual TLS on the port (STRICT).
   */
  public requiresMtls(): RequestAssertion {
    for (const { cluster, workload } of this.destinations('mTLS')) {
      const caller = this.request.fromWorkload ?? workload;
      const a = this.model.mtls(caller, workload, cluster.port);
      if (a.serverMode !== 'STRICT') {
        throw new Error(`Expected ${this.describe()} to require mTLS, but ${workload} behind ${cluster.cluster} is ${a.serverMode}: ${a.explanation}`);
      }
    }
    return this;
  }

  private authorizedAs(principal: Principal, allowed: boolean): RequestAssertion {
    for (const { cluster, workload } of this.destinations('authorization')) {
      const data = this.model._data;
      const host = data.registryHost(cluster.host, data.workload(workload)!.namespace);
      const port = host?.ports.find(p => p.number === cluster.port)?.targetPort ?? cluster.port;
      const a = this.model.authorize({
        caller: { principal: principal.value },
        workload,
        port,
        method: this.request.method,
        path: this.request.path,
        host: this.request.host,
        headers: this.request.headers,
        protocol: this.request.protocol,
      });
      if ((a.decision === AuthorizationDecision.ALLOW) !== allowed) {
        throw new Error(`Expected ${this.describe()} to be ${allowed ? 'allowed' : 'denied'} for ${principal.value}, but on ${workload} it is ${a.decision}: ${a.explanation}`);
      }
    }
    return this;
  }

  /** The workloads (`ns/name`) behind each cluster the request reaches. */
  private destinations(what: string): Array<{ cluster: RouteCluster; workload: string }> {
    const data = this.model._data;
    const out: Array<{ cluster: RouteCluster; workload: string }> = [];
    if (this.answer.error || this.answer.clusters.length === 0) this.fail(`to reach a workload whose ${what} can be checked`);
    for (const c of this.answer.clusters.filter(x => x.share > 0)) {
      const ns = this.request.fromNamespace ?? data.defaultNamespace;
      const host = data.registryHost(c.host, ns);
      const dr = host ? destinationRuleFor(data, { namespace: ns, labels: {} }, c.host, host.namespace) : undefined;
      const labels = c.subset !== undefined ? dr?.subsets.find(s => s.subset.name === c.subset)?.subset.labels : undefined;
      const workloads = host ? data.endpoints(host, labels) : [];
      if (workloads.length === 0) {
        throw new Error(`Expected ${this.describe()} to reach workloads whose ${what} can be checked, but the input holds no workload behind ${c.cluster}`);
      }
      for (const w of workloads) out.push({ cluster: c, workload: `${w.namespace}/${w.obj.metadata?.name}` });
    }
    return out;
  }

  private fqdnOf(host: IHost): string {
    return toFqdn(host.hostname, host.namespace ?? this.model.defaultNamespace);
  }

  private clusterOf(subset: ISubset): string {
    const fqdn = toFqdn(subset.hostname, subset.namespace ?? this.model.defaultNamespace);
    const same = this.answer.clusters.find(c => c.host === fqdn && c.subset === subset.subsetName);
    return same?.cluster ?? `outbound|${this.answer.clusters[0]?.port ?? '?'}|${subset.subsetName}|${fqdn}`;
  }

  private describe(): string {
    const r = this.request;
    const via = r.gateway ? ` via gateway ${r.gateway}` : r.fromWorkload ? ` from ${r.fromWorkload}` : '';
    const headers = Object.entries(r.headers ?? {}).map(([k, v]) => ` ${k}: ${v}`).join(',');
    return `${r.method ?? 'GET'} ${r.host}${r.port ? `:${r.port}` : ''}${r.path ?? '/'}${headers ? ` [${headers.trim()}]` : ''}${via}`;
  }

  private fail(expected: string): never {
    const a = this.answer;
    const what = a.error
      ? `it fails with '${a.error}': ${a.explanation}`
      : a.clusters.length > 0
        ? `it goes to ${a.clusters.map(c => `${c.cluster} ${fmtShare(c.share)}%`).join(', ')} (decided by ${describeRef(a.decidedBy)}${a.route ? `, route ${a.route}` : ''})`
        : a.explanation;
    throw new Error(`Expected ${this.describe()} ${expected}, but ${what}${a.notes.length ? `. Notes: ${a.notes.join('; ')}` : ''}`);
  }
}
