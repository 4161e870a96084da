// Request/answer cases written from Istio's documented semantics, each citing the document it follows. The
// behaviour suite (behaviour.ts) and a jest test (test/behaviour/conformance.test.ts) run them.
import { MeshModel, MeshRequest, AuthorizationRequest } from '../../src';

/** One documented behaviour, as a request and its expected answer. */
export interface BehaviourCase {
  readonly name: string;
  /** The Istio (or Envoy) document the expectation follows. */
  readonly cite: string;
  readonly yaml: string;
  readonly route?: MeshRequest;
  readonly authorize?: AuthorizationRequest;
  readonly mtls?: [string, string, number];
  /** Expected fields: route `virtualHost`, `route`, `clusters` (`cluster share` list), `error`, `decidedBy`;
   * authorization `decision`, `policy`; mTLS `serverMode`, `clientMode`, `canConnect`. */
  readonly expect: Record<string, unknown>;
}

const svc = (name: string, ns: string, port: number, versions: string[] = ['v1'], portName = 'http') => `
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${ns} }
spec: { selector: { app: ${name} }, ports: [{ name: ${portName}, port: ${port}, targetPort: ${port} }] }
${versions.map(v => `---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}-${v}, namespace: ${ns} }
spec:
  selector: { matchLabels: { app: ${name}, version: ${v} } }
  template:
    metadata: { labels: { app: ${name}, version: ${v} } }
    spec: { serviceAccountName: ${name}, containers: [{ name: app, image: x, ports: [{ containerPort: ${port} }] }] }`).join('\n')}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${name}, namespace: ${ns} }
spec: { host: ${name}, subsets: [${versions.map(v => `{ name: ${v}, labels: { version: ${v} } }`).join(', ')}] }
`;

const REVIEWS = svc('reviews', 'default', 9080, ['v1', 'v2', 'v3']);
const C = (v: string) => `outbound|9080|${v}|reviews.default.svc.cluster.local`;
const VS = 'https://istio.io/latest/docs/reference/config/networking/virtual-service/';
const GW = 'https://istio.io/latest/docs/reference/config/networking/gateway/';
const AP = 'https://istio.io/latest/docs/reference/config/security/authorization-policy/';
const PA = 'https://istio.io/latest/docs/reference/config/security/peer_authentication/';
const INGRESS = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: gw, namespace: default }
spec:
  selector: { istio: ingressgateway }
  servers:
  - { port: { number: 8080, name: http, protocol: HTTP }, hosts: ['default/*.example.com'] }
  - { port: { number: 8443, name: https, protocol: HTTPS }, hosts: ['tls.example.com'], tls: { mode: PASSTHROUGH } }
  - { port: { number: 8081, name: http-redirect, protocol: HTTP }, hosts: ['*'], tls: { httpsRedirect: true } }
`;

const jasonVs = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: default }
spec:
  hosts: [reviews]
  http:
  - name: jason
    match: [{ headers: { end-user: { exact: jason } }, uri: { prefix: /reviews } }, { queryParams: { v: { exact: '2' } } }]
    route: [{ destination: { host: reviews, subset: v2 } }]
  - name: everyone
    route: [{ destination: { host: reviews, subset: v1 }, weight: 75 }, { destination: { host: reviews, subset: v3 }, weight: 25 }]
`;

const policy = (name: string, ns: string, spec: string, annotations = '') => `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ${name}, namespace: ${ns}${annotations} }
spec: ${spec}
`;

const caller = (principal: string) => ({ principal });
const AMBIENT_L4 = 'https://istio.io/latest/docs/ambient/usage/l4-policy/';
const AMBIENT_WAYPOINT = 'https://istio.io/latest/docs/ambient/usage/l7-features/';
const GWAPI_SPEC = 'https://gateway-api.sigs.k8s.io/reference/spec/';
const ZTUNNEL_CONVERSION = 'istio/istio pilot/pkg/serviceregistry/kube/controller/ambient/authorization.go';
const AMBIENT_NS = `
apiVersion: v1
kind: Namespace
metadata: { name: default, labels: { istio.io/dataplane-mode: ambient } }
---`;
const AMBIENT_NS_WP = `
apiVersion: v1
kind: Namespace
metadata: { name: default, labels: { istio.io/dataplane-mode: ambient, istio.io/use-waypoint: waypoint } }
---`;
const WAYPOINT = `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: waypoint, namespace: default }
spec: { gatewayClassName: istio-waypoint, listeners: [{ name: mesh, port: 15008, protocol: HBONE }] }
`;
const GW_HTTP = `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: web, namespace: default }
spec: { gatewayClassName: istio, listeners: [{ name: http, port: 80, protocol: HTTP }] }
---
apiVersion: v1
kind: Service
metadata: { name: ratings, namespace: default }
spec: { selector: { app: ratings }, ports: [{ name: http, port: 9080 }] }
`;


/** The cases. */
export const CASES: BehaviourCase[] = [
  {
    name: 'without a VirtualService the default route sends everything to the host',
    cite: 'https://istio.io/latest/docs/concepts/traffic-management/#virtual-services',
    yaml: REVIEWS,
    route: { host: 'reviews' },
    expect: { virtualHost: 'reviews.default.svc.cluster.local:9080', route: 'default', clusters: ['outbound|9080||reviews.default.svc.cluster.local 100'] },
  },
  {
    name: 'routing rules are evaluated in order; the first match wins',
    cite: 'https://istio.io/latest/docs/concepts/traffic-management/#routing-rule-precedence',
    yaml: REVIEWS + '---' + jasonVs,
    route: { host: 'reviews', path: '/reviews/1', headers: { 'end-user': 'jason' } },
    expect: { route: 'jason', clusters: [`${C('v2')} 100`], decidedBy: 'VirtualService default/reviews spec.http[0]' },
  },
  {
    name: 'conditions inside one match block are ANDed',
    cite: `${VS}#HTTPMatchRequest`,
    yaml: REVIEWS + '---' + jasonVs,
    route: { host: 'reviews', path: '/other', headers: { 'end-user': 'jason' } },
    expect: { route: 'everyone', clusters: [`${C('v1')} 75`, `${C('v3')} 25`] },
  },
  {
    name: 'match blocks are ORed',
    cite: `${VS}#HTTPMatchRequest`,
    yaml: REVIEWS + '---' + jasonVs,
    route: { host: 'reviews', path: '/x?v=2' },
    expect: { route: 'jason', clusters: [`${C('v2')} 100`] },
  },
  {
    name: 'with no rule matching and no catch-all, no route matches',
    cite: 'https://istio.io/latest/docs/ops/best-practices/traffic-management/#set-default-routes-for-services',
    yaml: REVIEWS + `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: default }
spec: { hosts: [reviews], http: [{ name: only-v2, match: [{ uri: { prefix: /v2 } }], route: [{ destination: { host: reviews, subset: v2 } }] }] }`,
    route: { host: 'reviews', path: '/v1' },
    expect: { virtualHost: 'reviews.default.svc.cluster.local:9080', error: 'no route matched' },
  },
  {
    name: 'a single destination gets all traffic; weights split the rest proportionally',
    cite: `${VS}#HTTPRouteDestination`,
    yaml: REVIEWS + '---' + jasonVs,
    route: { host: 'reviews.default.svc.cluster.local' },
    expect: { clusters: [`${C('v1')} 75`, `${C('v3')} 25`] },
  },
  {
    name: 'an exact host wins over a wildcard host',
    cite: 'https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-virtualhost',
    yaml: INGRESS + `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: wild, namespace: default }
spec: { hosts: ['*.example.com'], gateways: [gw], http: [{ name: wild, route: [{ destination: { host: reviews, subset: v1 } }] }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: exact, namespace: default }
spec: { hosts: [shop.example.com], gateways: [gw], http: [{ name: exact, route: [{ destination: { host: reviews, subset: v2 } }] }] }
---` + REVIEWS,
    route: { host: 'shop.example.com', port: 8080, gateway: 'default/gw' },
    expect: { virtualHost: 'shop.example.com:8080', route: 'exact', clusters: [`${C('v2')} 100`] },
  },
  {
    name: 'a wildcard host takes the names an exact host does not',
    cite: 'https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-virtualhost',
    yaml: INGRESS + `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: wild, namespace: default }
spec: { hosts: ['*.example.com'], gateways: [gw], http: [{ name: wild, route: [{ destination: { host: reviews, subset: v1 } }] }] }
---` + REVIEWS,
    route: { host: 'blog.example.com', port: 8080, gateway: 'default/gw' },
    expect: { virtualHost: '*.example.com:8080', route: 'wild', clusters: [`${C('v1')} 100`] },
  },
  {
    name: 'a VirtualService host outside the server hosts is not bound to the gateway',
    cite: `${GW}#Server`,
    yaml: INGRESS + `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop, namespace: default }
spec: { hosts: [shop.example.com, shop.example.org], gateways: [gw], http: [{ name: shop, route: [{ destination: { host: reviews } }] }] }
---` + REVIEWS,
    route: { host: 'shop.example.org', port: 8080, gateway: 'default/gw' },
    expect: { error: 'no virtual host matched' },
  },
  {
    name: 'a server host `ns/host` binds only VirtualServices of that namespace',
    cite: `${GW}#Server`,
    yaml: INGRESS + `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop, namespace: other }
spec: { hosts: [shop.example.com], gateways: [default/gw], http: [{ name: shop, route: [{ destination: { host: reviews.default.svc.cluster.local } }] }] }
---` + REVIEWS,
    route: { host: 'shop.example.com', port: 8080, gateway: 'default/gw' },
    expect: { virtualHost: 'blackhole:8080', error: 'no route matched' },
  },
  {
    name: 'a gateway with no server on the port has no listener',
    cite: `${GW}#Port`,
    yaml: INGRESS,
    route: { host: 'shop.example.com', port: 9999, gateway: 'default/gw' },
    expect: { error: 'no listener matched' },
  },
  {
    name: 'httpsRedirect answers plaintext requests with a redirect to https',
    cite: `${GW}#ServerTLSSettings`,
    yaml: INGRESS + `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: any, namespace: default }
spec: { hosts: ['*'], gateways: [gw], http: [{ name: any, route: [{ destination: { host: reviews } }] }] }
---` + REVIEWS,
    route: { host: 'shop.example.com', port: 8081, gateway: 'default/gw' },
    expect: { virtualHost: '*:8081', error: 'tls required, sending 301' },
  },
  {
    name: 'a PASSTHROUGH server routes TLS on its SNI through tls rules',
    cite: `${VS}#TLSRoute`,
    yaml: INGRESS + `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: tls, namespace: default }
spec: { hosts: [tls.example.com], gateways: [gw], tls: [{ match: [{ sniHosts: [tls.example.com], port: 8443 }], route: [{ destination: { host: reviews, subset: v3 } }] }] }
---` + REVIEWS,
    route: { host: 'tls.example.com', port: 8443, tls: true, protocol: 'tls' as any, gateway: 'default/gw' },
    expect: { clusters: [`${C('v3')} 100`], decidedBy: 'VirtualService default/tls spec.tls[0]' },
  },
  {
    name: 'delegation: the delegate\'s rules apply within the root rule\'s match',
    cite: `${VS}#Delegate`,
    yaml: REVIEWS + `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: root, namespace: default }
spec: { hosts: [reviews], http: [{ name: api, match: [{ uri: { prefix: /api } }], delegate: { name: api, namespace: team } }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: api, namespace: team }
spec: { http: [{ name: api-v2, match: [{ uri: { prefix: /api/v2 } }], route: [{ destination: { host: reviews.default.svc.cluster.local, subset: v2 } }] }] }`,
    route: { host: 'reviews', path: '/api/v2/x' },
    expect: { route: 'api-v2', clusters: [`${C('v2')} 100`], decidedBy: 'VirtualService team/api spec.http[0]' },
  },
  {
    name: 'delegation: a request outside the root rule\'s match does not reach the delegate',
    cite: `${VS}#Delegate`,
    yaml: REVIEWS + `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: root, namespace: default }
spec: { hosts: [reviews], http: [{ name: api, match: [{ uri: { prefix: /api } }], delegate: { name: api, namespace: team } }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: api, namespace: team }
spec: { http: [{ name: all, route: [{ destination: { host: reviews.default.svc.cluster.local, subset: v2 } }] }] }`,
    route: { host: 'reviews', path: '/web' },
    expect: { error: 'no route matched' },
  },
  {
    name: 'a match on port applies only to requests to that port',
    cite: `${VS}#HTTPMatchRequest`,
    yaml: `
apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec: { selector: { app: web }, ports: [{ name: http, port: 80 }, { name: http-admin, port: 8080 }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: default }
spec:
  hosts: [web]
  http:
  - { name: admin, match: [{ port: 8080 }], route: [{ destination: { host: web, port: { number: 8080 } } }] }
  - { name: main, route: [{ destination: { host: web, port: { number: 80 } } }] }`,
    route: { host: 'web', port: 8080 },
    expect: { virtualHost: 'web.default.svc.cluster.local:8080', route: 'admin', clusters: ['outbound|8080||web.default.svc.cluster.local 100'] },
  },
  {
    name: 'sourceLabels restricts a rule to callers with those labels',
    cite: `${VS}#HTTPMatchRequest`,
    yaml: REVIEWS + svc('productpage', 'default', 9080) + `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: default }
spec:
  hosts: [reviews]
  http:
  - { name: from-productpage, match: [{ sourceLabels: { app: productpage } }], route: [{ destination: { host: reviews, subset: v2 } }] }
  - { name: others, route: [{ destination: { host: reviews, subset: v1 } }] }`,
    route: { host: 'reviews', fromWorkload: 'default/productpage-v1' },
    expect: { route: 'from-productpage', clusters: [`${C('v2')} 100`] },
  },
  {
    name: 'a match listing gateways does not apply to sidecars unless it lists mesh',
    cite: `${VS}#HTTPMatchRequest`,
    yaml: REVIEWS + `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: default }
spec:
  hosts: [reviews]
  gateways: [mesh, gw]
  http:
  - { name: edge, match: [{ gateways: [gw] }], route: [{ destination: { host: reviews, subset: v2 } }] }
  - { name: inside, route: [{ destination: { host: reviews, subset: v1 } }] }`,
    route: { host: 'reviews' },
    expect: { route: 'inside', clusters: [`${C('v1')} 100`] },
  },
  {
    name: 'a VirtualService exported to its own namespace does not apply to other namespaces',
    cite: `${VS}#VirtualService`,
    yaml: REVIEWS + `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: default }
spec: { hosts: [reviews.default.svc.cluster.local], exportTo: ['.'], http: [{ name: v2, route: [{ destination: { host: reviews, subset: v2 } }] }] }`,
    route: { host: 'reviews.default', fromNamespace: 'shop' },
    expect: { route: 'default', clusters: ['outbound|9080||reviews.default.svc.cluster.local 100'] },
  },
  {
    name: 'a Sidecar egress scope hides hosts of other namespaces (ALLOW_ANY passes them through)',
    cite: 'https://istio.io/latest/docs/reference/config/networking/sidecar/',
    yaml: REVIEWS + `---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: default, namespace: shop }
spec: { egress: [{ hosts: ['./*', 'istio-system/*'] }] }`,
    route: { host: 'reviews.default', fromNamespace: 'shop' },
    expect: { virtualHost: 'allow_any', route: 'allow_any', clusters: ['PassthroughCluster 100'] },
  },
  {
    name: 'a Sidecar with REGISTRY_ONLY drops hosts outside its egress scope',
    cite: 'https://istio.io/latest/docs/reference/config/networking/sidecar/#OutboundTrafficPolicy',
    yaml: REVIEWS + `---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: default, namespace: shop }
spec: { egress: [{ hosts: ['./*'] }], outboundTrafficPolicy: { mode: REGISTRY_ONLY } }`,
    route: { host: 'reviews.default', fromNamespace: 'shop' },
    expect: { virtualHost: 'block_all', clusters: ['BlackHoleCluster 100'], decidedBy: 'Sidecar shop/default spec.outboundTrafficPolicy' },
  },
  {
    name: 'TCP traffic follows the first matching tcp rule',
    cite: `${VS}#TCPRoute`,
    yaml: svc('db', 'default', 5432, ['v1', 'v2'], 'tcp') + `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: db, namespace: default }
spec: { hosts: [db], tcp: [{ match: [{ port: 5432 }], route: [{ destination: { host: db, subset: v2 } }] }] }`,
    route: { host: 'db', protocol: 'tcp' as any },
    expect: { clusters: ['outbound|5432|v2|db.default.svc.cluster.local 100'], decidedBy: 'VirtualService default/db spec.tcp[0]' },
  },
  {
    name: 'no AuthorizationPolicy: every request is allowed',
    cite: 'https://istio.io/latest/docs/concepts/security/#implicit-enablement',
    yaml: REVIEWS,
    authorize: { caller: caller('cluster.local/ns/shop/sa/web'), workload: 'default/reviews-v1' },
    expect: { decision: 'ALLOW', policy: undefined },
  },
  {
    name: 'an ALLOW policy without rules allows nothing',
    cite: `${AP}`,
    yaml: REVIEWS + '---' + policy('allow-nothing', 'default', '{}'),
    authorize: { caller: caller('cluster.local/ns/shop/sa/web'), workload: 'default/reviews-v1' },
    expect: { decision: 'DENY', policy: undefined },
  },
  {
    name: 'DENY policies are evaluated before ALLOW policies',
    cite: 'https://istio.io/latest/docs/concepts/security/#implicit-enablement',
    yaml: REVIEWS + '---' + policy('allow-shop', 'default', '{ action: ALLOW, rules: [{ from: [{ source: { namespaces: [shop] } }] }] }')
      + '---' + policy('deny-delete', 'default', '{ action: DENY, rules: [{ to: [{ operation: { methods: [DELETE] } }] }] }'),
    authorize: { caller: caller('cluster.local/ns/shop/sa/web'), workload: 'default/reviews-v1', method: 'DELETE' },
    expect: { decision: 'DENY', policy: 'AuthorizationPolicy default/deny-delete spec.rules[0]' },
  },
  {
    name: 'a request an ALLOW policy matches is allowed',
    cite: 'https://istio.io/latest/docs/concepts/security/#implicit-enablement',
    yaml: REVIEWS + '---' + policy('allow-shop', 'default', '{ action: ALLOW, rules: [{ from: [{ source: { namespaces: [shop] } }] }] }')
      + '---' + policy('deny-delete', 'default', '{ action: DENY, rules: [{ to: [{ operation: { methods: [DELETE] } }] }] }'),
    authorize: { caller: caller('cluster.local/ns/shop/sa/web'), workload: 'default/reviews-v1', method: 'GET' },
    expect: { decision: 'ALLOW', policy: 'AuthorizationPolicy default/allow-shop spec.rules[0]' },
  },
  {
    name: 'with ALLOW policies present, a request none matches is denied',
    cite: 'https://istio.io/latest/docs/concepts/security/#implicit-enablement',
    yaml: REVIEWS + '---' + policy('allow-shop', 'default', '{ action: ALLOW, rules: [{ from: [{ source: { principals: [cluster.local/ns/shop/sa/web] } }] }] }'),
    authorize: { caller: caller('cluster.local/ns/shop/sa/batch'), workload: 'default/reviews-v1' },
    expect: { decision: 'DENY', policy: undefined },
  },
  {
    name: 'CUSTOM policies are evaluated first',
    cite: 'https://istio.io/latest/docs/concepts/security/#implicit-enablement',
    yaml: REVIEWS + '---' + policy('ext', 'default', '{ action: CUSTOM, provider: { name: opa }, rules: [{ to: [{ operation: { paths: [/admin*] } }] }] }')
      + '---' + policy('deny-all', 'default', '{ action: DENY, rules: [{}] }'),
    authorize: { caller: caller('cluster.local/ns/shop/sa/web'), workload: 'default/reviews-v1', path: '/admin/x' },
    expect: { decision: 'CUSTOM', policy: 'AuthorizationPolicy default/ext spec.rules[0]' },
  },
  {
    name: 'a dry-run policy is reported but not enforced',
    cite: 'https://istio.io/latest/docs/tasks/security/authorization/authz-dry-run/',
    yaml: REVIEWS + '---' + policy('deny-all', 'default', '{ action: DENY, rules: [{}] }', ', annotations: { istio.io/dry-run: "true" }'),
    authorize: { caller: caller('cluster.local/ns/shop/sa/web'), workload: 'default/reviews-v1' },
    expect: { decision: 'ALLOW', policy: undefined, dryRun: 1 },
  },
  {
    name: 'a policy in the root namespace applies mesh-wide',
    cite: `${AP}`,
    yaml: REVIEWS + '---' + policy('deny-batch', 'istio-system', '{ action: DENY, rules: [{ from: [{ source: { principals: ["*/sa/batch"] } }] }] }'),
    authorize: { caller: caller('cluster.local/ns/shop/sa/batch'), workload: 'default/reviews-v1' },
    expect: { decision: 'DENY', policy: 'AuthorizationPolicy istio-system/deny-batch spec.rules[0]' },
  },
  {
    name: 'on TCP, an ALLOW rule with HTTP-only fields matches nothing',
    cite: `${AP}#Rule`,
    yaml: svc('db', 'default', 5432, ['v1'], 'tcp') + '---' + policy('allow-get', 'default', '{ rules: [{ to: [{ operation: { methods: [GET] } }] }] }'),
    authorize: { caller: caller('cluster.local/ns/shop/sa/web'), workload: 'default/db-v1', protocol: 'tcp' as any },
    expect: { decision: 'DENY', policy: undefined },
  },
  {
    name: 'PeerAuthentication: the namespace policy overrides the mesh-wide one',
    cite: PA,
    yaml: REVIEWS + svc('web', 'shop', 80) + `---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: istio-system }
spec: { mtls: { mode: STRICT } }
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: default }
spec: { mtls: { mode: PERMISSIVE } }`,
    mtls: ['shop/web-v1', 'default/reviews-v1', 9080],
    expect: { serverMode: 'PERMISSIVE', clientMode: 'ISTIO_MUTUAL', canConnect: true },
  },
  {
    name: 'PeerAuthentication: a port-level mode of a workload policy overrides the namespace one',
    cite: PA,
    yaml: REVIEWS + svc('web', 'shop', 80) + `---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: default }
spec: { mtls: { mode: STRICT } }
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: reviews, namespace: default }
spec: { selector: { matchLabels: { app: reviews } }, portLevelMtls: { '9080': { mode: DISABLE } } }`,
    mtls: ['shop/web-v1', 'default/reviews-v1', 9080],
    expect: { serverMode: 'DISABLE', clientMode: 'DISABLE', canConnect: true },
  },
  {
    name: 'a client DestinationRule with TLS DISABLE cannot reach a STRICT server',
    cite: 'https://istio.io/latest/docs/tasks/security/authentication/mtls-migration/',
    yaml: svc('web', 'shop', 80) + `---
apiVersion: v1
kind: Service
metadata: { name: reviews, namespace: default }
spec: { selector: { app: reviews }, ports: [{ name: http, port: 9080 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: reviews-v1, namespace: default }
spec: { selector: { matchLabels: { app: reviews } }, template: { metadata: { labels: { app: reviews } }, spec: { containers: [{ name: app, image: x }] } } }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: default }
spec: { host: reviews, trafficPolicy: { tls: { mode: DISABLE } } }
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: default }
spec: { mtls: { mode: STRICT } }`,
    mtls: ['shop/web-v1', 'default/reviews-v1', 9080],
    expect: { serverMode: 'STRICT', clientMode: 'DISABLE', canConnect: false },
  },
  // ---------------------------------------------------------------------------------------- ambient
  {
    name: 'ambient: ztunnel enforces an L4 ALLOW by principal (allowed caller)',
    cite: AMBIENT_L4,
    yaml: AMBIENT_NS + REVIEWS + policy('l4', 'default', '{ selector: { matchLabels: { app: reviews } }, rules: [{ from: [{ source: { principals: [cluster.local/ns/default/sa/productpage] } }] }] }'),
    authorize: { caller: caller('cluster.local/ns/default/sa/productpage'), workload: 'default/reviews-v1' },
    expect: { decision: 'ALLOW', policy: 'AuthorizationPolicy default/l4 spec.rules[0]', layer: 'ztunnel' },
  },
  {
    name: 'ambient: ztunnel enforces an L4 ALLOW by principal (other callers denied)',
    cite: AMBIENT_L4,
    yaml: AMBIENT_NS + REVIEWS + policy('l4', 'default', '{ selector: { matchLabels: { app: reviews } }, rules: [{ from: [{ source: { principals: [cluster.local/ns/default/sa/productpage] } }] }] }'),
    authorize: { caller: caller('cluster.local/ns/default/sa/other'), workload: 'default/reviews-v1' },
    expect: { decision: 'DENY', policy: undefined, layer: 'ztunnel' },
  },
  {
    name: 'ambient: at ztunnel an ALLOW rule with HTTP attributes is omitted, so the policy allows nothing',
    cite: `${AMBIENT_WAYPOINT} (fails safe) and ${ZTUNNEL_CONVERSION} (handleRule: "L7 policies never match for ALLOW")`,
    yaml: AMBIENT_NS + REVIEWS + policy('get-only', 'default', '{ selector: { matchLabels: { app: reviews } }, rules: [{ to: [{ operation: { methods: [GET] } }] }] }'),
    authorize: { caller: caller('cluster.local/ns/default/sa/productpage'), workload: 'default/reviews-v1', method: 'GET' },
    expect: { decision: 'DENY', policy: undefined, layer: 'ztunnel' },
  },
  {
    name: 'ambient: at ztunnel a DENY rule with HTTP attributes is enforced without them, so it denies every request',
    cite: `${AMBIENT_WAYPOINT} (fails safe) and ${ZTUNNEL_CONVERSION} (handleRule: "For DENY they will always match")`,
    yaml: AMBIENT_NS + REVIEWS + policy('no-delete', 'default', '{ selector: { matchLabels: { app: reviews } }, action: DENY, rules: [{ to: [{ operation: { methods: [DELETE] } }] }] }'),
    authorize: { caller: caller('cluster.local/ns/default/sa/productpage'), workload: 'default/reviews-v1', method: 'GET' },
    expect: { decision: 'DENY', policy: 'AuthorizationPolicy default/no-delete spec.rules[0]', layer: 'ztunnel' },
  },
  {
    name: 'ambient: a policy attached to the Service (targetRefs) is enforced at its waypoint with L7 attributes',
    cite: AMBIENT_WAYPOINT,
    yaml: AMBIENT_NS_WP + REVIEWS + WAYPOINT + policy('get-only', 'default', '{ targetRefs: [{ kind: Service, group: "", name: reviews }], rules: [{ to: [{ operation: { methods: [GET] } }] }] }'),
    authorize: { caller: caller('cluster.local/ns/default/sa/productpage'), workload: 'default/reviews-v1', method: 'GET' },
    expect: { decision: 'ALLOW', policy: 'AuthorizationPolicy default/get-only spec.rules[0]', layer: 'waypoint default/waypoint' },
  },
  {
    name: 'ambient: the waypoint denies what its ALLOW policy does not match',
    cite: AMBIENT_WAYPOINT,
    yaml: AMBIENT_NS_WP + REVIEWS + WAYPOINT + policy('get-only', 'default', '{ targetRefs: [{ kind: Gateway, group: gateway.networking.k8s.io, name: waypoint }], rules: [{ to: [{ operation: { methods: [GET] } }] }] }'),
    authorize: { caller: caller('cluster.local/ns/default/sa/productpage'), workload: 'default/reviews-v1', method: 'DELETE' },
    expect: { decision: 'DENY', policy: undefined, layer: 'waypoint default/waypoint' },
  },
  {
    name: 'ambient: behind a waypoint the destination ztunnel sees the waypoint, not the client',
    cite: `${AMBIENT_L4}#considerations`,
    yaml: AMBIENT_NS_WP + REVIEWS + WAYPOINT + policy('l4', 'default', '{ selector: { matchLabels: { app: reviews } }, rules: [{ from: [{ source: { principals: [cluster.local/ns/default/sa/productpage] } }] }] }'),
    authorize: { caller: caller('cluster.local/ns/default/sa/productpage'), workload: 'default/reviews-v1' },
    expect: { decision: 'DENY', policy: undefined, layer: 'ztunnel' },
  },
  // ------------------------------------------------------------------------------------ Gateway API
  {
    name: 'Gateway API precedence: an Exact path beats a PathPrefix of the same path written first',
    cite: `${GWAPI_SPEC}#httprouterule`,
    yaml: REVIEWS + GW_HTTP + `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r, namespace: default }
spec:
  parentRefs: [{ name: web }]
  rules:
  - { matches: [{ path: { type: PathPrefix, value: /reviews/1 } }], backendRefs: [{ name: reviews, port: 9080, weight: 1 }] }
  - { name: exact, matches: [{ path: { type: Exact, value: /reviews/1 } }], backendRefs: [{ name: ratings, port: 9080 }] }`,
    route: { host: 'shop.example.com', path: '/reviews/1', gateway: 'default/web' },
    expect: { virtualHost: '*:80', route: 'exact', decidedBy: 'HTTPRoute default/r spec.rules[1].matches[0]' },
  },
  {
    name: 'Gateway API precedence: the longest PathPrefix wins, then more header matches',
    cite: `${GWAPI_SPEC}#httprouterule`,
    yaml: REVIEWS + GW_HTTP + `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r, namespace: default }
spec:
  parentRefs: [{ name: web }]
  rules:
  - { name: short, matches: [{ path: { type: PathPrefix, value: /a } }], backendRefs: [{ name: reviews, port: 9080 }] }
  - { name: long, matches: [{ path: { type: PathPrefix, value: /a/b } }], backendRefs: [{ name: reviews, port: 9080 }] }
  - { name: long-header, matches: [{ path: { type: PathPrefix, value: /a/b }, headers: [{ name: x, value: '1' }] }], backendRefs: [{ name: reviews, port: 9080 }] }`,
    route: { host: 'shop.example.com', path: '/a/b/c', headers: { x: '1' }, gateway: 'default/web' },
    expect: { route: 'long-header', decidedBy: 'HTTPRoute default/r spec.rules[2].matches[0]' },
  },
  {
    name: 'Gateway API PathPrefix matches whole path segments: /a does not match /ab',
    cite: `${GWAPI_SPEC}#pathmatchtype`,
    yaml: REVIEWS + GW_HTTP + `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r, namespace: default }
spec:
  parentRefs: [{ name: web }]
  rules: [{ matches: [{ path: { type: PathPrefix, value: /a } }], backendRefs: [{ name: reviews, port: 9080 }] }]`,
    route: { host: 'shop.example.com', path: '/ab', gateway: 'default/web' },
    expect: { error: 'no route matched' },
  },
  {
    name: 'Gateway API: a route from another namespace is not admitted by allowedRoutes Same (default)',
    cite: `${GWAPI_SPEC}#allowedroutes`,
    yaml: REVIEWS + GW_HTTP + `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r, namespace: other }
spec:
  parentRefs: [{ name: web, namespace: default }]
  rules: [{ backendRefs: [{ name: reviews, namespace: default, port: 9080 }] }]`,
    route: { host: 'shop.example.com', path: '/', gateway: 'default/web' },
    expect: { virtualHost: 'blackhole:80', error: 'no route matched' },
  },
  {
    name: 'Gateway API: route hostnames intersect the listener hostname',
    cite: `${GWAPI_SPEC}#httproutespec`,
    yaml: REVIEWS + GW_HTTP.replace('protocol: HTTP }', "protocol: HTTP, hostname: '*.example.com' }") + `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r, namespace: default }
spec:
  parentRefs: [{ name: web }]
  hostnames: [shop.example.com, shop.example.org]
  rules: [{ backendRefs: [{ name: reviews, port: 9080 }] }]`,
    route: { host: 'shop.example.com', path: '/', gateway: 'default/web' },
    expect: { virtualHost: 'shop.example.com:80', route: 'default.r.0', clusters: ['outbound|9080||reviews.default.svc.cluster.local 100'] },
  },
  {
    name: 'GAMMA: an HTTPRoute whose parent is the Service routes the mesh traffic to it, weighted',
    cite: 'https://gateway-api.sigs.k8s.io/mesh/gamma/ and https://istio.io/latest/docs/tasks/traffic-management/traffic-shifting/ (Gateway API tab)',
    yaml: REVIEWS + GW_HTTP + `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: reviews, namespace: default }
spec:
  parentRefs: [{ group: "", kind: Service, name: reviews, port: 9080 }]
  rules: [{ backendRefs: [{ name: reviews, port: 9080, weight: 3 }, { name: ratings, port: 9080, weight: 1 }] }]`,
    route: { host: 'reviews' },
    expect: { virtualHost: 'reviews.default.svc.cluster.local:9080', route: 'default.reviews.0', clusters: ['outbound|9080||reviews.default.svc.cluster.local 75', 'outbound|9080||ratings.default.svc.cluster.local 25'] },
  },
];

/** Check one case; returns the disagreements. */
export function checkCase(c: BehaviourCase): string[] {
  const m = MeshModel.fromManifests(objectsOf(c.yaml));
  let got: Record<string, unknown>;
  if (c.route) {
    const a = m.route(c.route);
    got = {
      virtualHost: a.virtualHost,
      route: a.route,
      error: a.error,
      clusters: a.clusters.map(x => `${x.cluster} ${Number.isInteger(x.share) ? x.share : x.share.toFixed(2)}`),
      decidedBy: a.decidedBy ? `${a.decidedBy.kind} ${a.decidedBy.namespace}/${a.decidedBy.name}${a.decidedBy.field ? ` ${a.decidedBy.field}` : ''}` : undefined,
    };
  } else if (c.authorize) {
    const a = m.authorize(c.authorize);
    got = { decision: a.decision, policy: a.policy ? `${a.policy.kind} ${a.policy.namespace}/${a.policy.name} ${a.policy.field}` : undefined, dryRun: a.dryRun.length, layer: a.layer };
  } else {
    const a = m.mtls(...c.mtls!);
    got = { serverMode: a.serverMode, clientMode: a.clientMode, canConnect: a.canConnect };
  }
  const out: string[] = [];
  for (const [k, v] of Object.entries(c.expect)) {
    if (JSON.stringify(got[k]) !== JSON.stringify(v)) out.push(`${c.name}: ${k} expected ${JSON.stringify(v)}, got ${JSON.stringify(got[k])}`);
  }
  return out;
}

function objectsOf(yaml: string): any[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseAllDocuments } = require('yaml');
  return parseAllDocuments(yaml).map((d: any) => d.toJS()).filter((o: any) => o);
}
