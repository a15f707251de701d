/**
 * The project's `.cftunnel.yaml` in the language server: the nearest one above each document
 * (src/node/projectConfig.ts, as `cftunnel check` finds it; an open one's unsaved text counts) turns
 * rules off or changes their severity and ignores paths; with the suppression comments of the
 * document itself it decides what the document finally reports (src/core/project/report.ts).
 * In Restricted Mode only open documents are read, as everywhere else.
 */
import { isProjectConfigPath, NO_PROJECT_CONFIG } from '../../core/project/config';
import type { ProjectConfig } from '../../core/project/config';
import { projectReport } from '../../core/project/report';
import type { ReportOptions } from '../../core/project/report';
import type { Diagnostic } from '../../core/types';
import { ProjectConfigs, readTextFile } from '../../node/projectConfig';
import { uriPath } from '../documents';
import type { DocumentStore } from '../documents';

/** How long edits of an open `.cftunnel.yaml` are gathered before everything is checked again. */
const CHANGE_DELAY_MS = 300;

export class ProjectSettings {
  readonly configs: ProjectConfigs;
  /** Called (debounced) when a `.cftunnel.yaml` was created, edited, saved or deleted. */
  onChanged?: () => unknown;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: DocumentStore,
    trusted: () => boolean,
  ) {
    this.configs = new ProjectConfigs((path) => {
      const open = store.documents.all().find((d) => d.uri.startsWith('file:') && uriPath(d.uri) === path);
      if (open) return open.getText();
      return trusted() ? readTextFile(path) : undefined;
    });
    store.documents.onDidChangeContent((e) => this.documentChanged(e.document.uri));
    store.documents.onDidClose((e) => this.documentChanged(e.document.uri));
  }

  /** The settings that apply to a document (none for one that is not a file). */
  forUri(uri: string): { path?: string; config?: ProjectConfig } {
    const path = uri.startsWith('file:') ? uriPath(uri) : undefined;
    return path ? { path, config: this.configs.forFile(path) } : {};
  }

  /** What the document finally reports: `diagnostics` less its suppressions, with the project's rules. */
  report(uri: string, diagnostics: readonly Diagnostic[], options?: ReportOptions): Diagnostic[] {
    const doc = this.store.get(uri);
    if (!doc) return [...diagnostics];
    const { path, config } = this.forUri(uri);
    return projectReport(path, doc.getText(), diagnostics, config ?? NO_PROJECT_CONFIG, options);
  }

  /** A watched file changed on disk: true when it is a `.cftunnel.yaml`. */
  fileChanged(path: string): boolean {
    if (!isProjectConfigPath(path)) return false;
    this.changed();
    return true;
  }

  private documentChanged(uri: string): void {
    if (isProjectConfigPath(uriPath(uri))) this.changed();
  }

  private changed(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.configs.forget();
      this.onChanged?.();
    }, CHANGE_DELAY_MS);
  }
}
