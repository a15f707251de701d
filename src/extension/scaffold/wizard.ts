/**
 * "New cloudflared Kustomize Folder…" (`cftunnel.newKustomizeFolder`): a multi-step QuickPick /
 * InputBox wizard (Back goes one step back, Escape cancels and writes nothing) that asks for the
 * mode, the tunnel (from the signed-in account, or typed), the namespace, the replicas and the
 * origin (a Service of the chosen cluster, or a typed URL), and, when the tunnel came from the
 * account, whether to route a zone's apex and wildcard to it ("Route DNS": Skip, or a zone; then
 * the plan with the existing records, overwriting only as its own choice). Then computes the files
 * with `scaffoldPlan` (local mode: the routed hostnames become config.yaml's rules). Connected to a
 * cluster, it looks first: the origin's Service as the cluster has it (selector, targetPorts) for
 * the NetworkPolicy, and whether the Deployment it would write exists with another selector (which
 * cannot change: then "Use another name", "Keep the existing labels" or Cancel; a lookup RBAC
 * forbids is said in the summary). Then fills the
 * secret input from the Cloudflare API when the tunnel came from the account, asks before
 * overwriting files that would change and writes them all at once (src/node/atomicWrite.ts;
 * secret files 0600). Opens kustomization.yaml, and only then changes DNS (with progress, one
 * result per hostname). The origin step also offers "All hostnames to my ingress controller" for
 * each ingress controller the cluster's Services (by name) or the workspace's manifests show: the
 * zone (from "Route DNS", or asked) then gives rules `zone` and `*.zone` → the controller, then
 * 404, and the NetworkPolicy allows only the controller's pods (the scaffold's `zone` option).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { dnsReport, planDnsRoutes, routedHostnames } from '../../core/scaffold/dnsRoutes';
import type { DnsRoutePlan } from '../../core/scaffold/dnsRoutes';
import { credentialsFromToken, ScaffoldError, scaffoldPlan } from '../../core/scaffold/scaffold';
import type { ScaffoldOptions } from '../../core/scaffold/scaffold';
import { DEFAULT_NAME, DEFAULT_NAMESPACE, DEFAULT_ORIGIN, DEFAULT_REPLICAS } from '../../core/scaffold/scaffold';
import type { ClusterClient } from '../../kubernetes/cluster';
import { COMMANDS } from '../../shared/commands';
import type { CommandTable } from '../commandRegistry';
import { planWrites, writeAll } from '../../node/atomicWrite';
import type { CloudflareSession } from '../cloudflare/session';
import type { TunnelsStore } from '../cloudflare/tunnelsView';
import type { TreeZoneInput } from '../../core/cloudflare/tunnelsTree';
import type { ClusterStore } from '../kubernetes/cluster';
import { kubernetes } from '../kubernetes/lazy';
import {
  applyDnsRoutes,
  conflictMessage,
  deploymentCheckNote,
  deploymentConflict,
  dnsPlanChoices,
  existingDeployment,
  originForService,
  originPolicyInputs,
  originPorts,
  originServiceRef,
  parseReplicas,
  plannedSelector,
  recordsAtZoneHostnames,
  runSteps,
  suggestDeploymentName,
  validateDeploymentName,
  validateNamespace,
  validateOriginUrl,
  validateReplicas,
  validateTunnelId,
  validateZone,
  wizardControllers,
  controllerItem,
} from './wizardModel';
import type { OriginRead, StepResult, WizardController } from './wizardModel';
import { workspaceObjects } from './policyCommands';
import { publicLabelSetting } from './shared';
import type { ScaffoldCommandDeps } from './shared';
import { clusterDomainSetting } from '../settings';

interface WizardState {
  mode?: 'token' | 'local';
  tunnelId?: string;
  tunnelName?: string;
  /** Set when the tunnel was picked from the account: the secret comes from the API. */
  accountId?: string;
  namespace?: string;
  replicas?: number;
  origin?: string;
  /** "All hostnames to my ingress controller": the controller picked (its origin is `origin`). */
  controller?: WizardController;
  /** With `controller`: the zone whose apex and wildcard go to it (from the DNS step, or typed). */
  zone?: string;
  /** "Route DNS": the zone and the plan the user confirmed; absent: DNS is left alone. */
  dns?: { zoneId: string; plan: DnsRoutePlan; overwrite: boolean };
}

const TITLE = 'New cloudflared Kustomize Folder';

/** Where a step is: "step of total" in the title bar. */
interface Pos {
  step: number;
  total: number;
}

interface Item<T> extends vscode.QuickPickItem {
  value?: T;
  /** Shown for information only: accepting it does nothing. */
  inert?: boolean;
}

/** One QuickPick step: resolves with the picked value, 'back' or 'cancel'. */
function pickStep<T>(
  at: Pos,
  placeholder: string,
  items: Item<T>[] | Promise<Item<T>[]>,
  onPick: (value: T | undefined, item: Item<T>) => void,
): Promise<StepResult> {
  return new Promise<StepResult>((resolve) => {
    const qp = vscode.window.createQuickPick<Item<T>>();
    qp.title = TITLE;
    qp.step = at.step;
    qp.totalSteps = at.total;
    qp.placeholder = placeholder;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.ignoreFocusOut = true;
    qp.buttons = at.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    let done = false;
    const finish = (r: StepResult): void => {
      if (done) return;
      done = true;
      resolve(r);
      qp.dispose();
    };
    qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish('back'));
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0];
      if (!item || item.inert || item.kind === vscode.QuickPickItemKind.Separator) return;
      onPick(item.value, item);
      finish('next');
    });
    qp.onDidHide(() => finish('cancel'));
    qp.busy = true;
    qp.show();
    void Promise.resolve(items).then(
      (list) => {
        qp.items = list;
        qp.busy = false;
      },
      (err: unknown) => {
        qp.items = [];
        qp.busy = false;
        qp.placeholder = `${placeholder} (${err instanceof Error ? err.message : String(err)})`;
      },
    );
  });
}

/** One InputBox step. */
function inputStep(
  at: Pos,
  prompt: string,
  value: string,
  validate: (text: string) => string | undefined,
  onAccept: (text: string) => void,
): Promise<StepResult> {
  return new Promise<StepResult>((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = TITLE;
    box.step = at.step;
    box.totalSteps = at.total;
    box.prompt = prompt;
    box.value = value;
    box.ignoreFocusOut = true;
    box.buttons = at.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    let done = false;
    const finish = (r: StepResult): void => {
      if (done) return;
      done = true;
      resolve(r);
      box.dispose();
    };
    box.onDidChangeValue((t) => (box.validationMessage = validate(t)));
    box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish('back'));
    box.onDidAccept(() => {
      const message = validate(box.value);
      box.validationMessage = message;
      if (message) return;
      onAccept(box.value);
      finish('next');
    });
    box.onDidHide(() => finish('cancel'));
    box.show();
  });
}

const TYPE = Symbol('type');

async function folderOf(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) {
    try {
      if (statSync(arg.fsPath).isDirectory()) return arg;
    } catch {
      return arg; // a folder that does not exist yet: created by the write
    }
  }
  return (
    await vscode.window.showOpenDialog({
      title: 'Folder for the cloudflared kustomization',
      canSelectFiles: false,
      canSelectFolders: true,
      openLabel: 'Scaffold Here',
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    })
  )?.[0];
}

export async function newKustomizeFolder(
  { session, store, cluster }: ScaffoldCommandDeps,
  arg?: unknown,
): Promise<void> {
  const folder = await folderOf(arg);
  if (!folder) return;
  const state: WizardState = {};
  const signedIn = session.signedIn && session.trusted;
  // Step 6 ("Route DNS") is there when the tunnel comes from the account (until it is typed).
  const at = (step: number): Pos => ({
    step,
    total: signedIn && (state.accountId !== undefined || state.tunnelId === undefined) ? 6 : 5,
  });

  const completed = await runSteps(state, [
    (s) =>
      pickStep<'token' | 'local'>(
        at(1),
        'How is the tunnel managed?',
        [
          {
            label: 'Remotely managed',
            description: 'run token (TUNNEL_TOKEN)',
            detail: 'Ingress rules live on Cloudflare; the pods get the run token from a Secret.',
            value: 'token',
            picked: s.mode !== 'local',
          },
          {
            label: 'Locally managed',
            description: 'config.yaml + credentials.json',
            detail: 'Ingress rules in a ConfigMap; the tunnel credentials in a Secret.',
            value: 'local',
            picked: s.mode === 'local',
          },
        ],
        (v) => (s.mode = v ?? 'token'),
      ),
    async (s) => {
      if (!signedIn) {
        return inputStep(
          at(2),
          'Tunnel ID (sign in to Cloudflare to pick a tunnel instead)',
          s.tunnelId ?? '',
          validateTunnelId,
          (t) => {
            s.tunnelId = t.trim().toLowerCase();
            delete s.accountId;
            delete s.tunnelName;
          },
        );
      }
      const items = (async (): Promise<Item<{ accountId: string; id: string; name: string } | typeof TYPE>[]> => {
        const accounts = await store.accounts();
        const trees = await Promise.all(accounts.map((a) => store.accountTree(a.id, a.name)));
        const tunnels = trees.flatMap((tree) =>
          tree.tunnels
            .filter((t) => (s.mode === 'token' ? t.configSrc === 'cloudflare' : true))
            .map((t) => ({
              label: t.name,
              description: `${t.description}${trees.length > 1 ? ` · ${tree.name}` : ''}`,
              detail: t.id,
              value: { accountId: tree.id, id: t.id, name: t.name },
            })),
        );
        return [...tunnels, { label: '$(edit) Enter a tunnel ID…', value: TYPE }];
      })();
      for (;;) {
        let typed = false;
        const r = await pickStep(at(2), s.mode === 'token' ? 'Remotely managed tunnel' : 'Tunnel', items, (v) => {
          if (v === TYPE || v === undefined) {
            typed = true;
            return;
          }
          s.tunnelId = v.id;
          s.tunnelName = v.name;
          s.accountId = v.accountId;
        });
        if (r !== 'next' || !typed) return r;
        const r2 = await inputStep(at(2), 'Tunnel ID', s.accountId ? '' : (s.tunnelId ?? ''), validateTunnelId, (t) => {
          s.tunnelId = t.trim().toLowerCase();
          delete s.accountId;
          delete s.tunnelName;
        });
        if (r2 !== 'back') return r2; // Back from the typed ID: pick again
      }
    },
    (s) =>
      inputStep(
        at(3),
        `Namespace (default ${DEFAULT_NAMESPACE})`,
        s.namespace ?? DEFAULT_NAMESPACE,
        validateNamespace,
        (t) => (s.namespace = t.trim() || DEFAULT_NAMESPACE),
      ),
    (s) =>
      inputStep(
        at(4),
        `Replicas (default ${DEFAULT_REPLICAS})`,
        String(s.replicas ?? DEFAULT_REPLICAS),
        validateReplicas,
        (t) => (s.replicas = parseReplicas(t) ?? DEFAULT_REPLICAS),
      ),
    async (s) => {
      let client: ReturnType<ClusterStore['client']> | undefined;
      try {
        client = cluster.client();
      } catch {
        client = undefined;
      }
      const typeUrl = (): Promise<StepResult> =>
        inputStep(
          at(5),
          'Origin URL the tunnel sends traffic to',
          s.origin ?? DEFAULT_ORIGIN,
          validateOriginUrl,
          (t) => {
            s.origin = t.trim();
            delete s.controller;
          },
        );
      // With the DNS step to come, its zone is the controller's; else the zone is asked here.
      const askZone = (): Promise<StepResult> =>
        signedIn && s.accountId !== undefined
          ? Promise.resolve('next')
          : inputStep(
              at(5),
              `Zone whose apex and every subdomain go to ${s.controller?.controller.label ?? 'the controller'} (e.g. example.com)`,
              s.zone ?? '',
              validateZone,
              (t) => (s.zone = t.trim().toLowerCase().replace(/\.$/, '')),
            );
      const found = workspaceObjects().catch(() => ({ services: [], pods: [] }));
      if (!client) {
        const controllers = wizardControllers([], await found, clusterDomainSetting());
        if (controllers.length === 0) return typeUrl();
      }
      // The list gives the origin URL only: the NetworkPolicy uses the Service as the cluster has it,
      // read when the wizard is done (originInputs), never rebuilt from this summary.
      type Value = { origin: string } | { controller: WizardController } | typeof TYPE;
      const items = (async (): Promise<Item<Value>[]> => {
        const snap = client ? await cluster.snapshot() : undefined;
        const controllers = wizardControllers(snap?.services ?? [], await found, clusterDomainSetting());
        const list: Item<Value>[] = [
          ...controllers.map((c): Item<Value> => ({ ...controllerItem(c), value: { controller: c } })),
          { label: '$(edit) Enter a URL…', description: DEFAULT_ORIGIN, value: TYPE },
        ];
        for (const svc of snap?.services ?? []) {
          if (svc.type === 'ExternalName') continue;
          for (const p of originPorts(svc.ports)) {
            const origin = originForService(svc, p, clusterDomainSetting());
            list.push({
              label: `${svc.namespace}/${svc.name}`,
              description: `${p.port}${p.name ? ` (${p.name})` : ''}`,
              detail: origin,
              value: { origin },
            });
          }
        }
        return list;
      })();
      const where = client ? `a Service of context ${client.context.name}` : 'the ingress controller, or a URL';
      for (;;) {
        let typed = false;
        const r = await pickStep(at(5), `Origin: ${where}`, items, (v) => {
          if (v === TYPE || v === undefined) {
            typed = true;
            return;
          }
          if ('controller' in v) {
            s.controller = v.controller;
            s.origin = v.controller.origin;
          } else {
            s.origin = v.origin;
            delete s.controller;
          }
        });
        if (r !== 'next') return r;
        const r2 = typed ? await typeUrl() : s.controller ? await askZone() : 'next';
        if (r2 !== 'back') return r2; // Back from the typed URL or the zone: pick again
      }
    },
    (s) => dnsStep(s, at(6), session, store),
  ]);
  if (!completed || !state.mode || !state.tunnelId) return;

  // Local mode: the hostnames the DNS step routes here get their own rules (then a 404 catch-all).
  // To the controller: the zone's apex and wildcard, whatever DNS holds (the zone option).
  const toController = state.controller && state.zone ? state.zone : undefined;
  const hostnames =
    state.dns && state.mode === 'local' && !toController ? routedHostnames(state.dns.plan, state.dns.overwrite) : [];
  const options: ScaffoldOptions = {
    mode: state.mode,
    tunnelId: state.tunnelId,
    namespace: state.namespace ?? DEFAULT_NAMESPACE,
    replicas: state.replicas ?? DEFAULT_REPLICAS,
    origin: state.origin ?? DEFAULT_ORIGIN,
    publicLabel: publicLabelSetting(folder),
    clusterDomain: clusterDomainSetting(),
    ...(hostnames.length > 0 ? { hostnames } : {}),
    ...(toController ? { zone: toController } : {}),
  };
  // A controller found in the workspace's manifests: its Service and pods (the cluster's, read below, come first).
  if (toController && state.controller?.from === 'workspace') {
    const ws = await workspaceObjects().catch(() => ({ services: [], pods: [] }));
    options.services = ws.services;
    options.pods = ws.pods;
  }
  try {
    scaffoldPlan(options); // validate before contacting Cloudflare
  } catch (e) {
    if (e instanceof ScaffoldError) {
      void vscode.window.showErrorMessage(`Cloudflare Tunnel: ${e.message}`);
      return;
    }
    throw e;
  }

  // Connected to a cluster: look before writing. The Deployment the folder would write may exist
  // with another selector (immutable: apply would be refused), and the origin's Service is read as
  // the cluster has it (selector, targetPorts) for the NetworkPolicy.
  const clusterNotes: string[] = [];
  let client: ClusterClient | undefined;
  try {
    client = cluster.client();
  } catch {
    client = undefined;
  }
  if (client) {
    const checked = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Cloudflare Tunnel: looking at context ${client.context.name}…`,
      },
      async () => {
        const ref = originServiceRef(options.origin!, options.namespace!, clusterDomainSetting());
        const origin = ref ? originInputs(client, ref) : undefined;
        const existing = await lookUpDeployment(client, options.namespace!, options.name ?? DEFAULT_NAME);
        return { origin: await origin, existing };
      },
    );
    if (checked.origin) {
      options.services = [...checked.origin.services, ...(options.services ?? [])];
      options.pods = [...checked.origin.pods, ...(options.pods ?? [])];
      if (checked.origin.note) clusterNotes.push(checked.origin.note);
    }
    const decided = await decideDeployment(client, options, checked.existing, state.tunnelName);
    if (decided === 'cancel') return;
    if (decided.note) clusterNotes.push(decided.note);
  }

  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Cloudflare Tunnel' },
    async (progress) => {
      if (state.accountId) {
        progress.report({
          message: `getting the ${state.mode === 'token' ? 'run token' : 'credentials'} of tunnel ${state.tunnelName ?? state.tunnelId}…`,
        });
        const token = await session.api().getRunToken(state.accountId, state.tunnelId!);
        if (state.mode === 'token') options.secret = { token };
        else {
          const credentials = credentialsFromToken(token);
          if (credentials) options.secret = { credentials };
        }
      }
    },
  );
  const plan = scaffoldPlan(options);
  const dir = folder.fsPath;
  const { conflicts } = planWrites(dir, plan.files);
  let force = false;
  if (conflicts.length > 0) {
    const { message, detail } = conflictMessage(vscode.workspace.asRelativePath(folder), conflicts);
    if ((await vscode.window.showWarningMessage(message, { modal: true, detail }, 'Overwrite')) !== 'Overwrite') return;
    force = true;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Cloudflare Tunnel: writing the kustomization…' },
    async () => writeAll(dir, plan.files, force),
  );
  if (!result.ok) {
    void vscode.window.showErrorMessage(
      result.conflicts
        ? `Cloudflare Tunnel: nothing was written: files changed meanwhile (${result.conflicts.join(', ')}).`
        : `Cloudflare Tunnel: nothing was written: ${result.error ?? 'unknown error'}`,
    );
    return;
  }
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(join(dir, 'kustomization.yaml')));
  await vscode.window.showTextDocument(doc, { preview: false });
  const kept = plan.files.filter((f) => f.placeholder && result.states.get(f.path) === 'kept').map((f) => f.path);
  // Distinct: with several hostnames to one origin, the plan repeats a NetworkPolicy note per rule.
  const notes = [...new Set([...plan.notes, ...clusterNotes])].filter(
    (n) => !kept.some((k) => n.startsWith(`${k} holds`)),
  );
  if (notes.length > 0)
    void vscode.window.showInformationMessage(`Cloudflare Tunnel: wrote the kustomization. ${notes.join(' ')}`);
  // DNS changes only now that every file is written: cancelling earlier changes nothing anywhere.
  if (state.dns) await routeZone(session, state.dns);
}

type Lookup = { found?: unknown; error?: unknown };

async function lookUpDeployment(client: ClusterClient, namespace: string, name: string): Promise<Lookup> {
  try {
    return { found: await kubernetes().readDeployment(client, namespace, name) };
  } catch (error) {
    return { error };
  }
}

/** The origin's Service as the cluster has it, and the pods it selects (for named targetPorts). */
async function originInputs(
  client: ClusterClient,
  ref: { namespace: string; name: string },
): Promise<ReturnType<typeof originPolicyInputs>> {
  let read: OriginRead;
  try {
    const service = await kubernetes().readService(client, ref.namespace, ref.name);
    const selector = service?.spec?.selector;
    const pods =
      selector && Object.keys(selector).length > 0
        ? await kubernetes()
            .listPodsSelectedBy(client, ref.namespace, selector, { pageSize: 200 })
            .catch(() => [])
        : [];
    read = service ? { service, pods } : {};
  } catch (err) {
    read = { error: err instanceof Error ? err.message : String(err) };
  }
  return originPolicyInputs(ref, read);
}

/**
 * When the Deployment the folder would write exists with another selector: asks (another name,
 * the existing labels, or Cancel) and sets `options` accordingly. A new name is checked again.
 * Not found: nothing to ask; the lookup failed (RBAC, network): a note for the summary.
 */
async function decideDeployment(
  client: ClusterClient,
  options: ScaffoldOptions,
  first: Lookup,
  tunnelName: string | undefined,
): Promise<'cancel' | { note?: string }> {
  let lookup = first;
  for (;;) {
    const namespace = options.namespace ?? DEFAULT_NAMESPACE;
    const name = options.name ?? DEFAULT_NAME;
    if (lookup.error !== undefined) return { note: deploymentCheckNote(namespace, name, lookup.error) };
    const existing = lookup.found === undefined ? undefined : existingDeployment(lookup.found);
    if (!existing) return {};
    const taken = await kubernetes()
      .listDeploymentNames(client, namespace)
      .catch(() => [name]);
    const conflict = deploymentConflict(
      existing,
      plannedSelector(options),
      suggestDeploymentName([...taken, name], tunnelName),
    );
    if (!conflict) return {};
    const picked = await vscode.window.showWarningMessage(
      conflict.message,
      { modal: true, detail: conflict.detail },
      ...conflict.choices.map((c) => c.label),
    );
    const choice = conflict.choices.find((c) => c.label === picked);
    if (!choice) return 'cancel';
    if (choice.kind === 'keep') {
      options.selector = choice.selector;
      options.podLabels = choice.podLabels;
      return {};
    }
    const typed = await vscode.window.showInputBox({
      title: TITLE,
      prompt: `Name of the new Deployment in namespace ${namespace} (also its NetworkPolicy and PodDisruptionBudget)`,
      value: choice.name,
      ignoreFocusOut: true,
      validateInput: (t) => validateDeploymentName(t, [...taken, name]),
    });
    if (typed === undefined) return 'cancel';
    options.name = typed.trim();
    delete options.selector;
    delete options.podLabels;
    lookup = await lookUpDeployment(client, namespace, options.name);
  }
}

const SKIP = Symbol('skip');

/**
 * Step 6, "Route DNS" (only for a tunnel of the signed-in account): Skip or a zone; then the plan
 * for the zone's apex and wildcard with the records there now. Back from the plan picks the zone
 * again. Reads DNS only; the changes are made after the files are written (routeZone).
 */
async function dnsStep(s: WizardState, at: Pos, session: CloudflareSession, store: TunnelsStore): Promise<StepResult> {
  const { accountId, tunnelId } = s;
  if (!accountId || !tunnelId) {
    delete s.dns;
    return 'next';
  }
  // To the controller, the zone is needed for the rules: asked when DNS is skipped.
  const zoneForController = (): Promise<StepResult> =>
    s.controller
      ? inputStep(
          at,
          `Zone whose apex and every subdomain go to ${s.controller.controller.label} (e.g. example.com)`,
          s.zone ?? '',
          validateZone,
          (t) => (s.zone = t.trim().toLowerCase().replace(/\.$/, '')),
        )
      : Promise.resolve('next');
  const tunnelLabel = `tunnel ${s.tunnelName ?? tunnelId}`;
  const zones = store.accountTree(accountId).then((tree) => tree.zones);
  for (;;) {
    let zone: TreeZoneInput | undefined;
    const zoneItems = zones.then((list): Item<TreeZoneInput | typeof SKIP>[] => [
      {
        label: 'Skip',
        description: list.length > 0 ? 'leave DNS as it is' : 'the API token sees no zone in this account',
        value: SKIP,
      },
      ...list.map((z) => ({
        label: `${z.name} and *.${z.name} → ${tunnelLabel}`,
        description: 'proxied CNAMEs',
        value: z,
      })),
    ]);
    const question = s.controller
      ? `Route DNS: the zone whose apex and wildcard go to ${tunnelLabel} and ${s.controller.controller.label}?`
      : `Route DNS: a zone's apex and wildcard to ${tunnelLabel}?`;
    const r = await pickStep(at, question, zoneItems, (v) => {
      zone = v === SKIP ? undefined : v;
    });
    if (r !== 'next') return r;
    if (!zone) {
      delete s.dns;
      const r3 = await zoneForController();
      if (r3 === 'back') continue;
      return r3;
    }
    const z = zone;
    if (s.controller) s.zone = z.name;
    type Choice = { plan: DnsRoutePlan; overwrite: boolean } | typeof SKIP;
    const planItems = Promise.resolve()
      .then(() => recordsAtZoneHostnames(session.api(), z.id, z.name))
      .then((records): Item<Choice>[] => {
        const plan = planDnsRoutes(z.name, tunnelId, records);
        const { choices, lines } = dnsPlanChoices(plan, tunnelLabel);
        return [
          ...choices.map((c): Item<Choice> => ({
            label: c.label,
            description: c.description,
            detail: c.detail,
            value: c.value ? { plan, overwrite: c.value.overwrite } : SKIP,
          })),
          { label: `Records at ${z.name} and *.${z.name}`, kind: vscode.QuickPickItemKind.Separator },
          ...lines.map((l): Item<Choice> => ({ ...l, inert: true })),
        ];
      });
    const r2 = await pickStep(
      at,
      `DNS for ${z.name} and *.${z.name} (the records there now are listed below)`,
      planItems,
      (v) => {
        if (v === SKIP || v === undefined) delete s.dns;
        else s.dns = { zoneId: z.id, plan: v.plan, overwrite: v.overwrite };
      },
    );
    if (r2 !== 'back') return r2; // Back from the plan: pick the zone again
  }
}

/** Carries out the confirmed DNS plan, with progress; one message with every hostname's result. */
async function routeZone(session: CloudflareSession, dns: NonNullable<WizardState['dns']>): Promise<void> {
  const { plan, overwrite, zoneId } = dns;
  let api: ReturnType<CloudflareSession['api']>;
  try {
    api = session.api();
  } catch (err) {
    void vscode.window.showErrorMessage(
      `Cloudflare Tunnel: the files were written, DNS in ${plan.zone} was not changed: ${err instanceof Error ? err.message : String(err)}`,
    );
    return;
  }
  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Cloudflare Tunnel: routing DNS in ${plan.zone}` },
    (progress) =>
      applyDnsRoutes(api, zoneId, plan, overwrite, (hostname) => progress.report({ message: `${hostname}…` })),
  );
  const report = dnsReport(plan.zone, results);
  if (report.ok) void vscode.window.showInformationMessage(`Cloudflare Tunnel: ${report.message}`);
  else void vscode.window.showWarningMessage(`Cloudflare Tunnel: ${report.message}`);
}

export const SCAFFOLD_COMMANDS: CommandTable<ScaffoldCommandDeps> = {
  [COMMANDS.newKustomizeFolder]: newKustomizeFolder,
};
