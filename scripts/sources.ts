// The third-party files listed in imports/sources.json, found in the shared data directory and checked against
// their pinned sha256. Generation reads them from there; the repository keeps no copy of them.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..');
const LIST = path.join(ROOT, 'imports', 'sources.json');

/** One entry of imports/sources.json. */
export interface Source {
  /** The `cdk8s import` prefix: the bindings are written to src/imports/<name>-<group>.ts. */
  readonly name: string;
  /** Who defines the kinds, for generated comments (e.g. `Istio`). */
  readonly title: string;
  /** Path of the file inside the shared data directory. */
  readonly path: string;
  readonly sha256: string;
  readonly origin: string;
  readonly license: string;
  /** Where gen-schemas.ts writes this file's OpenAPI schemas, relative to the repository; none when absent. */
  readonly schemas?: string;
}

/** A source with the absolute path of its checked file. */
export interface ResolvedSource extends Source {
  readonly file: string;
}

/** The shared data directory: $CDK8S_ISTIO_SHARED, else ../shared beside the repository. */
export function sharedDir(): string {
  return process.env.CDK8S_ISTIO_SHARED ?? path.resolve(ROOT, '..', 'shared');
}

export function listSources(): Source[] {
  return JSON.parse(fs.readFileSync(LIST, 'utf8')).sources;
}

/** Every source (or the named ones), each checked to exist and to have its pinned sha256; throws with what to do. */
export function resolveSources(names?: string[]): ResolvedSource[] {
  const all = listSources();
  const unknown = (names ?? []).filter(n => !all.some(s => s.name === n));
  if (unknown.length) throw new Error(`imports/sources.json has no source named ${unknown.join(', ')} (known: ${all.map(s => s.name).join(', ')})`);
  const shared = sharedDir();
  return all.filter(s => !names || names.includes(s.name)).map(s => {
    const file = path.join(shared, s.path);
    if (!fs.existsSync(file)) {
      throw new Error([
        `${s.name}: ${file} not found.`,
        `Generation reads the third-party files listed in imports/sources.json from the shared data directory (${shared});`,
        'this repository keeps no copy of them. Check the shared directory out beside the repository as ../shared, or set',
        `CDK8S_ISTIO_SHARED to its path; the file itself comes from ${s.origin}.`,
        'Building and testing do not need it: the generated src/imports/ is committed.',
      ].join('\n'));
    }
    const sha256 = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    if (sha256 !== s.sha256) {
      throw new Error(`${s.name}: ${file} has sha256 ${sha256}, but imports/sources.json pins ${s.sha256}. `
        + 'Regenerating from a different file would silently change the bindings and schemas: to move to a new version, '
        + 'update the entry (path, sha256, origin) in imports/sources.json and review the diff of src/imports/.');
    }
    return { ...s, file };
  });
}
