import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { IstioAnalysis, IstioValidation } from '../../src';
import { main } from '../../src/analysis/cli';
import { synthError } from '../util';

// A route to a Gateway none of the analysed manifests define: the "not found" hint names the escape hatch of the
// entry point the analysis runs in (EngineOptions.runsIn), so each one tells the user what they can actually do.
const route = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'r', namespace: 'shop' },
  spec: { parentRefs: [{ name: 'missing' }], rules: [{ backendRefs: [] }] },
};

const FIRST = 'IST0101 Referenced parentRef Gateway not found: "shop/missing". HTTPRoute.spec.parentRefs[0].name: parentRef names Gateway shop/missing, which is not in the analysed manifests, so istiod accepts the route nowhere (got "missing"; ';

describe('the "not found" hint per entry point (EngineOptions.runsIn)', () => {
  test('app (synth): declare it on IstioAnalysis', () => {
    const app = Testing.app();
    // complete(): only an app that is the whole cluster reports a missing Gateway at all.
    IstioAnalysis.of(app).complete();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new ApiObject(chart, 'r', route);
    expect(synthError(chart)).toBe('Validation failed with the following errors:\n  [shop/r] ' + FIRST +
      'if it exists outside these manifests, declare it (IstioAnalysis.of(app).declareHosts / declareNamespaces))');
  });

  test('cli: analyse it with the files, declare it with flags, or --partial', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-hint-'));
    const file = path.join(dir, 'route.json');
    fs.writeFileSync(file, JSON.stringify(route));
    let out = '';
    main(['analyze', '-o', 'json', file], s => { out += s; }, () => undefined, () => '');
    fs.rmSync(dir, { recursive: true, force: true });
    expect(JSON.parse(out).map((d: any) => `${d.code} ${d.message}: ${d.fix}`)).toEqual([
      'IST0101 Referenced parentRef Gateway not found: "shop/missing": if it exists outside these files, analyse it with them, declare it (--declare-hosts / --declare-namespaces), or pass --partial',
    ]);
  });

  test('plugin: declare it on the IstioValidation plugin', async () => {
    const violations: any[] = [];
    await new IstioValidation({ complete: true }).validate({
      manifests: ['dist/shop.k8s.yaml'],
      parseManifest: () => [route],
      logger: { log: () => undefined },
      report: { addViolation: (v: any) => violations.push(v), submit: () => undefined },
    } as any);
    expect(violations.map(v => `${v.ruleName} ${v.recommendation}`)).toEqual([FIRST +
      'if it exists outside these manifests, declare it (the declaredHosts / declaredNamespaces properties of the IstioValidation plugin))']);
  });
});
