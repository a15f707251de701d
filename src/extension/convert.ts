/** The core's plain ranges and severities as VS Code's (one place for every view and monitor). */
import * as vscode from 'vscode';
import type { Range, Severity } from '../core/types';

export const DIAGNOSTIC_SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/**
 * The diagnostic a collection published that a code action's context names: the context holds
 * copies, so it is found by identity, else by code, message and range.
 */
export function publishedDiagnostic(
  published: readonly vscode.Diagnostic[],
  d: vscode.Diagnostic,
): vscode.Diagnostic | undefined {
  return (
    published.find((p) => p === d) ??
    published.find((p) => p.code === d.code && p.message === d.message && p.range.isEqual(d.range))
  );
}
