// Field-by-field comparison of our output with Istio's sample documents, shared by the conformance suites.
// (Not a suite itself: the runner skips modules without a `suite` export.)

/** Drop null/undefined and empty lists and maps, recursively: emptiness is not a difference Istio sees. */
export function dropEmpty(v: any): any {
  if (Array.isArray(v)) {
    const out = v.map(dropEmpty).filter(x => x !== undefined);
    return out.length ? out : undefined;
  }
  if (v !== null && typeof v === 'object') {
    const out: any = {};
    for (const [k, x] of Object.entries(v)) {
      const p = dropEmpty(x);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v === null ? undefined : v;
}

/** Field paths where `a` (ours) and `b` (the sample) differ, appended to `out`. */
export function diff(a: any, b: any, at: string, out: string[]): void {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${at}: ${a.length} entries, sample has ${b.length}`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) diff(a[i], b[i], `${at}[${i}]`, out);
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diff(a[k], b[k], at ? `${at}.${k}` : k, out);
    return;
  }
  if (a !== b) out.push(`${at}: ours ${JSON.stringify(a)}, sample ${JSON.stringify(b)}`);
}
