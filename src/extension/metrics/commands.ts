/**
 * "Show Traffic": the Traffic panel of a cloudflared Deployment (from the Cluster Services view),
 * of a tunnel (from the Tunnels view: the pods whose Deployment runs it or whose /ready connector id
 * is one of its connectors), or of one picked from the palette. Registered by
 * src/extension/commandRegistry.ts; in Restricted Mode it asks for trust (nothing is read).
 */
import * as vscode from 'vscode';
import type { TunnelNode } from '../../core/cloudflare/tunnelsTree';
import type { CloudflaredNode } from '../../core/kubernetes/servicesTree';
import { COMMANDS } from '../../shared/commands';
import type { CommandDeps, CommandTable } from '../commandRegistry';
import type { TunnelsStore } from '../cloudflare/tunnelsView';
import { assertClusterTrusted } from '../kubernetes/cluster';
import type { ClusterStore } from '../kubernetes/cluster';
import type { MetricsPoller } from './poller';
import type { TrafficPanels, TrafficTarget } from './trafficPanel';

export interface TrafficCommandDeps extends CommandDeps {
  cluster: ClusterStore;
  store: TunnelsStore;
  poller: MetricsPoller;
  panels: TrafficPanels;
}

const isTyped = (x: unknown): x is { type: string } =>
  typeof x === 'object' && x !== null && typeof (x as { type?: unknown }).type === 'string';

/** The tunnel's connectors as Cloudflare lists them (their ids are the pods' /ready connectorId). */
async function connectorIds(store: TunnelsStore, accountId: string, tunnel: TunnelNode): Promise<string[]> {
  try {
    const details = tunnel.connectors ? tunnel : await store.tunnelDetails(accountId, tunnel);
    return (details.connectors ?? []).map((c) => c.id);
  } catch {
    return [];
  }
}

async function tunnelTarget(store: TunnelsStore, accountId: string, tunnel: TunnelNode): Promise<TrafficTarget> {
  return {
    target: { kind: 'tunnel', tunnelId: tunnel.id, connectorIds: await connectorIds(store, accountId, tunnel) },
    title: `tunnel ${tunnel.name}`,
  };
}

async function pickTarget(deps: TrafficCommandDeps): Promise<TrafficTarget | undefined> {
  type Item = vscode.QuickPickItem & { pick?: () => Promise<TrafficTarget> };
  const items = (async (): Promise<Item[]> => {
    const [deployments, known] = await Promise.all([
      deps.poller.listDeployments(),
      deps.cluster.knownTunnels().catch(() => ({ tunnels: [] })),
    ]);
    const out: Item[] = [];
    if (deployments.length) out.push({ label: 'cloudflared Deployments', kind: vscode.QuickPickItemKind.Separator });
    for (const d of deployments) {
      const title = `${d.namespace}/${d.name}`;
      out.push({
        label: `$(server-process) ${title}`,
        description: `${d.pods.length} pod${d.pods.length === 1 ? '' : 's'}`,
        pick: async () => ({ target: { kind: 'deployment', namespace: d.namespace, name: d.name }, title }),
      });
    }
    if (known.tunnels.length) out.push({ label: 'Tunnels', kind: vscode.QuickPickItemKind.Separator });
    for (const k of known.tunnels) {
      out.push({
        label: `$(cloud) ${k.tunnel.name}`,
        description: k.tunnel.description,
        detail: k.tunnel.id,
        pick: () => tunnelTarget(deps.store, k.accountId, k.tunnel),
      });
    }
    if (out.length === 0) out.push({ label: 'No cloudflared Deployment in this cluster, and no tunnel signed in.' });
    return out;
  })();
  const choice = await vscode.window.showQuickPick(items, {
    title: 'Show Traffic of',
    placeHolder: 'A cloudflared Deployment of the cluster, or a tunnel',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return choice?.pick?.();
}

async function showTraffic(deps: TrafficCommandDeps, arg?: unknown): Promise<void> {
  assertClusterTrusted();
  let target: TrafficTarget | undefined;
  if (isTyped(arg) && arg.type === 'cloudflared') {
    const node = (arg as unknown as { node: CloudflaredNode }).node;
    target = {
      target: { kind: 'deployment', namespace: node.namespace, name: node.name },
      title: `${node.namespace}/${node.name}`,
    };
  } else if (isTyped(arg) && arg.type === 'tunnel') {
    const el = arg as unknown as { accountId: string; tunnel: TunnelNode };
    target = await tunnelTarget(deps.store, el.accountId, el.tunnel);
  } else {
    target = await pickTarget(deps);
  }
  if (target) deps.panels.show(target);
}

export const TRAFFIC_COMMANDS: CommandTable<TrafficCommandDeps> = {
  [COMMANDS.showTraffic]: showTraffic,
};
