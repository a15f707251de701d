/**
 * "Add NetworkPolicy for cloudflared" (`cftunnel.addNetworkPolicy`, on a folder) and "Mark Service
 * as Public" (`cftunnel.markServicePublic`, on a Service of the Cluster Services view).
 *
 * The policy's rules come from the folder's config.yaml, else (signed in) from the remote
 * configuration of the tunnel its tunnel.env's run token names; the Services from the workspace's
 * manifests and, when a context is chosen, the cluster. networkpolicy.yaml is written after asking
 * when it would change, and added to kustomization.yaml's `resources` when missing.
 */
import { withCancellableProgress } from '../progress';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parsePublicLabel, podFromObject, serviceFromObject } from '../../core/scaffold/networkPolicy';
import type { PolicyPod, PolicyRule, PolicyService } from '../../core/scaffold/networkPolicy';
import { COMMANDS } from '../../shared/commands';
import type { CommandTable } from '../commandRegistry';
import { planWrites, writeAll } from '../../node/atomicWrite';
import type { FileToWrite } from '../../node/atomicWrite';
import type { ClusterStore } from '../kubernetes/cluster';
import { kubernetes } from '../kubernetes/lazy';
import { conflictMessage } from './wizardModel';
import {
  namespaceOfKustomization,
  networkPolicyText,
  objectsFromManifestText,
  rulesFromConfigText,
  tunnelFromEnvText,
  withResource,
  podsOfArguments,
  dmzSummary,
} from './policyModel';
import { publicLabelSetting } from './shared';
import type { ScaffoldCommandDeps } from './shared';
import { clusterDomainSetting } from '../settings';

const MAX_MANIFESTS = 2000;

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function folderArg(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg !== '') return vscode.Uri.file(arg); // from the language server's quick fix
  return (
    await vscode.window.showOpenDialog({
      title: 'Folder of the cloudflared kustomization',
      canSelectFiles: false,
      canSelectFolders: true,
      openLabel: 'Add NetworkPolicy',
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    })
  )?.[0];
}

/** Services and pod templates of the workspace's YAML manifests (also the wizard's controllers). */
export async function workspaceObjects(): Promise<{ services: PolicyService[]; pods: PolicyPod[] }> {
  const services: PolicyService[] = [];
  const pods: PolicyPod[] = [];
  const files = await vscode.workspace.findFiles('**/*.{yaml,yml}', '**/{node_modules,.git}/**', MAX_MANIFESTS);
  for (const uri of files) {
    const text = readText(uri.fsPath);
    if (!text || !/^\s*kind:\s*(Service|Deployment|StatefulSet|DaemonSet|ReplicaSet|Job|Pod|List)\b/m.test(text))
      continue;
    const found = objectsFromManifestText(text);
    services.push(...found.services);
    pods.push(...found.pods);
  }
  return { services, pods };
}

/**
 * Services (with selectors and labels) and pods of the chosen cluster context, through
 * src/kubernetes (paging, the RBAC fallback, deadlines, errors that say what to do); none when not
 * connected. Pods are best effort: without them the policy still has the Services' selectors.
 */
async function clusterObjects(
  cluster: ClusterStore,
  signal: AbortSignal,
): Promise<{ services: PolicyService[]; pods: PolicyPod[]; note?: string }> {
  let client;
  try {
    client = cluster.client();
  } catch {
    return { services: [], pods: [] };
  }
  try {
    const listed = await kubernetes().listServiceObjects(client, { signal });
    const services = listed.items.flatMap((s) => serviceFromObject({ ...s, kind: 'Service' }) ?? []);
    let pods: PolicyPod[] = [];
    try {
      const podList = await kubernetes().listPodObjects(client, {
        signal,
        ...(listed.namespaces ? { namespaces: listed.namespaces } : {}),
      });
      pods = podList.items.flatMap((p) => podFromObject({ ...p, kind: 'Pod' }) ?? []);
    } catch {
      pods = [];
    }
    return { services, pods, ...(listed.note ? { note: listed.note } : {}) };
  } catch (err) {
    return {
      services: [],
      pods: [],
      note: `the cluster's Services could not be listed (${err instanceof Error ? err.message : String(err)})`,
    };
  }
}

async function rulesOf(
  dir: string,
  { session }: ScaffoldCommandDeps,
): Promise<{ rules: PolicyRule[]; from: string } | string> {
  const config = readText(join(dir, 'config.yaml'));
  if (config !== undefined) return { rules: rulesFromConfigText(config), from: 'config.yaml' };
  const env = readText(join(dir, 'tunnel.env'));
  const tunnel = env === undefined ? undefined : tunnelFromEnvText(env);
  if (!tunnel)
    return 'The folder has no config.yaml, and no tunnel.env with a run token: there are no ingress rules to allow.';
  if (!session.signedIn)
    return `The tunnel ${tunnel.TunnelID} is remotely managed: sign in to Cloudflare so its ingress rules can be read.`;
  const state = await session.api().getRemoteConfig(tunnel.AccountTag, tunnel.TunnelID);
  return {
    rules: (state.config.ingress ?? []).map((r) => ({
      service: r.service,
      ...(r.hostname ? { hostname: r.hostname } : {}),
    })),
    from: `the remote configuration of tunnel ${tunnel.TunnelID}`,
  };
}

export async function addNetworkPolicy(
  services: ScaffoldCommandDeps,
  arg?: unknown,
  namespaceArg?: unknown,
  labelsArg?: unknown,
): Promise<void> {
  const pods = podsOfArguments(namespaceArg, labelsArg);
  const folder = await folderArg(arg);
  if (!folder) return;
  const dir = folder.fsPath;
  const kustomizationPath = join(dir, 'kustomization.yaml');
  const kustomization = readText(kustomizationPath);
  const computed = await withCancellableProgress('computing the NetworkPolicy…', async (signal) => {
    const rules = await rulesOf(dir, services);
    if (typeof rules === 'string') return rules;
    const [fromCluster, fromWorkspace] = await Promise.all([
      clusterObjects(services.cluster, signal),
      workspaceObjects(),
    ]);
    // The kustomization's namespace wins (it is where the pods land); else the one the quick fix knows.
    const namespace =
      kustomization === undefined && pods.namespace ? pods.namespace : namespaceOfKustomization(kustomization);
    const policy = networkPolicyText({
      namespace,
      ...(pods.podLabels ? { podLabels: pods.podLabels } : {}),
      rules: rules.rules,
      // The cluster's view first: it is what runs.
      services: [...fromCluster.services, ...fromWorkspace.services],
      pods: [...fromCluster.pods, ...fromWorkspace.pods],
      publicLabel: publicLabelSetting(folder),
      clusterDomain: clusterDomainSetting(),
    });
    return { ...policy, from: rules.from, note: fromCluster.note };
  });
  if (typeof computed === 'string') {
    void vscode.window.showWarningMessage(`Cloudflare Tunnel: ${computed}`);
    return;
  }
  const files: FileToWrite[] = [{ path: 'networkpolicy.yaml', content: computed.content }];
  if (kustomization !== undefined) {
    const updated = withResource(kustomization, 'networkpolicy.yaml');
    if (updated !== undefined) files.push({ path: 'kustomization.yaml', content: updated });
  }
  const { conflicts } = planWrites(dir, files);
  // kustomization.yaml only gains an entry: that is not a change to ask about.
  const asked = conflicts.filter((c) => c !== 'kustomization.yaml');
  if (asked.length > 0) {
    const { message, detail } = conflictMessage(vscode.workspace.asRelativePath(folder), asked);
    if ((await vscode.window.showWarningMessage(message, { modal: true, detail }, 'Overwrite')) !== 'Overwrite') return;
  }
  const result = writeAll(dir, files, true);
  if (!result.ok) {
    void vscode.window.showErrorMessage(`Cloudflare Tunnel: nothing was written: ${result.error ?? 'unknown error'}`);
    return;
  }
  await vscode.window.showTextDocument(
    await vscode.workspace.openTextDocument(vscode.Uri.file(join(dir, 'networkpolicy.yaml'))),
    { preview: false },
  );
  const notes = [
    ...computed.skipped.map((s) => `${s.what}: ${s.reason}`),
    ...(computed.note ? [computed.note] : []),
    ...(kustomization === undefined && !existsSync(kustomizationPath)
      ? ['the folder has no kustomization.yaml: apply networkpolicy.yaml yourself']
      : []),
  ];
  if (notes.length > 0)
    void vscode.window.showWarningMessage(
      `Cloudflare Tunnel: NetworkPolicy written from ${computed.from}. Not allowed: ${notes.join('; ')}.`,
    );
  else if (computed.throughControllers)
    void vscode.window.showInformationMessage(
      `Cloudflare Tunnel: NetworkPolicy written from ${computed.from}. ${dmzSummary(computed.throughControllers)}`,
    );
}

/** The namespace and name of a Cluster Services view Service item. */
function serviceOf(arg: unknown): { namespace: string; name: string; context: string } | undefined {
  const el = arg as { type?: unknown; context?: unknown; node?: { namespace?: unknown; name?: unknown } } | undefined;
  if (el?.type !== 'service' || typeof el.node?.namespace !== 'string' || typeof el.node.name !== 'string')
    return undefined;
  return { namespace: el.node.namespace, name: el.node.name, context: String(el.context ?? '') };
}

export async function markServicePublic({ cluster }: ScaffoldCommandDeps, arg?: unknown): Promise<void> {
  const svc = serviceOf(arg);
  if (!svc) {
    void vscode.window.showInformationMessage(
      'Cloudflare Tunnel: run "Mark Service as Public" on a Service in the Cluster Services view.',
    );
    return;
  }
  const setting = publicLabelSetting();
  const label = parsePublicLabel(setting);
  if (!label)
    throw new Error(`The setting cftunnel.networkPolicy.publicLabel ('${setting}') is not a label (key=value or key).`);
  const value = label.value ?? 'true';
  const ok = 'Add Label';
  const choice = await vscode.window.showWarningMessage(
    `Label Service ${svc.namespace}/${svc.name} ${label.key}=${value}?`,
    {
      modal: true,
      detail: `This changes the Service in the cluster (context ${svc.context || cluster.contextName || '?'}). A cloudflared NetworkPolicy generated with this label lets cloudflared reach its pods.`,
    },
    ok,
  );
  if (choice !== ok) return;
  const client = cluster.client();
  await withCancellableProgress(`labelling ${svc.namespace}/${svc.name}…`, (signal) =>
    kubernetes().labelService(client, svc.namespace, svc.name, { [label.key]: value }, { signal }),
  );
  void vscode.window.showInformationMessage(
    `Cloudflare Tunnel: ${svc.namespace}/${svc.name} is labelled ${label.key}=${value}.`,
  );
}

export const POLICY_COMMANDS: CommandTable<ScaffoldCommandDeps> = {
  [COMMANDS.addNetworkPolicy]: addNetworkPolicy,
  [COMMANDS.markServicePublic]: markServicePublic,
};
