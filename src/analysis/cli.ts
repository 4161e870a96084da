// The `cdk8s-istio` command: a table of subcommands (one line adds one), `analyze` the default for
// compatibility with command lines that start with a path or a flag.
import * as fs from 'fs';
import { analyzeCommand, CommandIO, EXIT, Subcommand } from './cli/analyze';

/** Every subcommand of `cdk8s-istio`. */
const SUBCOMMANDS: Record<string, Subcommand> = {
  analyze: analyzeCommand,
  explain: behaviourCommand('explain', 'where a request goes: virtual host, route, clusters and the policies applied'),
  authz: behaviourCommand('authz', 'whether a caller may make a request to a workload: ALLOW or DENY, and which policy decided'),
  diff: behaviourCommand('diff', 'the behaviour that changed between two sets of manifests (routes, shares, callers, mTLS)'),
  graph: behaviourCommand('graph', 'gateways, hosts, routes, subsets and workloads as a Mermaid or DOT graph'),
};

/** A subcommand of the mesh model (src/behaviour), which returns its output instead of writing it. */
function behaviourCommand(name: string, summary: string): Subcommand {
  return {
    summary,
    run: (argv, io) => {
      // Required here, not at the top: the mesh model loads cdk8s, which `analyze` never needs (startup time).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { BEHAVIOUR_COMMANDS } = require('../behaviour/cli') as typeof import('../behaviour/cli');
      const result = BEHAVIOUR_COMMANDS[name](argv);
      io.out(result.stdout);
      return result.exitCode;
    },
  };
}

function usage(): string {
  const rows = Object.entries(SUBCOMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return ['usage: cdk8s-istio COMMAND [flags] ...', ...rows, 'Run cdk8s-istio COMMAND --help for its flags.'].join('\n');
}

/** Run the command; returns the exit status. @internal */
export function main(
  argv: string[],
  out: (s: string) => void = s => process.stdout.write(s),
  err: (s: string) => void = s => process.stderr.write(s),
  stdin: () => string = () => fs.readFileSync(0, 'utf-8'),
): number {
  const io: CommandIO = { out, err, stdin };
  const [first, ...rest] = argv;
  if (first === undefined || first === 'help') {
    (first === undefined ? err : out)(usage() + '\n');
    return first === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const command = SUBCOMMANDS[first];
  if (command) return command.run(rest, io);
  if (first === '-h' || first === '--help') {
    out(usage() + '\n');
    return EXIT.OK;
  }
  return analyzeCommand.run(argv, io);
}
