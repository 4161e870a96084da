import { istio, namespace, pod, run, svc } from './helpers';

describe('service.PortNameAnalyzer', () => {
  const A = 'service.PortNameAnalyzer';
  test('IST0118 for a port without protocol in name or appProtocol', () => {
    expect(run(A, [svc('web', 'shop', [{ name: 'web', port: 8080 }, { name: 'http-web', port: 80 }, { name: 'x', port: 81, appProtocol: 'grpc' }])])).toEqual([
      'IST0118 info Service shop/web: Service.spec.ports[0].name: port 8080 has no protocol in its name or appProtocol, so Istio sniffs the protocol (got "web"; name it <protocol>[-<suffix>] (http, http2, https, grpc, tcp, tls, ...) or set appProtocol)',
    ]);
  });
  test('IST0150 for an ExternalName Service port named "tcp"; near miss in kube-system', () => {
    expect(run(A, [svc('ext', 'shop', [{ name: 'tcp', port: 443 }], { spec: { type: 'ExternalName', externalName: 'x.example.com' } })])).toEqual([
      'IST0150 warning Service shop/ext: Service.spec.ports[0].name: an ExternalName Service port needs a protocol-prefixed name other than "tcp", or Istio cannot route to it (got "tcp"; e.g. "https" or "http-web")',
    ]);
    expect(run(A, [svc('dns', 'kube-system', [{ port: 53 }])])).toEqual([]);
  });
});

describe('serviceentry analyzers', () => {
  const se = (name: string, spec: any, ns = 'default') => istio('ServiceEntry', name, ns, spec);
  test('IST0134 for a TCP port without addresses (serviceentry.ProtocolAddressesAnalyzer)', () => {
    const tcp = se('db', { hosts: ['db.example.com'], ports: [{ number: 5432, name: 'tcp', protocol: 'tcp' }, { number: 443, name: 'https', protocol: 'HTTPS' }] });
    expect(run('serviceentry.ProtocolAddressesAnalyzer', [tcp])).toEqual([
      'IST0134 warning ServiceEntry default/db: ServiceEntry.spec.ports[0]: port 5432 is TCP and the ServiceEntry has no addresses, so Istio cannot tell its traffic from other TCP traffic on that port (set spec.addresses, or enable DNS capture with address auto-allocation in the mesh config)',
    ]);
    const meshConfig = { defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true', ISTIO_META_DNS_AUTO_ALLOCATE: 'true' } } };
    expect(run('serviceentry.ProtocolAddressesAnalyzer', [tcp], { meshConfig })).toEqual([]);
  });
  test('IST0177 for one host and port with two protocols (serviceentry.ConflictingServiceEntryProtocolAnalyzer)', () => {
    const a = se('a', { hosts: ['x.com'], ports: [{ number: 8080, name: 'http', protocol: 'HTTP' }] });
    const b = se('b', { hosts: ['x.com'], ports: [{ number: 8080, name: 'https', protocol: 'HTTPS' }] });
    expect(run('serviceentry.ConflictingServiceEntryProtocolAnalyzer', [a, b])).toEqual([
      'IST0177 warning ServiceEntry default/a: ServiceEntry.spec.ports: x.com:8080 is declared as HTTP here and differently by default/b (HTTPS); the protocol Istio uses is undefined (declare one protocol for the host and port)',
      'IST0177 warning ServiceEntry default/b: ServiceEntry.spec.ports: x.com:8080 is declared as HTTPS here and differently by default/a (HTTP); the protocol Istio uses is undefined (declare one protocol for the host and port)',
    ]);
    const local = (o: any, ns: string) => ({ ...o, metadata: { ...o.metadata, namespace: ns }, spec: { ...o.spec, exportTo: ['.'] } });
    expect(run('serviceentry.ConflictingServiceEntryProtocolAnalyzer', [local(a, 'n1'), local(b, 'n2')])).toEqual([]);
  });
});

describe('annotations.K8sAnalyzer', () => {
  const A = 'annotations.K8sAnalyzer';
  test('IST0108 unknown, IST0107 misplaced, IST0125 invalid value, IST0135 deprecated', () => {
    expect(run(A, [
      svc('web', 'shop', [], { metadata: { annotations: { 'networking.istio.io/exportTwo': '.' } } }),
      namespace('shop'),
      { ...namespace('ops'), metadata: { name: 'ops', annotations: { 'proxy.istio.io/config': '{}' } } },
      pod('p', 'shop', {}, { annotations: { 'readiness.status.sidecar.istio.io/periodSeconds': 'often', 'sidecar.istio.io/inject': 'true' } }),
    ])).toEqual([
      'IST0107 warning Namespace /ops: Namespace.metadata.annotations.proxy.istio.io/config: "proxy.istio.io/config" applies to Pod, not to a Namespace',
      'IST0108 warning Service shop/web: Service.metadata.annotations.networking.istio.io/exportTwo: "networking.istio.io/exportTwo" is not an Istio annotation (check the spelling against istio.io/latest/docs/reference/config/annotations)',
      'IST0125 warning Pod shop/p: Pod.metadata.annotations.readiness.status.sidecar.istio.io/periodSeconds: invalid value for "readiness.status.sidecar.istio.io/periodSeconds": must be a non-negative integer (got "often")',
      'IST0135 info Pod shop/p: Pod.metadata.annotations.sidecar.istio.io/inject: "sidecar.istio.io/inject" is deprecated in favour of the "sidecar.istio.io/inject" label',
    ]);
  });
  test('near miss: known annotations on their resource types, and non-Istio annotations', () => {
    expect(run(A, [
      svc('web', 'shop', [], { metadata: { annotations: { 'networking.istio.io/exportTo': '.', 'example.com/x': 'y' } } }),
      pod('p', 'shop', {}, { annotations: { 'proxy.istio.io/config': '{}', 'traffic.sidecar.istio.io/excludeOutboundIPRanges': '10.0.0.0/8' } }),
    ])).toEqual([]);
  });
});

describe('deprecation.FieldAnalyzer', () => {
  const A = 'deprecation.FieldAnalyzer';
  test('IST0002 for fault.delay.percent and Sidecar egressProxy', () => {
    expect(run(A, [
      istio('VirtualService', 'v', 'shop', { hosts: ['a'], http: [{ fault: { delay: { percent: 5, fixedDelay: '1s' } }, route: [{ destination: { host: 'a' } }] }] }),
      istio('Sidecar', 's', 'shop', { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY', egressProxy: { host: 'e' } } }),
    ])).toEqual([
      'IST0002 warning VirtualService shop/v: VirtualService.spec.http[0].fault.delay.percent: fault.delay.percent is deprecated (got 5; use fault.delay.percentage.value)',
      'IST0002 warning Sidecar shop/s: Sidecar.spec.outboundTrafficPolicy.egressProxy: egressProxy is deprecated and ignored (route egress through an egress gateway instead)',
    ]);
  });
  test('near miss: percentage instead of percent', () => {
    expect(run(A, [istio('VirtualService', 'v', 'shop', { hosts: ['a'], http: [{ fault: { delay: { percentage: { value: 5 }, fixedDelay: '1s' } } }] })])).toEqual([]);
  });
});
