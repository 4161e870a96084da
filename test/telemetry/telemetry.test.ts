import { Chart, Duration, Testing } from 'cdk8s';
import {
  CustomTag, ExtensionProvider, IstioApi, IstioApiVersion, IstioMetric, MetricSelector, Percent, TagOverride, Telemetry, TrafficDirection,
  WorkloadSelector,
} from '../../src';
import { chartIn, ofKind, synth, synthError } from '../util';

describe('Telemetry', () => {
  test('mesh-wide tracing at 20% lives in the root namespace and emits telemetry.istio.io/v1', () => {
    const { chart } = chartIn('shop');
    Telemetry.meshWide(chart, 'mesh', { metadata: { name: 'mesh-default' }, tracing: [{ providers: [ExtensionProvider.fromName('otel')], randomSamplingPercentage: Percent.of(20) }] });
    expect(synth(chart)).toEqual([{
      apiVersion: 'telemetry.istio.io/v1',
      kind: 'Telemetry',
      metadata: { name: 'mesh-default', namespace: 'istio-system' },
      spec: { tracing: [{ providers: [{ name: 'otel' }], randomSamplingPercentage: 20 }] },
    }]);
  });

  test('every option of tracing, access logging and metrics, for selected workloads', () => {
    const { chart } = chartIn('shop');
    const t = new Telemetry(chart, 'full', {
      selector: WorkloadSelector.labels({ app: 'reviews' }),
      tracing: [{
        providers: [ExtensionProvider.fromName('zipkin')],
        randomSamplingPercentage: Percent.of(0),
        disableSpanReporting: false,
        useRequestIdForTraceSampling: true,
        match: TrafficDirection.CLIENT_AND_SERVER,
        customTags: {
          env: CustomTag.environment('NAME', 'default'),
          header: CustomTag.header('x-name'),
          literal: CustomTag.literal('v'),
          path: CustomTag.formatter('%REQ(:PATH)%'),
        },
      }],
    });
    t.addAccessLogging({ providers: [ExtensionProvider.ENVOY], filter: 'response.code >= 400', match: TrafficDirection.CLIENT, disabled: false });
    t.addMetrics({
      providers: [ExtensionProvider.PROMETHEUS],
      reportingInterval: Duration.seconds(5),
      overrides: [
        { match: MetricSelector.metric(IstioMetric.REQUEST_COUNT, TrafficDirection.SERVER), tagOverrides: { request_host: TagOverride.upsert('request.host'), source_principal: TagOverride.remove() } },
        { match: MetricSelector.custom('my_metric'), disabled: true },
      ],
    });
    expect(ofKind(synth(chart), 'Telemetry')[0].spec).toEqual({
      selector: { matchLabels: { app: 'reviews' } },
      tracing: [{
        providers: [{ name: 'zipkin' }],
        randomSamplingPercentage: 0,
        disableSpanReporting: false,
        useRequestIdForTraceSampling: true,
        match: { mode: 'CLIENT_AND_SERVER' },
        customTags: {
          env: { environment: { name: 'NAME', defaultValue: 'default' } },
          header: { header: { name: 'x-name' } },
          literal: { literal: { value: 'v' } },
          path: { formatter: { value: '%REQ(:PATH)%' } },
        },
      }],
      accessLogging: [{ providers: [{ name: 'envoy' }], filter: { expression: 'response.code >= 400' }, match: { mode: 'CLIENT' }, disabled: false }],
      metrics: [{
        providers: [{ name: 'prometheus' }],
        reportingInterval: '5s',
        overrides: [
          { match: { metric: 'REQUEST_COUNT', mode: 'SERVER' }, tagOverrides: { request_host: { operation: 'UPSERT', value: 'request.host' }, source_principal: { operation: 'REMOVE' } } },
          { match: { customMetric: 'my_metric' }, disabled: true },
        ],
      }],
    });
  });

  test('emits telemetry.istio.io/v1alpha1 for meshes older than 1.22', () => {
    const app = Testing.app();
    IstioApi.useVersion(app, IstioApiVersion.V1BETA1);
    const chart = new Chart(app, 'c');
    new Telemetry(chart, 't', { accessLogging: [{ providers: [ExtensionProvider.ENVOY] }] });
    expect(synth(chart)[0].apiVersion).toBe('telemetry.istio.io/v1alpha1');
  });

  test('a bad reporting interval throws at once', () => {
    const { chart } = chartIn();
    expect(() => new Telemetry(chart, 't', { metrics: [{ reportingInterval: Duration.millis(0.5) }] })).toThrow(
      '[test/t] Telemetry.spec.metrics[0].reportingInterval: Istio durations must be a whole number of milliseconds, at least 1ms (got "0.5ms"; e.g. Duration.millis(250) or Duration.seconds(5))');
  });

  test('an entry without settings fails synth (it would vanish from the output)', () => {
    const { chart } = chartIn();
    new Telemetry(chart, 't', { tracing: [{}] });
    expect(synthError(chart)).toContain('[test/t] Telemetry.spec.tracing[0]: an entry without settings renders as nothing (got {}; set at least one option, e.g. providers)');
  });

  test('an invalid filter expression fails synth through analysis', () => {
    const { chart } = chartIn();
    new Telemetry(chart, 't', { accessLogging: [{ filter: 'response.code >= 400 &&' }] });
    expect(synthError(chart)).toContain('[test/t] IST0106 Schema validation error: Telemetry.spec.accessLogging[0].filter.expression: the filter is not a valid CEL expression: at 1:22: found & but expecting end of input (got "response.code >= 400 &&")');
  });
});
