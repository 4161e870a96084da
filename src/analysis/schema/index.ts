// The schema + CEL check (IST0106) of Istio and Kubernetes Gateway API objects: judges an object as the API
// server with the pinned CRDs would (served apiVersion/kind, the OpenAPI schema of the object's own version with
// its defaults applied, then every x-kubernetes-validations rule), and also reports unknown fields, which the
// API server would drop without a word.
import { Path, SchemaNode, Sink, compileSchema } from './compile';
import { joinPath } from '../../core/errors';
import { GATEWAY_API_SCHEMAS } from '../../imports/gateway-api-schemas';
import { ISTIO_SCHEMAS } from '../../imports/istio-schemas';
import { ObjectRule, Reporter, groupOf } from '../engine';
import { Messages } from '../messages';

const TOP_LEVEL = new Set(['apiVersion', 'kind', 'metadata', 'spec', 'status']);

/** Every kind the pinned CRDs define, by `group/Kind`: Istio's and the Gateway API's experimental channel. */
const SCHEMAS: typeof ISTIO_SCHEMAS = { ...ISTIO_SCHEMAS, ...GATEWAY_API_SCHEMAS };

/**
 * Compiled on the first object of each kind and version: most programs touch a few kinds and never pay for the
 * rest. Keyed by the schema's JSON, so the served versions that share one schema share one compiled node.
 */
const compiled = new Map<string, SchemaNode>();
function nodeFor(entry: (typeof SCHEMAS)[string], version: string): SchemaNode {
  const json = entry.versionSchemas?.[version] ?? entry.schema;
  let node = compiled.get(json);
  if (!node) {
    node = compileSchema(JSON.parse(json));
    compiled.set(json, node);
  }
  return node;
}

function render(path: Path | undefined): string {
  const parts: Array<string | number> = [];
  for (let p = path; p; p = p.up) parts.push(p.key);
  return joinPath(...parts.reverse());
}

/** @internal */
export const schemaRule: ObjectRule = {
  // The engine runs this rule on every object of a group these kinds belong to, served kind or not.
  get kinds() {
    return Object.keys(SCHEMAS);
  },
  check(obj: any, report: Reporter) {
    const apiVersion = obj.apiVersion;
    const group = groupOf(apiVersion);
    const groupKind = `${group}/${obj.kind}`;
    const entry = SCHEMAS[groupKind];
    if (!entry) {
      const kinds = Object.keys(SCHEMAS).filter(gk => gk.startsWith(`${group}/`)).map(gk => gk.slice(group.length + 1));
      report(Messages.SchemaValidationError, { field: 'kind', problem: `no matches for kind ${JSON.stringify(String(obj.kind))} in group ${JSON.stringify(group)}`, got: obj.kind, fix: `kinds: ${kinds.join(', ')}` });
      return;
    }
    const version = String(apiVersion).slice(group.length + 1);
    if (!entry.versions.includes(version)) {
      report(Messages.SchemaValidationError, { field: 'apiVersion', problem: `no matches for kind ${JSON.stringify(obj.kind)} in version ${JSON.stringify(apiVersion)}`, got: apiVersion, fix: `served versions: ${entry.versions.join(', ')}` });
      return;
    }
    // The schema covers spec and status; apiVersion, kind and metadata are the API server's own.
    const body: Record<string, unknown> = {};
    for (const key of Object.keys(obj)) {
      if (!TOP_LEVEL.has(key)) report(Messages.SchemaValidationError, { field: key, problem: 'unknown field', fix: 'top-level fields: apiVersion, kind, metadata, spec, status' });
      else if (key === 'spec' || key === 'status') body[key] = obj[key];
    }
    // metadata is the envelope rule's (rules/metadata.ts), for every group alike.
    const sink: Sink = (path, problem, got, allowed) => report(Messages.SchemaValidationError, { field: render(path), problem, got, fix: allowed });
    const node = nodeFor(entry, version);
    // Defaults first, as the API server applies them on decoding: CEL rules read defaulted fields (a parentRef's
    // `kind: Gateway`), and a defaulted field is not missing.
    // The Gateway API kinds default an absent `status` too; the controller writes status, not the manifest, so
    // only what the manifest holds is defaulted and judged.
    const defaulted = node.withDefaults(body) as Record<string, unknown>;
    if (defaulted !== body && body.status === undefined) delete defaulted.status;
    node.check(defaulted, undefined, sink);
  },
};
