// The CLI's fast YAML reader (src/analysis/cli/fast-yaml.ts) against js-yaml on every YAML file of the pinned
// data (Istio's samples and fixtures, the Gateway API examples): every document the fast reader reads must give
// js-yaml's value (deep-equal, as `util.isDeepStrictEqual` compares); the documents it leaves to js-yaml are
// counted by reason and printed (they are not failures: js-yaml reads them).
import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { BAIL, lastBailReason, readFast } from '../../src/analysis/cli/fast-yaml';
import { splitDocuments } from '../../src/analysis/cli/read';
import type { Suite, SuiteResult } from '../conformance';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsyaml = require('js-yaml');

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, e);
    if (fs.statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(e)) out.push(p);
  }
  return out;
}

export const suite: Suite = {
  name: 'fast-yaml',
  run(shared: string): SuiteResult {
    const failures: string[] = [];
    const left = new Map<string, number>();
    let total = 0;
    let agreed = 0;
    const files = yamlFiles(shared);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf-8');
      for (const d of splitDocuments(text)) {
        total++;
        const fast = readFast(text, d.start, d.end);
        if (fast === BAIL) {
          left.set(lastBailReason(), (left.get(lastBailReason()) ?? 0) + 1);
          agreed++;
          continue;
        }
        let reference: unknown;
        try {
          reference = jsyaml.load(text.slice(d.start, d.end), { schema: jsyaml.CORE_SCHEMA });
        } catch (e) {
          failures.push(`${path.relative(shared, file)}:${d.line}: read fast, but js-yaml fails: ${(e as Error).message.split('\n')[0]}`);
          continue;
        }
        if (isDeepStrictEqual(fast, reference)) agreed++;
        else failures.push(`${path.relative(shared, file)}:${d.line}: the fast reader's value differs from js-yaml's`);
      }
    }
    const bails = [...left.values()].reduce((a, b) => a + b, 0);
    console.log(`fast-yaml: ${files.length} files, ${total} documents: ${total - bails} read fast (each equal to js-yaml's value), `
      + `${bails} left to js-yaml: ${[...left].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${n} ${r}`).join(', ')}`);
    return { name: 'fast-yaml', agreed, total, failures };
  },
};
