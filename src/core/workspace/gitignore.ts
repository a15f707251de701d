/**
 * A small .gitignore matcher, correct for what a workspace holds (gitignore(5)): comments, blank
 * lines, trailing spaces, `\` escapes, `!` negation, `/`-anchoring (a slash at the start or in the
 * middle), a trailing `/` for directories, `*`, `?`, `[...]` and `**` (`**\/x`, `x/**`, `a/**\/b`).
 * Deeper .gitignore files win over higher ones; in one file the last matching pattern wins; a file
 * inside an ignored directory stays ignored whatever a later `!` says (git does not descend there).
 * Not covered: .git/info/exclude and the global core.excludesFile.
 */

export interface IgnoreRule {
  regex: RegExp;
  negate: boolean;
  dirOnly: boolean;
  /** Matched against the whole path relative to the .gitignore (else: the base name only). */
  anchored: boolean;
}

/** One .gitignore file: its folder (POSIX, no trailing slash) and its rules in file order. */
export interface IgnoreFile {
  dir: string;
  rules: IgnoreRule[];
}

export function parseGitignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split('\n')) {
    const rule = parseLine(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    if (rule) rules.push(rule);
  }
  return rules;
}

function parseLine(line: string): IgnoreRule | undefined {
  if (line === '' || line.startsWith('#')) return undefined;
  let p = trimTrailingSpaces(line);
  let negate = false;
  if (p.startsWith('!')) {
    negate = true;
    p = p.slice(1);
  }
  let dirOnly = false;
  if (p.endsWith('/') && !p.endsWith('\\/')) {
    dirOnly = true;
    p = p.replace(/\/+$/, '');
  }
  if (p === '') return undefined;
  const anchored = p.slice(0, -1).includes('/') || p.startsWith('/');
  if (p.startsWith('/')) p = p.slice(1);
  const source = globToRegex(p);
  if (source === undefined) return undefined;
  return { regex: new RegExp(`^${source}$`), negate, dirOnly, anchored };
}

/** Trailing spaces are dropped unless escaped with a backslash. */
function trimTrailingSpaces(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === ' ' && s[end - 2] !== '\\') end--;
  return s.slice(0, end);
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

/** A glob pattern (no leading slash) as a regular expression source. */
function globToRegex(p: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < p.length) {
    const c = p[i]!;
    if (c === '*') {
      if (p[i + 1] === '*') {
        const atStart = i === 0 || p[i - 1] === '/';
        const atEnd = i + 2 === p.length || p[i + 2] === '/';
        if (atStart && atEnd) {
          if (i + 2 === p.length) {
            out += '.*'; // `x/**`: everything inside (the slash is already written)
            i += 2;
          } else {
            out += '(?:.*/)?'; // `**/x` and `a/**/b`: zero or more folders
            i += 3;
          }
          continue;
        }
        // Other consecutive asterisks are ordinary asterisks.
        while (p[i] === '*') i++;
        out += '[^/]*';
        continue;
      }
      out += '[^/]*';
      i++;
    } else if (c === '?') {
      out += '[^/]';
      i++;
    } else if (c === '[') {
      const cls = charClass(p, i);
      if (!cls) {
        out += '\\[';
        i++;
        continue;
      }
      out += cls.source;
      i = cls.end;
    } else if (c === '\\') {
      if (i + 1 >= p.length) return undefined; // a trailing backslash is an invalid pattern
      out += p[i + 1]!.replace(REGEX_SPECIAL, '\\$&');
      i += 2;
    } else {
      out += c.replace(REGEX_SPECIAL, '\\$&');
      i++;
    }
  }
  return out;
}

/** `[...]` starting at `start`: `!` or `^` negates, `]` first is literal, ranges kept; never matches `/`. */
function charClass(p: string, start: number): { source: string; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (p[i] === '!' || p[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  let first = true;
  while (i < p.length && (p[i] !== ']' || first)) {
    const c = p[i]!;
    if (c === '\\' && i + 1 < p.length) {
      body += `\\${p[i + 1]}`;
      i += 2;
    } else {
      body += c === '\\' || c === ']' || c === '[' || c === '^' ? `\\${c}` : c;
      i++;
    }
    first = false;
  }
  if (i >= p.length) return undefined;
  return { source: negate ? `[^/${body}]` : `[${body}]`, end: i + 1 };
}

/** The verdict of the files for one path: true (ignored), false (re-included) or undefined (no rule). */
function verdict(path: string, isDir: boolean, files: IgnoreFile[]): boolean | undefined {
  for (let f = files.length - 1; f >= 0; f--) {
    const file = files[f]!;
    const prefix = file.dir === '/' ? '/' : `${file.dir}/`;
    if (!path.startsWith(prefix)) continue;
    const rel = path.slice(prefix.length);
    const base = rel.slice(rel.lastIndexOf('/') + 1);
    for (let r = file.rules.length - 1; r >= 0; r--) {
      const rule = file.rules[r]!;
      if (rule.dirOnly && !isDir) continue;
      if (rule.regex.test(rule.anchored ? rel : base)) return !rule.negate;
    }
  }
  return undefined;
}

/**
 * Whether git ignores `path` (a file, absolute POSIX) inside the repository at `root`, given the
 * .gitignore files between `root` and the file's folder (any order).
 */
export function isIgnored(path: string, root: string, files: IgnoreFile[]): boolean {
  const sorted = [...files].sort((a, b) => a.dir.length - b.dir.length);
  const prefix = root === '/' ? '/' : `${root}/`;
  if (!path.startsWith(prefix)) return false;
  const parts = path.slice(prefix.length).split('/');
  let current = root === '/' ? '' : root;
  for (let i = 0; i < parts.length - 1; i++) {
    current += `/${parts[i]}`;
    if (verdict(current, true, sorted) === true) return true;
  }
  return verdict(path, false, sorted) === true;
}

// ── Adding an entry ───────────────────────────────────────────────────────────────────────────

/**
 * A literal path as a gitignore pattern that matches exactly that path (gitignore(5)): a leading `/`
 * anchors it and is kept; `\`, `*`, `?` and `[` are escaped, and so are a leading `#` or `!` and
 * trailing spaces. Throws for a name no .gitignore line can hold (a line break in it).
 */
export function gitignorePattern(path: string): string {
  if (/[\n]|\r$/.test(path))
    throw new Error(`${JSON.stringify(path)} cannot be listed in a .gitignore (a line break in its name)`);
  const anchored = path.startsWith('/');
  let body = (anchored ? path.slice(1) : path).replace(/[\\*?[]/g, '\\$&');
  if (!anchored && /^[#!]/.test(body)) body = `\\${body}`;
  body = body.replace(/ +$/, (spaces) => '\\ '.repeat(spaces.length));
  return anchored ? `/${body}` : body;
}

/** A .gitignore line as git reads it: no CR, no unescaped trailing spaces (and, leniently, no leading ones). */
function normalizedLine(line: string): string {
  return trimTrailingSpaces(line.replace(/\r$/, '')).trimStart();
}

/**
 * The text to append to a .gitignore (`text`) so that it lists `entry` (a literal path, escaped here;
 * a leading `/` anchors it), after a `# comment` line when one is given, with the file's line endings;
 * undefined when a line already says it (the same path with or without its leading `/`). The one rule
 * of the CLI's `--fix`, the server's quick fixes, "Write credentials.json" and the scaffold;
 * src/node/gitignore.ts writes it.
 */
export function gitignoreAddition(text: string, entry: string, comment?: string): string | undefined {
  const bare = entry.replace(/^\//, '');
  const pattern = gitignorePattern(entry);
  const forms = new Set([pattern, gitignorePattern(bare), gitignorePattern(`/${bare}`)]);
  if (text.split('\n').some((l) => forms.has(normalizedLine(l)))) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const sep = text === '' || text.endsWith('\n') ? '' : eol;
  return `${sep}${comment ? `# ${comment}${eol}` : ''}${pattern}${eol}`;
}

/** `text` with `entry` appended (see `gitignoreAddition`), or undefined when it lists it already. */
export function gitignoreWithEntry(text: string, entry: string, comment?: string): string | undefined {
  const addition = gitignoreAddition(text, entry, comment);
  return addition === undefined ? undefined : text + addition;
}

/**
 * An existing .gitignore (`current`) merged with the lines a scaffold wants (`wanted`, patterns):
 * every line of `current` stays as it is; each pattern it lacks is appended, with the comment lines
 * just above it in `wanted` (unless `current` has them), in the file's line endings. `current`
 * itself when nothing is missing.
 */
export function mergeGitignore(current: string, wanted: string): string {
  const have = new Set(current.split('\n').map(normalizedLine));
  const add: string[] = [];
  let comments: string[] = [];
  for (const raw of wanted.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const key = normalizedLine(line);
    if (key === '') comments = [];
    else if (line.startsWith('#')) comments.push(line);
    else {
      if (!have.has(key)) {
        add.push(...comments.filter((c) => !have.has(normalizedLine(c))), line);
        for (const l of [...comments, line]) have.add(normalizedLine(l));
      }
      comments = [];
    }
  }
  if (add.length === 0) return current;
  const eol = current.includes('\r\n') ? '\r\n' : '\n';
  const sep = current === '' || current.endsWith('\n') ? '' : eol;
  return current + sep + add.join(eol) + eol;
}
