import { DiagnosticLevel } from '../../src';
import { CrossRule, ObjectRule, runAnalysis } from '../../src/analysis/engine';

const gw = (name: string, extra: any = {}) => ({
  apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name, namespace: 'shop', ...extra }, spec: { servers: [] },
});

const schemaRejectingBad: ObjectRule = {
  kinds: [],
  check: (obj, r) => { if (obj.metadata.name === 'bad-schema') r.error('IST0106', 'spec.servers', 'schema says no', 1, 'a list'); },
};
const webhook: ObjectRule = {
  kinds: ['networking.istio.io/Gateway'],
  check: (obj, r) => {
    r.error('IST0106', 'spec.servers', 'a Gateway needs at least one server', obj.spec.servers);
    r.warning('IST0133', 'spec', 'just a warning');
  },
};
const cross: CrossRule = {
  name: 'count',
  check: ctx => {
    for (const g of ctx.ofKind('networking.istio.io/Gateway')) ctx.reporterFor(g).info('IST0999', '', `sees ${ctx.objects.length} objects in ${ctx.namespaceOf(g)}`);
  },
};

describe('analysis engine', () => {
  test('formats findings with kind, field, value and rule, and keeps the origin', () => {
    const d = runAnalysis([{ object: gw('a'), constructPath: 'c/a', source: 'a.yaml' }], {}, schemaRejectingBad, [webhook], [cross]);
    expect(d).toEqual([
      {
        code: 'IST0106',
        level: DiagnosticLevel.ERROR,
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        name: 'a',
        namespace: 'shop',
        field: 'spec.servers',
        message: 'Gateway.spec.servers: a Gateway needs at least one server (got [])',
        constructPath: 'c/a',
        source: 'a.yaml',
      },
      {
        code: 'IST0133',
        level: DiagnosticLevel.WARNING,
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        name: 'a',
        namespace: 'shop',
        field: 'spec',
        message: 'Gateway.spec: just a warning',
        constructPath: 'c/a',
        source: 'a.yaml',
      },
      {
        code: 'IST0999',
        level: DiagnosticLevel.INFO,
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        name: 'a',
        namespace: 'shop',
        field: undefined,
        message: 'Gateway: sees 1 objects in shop',
        constructPath: 'c/a',
        source: 'a.yaml',
      },
    ]);
  });

  test('webhook rules do not see objects the schema rejected', () => {
    const d = runAnalysis([{ object: gw('bad-schema') }], {}, schemaRejectingBad, [webhook], []);
    expect(d.map(x => `${x.code} ${x.message}`)).toEqual(['IST0106 Gateway.spec.servers: schema says no (got 1; a list)']);
  });

  test('a suppressed schema error still keeps webhook rules away from the object', () => {
    const d = runAnalysis([{ object: gw('bad-schema') }], { suppress: ['IST0106'] }, schemaRejectingBad, [webhook], []);
    expect(d.map(x => x.code)).toEqual([]);
  });

  test('suppression by option and by Istio annotation', () => {
    const objects = [
      { object: gw('a') },
      { object: gw('b', { annotations: { 'galley.istio.io/analyze-suppress': 'IST0133, IST0999' } }) },
      { object: gw('c', { annotations: { 'galley.istio.io/analyze-suppress': '*' } }) },
    ];
    const d = runAnalysis(objects, { suppress: ['IST0999'] }, schemaRejectingBad, [webhook], [cross]);
    expect(d.map(x => `${x.name} ${x.code}`)).toEqual(['a IST0106', 'a IST0133', 'b IST0106']);
  });

  test('non-Istio objects skip the schema rule, and missing namespaces take the default', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bad-schema' } };
    const g = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'g' }, spec: {} };
    const d = runAnalysis([{ object: svc }, { object: g }, { object: null }], { defaultNamespace: 'prod' }, schemaRejectingBad, [], [cross]);
    expect(d.map(x => x.message)).toEqual(['Gateway: sees 2 objects in prod']);
  });
});
