// The CRD files behind src/imports/ are read from the shared data directory, never from a copy in the repository:
// what generation says when the directory is missing or holds a different file.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listSources, resolveSources } from '../../scripts/sources';

function withShared<T>(dir: string, fn: () => T): T {
  const saved = process.env.CDK8S_ISTIO_SHARED;
  process.env.CDK8S_ISTIO_SHARED = dir;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.CDK8S_ISTIO_SHARED; else process.env.CDK8S_ISTIO_SHARED = saved;
  }
}

test('imports/sources.json pins the Istio and Gateway API CRD files by path and sha256, and the repository holds no copy of them', () => {
  expect(listSources().map(s => [s.name, s.path, s.sha256, s.schemas])).toEqual([
    ['istio', 'istio/crds/istio-crds.yaml', 'dcb43ff6b9af2f629b80b6a82597f5a91db259c757e66cc5353ac007da28351a', 'src/imports/istio-schemas.ts'],
    ['gateway-api', 'gateway-api/crds/experimental-crds.yaml', '73bc9e41af50e40eb30c17f52f291e13a506eaef4c4d62fe7bfc1c5e18112e43', 'src/imports/gateway-api-schemas.ts'],
  ]);
  expect(fs.readdirSync(path.join(__dirname, '..', '..', 'imports'))).toEqual(['sources.json']);
});

test('a missing shared directory is one error that says where the file is looked for and what to do', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'no-shared-'));
  expect(() => withShared(empty, () => resolveSources())).toThrow([
    `istio: ${empty}/istio/crds/istio-crds.yaml not found.`,
    `Generation reads the third-party files listed in imports/sources.json from the shared data directory (${empty});`,
    'this repository keeps no copy of them. Check the shared directory out beside the repository as ../shared, or set',
    'CDK8S_ISTIO_SHARED to its path; the file itself comes from https://github.com/istio/istio/blob/1.30.3/manifests/charts/base/files/crd-all.gen.yaml (commit 56df41f63e513f834c9a3af33d8aed82d1d961f2).',
    'Building and testing do not need it: the generated src/imports/ is committed.',
  ].join('\n'));
});

test('a file with another sha256 is refused, naming both hashes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'other-shared-'));
  fs.mkdirSync(path.join(dir, 'istio', 'crds'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'istio', 'crds', 'istio-crds.yaml'), 'x\n');
  expect(() => withShared(dir, () => resolveSources())).toThrow(
    `istio: ${dir}/istio/crds/istio-crds.yaml has sha256 73cb3858a687a8494ca3323053016282f3dad39d42cf62ca4e79dda2aac7d9ac, `
    + 'but imports/sources.json pins dcb43ff6b9af2f629b80b6a82597f5a91db259c757e66cc5353ac007da28351a.');
});

test('an unknown source name is refused with the known ones', () => {
  expect(() => resolveSources(['gateway'])).toThrow('imports/sources.json has no source named gateway (known: istio, gateway-api)');
});
