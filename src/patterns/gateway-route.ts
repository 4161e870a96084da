// The HTTPRoute a pattern writes with RoutingApi.GATEWAY_API, through the generated L1 binding, until the
// library's Gateway API constructs (HttpRoute, parent and backend references) are there to write it with.
// Internal: patterns hand it what their routes mean; nothing here is public API.
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { renderDuration } from '../core/duration';
import { formatProblem } from '../core/errors';
import { IHost } from '../core/host';
import { Percent } from '../core/percent';
import { HttpRoute as L1HttpRoute } from '../imports/gateway-api-gateway.networking.k8s.io';
import { HttpMatch } from '../networking/match';
import { StringMatch } from '../networking/string-match';

type Json = { [key: string]: any };

/** A backend of a rule: a version's Service. @internal */
export interface GatewayBackend {
  readonly host: IHost;
  readonly port?: number;
  readonly weight?: number;
}

/** One rule of the pattern's HTTPRoute. @internal */
export interface GatewayRule {
  readonly name: string;
  readonly matches?: Json[];
  readonly backends: GatewayBackend[];
  readonly mirror?: { readonly backend: GatewayBackend; readonly percent: Percent };
  readonly timeouts?: { readonly request?: Duration; readonly backendRequest?: Duration };
  readonly retry?: { readonly attempts?: number; readonly codes?: number[] };
}

/** The pattern's HTTPRoute, attached to its Service (GAMMA, mesh traffic). @internal */
export class PatternHttpRoute {
  public readonly route: L1HttpRoute;
  private readonly rules: Json[] = [];

  public constructor(scope: Construct, id: string, props: { name: string; service: IHost; hostnames?: string[] }) {
    // The L1 keeps this spec object, so the rules added below are in it when it renders.
    this.route = new L1HttpRoute(scope, id, {
      metadata: { name: props.name },
      spec: {
        parentRefs: [{ group: '', kind: 'Service', name: props.service.hostname }],
        hostnames: props.hostnames,
        rules: this.rules,
      },
    });
  }

  public addRule(rule: GatewayRule): void {
    const field = `HTTPRoute.spec.rules[${this.rules.length}]`;
    this.rules.push(compact({
      name: rule.name,
      matches: rule.matches,
      filters: rule.mirror && [{
        type: 'RequestMirror',
        requestMirror: { backendRef: backendRef(rule.mirror.backend), ...share(rule.mirror.percent) },
      }],
      backendRefs: rule.backends.map(b => compact({ ...backendRef(b), weight: b.weight })),
      timeouts: rule.timeouts && compact({
        request: rule.timeouts.request && renderDuration(rule.timeouts.request, 'HTTPRoute', `${field}.timeouts.request`),
        backendRequest: rule.timeouts.backendRequest && renderDuration(rule.timeouts.backendRequest, 'HTTPRoute', `${field}.timeouts.backendRequest`),
      }),
      retry: rule.retry && compact({ attempts: rule.retry.attempts, codes: rule.retry.codes }),
    }));
  }
}

/** Exact (the default, left out), RegularExpression; the Gateway API has no prefix match but on paths. */
const PATH_TYPES: { [type: string]: string } = { exact: 'Exact', prefix: 'PathPrefix', regex: 'RegularExpression' };

/**
 * An Istio HttpMatch as an HTTPRouteMatch, or the problem that keeps it from being one.
 * @internal
 */
export function gatewayMatch(m: HttpMatch, kind: string, field: string): Json | string {
  const { uri, headers, queryParams, method, ...rest } = m.options;
  const problem = (f: string, p: string, got: unknown, allowed: string) => formatProblem({ kind, field: `${field}.${f}`, problem: p, got, allowed });
  const unsupported = Object.entries(rest).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (unsupported.length > 0) {
    return problem(unsupported[0], 'an HTTPRoute matches only path, headers, query parameters and method', m._render(undefined),
      'a Cohort of headers, cookies or HttpMatch.uri/queryParam/method, or use routingApi: RoutingApi.ISTIO');
  }
  const claim = Object.keys(headers ?? {}).find(h => h.startsWith('@request.auth.claims.'));
  if (claim) {
    return problem('headers', 'an HTTPRoute cannot match JWT claims (Cohort.claim is an Istio VirtualService match)', claim,
      'have the gateway copy the claim to a header and use Cohort.header, or use routingApi: RoutingApi.ISTIO');
  }
  for (const [f, map] of [['headers', headers], ['queryParams', queryParams]] as const) {
    for (const [name, sm] of Object.entries(map ?? {})) {
      if (sm.type === 'prefix') {
        return problem(`${f}.${name}`, 'the Gateway API matches headers and query parameters exactly or by regular expression, not by prefix', sm.value,
          `StringMatch.exact(...) or StringMatch.regex('${sm.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*')`);
      }
    }
  }
  if (method && method.type !== 'exact') {
    return problem('method', 'an HTTPRoute matches the method exactly', method._render(), 'StringMatch.exact(\'GET\')');
  }
  return compact({
    path: uri && { type: PATH_TYPES[uri.type], value: uri.value },
    headers: nameMatches(headers),
    queryParams: nameMatches(queryParams),
    method: method?.value,
  });
}

function nameMatches(map: { [name: string]: StringMatch } | undefined): Json[] | undefined {
  if (!map || Object.keys(map).length === 0) return undefined;
  return Object.entries(map).map(([name, sm]) => compact({ name, type: sm.type === 'exact' ? undefined : PATH_TYPES[sm.type], value: sm.value }));
}

function backendRef(b: GatewayBackend): Json {
  const ports = b.host.ports;
  return compact({ name: b.host.hostname, namespace: undefined, port: b.port ?? (ports.length === 1 ? ports[0] : undefined) });
}

/** `percent` when whole (the CRD's integer), else the `fraction` the Gateway API has for the rest. */
function share(p: Percent): Json {
  return Number.isInteger(p.value) ? { percent: p.value } : { fraction: { numerator: Math.round(p.value * 10000), denominator: 1000000 } };
}

function compact(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
