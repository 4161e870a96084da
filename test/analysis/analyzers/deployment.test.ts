import { deploy, findings, namespace, pod, svc } from './helpers';

const injected = namespace('shop', { 'istio-injection': 'enabled' });
const selecting = (name: string, ports: any[]) => svc(name, 'shop', ports, { spec: { selector: { app: 'details' } } });

describe('deployment.ServiceAssociationAnalyzer', () => {
  const A = 'deployment.ServiceAssociationAnalyzer';
  test('IST0116: two Services use one port with different protocols', () => {
    expect(findings(A, [injected, deploy('details', 'shop', { app: 'details' }), selecting('tcp', [{ port: 9080, protocol: 'TCP' }]), selecting('udp', [{ port: 9080, protocol: 'UDP' }])])).toEqual([
      'IST0116 warning Deployment shop/details metadata.name',
    ]);
  });
  test('IST0137: two Services map one targetPort from different ports (targetPort defaults to port)', () => {
    expect(findings(A, [injected, deploy('details', 'shop', { app: 'details' }), selecting('a', [{ port: 9080 }]), selecting('b', [{ port: 9090, targetPort: 9080 }])])).toEqual([
      'IST0137 warning Deployment shop/details metadata.name',
    ]);
  });
  test('near miss: a Deployment outside the mesh, a Service of another namespace or without selector', () => {
    const plain = namespace('shop');
    expect(findings(A, [plain, deploy('details', 'shop', { app: 'details' }), selecting('tcp', [{ port: 9080 }]), selecting('udp', [{ port: 9080, protocol: 'UDP' }])])).toEqual([]);
    const other = svc('udp', 'other', [{ port: 9080, protocol: 'UDP' }], { spec: { selector: { app: 'details' } } });
    const noSelector = svc('none', 'shop', [{ port: 9080, protocol: 'UDP' }]);
    expect(findings(A, [injected, deploy('details', 'shop', { app: 'details' }), selecting('tcp', [{ port: 9080 }]), other, noSelector])).toEqual([]);
  });
});

describe('deployment.ApplicationUIDAnalyzer', () => {
  const A = 'deployment.ApplicationUIDAnalyzer';
  const withUid = (o: any, spec: any, where: 'pod' | 'container') => {
    if (where === 'pod') spec.securityContext = { runAsUser: 1337 };
    else spec.containers[0].securityContext = { runAsUser: 1337 };
    return o;
  };
  test('IST0144 on a Pod and a Deployment running as 1337, once per object', () => {
    const p = pod('p', 'shop', { app: 'a' });
    const d = deploy('d', 'shop', { app: 'd' });
    withUid(p, p.spec, 'container');
    withUid(d, d.spec.template.spec, 'pod');
    withUid(d, d.spec.template.spec, 'container');
    expect(findings(A, [p, d])).toEqual([
      'IST0144 warning Pod shop/p spec.containers[0].securityContext.runAsUser',
      'IST0144 warning Deployment shop/d spec.template.spec.securityContext.runAsUser',
    ]);
  });
  test('near miss: the istio-proxy container, the control plane, another UID', () => {
    const p = pod('p', 'shop', { app: 'a' });
    p.spec.containers.push({ name: 'istio-proxy', securityContext: { runAsUser: 1337 } } as any);
    const cp = pod('istiod', 'istio-system', { istio: 'pilot' });
    withUid(cp, cp.spec, 'pod');
    const other = pod('o', 'shop', { app: 'o' });
    other.spec.containers[0] = { name: 'app', securityContext: { runAsUser: 1000 } } as any;
    expect(findings(A, [p, cp, other])).toEqual([]);
  });
});
