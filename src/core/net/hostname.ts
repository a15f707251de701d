/**
 * Whether a rule's hostname can reach a request at all, and whether it may be written into text we
 * generate (a `cloudflared access` command, a `~/.ssh/config` entry, a new rule).
 *
 * cloudflared checks only ports and wildcards (config spec §6): `"a.example.com\nProxyCommand …"`
 * passes `ingress validate`. No HTTP Host header and no DNS name can hold a control character or
 * whitespace, so such a rule never matches (the checker warns, `hostname-invalid-character`), and
 * text we generate embeds only a name that x/net/idna's Lookup profile accepts (what cloudflared
 * runs on a hostname, src/core/go/idna.ts) — its ASCII form, which needs no quoting anywhere.
 */
import { idnaLookupToASCII } from '../go/idna';

const hex = (c: string): string => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why no request can carry this hostname (a control character, whitespace); undefined when none. */
export function hostnameCharacterProblem(hostname: string): string | undefined {
  const m = /[\u0000-\u001f\u007f-\u009f]|[\s\u200b\u2028\u2029\ufeff]/u.exec(hostname);
  if (!m) return undefined;
  const c = m[0];
  const what =
    c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029'
      ? 'a line break'
      : /[\u0000-\u001f\u007f-\u009f]/.test(c)
        ? 'a control character'
        : 'whitespace';
  return `Hostname ${JSON.stringify(hostname)} contains ${what} (${hex(c)})`;
}

/**
 * The hostname as generated text may embed it: the ASCII (punycode, lower-case) form of a name
 * IDNA Lookup accepts, a leading `*.` kept, a trailing dot dropped; ASCII letters, digits, `-`, `_`
 * and dots pass as written (lower-cased). Otherwise the reason it is refused.
 */
export function safeHostname(hostname: string): { ok: true; host: string } | { ok: false; problem: string } {
  const chars = hostnameCharacterProblem(hostname);
  if (chars) return { ok: false, problem: `${chars}: it cannot be used in a command or a config entry.` };
  const written = hostname.replace(/\.$/, '');
  const wildcard = written.startsWith('*.');
  const name = wildcard ? written.slice(2) : written;
  const ascii = /^[A-Za-z0-9_.-]+$/.test(name) ? name.toLowerCase() : idnaLookupToASCII(name);
  if (name === '' || ascii === null || !/^[a-z0-9_.-]+$/.test(ascii) || ascii.split('.').includes(''))
    return {
      ok: false,
      problem: `Hostname ${JSON.stringify(hostname)} is not a valid DNS name: it cannot be used in a command or a config entry.`,
    };
  return { ok: true, host: wildcard ? `*.${ascii}` : ascii };
}
