/**
 * Fetching for the Tunnels tree. `buildAccountTree` gets what the top level shows with the fewest
 * requests: one tunnel list and one zone list (in parallel), then one DNS list per zone filtered
 * to tunnel CNAMEs. `loadTunnelDetails` fills one tunnel's children when the view expands it.
 * The shaping is `src/core/cloudflare/tunnelsTree.ts` (pure).
 */
import { originSettingsOf } from '../core/routing/origin';
import type { CloudflareApi } from './api';
import {
  buildTunnelsTree,
  withConnectors,
  withRemoteHostnames,
  workspaceRuleCount,
} from '../core/cloudflare/tunnelsTree';
import type { AccountNode, TunnelNode, WorkspaceRule } from '../core/cloudflare/tunnelsTree';

export type TreeApi = Pick<
  CloudflareApi,
  'listTunnels' | 'listZones' | 'listTunnelCnames' | 'listConnectors' | 'getRemoteConfig'
>;

export interface TreeOptions {
  /** Ingress rules of cloudflared configs in the workspace (for locally managed tunnels). */
  workspaceRules?: readonly WorkspaceRule[];
  /** Shown for the account; defaults to the name the zones carry, else the ID. */
  accountName?: string;
}

export async function buildAccountTree(api: TreeApi, accountId: string, opts: TreeOptions = {}): Promise<AccountNode> {
  const [tunnels, zones] = await Promise.all([api.listTunnels(accountId), api.listZones(accountId)]);
  const records = zones.length ? await api.listTunnelCnames(zones.map((z) => z.id)) : [];
  return buildTunnelsTree({
    account: { id: accountId, name: opts.accountName ?? zones.find((z) => z.accountName)?.accountName },
    tunnels,
    zones: zones.map((z) => ({ id: z.id, name: z.name })),
    records,
    workspaceRules: opts.workspaceRules,
  });
}

/**
 * One tunnel's children: its connectors (skipped when it has none to show) and, for remotely
 * managed tunnels, the ingress rules of its remote configuration. At most two requests.
 */
export async function loadTunnelDetails(
  api: TreeApi,
  accountId: string,
  node: TunnelNode,
  opts: TreeOptions = {},
): Promise<TunnelNode> {
  const wantsConnectors = node.status === 'healthy' || node.status === 'degraded';
  const [connectors, remote] = await Promise.all([
    wantsConnectors ? api.listConnectors(accountId, node.id) : Promise.resolve([]),
    node.configSrc === 'cloudflare' ? api.getRemoteConfig(accountId, node.id) : Promise.resolve(undefined),
  ]);
  let out = withConnectors(node, connectors);
  if (remote) {
    // What a controller behind the origin sees: each rule's originRequest over the config's.
    const ingress = (remote.config.ingress ?? []).map((r) => ({
      ...r,
      origin: originSettingsOf(remote.config.originRequest, r.originRequest),
    }));
    out = withRemoteHostnames(out, ingress, workspaceRuleCount(node, opts.workspaceRules));
  }
  return out;
}
