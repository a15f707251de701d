/**
 * Routing one hostname to a tunnel, as plain data: what the records at that name mean and which
 * calls make it a proxied CNAME to `<tunnel-id>.cfargotunnel.com`. The route command, "Expose
 * through Tunnel" and the drift fix all go through it (via `CloudflareApi.routeHostname`).
 *
 * Cloudflare refuses a CNAME beside any A, AAAA or CNAME record of the same name (code 81053, on
 * create and on update), so a dual-stack name (A and AAAA) is routed by deleting all address
 * records but one first, then overwriting that one with the CNAME. A CNAME to the tunnel that is
 * not proxied does not reach it (the tunnel answers only through Cloudflare's proxy): it needs
 * the proxy turned on, it is not "already routed". Other types (MX, TXT, CAA…) stay.
 *
 * Pure: no editor, no network.
 */

import { isTunnelCname } from './tunnelCname';
import type { TunnelDnsRecord } from './tunnelCname';

/** The fields of a DNS record the plan reads: the one record shape (the wrapper's `DnsRecord` has them). */
export type RouteRecordLike = TunnelDnsRecord;

export type HostnameRoutePlan<R extends RouteRecordLike = RouteRecordLike> =
  /** A proxied CNAME to the tunnel: nothing to do. */
  | { kind: 'routed'; hostname: string; record: R }
  /** A CNAME to the tunnel without the proxy: turn the proxy on (PATCH `proxied: true`). */
  | { kind: 'enable-proxy'; hostname: string; record: R }
  /** No A, AAAA or CNAME record: create the CNAME. */
  | { kind: 'create'; hostname: string }
  /**
   * A, AAAA or CNAME records that point elsewhere (`records`, all of them): with consent, delete
   * `remove` first, then overwrite `keep` with the CNAME (never a CNAME beside another address record).
   */
  | { kind: 'replace'; hostname: string; records: R[]; keep: R; remove: R[] };

const ADDRESS_TYPES = new Set(['A', 'AAAA', 'CNAME']);

const normalize = (name: string): string => name.trim().toLowerCase().replace(/\.$/, '');

/** The plan for routing `hostname` to `tunnelId`, from the records at that name (others are ignored). */
export function planHostnameRoute<R extends RouteRecordLike>(
  hostname: string,
  tunnelId: string,
  records: readonly R[],
): HostnameRoutePlan<R> {
  const host = normalize(hostname);
  const address = records.filter((r) => normalize(r.name) === host && ADDRESS_TYPES.has(r.type.toUpperCase()));
  if (address.length === 0) return { kind: 'create', hostname: host };
  if (address.length === 1 && isTunnelCname(address[0]!, tunnelId)) {
    const record = address[0]!;
    return record.proxied
      ? { kind: 'routed', hostname: host, record }
      : { kind: 'enable-proxy', hostname: host, record };
  }
  // Overwrite a CNAME if there is one (a CNAME never shares its name, so then it is alone), else the first address record.
  const keep = address.find((r) => r.type.toUpperCase() === 'CNAME') ?? address[0]!;
  return { kind: 'replace', hostname: host, records: [...address], keep, remove: address.filter((r) => r !== keep) };
}

/** "A 192.0.2.1 (proxied)", "CNAME <id>.cfargotunnel.com (DNS only)". */
export function describeRouteRecord(r: RouteRecordLike): string {
  return `${r.type.toUpperCase()} ${r.content}${ADDRESS_TYPES.has(r.type.toUpperCase()) ? (r.proxied ? ' (proxied)' : ' (DNS only)') : ''}`;
}
