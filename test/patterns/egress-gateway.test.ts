import { EgressGateway, EgressMode, Host, WorkloadSelector } from '../../src';
import { chartIn, ofKind, synth } from '../util';

describe('EgressGateway', () => {
  test.each([EgressMode.HTTP, EgressMode.TLS_PASSTHROUGH, EgressMode.TLS_ORIGINATION])('%s renders the egress-gateway task\'s resources', mode => {
    const { chart } = chartIn('shop');
    new EgressGateway(chart, 'cnn', { host: 'edition.cnn.com', mode });
    expect(synth(chart)).toMatchSnapshot();
  });

  test('defaults to TLS passthrough; the gateway selector, Service and names can be changed', () => {
    const { chart } = chartIn('shop');
    const egw = new EgressGateway(chart, 'gh', {
      host: 'api.github.com',
      gatewaySelector: WorkloadSelector.labels({ app: 'my-egress' }),
      gatewayService: Host.fromName('my-egress', { namespace: 'egress' }),
      namePrefix: 'github',
    });
    const m = synth(chart);
    expect(ofKind(m, 'Gateway')[0].spec.selector).toEqual({ app: 'my-egress' });
    expect(ofKind(m, 'DestinationRule')[0].spec.host).toBe('my-egress.egress.svc.cluster.local');
    expect(m.map(o => o.metadata.name)).toEqual(['github-external', 'github-egress', 'github-via-egress-gateway', 'github-through-egress-gateway']);
    expect(egw.originationDestinationRule).toBeUndefined();
    expect(egw.virtualService.name).toBe('github-through-egress-gateway');
  });
});
