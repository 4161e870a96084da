import { IstioAnalysis } from '../src';
import { CASES } from '/tmp/vs-cases';
test('print', () => {
  const out: string[] = [];
  for (const [title, spec] of CASES) {
    const obj = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'vs', namespace: 'shop' }, spec };
    out.push(`## ${title}`);
    for (const d of IstioAnalysis.analyze([obj])) out.push(`  ${d.level} ${d.code} ${d.message}`);
  }
  console.log(out.join('\n'));
});
