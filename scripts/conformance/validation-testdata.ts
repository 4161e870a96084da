// Conformance of the schema + CEL check: every document of Istio's CRD validation fixtures
// (validation-testdata/crds/*-valid.yaml and *-invalid.yaml) is run through the schema rule alone. A valid
// document must be accepted, an invalid one rejected; for rejections we also count how many report the
// fixture's expected API-server error (`_err`, stripped before checking).
//
// The API server prints `<field>: Invalid value: ...: <field> in body <problem>`, `<field>: Required value`,
// `<field>: Unsupported value: "X"`; we print `<Kind>.<field>: <problem> (got ...)`. A rejection "matches"
// when `_err` is a substring of our message or of the API-server rendering of the same field and problem.
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { Diagnostic, IstioAnalysis } from '../../src';
import { renderValue } from '../../src/core/errors';
import type { Suite, SuiteResult } from '../conformance';

/**
 * Fixtures from Istio master (1.32-dev) that the pinned 1.30.3 CRDs judge differently, with the reason.
 * Keyed by `<file> <kind>/<name>`.
 */
const EXPLAINED: Record<string, string> = {
  'destinationrule-valid.yaml DestinationRule/bookinfo-ratings-http2-ping':
    'connectionPool.http.http2KeepAlive is newer than the pinned CRDs (1.30.3 has no such field)',
  'envoyfilter-valid.yaml EnvoyFilter/merge-and-replace-list':
    'patch operation MERGE_AND_REPLACE_LIST is newer than the pinned CRDs (not in the 1.30.3 enum)',
  'reqauth-valid.yaml RequestAuthentication/full': 'jwtRules.presence is newer than the pinned CRDs (1.30.3 has no such field)',
  'reqauth-invalid.yaml RequestAuthentication/invalid-presence-value':
    'jwtRules.presence is newer than the pinned CRDs: rejected here as an unknown field, not for its enum value',
  'serviceentry-valid.yaml ServiceEntry/full':
    'the flow item `001:db8::` ends in ":" before "]", which YAML 1.2 (the yaml package) reads as a one-entry map and Go\'s yaml.v2 as a string',
};

/** The API server's renderings of one diagnostic, for comparing with `_err`. */
function apiServerRenderings(d: Diagnostic, problem: string): string[] {
  const field = d.field ?? '';
  return [
    `${field}: ${problem}`,
    `${field} in body ${problem}`,
    `${field}: Invalid value: ${problem}`,
    `${field}: Invalid value: "object": ${problem}`,
    `${field}: Invalid value: "integer": ${problem}`,
    `${field}: Invalid value: "string": ${problem}`,
  ];
}

/** The problem part of our message: what follows `<Kind>.<field>: `, with the engine's `(got ...)` kept. */
function problemOf(d: Diagnostic): string {
  const prefix = `${d.kind}${d.field ? `.${d.field}` : ''}: `;
  return d.message.startsWith(prefix) ? d.message.slice(prefix.length) : d.message;
}

function matches(err: string, diagnostics: Diagnostic[]): boolean {
  for (const d of diagnostics) {
    if (d.message.includes(err)) return true;
    const problem = problemOf(d);
    const candidates = [problem];
    // `Unsupported value (got "X"; ...)` is the API server's `Unsupported value: "X": ...`.
    const got = /^(Unsupported value|Duplicate value) \(got (.*?)(;|\)$)/.exec(problem);
    if (got) candidates.push(`${got[1]}: ${got[2]}`);
    // `must be of type string: "null"` is printed the same way by both.
    for (const c of candidates) {
      if (apiServerRenderings(d, c).some(r => r.includes(err))) return true;
    }
  }
  return false;
}

export const suite: Suite = {
  name: 'validation-testdata',
  run(sharedDir: string): SuiteResult {
    const dir = path.join(sharedDir, 'istio', 'samples', 'validation-testdata', 'crds');
    const files = fs.readdirSync(dir).filter(f => /-(in)?valid\.yaml$/.test(f)).sort();
    const failures: string[] = [];
    const explained: string[] = [];
    let agreed = 0;
    let total = 0;
    let rejections = 0;
    let messageMatches = 0;
    const messageMisses: string[] = [];
    for (const file of files) {
      const expectValid = file.endsWith('-valid.yaml');
      for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))) {
        const obj = doc.toJS();
        if (!obj || typeof obj !== 'object') continue;
        const err: string | undefined = obj._err;
        delete obj._err;
        total++;
        const id = `${file} ${obj.kind}/${obj.metadata?.name}`;
        const errors = IstioAnalysis.analyze([obj]).filter(d => d.code === 'IST0106');
        const accepted = errors.length === 0;
        if (accepted === expectValid) {
          agreed++;
        } else if (EXPLAINED[id]) {
          explained.push(`${id}: ${EXPLAINED[id]}`);
        } else {
          failures.push(`${id}: expected ${expectValid ? 'valid' : `invalid (${renderValue(err)})`}, got ${accepted ? 'accepted' : errors.map(e => e.message).join(' | ')}`);
        }
        if (!expectValid && !accepted) {
          rejections++;
          if (err !== undefined && matches(err, errors)) messageMatches++;
          else if (EXPLAINED[id]) explained.push(`${id}: ${EXPLAINED[id]}`);
          else messageMisses.push(`${id}: _err ${renderValue(err)}; we said ${errors.map(e => e.message).join(' | ')}`);
        }
      }
    }
    console.log(`validation-testdata: ${rejections} rejections of invalid documents, ${messageMatches} report the fixture's _err`);
    for (const e of explained) console.log(`  explained: ${e}`);
    for (const m of messageMisses) console.log(`  message differs: ${m}`);
    return { name: 'validation-testdata', agreed, total, failures };
  },
};
