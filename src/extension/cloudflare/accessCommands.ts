/**
 * "Protect with Cloudflare Access…" (issue #19): on an open hostname (a Tunnels-view hostname or
 * route, a Cluster Services hostname, the `access-not-protected` quick fix, or typed from the
 * palette), asks who may enter (emails, an email domain, an identity provider of the account, a
 * service token for machines), the session duration and the application's name, shows the policy
 * and the application it will create (a modal with their JSON), then creates them with
 * `protectHostname` (idempotent; never changes an existing application) and refreshes the trees.
 * When an application already covers the hostname it is shown and nothing is changed.
 * The words and the steps' model are in accessModel.ts.
 */
import * as vscode from 'vscode';
import type { CommandDeps, CommandTable } from '../commandRegistry';
import { COMMANDS } from '../../shared/commands';
import { withCancellableProgress } from '../progress';
import { protect, protectPreview } from './accessApi';
import {
  DEFAULT_SESSION_DURATION,
  SESSION_DURATIONS,
  accessDashboardUrl,
  appNameOf,
  existingAppMessage,
  parseEmailDomain,
  parseEmails,
  protectOutcomeMessage,
  protectQuestion,
  protectRequest,
  stepTitle,
  whoItems,
} from './accessModel';
import type { AccessState, WhoChoice } from './accessModel';
import { nameCoverage } from './accessTree';
import type { Element } from './model';
import type { CloudflareSession } from './session';
import type { TunnelsStore } from './tunnelsView';
import type { ClusterStore } from '../kubernetes/cluster';
import { accountOfHostname } from '../kubernetes/model';
import type { Element as ServicesElement } from '../kubernetes/model';

export interface AccessCommandDeps extends CommandDeps {
  session: CloudflareSession;
  store: TunnelsStore;
  /** For Cluster Services hostname items: which account their tunnel is in. */
  cluster?: ClusterStore;
}

/** The argument the `access-not-protected` quick fix passes. */
export interface AccessTarget {
  kind: 'access-target';
  hostname: string;
  accountId?: string;
}

const STEPS = 4;

type Loaded = Extract<AccessState, { kind: 'loaded' }>;

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

/** The hostname (and account, when the argument tells) the command was run on. */
async function targetOf(
  deps: AccessCommandDeps,
  arg: unknown,
): Promise<{ hostname: string; accountId?: string } | undefined> {
  if (isObject(arg)) {
    if (arg['kind'] === 'access-target') {
      const t = arg as unknown as AccessTarget;
      return { hostname: t.hostname, ...(t.accountId ? { accountId: t.accountId } : {}) };
    }
    if (arg['type'] === 'hostname' && 'accountId' in arg) {
      const el = arg as Extract<Element, { type: 'hostname' }>;
      if (el.hostname.hostname) return { hostname: el.hostname.hostname, accountId: el.accountId };
    }
    if (arg['type'] === 'route' && 'accountId' in arg) {
      const el = arg as Extract<Element, { type: 'route' }>;
      return { hostname: el.route.hostname, accountId: el.accountId };
    }
    if (arg['type'] === 'hostname' && 'node' in arg) {
      const el = arg as Extract<ServicesElement, { type: 'hostname' }>;
      if (!el.node.hostname) return undefined;
      const known = await deps.cluster?.knownTunnels();
      const accountId = known ? accountOfHostname(el.node, known.tunnels, [...known.access.keys()]) : undefined;
      return { hostname: el.node.hostname, ...(accountId ? { accountId } : {}) };
    }
  }
  const typed = await vscode.window.showInputBox({
    title: 'Protect with Cloudflare Access',
    prompt: 'The public hostname to put behind a login, e.g. grafana.example.com',
    validateInput: (v) =>
      /^(\*\.)?([a-z0-9-]+\.)+[a-z0-9-]+$/i.test(v.trim()) ? undefined : 'Type a hostname such as app.example.com.',
  });
  return typed ? { hostname: typed.trim().toLowerCase() } : undefined;
}

/** The account of a hostname: the one whose zone holds it, else the only one, else the user's pick. */
async function accountFor(deps: AccessCommandDeps, hostname: string): Promise<string | undefined> {
  const accounts = await deps.store.accounts();
  if (accounts.length === 1) return accounts[0]!.id;
  const trees = await Promise.all(accounts.map((a) => deps.store.accountTree(a.id, a.name).catch(() => undefined)));
  const h = hostname.replace(/^\*\./, '');
  const owner = trees.find((t) => t?.zones.some((z) => h === z.name || h.endsWith(`.${z.name}`)));
  if (owner) return owner.id;
  const pick = await vscode.window.showQuickPick(
    accounts.map((a) => ({ label: a.name, description: a.id, id: a.id })),
    { title: `Cloudflare account that serves ${hostname}` },
  );
  return pick?.id;
}

/** Step 1 and 2: who may enter. Undefined: cancelled. */
async function askWho(hostname: string, state: Loaded): Promise<WhoChoice | undefined> {
  for (;;) {
    const items = whoItems(state).map((i) => ({
      label: i.label,
      detail: i.detail,
      description: i.enabled ? undefined : 'none available',
      item: i,
    }));
    const pick = await vscode.window.showQuickPick(items, {
      title: stepTitle(hostname, 1, STEPS),
      placeHolder: 'Who may enter?',
      ignoreFocusOut: true,
    });
    if (!pick) return undefined;
    if (!pick.item.enabled) {
      await vscode.window.showInformationMessage(pick.item.detail, { modal: true });
      continue;
    }
    const title = stepTitle(hostname, 2, STEPS);
    switch (pick.item.kind) {
      case 'emails': {
        const text = await vscode.window.showInputBox({
          title,
          prompt: 'Email addresses, separated by commas',
          placeHolder: 'alice@example.com, bob@example.com',
          ignoreFocusOut: true,
          validateInput: (v) => {
            const r = parseEmails(v);
            return 'error' in r ? r.error : undefined;
          },
        });
        if (text === undefined) continue;
        const r = parseEmails(text);
        if ('emails' in r) return { kind: 'emails', emails: r.emails };
        continue;
      }
      case 'emailDomain': {
        const text = await vscode.window.showInputBox({
          title,
          prompt: 'Everyone whose email address ends in this domain',
          placeHolder: 'example.com',
          ignoreFocusOut: true,
          validateInput: (v) => {
            const r = parseEmailDomain(v);
            return 'error' in r ? r.error : undefined;
          },
        });
        if (text === undefined) continue;
        const r = parseEmailDomain(text);
        if ('domain' in r) return { kind: 'emailDomain', domain: r.domain };
        continue;
      }
      case 'identityProvider': {
        const idp = await vscode.window.showQuickPick(
          state.identityProviders.map((p) => ({ label: p.name, description: p.type, detail: p.id, p })),
          { title, placeHolder: 'Identity provider whose users may enter', ignoreFocusOut: true },
        );
        if (!idp) continue;
        return { kind: 'identityProvider', id: idp.p.id, name: idp.p.name, type: idp.p.type };
      }
      case 'serviceToken': {
        const token = await vscode.window.showQuickPick(
          state.serviceTokens.map((t) => ({ label: t.name, description: `Client ID ${t.clientId}`, t })),
          { title, placeHolder: 'Service token that may enter (machines)', ignoreFocusOut: true },
        );
        if (!token) continue;
        return { kind: 'serviceToken', id: token.t.id, name: token.t.name, clientId: token.t.clientId };
      }
    }
  }
}

async function protectWithAccess(deps: AccessCommandDeps, arg?: unknown): Promise<void> {
  const { session, store } = deps;
  session.api(); // Signed out or untrusted: says so (with its action) before asking anything.
  const target = await targetOf(deps, arg);
  if (!target) return;
  const { hostname } = target;
  const accountId = target.accountId ?? (await accountFor(deps, hostname));
  if (!accountId) return;
  const state = await store.access(accountId);
  if (state.kind !== 'loaded') throw new Error(`Cannot protect ${hostname}: ${state.message}`);

  // An application already covers it (even one that lets everyone in): show it, change nothing.
  const existing = nameCoverage(hostname, undefined, state);
  if (existing.app) {
    const open = 'Open Zero Trust Dashboard';
    const choice = await vscode.window.showInformationMessage(existingAppMessage(hostname, existing), open);
    if (choice === open) await vscode.env.openExternal(vscode.Uri.parse(accessDashboardUrl(accountId)));
    return;
  }

  const who = await askWho(hostname, state);
  if (!who) return;
  const duration = await vscode.window.showQuickPick(
    SESSION_DURATIONS.map((d) => ({
      label: d.label,
      description: d.value === DEFAULT_SESSION_DURATION ? `${d.value} (default)` : d.value,
      value: d.value,
    })),
    { title: stepTitle(hostname, 3, STEPS), placeHolder: 'How long a login lasts', ignoreFocusOut: true },
  );
  if (!duration) return;
  const name = await vscode.window.showInputBox({
    title: stepTitle(hostname, 4, STEPS),
    prompt: 'Name of the Access application',
    value: hostname,
    ignoreFocusOut: true,
  });
  if (name === undefined) return;

  const req = protectRequest(hostname, who, duration.value, appNameOf(name, hostname));
  const q = protectQuestion(req, who, protectPreview(req));
  if ((await vscode.window.showInformationMessage(q.message, { modal: true, detail: q.detail }, q.button)) !== q.button)
    return;
  const result = await withCancellableProgress(`Protecting ${hostname} with Cloudflare Access…`, (signal) =>
    protect(session.api(), accountId, req, signal),
  );
  deps.output.info(
    `Access: ${result.created ? 'created' : 'found'} application ${result.app.id} (${result.app.name}) for ${hostname}${result.policy ? `, policy ${result.policy.id}` : ''}${result.recovered ? ' (recovered after a lost answer)' : ''}`,
  );
  store.refresh();
  void vscode.window.showInformationMessage(protectOutcomeMessage(result, hostname, who));
}

export const ACCESS_COMMANDS: CommandTable<AccessCommandDeps> = {
  [COMMANDS.protectWithAccess]: protectWithAccess,
};
