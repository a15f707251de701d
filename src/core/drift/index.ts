/**
 * The drift report: what the cluster (Services, cloudflared Deployments), the account (tunnels,
 * their remote configurations and connectors, DNS records) and the workspace config.yaml files
 * say that does not fit together. Each finding has a stable code, a message that says what
 * breaks, and actions to fix it; findings about a workspace config carry the place in the file,
 * and `driftDiagnostics` turns those into diagnostics with quick fixes.
 * Pure: plain data in, plain data out. One file per family of findings, as `workspace/checks/*`:
 * rules.ts (rules against Services; local rules of remote tunnels), routes.ts (hostnames through
 * an ingress controller, against the cluster's routing objects), dns.ts (records against rules),
 * pods.ts (cloudflared in the cluster), access.ts (Access applications left behind); context.ts is what
 * they all read.
 */
import { accessFindings } from './access';
import { driftContext } from './context';
import { dnsFindings } from './dns';
import { podFindings } from './pods';
import { routeFindings } from './routes';
import { localIngressFindings, serviceFindings } from './rules';
import type { DriftFinding, DriftInput, DriftSeverity } from './types';

export type * from './types';
export { driftConfigFromModel, driftConfigFromText, driftDiagnostics } from './workspace';

const SEVERITY_RANK: Record<DriftSeverity, number> = { error: 0, warning: 1, information: 2 };

/** Everything that does not fit together; errors first, then warnings, then information. */
export function findDrift(input: DriftInput): DriftFinding[] {
  const out: DriftFinding[] = [];
  const add = (f: Omit<DriftFinding, 'id'>): void => {
    const at = f.location
      ? `${f.location.path}:${f.location.range.start.line}:${f.location.range.start.character}`
      : '';
    out.push({ id: [f.code, f.tunnelId ?? '', f.hostname ?? '', f.recordId ?? '', at].join('|'), ...f });
  };
  const ctx = driftContext(input, add);
  // In this order: findings of equal severity keep it.
  serviceFindings(ctx); // 1. Rules against the cluster's Services.
  routeFindings(ctx); // 2. Hostnames through an ingress controller, against its routes.
  dnsFindings(ctx); // 3. DNS records against the rules.
  localIngressFindings(ctx); // 4. Local ingress rules of remotely-managed tunnels.
  podFindings(ctx); // 5. cloudflared in the cluster.
  accessFindings(ctx); // 6. Access applications no tunnel hostname uses any more.
  return out
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] || a.i - b.i)
    .map((x) => x.f);
}
