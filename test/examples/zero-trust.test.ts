import { Testing } from 'cdk8s';
import { build } from '../../examples/zero-trust/main';
import { synth } from '../util';

test('examples/zero-trust synthesizes the reviewed manifests', () => {
  const charts = build(Testing.app());
  expect(charts.map(chart => synth(chart))).toMatchSnapshot();
});
