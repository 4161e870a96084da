// `cdk8s-istio analyze`: a drop-in for `istioctl analyze --use-kube=false` in CI, with istioctl's flags, output
// formats and exit codes, plus SARIF and GitHub annotations. The input is the whole world unless `--partial`.
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs, ParseArgsConfig } from 'util';
import { FORMATS, Format, LEVEL_NAMES, render, sortFindings } from './format';
import { lineFinder } from './lines';
import { readMeshFile } from './mesh-config';
import { collectFiles, inputProblem, readManifestText, ReadEntry, UNPARSABLE } from './read';
import { isSuppressed, parseSuppressions, Suppression } from './suppress';
import { Diagnostic, DiagnosticLevel } from '../diagnostic';
import { PRIMARY_CLUSTER, runAnalysis } from '../engine';
import { Messages, MESSAGES_BY_CODE, MessageType } from '../messages';
import { EngineOptions } from '../options';
import { CROSS_RULES, OBJECT_RULES } from '../rules';
import { schemaRule } from '../schema';

/** istioctl's exit codes (istioctl/cmd: ExitUnknownError, ExitIncorrectUsage, ExitDataError, ExitAnalyzerFoundIssues). @internal */
export const EXIT = { OK: 0, UNKNOWN: 1, USAGE: 64, UNPARSABLE: 65, FOUND_ISSUES: 79 } as const;

/** What a subcommand may touch. @internal */
export interface CommandIO {
  out(s: string): void;
  err(s: string): void;
  /** The whole of standard input, read when a path is `-`. */
  stdin(): string;
}

/** One subcommand of `cdk8s-istio`. @internal */
export interface Subcommand {
  readonly summary: string;
  run(argv: string[], io: CommandIO): number;
}

/** The engine options the command line sets. */
type CommandLineAnalysisOptions = EngineOptions;

const OPTIONS = {
  'output': { type: 'string', short: 'o', default: 'log' },
  'failure-threshold': { type: 'string', default: 'Error' },
  'output-threshold': { type: 'string', default: 'Info' },
  'suppress': { type: 'string', short: 'S', multiple: true, default: [] as string[] },
  'meshConfigFile': { type: 'string' },
  'meshNetworksFile': { type: 'string' },
  'cluster': { type: 'string', multiple: true, default: [] as string[] },
  'namespace': { type: 'string', short: 'n' },
  'partial': { type: 'boolean', default: false },
  'declare-namespaces': { type: 'string', multiple: true, default: [] as string[] },
  'declare-hosts': { type: 'string', multiple: true, default: [] as string[] },
  'each-file': { type: 'boolean', default: false },
  'ignore-unknown': { type: 'boolean', default: false },
  'list-analyzers': { type: 'boolean', short: 'L', default: false },
  'version': { type: 'boolean', default: false },
  'help': { type: 'boolean', short: 'h', default: false },
  // Accepted so that istioctl command lines work unchanged: files are always analysed alone, every namespace
  // is reported, directories are always read recursively.
  'use-kube': { type: 'string' },
  'all-namespaces': { type: 'boolean', short: 'A', default: false },
  'recursive': { type: 'boolean', short: 'R', default: false },
} satisfies ParseArgsConfig['options'];

const ANALYZE_USAGE = `usage: cdk8s-istio analyze [flags] FILE|DIR|-...
  Checks Kubernetes and Istio manifests as the API server, istiod's webhook and istioctl analyze would, without
  a cluster. DIRs are searched recursively for *.yaml, *.yml and *.json; - reads standard input. The arguments are one
  cluster (a later definition of a resource replaces an earlier one), and the whole of it: a reference to an
  object that is not in the input is reported (IST0101), as istioctl analyze does with files.
  -o, --output log|json|yaml|sarif|github   output format (default log)
      --failure-threshold Info|Warning|Error  lowest level that fails the run with exit 79 (default Error)
      --output-threshold Info|Warning|Error   lowest level printed (default Info)
  -S, --suppress "CODE=Kind name.namespace"   drop a code on matching resources; * matches any characters;
                                              a plain CODE[,CODE...] drops codes everywhere; repeatable
      --meshConfigFile FILE                   the mesh config (MeshConfig YAML, or the istio ConfigMap)
      --meshNetworksFile FILE                 the mesh networks (MeshNetworks YAML)
      --cluster ID=FILE|DIR                   another cluster of the mesh and its manifests; repeatable. Each
                                              cluster is analysed on its own (the arguments are the cluster
                                              Kubernetes), then Services are compared across them (IST0170)
  -n, --namespace NS                          namespace of objects that name none (default "default")
      --partial                               the input is part of the cluster: do not report references to
                                              objects outside it
      --declare-namespaces NS[,NS...]         namespaces that exist although the input does not define them
      --declare-hosts HOST[,HOST...]          hosts and gateways (ns/name) that exist elsewhere; both repeatable
      --each-file                             analyse every file on its own (a directory of alternatives)
      --ignore-unknown                        unparsable documents do not change the exit status
  -L, --list-analyzers                        list the analyzers and exit
      --version                               print the version and exit
  Exit status (istioctl's): 0 clean; 79 findings at or above the failure threshold; 65 some input could not be
  parsed; 64 bad usage; 1 unreadable input.`;

function version(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf-8'));
  return String(pkg.version);
}

const LEVELS: Record<string, DiagnosticLevel> = { ERROR: DiagnosticLevel.ERROR, WARNING: DiagnosticLevel.WARNING, INFO: DiagnosticLevel.INFO };
const RANK: Record<DiagnosticLevel, number> = { error: 0, warning: 1, info: 2 };

function parseLevel(flag: string, value: string): DiagnosticLevel {
  const level = LEVELS[value.toUpperCase()];
  if (!level) throw new UsageError(`--${flag}: "${value}" is not a valid option, please choose from: ${Object.values(LEVEL_NAMES).join(', ')}`);
  return level;
}

class UsageError extends Error {}

interface Parsed {
  readonly format: Format;
  readonly failure: DiagnosticLevel;
  readonly output: DiagnosticLevel;
  readonly suppressions: Suppression[];
  readonly options: CommandLineAnalysisOptions;
  readonly eachFile: boolean;
  readonly ignoreUnknown: boolean;
  readonly paths: string[];
  /** The other clusters' paths (`--cluster ID=PATH`), in command-line order. */
  readonly clusters: readonly ClusterPath[];
  readonly action?: 'help' | 'version' | 'list';
}

/** One `--cluster ID=PATH`. */
interface ClusterPath {
  readonly cluster: string;
  readonly path: string;
}

function parseCluster(value: string): ClusterPath {
  const eq = value.indexOf('=');
  const cluster = eq < 0 ? '' : value.slice(0, eq).trim();
  const p = eq < 0 ? '' : value.slice(eq + 1).trim();
  if (!cluster || !p) throw new UsageError(`--cluster "${value}": give the cluster's ID and a file or directory of its manifests, as ID=PATH (e.g. --cluster east=clusters/east)`);
  return { cluster, path: p };
}

/** Parse the command line of `analyze` into what the run needs; throws UsageError or Error. @internal */
export function parseAnalyzeArgs(argv: string[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  const action = v.help ? 'help' : v.version ? 'version' : v['list-analyzers'] ? 'list' : undefined;
  const format = String(v.output).toLowerCase() as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`${v.output} not a valid option for format (one of ${FORMATS.join(', ')})`);
  if (v['use-kube'] !== undefined && v['use-kube'] !== 'false') {
    throw new UsageError(`--use-kube=${v['use-kube']}: cdk8s-istio analyzes files only, without a cluster (use --use-kube=false or leave it out)`);
  }
  let suppressions: Suppression[];
  try {
    suppressions = parseSuppressions(v.suppress);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const failure = parseLevel('failure-threshold', String(v['failure-threshold']));
  const output = parseLevel('output-threshold', String(v['output-threshold']));
  const clusters = v.cluster.map(parseCluster);
  if (clusters.length > 0 && v['each-file']) throw new UsageError('--each-file and --cluster do not combine: --each-file analyses every file as a cluster of its own; leave one out');
  if (!action && parsed.positionals.length === 0 && clusters.length === 0) throw new UsageError('no input: give FILEs, DIRs or - (cdk8s-istio analyzes files, not a live cluster)');
  let meshConfig: { [key: string]: any } | undefined;
  let meshNetworks: { [key: string]: any } | undefined;
  if (v.meshConfigFile) ({ meshConfig, meshNetworks } = readMeshFile(v.meshConfigFile, 'meshConfig'));
  if (v.meshNetworksFile) meshNetworks = readMeshFile(v.meshNetworksFile, 'meshNetworks').meshNetworks;
  const options: CommandLineAnalysisOptions = {
    suppress: suppressions.filter(s => s.resource === undefined).map(s => s.code),
    defaultNamespace: v.namespace,
    runsIn: 'cli',
    complete: !v.partial,
    declaredNamespaces: commaList(v['declare-namespaces']),
    declaredHosts: commaList(v['declare-hosts']),
    meshConfig,
    meshNetworks,
  };
  const eachFile = v['each-file'];
  const ignoreUnknown = v['ignore-unknown'];
  const paths = parsed.positionals;
  return { format, failure, output, suppressions, options, action, eachFile, ignoreUnknown, paths, clusters };
}

/** A repeatable flag whose values may also be comma-separated. */
function commaList(values: string[]): string[] {
  return values.flatMap(v => v.split(',')).map(s => s.trim()).filter(Boolean);
}

/** The format asked for, read leniently, so that even a bad command line answers in it. */
function requestedFormat(argv: string[]): Format {
  const { values } = parseArgs({ args: argv, options: { output: { type: 'string', short: 'o' } }, strict: false, allowPositionals: true });
  const f = String(values.output ?? 'log').toLowerCase() as Format;
  return FORMATS.includes(f) ? f : 'log';
}

function listAnalyzers(): string {
  const names = [
    { name: 'schema.ValidationAnalyzer', description: 'The schema and CEL rules of the pinned CRDs, then istiod\'s webhook validation (IST0106).' },
    ...CROSS_RULES.map(r => ({ name: r.name, description: (r as { description?: string }).description })),
  ].sort((a, b) => a.name.localeCompare(b.name));
  return names.map(a => `* ${a.name}:\n${a.description ? `    ${a.description}\n` : ''}`).join('');
}

/** Identity of an object as diagnostics carry it, to find the document a finding is about. */
function identity(source: string | undefined, apiVersion: unknown, kind: unknown, namespace: unknown, name: unknown): string {
  return `${source}\u0000${apiVersion ?? ''}\u0000${kind ?? ''}\u0000${namespace ?? ''}\u0000${name ?? ''}`;
}

/** Put `line` on findings about objects read from files; parses again only the documents that have findings. */
function addLines(findings: Diagnostic[], entries: readonly ReadEntry[], textOf: (source: string) => string): Diagnostic[] {
  if (findings.every(d => !d.source || d.line)) return findings;
  const where = new Map<string, ReadEntry>();
  for (const e of entries) {
    const m = e.object?.metadata;
    where.set(identity(e.source, e.object?.apiVersion, e.object?.kind, m?.namespace, m?.name), e);
  }
  const texts = new Map<string, string>();
  // One parse per document, however many findings it has.
  const finders = new Map<ReadEntry['location'], (field: string | undefined) => number>();
  return findings.map(d => {
    if (!d.source || d.line) return d;
    const e = where.get(identity(d.source, d.apiVersion, d.kind, d.namespace, d.name));
    if (!e) return d;
    let text = texts.get(e.location.source);
    if (text === undefined) texts.set(e.location.source, (text = textOf(e.location.source)));
    let finder = finders.get(e.location);
    if (!finder) finders.set(e.location, (finder = lineFinder(text.slice(e.location.start, e.location.end), e.location.line)));
    return { ...d, line: finder(d.field) };
  });
}

/** `cdk8s-istio analyze`. @internal */
export const analyzeCommand: Subcommand = {
  summary: 'check manifests as istioctl analyze would, offline',
  run(argv, io) {
    let args: Parsed;
    try {
      args = parseAnalyzeArgs(argv);
    } catch (e) {
      const usage = e instanceof UsageError;
      const msg = usage ? Messages.InvalidCommandLine : Messages.UnreadableInput;
      return fail(io, requestedFormat(argv), msg, (e as Error).message, usage ? EXIT.USAGE : EXIT.UNKNOWN, usage);
    }
    if (args.action === 'help') {
      io.out(ANALYZE_USAGE + '\n');
      return EXIT.OK;
    }
    if (args.action === 'version') {
      io.out(`${version()}\n`);
      return EXIT.OK;
    }
    if (args.action === 'list') {
      io.out(listAnalyzers());
      return EXIT.OK;
    }
    for (const code of new Set(args.suppressions.map(sup => sup.code))) {
      if (!MESSAGES_BY_CODE.has(code)) io.err(`Warning: Supplied message code '${code}' is an unknown message code and will not have any effect.\n`);
    }
    let files: string[];
    const clusterFiles: { source: string; cluster: string }[] = [];
    try {
      files = collectFiles(args.paths);
      for (const c of args.clusters) for (const source of collectFiles([c.path])) clusterFiles.push({ source, cluster: c.cluster });
    } catch (e) {
      return fail(io, args.format, Messages.UnreadableInput, `${(e as NodeJS.ErrnoException).path ?? ''}: ${(e as Error).message}`, EXIT.UNKNOWN, false);
    }
    let stdinText: string | undefined;
    const textOf = (source: string) => (source === '-' ? (stdinText ??= io.stdin()) : fs.readFileSync(source, 'utf-8'));
    const all: Diagnostic[] = [];
    const analyse = (sources: readonly { source: string; cluster?: string }[]) => {
      const entries: ReadEntry[] = [];
      for (const { source, cluster } of sources) {
        const read = readManifestText(textOf(source), source);
        // A loop, not push(...spread): one file can hold more documents than a call may take arguments.
        for (const e of read.entries) entries.push(cluster === undefined ? e : { ...e, cluster });
        for (const d of read.problems) all.push(cluster === undefined || cluster === PRIMARY_CLUSTER ? d : { ...d, cluster });
      }
      const found = runAnalysis(entries, args.options, schemaRule, OBJECT_RULES, CROSS_RULES);
      for (const d of addLines(found, entries, textOf)) all.push(d);
    };
    if (args.eachFile) files.forEach(source => analyse([{ source }]));
    else analyse([...files.map(source => ({ source })), ...clusterFiles]);

    const ns = args.options.defaultNamespace;
    const kept = all.filter(d => !isSuppressed(d, args.suppressions, ns));
    const shown = sortFindings(kept.filter(d => RANK[d.level] <= RANK[args.output]), ns);
    io.out(render(shown, args.format, version(), ns) + '\n');
    if (shown.length === 0 && args.format === 'log') {
      io.err(`\u2714 No validation issues found when analyzing ${[...files, ...clusterFiles.map(f => f.source)].join('\n')}.\n`);
    }
    const unparsable = kept.some(d => d.code === UNPARSABLE);
    if (kept.some(d => d.code !== UNPARSABLE && RANK[d.level] <= RANK[args.failure])) {
      if (args.format === 'log') io.err('Analyzers found issues.\nSee https://istio.io/latest/docs/reference/config/analysis for more information about causes and resolutions.\n');
      return EXIT.FOUND_ISSUES;
    }
    if (unparsable && !args.ignoreUnknown) {
      if (args.format === 'log') io.err('Some files couldn\'t be parsed.\n');
      return EXIT.UNPARSABLE;
    }
    return EXIT.OK;
  },
};

/** A failure of the command itself, as a finding in the requested format; usage errors also print the usage. */
function fail(io: CommandIO, format: Format, msg: MessageType, message: string, exit: number, usage: boolean): number {
  const finding = inputProblem(msg, undefined, undefined, message, usage ? 'see cdk8s-istio analyze --help' : undefined);
  if (format !== 'log') io.out(render([finding], format, version()) + '\n');
  io.err(`cdk8s-istio analyze: ${finding.message}\n${usage ? ANALYZE_USAGE + '\n' : ''}`);
  return exit;
}
