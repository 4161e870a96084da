// services.MultiClusterServiceAnalyzer (IST0170): istiod merges the Services of one namespace/name from every
// cluster, so they must agree. The port comparison cases are Istio's own (multicluster/service_test.go).
import { ANALYZERS } from '../../../src/analysis/analyzers';
import { Diagnostic } from '../../../src/analysis/diagnostic';
import { ManifestEntry, ObjectRule, runAnalysis } from '../../../src/analysis/engine';
import { AnalysisOptions } from '../../../src/analysis/options';
import { CROSS_RULES, OBJECT_RULES } from '../../../src/analysis/rules';
import { schemaRule } from '../../../src/analysis/schema';

const noSchema: ObjectRule = { kinds: [], check: () => undefined };
const analyzer = ANALYZERS.find(a => a.name === 'services.MultiClusterServiceAnalyzer')!;

const service = (spec: any, name = 'reviews', namespace = 'shop', extra: any = {}) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, ...(namespace ? { namespace } : {}), ...extra }, spec: { selector: { app: name }, ...spec },
});

/** The IST0170 findings, `<message> @ <cluster or primary>/<name> <field>`, of a run over the given clusters. */
function mc(primary: any[], clusters: AnalysisOptions['clusters']): string[] {
  return runAnalysis(primary.map(object => ({ object })), { clusters }, noSchema, [], [analyzer])
    .map(d => `${d.message} @ ${d.cluster ?? 'Kubernetes'}/${d.name} ${d.field}`);
}
const portsDiffer = (ports: any[], other: any[]) => mc([service({ ports })], { east: [service({ ports: other })] }).length > 0;

describe('services.MultiClusterServiceAnalyzer (IST0170)', () => {
  const TCP = 'TCP';
  test.each([
    ['both empty', [], [], false],
    ['identical single port', [{ name: 'http', port: 80, protocol: TCP }], [{ name: 'http', port: 80, protocol: TCP }], false],
    ['identical multiple ports', [{ name: 'http', port: 80, protocol: TCP }, { name: 'https', port: 443, protocol: TCP }], [{ name: 'http', port: 80, protocol: TCP }, { name: 'https', port: 443, protocol: TCP }], false],
    ['same ports different order', [{ name: 'https', port: 443, protocol: TCP }, { name: 'http', port: 80, protocol: TCP }], [{ name: 'http', port: 80, protocol: TCP }, { name: 'https', port: 443, protocol: TCP }], false],
    ['different port numbers', [{ name: 'http', port: 80, protocol: TCP }], [{ name: 'http', port: 8080, protocol: TCP }], true],
    ['different port names', [{ name: 'http', port: 80, protocol: TCP }], [{ name: 'web', port: 80, protocol: TCP }], true],
    ['different protocols', [{ name: 'dns', port: 53, protocol: TCP }], [{ name: 'dns', port: 53, protocol: 'UDP' }], true],
    ['different number of ports', [{ name: 'http', port: 80, protocol: TCP }], [{ name: 'http', port: 80, protocol: TCP }, { name: 'https', port: 443, protocol: TCP }], true],
    ['one empty', [{ name: 'http', port: 80, protocol: TCP }], [], true],
    ['with target port', [{ name: 'http', port: 80, targetPort: 8080, protocol: TCP }], [{ name: 'http', port: 80, targetPort: 8080, protocol: TCP }], false],
    ['different target port', [{ name: 'http', port: 80, targetPort: 8080, protocol: TCP }], [{ name: 'http', port: 80, targetPort: 9090, protocol: TCP }], true],
    ['different appProtocol', [{ name: 'web', port: 80, appProtocol: 'http' }], [{ name: 'web', port: 80, appProtocol: 'http2' }], true],
  ])('ports, as Istio compares them: %s', (_, a, b, differ) => {
    expect(portsDiffer(a, b)).toBe(differ);
  });

  test('what the API server defaults (protocol TCP, targetPort = port, type ClusterIP) is the same whether written or left out', () => {
    const written = service({ type: 'ClusterIP', ports: [{ name: 'http', port: 9080, protocol: 'TCP', targetPort: 9080 }] });
    const omitted = service({ ports: [{ name: 'http', port: 9080 }] });
    expect(mc([written], { east: [omitted] })).toEqual([]);
  });

  test('the message is Istio\'s, with the clusters that differ from the first one and the first, sorted, and the reasons sorted', () => {
    const ports = [{ name: 'http', port: 9080 }];
    expect(mc([service({ ports })], {
      west: [service({ ports })],
      east: [service({ ports: [{ name: 'http', port: 9081 }] })],
      north: [service({ ports, type: 'NodePort' })],
    })).toEqual([
      'The service reviews in namespace "shop" is inconsistent across clusters ["Kubernetes" "east" "north"], which can lead to undefined behaviors. '
      + 'The inconsistent behaviors are: service ports are inconsistent; service type is inconsistent. @ Kubernetes/reviews spec',
    ]);
  });

  test('headless in one cluster and not in another names every cluster, and the field says what differs', () => {
    const ports = [{ name: 'http', port: 9080 }];
    expect(mc([service({ ports })], { east: [service({ ports })], west: [service({ ports, clusterIP: 'None' })] })).toEqual([
      'The service reviews in namespace "shop" is inconsistent across clusters ["Kubernetes" "east" "west"], which can lead to undefined behaviors. '
      + 'The inconsistent behaviors are: service has mixed mode like headless and clusterIP. @ Kubernetes/reviews spec',
    ]);
    expect(mc([service({ ports })], { east: [service({ ports, type: 'NodePort' })] })).toEqual([
      'The service reviews in namespace "shop" is inconsistent across clusters ["Kubernetes" "east"], which can lead to undefined behaviors. '
      + 'The inconsistent behaviors are: service type is inconsistent. @ Kubernetes/reviews spec.type',
    ]);
  });

  test('reported on the first cluster\'s Service: another cluster\'s when the input lacks it, carrying that cluster', () => {
    const clusters = { east: [service({ ports: [{ name: 'http', port: 1 }] })], west: [service({ ports: [{ name: 'http', port: 2 }] })] };
    const d = runAnalysis([], { clusters }, noSchema, [], [analyzer]);
    expect(d.map(x => [x.code, x.level, x.cluster, x.name, x.namespace, x.field, x.detail, x.fix])).toEqual([[
      'IST0170', 'warning', 'east', 'reviews', 'shop', 'spec.ports',
      'Service.spec.ports: the Service shop/reviews differs across clusters east, west (service ports are inconsistent), and istiod merges them into one service',
      'define the Service alike in every cluster: the same type, the same ports (name, port, protocol, targetPort) and, in all or none, clusterIP: None',
    ]]);
  });

  test('near misses: one cluster only, a name one cluster defines, the same name in another namespace, the default namespace applied', () => {
    const a = service({ ports: [{ name: 'http', port: 1 }] });
    const b = service({ ports: [{ name: 'http', port: 2 }] });
    expect(mc([a, b], undefined)).toEqual([]);
    expect(mc([a], { east: [service({ ports: [] }, 'ratings')] })).toEqual([]);
    expect(mc([a], { east: [service({ ports: [{ name: 'http', port: 2 }] }, 'reviews', 'books')] })).toEqual([]);
    expect(mc([service({ ports: [{ name: 'http', port: 1 }] }, 'reviews', '')], { east: [service({ ports: [{ name: 'http', port: 2 }] }, 'reviews', 'default')] })).toHaveLength(1);
  });

  test('the analyze-suppress annotation on the reported Service, or the code, silences it', () => {
    const quiet = service({ ports: [{ name: 'http', port: 1 }] }, 'reviews', 'shop', { annotations: { 'galley.istio.io/analyze-suppress': 'IST0170' } });
    expect(mc([quiet], { east: [service({ ports: [] })] })).toEqual([]);
    const options = { suppress: ['IST0170'], clusters: { east: [quiet] } };
    expect(runAnalysis([{ object: service({ ports: [] }) }], options, noSchema, [], [analyzer])).toEqual([]);
  });
});

describe('several clusters in one run', () => {
  const vs = (host: string) => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'r', namespace: 'shop' },
    spec: { hosts: [host], http: [{ route: [{ destination: { host } }] }] },
  });
  const all = (entries: ManifestEntry[], options: AnalysisOptions = {}): Diagnostic[] =>
    runAnalysis(entries, { complete: true, ...options }, schemaRule, OBJECT_RULES, CROSS_RULES);

  test('each cluster is a world of its own: a reference resolves within its cluster only, and one resource per cluster is not a redefinition', () => {
    const reviews = service({ ports: [{ name: 'http', port: 9080 }] });
    const found = all([{ object: reviews }, { object: vs('reviews') }, { object: vs('reviews'), cluster: 'east' }]);
    expect(found.map(d => `${d.code} ${d.cluster ?? 'Kubernetes'} ${d.kind}/${d.name} ${d.field}`)).toEqual(['IST0101 east VirtualService/r spec.http[0].route[0].destination.host']);
  });

  test('the other clusters\' objects get the per-object checks too, and say which cluster they are in', () => {
    const bad = { ...vs('reviews'), metadata: { name: 'Bad_Name', namespace: 'shop' } };
    const found = all([], { clusters: { east: [bad] } });
    expect(found.filter(d => d.field === 'metadata.name').map(d => `${d.code} ${d.cluster}`)).toEqual(['IST0106 east']);
  });
});
