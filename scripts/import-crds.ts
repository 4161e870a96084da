// Regenerates the L1 bindings in src/imports/ with `cdk8s import`, one run per source of imports/sources.json,
// reading each CRD file from the shared data directory after checking its sha256 (scripts/sources.ts).
// Run by the projen task `import:istio`, followed by fast-l1-tojson.ts and gen-schemas.ts.
import { execFileSync } from 'child_process';
import * as path from 'path';
import { resolveSources, ROOT } from './sources';

function main() {
  let sources;
  try {
    sources = resolveSources();
  } catch (e) {
    console.error(`import:istio: ${(e as Error).message}`);
    process.exit(1);
  }
  const cdk8s = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
  for (const s of sources) {
    console.log(`import:istio: ${s.name} from ${s.file} (sha256 ${s.sha256.slice(0, 12)}...)`);
    execFileSync(cdk8s, ['import', `${s.name}:=${s.file}`, '--language', 'typescript', '--output', 'src/imports', '--no-check-upgrade'],
      { cwd: ROOT, stdio: 'inherit' });
  }
}

main();
