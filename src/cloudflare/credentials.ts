/**
 * Tunnel run tokens and credentials files. A run token (`cloudflared tunnel token`, the API's
 * `…/cfd_tunnel/{id}/token`) is base64 (standard alphabet, padded) of JSON `{"a": account tag,
 * "t": tunnel UUID, "s": base64 tunnel secret, "e"?: endpoint}`; the credentials file of a locally
 * managed tunnel holds the same values as `{AccountTag, TunnelSecret, TunnelID, Endpoint?}`
 * (cloudflared `connection.TunnelToken.Credentials()`). Errors never quote the token.
 */
import type { TunnelCredentials } from './types';

/** cloudflared's answer to a token it cannot parse (`tunnel run --token`). */
export const INVALID_TOKEN_MESSAGE = 'Provided Tunnel token is not valid.';

const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Go's uuid.Parse accepts the 32-hex form too; cloudflared prints the canonical dashed form. */
function canonicalUuid(s: string): string {
  const hex = s.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Decodes a run token into credentials.json content; throws `Error(INVALID_TOKEN_MESSAGE)`. */
export function credentialsFromToken(runToken: string): TunnelCredentials {
  const text = runToken.trim();
  if (!text || !STD_BASE64.test(text)) throw new Error(INVALID_TOKEN_MESSAGE);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  } catch {
    throw new Error(INVALID_TOKEN_MESSAGE);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(INVALID_TOKEN_MESSAGE);
  const { a, t, s, e } = parsed as Record<string, unknown>;
  if (
    typeof a !== 'string' ||
    !a ||
    typeof t !== 'string' ||
    !UUID.test(t) ||
    typeof s !== 'string' ||
    !STD_BASE64.test(s) ||
    !s
  ) {
    throw new Error(INVALID_TOKEN_MESSAGE);
  }
  const creds: TunnelCredentials = { AccountTag: a, TunnelSecret: s, TunnelID: canonicalUuid(t) };
  if (typeof e === 'string' && e) creds.Endpoint = e;
  return creds;
}

/** The inverse: a run token for credentials (what `cloudflared tunnel token` prints). */
export function tokenFromCredentials(creds: TunnelCredentials): string {
  const body: Record<string, string> = { a: creds.AccountTag, t: creds.TunnelID, s: creds.TunnelSecret };
  if (creds.Endpoint) body.e = creds.Endpoint;
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64');
}
