/**
 * Completion in cloudflared configs: the keys cloudflared reads in the mapping at the cursor
 * (never one the mapping already has), and values with a fixed set (service schemes and
 * keywords, protocol, loglevel, proxyType, booleans).
 */
import { resolvePlain } from '../go/yamlv3';
import { yamlCursor } from '../yaml/path';
import type { YamlCursor } from '../yaml/path';
import type { FileKind } from '../analyze';
import { configTextAt, hoverMarkdown, keyInfo, keysAt } from './hover';
import type { KeyInfo } from './hover';
import { SERVICE_KEYWORDS, SERVICE_SCHEMES } from './schema';

export interface ConfigCompletion {
  label: string;
  kind: 'key' | 'value';
  /** Go type of a key. */
  detail?: string;
  /** Markdown. */
  documentation?: string;
  insertText: string;
  /** Offsets of the text the completion replaces. */
  start: number;
  end: number;
  sortText: string;
}

/** Completions at `offset` in a cloudflared config (or in a ConfigMap's embedded one). */
export function configCompletions(
  text: string,
  offset: number,
  kind: FileKind = 'cloudflared-config',
): ConfigCompletion[] {
  const target = configTextAt(text, offset, kind);
  const cursor = target && yamlCursor(target.text, target.offset);
  if (!target || !cursor || cursor.document !== 0) return [];
  // Indentation of inserted lines counts in the file (an embedded config sits indented in it).
  const start = target.toHost(cursor.start);
  const column = start - (text.lastIndexOf('\n', start - 1) + 1);
  const items = cursor.on === 'key' ? keyCompletions(target.text, cursor, column) : valueCompletions(cursor);
  return items.map((c) => ({ ...c, start: target.toHost(c.start), end: target.toHost(c.end) }));
}

function keyCompletions(text: string, cursor: YamlCursor, column: number): ConfigCompletion[] {
  const keys = keysAt(cursor.path.slice(0, -1));
  if (!keys || cursor.quoted) return [];
  const present = new Set(cursor.siblings);
  const hasColon = /^[ \t]*:/.test(text.slice(cursor.end));
  return keys
    .filter((k) => !k.obscure && !present.has(k.name))
    .map((k, i) => ({
      label: k.name,
      kind: 'key' as const,
      ...(k.goType ? { detail: k.goType } : {}),
      documentation: hoverMarkdown(k),
      insertText: hasColon ? k.name : k.name + valueStart(k, column),
      start: cursor.start,
      end: cursor.end,
      sortText: String(i).padStart(3, '0'),
    }));
}

/** What follows a completed key: `: ` for a scalar, a new indented line for a mapping or a list. */
function valueStart(k: KeyInfo, column: number): string {
  const indent = ' '.repeat(column + 2);
  if (k.shape === 'mapping') return `:\n${indent}`;
  if (k.shape === 'sequence') return `:\n${indent}- `;
  return ': ';
}

function valueCompletions(cursor: YamlCursor): ConfigCompletion[] {
  const { path } = cursor;
  const isService = path.length === 3 && path[0] === 'ingress' && path[2] === 'service';
  const info = keyInfo(path);
  const values = isService ? [...SERVICE_SCHEMES, ...SERVICE_KEYWORDS] : info?.values;
  if (!info || !values) return [];
  return values.map((v, i) => ({
    label: v === '' ? '""' : v,
    kind: 'value' as const,
    insertText: cursor.quoted || info.goType !== 'string' || resolvePlain(v).tag === '!!str' ? v : JSON.stringify(v),
    start: cursor.start,
    end: cursor.end,
    sortText: String(i).padStart(3, '0'),
  }));
}
