// SVG of a DOT graph through Graphviz compiled to WebAssembly (@viz-js/viz), so `graph -o svg` needs no system
// binary. Viz's renderer only starts asynchronously (WebAssembly instantiation) while the CLI's subcommands are
// synchronous; the DOT is therefore rendered by a child Node.js process of the same executable, which also keeps
// the 1.5 MB WebAssembly module out of every other command's start-up.
import { execFileSync } from 'child_process';

const RENDER = `
const chunks = [];
process.stdin.on('data', c => chunks.push(c));
process.stdin.on('end', () => {
  require(process.argv[1]).instance().then(viz => {
    const r = viz.render(Buffer.concat(chunks).toString('utf-8'), { format: 'svg' });
    if (r.status !== 'success') {
      process.stderr.write(r.errors.map(e => e.message).join('\\n'));
      process.exit(1);
    }
    process.stdout.write(r.output);
  });
});
`;

/** Render DOT to SVG. @internal */
export function dotToSvg(dot: string): string {
  const viz = require.resolve('@viz-js/viz');
  try {
    return execFileSync(process.execPath, ['-e', RENDER, viz], { input: dot, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e: any) {
    throw new Error(`graph: Graphviz (@viz-js/viz) could not render the graph: ${String(e.stderr ?? e.message).trim()}`);
  }
}
