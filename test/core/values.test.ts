import { ApiObject, App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus28 from 'cdk8s-plus-28';
import * as kplus33 from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ClusterDomain, DestinationRule, Host, IHost, IstioApi, IstioApiVersion, Percent, WorkloadSelector } from '../../src';
import { parseGoDuration, renderDuration } from '../../src/core/duration';
import { constructError, formatProblem, joinPath, renderValue, withConstructPath } from '../../src/core/errors';
import { compact } from '../../src/core/render';
import { checkDns1123Label, checkFqdn, checkIpOrCidr, checkLabelKey, checkLabels, checkPort, checkWildcardDomain, isIP, isPartialWildcard } from '../../src/core/validate';

describe('error messages', () => {
  test('follow the one shape: <Kind>.<field>: <problem> (got <value>; <allowed>)', () => {
    expect(formatProblem({ kind: 'VirtualService', field: 'spec.http[0].timeout', problem: 'too short', got: '0s', allowed: '>= 1ms' }))
      .toBe('VirtualService.spec.http[0].timeout: too short (got "0s"; >= 1ms)');
    expect(formatProblem({ kind: 'Percent', problem: 'out of range', got: 150 })).toBe('Percent: out of range (got 150)');
    expect(renderValue({ a: 'x'.repeat(200) })).toHaveLength(120);
    expect(joinPath('spec', 'http', 2, 'route', 0, 'destination')).toBe('spec.http[2].route[0].destination');
  });

  test('errors thrown while a construct is built start with its path', () => {
    const chart = new Chart(Testing.app(), 'shop');
    const c = new Construct(chart, 'release');
    expect(constructError(c, { kind: 'CanaryRelease', field: 'canaryWeight', problem: 'too big', got: 120 }).message)
      .toBe('[shop/release] CanaryRelease.canaryWeight: too big (got 120)');
    expect(() => withConstructPath(c, () => { throw new Error('Percent: out of range (got 150)'); }))
      .toThrow(/^\[shop\/release\] Percent: out of range \(got 150\)$/);
    // A message that already names a construct keeps its own path.
    expect(() => withConstructPath(c, () => { throw new Error('[shop/other] x'); })).toThrow(/^\[shop\/other\] x$/);
    expect(withConstructPath(c, () => 42)).toBe(42);
  });
});

describe('Duration rendering', () => {
  test.each([
    [Duration.millis(250), '250ms'],
    [Duration.seconds(5), '5s'],
    [Duration.minutes(2), '120s'],
    [Duration.millis(1), '1ms'],
    [Duration.millis(1500), '1500ms'],
  ])('%s renders as %s', (d, s) => {
    expect(renderDuration(d, 'VirtualService', 'spec.http[0].timeout')).toBe(s);
  });

  test('below 1ms or fractional milliseconds is refused with the field', () => {
    expect(() => renderDuration(Duration.millis(0), 'VirtualService', 'spec.http[0].timeout')).toThrow(
      'VirtualService.spec.http[0].timeout: Istio durations must be a whole number of milliseconds, at least 1ms (got "0ms"; e.g. Duration.millis(250) or Duration.seconds(5))');
    expect(() => renderDuration(Duration.millis(1.5), 'K', 'f')).toThrow('(got "1.5ms"');
    expect(() => renderDuration(Duration.millis(1500), 'K', 'f', { wholeSeconds: true })).toThrow('K.f: this duration must be whole seconds (got "1500ms"');
  });

  test('Go durations parse like time.ParseDuration', () => {
    expect(parseGoDuration('1h30m')).toBe(5400e9);
    expect(parseGoDuration('2.5s')).toBe(2.5e9);
    expect(parseGoDuration('1500us')).toBe(1.5e6);
    expect(parseGoDuration('5d')).toBeUndefined();
    expect(parseGoDuration('')).toBeUndefined();
  });
});

describe('Percent', () => {
  test('accepts 0..100 and removes float noise', () => {
    expect(Percent.of(0).value).toBe(0);
    expect(Percent.of(100).value).toBe(100);
    expect(Percent.fraction(0.001).value).toBe(0.1);
    expect(Percent.fraction(0.07).value).toBe(7);
  });
  test.each([150, -1, NaN, Infinity])('refuses %s at once', v => {
    expect(() => Percent.of(v)).toThrow(`Percent: a percentage must be between 0 and 100 (got ${v}; e.g. Percent.of(10))`);
  });
});

describe('Host', () => {
  /** How a DestinationRule in namespace `ns` (none when undefined) of the host's app writes `host`. */
  function writtenFrom(scope: Chart, ns: string | undefined, host: IHost): string {
    const chart = new Chart(scope.node.root as App, `from-${ns ?? 'none'}-${++charts}`, ns ? { namespace: ns } : {});
    new DestinationRule(chart, `dr-${charts}`, { host });
    return Testing.synth(chart)[0].spec.host;
  }
  let charts = 0;
  const looseChart = () => new Chart(Testing.app(), 'c');

  function services(chart: Chart) {
    return {
      plus28: new kplus28.Service(chart, 'p28', { metadata: { name: 'reviews' }, ports: [{ port: 9080 }] }),
      plus33: new kplus33.Service(chart, 'p33', { metadata: { name: 'ratings' }, ports: [{ port: 9080 }, { port: 9090 }] }),
      raw: new ApiObject(chart, 'raw', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'details' }, spec: { ports: [{ port: 8080 }] } }),
    };
  }

  test('fromService reads name, namespace and ports of cdk8s-plus-28, -33 and raw Services', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'bookinfo' });
    const s = services(chart);
    const hosts = [Host.fromService(s.plus28), Host.fromService(s.plus33), Host.fromService(s.raw)];
    expect(hosts.map(h => [h.hostname, h.namespace, h.ports])).toEqual([
      ['reviews', 'bookinfo', [9080]],
      ['ratings', 'bookinfo', [9080, 9090]],
      ['details', 'bookinfo', [8080]],
    ]);
    expect(writtenFrom(chart, 'bookinfo', hosts[0])).toBe('reviews');
    expect(writtenFrom(chart, 'frontend', hosts[0])).toBe('reviews.bookinfo.svc.cluster.local');
  });

  test('the cluster domain is one switch for the app', () => {
    const app = Testing.app();
    ClusterDomain.use(app, 'corp.internal');
    const chart = new Chart(app, 'c', { namespace: 'bookinfo' });
    const host = Host.fromService(services(chart).plus28);
    expect(writtenFrom(chart, 'x', host)).toBe('reviews.bookinfo.svc.corp.internal');
    expect(writtenFrom(chart, 'x', Host.fromName('ratings', { namespace: 'bookinfo' }))).toBe('ratings.bookinfo.svc.corp.internal');
    expect(ClusterDomain.of(chart)).toBe('corp.internal');
    expect(ClusterDomain.of(Testing.app())).toBe('cluster.local');
    expect(() => ClusterDomain.use(app, 'late.local')).toThrow('[] ClusterDomain.use: call it before adding charts or constructs to this scope (got a scope with 4 children)');
    expect(() => ClusterDomain.use(Testing.app(), 'Corp_Local')).toThrow('[] context cdk8s-istio:clusterDomain: a cluster domain is a lower-case DNS name (got "Corp_Local"; e.g. "cluster.local")');
  });

  test('ports added to a Service after the host was made are seen at synth', () => {
    const chart = new Chart(Testing.app(), 'c');
    const svc = new kplus33.Service(chart, 'svc', { ports: [{ port: 80 }] });
    const host = Host.fromService(svc);
    svc.bind(8443);
    expect(host.ports).toEqual([80, 8443]);
    expect(host.hostname).toBe(svc.name);
  });

  test('fromService refuses a construct that is not a Service', () => {
    const chart = new Chart(Testing.app(), 'c');
    const deploy = new kplus33.Deployment(chart, 'd', { containers: [{ image: 'nginx' }] });
    expect(() => Host.fromService(deploy)).toThrow('[c/d] expected a Service (got Deployment)');
    expect(() => Host.fromService(new Construct(chart, 'empty'))).toThrow('[c/empty] expected a Kubernetes object or a construct whose default child is one');
  });

  test('fromName and external', () => {
    expect(writtenFrom(looseChart(), 'x', Host.fromName('reviews'))).toBe('reviews');
    expect(writtenFrom(looseChart(), 'x', Host.fromName('reviews', { namespace: 'bookinfo', ports: [9080] }))).toBe('reviews.bookinfo.svc.cluster.local');
    expect(writtenFrom(looseChart(), 'bookinfo', Host.fromName('reviews', { namespace: 'bookinfo' }))).toBe('reviews');
    expect(writtenFrom(looseChart(), undefined, Host.fromName('reviews', { namespace: 'bookinfo' }))).toBe('reviews.bookinfo.svc.cluster.local');
    expect(Host.fromName('*.example.com').hostname).toBe('*.example.com');
    expect(Host.external('api.github.com', [443]).ports).toEqual([443]);
    expect(() => Host.external('github')).toThrow('Host: an external host must be fully qualified (got "github"; e.g. api.example.com)');
    expect(() => Host.fromName('bad_host')).toThrow('Host: label "bad_host" must be a DNS-1123 label');
    expect(() => Host.fromName('a.*.com')).toThrow('Host: only the first label of a hostname may contain a wildcard "*"');
  });
});

describe('WorkloadSelector', () => {
  test('labels are copied and checked', () => {
    const labels = { app: 'reviews' };
    const sel = WorkloadSelector.labels(labels);
    labels.app = 'changed';
    expect(sel.matchLabels).toEqual({ app: 'reviews' });
    expect(() => WorkloadSelector.labels({})).toThrow('WorkloadSelector: a selector needs at least one label');
    expect(() => WorkloadSelector.labels({ app: 'a*' })).toThrow('WorkloadSelector.labels.app: a label value must be empty or at most 63 characters');
  });

  test('fromWorkload reads matchLabels of cdk8s-plus-28 and -33 Deployments at synth', () => {
    const chart = new Chart(Testing.app(), 'c');
    const d28 = new kplus28.Deployment(chart, 'd28', { containers: [{ image: 'nginx' }] });
    const d33 = new kplus33.Deployment(chart, 'd33', { containers: [{ image: 'nginx' }], podMetadata: { labels: { app: 'web' } } });
    const s28 = WorkloadSelector.fromWorkload(d28).matchLabels;
    const s33 = WorkloadSelector.fromWorkload(d33).matchLabels;
    const [m28, m33] = Testing.synth(chart).map(d => d.spec.selector.matchLabels);
    expect(s28).toEqual(m28);
    expect(s33).toEqual(m33);
    expect(Object.keys(s28)).toEqual(['cdk8s.io/metadata.addr']);
    expect(s28).not.toEqual(s33);
  });

  test('fromWorkload refuses an object without a pod selector', () => {
    const chart = new Chart(Testing.app(), 'c');
    const cm = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap' });
    expect(() => WorkloadSelector.fromWorkload(cm).matchLabels).toThrow('[c/cm] WorkloadSelector.fromWorkload: ConfigMap has no spec.selector.matchLabels');
  });
});

describe('IstioApi version switch', () => {
  test('defaults to v1, reads context, refuses unknown values and late switches', () => {
    const app = Testing.app();
    expect(IstioApi.versionOf(app)).toBe(IstioApiVersion.V1);
    IstioApi.useVersion(app, IstioApiVersion.V1BETA1);
    expect(IstioApi.versionOf(new Chart(app, 'c'))).toBe(IstioApiVersion.V1BETA1);
    expect(() => IstioApi.useVersion(app, IstioApiVersion.V1)).toThrow('IstioApi.useVersion: call it before adding charts or constructs to this scope (got a scope with 1 children)');
    const bad = Testing.app();
    bad.node.setContext(IstioApi.CONTEXT_KEY, 'v2');
    expect(() => IstioApi.versionOf(bad)).toThrow('context cdk8s-istio:apiVersion: unknown Istio API version (got "v2"; "v1" or "v1beta1")');
  });
});

describe('value grammars', () => {
  test('DNS labels, FQDNs and wildcards follow Istio (upper case accepted)', () => {
    expect(checkDns1123Label('Reviews-v1')).toBeUndefined();
    expect(checkDns1123Label('a.b')).toMatch(/DNS-1123 label/);
    expect(checkDns1123Label('x'.repeat(64))).toBe('must be at most 63 characters');
    expect(checkFqdn('reviews.bookinfo.svc.cluster.local.')).toBeUndefined();
    expect(checkFqdn('10.0.0.1')).toMatch(/all digits/);
    expect(checkFqdn('a..b')).toMatch(/empty labels/);
    expect(checkWildcardDomain('*')).toBeUndefined();
    expect(checkWildcardDomain('*.example.com')).toBeUndefined();
    expect(checkWildcardDomain('*-svc.example.com')).toBeUndefined();
    expect(checkWildcardDomain('a.*.com')).toMatch(/only the first label/);
    expect(isPartialWildcard('*foo.com')).toBe(true);
    expect(isPartialWildcard('*.foo.com')).toBe(false);
  });

  test('IPs, CIDRs, ports and labels', () => {
    expect(isIP('10.0.0.1')).toBe(true);
    expect(isIP('2001:db8::1')).toBe(true);
    expect(isIP('::ffff:10.0.0.1')).toBe(true);
    expect(isIP('300.0.0.1')).toBe(false);
    expect(isIP('1:2:3:4:5:6:7:8:9')).toBe(false);
    expect(checkIpOrCidr('10.0.0.0/8')).toBeUndefined();
    expect(checkIpOrCidr('2001:db8::/32')).toBeUndefined();
    expect(checkIpOrCidr('10.0.0.0/33')).toMatch(/CIDR/);
    expect(checkPort(65535)).toBeUndefined();
    expect(checkPort(0)).toMatch(/1 to 65535/);
    expect(checkPort(80.5)).toMatch(/1 to 65535/);
    expect(checkLabelKey('app.kubernetes.io/name')).toBeUndefined();
    expect(checkLabelKey('Bad_Prefix/name')).toMatch(/prefix/);
    expect(checkLabels({ 'app': 'ok', 'x*': 'y' })).toEqual(['x*', expect.stringMatching(/label name/)]);
  });
});

describe('compact', () => {
  test('drops undefined and empty containers, keeps zero and false', () => {
    expect(compact({ a: undefined, b: [], c: {}, d: { e: [] }, weight: 0, f: false, g: [{ h: undefined }], i: 'x' })).toEqual({ weight: 0, f: false, i: 'x' });
  });
});
