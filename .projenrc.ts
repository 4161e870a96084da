import { cdk8s, javascript } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-istio',
  packageName: 'cdk8s-istio',
  description: 'Typed cdk8s constructs for Istio: traffic management, security, egress and telemetry, validated at synth the way Istio would.',
  keywords: ['cdk8s', 'istio', 'kubernetes', 'service-mesh', 'virtualservice', 'gateway', 'cdk'],
  author: 'cdk8s-istio developers',
  authorAddress: 'cdk8s-istio@example.com',
  // One GitHub organization for every target: the npm repository, the Go module and the Java/.NET names below.
  repositoryUrl: 'https://github.com/cdk8s-istio/cdk8s-istio.git',
  homepage: 'https://github.com/cdk8s-istio/cdk8s-istio#readme',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~6.0.0',

  // Peer ranges are what users may bring; the dev copies are the versions we build and test with.
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.0.0',
  peerDependencyOptions: { pinnedDevDependency: false },

  // No GitHub, release or upgrade machinery: this repository is built by .ci/run.
  github: false,
  release: false,
  depsUpgrade: false,
  buildWorkflow: false,
  pullRequestTemplate: false,

  // Non-jsii runtime dependencies are bundled into the package.
  // @bufbuild/protobuf is a peer dependency of @bufbuild/cel, so it must be bundled explicitly.
  // @bufbuild/re2 (already pulled in by @bufbuild/cel, same version) compiles regexes the way istiod's Go does.
  // js-yaml reads manifests on the command line ~10x faster than yaml's parser (bench: 12,400 objects 0.65 s vs
  // 7 s); yaml stays for positions (line numbers of findings) and for writing YAML.
  // @viz-js/viz is Graphviz compiled to WebAssembly (MIT, no dependencies): `graph -o svg` without a system
  // binary; loaded only for that output.
  bundledDeps: ['yaml@2.9.1', 'js-yaml@4.3.2', '@bufbuild/cel@0.6.1', '@bufbuild/protobuf@2.17.0', '@bufbuild/re2@0.6.1', '@viz-js/viz@3.31.0'],
  devDeps: [
    'cdk8s@2.70.106',
    'constructs@10.8.1',
    'cdk8s-cli@2.207.60',
    'cdk8s-plus-28@2.5.6',
    'cdk8s-plus-33@2.5.57',
    'fast-check@^4',
    '@types/node@^20',
    'typescript@~6.0.3',
  ],

  bin: { 'cdk8s-istio': 'bin/cdk8s-istio' },
  // Targets for jsii-pacmak; nothing is published from here (CI only proves the API translates).
  publishToPypi: { distName: 'cdk8s-istio', module: 'cdk8s_istio' },
  publishToMaven: { javaPackage: 'io.github.cdk8s_istio', mavenGroupId: 'io.github.cdk8s-istio', mavenArtifactId: 'cdk8s-istio' },
  publishToGo: { moduleName: 'github.com/cdk8s-istio/cdk8s-istio-go' },
  publishToNuget: { dotNetNamespace: 'Cdk8sIstio', packageId: 'Cdk8sIstio' },
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'examples', 'scripts', 'bench', 'projenrc'] },

  jestOptions: {
    // Snapshots are reviewed output: `test` never writes them, `test:update` does.
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // The examples import from 'cdk8s-istio' as a user's app does; their tests run them against src/.
      moduleNameMapper: { '^cdk8s-istio$': '<rootDir>/src' },
      collectCoverage: false,
      testTimeout: 60_000,
    },
  },
  tsconfigDev: {
    // Type-checks the examples' `import ... from 'cdk8s-istio'` against src/ (at runtime: examples/tsconfig.json).
    compilerOptions: { paths: { 'cdk8s-istio': ['../src/index.ts'] } },
    include: ['../examples/**/*.ts', '../bench/**/*.ts', '../scripts/**/*.ts'],
  },
  // Worktrees share one node_modules through a symlink; a trailing-slash pattern would not ignore the link.
  gitignore: ['/examples/*/dist/', '/.tmp/', '/node_modules'],
});

// jest 30 / eslint's resolver pull unrs-resolver@1.13.0, whose optional platform bindings are missing from
// the registry this project is built against; 1.12.2 is complete, and `npm ci` fails without the pin.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

for (const p of ['/examples/', '/bench/', '/scripts/', '/imports/', '/.ci/', '/API.md']) project.npmignore?.exclude(p);

// The bundled dependencies ship files that never run here (ESM and browser copies, cel-spec's conformance
// testdata, type declarations no .d.ts of ours refers to); npm packs a bundled package whole, so the packed
// tarball is rewritten without them.
project.tasks.tryFind('package:js')!.exec('bash scripts/trim-package.sh dist/js/*.tgz');

// API.md grouped by area (networking, security, ...) with a table of contents; still generated, never edited.
project.tasks.tryFind('docgen')!.exec('ts-node --transpile-only --project test/tsconfig.json scripts/group-api-md.ts API.md');

// The examples import 'cdk8s-istio': eslint resolves it through test/tsconfig.json's `paths`, like tsc.
project.eslint?.addOverride({
  files: ['examples/**/*.ts'],
  settings: { 'import/resolver': { node: {}, typescript: { project: './test/tsconfig.json', alwaysTryTypes: true } } },
} as any);

// Python, Java and Go packages need PyPI, Maven Central and Go tooling that these machines cannot reach, so
// `package` builds the npm package only; CI proves the other languages with `jsii-pacmak --code-only`.
const packageTask = project.tasks.tryFind('package');
packageTask?.reset();
packageTask?.spawn(project.tasks.tryFind('package:js')!);

// The generated L1 bindings are committed and never hand-edited, so eslint --fix must not touch them.
project.eslint?.addIgnorePattern('src/imports/');

project.addTask('import:istio', {
  description: 'Regenerate the L1 bindings and schema modules in src/imports/ from the CRD files of imports/sources.json, read from ../shared (or $CDK8S_ISTIO_SHARED) and checked by sha256 (offline)',
  steps: [
    { exec: 'ts-node --transpile-only --project test/tsconfig.json scripts/import-crds.ts' },
    { exec: 'ts-node --transpile-only --project test/tsconfig.json scripts/fast-l1-tojson.ts' },
    { exec: 'ts-node --transpile-only --project test/tsconfig.json scripts/gen-schemas.ts' },
  ],
});

project.addTask('gen:messages', {
  description: 'Regenerate src/analysis/messages/catalog.generated.ts from Istio\'s analysis-messages.yaml in ../shared/istio (offline)',
  steps: [{ exec: 'ts-node --transpile-only --project test/tsconfig.json scripts/gen-messages.ts', receiveArgs: true }],
});

project.addTask('examples', {
  description: 'Synthesize every example into examples/<name>/dist with cdk8s-cli',
  steps: [{ exec: 'bash scripts/synth-examples.sh' }],
});

project.addTask('bench', {
  description: 'Synth benchmark (issue #8): constructs + analysis vs raw ApiObjects; `npx projen bench -- --n 100 --reps 1` for a smoke run',
  steps: [{ exec: 'ts-node --transpile-only --project test/tsconfig.json bench/synth.ts', receiveArgs: true }],
});

project.addTask('conformance', {
  description: 'Run the conformance scripts against ../shared/istio (prints counts; skips with a message when ../shared is absent)',
  steps: [{ exec: 'ts-node --transpile-only --project test/tsconfig.json scripts/conformance.ts' }],
});

project.synth();
