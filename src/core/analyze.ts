/**
 * Entry point shared by the language server and the CLI: what kind of YAML file is this, and
 * what is wrong with it. Standalone cloudflared configs are checked whole; cloudflared configs
 * embedded in a ConfigMap are checked with positions mapped back into the ConfigMap.
 */
import { isMap, isScalar } from 'yaml';
import type { Document, Scalar, YAMLMap } from 'yaml';
import { checkConfigDocument, checkConfigText, checkLoadedConfig } from './config/check';
import { FLAG_KEYS, PLAIN_FLAGS, STRUCTURED_KEYS } from './config/schema';
import type { ConfigModel } from './config/model';
import { LineMap } from './text';
import type { Diagnostic, Fix, Position, Range } from './types';
import { lintManifests } from './k8s/manifest';
import { loadYaml, mapEntries } from './yaml/load';

export type FileKind = 'cloudflared-config' | 'manifest' | 'other';

export interface EmbeddedConfig {
  configMap: string;
  key: string;
  model: ConfigModel | null;
}

export interface FileAnalysis {
  kind: FileKind;
  diagnostics: Diagnostic[];
  /** The standalone config's model, for features such as hover and matching. */
  model?: ConfigModel | null;
  embedded: EmbeddedConfig[];
}

/** Keys only cloudflared configs have: one of them, with nothing foreign beside it, is enough. */
const DISTINCTIVE_KEYS = ['tunnel', 'credentials-file', 'credentials-contents', 'origincert', 'warp-routing', 'originRequest', 'no-autoupdate', 'proxy-dns', 'proxy-dns-upstream'];

/** A path that names a cloudflared config: `…/cloudflared/…`, `.cloudflared/`, `cloudflared*.yml`. */
export function looksLikeConfigPath(path: string | undefined): boolean {
  return path !== undefined && /(^|[/\\._-])cloudflared/i.test(path);
}

/**
 * A top-level mapping is a cloudflared config when it has `ingress`, or `tunnel` with
 * `credentials-file`. A mapping whose keys are all cloudflared keys is one too when it has a key
 * only cloudflared uses, or when its path says cloudflared (configs such as `url:` + `hostname:`).
 */
export function looksLikeConfigKeys(keys: Set<string>, path?: string): boolean {
  if (keys.has('ingress') || (keys.has('tunnel') && keys.has('credentials-file'))) return true;
  if (keys.size === 0 || ![...keys].every(isCloudflaredKey)) return false;
  return DISTINCTIVE_KEYS.some((k) => keys.has(k)) || looksLikeConfigPath(path);
}

/**
 * A linear scan that rules out most YAML files (CI workflows, compose files, app settings)
 * before any parsing: no top-level key a cloudflared config could start with, and no `kind:`.
 */
const RELEVANT_LINE = /^(?:ingress|tunnel|credentials-file|credentials-contents|origincert|warp-routing|originRequest|no-autoupdate|proxy-dns[\w-]*|url|hostname|kind)[ \t]*:|^[ \t]+kind[ \t]*:/m;

function mayBeRelevant(text: string, path: string | undefined): boolean {
  return RELEVANT_LINE.test(text) || looksLikeConfigPath(path);
}

function isCloudflaredKey(key: string): boolean {
  return key in FLAG_KEYS || key in STRUCTURED_KEYS || PLAIN_FLAGS.includes(key);
}

/** Cheap textual pre-check, also used when the YAML does not parse. */
export function looksLikeConfigText(text: string): boolean {
  return /^ingress\s*:/m.test(text) || (/^tunnel\s*:/m.test(text) && /^credentials-file\s*:/m.test(text));
}

/** Analyses one YAML file. `path` (optional) helps recognise configs that have no ingress rules. */
export function analyzeText(text: string, path?: string): FileAnalysis {
  if (!mayBeRelevant(text, path)) return { kind: 'other', diagnostics: [], embedded: [] };

  const lines = new LineMap(text);
  const loaded = loadYaml(text, lines);
  const doc = loaded.doc;
  const rootKeys = doc && isMap(doc.contents) ? new Set(mapEntries(doc, doc.contents as YAMLMap).map((e) => e.name)) : null;

  if (rootKeys ? looksLikeConfigKeys(rootKeys, path) : looksLikeConfigText(text)) {
    const result = checkLoadedConfig(loaded);
    return { kind: 'cloudflared-config', diagnostics: result.diagnostics, model: result.model, embedded: [] };
  }
  if (!text.includes('kind')) return { kind: 'other', diagnostics: [], embedded: [] };

  const all = loaded.docs;
  const isManifest = all.some((d) => isMap(d.contents) && (d.contents as YAMLMap).has('apiVersion') && (d.contents as YAMLMap).has('kind'));
  if (!isManifest) return { kind: 'other', diagnostics: [], embedded: [] };

  const diagnostics: Diagnostic[] = [];
  const embedded: EmbeddedConfig[] = [];
  for (const d of all) {
    for (const found of embeddedConfigs(d)) {
      const mapped = checkEmbedded(found.value, lines);
      embedded.push({ configMap: found.configMap, key: found.key, model: mapped.model });
      diagnostics.push(...mapped.diagnostics);
    }
  }
  diagnostics.push(...lintManifests(all, lines));
  return { kind: 'manifest', diagnostics, embedded };
}

interface FoundEmbedded {
  configMap: string;
  key: string;
  value: Scalar;
}

/** The `data` entries of a ConfigMap document whose key ends in .yaml/.yml and whose content is a cloudflared config. */
export function embeddedConfigs(doc: Document.Parsed): FoundEmbedded[] {
  const root = doc.contents;
  if (!isMap(root)) return [];
  const map = root as YAMLMap;
  if (String(map.get('kind')) !== 'ConfigMap') return [];
  const metadata = map.get('metadata');
  const name = isMap(metadata) ? String((metadata as YAMLMap).get('name') ?? '') : '';
  const data = map.get('data', true);
  if (!isMap(data)) return [];
  const out: FoundEmbedded[] = [];
  for (const pair of (data as YAMLMap).items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!/\.ya?ml$/.test(key) || !isScalar(pair.value)) continue;
    const content = String(pair.value.value);
    if (!looksLikeConfigText(content)) continue;
    out.push({ configMap: name, key, value: pair.value as Scalar });
  }
  return out;
}

/** Checks an embedded config and maps its ranges into the host file. */
function checkEmbedded(value: Scalar, hostLines: LineMap): { diagnostics: Diagnostic[]; model: ConfigModel | null } {
  const content = String(value.value);
  const inner = checkConfigText(content);
  const mapper = blockScalarMapper(value, content, hostLines);
  const diagnostics = inner.diagnostics.map((d) => mapDiagnostic(d, mapper, hostLines, value));
  return { diagnostics, model: inner.model };
}

type PositionMapper = ((p: Position) => Position) | null;

/**
 * For a literal block scalar (`|`, `|-`, `|+`), line k of the content is line start+k of the
 * host shifted by the block's indentation. Other styles get no exact mapping (null).
 */
export function blockScalarMapper(value: Scalar, content: string, hostLines: LineMap): PositionMapper {
  if (value.type !== 'BLOCK_LITERAL' || !value.range) return null;
  const headerLine = hostLines.position(value.range[0]).line;
  const contentLines = content.split('\n');
  const firstContent = headerLine + 1;
  let indent = -1;
  for (let l = headerLine + 1; l < hostLines.lineCount; l++) {
    const lineText = lineAt(hostLines, l);
    if (lineText.trim() === '') continue;
    indent = lineText.length - lineText.trimStart().length;
    break;
  }
  if (indent < 0) return null;
  // The content's first line is the first host line after the header (blank leading lines are kept).
  for (let k = 0; k < contentLines.length; k++) {
    const expected = contentLines[k]!;
    if (expected === '') continue;
    if (lineAt(hostLines, firstContent + k).slice(indent) !== expected) return null;
  }
  return (p) => ({ line: firstContent + p.line, character: indent + p.character });
}

function lineAt(lines: LineMap, line: number): string {
  const start = lines.lineStart(line);
  const end = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : lines.text.length;
  return lines.text.slice(start, end).replace(/\r?\n$/, '');
}

function mapDiagnostic(d: Diagnostic, mapper: PositionMapper, hostLines: LineMap, value: Scalar): Diagnostic {
  if (mapper) {
    const mapRange = (r: Range): Range => ({ start: mapper(r.start), end: mapper(r.end) });
    const fixes = d.fixes?.map((f): Fix => ({ ...f, edits: f.edits.map((e) => ({ ...e, range: mapRange(e.range) })) }));
    return { ...d, range: mapRange(d.range), ...(fixes ? { fixes } : {}) };
  }
  const r = value.range!;
  const { fixes: _dropped, ...rest } = d;
  return { ...rest, range: hostLines.range(r[0], r[1]) };
}

/**
 * A file's own diagnostics plus what the workspace model finds across files. Where the
 * workspace knows more about the same spot (a raw IP that is a known Service's ClusterIP), its
 * finding replaces the single-file one.
 */
export function withCrossFile(own: Diagnostic[], crossFile: Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic): string => `${d.range.start.line}:${d.range.start.character}:${d.range.end.line}:${d.range.end.character}`;
  const clusterIps = new Set(crossFile.filter((d) => d.code === 'service-cluster-ip').map(key));
  return [...own.filter((d) => !(d.code === 'service-raw-ip' && clusterIps.has(key(d)))), ...crossFile];
}

/** Re-exported for callers that already hold a parsed document. */
export { checkConfigDocument };
