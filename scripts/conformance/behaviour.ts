// Conformance of the mesh model: the documented request/answer cases of behaviour-cases.ts, and Istio's
// Bookinfo tasks asked as requests of Istio's own sample YAML in ../shared/istio/samples/bookinfo (read in
// place, never copied): request routing by end-user, fault injection for jason, traffic shifting 50/50 and
// 80/20, the ingress gateway; mirroring follows the task page (../shared has no mirroring sample).
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { CASES, checkCase } from './behaviour-cases';
import { MeshModel, MeshRequest, RequestProtocol, RouteAnswer } from '../../src';
import type { Suite, SuiteResult } from '../conformance';

interface Task {
  readonly name: string;
  readonly cite: string;
  /** Sample files under samples/bookinfo, applied in order (a later object of the same name replaces one). */
  readonly files: string[];
  readonly inline?: string;
  readonly request: MeshRequest;
  /** `cluster share` of each cluster, then the fault, when one is expected. */
  readonly clusters: string[];
  readonly fault?: Record<string, unknown>;
  readonly mirrors?: string[];
  /** Istio's simulation error, when one is expected. */
  readonly error?: string;
}

// Istio's Gateway API samples (../shared/gateway-api/istio-samples), with the Bookinfo Services (bookinfo.yaml)
// and the per-version Services their routes name (bookinfo-versions.yaml).
const GWAPI = (f: string) => `GW:${f}`;
const GW_BASE = ['platform/kube/bookinfo.yaml', 'platform/kube/bookinfo-versions.yaml'];
const GW_ROUTING = 'https://istio.io/latest/docs/tasks/traffic-management/request-routing/ (Gateway API tab)';
const GW_SHIFT = 'https://istio.io/latest/docs/tasks/traffic-management/traffic-shifting/ (Gateway API tab)';
const GW_C = (svc: string) => `outbound|9080||${svc}.default.svc.cluster.local`;

const BASE = ['platform/kube/bookinfo.yaml', 'networking/destination-rule-all.yaml'];
const C = (svc: string, v: string) => `outbound|9080|${v}|${svc}.default.svc.cluster.local`;
const ROUTING = 'https://istio.io/latest/docs/tasks/traffic-management/request-routing/';
const FAULT = 'https://istio.io/latest/docs/tasks/traffic-management/fault-injection/';
const SHIFT = 'https://istio.io/latest/docs/tasks/traffic-management/traffic-shifting/';
const JASON = { 'end-user': 'jason' };

const TASKS: Task[] = [
  { name: 'request routing: all v1, reviews -> v1', cite: ROUTING, files: [...BASE, 'networking/virtual-service-all-v1.yaml'], request: { host: 'reviews' }, clusters: [`${C('reviews', 'v1')} 100`] },
  { name: 'request routing: all v1, ratings -> v1', cite: ROUTING, files: [...BASE, 'networking/virtual-service-all-v1.yaml'], request: { host: 'ratings' }, clusters: [`${C('ratings', 'v1')} 100`] },
  { name: 'request routing by end-user: jason -> reviews v2', cite: ROUTING, files: [...BASE, 'networking/virtual-service-all-v1.yaml', 'networking/virtual-service-reviews-test-v2.yaml'], request: { host: 'reviews', headers: JASON }, clusters: [`${C('reviews', 'v2')} 100`] },
  { name: 'request routing by end-user: others -> reviews v1', cite: ROUTING, files: [...BASE, 'networking/virtual-service-all-v1.yaml', 'networking/virtual-service-reviews-test-v2.yaml'], request: { host: 'reviews', headers: { 'end-user': 'alice' } }, clusters: [`${C('reviews', 'v1')} 100`] },
  { name: 'fault injection: jason -> ratings v1 delayed 7s', cite: FAULT, files: [...BASE, 'networking/virtual-service-all-v1.yaml', 'networking/virtual-service-ratings-test-delay.yaml'], request: { host: 'ratings', headers: JASON }, clusters: [`${C('ratings', 'v1')} 100`], fault: { delay: '7s', delayPercent: 100 } },
  { name: 'fault injection: others -> ratings v1 without delay', cite: FAULT, files: [...BASE, 'networking/virtual-service-all-v1.yaml', 'networking/virtual-service-ratings-test-delay.yaml'], request: { host: 'ratings' }, clusters: [`${C('ratings', 'v1')} 100`] },
  { name: 'fault injection: jason -> ratings aborted with 500', cite: FAULT, files: [...BASE, 'networking/virtual-service-all-v1.yaml', 'networking/virtual-service-ratings-test-abort.yaml'], request: { host: 'ratings', headers: JASON }, clusters: [`${C('ratings', 'v1')} 100`], fault: { abortStatus: 500, abortPercent: 100 } },
  { name: 'traffic shifting 50/50: reviews v1 and v3', cite: SHIFT, files: [...BASE, 'networking/virtual-service-all-v1.yaml', 'networking/virtual-service-reviews-50-v3.yaml'], request: { host: 'reviews' }, clusters: [`${C('reviews', 'v1')} 50`, `${C('reviews', 'v3')} 50`] },
  { name: 'traffic shifting 80/20: reviews v1 and v2', cite: SHIFT, files: [...BASE, 'networking/virtual-service-reviews-80-20.yaml'], request: { host: 'reviews' }, clusters: [`${C('reviews', 'v1')} 80`, `${C('reviews', 'v2')} 20`] },
  { name: 'traffic shifting: reviews v3 only', cite: SHIFT, files: [...BASE, 'networking/virtual-service-reviews-v3.yaml'], request: { host: 'reviews' }, clusters: [`${C('reviews', 'v3')} 100`] },
  {
    name: 'ingress: /productpage through the bookinfo gateway',
    cite: 'https://istio.io/latest/docs/examples/bookinfo/#determine-the-ingress-ip-and-port',
    files: [...BASE, 'networking/bookinfo-gateway.yaml'],
    request: { host: 'bookinfo.example.com', path: '/productpage', gateway: 'default/bookinfo-gateway' },
    clusters: ['outbound|9080||productpage.default.svc.cluster.local 100'],
  },
  {
    name: 'mirroring: all traffic to httpbin v1, a copy of every request to v2',
    cite: 'https://istio.io/latest/docs/tasks/traffic-management/mirroring/',
    files: [],
    inline: `
apiVersion: v1
kind: Service
metadata: { name: httpbin, labels: { app: httpbin } }
spec: { ports: [{ name: http, port: 8000, targetPort: 8080 }], selector: { app: httpbin } }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: httpbin }
spec: { host: httpbin, subsets: [{ name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: httpbin }
spec:
  hosts: [httpbin]
  http:
  - route: [{ destination: { host: httpbin, subset: v1 }, weight: 100 }]
    mirror: { host: httpbin, subset: v2 }
    mirrorPercentage: { value: 100.0 }
`,
    request: { host: 'httpbin', path: '/headers' },
    clusters: ['outbound|8000|v1|httpbin.default.svc.cluster.local 100'],
    mirrors: ['outbound|8000|v2|httpbin.default.svc.cluster.local 100'],
  },
  { name: 'Gateway API: route-all-v1, reviews -> reviews-v1', cite: GW_ROUTING, files: [...GW_BASE, GWAPI('bookinfo__gateway-api__route-all-v1.yaml')], request: { host: 'reviews' }, clusters: [`${GW_C('reviews-v1')} 100`] },
  { name: 'Gateway API: route-all-v1, ratings -> ratings-v1', cite: GW_ROUTING, files: [...GW_BASE, GWAPI('bookinfo__gateway-api__route-all-v1.yaml')], request: { host: 'ratings' }, clusters: [`${GW_C('ratings-v1')} 100`] },
  { name: 'Gateway API: route-reviews-v1', cite: GW_ROUTING, files: [...GW_BASE, GWAPI('bookinfo__gateway-api__route-reviews-v1.yaml')], request: { host: 'reviews', headers: JASON }, clusters: [`${GW_C('reviews-v1')} 100`] },
  { name: 'Gateway API: traffic shifting 90/10 (route-reviews-90-10)', cite: GW_SHIFT, files: [...GW_BASE, GWAPI('bookinfo__gateway-api__route-reviews-90-10.yaml')], request: { host: 'reviews' }, clusters: [`${GW_C('reviews-v1')} 90`, `${GW_C('reviews-v2')} 10`] },
  { name: 'Gateway API: traffic shifting 50/50 (route-reviews-50-v3)', cite: GW_SHIFT, files: [...GW_BASE, GWAPI('bookinfo__gateway-api__route-reviews-50-v3.yaml')], request: { host: 'reviews' }, clusters: [`${GW_C('reviews-v1')} 50`, `${GW_C('reviews-v3')} 50`] },
  { name: 'Gateway API: traffic shifting to v3 (route-reviews-v3)', cite: GW_SHIFT, files: [...GW_BASE, GWAPI('bookinfo__gateway-api__route-reviews-v3.yaml')], request: { host: 'reviews' }, clusters: [`${GW_C('reviews-v3')} 100`] },
  { name: 'Gateway API ingress: /productpage (Exact) through bookinfo-gateway', cite: 'https://istio.io/latest/docs/examples/bookinfo/ (Gateway API tab)', files: [...GW_BASE, GWAPI('bookinfo__gateway-api__bookinfo-gateway.yaml')], request: { host: 'bookinfo.example.com', path: '/productpage', gateway: 'default/bookinfo-gateway' }, clusters: [`${GW_C('productpage')} 100`] },
  { name: 'Gateway API ingress: /static/img.png (PathPrefix) through bookinfo-gateway', cite: 'https://gateway-api.sigs.k8s.io/reference/spec/#pathmatchtype', files: [...GW_BASE, GWAPI('bookinfo__gateway-api__bookinfo-gateway.yaml')], request: { host: 'bookinfo.example.com', path: '/static/img.png', gateway: 'default/bookinfo-gateway' }, clusters: [`${GW_C('productpage')} 100`] },
  { name: 'Gateway API ingress: /productpage/x matches no Exact path: no route matched', cite: 'https://gateway-api.sigs.k8s.io/reference/spec/#pathmatchtype', files: [...GW_BASE, GWAPI('bookinfo__gateway-api__bookinfo-gateway.yaml')], request: { host: 'bookinfo.example.com', path: '/productpage/x', gateway: 'default/bookinfo-gateway' }, clusters: [], error: 'no route matched' },
  { name: 'Gateway API ingress: port 8080 has no listener', cite: 'https://gateway-api.sigs.k8s.io/reference/spec/#listener', files: [...GW_BASE, GWAPI('bookinfo__gateway-api__bookinfo-gateway.yaml')], request: { host: 'bookinfo.example.com', port: 8080, path: '/productpage', gateway: 'default/bookinfo-gateway' }, clusters: [], error: 'no listener matched' },
  {
    name: 'Gateway API: helloworld /hello through helloworld-gateway, 90/10 (helloworld-route)',
    cite: 'https://istio.io/latest/docs/tasks/traffic-management/traffic-shifting/ and samples/helloworld/gateway-api/README.md',
    files: [GWAPI('helloworld__gateway-api__helloworld-gateway.yaml'), GWAPI('helloworld__gateway-api__helloworld-route.yaml'), GWAPI('helloworld__gateway-api__helloworld-versions.yaml')],
    request: { host: 'helloworld.example.com', path: '/hello', gateway: 'default/helloworld-gateway' },
    clusters: ['outbound|5000||helloworld-v1.default.svc.cluster.local 90', 'outbound|5000||helloworld-v2.default.svc.cluster.local 10'],
  },
  {
    name: 'Gateway API: tcp-echo TCPRoute 80/20 on listener tcp-31400',
    cite: 'https://istio.io/latest/docs/tasks/traffic-management/tcp-traffic-shifting/ (Gateway API tab)',
    files: [GWAPI('tcp-echo__gateway-api__tcp-echo-all-v1.yaml'), GWAPI('tcp-echo__gateway-api__tcp-echo-20-v2.yaml')],
    request: { host: 'tcp-echo.example.com', port: 31400, protocol: RequestProtocol.TCP, gateway: 'default/tcp-echo-gateway' },
    clusters: ['outbound|9000||tcp-echo-v1.default.svc.cluster.local 80', 'outbound|9000||tcp-echo-v2.default.svc.cluster.local 20'],
  },
];

function load(dir: string, t: Task): any[] {
  const gwDir = path.join(dir, '..', '..', '..', 'gateway-api', 'istio-samples');
  const texts = t.files.map(f => fs.readFileSync(f.startsWith('GW:') ? path.join(gwDir, f.slice(3)) : path.join(dir, f), 'utf-8'));
  if (t.inline) texts.push(t.inline);
  return texts.flatMap(text => parseAllDocuments(text).map(d => d.toJS()).filter(o => o));
}

function checkTask(dir: string, t: Task): string[] {
  const a: RouteAnswer = MeshModel.fromManifests(load(dir, t)).route(t.request);
  const got = {
    clusters: a.clusters.map(c => `${c.cluster} ${c.share}`),
    fault: a.fault,
    mirrors: a.mirrors.map(m => `${m.cluster} ${m.percent}`),
    error: a.error,
  };
  const want = { clusters: t.clusters, fault: t.fault, mirrors: t.mirrors ?? [], error: t.error };
  return JSON.stringify(got) === JSON.stringify(want) ? [] : [`${t.name} (${t.cite}): expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`];
}

export const suite: Suite = {
  name: 'behaviour',
  run(sharedDir: string): SuiteResult {
    const dir = path.join(sharedDir, 'istio', 'samples', 'bookinfo');
    const results = [...CASES.map(checkCase), ...TASKS.map(t => checkTask(dir, t))];
    const failures = results.flat();
    return { name: 'behaviour', agreed: results.filter(r => r.length === 0).length, total: results.length, failures };
  },
};
