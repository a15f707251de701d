/** cloudflared in the cluster: Deployments with pods not ready, tunnels without a connector. */
import { plural } from './context';
import type { DriftContext } from './context';

export function podFindings(ctx: DriftContext): void {
  const { add, tunnels, resolve, live, deployments, deploymentsOf, tunnelLabel } = ctx;
  for (const d of deployments) {
    if (d.desired <= 0 || d.ready >= d.desired) continue;
    const t = resolve(d.tunnelRef);
    add({
      code: 'drift-pods-not-ready',
      severity: d.ready === 0 ? 'error' : 'warning',
      message: `Deployment ${d.namespace}/${d.name}: ${d.ready} of ${plural(d.desired, 'cloudflared pod')} ready${t ? ` (tunnel ${tunnelLabel(t)})` : ''}. ${
        d.ready === 0 ? 'It gives the tunnel no connector.' : 'The tunnel runs with fewer connectors than planned.'
      }`,
      ...(t ? { tunnelId: t.id } : {}),
      actions: [
        {
          kind: 'show-logs',
          title: `Show the logs of ${d.namespace}/${d.name}`,
          preferred: true,
          data: { namespace: d.namespace, name: d.name },
        },
      ],
    });
  }
  for (const t of tunnels) {
    if (!live(t)) continue;
    const none =
      t.connectorCount === 0 || (t.connectorCount === undefined && (t.status === 'down' || t.status === 'inactive'));
    if (!none) continue;
    const deps = deploymentsOf(t, undefined);
    if (deps.length === 0) continue;
    const names = deps.map((d) => `${d.namespace}/${d.name}`).join(', ');
    const why = deps.every((d) => d.desired <= 0)
      ? `${deps.length === 1 ? 'it is' : 'they are'} scaled to 0 replicas`
      : deps.every((d) => d.ready === 0)
        ? 'its pods are not ready'
        : 'its ready pods do not connect: check the token or credentials they run with (another tunnel?) and their logs';
    add({
      code: 'drift-no-connector',
      severity: 'error',
      message: `Tunnel ${tunnelLabel(t)} has no connector although Deployment ${names} runs cloudflared for it: ${why}. Every hostname of the tunnel answers Cloudflare error 1033.`,
      tunnelId: t.id,
      actions: deps.map((d) => ({
        kind: 'show-logs' as const,
        title: `Show the logs of ${d.namespace}/${d.name}`,
        data: { namespace: d.namespace, name: d.name },
      })),
    });
  }
}
