// Property: whatever weights a user gives, they reach the manifest exactly (explicit zeros included), and
// synth fails exactly when the weights cannot send traffic anywhere.
import * as fc from 'fast-check';
import { Host, HttpMatch, RouteDestination, StringMatch, VirtualService } from '../../src';
import { chartIn, ofKind, synth, synthError } from '../util';

describe('route weights (property)', () => {
  test('weights render unchanged; all-zero weights always fail synth', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 6 }), weights => {
      const { chart } = chartIn('p');
      const vs = new VirtualService(chart, 'vs', { hosts: [Host.fromName('svc')] });
      vs.addHttpRoute('split', { to: weights.map((w, i) => RouteDestination.to(Host.fromName(`svc-v${i}`), { weight: w })) });
      if (weights.every(w => w === 0)) {
        expect(synthError(chart)).toContain('VirtualService.spec.http[0].route: every destination of route "split" has weight 0');
      } else {
        const route = ofKind(synth(chart), 'VirtualService')[0].spec.http[0].route;
        expect(route.map((r: any) => r.weight)).toEqual(weights);
      }
    }), { numRuns: 200 });
  });

  test('header matches render every name and value unchanged', () => {
    const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/);
    fc.assert(fc.property(fc.dictionary(token, fc.string({ minLength: 1, maxLength: 20 }), { minKeys: 1, maxKeys: 5 }), headers => {
      const { chart } = chartIn('p');
      const match = Object.entries(headers).reduce((m, [k, v]) => m.and({ headers: { [k]: StringMatch.exact(v) } }), HttpMatch.uri(StringMatch.prefix('/')));
      new VirtualService(chart, 'vs', { hosts: [Host.fromName('svc')] }).addHttpRoute('r', { match: [match], to: [RouteDestination.to(Host.fromName('svc'))] });
      const rendered = ofKind(synth(chart), 'VirtualService')[0].spec.http[0].match[0].headers;
      expect(rendered).toEqual(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, { exact: v }])));
    }), { numRuns: 100 });
  });
});
