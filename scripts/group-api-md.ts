// Regroups the API.md that jsii-docgen writes (one flat list per kind: Constructs, Structs, Classes, Protocols,
// Enums) by area, the source folder of each type (src/networking, src/security, ...), and puts a table of
// contents in front. Run by the projen task `docgen` right after jsii-docgen, so API.md stays generated: edit
// the doc comments in src/, never API.md. The area of a type comes from the jsii assembly (.jsii).
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const file = path.resolve(root, process.argv[2] ?? 'API.md');

/** Areas in reading order; a folder not listed here comes after them, titled by its name. */
const AREAS: Array<[folder: string, title: string, about: string]> = [
  ['networking', 'Networking', 'Gateway, VirtualService, DestinationRule, ServiceEntry, Sidecar and their value types'],
  ['security', 'Security', 'PeerAuthentication, AuthorizationPolicy, RequestAuthentication'],
  ['telemetry', 'Telemetry', 'Telemetry: tracing, access logging, metrics'],
  ['mesh', 'Mesh', 'install-time settings (IstioOperator, extension providers) and namespaces'],
  ['gateway-api', 'Gateway API', 'the Kubernetes Gateway API kinds'],
  ['patterns', 'Patterns', 'canary, A/B test, blue/green, mirroring, resilience, zero trust, egress gateway'],
  ['analysis', 'Analysis', 'the analysis engine at synth, in code and as a cdk8s-cli plugin'],
  ['behaviour', 'Behaviour', 'what the mesh does with the configuration'],
  ['core', 'Shared values', 'hosts, selectors, percentages, API versions'],
];
/** jsii-docgen's sections, in its order; within an area, types follow this order, then their name. */
const KINDS = ['Constructs', 'Classes', 'Structs', 'Protocols', 'Enums'];

interface TypeSection { name: string; fqn: string; kind: string; text: string }

function main() {
  const assembly = JSON.parse(fs.readFileSync(path.join(root, '.jsii'), 'utf8'));
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  if (!/^# API Reference/.test(lines[0]) || lines.some(l => l.startsWith('## Contents'))) {
    throw new Error(`${file}: not fresh jsii-docgen output (run jsii-docgen first; the projen task docgen does both)`);
  }
  const types: TypeSection[] = [];
  let kind: string | undefined;
  let current: TypeSection | undefined;
  let fenced = false;
  for (const line of lines.slice(1)) {
    if (line.startsWith('```')) fenced = !fenced;
    const section = !fenced && /^## (\w+) <a name=/.exec(line);
    const type = !fenced && /^### (\S+) <a name="[^"]*" id="([^"]+)"><\/a>$/.exec(line);
    if (section) {
      if (!KINDS.includes(section[1])) throw new Error(`${file}: unknown jsii-docgen section "${section[1]}"`);
      kind = section[1];
      current = undefined;
    } else if (type) {
      if (!kind) throw new Error(`${file}: type ${type[1]} before any section`);
      current = { name: type[1], fqn: type[2], kind, text: '' };
      types.push(current);
      current.text = line + '\n';
    } else if (current) {
      current.text += line + '\n';
    } else if (line.trim() !== '') {
      throw new Error(`${file}: unexpected text outside a type section: ${line}`);
    }
  }

  const areaOf = (t: TypeSection) => {
    const loc = assembly.types[t.fqn]?.locationInModule?.filename;
    if (!loc) throw new Error(`${file}: ${t.fqn} is not in .jsii (compile before docgen)`);
    return loc.split('/')[1];
  };
  const folders = [...new Set(types.map(areaOf))];
  const known = AREAS.map(a => a[0]);
  const order = [...known.filter(f => folders.includes(f)), ...folders.filter(f => !known.includes(f)).sort()];
  const title = (f: string) => AREAS.find(a => a[0] === f)?.[1] ?? f.replace(/(^|-)(\w)/g, (_, d, c) => (d ? ' ' : '') + c.toUpperCase());
  const anchor = (f: string) => `area-${f}`;

  const out = ['# API Reference <a name="API Reference" id="api-reference"></a>', ''];
  out.push('Generated from the doc comments in `src/` (jsii-docgen, grouped by area by scripts/group-api-md.ts); do not edit.', '');
  out.push('## Contents', '');
  const grouped = new Map<string, TypeSection[]>();
  for (const f of order) {
    const inArea = types.filter(t => areaOf(t) === f)
      .sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) || a.name.localeCompare(b.name));
    grouped.set(f, inArea);
    const about = AREAS.find(a => a[0] === f)?.[2];
    out.push(`- [${title(f)}](#${anchor(f)})${about ? `: ${about}` : ''}`);
    for (const k of KINDS) {
      const ofKind = inArea.filter(t => t.kind === k);
      if (ofKind.length) out.push(`  - ${k}: ${ofKind.map(t => `[${t.name}](#${t.fqn})`).join(', ')}`);
    }
  }
  out.push('');
  for (const f of order) {
    out.push(`## ${title(f)} <a name="${title(f)}" id="${anchor(f)}"></a>`, '');
    for (const t of grouped.get(f)!) out.push(t.text.replace(/\n+$/, '\n'));
  }
  fs.writeFileSync(file, out.join('\n').replace(/\n+$/, '\n'));
  console.log(`${path.relative(root, file)}: ${types.length} types in ${order.length} areas (${order.join(', ')})`);
}

main();
