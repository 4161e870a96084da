import { Testing } from 'cdk8s';
import { build } from '../../examples/canary/main';
import { IstioAnalysis } from '../../src';
import { synth } from '../util';

test('examples/canary synthesizes the reviewed manifests, with no analysis findings', () => {
  const manifests = synth(build(Testing.app()));
  expect(IstioAnalysis.analyze(manifests)).toEqual([]);
  expect(manifests).toMatchSnapshot();
});

test('moving the canary on changes only the two weights', () => {
  const split = (w: number) => synth(build(Testing.app(), w)).find(m => m.kind === 'VirtualService').spec.http[1].route.map((r: any) => r.weight);
  expect([10, 50, 100].map(split)).toEqual([[90, 10], [50, 50], [0, 100]]);
});
