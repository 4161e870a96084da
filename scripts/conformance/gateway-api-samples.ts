// Conformance of the Gateway API constructs: every Gateway API object in Istio's Gateway API samples
// (bookinfo, helloworld, httpbin, tcp-echo) is re-created through the public API only and compared with the
// file, field by field.
//
// Normalisation, applied to both sides before comparing:
//  1. the defaults the API server applies from the pinned CRD schemas (`allowedRoutes.namespaces.from: Same`,
//     a kind's `group`, a backend's `weight: 1`, ...), so a field we leave to its default and a sample that
//     writes it out (or the other way round) compare equal, as they do in the cluster;
//  2. empty fields are dropped;
//  3. our rules are always named (`addRule(name, ...)`); where the sample's rule has no `name`, ours is dropped.
// Files with no Gateway API objects (helloworld-versions.yaml: two Services) are not cases.
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  AllowedRoutes, BackendRef, Host, HttpRoute, HttpRouteMatch, IGatewayRef, K8sGateway, Listener, ParentRef, RouteKind, StringMatch, TcpRoute,
} from '../../src';
import { GATEWAY_API_SCHEMAS } from '../../src/imports/gateway-api-schemas';
import type { Suite, SuiteResult } from '../conformance';
import { diff, dropEmpty } from './compare';

interface Ctx { readonly chart: Chart }

interface Case {
  readonly file: string;
  build(c: Ctx): void;
}

const DIR = 'gateway-api/istio-samples';

/** A Service of the mesh with one port, for a mesh (GAMMA) parentRef or a backend. */
const svc = (name: string, port: number) => Host.fromName(name, { ports: [port] });

function sameNamespaceHttpGateway(c: Ctx, name: string, allowed: AllowedRoutes): K8sGateway {
  return new K8sGateway(c.chart, name, { listeners: [Listener.http({ allowedRoutes: allowed })] });
}

function meshRoute(c: Ctx, service: string, backends: Array<[string, number | undefined]>) {
  new HttpRoute(c.chart, `${service}-route`, { metadata: { name: service }, parentRefs: [ParentRef.service(svc(service, 9080), { port: 9080 })] })
    .addRule('all', { backendRefs: backends.map(([b, weight]) => BackendRef.to(svc(b, 9080), { weight })) });
}

function helloworldRoute(c: Ctx, gateway: IGatewayRef, backends: BackendRef[]) {
  new HttpRoute(c.chart, 'helloworld', { parentRefs: [gateway] })
    .addRule('hello', { matches: [HttpRouteMatch.path(StringMatch.exact('/hello'))], backendRefs: backends });
}

const CASES: Case[] = [
  {
    file: 'bookinfo__gateway-api__bookinfo-gateway.yaml',
    build: c => {
      const gateway = sameNamespaceHttpGateway(c, 'bookinfo-gateway', AllowedRoutes.sameNamespace());
      new HttpRoute(c.chart, 'bookinfo', { parentRefs: [gateway] }).addRule('productpage', {
        matches: [
          HttpRouteMatch.path(StringMatch.exact('/productpage')),
          HttpRouteMatch.path(StringMatch.prefix('/static')),
          HttpRouteMatch.path(StringMatch.exact('/login')),
          HttpRouteMatch.path(StringMatch.exact('/logout')),
          HttpRouteMatch.path(StringMatch.prefix('/api/v1/products')),
        ],
        backendRefs: [BackendRef.to(svc('productpage', 9080))],
      });
    },
  },
  { file: 'bookinfo__gateway-api__route-all-v1.yaml', build: c => ['reviews', 'productpage', 'ratings', 'details'].forEach(s => meshRoute(c, s, [[`${s}-v1`, undefined]])) },
  { file: 'bookinfo__gateway-api__route-reviews-50-v3.yaml', build: c => meshRoute(c, 'reviews', [['reviews-v1', 50], ['reviews-v3', 50]]) },
  { file: 'bookinfo__gateway-api__route-reviews-90-10.yaml', build: c => meshRoute(c, 'reviews', [['reviews-v1', 90], ['reviews-v2', 10]]) },
  { file: 'bookinfo__gateway-api__route-reviews-v1.yaml', build: c => meshRoute(c, 'reviews', [['reviews-v1', undefined]]) },
  { file: 'bookinfo__gateway-api__route-reviews-v3.yaml', build: c => meshRoute(c, 'reviews', [['reviews-v3', undefined]]) },
  {
    file: 'helloworld__gateway-api__helloworld-gateway.yaml',
    build: c => helloworldRoute(c, sameNamespaceHttpGateway(c, 'helloworld-gateway', AllowedRoutes.sameNamespace()), [BackendRef.to(svc('helloworld', 5000))]),
  },
  {
    file: 'helloworld__gateway-api__helloworld-route.yaml',
    build: c => helloworldRoute(c, K8sGateway.fromName('helloworld-gateway'), [
      BackendRef.to(svc('helloworld-v1', 5000), { weight: 90 }),
      BackendRef.to(svc('helloworld-v2', 5000), { weight: 10 }),
    ]),
  },
  {
    file: 'httpbin__gateway-api__httpbin-gateway.yaml',
    build: c => {
      const gateway = sameNamespaceHttpGateway(c, 'httpbin-gateway', AllowedRoutes.allNamespaces());
      new HttpRoute(c.chart, 'httpbin', { parentRefs: [gateway] }).addRule('all', { backendRefs: [BackendRef.to(svc('httpbin', 8000))] });
    },
  },
  {
    file: 'tcp-echo__gateway-api__tcp-echo-all-v1.yaml',
    build: c => {
      const gateway = new K8sGateway(c.chart, 'tcp-echo-gateway', {
        listeners: [Listener.tcp({ port: 31400, allowedRoutes: AllowedRoutes.sameNamespace({ kinds: [RouteKind.TCP_ROUTE] }) })],
      });
      new TcpRoute(c.chart, 'tcp-echo', { parentRefs: [gateway.listenerRef('tcp-31400')] })
        .addRule('all', { backendRefs: [BackendRef.to(svc('tcp-echo-v1', 9000))] });
    },
  },
  {
    file: 'tcp-echo__gateway-api__tcp-echo-20-v2.yaml',
    build: c => {
      new TcpRoute(c.chart, 'tcp-echo', { parentRefs: [K8sGateway.fromName('tcp-echo-gateway', { sectionName: 'tcp-31400' })] })
        .addRule('split', { backendRefs: [BackendRef.to(svc('tcp-echo-v1', 9000), { weight: 80 }), BackendRef.to(svc('tcp-echo-v2', 9000), { weight: 20 })] });
    },
  },
];

const parsedSchemas = new Map<string, any>();

/** The schema the API server applies to `obj` (its served version's), or undefined for other kinds. */
function schemaOf(obj: any): any {
  const [group, version] = String(obj.apiVersion).split('/');
  const entry = GATEWAY_API_SCHEMAS[`${group}/${obj.kind}`];
  if (!entry) return undefined;
  const json = entry.versionSchemas?.[version] ?? entry.schema;
  let s = parsedSchemas.get(json);
  if (!s) parsedSchemas.set(json, s = JSON.parse(json));
  return s;
}

/** Structural defaulting as the API server does it: a default fills a missing field of an object that is present. */
function withDefaults(value: any, schema: any): any {
  if (!schema || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(v => withDefaults(v, schema.items));
  const out: any = { ...value };
  for (const [k, s] of Object.entries<any>(schema.properties ?? {})) {
    if (out[k] === undefined && s.default !== undefined) out[k] = JSON.parse(JSON.stringify(s.default));
    if (out[k] !== undefined) out[k] = withDefaults(out[k], s);
  }
  return out;
}

function normalise(obj: any): any {
  return dropEmpty(withDefaults(obj, schemaOf(obj)));
}

function runCase(shared: string, c: Case): SuiteResult {
  const text = fs.readFileSync(path.join(shared, DIR, c.file), 'utf8');
  const expected = parseAllDocuments(text).map(d => d.toJSON()).filter(d => d && String(d.apiVersion).startsWith('gateway.networking.k8s.io/'));
  const app: App = Testing.app();
  const chart = new Chart(app, 'sample', {});
  c.build({ chart });
  const failures: string[] = [];
  let manifests: any[] = [];
  try {
    manifests = Testing.synth(chart);
  } catch (e) {
    failures.push(`${c.file}: synth failed: ${(e as Error).message.split('\n').slice(0, 4).join(' | ')}`);
    return { name: c.file, total: expected.length, agreed: 0, failures };
  }
  let agreed = 0;
  for (const exp of expected) {
    const where = `${c.file} ${exp.kind}/${exp.metadata?.name}`;
    const ours = manifests.find(m => m.kind === exp.kind && m.metadata?.name === exp.metadata?.name);
    if (!ours) { failures.push(`${where}: not produced`); continue; }
    if (ours.apiVersion !== exp.apiVersion) failures.push(`${where}: apiVersion ours ${ours.apiVersion}, sample ${exp.apiVersion}`);
    const a = normalise(ours).spec;
    const b = normalise(exp).spec;
    (a.rules ?? []).forEach((r: any, i: number) => { if (b.rules?.[i] && b.rules[i].name === undefined) delete r.name; });
    const out: string[] = [];
    diff(a, b, 'spec', out);
    if (out.length) failures.push(`${where}: ${out.join('; ')}`);
    else if (ours.apiVersion === exp.apiVersion) agreed++;
  }
  for (const m of manifests) {
    if (!expected.some(e => e.kind === m.kind && e.metadata?.name === m.metadata?.name)) failures.push(`${c.file}: produced ${m.kind}/${m.metadata?.name}, which the sample does not have`);
  }
  return { name: c.file, total: expected.length, agreed, failures };
}

export const suite: Suite = {
  name: 'gateway-api-samples',
  run(shared: string): SuiteResult {
    let total = 0;
    let agreed = 0;
    const failures: string[] = [];
    for (const c of CASES) {
      const r = runCase(shared, c);
      total += r.total;
      agreed += r.agreed;
      failures.push(...r.failures);
    }
    console.log(`gateway-api-samples: ${agreed} of ${total} reproduced (Gateway API objects in ${CASES.length} of Istio's Gateway API sample files)`);
    return { name: 'gateway-api-samples', agreed, total, failures };
  },
};
