// Runs every conformance suite in scripts/conformance/ against Istio's own fixtures in ../shared/istio.
// Each suite prints its counts; the run fails when a suite reports a disagreement it does not explain.
import * as fs from 'fs';
import * as path from 'path';

export interface SuiteResult {
  /** Suite name, e.g. `validation-testdata`. */
  readonly name: string;
  /** Fixtures (or findings) that agreed. */
  readonly agreed: number;
  /** Fixtures considered. */
  readonly total: number;
  /** Disagreements that are not explained (fail the run). */
  readonly failures: string[];
}

export interface Suite {
  readonly name: string;
  run(sharedDir: string): SuiteResult;
}

const shared = process.env.CDK8S_ISTIO_SHARED ?? path.resolve(__dirname, '..', '..', 'shared');

function main() {
  if (!fs.existsSync(path.join(shared, 'istio'))) {
    console.log(`conformance: ${shared}/istio not found; skipping (set CDK8S_ISTIO_SHARED to run).`);
    return;
  }
  const only = process.argv.slice(2);
  const dir = path.join(__dirname, 'conformance');
  const files = fs.readdirSync(dir).filter(f => f.endsWith('.ts')).sort();
  let failed = 0;
  for (const f of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const suite: Suite = require(path.join(dir, f)).suite;
    if (!suite || (only.length && !only.includes(suite.name))) continue;
    const r = suite.run(shared);
    console.log(`conformance ${r.name}: ${r.agreed} of ${r.total} agreed`);
    for (const msg of r.failures) console.log(`  FAIL ${msg}`);
    failed += r.failures.length;
  }
  if (failed > 0) {
    console.log(`conformance: ${failed} unexplained disagreement(s)`);
    process.exit(1);
  }
}

main();
