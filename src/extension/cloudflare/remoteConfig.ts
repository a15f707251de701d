/**
 * Editing a remotely managed tunnel's configuration as YAML. Documents live on the
 * `cftunnel-remote:` file system (`cftunnel-remote:/<account>/<tunnel>/<name>.yaml`): reading
 * fetches the configuration and remembers its version; saving converts the YAML back to the
 * API's JSON, refuses it when the config checker finds errors, refuses it when the configuration
 * changed on Cloudflare since it was read, shows the changes (`vscode.diff`) and asks, and only
 * then updates it (the diff tab closes once answered; the document is read again after the save,
 * so its header names the new version). A refused save says why in a notification with what to do,
 * then throws, so the editor stays dirty and nothing is lost.
 */
import * as vscode from 'vscode';
import { ConflictError } from '../../cloudflare/errors';
import type { RemoteConfig } from '../../cloudflare/types';
import { remoteConfigToYaml, yamlToRemoteConfig } from '../../core/cloudflare/remoteConfigYaml';
import { checkConfigText } from '../../core/config/check';
import { closeDiffTabs } from '../readOnlyDiff';
import type { CloudflareSession } from './session';

export const REMOTE_SCHEME = 'cftunnel-remote';
const SERVER_SCHEME = 'cftunnel-remote-server';

interface Target {
  accountId: string;
  tunnelId: string;
  name: string;
}

export function remoteConfigUri(accountId: string, tunnel: { id: string; name: string }): vscode.Uri {
  const safe = (tunnel.name || tunnel.id).replace(/[^\w.-]+/g, '_');
  return vscode.Uri.from({ scheme: REMOTE_SCHEME, path: `/${accountId}/${tunnel.id}/${safe}.yaml` });
}

function targetOf(uri: vscode.Uri): Target {
  const [, accountId, tunnelId, file] = uri.path.split('/');
  if (!accountId || !tunnelId || !file) throw vscode.FileSystemError.FileNotFound(uri);
  return { accountId, tunnelId, name: file.replace(/\.yaml$/, '') };
}

function toYaml(t: Target, config: RemoteConfig, version: number): string {
  return remoteConfigToYaml(config, [
    `Remote configuration of tunnel ${t.name} (${t.tunnelId}), version ${version} on Cloudflare.`,
    'Saving checks it, shows the changes and asks before updating it. Durations are written as in',
    'config.yaml (30s, 1m30s); Cloudflare stores them in seconds.',
  ]);
}

const refuse = (message: string): vscode.FileSystemError => vscode.FileSystemError.Unavailable(message);

/** What the user can do about a refused save (the notification's buttons). */
type Remedy = 'problems' | 'revert' | 'none';

/**
 * A refused save: VS Code's own notification only says "Unable to write file … (FileSystemError)"
 * and offers "Save As…", so the reason comes first in a notification of ours, in plain words, with
 * what to do; then the write fails so that the editor stays dirty and nothing is lost.
 */
function refused(message: string, remedy: Remedy): vscode.FileSystemError {
  const actions = remedy === 'problems' ? ['Show Problems'] : remedy === 'revert' ? ['Revert File'] : [];
  void vscode.window.showWarningMessage(`Cloudflare Tunnel: ${message}`, ...actions).then((choice) => {
    if (choice === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
    else if (choice === 'Revert File') void vscode.commands.executeCommand('workbench.action.files.revert');
  });
  return refuse(message);
}

export class RemoteConfigFileSystem implements vscode.FileSystemProvider, vscode.TextDocumentContentProvider {
  /** Version each open document was read at (the base for the conflict check). */
  private readonly versions = new Map<string, number>();
  /** Stable per document until it is saved: VS Code compares stat() before and at save. */
  private readonly mtimes = new Map<string, number>();
  private readonly serverTexts = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;

  constructor(
    private readonly session: CloudflareSession,
    private readonly onSaved: () => void,
  ) {}

  register(): vscode.Disposable {
    return vscode.Disposable.from(
      this.emitter,
      vscode.workspace.registerFileSystemProvider(REMOTE_SCHEME, this, { isCaseSensitive: true }),
      vscode.workspace.registerTextDocumentContentProvider(SERVER_SCHEME, this),
    );
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const key = uri.toString();
    if (!this.mtimes.has(key)) this.mtimes.set(key, Date.now());
    return { type: vscode.FileType.File, ctime: 0, mtime: this.mtimes.get(key)!, size: 0 };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const t = targetOf(uri);
    const state = await this.fetch(t);
    const text = toYaml(t, state.config, state.version);
    this.versions.set(uri.toString(), state.version);
    return new TextEncoder().encode(text);
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const t = targetOf(uri);
    const readVersion = this.versions.get(uri.toString());
    if (readVersion === undefined) throw refuse('Open the configuration from the Tunnels view before saving it.');
    const text = new TextDecoder().decode(content);

    const parsed = yamlToRemoteConfig(text);
    if (!parsed.ok) throw refused(`Not saved: ${parsed.errors.slice(0, 3).join('; ')}`, 'none');
    const errors = checkConfigText(text, { remote: true }).diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) {
      const list = errors.slice(0, 3).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
      throw refused(
        `Not saved: cloudflared would refuse this configuration (${list.join('; ')}${errors.length > 3 ? '; …' : ''}). Fix the errors shown in Problems and save again.`,
        'problems',
      );
    }

    const current = await this.fetch(t);
    if (current.version !== readVersion) {
      throw refused(
        `Not saved: the configuration of tunnel ${t.name} changed on Cloudflare since it was opened (version ${readVersion}, now ${current.version}). ` +
          'Copy your changes, run "File: Revert File" to load the current version, apply them again and save.',
        'revert',
      );
    }

    const server = vscode.Uri.from({ scheme: SERVER_SCHEME, path: uri.path, query: `v=${current.version}` });
    this.serverTexts.set(server.toString(), toYaml(t, current.config, current.version));
    // One diff tab per document: the one of an earlier save is replaced, and this one closes once answered.
    const isOurDiff = (original: vscode.Uri, modified: vscode.Uri): boolean =>
      original.scheme === SERVER_SCHEME && modified.toString() === uri.toString();
    await closeDiffTabs(isOurDiff);
    await vscode.commands.executeCommand('vscode.diff', server, uri, `${t.name}: on Cloudflare ↔ your edit`, {
      preview: true,
    });
    const save = 'Save to Cloudflare';
    const choice = await vscode.window.showInformationMessage(
      `Update the configuration of tunnel ${t.name} on Cloudflare?`,
      {
        modal: true,
        detail: `The diff shows the changes against version ${current.version}. Connectors pick up the new configuration within seconds.`,
      },
      save,
    );
    await closeDiffTabs(isOurDiff);
    this.serverTexts.delete(server.toString());
    if (choice !== save) throw refused('Not saved: cancelled. Your changes are still in the editor.', 'none');

    let updated;
    try {
      updated = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Saving the configuration of tunnel ${t.name}…` },
        () =>
          this.session.api().updateRemoteConfig(t.accountId, t.tunnelId, parsed.config as RemoteConfig, readVersion),
      );
    } catch (err) {
      throw refused(
        `Not saved: ${err instanceof ConflictError || err instanceof Error ? err.message : String(err)}`,
        err instanceof ConflictError ? 'revert' : 'none',
      );
    }
    this.versions.set(uri.toString(), updated.version);
    this.mtimes.set(uri.toString(), Date.now());
    this.reloadAfterSave(uri);
    void vscode.window.showInformationMessage(
      `Saved the configuration of tunnel ${t.name} (version ${updated.version}).`,
    );
    this.onSaved();
  }

  /**
   * Re-reads the document once VS Code has finished saving it, so that its header shows the new
   * version: a change event during the save is not acted on (the document is being saved, and the
   * stat VS Code takes afterwards already has the new time), so the time moves on and the event
   * comes after the save.
   */
  private reloadAfterSave(uri: vscode.Uri): void {
    const key = uri.toString();
    const fire = (): void => {
      listener.dispose();
      clearTimeout(timer);
      this.mtimes.set(key, Math.max(Date.now(), (this.mtimes.get(key) ?? 0) + 1));
      this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    };
    const listener = vscode.workspace.onDidSaveTextDocument((doc) => {
      if (doc.uri.toString() === key) setTimeout(fire, 0);
    });
    const timer = setTimeout(fire, 5_000);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.serverTexts.get(uri.toString()) ?? '';
  }

  private async fetch(t: Target): Promise<{ version: number; config: RemoteConfig }> {
    try {
      return await this.session.api().getRemoteConfig(t.accountId, t.tunnelId);
    } catch (err) {
      throw refuse(err instanceof Error ? err.message : String(err));
    }
  }

  // A configuration is one file: no folders, no renames, no deletes.
  readDirectory(): [string, vscode.FileType][] {
    return [];
  }
  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('The remote configuration has no folders.');
  }
  delete(): void {
    throw vscode.FileSystemError.NoPermissions('Delete the tunnel from the Tunnels view instead.');
  }
  rename(): void {
    throw vscode.FileSystemError.NoPermissions('Rename the tunnel from the Tunnels view instead.');
  }
}
