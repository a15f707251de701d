/**
 * Editing a remotely managed tunnel's configuration as YAML. Documents live on the
 * `cftunnel-remote:` file system (`cftunnel-remote:/<account>/<tunnel>/<name>.yaml`): reading
 * fetches the configuration and remembers its version; saving converts the YAML back to the
 * API's JSON, refuses it when the config checker finds errors, refuses it when the configuration
 * changed on Cloudflare since it was read, shows the changes (`vscode.diff`) and asks, and only
 * then updates it. A refused save throws, so the editor stays dirty and nothing is lost.
 */
import * as vscode from 'vscode';
import { ConflictError } from '../../cloudflare/errors';
import type { RemoteConfig } from '../../cloudflare/types';
import { remoteConfigToYaml, yamlToRemoteConfig } from '../../core/cloudflare/remoteConfigYaml';
import { checkConfigText } from '../../core/config/check';
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
    if (!parsed.ok) throw refuse(`Not saved: ${parsed.errors.slice(0, 3).join('; ')}`);
    const errors = checkConfigText(text, { remote: true }).diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) {
      const list = errors.slice(0, 3).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
      throw refuse(`Not saved: cloudflared would refuse this configuration (${list.join('; ')}${errors.length > 3 ? '; …' : ''}).`);
    }

    const current = await this.fetch(t);
    if (current.version !== readVersion) {
      throw refuse(
        `Not saved: the configuration of tunnel ${t.name} changed on Cloudflare since it was opened (version ${readVersion}, now ${current.version}). ` +
          'Copy your changes, run "File: Revert File" to load the current version, apply them again and save.',
      );
    }

    const server = vscode.Uri.from({ scheme: SERVER_SCHEME, path: uri.path, query: `v=${current.version}` });
    this.serverTexts.set(server.toString(), toYaml(t, current.config, current.version));
    await vscode.commands.executeCommand('vscode.diff', server, uri, `${t.name}: on Cloudflare ↔ your edit`, { preview: true });
    const save = 'Save to Cloudflare';
    const choice = await vscode.window.showInformationMessage(
      `Update the configuration of tunnel ${t.name} on Cloudflare?`,
      { modal: true, detail: `The diff shows the changes against version ${current.version}. Connectors pick up the new configuration within seconds.` },
      save,
    );
    if (choice !== save) throw refuse('Not saved: cancelled. The changes are still in the editor.');

    let updated;
    try {
      updated = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Saving the configuration of tunnel ${t.name}…` }, () =>
        this.session.api().updateRemoteConfig(t.accountId, t.tunnelId, parsed.config as RemoteConfig, readVersion),
      );
    } catch (err) {
      throw refuse(err instanceof ConflictError || err instanceof Error ? err.message : String(err));
    }
    this.versions.set(uri.toString(), updated.version);
    this.mtimes.set(uri.toString(), Date.now());
    // Re-read so the header shows the new version (the document is clean now).
    this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    void vscode.window.showInformationMessage(`Saved the configuration of tunnel ${t.name} (version ${updated.version}).`);
    this.onSaved();
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
