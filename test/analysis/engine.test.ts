import { DiagnosticLevel } from '../../src';
import { CrossRule, ObjectRule, runAnalysis } from '../../src/analysis/engine';
import { Messages, detailWithFix, fillTemplate, renderDiagnosticLine } from '../../src/analysis/messages';

const gw = (name: string, extra: any = {}) => ({
  apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name, namespace: 'shop', ...extra }, spec: { servers: [] },
});

const schemaRejectingBad: ObjectRule = {
  kinds: [],
  check: (obj, report) => {
    if (obj.metadata.name === 'bad-schema') report(Messages.SchemaValidationError, { field: 'spec.servers', problem: 'schema says no', got: 1, fix: 'a list' });
  },
};
const webhook: ObjectRule = {
  kinds: ['networking.istio.io/Gateway'],
  check: (obj, report) => {
    report(Messages.SchemaValidationError, { field: 'spec.servers', problem: 'a Gateway needs at least one server', got: obj.spec.servers });
    report(Messages.SchemaWarning, { field: 'spec', problem: 'just a warning' });
  },
};
const cross: CrossRule = {
  name: 'count',
  check: ctx => {
    for (const g of ctx.ofKind('networking.istio.io/Gateway')) {
      ctx.reporterFor(g)(Messages.ReferencedResourceNotFound, {
        args: ['gateway', g.metadata.name], problem: `sees ${ctx.objects.length} objects in ${ctx.namespaceOf(g)}`, fix: 'look', line: 7,
      });
    }
  },
};

describe('analysis engine', () => {
  test('formats findings with kind, field, value and rule, and keeps the origin', () => {
    const d = runAnalysis([{ object: gw('a'), constructPath: 'c/a', source: 'a.yaml', line: 3 }], {}, schemaRejectingBad, [webhook], [cross]);
    expect(d).toEqual([
      {
        code: 'IST0106',
        level: DiagnosticLevel.ERROR,
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        name: 'a',
        namespace: 'shop',
        field: 'spec.servers',
        message: 'Schema validation error: Gateway.spec.servers: a Gateway needs at least one server (got [])',
        detail: 'Gateway.spec.servers: a Gateway needs at least one server (got [])',
        fix: undefined,
        line: 3,
        documentationUrl: 'https://istio.io/latest/docs/reference/config/analysis/ist0106/',
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
        message: 'Schema validation warning: Gateway.spec: just a warning',
        detail: 'Gateway.spec: just a warning',
        fix: undefined,
        line: 3,
        documentationUrl: 'https://istio.io/latest/docs/reference/config/analysis/ist0133/',
        constructPath: 'c/a',
        source: 'a.yaml',
      },
      {
        code: 'IST0101',
        level: DiagnosticLevel.ERROR,
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        name: 'a',
        namespace: 'shop',
        field: undefined,
        message: 'Referenced gateway not found: "a"',
        detail: 'Gateway: sees 1 objects in shop',
        fix: 'look',
        line: 7,
        documentationUrl: 'https://istio.io/latest/docs/reference/config/analysis/ist0101/',
        constructPath: 'c/a',
        source: 'a.yaml',
      },
    ]);
  });

  test('webhook rules do not see objects the schema rejected', () => {
    const d = runAnalysis([{ object: gw('bad-schema') }], {}, schemaRejectingBad, [webhook], []);
    expect(d.map(x => `${x.code} ${detailWithFix(x)}`)).toEqual(['IST0106 Gateway.spec.servers: schema says no (got 1; a list)']);
  });

  test('a suppressed schema error still keeps webhook rules away from the object', () => {
    const d = runAnalysis([{ object: gw('bad-schema') }], { suppress: ['IST0106'] }, schemaRejectingBad, [webhook], []);
    expect(d.map(x => x.code)).toEqual([]);
  });

  test('suppression by option and by Istio annotation', () => {
    const objects = [
      { object: gw('a') },
      { object: gw('b', { annotations: { 'galley.istio.io/analyze-suppress': 'IST0133, IST0101' } }) },
      { object: gw('c', { annotations: { 'galley.istio.io/analyze-suppress': '*' } }) },
    ];
    const d = runAnalysis(objects, { suppress: ['IST0101'] }, schemaRejectingBad, [webhook], [cross]);
    expect(d.map(x => `${x.name} ${x.code}`)).toEqual(['a IST0106', 'a IST0133', 'b IST0106']);
  });

  test('non-Istio objects skip the schema rule, and missing namespaces take the default', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bad-schema' } };
    const g = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'g' }, spec: {} };
    const d = runAnalysis([{ object: svc }, { object: g }, { object: null }], { defaultNamespace: 'prod' }, schemaRejectingBad, [], [cross]);
    expect(d.map(x => x.detail)).toEqual(['Gateway: sees 2 objects in prod']);
  });
});

describe('message catalog', () => {
  test('holds Istio\'s codes, levels and templates', () => {
    expect(Messages.ReferencedResourceNotFound).toEqual({
      code: 'IST0101', name: 'ReferencedResourceNotFound', level: DiagnosticLevel.ERROR, template: 'Referenced %s not found: %q', args: ['reftype', 'refval'],
    });
    expect(Messages.VirtualServiceUnreachableRule.level).toBe(DiagnosticLevel.WARNING);
  });

  test('fills templates as Go\'s fmt does for the verbs Istio uses', () => {
    expect(fillTemplate('a %s b %q c %v d %d %%', ['x', 'y"', ['p', 'q'], 3])).toBe('a x b "y\\"" c [p q] d 3 %');
    expect(fillTemplate('Referenced %s not found: %q', ['gateway'])).toBe('Referenced gateway not found: %!q(MISSING)');
    // Go's %q quotes each element of a slice: fmt.Sprintf("%q", []string{"a", "b"}) is ["a" "b"].
    expect(fillTemplate('clusters %q', [['Kubernetes', 'east']])).toBe('clusters ["Kubernetes" "east"]');
  });

  const base = { level: DiagnosticLevel.ERROR, apiVersion: 'v1', kind: 'Gateway', name: 'g' };
  test.each([
    [{ code: 'IST0106', message: 'Schema validation error: Gateway.spec: bad (got 1)', detail: 'Gateway.spec: bad (got 1)', fix: 'use 2' },
      'IST0106 Schema validation error: Gateway.spec: bad (got 1; use 2)'],
    [{ code: 'IST0101', message: 'Referenced gateway not found: "x"', detail: 'Gateway.spec.gateways[0]: not in the input (got "x")' },
      'IST0101 Referenced gateway not found: "x". Gateway.spec.gateways[0]: not in the input (got "x")'],
    [{ code: 'IST0130', message: 'VirtualService rule a not used (b).', detail: 'Gateway.spec: never matches', fix: 'remove it' },
      'IST0130 VirtualService rule a not used (b). Gateway.spec: never matches (remove it)'],
  ])('renders one line: %#', (d, line) => expect(renderDiagnosticLine({ ...base, ...d })).toBe(line));
});
