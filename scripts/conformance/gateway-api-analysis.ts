// Conformance of the Gateway API analyzers (src/analysis/analyzers/gateway-api.ts) over ../shared/gateway-api:
//
// 1. No finding on valid input: every example (examples/, partial mode: they stand for part of a cluster), every
//    Istio sample (istio-samples/, partial mode) and every conformance manifest whose name does not say invalid
//    (complete mode, with the conformance base resources below).
// 2. The invalid conformance manifests (httproute-invalid-*, tlsroute-invalid-*, gateway-secret-*-reference-grant,
//    gateway-invalid-*, *disallowed-kind*, listenerset-*): each file is one whole input (complete mode) with the
//    base resources; per file, what we report (as the condition reason it stands for) against what the Gateway API
//    conformance test (conformance/tests/<name>.go at v1.5.1) expects, counted as expected-and-found / expected /
//    unexpected, with every miss printed by name.
//
// The base resources are what conformance/base/manifests.yaml and the suite's setup create, summarised here (the
// objects the manifests refer to: Namespaces with their labels, the four shared Gateways, the backend Services
// with their ports, the mesh Services of conformance/mesh/manifests.yaml, and the Secrets the Go suite creates);
// they are not in ../shared.
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ANALYZERS } from '../../src/analysis/analyzers';
import { Diagnostic } from '../../src/analysis/diagnostic';
import { ManifestEntry, ObjectRule, runAnalysis } from '../../src/analysis/engine';
import type { Suite, SuiteResult } from '../conformance';

const OURS = ['gatewayapi.RouteParentAnalyzer', 'gatewayapi.BackendRefAnalyzer', 'gatewayapi.ListenerAnalyzer'];
const RULES = ANALYZERS.filter(a => OURS.includes(a.name));
const noSchema: ObjectRule = { kinds: [], check: () => undefined };

const INFRA = 'gateway-conformance-infra';
const APP = 'gateway-conformance-app-backend';
const WEB = 'gateway-conformance-web-backend';
const MESH = 'gateway-conformance-mesh';
const G = 'gateway.networking.k8s.io/v1';

function base(): any[] {
  const ns = (name: string, labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  const svc = (name: string, namespace: string, ports: number[]) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: ports.map(port => ({ port })) } });
  const secret = (name: string, namespace: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'kubernetes.io/tls' });
  const configMap = (name: string, namespace: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace } });
  const gw = (name: string, listeners: any[]) => ({ apiVersion: G, kind: 'Gateway', metadata: { name, namespace: INFRA }, spec: { gatewayClassName: 'istio', listeners } });
  const cert = { certificateRefs: [{ group: '', kind: 'Secret', name: 'tls-validity-checks-certificate', namespace: INFRA }] };
  return [
    ns(INFRA, { 'gateway-conformance': 'infra' }),
    ns(APP, { 'gateway-conformance': 'backend' }),
    ns(WEB, { 'gateway-conformance': 'backend' }),
    gw('same-namespace', [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }]),
    gw('same-namespace-with-https-listener', [
      { name: 'https', port: 443, protocol: 'HTTPS', allowedRoutes: { namespaces: { from: 'Same' } }, tls: cert },
      { name: 'https-with-hostname', port: 443, hostname: 'second-example.org', protocol: 'HTTPS', allowedRoutes: { namespaces: { from: 'Same' } }, tls: cert },
      { name: 'https-with-wildcard-hostname', port: 443, hostname: '*.wildcard.org', protocol: 'HTTPS', allowedRoutes: { namespaces: { from: 'Same' } }, tls: cert },
      { name: 'https-with-hostname-matching-wildcard', port: 443, hostname: 'fourth-example.wildcard.org', protocol: 'HTTPS', allowedRoutes: { namespaces: { from: 'Same' } }, tls: cert },
    ]),
    gw('all-namespaces', [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }]),
    gw('backend-namespaces', [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { 'gateway-conformance': 'backend' } } } } }]),
    svc('infra-backend-v1', INFRA, [8080, 8081, 8082]),
    svc('infra-backend-v2', INFRA, [8080]),
    svc('infra-backend-v3', INFRA, [8080]),
    svc('tls-backend', INFRA, [443]),
    svc('tls-backend', APP, [443]),
    svc('app-backend-v1', APP, [8080]),
    svc('app-backend-v2', APP, [8080]),
    svc('web-backend', WEB, [8080]),
    svc('grpc-infra-backend-v1', INFRA, [8080]),
    svc('grpc-infra-backend-v2', INFRA, [8080]),
    svc('grpc-infra-backend-v3', INFRA, [8080]),
    svc('coredns', INFRA, [53]),
    svc('backendtlspolicy-test', INFRA, [443]),
    // Newer than the copy of base/manifests.yaml that could be read; their ports are those the v1.5.1 manifests use.
    svc('tcp-backend', INFRA, [3000, 8443]),
    svc('tls-backend-2', INFRA, [443]),
    // conformance/mesh/manifests.yaml.
    ns(MESH, { 'gateway-conformance': 'mesh' }),
    ns(`${MESH}-consumer`, { 'gateway-conformance': 'mesh-consumer' }),
    ...['echo', 'echo-v1', 'echo-v2'].map(n => svc(n, MESH, [80, 8080, 443, 9090, 7070])),
    // Created by the Go suite (conformance/utils/suite) and by the tests that use them.
    secret('tls-validity-checks-certificate', INFRA),
    secret('tls-passthrough-checks-certificate', INFRA),
    secret('tls-passthrough-checks-certificate', APP),
    secret('tls-terminate-checks-certificate', INFRA),
    secret('backend-tls-checks-certificate', INFRA),
    secret('certificate', WEB),
    secret('tls-checks-client-certificate', INFRA),
    configMap('tls-validity-checks-ca-certificate', INFRA),
    configMap('tls-validity-checks-per-port-ca-certificate', INFRA),
    configMap('tls-checks-ca-certificate', INFRA),
  ];
}

/** What a conformance test expects: the object and the condition reason. */
interface Expected { readonly kind: string; readonly name: string; readonly reason: string }
const e = (kind: string, name: string, reason: string): Expected => ({ kind, name, reason });

/**
 * The expectations of the conformance tests (conformance/tests/<file>.go) for the invalid manifests, read from
 * the tests. Of the ListenerSet files, those about allowedListeners are counted; the others (conflicts, routes and
 * grants through a ListenerSet's listeners) are listed but not counted: ListenerSet listeners are not analysed.
 */
const EXPECTED: Record<string, Expected[]> = {
  'httproute-disallowed-kind.yaml': [e('HTTPRoute', 'disallowed-kind', 'NotAllowedByListeners')],
  'httproute-invalid-backendref-unknown-kind.yaml': [e('HTTPRoute', 'invalid-backend-ref-unknown-kind', 'InvalidKind')],
  'httproute-invalid-cross-namespace-backend-ref.yaml': [e('HTTPRoute', 'invalid-cross-namespace-backend-ref', 'RefNotPermitted')],
  'httproute-invalid-cross-namespace-parent-ref.yaml': [e('HTTPRoute', 'invalid-cross-namespace-parent-ref', 'NotAllowedByListeners')],
  'httproute-invalid-nonexistent-backendref.yaml': [e('HTTPRoute', 'invalid-nonexistent-backend-ref', 'BackendNotFound')],
  'httproute-invalid-parentref-not-matching-listener-port.yaml': [e('HTTPRoute', 'httproute-listener-not-matching-route-port', 'NoMatchingParent')],
  'httproute-invalid-parentref-not-matching-section-name.yaml': [e('HTTPRoute', 'httproute-listener-not-matching-section-name', 'NoMatchingParent')],
  'httproute-invalid-parentref-section-name-not-matching-port.yaml': [e('HTTPRoute', 'httproute-listener-section-name-not-matching-port', 'NoMatchingParent')],
  'httproute-invalid-reference-grant.yaml': [e('HTTPRoute', 'reference-grant', 'RefNotPermitted')],
  'tlsroute-invalid-backendref-nonexistent.yaml': [e('TLSRoute', 'invalid-backend-ref-nonexistent', 'BackendNotFound')],
  'tlsroute-invalid-backendref-unknown-kind.yaml': [e('TLSRoute', 'invalid-backend-ref-unknown-kind', 'InvalidKind')],
  'tlsroute-invalid-no-matching-listener-hostname.yaml': [e('TLSRoute', 'tlsroute-hostname-mismatch-1', 'NoMatchingListenerHostname'), e('TLSRoute', 'tlsroute-hostname-mismatch-2', 'NoMatchingListenerHostname')],
  'tlsroute-invalid-no-matching-listener.yaml': [e('TLSRoute', 'tlsroute-not-allowed-protocol-http', 'NotAllowedByListeners'), e('TLSRoute', 'tlsroute-not-allowed-protocol-https', 'NotAllowedByListeners'), e('TLSRoute', 'tlsroute-no-matching-section-name', 'NoMatchingParent')],
  'tlsroute-invalid-reference-grant.yaml': [e('TLSRoute', 'gateway-conformance-infra-test', 'RefNotPermitted')],
  'gateway-secret-invalid-reference-grant.yaml': [e('Gateway', 'gateway-secret-invalid-reference-grant', 'RefNotPermitted')],
  'gateway-secret-missing-reference-grant.yaml': [e('Gateway', 'gateway-secret-missing-reference-grant', 'RefNotPermitted')],
  'gateway-invalid-route-kind.yaml': [e('Gateway', 'gateway-only-invalid-route-kind', 'InvalidRouteKinds'), e('Gateway', 'gateway-supported-and-invalid-route-kind', 'InvalidRouteKinds')],
  'gateway-invalid-tls-configuration.yaml': ['nonexistent-secret', 'unsupported-group', 'unsupported-kind', 'malformed-secret'].map(n => e('Gateway', `gateway-certificate-${n}`, 'InvalidCertificateRef')),
  'gateway-invalid-tls-backend-configuration.yaml': [
    ...['nonexistent-secret', 'unsupported-group', 'unsupported-kind', 'malformed-secret'].map(n => e('Gateway', `gateway-client-certificate-${n}`, 'InvalidClientCertificateRef')),
    e('Gateway', 'gateway-client-certificate-missing-reference-grant', 'RefNotPermitted'),
  ],
  'listenerset-allowed-namespace-none.yaml': [e('ListenerSet', 'listenerset-not-allowed', 'NotAllowed')],
  'listenerset-default-not-allowed.yaml': [e('ListenerSet', 'listenerset-default-not-allowed', 'NotAllowed')],
  'listenerset-allowed-namespace-same.yaml': [e('ListenerSet', 'listenerset-in-different-namespace', 'NotAllowed')],
  'listenerset-allowed-namespace-selector.yaml': [e('ListenerSet', 'listenerset-not-in-selected-namespace', 'NotAllowed')],
  'gateway-invalid-default-frontend-client-certificate-validation.yaml': [e('Gateway', 'invalid-default-client-validation-config', 'InvalidCACertificateRef')],
};
/**
 * Findings on input whose name does not say invalid, and why they are right: the test expects the object refused,
 * the example uses what Istio does not implement, or the example is not self-contained. Keyed by
 * `file|Kind/name|code`.
 */
const EXPLAINED: Record<string, string> = {
  'examples/standard/default-match-http.yaml|HTTPRoute/default-match-route|CDK8SISTIO0304': 'a custom backend kind (acme.io/CustomBackend), which Istio does not implement (InvalidKind)',
  'examples/standard/http-redirect.yaml|HTTPRoute/http-filter-2|IST0101': 'the example defines its Namespace but not the Service my-filter-svc1 it routes to',
  'examples/standard/multicluster/httproute-gamma.yaml|HTTPRoute/store|CDK8SISTIO0306': 'a ServiceImport backend without a port; istiod requires a port on every backendRef',
  'examples/standard/multicluster/httproute-referencegrant.yaml|HTTPRoute/foo|CDK8SISTIO0306': 'a ServiceImport backend without a port; istiod requires a port on every backendRef',
  'conformance-manifests/gateway-with-attached-routes.yaml|HTTPRoute/http-route-not-accepted|CDK8SISTIO0303': 'GatewayWithAttachedRoutes expects this route not attached (its hostname matches no listener)',
  'conformance-manifests/gateway-with-attached-routes.yaml|HTTPRoute/http-route-4|IST0101': 'GatewayWithAttachedRoutes expects this route attached with an unresolved backend (does-not-exist)',
  'conformance-manifests/gateway-with-attached-routes.yaml|Gateway/unresolved-gateway-with-one-attached-unresolved-route|IST0101': 'GatewayWithAttachedRoutes expects this listener unresolved (its certificate Secret does-not-exist)',
  'conformance-manifests/gateway-with-invalid-clientcertificate-validation.yaml|HTTPRoute/misconfigured-client-certificate-validation-https-test|IST0101': 'the HTTPRoute names Gateway client-validation-invalid, which no manifest defines (the file\'s Gateway is gateway-with-invalid-client-cert-validation)',
  'conformance-manifests/gateway-with-invalid-clientcertificate-validation.yaml|Gateway/gateway-with-invalid-client-cert-validation|IST0101': 'GatewayWithInvalidClientCertificateValidation expects listener https-unresolved refused (InvalidCACertificateRef): its CA ConfigMap non-exisitng-cm does not exist',
  'conformance-manifests/gateway-with-invalid-clientcertificate-validation.yaml|Gateway/gateway-with-invalid-client-cert-validation|CDK8SISTIO0313': 'GatewayWithInvalidClientCertificateValidation expects listener https-invalid-kind refused (InvalidCACertificateKind): its CA reference is a Service',
  'conformance-manifests/gateway-with-invalid-clientcertificate-validation.yaml|Gateway/gateway-with-invalid-client-cert-validation|CDK8SISTIO0305': 'the manifest\'s third invalid listener: a CA ConfigMap in another namespace without a ReferenceGrant',
  'conformance-manifests/httproute-hostname-intersection.yaml|HTTPRoute/no-intersecting-hosts|CDK8SISTIO0303': 'HTTPRouteHostnameIntersection expects this route refused (NoMatchingListenerHostname)',
  'conformance-manifests/httproute-partially-invalid-via-invalid-reference-grant.yaml|HTTPRoute/invalid-reference-grant|CDK8SISTIO0305': 'HTTPRoutePartiallyInvalidViaInvalidReferenceGrant expects this backend refused (RefNotPermitted)',
  'conformance-manifests/tlsroute-listener-passthrough-supported-kinds.yaml|Gateway/gateway-tlsroute-passthrough-supported-kind|CDK8SISTIO0308': 'TCPRoute on a Passthrough listener: istiod leaves it out of supportedKinds and sets InvalidRouteKinds',
  'conformance-manifests/udproute-simple.yaml|Gateway/udp-gateway|CDK8SISTIO0309': 'Istio does not implement UDP listeners',
  'conformance-manifests/udproute-simple.yaml|UDPRoute/udp-coredns|CDK8SISTIO0311': 'Istio does not implement UDPRoute',
};
const INVALID = /^(httproute-invalid-|tlsroute-invalid-|gateway-secret-.*-reference-grant|gateway-invalid-|.*disallowed-kind|listenerset-)/;

/** The condition reason a finding stands for. */
function reasonOf(d: Diagnostic): string {
  if (d.code === 'IST0101') {
    if (/backendRefs|requestMirror/.test(d.field ?? '')) return 'BackendNotFound';
    if (/clientCertificateRef/.test(d.field ?? '')) return 'InvalidClientCertificateRef';
    if (/caCertificateRefs/.test(d.field ?? '')) return 'InvalidCACertificateRef';
    if (/certificateRefs/.test(d.field ?? '')) return 'InvalidCertificateRef';
    return 'NoMatchingParent';
  }
  const m = /\((\w+)\)/.exec(d.message);
  if (m) return m[1];
  return { CDK8SISTIO0307: 'BackendPortNotFound', CDK8SISTIO0311: 'UnsupportedRouteKind' }[d.code] ?? d.code;
}

function load(file: string, placeholders: boolean): any[] {
  let text = fs.readFileSync(file, 'utf-8');
  if (placeholders) text = text.replace(/\{GATEWAY_CLASS_NAME\}/g, 'istio').replace(/\{GATEWAY_CONTROLLER_NAME\}/g, 'istio.io/gateway-controller');
  return parseAllDocuments(text).map(d => d.toJS()).filter(o => o && typeof o === 'object');
}

function analyse(objects: any[], complete: boolean): Diagnostic[] {
  const entries: ManifestEntry[] = objects.map(object => ({ object }));
  return runAnalysis(entries, { complete }, noSchema, [], RULES);
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(d => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? walk(p) : /\.ya?ml$/.test(d.name) ? [p] : [];
  }).sort();
}

const show = (d: Diagnostic) => `${d.code} ${d.kind} ${d.namespace ?? ''}/${d.name} ${d.field ?? ''}: ${d.detail}`;

export const suite: Suite = {
  name: 'gateway-api-analysis',
  run(shared: string): SuiteResult {
    const root = path.join(shared, 'gateway-api');
    const failures: string[] = [];
    if (!fs.existsSync(root)) return { name: 'gateway-api-analysis', agreed: 0, total: 0, failures: [`${root} not found`] };
    const conformanceDir = path.join(root, 'conformance-manifests');
    const valid: Array<{ file: string; objects: any[]; complete: boolean }> = [
      ...walk(path.join(root, 'examples')).map(file => ({ file, objects: load(file, false), complete: false })),
      ...walk(path.join(root, 'istio-samples')).map(file => ({ file, objects: load(file, false), complete: false })),
      ...walk(conformanceDir).filter(f => !INVALID.test(path.basename(f)))
        .map(file => ({ file, objects: [...base(), ...load(file, true)], complete: true })),
    ];
    let clean = 0;
    let explained = 0;
    for (const v of valid) {
      const rel = path.relative(root, v.file);
      const found = analyse(v.objects, v.complete);
      if (found.length === 0) clean++;
      for (const d of found) {
        const why = EXPLAINED[`${rel}|${d.kind}/${d.name}|${d.code}`];
        if (why) { explained++; console.log(`  explained ${rel}: ${d.code} ${d.kind}/${d.name}: ${why}`); } else {failures.push(`valid ${rel}: ${show(d)}`);}
      }
      if (found.length > 0 && found.every(d => EXPLAINED[`${rel}|${d.kind}/${d.name}|${d.code}`])) clean++;
    }
    console.log(`  valid input: ${clean} of ${valid.length} files without an unexplained finding (${explained} findings explained above)`);

    let found = 0;
    let expected = 0;
    let unexpected = 0;
    const misses: string[] = [];
    const invalidFiles = walk(conformanceDir).filter(f => INVALID.test(path.basename(f)));
    for (const file of invalidFiles) {
      const name = path.basename(file);
      const got = analyse([...base(), ...load(file, true)], true);
      const want = EXPECTED[name];
      const gotText = got.map(d => `${d.kind}/${d.name} ${reasonOf(d)} [${d.code} ${d.field ?? ''}]`);
      console.log(`  ${name}`);
      console.log(`    expected: ${want ? want.map(w => `${w.kind}/${w.name} ${w.reason}`).join(', ') || '(nothing)' : 'ListenerSet conditions (a ListenerSet\'s listeners are not analysed: not counted)'}`);
      console.log(`    reported: ${gotText.join(', ') || '(nothing)'}`);
      if (!want) continue;
      expected += want.length;
      const used = new Set<Diagnostic>();
      for (const w of want) {
        const hit = got.find(d => !used.has(d) && d.kind === w.kind && d.name === w.name && reasonOf(d) === w.reason);
        if (hit) { used.add(hit); found++; } else {misses.push(`${name}: ${w.kind}/${w.name} ${w.reason}`);}
      }
      // Further findings on an object the test expects refused are not counted against us: a test asserts one
      // condition, and an object may have several faults.
      for (const d of got) if (!used.has(d) && !want.some(w => w.kind === d.kind && w.name === d.name)) { unexpected++; failures.push(`unexpected ${name}: ${show(d)}`); }
    }
    console.log(`  invalid conformance manifests: ${found} expected-and-found of ${expected} expected, ${unexpected} unexpected (${invalidFiles.length} files, ${invalidFiles.filter(f => !EXPECTED[path.basename(f)]).length} ListenerSet files not counted)`);
    // Misses are known gaps, printed and not failed.
    for (const m of misses) console.log(`  MISS ${m}`);
    return { name: 'gateway-api-analysis', agreed: clean + found, total: valid.length + expected, failures };
  },
};
