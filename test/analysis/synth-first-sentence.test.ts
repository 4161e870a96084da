import { ApiObject, Chart, Testing } from 'cdk8s';
import { IstioAnalysis } from '../../src';
import { MESSAGES_BY_CODE } from '../../src/analysis/messages';
import { synthErrors } from '../util';

/** A catalog template as a pattern: each Go verb matches any filled value (`%q` a quoted one). */
function templatePattern(template: string): RegExp {
  const parts = template.split(/(%[svdq])/);
  const body = parts.map(p => p === '%q' ? '"[^"]*"' : /^%[svd]$/.test(p) ? '.+?' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('');
  return new RegExp(`^${body}`);
}

const vs = (name: string, spec: any) => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name }, spec });

describe('synth messages lead with Istio\'s template for the code (issue #11 item 6)', () => {
  test('every IST code the fixtures raise at synth starts with its catalog template, filled', () => {
    const app = Testing.app();
    IstioAnalysis.of(app).complete().failOnWarnings();
    const chart = new Chart(app, 'c', { namespace: 'shop' });
    new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio-injection': 'enabled', 'istio.io/rev': 'canary' } } });
    new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews' }, spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080 }, { name: 'grpc', port: 9090 }] } });
    new ApiObject(chart, 'gw', { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw' }, spec: { servers: [] } });
    new ApiObject(chart, 'a', vs('a', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1', port: { number: 9080 } } }] }] }));
    new ApiObject(chart, 'b', vs('b', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }] }, { route: [{ destination: { host: 'reviews', port: { number: 9080 } } }] }] }));
    const lines = synthErrors(chart);
    const codes = [...new Set(lines.map(l => /^\[[^\]]+\] (\S+)/.exec(l)![1]))].sort();
    expect(codes).toEqual(['IST0101', 'IST0106', 'IST0109', 'IST0112', 'IST0123', 'IST0130']);
    for (const line of lines) {
      const [, code, text] = /^\[[^\]]+\] (\S+) (.*)$/.exec(line)!;
      expect({ line, leads: templatePattern(MESSAGES_BY_CODE.get(code)!.template).test(text) }).toEqual({ line, leads: true });
    }
  });
});
