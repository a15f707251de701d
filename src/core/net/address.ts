/**
 * What an address means for reachability — one definition for every check:
 * - **loopback** (`isLoopback`): `localhost` (any case, with or without the trailing dot),
 *   127.0.0.0/8 and `::1` (also written IPv4-mapped, `::ffff:127.0.0.1`). Only the same host (in
 *   Kubernetes: the same pod) reaches it.
 * - **all interfaces** (`isUnspecified`): `0.0.0.0` and `::`. A listener bound there is reachable
 *   from outside; as a destination it is no host at all. It is *not* loopback.
 * Hosts may be given with IPv6 brackets (`[::1]`).
 */
import { parseIP } from '../go/net';

const unbracket = (host: string): string => host.trim().replace(/^\[(.*)\]$/, '$1');

/** `localhost`, 127.0.0.0/8 or `::1`. */
export function isLoopback(host: string): boolean {
  const h = unbracket(host).toLowerCase();
  if (h === 'localhost' || h === 'localhost.') return true;
  const b = parseIP(h);
  if (!b) return false;
  if (isV4Mapped(b)) return b[12] === 127;
  return b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
}

/** `0.0.0.0` or `::`: all interfaces (a bind address), never a host to connect to. */
export function isUnspecified(host: string): boolean {
  const b = parseIP(unbracket(host));
  if (!b) return false;
  const start = isV4Mapped(b) ? 12 : 0;
  return b.slice(start).every((x) => x === 0);
}

function isV4Mapped(b: Uint8Array): boolean {
  return b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
}
