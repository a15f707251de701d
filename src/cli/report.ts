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

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

/** The first sentence of a message, for a rule's short description. */
function firstSentence(message: string): string {
  const m = /^(.*?[.:;])(\s|$)/s.exec(message);
  return (m ? m[1]! : message).slice(0, 300);
}

/**
 * A SARIF 2.1.0 log (OASIS; what GitHub code scanning uploads): one run of the tool `cftunnel`, a
 * rule per diagnostic code (the stable codes of docs/DIAGNOSTICS.md), a result per diagnostic with
 * its region (1-based lines and columns), paths relative to `%SRCROOT%` (the folder it ran in).
 */
export function sarifLog(
  files: ReadonlyArray<{ path: string; diagnostics: readonly Diagnostic[] }>,
  version: string,
): Record<string, unknown> {
  const rules: Array<Record<string, unknown>> = [];
  const ruleIndex = new Map<string, number>();
  const results: Array<Record<string, unknown>> = [];
  for (const f of files) {
    for (const d of f.diagnostics) {
      let index = ruleIndex.get(d.code);
      if (index === undefined) {
        index = rules.length;
        ruleIndex.set(d.code, index);
        rules.push({
          id: d.code,
          shortDescription: { text: firstSentence(d.message) },
          help: {
            text: `See ${d.code} in docs/DIAGNOSTICS.md of the Cloudflare Tunnel for Kubernetes extension.`,
            markdown: `See [\`${d.code}\`](docs/DIAGNOSTICS.md) in the extension's docs/DIAGNOSTICS.md.`,
          },
          defaultConfiguration: { level: SARIF_LEVEL[d.severity] },
        });
      }
      results.push({
        ruleId: d.code,
        ruleIndex: index,
        level: SARIF_LEVEL[d.severity],
        message: { text: d.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: {
                uri: f.path.split(/[\\/]/).map(encodeURIComponent).join('/'),
                uriBaseId: '%SRCROOT%',
              },
              region: {
                startLine: d.range.start.line + 1,
                startColumn: d.range.start.character + 1,
                endLine: d.range.end.line + 1,
                endColumn: d.range.end.character + 1,
              },
            },
          },
        ],
      });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'cftunnel', version, semanticVersion: version, rules } },
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}
