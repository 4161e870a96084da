// A readable table of findings, the same at synth and on the command line.
import { Diagnostic, DiagnosticLevel } from './diagnostic';
import { renderDiagnosticText } from './messages';

interface ReportOptions {
  readonly title?: string;
}

const ORDER: Record<string, number> = { error: 0, warning: 1, info: 2 };

/** Render findings as lines: `LEVEL CODE where: message`. @internal */
export function formatReport(diagnostics: readonly Diagnostic[], opts: ReportOptions = {}): string {
  const rows = [...diagnostics].sort((a, b) => (ORDER[a.level] - ORDER[b.level]) || a.code.localeCompare(b.code));
  const lines: string[] = [];
  if (opts.title) lines.push(`${opts.title}:`);
  for (const d of rows) {
    const where = d.constructPath ?? `${d.source ? d.source + ' ' : ''}${d.kind}/${d.namespace ? d.namespace + '/' : ''}${d.name}`;
    lines.push(`  ${d.level.toUpperCase().padEnd(7)} ${d.code} [${where}] ${renderDiagnosticText(d)}`);
  }
  const count = (l: DiagnosticLevel) => diagnostics.filter(d => d.level === l).length;
  lines.push(`  ${count(DiagnosticLevel.ERROR)} error(s), ${count(DiagnosticLevel.WARNING)} warning(s), ${count(DiagnosticLevel.INFO)} info`);
  return lines.join('\n');
}
