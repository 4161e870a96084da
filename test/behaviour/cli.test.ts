import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { service, subsets } from './util';
import { build as canary } from '../../examples/canary/main';
import { build as zeroTrust } from '../../examples/zero-trust/main';
import { AuthorizationPolicy, Operation, Principal, Source, WorkloadSelector } from '../../src';
import { authz, diff, explain, graph } from '../../src/behaviour/cli';
import { dotToSvg } from '../../src/behaviour/svg';
import { synth } from '../util';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'behaviour-cli-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
};
const synthCanary = (weight: number) => write(`canary-${weight}/all.yaml`, synth(canary(Testing.app(), weight)).map(o => stringify(o)).join('---\n'));

const BOOK = write('book.yaml', service('reviews', 'shop', 9080, ['v1', 'v2']) + '---' + subsets('reviews', 'shop', ['v1', 'v2']) + `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews]
  http:
  - { name: jason, match: [{ headers: { end-user: { exact: jason } } }], route: [{ destination: { host: reviews, subset: v2 } }] }
  - { name: rest, timeout: 5s, route: [{ destination: { host: reviews, subset: v1 }, weight: 80 }, { destination: { host: reviews, subset: v2 }, weight: 20 }] }
`);

describe('on Istio\'s bookinfo sample files, as published', () => {
  const sample = (...p: string[]) => path.join(__dirname, '..', '..', '..', 'shared', 'istio', 'samples', 'bookinfo', ...p);
  const files = [sample('platform', 'kube', 'bookinfo.yaml'), sample('networking', 'destination-rule-all.yaml'), sample('networking', 'virtual-service-reviews-jason-v2-v3.yaml')];
  test('explain: jason reaches v2 from productpage, in the namespace the files leave to -n', () => {
    const r = explain([...files, '--request', 'GET http://reviews:9080/reviews/0', '-H', 'end-user: jason', '--from', 'default/productpage-v1', '-o', 'json']);
    const j = JSON.parse(r.stdout);
    expect([r.exitCode, j.proxy, j.virtualHost, j.clusters]).toEqual([0, 'sidecar of Deployment default/productpage-v1', 'reviews.default.svc.cluster.local:9080', [
      { cluster: 'outbound|9080|v2|reviews.default.svc.cluster.local', weight: 100 },
    ]]);
  });
  test('authz: no AuthorizationPolicy in the sample, so ALLOW', () => {
    expect(authz([...files, '--from', 'cluster.local/ns/default/sa/bookinfo-productpage', '--to', 'default/reviews-v3', '--request', 'GET http://reviews:9080/'])).toEqual({
      exitCode: 0, stdout: 'ALLOW no ALLOW policy applies to default/reviews-v3 and none denies: cluster.local/ns/default/sa/bookinfo-productpage GET / is allowed\n',
    });
  });
  test('graph: the two unnamed routes of reviews, to v2 and v3, and the Deployments behind them', () => {
    expect(graph([...files, '-o', 'dot']).stdout).toBe([
      'digraph mesh {',
      '  rankdir=LR;',
      '  n0 [label="reviews.default.svc.cluster.local:9080", shape=box];',
      '  n1 [label="outbound|9080|v2|reviews.default.svc.cluster.local", shape=ellipse];',
      '  n2 [label="outbound|9080|v3|reviews.default.svc.cluster.local", shape=ellipse];',
      '  n3 [label="Deployment default/reviews-v2", shape=component];',
      '  n4 [label="Deployment default/reviews-v3", shape=component];',
      '  n0 -> n1 [label="route 100%"];',
      '  n0 -> n2 [label="route 100%"];',
      '  n1 -> n3;',
      '  n2 -> n4;',
      '}',
      '',
    ].join('\n'));
  });
});

describe('explain', () => {
  test('text names the virtual host, route, clusters and the deciding rule', () => {
    expect(explain([BOOK, '--request', 'GET http://reviews.shop:9080/r', '-H', 'end-user: jason'])).toEqual({
      exitCode: 0,
      stdout: [
        'proxy: sidecar in shop',
        'listener: 0.0.0.0_9080',
        'virtual host: reviews.shop.svc.cluster.local:9080',
        'route: jason',
        'decided by: VirtualService shop/reviews spec.http[0] (jason)',
        'cluster: outbound|9080|v2|reviews.shop.svc.cluster.local 100% (tls ISTIO_MUTUAL by auto mTLS, lb LEAST_REQUEST; DestinationRule shop/reviews)',
        'why: VirtualService shop/reviews spec.http[0] (jason) matches and sends outbound|9080|v2|reviews.shop.svc.cluster.local 100%',
        '',
      ].join('\n'),
    });
  });

  test('json carries weights adding to 100 and the applied timeout', () => {
    const r = explain([BOOK, '--request', 'GET http://reviews.shop/', '--from', 'shop/reviews-v1', '-o', 'json']);
    const j = JSON.parse(r.stdout);
    expect([r.exitCode, j.virtualHost, j.route, j.clusters, j.error, j.decidedBy, j.timeout]).toEqual([0, 'reviews.shop.svc.cluster.local:9080', 'rest', [
      { cluster: 'outbound|9080|v1|reviews.shop.svc.cluster.local', weight: 80 },
      { cluster: 'outbound|9080|v2|reviews.shop.svc.cluster.local', weight: 20 },
    ], undefined, { kind: 'VirtualService', namespace: 'shop', name: 'reviews', rule: 1 }, '5s']);
  });

  test('an unknown host passes through, saying it is not in the registry', () => {
    const r = explain([BOOK, '--request', 'GET http://nope.shop/', '-o', 'json']);
    expect([r.exitCode, JSON.parse(r.stdout).clusters, JSON.parse(r.stdout).notes]).toEqual([0, [{ cluster: 'PassthroughCluster', weight: 100 }], ['nope.shop is not a Service or ServiceEntry visible to the sidecar in shop']]);
  });

  test('errors: malformed request, unknown workload, unreadable file, objects Istio rejects', () => {
    expect(explain([BOOK, '--request', 'reviews'])).toMatchObject({ exitCode: 2, stdout: expect.stringMatching(/^cdk8s-istio explain: --request must be 'METHOD URL', e.g. 'GET http:\/\/reviews:9080\/reviews\/1' \(got 'reviews'\)\n/) });
    expect(explain([BOOK, '--request', 'GET http://reviews.shop/', '--from', 'shop/nope']).stdout).toBe("cdk8s-istio explain: MeshModel.route: fromWorkload 'shop/nope' is not a workload of the input (write namespace/name of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod)\n");
    expect(explain([path.join(dir, 'missing.yaml'), '--request', 'GET http://a/']).stdout.split('\n')[0]).toBe(`cdk8s-istio explain: ${path.join(dir, 'missing.yaml')}: no such file or directory`);
    const bad = write('bad.yaml', 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: x, namespace: shop }\nspec: { hosts: [x], http: [{ route: [{ destination: { host: x } }], timeout: soon }] }\n');
    const r = explain([bad, '--request', 'GET http://x.shop/']);
    expect([r.exitCode, r.stdout.split('\n')[0]]).toEqual([2, 'cdk8s-istio explain: the input has 1 error(s) Istio would reject; fix them first (cdk8s-istio analyze lists them):']);
    expect(explain([BOOK, '--request', 'GET http://reviews.shop/', '-o', 'yaml']).stdout.split('\n')[0]).toBe('cdk8s-istio explain: -o must be one of text, json (got yaml)');
  });

  test('a route no rule matches exits 1 with Istio\'s error', () => {
    const gw = write('gw.yaml', 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: { name: gw, namespace: shop }\nspec: { selector: { istio: ingressgateway }, servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["*"] }] }\n');
    const r = explain([gw, '--request', 'GET http://shop.example.com/', '--gateway', 'shop/gw', '-o', 'json']);
    expect([r.exitCode, JSON.parse(r.stdout).error, JSON.parse(r.stdout).virtualHost]).toEqual([1, 'no route matched', 'blackhole:80']);
  });
});

describe('Gateway API', () => {
  const GWAPI = write('gwapi/all.yaml', service('reviews', 'shop', 9080, ['v1', 'v2']) + `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: web, namespace: shop }
spec: { gatewayClassName: istio, listeners: [{ name: http, port: 80, protocol: HTTP, hostname: shop.example.com }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: web, namespace: shop }
spec:
  parentRefs: [{ name: web }]
  rules:
  - name: old
    matches: [{ path: { type: PathPrefix, value: /old } }]
    filters: [{ type: RequestRedirect, requestRedirect: { path: { type: ReplacePrefixMatch, replacePrefixMatch: /new } } }]
  - backendRefs: [{ name: reviews, port: 9080 }]
    filters: [{ type: RequestHeaderModifier, requestHeaderModifier: { set: [{ name: x-via, value: web }] } }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
# Attached to nothing on purpose (the note explain prints); analysis reports it as CDK8SISTIO0301, suppressed here.
metadata: { name: lost, namespace: shop, annotations: { galley.istio.io/analyze-suppress: CDK8SISTIO0301 } }
spec:
  parentRefs: [{ name: web, sectionName: https }]
  rules: [{ backendRefs: [{ name: reviews, port: 9080 }] }]
`);
  test('explain --gateway on a Gateway API Gateway: the HTTPRoute rule, its filters, and a route attached to nothing', () => {
    expect(explain([GWAPI, '--request', 'GET http://shop.example.com/old/x?y=1', '--gateway', 'shop/web'])).toEqual({
      exitCode: 0,
      stdout: [
        'proxy: gateway shop/web',
        'listener: 0.0.0.0_80',
        'virtual host: shop.example.com:80',
        'route: old',
        'decided by: HTTPRoute shop/web spec.rules[0].matches[0] (old)',
        'redirect: 302 http://shop.example.com/new/x',
        'why: HTTPRoute shop/web spec.rules[0].matches[0] (old) redirects with 302 to http://shop.example.com/new/x',
        'note: HTTPRoute shop/lost spec.parentRefs[0]: the route is attached to nothing: Gateway shop/web has no listener named https',
        '',
      ].join('\n'),
    });
    const j = JSON.parse(explain([GWAPI, '--request', 'GET http://shop.example.com/', '--gateway', 'shop/web', '-o', 'json']).stdout);
    expect([j.route, j.clusters, j.requestHeaders, j.decidedBy]).toEqual(['shop.web.1', [{ cluster: 'outbound|9080||reviews.shop.svc.cluster.local', weight: 100 }],
      { set: { 'x-via': 'web' }, add: {}, remove: [] }, { kind: 'HTTPRoute', namespace: 'shop', name: 'web', rule: 1 }]);
  });
  test('errors: a host the listener does not take, an unknown gateway', () => {
    const r = explain([GWAPI, '--request', 'GET http://other.example.com/', '--gateway', 'shop/web', '-o', 'json']);
    expect([r.exitCode, JSON.parse(r.stdout).error]).toEqual([1, 'no virtual host matched']);
    expect(explain([GWAPI, '--request', 'GET http://shop.example.com/', '--gateway', 'shop/nope'])).toEqual({
      exitCode: 2,
      stdout: "cdk8s-istio explain: MeshModel.route: gateway 'shop/nope' is not an Istio Gateway or a Gateway API Gateway of an Istio class in the input (write namespace/name)\n",
    });
  });
  test('graph and diff include Gateway API routes', () => {
    expect(graph([GWAPI]).stdout).toContain('-->|"shop.web.1 100%"|');
    const changed = write('gwapi2/all.yaml', fs.readFileSync(GWAPI, 'utf-8').replace('  - backendRefs: [{ name: reviews, port: 9080 }]', '  - backendRefs: [{ name: reviews, port: 9080, weight: 1 }, { name: ratings, port: 9080, weight: 1 }]')
      + '---' + service('ratings', 'shop', 9080));
    const d = diff([GWAPI, changed]);
    expect([d.exitCode, d.stdout]).toEqual([1, 'route: gateway shop/web~istio-autogenerated-k8s-gateway~http shop.example.com:80 route shop.web.1: outbound|9080||reviews.shop.svc.cluster.local 100% -> outbound|9080||reviews.shop.svc.cluster.local 50%, outbound|9080||ratings.shop.svc.cluster.local 50% (HTTPRoute shop/web spec.rules[1])\n'
      + 'route: ratings.shop.svc.cluster.local:9080 route #1: (none) -> default [*] -> outbound|9080||ratings.shop.svc.cluster.local 100% ()\n']);
  });
});

describe('authz', () => {
  const policies = write('authz/all.yaml', service('reviews', 'shop', 9080) + `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: reviews-get, namespace: shop }
spec: { selector: { matchLabels: { app: reviews } }, rules: [{ from: [{ source: { principals: [cluster.local/ns/web/sa/front] } }], to: [{ operation: { methods: [GET] } }] }] }
`);
  test('the first word is the decision', () => {
    expect(authz([policies, '--from', 'cluster.local/ns/web/sa/front', '--to', 'shop/reviews-v1', '--request', 'GET http://reviews.shop:9080/'])).toEqual({
      exitCode: 0, stdout: 'ALLOW AuthorizationPolicy shop/reviews-get spec.rules[0] allows cluster.local/ns/web/sa/front GET /\n',
    });
    expect(authz([policies, '--from', 'ns/web', '--to', 'shop/reviews-v1', '--request', 'GET http://reviews.shop/']).stdout.split(' ')[0]).toBe('DENY');
  });
  test('json gives decision, policy and rule', () => {
    const r = authz([policies, '--from', 'cluster.local/ns/web/sa/front', '--to', 'shop/reviews-v1', '--request', 'DELETE http://reviews.shop/', '-o', 'json']);
    const j = JSON.parse(r.stdout);
    expect([r.exitCode, j.decision, j.policy, j.rule]).toEqual([1, 'DENY', null, null]);
  });
  test('a malformed principal is a usage error', () => {
    expect(authz([policies, '--from', 'frontend', '--to', 'shop/reviews-v1']).stdout.split('\n')[0]).toBe('cdk8s-istio authz: --from must be a principal (cluster.local/ns/NAMESPACE/sa/ACCOUNT) or ns/NAMESPACE (got frontend)');
  });
});

describe('diff', () => {
  test('the canary at weight 10 and at 50: the share change and nothing else', () => {
    expect(diff([synthCanary(10), synthCanary(50)])).toEqual({
      exitCode: 1,
      stdout: 'route: app.shop.svc.cluster.local:80 route split: outbound|80|stable|app.shop.svc.cluster.local 90%, outbound|80|canary|app.shop.svc.cluster.local 10% '
        + '-> outbound|80|stable|app.shop.svc.cluster.local 50%, outbound|80|canary|app.shop.svc.cluster.local 50% (VirtualService shop/app spec.http[1] (split))\n',
    });
  });
  test('no change exits 0', () => {
    expect(diff([synthCanary(10), synthCanary(10)])).toEqual({ exitCode: 0, stdout: 'no behaviour change\n' });
  });
  test('examples/zero-trust and a variant that lets the shop frontend GET too: that caller, and nothing else', () => {
    const variant = (frontendToo: boolean) => {
      const app = Testing.app();
      const [, workshop] = zeroTrust(app);
      if (frontendToo) {
        new AuthorizationPolicy(workshop, 'get-from-frontend', {
          metadata: { name: 'workshop-app-frontend' },
          selector: WorkloadSelector.labels({ app: 'workshop-app' }),
          rules: [{ from: [Source.principals(Principal.forServiceAccount('frontend', { namespace: 'shop' }))], to: [Operation.methods('GET')] }],
        });
      }
      return write(`zero-trust-${frontendToo}/all.yaml`, synth(app.charts[0]).concat(synth(workshop)).map(o => stringify(o)).join('---\n'));
    };
    // The probe requests are GET / and a path of each policy's paths (/api/* of the ingress JWT rule).
    expect(diff([variant(false), variant(true)])).toEqual({
      exitCode: 1,
      stdout: 'authorization: workshop/workshop-app GET / from cluster.local/ns/shop/sa/frontend: DENY -> ALLOW (AuthorizationPolicy workshop/workshop-app-frontend spec.rules[0])\n'
        + 'authorization: workshop/workshop-app GET /api/x from cluster.local/ns/shop/sa/frontend: DENY -> ALLOW (AuthorizationPolicy workshop/workshop-app-frontend spec.rules[0])\n',
    });
  });
  test('two zero-trust variants: exactly the callers whose access changed, as Markdown', () => {
    const base = service('reviews', 'shop', 9080);
    const allow = (principals: string) => `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: reviews, namespace: shop }
spec: { selector: { matchLabels: { app: reviews } }, rules: [{ from: [{ source: { principals: [${principals}] } }] }] }
`;
    const a = write('zt-a/all.yaml', base + allow('cluster.local/ns/web/sa/front'));
    const b = write('zt-b/all.yaml', base + allow('cluster.local/ns/web/sa/front, cluster.local/ns/batch/sa/jobs'));
    expect(diff([a, b, '-o', 'markdown']).stdout).toBe([
      '### Behaviour changes (1)',
      '',
      '| | what | before | after | caused by |',
      '|---|---|---|---|---|',
      '| authorization | shop/reviews-v1 GET / from cluster.local/ns/batch/sa/jobs | DENY | ALLOW | AuthorizationPolicy shop/reviews spec.rules[0] |',
      '',
    ].join('\n'));
  });
});

describe('graph', () => {
  test('mermaid: hosts, routes with shares, workloads and authorization edges', () => {
    const g = graph([BOOK]).stdout;
    expect(g.split('\n').slice(0, 1)).toEqual(['flowchart LR']);
    expect(g).toContain('-->|"rest 80%"|');
    expect(g).toContain('[["Deployment shop/reviews-v2"]]');
  });
  test('dot', () => {
    const g = graph([BOOK, '-o', 'dot']).stdout;
    expect(g.split('\n')[0]).toBe('digraph mesh {');
    expect(g).toContain('[label="jason 100%"]');
  });
  test('svg: well-formed XML with a node per host, cluster and workload, laid out the same every time', () => {
    const r = graph([BOOK, '-o', 'svg']);
    expect(r.exitCode).toBe(0);
    const doc = parseDocument(r.stdout);
    expect(doc.errors).toEqual([]);
    const svg = doc.documentElement;
    expect(svg.nodeName).toBe('svg');
    const labels = [...doc.getElementsByTagName('g')].filter(g => g.getAttribute('class') === 'node')
      .map(g => [...g.getElementsByTagName('text')].map(t => t.textContent).join(' ')).sort();
    expect(labels).toEqual([
      'Deployment shop/reviews-v1',
      'Deployment shop/reviews-v2',
      'outbound|9080|v1|reviews.shop.svc.cluster.local',
      'outbound|9080|v2|reviews.shop.svc.cluster.local',
      'reviews.shop.svc.cluster.local:9080',
    ]);
    const edges = [...doc.getElementsByTagName('g')].filter(g => g.getAttribute('class') === 'edge')
      .map(g => [...g.getElementsByTagName('text')].map(t => t.textContent).join(' ')).filter(Boolean).sort();
    expect(edges).toEqual(['jason 100%', 'rest 20%', 'rest 80%']);
    expect(graph([BOOK, '-o', 'svg']).stdout).toBe(r.stdout);
  });
  test('a graph Graphviz cannot read is an error naming Graphviz and its message', () => {
    expect(() => dotToSvg('digraph { a -> }')).toThrow(/^graph: Graphviz \(@viz-js\/viz\) could not render the graph: .*syntax error/);
  });
  test('docs/canary-graph.svg is the svg of examples/canary at weight 10 as the README says', () => {
    expect(graph([synthCanary(10), '-o', 'svg']).stdout).toBe(fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'canary-graph.svg'), 'utf-8'));
  });
  test('an unknown output format is a usage error', () => {
    expect(graph([BOOK, '-o', 'png']).stdout.split('\n')[0]).toBe('cdk8s-istio graph: -o must be one of mermaid, dot, svg (got png)');
  });
});

/** A minimal XML parser for the SVG test: elements, attributes and text, and well-formedness errors. */
function parseDocument(xml: string) {
  interface El {
    nodeName: string;
    attrs: Record<string, string>;
    children: El[];
    text: string;
    textContent: string;
    getAttribute(n: string): string | undefined;
    getElementsByTagName(n: string): El[];
  }
  const errors: string[] = [];
  const mk = (nodeName: string, attrs: Record<string, string>): El => {
    const el: El = {
      nodeName,
      attrs,
      children: [],
      text: '',
      getAttribute: n => el.attrs[n],
      getElementsByTagName: n => el.children.flatMap(c => [...(c.nodeName === n ? [c] : []), ...c.getElementsByTagName(n)]),
      get textContent() { return el.text + el.children.map(c => c.textContent).join(''); },
    };
    return el;
  };
  const root = mk('#document', {});
  const stack: El[] = [root];
  const body = xml.replace(/<\?xml[^>]*\?>/, '').replace(/<!DOCTYPE[^>]*>/, '').replace(/<!--[\s\S]*?-->/g, '');
  const re = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  let m: RegExpExecArray | null;
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#(\d+);/g, (_, d) => String.fromCharCode(Number(d))).replace(/&amp;/g, '&');
  while ((m = re.exec(body))) {
    if (m[6]) { errors.push(`stray < at ${m.index}`); continue; }
    if (m[5] !== undefined) { stack[stack.length - 1].text += unescape(m[5].trim() ? m[5] : ''); continue; }
    if (m[1]) {
      const open = stack.pop()!;
      if (open.nodeName !== m[2]) errors.push(`</${m[2]}> closes <${open.nodeName}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of m[3].matchAll(/([\w:.-]+)\s*=\s*"([^"]*)"/g)) attrs[a[1]] = unescape(a[2]);
    const el = mk(m[2], attrs);
    stack[stack.length - 1].children.push(el);
    if (!m[4]) stack.push(el);
  }
  if (stack.length !== 1) errors.push(`${stack.length - 1} unclosed element(s)`);
  if (root.children.length !== 1) errors.push(`${root.children.length} root elements`);
  return { errors, documentElement: root.children[0], getElementsByTagName: (n: string) => root.getElementsByTagName(n) };
}
