/**
 * CIDR arithmetic on Go's parsing (`net.ParseCIDR`, `net.ParseIP`): one implementation for the
 * NetworkPolicy checks, the Service-range advice, drift and the local Kubernetes server. IPv4 and
 * IPv6; a block and an address of different families never match.
 */
import { parseCIDR, parseIP } from '../go/net';

export interface Cidr {
  /** As written (trimmed). */
  text: string;
  /** 32 (IPv4) or 128 (IPv6). */
  bits: 32 | 128;
  prefixLength: number;
  /** The network address (host bits cleared) in Go's 16-byte form. */
  network: Uint8Array;
}

/** A CIDR (`10.96.0.0/12`, `fd00::/8`), or undefined where Go's `net.ParseCIDR` refuses it. */
export function parseCidr(s: string): Cidr | undefined {
  const text = s.trim();
  const r = parseCIDR(text);
  if (!r.ok) return undefined;
  const network = masked(r.ip, offset(r.bits) + r.prefixLength);
  return { text, bits: r.bits, prefixLength: r.prefixLength, network };
}

/** Whether the address `ip` lies in the block. */
export function cidrContainsIP(c: Cidr, ip: string): boolean {
  const b = parseIP(ip.trim());
  if (!b || (c.bits === 32) !== isV4(b)) return false;
  return samePrefix(b, c.network, offset(c.bits) + c.prefixLength);
}

/** Whether every address of `inner` is in `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return (
    outer.bits === inner.bits &&
    outer.prefixLength <= inner.prefixLength &&
    samePrefix(inner.network, outer.network, offset(outer.bits) + outer.prefixLength)
  );
}

/** Whether the blocks share an address (CIDR blocks nest or are disjoint). */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** An IPv4 address (dotted quad, or IPv4-mapped IPv6) as an unsigned 32-bit number. */
export function ipv4ToNumber(ip: string): number | undefined {
  const b = parseIP(ip.trim());
  if (!b || !isV4(b)) return undefined;
  return ((b[12]! << 24) >>> 0) + (b[13]! << 16) + (b[14]! << 8) + b[15]!;
}

/** The dotted quad of an unsigned 32-bit number. */
export function numberToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

const offset = (bits: 32 | 128): number => (bits === 32 ? 96 : 0);

function isV4(b: Uint8Array): boolean {
  return b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
}

/** `b` with all but the first `prefix` bits cleared. */
function masked(b: Uint8Array, prefix: number): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    out[i] = b[i]! & ((0xff << (8 - keep)) & 0xff);
  }
  return out;
}

function samePrefix(a: Uint8Array, b: Uint8Array, prefix: number): boolean {
  const ma = masked(a, prefix);
  const mb = masked(b, prefix);
  return ma.every((x, i) => x === mb[i]);
}
