// The input as the whole cluster (`complete`, the CLI's default) versus references not guessed (synth's default),
// and what cross-resource analyzers see of objects with schema errors.
import { ApiObject, Chart, Testing } from 'cdk8s';
import { findings, istio, svc } from './helpers';
import { IstioAnalysis } from '../../../src';
import { ANALYZERS } from '../../../src/analysis/analyzers';
import { runAnalysis } from '../../../src/analysis/engine';
import { schemaRule } from '../../../src/analysis/schema';

const reviews = svc('reviews', 'shop', [{ name: 'http', port: 9080 }]);
const toSubset = istio('VirtualService', 'reviews', 'shop', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] });
const viaGateway = istio('VirtualService', 'web', 'shop', { hosts: ['shop.example.com'], gateways: ['edge/public'], http: [{ route: [{ destination: { host: 'reviews' } }] }] });

describe('a DestinationRule or Gateway the input lacks', () => {
  test('complete: IST0101 for the subset of a host without DestinationRule, and for the missing gateway', () => {
    expect(findings('virtualservice.DestinationRuleAnalyzer', [reviews, toSubset], { complete: true })).toEqual([
      'IST0101 error VirtualService shop/reviews spec.http[0].route[0].destination.subset',
    ]);
    expect(findings('virtualservice.GatewayAnalyzer', [reviews, viaGateway], { complete: true })).toEqual([
      'IST0101 error VirtualService shop/web spec.gateways[0]',
      'IST0132 warning VirtualService shop/web spec.gateways[0]',
    ]);
  });
  test('partial (default): not guessed', () => {
    expect(findings('virtualservice.DestinationRuleAnalyzer', [reviews, toSubset])).toEqual([]);
    expect(findings('virtualservice.GatewayAnalyzer', [reviews, viaGateway])).toEqual([]);
  });
  test('complete, with the objects declared as existing elsewhere: not reported', () => {
    expect(findings('virtualservice.DestinationRuleAnalyzer', [reviews, toSubset], { complete: true, declaredHosts: ['reviews'] })).toEqual([]);
    expect(findings('virtualservice.GatewayAnalyzer', [reviews, viaGateway], { complete: true, declaredNamespaces: ['edge'] })).toEqual([]);
  });
});

describe('objects with schema errors', () => {
  test('cross-resource analyzers still see them: a bad field elsewhere does not hide a missing host', () => {
    // `timeout: 5` is a schema error (a duration string is required); the destination host is well formed.
    const vs = istio('VirtualService', 'r', 'shop', { hosts: ['r'], http: [{ timeout: 5, route: [{ destination: { host: 'nowhere' } }] }] });
    const host = ANALYZERS.find(a => a.name === 'virtualservice.DestinationHostAnalyzer')!;
    const out = runAnalysis([{ object: vs }, { object: reviews }], { complete: true }, schemaRule, [], [host]).map(d => `${d.code} ${d.field}`);
    expect(out).toEqual(['IST0106 spec.http[0].timeout', 'IST0101 spec.http[0].route[0].destination.host']);
  });
  test('an ill-typed part is skipped by the analyzer that reads it, without a second finding', () => {
    const vs = istio('VirtualService', 'r', 'shop', { hosts: ['r'], http: [{ route: [{ destination: { host: 42 } }] }] });
    expect(findings('virtualservice.DestinationRuleAnalyzer', [vs, reviews], { complete: true })).toEqual([]);
    expect(findings('virtualservice.DestinationHostAnalyzer', [vs, reviews], { complete: true })).toEqual([]);
  });
});

describe('IstioAnalysis.complete() at synth', () => {
  const build = () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new ApiObject(chart, 'svc', reviews);
    new ApiObject(chart, 'vs', toSubset);
    return app;
  };
  test('by default a subset of a host whose DestinationRule is not in the app is not guessed', () => {
    const app = build();
    IstioAnalysis.of(app);
    app.synth();
    expect(IstioAnalysis.of(app).diagnostics.map(d => d.code)).toEqual([]);
  });
  test('complete(): the app is the whole cluster, so the missing subset fails synth', () => {
    const app = build();
    IstioAnalysis.of(app).complete();
    expect(() => app.synth()).toThrow('[shop/vs] IST0101 Referenced host+subset in destinationrule not found: "reviews+v1". VirtualService.spec.http[0].route[0].destination.subset: no DestinationRule in the analysed manifests defines subset "v1" for host "reviews" (got "reviews+v1"; add the subset to the DestinationRule of that host)');
  });
});
