import { CASES, checkCase } from '../../scripts/conformance/behaviour-cases';

test.each(CASES.map(c => [c.name, c] as const))('%s', (_name, c) => {
  expect(checkCase(c)).toEqual([]);
});
