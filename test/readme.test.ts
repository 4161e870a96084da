// The README's code, compiled and synthesized, so the first thing a user pastes keeps working.
// (scripts/consumer-check.sh runs the Quickstart's files and commands as a user would, from the packed tarball.)
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import * as ts from 'typescript';
import {
  ClientTls, DestinationRule, Fault, Gateway, GatewayServer, Host, HttpMatch, JwksSource, Operation, Percent, RetryOn, RouteDestination,
  ServerCertificate, Source, StringMatch, VirtualService, WorkloadSelector, ZeroTrustNamespace,
} from '../src';
import * as library from '../src';
import { synth, synthError } from './util';

const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const VERSION: string = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version;

/** The fenced block after `<!-- quickstart-file: NAME -->` (what consumer-check.sh writes to NAME). */
function quickstartFile(name: string): string {
  const m = new RegExp(`^<!-- quickstart-${name === 'commands' ? 'commands' : `file: ${name.replace('.', '\\.')}`} -->\n\`\`\`\\w*\n([\\s\\S]*?)^\`\`\`$`, 'm').exec(README);
  if (!m) throw new Error(`README.md has no Quickstart block for ${name}`);
  return m[1];
}

test("the Quickstart's main.ts, as written in the README, synthesizes one Gateway into dist/shop.k8s.yaml", () => {
  const js = ts.transpileModule(quickstartFile('main.ts'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'quickstart-'));
  const saved = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = outdir;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const requireAsUser = (id: string) => (id === 'cdk8s-istio' ? library : require(id));
    new Function('require', 'exports', js)(requireAsUser, {});
  } finally {
    if (saved === undefined) delete process.env.CDK8S_OUTDIR; else process.env.CDK8S_OUTDIR = saved;
  }
  const objects = Yaml.load(path.join(outdir, 'shop.k8s.yaml'));
  // The name is the constructs' default-naming rule, tested where it is defined; here: what the user wrote.
  expect(objects.map((o: any) => [o.apiVersion, o.kind, o.metadata.namespace, o.spec.servers.map((x: any) => `${x.port.protocol} ${x.hosts}`)]))
    .toEqual([['networking.istio.io/v1', 'Gateway', 'shop', ['HTTPS shop.example.com', 'HTTP shop.example.com']]]);
});

test("the Quickstart's package.json pins what works with ts-node (TypeScript below 7) and the library's own cdk8s", () => {
  const pkg = JSON.parse(quickstartFile('package.json'));
  const ours = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  expect(pkg.devDependencies.typescript).toMatch(/^[56]\.\d+\.\d+$/);
  expect(pkg.dependencies.cdk8s).toBe(ours.devDependencies.cdk8s);
  expect(pkg.dependencies.constructs).toBe(ours.devDependencies.constructs);
  expect(pkg.devDependencies['cdk8s-cli']).toBe(ours.devDependencies['cdk8s-cli']);
  expect(quickstartFile('commands')).toContain(`dist/js/cdk8s-istio@${VERSION}.jsii.tgz`);
});

test("the plugin snippet names the package's version (cdk8s-cli refuses any other)", () => {
  const versions = [...README.matchAll(/class: IstioValidation/g)].map(m => /version: (\S+)/.exec(README.slice(0, m.index).split('- package:').pop()!)?.[1]);
  expect(versions).toEqual([VERSION]);
});

test('Quickstart synthesizes, and its broken variant fails with the message the README shows', () => {
  const app = new App({ outdir: Testing.app().outdir });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new Gateway(chart, 'public', {
    selector: WorkloadSelector.labels({ istio: 'ingressgateway' }),
    servers: [
      GatewayServer.https({ hosts: ['shop.example.com'], certificate: ServerCertificate.fromSecret('shop-cert') }),
      GatewayServer.httpsRedirect({ hosts: ['shop.example.com'] }),
    ],
  });
  expect(synth(chart)).toHaveLength(1);

  const broken = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  new Gateway(broken, 'public', { servers: [GatewayServer.https({ hosts: ['shop.example.com'] })] });
  expect(synthError(broken)).toBe('Validation failed with the following errors:\n'
    + '  [shop/public] IST0106 Schema validation error: Gateway.spec.servers[0].tls: without credentialName(s), SIMPLE needs serverCertificate and privateKey '
    + '(got ["serverCertificate missing","privateKey missing"]; set credentialName to the Secret holding the certificate, or the missing file paths)');
});

test('Traffic management and zero-trust snippets synthesize', () => {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const reviewsService = new kplus.Service(chart, 'svc', { metadata: { name: 'reviews' }, ports: [{ port: 9080, name: 'http' }] });
  const reviews = new DestinationRule(chart, 'reviews', {
    host: Host.fromService(reviewsService),
    trafficPolicy: {
      tls: ClientTls.istioMutual(),
      connectionPool: { http: { http1MaxPendingRequests: 100 } },
      outlierDetection: { consecutive5xxErrors: 5, interval: Duration.seconds(10) },
    },
  });
  const v1 = reviews.addSubset('v1', { labels: { version: 'v1' } });
  const v2 = reviews.addSubset('v2', { labels: { version: 'v2' } });
  const vs = new VirtualService(chart, 'reviews-routes', { hosts: [Host.fromService(reviewsService)] });
  vs.addHttpRoute('jason', { match: [HttpMatch.header('end-user', StringMatch.exact('jason'))], to: [RouteDestination.to(v2)] });
  vs.addHttpRoute('split', {
    to: [RouteDestination.to(v1, { weight: 90 }), RouteDestination.to(v2, { weight: 10 })],
    timeout: Duration.seconds(10),
    retries: { attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: [RetryOn.GATEWAY_ERROR] },
    fault: Fault.delay(Duration.seconds(5), Percent.of(1)),
  });
  const frontendSa = new kplus.ServiceAccount(chart, 'sa');
  const workshopApp = new kplus.Deployment(chart, 'app', { containers: [{ image: 'x', securityContext: { user: 1000 } }] });
  const zt = new ZeroTrustNamespace(chart, 'zero-trust');
  zt.allowFrom(Source.serviceAccount(frontendSa), workshopApp, Operation.methods('GET'));
  zt.requireJwt({
    jwtRules: [{ issuer: 'https://auth.example.com', jwks: JwksSource.fromUri('https://auth.example.com/jwks.json') }],
    to: [Operation.paths('/api/*')],
  });
  expect(synth(chart).map(o => o.kind).sort()).toEqual([
    'AuthorizationPolicy', 'AuthorizationPolicy', 'AuthorizationPolicy', 'Deployment', 'DestinationRule', 'PeerAuthentication',
    'RequestAuthentication', 'Service', 'ServiceAccount', 'VirtualService',
  ]);
});

test('the Kubernetes Gateway API snippet synthesizes the routes it shows', () => {
  const chart = new Chart(Testing.app(), 'workshop', { namespace: 'workshop' });
  const service = (name: string) => library.Host.fromService(new kplus.Service(chart, name, {
    metadata: { name }, ports: [{ port: 8080 }], selector: kplus.Pods.select(chart, `${name}-pods`, { labels: { app: name } }),
  }));
  const [dev, v1, v2] = ['dev', 'v1', 'v2'].map(service);
  const { K8sGateway, Listener, CertificateRef, HttpRoute, HttpRouteMatch, BackendRef } = library;
  // The README's block, as written:
  const gateway = new K8sGateway(chart, 'workshop-gateway', { // gatewayClassName: istio
    listeners: [
      Listener.http({ hostname: 'workshop-app.local' }),
      Listener.https({ hostname: 'workshop-app.local', certificates: [CertificateRef.fromName('workshop-app-tls')] }),
    ],
  });
  new HttpRoute(chart, 'workshop-app', { parentRefs: [gateway], hostnames: ['workshop-app.local'] })
    .addRule('dev', {
      matches: [HttpRouteMatch.header('x-env', StringMatch.exact('dev'))],
      backendRefs: [BackendRef.to(dev)],
      timeouts: { request: Duration.seconds(10), backendRequest: Duration.seconds(2) },
    })
    .addRule('prod', { backendRefs: [BackendRef.to(v1, { weight: 90 }), BackendRef.to(v2, { weight: 10 })] });
  expect(README).toContain("  .addRule('prod', { backendRefs: [BackendRef.to(v1, { weight: 90 }), BackendRef.to(v2, { weight: 10 })] });");
  const route = synth(chart).find(m => m.kind === 'HTTPRoute');
  expect(route.spec.rules.map((r: any) => [r.name, r.backendRefs, r.timeouts])).toEqual([
    ['dev', [{ name: 'dev', port: 8080 }], { backendRequest: '2s', request: '10s' }],
    ['prod', [{ name: 'v1', port: 8080, weight: 90 }, { name: 'v2', port: 8080, weight: 10 }], undefined],
  ]);
});

test('the Examples table lists every example folder, each VirtualService example beside its Gateway API or ambient twin', () => {
  const root = path.join(__dirname, '..', 'examples');
  const folders = fs.readdirSync(root).filter(f => fs.existsSync(path.join(root, f, 'main.ts'))).sort();
  const section = README.slice(README.indexOf('## Examples'), README.indexOf('## Istio versions'));
  const rows = [...section.matchAll(/^\| \[examples\/([a-z-]+)\]/gm)].map(m => m[1]);
  expect([...rows].sort()).toEqual(folders);
  expect(rows.indexOf('gateway-api')).toBe(rows.indexOf('workshop-app') + 1);
  expect(rows.indexOf('ambient')).toBe(rows.indexOf('zero-trust') + 1);
});
