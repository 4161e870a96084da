// Minimal, deterministic output: no undefined, no empty lists or objects. `weight: 0` and `false` are kept
// because they are meaningful (controllers and GitOps diffs rely on an explicit zero weight).

/**
 * Copy `value` without undefined fields, empty arrays and empty objects (recursively).
 * @internal
 */
export function compact<T>(value: T): T {
  return prune(value) as T;
}

function prune(value: any): any {
  if (Array.isArray(value)) {
    const out = value.map(prune).filter(v => v !== undefined);
    return out.length === 0 ? undefined : out;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, any> = {};
    let any = false;
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v);
      if (p !== undefined) {
        out[k] = p;
        any = true;
      }
    }
    return any ? out : undefined;
  }
  return value;
}
