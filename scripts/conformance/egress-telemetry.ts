// Conformance of the egress and telemetry constructs: every ServiceEntry and Telemetry in Istio's extra samples
// (external/*, open-telemetry/*), the Bookinfo egress sample (ServiceEntry + VirtualService + DestinationRule),
// and the valid ServiceEntry/Telemetry documents of validation-testdata are re-created through the public API
// and compared with the file, field by field. The invalid validation-testdata documents are fed to the analysis
// engine, which must refuse each one with at least one error.
//
// Normalisation, applied before comparing (each is a no-op for Istio):
//  1. empty fields are dropped (null, undefined, empty lists and maps), as our output never emits them;
//  2. port protocols compare case-insensitively (Istio parses them so; we always emit upper case);
//  3. a tag override without `operation` is UPSERT (the proto default); we always write it;
//  4. our HTTP rules are always named; where the sample's rule has no `name`, ours is dropped;
//  5. a fixture quirk: `addresses: [1.2.3.4, 001:db8::]` in serviceentry-valid.yaml is, to a YAML 1.2 parser,
//     a list whose second entry is the map `{ "001:db8:": null }` (a `:` before `]` starts a flow mapping);
//     the author (and Go's decoder) mean the IPv6 address `001:db8::`, which is what we compare against;
//  6. only `spec` and `metadata.namespace` are compared: the samples use v1alpha1/v1alpha3, we emit v1, and
//     all served versions share one schema (VALIDATION-RULES.md section 0).
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Duration, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  ClientTls, CustomTag, DestinationRule, DiagnosticLevel, ExtensionProvider, HttpMatch, IstioAnalysis, IstioMetric, LoadBalancer,
  MetricSelector, Percent, RouteDestination, ServiceEntry, ServiceEntryLocation, ServiceEntryResolution, ServicePort, TagOverride, Telemetry,
  TrafficDirection, VirtualService, WorkloadSelector,
} from '../../src';
import type { Suite, SuiteResult } from '../conformance';
import { diff, dropEmpty } from './compare';

interface Case {
  readonly file: string;
  readonly namespace?: string;
  /** Documents (by name) that cannot be built through the typed API, with the reason. */
  readonly explained?: { [name: string]: string };
  /** Analysis codes the fixture triggers on purpose (it tests one object at a time, not a coherent mesh). */
  readonly suppress?: string[];
  build(chart: Chart): void;
}

const EXTERNAL = 'istio/samples/extra-samples/external';
const OTEL = 'istio/samples/extra-samples/open-telemetry';
const CRDS = 'istio/samples/validation-testdata/crds';
const https = (name = 'https') => ServicePort.https(443, { name });
const provider = (name: string) => [ExtensionProvider.fromName(name)];

const CASES: Case[] = [
  {
    file: `${EXTERNAL}/aptget.yaml`,
    build: c => new ServiceEntry(c, 'apt', {
      metadata: { name: 'make-aptget-work' },
      hosts: ['deb.debian.org', 'cdn-fastly.deb.debian.org', 'security.debian.org', 'archive.ubuntu.com', 'security.ubuntu.com'],
      ports: [ServicePort.http(80, { name: 'http' })],
    }),
  },
  {
    file: `${EXTERNAL}/github.yaml`,
    build: c => {
      new ServiceEntry(c, 'https', { metadata: { name: 'github-https' }, hosts: ['github.com'], ports: [https()] });
      new ServiceEntry(c, 'tcp', {
        metadata: { name: 'github-tcp' },
        hosts: ['dummy.github.com'],
        addresses: [
          '13.229.188.59/32', '13.250.177.223/32', '140.82.112.0/20', '18.194.104.89/32', '18.195.85.27/32', '185.199.108.0/22',
          '185.199.108.153/32', '185.199.109.153/32', '185.199.110.153/32', '185.199.111.153/32', '192.30.252.0/22', '192.30.252.153/32',
          '192.30.252.154/32', '23.20.92.3/32', '35.159.8.160/32', '52.74.223.119/32', '54.166.52.62/32', '54.87.5.173/32',
        ],
        ports: [ServicePort.tcp(22, { name: 'tcp' })],
        location: ServiceEntryLocation.MESH_EXTERNAL,
      });
    },
  },
  {
    file: `${EXTERNAL}/pypi.yaml`,
    build: c => {
      for (const [name, host] of [['python-https', 'pypi.python.org'], ['pypi-https', 'pypi.org'], ['pythonhosted-https', 'files.pythonhosted.org']]) {
        new ServiceEntry(c, name, { metadata: { name }, hosts: [host], ports: [https()] });
      }
    },
  },
  {
    file: `${OTEL}/loki/telemetry.yaml`,
    build: c => Telemetry.meshWide(c, 'logging', { metadata: { name: 'mesh-logging' }, accessLogging: [{ providers: provider('otel') }] }),
  },
  {
    file: `${OTEL}/tracing/telemetry.yaml`,
    build: c => new Telemetry(c, 'tracing', { metadata: { name: 'otel-demo' }, tracing: [{ providers: provider('otel-tracing'), randomSamplingPercentage: Percent.of(0) }] }),
  },
  {
    file: 'istio/samples/bookinfo/networking/egress-rule-google-apis.yaml',
    build: c => {
      const se = new ServiceEntry(c, 'se', {
        metadata: { name: 'googleapis' },
        hosts: ['www.googleapis.com'],
        ports: [ServicePort.http(80, { name: 'http' }), https()],
        resolution: ServiceEntryResolution.DNS,
      });
      const host = se.host();
      new VirtualService(c, 'vs', { metadata: { name: 'rewrite-port-for-googleapis' }, hosts: [host] })
        .addHttpRoute('to-443', { match: [HttpMatch.port(80)], to: [RouteDestination.to(host, { port: 443 })] });
      new DestinationRule(c, 'dr', {
        metadata: { name: 'originate-tls-for-googleapis' },
        host,
        trafficPolicy: { loadBalancer: LoadBalancer.roundRobin(), portLevelSettings: [{ port: 443, tls: ClientTls.simple() }] },
      });
    },
  },
  {
    file: `${CRDS}/serviceentry-valid.yaml`,
    explained: {
      'empty-selector': 'workloadSelector: {} cannot be written: WorkloadSelector.labels({}) throws, since an empty selector means "the whole namespace" (say it by omitting the selector); the engine admits the document with an IST0133 warning, as istiod does',
    },
    build: c => {
      new ServiceEntry(c, 'full', {
        metadata: { name: 'full', namespace: 'default' },
        hosts: ['example.com'],
        workloadSelector: WorkloadSelector.labels({ foo: 'bar' }),
        addresses: ['1.2.3.4', '001:db8::'],
        exportTo: ['foo', '.'],
        location: ServiceEntryLocation.MESH_EXTERNAL,
        ports: [ServicePort.http(1234, { name: 'foo', targetPort: 2345 })],
        subjectAltNames: ['sa'],
        resolution: ServiceEntryResolution.DNS,
      });
      new ServiceEntry(c, 'static', {
        metadata: { name: 'static-endpoints' },
        hosts: ['example.com'],
        endpoints: [{ address: 'sub.example.com' }],
        ports: [ServicePort.http(1234, { name: 'foo', targetPort: 2345 })],
        resolution: ServiceEntryResolution.DNS,
      });
      new ServiceEntry(c, 'partial', { metadata: { name: 'partial-wildcard' }, hosts: ['*x'] });
      new ServiceEntry(c, 'cidr', { metadata: { name: 'none-cidr' }, hosts: ['example.com'], addresses: ['1.1.1.1/32'] });
    },
  },
  {
    file: `${CRDS}/telemetry-valid.yaml`,
    // Three namespace-wide Telemetries in one namespace: valid each, but istioctl analyze reports the set (IST0160).
    suppress: ['IST0160'],
    build: c => {
      new Telemetry(c, 'full', {
        metadata: { name: 'full' },
        metrics: [{
          providers: provider('prometheus'),
          reportingInterval: Duration.seconds(5),
          overrides: [
            { tagOverrides: { request_method: TagOverride.upsert('request.method'), request_host: TagOverride.upsert('request.host') }, match: MetricSelector.custom('foo'), disabled: false },
            { match: MetricSelector.metric(IstioMetric.GRPC_REQUEST_MESSAGES), disabled: true },
          ],
        }],
        accessLogging: [{ disabled: false, filter: 'true', match: TrafficDirection.CLIENT, providers: provider('stdout') }],
        tracing: [{
          providers: provider('otlp'),
          match: TrafficDirection.CLIENT_AND_SERVER,
          randomSamplingPercentage: Percent.of(54.54),
          useRequestIdForTraceSampling: true,
          disableSpanReporting: false,
          customTags: {
            env: CustomTag.environment('NAME', 'default'),
            header: CustomTag.header('x-name', 'default name'),
            literal: CustomTag.literal('default literal'),
          },
        }],
      });
      new Telemetry(c, 'upsert', { metadata: { name: 'tag-upsert' }, metrics: [{ overrides: [{ tagOverrides: { foo: TagOverride.upsert('add') } }] }] });
      new Telemetry(c, 'remove', { metadata: { name: 'tag-remove' }, metrics: [{ overrides: [{ tagOverrides: { foo: TagOverride.remove() } }] }] });
    },
  },
];

const INVALID = [`${CRDS}/serviceentry-invalid.yaml`, `${CRDS}/telemetry-invalid.yaml`];
const KINDS = new Set(['ServiceEntry', 'Telemetry', 'VirtualService', 'DestinationRule']);

/** Normalisations 2 and 3 (see the file comment), applied to both sides. */
function canonical(spec: any): any {
  const s = JSON.parse(JSON.stringify(spec ?? {}));
  for (const p of s.ports ?? []) if (typeof p.protocol === 'string') p.protocol = p.protocol.toUpperCase();
  if (Array.isArray(s.addresses)) {
    s.addresses = s.addresses.map((a: any) => {
      const keys = a && typeof a === 'object' ? Object.keys(a) : [];
      return keys.length === 1 && a[keys[0]] === null && keys[0].endsWith(':') ? `${keys[0]}:` : a;
    });
  }
  for (const m of s.metrics ?? []) {
    for (const o of m.overrides ?? []) {
      for (const t of Object.values(o.tagOverrides ?? {}) as any[]) if (t && t.operation === undefined) t.operation = 'UPSERT';
    }
  }
  return dropEmpty(s);
}

function documents(file: string): any[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map(d => d.toJS()).filter(d => d && typeof d === 'object' && d.kind);
}

function runCase(shared: string, c: Case): { total: number; agreed: number; explained: string[]; failures: string[] } {
  const expected = documents(path.join(shared, c.file)).filter(d => KINDS.has(d.kind));
  const app: App = Testing.app();
  const chart = new Chart(app, 'sample', c.namespace ? { namespace: c.namespace } : {});
  IstioAnalysis.of(app).suppress(...(c.suppress ?? []));
  c.build(chart);
  const failures: string[] = [];
  const explained: string[] = [];
  let manifests: any[];
  try {
    manifests = Testing.synth(chart);
  } catch (e) {
    failures.push(`${c.file}: synth failed: ${(e as Error).message.split('\n').slice(0, 4).join(' | ')}`);
    return { total: expected.length, agreed: 0, explained, failures };
  }
  const errors = IstioAnalysis.analyze(manifests, { suppress: c.suppress }).filter(d => d.level === DiagnosticLevel.ERROR);
  for (const e of errors) failures.push(`${c.file}: analysis: ${e.code} ${e.message}`);
  let agreed = 0;
  for (const exp of expected) {
    const where = `${c.file} ${exp.kind}/${exp.metadata?.name}`;
    const why = c.explained?.[exp.metadata?.name];
    if (why) {
      // The explanation claims the engine admits the sample as it is; hold it to that.
      const rejected = IstioAnalysis.analyze([exp]).filter(d => d.level === DiagnosticLevel.ERROR);
      if (rejected.length) failures.push(`${where}: explained as admitted, but analysis rejects it: ${rejected[0].message}`);
      explained.push(`${where}: ${why}`);
      continue;
    }
    const ours = manifests.find(m => m.kind === exp.kind && m.metadata?.name === exp.metadata?.name);
    if (!ours) { failures.push(`${where}: not produced`); continue; }
    const mine = JSON.parse(JSON.stringify(ours));
    (mine.spec?.http ?? []).forEach((rule: any, i: number) => { if (exp.spec?.http?.[i]?.name === undefined) delete rule.name; });
    const out: string[] = [];
    diff(canonical(mine.spec), canonical(exp.spec), 'spec', out);
    if ((ours.metadata?.namespace ?? undefined) !== (exp.metadata?.namespace ?? undefined)) out.push(`metadata.namespace: ours ${ours.metadata?.namespace}, sample ${exp.metadata?.namespace}`);
    if (out.length) failures.push(`${where}: ${out.join('; ')}`);
    else agreed++;
  }
  const extra = manifests.filter(m => KINDS.has(m.kind) && !expected.some(e => e.kind === m.kind && e.metadata?.name === m.metadata?.name));
  for (const m of extra) failures.push(`${c.file}: produced ${m.kind}/${m.metadata?.name}, which the sample does not have`);
  return { total: expected.length, agreed, explained, failures };
}

/** Every invalid document must draw at least one error from the engine. */
function runInvalid(shared: string): { total: number; refused: number; failures: string[]; lines: string[] } {
  let total = 0;
  let refused = 0;
  const failures: string[] = [];
  const lines: string[] = [];
  for (const f of INVALID) {
    for (const doc of documents(path.join(shared, f))) {
      const expectedError = doc._err;
      delete doc._err;
      total++;
      const errors = IstioAnalysis.analyze([doc]).filter(d => d.level === DiagnosticLevel.ERROR);
      if (errors.length > 0) {
        refused++;
        lines.push(`  refused ${doc.kind}/${doc.metadata?.name} (API server: "${expectedError}"): ${errors[0].code} ${errors[0].message}`);
      } else {
        failures.push(`${f} ${doc.kind}/${doc.metadata?.name}: admitted, but the API server rejects it with "${expectedError}"`);
      }
    }
  }
  return { total, refused, failures, lines };
}

export const suite: Suite = {
  name: 'egress-telemetry',
  run(shared: string): SuiteResult {
    let total = 0;
    let agreed = 0;
    const failures: string[] = [];
    const explained: string[] = [];
    for (const c of CASES) {
      const r = runCase(shared, c);
      total += r.total;
      agreed += r.agreed;
      failures.push(...r.failures);
      explained.push(...r.explained);
    }
    console.log(`egress-telemetry: ${agreed} of ${total} valid documents reproduced through the public API (${CASES.length} files); ${explained.length} explained:`);
    for (const e of explained) console.log(`  EXPLAINED ${e}`);
    const inv = runInvalid(shared);
    console.log(`egress-telemetry: ${inv.refused} of ${inv.total} invalid validation-testdata documents refused by analysis`);
    for (const l of inv.lines) console.log(l);
    failures.push(...inv.failures);
    return { name: 'egress-telemetry', agreed: agreed + inv.refused, total: total + inv.total, failures };
  },
};
