/**
 * Cloudflare Access applications left behind (issue #19): a self-hosted application none of whose
 * domains covers a hostname any tunnel serves (remote rules, workspace rules, CNAMEs to live tunnels), e.g.
 * the application of a hostname whose rule and route were removed. Information, report only: the
 * action opens the account's applications in the Zero Trust dashboard (nothing is deleted from
 * here). Judged only when every remotely-managed tunnel's rules are known, so a rule not yet read
 * never makes an application look stale.
 */
import { staleApps } from '../access/check';
import { tunnelIdOfRecord } from '../cloudflare/tunnelCname';
import { norm } from './context';
import type { DriftContext } from './context';

export function accessFindings(ctx: DriftContext): void {
  const { add, input } = ctx;
  const access = input.access;
  if (!access || access.length === 0) return;
  if (input.tunnels.some((t) => t.configSrc === 'cloudflare' && !t.deleted && t.remoteRules === undefined)) return;
  const served = new Set<string>();
  for (const t of input.tunnels) for (const r of t.remoteRules ?? []) if (r.hostname) served.add(norm(r.hostname));
  for (const c of input.workspaceConfigs) for (const r of c.rules) if (r.hostname) served.add(norm(r.hostname));
  // A CNAME to a deleted (or unknown) tunnel serves nothing: its application is stale too.
  const live = new Set(input.tunnels.filter((t) => !t.deleted).map((t) => t.id.toLowerCase()));
  for (const r of input.dnsRecords) {
    const to = tunnelIdOfRecord(r);
    if (to && live.has(to)) served.add(norm(r.name));
  }
  served.delete('');
  served.delete('*');
  const hostnames = [...served];
  for (const { accountId, apps } of access) {
    for (const app of staleApps(apps, hostnames)) {
      add({
        code: 'drift-access-stale-app',
        severity: 'information',
        message: `Access application "${app.name}" (${app.domains.join(', ')}) protects no hostname any tunnel serves: no rule or DNS route of a tunnel reaches ${app.domains.length === 1 ? 'it' : 'them'} any more. Delete it in the Zero Trust dashboard if it is left over.`,
        hostname: app.domains[0]!,
        // The application's id keeps two applications on one domain apart (the finding's id).
        recordId: app.id,
        actions: [
          {
            kind: 'open-access-apps',
            title: 'Open Access applications in the Zero Trust dashboard',
            preferred: true,
            data: { accountId, appId: app.id },
          },
        ],
      });
    }
  }
}
