import { Testing } from 'cdk8s';
import { build } from '../../examples/gateway-api/main';
import { synth } from '../util';

test('examples/gateway-api synthesizes the reviewed manifests', () => {
  const chart = build(Testing.app());
  expect(synth(chart)).toMatchSnapshot();
});
