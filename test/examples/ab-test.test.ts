import { Testing } from 'cdk8s';
import { build } from '../../examples/ab-test/main';
import { IstioAnalysis } from '../../src';
import { synth } from '../util';

test('examples/ab-test synthesizes the reviewed manifests, with no analysis findings', () => {
  const manifests = synth(build(Testing.app()));
  expect(IstioAnalysis.analyze(manifests)).toEqual([]);
  expect(manifests).toMatchSnapshot();
});
