/**
 * "Open Cluster Object" (`cftunnel.showClusterObject`, not in the palette): a routing object a
 * Services tree hostname came through, or a cluster hop of a trace, opens as read-only YAML (a
 * `cftunnel-diff:` document, forgotten once closed). Routing objects come from the kinds the
 * cluster store listed; a Service is read from the API server. What to show is
 * ./clusterObjectsModel.ts.
 */
import { COMMANDS } from '../../shared/commands';
import type { CommandDeps, CommandTable } from '../commandRegistry';
import type { OutputDocuments } from './apply';
import type { ClusterStore } from './cluster';
import { clusterObjectArgument, listedObjectYaml, objectDocumentName, objectYaml } from './clusterObjectsModel';
import type { ClusterObjectRef } from './clusterObjectsModel';
import { kubernetes } from './lazy';

export interface ClusterObjectDeps extends CommandDeps {
  cluster: ClusterStore;
  docs: OutputDocuments;
}

/** Opens the object read-only; throws (with what to do) when the cluster no longer has it. */
export async function showClusterObject(deps: ClusterObjectDeps, ref: ClusterObjectRef): Promise<void> {
  const snapshot = await deps.cluster.snapshot();
  let text = listedObjectYaml(snapshot.routing, ref);
  if (text === undefined && ref.kind === 'Service' && ref.namespace !== undefined) {
    const svc = await kubernetes().readService(snapshot.client, ref.namespace, ref.name);
    if (svc) text = objectYaml(ref, svc);
  }
  const who = `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
  if (text === undefined) {
    throw new Error(
      `${who} is not in the cluster's last list: it may have been deleted. Refresh the Cluster Services view.`,
    );
  }
  const header = `# ${who} in context ${snapshot.client.context.name} (read-only, as the cluster listed it)\n`;
  await deps.docs.show(objectDocumentName(ref), header + text, 'yaml');
}

export const CLUSTER_OBJECT_COMMANDS: CommandTable<ClusterObjectDeps> = {
  [COMMANDS.showClusterObject]: async (deps, arg) => {
    const ref = clusterObjectArgument(arg);
    if (!ref)
      throw new Error('Open Cluster Object needs a cluster object (from the Cluster Services view or a trace).');
    await showClusterObject(deps, ref);
  },
};
