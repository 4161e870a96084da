import { Testing } from 'cdk8s';
import { build } from '../../examples/ambient/main';
import { IstioAnalysis } from '../../src';
import { synth } from '../util';

test('examples/ambient synthesizes the reviewed manifests', () => {
  const charts = build(Testing.app());
  expect(charts.map(chart => synth(chart))).toMatchSnapshot();
});

test('examples/ambient is clean for the analysis as complete input, ambient analyzers included', () => {
  const [chart] = build(Testing.app());
  const findings = IstioAnalysis.analyze(synth(chart), { complete: true });
  expect(findings.map(d => `${d.code} ${d.kind}/${d.name}`)).toEqual([]);
});
