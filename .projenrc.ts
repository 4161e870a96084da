import { cdk8s, javascript } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-istio',
  packageName: 'cdk8s-istio',
  description: 'Typed cdk8s constructs for Istio: traffic management, security, egress and telemetry, validated at synth the way Istio would.',
  keywords: ['cdk8s', 'istio', 'kubernetes', 'service-mesh', 'virtualservice', 'gateway', 'cdk'],
  author: 'cdk8s-istio developers',
  authorAddress: 'cdk8s-istio@example.com',
  repositoryUrl: 'https://example.invalid/cdk8s-istio.git',
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
  bundledDeps: ['yaml@2.9.1', 'js-yaml@4.3.2', '@bufbuild/cel@0.6.1', '@bufbuild/protobuf@2.17.0', '@bufbuild/re2@0.6.1'],
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
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'examples', 'scripts', 'bench', 'projenrc'] },

  jestOptions: {
    // Snapshots are reviewed output: `test` never writes them, `test:update` does.
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      collectCoverage: false,
      testTimeout: 60_000,
    },
  },
  tsconfigDev: {
    compilerOptions: {},
    include: ['../examples/**/*.ts', '../bench/**/*.ts', '../scripts/**/*.ts'],
  },
  // Worktrees share one node_modules through a symlink; a trailing-slash pattern would not ignore the link.
  gitignore: ['/examples/*/dist/', '/.tmp/', '/node_modules'],
});

// jest 30 / eslint's resolver pull unrs-resolver@1.13.0, whose optional platform bindings are missing from
// the registry this project is built against; 1.12.2 is complete, and `npm ci` fails without the pin.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

for (const p of ['/examples/', '/bench/', '/scripts/', '/imports/', '/.ci/', '/API.md']) project.npmignore?.exclude(p);

// Python, Java and Go packages need PyPI, Maven Central and Go tooling that these machines cannot reach, so
// `package` builds the npm package only; CI proves the other languages with `jsii-pacmak --code-only`.
const packageTask = project.tasks.tryFind('package');
packageTask?.reset();
packageTask?.spawn(project.tasks.tryFind('package:js')!);

// The generated L1 bindings are committed and never hand-edited, so eslint --fix must not touch them.
project.eslint?.addIgnorePattern('src/imports/');

project.addTask('import:istio', {
  description: 'Regenerate the L1 bindings and the schema module in src/imports/ from the pinned CRDs in imports/istio-crds.yaml (offline)',
  steps: [
    { exec: 'cdk8s import istio:=imports/istio-crds.yaml --language typescript --output src/imports --no-check-upgrade' },
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
