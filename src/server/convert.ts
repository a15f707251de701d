/** Core ↔ LSP conversions. The only place the server maps core types to protocol types. */
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { Diagnostic, Severity } from '../core/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What a diagnostic carries to code actions: its fixes, computed with it (no server-side state). */
export interface DiagnosticData {
  fixes?: Diagnostic['fixes'];
}

export function toLspDiagnostic(d: Diagnostic): LspDiagnostic {
  return {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'cftunnel',
    message: d.message,
    ...(d.fixes?.length ? { data: { fixes: d.fixes } satisfies DiagnosticData } : {}),
  };
}
