// Reading manifests on the command line, one document at a time, so a bad document is one finding and every other
// document is still analysed: the fast reader of what `cdk8s synth` and kubectl write (fast-yaml.ts), js-yaml for
// every document it does not handle (about 10x the yaml package's parser, and the reference for the fast reader's
// values). Line numbers of findings come from the yaml package's positions, computed only for the documents that
// have findings (see lines.ts).
import * as fs from 'fs';
import * as path from 'path';
import { BAIL, readFast } from './fast-yaml';
import { renderValue } from '../../core/errors';
import { Diagnostic } from '../diagnostic';
import { ManifestEntry } from '../engine';
import { documentationUrl, formatMessage, Messages, MessageType } from '../messages';

type JsYaml = { CORE_SCHEMA: object; load(text: string, opts: object): unknown };
// Required on the first document the fast reader leaves to it: most runs never load js-yaml (startup time).
let jsyamlLib: JsYaml | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsyaml = () => (jsyamlLib ??= require('js-yaml') as JsYaml);

/** The code of a document that is not a manifest (exit 65 rather than 79, as istioctl's parse errors). @internal */
export const UNPARSABLE = Messages.UnparsableManifest.code;

/** Where an object came from: the document's text range in its source, for line lookups. */
interface DocumentLocation {
  readonly source: string;
  /** 1-based line of the document's first line in the source. */
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

/** A manifest with the place it was read from. @internal */
export interface ReadEntry extends ManifestEntry {
  readonly location: DocumentLocation;
}

/** What reading one source gave: the objects, and one finding per document that is not a manifest. */
interface ReadResult {
  readonly entries: ReadEntry[];
  readonly problems: Diagnostic[];
}

/** A finding about input that is not an object: the file, the line and the problem. @internal */
export function inputProblem(msg: MessageType, source: string | undefined, line: number | undefined, detail: string, fix?: string): Diagnostic {
  return {
    code: msg.code,
    level: msg.level,
    message: formatMessage(msg, undefined, detail),
    detail,
    fix,
    line,
    source,
    documentationUrl: documentationUrl(msg.code),
    apiVersion: '',
    kind: '',
    name: '',
  };
}

const CDK8S_CONSTRUCT_METADATA = 'construct-metadata.json';

/** YAML files below the given paths, in a stable order (`-` is stdin). @internal */
export function collectFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const visit = (p: string, top: boolean) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p).sort()) {
        // cdk8s-cli writes construct-metadata.json beside the manifests when validation plugins run: it is
        // cdk8s' own bookkeeping, not a Kubernetes object (a file named on the command line is still read).
        if (e === 'node_modules' || e.startsWith('.') || e === CDK8S_CONSTRUCT_METADATA) continue;
        const child = path.join(p, e);
        if (fs.statSync(child).isDirectory() || /\.(ya?ml|json)$/.test(e)) visit(child, false);
      }
    } else if (top || /\.(ya?ml|json)$/.test(p)) {
      out.push(p);
    }
  };
  for (const p of paths) {
    if (p === '-') out.push(p);
    else visit(p, true);
  }
  return out;
}

// A document marker at column 0 (`---`, optionally followed by content) or an end marker (`...`).
function isMarker(text: string, at: number): 'start' | 'end' | undefined {
  const c = text.charCodeAt(at);
  if (c !== 45 && c !== 46) return undefined;
  const marker = c === 45 ? '---' : '...';
  if (!text.startsWith(marker, at)) return undefined;
  const next = text.charCodeAt(at + 3);
  if (Number.isNaN(next) || next === 10 || next === 13 || next === 32 || next === 9) return c === 45 ? 'start' : 'end';
  return undefined;
}

/** Split a YAML stream into documents at `---` lines, with the line each starts at. @internal */
export function splitDocuments(text: string): Array<{ start: number; end: number; line: number }> {
  const docs: Array<{ start: number; end: number; line: number }> = [];
  let docStart = 0;
  let docLine = 1;
  let pos = 0;
  let line = 1;
  while (pos < text.length) {
    const m = isMarker(text, pos);
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    if (m === 'start') {
      if (pos > docStart) docs.push({ start: docStart, end: pos, line: docLine });
      docStart = pos;
      docLine = line;
    } else if (m === 'end') {
      docs.push({ start: docStart, end: pos, line: docLine });
      docStart = eol + 1;
      docLine = line + 1;
    }
    pos = eol + 1;
    line++;
  }
  if (docStart < text.length) docs.push({ start: docStart, end: text.length, line: docLine });
  return docs;
}

/** The line of a document's first content: not its `---`, a blank line or a comment. */
function contentLine(text: string, d: { start: number; end: number; line: number }): number {
  const lines = text.slice(d.start, d.end).split('\n');
  const i = lines.findIndex((l, n) => !(n === 0 && /^---(\s|$)/.test(l)) && !/^\s*(#.*)?$/.test(l));
  return d.line + Math.max(i, 0);
}

/** Parse every document of one source; `List` objects are flattened. @internal */
export function readManifestText(text: string, source: string): ReadResult {
  const entries: ReadEntry[] = [];
  const problems: Diagnostic[] = [];
  for (const d of splitDocuments(text)) {
    let value = readFast(text, d.start, d.end);
    if (value === BAIL) {
      try {
        value = jsyaml().load(text.slice(d.start, d.end), { schema: jsyaml().CORE_SCHEMA, filename: source });
      } catch (e) {
        const err = e as { reason?: string; message: string; mark?: { line: number } };
        problems.push(inputProblem(Messages.UnparsableManifest, source, d.line + (err.mark?.line ?? 0),
          `not valid YAML: ${err.reason ?? err.message}`, 'fix the YAML syntax at this line'));
        continue;
      }
    }
    if (value === null || value === undefined) continue;
    const location = { source, line: d.line, start: d.start, end: d.end };
    const object = value as any;
    const items = typeof object === 'object' && !Array.isArray(object) && object.kind === 'List' && Array.isArray(object.items) ? object.items : [object];
    for (const item of items) {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        const what = item === null ? 'null' : Array.isArray(item) ? 'list' : typeof item;
        problems.push(inputProblem(Messages.UnparsableManifest, source, contentLine(text, d),
          `the YAML document is a ${what} (got ${renderValue(item)}), not a Kubernetes object`,
          'each document must be a mapping with apiVersion, kind and metadata'));
        continue;
      }
      entries.push({ object: item, source, location });
    }
  }
  return { entries, problems };
}
