// The line of a field inside a document, for `file:line` in findings. Only documents that have findings are
// parsed again, with the yaml package's positions; everything else was read without a node tree.
import type * as YAML from 'yaml';

// Required on the first lookup: a run without findings never loads the yaml package (startup time).
let yamlLib: typeof YAML | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = () => (yamlLib ??= require('yaml') as typeof YAML);

/** Split `spec.servers[0].port` into steps; a key may itself contain dots (`istio.io/rev`), resolved on the tree. */
function steps(field: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of field.matchAll(/\[([^\]]*)\]|([^.[\]]+)/g)) {
    if (m[1] !== undefined) out.push(/^\d+$/.test(m[1]) ? Number(m[1]) : m[1]);
    else out.push(m[2]);
  }
  return out;
}

/**
 * The 1-based line (counting from `firstLine`, the document's line in its file) of the deepest part of `field`
 * found in `text`; the document's first content line when the field is not in it.
 * @internal
 */
export function lineOf(text: string, firstLine: number, field: string | undefined): number {
  return lineFinder(text, firstLine)(field);
}

/** `lineOf` for many fields of one document: the document is parsed once. @internal */
export function lineFinder(text: string, firstLine: number): (field: string | undefined) => number {
  const { LineCounter, parseDocument } = yaml();
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, keepSourceTokens: false });
  const at = (offset: number) => firstLine + counter.linePos(offset).line - 1;
  return field => find(doc.contents, at, firstLine, field);
}

function find(contents: unknown, at: (offset: number) => number, firstLine: number, field: string | undefined): number {
  const { isMap, isScalar, isSeq } = yaml();
  let node: any = contents;
  let line = node?.range ? at(node.range[0]) : firstLine;
  const parts = steps(field ?? '');
  let i = 0;
  while (node && i < parts.length) {
    const part = parts[i];
    if (isSeq(node) && typeof part === 'number') {
      node = node.items[part];
      if (!node?.range) break;
      line = at(node.range[0]);
      i++;
    } else if (isMap(node)) {
      // A key with dots is written as several steps: join them until a key of the map matches.
      let found: any;
      let used = 0;
      for (let j = i, key = ''; j < parts.length && typeof parts[j] === 'string'; j++) {
        key = key ? `${key}.${parts[j]}` : String(parts[j]);
        const pair: any = node.items.find((p: any) => isScalar(p.key) && String(p.key.value) === key);
        if (pair) {
          found = pair;
          used = j - i + 1;
        }
      }
      if (!found) break;
      line = found.key?.range ? at(found.key.range[0]) : line;
      node = found.value;
      i += used;
    } else {
      break;
    }
  }
  return line;
}
