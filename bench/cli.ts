// The CLI benchmark (issue 12 item 3): `cdk8s-istio analyze --partial` end to end, in a fresh process per run, on
// the benchmark mesh written as YAML by bench/cli-input.ts at 5 MB, the N = 4000 output (12,400 objects), 25 MB and
// 50 MB. Prints wall and CPU time, objects per second and peak RSS (medians over the runs), the load average
// before and after each input, and the scaling from the smallest to the largest input. No assertion on timings.
//   npx projen compile && ts-node --transpile-only --project test/tsconfig.json bench/cli.ts [--reps 5] [--dir /tmp/cdk8s-istio-cli-bench]
//   [--inputs 5mb,12k,25mb,50mb] [--args "--partial"]
// --partial: the mesh has no Services (it is the raw ApiObjects of bench/mesh.ts), so without it every route is a
// finding (IST0101); with it the run is clean, and the time is reading and analysing, not printing findings.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

/** Each input: how bench/cli-input.ts writes it (services, copies of the mesh). */
const INPUTS: Record<string, { n: number; copies: number; label: string }> = {
  '5mb': { n: 2750, copies: 1, label: '5 MB' },
  '12k': { n: 4000, copies: 1, label: 'bench N = 4000 output' },
  '25mb': { n: 3500, copies: 4, label: '25 MB' },
  '50mb': { n: 4000, copies: 7, label: '50 MB' },
};

const root = path.join(__dirname, '..');
const reps = Number(arg('reps', '5'));
const dir = arg('dir', path.join(os.tmpdir(), 'cdk8s-istio-cli-bench'));
const names = arg('inputs', '5mb,12k,25mb,50mb').split(',');
const cliArgs = arg('args', '--partial').split(' ').filter(a => a);
const cli = path.join(root, 'lib', 'analysis', 'cli.js');
if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run \`npx projen compile\` first`);

// The child runs the command as bin/cdk8s-istio does and reports its own CPU time and peak RSS on stderr.
const CHILD = 'const cli=require(process.argv[1]);process.exitCode=cli.main(process.argv.slice(2));'
  + 'process.on("exit",()=>{const u=process.resourceUsage();'
  + 'process.stderr.write("\\nBENCH "+JSON.stringify({cpu:(u.userCPUTime+u.systemCPUTime)/1e3,rss:u.maxRSS/1024})+"\\n")});';

function input(name: string): { file: string; objects: number; bytes: number } {
  const spec = INPUTS[name];
  if (!spec) throw new Error(`unknown input ${name} (one of ${Object.keys(INPUTS).join(', ')})`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `mesh-${name}.yaml`);
  if (!fs.existsSync(file)) {
    const r = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', '--project', path.join(root, 'test', 'tsconfig.json'),
      path.join(__dirname, 'cli-input.ts'), '--n', String(spec.n), '--copies', String(spec.copies), '--out', file], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`bench/cli-input.ts failed for ${name}`);
  }
  const text = fs.readFileSync(file, 'utf-8');
  return { file, objects: text.split('\n---\n').length, bytes: text.length };
}

function run(file: string): { wall: number; cpu: number; rss: number; status: number | null } {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-e', CHILD, cli, 'analyze', ...cliArgs, file], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1024 * 1024 * 1024 });
  const wall = Number(process.hrtime.bigint() - t) / 1e6;
  const m = /\nBENCH (.*)\n$/.exec(r.stderr.toString());
  if (!m) throw new Error(`no measurement from the child: ${r.stderr.toString().slice(-2000)}`);
  return { wall, ...JSON.parse(m[1]), status: r.status };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const secs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const load = () => os.loadavg().map(l => l.toFixed(2)).join(' / ');

const cpus = os.cpus();
const lines: string[] = [
  `Machine: ${cpus[0]?.model ?? 'unknown'}, ${cpus.length} cores, Node ${process.version}, ${os.platform()} ${os.release()}`,
  `\`cdk8s-istio analyze ${cliArgs.join(' ')} FILE\`, a fresh process per run, ${reps} runs per input (medians; spread min-max of wall); ${new Date().toISOString()}`,
  '',
  '| input | objects | MB | wall (median) | spread | CPU (median) | objects/s (wall) | objects/s (CPU) | peak RSS (median) | exit | load before / after |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
];
const rows: Array<{ name: string; bytes: number; wall: number; cpu: number }> = [];
for (const name of names) {
  const { file, objects, bytes } = input(name);
  const before = load();
  run(file); // warm-up: the file in the page cache, the compiled lib/ read once
  const rs = Array.from({ length: reps }, () => run(file));
  const wall = median(rs.map(r => r.wall));
  const cpu = median(rs.map(r => r.cpu));
  const rss = median(rs.map(r => r.rss));
  const walls = rs.map(r => r.wall);
  rows.push({ name, bytes, wall, cpu });
  lines.push(`| ${INPUTS[name].label} | ${objects} | ${(bytes / 1e6).toFixed(1)} | ${secs(wall)} | ${secs(Math.min(...walls))}-${secs(Math.max(...walls))} | ${secs(cpu)} `
    + `| ${Math.round(objects / (wall / 1000))} | ${Math.round(objects / (cpu / 1000))} | ${rss.toFixed(0)} MB | ${rs[0].status} | ${before} / ${load()} |`);
  process.stderr.write(lines[lines.length - 1] + '\n');
}
if (rows.length > 1) {
  const [a, b] = [rows[0], rows[rows.length - 1]];
  lines.push('', `time(${b.name}) / time(${a.name}) (size ratio ${(b.bytes / a.bytes).toFixed(2)}), wall / CPU: ${(b.wall / a.wall).toFixed(2)} / ${(b.cpu / a.cpu).toFixed(2)}`);
}
const out = arg('out', '');
if (out) fs.writeFileSync(out, lines.join('\n') + '\n');
process.stdout.write(lines.join('\n') + '\n');
