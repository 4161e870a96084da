// The synth benchmark (issues #8, #12): the same mesh through the constructs with analysis on (a), as raw
// ApiObjects with stock cdk8s (b), and as raw ApiObjects rendered the single-pass way our apps get (c: the
// fair floor for our own overhead), checked byte-identical, then timed. Each N runs in a fresh child process
// so one size's heap and JIT state do not leak into the next; within a child the variants are interleaved,
// their order rotating between repetitions so that none always pays for another's garbage, and each
// repetition records wall time and the process's CPU time (process.cpuUsage: on a shared machine wall time
// includes waiting for a core, CPU time does not).
//
//   bench/synth.ts [--n 250,1000,4000] [--reps 5] [--per-namespace 10] [--out file.md] [--append bench/RESULTS.md]
//
// No assertion is made on timings (CI runs --n 100 --reps 1 to prove the benchmark still works); the only
// failure is output that differs between the variants.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { buildConstructs, buildRaw, setServicesPerNamespace } from './mesh';
import { IstioAnalysis } from '../src';
import { useSinglePass } from '../src/core/synth-call';

const ROOT = path.resolve(__dirname, '..');

type Variant = 'a' | 'b' | 'c';
const VARIANTS: Variant[] = ['a', 'b', 'c'];
const LABEL: Record<Variant, string> = {
  a: '(a) constructs + analysis',
  b: '(b) raw ApiObjects, stock cdk8s',
  c: '(c) raw ApiObjects, single pass',
};
interface Sample { build: number; synth: number; cpu: number; analysis: number; checks: number }
interface ChildResult { n: number; objects: number; findings: number; a: Sample[]; b: Sample[]; c: Sample[] }
interface MemResult { peakHeapMb: number }

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const now = () => Number(process.hrtime.bigint()) / 1e6;
const gc = () => (global as any).gc?.();

// The analysis runs inside synthYaml (as the root's validation); its share is measured by timing that call.
let analysisMs = 0;
// Of that, the checks proper: the rest is resolving the objects to JSON, which synth then reuses.
let checksMs = 0;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const engine = require('../src/analysis/engine');
const originalRunAnalysis = engine.runAnalysis;
engine.runAnalysis = (...args: unknown[]) => {
  const t = now();
  try {
    return originalRunAnalysis(...args);
  } finally {
    checksMs += now() - t;
  }
};
const proto = IstioAnalysis.prototype as any;
const originalRun = proto.run;
proto.run = function (this: unknown, ...args: unknown[]) {
  const t = now();
  try {
    return originalRun.apply(this, args);
  } finally {
    analysisMs += now() - t;
  }
};

function once(variant: Variant, n: number): { sample: Sample; yaml: string; app: App } {
  gc();
  analysisMs = 0;
  checksMs = 0;
  const cpu0 = process.cpuUsage();
  const t0 = now();
  const app = new App();
  // (c): the synth our apps get, without our constructs or analysis.
  if (variant === 'c') useSinglePass(app);
  (variant === 'a' ? buildConstructs : buildRaw)(app, n);
  const t1 = now();
  const yaml = app.synthYaml();
  const t2 = now();
  const cpu = process.cpuUsage(cpu0);
  return { sample: { build: t1 - t0, synth: t2 - t1, cpu: (cpu.user + cpu.system) / 1000, analysis: analysisMs, checks: checksMs }, yaml, app };
}

function child(n: number, reps: number): ChildResult {
  // Warm the JIT on a small mesh so the first measured repetition is not the interpreter's.
  for (let i = 0; i < 2; i++) for (const v of VARIANTS) once(v, Math.min(n, 250));
  const out: ChildResult = { n, objects: 0, findings: 0, a: [], b: [], c: [] };
  for (let r = 0; r < reps; r++) {
    const order = VARIANTS.map((_, i) => VARIANTS[(i + r) % VARIANTS.length]);
    const runs: Record<string, ReturnType<typeof once>> = {};
    for (const v of order) {
      runs[v] = once(v, n);
      out[v].push(runs[v].sample);
    }
    for (const v of ['b', 'c'] as Variant[]) {
      if (runs.a.yaml === runs[v].yaml) continue;
      fs.writeFileSync(path.join(os.tmpdir(), 'bench-a.yaml'), runs.a.yaml);
      fs.writeFileSync(path.join(os.tmpdir(), `bench-${v}.yaml`), runs[v].yaml);
      throw new Error(`N=${n}: ${LABEL.a} and ${LABEL[v]} synthesize different YAML (see ${os.tmpdir()}/bench-{a,${v}}.yaml)`);
    }
    out.objects = runs.a.yaml.split('\n---\n').length;
    out.findings = IstioAnalysis.of(runs.a.app).diagnostics.length;
  }
  return out;
}

/**
 * One run in a fresh process started with --trace-gc: V8 prints the heap in use before every collection, so
 * the largest of those (and the heap in use at the end) between the two markers is the run's peak heap.
 */
function memChild(variant: Variant, n: number) {
  gc();
  process.stdout.write(`BENCH-START ${process.memoryUsage().heapUsed}\n`);
  const r = once(variant, n);
  process.stdout.write(`BENCH-END ${process.memoryUsage().heapUsed}\n`);
  void r;
}

function peakHeap(variant: Variant, n: number): MemResult {
  const out = spawnChild(['--mem', variant, String(n), '--per-namespace', arg('per-namespace', '10')], ['--trace-gc'], true) as string;
  const lines = out.split('\n');
  const start = lines.findIndex(l => l.startsWith('BENCH-START'));
  const end = lines.findIndex(l => l.startsWith('BENCH-END'));
  const base = Number(lines[start].split(' ')[1]);
  let peak = Number(lines[end].split(' ')[1]);
  // e.g. "[123:0x...]   456 ms: Scavenge 45.2 (60.1) -> 40.1 (61.1) MB, ..."
  for (const l of lines.slice(start + 1, end)) {
    const m = /: [A-Za-z-]+[^\d]* ([\d.]+) \(([\d.]+)\) -> /.exec(l);
    if (m) peak = Math.max(peak, Number(m[1]) * 2 ** 20);
  }
  return { peakHeapMb: (peak - base) / 2 ** 20 };
}

function spawnChild(args: string[], nodeFlags: string[] = [], raw = false): any {
  const res = spawnSync(process.execPath, ['--expose-gc', ...nodeFlags, '-r', 'ts-node/register', __filename, ...args], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: 'test/tsconfig.json', TS_NODE_TRANSPILE_ONLY: 'true', CDK8S_ISTIO_QUIET: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  if (res.status !== 0) throw new Error(`child ${args.join(' ')} failed:\n${res.stderr}`);
  if (raw) return res.stdout;
  const line = res.stdout.trim().split('\n').pop()!;
  return JSON.parse(line);
}

/** `require('cdk8s-istio')` as a user pays it: the compiled lib/, in a fresh node process. */
function requireTimes(reps: number, preload: boolean): number[] | undefined {
  const lib = path.join(ROOT, 'lib', 'index.js');
  if (!fs.existsSync(lib)) return undefined;
  const script = 'const t=process.hrtime.bigint();require(process.argv[1]);'
    + 'console.log(Number(process.hrtime.bigint()-t)/1e6)';
  // cdk8s and constructs are loaded first: they are the user's own dependencies, not our cost.
  const pre = preload ? 'require("cdk8s");require("constructs");' : '';
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const res = spawnSync(process.execPath, ['-e', pre + script, lib], { cwd: ROOT, encoding: 'utf8' });
    if (res.status !== 0) throw new Error(res.stderr);
    times.push(Number(res.stdout.trim()));
  }
  return times;
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

const spread = (xs: number[]) => `${fmt(Math.min(...xs))}-${fmt(Math.max(...xs))}`;
const loadavg = () => os.loadavg().map(x => x.toFixed(2)).join(' / ');

function main() {
  const sizes = arg('n', '250,1000,4000').split(',').map(Number);
  const reps = Number(arg('reps', '5'));
  const outFile = arg('out', '');
  const appendFile = arg('append', '');
  const loadBefore = loadavg();
  const results: Array<ChildResult & { mem: Record<Variant, MemResult>; loadBefore: string; loadAfter: string }> = [];
  for (const n of sizes) {
    process.stderr.write(`N=${n}: ${reps} repetitions...\n`);
    const before = loadavg();
    const r: ChildResult = spawnChild(['--child', String(n), '--reps', String(reps), '--per-namespace', arg('per-namespace', '10')]);
    const after = loadavg();
    const mem = { a: peakHeap('a', n), b: peakHeap('b', n), c: peakHeap('c', n) };
    results.push({ ...r, mem, loadBefore: before, loadAfter: after });
  }
  const req = requireTimes(Math.max(reps, 5), true);
  const reqCold = requireTimes(Math.max(reps, 5), false);
  const loadAfter = loadavg();

  const total = (s: Sample) => s.build + s.synth;
  const lines: string[] = [];
  lines.push(`Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}, ${os.platform()} ${os.release()}`);
  lines.push(`Load average (1/5/15 min): ${loadBefore} before, ${loadAfter} after`);
  lines.push(`Repetitions: ${reps} per size, variants interleaved (order rotating), after a warm-up; medians, spread min-max; `
    + `${arg('per-namespace', '10')} services per namespace (one chart each); ${new Date().toISOString()}`);
  lines.push('');
  lines.push('| N services | objects | variant | wall: build + synthYaml (median) | spread | CPU time (median) | x (b) wall / CPU | x (c) wall / CPU | peak heap | load before / after |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|');
  const med = (r: ChildResult, v: Variant, f: (s: Sample) => number) => median(r[v].map(f));
  for (const r of results) {
    for (const v of VARIANTS) {
      const wall = med(r, v, total);
      const cpu = med(r, v, s => s.cpu);
      const ratio = (o: Variant) => `${(wall / med(r, o, total)).toFixed(2)} / ${(cpu / med(r, o, s => s.cpu)).toFixed(2)}`;
      lines.push(`| ${r.n} | ${r.objects} | ${LABEL[v]} | ${fmt(wall)} (${fmt(med(r, v, s => s.build))} + ${fmt(med(r, v, s => s.synth))}) `
        + `| ${spread(r[v].map(total))} | ${fmt(cpu)} | ${ratio('b')} | ${ratio('c')} | ${r.mem[v].peakHeapMb.toFixed(0)} MB `
        + `| ${v === 'a' ? `${r.loadBefore} / ${r.loadAfter}` : ''} |`);
    }
    const share = med(r, 'a', s => s.analysis / total(s));
    const checks = med(r, 'a', s => s.checks / total(s));
    lines.push(`| ${r.n} | | analysis share of (a): all (checks alone) | ${(share * 100).toFixed(1)}% (${fmt(med(r, 'a', s => s.analysis))}); `
      + `${(checks * 100).toFixed(1)}% (${fmt(med(r, 'a', s => s.checks))}) | | | | | peak heap a / b: ${(r.mem.a.peakHeapMb / r.mem.b.peakHeapMb).toFixed(2)} | findings: ${r.findings} |`);
  }
  lines.push('');
  const sorted = [...results].sort((x, y) => x.n - y.n);
  for (let i = 1; i < sorted.length; i++) {
    const [lo, hi] = [sorted[i - 1], sorted[i]];
    const ratio = (v: Variant, f: (s: Sample) => number) => (med(hi, v, f) / med(lo, v, f)).toFixed(2);
    lines.push(`time(${hi.n}) / time(${lo.n}) (size ratio ${(hi.n / lo.n).toFixed(1)}), wall / CPU: `
      + VARIANTS.map(v => `${v} ${ratio(v, total)} / ${ratio(v, s => s.cpu)}`).join('; '));
  }
  lines.push(req
    ? `require('cdk8s-istio') (lib/, fresh process, cdk8s and constructs preloaded): median ${fmt(median(req))} (runs: ${req.map(t => t.toFixed(0)).join(', ')} ms)`
    : 'require(\'cdk8s-istio\'): lib/ not compiled (run `npx projen compile`), not measured');
  if (reqCold) lines.push(`require('cdk8s-istio') including its cdk8s and constructs: median ${fmt(median(reqCold))}`);
  lines.push('');
  lines.push('The CLI rows come from the CLI\'s own benchmark, bench/cli.ts, run as a separate process.');
  const text = lines.join('\n');
  process.stdout.write(text + '\n');
  if (outFile) fs.writeFileSync(outFile, text + '\n');
  if (appendFile) fs.appendFileSync(appendFile, `\n## Run of ${new Date().toISOString()} (\`bench/synth.ts ${process.argv.slice(2).join(' ')}\`)\n\n${text}\n`);
}

setServicesPerNamespace(Number(arg('per-namespace', '10')));
if (process.argv.includes('--child')) {
  process.stdout.write(JSON.stringify(child(Number(arg('child', '100')), Number(arg('reps', '1')))) + '\n');
} else if (process.argv.includes('--mem')) {
  const i = process.argv.indexOf('--mem');
  memChild(process.argv[i + 1] as Variant, Number(process.argv[i + 2]));
} else {
  main();
}
