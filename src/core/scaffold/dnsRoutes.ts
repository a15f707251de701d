/**
 * Routing a zone's apex and wildcard to a tunnel (`example.com` and `*.example.com` → proxied
 * CNAMEs to `<tunnel-id>.cfargotunnel.com`), as plain data: the scaffold wizard's "Route DNS"
 * step plans with it, shows the plan, and only then changes DNS through the Cloudflare wrapper.
 *
 * Per hostname, from the records that exist at that name (any type):
 * - `create`: no A, AAAA or CNAME record: a proxied CNAME to the tunnel is created;
 * - `routed`: a proxied CNAME to this tunnel already: nothing to do;
 * - `overwrite`: one A, AAAA or CNAME record that points elsewhere (another target, another
 *   tunnel, or this tunnel without the proxy): replaced by the CNAME only if the user agrees;
 * - `conflict`: several A/AAAA/CNAME records (e.g. two A records at the apex): one CNAME cannot
 *   replace them, so nothing is changed automatically.
 * Other types (MX, TXT, CAA, NS…) never block the route and are kept: Cloudflare accepts a CNAME
 * next to them at the apex (CNAME flattening) and for proxied names.
 *
 * Pure: no editor, no network. The records come from `CloudflareApi.listDnsRecords`.
 */

import { tunnelCnameTarget, tunnelIdOfRecord } from '../cloudflare/tunnelCname';
import type { TunnelDnsRecord } from '../cloudflare/tunnelCname';

/** The fields of a DNS record the plan reads: the one record shape (the wrapper's `DnsRecord` has them). */
export type DnsRecordLike = TunnelDnsRecord;

export type DnsRouteKind = 'create' | 'routed' | 'overwrite' | 'conflict';

export interface HostnameRoute {
  /** `zone` or `*.zone`, lower case. */
  hostname: string;
  kind: DnsRouteKind;
  /**
   * The A/AAAA/CNAME records at the name: the one that already routes (`routed`), the one that would
   * be replaced (`overwrite`), those that block the route (`conflict`); empty for `create`.
   */
  records: DnsRecordLike[];
  /** Other records at the name (MX, TXT, …): left as they are. */
  kept: DnsRecordLike[];
  /** One sentence: why this kind. */
  reason: string;
}

export interface DnsRoutePlan {
  /** The zone name, lower case, without a trailing dot. */
  zone: string;
  tunnelId: string;
  /** `<tunnel-id>.cfargotunnel.com`. */
  target: string;
  /** The apex first, then the wildcard. */
  routes: HostnameRoute[];
}

/** Record types a CNAME cannot share a name with on Cloudflare. */
const ADDRESS_TYPES = new Set(['A', 'AAAA', 'CNAME']);

export const normalizeDnsName = (name: string): string => name.trim().toLowerCase().replace(/\.$/, '');

/** The two names the step routes: the apex and the wildcard. */
export function zoneHostnames(zone: string): [string, string] {
  const z = normalizeDnsName(zone);
  return [z, `*.${z}`];
}

/** "A 192.0.2.1 (proxied)", "CNAME web.example.net (DNS only)". */
export function describeRecord(r: DnsRecordLike): string {
  const proxy = ADDRESS_TYPES.has(r.type.toUpperCase()) ? (r.proxied ? ' (proxied)' : ' (DNS only)') : '';
  return `${r.type.toUpperCase()} ${r.content}${proxy}`;
}

function planHostname(
  hostname: string,
  tunnelId: string,
  target: string,
  records: readonly DnsRecordLike[],
): HostnameRoute {
  // Copies: the plan is shown and re-checked later, whatever happens to the caller's objects.
  const at = records
    .filter((r) => normalizeDnsName(r.name) === hostname)
    .map(({ id, name, type, content, proxied }) => ({ id, name, type, content, proxied }));
  const address = at.filter((r) => ADDRESS_TYPES.has(r.type.toUpperCase()));
  const kept = at.filter((r) => !ADDRESS_TYPES.has(r.type.toUpperCase()));
  if (address.length === 0) {
    return {
      hostname,
      kind: 'create',
      records: [],
      kept,
      reason: `no A, AAAA or CNAME record: a proxied CNAME to ${target} is created`,
    };
  }
  if (address.length > 1) {
    return {
      hostname,
      kind: 'conflict',
      records: address,
      kept,
      reason:
        `${address.length} records (${address.map(describeRecord).join(', ')}): one CNAME cannot replace them, so nothing is changed; ` +
        `delete them in the Cloudflare dashboard (DNS › Records) and route ${hostname} again`,
    };
  }
  const r = address[0]!;
  const content = normalizeDnsName(r.content);
  const isCname = r.type.toUpperCase() === 'CNAME';
  if (isCname && content === target) {
    if (r.proxied)
      return { hostname, kind: 'routed', records: [r], kept, reason: `already routes to tunnel ${tunnelId}` };
    return {
      hostname,
      kind: 'overwrite',
      records: [r],
      kept,
      reason: `a CNAME to tunnel ${tunnelId} without the proxy (DNS only): the tunnel answers only through Cloudflare's proxy, so it is made proxied`,
    };
  }
  const other = tunnelIdOfRecord(r);
  return {
    hostname,
    kind: 'overwrite',
    records: [r],
    kept,
    reason: other
      ? `routes to another tunnel (${other}): ${describeRecord(r)}`
      : `points elsewhere: ${describeRecord(r)}`,
  };
}

/**
 * The plan for routing `zone` and `*.zone` to `tunnelId`, from the records that exist at those
 * names (records at other names are ignored, so the caller may pass a wider list).
 */
export function planDnsRoutes(zone: string, tunnelId: string, records: readonly DnsRecordLike[]): DnsRoutePlan {
  const id = tunnelId.trim().toLowerCase();
  const target = tunnelCnameTarget(id);
  const z = normalizeDnsName(zone);
  return { zone: z, tunnelId: id, target, routes: zoneHostnames(z).map((h) => planHostname(h, id, target, records)) };
}

/** One DNS call the plan makes. */
export type DnsChange =
  { kind: 'create'; hostname: string } | { kind: 'overwrite'; hostname: string; record: DnsRecordLike };

/** The calls that carry out `plan`: creates always, overwrites only with `overwrite`. */
export function dnsChanges(plan: DnsRoutePlan, overwrite: boolean): DnsChange[] {
  const changes: DnsChange[] = [];
  for (const r of plan.routes) {
    if (r.kind === 'create') changes.push({ kind: 'create', hostname: r.hostname });
    else if (r.kind === 'overwrite' && overwrite)
      changes.push({ kind: 'overwrite', hostname: r.hostname, record: r.records[0]! });
  }
  return changes;
}

/** The hostnames that route to the tunnel once `plan` is carried out (for config.yaml's rules). */
export function routedHostnames(plan: DnsRoutePlan, overwrite: boolean): string[] {
  return plan.routes
    .filter((r) => r.kind === 'routed' || r.kind === 'create' || (r.kind === 'overwrite' && overwrite))
    .map((r) => r.hostname);
}

export type DnsOutcome = 'created' | 'overwritten' | 'unchanged' | 'kept' | 'skipped' | 'failed';

export interface DnsRouteResult {
  hostname: string;
  outcome: DnsOutcome;
  /** What happened, for the report (the error's message for `failed`). */
  detail: string;
}

/** What to do per hostname after re-reading DNS right before the change. */
export type DnsStep = { hostname: string; change: DnsChange } | { hostname: string; result: DnsRouteResult };

const sameRecord = (a: DnsRecordLike, b: DnsRecordLike): boolean =>
  a.id === b.id &&
  a.type.toUpperCase() === b.type.toUpperCase() &&
  normalizeDnsName(a.content) === normalizeDnsName(b.content) &&
  a.proxied === b.proxied;

/**
 * Checks the plan the user confirmed (`confirmed`, with or without `overwrite`) against a plan made
 * from DNS as it is now (`fresh`): a record is created only where none appeared meanwhile, and
 * overwritten only if it is still the record the user saw. Anything else is reported, not changed.
 */
export function reconcileDnsPlan(confirmed: DnsRoutePlan, overwrite: boolean, fresh: DnsRoutePlan): DnsStep[] {
  return confirmed.routes.map((was): DnsStep => {
    const hostname = was.hostname;
    const now = fresh.routes.find((r) => r.hostname === hostname);
    const result = (outcome: DnsOutcome, detail: string): DnsStep => ({
      hostname,
      result: { hostname, outcome, detail },
    });
    if (!now) return result('skipped', 'not in the current plan');
    if (now.kind === 'routed') return result('unchanged', 'already routes to the tunnel');
    if (was.kind === 'conflict')
      return result(
        'skipped',
        now.kind === 'conflict' ? now.reason : `changed since it was shown (${now.reason}); route it again`,
      );
    if (was.kind === 'overwrite' && !overwrite) return result('kept', `kept ${describeRecord(was.records[0]!)}`);
    if (was.kind === 'routed') return result('skipped', `changed since it was shown: ${now.reason}; route it again`);
    if (now.kind === 'create') return { hostname, change: { kind: 'create', hostname } };
    if (now.kind === 'overwrite' && was.kind === 'overwrite' && sameRecord(now.records[0]!, was.records[0]!)) {
      return { hostname, change: { kind: 'overwrite', hostname, record: now.records[0]! } };
    }
    return result('skipped', `changed since it was shown: ${now.reason}; nothing was overwritten`);
  });
}

/** The report after the changes: one line per hostname; `ok` when nothing failed or was skipped. */
export function dnsReport(zone: string, results: readonly DnsRouteResult[]): { ok: boolean; message: string } {
  const words: Record<DnsOutcome, string> = {
    created: 'created',
    overwritten: 'overwritten',
    unchanged: 'unchanged',
    kept: 'kept',
    skipped: 'not changed',
    failed: 'FAILED',
  };
  const ok = results.every((r) => r.outcome !== 'failed' && r.outcome !== 'skipped');
  const parts = results.map((r) => `${r.hostname}: ${words[r.outcome]}${r.detail ? ` (${r.detail})` : ''}`);
  return { ok, message: `DNS in ${normalizeDnsName(zone)}: ${parts.join('; ')}.` };
}
