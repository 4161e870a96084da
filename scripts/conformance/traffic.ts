// Conformance of the traffic constructs: every VirtualService and DestinationRule in Istio's Bookinfo
// networking samples and the extra samples (tcp-echo, websockets, helloworld, httpbin, multicluster) is
// re-created through the public API only and compared with the file, field by field.
//
// Normalisation, applied to both sides before comparing:
//  1. empty fields are dropped (null, undefined, empty lists and maps), as our output never emits them;
//  2. our HTTP rules are always named (`addHttpRoute(name, ...)`); where the sample's rule has no `name`,
//     ours is dropped before comparing. A rule name only labels stats and access logs.
// Nothing else is normalised: numbers compare as numbers (`100.0` in YAML is 100), strings exactly.
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Duration, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  ClientTls, DestinationRule, DiagnosticLevel, Fault, Gateway, GatewayServer, H2UpgradePolicy, Host, HttpMatch, IGateway, ISubset, IstioAnalysis,
  LoadBalancer, Percent, RouteDestination, StringMatch, VirtualService,
} from '../../src';
import type { Suite, SuiteResult } from '../conformance';
import { diff, dropEmpty } from './compare';

/** What a builder gets: the chart whose VS/DR objects are compared, and helpers for context objects. */
interface Ctx {
  readonly chart: Chart;
  /** A subset of a DestinationRule defined elsewhere (in a context chart that is not compared). */
  subset(host: string, name: string): ISubset;
  /** A Gateway defined in a context chart in the namespace of the compared chart. */
  gateway(name: string): IGateway;
}

const BOOKINFO_SUBSETS: Record<string, string[]> = {
  productpage: ['v1'],
  reviews: ['v1', 'v2', 'v3'],
  ratings: ['v1', 'v2', 'v2-mysql', 'v2-mysql-vm'],
  details: ['v1', 'v2'],
};

function bookinfoRules(c: Ctx, mtls: boolean) {
  for (const [service, versions] of Object.entries(BOOKINFO_SUBSETS)) {
    const dr = new DestinationRule(c.chart, `${service}-dr`, {
      metadata: { name: service },
      host: Host.fromName(service),
      trafficPolicy: mtls ? { tls: ClientTls.istioMutual() } : undefined,
    });
    versions.forEach(v => dr.addSubset(v, { labels: { version: v } }));
  }
}

/** A VirtualService named after its host that sends everything to one subset. */
function allTo(c: Ctx, host: string, subset: string) {
  new VirtualService(c.chart, `${host}-vs`, { metadata: { name: host }, hosts: [Host.fromName(host)] })
    .addHttpRoute('all', { to: [RouteDestination.to(c.subset(host, subset))] });
}

function split(c: Ctx, a: string, wa: number, b: string, wb: number) {
  new VirtualService(c.chart, 'reviews-vs', { metadata: { name: 'reviews' }, hosts: [Host.fromName('reviews')] })
    .addHttpRoute('split', { to: [RouteDestination.to(c.subset('reviews', a), { weight: wa }), RouteDestination.to(c.subset('reviews', b), { weight: wb })] });
}

function jason(c: Ctx, host: string, jasonSubset: string, rest: string, fault?: Fault) {
  const vs = new VirtualService(c.chart, `${host}-vs`, { metadata: { name: host }, hosts: [Host.fromName(host)] });
  vs.addHttpRoute('jason', { match: [HttpMatch.header('end-user', StringMatch.exact('jason'))], fault, to: [RouteDestination.to(c.subset(host, jasonSubset))] });
  vs.addHttpRoute('everyone-else', { to: [RouteDestination.to(c.subset(host, rest))] });
}

function gatewayRoute(c: Ctx, name: string, gateway: string, host: string, port: number, match?: HttpMatch[]) {
  new VirtualService(c.chart, name, { metadata: { name }, hosts: [Host.fromName('*')], gateways: [c.gateway(gateway)] })
    .addHttpRoute(name, { match, to: [RouteDestination.to(Host.fromName(host), { port })] });
}

interface Case {
  readonly file: string;
  readonly namespace?: string;
  /** Analysis codes the sample itself trips, suppressed the way a user would (`IstioAnalysis.of(app).suppress`). */
  readonly suppress?: string[];
  build(c: Ctx): void;
}

const BOOKINFO = 'istio/samples/bookinfo/networking';
const EXTRA = 'istio/samples/extra-samples';

const CASES: Case[] = [
  {
    file: `${BOOKINFO}/bookinfo-gateway.yaml`,
    build: c => gatewayRoute(c, 'bookinfo', 'bookinfo-gateway', 'productpage', 9080, [
      HttpMatch.uri(StringMatch.exact('/productpage')),
      HttpMatch.uri(StringMatch.prefix('/static')),
      HttpMatch.uri(StringMatch.exact('/login')),
      HttpMatch.uri(StringMatch.exact('/logout')),
      HttpMatch.uri(StringMatch.prefix('/api/v1/products')),
    ]),
  },
  {
    file: `${BOOKINFO}/certmanager-gateway.yaml`,
    namespace: 'istio-system',
    build: c => gatewayRoute(c, 'cert-manager', 'cert-manager-gateway', 'cert-manager-resolver', 8089, [HttpMatch.uri(StringMatch.prefix('/.well-known/acme-challenge/'))]),
  },
  { file: `${BOOKINFO}/destination-rule-all.yaml`, build: c => bookinfoRules(c, false) },
  { file: `${BOOKINFO}/destination-rule-all-mtls.yaml`, build: c => bookinfoRules(c, true) },
  {
    file: `${BOOKINFO}/destination-rule-reviews.yaml`,
    build: c => {
      const dr = new DestinationRule(c.chart, 'reviews', { metadata: { name: 'reviews' }, host: Host.fromName('reviews'), trafficPolicy: { loadBalancer: LoadBalancer.random() } });
      ['v1', 'v2', 'v3'].forEach(v => dr.addSubset(v, { labels: { version: v } }));
    },
  },
  {
    file: `${BOOKINFO}/egress-rule-google-apis.yaml`,
    build: c => {
      const googleapis = Host.external('www.googleapis.com', [80, 443]);
      new VirtualService(c.chart, 'vs', { metadata: { name: 'rewrite-port-for-googleapis' }, hosts: [googleapis] })
        .addHttpRoute('to-443', { match: [HttpMatch.port(80)], to: [RouteDestination.to(googleapis, { port: 443 })] });
      new DestinationRule(c.chart, 'dr', {
        metadata: { name: 'originate-tls-for-googleapis' },
        host: googleapis,
        trafficPolicy: { loadBalancer: LoadBalancer.roundRobin(), portLevelSettings: [{ port: 443, tls: ClientTls.simple() }] },
      });
    },
  },
  {
    file: `${BOOKINFO}/fault-injection-details-v1.yaml`,
    // Istio's sample follows the match-less fault rule with a second match-less rule that can never be
    // reached (istioctl warns with IST0130). Synth fails on IST0130 by default, so reproducing the sample
    // takes an explicit suppression, which is what a user copying it would have to write too.
    suppress: ['IST0130'],
    build: c => {
      const dr = new DestinationRule(c.chart, 'dr', { metadata: { name: 'details' }, host: Host.fromName('details') });
      const v1 = dr.addSubset('v1', { labels: { version: 'v1' } });
      const vs = new VirtualService(c.chart, 'vs', { metadata: { name: 'details' }, hosts: [Host.fromName('details')] });
      vs.addHttpRoute('abort', { fault: Fault.abort(555, Percent.of(100)), to: [RouteDestination.to(v1)] });
      vs.addHttpRoute('rest', { to: [RouteDestination.to(v1)] });
    },
  },
  { file: `${BOOKINFO}/virtual-service-all-v1.yaml`, build: c => ['productpage', 'reviews', 'ratings', 'details'].forEach(h => allTo(c, h, 'v1')) },
  { file: `${BOOKINFO}/virtual-service-details-v2.yaml`, build: c => allTo(c, 'details', 'v2') },
  { file: `${BOOKINFO}/virtual-service-ratings-db.yaml`, build: c => { allTo(c, 'reviews', 'v3'); allTo(c, 'ratings', 'v2'); } },
  { file: `${BOOKINFO}/virtual-service-ratings-mysql.yaml`, build: c => { allTo(c, 'reviews', 'v3'); allTo(c, 'ratings', 'v2-mysql'); } },
  { file: `${BOOKINFO}/virtual-service-ratings-mysql-vm.yaml`, build: c => { allTo(c, 'reviews', 'v3'); allTo(c, 'ratings', 'v2-mysql-vm'); } },
  { file: `${BOOKINFO}/virtual-service-ratings-test-abort.yaml`, build: c => jason(c, 'ratings', 'v1', 'v1', Fault.abort(500, Percent.of(100))) },
  { file: `${BOOKINFO}/virtual-service-ratings-test-delay.yaml`, build: c => jason(c, 'ratings', 'v1', 'v1', Fault.delay(Duration.seconds(7), Percent.of(100))) },
  { file: `${BOOKINFO}/virtual-service-reviews-50-v3.yaml`, build: c => split(c, 'v1', 50, 'v3', 50) },
  { file: `${BOOKINFO}/virtual-service-reviews-80-20.yaml`, build: c => split(c, 'v1', 80, 'v2', 20) },
  { file: `${BOOKINFO}/virtual-service-reviews-90-10.yaml`, build: c => split(c, 'v1', 90, 'v2', 10) },
  { file: `${BOOKINFO}/virtual-service-reviews-jason-v2-v3.yaml`, build: c => jason(c, 'reviews', 'v2', 'v3') },
  { file: `${BOOKINFO}/virtual-service-reviews-test-v2.yaml`, build: c => jason(c, 'reviews', 'v2', 'v1') },
  { file: `${BOOKINFO}/virtual-service-reviews-v2-v3.yaml`, build: c => split(c, 'v2', 50, 'v3', 50) },
  { file: `${BOOKINFO}/virtual-service-reviews-v3.yaml`, build: c => allTo(c, 'reviews', 'v3') },
  {
    file: `${EXTRA}/helloworld/helloworld-gateway.yaml`,
    build: c => gatewayRoute(c, 'helloworld', 'helloworld-gateway', 'helloworld', 5000, [HttpMatch.uri(StringMatch.exact('/hello'))]),
  },
  { file: `${EXTRA}/httpbin/httpbin-gateway.yaml`, build: c => gatewayRoute(c, 'httpbin', 'httpbin-gateway', 'httpbin', 8000) },
  {
    file: `${EXTRA}/websockets/route.yaml`,
    build: c => new VirtualService(c.chart, 'tornado', { metadata: { name: 'tornado' }, hosts: [Host.fromName('*')], gateways: [c.gateway('tornado-gateway')] })
      .addHttpRoute('all', { match: [HttpMatch.uri(StringMatch.prefix('/'))], to: [RouteDestination.to(Host.fromName('tornado'), { weight: 100 })] }),
  },
  {
    file: `${EXTRA}/tcp-echo/tcp-echo-all-v1.yaml`,
    build: c => {
      const dr = new DestinationRule(c.chart, 'dr', { metadata: { name: 'tcp-echo-destination' }, host: Host.fromName('tcp-echo') });
      const v1 = dr.addSubset('v1', { labels: { version: 'v1' } });
      dr.addSubset('v2', { labels: { version: 'v2' } });
      new VirtualService(c.chart, 'vs', { metadata: { name: 'tcp-echo' }, hosts: [Host.fromName('*')], gateways: [c.gateway('tcp-echo-gateway')] })
        .addTcpRoute('echo', { match: [{ port: 31400 }], to: [RouteDestination.to(v1, { port: 9000 })] });
    },
  },
  {
    file: `${EXTRA}/tcp-echo/tcp-echo-20-v2.yaml`,
    build: c => new VirtualService(c.chart, 'vs', { metadata: { name: 'tcp-echo' }, hosts: [Host.fromName('*')], gateways: [c.gateway('tcp-echo-gateway')] })
      .addTcpRoute('echo', {
        match: [{ port: 31400 }],
        to: [RouteDestination.to(c.subset('tcp-echo', 'v1'), { port: 9000, weight: 80 }), RouteDestination.to(c.subset('tcp-echo', 'v2'), { port: 9000, weight: 20 })],
      }),
  },
  {
    file: `${EXTRA}/multicluster/expose-istiod.yaml`,
    build: c => {
      const istiod = Host.fromName('istiod.istio-system.svc.cluster.local');
      const vs = new VirtualService(c.chart, 'vs', { metadata: { name: 'istiod-vs' }, hosts: [Host.fromName('*')], gateways: [c.gateway('istiod-gateway')] });
      vs.addTlsRoute('xds', { match: [{ port: 15012, sniHosts: ['*'] }], to: [RouteDestination.to(istiod, { port: 15012 })] });
      vs.addTlsRoute('webhook', { match: [{ port: 15017, sniHosts: ['*'] }], to: [RouteDestination.to(istiod, { port: 443 })] });
    },
  },
  {
    file: `${EXTRA}/multicluster/expose-istiod-https.yaml`,
    build: c => {
      const istiod = Host.fromName('istiod.istio-system.svc.cluster.local');
      const vs = new VirtualService(c.chart, 'vs', { metadata: { name: 'istiod-vs' }, hosts: [Host.fromName('ISTIOD-HOST.DOMAIN')], gateways: [c.gateway('istiod-gateway')] });
      vs.addHttpRoute('xds', { match: [HttpMatch.port(15012)], to: [RouteDestination.to(istiod, { port: 15012 })] });
      vs.addHttpRoute('webhook', { match: [HttpMatch.port(15017)], to: [RouteDestination.to(istiod, { port: 443 })] });
      new DestinationRule(c.chart, 'dr', {
        metadata: { name: 'istiod-dr' },
        host: istiod,
        trafficPolicy: {
          portLevelSettings: [
            { port: 15012, tls: ClientTls.simple(), connectionPool: { http: { h2UpgradePolicy: H2UpgradePolicy.UPGRADE } } },
            { port: 443, tls: ClientTls.simple() },
          ],
        },
      });
    },
  },
];

const KINDS = new Set(['VirtualService', 'DestinationRule']);

function normalise(ours: any, sample: any): any {
  const copy = JSON.parse(JSON.stringify(ours));
  (copy.spec?.http ?? []).forEach((rule: any, i: number) => {
    if (sample.spec?.http?.[i]?.name === undefined) delete rule.name;
  });
  return dropEmpty(copy);
}

function runCase(shared: string, c: Case): { total: number; agreed: number; failures: string[] } {
  const file = path.join(shared, c.file);
  const expected = parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(d => d.toJS())
    .filter(d => d && KINDS.has(d.kind));
  const app: App = Testing.app();
  const chart = new Chart(app, 'sample', c.namespace ? { namespace: c.namespace } : {});
  const context = new Chart(app, 'context', c.namespace ? { namespace: c.namespace } : {});
  const contextRules = new Map<string, DestinationRule>();
  const subsets = new Map<string, ISubset>();
  const gateways = new Map<string, IGateway>();
  const ctx: Ctx = {
    chart,
    subset(host, name) {
      const key = `${host}/${name}`;
      let s = subsets.get(key);
      if (!s) {
        let dr = contextRules.get(host);
        if (!dr) contextRules.set(host, (dr = new DestinationRule(context, `${host}-dr`, { metadata: { name: host }, host: Host.fromName(host) })));
        s = dr.addSubset(name, { labels: { version: name } });
        subsets.set(key, s);
      }
      return s;
    },
    gateway(name) {
      let g = gateways.get(name);
      if (!g) {
        g = new Gateway(context, `${name}-gw`, { metadata: { name }, servers: [GatewayServer.http({ hosts: ['*'] })] });
        gateways.set(name, g);
      }
      return g;
    },
  };
  if (c.suppress) IstioAnalysis.of(app).suppress(...c.suppress);
  c.build(ctx);
  const failures: string[] = [];
  let manifests: any[] = [];
  try {
    manifests = Testing.synth(chart);
  } catch (e) {
    // Synth failing on analysis errors would hide the comparison; report and compare what analysis alone says.
    failures.push(`${c.file}: synth failed: ${(e as Error).message.split('\n').slice(0, 4).join(' | ')}`);
    return { total: expected.length, agreed: 0, failures };
  }
  const errors = IstioAnalysis.analyze(manifests, { suppress: c.suppress }).filter(d => d.level === DiagnosticLevel.ERROR);
  for (const e of errors) failures.push(`${c.file}: analysis: ${e.code} ${e.message}`);
  let agreed = 0;
  for (const exp of expected) {
    const ours = manifests.find(m => m.kind === exp.kind && m.metadata?.name === exp.metadata?.name);
    const where = `${c.file} ${exp.kind}/${exp.metadata?.name}`;
    if (!ours) { failures.push(`${where}: not produced`); continue; }
    const out: string[] = [];
    diff(normalise(ours, exp).spec, dropEmpty(exp.spec), 'spec', out);
    if ((ours.metadata?.namespace ?? undefined) !== (exp.metadata?.namespace ?? undefined)) out.push(`metadata.namespace: ours ${ours.metadata?.namespace}, sample ${exp.metadata?.namespace}`);
    if (out.length) failures.push(`${where}: ${out.join('; ')}`);
    else agreed++;
  }
  const extra = manifests.filter(m => KINDS.has(m.kind) && !expected.some(e => e.kind === m.kind && e.metadata?.name === m.metadata?.name));
  for (const m of extra) failures.push(`${c.file}: produced ${m.kind}/${m.metadata?.name}, which the sample does not have`);
  return { total: expected.length, agreed, failures };
}

export const suite: Suite = {
  name: 'traffic',
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
    console.log(`traffic: ${agreed} of ${total} reproduced (VirtualService and DestinationRule objects in ${CASES.length} sample files)`);
    return { name: 'traffic', agreed, total, failures };
  },
};
