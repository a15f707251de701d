/**
 * The project's `.cftunnel.yaml` for what the extension itself reports (Cloudflare Access and
 * drift diagnostics): the same loader as the language server and `cftunnel check`
 * (src/node/projectConfig.ts), open documents' unsaved text first; a file watcher forgets what
 * was read when one is created, changed or deleted, and `onDidChange` says so.
 */
import * as vscode from 'vscode';
import { projectFiltered } from '../core/project/report';
import type { ProjectConfig } from '../core/project/config';
import type { Diagnostic } from '../core/types';
import { ProjectConfigs, readTextFile } from '../node/projectConfig';

export class ExtensionProjectSettings implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly configs = new ProjectConfigs((path) => openText(path) ?? readTextFile(path));
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher('**/.cftunnel.{yaml,yml}');
    const forget = (): void => {
      this.configs.forget();
      this.changed.fire();
    };
    this.disposables.push(
      watcher,
      watcher.onDidCreate(forget),
      watcher.onDidChange(forget),
      watcher.onDidDelete(forget),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (/(^|\/)\.cftunnel\.ya?ml$/.test(e.document.uri.path) && e.contentChanges.length > 0) forget();
      }),
    );
  }

  forFile(path: string): ProjectConfig {
    return this.configs.forFile(path);
  }

  forFolder(folder: string): ProjectConfig {
    return this.configs.forFolder(folder);
  }

  /** `diagnostics` of `path` less what its suppression comments cover, with the project's rules. */
  filter<D extends Diagnostic>(path: string, diagnostics: readonly D[]): D[] {
    const text = openText(path) ?? readTextFile(path);
    return text === undefined ? [...diagnostics] : projectFiltered(path, text, diagnostics, this.forFile(path));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function openText(path: string): string | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === path)?.getText();
}
