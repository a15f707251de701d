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
import { LineMap, yamlLineBreaks } from './text';
import { sizeBudgetNote } from './budgets';
import type { Diagnostic, Fix, Position, Range } from './types';
import { lintManifestDocument } from './kubernetes/manifest';
import { loadDocuments, loadYaml, mapEntries, syntaxError } from './yaml/load';
import type { ParsedTextSource } from './yaml/parsed';
import { mayReuseNodes } from './yaml/incremental';
import { isProjectConfigPath, parseProjectConfig } from './project/config';

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
const DISTINCTIVE_KEYS = [
  'tunnel',
  'credentials-file',
  'credentials-contents',
  'origincert',
  'warp-routing',
  'originRequest',
  'no-autoupdate',
  'proxy-dns',
  'proxy-dns-upstream',
];

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
const RELEVANT_LINE =
  /^(?:ingress|tunnel|credentials-file|credentials-contents|origincert|warp-routing|originRequest|no-autoupdate|proxy-dns[\w-]*|url|hostname|kind)[ \t]*:|^[ \t]+kind[ \t]*:/m;

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

export interface AnalyzeOptions {
  /**
   * A remote (dashboard-managed) configuration document (`cftunnel-remote:`): always a
   * cloudflared configuration, in the API's schema, and never a template.
   */
  remote?: boolean;
  /**
   * The text's parse when the caller already has it, or makes it incrementally (the language
   * server: one parse per document version, shared with the workspace index); parsed here otherwise.
   */
  parsed?: ParsedTextSource;
}

/** Analyses one YAML file. `path` (optional) helps recognise configs that have no ingress rules. */
export function analyzeText(written: string, path?: string, options: AnalyzeOptions = {}): FileAnalysis {
  const tooLarge = sizeBudgetNote(written);
  if (tooLarge) return { kind: 'other', diagnostics: [tooLarge], embedded: [] };
  // Lone CRs read as LF: same offsets and positions (LineMap counts both), so nothing maps back.
  const text = yamlLineBreaks(written);
  if (isProjectConfigPath(path))
    return { kind: 'other', diagnostics: parseProjectConfig(text, path).problems, embedded: [] };
  if (options.remote) {
    const result = checkLoadedConfig(loadYaml(text, new LineMap(text)), { remote: true });
    return { kind: 'cloudflared-config', diagnostics: result.diagnostics, model: result.model, embedded: [] };
  }
  if (!mayBeRelevant(text, path)) return { kind: 'other', diagnostics: [], embedded: [] };

  const parsed = options.parsed?.();
  const lines = parsed?.lines ?? new LineMap(text);
  const loaded = parsed ? loadDocuments(parsed.docs, lines) : loadYaml(text, lines);
  const doc = loaded.doc;
  const root = doc && isMap(doc.contents) ? (doc.contents as YAMLMap) : null;
  const rootKeys = doc && root ? new Set(mapEntries(doc, root).map((e) => e.name)) : null;
  const template = templateKind(text);

  if (
    !isChartValues(path) &&
    (rootKeys ? looksLikeConfigKeys(configKeys(rootKeys, doc!, root!, path), path) : looksLikeConfigText(text))
  ) {
    if (template === 'helm' && loaded.errors.some((e) => e.code === 'yaml-syntax')) {
      return { kind: 'cloudflared-config', diagnostics: [templateNotChecked(text, lines)], model: null, embedded: [] };
    }
    const result = checkLoadedConfig(loaded);
    const diagnostics = template ? withoutPlaceholderFindings(result.diagnostics, text, lines) : result.diagnostics;
    return { kind: 'cloudflared-config', diagnostics, model: result.model, embedded: [] };
  }
  if (!text.includes('kind')) return { kind: 'other', diagnostics: [], embedded: [] };

  const all = loaded.docs;
  const broken = all.map((d) => syntaxError(d, lines));
  const isManifest =
    all.some(
      (d, i) =>
        !broken[i] &&
        isMap(d.contents) &&
        (d.contents as YAMLMap).has('apiVersion') &&
        (d.contents as YAMLMap).has('kind'),
    ) ||
    (broken.some(Boolean) && /^apiVersion[ \t]*:/m.test(text) && /^kind[ \t]*:/m.test(text));
  if (!isManifest) return { kind: 'other', diagnostics: [], embedded: [] };

  const diagnostics: Diagnostic[] = [];
  const embedded: EmbeddedConfig[] = [];
  const intact: Document.Parsed[] = [];
  let templateNoted = false;
  all.forEach((d, i) => {
    const error = broken[i];
    if (!error) {
      intact.push(d);
      return;
    }
    // kubectl refuses the file; what the rest of a half-parsed document seems to say is not reported.
    // A Helm template is not YAML until rendered, and kustomizations are the workspace's to report.
    if (template === 'helm') {
      if (!templateNoted) diagnostics.push(templateNotChecked(text, lines));
      templateNoted = true;
    } else if (!isKustomization(text, path)) {
      diagnostics.push(error);
    }
  });
  const parts = intact.map((d) => manifestDocument(d, lines, template !== null));
  for (const part of parts) {
    embedded.push(...part.embedded);
    diagnostics.push(...part.configs);
  }
  for (const part of parts) diagnostics.push(...part.containers);
  for (const part of parts) diagnostics.push(...part.secrets);
  return { kind: 'manifest', diagnostics, embedded };
}

interface ManifestPart {
  line: number;
  template: boolean;
  embedded: EmbeddedConfig[];
  configs: Diagnostic[];
  containers: Diagnostic[];
  secrets: Diagnostic[];
}

/**
 * One manifest document's findings (its embedded configs', its containers', its secrets'), kept per
 * document node: an incremental parse (yaml/incremental.ts) hands back the same document for one
 * whose text did not change, so an edit re-checks the documents it touched. Findings carry line
 * numbers in their words and fixes, so they are reused where the document still starts on the same
 * line, or when there are none.
 */
const manifestParts = new WeakMap<Document.Parsed, ManifestPart>();

function manifestDocument(doc: Document.Parsed, lines: LineMap, template: boolean): ManifestPart {
  if (!mayReuseNodes(doc)) return manifestPart(doc, lines, template, 0);
  const line = lines.position(doc.range[0]).line;
  const hit = manifestParts.get(doc);
  const quiet = (p: ManifestPart): boolean =>
    p.configs.length === 0 && p.containers.length === 0 && p.secrets.length === 0 && p.embedded.length === 0;
  if (hit && hit.template === template && (hit.line === line || quiet(hit))) return hit;
  const part = manifestPart(doc, lines, template, line);
  manifestParts.set(doc, part);
  return part;
}

function manifestPart(doc: Document.Parsed, lines: LineMap, template: boolean, line: number): ManifestPart {
  const part: ManifestPart = { line, template, embedded: [], configs: [], ...lintManifestDocument(doc, lines) };
  for (const found of embeddedConfigs(doc)) {
    const mapped = checkEmbedded(found.value, lines, template);
    part.embedded.push({ configMap: found.configMap, key: found.key, model: mapped.model });
    part.configs.push(...mapped.diagnostics);
  }
  return part;
}

/**
 * A chart's values (`values.yaml`, `values-prod.yaml`, `cloudflared-values.yml`) is never a
 * cloudflared config, even with `ingress:` and `tunnel:` keys. (A chart's templates are Helm
 * templates, recognised by their `{{ … }}`.)
 */
export function isChartValues(path: string | undefined): boolean {
  if (!path) return false;
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  return /(^|[._-])values([._-][^/]*)?\.ya?ml$/i.test(base);
}

function isKustomization(text: string, path: string | undefined): boolean {
  return (
    /(^|[/\\])(kustomization\.ya?ml|Kustomization)$/.test(path ?? '') ||
    /^kind[ \t]*:[ \t]*["']?(Kustomization|Component)\b/m.test(text)
  );
}

/**
 * The root keys that count for recognising a config: an `ingress:` that is a mapping (a chart's
 * `ingress: {enabled, hosts}`, a values file's) is not cloudflared's list of rules, unless the path
 * says cloudflared.
 */
function configKeys(keys: Set<string>, doc: Document.Parsed, root: YAMLMap, path: string | undefined): Set<string> {
  if (!keys.has('ingress') || looksLikeConfigPath(path)) return keys;
  const ingress = mapEntries(doc, root).find((e) => e.name === 'ingress');
  if (!ingress || !isMap(ingress.value)) return keys;
  const out = new Set(keys);
  out.delete('ingress');
  out.add('ingress (a mapping)');
  return out;
}

/**
 * Template placeholders: envsubst / Flux post-build `${VAR}` (`${VAR:=default}`, `${VAR:-x}`) and
 * Helm / Go template actions `{{ … }}`. Their values are not known until the template is rendered.
 */
const PLACEHOLDER = /\$\{[A-Za-z_][A-Za-z0-9_]*(?:[:?=+-][^}\n]*)?\}|\{\{[^\n]*?\}\}/g;

export type TemplateKind = 'helm' | 'envsubst';

/** Whether a file is a template, and which kind: Helm when it has `{{ … }}` actions. */
export function templateKind(text: string): TemplateKind | null {
  if (/\{\{[^\n]*?\}\}/.test(text)) return 'helm';
  if (/\$\{[A-Za-z_][A-Za-z0-9_]*(?:[:?=+-][^}\n]*)?\}/.test(text)) return 'envsubst';
  return null;
}

/** What a template's substitution cannot change: these findings stand even on placeholder text. */
const TEMPLATE_PROOF = new Set([
  'duplicate-key',
  'unknown-key',
  'unknown-top-level-key',
  'rule-shadowed',
  'flag-not-in-file',
  'legacy-origin-key',
]);

/**
 * Drops the findings about text that holds a placeholder: `tunnel: ${TUNNEL_ID}`,
 * `service: http://{{ .Values.host }}:80`, `hostname: ${DOMAIN}` are whatever the template
 * renders, so the product says nothing about them. A last rule whose hostname has text besides the
 * placeholders (`app.${DOMAIN}`) can never render as a catch-all, so that error stays.
 */
export function withoutPlaceholderFindings(diagnostics: Diagnostic[], text: string, lines: LineMap): Diagnostic[] {
  const spans: Range[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) spans.push(lines.range(m.index!, m.index! + m[0].length));
  if (spans.length === 0) return diagnostics;
  return diagnostics.filter((d) => {
    if (TEMPLATE_PROOF.has(d.code)) return true;
    if (!spans.some((s) => overlaps(s, d.range))) return true;
    if (d.code === 'last-rule-not-catch-all') {
      const covered = lines.text.slice(lines.offset(d.range.start), lines.offset(d.range.end));
      return !/^["']?\*?["']?$/.test(covered.replace(PLACEHOLDER, ''));
    }
    return false;
  });
}

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Position, q: Position): boolean =>
    p.line < q.line || (p.line === q.line && p.character < q.character);
  // Touching counts: a zero-width diagnostic at a placeholder's edge is about it.
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/** Said once for a Helm template whose YAML does not parse before rendering. */
function templateNotChecked(text: string, lines: LineMap): Diagnostic {
  const at = Math.max(0, text.search(/\{\{/));
  const end = text.indexOf('}}', at);
  return {
    code: 'template-not-checked',
    severity: 'information',
    message:
      'This file is a Helm template: it is not YAML until Helm renders it, so it is not checked. Check what `helm template` renders instead.',
    range: lines.range(at, end >= 0 ? end + 2 : at + 2),
  };
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
function checkEmbedded(
  value: Scalar,
  hostLines: LineMap,
  template: boolean,
): { diagnostics: Diagnostic[]; model: ConfigModel | null } {
  const content = String(value.value);
  const inner = checkConfigText(content);
  const mapper = blockScalarMapper(value, content, hostLines);
  const own = template
    ? withoutPlaceholderFindings(inner.diagnostics, content, new LineMap(content))
    : inner.diagnostics;
  const diagnostics = own.map((d) => mapDiagnostic(d, mapper, hostLines, value));
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
  const key = (d: Diagnostic): string =>
    `${d.range.start.line}:${d.range.start.character}:${d.range.end.line}:${d.range.end.character}`;
  const clusterIps = new Set(crossFile.filter((d) => d.code === 'service-cluster-ip').map(key));
  return [...own.filter((d) => !(d.code === 'service-raw-ip' && clusterIps.has(key(d)))), ...crossFile];
}

/** Re-exported for callers that already hold a parsed document. */
export { checkConfigDocument };
