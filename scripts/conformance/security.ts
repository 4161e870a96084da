// Conformance of the security constructs against Istio's own CRD fixtures
// (istio/samples/validation-testdata/crds/{authz,peerauth,reqauth}-{valid,invalid}.yaml):
//  - every valid document is re-created through the public API only and compared with the file, field by
//    field, after normalisation: empty fields (null, {}, []) are dropped on both sides, and fields that the
//    pinned CRDs (Istio 1.30.3) do not have are dropped from the sample (`jwtRules[].presence`, added on
//    master after 1.31.0-rc.0; the API server would prune it), each such drop printed;
//  - every invalid document (its `_err` key stripped) is attempted through the API, which must refuse it:
//    a runtime error while building, or a synth failure (construct-level or analysis). Where the typed API
//    cannot even express the document, or where only the CRD schema check (branch `schema`) refuses it, the
//    case says why and counts as an explained miss.
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Duration, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  AuthorizationPolicy, Condition, JwksSource, MtlsMode, Operation, PeerAuthentication, PolicyTargetRef, RequestAuthentication, Source,
  Principal, WorkloadSelector,
} from '../../src';
import type { Suite, SuiteResult } from '../conformance';
import { diff, dropEmpty } from './compare';

const DIR = 'istio/samples/validation-testdata/crds';
const FILES = ['authz', 'peerauth', 'reqauth'];

/** Fields of the sample the pinned CRDs lack, per kind: [path predicate, reason]. */
const NOT_IN_PINNED_CRDS: Record<string, Array<[string, string]>> = {
  RequestAuthentication: [['presence', 'jwtRules[].presence is not in the pinned 1.30.3 CRDs (added on master after 1.31.0-rc.0)']],
};

type Build = (chart: Chart, name: string) => void;

const WHEN_FULL: Array<[string, string[], string[]]> = [
  ['request.headers[X-header]', ['header', 'header-prefix-*', '*-suffix-header', '*'], ['not-header', 'not-header-prefix-*', '*-not-suffix-header', '*']],
  ['source.ip', ['10.10.10.10', '192.168.10.0/24'], ['90.10.10.10', '90.168.10.0/24']],
  ['remote.ip', ['10.10.10.10', '192.168.10.0/24'], ['90.10.10.10', '90.168.10.0/24']],
  ['source.namespace', ['ns', 'ns-prefix-*', '*-ns-suffix', '*'], ['not-ns', 'not-ns-prefix-*', '*-not-ns-suffix', '*']],
  ['source.principal', ['principal', 'principal-prefix-*', '*-suffix-principal', '*'], ['not-principal', 'not-principal-prefix-*', '*-not-suffix-principal', '*']],
  ['request.auth.principal', ['requestPrincipals', 'requestPrincipals-prefix-*', '*-suffix-requestPrincipals', '*', 'https://example.com/*'],
    ['not-requestPrincipals', 'not-requestPrincipals-prefix-*', '*-not-suffix-requestPrincipals', '*']],
  ['request.auth.audiences', ['audiences', 'audiences-prefix-*', '*-suffix-audiences', '*'], ['not-audiences', 'not-audiences-prefix-*', '*-not-suffix-audiences', '*']],
  ['request.auth.presenter', ['presenter', 'presenter-prefix-*', '*-suffix-presenter', '*'], ['not-presenter', 'not-presenter-prefix-*', '*-not-suffix-presenter', '*']],
  ['request.auth.claims[iss]', ['iss', 'iss-prefix-*', '*-suffix-iss', '*'], ['not-iss', 'not-iss-prefix-*', '*-not-suffix-iss', '*']],
  ['request.auth.claims[nested1][nested2]', ['nested', 'nested-prefix-*', '*-suffix-nested', '*'], ['not-nested', 'not-nested-prefix-*', '*-not-suffix-nested', '*']],
  ['destination.ip', ['10.10.10.10', '192.168.10.0/24'], ['90.10.10.10', '90.168.10.0/24']],
  ['destination.port', ['91', '92'], ['9001', '9002']],
  ['connection.sni', ['exact.com', '*.suffix.com', 'prefix.*', '*'], ['not-exact.com', '*.not-suffix.com', 'not-prefix.*', '*']],
  ['source.trustDomain', ['cluster.local', 'cluster-prefix-*', '*-suffix-cluster', '*'], ['not-cluster.local', 'not-cluster-prefix-*', '*-not-suffix-cluster', '*']],
  ['experimental.envoy.filters.a.b[c]', ['exact', 'prefix-*', '*-suffix', '*'], ['not-exact', 'not-prefix-*', '*-not-suffix', '*']],
];

const VALID: Record<string, Build> = {
  'authz-valid.yaml/full': (c, name) => new AuthorizationPolicy(c, name, {
    metadata: { name },
    selector: WorkloadSelector.labels({ app: 'httpbin' }),
    rules: [{
      from: [Source.of({
        principals: ['principal', 'principal-prefix-*', '*-suffix-principal', '*'].map(Principal.of),
        requestPrincipals: ['requestPrincipals', 'requestPrincipals-prefix-*', '*-suffix-requestPrincipals', '*'],
        namespaces: ['ns', 'ns-prefix-*', '*-ns-suffix', '*'],
        ipBlocks: ['1.2.3.4', '5.6.0.0/16'],
        remoteIpBlocks: ['1.2.3.4', '5.6.0.0/16'],
        notPrincipals: ['not-principal', 'not-principal-prefix-*', '*-not-suffix-principal', '*'].map(Principal.of),
        notRequestPrincipals: ['not-requestPrincipals', 'not-requestPrincipals-prefix-*', '*-not-suffix-requestPrincipals', '*'],
        notNamespaces: ['not-ns', 'not-ns-prefix-*', '*-not-ns-suffix', '*'],
        notIpBlocks: ['9.0.0.1', '9.2.0.0/16'],
        notRemoteIpBlocks: ['9.0.0.1', '9.2.0.0/16'],
        trustDomains: ['cluster.local', 'cluster-prefix-*', '*-suffix-cluster', '*'],
        notTrustDomains: ['not-cluster.local', 'not-cluster-prefix-*', '*-not-suffix-cluster', '*'],
      })],
      to: [Operation.of({
        methods: ['method', 'method-prefix-*', '*-suffix-method', '*'],
        hosts: ['exact.com', '*.suffix.com', 'prefix.*', '*'],
        ports: [80, 90],
        paths: ['/exact', '/prefix/*', '*/suffix', '*', '/path/template/{*}', '/{**}/path/template'],
        notMethods: ['not-method', 'not-method-prefix-*', '*-not-suffix-method', '*'],
        notHosts: ['not-exact.com', '*.not-suffix.com', 'not-prefix.*', '*'],
        notPorts: [8000, 9000],
        notPaths: ['/not-exact', '/not-prefix/*', '*/not-suffix', '*', '/not-path/template/{*}', '/{**}/not-path/template'],
      })],
      when: WHEN_FULL.map(([key, values, notValues]) => Condition.match(key, { values, notValues })),
    }],
  }),
  'authz-valid.yaml/service-account-and-namespace-principal-split': (c, name) => new AuthorizationPolicy(c, name, {
    metadata: { name },
    rules: [{ from: [Source.serviceAccountNames('baz/sa', 'sa'), Source.principals(Principal.of('bar')), Source.namespaces('bar')] }],
  }),
  'peerauth-valid.yaml/full': (c, name) => new PeerAuthentication(c, name, {
    metadata: { name },
    selector: WorkloadSelector.labels({ foo: 'bar' }),
    mtls: MtlsMode.PERMISSIVE,
    portLevelMtls: [{ port: 80, mode: MtlsMode.STRICT }],
  }),
  // `selector: {}` selects the whole namespace, which is what omitting the selector says; WorkloadSelector
  // refuses an empty label set so that the two spellings cannot both appear in reviewed output.
  'peerauth-valid.yaml/partial-selector': (c, name) => new PeerAuthentication(c, name, { metadata: { name } }),
  'reqauth-valid.yaml/full': (c, name) => new RequestAuthentication(c, name, {
    metadata: { name },
    targetRefs: [PolicyTargetRef.service('foo')],
    jwtRules: [{
      issuer: 'example.com',
      jwks: JwksSource.fromUri('https://example.com/.well-known/jwks.json'),
      forwardOriginalToken: true,
      fromCookies: ['foo'],
      fromHeaders: [{ name: 'foo', prefix: 'baz' }],
      outputClaimToHeaders: [{ claim: 'abc', header: 'def' }],
      timeout: Duration.seconds(5),
      outputPayloadToHeader: 'header',
      spaceDelimitedClaims: ['custom_scope', 'provider.login.scope'],
    }],
  }),
};

/** How the API refuses an invalid document. */
interface Invalid {
  /** `refused`: building or synth must throw. `unrepresentable` / `schema-only`: explained, with `why`. */
  readonly expect: 'refused' | 'unrepresentable' | 'schema-only';
  readonly why?: string;
  readonly build?: Build;
}

const ra = (c: Chart, name: string, rule: any) => new RequestAuthentication(c, name, { metadata: { name }, jwtRules: [{ issuer: 'example', ...rule }] });
const pa = (c: Chart, name: string, port: number) =>
  new PeerAuthentication(c, name, { metadata: { name }, selector: WorkloadSelector.labels({ foo: 'bar' }), portLevelMtls: [{ port, mode: MtlsMode.STRICT }] });
const targetOf = (c: Chart, apiVersion: string, kind: string) => PolicyTargetRef.fromResource(new ApiObject(c, `t-${kind}`, { apiVersion, kind, metadata: { name: 'foo' } }));

const INVALID: Record<string, Invalid> = {
  'authz-invalid.yaml/service-account-and-namespace': {
    expect: 'refused',
    build: (c, name) => new AuthorizationPolicy(c, name, { metadata: { name }, rules: [{ from: [Source.serviceAccountNames('bar/sa').and(Source.namespaces('bar'))] }] }),
  },
  'authz-invalid.yaml/service-account-and-namespace-principal': {
    expect: 'refused',
    build: (c, name) => new AuthorizationPolicy(c, name, { metadata: { name }, rules: [{ from: [Source.serviceAccountNames('baz/sa').and(Source.principals(Principal.of('bar')))] }] }),
  },
  'peerauth-invalid.yaml/bad-mode': {
    expect: 'unrepresentable',
    why: 'MtlsMode is an enum, so "BLAH" is a type error; a cast string from JavaScript is left to the CRD schema check (enum)',
  },
  'peerauth-invalid.yaml/bad-port': {
    expect: 'refused',
    // PortMtls.port is a number (a type error in TypeScript); a JavaScript caller's string still fails synth.
    build: (c, name) => pa(c, name, 'acd' as unknown as number),
  },
  'peerauth-invalid.yaml/port-level-global': {
    expect: 'refused',
    build: (c, name) => new PeerAuthentication(c, name, { metadata: { name }, portLevelMtls: [{ port: 80, mode: MtlsMode.STRICT }] }),
  },
  'peerauth-invalid.yaml/empty-port-level': {
    expect: 'unrepresentable',
    why: 'an empty portLevelMtls list renders no portLevelMtls field, so the API cannot produce `portLevelMtls: {}`',
  },
  'peerauth-invalid.yaml/zero-port': { expect: 'refused', build: (c, name) => pa(c, name, 0) },
  'peerauth-invalid.yaml/high-port': { expect: 'refused', build: (c, name) => pa(c, name, 42949672) },
  'reqauth-invalid.yaml/multi-refs': {
    expect: 'unrepresentable',
    why: 'the API has only targetRefs (no singular targetRef) and a PolicyTargetRef carries no namespace',
  },
  'reqauth-invalid.yaml/ref-and-selector': {
    expect: 'refused',
    build: (c, name) => new RequestAuthentication(c, name, { metadata: { name }, selector: WorkloadSelector.labels({ a: 'b' }), targetRefs: [PolicyTargetRef.service('foo')] }),
  },
  'reqauth-invalid.yaml/bad-target-name': {
    expect: 'refused',
    // A missing name is a type error (the factories take one); an empty one fails synth.
    build: (c, name) => new RequestAuthentication(c, name, { metadata: { name }, targetRefs: [PolicyTargetRef.service('')] }),
  },
  'reqauth-invalid.yaml/bad-target-namespace': {
    expect: 'refused',
    build: (c, name) => {
      const svc = new ApiObject(c, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'foo', namespace: 'bar' } });
      new RequestAuthentication(c, name, { metadata: { name }, targetRefs: [PolicyTargetRef.fromResource(svc)] });
    },
  },
  'reqauth-invalid.yaml/bad-target-group': {
    expect: 'refused',
    build: (c, name) => new RequestAuthentication(c, name, { metadata: { name }, targetRefs: [targetOf(c, '__/v1', 'Service')] }),
  },
  'reqauth-invalid.yaml/bad-target-kind': {
    expect: 'refused',
    build: (c, name) => new RequestAuthentication(c, name, { metadata: { name }, targetRefs: [targetOf(c, 'v1', 'Serv_ice')] }),
  },
  'reqauth-invalid.yaml/no-issuer': { expect: 'unrepresentable', why: 'a JwtRule is a struct; a null rule is a type error' },
  'reqauth-invalid.yaml/empty-aud': { expect: 'refused', build: (c, name) => ra(c, name, { audiences: [''] }) },
  'reqauth-invalid.yaml/invalid-jwks': { expect: 'refused', build: (c, name) => ra(c, name, { jwks: JwksSource.fromUri('hTPp\\\blah') }) },
  'reqauth-invalid.yaml/invalid-from-headers-no-name': {
    expect: 'refused',
    // JwtHeader.name is required (a type error in TypeScript); a JavaScript caller's omission still fails synth.
    build: (c, name) => ra(c, name, { fromHeaders: [{ prefix: 'baz' } as any] }),
  },
  'reqauth-invalid.yaml/invalid-from-headers-empty-name': { expect: 'refused', build: (c, name) => ra(c, name, { fromHeaders: [{ name: '', prefix: 'baz' }] }) },
  'reqauth-invalid.yaml/invalid-from-params': { expect: 'refused', build: (c, name) => ra(c, name, { fromParams: [''] }) },
  'reqauth-invalid.yaml/invalid-from-cookies': { expect: 'refused', build: (c, name) => ra(c, name, { fromCookies: [''] }) },
  'reqauth-invalid.yaml/invalid-claim-to-header-unset': { expect: 'unrepresentable', why: 'a ClaimToHeader is a struct; a null entry is a type error' },
  'reqauth-invalid.yaml/invalid-claim-to-header-claim-empty': { expect: 'refused', build: (c, name) => ra(c, name, { outputClaimToHeaders: [{ claim: '', header: 'h' }] }) },
  'reqauth-invalid.yaml/invalid-claim-to-header-header-empty': { expect: 'refused', build: (c, name) => ra(c, name, { outputClaimToHeaders: [{ claim: 'x', header: '' }] }) },
  'reqauth-invalid.yaml/invalid-claim-to-header-bad-header': { expect: 'refused', build: (c, name) => ra(c, name, { outputClaimToHeaders: [{ claim: 'x', header: ':authority' }] }) },
  'reqauth-invalid.yaml/bad-timeout': { expect: 'unrepresentable', why: 'timeout is a cdk8s Duration, which cannot hold "apple"' },
  'reqauth-invalid.yaml/invalid-space-delimited-claims': { expect: 'refused', build: (c, name) => ra(c, name, { spaceDelimitedClaims: [''] }) },
  'reqauth-invalid.yaml/invalid-presence-value': { expect: 'unrepresentable', why: 'presence is not in the pinned 1.30.3 CRDs, so the API has no such field' },
};

/** Remove fields the pinned CRDs lack from a sample; returns what was removed. */
function dropUnpinned(doc: any, notes: string[]): void {
  for (const [field, why] of NOT_IN_PINNED_CRDS[doc.kind] ?? []) {
    const strip = (v: any): void => {
      if (Array.isArray(v)) {v.forEach(strip);} else if (v && typeof v === 'object') {
        if (field in v) { delete v[field]; notes.push(why); }
        Object.values(v).forEach(strip);
      }
    };
    strip(doc.spec);
  }
}

function fresh(): { app: App; chart: Chart } {
  const app = Testing.app();
  return { app, chart: new Chart(app, 'sample') };
}

function attempt(build: Build, name: string): string | undefined {
  const { chart } = fresh();
  try {
    build(chart, name);
    Testing.synth(chart);
    return undefined;
  } catch (e) {
    return (e as Error).message.split('\n').find(l => l.trim().length > 0 && !/^Validation failed/.test(l))?.trim() ?? (e as Error).message;
  }
}

export const suite: Suite = {
  name: 'security',
  run(shared: string): SuiteResult {
    const failures: string[] = [];
    let total = 0;
    let agreed = 0;
    const counts = { valid: 0, reproduced: 0, invalid: 0, refused: 0, unrepresentable: 0, schemaOnly: 0 };
    for (const base of FILES) {
      for (const variant of ['valid', 'invalid']) {
        const file = `${base}-${variant}.yaml`;
        const docs = parseAllDocuments(fs.readFileSync(path.join(shared, DIR, file), 'utf8')).map(d => d.toJS()).filter(d => d && typeof d === 'object');
        for (const doc of docs) {
          delete doc._err;
          const key = `${file}/${doc.metadata?.name}`;
          total++;
          if (variant === 'valid') {
            counts.valid++;
            const build = VALID[key];
            if (!build) { failures.push(`${key}: no reproduction`); continue; }
            const { chart } = fresh();
            let ours: any;
            try {
              build(chart, doc.metadata.name);
              ours = Testing.synth(chart).find(m => m.kind === doc.kind);
            } catch (e) {
              failures.push(`${key}: synth failed: ${(e as Error).message.split('\n').slice(0, 3).join(' | ')}`);
              continue;
            }
            const notes: string[] = [];
            dropUnpinned(doc, notes);
            const out: string[] = [];
            diff(dropEmpty(ours?.spec), dropEmpty(doc.spec), 'spec', out);
            if (ours?.metadata?.name !== doc.metadata.name) out.push(`metadata.name: ours ${ours?.metadata?.name}`);
            if (out.length) { failures.push(`${key}: ${out.join('; ')}`); continue; }
            agreed++;
            counts.reproduced++;
            console.log(`  reproduced ${key}${notes.length ? ` (sample normalised: ${[...new Set(notes)].join('; ')})` : ''}`);
            continue;
          }
          counts.invalid++;
          const c = INVALID[key];
          if (!c) { failures.push(`${key}: no case`); continue; }
          if (c.expect === 'refused') {
            const err = attempt(c.build!, doc.metadata.name);
            if (err === undefined) { failures.push(`${key}: the API accepted it`); continue; }
            agreed++;
            counts.refused++;
            console.log(`  refused    ${key}: ${err}`);
          } else if (c.expect === 'unrepresentable') {
            counts.unrepresentable++;
            console.log(`  cannot express ${key}: ${c.why}`);
          } else {
            counts.schemaOnly++;
            const err = c.build ? attempt(c.build, doc.metadata.name) : undefined;
            console.log(`  MISS       ${key}: ${err ? `now refused: ${err}` : c.why}`);
          }
        }
      }
    }
    console.log(`security: valid ${counts.reproduced} of ${counts.valid} reproduced; invalid ${counts.refused} of ${counts.invalid} refused at runtime or synth, `
      + `${counts.unrepresentable} not expressible through the typed API, ${counts.schemaOnly} left to the CRD schema check`);
    return { name: 'security', agreed, total, failures };
  },
};
