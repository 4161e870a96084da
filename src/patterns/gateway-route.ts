// How a pattern's cohort is written as HTTPRoute matches (internal): an Istio HttpMatch becomes an
// HTTPRouteMatch, or the problem that keeps it from being one (the Gateway API matches less than Istio).
import { formatProblem } from '../core/errors';
import { HttpMethod, HttpRouteMatch } from '../gateway-api/http-route';
import { HttpMatch } from '../networking/match';

/**
 * An Istio HttpMatch as an HTTPRouteMatch, or the message of the problem that keeps it from being one.
 * @internal
 */
export function gatewayMatch(m: HttpMatch, kind: string, field: string): HttpRouteMatch | string {
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
  if (method && method.type !== 'exact') {
    return problem('method', 'an HTTPRoute matches the method exactly', method._render(), 'StringMatch.exact(\'GET\')');
  }
  try {
    return HttpRouteMatch.of({ path: uri, headers, queryParams, method: method?.value as HttpMethod | undefined });
  } catch (e) {
    // HttpRouteMatch's own message (e.g. a prefix header match), for the pattern's field below the cohort.
    return `${kind}.${(e as Error).message.replace(/^HttpRouteMatch\./, `${field}.`)}`;
  }
}
