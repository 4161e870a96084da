import { ApiObject, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  AccessLogEncoding, DataPlaneMode, ExtensionProvider, Host, IstioAnalysis, IstioNamespace, IstioOperator, IstioProfile, OutboundTrafficPolicy,
  Percent,
} from '../../src';
import { detailWithFix } from '../../src/analysis/messages';
import { chartIn, synth, synthError } from '../util';

describe('IstioNamespace', () => {
  test.each([
    ['sidecar', DataPlaneMode.sidecar(), { 'istio-injection': 'enabled' }],
    ['revision', DataPlaneMode.revision('1-30'), { 'istio.io/rev': '1-30' }],
    ['ambient', DataPlaneMode.ambient(), { 'istio.io/dataplane-mode': 'ambient' }],
    ['disabled', DataPlaneMode.disabled(), { 'istio-injection': 'disabled' }],
  ])('%s mode labels the namespace (cluster-scoped: no namespace stamped)', (_n, mode, labels) => {
    const { chart } = chartIn('shop');
    new IstioNamespace(chart, 'ns', { metadata: { name: 'shop', labels: { team: 'a' } }, mode });
    expect(synth(chart)).toEqual([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'a', ...labels } } }]);
  });

  test('applyMode labels a cdk8s-plus Namespace', () => {
    const { chart } = chartIn();
    const ns = new kplus.Namespace(chart, 'ns', { metadata: { name: 'shop' } });
    IstioNamespace.applyMode(ns, DataPlaneMode.ambient());
    expect(synth(chart)[0].metadata.labels).toEqual({ 'istio.io/dataplane-mode': 'ambient' });
  });

  test('a second mode on the same namespace fails synth (IST0123, failing by default)', () => {
    const { chart } = chartIn();
    const ns = new kplus.Namespace(chart, 'ns', { metadata: { name: 'shop' } });
    IstioNamespace.applyMode(ns, DataPlaneMode.sidecar());
    IstioNamespace.applyMode(ns, DataPlaneMode.ambient());
    expect(synthError(chart)).toContain('[test/ns] IST0123 The namespace has more than one type of injection labels [istio-injection=enabled istio.io/dataplane-mode=ambient], which may lead to undefined behavior. Make sure only one injection label exists. Namespace.metadata.labels: the namespace selects more than one data-plane mode; Istio honours only one of them (got ["istio-injection=enabled","istio.io/dataplane-mode=ambient"]; one of istio-injection=enabled, istio.io/rev=<revision>, istio.io/dataplane-mode=ambient)');
  });

  test('conflicting labels given as metadata fail synth too; doNotFailOn makes it a warning', () => {
    const { app, chart } = chartIn();
    new IstioNamespace(chart, 'ns', { metadata: { name: 'shop', labels: { 'istio.io/rev': 'canary' } }, mode: DataPlaneMode.sidecar() });
    expect(synthError(chart)).toContain('[test/ns] IST0123');
    IstioAnalysis.of(app).doNotFailOn('IST0123');
    expect(synthError(chart)).toBeUndefined();
  });

  test('applyMode refuses a construct that is not a Namespace', () => {
    const { chart } = chartIn();
    const obj = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap' });
    expect(() => IstioNamespace.applyMode(obj, DataPlaneMode.sidecar())).toThrow('[test/cm] expected a Namespace (got ConfigMap)');
  });
});

describe('IstioOperator', () => {
  test('the mesh outbound policy is the OutboundTrafficPolicy of Sidecars; an egress proxy is refused here', () => {
    const { chart } = chartIn('istio-system');
    new IstioOperator(chart, 'any', { metadata: { name: 'any' }, outboundTrafficPolicy: OutboundTrafficPolicy.allowAny() });
    expect(synth(chart)[0].spec.meshConfig).toEqual({ outboundTrafficPolicy: { mode: 'ALLOW_ANY' } });
    expect(() => new IstioOperator(chart, 'proxy', { outboundTrafficPolicy: OutboundTrafficPolicy.allowAny(Host.external('proxy.example.com'), 3128) })).toThrow(
      '[test/proxy] IstioOperator.spec.meshConfig.outboundTrafficPolicy: an egress proxy is a Sidecar setting; the mesh config takes only the mode (got "proxy.example.com"; OutboundTrafficPolicy.allowAny() here, the proxy on a Sidecar)');
  });

  test('the users\' install: default profile, egress gateway, JSON access logs, 20% sampling', () => {
    const { chart } = chartIn('istio-system');
    new IstioOperator(chart, 'iop', {
      metadata: { name: 'istio-controlplane' },
      egressGateway: true,
      accessLogFile: '/dev/stdout',
      accessLogEncoding: AccessLogEncoding.JSON,
      traceSampling: Percent.of(20),
    });
    expect(synth(chart)).toEqual([{
      apiVersion: 'install.istio.io/v1alpha1',
      kind: 'IstioOperator',
      metadata: { name: 'istio-controlplane', namespace: 'istio-system' },
      spec: {
        profile: 'default',
        components: { egressGateways: [{ name: 'istio-egressgateway', enabled: true }] },
        meshConfig: { accessLogFile: '/dev/stdout', accessLogEncoding: 'JSON', defaultConfig: { tracing: { sampling: 20 } } },
      },
    }]);
  });

  test('every option: providers of each kind, default providers, root namespace, outbound policy', () => {
    const { chart } = chartIn('istio-system');
    const otel = ExtensionProvider.openTelemetryTracing({ name: 'otel', service: 'otel.observability.svc.cluster.local', port: 4317, maxTagLength: 100 });
    const als = ExtensionProvider.openTelemetryAccessLog({ name: 'otel-als', service: 'otel.observability.svc.cluster.local', port: 4317, logName: 'mesh' });
    const json = ExtensionProvider.fileAccessLog({ name: 'json-stdout', jsonLabels: { code: '%RESPONSE_CODE%' } });
    const text = ExtensionProvider.fileAccessLog({ name: 'text-file', path: '/var/log/access.log', textFormat: '%RESPONSE_CODE%\n' });
    const zipkin = ExtensionProvider.zipkin({ name: 'zipkin', service: 'zipkin.istio-system.svc.cluster.local', port: 9411 });
    const prom = ExtensionProvider.prometheus('prom2');
    const iop = new IstioOperator(chart, 'iop', {
      profile: IstioProfile.DEMO,
      revision: '1-30',
      egressGateway: false,
      ingressGateway: true,
      accessLogFormat: '%RESPONSE_CODE%',
      enableTracing: true,
      extensionProviders: [otel, als, json, text, zipkin, prom],
      defaultProviders: { tracing: [otel], accessLogging: [ExtensionProvider.ENVOY], metrics: [ExtensionProvider.PROMETHEUS] },
      rootNamespace: 'istio-config',
      outboundTrafficPolicy: OutboundTrafficPolicy.registryOnly(),
    });
    expect(iop.extensionProviders.map(p => p.name)).toEqual(['otel', 'otel-als', 'json-stdout', 'text-file', 'zipkin', 'prom2']);
    expect(otel.isDefinition).toBe(true);
    expect(ExtensionProvider.ENVOY.isDefinition).toBe(false);
    expect(synth(chart)[0].spec).toEqual({
      profile: 'demo',
      revision: '1-30',
      components: { egressGateways: [{ name: 'istio-egressgateway', enabled: false }], ingressGateways: [{ name: 'istio-ingressgateway', enabled: true }] },
      meshConfig: {
        accessLogFormat: '%RESPONSE_CODE%',
        enableTracing: true,
        defaultProviders: { tracing: ['otel'], accessLogging: ['envoy'], metrics: ['prometheus'] },
        rootNamespace: 'istio-config',
        outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
        extensionProviders: [
          { name: 'otel', opentelemetry: { service: 'otel.observability.svc.cluster.local', port: 4317, maxTagLength: 100 } },
          { name: 'otel-als', envoyOtelAls: { service: 'otel.observability.svc.cluster.local', port: 4317, logName: 'mesh' } },
          { name: 'json-stdout', envoyFileAccessLog: { path: '/dev/stdout', logFormat: { labels: { code: '%RESPONSE_CODE%' } } } },
          { name: 'text-file', envoyFileAccessLog: { path: '/var/log/access.log', logFormat: { text: '%RESPONSE_CODE%\n' } } },
          { name: 'zipkin', zipkin: { service: 'zipkin.istio-system.svc.cluster.local', port: 9411 } },
          { name: 'prom2', prometheus: {} },
        ],
      },
    });
  });

  test('a provider named but not defined, or defined twice, fails synth through analysis', () => {
    const { chart } = chartIn('istio-system');
    const otel = ExtensionProvider.openTelemetryTracing({ name: 'otel', service: 'otel.observability', port: 4317 });
    new IstioOperator(chart, 'iop', { extensionProviders: [otel, otel, ExtensionProvider.fromName('elsewhere')], defaultProviders: { tracing: [ExtensionProvider.fromName('nope')] } });
    const err = synthError(chart);
    expect(err).toContain('[test/iop] CDK8SISTIO0101 Invalid IstioOperator: IstioOperator.spec.meshConfig.extensionProviders[1].name: extension provider names must be unique (also used by extensionProviders[0]) (got "otel")');
    expect(err).toContain('[test/iop] CDK8SISTIO0101 Invalid IstioOperator: IstioOperator.spec.meshConfig.extensionProviders[2]: an extension provider needs exactly one provider type (got []; e.g. opentelemetry, zipkin, envoyFileAccessLog)');
    expect(err).toContain('[test/iop] CDK8SISTIO0101 Invalid IstioOperator: IstioOperator.spec.meshConfig.defaultProviders.tracing[0]: a default provider must be defined in extensionProviders (or be a built-in) (got "nope"; envoy, prometheus, stackdriver, otel, elsewhere)');
  });

  test('JSON and text formats together fail synth', () => {
    const { chart } = chartIn('istio-system');
    new IstioOperator(chart, 'iop', { extensionProviders: [ExtensionProvider.fileAccessLog({ name: 'x', jsonLabels: { a: 'b' }, textFormat: 't' })] });
    expect(synthError(chart)).toContain('[test/iop] CDK8SISTIO0101 Invalid IstioOperator: IstioOperator.spec.meshConfig.extensionProviders[0].envoyFileAccessLog.logFormat: give either text or labels, not both (got ["labels","text"])');
  });

  test('a Telemetry naming a provider the IstioOperator does not define gets a warning', () => {
    const app = Testing.app();
    const { chart } = chartIn('istio-system');
    void app;
    new IstioOperator(chart, 'iop', { extensionProviders: [ExtensionProvider.openTelemetryTracing({ name: 'otel', service: 'otel.observability', port: 4317 })] });
    const telemetry = {
      apiVersion: 'telemetry.istio.io/v1',
      kind: 'Telemetry',
      metadata: { name: 't', namespace: 'shop' },
      spec: { tracing: [{ providers: [{ name: 'jaeger' }] }], accessLogging: [{ providers: [{ name: 'envoy' }] }] },
    };
    const found = IstioAnalysis.analyze([...Testing.synth(chart), telemetry]).map(d => `${d.code} ${d.level} ${detailWithFix(d)}`);
    expect(found).toEqual(['CDK8SISTIO0102 warning Telemetry.spec.tracing[0].providers[0].name: the IstioOperator iop defines no such extension provider, so Istio ignores this entry (got "jaeger"; envoy, prometheus, stackdriver, otel)'.replace('iop defines', `${Testing.synth(chart)[0].metadata.name} defines`)]);
  });
});
