import { webhookOnly } from './webhook-only';
import { detailWithFix } from '../../src/analysis/messages';

function telemetry(spec: any): any {
  return { apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name: 't', namespace: 'shop' }, spec };
}
function findings(obj: any): string[] {
  return webhookOnly([obj]).map(d => `${d.code} ${d.level} ${detailWithFix(d)}`);
}

describe('Telemetry webhook rules', () => {
  test('a valid telemetry with every section has no findings', () => {
    expect(findings(telemetry({
      selector: { matchLabels: { app: 'reviews' } },
      tracing: [{ providers: [{ name: 'otel' }], randomSamplingPercentage: 54.54, customTags: { a: { literal: { value: 'v' } }, b: { environment: { name: 'N' } }, c: { header: { name: 'x' } }, d: { formatter: { value: '%REQ(:PATH)%' } } } }],
      accessLogging: [{ providers: [{ name: 'envoy' }], filter: { expression: 'response.code >= 400 && request.headers["x"] == "y"' } }],
      metrics: [{ providers: [{ name: 'prometheus' }], reportingInterval: '5s', overrides: [{ match: { metric: 'REQUEST_COUNT' }, tagOverrides: { a: { value: 'request.host' }, b: { operation: 'REMOVE' } } }, { match: { customMetric: 'x' }, disabled: true }] }],
    }))).toEqual([]);
    expect(findings(telemetry({ targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'gw' }], accessLogging: [{ disabled: true }] }))).toEqual([]);
  });

  test.each([
    ['selector and targetRef', { selector: { matchLabels: { a: 'b' } }, targetRef: { kind: 'Service', name: 's' } }, 'IST0106 error Telemetry.spec: only one of selector, targetRef or targetRefs can be set (got ["selector","targetRef"])'],
    ['selector value *', { selector: { matchLabels: { a: '*' } } }, 'IST0106 error Telemetry.spec.selector.matchLabels.a: a selector value must not contain "*" (got "*"; an exact label value)'],
    ['selector key empty', { selector: { matchLabels: { '': 'a' } } }, 'IST0106 error Telemetry.spec.selector.matchLabels.: a selector key must be non-empty and without "*" (got "")'],
    ['targetRef namespace', { targetRef: { kind: 'Service', name: 's', namespace: 'other' } }, 'IST0106 error Telemetry.spec.targetRef.namespace: cross-namespace references are not supported (got "other"; omit namespace; the policy\'s own namespace is used)'],
    ['targetRef kind', { targetRefs: [{ kind: 'Deployment', group: 'apps', name: 'd' }] }, 'IST0106 error Telemetry.spec.targetRefs[0]: a policy can only target a Service, ServiceEntry, or Gateway API Gateway/GatewayClass (got "apps/Deployment"; group "" kind Service, networking.istio.io ServiceEntry, gateway.networking.k8s.io Gateway or GatewayClass)'],
    ['targetRef name', { targetRef: { kind: 'Service', name: '' } }, 'IST0106 error Telemetry.spec.targetRef.name: a target reference needs a name of 1 to 253 characters (got "")'],
    ['empty provider name', { metrics: [{ providers: [{ name: '' }] }] }, 'IST0106 error Telemetry.spec.metrics[0].providers[0].name: a provider needs a name (got "")'],
    ['sampling above 100', { tracing: [{ randomSamplingPercentage: 150 }] }, 'IST0106 error Telemetry.spec.tracing[0].randomSamplingPercentage: a sampling percentage must be between 0 and 100 (got 150)'],
    ['custom tag two kinds', { tracing: [{ customTags: { a: { literal: { value: 'v' }, header: { name: 'h' } } } }] }, 'IST0106 error Telemetry.spec.tracing[0].customTags.a: a custom tag needs exactly one of literal, environment, header or formatter (got ["literal","header"])'],
    ['literal without value', { tracing: [{ customTags: { a: { literal: { value: '' } } } }] }, 'IST0106 error Telemetry.spec.tracing[0].customTags.a.literal.value: a literal tag needs a value (got "")'],
    ['header without name', { tracing: [{ customTags: { a: { header: { name: '' } } } }] }, 'IST0106 error Telemetry.spec.tracing[0].customTags.a.header.name: a header tag needs a name (got "")'],
    ['environment without name', { tracing: [{ customTags: { a: { environment: {} } } }] }, 'IST0106 error Telemetry.spec.tracing[0].customTags.a.environment.name: a environment tag needs a name'],
    ['formatter without value', { tracing: [{ customTags: { a: { formatter: {} } } }] }, 'IST0106 error Telemetry.spec.tracing[0].customTags.a.formatter.value: a formatter tag needs a value'],
    ['empty customMetric', { metrics: [{ overrides: [{ match: { customMetric: '' } }] }] }, 'IST0106 error Telemetry.spec.metrics[0].overrides[0].match.customMetric: customMetric must not be empty (got "")'],
    ['metric and customMetric', { metrics: [{ overrides: [{ match: { metric: 'REQUEST_COUNT', customMetric: 'x' } }] }] }, 'IST0106 error Telemetry.spec.metrics[0].overrides[0].match: give either metric or customMetric, not both (got {"metric":"REQUEST_COUNT","customMetric":"x"})'],
    ['UPSERT without value', { metrics: [{ overrides: [{ tagOverrides: { foo: { operation: 'UPSERT' } } }] }] }, 'IST0106 error Telemetry.spec.metrics[0].overrides[0].tagOverrides.foo.value: value must be set when operation is UPSERT (a CEL expression such as request.host)'],
    ['REMOVE with value', { metrics: [{ overrides: [{ tagOverrides: { foo: { operation: 'REMOVE', value: 'oops' } } }] }] }, 'IST0106 error Telemetry.spec.metrics[0].overrides[0].tagOverrides.foo.value: value must not be set when operation is REMOVE (got "oops"; remove the value)'],
    ['bad reportingInterval', { metrics: [{ reportingInterval: '0s' }] }, 'IST0106 error Telemetry.spec.metrics[0].reportingInterval: reportingInterval must be at least 1ms (got "0s")'],
    ['bad filter', { accessLogging: [{ filter: { expression: 'response.code >=' } }] }, 'IST0106 error Telemetry.spec.accessLogging[0].filter.expression: the filter is not a valid CEL expression: at 1:15: found > but expecting end of input (got "response.code >=")'],
  ])('%s is rejected', (_name, spec, message) => {
    expect(findings(telemetry(spec))).toEqual([message]);
  });

  test.each([
    ['two tracing entries', { tracing: [{ providers: [{ name: 'a' }] }, { providers: [{ name: 'b' }] }] }, 'IST0133 warning Telemetry.spec.tracing: only one tracing entry is supported; the others are ignored (got 2; one entry)'],
    ['two tracing providers', { tracing: [{ providers: [{ name: 'a' }, { name: 'b' }] }] }, 'IST0133 warning Telemetry.spec.tracing[0].providers: only one tracing provider per entry is supported; the others are ignored (got ["a","b"])'],
    ['empty selector', { selector: { matchLabels: {} } }, 'IST0133 warning Telemetry.spec.selector.matchLabels: a selector without labels selects every workload in the namespace (got {}; set labels, or drop the selector to mean the namespace)'],
    ['empty tag name', { metrics: [{ overrides: [{ tagOverrides: { '': { operation: 'REMOVE' } } }] }] }, 'IST0133 warning Telemetry.spec.metrics[0].overrides[0].tagOverrides: a tag override without a tag name has no effect (got "")'],
  ])('%s is a warning', (_name, spec, message) => {
    expect(findings(telemetry(spec))).toEqual([message]);
  });
});

describe('IstioOperator checks', () => {
  const iop = (spec: any, apiVersion = 'install.istio.io/v1alpha1') => ({ apiVersion, kind: 'IstioOperator', metadata: { name: 'iop', namespace: 'istio-system' }, spec });
  test('the users\' IstioOperator documents pass', () => {
    expect(findings(iop({ profile: 'default', components: { egressGateways: [{ name: 'istio-egressgateway', enabled: true }] } }))).toEqual([]);
    expect(findings(iop({ profile: 'default', meshConfig: { accessLogFile: '/dev/stdout', accessLogEncoding: 'JSON', defaultConfig: { tracing: { sampling: 20 } } } }))).toEqual([]);
  });

  test.each([
    ['wrong apiVersion', iop({}, 'install.istio.io/v1'), 'CDK8SISTIO0101 error IstioOperator.apiVersion: istioctl reads install.istio.io/v1alpha1 (got "install.istio.io/v1"; install.istio.io/v1alpha1)'],
    ['unknown field', iop({ meshconfig: {} }), 'CDK8SISTIO0101 error IstioOperator.spec.meshconfig: unknown IstioOperator field (got "meshconfig"; profile, installPackagePath, hub, tag, namespace, revision, compatibilityVersion, meshConfig, components, values, unvalidatedValues)'],
    ['unknown profile', iop({ profile: 'prod' }), 'CDK8SISTIO0101 error IstioOperator.spec.profile: unknown installation profile (got "prod"; default, demo, minimal, empty, preview, remote, ambient, openshift, openshift-ambient, stable)'],
    ['bad revision', iop({ revision: '1.30' }), 'CDK8SISTIO0101 error IstioOperator.spec.revision: a revision must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit (got "1.30")'],
    ['unknown component', iop({ components: { egressGateway: [] } }), 'CDK8SISTIO0101 error IstioOperator.spec.components.egressGateway: unknown component (got "egressGateway"; base, pilot, cni, ztunnel, istiodRemote, ingressGateways, egressGateways)'],
    ['gateway without name', iop({ components: { egressGateways: [{ enabled: true }] } }), 'CDK8SISTIO0101 error IstioOperator.spec.components.egressGateways[0].name: a gateway component needs a name (e.g. istio-egressgateway)'],
    ['enabled not boolean', iop({ components: { egressGateways: [{ name: 'g', enabled: 'true' }] } }), 'CDK8SISTIO0101 error IstioOperator.spec.components.egressGateways[0].enabled: enabled must be a boolean (got "true")'],
    ['encoding', iop({ meshConfig: { accessLogEncoding: 'json' } }), 'CDK8SISTIO0101 error IstioOperator.spec.meshConfig.accessLogEncoding: unknown access log encoding (got "json"; TEXT or JSON)'],
    ['sampling', iop({ meshConfig: { defaultConfig: { tracing: { sampling: 200 } } } }), 'CDK8SISTIO0101 error IstioOperator.spec.meshConfig.defaultConfig.tracing.sampling: a sampling percentage must be between 0 and 100 (got 200)'],
    ['root namespace', iop({ meshConfig: { rootNamespace: 'Istio_System' } }), 'CDK8SISTIO0101 error IstioOperator.spec.meshConfig.rootNamespace: the root namespace must be a DNS-1123 label: letters, digits and "-", starting and ending with a letter or digit (got "Istio_System")'],
    ['outbound mode', iop({ meshConfig: { outboundTrafficPolicy: { mode: 'DENY' } } }), 'CDK8SISTIO0101 error IstioOperator.spec.meshConfig.outboundTrafficPolicy.mode: unknown outbound traffic policy (got "DENY"; REGISTRY_ONLY or ALLOW_ANY)'],
    ['provider port', iop({ meshConfig: { extensionProviders: [{ name: 'z', zipkin: { service: 'z.example', port: 0 } }] } }), 'CDK8SISTIO0101 error IstioOperator.spec.meshConfig.extensionProviders[0].zipkin.port: a port must be an integer from 1 to 65535 (got 0)'],
    ['provider service', iop({ meshConfig: { extensionProviders: [{ name: 'z', opentelemetry: { port: 4317 } }] } }), 'CDK8SISTIO0101 error IstioOperator.spec.meshConfig.extensionProviders[0].opentelemetry.service: a opentelemetry provider needs a service'],
    ['provider name', iop({ meshConfig: { extensionProviders: [{ prometheus: {} }] } }), 'CDK8SISTIO0101 error IstioOperator.spec.meshConfig.extensionProviders[0].name: an extension provider needs a name'],
    ['accessLogFile not a string', iop({ meshConfig: { accessLogFile: true } }), 'CDK8SISTIO0101 error IstioOperator.spec.meshConfig.accessLogFile: accessLogFile must be a path (got true; e.g. /dev/stdout)'],
  ])('%s is rejected', (_name, obj, message) => {
    expect(findings(obj)).toEqual([message]);
  });

  test('an unknown provider type is named', () => {
    expect(findings(iop({ meshConfig: { extensionProviders: [{ name: 'j', jaeger: {} }] } }))[0]).toBe(
      'CDK8SISTIO0101 error IstioOperator.spec.meshConfig.extensionProviders[0]: unknown extension provider type (got ["jaeger"]; envoyExtAuthzHttp, envoyExtAuthzGrpc, zipkin, lightstep, datadog, stackdriver, opencensus, skywalking, opentelemetry, prometheus, envoyFileAccessLog, envoyHttpAls, envoyTcpAls, envoyOtelAls, sds)');
  });
});

describe('Namespace injection labels (IST0123)', () => {
  const ns = (labels: any) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels } });
  test.each([
    [{ 'istio-injection': 'enabled' }], [{ 'istio.io/rev': 'canary' }], [{ 'istio.io/dataplane-mode': 'ambient' }],
    [{ 'istio-injection': 'disabled', 'istio.io/dataplane-mode': 'ambient' }],
  ])('one mode is fine: %j', labels => {
    expect(findings(ns(labels))).toEqual([]);
  });
  test('injection and revision together are a warning on plain YAML', () => {
    expect(findings(ns({ 'istio-injection': 'enabled', 'istio.io/rev': 'canary' }))).toEqual([
      'IST0123 warning Namespace.metadata.labels: the namespace selects more than one data-plane mode; Istio honours only one of them (got ["istio-injection=enabled","istio.io/rev=canary"]; one of istio-injection=enabled, istio.io/rev=<revision>, istio.io/dataplane-mode=ambient)',
    ]);
  });
});
