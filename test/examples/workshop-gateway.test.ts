import { Testing } from 'cdk8s';
import { build } from '../../examples/workshop-gateway/main';
import { synth } from '../util';

test('examples/workshop-gateway synthesizes the reviewed manifests', () => {
  const chart = build(Testing.app());
  expect(synth(chart)).toMatchSnapshot();
});
