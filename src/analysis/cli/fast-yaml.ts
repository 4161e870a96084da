// A fast reader for the YAML that `cdk8s synth` (the yaml package) and kubectl write: block mappings and
// sequences, plain, single- and double-quoted scalars on one line, literal block scalars (`|`, `|-`, `|+`),
// empty `{}`/`[]`, one-line flow sequences of scalars, comments. It gives the values js-yaml's `load` with
// CORE_SCHEMA gives (plain scalars resolved as js-yaml's implicit types resolve them, so `yes`, `0o17`, `1e3`,
// `.inf`, `~` mean what they mean there), and gives up (returns BAIL) on anything else: anchors, aliases, tags,
// flow mappings and nested flow collections, folded or indented block scalars, multi-line plain and quoted scalars,
// explicit keys, merge and duplicate keys, tabs, non-printable characters. The caller then asks js-yaml, which
// also gives every error and its position: a document is either read here to the value js-yaml gives, or read by
// js-yaml. test/analysis/cli-fast-yaml.test.ts compares both on every YAML file of the pinned Istio and Gateway
// API data, on the examples' output and on edge cases.

/** What `readFast` returns for a document it does not read (js-yaml must). @internal */
export const BAIL: unique symbol = Symbol('bail');

// js-yaml's test for characters a stream may not contain (loader.js PATTERN_NON_PRINTABLE), plus the tab (which
// may not indent), the byte-order mark and a `\r` that is not part of `\r\n`: such documents go to js-yaml.
// eslint-disable-next-line no-control-regex
const UNHANDLED_CHARS = /[\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFEFF\uFFFE\uFFFF]|\r(?!\n)|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

// eslint-disable-next-line no-control-regex
const NOT_PRINTABLE_ASCII = /[^\n\x20-\x7E]/;

const SPACE = 32;
const CR = 13;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const SQUOTE = 39;
const DQUOTE = 34;
const MAX_DEPTH = 50; // js-yaml stops at 100

/** Thrown inside the reader to give up; caught in `readFast`. */
class Bail {}
const BAIL_SIGNAL = new Bail();
let lastBail = '';

function bail(reason: string): never {
  lastBail = reason;
  throw BAIL_SIGNAL;
}

/** Why the last document `readFast` gave up on was left to js-yaml (for the differential test's counts). @internal */
export function lastBailReason(): string {
  return lastBail;
}

// A plain scalar may start with none of these (YAML 1.2 c-indicator, as js-yaml's readPlainScalar checks).
const NOT_PLAIN_START = new Uint8Array(128);
for (const c of ',[]{}#&*!|>\'"%@`') NOT_PLAIN_START[c.charCodeAt(0)] = 1;

// Plain scalars that one of js-yaml's implicit types may resolve: ints and floats start with a digit, a sign or a
// dot (1 here); null (`~`, `null`) and bools (`true`, `False`) start with one of `~nNtTfF` (2 here). Every other
// plain scalar is a string.
const MAY_RESOLVE = new Uint8Array(128);
for (const c of '0123456789+-.') MAY_RESOLVE[c.charCodeAt(0)] = 1;
for (const c of '~nNtTfF') MAY_RESOLVE[c.charCodeAt(0)] = 2;

/**
 * A plain scalar's value as js-yaml 4's CORE_SCHEMA resolves it: its implicit types null, bool, int, float, tried
 * in that order (js-yaml/lib/type/*.js, ported line by line so that js-yaml is loaded only for the documents this
 * reader leaves to it; the test compares both on every scalar of the test data and on generated ones).
 * @internal
 */
export function resolvePlain(text: string): unknown {
  const c = text.charCodeAt(0);
  const may = c < 128 ? MAY_RESOLVE[c] : 0;
  if (may === 2) {
    if (text.length === 1) return text === '~' ? null : text;
    if (text === 'null' || text === 'Null' || text === 'NULL') return null;
    if (text === 'true' || text === 'True' || text === 'TRUE') return true;
    if (text === 'false' || text === 'False' || text === 'FALSE') return false;
    return text;
  }
  if (may === 1) {
    if (isYamlInteger(text)) return parseYamlInteger(text);
    if (isYamlFloat(text)) return parseYamlFloat(text);
  }
  return text;
}

const isDec = (c: number) => c >= 0x30 && c <= 0x39;
const isOct = (c: number) => c >= 0x30 && c <= 0x37;
const isHex = (c: number) => isDec(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

/** js-yaml's resolveYamlInteger: decimal, 0b, 0x, 0o, with a sign; no underscores. */
function isYamlInteger(data: string): boolean {
  const max = data.length;
  let index = 0;
  if (!max) return false;
  let ch = data[index];
  if (ch === '-' || ch === '+') ch = data[++index];
  if (ch === '0') {
    if (index + 1 === max) return true;
    ch = data[++index];
    const digit = ch === 'b' ? (c: number) => c === 0x30 || c === 0x31 : ch === 'x' ? isHex : ch === 'o' ? isOct : undefined;
    if (digit) {
      let hasDigits = false;
      for (index++; index < max; index++) {
        if (!digit(data.charCodeAt(index))) return false;
        hasDigits = true;
      }
      return hasDigits && isFinite(parseYamlInteger(data));
    }
  }
  let hasDigits = false;
  for (; index < max; index++) {
    if (!isDec(data.charCodeAt(index))) return false;
    hasDigits = true;
  }
  return hasDigits && isFinite(parseYamlInteger(data));
}

/** js-yaml's parseYamlInteger (so `-0` is 0 and `-00` is -0, as there). */
function parseYamlInteger(data: string): number {
  let value = data;
  let sign = 1;
  let ch = value[0];
  if (ch === '-' || ch === '+') {
    if (ch === '-') sign = -1;
    value = value.slice(1);
    ch = value[0];
  }
  if (value === '0') return 0;
  if (ch === '0') {
    if (value[1] === 'b') return sign * parseInt(value.slice(2), 2);
    if (value[1] === 'x') return sign * parseInt(value.slice(2), 16);
    if (value[1] === 'o') return sign * parseInt(value.slice(2), 8);
  }
  return sign * parseInt(value, 10);
}

// js-yaml's YAML_FLOAT_PATTERN and YAML_FLOAT_SPECIAL_PATTERN.
const YAML_FLOAT = /^(?:[-+]?(?:[0-9]+)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const YAML_FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function isYamlFloat(data: string): boolean {
  if (!YAML_FLOAT.test(data)) return false;
  return isFinite(parseFloat(data)) || YAML_FLOAT_SPECIAL.test(data);
}

function parseYamlFloat(data: string): number {
  let value = data.toLowerCase();
  const sign = value[0] === '-' ? -1 : 1;
  if ('+-'.indexOf(value[0]) >= 0) value = value.slice(1);
  if (value === '.inf') return sign === 1 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  if (value === '.nan') return NaN;
  return sign * parseFloat(value);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\x00',
  'a': '\x07',
  'b': '\x08',
  't': '\x09',
  'n': '\x0A',
  'v': '\x0B',
  'f': '\x0C',
  'r': '\x0D',
  'e': '\x1B',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  'N': '\x85',
  '_': '\xA0',
  'L': '\u2028',
  'P': '\u2029',
};
const HEX_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/**
 * The reader of one document: `s` is the whole source, the document is `s[start, end)`. The cursor is a content
 * line (not blank, not only a comment): `ls` its start, `le` its end (before `\r\n`/`\n`), `ind` its indentation
 * (-1 past the document's end), `nx` the start of the line after it.
 */
class Reader {
  ls = 0;
  le = 0;
  nx = 0;
  ind = -1;
  depth = 0;
  // The key parsePair found: its value, and the position after its `:`.
  key = '';
  afterKey = 0;
  // The value of the last quoted scalar read.
  private quoted = '';
  // The value of the last flow sequence read.
  private flow: unknown[] = [];

  constructor(private readonly s: string, private readonly end: number) {}

  /** Move the cursor to the first content line at or after `from` (a line start). */
  seek(from: number): void {
    const s = this.s;
    const end = this.end;
    let p = from;
    while (p < end) {
      let nl = s.indexOf('\n', p);
      if (nl < 0 || nl > end) nl = end;
      let q = p;
      while (q < nl && s.charCodeAt(q) === SPACE) q++;
      let le = nl;
      if (le > p && s.charCodeAt(le - 1) === CR) le--;
      if (q < le && s.charCodeAt(q) !== HASH) {
        this.ls = p;
        this.le = le;
        this.nx = nl + 1;
        this.ind = q - p;
        return;
      }
      p = nl + 1;
    }
    this.ls = this.le = this.nx = end;
    this.ind = -1;
  }

  /** The document's root node; BAIL if it is not a mapping or a sequence this reader handles. */
  document(start: number): unknown {
    const s = this.s;
    this.seek(start);
    // `---` at the document's start: nothing may follow it on its line but a comment.
    if (this.ind === 0 && s.startsWith('---', this.ls)) {
      const after = this.skipSpaces(this.ls + 3);
      if (after < this.le && !(s.charCodeAt(after) === HASH && after > this.ls + 3)) bail('content after ---');
      this.seek(this.nx);
    }
    if (this.ind < 0) bail('empty document'); // empty documents: js-yaml says null or undefined
    if (s.charCodeAt(this.ls + this.ind) === 37 /* % */) bail('directive'); // directives
    const indent = this.ind;
    const c = this.ls + indent;
    let value: unknown;
    if (this.isSeqEntry(c)) value = this.sequence(indent);
    else if (this.parsePair(c)) value = this.mapping(indent);
    else bail('scalar document'); // a scalar document is not a manifest; js-yaml says what it is
    if (this.ind >= 0) bail('content after the root node'); // content after the root node: js-yaml's error
    return value;
  }

  private skipSpaces(p: number): number {
    const s = this.s;
    while (p < this.le && s.charCodeAt(p) === SPACE) p++;
    return p;
  }

  /** `-` followed by a space or the end of the line. */
  private isSeqEntry(p: number): boolean {
    if (this.s.charCodeAt(p) !== DASH) return false;
    return p + 1 >= this.le || this.s.charCodeAt(p + 1) === SPACE;
  }

  /** At the end of the line, or at a comment (`#` after a space). */
  private isLineEnd(p: number): boolean {
    return p >= this.le || (this.s.charCodeAt(p) === HASH && this.s.charCodeAt(p - 1) === SPACE);
  }

  /**
   * Whether an implicit key and its `:` start at `p`; if so `key` and `afterKey` are set. Returns false when the
   * line at `p` is not a key (a scalar), bails on keys this reader does not handle.
   */
  private parsePair(p: number): boolean {
    const s = this.s;
    const le = this.le;
    const c = s.charCodeAt(p);
    let key: string;
    let q: number;
    if (c === DQUOTE || c === SQUOTE) {
      const r = c === DQUOTE ? this.doubleQuoted(p) : this.singleQuoted(p);
      q = this.skipSpaces(r);
      if (q >= le || s.charCodeAt(q) !== COLON) return false;
      key = this.quoted;
    } else {
      if (c < 128 && NOT_PLAIN_START[c] === 1) return false;
      if ((c === DASH || c === 63 /* ? */ || c === COLON) && (p + 1 >= le || s.charCodeAt(p + 1) === SPACE)) return false;
      // The first `:` followed by a space or the line's end; a comment (`#` after a space) before it makes the
      // line a scalar and a comment.
      for (q = p + 1; ; q++) {
        if (q >= le) return false;
        const ch = s.charCodeAt(q);
        if (ch === COLON && (q + 1 >= le || s.charCodeAt(q + 1) === SPACE)) break;
        if (ch === HASH && s.charCodeAt(q - 1) === SPACE) return false;
      }
      let e = q;
      while (s.charCodeAt(e - 1) === SPACE) e--;
      key = String(resolvePlain(s.slice(p, e)));
    }
    if (q + 1 < le && s.charCodeAt(q + 1) !== SPACE) return false;
    this.key = key;
    this.afterKey = q + 1;
    return true;
  }

  private mapping(indent: number): object {
    if (++this.depth > MAX_DEPTH) bail('nesting depth');
    const out: Record<string, unknown> = {};
    for (;;) {
      const key = this.key;
      // Merge keys, prototype keys and duplicates: js-yaml's handling (or its error) applies.
      if (key === '<<' || key === '__proto__' || Object.prototype.hasOwnProperty.call(out, key)) bail('merge, __proto__ or duplicate key');
      const v = this.skipSpaces(this.afterKey);
      let value: unknown = null;
      if (this.isLineEnd(v)) {
        this.seek(this.nx);
        if (this.ind > indent) value = this.node(this.ls + this.ind, indent);
        else if (this.ind === indent && this.isSeqEntry(this.ls + indent)) value = this.sequence(indent);
      } else {
        value = this.scalar(v, indent);
      }
      out[key] = value;
      if (this.ind < indent) break;
      if (this.ind > indent || !this.parsePair(this.ls + indent)) bail('bad indentation or not a key');
    }
    this.depth--;
    return out;
  }

  private sequence(indent: number): unknown[] {
    if (++this.depth > MAX_DEPTH) bail('nesting depth');
    const out: unknown[] = [];
    do {
      const v = this.skipSpaces(this.ls + indent + 1);
      if (this.isLineEnd(v)) {
        this.seek(this.nx);
        out.push(this.ind > indent ? this.node(this.ls + this.ind, indent) : null);
      } else {
        out.push(this.node(v, indent));
      }
      if (this.ind > indent) bail('bad indentation in a sequence');
    } while (this.ind === indent && this.isSeqEntry(this.ls + indent));
    this.depth--;
    return out;
  }

  /** A node that starts at `p` (a block collection may), in a collection indented by `parent`. */
  private node(p: number, parent: number): unknown {
    const col = p - this.ls;
    if (this.isSeqEntry(p)) return this.sequence(col);
    if (this.parsePair(p)) return this.mapping(col);
    return this.scalar(p, parent);
  }

  /** A scalar (or `{}`, `[]`) at `p` in a collection indented by `parent`; the cursor moves past it. */
  private scalar(p: number, parent: number): unknown {
    const s = this.s;
    const c = s.charCodeAt(p);
    let value: unknown;
    if (c === DQUOTE || c === SQUOTE) {
      const r = c === DQUOTE ? this.doubleQuoted(p) : this.singleQuoted(p);
      const after = this.skipSpaces(r);
      if (!(after >= this.le || (after > r && s.charCodeAt(after) === HASH))) bail('content after a quoted scalar');
      value = this.quoted;
    } else if (c === 124 /* | */) {
      return this.literal(p, parent);
    } else if (c === 91 /* [ */ && s.charCodeAt(p + 1) !== 93 /* ] */) {
      const r = this.flowSequence(p);
      if (!this.isLineEnd(this.skipSpaces(r)) || (r < this.le && s.charCodeAt(r) !== SPACE)) bail('content after a flow sequence');
      value = this.flow;
    } else if ((c === 123 /* { */ || c === 91 /* [ */) && s.charCodeAt(p + 1) === c + 2) {
      if (!this.isLineEnd(this.skipSpaces(p + 2)) || (p + 2 < this.le && s.charCodeAt(p + 2) !== SPACE)) bail('flow collection');
      value = c === 123 ? {} : [];
    } else {
      if (c < 128 && NOT_PLAIN_START[c] === 1) bail('indicator ' + s[p]);
      if ((c === DASH || c === 63 /* ? */ || c === COLON) && (p + 1 >= this.le || s.charCodeAt(p + 1) === SPACE)) bail('indicator (anchor, alias, tag, flow, folded scalar)');
      let e = p;
      for (let q = p; q < this.le; q++) {
        const ch = s.charCodeAt(q);
        if (ch === COLON && (q + 1 >= this.le || s.charCodeAt(q + 1) === SPACE)) bail('a key in a plain value'); // a key here: js-yaml's error
        if (ch === HASH && s.charCodeAt(q - 1) === SPACE) break;
        if (ch !== SPACE) e = q + 1;
      }
      value = resolvePlain(s.slice(p, e));
    }
    this.seek(this.nx);
    // A more indented line continues a plain scalar (or is js-yaml's error after a quoted one).
    if (this.ind > parent) bail('multi-line plain scalar');
    return value;
  }


  /**
   * A flow sequence of scalars on one line at `p` (`[a, "b", 1]`); returns the position after its `]`. Nested
   * collections, pairs (`[a: b]`), empty entries and comments inside are left to js-yaml.
   */
  private flowSequence(p: number): number {
    const s = this.s;
    const le = this.le;
    const out: unknown[] = [];
    let q = this.skipSpaces(p + 1);
    for (;;) {
      if (q >= le) bail('multi-line flow sequence');
      const c = s.charCodeAt(q);
      if (c === DQUOTE || c === SQUOTE) {
        q = c === DQUOTE ? this.doubleQuoted(q) : this.singleQuoted(q);
        out.push(this.quoted);
      } else {
        // A plain scalar in a flow collection: no indicator first, up to `,` or `]` (js-yaml's readPlainScalar).
        if ((c < 128 && NOT_PLAIN_START[c] === 1) || c === DASH || c === 63 /* ? */ || c === COLON) bail('flow sequence entry');
        const from = q;
        let e = q;
        for (; q < le; q++) {
          const ch = s.charCodeAt(q);
          if (ch === 44 /* , */ || ch === 93 /* ] */) break;
          if (ch === COLON || ch === 91 || ch === 123 || ch === 125 || (ch === HASH && s.charCodeAt(q - 1) === SPACE)) bail('flow sequence entry');
          if (ch !== SPACE) e = q + 1;
        }
        out.push(resolvePlain(s.slice(from, e)));
      }
      q = this.skipSpaces(q);
      const sep = s.charCodeAt(q);
      if (q >= le) bail('multi-line flow sequence');
      if (sep === 93 /* ] */) break;
      if (sep !== 44 /* , */) bail('flow sequence entry');
      q = this.skipSpaces(q + 1);
      if (s.charCodeAt(q) === 93 /* ] */ || s.charCodeAt(q) === 44) bail('empty flow sequence entry');
    }
    this.flow = out;
    return q + 1;
  }

  /** A single-quoted scalar at `p` that ends on its line; returns the position after the closing quote. */
  private singleQuoted(p: number): number {
    const s = this.s;
    let out = '';
    let from = p + 1;
    for (;;) {
      const q = s.indexOf('\'', from);
      if (q < 0 || q >= this.le) bail('multi-line quoted scalar'); // multi-line: folded by js-yaml
      out += s.slice(from, q);
      if (s.charCodeAt(q + 1) === SQUOTE && q + 1 < this.le) {
        out += '\'';
        from = q + 2;
      } else {
        this.quoted = out;
        return q + 1;
      }
    }
  }

  /** A double-quoted scalar at `p` that ends on its line, with js-yaml's escapes. */
  private doubleQuoted(p: number): number {
    const s = this.s;
    let out = '';
    let from = p + 1;
    for (let q = from; ; q++) {
      if (q >= this.le) bail('multi-line quoted scalar'); // multi-line, or a `\` line continuation
      const ch = s.charCodeAt(q);
      if (ch === DQUOTE) {
        this.quoted = out + s.slice(from, q);
        return q + 1;
      }
      if (ch !== 92 /* \ */) continue;
      out += s.slice(from, q);
      const e = s[q + 1];
      if (q + 1 >= this.le) bail('multi-line quoted scalar');
      const simple = SIMPLE_ESCAPES[e];
      if (simple !== undefined && Object.prototype.hasOwnProperty.call(SIMPLE_ESCAPES, e)) {
        out += simple;
        q += 1;
      } else {
        const n = HEX_LENGTH[e];
        if (!Object.prototype.hasOwnProperty.call(HEX_LENGTH, e)) bail('escape');
        const hex = s.slice(q + 2, q + 2 + n);
        if (q + 2 + n > this.le || !/^[0-9a-fA-F]+$/.test(hex)) bail('escape');
        const code = parseInt(hex, 16);
        if (code > 0x10FFFF) bail('escape');
        out += String.fromCodePoint(code);
        q += 1 + n;
      }
      from = q + 1;
    }
  }

  /**
   * A literal block scalar (`|`, `|-`, `|+`) at `p`, in a collection indented by `parent`: its lines are those
   * indented at least as much as its first line (which must be indented more than `parent`), as js-yaml reads.
   */
  private literal(p: number, parent: number): string {
    const s = this.s;
    let h = p + 1;
    let chomp = 0; // 0 clip, -1 strip, 1 keep
    const m = s.charCodeAt(h);
    if (m === DASH) chomp = -1;
    else if (m === 43 /* + */) chomp = 1;
    if (chomp !== 0) h++;
    const after = this.skipSpaces(h);
    if (!(after >= this.le || (after > h && s.charCodeAt(after) === HASH))) bail('block scalar header'); // indentation indicator etc.
    // The content's lines, raw: js-yaml's readBlockScalar, without its indentation detection over leading blank lines.
    const end = this.end;
    let pos = this.nx;
    let textIndent = -1;
    let out = '';
    let emptyLines = 0;
    let read = false;
    let stop = end;
    while (pos < end) {
      let nl = s.indexOf('\n', pos);
      if (nl < 0 || nl > end) nl = end;
      let le = nl;
      if (le > pos && s.charCodeAt(le - 1) === CR) le--;
      let q = pos;
      const limit = textIndent < 0 ? le : pos + textIndent;
      while (q < limit && q < le && s.charCodeAt(q) === SPACE) q++;
      if (q >= le) {
        if (textIndent < 0 && q > pos) bail('block scalar leading blank lines'); // blank lines with spaces before the first: js-yaml's detection
        emptyLines++;
        pos = nl + 1;
        continue;
      }
      const indent = q - pos;
      if (textIndent < 0) {
        if (indent <= parent) {
          stop = pos;
          break;
        }
        textIndent = indent;
      } else if (indent < textIndent) {
        stop = pos;
        break;
      }
      out += '\n'.repeat(read ? 1 + emptyLines : emptyLines) + s.slice(q, le);
      read = true;
      emptyLines = 0;
      pos = nl + 1;
    }
    if (pos >= end) stop = end;
    if (!read) bail('empty block scalar'); // an empty block scalar: leave js-yaml's rules for it to js-yaml
    if (chomp === 1) out += '\n'.repeat(1 + emptyLines);
    else if (chomp === 0) out += '\n';
    this.seek(stop);
    if (this.ind > parent) bail('bad indentation after a block scalar');
    return out;
  }
}

/**
 * The value of the YAML document `text[start, end)` as js-yaml's `load(..., { schema: CORE_SCHEMA })` gives it,
 * or BAIL when the document uses YAML this reader does not handle (the caller then asks js-yaml).
 * @internal
 */
export function readFast(text: string, start = 0, end = text.length): unknown {
  const doc = start === 0 && end === text.length ? text : text.slice(start, end);
  // Most documents are printable ASCII: the full test (slow on surrogates) only for those that are not.
  if (NOT_PRINTABLE_ASCII.test(doc) && UNHANDLED_CHARS.test(doc)) {
    lastBail = 'tab, non-printable character, byte-order mark or lone CR';
    return BAIL;
  }
  try {
    return new Reader(text, end).document(start);
  } catch (e) {
    if (e === BAIL_SIGNAL) return BAIL;
    throw e;
  }
}
