import { Testing } from 'cdk8s';
import { build } from '../../examples/workshop-gateway/main';
import { MeshAssertions } from '../../src';
import { synth } from '../util';

const chart = build(Testing.app());
synth(chart);
const mesh = MeshAssertions.fromChart(chart);
const via = { gateway: 'workshop/workshop-gateway' };

test('the gateway listens for workshop-app.local on http and https, but no VirtualService is bound yet', () => {
  const http = mesh.request({ host: 'workshop-app.local', ...via }).failsWith('no route matched').answer;
  const https = mesh.request({ host: 'workshop-app.local', tls: true, ...via }).failsWith('no route matched').answer;
  expect([http.listener, http.virtualHost, https.listener, https.routeConfig]).toEqual(['0.0.0.0_8080', 'blackhole:80', '0.0.0.0_8443', 'https.443.https.workshop-gateway.workshop']);
});

test('TLS for another SNI matches no filter chain; other ports no listener', () => {
  mesh.request({ host: 'other.local', tls: true, ...via }).failsWith('no filter chains matched');
  mesh.request({ host: 'workshop-app.local', port: 9000, ...via }).failsWith('no listener matched');
});

test('the chart has a Gateway and no workload: authorization and mTLS questions name what is missing', () => {
  const kinds = '(write namespace/name of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod)';
  expect(() => mesh.model.authorize({ caller: { namespace: 'istio-system' }, workload: 'workshop/workshop-app' })).toThrow(
    `MeshModel.authorize: workload 'workshop/workshop-app' is not a workload of the input ${kinds}`);
  expect(() => mesh.model.mtls('istio-system/istio-ingressgateway', 'workshop/workshop-app', 80)).toThrow(
    `MeshModel.mtls: client workload 'istio-system/istio-ingressgateway' is not a workload of the input ${kinds}`);
});
