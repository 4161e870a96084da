import { findings, istio } from './helpers';

const A = 'envoyfilter.EnvoyPatchAnalyzer';
const ef = (name: string, configPatches: any[], extra: any = {}) => istio('EnvoyFilter', name, 'shop', { configPatches, ...extra });
const patch = (applyTo: string, operation: string, extra: any = {}) => ({ applyTo, patch: { operation, value: { name: 'envoy.lua' } }, ...extra });

describe('envoyfilter.EnvoyPatchAnalyzer', () => {
  test('IST0153 / IST0154: ADD and REMOVE on route configuration are ignored', () => {
    expect(findings(A, [ef('add', [patch('HTTP_ROUTE', 'ADD')]), ef('remove', [patch('ROUTE_CONFIGURATION', 'REMOVE')])])).toEqual([
      'IST0153 error EnvoyFilter shop/add spec.configPatches[0].patch.operation',
      'IST0154 error EnvoyFilter shop/remove spec.configPatches[0].patch.operation',
    ]);
  });
  test('IST0152: REPLACE outside HTTP_FILTER, NETWORK_FILTER and VIRTUAL_HOST', () => {
    expect(findings(A, [ef('replace', [patch('CLUSTER', 'REPLACE')], { priority: 10 })])).toEqual([
      'IST0152 error EnvoyFilter shop/replace spec.configPatches[0].applyTo',
    ]);
  });
  test('IST0151: a relative operation without priority, once per EnvoyFilter (Istio\'s message has no arguments)', () => {
    expect(findings(A, [ef('rel', [patch('HTTP_FILTER', 'INSERT_BEFORE'), patch('NETWORK_FILTER', 'REPLACE'), patch('LISTENER', 'REMOVE')])])).toEqual([
      'IST0151 warning EnvoyFilter shop/rel spec.configPatches[0].patch.operation',
    ]);
  });
  test('IST0155: a relative operation on a filter an earlier EnvoyFilter patches under a proxyVersion match', () => {
    const versioned = ef('versioned', [patch('HTTP_FILTER', 'INSERT_FIRST', { match: { proxy: { proxyVersion: '^1\\.11.*' } } })]);
    expect(findings(A, [versioned, ef('later', [patch('HTTP_FILTER', 'INSERT_AFTER')])])).toEqual([
      'IST0155 warning EnvoyFilter shop/later spec.configPatches[0].patch.operation',
    ]);
  });
  test('near miss: absolute operations, a priority, VIRTUAL_HOST REPLACE with a priority, MERGE', () => {
    expect(findings(A, [
      ef('abs', [patch('HTTP_FILTER', 'INSERT_FIRST'), patch('CLUSTER', 'ADD'), patch('CLUSTER', 'MERGE')]),
      ef('prio', [patch('HTTP_FILTER', 'INSERT_BEFORE'), patch('VIRTUAL_HOST', 'REPLACE')], { priority: -1 }),
    ])).toEqual([]);
  });
  test('a patch without a patch section ends the analysis of that EnvoyFilter, as in Istio', () => {
    expect(findings(A, [ef('stop', [{ applyTo: 'HTTP_FILTER' }, patch('HTTP_ROUTE', 'ADD')])])).toEqual([]);
  });
});
