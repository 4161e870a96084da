// Rewrites the undefined-filter that `cdk8s import` emits at the end of every generated toJson_* function,
//   Object.entries(result).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {})
// which copies the partial object once per field (quadratic in the number of fields, and a garbage object per
// field), into a single loop with the same output, key order included. Only the filter of `result` is rewritten:
// its keys are the schema's field names, while user-keyed maps (labels, headers) keep cdk8s' own code, whose
// spread also handles a key named __proto__. Idempotent; run by the projen task import:istio after the import.
import * as fs from 'fs';
import * as path from 'path';

const FILTER = 'return Object.entries(result).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {});';
const LOOP = [
  'const filtered: Record<string, any> = {};',
  '  for (const k in result) { const v = (result as Record<string, any>)[k]; if (v !== undefined) filtered[k] = v; }',
  '  return filtered;',
].join('\n');

const dir = path.join(__dirname, '..', 'src', 'imports');
for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.ts') && !f.endsWith('-schemas.ts'))) {
  const p = path.join(dir, file);
  const text = fs.readFileSync(p, 'utf8');
  const count = text.split(FILTER).length - 1;
  if (count === 0) continue;
  fs.writeFileSync(p, text.split(FILTER).join(LOOP));
  process.stdout.write(`${file}: ${count} filters rewritten\n`);
}
