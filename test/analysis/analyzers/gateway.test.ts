import { deploy, findings, findingsOf, istio, pod, run, svc } from './helpers';
import { credentialProblem } from '../../../src/analysis/analyzers/gateway';

// A self-signed certificate valid from 2026-12-01 to 2126-11-07.
const CERT = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBjTCCATOgAwIBAgIUDI0a8Sv5Cacb7RlGylO6myNya44wCgYIKoZIzj0EAwIw',
  'GzEZMBcGA1UEAwwQc2hvcC5leGFtcGxlLmNvbTAgFw0yNjEyMDEyMzQyNDBaGA8y',
  'MTI2MTEwNzIzNDI0MFowGzEZMBcGA1UEAwwQc2hvcC5leGFtcGxlLmNvbTBZMBMG',
  'ByqGSM49AgEGCCqGSM49AwEHA0IABKHthbHCDl0RLwdd53b4WaFUg8PigmIhXFSb',
  'Hi+pK8mAZQxfw5UJ/nOQDvCxWAROMoMJ/hLI4Ib6zLHLNGjh/j2jUzBRMB0GA1Ud',
  'DgQWBBSRoZ7nPmiPaYQQh7ANhCK1OudDlTAfBgNVHSMEGDAWgBSRoZ7nPmiPaYQQ',
  'h7ANhCK1OudDlTAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIFJ1',
  '7LdDZqbkphMgqr/NtVciYqmbx77W30besdR346QLAiEA8maPLn+n6LTvEa8QC21c',
  'vTkZrzaJ8mqtTqHE8v0Buls=',
  '-----END CERTIFICATE-----',
].join('\n');


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

describe('gateway.IngressGatewayPortAnalyzer: ports are never guessed', () => {
  const A = 'gateway.IngressGatewayPortAnalyzer';
  // Istio's samples/bookinfo/networking/bookinfo-gateway.yaml: port 8080 on the default ingress gateway.
  const bookinfo = istio('Gateway', 'bookinfo-gateway', 'default', { selector: { istio: 'ingressgateway' }, servers: [server(8080, ['*'])] });
  test('no IST0162 without a gateway Service in the input, in either mode', () => {
    expect(findings(A, [bookinfo])).toEqual([]);
    expect(findings(A, [bookinfo], { complete: true })).toEqual([]);
  });
  test('with the gateway Service in the input, its targetPort counts', () => {
    const ingress = svc('istio-ingressgateway', 'istio-system', [{ name: 'http2', port: 80, targetPort: 8080 }], { spec: { selector: { istio: 'ingressgateway' } } });
    expect(findings(A, [bookinfo, ingress])).toEqual([]);
    const other = svc('istio-ingressgateway', 'istio-system', [{ name: 'http2', port: 80, targetPort: 80 }], { spec: { selector: { istio: 'ingressgateway' } } });
    expect(findings(A, [bookinfo, other])).toEqual(['IST0162 warning Gateway default/bookinfo-gateway spec.servers[0].port.number']);
  });
  test('complete mode: gateway pods in the input with no Service at all expose no port', () => {
    expect(findings(A, [deploy('edge-gw', 'edge', { app: 'edge-gw' }), gw('g', { app: 'edge-gw' }, [server(80, ['*'])])], { complete: true })).toEqual([
      'IST0162 warning Gateway edge/g spec.servers[0].port.number',
    ]);
  });
});

describe('gateway.SecretAnalyzer', () => {
  const A = 'gateway.SecretAnalyzer';
  const b64 = (v: string) => Buffer.from(v).toString('base64');
  const secret = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'istio-system' }, type: 'kubernetes.io/tls', data });
  const https = (credentialName: string) => gw(`gw-${credentialName}`, { istio: 'ingressgateway' }, [server(443, ['shop.example.com'], { mode: 'SIMPLE', credentialName })], 'shop');
  test('IST0101 for a credential Secret missing from the gateway pods\' namespace; IST0161 for an unusable one', () => {
    expect(findings(A, [
      secret('good', { 'tls.crt': b64(CERT), 'tls.key': b64('key') }),
      secret('nokey', { 'tls.crt': b64(CERT) }),
      secret('garbage', { cert: b64('not a certificate'), key: b64('key') }),
      https('good'), https('missing'), https('nokey'), https('garbage'),
    ])).toEqual([
      'IST0101 error Gateway shop/gw-missing spec.servers[0].tls.credentialName',
      'IST0161 error Gateway shop/gw-nokey spec.servers[0].tls.credentialName',
      'IST0161 error Gateway shop/gw-garbage spec.servers[0].tls.credentialName',
    ]);
  });
  test('near miss: without Secrets of that namespace in the input a missing one is not guessed (except in complete mode)', () => {
    expect(findings(A, [https('missing')])).toEqual([]);
    expect(findings(A, [https('missing')], { complete: true })).toEqual(['IST0101 error Gateway shop/gw-missing spec.servers[0].tls.credentialName']);
  });
  test('the certificate must be valid now', () => {
    const s = secret('c', { 'tls.crt': b64(CERT), 'tls.key': b64('key') });
    expect(credentialProblem(s, new Date('2030-01-01T00:00:00Z'))).toBeUndefined();
    expect(credentialProblem(s, new Date('2127-01-01T00:00:00Z'))).toMatch(/^its certificate expired on Nov {1,2}7 .*2126 GMT$/);
    expect(credentialProblem(s, new Date('2020-01-01T00:00:00Z'))).toMatch(/^its certificate is not valid before Dec {1,2}1 .*2026 GMT$/);
    expect(credentialProblem(secret('e', { 'tls.crt': '', 'tls.key': '' }))).toBe('the certificate or key is empty');
  });
  test('a selector that matches no workload is one IST0101, however many gateway analyzers see it', () => {
    const orphan = gw('orphan', { app: 'nope' }, [server(443, ['a.example.com'], { mode: 'SIMPLE', credentialName: 'c' })]);
    const all = ['gateway.IngressGatewayPortAnalyzer', 'gateway.SecretAnalyzer', 'gateway.ConflictingGatewayAnalyzer'];
    expect(findingsOf(all, [deploy('x', 'edge', { app: 'x' }), orphan])).toEqual(['IST0101 error Gateway edge/orphan spec.selector']);
  });
});
