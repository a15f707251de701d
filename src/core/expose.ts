/**
 * "Expose through tunnel…" as plain data: the rule's service URL for a Kubernetes Service (its
 * DNS name, never its ClusterIP), the rule inserted into a workspace config.yaml (text edits that
 * keep the list's style) or into a remote configuration (the API's JSON), and the client side of
 * rules that a browser cannot open (`tcp://`, `ssh://`, `rdp://`, `smb://`: `cloudflared access`).
 * Pure: no editor, no file system, no network.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { hostnameMatches } from './cloudflare/tunnelsTree';
import { remoteConfigToYaml } from './cloudflare/remoteConfigYaml';
import type { JsonObject } from './cloudflare/remoteConfigYaml';
import { resolvePlain } from './go/yamlv3';
import { parseURL, urlHostname, urlPort } from './go/url';
import { isNull } from './config/decode';
import { ORIGIN_DEFAULT_PORTS, parseService } from './config/service';
import { serviceHost } from './kubernetes/serviceHost';
import { hostnameCharacterProblem, safeHostname } from './net/hostname';
import { LineMap } from './text';
import type { TextEdit } from './types';
import { loadYaml } from './yaml/load';
import type { YNode } from './yaml/load';

// ── Service URL ─────────────────────────────────────────────────────────────────────────────

export interface ServicePortRef {
  /** The Service's name. */
  name: string;
  namespace: string;
  /** The Service port (`spec.ports[].port`, not the targetPort). */
  port: number;
  /** `spec.ports[].appProtocol` (`https`, `kubernetes.io/h2c`, …). */
  appProtocol?: string;
  /** `spec.ports[].name` (`https`, `http-web`, `postgres`, …). */
  portName?: string;
}

export interface ServiceUrlOptions {
  /**
   * Use `ssh://`, `rdp://`, `smb://` or `tcp://` for ports that are obviously not HTTP (22, 3389,
   * 445, well-known database and broker ports, or a port/appProtocol named after one). Off by
   * default: the caller decides (e.g. after asking the user).
   */
  detectNonHttp?: boolean;
  /** The cluster's DNS domain; `cluster.local` unless the cluster is set up otherwise. */
  clusterDomain?: string;
}

export type ServiceScheme = 'http' | 'https' | 'tcp' | 'ssh' | 'rdp' | 'smb';

/** Well-known ports that never speak HTTP (databases, brokers, mail, VNC, …). */
const TCP_PORTS = new Set([
  21, 23, 25, 110, 143, 389, 465, 587, 636, 993, 995, 1433, 1521, 2181, 3306, 4222, 5432, 5672, 5900, 6379, 6380, 9042,
  9092, 9093, 11211, 26257, 27017, 27018, 27019, 28015,
]);
/** Port names / appProtocols that never speak HTTP. */
const TCP_NAMES =
  /^(tcp|postgres|postgresql|pg|mysql|mariadb|redis|mongo|mongodb|amqp|amqps|mqtt|kafka|nats|memcache|memcached|cassandra|cql|ldap|ldaps|smtp|smtps|imap|imaps|pop3|pop3s|vnc|mssql|tds|oracle|zookeeper|zk|ftp|telnet)([-_].*)?$/;

function nameOf(s: string | undefined): string {
  return (s ?? '').toLowerCase().replace(/^kubernetes\.io\//, '');
}

/** The scheme a rule for this Service port should use. */
export function serviceScheme(
  s: Pick<ServicePortRef, 'port' | 'appProtocol' | 'portName'>,
  options: ServiceUrlOptions = {},
): ServiceScheme {
  const app = nameOf(s.appProtocol);
  const port = nameOf(s.portName);
  if (app === 'https' || app === 'wss' || port === 'https' || port.startsWith('https-') || s.port === 443)
    return 'https';
  if (
    app === 'http' ||
    app === 'h2c' ||
    app === 'ws' ||
    app === 'http2' ||
    app === 'grpc' ||
    /^(http|http2|grpc|web|ws)([-_].*)?$/.test(port)
  )
    return 'http';
  if (options.detectNonHttp) {
    const named = (re: RegExp): boolean => re.test(app) || re.test(port);
    if (named(/^ssh([-_].*)?$/) || s.port === 22) return 'ssh';
    if (named(/^rdp([-_].*)?$/) || s.port === 3389) return 'rdp';
    if (named(/^(smb|cifs)([-_].*)?$/) || s.port === 445) return 'smb';
    if (named(TCP_NAMES) || TCP_PORTS.has(s.port)) return 'tcp';
  }
  return 'http';
}

/** True for ports `serviceScheme` with `detectNonHttp` would not serve over HTTP. */
export function isObviouslyNonHttp(s: Pick<ServicePortRef, 'port' | 'appProtocol' | 'portName'>): boolean {
  const scheme = serviceScheme(s, { detectNonHttp: true });
  return scheme !== 'http' && scheme !== 'https';
}

/**
 * The `service` of an ingress rule for a Service port: `http://name.namespace.svc.cluster.local:port`
 * (https for port 443, an `https` port name or appProtocol). Always the DNS name, never the
 * ClusterIP, which changes when the Service is re-created. The port is always written.
 */
export function serviceUrl(s: ServicePortRef, options: ServiceUrlOptions = {}): string {
  return `${serviceScheme(s, options)}://${serviceHost(s.name, s.namespace, { clusterDomain: options.clusterDomain })}:${s.port}`;
}

// ── Rules ───────────────────────────────────────────────────────────────────────────────────

export interface NewRule {
  hostname: string;
  service: string;
  path?: string;
}

export type InsertRefusal =
  /** The text is not YAML cloudflared could load. */
  | 'yaml-syntax'
  /** The document is not a mapping. */
  | 'not-a-mapping'
  /** The rule itself is invalid (no hostname, a port in it, a service cloudflared refuses). */
  | 'invalid-rule'
  /** A rule with the same hostname and path exists. */
  | 'duplicate'
  /** No `ingress` list (absent, null or empty): `offer` adds one with a catch-all. */
  | 'no-ingress'
  /** The config uses the legacy single-origin `url:`, which cloudflared refuses next to ingress rules. */
  | 'url-origin'
  /** The list has a shape we do not edit (items that are not mappings, aliases, …). */
  | 'unsupported';

export interface ConfigTextEdit {
  title: string;
  text: string;
  edits: TextEdit[];
}

export type InsertTextResult =
  | {
      text: string;
      edits: TextEdit[];
      /** 0-based position of the new rule in `ingress`. */
      index: number;
      /** The list had no catch-all: `- service: http_status:404` was added after the new rule. */
      addedCatchAll: boolean;
    }
  | { error: string; reason: InsertRefusal; offer?: ConfigTextEdit };

export type InsertRemoteResult =
  | { config: JsonObject; index: number; addedCatchAll: boolean }
  | { error: string; reason: Exclude<InsertRefusal, 'yaml-syntax' | 'no-ingress' | 'url-origin'> };

const CATCH_ALL_SERVICE = 'http_status:404';

function normHost(h: string | undefined): string {
  return (h ?? '').trim().toLowerCase().replace(/\.$/, '');
}

/** Why the rule cannot be added at all (cloudflared's hostname and service checks). */
export function ruleProblem(rule: NewRule): string | undefined {
  const h = rule.hostname.trim();
  if (h === '' || h === '*') return 'The rule needs a hostname (the catch-all exists already or is added for you).';
  const chars = hostnameCharacterProblem(h);
  if (chars) return `${chars}: no request can carry it.`;
  if (/:\d*$/.test(h) && !h.startsWith('['))
    return `Hostname ${h} contains a port: cloudflared refuses that (use the hostname alone).`;
  const star = h.indexOf('*');
  if (star >= 0 && (star !== 0 || h.lastIndexOf('*') !== 0 || !h.startsWith('*.'))) {
    return `Hostname ${h} is not a valid wildcard: cloudflared allows one \`*\` only as the first label (\`*.example.com\`).`;
  }
  const parsed = parseService(rule.service, false);
  if (!parsed.ok) return parsed.error;
  return undefined;
}

/** Where the new rule goes: before the first rule that matches every request it would match. */
function placement(
  existing: ReadonlyArray<{ hostname?: string; path?: string }>,
  rule: NewRule,
): { duplicate?: number; before?: number } {
  const host = normHost(rule.hostname);
  const path = rule.path ?? '';
  for (let i = 0; i < existing.length; i++) {
    const e = existing[i]!;
    if (normHost(e.hostname) === host && (e.path ?? '') === path) return { duplicate: i };
  }
  for (let i = 0; i < existing.length; i++) {
    const e = existing[i]!;
    if (e.path) continue;
    const h = normHost(e.hostname);
    if (h === '' || h === '*' || hostnameMatches(h, host)) return { before: i };
  }
  return {};
}

function normalizeRule(rule: NewRule): NewRule {
  return { hostname: rule.hostname.trim(), service: rule.service.trim(), ...(rule.path ? { path: rule.path } : {}) };
}

function describeRule(rule: { hostname?: string; path?: string }): string {
  return `${rule.hostname ?? ''}${rule.path ? ` (path ${rule.path})` : ''}`;
}

// ── YAML text ───────────────────────────────────────────────────────────────────────────────

/** A scalar as yaml.v3 reads it back as the same string: plain when safe, else quoted. */
export function yamlScalar(value: string, quote: '"' | "'" = '"', flow = false): string {
  const plainSafe =
    value !== '' &&
    /^[A-Za-z0-9_./^$\\(]/.test(value) &&
    !/[\s]/.test(value) &&
    !value.endsWith(':') &&
    !(flow && /[,[\]{}]/.test(value)) &&
    !value.includes(' #') &&
    resolvePlain(value).tag === '!!str';
  if (plainSafe) return value;
  if (quote === "'") return `'${value.replace(/'/g, "''")}'`;
  return JSON.stringify(value);
}

function ruleLines(rule: NewRule, quote: '"' | "'"): string[] {
  const out = [`hostname: ${yamlScalar(rule.hostname, quote)}`];
  if (rule.path) out.push(`path: ${yamlScalar(rule.path, quote)}`);
  out.push(`service: ${yamlScalar(rule.service, quote)}`);
  return out;
}

function flowRule(rule: NewRule): string {
  const parts = [`hostname: ${JSON.stringify(rule.hostname)}`];
  if (rule.path) parts.push(`path: ${JSON.stringify(rule.path)}`);
  parts.push(`service: ${JSON.stringify(rule.service)}`);
  return `{${parts.join(', ')}}`;
}

/** A block sequence item: `- key: value` then the other keys aligned under the first. */
function blockItem(lines: string[], dashCol: number, keyGap: number, eol: string): string {
  const first = `${' '.repeat(dashCol)}-${' '.repeat(Math.max(1, keyGap - 1))}${lines[0]}`;
  const rest = lines.slice(1).map((l) => `${' '.repeat(dashCol + Math.max(2, keyGap))}${l}`);
  return [first, ...rest].join(eol);
}

function scalarString(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = (node as Scalar).value;
  return v === null || v === undefined ? undefined : String(v);
}

function pairNamed(map: YAMLMap, name: string): Pair | undefined {
  return map.items.find((p) => scalarString(p.key) === name) as Pair | undefined;
}

type Ranged = { range?: [number, number, number] | null };

/** Offset of the end of the line holding `offset` (before its line break). */
function lineEndAt(lines: LineMap, offset: number): number {
  const line = lines.position(offset).line;
  let end = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : lines.text.length;
  while (end > lines.lineStart(line) && (lines.text[end - 1] === '\n' || lines.text[end - 1] === '\r')) end--;
  return end;
}

/** The `-` introducing the block item that starts at `offset`, if only blanks separate them. */
function dashBefore(text: string, offset: number): number | undefined {
  let i = offset - 1;
  while (i >= 0 && /[ \t\r\n]/.test(text[i]!)) i--;
  return i >= 0 && text[i] === '-' ? i : undefined;
}

/** The quote style the file already uses for scalars in the list (double quotes by default). */
function quoteStyle(seq: YAMLSeq): '"' | "'" {
  for (const item of seq.items) {
    if (!isMap(item)) continue;
    for (const p of (item as YAMLMap).items) {
      const t = isScalar(p.value) ? (p.value as Scalar).type : undefined;
      if (t === 'QUOTE_SINGLE') return "'";
      if (t === 'QUOTE_DOUBLE') return '"';
    }
  }
  return '"';
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** The offer made when a config has no ingress list: one holding the rule and a catch-all. */
function addIngressOffer(
  text: string,
  lines: LineMap,
  root: YAMLMap | null,
  ingress: Pair | undefined,
  rule: NewRule,
): ConfigTextEdit | undefined {
  const eol = eolOf(text);
  const title = `Add an ingress list with a rule for ${rule.hostname} and a catch-all (http_status:404)`;
  const items = (col: number): string =>
    [blockItem(ruleLines(rule, '"'), col, 2, eol), blockItem([`service: ${CATCH_ALL_SERVICE}`], col, 2, eol)].join(eol);
  let edit: TextEdit;
  if (ingress) {
    const key = ingress.key as Ranged;
    if (!key.range) return undefined;
    const colon = text.indexOf(':', key.range[1]);
    if (colon < 0) return undefined;
    const value = ingress.value as Ranged | null;
    const written = value?.range ? text.slice(value.range[0], value.range[1]).trim() : '';
    const end = written === '' ? colon + 1 : Math.max(colon + 1, value!.range![1]);
    const keyCol = lines.position(key.range[0]).character;
    edit = { range: lines.range(colon + 1, end), newText: `${eol}${items(keyCol + 2)}` };
  } else if (root && root.flow) {
    return undefined;
  } else if (root && (root as Ranged).range && root.items.length > 0) {
    const r = (root as Ranged).range!;
    const keyCol = lines.position(r[0]).character;
    const at = lineEndAt(lines, Math.max(r[0], r[1] - 1));
    edit = { range: lines.range(at, at), newText: `${eol}${' '.repeat(keyCol)}ingress:${eol}${items(keyCol + 2)}` };
  } else {
    const at = text.length;
    const sep = text === '' || text.endsWith('\n') ? '' : eol;
    edit = { range: lines.range(at, at), newText: `${sep}ingress:${eol}${items(2)}${eol}` };
  }
  return { title, edits: [edit], text: applyOne(text, lines, edit) };
}

function applyOne(text: string, lines: LineMap, edit: TextEdit): string {
  return text.slice(0, lines.offset(edit.range.start)) + edit.newText + text.slice(lines.offset(edit.range.end));
}

/**
 * Inserts `rule` into the `ingress` list of a config.yaml: before the catch-all (more exactly,
 * before the first rule that would match every request the new rule matches, so it is never
 * shadowed), with the list's indentation, quote style and line endings; `*.` hostnames are
 * quoted (a plain `*` starts an alias). When the list has no catch-all the rule is appended and
 * `- service: http_status:404` added after it. Refuses a hostname+path that already has a rule,
 * and a config without an ingress list (then `offer` adds one with a catch-all).
 */
export function insertRuleInConfigText(configText: string, newRule: NewRule): InsertTextResult {
  const rule = normalizeRule(newRule);
  const problem = ruleProblem(rule);
  if (problem) return { error: problem, reason: 'invalid-rule' };
  const lines = new LineMap(configText);
  const loaded = loadYaml(configText, lines);
  if (loaded.errors.some((e) => e.code === 'yaml-syntax')) {
    return {
      error: `The config has YAML syntax errors (${loaded.errors[0]!.message}); fix them first.`,
      reason: 'yaml-syntax',
    };
  }
  const contents = loaded.doc?.contents ?? null;
  const empty = contents === null || isNull(contents as YNode);
  if (!empty && !isMap(contents)) return { error: 'The config is not a YAML mapping.', reason: 'not-a-mapping' };
  const root = empty ? null : (contents as YAMLMap);

  const url = root ? pairNamed(root, 'url') : undefined;
  const ingress = root ? pairNamed(root, 'ingress') : undefined;
  const seq = ingress && isSeq(ingress.value) ? (ingress.value as YAMLSeq) : undefined;
  if (!seq || seq.items.length === 0) {
    const hasItems = !!ingress && !isSeq(ingress.value) && !isNull(ingress.value as YNode | null);
    if (hasItems) return { error: '`ingress` is not a list.', reason: 'unsupported' };
    if (url && !isNull(url.value as YNode | null) && scalarString(url.value)) {
      return {
        error:
          'The config routes everything to its `url:` (the legacy single origin); cloudflared refuses `url` next to ingress rules. Replace `url:` with an ingress list first.',
        reason: 'url-origin',
      };
    }
    const offer = addIngressOffer(configText, lines, root, ingress, rule);
    return { error: 'The config has no ingress rules.', reason: 'no-ingress', ...(offer ? { offer } : {}) };
  }

  const existing: Array<{ hostname?: string; path?: string }> = [];
  for (const item of seq.items) {
    if (!isMap(item)) return { error: 'An ingress item is not a mapping; fix the list first.', reason: 'unsupported' };
    const map = item as YAMLMap;
    existing.push({
      hostname: scalarString(pairNamed(map, 'hostname')?.value),
      path: scalarString(pairNamed(map, 'path')?.value),
    });
  }
  const where = placement(existing, rule);
  if (where.duplicate !== undefined) {
    return {
      error: `Rule #${where.duplicate + 1} already serves ${describeRule(existing[where.duplicate]!)}.`,
      reason: 'duplicate',
    };
  }

  const eol = eolOf(configText);
  const items = seq.items as Ranged[];
  let edit: TextEdit;
  let index: number;
  let addedCatchAll = false;
  if (seq.flow) {
    if (where.before !== undefined) {
      const at = items[where.before]!.range?.[0];
      if (at === undefined) return { error: 'Cannot place the rule in this ingress list.', reason: 'unsupported' };
      edit = { range: lines.range(at, at), newText: `${flowRule(rule)}, ` };
      index = where.before;
    } else {
      const at = items[items.length - 1]!.range?.[1];
      if (at === undefined) return { error: 'Cannot place the rule in this ingress list.', reason: 'unsupported' };
      edit = {
        range: lines.range(at, at),
        newText: `, ${flowRule(rule)}, {service: ${JSON.stringify(CATCH_ALL_SERVICE)}}`,
      };
      index = items.length;
      addedCatchAll = true;
    }
  } else {
    const first = items[0]!.range;
    const firstDash = first ? dashBefore(configText, first[0]) : undefined;
    if (!first || firstDash === undefined)
      return { error: 'Cannot place the rule in this ingress list.', reason: 'unsupported' };
    const dashCol = lines.position(firstDash).character;
    const sameLine = lines.position(first[0]).line === lines.position(firstDash).line;
    const keyGap = sameLine ? lines.position(first[0]).character - dashCol : 2;
    const block = blockItem(ruleLines(rule, quoteStyle(seq)), dashCol, keyGap, eol);
    if (where.before !== undefined) {
      const target = items[where.before]!.range;
      const dash = target ? dashBefore(configText, target[0]) : undefined;
      if (!target || dash === undefined)
        return { error: 'Cannot place the rule in this ingress list.', reason: 'unsupported' };
      const dashPos = lines.position(dash);
      if (lines.text.slice(lines.lineStart(dashPos.line), dash).trim() !== '') {
        return { error: 'Cannot place the rule in this ingress list.', reason: 'unsupported' };
      }
      // Keep comments written just above the catch-all with it.
      const prevEnd = where.before > 0 ? items[where.before - 1]!.range : undefined;
      const floor = prevEnd ? lines.position(Math.max(prevEnd[0], prevEnd[1] - 1)).line + 1 : 0;
      let line = dashPos.line;
      while (line - 1 >= floor && /^\s*#/.test(lineText(lines, line - 1))) line--;
      const at = lines.lineStart(line);
      edit = { range: lines.range(at, at), newText: `${block}${eol}` };
      index = where.before;
    } else {
      const last = items[items.length - 1]!.range;
      if (!last) return { error: 'Cannot place the rule in this ingress list.', reason: 'unsupported' };
      const at = lineEndAt(lines, Math.max(last[0], last[1] - 1));
      edit = {
        range: lines.range(at, at),
        newText: `${eol}${block}${eol}${blockItem([`service: ${CATCH_ALL_SERVICE}`], dashCol, keyGap, eol)}`,
      };
      index = items.length;
      addedCatchAll = true;
    }
  }
  const text = applyOne(configText, lines, edit);
  if (loadYaml(text).errors.some((e) => e.code === 'yaml-syntax')) {
    return { error: 'Inserting the rule here would break the YAML; add it by hand.', reason: 'unsupported' };
  }
  return { text, edits: [edit], index, addedCatchAll };
}

function lineText(lines: LineMap, line: number): string {
  const start = lines.lineStart(line);
  const end = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : lines.text.length;
  return lines.text.slice(start, end);
}

// ── Remote configuration (the API's JSON) ───────────────────────────────────────────────────

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Inserts `rule` into a remote configuration (as `configurations.get` returns it, see
 * remoteConfigYaml.ts) with the same placement as `insertRuleInConfigText`. An absent or empty
 * ingress list becomes the rule plus a `http_status:404` catch-all; a list without a catch-all
 * gets one. Everything else in the configuration is kept as it is (a deep copy is returned).
 */
export function insertRuleInRemoteConfig(config: JsonObject, newRule: NewRule): InsertRemoteResult {
  const rule = normalizeRule(newRule);
  const problem = ruleProblem(rule);
  if (problem) return { error: problem, reason: 'invalid-rule' };
  if (!isObject(config)) return { error: 'The remote configuration is not an object.', reason: 'not-a-mapping' };
  const out = structuredClone(config);
  const ingress = out.ingress;
  const entry: JsonObject = {
    hostname: rule.hostname,
    ...(rule.path ? { path: rule.path } : {}),
    service: rule.service,
  };
  if (ingress === undefined || ingress === null || (Array.isArray(ingress) && ingress.length === 0)) {
    out.ingress = [entry, { service: CATCH_ALL_SERVICE }];
    return { config: out, index: 0, addedCatchAll: true };
  }
  if (!Array.isArray(ingress))
    return { error: "The remote configuration's ingress is not a list.", reason: 'unsupported' };
  if (!ingress.every(isObject))
    return { error: 'An ingress rule of the remote configuration is not an object.', reason: 'unsupported' };
  const existing = (ingress as JsonObject[]).map((r) => ({
    hostname: typeof r.hostname === 'string' ? r.hostname : undefined,
    path: typeof r.path === 'string' ? r.path : undefined,
  }));
  const where = placement(existing, rule);
  if (where.duplicate !== undefined) {
    return {
      error: `Rule #${where.duplicate + 1} already serves ${describeRule(existing[where.duplicate]!)}.`,
      reason: 'duplicate',
    };
  }
  const list = ingress as JsonObject[];
  if (where.before !== undefined) {
    list.splice(where.before, 0, entry);
    return { config: out, index: where.before, addedCatchAll: false };
  }
  list.push(entry, { service: CATCH_ALL_SERVICE });
  return { config: out, index: list.length - 2, addedCatchAll: true };
}

export interface RemoteUpdatePlan {
  /** The version read; `configurations.update` must only go ahead while it is still current. */
  version: number;
  config: JsonObject;
  index: number;
  addedCatchAll: boolean;
  /** Both sides of the diff preview, as YAML (durations as Go durations). */
  before: string;
  after: string;
}

/**
 * Read → insert → diff for a remotely-managed tunnel: the new configuration with the YAML of
 * both sides for a diff preview. The caller re-reads the version right before updating and
 * refuses when `remoteVersionConflict` says it moved.
 */
export function planRemoteInsert(
  state: { version: number; config: JsonObject },
  rule: NewRule,
): RemoteUpdatePlan | { error: string; reason: string } {
  const r = insertRuleInRemoteConfig(state.config ?? {}, rule);
  if ('error' in r) return r;
  return {
    version: state.version,
    config: r.config,
    index: r.index,
    addedCatchAll: r.addedCatchAll,
    before: remoteConfigToYaml(state.config ?? {}),
    after: remoteConfigToYaml(r.config),
  };
}

/** Why an update planned on `planned` must not be sent, when the configuration is now at `current`. */
export function remoteVersionConflict(planned: number, current: number): string | undefined {
  if (planned === current) return undefined;
  return `The remote configuration changed while you were editing (version ${planned} → ${current}). Reload it and apply your change again; nothing was overwritten.`;
}

// ── Clients of non-HTTP rules ───────────────────────────────────────────────────────────────

export type ClientProtocol = 'tcp' | 'ssh' | 'rdp' | 'smb';

export interface ClientCommand {
  protocol: ClientProtocol;
  /** The command a client runs (copyable). */
  command: string;
  /** SSH only: the `~/.ssh/config` entry that makes `ssh <hostname>` go through cloudflared. */
  sshConfig?: string;
  /** Where the client application then connects (`localhost:5432`); absent for SSH. */
  localAddress?: string;
  /** The hostname was a wildcard: `HOST` in the command stands for the name to reach. */
  placeholder?: boolean;
}

const CLIENT_PROTOCOLS: ReadonlySet<string> = new Set<ClientProtocol>(['tcp', 'ssh', 'rdp', 'smb']);
/** SMB's port 445 is taken by the client OS's own SMB server (Windows) or needs root: listen on 8445. */
const SMB_LOCAL_PORT = 8445;

function clientProtocol(serviceUrl: string): { protocol: ClientProtocol; port: number } | undefined {
  const parsed = parseURL(serviceUrl.trim());
  if (!parsed.ok) return undefined;
  const scheme = parsed.url.scheme as ClientProtocol;
  if (!CLIENT_PROTOCOLS.has(scheme) || urlHostname(parsed.url) === '') return undefined;
  const port = Number(urlPort(parsed.url) || ORIGIN_DEFAULT_PORTS[scheme]);
  return {
    protocol: scheme,
    port: Number.isInteger(port) && port > 0 && port < 65536 ? port : ORIGIN_DEFAULT_PORTS[scheme]!,
  };
}

/**
 * The client side of a public hostname whose rule serves `tcp://`, `ssh://`, `rdp://` or
 * `smb://`: a browser cannot open those, a client runs `cloudflared access` locally. Undefined
 * for HTTP services, keywords (`http_status`, `hello_world`, …) and rules without a hostname.
 */
export function clientCommand(hostname: string, serviceUrl: string): ClientCommand | undefined {
  const written = hostname.trim().replace(/\.$/, '');
  if (written === '' || written === '*') return undefined;
  const p = clientProtocol(serviceUrl);
  if (!p) return undefined;
  // Only a name a request can carry reaches the command and the ssh config (issue #16: a line
  // break would add a ProxyCommand); safeHostname's ASCII form needs no quoting in a shell or there.
  const safe = safeHostname(hostname);
  if (!safe.ok) return undefined;
  const host = safe.host;
  const placeholder = host.startsWith('*.');
  const target = placeholder ? `HOST${host.slice(1)}` : host;
  const more = placeholder ? { placeholder: true } : {};
  switch (p.protocol) {
    case 'ssh':
      return {
        protocol: 'ssh',
        command: `cloudflared access ssh --hostname ${target}`,
        sshConfig: `Host ${host}\n  ProxyCommand cloudflared access ssh --hostname %h`,
        ...more,
      };
    case 'rdp':
      return {
        protocol: 'rdp',
        command: `cloudflared access rdp --hostname ${target} --url localhost:3389`,
        localAddress: 'localhost:3389',
        ...more,
      };
    case 'smb':
      return {
        protocol: 'smb',
        command: `cloudflared access tcp --hostname ${target} --url localhost:${SMB_LOCAL_PORT}`,
        localAddress: `localhost:${SMB_LOCAL_PORT}`,
        ...more,
      };
    case 'tcp':
      return {
        protocol: 'tcp',
        command: `cloudflared access tcp --hostname ${target} --url localhost:${p.port}`,
        localAddress: `localhost:${p.port}`,
        ...more,
      };
  }
}

const WHAT: Record<ClientProtocol, string> = {
  tcp: 'raw TCP',
  ssh: 'SSH',
  rdp: 'Remote Desktop (RDP)',
  smb: 'SMB file sharing',
};

/**
 * Hover markdown for a rule (or a tree item) whose service a browser cannot open: what the
 * client runs. Undefined when the rule is an HTTP one or has no hostname.
 */
export function clientCommandHover(serviceUrl: string, hostname: string | undefined): string | undefined {
  if (!hostname) return undefined;
  const c = clientCommand(hostname, serviceUrl);
  if (!c) return undefined;
  const out: string[] = [
    `**${WHAT[c.protocol]} over the tunnel**: \`${hostname}\` cannot be opened in a browser. Each client runs \`cloudflared access\` on its own machine:`,
    '',
  ];
  if (c.protocol === 'ssh') {
    out.push(
      'Add to `~/.ssh/config`:',
      '',
      '```',
      c.sshConfig!,
      '```',
      '',
      `then \`ssh ${c.placeholder ? `<name>${hostname.slice(1)}` : hostname}\`.`,
    );
  } else {
    out.push('```sh', c.command, '```', '');
    if (c.protocol === 'rdp') out.push(`then point the Remote Desktop client at \`${c.localAddress}\`.`);
    else if (c.protocol === 'smb')
      out.push(
        `then connect to \`smb://${c.localAddress}\` (not 445: the client's own SMB server holds that port, and ports below 1024 need root).`,
      );
    else out.push(`then connect the client application to \`${c.localAddress}\`.`);
  }
  if (c.placeholder) out.push('', `\`HOST\` stands for the name under \`${hostname.slice(2)}\` to reach.`);
  return out.join('\n');
}
