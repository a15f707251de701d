/**
 * Handlers of the Cloudflare commands (ids in src/shared/commands.ts). Each one takes the tree
 * element it was invoked on, or asks (quick pick) when run from the palette. Slow calls run with
 * progress; destructive ones ask first. One top-level function per command, in the table
 * CLOUDFLARE_COMMANDS that src/extension/commandRegistry.ts registers (failures: its reporter).
 */
import { withCancellableProgress } from '../progress';
import { checkWriteTarget, writeFileAtomic } from '../../node/atomicWrite';
import { addToGitignore as appendGitignoreEntry } from '../../node/gitignore';
import { promises as fs } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { CloudflareError } from '../../cloudflare/errors';
import type { CommandDeps, CommandTable } from '../commandRegistry';
import { credentialsFromToken } from '../../cloudflare/credentials';
import type { DnsRecord, TunnelCredentials } from '../../cloudflare/types';
import { hostnameMatches } from '../../core/cloudflare/tunnelsTree';
import type { DnsRouteNode, TunnelNode } from '../../core/cloudflare/tunnelsTree';
import { tunnelCnameTarget } from '../../core/cloudflare/tunnelCname';
import { COMMANDS } from '../../shared/commands';
import * as auth from './auth';
import type { RouteHostnameOptions } from '../../cloudflare/api';
import {
  credentialsFolderOf,
  credentialsGitignoreEdit,
  replaceRecordsQuestion,
  routeOutcomeMessage,
  shortId,
} from './model';
import type { Element } from './model';
import { remoteConfigUri } from './remoteConfig';
import type { CloudflareSession } from './session';
import type { TunnelsStore } from './tunnelsView';

export interface CloudflareCommandDeps extends CommandDeps {
  session: CloudflareSession;
  /** The Tunnels view's data (accounts, trees); `refresh()` after a change. */
  store: TunnelsStore;
}

interface TunnelTarget {
  accountId: string;
  tunnel: TunnelNode;
}

interface RouteTarget {
  accountId: string;
  route: DnsRouteNode;
  tunnel?: TunnelNode;
}

const progress = withCancellableProgress;

const isElement = (arg: unknown): arg is Element => typeof arg === 'object' && arg !== null && 'type' in arg;

async function pickAccount({ store }: CloudflareCommandDeps, arg: unknown): Promise<string | undefined> {
  if (isElement(arg) && arg.type === 'account') return arg.id;
  const accounts = await store.accounts();
  if (accounts.length === 1) return accounts[0]!.id;
  const pick = await vscode.window.showQuickPick(
    accounts.map((a) => ({ label: a.name, description: a.id, id: a.id })),
    { title: 'Cloudflare account' },
  );
  return pick?.id;
}

/** The tunnel of a tree element, or one the user picks (optionally only remotely managed ones). */
async function pickTunnel(
  { session, store }: CloudflareCommandDeps,
  arg: unknown,
  remoteOnly = false,
): Promise<TunnelTarget | undefined> {
  if (
    isElement(arg) &&
    (arg.type === 'tunnel' || arg.type === 'group' || arg.type === 'hostname' || arg.type === 'route') &&
    arg.tunnel
  ) {
    return { accountId: arg.accountId, tunnel: arg.tunnel };
  }
  session.api();
  const items = (async () => {
    const accounts = await store.accounts();
    const trees = await Promise.all(accounts.map((a) => store.accountTree(a.id, a.name)));
    return trees.flatMap((tree) =>
      tree.tunnels
        .filter((t) => !remoteOnly || t.configSrc === 'cloudflare')
        .map((tunnel) => ({
          label: tunnel.name,
          description: `${tunnel.description}${trees.length > 1 ? ` · ${tree.name}` : ''}`,
          detail: tunnel.id,
          target: { accountId: tree.id, tunnel },
        })),
    );
  })();
  const pick = await vscode.window.showQuickPick(items, {
    title: remoteOnly ? 'Remotely managed tunnel' : 'Tunnel',
    matchOnDetail: true,
  });
  return pick?.target;
}

/** A DNS route of a tree element, or one the user picks (with `unproxied`: only unproxied routes to live tunnels). */
async function pickRoute(
  { session, store }: CloudflareCommandDeps,
  arg: unknown,
  unproxied = false,
): Promise<RouteTarget | undefined> {
  if (isElement(arg) && arg.type === 'route') return { accountId: arg.accountId, route: arg.route, tunnel: arg.tunnel };
  session.api();
  const items = (async () => {
    const accounts = await store.accounts();
    const trees = await Promise.all(accounts.map((a) => store.accountTree(a.id, a.name)));
    return trees.flatMap((tree) =>
      [
        ...tree.tunnels.flatMap((t) =>
          t.routes.map((route) => ({ route, to: t.name, tunnel: t as TunnelNode | undefined })),
        ),
        ...(unproxied ? [] : tree.orphanRoutes.map((route) => ({ route, to: 'deleted tunnel', tunnel: undefined }))),
      ]
        .filter(({ route }) => !unproxied || !route.proxied)
        .map(({ route, to, tunnel }) => ({
          label: route.hostname,
          description: `→ ${to} (${shortId(route.tunnelId)})`,
          target: { accountId: tree.id, route, tunnel },
        })),
    );
  })();
  return (
    await vscode.window.showQuickPick(items, {
      title: unproxied ? 'DNS route to proxy (not proxied now)' : 'DNS route to remove',
    })
  )?.target;
}

/** Asks before `routeHostname` deletes and overwrites the address records at a name. */
async function confirmReplace(
  plan: Parameters<NonNullable<RouteHostnameOptions['confirmReplace']>>[0],
  tunnelName: string,
): Promise<boolean> {
  const q = replaceRecordsQuestion(plan, tunnelName);
  return (await vscode.window.showWarningMessage(q.message, { modal: true, detail: q.detail }, q.button)) === q.button;
}

/** The folder of the workspace's config.yaml whose `tunnel:` names the tunnel, else the first workspace folder. */
async function credentialsDefaultFolder(tunnel: { id: string; name: string }): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles('**/config.y*ml', '**/{node_modules,.git}/**', 200);
  const configs: Array<{ path: string; text: string }> = [];
  for (const uri of files) {
    const bytes = await vscode.workspace.fs.readFile(uri).then(
      (b) => b,
      () => undefined,
    );
    if (bytes && bytes.byteLength < 1_000_000) configs.push({ path: uri.path, text: new TextDecoder().decode(bytes) });
  }
  const folder = credentialsFolderOf(configs, tunnel);
  const config = folder === undefined ? undefined : files.find((f) => f.path.startsWith(`${folder}/`));
  return config ? vscode.Uri.joinPath(config, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
}

/** Writes credentials.json (mode 0600) into a folder the user picks and keeps it out of git (.gitignore). */
async function writeCredentialsFile(
  tunnel: { id: string; name: string },
  creds: TunnelCredentials | (() => Promise<TunnelCredentials>),
): Promise<void> {
  const tunnelName = tunnel.name;
  const folder = (
    await vscode.window.showOpenDialog({
      title: `Folder for the credentials.json of tunnel ${tunnelName}`,
      canSelectFiles: false,
      canSelectFolders: true,
      openLabel: 'Write credentials.json Here',
      defaultUri: await credentialsDefaultFolder(tunnel),
    })
  )?.[0];
  if (!folder) return;
  const file = join(folder.fsPath, 'credentials.json');
  // Never through a symbolic link planted there, never outside the workspace folder (src/node/atomicWrite.ts).
  const ws = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file));
  const within = ws?.uri.fsPath;
  try {
    checkWriteTarget(file, within);
  } catch (e) {
    void vscode.window.showErrorMessage(`Cloudflare Tunnel: ${(e as Error).message}`);
    return;
  }
  const exists = await fs.lstat(file).then(
    () => true,
    () => false,
  );
  if (
    exists &&
    (await vscode.window.showWarningMessage(`${file} exists. Overwrite it?`, { modal: true }, 'Overwrite')) !==
      'Overwrite'
  )
    return;
  const content =
    typeof creds === 'function' ? await progress(`getting the credentials of tunnel ${tunnelName}…`, creds) : creds;
  try {
    writeFileAtomic(file, `${JSON.stringify(content, null, 2)}\n`, {
      mode: 0o600,
      forceMode: true,
      ...(within === undefined ? {} : { within }),
    });
  } catch (e) {
    void vscode.window.showErrorMessage(`Cloudflare Tunnel: credentials.json not written: ${(e as Error).message}`);
    return;
  }
  let ignored: string | undefined;
  try {
    ignored = await addToGitignore(file);
  } catch (e) {
    void vscode.window.showWarningMessage(
      `Wrote ${file} (mode 0600), but git does not ignore it: ${(e as Error).message} Add credentials.json to a .gitignore yourself before committing.`,
    );
    return;
  }
  void vscode.window.showInformationMessage(
    `Wrote ${file} (mode 0600)${ignored ? `, and added it to ${ignored}` : ''}. It holds the tunnel secret: keep it out of version control.`,
  );
}

/**
 * Keeps the file out of git: nothing when the .gitignore files from its workspace folder down to
 * its folder already ignore it, else an entry in the nearest of them. Returns the .gitignore changed.
 */
async function addToGitignore(file: string): Promise<string | undefined> {
  const ws = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file));
  if (!ws) return undefined;
  const posix = (p: string): string => p.split(sep).join('/');
  const root = posix(ws.uri.fsPath);
  const parts = posix(relative(ws.uri.fsPath, dirname(file)))
    .split('/')
    .filter((p) => p !== '');
  const gitignores: Array<{ dir: string; text: string }> = [];
  for (let i = 0; i <= parts.length; i++) {
    const text = await fs
      .readFile(join(ws.uri.fsPath, ...parts.slice(0, i), '.gitignore'), 'utf8')
      .catch(() => undefined);
    if (text !== undefined) gitignores.push({ dir: [root, ...parts.slice(0, i)].join('/'), text });
  }
  const edit = credentialsGitignoreEdit(root, posix(file), gitignores);
  if (!edit) return undefined;
  const target = join(ws.uri.fsPath, ...edit.path.slice(root.length + 1).split('/'));
  // The one writer of .gitignore files (src/node/gitignore.ts): atomic, never through a link (throws).
  return appendGitignoreEntry(target, edit.entry, edit.comment, ws.uri.fsPath) ? target : undefined;
}

/** DNS records of the account's zones that are CNAMEs to this tunnel, and only those. */
async function recordsPointingAt(
  { session, store }: CloudflareCommandDeps,
  accountId: string,
  tunnelId: string,
  signal?: AbortSignal,
): Promise<DnsRecord[]> {
  const api = session.api().withSignal(signal);
  const tree = await store.accountTree(accountId);
  const target = tunnelCnameTarget(tunnelId);
  const lists = await Promise.all(tree.zones.map((z) => api.listDnsRecords(z.id, { type: 'CNAME', content: target })));
  return lists.flat().filter((r) => r.type === 'CNAME' && r.tunnelId === tunnelId.toLowerCase());
}

async function afterCreate(
  accountId: string,
  tunnel: TunnelNode | { id: string; name: string; configSrc: 'local' | 'cloudflare' },
  secret?: string,
): Promise<void> {
  const local = tunnel.configSrc === 'local';
  const actions = local
    ? ['Write credentials.json…', 'Route a Hostname…']
    : ['Edit Configuration', 'Copy Run Token', 'Route a Hostname…'];
  const choice = await vscode.window.showInformationMessage(
    `Created tunnel ${tunnel.name} (${tunnel.id}), ${local ? 'locally managed: run it with a config.yaml and its credentials file' : 'remotely managed: configure its public hostnames on Cloudflare'}.`,
    ...actions,
  );
  const target = { type: 'tunnel', accountId, tunnel } as Element;
  if (choice === 'Write credentials.json…' && secret)
    await writeCredentialsFile(tunnel, { AccountTag: accountId, TunnelSecret: secret, TunnelID: tunnel.id });
  else if (choice === 'Route a Hostname…') await vscode.commands.executeCommand(COMMANDS.routeHostname, target);
  else if (choice === 'Edit Configuration') await vscode.commands.executeCommand(COMMANDS.editRemoteConfig, target);
  else if (choice === 'Copy Run Token') await vscode.commands.executeCommand(COMMANDS.copyRunToken, target);
}

/** Signing in changes the session, which refreshes the view and the status bar. */
async function signIn({ session }: CloudflareCommandDeps): Promise<void> {
  session.assertTrusted();
  await auth.signInWithToken(session);
}

async function signInWithCertPem({ session }: CloudflareCommandDeps): Promise<void> {
  session.assertTrusted();
  await auth.signInWithCertPem(session);
}

async function signOut({ session }: CloudflareCommandDeps): Promise<void> {
  await auth.signOut(session);
}

async function refreshTunnels({ store }: CloudflareCommandDeps): Promise<void> {
  store.refresh();
  await auth.updateCertPemContext();
}

async function selectAccount({ session }: CloudflareCommandDeps): Promise<void> {
  const accounts = await progress('listing accounts…', (signal) => session.api().withSignal(signal).listAccounts());
  const all = { label: 'All accounts', description: 'show every account the token can see', id: '' };
  const pick = await vscode.window.showQuickPick(
    [all, ...accounts.map((a) => ({ label: a.name, description: a.id, id: a.id }))],
    {
      title: 'Pin a Cloudflare account (cftunnel.cloudflare.accountId)',
    },
  );
  if (!pick) return;
  const config = vscode.workspace.getConfiguration('cftunnel.cloudflare');
  const target =
    config.inspect('accountId')?.workspaceValue !== undefined
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
  await config.update('accountId', pick.id || undefined, target);
}

async function createTunnel(deps: CloudflareCommandDeps, arg?: unknown): Promise<void> {
  const { session, store } = deps;
  session.api();
  const accountId = await pickAccount(deps, arg);
  if (!accountId) return;
  const name = (
    await vscode.window.showInputBox({
      title: 'Create tunnel',
      prompt: 'Tunnel name (unique in the account)',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' ? 'Enter a name' : undefined),
    })
  )?.trim();
  if (!name) return;
  const kind = await vscode.window.showQuickPick(
    [
      {
        label: 'Remotely managed',
        description: 'config_src: cloudflare',
        detail: 'Public hostnames are configured on Cloudflare; cloudflared runs with a token.',
        src: 'cloudflare' as const,
      },
      {
        label: 'Locally managed',
        description: 'config_src: local',
        detail: 'cloudflared runs with a config.yaml and a credentials file.',
        src: 'local' as const,
      },
    ],
    { title: `Create tunnel ${name}: where is it configured?` },
  );
  if (!kind) return;
  const created = await progress(`creating tunnel ${name}…`, (signal) =>
    session.api().withSignal(signal).createTunnel(accountId, name, kind.src),
  );
  store.refresh();
  await afterCreate(accountId, created.tunnel, created.tunnelSecret);
}

async function renameTunnel(deps: CloudflareCommandDeps, arg?: unknown): Promise<void> {
  const { session, store } = deps;
  const t = await pickTunnel(deps, arg);
  if (!t) return;
  const name = (
    await vscode.window.showInputBox({
      title: `Rename tunnel ${t.tunnel.name}`,
      value: t.tunnel.name,
      validateInput: (v) => (v.trim() === '' ? 'Enter a name' : undefined),
    })
  )?.trim();
  if (!name || name === t.tunnel.name) return;
  await progress(`renaming tunnel ${t.tunnel.name}…`, (signal) =>
    session.api().withSignal(signal).renameTunnel(t.accountId, t.tunnel.id, name),
  );
  store.refresh();
}

async function deleteTunnel(deps: CloudflareCommandDeps, arg?: unknown): Promise<void> {
  const { session, store } = deps;
  const t = await pickTunnel(deps, arg);
  if (!t) return;
  const { tunnel } = t;
  const records = await progress(`looking for DNS records that point at tunnel ${tunnel.name}…`, (signal) =>
    recordsPointingAt(deps, t.accountId, tunnel.id, signal),
  );
  const running = tunnel.status === 'healthy' || tunnel.status === 'degraded';
  const del = running ? 'Clean Up Connections and Delete' : 'Delete Tunnel';
  const confirm = await vscode.window.showWarningMessage(
    `Delete tunnel ${tunnel.name}?`,
    {
      modal: true,
      detail:
        `${tunnel.id} · ${tunnel.description}\n` +
        (running
          ? 'It has running connectors: their connections are cleaned up first, and they stop serving traffic.\n'
          : '') +
        (records.length
          ? `${records.length} DNS record(s) point at it; you can delete them next.`
          : 'No DNS records point at it.'),
    },
    del,
  );
  if (confirm !== del) return;
  let toDelete: DnsRecord[] = [];
  if (records.length) {
    const picked = await vscode.window.showQuickPick(
      records.map((r) => ({
        label: r.name,
        description: `CNAME → ${r.content}${r.proxied ? ' (proxied)' : ''}`,
        picked: true,
        record: r,
      })),
      {
        title: `Also delete these DNS records of tunnel ${tunnel.name}? (uncheck to keep; Esc cancels the deletion)`,
        canPickMany: true,
      },
    );
    if (!picked) return;
    toDelete = picked.map((p) => p.record);
  }
  await progress(`deleting tunnel ${tunnel.name}…`, async (signal) => {
    const api = session.api().withSignal(signal);
    try {
      await api.deleteTunnel(t.accountId, tunnel.id, { force: running });
    } catch (err) {
      // Stale connections (status down but not cleaned up) refuse the delete: clean up and retry once.
      if (!(err instanceof CloudflareError) || err.kind !== 'conflict' || running) throw err;
      await api.deleteTunnel(t.accountId, tunnel.id, { force: true });
    }
    for (const r of toDelete) if (r.tunnelId === tunnel.id.toLowerCase()) await api.deleteRecord(r.zoneId, r.id);
  });
  store.refresh();
  void vscode.window.showInformationMessage(
    `Deleted tunnel ${tunnel.name}${toDelete.length ? ` and ${toDelete.length} DNS record(s)` : ''}.`,
  );
}

async function routeHostname(deps: CloudflareCommandDeps, arg?: unknown): Promise<void> {
  const { session, store } = deps;
  const t = await pickTunnel(deps, arg);
  if (!t) return;
  const tree = await progress('listing zones…', () => store.accountTree(t.accountId));
  if (tree.zones.length === 0)
    throw new Error(
      'The API token sees no zone in this account: add a zone, or give the token "Zone › Zone › Read" for it.',
    );
  const preferred = session.defaults.zoneId;
  const zones = [...tree.zones].sort((a, b) => (a.id === preferred ? -1 : b.id === preferred ? 1 : 0));
  const zone =
    zones.length === 1
      ? zones[0]
      : (
          await vscode.window.showQuickPick(
            zones.map((z) => ({ label: z.name, description: z.id, zone: z })),
            { title: 'Zone of the hostname' },
          )
        )?.zone;
  if (!zone) return;
  const hostname = (
    await vscode.window.showInputBox({
      title: `Route a hostname to tunnel ${t.tunnel.name}`,
      prompt: `A hostname in ${zone.name}; a proxied CNAME to ${tunnelCnameTarget(t.tunnel.id)} is created`,
      value: `.${zone.name}`,
      valueSelection: [0, 0],
      validateInput: (v) => {
        const h = v.trim().toLowerCase();
        if (h !== zone.name && !h.endsWith(`.${zone.name}`)) return `The hostname must be in ${zone.name}`;
        return /^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(h)
          ? undefined
          : 'Not a valid hostname';
      },
    })
  )
    ?.trim()
    .toLowerCase();
  if (!hostname) return;
  const api = session.api();
  const outcome = await progress(`routing ${hostname} to tunnel ${t.tunnel.name}…`, (signal) =>
    api.withSignal(signal).routeHostname(zone.id, hostname, t.tunnel.id, {
      confirmReplace: (plan) => confirmReplace(plan, t.tunnel.name),
    }),
  );
  if (outcome.kind === 'declined') return;
  if (outcome.kind === 'unchanged') {
    void vscode.window.showInformationMessage(routeOutcomeMessage(outcome, hostname, t.tunnel.name));
    return;
  }
  store.refresh();
  const served = t.tunnel.hostnames?.some((h) => h.hostname !== undefined && hostnameMatches(h.hostname, hostname));
  const remote = t.tunnel.configSrc === 'cloudflare';
  const next = served
    ? ''
    : remote
      ? ' Add an ingress rule for it to the tunnel configuration, or the catch-all rule answers.'
      : " Add an ingress rule for it to the tunnel's config.yaml, or the catch-all rule answers.";
  const choice = await vscode.window.showInformationMessage(
    `${routeOutcomeMessage(outcome, hostname, t.tunnel.name)}${next}`,
    ...(remote && !served ? ['Edit Configuration'] : []),
  );
  if (choice)
    await vscode.commands.executeCommand(COMMANDS.editRemoteConfig, {
      type: 'tunnel',
      accountId: t.accountId,
      tunnel: t.tunnel,
    });
}

async function removeRoute(deps: CloudflareCommandDeps, arg?: unknown): Promise<void> {
  const { session, store } = deps;
  const r = await pickRoute(deps, arg);
  if (!r) return;
  const del = 'Delete DNS Record';
  const choice = await vscode.window.showWarningMessage(
    `Delete the DNS record ${r.route.hostname}?`,
    {
      modal: true,
      detail: `CNAME ${r.route.hostname} → ${tunnelCnameTarget(r.route.tunnelId)}${r.route.zoneName ? ` in zone ${r.route.zoneName}` : ''}. The hostname stops resolving.`,
    },
    del,
  );
  if (choice !== del) return;
  await progress(`deleting ${r.route.hostname}…`, (signal) =>
    session.api().withSignal(signal).deleteRecord(r.route.zoneId, r.route.recordId),
  );
  store.refresh();
}

async function enableProxy(deps: CloudflareCommandDeps, arg?: unknown): Promise<void> {
  const { session, store } = deps;
  const r = await pickRoute(deps, arg, true);
  if (!r) return;
  await progress(`turning on the proxy for ${r.route.hostname}…`, () =>
    session.api().enableProxy(r.route.zoneId, r.route.recordId, r.route.hostname),
  );
  store.refresh();
  void vscode.window.showInformationMessage(
    `Turned on Cloudflare's proxy for ${r.route.hostname}: it now reaches tunnel ${r.tunnel?.name ?? shortId(r.route.tunnelId)}.`,
  );
}

async function copyRunToken(deps: CloudflareCommandDeps, arg?: unknown): Promise<void> {
  const { session } = deps;
  const t = await pickTunnel(deps, arg);
  if (!t) return;
  const token = await progress(`getting the run token of tunnel ${t.tunnel.name}…`, (signal) =>
    session.api().withSignal(signal).getRunToken(t.accountId, t.tunnel.id),
  );
  await vscode.env.clipboard.writeText(token);
  void vscode.window.showInformationMessage(
    `The run token of tunnel ${t.tunnel.name} is on the clipboard. It is a secret: put it in a Kubernetes Secret (TUNNEL_TOKEN), not in a file under version control.`,
  );
}

async function writeCredentials(deps: CloudflareCommandDeps, arg?: unknown): Promise<void> {
  const { session } = deps;
  const t = await pickTunnel(deps, arg);
  if (!t) return;
  const api = session.api();
  await writeCredentialsFile(t.tunnel, async () =>
    credentialsFromToken(await api.getRunToken(t.accountId, t.tunnel.id)),
  );
}

async function editRemoteConfig(deps: CloudflareCommandDeps, arg?: unknown): Promise<void> {
  const { session } = deps;
  const t = await pickTunnel(deps, arg, true);
  if (!t) return;
  session.api();
  if (t.tunnel.configSrc !== 'cloudflare') {
    throw new Error(
      `Tunnel ${t.tunnel.name} is locally managed: its ingress rules are in its config.yaml, not on Cloudflare.`,
    );
  }
  const doc = await vscode.workspace.openTextDocument(remoteConfigUri(t.accountId, t.tunnel));
  await vscode.window.showTextDocument(doc, { preview: false });
}

async function copyTunnelId(deps: CloudflareCommandDeps, arg?: unknown): Promise<void> {
  const t = await pickTunnel(deps, arg);
  if (t) await vscode.env.clipboard.writeText(t.tunnel.id);
}

export const CLOUDFLARE_COMMANDS: CommandTable<CloudflareCommandDeps> = {
  [COMMANDS.signIn]: signIn,
  [COMMANDS.signInWithCertPem]: signInWithCertPem,
  [COMMANDS.signOut]: signOut,
  [COMMANDS.refreshTunnels]: refreshTunnels,
  [COMMANDS.selectAccount]: selectAccount,
  [COMMANDS.createTunnel]: createTunnel,
  [COMMANDS.renameTunnel]: renameTunnel,
  [COMMANDS.deleteTunnel]: deleteTunnel,
  [COMMANDS.routeHostname]: routeHostname,
  [COMMANDS.removeRoute]: removeRoute,
  [COMMANDS.enableProxy]: enableProxy,
  [COMMANDS.copyRunToken]: copyRunToken,
  [COMMANDS.writeCredentials]: writeCredentials,
  [COMMANDS.editRemoteConfig]: editRemoteConfig,
  [COMMANDS.copyTunnelId]: copyTunnelId,
};
