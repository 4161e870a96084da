import { deploy, findings, istio, pod, run, svc } from './helpers';

const server = (number: number, hosts: string[], tls?: any) => ({ port: { number, name: `p${number}`, protocol: tls ? 'HTTPS' : 'HTTP' }, hosts, tls });
const gw = (name: string, selector: any, servers: any[], ns = 'edge') => istio('Gateway', name, ns, { selector, servers });

describe('gateway.IngressGatewayPortAnalyzer', () => {
  const A = 'gateway.IngressGatewayPortAnalyzer';
  const workload = deploy('edge-gw', 'edge', { app: 'edge-gw' });
  const service = svc('edge-gw', 'edge', [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], { spec: { selector: { app: 'edge-gw' } } });
  test('IST0101 for a selector that matches no workload', () => {
    expect(run(A, [workload, gw('g', { app: 'nope' }, [server(80, ['*'])])])).toEqual([
      'IST0101 error Gateway edge/g: Gateway.spec.selector: the selector matches no gateway workload (Pod or pod template) in the analysed manifests (got "app=nope"; if it exists outside these manifests, declare it (IstioAnalysis.of(app).declareHosts / declareNamespaces))',
    ]);
  });
  test('IST0162 for a server port the gateway Service does not expose; port and targetPort both count', () => {
    expect(run(A, [workload, service, gw('g', { app: 'edge-gw' }, [server(80, ['*']), server(8080, ['*']), server(9000, ['*'])])])).toEqual([
      'IST0162 warning Gateway edge/g: Gateway.spec.servers[2].port.number: port 9000 is not a port of any Service that selects the gateway workload (app=edge-gw) (got 9000; one of 80, 8080)',
    ]);
  });
  test('near miss: the default ingress gateway that istioctl assumes', () => {
    expect(run(A, [gw('g', { istio: 'ingressgateway' }, [server(443, ['*'], { mode: 'SIMPLE', credentialName: 'c' })])])).toEqual([]);
  });
});

describe('gateway.ConflictingGatewayAnalyzer', () => {
  const A = 'gateway.ConflictingGatewayAnalyzer';
  test('IST0145 for two gateways on one workload, port and host', () => {
    expect(run(A, [gw('a', { istio: 'ingressgateway' }, [server(80, ['a.example.com'])]), gw('b', { istio: 'ingressgateway' }, [server(80, ['a.example.com', 'b.example.com'])])])).toEqual([
      'IST0145 error Gateway edge/a: Gateway.spec.servers[0]: conflicts with Gateway edge/b: the same workloads (selector istio=ingressgateway), port 80 and hosts (a.example.com) (merge the servers into one Gateway or use different ports or hosts)',
      'IST0145 error Gateway edge/b: Gateway.spec.servers[0]: conflicts with Gateway edge/a: the same workloads (selector istio=ingressgateway), port 80 and hosts (a.example.com, b.example.com) (merge the servers into one Gateway or use different ports or hosts)',
    ]);
  });
  test('IST0145 for a sub-selector that selects a pod of the other gateway', () => {
    const pods = [pod('gw-1', 'edge', { istio: 'ingressgateway', tier: 'edge' })];
    expect(findings(A, [...pods, gw('a', { istio: 'ingressgateway' }, [server(80, ['a.example.com'])]), gw('b', { istio: 'ingressgateway', tier: 'edge' }, [server(80, ['a.example.com'])])])).toEqual([
      'IST0145 error Gateway edge/a spec.servers[0]',
      'IST0145 error Gateway edge/b spec.servers[0]',
    ]);
  });
  test('near miss: a sub-selector that selects no common pod; a wildcard host is not the same host (as in Istio)', () => {
    const pods = [pod('gw-1', 'edge', { istio: 'ingressgateway' })];
    expect(findings(A, [...pods, gw('a', { istio: 'ingressgateway' }, [server(80, ['a.example.com'])]), gw('b', { istio: 'ingressgateway', tier: 'edge' }, [server(80, ['a.example.com'])])])).toEqual([]);
    expect(findings(A, [gw('a', { istio: 'ingressgateway' }, [server(80, ['a.example.com'])]), gw('b', { istio: 'ingressgateway' }, [server(80, ['*.example.com'])])])).toEqual([]);
  });
  test('near miss: same host on another bind address', () => {
    expect(findings(A, [gw('a', { istio: 'ingressgateway' }, [{ ...server(80, ['a.example.com']), bind: '10.0.0.1' }]), gw('b', { istio: 'ingressgateway' }, [server(80, ['a.example.com'])])])).toEqual([]);
  });
  test('near miss: different ports or disjoint hosts', () => {
    expect(run(A, [gw('a', { istio: 'ingressgateway' }, [server(80, ['a.example.com'])]), gw('b', { istio: 'ingressgateway' }, [server(81, ['a.example.com']), server(80, ['b.example.com'])])])).toEqual([]);
  });
});

describe('gateway.CertificateAnalyzer', () => {
  const A = 'gateway.CertificateAnalyzer';
  const tls = { mode: 'SIMPLE', credentialName: 'shared-cert' };
  test('IST0138 on the gateway whose selector is contained in the other one', () => {
    expect(run(A, [gw('broad', { istio: 'ingressgateway' }, [server(443, ['a.example.com'], tls)]), gw('narrow', { istio: 'ingressgateway', tier: 'internal' }, [server(443, ['b.example.com'], tls)])])).toEqual([
      'IST0138 warning Gateway edge/broad: Gateway.spec.servers: uses the same credentialName "shared-cert" as Gateway edge/narrow, which selects the same workloads; HTTP/2 connection reuse can then route requests to the wrong server (404) (give each Gateway its own certificate or merge the servers)',
    ]);
  });
  test('near miss: different certificates', () => {
    expect(run(A, [gw('a', { istio: 'ingressgateway' }, [server(443, ['a'], tls)]), gw('b', { istio: 'ingressgateway' }, [server(443, ['b'], { mode: 'SIMPLE', credentialName: 'other' })])])).toEqual([]);
  });
});
