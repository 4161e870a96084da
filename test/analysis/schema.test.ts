// The schema + CEL check (IST0106): one case per kind of check, each with the exact diagnostic.
import { DESTINATION_RULE, VIRTUAL_SERVICE } from '../../scripts/bench-schema';
import { IstioAnalysis } from '../../src';
import { detailWithFix } from '../../src/analysis/messages';

const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o));

/** `level code message` of every finding for one object. */
function findings(obj: any): string[] {
  return IstioAnalysis.analyze([obj]).map(d => `${d.level} ${d.code} ${detailWithFix(d)}`);
}

function vs(spec: any): any {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'r', namespace: 'shop' }, spec: { hosts: ['r'], ...spec } };
}
function dr(spec: any): any {
  return { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'r', namespace: 'shop' }, spec: { host: 'r', ...spec } };
}
function resource(apiVersion: string, kind: string, spec: any): any {
  return { apiVersion, kind, metadata: { name: 'x', namespace: 'shop' }, spec };
}
const route = (over: any = {}) => ({ route: [{ destination: { host: 'r' } }], ...over });

describe('schema + CEL check', () => {
  test('realistic objects pass', () => {
    expect(findings(VIRTUAL_SERVICE)).toEqual([]);
    expect(findings(DESTINATION_RULE)).toEqual([]);
  });

  test.each<[string, any, string[]]>([
    ['unknown field, with a suggestion', vs({ http: [route({ timout: '1s' })] }),
      ['error IST0106 VirtualService.spec.http[0].timout: unknown field (did you mean "timeout"?)']],
    ['unknown top-level field', { ...vs({}), specs: {} },
      ['error IST0106 VirtualService.specs: unknown field (top-level fields: apiVersion, kind, metadata, spec, status)']],
    ['unserved version', { ...vs({}), apiVersion: 'networking.istio.io/v2' },
      ['error IST0106 VirtualService.apiVersion: no matches for kind "VirtualService" in version "networking.istio.io/v2" (got "networking.istio.io/v2"; served versions: v1, v1alpha3, v1beta1)']],
    ['unknown kind', { ...vs({}), kind: 'VirtualServices' },
      ['error IST0106 VirtualServices.kind: no matches for kind "VirtualServices" in group "networking.istio.io" (got "VirtualServices"; kinds: DestinationRule, EnvoyFilter, Gateway, ProxyConfig, ServiceEntry, Sidecar, VirtualService, WorkloadEntry, WorkloadGroup)']],
    ['type', vs({ http: [route({ route: [{ destination: { host: 'r', port: { number: '80' } } }] })] }),
      ['error IST0106 VirtualService.spec.http[0].route[0].destination.port.number: must be of type integer: "string" (got "80")']],
    ['null spec', { ...vs({}), spec: null },
      ['error IST0106 VirtualService.spec: must be of type object: "null"']],
    ['metadata types', { ...vs({}), metadata: { name: 'r', labels: { a: 1 } } },
      ['error IST0106 VirtualService.metadata.labels.a: must be a string (got 1; quote it, e.g. "true")']],
    ['enum', resource('security.istio.io/v1', 'PeerAuthentication', { mtls: { mode: 'BLAH' } }),
      ['error IST0106 PeerAuthentication.spec.mtls.mode: Unsupported value (got "BLAH"; supported values: "UNSET", "DISABLE", "PERMISSIVE", "STRICT")']],
    ['required', dr({ trafficPolicy: { loadBalancer: { warmup: { minimumPercent: 5 } } } }),
      ['error IST0106 DestinationRule.spec.trafficPolicy.loadBalancer.warmup.duration: Required value']],
    ['required spec', { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'x' } },
      ['error IST0106 ServiceEntry.spec: Required value']],
    ['maximum', dr({ trafficPolicy: { loadBalancer: { warmup: { duration: '1s', minimumPercent: 150 } } } }),
      ['error IST0106 DestinationRule.spec.trafficPolicy.loadBalancer.warmup.minimumPercent: should be less than or equal to 100 (got 150)']],
    ['minimum', resource('networking.istio.io/v1beta1', 'ProxyConfig', { concurrency: -1 }),
      ['error IST0106 ProxyConfig.spec.concurrency: should be greater than or equal to 0 (got -1)']],
    ['minLength', resource('extensions.istio.io/v1alpha1', 'WasmPlugin', { url: 'oci://a/b', pluginName: '' }),
      ['error IST0106 WasmPlugin.spec.pluginName: should be at least 1 chars long (got "")']],
    ['pattern', resource('security.istio.io/v1', 'AuthorizationPolicy', { targetRef: { kind: '1Gateway', name: 'gw' } }),
      ['error IST0106 AuthorizationPolicy.spec.targetRef.kind: should match \'^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$\' (got "1Gateway")']],
    ['oneOf', vs({ http: [route({ match: [{ uri: { exact: '/a', prefix: '/b' } }] })] }),
      ['error IST0106 VirtualService.spec.http[0].match[0].uri: must validate one and only one schema (oneOf) (got ["exact","prefix"]; at most one of exact, prefix, regex)']],
    ['map values', vs({ http: [route({ match: [{ headers: { 'end-user': { exact: 1 } } }] })] }),
      ['error IST0106 VirtualService.spec.http[0].match[0].headers[end-user].exact: must be of type string: "integer" (got 1)']],
    ['list-type map', resource('extensions.istio.io/v1alpha1', 'WasmPlugin', { url: 'oci://a/b', match: [{ ports: [{ number: 80 }, { number: 80 }] }] }),
      ['error IST0106 WasmPlugin.spec.match[0].ports[1]: Duplicate value (got {"number":80})']],
    ['CEL duration', vs({ http: [route({ timeout: '500us' })] }),
      ['error IST0106 VirtualService.spec.http[0].timeout: must be a valid duration greater than 1ms (got "500us")']],
    ['CEL duration that does not parse', dr({ trafficPolicy: { outlierDetection: { interval: '1d' } } }),
      ['error IST0106 DestinationRule.spec.trafficPolicy.outlierDetection.interval: must be a valid duration greater than 1ms (CEL evaluation error: Failed to parse duration: invalid syntax) (got "1d")']],
    ['CEL unix address', resource('networking.istio.io/v1', 'ServiceEntry', { hosts: ['a.example.com'], resolution: 'STATIC', endpoints: [{ address: 'unix://var/run/s' }, { address: 'unix:///var/run/' }] }),
      ['error IST0106 ServiceEntry.spec.endpoints[0].address: UDS must be an absolute path or abstract socket (got "unix://var/run/s")',
        'error IST0106 ServiceEntry.spec.endpoints[1].address: UDS may not be a dir (got "unix:///var/run/")']],
    ['CEL port range', resource('networking.istio.io/v1', 'ServiceEntry', { hosts: ['a.example.com'], addresses: ['10.0.0.1'], ports: [{ number: 70000, name: 'p', protocol: 'TCP' }] }),
      ['error IST0106 ServiceEntry.spec.ports[0].number: port must be between 1-65535 (got 70000)']],
    ['CEL duplicate ports', resource('networking.istio.io/v1', 'ServiceEntry', { hosts: ['a.example.com'], addresses: ['10.0.0.1'], ports: [{ number: 80, name: 'a' }, { number: 80, name: 'b' }] }),
      ['error IST0106 ServiceEntry.spec.ports: port number cannot be duplicated']],
    ['CEL map keys', resource('security.istio.io/v1', 'PeerAuthentication', { selector: { matchLabels: { app: 'a' } }, portLevelMtls: { 0: { mode: 'STRICT' } } }),
      ['error IST0106 PeerAuthentication.spec.portLevelMtls: port must be between 1-65535']],
    ['CEL on an object: at most one', resource('security.istio.io/v1', 'RequestAuthentication', { selector: { matchLabels: { app: 'a' } }, targetRefs: [{ kind: 'Service', name: 's' }] }),
      ['error IST0106 RequestAuthentication.spec: only one of targetRefs or selector can be set']],
    ['CEL url scheme', resource('extensions.istio.io/v1alpha1', 'WasmPlugin', { url: 'fake://example.com' }),
      ['error IST0106 WasmPlugin.spec.url: url must have schema one of [http, https, file, oci] (got "fake://example.com")']],
  ])('%s', (_title, object, expected) => {
    expect(findings(object)).toEqual(expected);
  });

  test('an accepted URL without a scheme is read as http', () => {
    expect(findings(resource('extensions.istio.io/v1alpha1', 'WasmPlugin', { url: 'ghcr.io/istio/plugin:1.0' }))).toEqual([]);
  });

  test('webhook rules do not run on an object the schema rejects', () => {
    const bad: any = clone(VIRTUAL_SERVICE);
    bad.spec.http[1].timeout = 'soon';
    bad.spec.http[1].route[0].weight = 50;
    expect(findings(bad)).toEqual([
      'error IST0106 VirtualService.spec.http[1].timeout: must be a valid duration greater than 1ms (CEL evaluation error: Failed to parse duration: invalid syntax) (got "soon")',
    ]);
  });
});
