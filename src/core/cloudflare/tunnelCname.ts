/**
 * The DNS record that routes a hostname to a tunnel: a proxied CNAME to `<tunnel-id>.cfargotunnel.com`
 * (what `cloudflared tunnel route dns` and the dashboard create). The one place that writes the
 * target, recognises it (case-insensitively, with or without the trailing dot of an absolute name),
 * and the one shape of a DNS record that every tunnel rule reads.
 */

/** The zone every tunnel CNAME points into. */
export const TUNNEL_CNAME_SUFFIX = '.cfargotunnel.com';

/**
 * A DNS record as the tunnel rules read it (API wrapper, Tunnels tree, drift, route plans, the
 * wizard's DNS step). `zoneId` is set wherever the record came from the API.
 */
export interface TunnelDnsRecord {
  id: string;
  zoneId?: string;
  zoneName?: string;
  name: string;
  type: string;
  content: string;
  proxied: boolean;
  comment?: string | null;
}

/** A record with its zone known. */
export type ZonedTunnelDnsRecord = TunnelDnsRecord & { zoneId: string };

const TARGET = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.cfargotunnel\.com\.?$/i;

/** The CNAME target that routes to a tunnel: `<id>.cfargotunnel.com` (lower case). */
export function tunnelCnameTarget(tunnelId: string): string {
  return `${tunnelId.trim().toLowerCase()}${TUNNEL_CNAME_SUFFIX}`;
}

/** The tunnel UUID (lower case) a CNAME target names, or undefined when it is not a tunnel's. */
export function tunnelIdOfCname(content: string): string | undefined {
  return TARGET.exec(content.trim())?.[1]?.toLowerCase();
}

/** The tunnel a record routes to: a CNAME to `<id>.cfargotunnel.com` (proxied or not). */
export function tunnelIdOfRecord(r: Pick<TunnelDnsRecord, 'type' | 'content'>): string | undefined {
  return r.type.toUpperCase() === 'CNAME' ? tunnelIdOfCname(r.content) : undefined;
}

/** Whether `r` is a CNAME to this tunnel (proxied or not). */
export function isTunnelCname(r: Pick<TunnelDnsRecord, 'type' | 'content'>, tunnelId: string): boolean {
  return tunnelIdOfRecord(r) === tunnelId.trim().toLowerCase();
}
