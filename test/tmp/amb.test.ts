import { model, service } from '../behaviour/util';
const NS = `
apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { istio.io/dataplane-mode: ambient } }
`;
const WP = `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: waypoint, namespace: shop }
spec: { gatewayClassName: istio-waypoint, listeners: [{ name: mesh, port: 15008, protocol: HBONE }] }
`;
const L7 = `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: get-only, namespace: shop }
spec: { selector: { matchLabels: { app: reviews } }, rules: [{ to: [{ operation: { methods: [GET] } }] }] }
`;
test('x', () => {
  const c = { caller: { principal: 'cluster.local/ns/shop/sa/web' }, workload: 'shop/reviews-v1' };
  console.log(model(NS + '---' + service('reviews', 'shop', 9080) + L7).authorize(c));
  const wpSvc = service('reviews', 'shop', 9080).replace('metadata: { name: reviews, namespace: shop }', 'metadata: { name: reviews, namespace: shop, labels: { istio.io/use-waypoint: waypoint } }');
  console.log(model(NS + '---' + wpSvc + WP + L7.replace('selector: { matchLabels: { app: reviews } }', 'targetRefs: [{ kind: Service, group: "", name: reviews }]')).authorize({ ...c, method: 'POST' }));
  console.log(model(NS + '---' + wpSvc + WP + L7.replace('selector: { matchLabels: { app: reviews } }', 'targetRefs: [{ kind: Service, group: "", name: reviews }]')).authorize(c));
});
test('route', () => {
  const S = '../shared/gateway-api/istio-samples/';
  const wpSvc = service('reviews', 'shop', 9080, ['v1', 'v2']).replace('metadata: { name: reviews, namespace: shop }', 'metadata: { name: reviews, namespace: shop, labels: { istio.io/use-waypoint: waypoint } }');
  const route = `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: reviews, namespace: shop }
spec:
  parentRefs: [{ group: "", kind: Service, name: reviews, port: 9080 }]
  rules:
  - matches: [{ headers: [{ name: end-user, value: jason }] }]
    backendRefs: [{ name: reviews, port: 9080 }]
`;
  console.log(model(NS + '---' + wpSvc + WP + route).route({ host: 'reviews', fromNamespace: 'shop', headers: { 'end-user': 'jason' } }));
  console.log(model(NS + '---' + service('reviews', 'shop', 9080) + route).route({ host: 'reviews', fromNamespace: 'shop' }));
  void S;
});
