// What a user of the constructs sees when objects are valid alone but wrong together: small programs that
// trigger a cross-resource analyzer at synth, with the exact message cdk8s prints.
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  AuthorizationPolicy, Gateway, GatewayServer, Host, IstioAnalysis, Operation, RouteDestination, Sidecar, Source, VirtualService,
  WorkloadSelector,
} from '../../../src';
import { synthError } from '../../util';

function app() {
  const a = Testing.app();
  return { app: a, chart: new Chart(a, 'shop', { namespace: 'shop' }) };
}

function warnings(run: () => void): string {
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    run();
    return spy.mock.calls.map(c => String(c[0])).join('');
  } finally {
    spy.mockRestore();
  }
}

test('IST0109: two mesh VirtualServices for one host fail synth', () => {
  const { chart } = app();
  const svc = new kplus.Service(chart, 'svc', { metadata: { name: 'reviews' }, ports: [{ port: 9080, name: 'http' }] });
  for (const id of ['a', 'b']) {
    new VirtualService(chart, id, { hosts: [Host.fromService(svc)] }).addHttpRoute('all', { to: [RouteDestination.to(Host.fromService(svc))] });
  }
  const err = synthError(chart)!;
  expect(err).toContain('[shop/a] IST0109 The VirtualServices shop/a, shop/b associated with mesh gateway define the same host reviews.shop.svc.cluster.local which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource. VirtualService.spec.hosts: the mesh-bound VirtualServices shop/a, shop/b claim');
  expect(err).toContain('claim the same host reviews.shop.svc.cluster.local');
});

test('IST0132: a VirtualService bound to a Gateway that does not serve its host warns', () => {
  const { app: a, chart } = app();
  const gw = new Gateway(chart, 'gw', { metadata: { name: 'public' }, servers: [GatewayServer.http({ hosts: ['shop.example.com'] })] });
  new VirtualService(chart, 'vs', { hosts: [Host.fromName('admin.example.com')], gateways: [gw] })
    .addHttpRoute('all', { to: [RouteDestination.to(Host.external('backend.example.com'))] });
  IstioAnalysis.of(a).suppress('IST0101');
  const out = warnings(() => a.synthYaml());
  expect(out).toContain('WARNING IST0132 [shop/vs] one or more host admin.example.com defined in VirtualService shop/vs not found in Gateway shop/public.');
});

test('IST0111: two namespace-wide Sidecars fail synth', () => {
  const { chart } = app();
  new Sidecar(chart, 'one', {});
  new Sidecar(chart, 'two', {});
  expect(synthError(chart)).toContain('IST0111');
});

test('IST0127: a policy whose selector matches none of the workloads of its namespace warns', () => {
  const { app: a, chart } = app();
  new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx', portNumber: 8080 }], podMetadata: { labels: { app: 'web' } } });
  new AuthorizationPolicy(chart, 'policy', {
    selector: WorkloadSelector.labels({ app: 'api' }),
    rules: [{ from: [Source.namespaces('shop')], to: [Operation.methods('GET')] }],
  });
  expect(warnings(() => a.synthYaml())).toContain('WARNING IST0127 [shop/policy] No matching workloads for this resource with the following labels: app=api');
});
