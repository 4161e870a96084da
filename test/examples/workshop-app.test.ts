import { Testing } from 'cdk8s';
import { build } from '../../examples/workshop-app/main';
import { synth } from '../util';

test('examples/workshop-app synthesizes the reviewed manifests', () => {
  const chart = build(Testing.app());
  expect(synth(chart)).toMatchSnapshot();
});
