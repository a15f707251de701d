/**
 * Plain data types shared by every layer. The core never imports the LSP runtime, so it
 * carries its own small Range/Diagnostic shapes; src/server/convert.ts maps them to LSP.
 * Lines and characters are 0-based, characters count UTF-16 code units (as LSP does).
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A text replacement in the analysed document. Offsets are UTF-16 code-unit offsets. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** A file a fix writes next to the document (e.g. a git-ignored secret input). */
export interface FileToWrite {
  /** Relative to the folder of the document being fixed. */
  path: string;
  content: string;
  /** Add the file to the folder's .gitignore (it holds a secret). */
  gitignore?: boolean;
  /**
   * Append instead of create: `content` is one line (ending in "\n") added to the file when the
   * file does not hold that line yet; the file is created with it when it does not exist.
   * E.g. `{ path: '.gitignore', content: 'credentials.json\n', append: true }`.
   */
  append?: boolean;
}

/** Fixes the editor carries out: `add-network-policy` (folder, namespace, pod labels as JSON). */
export type FixCommandKind = 'add-network-policy';

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Files to create (never overwritten when they exist), or to add one line to (`append`). */
  files?: FileToWrite[];
  /** The fix a user would most likely want; `cftunnel check --fix` applies only preferred fixes. */
  isPreferred?: boolean;
  /**
   * An editor command to run (after the edits): fixes that need a dialog or the cluster. The core
   * names the kind; the server maps it to the extension's command id (src/shared/commands.ts).
   * The CLI never runs it.
   */
  command?: { kind: FixCommandKind; arguments?: string[] };
}

export interface Diagnostic {
  /** Stable identifier, e.g. `catch-all-not-last`. Documented in docs/DIAGNOSTICS.md. */
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Quick fixes computed together with the diagnostic. */
  fixes?: Fix[];
}

export const SEVERITY_ORDER: Record<Severity, number> = {
  error: 0,
  warning: 1,
  information: 2,
  hint: 3,
};
