/**
 * Top-level keys that cloudflared reads as CLI flags (spec §2.2-2.4): the strict type check
 * that makes `ingress validate` fail, the value checks only `tunnel run` makes, and the keys
 * that have no effect.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Scalar } from 'yaml';
import { parseDuration } from '../go/duration';
import { parseIP } from '../go/net';
import { goTypeName, resolvePlain } from '../go/yamlv3';
import type { Diagnostic, Severity } from '../types';
import { deref, yamlRange } from '../yaml/load';
import type { KeyValue, YNode } from '../yaml/load';
import { closestKey } from './decode';
import type { DecodeContext } from './decode';
import { FLAG_KEYS, LOG_LEVELS, PLAIN_FLAGS, PROTOCOLS, STRUCTURED_KEYS } from './schema';
import type { FlagKey } from './schema';

/** Go's `%T` of a value yaml.v3 decodes into interface{} (yaml.v3 keeps timestamps as time.Time). */
export function goInterfaceType(node: YNode | null): string {
  if (node === null) return '<nil>';
  if (isMap(node)) return 'map[string]interface {}';
  if (isSeq(node)) return '[]interface {}';
  const s = node as Scalar;
  if (s.type !== 'PLAIN') return 'string';
  return goTypeName(resolvePlain(String(s.source ?? s.value)).value);
}

/** Go's `%v` of an interface{} value, enough for cloudflared's slice-element message. */
function goValueText(node: YNode | null): string {
  if (node === null) return '<nil>';
  if (isScalar(node)) return String((node as Scalar).source ?? (node as Scalar).value);
  if (isSeq(node)) return '[' + node.items.map((i) => goValueText(i as YNode)).join(' ') + ']';
  return 'map[...]';
}

function scalarText(node: YNode | null): string | undefined {
  return node && isScalar(node) ? String((node as Scalar).value) : undefined;
}

/** The type-check error cloudflared reports for a flag key, or undefined when the value is accepted. */
export function flagTypeError(name: string, flag: FlagKey, node: YNode | null, ctx: DecodeContext): string | undefined {
  const t = goInterfaceType(node);
  switch (flag.kind) {
    case 'string':
      return t === 'string' ? undefined : `expected string found ${t} for ${name}`;
    case 'int':
      return t === 'int' ? undefined : `expected int found ${t} for ${name}`;
    case 'bool':
      return t === 'bool' ? undefined : `expected boolean found ${t} for ${name}`;
    case 'duration': {
      if (t !== 'string') return `expected duration found ${t} for ${name}`;
      const d = parseDuration(scalarText(node)!);
      return d.ok ? undefined : d.error;
    }
    case 'stringSlice': {
      if (!isSeq(node)) return `expected string slice found ${t} for ${name}`;
      for (let i = 0; i < node.items.length; i++) {
        const item = deref(ctx.doc, node.items[i]);
        if (goInterfaceType(item) !== 'string') return `expected string, found int for ${goValueText(item)}`;
      }
      return undefined;
    }
  }
}

/** True when cloudflared ignores the file value because it is the zero value (spec §2.2). */
function isZeroValue(flag: FlagKey, node: YNode | null): boolean {
  const text = scalarText(node);
  switch (flag.kind) {
    case 'int':
      return text !== undefined && Number(text) <= 0;
    case 'bool':
      return text !== undefined && /^(false|False|FALSE)$/.test(text);
    case 'duration': {
      const d = text === undefined ? undefined : parseDuration(text);
      return d !== undefined && d.ok && d.nanos <= 0;
    }
    case 'string':
      return text === '';
    default:
      return false;
  }
}

export function checkTopLevelKeys(ctx: DecodeContext, entries: KeyValue[], hasIngressRules: boolean): void {
  const push = (
    code: string,
    severity: Severity,
    message: string,
    node: YNode | null,
    extra: Partial<Diagnostic> = {},
  ): void => {
    ctx.diagnostics.push({ code, severity, message, range: yamlRange(ctx.lines, node), ...extra });
  };
  for (const entry of entries) {
    const { name } = entry;
    if (name in STRUCTURED_KEYS) continue;
    const flag = FLAG_KEYS[name];
    if (!flag) {
      if (PLAIN_FLAGS.includes(name)) {
        push(
          'flag-not-in-file',
          'warning',
          `'${name}' can only be given on the command line; cloudflared ignores it in the config file.`,
          entry.key,
        );
        continue;
      }
      const suggestion = closestKey(name, [...Object.keys(FLAG_KEYS), ...Object.keys(STRUCTURED_KEYS)]);
      push(
        'unknown-top-level-key',
        'warning',
        `Unknown key '${name}': cloudflared silently ignores it` +
          (suggestion ? ` (did you mean '${suggestion}'?)` : '.'),
        entry.key,
        suggestion
          ? {
              fixes: [
                {
                  title: `Rename to '${suggestion}'`,
                  isPreferred: true,
                  edits: [{ range: yamlRange(ctx.lines, entry.key), newText: suggestion }],
                },
              ],
            }
          : {},
      );
      continue;
    }

    const typeError = flagTypeError(name, flag, entry.value, ctx);
    if (typeError) {
      // `ingress validate` type-checks every flag of the tunnel command; run-only flags only fail `tunnel run`.
      const severity: Severity = flag.runOnly ? 'warning' : 'error';
      const suffix = flag.runOnly ? ' (`tunnel run` refuses this)' : '';
      push('flag-type', severity, typeError + suffix, entry.written ?? entry.key);
      continue;
    }
    if (isZeroValue(flag, entry.value)) {
      push(
        'ignored-zero-value',
        'information',
        `cloudflared ignores '${name}: ${scalarText(entry.value) ?? ''}' in the config file (zero values keep the default${flag.default ? ` ${flag.default}` : ''}).`,
        entry.written ?? entry.key,
      );
      continue;
    }
    if (flag.legacyOrigin && hasIngressRules) {
      if (name === 'url') {
        push(
          'url-with-ingress',
          'error',
          "You can't set the --url flag (or $TUNNEL_URL) when using multiple-origin ingress rules",
          entry.key,
        );
      } else {
        push(
          'legacy-origin-key',
          'warning',
          `'${name}' configures the legacy single origin and has no effect when ingress rules exist.`,
          entry.key,
        );
      }
    }
    checkRunOnlyValue(name, entry.value, (message) =>
      push('run-value', 'warning', message, entry.written ?? entry.key),
    );
  }
}

/** Value checks that only `tunnel run` makes: warnings, since `ingress validate` accepts them. */
function checkRunOnlyValue(name: string, node: YNode | null, warn: (message: string) => void): void {
  const text = scalarText(node);
  switch (name) {
    case 'protocol':
      if (text !== undefined && !PROTOCOLS.includes(text)) {
        warn(
          `unknown protocol ${text}, Available protocols: 'auto' - automatically chooses the best protocol over time (the default; and also the recommended one); 'quic' - based on QUIC, relying on UDP egress to Cloudflare edge; 'http2' - using Go's HTTP2 library, relying on TCP egress to Cloudflare edge`,
        );
      }
      return;
    case 'edge-ip-version':
      if (text !== undefined && !['4', '6', 'auto'].includes(text)) warn(`invalid value for edge-ip-version: ${text}`);
      return;
    case 'edge-bind-address':
      if (text && !parseIP(text)) warn(`invalid value for edge-bind-address: ${text}`);
      return;
    case 'grace-period': {
      const d = text === undefined ? undefined : parseDuration(text);
      if (d?.ok && d.nanos > 180e9) warn('grace-period must be equal or less than 3m0s');
      return;
    }
    case 'loglevel':
    case 'transport-loglevel':
      if (text !== undefined && !LOG_LEVELS.includes(text))
        warn(`Failed to parse log level "${text}", using "info" instead`);
      return;
    case 'tag':
      if (node && isSeq(node)) {
        for (const item of node.items) {
          const t = scalarText(item as YNode);
          if (t !== undefined && !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+=[\x20-\x7e]+$/.test(t))
            warn(`Cannot parse tag value ${t}`);
        }
      }
      return;
  }
}
