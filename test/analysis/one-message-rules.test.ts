// One mistake, one message: for every kind, a seeded mistake fails synth with exactly one error, whether the
// construct or the engine's rule judges it (never both).
import { Chart } from 'cdk8s';
import {
  AuthorizationPolicy, DestinationRule, Gateway, GatewayServer, Host, IstioAnalysis, JwksSource, LoadBalancer, MtlsMode, Operation,
  PeerAuthentication, PolicyTargetRef, RequestAuthentication, RouteDestination, ServiceEntry, ServiceEntryResolution,
  ServerCertificate, ServicePort, Sidecar, SidecarHost, Telemetry, VirtualService, WorkloadSelector,
} from '../../src';
import { chartIn, synthErrors } from '../util';

const CASES: Array<[string, (chart: Chart) => void, string]> = [
  ['Gateway: a port out of range', c => {
    new Gateway(c, 'gw', { servers: [GatewayServer.https({ hosts: ['a.example.com'], certificate: ServerCertificate.fromSecret('x'), port: 70000 })] });
  }, '[test/gw] IST0106 Schema validation error: Gateway.spec.servers[0].port.number: a port must be an integer from 1 to 65535 (got 70000; 1 to 65535; 0 only with a unix:// bind)'],
  ['VirtualService: a route without an action', c => {
    new VirtualService(c, 'vs', { hosts: [Host.fromName('a')] }).addHttpRoute('r', {});
  }, '[test/vs] IST0106 Schema validation error: VirtualService.spec.http[0]: an HTTP rule needs route, redirect, directResponse or delegate (got "r"; e.g. route: [{ destination: { host: ... } }])'],
  ['VirtualService: two zero weights', c => {
    new VirtualService(c, 'vs', { hosts: [Host.fromName('a')] })
      .addHttpRoute('r', { to: [RouteDestination.to(Host.fromName('a'), { weight: 0 }), RouteDestination.to(Host.fromName('b'), { weight: 0 })] });
  }, '[test/vs] IST0106 Schema validation error: VirtualService.spec.http[0].route: with several destinations the weights must not all be 0 (a missing weight counts as 0) (got [0,0]; weights that add up to more than 0, e.g. 90 and 10)'],
  ['VirtualService: to together with redirect', c => {
    new VirtualService(c, 'vs', { hosts: [Host.fromName('a')] }).addHttpRoute('r', { to: [RouteDestination.to(Host.fromName('a'))], redirect: { uri: '/x' } });
  }, '[test/vs] IST0106 Schema validation error: VirtualService.spec.http[0].redirect: a redirect cannot be combined with route (got ["route"]; redirect alone)'],
  ['VirtualService: a port the ServiceEntry lacks', c => {
    const se = new ServiceEntry(c, 'se', { hosts: ['api.example.com'], ports: [ServicePort.https(443)], resolution: ServiceEntryResolution.DNS });
    new VirtualService(c, 'vs', { hosts: [se.host()] }).addHttpRoute('r', { to: [RouteDestination.to(se.host(), { port: 80 })] });
  }, '[test/vs] IST0101 Referenced host:port not found: "api.example.com:80". VirtualService.spec.http[0].route[0].destination.port.number: port 80 is not a port of "api.example.com" (got "api.example.com:80"; one of 443)'],
  ['DestinationRule: locality weights that do not add up to 100', c => {
    new DestinationRule(c, 'dr', { host: Host.fromName('a'), trafficPolicy: { loadBalancer: LoadBalancer.roundRobin({ locality: { distribute: [{ from: 'r1/*', to: { 'r2/*': 50 } }] } }) } });
  }, '[test/dr] IST0106 Schema validation error: DestinationRule.spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to: the weights of a distribute entry must add up to 100 (got 50; weights that sum to exactly 100)'],
  ['ServiceEntry: a TCP port shared by several DNS hosts', c => {
    new ServiceEntry(c, 'se', { hosts: ['a.example.com', 'b.example.com'], ports: [ServicePort.tcp(9000)], resolution: ServiceEntryResolution.DNS });
  }, '[test/se] IST0106 Schema validation error: ServiceEntry.spec.ports[0].protocol: with resolution DNS and several hosts, every port must be HTTP-family or TLS-family (got "TCP"; HTTP, HTTP2, HTTP_PROXY, GRPC, GRPC-WEB, HTTPS or TLS; or one ServiceEntry per host)'],
  ['Sidecar: a port-less egress listener that is not last', c => {
    new Sidecar(c, 'sc', { egress: [{ hosts: [SidecarHost.sameNamespace()] }, { port: { number: 80 }, hosts: [SidecarHost.sameNamespace()] }] });
  }, '[test/sc] IST0106 Schema validation error: Sidecar.spec.egress[0]: only the last egress listener may omit its port (it catches all other ports) (give a port, or move this listener last)'],
  ['PeerAuthentication: portLevelMtls without a selector', c => {
    new PeerAuthentication(c, 'pa', { mtls: MtlsMode.STRICT, portLevelMtls: [{ port: 80, mode: MtlsMode.DISABLE }] });
  }, '[test/pa] IST0106 Schema validation error: PeerAuthentication.spec: portLevelMtls requires selector'],
  ['AuthorizationPolicy: selector and targetRefs together', c => {
    new AuthorizationPolicy(c, 'p', { selector: WorkloadSelector.labels({ app: 'web' }), targetRefs: [PolicyTargetRef.service('web')], rules: [{ to: [Operation.methods('GET')] }] });
  }, '[test/p] IST0106 Schema validation error: AuthorizationPolicy.spec: only one of targetRefs or selector can be set'],
  ['RequestAuthentication: a jwksUri that is not http(s)', c => {
    new RequestAuthentication(c, 'ra', { jwtRules: [{ issuer: 'a', jwks: JwksSource.fromUri('ftp://a/jwks') }] });
  }, '[test/ra] IST0106 Schema validation error: RequestAuthentication.spec.jwtRules[0].jwksUri: url must have scheme http:// or https:// (got "ftp://a/jwks")'],
  ['Telemetry: an invalid filter expression', c => {
    new Telemetry(c, 't', { accessLogging: [{ filter: 'response.code >= 400 &&' }] });
  }, '[test/t] IST0106 Schema validation error: Telemetry.spec.accessLogging[0].filter.expression: the filter is not a valid CEL expression: at 1:22: found & but expecting end of input (got "response.code >= 400 &&")'],
];

test.each(CASES)('%s', (_name, seed, message) => {
  const { chart } = chartIn('shop');
  seed(chart);
  expect(synthErrors(chart)).toEqual([message]);
});

test('a deprecated Sidecar egressProxy is one IST0002, from the deprecation analyzer (the webhook rule stays silent)', () => {
  const sidecar = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Sidecar',
    metadata: { name: 's', namespace: 'shop' },
    spec: { outboundTrafficPolicy: { mode: 'ALLOW_ANY', egressProxy: { host: 'proxy.example.com', port: { number: 3128 } } } },
  };
  expect(IstioAnalysis.analyze([sidecar]).map(d => `${d.code} ${d.field}`)).toEqual(['IST0002 spec.outboundTrafficPolicy.egressProxy']);
});
