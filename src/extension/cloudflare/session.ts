/**
 * The signed-in state: the API token (in SecretStorage only), the `CloudflareApi` built from it and
 * `cftunnel.cloudflare.apiBaseUrl`, defaults taken from cert.pem, and the accounts to show. Fires
 * `onDidChange` when any of them changes (sign in/out in any window, setting edits, workspace
 * trust). Sets the `cftunnel.signedIn` context key. Nothing here contacts Cloudflare while the
 * workspace is untrusted: `api()` throws a `SessionError` that says so.
 */
import * as vscode from 'vscode';
import { CloudflareApi } from '../../cloudflare/api';
import { CloudflareError } from '../../cloudflare/errors';
import type { Account } from '../../cloudflare/types';
import { CLOUDFLARE_SETTING_DEFAULTS } from '../../core/settings';
import { CONTEXT_KEYS } from '../../shared/contextValues';
import { SessionError } from './sessionError';

export const TOKEN_SECRET_KEY = 'cftunnel.cloudflare.token';
const DEFAULTS_STATE_KEY = 'cftunnel.cloudflare.defaults';

/** Account and zone a cert.pem (or an account-owned token) names: used when nothing else says. */
export interface SignInDefaults {
  accountId?: string;
  zoneId?: string;
}

/** Why there is no API to call: not signed in, or the workspace is not trusted yet. */
export { SessionError };

export function setting<K extends keyof typeof CLOUDFLARE_SETTING_DEFAULTS>(
  key: K,
): (typeof CLOUDFLARE_SETTING_DEFAULTS)[K] {
  const [section, ...rest] = key.split('.');
  const value = vscode.workspace.getConfiguration(section).get(rest.join('.'));
  const fallback = CLOUDFLARE_SETTING_DEFAULTS[key];
  return (typeof value === typeof fallback ? value : fallback) as (typeof CLOUDFLARE_SETTING_DEFAULTS)[K];
}

export class CloudflareSession implements vscode.Disposable {
  private token: string | undefined;
  private client: CloudflareApi | undefined;
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
  ) {
    context.secrets.onDidChange((e) => e.key === TOKEN_SECRET_KEY && void this.load(), this, this.disposables);
    vscode.workspace.onDidChangeConfiguration(
      (e) => {
        if (e.affectsConfiguration('cftunnel.cloudflare')) {
          this.client = undefined;
          this.emitter.fire();
        }
      },
      this,
      this.disposables,
    );
    vscode.workspace.onDidGrantWorkspaceTrust(() => this.emitter.fire(), this, this.disposables);
  }

  /** Reads the stored token (no network). */
  async load(): Promise<void> {
    const token = await this.context.secrets.get(TOKEN_SECRET_KEY);
    if (token === this.token) return;
    this.token = token || undefined;
    this.client = undefined;
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.signedIn, this.signedIn);
    this.emitter.fire();
  }

  get signedIn(): boolean {
    return this.token !== undefined;
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  get baseUrl(): string {
    return (
      setting('cftunnel.cloudflare.apiBaseUrl').trim() || CLOUDFLARE_SETTING_DEFAULTS['cftunnel.cloudflare.apiBaseUrl']
    );
  }

  /** Throws unless the workspace is trusted (before asking the user for anything network-bound). */
  assertTrusted(): void {
    if (!this.trusted) throw untrusted();
  }

  /** A client for `token` against the configured base URL (for verification before storing). */
  createApi(token: string): CloudflareApi {
    this.assertTrusted();
    return new CloudflareApi({
      token,
      baseURL: this.baseUrl,
      // Method and URL only: the wrapper never passes headers or the token here.
      onRequest: (r) => this.output.debug(`${r.method} ${r.url}`),
      log: (level, line) => this.output[level](line),
    });
  }

  /** The API for the stored token; throws a `SessionError` when signed out or untrusted. */
  api(): CloudflareApi {
    this.assertTrusted();
    if (!this.token)
      throw new SessionError(
        'signed-out',
        'Not signed in to Cloudflare: sign in with an API token or with cloudflared cert.pem.',
      );
    this.client ??= this.createApi(this.token);
    return this.client;
  }

  get defaults(): SignInDefaults {
    return this.context.globalState.get<SignInDefaults>(DEFAULTS_STATE_KEY) ?? {};
  }

  /** The pinned account (`cftunnel.cloudflare.accountId`), if any. */
  get pinnedAccountId(): string | undefined {
    return setting('cftunnel.cloudflare.accountId').trim() || undefined;
  }

  /** Stores a verified token (and the defaults that came with it). */
  async signIn(token: string, defaults: SignInDefaults = {}): Promise<void> {
    await this.context.globalState.update(
      DEFAULTS_STATE_KEY,
      defaults.accountId || defaults.zoneId ? defaults : undefined,
    );
    await this.context.secrets.store(TOKEN_SECRET_KEY, token);
    await this.load();
  }

  async signOut(): Promise<void> {
    await this.context.globalState.update(DEFAULTS_STATE_KEY, undefined);
    await this.context.secrets.delete(TOKEN_SECRET_KEY);
    await this.load();
  }

  /**
   * The accounts to show: the pinned one, else every account the token sees; when the token may
   * not list accounts, the account its cert.pem (or sign-in) named.
   */
  async accounts(): Promise<Account[]> {
    const api = this.api();
    const pinned = this.pinnedAccountId;
    const fallback = pinned ?? this.defaults.accountId;
    let all: Account[];
    try {
      all = await api.listAccounts();
    } catch (err) {
      if (fallback && err instanceof CloudflareError && err.kind === 'forbidden')
        return [{ id: fallback, name: fallback }];
      throw err;
    }
    if (pinned) return [all.find((a) => a.id === pinned) ?? { id: pinned, name: pinned }];
    if (all.length === 0 && fallback) return [{ id: fallback, name: fallback }];
    return all;
  }

  /** The account the status bar follows: pinned, else the sign-in default, else the first. */
  statusAccountId(accounts: readonly Account[]): string | undefined {
    return this.pinnedAccountId ?? accounts.find((a) => a.id === this.defaults.accountId)?.id ?? accounts[0]?.id;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function untrusted(): SessionError {
  return new SessionError(
    'untrusted',
    'This workspace is in Restricted Mode: Cloudflare is not contacted until you trust it (Manage Workspace Trust).',
  );
}
