/**
 * A remote (dashboard-managed) tunnel configuration as a YAML document, and back. The API holds
 * the configuration as JSON with durations in whole seconds (cloudflared's `CustomDuration`
 * marshals to seconds); a config.yaml writes them as Go durations (`30s`, `1m30s`). Converting
 * lets the user edit the remote configuration in the form the config checker understands.
 * Pure: no editor, no network.
 */
import { Document, LineCounter, isMap } from 'yaml';
import { MAX_ALIAS_COUNT, parseYamlDocument } from '../yaml/aliases';
import { parseDuration } from '../go/duration';

/** Duration fields of `originRequest` (top level and per rule). */
export const ORIGIN_DURATIONS = ['connectTimeout', 'tlsTimeout', 'tcpKeepAlive', 'keepAliveTimeout'] as const;
/** Duration fields of `warp-routing`. */
export const WARP_DURATIONS = ['connectTimeout', 'tcpKeepAlive'] as const;

export type JsonObject = Record<string, unknown>;

export type FromYamlResult = { ok: true; config: JsonObject } | { ok: false; errors: string[] };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's `time.Duration.String` for a number of seconds: 30 → `30s`, 90 → `1m30s`, 3600 → `1h0m0s`. */
export function formatSeconds(seconds: number): string {
  if (seconds === 0) return '0s';
  const sign = seconds < 0 ? '-' : '';
  let rest = Math.abs(seconds);
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  rest = Math.round((rest - m * 60) * 1e9) / 1e9;
  const hm = h > 0 ? `${h}h${m}m` : m > 0 ? `${m}m` : '';
  return `${sign}${hm}${rest}s`;
}

/** A Go duration as whole seconds, or why it cannot be one. */
export function parseSeconds(text: string): { ok: true; seconds: number } | { ok: false; error: string } {
  const d = parseDuration(text);
  if (!d.ok) return d;
  if (d.exact % 1_000_000_000n !== 0n)
    return { ok: false, error: `${text} is not a whole number of seconds (the API stores durations in seconds)` };
  return { ok: true, seconds: Number(d.exact / 1_000_000_000n) };
}

type Convert = (value: unknown, path: string) => unknown;

/** Applies `convert` to every duration field of a configuration (a deep copy is returned). */
function mapDurations(config: JsonObject, convert: Convert): JsonObject {
  const out = structuredClone(config);
  const inStruct = (obj: unknown, fields: readonly string[], path: string): void => {
    if (!isObject(obj)) return;
    for (const f of fields) if (obj[f] !== undefined && obj[f] !== null) obj[f] = convert(obj[f], `${path}.${f}`);
  };
  inStruct(out.originRequest, ORIGIN_DURATIONS, 'originRequest');
  inStruct(out['warp-routing'], WARP_DURATIONS, 'warp-routing');
  if (Array.isArray(out.ingress))
    out.ingress.forEach(
      (rule, i) => isObject(rule) && inStruct(rule.originRequest, ORIGIN_DURATIONS, `ingress[${i}].originRequest`),
    );
  return out;
}

/**
 * The API's JSON configuration as YAML text, durations as Go durations. `header` lines become a
 * leading comment.
 */
export function remoteConfigToYaml(config: JsonObject, header: readonly string[] = []): string {
  const yamlForm = mapDurations(config, (v) => (typeof v === 'number' ? formatSeconds(v) : v));
  const doc = new Document(yamlForm);
  if (header.length) doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}

/**
 * YAML text back to the API's JSON: durations become seconds; syntax errors, duplicate keys, a
 * document that is not a mapping and durations that are not whole seconds are reported with
 * their line or path. An empty document is an empty configuration.
 */
export function yamlToRemoteConfig(text: string): FromYamlResult {
  const lineCounter = new LineCounter();
  const doc = parseYamlDocument(text, { uniqueKeys: true, prettyErrors: false, version: '1.2', lineCounter });
  if (doc.errors.length) {
    return {
      ok: false,
      errors: doc.errors.map((e) => `line ${lineCounter.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`),
    };
  }
  if (doc.contents !== null && !isMap(doc.contents))
    return { ok: false, errors: ['The configuration must be a mapping (ingress:, originRequest:, warp-routing:).'] };
  const js: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  if (!isObject(js))
    return { ok: false, errors: ['The configuration must be a mapping (ingress:, originRequest:, warp-routing:).'] };
  const errors: string[] = [];
  const config = mapDurations(js, (v, path) => {
    if (typeof v !== 'string') return v;
    const r = parseSeconds(v.trim());
    if (r.ok) return r.seconds;
    errors.push(`${path}: ${r.error}`);
    return v;
  });
  return errors.length ? { ok: false, errors } : { ok: true, config };
}
