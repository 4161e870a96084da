import { Testing } from 'cdk8s';
import { build } from '../../examples/egress-and-observability/main';
import { synth } from '../util';

test('examples/egress-and-observability synthesizes the reviewed manifests', () => {
  const [mesh, workshop] = build(Testing.app());
  expect({ mesh: synth(mesh), workshop: synth(workshop) }).toMatchSnapshot();
});
