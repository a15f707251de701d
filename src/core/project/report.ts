/**
 * What a file finally reports, the same in the editor and in `cftunnel check`: the checker's
 * findings (the file's and the cross-file ones located in it), less what its suppression comments
 * cover (./suppressions.ts), with the project's `.cftunnel.yaml` rules applied (./config.ts).
 */
import type { Diagnostic } from '../types';
import { applyRules, ignoredByProject } from './config';
import type { ProjectConfig } from './config';
import { applySuppressions, findSuppressions } from './suppressions';

/** Codes the editor computes outside the checker (Cloudflare Access, cluster drift): the checker cannot say their suppressions are unused. */
export function isEditorOnlyCode(code: string): boolean {
  return code.startsWith('access-') || code.startsWith('drift-');
}

export interface ReportOptions {
  /** Report suppressions that suppress nothing (`suppression-unused`); off when fixing. */
  reportUnused?: boolean;
  /** Codes the caller does not produce: their suppressions are never called unused (default: the editor-only codes). */
  unseen?: (code: string) => boolean;
}

/** `path` absolute (POSIX): a file the project ignores reports nothing. */
export function projectReport<D extends Diagnostic>(
  path: string | undefined,
  text: string,
  diagnostics: readonly D[],
  project: ProjectConfig,
  options: ReportOptions = {},
): Array<D | Diagnostic> {
  if (path !== undefined && ignoredByProject(path, project)) return [];
  const kept = applySuppressions(diagnostics, findSuppressions(text), {
    unseen: options.unseen ?? isEditorOnlyCode,
    reportUnused: options.reportUnused ?? true,
  });
  return applyRules(kept, project);
}

/** For findings computed elsewhere (the editor's Access and drift checks): no unused report, the same objects kept. */
export function projectFiltered<D extends Diagnostic>(
  path: string,
  text: string,
  diagnostics: readonly D[],
  project: ProjectConfig,
): D[] {
  return projectReport(path, text, diagnostics, project, { reportUnused: false }) as D[];
}
