// The HTTPRoute of issue 13's first paragraph (a mistyped parentRef, `weight: -5`, a missing backend and
// `timeouts.request: "ten seconds"`): the route-to-Gateway and route-to-Service findings, on YAML, on the
// command line with file:line, and at synth with the construct path. The weight and the timeout are schema
// findings of the Gateway API CRDs, checked elsewhere.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { IstioAnalysis } from '../../src';
import { main } from '../../src/analysis/cli';
import { renderDiagnosticLine } from '../../src/analysis/messages';
import { synthErrors } from '../util';

const YAML = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: public
  namespace: shop
spec:
  gatewayClassName: istio
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    hostname: shop.example.com
---
apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: shop
spec:
  ports:
  - name: http
    port: 9080
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: reviews
  namespace: shop
spec:
  parentRefs:
  - name: pubilc
  hostnames: [shop.example.com]
  rules:
  - backendRefs:
    - name: reviews
      port: 9080
      weight: -5
    - name: reviewz
      port: 9080
    timeouts:
      request: ten seconds
`;
const objects = () => parseAllDocuments(YAML).map(d => d.toJS());
// Only this suite's findings: the schema of Gateway API kinds may add its own.
const ours = (code: string) => code === 'IST0101' || code.startsWith('CDK8SISTIO03');

const PARENT = 'IST0101 Referenced parentRef Gateway not found: "shop/pubilc". HTTPRoute.spec.parentRefs[0].name: parentRef names Gateway shop/pubilc, which is not in the analysed manifests, so istiod accepts the route nowhere (got "pubilc"; Gateways in namespace shop: public; if it exists outside these manifests, declare it (IstioAnalysis.of(app).declareHosts / declareNamespaces))';
const BACKEND = 'IST0101 Referenced backendRef Service not found: "shop/reviewz". HTTPRoute.spec.rules[0].backendRefs[1].name: backend(reviewz.shop.svc.cluster.local) not found: no Service shop/reviewz in the analysed manifests (istiod drops the backend and answers its share of requests with 500) (got "reviewz"; Services in namespace shop: reviews; if it exists outside these manifests, declare it (IstioAnalysis.of(app).declareHosts / declareNamespaces))';

describe('issue 13: the HTTPRoute that passed with 0 findings', () => {
  test('IstioAnalysis.analyze reports the mistyped parentRef and the missing backend, in partial and complete mode', () => {
    for (const complete of [false, true]) {
      expect(IstioAnalysis.analyze(objects(), { complete }).filter(d => ours(d.code)).map(renderDiagnosticLine)).toEqual([PARENT, BACKEND]);
    }
  });

  test('fixed, the route has no finding of ours', () => {
    const fixed = objects();
    fixed[2].spec.parentRefs[0].name = 'public';
    fixed[2].spec.rules[0].backendRefs[1].name = 'reviews';
    expect(IstioAnalysis.analyze(fixed, { complete: true }).filter(d => ours(d.code))).toEqual([]);
  });

  test('the command line prints both with file:line and exits 79', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-gwapi-'));
    const file = path.join(dir, 'route.yaml');
    fs.writeFileSync(file, YAML);
    let out = '';
    const code = main(['analyze', '-o', 'json', file], s => { out += s; }, () => undefined, () => '');
    expect(code).toBe(79);
    const found = JSON.parse(out).filter((d: any) => ours(d.code)).map((d: any) => `${d.code} ${d.origin} ${d.reference}`);
    expect(found).toEqual([
      `IST0101 HTTPRoute reviews.shop ${file}:31`,
      `IST0101 HTTPRoute reviews.shop ${file}:38`,
    ]);
    let log = '';
    main(['analyze', file], s => { log += s; }, () => undefined, () => '');
    expect(log).toContain(`Error [IST0101] (HTTPRoute reviews.shop ${file}:31) Referenced parentRef Gateway not found: "shop/pubilc"\n`);
    expect(log).toContain(`Error [IST0101] (HTTPRoute reviews.shop ${file}:38) Referenced backendRef Service not found: "shop/reviewz"\n`);
  });

  test('synth fails on both with the construct path, in partial mode (the synth default)', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    // Raw objects (as Include'd YAML is): the analysis joins the app when asked, as Istio constructs ask on creation.
    IstioAnalysis.of(chart);
    const [gw, svc, route] = objects();
    new ApiObject(chart, 'public', gw);
    new ApiObject(chart, 'reviews-svc', svc);
    new ApiObject(chart, 'reviews', route);
    const errors = synthErrors(chart).filter(e => / IST0101 /.test(e));
    expect(errors).toEqual([
      '[shop/reviews] IST0101 Referenced parentRef Gateway not found: "shop/pubilc". HTTPRoute.spec.parentRefs[0].name: parentRef names Gateway shop/pubilc, which is not in the analysed manifests, so istiod accepts the route nowhere (got "pubilc"; Gateways in namespace shop: public; if it exists outside these manifests, declare it (IstioAnalysis.of(app).declareHosts / declareNamespaces))',
      '[shop/reviews] IST0101 Referenced backendRef Service not found: "shop/reviewz". HTTPRoute.spec.rules[0].backendRefs[1].name: backend(reviewz.shop.svc.cluster.local) not found: no Service shop/reviewz in the analysed manifests (istiod drops the backend and answers its share of requests with 500) (got "reviewz"; Services in namespace shop: reviews; if it exists outside these manifests, declare it (IstioAnalysis.of(app).declareHosts / declareNamespaces))',
    ]);
  });
});
