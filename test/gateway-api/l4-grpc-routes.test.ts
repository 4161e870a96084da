import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { BackendRef, GrpcRoute, GrpcRouteMatch, Host, K8sGateway, Listener, RouteFilter, StringMatch, TcpRoute, TlsRoute } from '../../src';
import { chartIn, synth, synthErrors } from '../util';

function service(chart: Chart, name: string, port: number): kplus.Service {
  return new kplus.Service(chart, `${name}-svc`, {
    metadata: { name },
    ports: [{ port, name: 'tcp' }],
    selector: kplus.Pods.select(chart, `${name}-pods`, { labels: { app: name } }),
  });
}

test('TCPRoute (v1alpha2) and TLSRoute (v1) render parentRefs, hostnames and weighted backends', () => {
  const { chart } = chartIn('echo');
  const gw = new K8sGateway(chart, 'gw', { listeners: [Listener.tcp({ port: 31400 }), Listener.tlsPassthrough()] });
  const v1 = Host.fromService(service(chart, 'echo-v1', 9000));
  const v2 = Host.fromService(service(chart, 'echo-v2', 9000));
  new TcpRoute(chart, 'tcp-echo', { parentRefs: [gw.listenerRef('tcp-31400')] })
    .addRule('split', { backendRefs: [BackendRef.to(v1, { weight: 80 }), BackendRef.to(v2, { weight: 20 })] });
  new TlsRoute(chart, 'tls-echo', { parentRefs: [gw.listenerRef('tls')], hostnames: ['echo.example.com'] })
    .addRule('all', { backendRefs: [BackendRef.to(v1)] });
  expect(synth(chart).filter(m => m.kind.endsWith('Route'))).toEqual([
    {
      apiVersion: 'gateway.networking.k8s.io/v1alpha2',
      kind: 'TCPRoute',
      metadata: { name: 'tcp-echo', namespace: 'echo' },
      spec: {
        parentRefs: [{ name: 'gw', sectionName: 'tcp-31400' }],
        rules: [{ name: 'split', backendRefs: [{ name: 'echo-v1', port: 9000, weight: 80 }, { name: 'echo-v2', port: 9000, weight: 20 }] }],
      },
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'TLSRoute',
      metadata: { name: 'tls-echo', namespace: 'echo' },
      spec: {
        hostnames: ['echo.example.com'],
        parentRefs: [{ name: 'gw', sectionName: 'tls' }],
        rules: [{ name: 'all', backendRefs: [{ name: 'echo-v1', port: 9000 }] }],
      },
    },
  ]);
});

test('L4 backends refuse filters and ports the Service lacks', () => {
  const { chart } = chartIn('echo');
  const v1 = Host.fromService(service(chart, 'echo-v1', 9000));
  new TcpRoute(chart, 't', { parentRefs: [K8sGateway.fromName('gw')] })
    .addRule('a', { backendRefs: [BackendRef.to(v1, { port: 9001, filters: [RouteFilter.requestHeaders({ set: { a: 'b' } })] })] });
  expect(synthErrors(chart)).toEqual([
    '[test/t] TCPRoute.spec.rules[0].backendRefs[0].filters: TCPRoute backends take no filters (got ["RequestHeaderModifier"]; filters apply to HTTPRoute and GRPCRoute backends only)',
    '[test/t] CDK8SISTIO0307 Backend Service echo/echo-v1 has no port 9001, so its traffic finds no endpoint. TCPRoute.spec.rules[0].backendRefs[0].port: port 9001 is not a port of Service echo/echo-v1 (got 9001; one of 9000)',
  ]);
});

test('a TCPRoute weight out of range throws at addRule', () => {
  const { chart } = chartIn('echo');
  expect(() => new TcpRoute(chart, 't').addRule('a', { backendRefs: [BackendRef.to(Host.fromName('x', { ports: [1] }), { weight: 1_000_001 })] })).toThrow(
    '[test/t] TCPRoute.spec.rules[0].backendRefs[0].weight: a backend weight must be an integer from 0 to 1000000 (got 1000001; e.g. 90 and 10 for a 90/10 split)');
});

test('GRPCRoute renders method and header matches, filters and cross-namespace backends with a ReferenceGrant', () => {
  const app = Testing.app();
  const grpc = new Chart(app, 'grpc', { namespace: 'grpc' });
  const edge = new Chart(app, 'edge', { namespace: 'edge' });
  const greeter = Host.fromService(service(grpc, 'greeter', 50051));
  new GrpcRoute(edge, 'greeter', { parentRefs: [K8sGateway.fromName('gw')], hostnames: ['grpc.example.com'] })
    .addRule('hello', {
      matches: [GrpcRouteMatch.method('helloworld.Greeter', 'SayHello'), GrpcRouteMatch.of({ service: 'helloworld\\..*', regex: true, headers: { 'x-env': StringMatch.exact('dev') } })],
      filters: [RouteFilter.requestHeaders({ add: { 'x-via': 'edge' } })],
      backendRefs: [BackendRef.to(greeter)],
    });
  expect(synth(edge)[0].spec).toEqual({
    hostnames: ['grpc.example.com'],
    parentRefs: [{ name: 'gw' }],
    rules: [{
      name: 'hello',
      matches: [
        { method: { method: 'SayHello', service: 'helloworld.Greeter' } },
        { headers: [{ name: 'x-env', value: 'dev' }], method: { service: 'helloworld\\..*', type: 'RegularExpression' } },
      ],
      filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { add: [{ name: 'x-via', value: 'edge' }] } }],
      backendRefs: [{ name: 'greeter', namespace: 'grpc', port: 50051 }],
    }],
  });
  expect(synth(grpc).find(m => m.kind === 'ReferenceGrant').spec).toEqual({
    from: [{ group: 'gateway.networking.k8s.io', kind: 'GRPCRoute', namespace: 'edge' }],
    to: [{ group: '', kind: 'Service', name: 'greeter' }],
  });
});
