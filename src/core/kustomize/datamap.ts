/**
 * Bytes and text as kyaml/yaml/datamap.go handles them: Go's string(bytes) (a BOM is kept), the
 * UTF-8 check that sends ConfigMap values to binaryData, and kyaml's 70-column base64.
 */

export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** UTF-8 → string, keeping a BOM (Go's string(bytes) keeps it). */
export function decodeUtf8(b: Uint8Array): string {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(b);
}

export function isUtf8(b: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

/** kyaml's encodeBase64: 70-character lines, each followed by "\n" once there is more than one. */
export function encodeBase64Lines(bytes: Uint8Array): string {
  const enc = Buffer.from(bytes).toString('base64');
  const lineLen = 70;
  const lines = Math.floor(enc.length / lineLen) + 1;
  if (lines === 1) return enc;
  let out = '';
  for (let i = 0; i < enc.length; i += lineLen) out += `${enc.slice(i, i + lineLen)}\n`;
  return out;
}
