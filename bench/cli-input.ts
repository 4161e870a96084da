// Writes the benchmark mesh as YAML files for the CLI benchmark (issue 12 item 3): the raw-ApiObject variant,
// which synthesizes to the same bytes as the constructs. `--copies K` repeats the mesh with the namespaces
// renamed (team-0000 -> c1-team-0000 ...), so 50 MB need one synth of N, not a synth of 7N.
//   ts-node --transpile-only --project test/tsconfig.json bench/cli-input.ts --n 4000 --copies 7 --out /tmp/mesh-50mb.yaml
import * as fs from 'fs';
import { App } from 'cdk8s';
import { buildRaw } from './mesh';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const n = Number(arg('n', '4000'));
const copies = Number(arg('copies', '1'));
const out = arg('out', 'mesh.yaml');
const app = new App();
buildRaw(app, n);
const yaml = app.synthYaml();
const fd = fs.openSync(out, 'w');
for (let c = 0; c < copies; c++) {
  fs.writeSync(fd, c === 0 ? yaml : '---\n' + yaml.replace(/team-(\d{4})/g, `c${c}-team-$1`));
}
fs.closeSync(fd);
const objects = copies * yaml.split('\n---\n').length;
process.stdout.write(`${out}: ${objects} objects, ${(fs.statSync(out).size / 1e6).toFixed(1)} MB\n`);
