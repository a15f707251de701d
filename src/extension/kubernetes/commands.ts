/**
 * Handlers of the Cluster Services view's commands (ids in src/shared/commands.ts). Each takes the
 * tree element it was invoked on, or asks when run from the palette. One top-level function per
 * command, in the table KUBERNETES_COMMANDS that src/extension/commandRegistry.ts registers
 * (failures: its reporter). In Restricted Mode every command that would read the cluster asks for
 * trust instead (`assertClusterTrusted` first).
 */
import { toRange } from '../convert';
import * as vscode from 'vscode';
import type { RemoteConfig } from '../../cloudflare/types';
import type { JsonObject } from '../../core/cloudflare/remoteConfigYaml';
import { tunnelCnameTarget } from '../../core/cloudflare/tunnelCname';
import { clientCommand, insertRuleInConfigText, planRemoteInsert, remoteVersionConflict } from '../../core/expose';
import { safeHostname } from '../../core/net/hostname';
import type { NewRule } from '../../core/expose';
import type { ServiceNode } from '../../core/kubernetes/servicesTree';
import type { TextEdit } from '../../core/types';
import { COMMANDS } from '../../shared/commands';
import type { CommandDeps, CommandTable } from '../commandRegistry';
import { replaceRecordsQuestion, routeOutcomeMessage } from '../cloudflare/model';
import type { CloudflareSession } from '../cloudflare/session';
import type { TunnelsStore } from '../cloudflare/tunnelsView';
import { showReadOnlyDiff } from '../readOnlyDiff';
import { assertClusterTrusted } from './cluster';
import type { ClusterStore } from './cluster';
import type { DriftMonitor } from './driftMonitor';
import type { DriftReport } from './driftReport';
import type { PodLogs } from './logs';
import { findTunnel, portChoices, suggestHostname } from './model';
import type { Element, KnownTunnel } from './model';
import type { ServicesProvider } from './servicesView';
import { clusterDomainSetting } from '../settings';

export interface KubernetesCommandDeps extends CommandDeps {
  cluster: ClusterStore;
  session: CloudflareSession;
  store: TunnelsStore;
  logs: PodLogs;
  view: ServicesProvider;
  monitor: DriftMonitor;
  report: DriftReport;
}

const progress = <T>(title: string, task: () => Promise<T>): Thenable<T> =>
  vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Cloudflare Tunnel: ${title}` },
    task,
  );

const isElement = (x: unknown): x is Element =>
  typeof x === 'object' && x !== null && typeof (x as { type?: unknown }).type === 'string';

async function pickService({ cluster }: KubernetesCommandDeps, arg: unknown): Promise<ServiceNode | undefined> {
  if (isElement(arg) && arg.type === 'service') return arg.node;
  const { node } = await progress('listing Services…', () => cluster.tree());
  const all = node.namespaces.flatMap((ns) => ns.services);
  const pick = await vscode.window.showQuickPick(
    all.map((s) => ({ label: s.name, description: `${s.namespace} · ${s.description}`, service: s })),
    { title: `Service to expose (context ${node.name})`, matchOnDescription: true },
  );
  return pick?.service;
}

async function pickPod(
  { cluster }: KubernetesCommandDeps,
  arg: unknown,
): Promise<{ namespace: string; pod: string } | undefined> {
  if (isElement(arg) && arg.type === 'pod') return { namespace: arg.node.namespace, pod: arg.node.name };
  const wanted =
    isElement(arg) && arg.type === 'cloudflared'
      ? { namespace: arg.node.namespace, name: arg.node.name }
      : typeof arg === 'object' && arg !== null && (arg as { type?: unknown }).type === 'deployment'
        ? (arg as { namespace: string; name: string })
        : undefined;
  const { node } = await progress('listing cloudflared pods…', () => cluster.tree());
  const deployments = node.namespaces
    .flatMap((ns) => ns.cloudflared)
    .filter((d) => !wanted || (d.namespace === wanted.namespace && d.name === wanted.name));
  const pods = deployments.flatMap((d) =>
    d.pods.map((p) => ({
      label: p.name,
      description: `${d.namespace}/${d.name} · ${p.description}`,
      pod: { namespace: d.namespace, pod: p.name },
    })),
  );
  if (pods.length === 0)
    throw new Error(
      wanted
        ? `Deployment ${wanted.namespace}/${wanted.name} has no pods to show logs of.`
        : 'No cloudflared pods in this cluster.',
    );
  if (pods.length === 1) return pods[0]!.pod;
  return (await vscode.window.showQuickPick(pods, { title: 'Pod', matchOnDescription: true }))?.pod;
}

/** The standalone workspace configs whose `tunnel:` names this tunnel (the language server's reader). */
async function localConfigs({ monitor }: KubernetesCommandDeps, t: KnownTunnel): Promise<vscode.Uri[]> {
  const configs = (await monitor.configs.get()).filter((c) => !c.embedded && findTunnel([t], c.tunnel) === t);
  return [...new Set(configs.map((c) => c.uri))].map((u) => vscode.Uri.parse(u));
}

async function exposeRemote({ session }: KubernetesCommandDeps, t: KnownTunnel, rule: NewRule): Promise<boolean> {
  const api = session.api();
  const state = await progress(`reading the configuration of ${t.tunnel.name}…`, () =>
    api.getRemoteConfig(t.accountId, t.tunnel.id),
  );
  const plan = planRemoteInsert({ version: state.version, config: state.config as JsonObject }, rule);
  if ('error' in plan) throw new Error(plan.error);
  // Read-only documents (no untitled buffers left to save), closed once answered.
  const diff = await showReadOnlyDiff(
    `${t.tunnel.name}: remote configuration (version ${plan.version}) ↔ with ${rule.hostname}`,
    `${t.tunnel.name}.yaml`,
    plan.before,
    plan.after,
  );
  const apply = 'Update Configuration';
  const choice = await vscode.window
    .showInformationMessage(
      `Add ${rule.hostname} → ${rule.service} to the remote configuration of tunnel ${t.tunnel.name}${plan.addedCatchAll ? ' (with a catch-all rule http_status:404)' : ''}?`,
      {
        modal: true,
        detail: `The rule goes in as #${plan.index + 1}, before the catch-all. The diff is open in the editor.`,
      },
      apply,
    )
    .then(async (c) => {
      await diff.close();
      return c;
    });
  if (choice !== apply) return false;
  await progress(`updating the configuration of ${t.tunnel.name}…`, async () => {
    const current = await api.getRemoteConfig(t.accountId, t.tunnel.id);
    const conflict = remoteVersionConflict(plan.version, current.version);
    if (conflict) throw new Error(conflict);
    await api.updateRemoteConfig(t.accountId, t.tunnel.id, plan.config as RemoteConfig, plan.version);
  });
  return true;
}

async function exposeLocal(deps: KubernetesCommandDeps, t: KnownTunnel, rule: NewRule): Promise<boolean> {
  const files = await progress('finding the config.yaml of the tunnel…', () => localConfigs(deps, t));
  if (files.length === 0)
    throw new Error(
      `No cloudflared config in the workspace says tunnel: ${t.tunnel.id} (or ${t.tunnel.name}). Tunnel ${t.tunnel.name} is locally managed: its rules live in that file.`,
    );
  const uri =
    files.length === 1
      ? files[0]
      : (
          await vscode.window.showQuickPick(
            files.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })),
            { title: `config.yaml of tunnel ${t.tunnel.name}` },
          )
        )?.uri;
  if (!uri) return false;
  const doc = await vscode.workspace.openTextDocument(uri);
  const result = insertRuleInConfigText(doc.getText(), rule);
  let edits: TextEdit[];
  if ('error' in result) {
    if (!result.offer) throw new Error(result.error);
    const ok = result.offer.title;
    if ((await vscode.window.showWarningMessage(result.error, { modal: true }, ok)) !== ok) return false;
    edits = result.offer.edits;
  } else edits = result.edits;
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) edit.replace(uri, toRange(e.range), e.newText);
  if (!(await vscode.workspace.applyEdit(edit)))
    throw new Error(`Could not edit ${vscode.workspace.asRelativePath(uri)}.`);
  await doc.save();
  await vscode.window.showTextDocument(doc);
  return true;
}

/** Routes the new rule's hostname (api.routeHostname: asks before replacing records; dual-stack names too). */
async function routeDns(
  { session }: KubernetesCommandDeps,
  t: KnownTunnel,
  zoneId: string,
  hostname: string,
): Promise<string> {
  const outcome = await session.api().routeHostname(zoneId, hostname, t.tunnel.id, {
    confirmReplace: async (plan) => {
      const q = replaceRecordsQuestion(plan, t.tunnel.name);
      return (
        (await vscode.window.showWarningMessage(q.message, { modal: true, detail: q.detail }, q.button)) === q.button
      );
    },
  });
  const message = routeOutcomeMessage(outcome, hostname, t.tunnel.name);
  return outcome.kind === 'declined' ? `The rule was added; ${message}` : message;
}

async function selectKubeContext({ cluster }: KubernetesCommandDeps): Promise<void> {
  assertClusterTrusted();
  cluster.reload();
  const loaded = cluster.kubeconfig;
  if (loaded.contexts.length === 0) throw new Error(loaded.error ?? 'The kubeconfig defines no contexts.');
  const shown = cluster.contextName;
  const pick = await vscode.window.showQuickPick(
    loaded.contexts.map((c) => ({
      label: `${c.name === shown ? '$(check) ' : ''}${c.name}`,
      description: [
        c.name === loaded.current ? 'current-context' : undefined,
        c.server,
        c.namespace ? `namespace ${c.namespace}` : undefined,
      ]
        .filter(Boolean)
        .join(' · '),
      detail: c.blocked ? `$(warning) ${c.blocked}` : undefined,
      name: c.name,
      blocked: c.blocked,
    })),
    {
      title: 'Kubernetes context for the Cluster Services view (the kubeconfig is not changed)',
      matchOnDescription: true,
    },
  );
  if (!pick) return;
  if (pick.blocked) void vscode.window.showWarningMessage(pick.blocked);
  await cluster.chooseContext(pick.name);
}

async function refreshServices({ cluster, store }: KubernetesCommandDeps): Promise<void> {
  assertClusterTrusted();
  store.forgetWorkspaceRules();
  cluster.reload();
}

async function showPodLogs(deps: KubernetesCommandDeps, arg?: unknown): Promise<void> {
  const { cluster, logs } = deps;
  assertClusterTrusted();
  const target = await pickPod(deps, arg);
  if (target) logs.show(cluster.client(), target.namespace, target.pod);
}

/** Reads nothing from the cluster, so it runs in Restricted Mode too. */
async function copyClientCommand(_deps: KubernetesCommandDeps, arg?: unknown): Promise<void> {
  if (!isElement(arg) || arg.type !== 'hostname' || !arg.node.hostname) return;
  const safe = safeHostname(arg.node.hostname);
  if (!safe.ok) throw new Error(safe.problem);
  const c = clientCommand(arg.node.hostname, arg.node.service);
  if (!c)
    throw new Error(
      `${arg.node.hostname} serves ${arg.node.service}: a browser opens it, no client command is needed.`,
    );
  await vscode.env.clipboard.writeText(c.sshConfig ?? c.command);
  void vscode.window.showInformationMessage(
    c.sshConfig
      ? `Copied the ~/.ssh/config entry for ${arg.node.hostname} (then: ssh ${arg.node.hostname}).`
      : `Copied: ${c.command}${c.localAddress ? ` (then connect to ${c.localAddress})` : ''}`,
  );
}

/** Opens the drift report (the monitor's findings, kept up to date); a finding of the tree is highlighted. */
async function showDriftReport({ monitor, report }: KubernetesCommandDeps, arg?: unknown): Promise<void> {
  assertClusterTrusted();
  const preselected = isElement(arg) && arg.type === 'finding' ? arg.finding : undefined;
  if (!monitor.connected) await progress('checking for drift…', () => monitor.refresh());
  report.show(preselected?.id);
}

async function exposeService(deps: KubernetesCommandDeps, arg?: unknown): Promise<void> {
  const { cluster, session, store } = deps;
  assertClusterTrusted();
  const service = await pickService(deps, arg);
  if (!service) return;
  session.api();
  const { tunnels } = await progress('listing tunnels…', () => cluster.knownTunnels());
  if (tunnels.length === 0)
    throw new Error('No tunnel in the signed-in account(s): create one in the Tunnels view first.');
  const t = (
    await vscode.window.showQuickPick(
      tunnels.map((k) => ({
        label: k.tunnel.name,
        description: `${k.tunnel.configSrc === 'cloudflare' ? 'remotely managed' : 'locally managed (config.yaml)'} · ${k.tunnel.status}`,
        detail: k.tunnel.id,
        k,
      })),
      { title: `Expose ${service.namespace}/${service.name} through tunnel`, matchOnDetail: true },
    )
  )?.k;
  if (!t) return;
  const ports = portChoices(service, clusterDomainSetting());
  if (ports.length === 0) throw new Error(`${service.namespace}/${service.name} has no TCP port to expose.`);
  const port = ports.length === 1 ? ports[0] : await vscode.window.showQuickPick(ports, { title: 'Port' });
  if (!port) return;
  const tree = await progress('listing zones…', () => store.accountTree(t.accountId));
  if (tree.zones.length === 0)
    throw new Error(
      'The API token sees no zone in this account: add a zone, or give the token "Zone › Zone › Read" for it.',
    );
  const zone =
    tree.zones.length === 1
      ? tree.zones[0]
      : (
          await vscode.window.showQuickPick(
            tree.zones.map((z) => ({ label: z.name, description: z.id, zone: z })),
            { title: 'Zone of the hostname' },
          )
        )?.zone;
  if (!zone) return;
  const suggested = suggestHostname(service, zone.name);
  const hostname = (
    await vscode.window.showInputBox({
      title: `Public hostname for ${service.name} (→ ${port.url})`,
      prompt: `A hostname in ${zone.name}; a proxied CNAME to ${tunnelCnameTarget(t.tunnel.id)} is created`,
      value: suggested,
      valueSelection: [0, suggested.length - zone.name.length - 1],
      validateInput: (v) => {
        const h = v.trim().toLowerCase();
        if (h !== zone.name && !h.endsWith(`.${zone.name}`)) return `The hostname must be in ${zone.name}`;
        return /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(h)
          ? undefined
          : 'Not a valid hostname';
      },
    })
  )
    ?.trim()
    .toLowerCase();
  if (!hostname) return;
  const rule: NewRule = { hostname, service: port.url };
  const done =
    t.tunnel.configSrc === 'cloudflare' ? await exposeRemote(deps, t, rule) : await exposeLocal(deps, t, rule);
  if (!done) return;
  const dns = await progress(`routing ${hostname}…`, () => routeDns(deps, t, zone.id, hostname));
  store.refresh();
  cluster.reload();
  const c = clientCommand(hostname, port.url);
  void vscode.window.showInformationMessage(
    `Exposed ${service.namespace}/${service.name} as ${hostname} → ${port.url}. ${dns}${c ? ` Clients connect with: ${c.command}` : ''}`,
  );
}

export const KUBERNETES_COMMANDS: CommandTable<KubernetesCommandDeps> = {
  [COMMANDS.selectKubeContext]: selectKubeContext,
  [COMMANDS.refreshServices]: refreshServices,
  [COMMANDS.showPodLogs]: showPodLogs,
  [COMMANDS.copyClientCommand]: copyClientCommand,
  [COMMANDS.showDriftReport]: showDriftReport,
  [COMMANDS.exposeService]: exposeService,
};
