// `--meshConfigFile` / `--meshNetworksFile`: istioctl's file formats, a MeshConfig (what the `mesh` key of the
// `istio` ConfigMap holds) and a MeshNetworks (`networks: {...}`). The `istio` ConfigMap itself is accepted too:
// its `mesh` and `meshNetworks` keys are read.
import * as fs from 'fs';

/** The mesh config and mesh networks that one file gives. */
interface MeshFiles {
  readonly meshConfig?: { [key: string]: any };
  readonly meshNetworks?: { [key: string]: any };
}

function parseMapping(text: string, what: string): { [key: string]: any } {
  // Required only when a mesh file is given (startup time of every other run).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const value = (require('yaml') as typeof import('yaml')).parse(text);
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${what} must be a YAML mapping (got ${Array.isArray(value) ? 'a list' : JSON.stringify(value)})`);
  return value;
}

/**
 * Read a mesh config (`kind` `meshConfig`) or mesh networks file; throws an Error naming the file.
 * @internal
 */
export function readMeshFile(file: string, kind: 'meshConfig' | 'meshNetworks'): MeshFiles {
  let value: { [key: string]: any };
  try {
    value = parseMapping(fs.readFileSync(file, 'utf-8'), file);
  } catch (e) {
    throw new Error(`the ${kind === 'meshConfig' ? 'mesh config' : 'mesh networks'} file ${file}: ${(e as Error).message}`);
  }
  if (value.kind === 'ConfigMap' && value.data && typeof value.data === 'object') {
    const meshConfig = typeof value.data.mesh === 'string' ? parseMapping(value.data.mesh, `${file} data.mesh`) : undefined;
    const meshNetworks = typeof value.data.meshNetworks === 'string' ? parseMapping(value.data.meshNetworks, `${file} data.meshNetworks`) : undefined;
    return { meshConfig, meshNetworks };
  }
  return kind === 'meshConfig' ? { meshConfig: value } : { meshNetworks: value };
}
