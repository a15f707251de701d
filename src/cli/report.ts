/**
 * How `cftunnel check` reports, the way linters teams already run in CI do:
 * - exit status by severity: `--fail-on error|warning|info` (default `error`: what cloudflared or
 *   Kubernetes refuses) and ESLint's `--max-warnings N` (more warnings than N fails too);
 * - `--format github`: workflow commands (`::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=CODE::message`)
 *   that GitHub Actions turns into annotations on the pull request, escaped as the runner reads
 *   them (actions/toolkit packages/core/src/command.ts: `%`, CR, LF in the message; also `:` and `,`
 *   in properties).
 */
import type { Diagnostic, Severity } from '../core/types';

export type FailOn = 'error' | 'warning' | 'info';

const RANK: Record<Severity, number> = { error: 3, warning: 2, information: 1, hint: 0 };
const FAIL_RANK: Record<FailOn, number> = { error: 3, warning: 2, info: 1 };

export interface Verdict {
  errors: number;
  warnings: number;
  infos: number;
  failed: boolean;
}

/** Counts by severity, and whether the run fails under `failOn` and `maxWarnings` (undefined: no limit). */
export function verdict(diagnostics: readonly Diagnostic[], failOn: FailOn = 'error', maxWarnings?: number): Verdict {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let worst = -1;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else if (d.severity === 'warning') warnings++;
    else infos++;
    worst = Math.max(worst, RANK[d.severity]);
  }
  const failed = worst >= FAIL_RANK[failOn] || (maxWarnings !== undefined && warnings > maxWarnings);
  return { errors, warnings, infos, failed };
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/** One GitHub Actions workflow command for a diagnostic (1-based lines and columns). */
export function githubAnnotation(path: string, d: Diagnostic): string {
  const props = [
    `file=${escapeProperty(path)}`,
    `line=${d.range.start.line + 1}`,
    `col=${d.range.start.character + 1}`,
    `endLine=${d.range.end.line + 1}`,
    `endColumn=${d.range.end.character + 1}`,
    `title=${escapeProperty(d.code)}`,
  ];
  return `::${COMMAND[d.severity]} ${props.join(',')}::${escapeData(d.message)}`;
}
