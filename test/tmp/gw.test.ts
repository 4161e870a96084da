import { explain } from '../../src/behaviour/cli';
const S = '../shared/gateway-api/istio-samples/';
const K = '../shared/istio/samples/bookinfo/platform/kube/';
test('x', () => {
  for (const [files, req, extra] of [
    [[S+'bookinfo__gateway-api__bookinfo-gateway.yaml', S+'bookinfo__gateway-api__route-reviews-90-10.yaml', K+'bookinfo.yaml', K+'bookinfo-versions.yaml'], 'GET http://reviews:9080/', []],
    [[S+'bookinfo__gateway-api__bookinfo-gateway.yaml', K+'bookinfo.yaml'], 'GET http://bookinfo.example.com/productpage', ['--gateway', 'default/bookinfo-gateway']],
    [[S+'bookinfo__gateway-api__bookinfo-gateway.yaml', K+'bookinfo.yaml'], 'GET http://bookinfo.example.com/productpagex', ['--gateway', 'default/bookinfo-gateway']],
    [[S+'bookinfo__gateway-api__bookinfo-gateway.yaml', K+'bookinfo.yaml'], 'GET http://bookinfo.example.com:8080/productpage', ['--gateway', 'default/bookinfo-gateway']],
    [[S+'bookinfo__gateway-api__bookinfo-gateway.yaml', K+'bookinfo.yaml'], 'GET http://bookinfo.example.com/static/x', ['--gateway', 'default/bookinfo-gateway', '-o', 'json']],
  ] as any) console.log(explain([...files, '--request', req, ...extra]).stdout);
});
