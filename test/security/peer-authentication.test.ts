import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { IstioApi, IstioApiVersion, MtlsMode, PeerAuthentication, WorkloadSelector } from '../../src';
import { chartIn, ofKind, synth, synthError } from '../util';

describe('PeerAuthentication', () => {
  test('meshWideStrict: a policy named default in istio-system', () => {
    const { chart } = chartIn('shop');
    PeerAuthentication.meshWideStrict(chart, 'mesh');
    expect(synth(chart)).toEqual([{
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace: 'istio-system' },
      spec: { mtls: { mode: 'STRICT' } },
    }]);
  });

  test('the root namespace and the mode are configurable', () => {
    const { chart } = chartIn();
    PeerAuthentication.meshWide(chart, 'mesh', MtlsMode.PERMISSIVE, { rootNamespace: 'istio-config', metadata: { labels: { team: 'platform' } } });
    expect(synth(chart)[0].metadata).toEqual({ name: 'default', namespace: 'istio-config', labels: { team: 'platform' } });
    expect(synth(chart)[0].spec).toEqual({ mtls: { mode: 'PERMISSIVE' } });
  });

  test('namespaceStrict: default in the chart namespace or a given one', () => {
    const { chart } = chartIn('shop');
    PeerAuthentication.namespaceStrict(chart, 'ns');
    PeerAuthentication.namespaceWide(chart, 'legacy', MtlsMode.DISABLE, { metadata: { namespace: 'legacy' } });
    expect(synth(chart).map(o => [o.metadata.namespace, o.metadata.name, o.spec.mtls.mode])).toEqual([
      ['shop', 'default', 'STRICT'],
      ['legacy', 'default', 'DISABLE'],
    ]);
  });

  test('a workload policy with port-level modes, selector from a cdk8s-plus Deployment', () => {
    const { chart } = chartIn('shop');
    const deploy = new kplus.Deployment(chart, 'app', { containers: [{ image: 'app', portNumber: 8080 }] });
    const pa = new PeerAuthentication(chart, 'pa', {
      metadata: { name: 'app' },
      selector: WorkloadSelector.fromWorkload(deploy),
      mtls: MtlsMode.STRICT,
      portLevelMtls: [{ port: 8080, mode: MtlsMode.PERMISSIVE }],
    });
    pa.addPortMtls(9090, MtlsMode.UNSET);
    const out = ofKind(synth(chart), 'PeerAuthentication')[0];
    const labels = ofKind(Testing.synth(chart), 'Deployment')[0].spec.selector.matchLabels;
    expect(out.spec).toEqual({
      selector: { matchLabels: labels },
      mtls: { mode: 'STRICT' },
      portLevelMtls: { 8080: { mode: 'PERMISSIVE' }, 9090: { mode: 'UNSET' } },
    });
  });

  test('without mtls the field is omitted (inherits)', () => {
    const { chart } = chartIn('shop');
    new PeerAuthentication(chart, 'pa', { metadata: { name: 'x' } });
    expect(synth(chart)[0].spec).toEqual({});
  });

  test('v1beta1 when the app selects the legacy API', () => {
    const app = Testing.app();
    IstioApi.useVersion(app, IstioApiVersion.V1BETA1);
    const chart = new Chart(app, 'c');
    PeerAuthentication.meshWideStrict(chart, 'mesh');
    expect(synth(chart)[0].apiVersion).toBe('security.istio.io/v1beta1');
  });

  test('portLevelMtls without a selector fails synth (analysis)', () => {
    const { chart } = chartIn('shop');
    new PeerAuthentication(chart, 'pa', { mtls: MtlsMode.STRICT, portLevelMtls: [{ port: 80, mode: MtlsMode.DISABLE }] });
    expect(synthError(chart)).toContain('[test/pa] IST0106 Schema validation error: PeerAuthentication.spec: portLevelMtls requires selector');
  });

  test('a port out of range fails synth (analysis)', () => {
    const { chart } = chartIn('shop');
    new PeerAuthentication(chart, 'pa', { selector: WorkloadSelector.labels({ app: 'a' }), portLevelMtls: [{ port: 70000, mode: MtlsMode.DISABLE }] });
    expect(synthError(chart)).toContain('[test/pa] IST0106 Schema validation error: PeerAuthentication.spec.portLevelMtls: port must be between 1-65535');
  });

  test('the same port twice fails synth at the construct', () => {
    const { chart } = chartIn('shop');
    new PeerAuthentication(chart, 'pa', { selector: WorkloadSelector.labels({ app: 'a' }) })
      .addPortMtls(80, MtlsMode.DISABLE).addPortMtls(80, MtlsMode.STRICT);
    expect(synthError(chart)).toContain('[test/pa] PeerAuthentication.spec.portLevelMtls.80: the port is given twice; the manifest would keep only the last mode (got 80; one mode per port)');
  });
});
