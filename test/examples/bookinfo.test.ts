import { Testing } from 'cdk8s';
import { build } from '../../examples/bookinfo/main';
import { synth } from '../util';

test('examples/bookinfo synthesizes the reviewed manifests', () => {
  const chart = build(Testing.app());
  expect(synth(chart)).toMatchSnapshot();
});
