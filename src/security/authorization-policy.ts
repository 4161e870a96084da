// AuthorizationPolicy: who may do what to which workloads. Its value types live here too: the action,
// sources (`from`), operations (`to`) and conditions (`when`) of a rule.
import { Construct, IConstruct } from 'constructs';
import { Principal, PrincipalOptions } from './principal';
import { PolicyTargetRef } from './target-ref';
import { formatProblem, invalidValue } from '../core/errors';
import { JsonMap } from '../core/json';
import { CONDITION_KEYS, checkConditionKey } from '../core/policy-grammar';
import { compact } from '../core/render';
import { IstioResource, IstioResourceProps } from '../core/resource';
import { WorkloadSelector } from '../core/selector';

/**
 * What a policy does with the requests its rules match.
 *
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#AuthorizationPolicy-Action
 */
export class AuthorizationAction {
  /** Allow matching requests. Once any ALLOW policy selects a workload, requests no ALLOW rule matches are denied. */
  public static readonly ALLOW = new AuthorizationAction('ALLOW');
  /** Deny matching requests. DENY policies are evaluated before ALLOW policies. */
  public static readonly DENY = new AuthorizationAction('DENY');
  /** Audit matching requests (needs an audit provider); does not change allow/deny. */
  public static readonly AUDIT = new AuthorizationAction('AUDIT');

  /**
   * Delegate the decision for matching requests to an external authorizer declared in
   * `meshConfig.extensionProviders` under `provider`.
   */
  public static custom(provider: string): AuthorizationAction {
    return new AuthorizationAction('CUSTOM', provider);
  }

  private constructor(
    /** The action as Istio writes it: ALLOW, DENY, AUDIT or CUSTOM. */
    public readonly action: string,
    /** The extension provider of a CUSTOM action. */
    public readonly provider?: string,
  ) {}
}

type ListField = () => string;

/** A list of strings that may hold values only known at synth (service-account principals). */
class Fields {
  private readonly fields = new Map<string, ListField[]>();

  public add(field: string, values: Array<string | ListField>): this {
    const list = this.fields.get(field) ?? [];
    for (const v of values) list.push(typeof v === 'string' ? () => v : v);
    this.fields.set(field, list);
    return this;
  }

  public merge(other: Fields): Fields {
    const out = new Fields();
    for (const src of [this, other]) for (const [k, v] of src.fields) out.add(k, v);
    return out;
  }

  /** The fields set, without producing their values (which may only be known at synth). */
  public names(): string[] {
    return [...this.fields].filter(([, v]) => v.length > 0).map(([k]) => k);
  }

  public render(): { [key: string]: string[] } {
    const out: { [key: string]: string[] } = {};
    for (const [k, v] of this.fields) if (v.length > 0) out[k] = v.map(f => f());
    return out;
  }
}

/** Every field of one `from` entry, for `Source.of()`. Values with `*` match by prefix or suffix. */
export interface SourceProps {
  /**
   * Peer identities (mTLS): `Principal.fromServiceAccount(sa)`, `Principal.of('cluster.local/ns/shop/*')`.
   * @default - any
   */
  readonly principals?: Principal[];
  /**
   * Peer identities that do not match.
   * @default - none excluded
   */
  readonly notPrincipals?: Principal[];
  /**
   * End-user identities from a validated JWT, `<iss>/<sub>`.
   * @default - any
   */
  readonly requestPrincipals?: string[];
  /**
   * End-user identities that do not match.
   * @default - none excluded
   */
  readonly notRequestPrincipals?: string[];
  /**
   * Namespaces of the peer (mTLS).
   * @default - any
   */
  readonly namespaces?: string[];
  /**
   * Namespaces that do not match.
   * @default - none excluded
   */
  readonly notNamespaces?: string[];
  /**
   * Source IPs or CIDRs of the connection.
   * @default - any
   */
  readonly ipBlocks?: string[];
  /**
   * Source IPs or CIDRs that do not match.
   * @default - none excluded
   */
  readonly notIpBlocks?: string[];
  /**
   * Original client IPs or CIDRs (X-Forwarded-For or PROXY protocol, per `numTrustedProxies`).
   * @default - any
   */
  readonly remoteIpBlocks?: string[];
  /**
   * Original client IPs or CIDRs that do not match.
   * @default - none excluded
   */
  readonly notRemoteIpBlocks?: string[];
  /**
   * Service accounts of the peer, `name` or `namespace/name`. Not together with principals or namespaces.
   * @default - any
   */
  readonly serviceAccounts?: string[];
  /**
   * Service accounts that do not match.
   * @default - none excluded
   */
  readonly notServiceAccounts?: string[];
  /**
   * Trust domains of the peer.
   * @default - any
   */
  readonly trustDomains?: string[];
  /**
   * Trust domains that do not match.
   * @default - none excluded
   */
  readonly notTrustDomains?: string[];
}

const PRINCIPAL_FIELDS = ['principals', 'notPrincipals'] as const;
const SOURCE_FIELDS = [
  'requestPrincipals', 'notRequestPrincipals', 'namespaces', 'notNamespaces',
  'ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks', 'serviceAccounts', 'notServiceAccounts',
  'trustDomains', 'notTrustDomains',
] as const;

/**
 * One `from` entry of a rule: who sends the request. A request matches when it matches every field set.
 * Combine fields into one entry with `and()`: `Source.serviceAccount(sa).and(Source.ipBlocks('10.0.0.0/8'))`.
 *
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Source
 */
export class Source {
  /** An entry with any fields at once. */
  public static of(props: SourceProps): Source {
    const f = new Fields();
    for (const k of PRINCIPAL_FIELDS) if (props[k] !== undefined) f.add(k, props[k]!.map(principalValue));
    for (const k of SOURCE_FIELDS) if (props[k] !== undefined) f.add(k, props[k]!);
    return new Source(f);
  }

  /**
   * Peer identities (mTLS principals): `Principal.fromServiceAccount(sa)`, or as written with
   * `Principal.of('cluster.local/ns/shop/*')` (`*` matches by prefix or suffix).
   */
  public static principals(...principals: Principal[]): Source {
    return Source.field('principals', principals.map(principalValue));
  }

  /** Peers whose identity is none of these. */
  public static notPrincipals(...principals: Principal[]): Source {
    return Source.field('notPrincipals', principals.map(principalValue));
  }

  /**
   * Workloads running as this ServiceAccount (cdk8s-plus-28 ... -33 `ServiceAccount` or a raw
   * `KubeServiceAccount`): the principal `<trust domain>/ns/<namespace>/sa/<name>`.
   */
  public static serviceAccount(serviceAccount: IConstruct, options: PrincipalOptions = {}): Source {
    return Source.principals(Principal.fromServiceAccount(serviceAccount, options));
  }

  /** Workloads that do not run as this ServiceAccount. */
  public static notServiceAccount(serviceAccount: IConstruct, options: PrincipalOptions = {}): Source {
    return Source.notPrincipals(Principal.fromServiceAccount(serviceAccount, options));
  }

  /** The `serviceAccounts` field: `name` (the policy's namespace) or `namespace/name`. Not with principals or namespaces. */
  public static serviceAccountNames(...names: string[]): Source {
    return Source.field('serviceAccounts', names);
  }

  /** The `notServiceAccounts` field. */
  public static notServiceAccountNames(...names: string[]): Source {
    return Source.field('notServiceAccounts', names);
  }

  /** Peers in these namespaces (needs mTLS). */
  public static namespaces(...namespaces: string[]): Source {
    return Source.field('namespaces', namespaces);
  }

  /** Peers in none of these namespaces. */
  public static notNamespaces(...namespaces: string[]): Source {
    return Source.field('notNamespaces', namespaces);
  }

  /** Connections from these IPs or CIDRs. */
  public static ipBlocks(...blocks: string[]): Source {
    return Source.field('ipBlocks', blocks);
  }

  /** Connections from none of these IPs or CIDRs. */
  public static notIpBlocks(...blocks: string[]): Source {
    return Source.field('notIpBlocks', blocks);
  }

  /** Original clients (X-Forwarded-For / PROXY protocol) from these IPs or CIDRs. */
  public static remoteIpBlocks(...blocks: string[]): Source {
    return Source.field('remoteIpBlocks', blocks);
  }

  /** Original clients from none of these IPs or CIDRs. */
  public static notRemoteIpBlocks(...blocks: string[]): Source {
    return Source.field('notRemoteIpBlocks', blocks);
  }

  /** End users with a validated JWT whose `<iss>/<sub>` matches; `*` means any validated token. */
  public static requestPrincipals(...principals: string[]): Source {
    return Source.field('requestPrincipals', principals);
  }

  /** End users whose `<iss>/<sub>` matches none of these; `notRequestPrincipals('*')` means "no valid token". */
  public static notRequestPrincipals(...principals: string[]): Source {
    return Source.field('notRequestPrincipals', principals);
  }

  /** Peers from these trust domains. */
  public static trustDomains(...domains: string[]): Source {
    return Source.field('trustDomains', domains);
  }

  /** Peers from none of these trust domains. */
  public static notTrustDomains(...domains: string[]): Source {
    return Source.field('notTrustDomains', domains);
  }

  private static field(name: string, values: Array<string | ListField>): Source {
    return new Source(new Fields().add(name, values));
  }

  private constructor(private readonly fields: Fields) {}

  /** One entry that matches only when this and `other` both match (their fields merged). */
  public and(other: Source): Source {
    return new Source(this.fields.merge(other.fields));
  }

  /** The fields this entry sets (`principals`, `paths`, ...), known before their values are. @internal */
  public _fieldNames(): string[] {
    return this.fields.names();
  }

  /** @internal */
  public _render(): { [key: string]: string[] } {
    return this.fields.render();
  }
}

/** A principal's string, read at synth (a ServiceAccount's namespace may be set late). */
function principalValue(p: Principal): ListField {
  if (!(p instanceof Principal)) {
    // jsii languages and plain JavaScript can pass a string here; say so instead of writing "[object Object]" or a guess.
    throw invalidValue({ kind: 'Source', field: 'principals', problem: 'a principal must be a Principal', got: p, allowed: 'Principal.of("cluster.local/ns/shop/sa/checkout") or Principal.fromServiceAccount(sa)' });
  }
  return () => p.value;
}

/** Every field of one `to` entry, for `Operation.of()`. */
export interface OperationProps {
  /**
   * Hosts (`Host` header / authority); `*` matches by prefix or suffix.
   * @default - any
   */
  readonly hosts?: string[];
  /**
   * Hosts that do not match.
   * @default - none excluded
   */
  readonly notHosts?: string[];
  /**
   * Destination ports of the workload.
   * @default - any
   */
  readonly ports?: number[];
  /**
   * Ports that do not match.
   * @default - none excluded
   */
  readonly notPorts?: number[];
  /**
   * HTTP methods (`GET`, ...; gRPC is always `POST`).
   * @default - any
   */
  readonly methods?: string[];
  /**
   * Methods that do not match.
   * @default - none excluded
   */
  readonly notMethods?: string[];
  /**
   * Paths: exact, `*` prefix/suffix, or templates with `{*}` and `{**}` segments.
   * @default - any
   */
  readonly paths?: string[];
  /**
   * Paths that do not match.
   * @default - none excluded
   */
  readonly notPaths?: string[];
}

/**
 * One `to` entry of a rule: what the request does. Combine fields with `and()`:
 * `Operation.methods('GET').and(Operation.paths('/api/*'))`.
 *
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Operation
 */
export class Operation {
  /** An entry with any fields at once. */
  public static of(props: OperationProps): Operation {
    const f = new Fields();
    const add = (k: string, v?: Array<string | number>) => { if (v !== undefined) f.add(k, v.map(String)); };
    add('hosts', props.hosts);
    add('notHosts', props.notHosts);
    add('ports', props.ports);
    add('notPorts', props.notPorts);
    add('methods', props.methods);
    add('notMethods', props.notMethods);
    add('paths', props.paths);
    add('notPaths', props.notPaths);
    return new Operation(f);
  }

  /** Requests with one of these HTTP methods. */
  public static methods(...methods: string[]): Operation {
    return Operation.of({ methods });
  }

  /** Requests with none of these methods. */
  public static notMethods(...methods: string[]): Operation {
    return Operation.of({ notMethods: methods });
  }

  /** Requests for one of these paths. */
  public static paths(...paths: string[]): Operation {
    return Operation.of({ paths });
  }

  /** Requests for none of these paths. */
  public static notPaths(...paths: string[]): Operation {
    return Operation.of({ notPaths: paths });
  }

  /** Requests for one of these hosts. */
  public static hosts(...hosts: string[]): Operation {
    return Operation.of({ hosts });
  }

  /** Requests for none of these hosts. */
  public static notHosts(...hosts: string[]): Operation {
    return Operation.of({ notHosts: hosts });
  }

  /** Connections to one of these workload ports (also matches TCP traffic). */
  public static ports(...ports: number[]): Operation {
    return Operation.of({ ports });
  }

  /** Connections to none of these ports. */
  public static notPorts(...ports: number[]): Operation {
    return Operation.of({ notPorts: ports });
  }

  private constructor(private readonly fields: Fields) {}

  /** One entry that matches only when this and `other` both match. */
  public and(other: Operation): Operation {
    return new Operation(this.fields.merge(other.fields));
  }

  /** The fields this entry sets (`principals`, `paths`, ...), known before their values are. @internal */
  public _fieldNames(): string[] {
    return this.fields.names();
  }

  /** @internal */
  public _render(): { [key: string]: string[] } {
    return this.fields.render();
  }
}

/** Values and excluded values of `Condition.match()`. */
export interface ConditionValues {
  /**
   * The condition holds when the attribute matches one of these.
   * @default - any value
   */
  readonly values?: string[];
  /**
   * The condition fails when the attribute matches one of these.
   * @default - none excluded
   */
  readonly notValues?: string[];
}

/**
 * One `when` entry of a rule: a request attribute and the values it must (not) have. Only keys Istio
 * accepts can be made; the typed factories write them for you.
 *
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Condition
 * @see https://istio.io/latest/docs/reference/config/security/conditions/
 */
export class Condition {
  /** `key` must be one of the values. Throws for a key Istio does not accept. */
  public static of(key: string, values: string[]): Condition {
    return Condition.match(key, { values });
  }

  /** `key` must be none of the values. */
  public static notOf(key: string, notValues: string[]): Condition {
    return Condition.match(key, { notValues });
  }

  /** `key` with both values and notValues. */
  public static match(key: string, options: ConditionValues): Condition {
    const err = checkConditionKey(key);
    if (err) throw invalidValue({ kind: 'Condition', field: 'key', problem: err, got: key, allowed: CONDITION_KEYS });
    return new Condition(key, options.values ? [...options.values] : undefined, options.notValues ? [...options.notValues] : undefined);
  }

  /** A JWT claim: `request.auth.claims[<claim>]`, e.g. `requestClaim('groups', ['admin'])`. */
  public static requestClaim(claim: string, values: string[]): Condition {
    return Condition.of(`request.auth.claims[${claim}]`, values);
  }

  /** A nested JWT claim: `request.auth.claims[a][b]`. */
  public static nestedRequestClaim(path: string[], values: string[]): Condition {
    return Condition.of(`request.auth.claims${path.map(p => `[${p}]`).join('')}`, values);
  }

  /** A request header: `request.headers[<name>]`. */
  public static requestHeader(name: string, values: string[]): Condition {
    return Condition.of(`request.headers[${name}]`, values);
  }

  /** `source.ip`: the connection's source IP or CIDR. */
  public static sourceIp(values: string[]): Condition {
    return Condition.of('source.ip', values);
  }

  /** `remote.ip`: the original client IP or CIDR. */
  public static remoteIp(values: string[]): Condition {
    return Condition.of('remote.ip', values);
  }

  /** `destination.ip`: the destination IP or CIDR. */
  public static destinationIp(values: string[]): Condition {
    return Condition.of('destination.ip', values);
  }

  /** `destination.port`: the workload port. */
  public static destinationPort(ports: number[]): Condition {
    return Condition.of('destination.port', ports.map(String));
  }

  /** `source.namespace`: the peer's namespace (mTLS). */
  public static sourceNamespace(values: string[]): Condition {
    return Condition.of('source.namespace', values);
  }

  /** `source.principal`: the peer's identity (mTLS). */
  public static sourcePrincipal(values: string[]): Condition {
    return Condition.of('source.principal', values);
  }

  /** `source.serviceAccount`: the peer's service account, `name` or `namespace/name`. */
  public static sourceServiceAccount(values: string[]): Condition {
    return Condition.of('source.serviceAccount', values);
  }

  /** `source.trustDomain`: the peer's trust domain. */
  public static sourceTrustDomain(values: string[]): Condition {
    return Condition.of('source.trustDomain', values);
  }

  /** `request.auth.principal`: the end user's `<iss>/<sub>`. */
  public static requestPrincipal(values: string[]): Condition {
    return Condition.of('request.auth.principal', values);
  }

  /** `request.auth.audiences`: the JWT's audiences. */
  public static requestAudiences(values: string[]): Condition {
    return Condition.of('request.auth.audiences', values);
  }

  /** `request.auth.presenter`: the JWT's authorized presenter (`azp`). */
  public static requestPresenter(values: string[]): Condition {
    return Condition.of('request.auth.presenter', values);
  }

  /** `connection.sni`: the TLS server name. */
  public static connectionSni(values: string[]): Condition {
    return Condition.of('connection.sni', values);
  }

  private constructor(
    /** The attribute key. */
    public readonly key: string,
    private readonly values?: string[],
    private readonly notValues?: string[],
  ) {}

  /** The same condition, also failing for these values. */
  public except(...notValues: string[]): Condition {
    return new Condition(this.key, this.values, [...(this.notValues ?? []), ...notValues]);
  }

  /** @internal */
  public _render(): JsonMap {
    return { key: this.key, values: this.values, notValues: this.notValues };
  }
}

/** One rule of a policy. A request matches when it matches `from`, `to` and `when` (each: any entry). */
export interface AuthorizationRule {
  /**
   * Who sends the request; any entry may match.
   * @default - any source
   */
  readonly from?: Source[];
  /**
   * What the request does; any entry may match.
   * @default - any operation
   */
  readonly to?: Operation[];
  /**
   * Further conditions; all must hold.
   * @default - none
   */
  readonly when?: Condition[];
}

/** Where a policy applies. */
export interface PolicyScopeOptions extends IstioResourceProps {
  /**
   * The workloads the policy applies to.
   * @default - every workload of the namespace
   */
  readonly selector?: WorkloadSelector;
  /**
   * Services, ServiceEntries or Gateway API gateways the policy applies to (instead of a selector).
   * @default - none
   */
  readonly targetRefs?: PolicyTargetRef[];
}

/** Properties of an `AuthorizationPolicy`. */
export interface AuthorizationPolicyProps extends IstioResourceProps {
  /**
   * What to do with matching requests.
   * @default - no `action` field, which Istio reads as ALLOW
   */
  readonly action?: AuthorizationAction;
  /**
   * The workloads the policy applies to. Give this or `targetRefs`, not both.
   * @default - every workload of the namespace (of the mesh in the root namespace)
   */
  readonly selector?: WorkloadSelector;
  /**
   * Services, ServiceEntries or Gateway API gateways the policy applies to. Give this or `selector`.
   * @default - none
   */
  readonly targetRefs?: PolicyTargetRef[];
  /**
   * The rules. More can be added with `addRule`. An ALLOW policy without rules allows nothing.
   * @default - none
   */
  readonly rules?: AuthorizationRule[];
}

/**
 * An Istio AuthorizationPolicy: which requests the selected workloads allow, deny, audit or hand to an
 * external authorizer.
 *
 * Safe patterns first: `AuthorizationPolicy.allowNothing()` per namespace, then narrow ALLOW rules with
 * `addRule()`. An ALLOW rule that matches everything must be stated with `AuthorizationPolicy.allowAll()`;
 * an empty rule added any other way fails synth.
 *
 * @example
 * declare const chart: Chart;
 * declare const deployment: kplus.Deployment;
 * declare const frontend: kplus.ServiceAccount;
 * AuthorizationPolicy.allowNothing(chart, 'allow-nothing');
 * new AuthorizationPolicy(chart, 'get-from-frontend', {
 *   selector: WorkloadSelector.fromWorkload(deployment),
 *   rules: [{ from: [Source.serviceAccount(frontend)], to: [Operation.methods('GET')] }],
 * });
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 */
export class AuthorizationPolicy extends IstioResource {
  /**
   * An ALLOW policy without rules: the workloads in scope (the namespace by default) accept no request
   * until another ALLOW policy allows it. Named `allow-nothing` unless `metadata.name` is given.
   */
  public static allowNothing(scope: Construct, id: string, options: PolicyScopeOptions = {}): AuthorizationPolicy {
    return new AuthorizationPolicy(scope, id, AuthorizationPolicy.scoped('allow-nothing', options));
  }

  /**
   * A DENY policy whose one empty rule matches every request: nothing in scope is reachable, whatever any
   * ALLOW policy says. Named `deny-all` unless `metadata.name` is given.
   */
  public static denyAll(scope: Construct, id: string, options: PolicyScopeOptions = {}): AuthorizationPolicy {
    return new AuthorizationPolicy(scope, id, { ...AuthorizationPolicy.scoped('deny-all', options), action: AuthorizationAction.DENY, rules: [{}] });
  }

  /**
   * An ALLOW policy whose one empty rule matches every request: everything in scope is reachable by
   * anyone, and other ALLOW policies in scope stop restricting anything. This is the only way to write an
   * allow-everything rule; it exists so that the choice is visible in code review. Named `allow-all`
   * unless `metadata.name` is given.
   */
  public static allowAll(scope: Construct, id: string, options: PolicyScopeOptions = {}): AuthorizationPolicy {
    const policy = new AuthorizationPolicy(scope, id, { ...AuthorizationPolicy.scoped('allow-all', options), rules: [{}] });
    policy.allowAllOnPurpose = true;
    return policy;
  }

  private static scoped(name: string, options: PolicyScopeOptions): AuthorizationPolicyProps {
    const metadata = { name, ...options.metadata };
    return { metadata, selector: options.selector, targetRefs: options.targetRefs };
  }

  /** The action of the policy. */
  public readonly action: AuthorizationAction;
  private readonly explicitAction: boolean;
  private readonly selector?: WorkloadSelector;
  private readonly targetRefs?: PolicyTargetRef[];
  private readonly rules: AuthorizationRule[] = [];
  private allowAllOnPurpose = false;

  public constructor(scope: Construct, id: string, props: AuthorizationPolicyProps = {}) {
    super(scope, id, 'AuthorizationPolicy', props);
    this.action = props.action ?? AuthorizationAction.ALLOW;
    this.explicitAction = props.action !== undefined;
    this.selector = props.selector;
    this.targetRefs = props.targetRefs ? [...props.targetRefs] : undefined;
    for (const r of props.rules ?? []) this.addRule(r);
  }

  /** Add a rule. A request matching any rule gets the policy's action. */
  public addRule(rule: AuthorizationRule): AuthorizationPolicy {
    this.rules.push(rule);
    return this;
  }

  /** @internal */
  protected _render(): unknown {
    const spec: JsonMap = compact({
      selector: this.selector ? { matchLabels: this.selector.matchLabels } : undefined,
      targetRefs: this.targetRefs?.map(t => t._render()),
      action: this.explicitAction || this.action.action !== 'ALLOW' ? this.action.action : undefined,
      provider: this.action.provider !== undefined ? { name: this.action.provider } : undefined,
    }) ?? {};
    // Rendered as given, not compacted: an empty rule, source or operation changes what the policy
    // matches, so it must reach the manifest (and the analysis) rather than vanish.
    if (this.rules.length > 0) spec.rules = this.rules.map(renderRule);
    return spec;
  }

  /** @internal */
  protected _validate(): string[] {
    const errors: string[] = [];
    if (this.action.action === 'ALLOW' && !this.allowAllOnPurpose) {
      this.rules.forEach((r, i) => {
        if (r.from === undefined && r.to === undefined && r.when === undefined) {
          errors.push(formatProblem({
            kind: 'AuthorizationPolicy',
            field: `spec.rules[${i}]`,
            problem: 'an ALLOW rule without from, to or when allows every request to the workloads in scope',
            got: {},
            allowed: 'narrow it with from/to/when, or state it on purpose with AuthorizationPolicy.allowAll()',
          }));
        }
      });
    }
    (this.targetRefs ?? []).forEach((t, i) => {
      const other = t._crossNamespace(this.namespace);
      if (other) {
        errors.push(formatProblem({
          kind: 'AuthorizationPolicy',
          field: `spec.targetRefs[${i}]`,
          problem: 'a policy can only target resources in its own namespace',
          got: other,
          allowed: `namespace ${this.namespace ?? '(none)'}`,
        }));
      }
    });
    return errors;
  }
}

function renderRule(rule: AuthorizationRule): JsonMap {
  const out: JsonMap = {};
  if (rule.from !== undefined) out.from = rule.from.map(s => ({ source: s._render() }));
  if (rule.to !== undefined) out.to = rule.to.map(o => ({ operation: o._render() }));
  if (rule.when !== undefined) out.when = rule.when.map(c => compact(c._render()));
  return out;
}
