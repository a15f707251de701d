/**
 * Settings per resource: the `cftunnel` section pulled with workspace/configuration, cached per
 * URI, forgotten when the document closes and cleared on workspace/didChangeConfiguration
 * (after which the client is asked to pull diagnostics again).
 */
import { DidChangeConfigurationNotification } from 'vscode-languageserver';
import type { ClientCapabilities, Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS, toSettings } from '../../core/settings';
import type { Settings, WorkspaceSettings } from '../../core/settings';

export const SECTION = 'cftunnel';

export class SettingsCache {
  private readonly cache = new Map<string, Promise<Settings>>();
  private pull = false;
  private refresh = false;
  private register = false;
  /** Called when the section changed, before the client is asked to pull diagnostics again. */
  onChanged?: () => Promise<unknown>;

  constructor(private readonly connection: Connection) {}

  /** Reads what the client can do (from `initialize`). */
  initialize(capabilities: ClientCapabilities): void {
    this.pull = capabilities.workspace?.configuration === true;
    this.refresh = capabilities.workspace?.diagnostics?.refreshSupport === true;
    this.register = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
  }

  /** After `initialized`: ask the client to tell us when the section changes. */
  initialized(): void {
    if (this.register)
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION });
  }

  get(uri: string): Promise<Settings> {
    if (!this.pull) return Promise.resolve(DEFAULT_SETTINGS);
    let settings = this.cache.get(uri);
    if (!settings) {
      settings = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: SECTION })
        .then(toSettings, () => DEFAULT_SETTINGS);
      this.cache.set(uri, settings);
    }
    return settings;
  }

  /** The settings of the window (no resource scope): what the cross-file checks honour. */
  workspace(): Promise<WorkspaceSettings> {
    if (!this.pull) return Promise.resolve(DEFAULT_SETTINGS.workspace);
    return this.connection.workspace.getConfiguration({ section: SECTION }).then(
      (s) => toSettings(s).workspace,
      () => DEFAULT_SETTINGS.workspace,
    );
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  changed(): void {
    this.cache.clear();
    void (this.onChanged?.() ?? Promise.resolve()).finally(() => {
      if (this.refresh) void this.connection.languages.diagnostics.refresh();
    });
  }
}

export function registerSettings(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  settings: SettingsCache,
): void {
  connection.onDidChangeConfiguration(() => settings.changed());
  documents.onDidClose((e) => settings.forget(e.document.uri));
}
