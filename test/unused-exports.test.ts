// Every export of an internal module has a reader outside it. Modules that src/index.ts re-exports
// (`export * from`) are the public API and are left to API.md; everything else exported only for its own file
// is a name the next reader has to chase for nothing.
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const READERS = ['src', 'test', 'bin', 'scripts', 'bench', 'examples'];

function tsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' || e.name === 'imports' ? [] : tsFiles(p);
    return /\.(ts|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The modules src/index.ts reaches through `export * from`, transitively: the public surface. */
function publicModules(text: Map<string, string>): Set<string> {
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of (text.get(file) ?? '').matchAll(/export \* from '([^']+)'/g)) {
      const base = path.resolve(path.dirname(file), m[1]);
      for (const c of [`${base}.ts`, path.join(base, 'index.ts')]) if (text.has(c)) walk(c);
    }
  };
  walk(path.join(ROOT, 'src', 'index.ts'));
  return seen;
}

test('no export of an internal module goes unread outside its file', () => {
  const files = READERS.flatMap(d => tsFiles(path.join(ROOT, d)));
  const text = new Map(files.map(f => [f, fs.readFileSync(f, 'utf-8')]));
  const pub = publicModules(text);
  const unread: string[] = [];
  for (const file of files.filter(f => f.startsWith(path.join(ROOT, 'src') + path.sep) && !pub.has(f))) {
    for (const m of text.get(file)!.matchAll(/^export (?:declare )?(?:async )?(?:function|const|let|interface|type|class|enum|abstract class) (\w+)/gm)) {
      const word = new RegExp(`\\b${m[1]}\\b`);
      if (!files.some(g => g !== file && word.test(text.get(g)!))) unread.push(`${path.relative(ROOT, file)}: ${m[1]}`);
    }
  }
  expect(unread).toEqual([]);
});
