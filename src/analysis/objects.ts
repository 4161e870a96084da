// Helpers for reading plain manifests, whose fields may hold anything: the one home of "is this a JSON object"
// for rules, analyzers and the schema check.

/**
 * Whether `v` is a JSON object (not null, not a list). Typed loosely, since rules read fields of unknown shape.
 * @internal
 */
export function isObj(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `v` when it is a JSON object, else `{}`: a field that is absent or ill-typed reads as empty. @internal */
export function objOf(v: unknown): Record<string, any> {
  return isObj(v) ? v : {};
}

/** `v` when it is a list, else `[]`: a list field that is absent or ill-typed reads as empty. @internal */
export function listOf(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

/** A label or annotation map, or `{}` when absent or not a map. @internal */
export function mapOf(value: unknown): Record<string, string> {
  return objOf(value) as Record<string, string>;
}

/** A selector's label map when it has at least one label, else undefined (no selector: the whole namespace). @internal */
export function nonEmptyMap(value: unknown): Record<string, string> | undefined {
  return isObj(value) && Object.keys(value).length > 0 ? value : undefined;
}
