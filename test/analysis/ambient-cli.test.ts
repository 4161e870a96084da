// The ambient analyzers on plain YAML through the command line, as `node bin/cdk8s-istio analyze` runs them.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/analysis/cli';

const YAML = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    istio.io/dataplane-mode: ambient
    istio.io/use-waypoint: waypoint
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: get-only, namespace: shop}
spec:
  rules:
  - to:
    - operation:
        methods: [GET]
---
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: lua, namespace: shop}
spec:
  configPatches:
  - applyTo: HTTP_FILTER
    patch:
      operation: INSERT_FIRST
      value: {name: envoy.lua}
`;

const WAYPOINT = `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: waypoint
  namespace: shop
  labels: {istio.io/waypoint-for: service}
spec:
  gatewayClassName: istio-waypoint
  listeners:
  - {name: mesh, port: 15008, protocol: HBONE}
`;

function analyze(yaml: string, ...flags: string[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-ambient-'));
  const file = path.join(dir, 'ambient.yaml');
  fs.writeFileSync(file, yaml);
  let out = '';
  const code = main(['analyze', ...flags, '-o', 'json', file], s => { out += s; }, () => undefined, () => '');
  return { code, findings: (JSON.parse(out) as any[]).map(d => `${d.code} ${d.level} ${d.origin} ${d.field} ${d.reference.replace(dir, '')}`) };
}

test('the command line reports L7 on ztunnel, a missing waypoint and an EnvoyFilter in an ambient namespace, with lines', () => {
  const { code, findings } = analyze(YAML);
  expect(findings.filter(f => f.startsWith('CDK8SISTIO'))).toEqual([
    'CDK8SISTIO0401 Error AuthorizationPolicy get-only.shop spec.rules[0].to[0].operation.methods /ambient.yaml:16',
    'CDK8SISTIO0402 Error Namespace shop metadata.labels.istio.io/use-waypoint /ambient.yaml:7',
    'CDK8SISTIO0404 Warning EnvoyFilter lua.shop spec /ambient.yaml:21',
  ]);
  expect(code).not.toBe(0);
});

test('with the waypoint in the input, only the misplaced policy and the EnvoyFilter remain', () => {
  expect(analyze(YAML + WAYPOINT).findings.filter(f => f.startsWith('CDK8SISTIO'))).toEqual([
    'CDK8SISTIO0401 Error AuthorizationPolicy get-only.shop spec.rules[0].to[0].operation.methods /ambient.yaml:16',
    'CDK8SISTIO0404 Warning EnvoyFilter lua.shop spec /ambient.yaml:21',
  ]);
});
