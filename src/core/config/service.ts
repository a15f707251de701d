/**
 * cloudflared's parsing of an ingress rule's `service` (ingress/ingress.go, validateIngress),
 * in its order of tests. Pure: returns either the parsed service or cloudflared's error text.
 */
import { parseURL, urlHostname, urlString } from '../go/url';
import type { GoURL } from '../go/url';

export type Service =
  | { kind: 'unix'; path: string; tls: boolean }
  | { kind: 'http_status'; code: number }
  | { kind: 'hello_world' }
  | { kind: 'socks-proxy' }
  | { kind: 'bastion' }
  | { kind: 'url'; url: GoURL; http: boolean };

export type ServiceResult = { ok: true; service: Service } | { ok: false; error: string };

/**
 * The port a URL service connects to when it names none, by scheme (what a Service must expose):
 * the one table. HTTP schemes as net/http dials them; for the others cloudflared writes the port
 * into the URL itself (tcp 7864, ssh 22, rdp 3389, smb 445), as `tunnel ingress rule` prints.
 */
export const ORIGIN_DEFAULT_PORTS: Readonly<Record<string, number>> = {
  http: 80,
  ws: 80,
  https: 443,
  wss: 443,
  tcp: 7864,
  ssh: 22,
  rdp: 3389,
  smb: 445,
};

/** Go's strconv.Atoi (base 10, optional sign), with Go's error text. */
export function goAtoi(s: string): { ok: true; value: number } | { ok: false; error: string } {
  const quoted = JSON.stringify(s);
  if (!/^[+-]?[0-9]+$/.test(s)) return { ok: false, error: `strconv.Atoi: parsing ${quoted}: invalid syntax` };
  const n = Number(s);
  if (!Number.isSafeInteger(n) || Math.abs(n) > 9223372036854775807) {
    return { ok: false, error: `strconv.Atoi: parsing ${quoted}: value out of range` };
  }
  return { ok: true, value: n };
}

/**
 * Parses `service` as cloudflared does. `bastionMode` is the rule's effective
 * `originRequest.bastionMode`: when true, any service that is not one of the earlier
 * keywords becomes a bastion without being parsed.
 */
export function parseService(service: string, bastionMode: boolean): ServiceResult {
  if (service.startsWith('unix:')) return { ok: true, service: { kind: 'unix', path: service.slice(5), tls: false } };
  if (service.startsWith('unix+tls:'))
    return { ok: true, service: { kind: 'unix', path: service.slice(9), tls: true } };
  if (service.startsWith('http_status:')) {
    const n = goAtoi(service.slice('http_status:'.length));
    if (!n.ok) return { ok: false, error: `invalid HTTP status code: ${n.error}` };
    if (n.value < 100 || n.value > 999) return { ok: false, error: `invalid HTTP status code: ${n.value}` };
    return { ok: true, service: { kind: 'http_status', code: n.value } };
  }
  if (service === 'hello_world' || service === 'hello-world') return { ok: true, service: { kind: 'hello_world' } };
  if (service === 'socks-proxy') return { ok: true, service: { kind: 'socks-proxy' } };
  if (service === 'bastion' || bastionMode) return { ok: true, service: { kind: 'bastion' } };

  const parsed = parseURL(service);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const u = parsed.url;
  if (u.scheme === '' || urlHostname(u) === '') {
    return { ok: false, error: `${service} is an invalid address, please make sure it has a scheme and a hostname` };
  }
  if (u.path !== '') {
    return {
      ok: false,
      error: `${service} is an invalid address, ingress rules don't support proxying to a different path on the origin service. The path will be the same as the eyeball request's path`,
    };
  }
  const http = ['http', 'https', 'ws', 'wss'].includes(u.scheme);
  return { ok: true, service: { kind: 'url', url: u, http } };
}

/** The service as `cloudflared tunnel ingress rule` prints it (spec §10.2). */
export function serviceString(s: Service): string {
  switch (s.kind) {
    case 'unix':
      return `${s.tls ? 'unix+tls' : 'unix'}:${s.path}`;
    case 'http_status':
      return `http_status:${s.code}`;
    case 'hello_world':
      return 'hello_world';
    case 'socks-proxy':
      return 'socks-proxy';
    case 'bastion':
      return 'bastion';
    case 'url': {
      const u = s.url;
      const defaultPort = ORIGIN_DEFAULT_PORTS[u.scheme];
      if (!s.http && defaultPort && !/:[^\]]*$/.test(u.host.replace(/^\[.*\]/, ''))) {
        return urlString({ ...u, host: `${u.host}:${defaultPort}` });
      }
      return urlString(u);
    }
  }
}
