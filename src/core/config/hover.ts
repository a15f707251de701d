/**
 * Hover on config keys: Go type, default, what the key does and what cloudflared checks about
 * it. The key lookups (`keyInfo`, `keysAt`) are shared with completion.
 */
import { parseYamlDocument } from '../yaml/aliases';
import type { ParsedText } from '../yaml/parsed';
import type { Document } from 'yaml';
import { clientCommandHover } from '../expose';
import { looksLikeConfigText } from '../analyze';
import type { FileKind } from '../analyze';
import { blockScalarAt, yamlCursor } from '../yaml/path';
import type { PathSegment } from '../yaml/path';
import type { GoType } from '../go/yamlv3';
import { FLAG_KEYS, INGRESS_RULE, ORIGIN_REQUEST, PLAIN_FLAGS, STRUCTURED_KEYS, WARP_ROUTING } from './schema';
import type { FieldSpec, FlagKey, FlagKind, StructSpec } from './schema';

export interface KeyInfo {
  name: string;
  /** Go type as cloudflared declares it (`time.Duration`, `[]config.UnvalidatedIngressRule`); absent for CLI-only flags. */
  goType?: string;
  default?: string;
  description: string;
  /** Closed set of values, when there is one. */
  values?: string[];
  /** What cloudflared checks, and which command checks it. */
  validation: string;
  env?: string;
  /** The YAML shape the value takes (for completion's insert text). */
  shape: 'scalar' | 'mapping' | 'sequence';
  /** Legacy, hidden or command-line only: not offered by completion. */
  obscure?: boolean;
}

type Container =
  { kind: 'root' } | { kind: 'struct'; spec: StructSpec } | { kind: 'list'; of: StructSpec } | { kind: 'leaf' };

const FLAG_GO_TYPE: Record<FlagKind, string> = {
  string: 'string',
  int: 'int',
  bool: 'bool',
  duration: 'time.Duration',
  stringSlice: '[]string',
};
const GO_TYPE: Record<GoType, string> = { ...FLAG_GO_TYPE, uint: 'uint', uint64: 'uint64', intSlice: '[]int' };

const TYPE_CHECKED =
  'Type-checked by `ingress validate` and `tunnel run`: a value of the wrong YAML type is fatal (nothing is coerced).';
const DECODED =
  'Decoded by yaml.v3: a value of the wrong type makes `ingress validate` and `tunnel run` fail; an unknown key is only a warning.';

/** What cloudflared checks beyond the type (../shared/docs/cloudflared-config-spec.md §2.4, §3-§9). */
const CHECKS: Record<string, string> = {
  'credentials-file': '`tunnel run`: must be a readable credentials JSON.',
  token: '`tunnel run`: must be a valid token (`Provided Tunnel token is not valid.`).',
  'token-file': '`tunnel run`: must be a readable file.',
  loglevel: 'Another value is not fatal: cloudflared logs `Failed to parse log level` and uses `info`.',
  'transport-loglevel': 'Another value is not fatal: cloudflared logs `Failed to parse log level` and uses `info`.',
  metrics: '`tunnel run`: the address must be listenable.',
  protocol: '`tunnel run` refuses any other value (`h2mux` is downgraded to `http2`).',
  'edge-ip-version': '`tunnel run` refuses any other value.',
  'edge-bind-address': '`tunnel run`: must be an IP address it can bind.',
  'grace-period': '`tunnel run`: at most `3m`.',
  tag: '`tunnel run`: every item must be `NAME=VALUE`.',
  url: '`ingress validate` refuses it next to ingress rules.',
  tunnel: 'Not checked by `ingress validate`; `tunnel run` needs it (or a tunnel argument, or a token).',
  ingress:
    '`ingress validate` checks the rules in order and stops at the first error; the last rule must match everything.',
  'config.UnvalidatedIngressRule.hostname':
    '`ingress validate`: no port, at most one `*` and only as the first character.',
  'config.UnvalidatedIngressRule.path': '`ingress validate` compiles it as a Go (RE2) regexp.',
  'config.UnvalidatedIngressRule.service':
    '`ingress validate` parses it: scheme and host required, no path (not even `/`), `http_status` 100-999; `unix:` paths are not checked.',
  'config.OriginRequestConfig.caPool':
    'Not read by `ingress validate`; `tunnel run` cannot reach the origin when the file is unreadable.',
  'config.OriginRequestConfig.bastionMode': "When true, the rule's `service` is not parsed at all.",
  'config.OriginRequestConfig.proxyType': 'Not validated: only `socks` changes behaviour.',
  'config.OriginRequestConfig.proxyAddress': 'Accepted but unused.',
  'config.OriginRequestConfig.proxyPort': 'Accepted but unused.',
  'config.OriginRequestConfig.ipRules':
    'Validated only on a `socks-proxy` rule; elsewhere invalid entries are silently dropped.',
  'config.OriginRequestConfig.access': 'Only a per-rule block is validated and enforced; a global one is ignored.',
  'config.AccessConfig.teamName': '`ingress validate`: required when `required` is true and `audTag` is set.',
  'config.IngressIPRule.prefix': 'On a `socks-proxy` rule: must be a CIDR (`net.ParseCIDR`; a bare IP is refused).',
  'config.IngressIPRule.ports': 'On a `socks-proxy` rule: each port 1-65535.',
};

function containerOf(c: Container, seg: PathSegment): Container | undefined {
  if (c.kind === 'list') return typeof seg === 'number' ? { kind: 'struct', spec: c.of } : undefined;
  if (typeof seg === 'number') return undefined;
  if (c.kind === 'root') {
    if (seg === 'originRequest') return { kind: 'struct', spec: ORIGIN_REQUEST };
    if (seg === 'warp-routing') return { kind: 'struct', spec: WARP_ROUTING };
    if (seg === 'ingress') return { kind: 'list', of: INGRESS_RULE };
    return seg in FLAG_KEYS || seg in STRUCTURED_KEYS ? { kind: 'leaf' } : undefined;
  }
  if (c.kind !== 'struct') return undefined;
  const field = c.spec.fields[seg];
  if (!field) return undefined;
  if (typeof field.type === 'string') return { kind: 'leaf' };
  return 'listOf' in field.type ? { kind: 'list', of: field.type.listOf } : { kind: 'struct', spec: field.type };
}

function containerAt(path: PathSegment[]): Container | undefined {
  let c: Container | undefined = { kind: 'root' };
  for (const seg of path) {
    c = c && containerOf(c, seg);
    if (!c) return undefined;
  }
  return c;
}

function flagInfo(name: string, k: FlagKey): KeyInfo {
  const checks = [
    k.hidden
      ? 'Hidden flag, still type-checked.'
      : k.runOnly
        ? 'Only `tunnel run` reads it and checks its type.'
        : TYPE_CHECKED,
  ];
  if (CHECKS[name]) checks.push(CHECKS[name]);
  if (k.legacyOrigin) checks.push('Legacy single-origin setting: no effect when ingress rules exist.');
  if (k.kind !== 'stringSlice') checks.push('A zero value (`0`, `false`, empty) in the file keeps the default.');
  return {
    name,
    goType: FLAG_GO_TYPE[k.kind],
    ...(k.default !== undefined ? { default: k.default } : {}),
    description: k.description,
    ...(k.values ? { values: k.values } : k.kind === 'bool' ? { values: ['true', 'false'] } : {}),
    validation: checks.join(' '),
    ...(k.env ? { env: k.env } : {}),
    shape: k.kind === 'stringSlice' ? 'sequence' : 'scalar',
    ...(k.hidden || k.legacyOrigin ? { obscure: true } : {}),
  };
}

const STRUCTURED_TYPES: Record<string, [string, KeyInfo['shape']]> = {
  tunnel: ['string', 'scalar'],
  ingress: ['[]config.UnvalidatedIngressRule', 'sequence'],
  originRequest: ['config.OriginRequestConfig', 'mapping'],
  'warp-routing': ['config.WarpRoutingConfig', 'mapping'],
};

function rootInfo(name: string): KeyInfo | undefined {
  const flag = FLAG_KEYS[name];
  if (flag) return flagInfo(name, flag);
  const structured = STRUCTURED_KEYS[name];
  if (structured) {
    const [goType, shape] = STRUCTURED_TYPES[name]!;
    return { name, goType, description: structured.description, validation: CHECKS[name] ?? DECODED, shape };
  }
  if (PLAIN_FLAGS.includes(name)) {
    return {
      name,
      description: 'A command-line flag that cannot be set from the file.',
      validation: 'Ignored in the file: cloudflared neither reads nor checks it.',
      shape: 'scalar',
      obscure: true,
    };
  }
  return undefined;
}

function fieldInfo(spec: StructSpec, name: string, f: FieldSpec): KeyInfo {
  const t = f.type;
  const goType = typeof t === 'string' ? GO_TYPE[t] : 'listOf' in t ? `[]${t.listOf.goName}` : t.goName;
  const shape: KeyInfo['shape'] =
    typeof t !== 'string' ? ('listOf' in t ? 'sequence' : 'mapping') : t.endsWith('Slice') ? 'sequence' : 'scalar';
  const note = CHECKS[`${spec.goName}.${name}`];
  const legacy = spec === ORIGIN_REQUEST && (name === 'proxyAddress' || name === 'proxyPort');
  return {
    name,
    goType,
    ...(f.default !== undefined ? { default: f.default } : {}),
    description: f.description,
    ...(f.values ? { values: f.values } : t === 'bool' ? { values: ['true', 'false'] } : {}),
    validation:
      spec === WARP_ROUTING
        ? 'No checks beyond the YAML type (a wrong type is fatal).'
        : note
          ? `${DECODED} ${note}`
          : DECODED,
    shape,
    ...(legacy ? { obscure: true } : {}),
  };
}

/** The key at `path` (its last segment) as cloudflared reads it, or undefined when cloudflared does not know it. */
export function keyInfo(path: PathSegment[]): KeyInfo | undefined {
  const name = path[path.length - 1];
  if (typeof name !== 'string') return undefined;
  const parent = containerAt(path.slice(0, -1));
  if (parent?.kind === 'root') return rootInfo(name);
  if (parent?.kind !== 'struct') return undefined;
  const field = parent.spec.fields[name];
  return field ? fieldInfo(parent.spec, name, field) : undefined;
}

/** Every key cloudflared reads in the mapping at `path`, or undefined when that mapping is not one of its structs. */
export function keysAt(path: PathSegment[]): KeyInfo[] | undefined {
  const c = containerAt(path);
  if (c?.kind === 'root') return [...Object.keys(STRUCTURED_KEYS), ...Object.keys(FLAG_KEYS)].map((k) => rootInfo(k)!);
  if (c?.kind === 'struct') return Object.entries(c.spec.fields).map(([k, f]) => fieldInfo(c.spec, k, f));
  return undefined;
}

export function hoverMarkdown(info: KeyInfo): string {
  const head = [`\`${info.name}\``];
  if (info.goType) head.push(`\`${info.goType}\``);
  if (info.default !== undefined) head.push(`default \`${info.default === '' ? '""' : info.default}\``);
  const parts = [head.join(' · '), info.description];
  if (info.values && info.values.some((v) => v !== 'true' && v !== 'false'))
    parts.push(`Values: ${info.values.map((v) => `\`${v === '' ? '""' : v}\``).join(', ')}`);
  parts.push(`**Checked:** ${info.validation}`);
  if (info.env) parts.push(`Environment variable \`${info.env}\` (wins over the file).`);
  return parts.join('\n\n');
}

/** The config a cursor is in: the whole file, or the config.yaml embedded in a ConfigMap. */
export interface ConfigText {
  text: string;
  offset: number;
  /** Maps an offset in `text` to the file's text. */
  toHost(offset: number): number;
}

export function configTextAt(text: string, offset: number, kind: FileKind): ConfigText | undefined {
  if (kind === 'cloudflared-config') return { text, offset, toHost: (o) => o };
  if (kind !== 'manifest') return undefined;
  const block = blockScalarAt(text, offset);
  const [section, key, ...deeper] = block?.path ?? [];
  if (!block || section !== 'data' || !/\.ya?ml$/.test(String(key)) || deeper.length > 0) return undefined;
  return looksLikeConfigText(block.text) ? block : undefined;
}

export interface ConfigHover {
  markdown: string;
  /** Offsets of the key hovered. */
  start: number;
  end: number;
}

/** Hover for the key under `offset` in a cloudflared config (or in a ConfigMap's embedded one). */
export function configHover(
  text: string,
  offset: number,
  kind: FileKind = 'cloudflared-config',
  parsed?: ParsedText,
): ConfigHover | undefined {
  const target = configTextAt(text, offset, kind);
  const cursor = target && yamlCursor(target.text, target.offset);
  if (!target || !cursor || cursor.document !== 0) return undefined;
  if (cursor.on !== 'key') {
    // The document's shared parse when the config is the file itself (not one embedded in a ConfigMap).
    const doc = parsed && target.text === parsed.text ? parsed.docs[0] : undefined;
    return serviceValueHover(target, cursor.path, cursor.start, cursor.end, doc);
  }
  const info = keyInfo(cursor.path);
  if (!info) return undefined;
  return { markdown: hoverMarkdown(info), start: target.toHost(cursor.start), end: target.toHost(cursor.end) };
}

/**
 * Hover on the `service` value of a rule that serves tcp://, ssh://, rdp:// or smb://: such a
 * hostname cannot be opened in a browser, so say which `cloudflared access` command reaches it.
 */
function serviceValueHover(
  target: ConfigText,
  path: PathSegment[],
  start: number,
  end: number,
  parsed?: Document.Parsed,
): ConfigHover | undefined {
  if (path.length !== 3 || path[0] !== 'ingress' || typeof path[1] !== 'number' || path[2] !== 'service')
    return undefined;
  const doc = parsed ?? parseYamlDocument(target.text, { uniqueKeys: false });
  const service = doc.getIn(['ingress', path[1], 'service']);
  const hostname = doc.getIn(['ingress', path[1], 'hostname']);
  if (typeof service !== 'string') return undefined;
  const markdown = clientCommandHover(service, typeof hostname === 'string' ? hostname : undefined);
  return markdown ? { markdown, start: target.toHost(start), end: target.toHost(end) } : undefined;
}
