// Single-pass synth (src/core/synth-call.ts) and rendering from the spec (src/core/render.ts) must give
// exactly what stock cdk8s gives: the same YAML, the same files, the same errors; and, where cdk8s's
// internals are not the ones single pass was written for, stock behaviour with one notice.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Lazy, YamlOutputType } from 'cdk8s';
import { buildConstructs } from '../../bench/mesh';
import { build as abTest } from '../../examples/ab-test/main';
import { build as bookinfo } from '../../examples/bookinfo/main';
import { build as canary } from '../../examples/canary/main';
import { build as egress } from '../../examples/egress-and-observability/main';
import { build as gatewayApi } from '../../examples/gateway-api/main';
import { build as workshopApp } from '../../examples/workshop-app/main';
import { build as workshopGateway } from '../../examples/workshop-gateway/main';
import { build as zeroTrust } from '../../examples/zero-trust/main';
import { Gateway, GatewayServer, Host, RouteDestination, VirtualService } from '../../src';
import { renderFromSpec } from '../../src/core/render';
import { currentInternals, installSinglePass, singlePassIncompatibility } from '../../src/core/synth-call';

const APPS: Record<string, (app: App) => unknown> = {
  'ab-test': abTest,
  'bookinfo': bookinfo,
  'canary': canary,
  'egress-and-observability': egress,
  'gateway-api': gatewayApi,
  'workshop-app': workshopApp,
  'workshop-gateway': workshopGateway,
  'zero-trust': zeroTrust,
  'bench mesh (N = 45, 5 charts)': app => buildConstructs(app, 45),
};

/** Run `body` with single pass turned off by its switch (stock cdk8s rendering, memo kept). */
function stock<T>(body: () => T): T {
  process.env.CDK8S_ISTIO_SINGLE_PASS = '0';
  try {
    return body();
  } finally {
    delete process.env.CDK8S_ISTIO_SINGLE_PASS;
  }
}

/** Every file under `dir`, by relative path, with its content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** Counts whole-app validation passes: cdk8s validates the root once per pass. */
function countPasses(app: App): { passes: number } {
  const counter = { passes: 0 };
  app.node.addValidation({ validate: () => { counter.passes++; return []; } });
  return counter;
}

const quiet = process.env.CDK8S_ISTIO_QUIET;
beforeAll(() => { process.env.CDK8S_ISTIO_QUIET = '1'; });
afterAll(() => { if (quiet === undefined) delete process.env.CDK8S_ISTIO_QUIET; else process.env.CDK8S_ISTIO_QUIET = quiet; });

describe.each(Object.entries(APPS))('%s', (_name, build) => {
  test('synthYaml() is byte-identical to stock cdk8s', () => {
    const fresh = () => {
      const app = new App();
      build(app);
      return app;
    };
    const single = fresh().synthYaml();
    expect(single.length).toBeGreaterThan(0);
    expect(single).toBe(stock(() => fresh().synthYaml()));
  });

  test.each([
    ['FILE_PER_CHART', YamlOutputType.FILE_PER_CHART],
    ['FILE_PER_APP', YamlOutputType.FILE_PER_APP],
    ['FILE_PER_RESOURCE', YamlOutputType.FILE_PER_RESOURCE],
    ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE],
  ])('synth() writes the same files as stock cdk8s (%s)', (_type, yamlOutputType) => {
    const write = () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'single-pass-'));
      const app = new App({ outdir, yamlOutputType, recordConstructMetadata: true });
      build(app);
      app.synth();
      const files = tree(outdir);
      fs.rmSync(outdir, { recursive: true, force: true });
      return files;
    };
    const single = write();
    expect(Object.keys(single).length).toBeGreaterThan(0);
    expect(single).toEqual(stock(write));
  });

  test('every one of our objects renders from its spec exactly as cdk8s renders it', () => {
    const app = new App();
    build(app);
    const ours = app.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && c.node.id === 'Resource');
    expect(ours.length).toBeGreaterThan(0);
    // Outside a synth call nothing is remembered: the stock render is cdk8s's resolve, sanitize and patches,
    // then the binding's mapping. The key order counts, so the JSON text is compared.
    for (const obj of ours) expect(JSON.stringify(obj.toJson())).toBe(stock(() => JSON.stringify(obj.toJson())));
  });
});

describe('one whole-app pass per synth', () => {
  const meshApp = () => {
    const app = new App();
    buildConstructs(app, 45); // 5 charts
    return app;
  };

  test('single pass validates the app once per synthYaml() and per synth(); stock validates it once per chart more', () => {
    const app = meshApp();
    const counter = countPasses(app);
    app.synthYaml();
    expect(counter.passes).toBe(1);
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'single-pass-'));
    const written = new App({ outdir });
    buildConstructs(written, 45);
    const writtenCounter = countPasses(written);
    written.synth();
    fs.rmSync(outdir, { recursive: true, force: true });
    expect(writtenCounter.passes).toBe(1);
    stock(() => app.synthYaml());
    expect(counter.passes).toBe(1 + 6);
  });

  test('an app without our constructs keeps stock synth', () => {
    const app = new App();
    for (let i = 0; i < 3; i++) new ApiObject(new Chart(app, `c${i}`), 'o', { apiVersion: 'v1', kind: 'ConfigMap' });
    const counter = countPasses(app);
    app.synthYaml();
    expect(counter.passes).toBe(4);
  });

  test('validation errors are the same as stock, listed once', () => {
    const broken = () => {
      const app = new App();
      const chart = new Chart(app, 'c');
      new Gateway(chart, 'gw');
      new Chart(app, 'other');
      return app;
    };
    const message = (f: () => unknown) => {
      try {
        f();
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    };
    const single = message(() => broken().synthYaml());
    expect(single).toBe('Validation failed with the following errors:\n  [c/gw] IST0106 Schema validation error: Gateway.spec.servers: a Gateway needs at least one server (got []; e.g. a server on port 80 for HTTP)');
    expect(stock(() => message(() => broken().synthYaml()))).toBe(single);
  });

  test('a dependency between charts orders the charts and the objects as stock does', () => {
    const build = () => {
      const app = new App();
      const second = new Chart(app, 'b-second', { namespace: 'b' });
      const first = new Chart(app, 'a-first', { namespace: 'a' });
      const gw = new Gateway(first, 'gw', { servers: [GatewayServer.http({ hosts: ['*'] })] });
      const vs = new VirtualService(second, 'vs', { hosts: [Host.fromName('reviews')], gateways: [gw] });
      vs.addHttpRoute('all', { to: [RouteDestination.to(Host.fromName('reviews'))] });
      vs.node.addDependency(gw);
      return app;
    };
    expect(build().synthYaml()).toBe(stock(() => build().synthYaml()));
  });
});

describe('rendering from the spec falls back to cdk8s where it could differ', () => {
  const gateway = (app: App) => new Gateway(new Chart(app, 'c'), 'gw', {
    servers: [GatewayServer.http({ hosts: ['*'] })],
  });

  test('plain data renders in one walk; a Lazy or a class instance in it, or a custom resolver, falls back', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bindings = require('../../src/imports/istio-networking.istio.io');
    const render = (app: App, spec: unknown) =>
      renderFromSpec(gateway(app).apiObject, bindings.Gateway.GVK, spec, bindings.toJson_GatewayProps);
    expect(JSON.stringify(render(new App(), { selector: { zone: 'a', app: 'edge', gone: undefined, none: null } })))
      .toBe('{"apiVersion":"networking.istio.io/v1","kind":"Gateway","metadata":{"name":"gw"},"spec":{"selector":{"app":"edge","zone":"a"}}}');
    expect(render(new App(), { selector: { app: Lazy.any({ produce: () => 'edge' }) } })).toBeUndefined();
    expect(render(new App(), { selector: new Map() })).toBeUndefined();
    expect(render(new App({ resolvers: [{ resolve: () => undefined }] }), {})).toBeUndefined();
  });

  test('JSON patches are applied', () => {
    const app = new App();
    gateway(app).apiObject.addJsonPatch(JsonPatch.add('/spec/servers/0/port/name', 'patched'));
    expect(app.synthYaml()).toContain('name: patched');
  });

  test('a custom resolver sees every value', () => {
    const app = new App({ resolvers: [{ resolve: ctx => { if (ctx.value === 'ingressgateway') ctx.replaceValue('edge'); } }] });
    gateway(app);
    expect(app.synthYaml()).toContain('istio: edge');
  });
});

describe('fallback when cdk8s internals change', () => {
  afterEach(() => {
    expect(installSinglePass()).toBe(true);
  });

  test('the running cdk8s is the one single pass was written for', () => {
    expect(singlePassIncompatibility(currentInternals())).toBeUndefined();
  });

  test.each([
    ['App._synthChart', { synthChart: function _synthChart(chart: Chart) { return chart.toJson(); } }],
    ['chartToKube', { chartToKube: 'function chartToKube(chart) { return []; }' }],
    ['App.synthYaml', { synthYaml: function synthYaml() { return ''; } }],
  ])('a changed %s: stock synth, the same output, and a one-line notice on the first synth', (what, changed) => {
    expect(installSinglePass({ ...currentInternals(), ...changed })).toBe(false);
    const app = new App();
    buildConstructs(app, 25); // 3 charts
    const counter = countPasses(app);
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => { writes.push(String(chunk)); return true; });
    let yaml: string;
    try {
      yaml = app.synthYaml();
      app.synthYaml();
    } finally {
      spy.mockRestore();
    }
    expect(counter.passes).toBe(2 * (1 + 3));
    expect(writes).toEqual([
      `cdk8s-istio: cdk8s ${currentInternals().version} (single-pass synth supports ^2.70.0) has a different ${what}; `
      + 'synthesizing the stock way (every chart revalidates the whole app)\n',
    ]);
    expect(yaml).toBe(stock(() => app.synthYaml()));
  });

  test('a cdk8s outside the supported range', () => {
    expect(singlePassIncompatibility({ ...currentInternals(), version: '3.0.0' }))
      .toBe('cdk8s 3.0.0 (single-pass synth supports ^2.70.0) is outside the supported range');
  });
});
