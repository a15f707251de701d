/**
 * cloudflared's origin certificate (`~/.cloudflared/cert.pem`, written by `cloudflared tunnel
 * login`): PEM blocks of which the `ARGO TUNNEL TOKEN` one holds base64 JSON
 * `{"zoneID", "accountID", "apiToken", "endpoint"?}`. Port of cloudflared's
 * `credentials.DecodeOriginCert`: `PRIVATE KEY` and `CERTIFICATE` blocks are legacy and skipped,
 * any other block type is an error, JSON that does not decode is ignored (and then the token is
 * missing), field names match case-insensitively as in Go's encoding/json. Messages are
 * cloudflared's; none of them quotes the token. Pure: no Node APIs beyond `atob`/`TextDecoder`.
 */

export interface OriginCert {
  zoneId: string;
  /** Empty in certificates from before cloudflared 2022: accounts then come from the API. */
  accountId: string;
  apiToken: string;
  /** `fed` for FedRAMP accounts; absent otherwise. */
  endpoint?: string;
}

export type CertPemResult = OriginCert | { error: string };

export function isCertError(r: CertPemResult): r is { error: string } {
  return 'error' in r;
}

interface PemBlock {
  type: string;
  bytes: Uint8Array;
}

const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/[\s]+/g, '');
  if (!STD_BASE64.test(compact)) return undefined;
  const binary = atob(compact);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * The blocks Go's `pem.Decode` would return in turn: `-----BEGIN T-----` at a line start, the
 * matching `-----END T-----`, base64 between them (optional `Key: value` headers before a blank
 * line are skipped). A block whose body does not decode is skipped, as Go does.
 */
function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  const begin = /(?:^|\n)-----BEGIN ([^\r\n]*?)-----[ \t]*\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = begin.exec(text))) {
    const type = m[1]!;
    const bodyStart = begin.lastIndex;
    const endMarker = `-----END ${type}-----`;
    const end = text.indexOf(endMarker, bodyStart);
    if (end < 0) continue;
    let body = text.slice(bodyStart, end);
    if (/^[^\n]*:/.test(body)) {
      const blank = body.search(/\r?\n\r?\n/);
      body = blank >= 0 ? body.slice(blank) : '';
    }
    const bytes = decodeBase64(body);
    if (!bytes) continue;
    blocks.push({ type, bytes });
    begin.lastIndex = end + endMarker.length;
  }
  return blocks;
}

/** Go's encoding/json field lookup: the exact key, else a case-insensitive match. */
function field(obj: Record<string, unknown>, name: string): string {
  let value = obj[name];
  if (value === undefined) {
    const lower = name.toLowerCase();
    const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
    value = key === undefined ? undefined : obj[key];
  }
  return typeof value === 'string' ? value : '';
}

function tokenJson(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder('utf-8').decode(bytes));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Reads cert.pem text; returns the origin certificate or cloudflared's error. */
export function parseCertPem(text: string): CertPemResult {
  if (text.length === 0) return { error: 'cannot decode empty certificate' };
  const cert: OriginCert = { zoneId: '', accountId: '', apiToken: '' };
  for (const block of pemBlocks(text)) {
    switch (block.type) {
      case 'PRIVATE KEY':
      case 'CERTIFICATE':
        break; // legacy
      case 'ARGO TUNNEL TOKEN': {
        if (cert.zoneId !== '' || cert.apiToken !== '') return { error: 'found multiple tokens in the certificate' };
        const json = tokenJson(block.bytes);
        if (json) {
          cert.zoneId = field(json, 'zoneID');
          cert.accountId = field(json, 'accountID');
          cert.apiToken = field(json, 'apiToken');
          const endpoint = field(json, 'endpoint');
          if (endpoint) cert.endpoint = endpoint.toLowerCase();
        }
        break;
      }
      default:
        return { error: `unknown block ${block.type} in the certificate` };
    }
  }
  if (cert.zoneId === '' || cert.apiToken === '') return { error: 'missing token in the certificate' };
  return cert;
}
