/**
 * Signing in and out. The API token is typed into a password InputBox (or read from cloudflared's
 * cert.pem), verified against the API with progress, and then stored in SecretStorage only
 * (`session.signIn`). It is never written to settings, files or logs, and never shown: errors
 * come from the Cloudflare wrapper, which redacts it, and cert.pem's content is never displayed.
 */
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { CloudflareError } from '../../cloudflare/errors';
import { isCertError, parseCertPem } from '../../core/cloudflare/certPem';
import type { TokenInfo } from '../../cloudflare/types';
import { CONTEXT_KEYS } from '../../shared/contextValues';
import { certPemCandidates } from './model';
import type { CloudflareSession, SignInDefaults } from './session';

/** Permissions the API token needs (Cloudflare dashboard › My Profile › API Tokens). */
export const TOKEN_PERMISSIONS =
  'Account › Cloudflare Tunnel › Edit, Zone › DNS › Edit, Zone › Zone › Read (Read permissions are enough for viewing)';

/** The first cert.pem that exists where cloudflared looks, if any. */
export async function findCertPem(): Promise<string | undefined> {
  for (const path of certPemCandidates(process.env, homedir(), process.platform)) {
    try {
      if ((await fs.stat(path)).isFile()) return path;
    } catch {
      // not there
    }
  }
  return undefined;
}

/** Sets `cftunnel.certPemFound` so the welcome view offers cert.pem sign-in only when there is one. */
export async function updateCertPemContext(): Promise<void> {
  await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.certPemFound, (await findCertPem()) !== undefined);
}

async function verify(session: CloudflareSession, token: string, accountId?: string): Promise<TokenInfo> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Cloudflare Tunnel: verifying the API token…' },
    () => session.createApi(token).verifyToken(accountId),
  );
}

function signedInMessage(info: TokenInfo, how: string): void {
  const expires = info.expiresOn ? ` It expires ${info.expiresOn}.` : '';
  void vscode.window.showInformationMessage(
    `Signed in to Cloudflare ${how}.${expires} The token is kept in VS Code's secret storage.`,
  );
}

/** Sign in with an API token typed by the user; account-owned tokens are verified against an account ID. */
export async function signInWithToken(session: CloudflareSession): Promise<boolean> {
  const token = await vscode.window.showInputBox({
    title: 'Sign in to Cloudflare with an API token',
    prompt: `Paste a Cloudflare API token. Needed permissions: ${TOKEN_PERMISSIONS}.`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) =>
      v.trim() === '' ? 'Paste the token' : /\s/.test(v.trim()) ? 'An API token has no spaces' : undefined,
  });
  if (!token) return false;
  const trimmed = token.trim();
  let accountId: string | undefined;
  let info: TokenInfo;
  try {
    info = await verify(session, trimmed);
  } catch (err) {
    if (!(err instanceof CloudflareError) || (err.kind !== 'unauthorized' && err.kind !== 'forbidden')) throw err;
    const choice = await vscode.window.showErrorMessage(err.message, 'Account-owned Token…', 'Try Again');
    if (choice === 'Try Again') return signInWithToken(session);
    if (choice !== 'Account-owned Token…') return false;
    accountId = (
      await vscode.window.showInputBox({
        title: 'Account-owned API token',
        prompt: 'The ID of the account that owns the token (Cloudflare dashboard › account home › Account ID)',
        ignoreFocusOut: true,
        validateInput: (v) =>
          /^[0-9a-f]{32}$/i.test(v.trim()) ? undefined : 'An account ID is 32 hexadecimal characters',
      })
    )?.trim();
    if (!accountId) return false;
    info = await verify(session, trimmed, accountId);
  }
  await session.signIn(trimmed, accountId ? { accountId } : {});
  signedInMessage(info, 'with an API token');
  return true;
}

/** Sign in with the API token inside cloudflared's cert.pem (found, or chosen by the user). */
export async function signInWithCertPem(session: CloudflareSession): Promise<boolean> {
  let path = await findCertPem();
  if (!path) {
    const looked = certPemCandidates(process.env, homedir(), process.platform).join(', ');
    const choice = await vscode.window.showWarningMessage(
      `No cloudflared cert.pem found (looked at ${looked}). Run "cloudflared tunnel login" or choose the file.`,
      'Choose File…',
    );
    if (choice !== 'Choose File…') return false;
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Sign In',
      filters: { 'Origin certificate': ['pem'] },
    });
    path = picked?.[0]?.fsPath;
    if (!path) return false;
  }
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const cert = parseCertPem(text);
  // cloudflared's own messages; they never quote the file's content.
  if (isCertError(cert))
    throw new Error(`${path}: ${cert.error}. Run "cloudflared tunnel login" again to get a new certificate.`);
  if (cert.endpoint === 'fed')
    void vscode.window.showWarningMessage(
      'This cert.pem is for a FedRAMP account: set cftunnel.cloudflare.apiBaseUrl to its API.',
    );
  const info = await verify(session, cert.apiToken, cert.accountId || undefined);
  const defaults: SignInDefaults = {};
  if (cert.accountId) defaults.accountId = cert.accountId;
  if (cert.zoneId) defaults.zoneId = cert.zoneId;
  await session.signIn(cert.apiToken, defaults);
  signedInMessage(info, `with ${path}`);
  return true;
}

export async function signOut(session: CloudflareSession): Promise<void> {
  if (!session.signedIn) return;
  await session.signOut();
  void vscode.window.showInformationMessage('Signed out of Cloudflare: the API token was removed from secret storage.');
}
