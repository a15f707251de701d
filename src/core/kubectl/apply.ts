/**
 * "Apply to Cluster" as plain data: the kubectl command lines (`kubectl diff -k DIR --context CTX`
 * and `kubectl apply -k DIR --context CTX`, plus the kubeconfig the Cluster Services view reads),
 * their quoting for the terminal's shell, what `kubectl diff`'s exit status and stderr mean, and a
 * summary of its output for the confirmation.
 *
 * Secrets: `kubectl diff` masks a Secret's `data` values itself (`***`, `*** (before)`,
 * `*** (after)`); no flag we pass unmasks them. It does not mask the
 * `kubectl.kubernetes.io/last-applied-configuration` annotation, which holds the whole Secret (data
 * included) once the Secret was applied with client-side apply, and which shows up as context
 * lines of a changed Secret: `redactDiff` masks it (and any `data`/`stringData` value left
 * unmasked) before the diff is shown.
 *
 * Pure: the caller runs kubectl (src/node/kubectl.ts) and shows the results.
 */

import { KUSTOMIZATION_FILE_NAMES } from '../kustomize/kustomization';

/**
 * The shell a shown command line is written for. "Apply" itself types nothing into a shell (it runs
 * kubectl with an argument vector, src/node/kubectlTerminal.ts); the line is shown for information
 * and to copy, quoted for the user's shell.
 */
export type Shell = 'posix' | 'fish' | 'csh' | 'powershell' | 'cmd';

export interface KubectlTarget {
  /** The kustomization folder, absolute. */
  dir: string;
  /** The kubeconfig context to use. */
  context: string;
  /**
   * The kubeconfig file(s) the Cluster Services view reads when `cftunnel.kubernetes.kubeconfig`
   * names them; empty or absent: kubectl's own choice (KUBECONFIG, else ~/.kube/config), which is
   * the view's choice too.
   */
  kubeconfig?: readonly string[];
  /** The platform's path-list delimiter for several kubeconfig files (`:`; `;` on Windows). */
  delimiter?: ':' | ';';
}

export interface KubectlInvocation {
  args: string[];
  /** Variables to set for kubectl (KUBECONFIG when several kubeconfig files are named). */
  env: Record<string, string>;
  /** Variables to remove from kubectl's environment. */
  unset: string[];
}

/** Where to get kubectl. */
export const KUBECTL_INSTALL_URL = 'https://kubernetes.io/docs/tasks/tools/';

/** `--name VALUE`, or `--name=VALUE` when the value could be taken for a flag. */
const flag = (name: string, value: string): string[] =>
  value.startsWith('-') ? [`--${name}=${value}`] : [`--${name}`, value];

function invocation(verb: 'diff' | 'apply', t: KubectlTarget): KubectlInvocation {
  if (!t.dir) throw new Error('the kustomization folder is empty');
  if (!t.context) throw new Error('the kubeconfig context is empty');
  const args = [
    verb,
    ...(t.dir.startsWith('-') ? [`--kustomize=${t.dir}`] : ['-k', t.dir]),
    ...flag('context', t.context),
  ];
  const env: Record<string, string> = {};
  const files = (t.kubeconfig ?? []).filter((f) => f !== '');
  // --kubeconfig takes one file; several are given as KUBECONFIG, merged as kubectl merges them.
  if (files.length === 1) args.push(...flag('kubeconfig', files[0]!));
  else if (files.length > 1) env.KUBECONFIG = files.join(t.delimiter ?? ':');
  // KUBECTL_EXTERNAL_DIFF would replace `diff -u -N`, whose output the summary reads.
  return { args, env, unset: verb === 'diff' ? ['KUBECTL_EXTERNAL_DIFF'] : [] };
}

/** `kubectl diff -k DIR --context CTX [--kubeconfig FILE]` (never with flags that unmask Secrets). */
export function diffInvocation(t: KubectlTarget): KubectlInvocation {
  return invocation('diff', t);
}

/** `kubectl apply -k DIR --context CTX [--kubeconfig FILE]`. */
export function applyInvocation(t: KubectlTarget): KubectlInvocation {
  return invocation('apply', t);
}

export interface KubectlCommand extends KubectlInvocation {
  /** The kubectl executable, resolved once (an absolute path). */
  program: string;
}

/**
 * Both runs of "Apply to Cluster": the same kubectl (resolved once, never looked up again by a
 * shell), the same context and kubeconfig (flags, or KUBECONFIG for several files), and both run
 * by the extension with the same base environment — never a terminal shell's, whose rc files may
 * set another KUBECONFIG or PATH.
 */
export function applyPlan(kubectl: string, t: KubectlTarget): { diff: KubectlCommand; apply: KubectlCommand } {
  return { diff: { program: kubectl, ...diffInvocation(t) }, apply: { program: kubectl, ...applyInvocation(t) } };
}

// ── Quoting ─────────────────────────────────────────────────────────────────────────────────

export class QuoteError extends Error {}

/**
 * The shell of a terminal from its executable (`vscode.env.shell`): PowerShell (`pwsh`,
 * `powershell`), cmd.exe, fish (a backslash escapes `'` and `\` inside single quotes), csh/tcsh
 * (`!` is history even inside single quotes), else a POSIX shell (bash, zsh, sh, dash, ksh).
 * Unknown on Windows: PowerShell, VS Code's default.
 */
export function shellOf(shellPath: string | undefined, platform: string): Shell {
  const base = (shellPath ?? '')
    .split(/[\\/]/)
    .pop()!
    .toLowerCase()
    .replace(/\.exe$/, '');
  if (base === 'pwsh' || base === 'powershell' || base === 'pwsh-preview') return 'powershell';
  if (base === 'cmd') return 'cmd';
  if (base === 'fish') return 'fish';
  if (base === 'tcsh' || base === 'csh') return 'csh';
  if (base === '') return platform === 'win32' ? 'powershell' : 'posix';
  return 'posix';
}

// Characters that need no quoting anywhere in a word (and a safe first character).
const POSIX_SAFE = /^[A-Za-z0-9_./-][A-Za-z0-9_.,:/@%+=-]*$/;
const POWERSHELL_SAFE = /^[A-Za-z_.\\/][A-Za-z0-9_.\\/:=+-]*$|^-[A-Za-z0-9-]+$/;
const CMD_SAFE = /^[A-Za-z0-9_.\\/:=+,@-]+$/;

/** One argument quoted for `shell`; throws QuoteError when it cannot be written safely. */
export function quoteArg(arg: string, shell: Shell): string {
  if (/[\u0000-\u001f\u007f]/.test(arg))
    throw new QuoteError(
      `${JSON.stringify(arg)} contains a control character (a line break?): it cannot be typed into a terminal safely`,
    );
  switch (shell) {
    case 'posix':
      return POSIX_SAFE.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
    case 'fish':
      // Inside fish's single quotes `\'` and `\\` are escapes, nothing else is special.
      return POSIX_SAFE.test(arg) ? arg : `'${arg.replace(/[\\']/g, '\\$&')}'`;
    case 'csh':
      // csh/tcsh: `'` closes the quote ('\''), and `!` is history substitution even inside quotes (\!).
      return POSIX_SAFE.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`).replace(/!/g, '\\!')}'`;
    case 'powershell':
      // Single quotes are literal in PowerShell; a quote (also a typographic one) is doubled.
      return POWERSHELL_SAFE.test(arg) ? arg : `'${arg.replace(/['\u2018\u2019\u201a\u201b]/g, '$&$&')}'`;
    case 'cmd':
      if (CMD_SAFE.test(arg)) return arg;
      // cmd.exe has no escape for " inside quotes, and expands %VAR% even there.
      if (/["%]/.test(arg))
        throw new QuoteError(
          `${arg} contains " or %, which cmd.exe cannot pass on literally; run the command from PowerShell or a POSIX shell`,
        );
      return `"${arg}"`;
  }
}

/** A command line for `shell`: the program (as PowerShell needs it: `& 'C:\x y\kubectl.exe'`) and its quoted arguments. */
export function commandLine(program: string, args: readonly string[], shell: Shell): string {
  let head = quoteArg(program, shell);
  if (shell === 'powershell' && head.startsWith("'")) head = `& ${head}`;
  return [head, ...args.map((a) => quoteArg(a, shell))].join(' ');
}

/**
 * The command line of `inv` for `shell`, shown for information and to copy (nothing types it into a
 * shell). Environment variables (KUBECONFIG for several kubeconfig files) are not part of it.
 */
export function terminalCommand(inv: KubectlInvocation, shell: Shell, program = 'kubectl'): string {
  return commandLine(program, inv.args, shell);
}

// ── kubectl diff's output ───────────────────────────────────────────────────────────────────

export type ObjectChange = 'created' | 'changed' | 'deleted';

export interface DiffObject {
  /** '' for the core group. */
  group: string;
  version: string;
  kind: string;
  /** '' for cluster-scoped objects. */
  namespace: string;
  name: string;
  change: ObjectChange;
  /** Lines added and removed (the `null` kubectl prints for a missing object not counted). */
  added: number;
  removed: number;
}

export interface DiffSummary {
  objects: DiffObject[];
  created: number;
  changed: number;
  deleted: number;
}

const VERSION = /^v\d+(?:(?:alpha|beta)\d+)?$/;

/**
 * The object a file of kubectl diff's LIVE/MERGED folders stands for. kubectl names each file
 * `[group.]version.Kind.namespace.name`: the group may hold dots, the namespace never does (a DNS
 * label), the name may (a DNS subdomain).
 */
export function parseObjectFileName(
  fileName: string,
): Pick<DiffObject, 'group' | 'version' | 'kind' | 'namespace' | 'name'> | undefined {
  const parts = fileName.split('.');
  for (let i = 0; i + 3 < parts.length; i++) {
    if (!VERSION.test(parts[i]!) || !/^[A-Z][A-Za-z0-9]*$/.test(parts[i + 1]!)) continue;
    const namespace = parts[i + 2]!;
    const name = parts.slice(i + 3).join('.');
    if (!/^[a-z0-9-]*$/.test(namespace) || name === '') continue;
    return { group: parts.slice(0, i).join('.'), version: parts[i]!, kind: parts[i + 1]!, namespace, name };
  }
  return undefined;
}

const baseName = (p: string): string => p.split(/[\\/]/).pop() ?? p;
/** The path of a `--- PATH\tTIMESTAMP` / `+++ PATH\tTIMESTAMP` header. */
const headerPath = (line: string): string => line.slice(4).split('\t')[0]!.trim();

interface Section {
  /** Index of the `---` header line. */
  start: number;
  /** Index after the section's last line. */
  end: number;
  file: string;
  object?: Pick<DiffObject, 'group' | 'version' | 'kind' | 'namespace' | 'name'>;
  /** Lines removed and added (without the prefix). */
  oldLines: string[];
  newLines: string[];
  /** Lines of each side over the hunks (from the @@ headers). */
  oldTotal: number;
  newTotal: number;
}

const isHeader = (lines: string[], i: number): boolean =>
  lines[i]!.startsWith('--- ') && (lines[i + 1]?.startsWith('+++ ') ?? false);

/**
 * The files of a unified diff (as `diff -u -N` prints them, with or without `diff …` lines). Hunk
 * lines are counted from the @@ headers, so a removed line `-- x` is never taken for a header.
 */
function sections(lines: string[]): Section[] {
  const out: Section[] = [];
  let cur: Section | undefined;
  let oldLeft = 0;
  let newLeft = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (cur && (oldLeft > 0 || newLeft > 0)) {
      if (line.startsWith('-')) {
        cur.oldLines.push(line.slice(1));
        oldLeft--;
      } else if (line.startsWith('+')) {
        cur.newLines.push(line.slice(1));
        newLeft--;
      } else if (line.startsWith(' ') || line === '') {
        oldLeft--;
        newLeft--;
      }
      // "\ No newline at end of file": not a line of either side.
      cur.end = i + 1;
      continue;
    }
    if (isHeader(lines, i)) {
      const file = baseName(headerPath(lines[i + 1]!)) || baseName(headerPath(line));
      const object = parseObjectFileName(file);
      cur = {
        start: i,
        end: i + 2,
        file,
        ...(object ? { object } : {}),
        oldLines: [],
        newLines: [],
        oldTotal: 0,
        newTotal: 0,
      };
      out.push(cur);
      i++;
      continue;
    }
    const hunk = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
    if (hunk && cur) {
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      cur.oldTotal += oldLeft;
      cur.newTotal += newLeft;
      cur.end = i + 1;
    } else if (cur && line.startsWith('\\')) cur.end = i + 1;
  }
  return out;
}

/** kubectl prints a missing object as an absent file, or (Secrets, after masking) as `null`. */
const isMissing = (total: number, changed: string[]): boolean =>
  total === 0 || (total === 1 && changed.length === 1 && changed[0] === 'null');

/** Objects created, changed and deleted (with --prune) in `kubectl diff` output. */
export function summarizeDiff(text: string): DiffSummary {
  const objects: DiffObject[] = [];
  for (const s of sections(text.split(/\r?\n/))) {
    const created = isMissing(s.oldTotal, s.oldLines);
    const deleted = !created && isMissing(s.newTotal, s.newLines);
    const object = s.object ?? { group: '', version: '', kind: '', namespace: '', name: s.file };
    objects.push({
      ...object,
      change: created ? 'created' : deleted ? 'deleted' : 'changed',
      added: deleted ? 0 : s.newLines.length,
      removed: created ? 0 : s.oldLines.length,
    });
  }
  return {
    objects,
    created: objects.filter((o) => o.change === 'created').length,
    changed: objects.filter((o) => o.change === 'changed').length,
    deleted: objects.filter((o) => o.change === 'deleted').length,
  };
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** "5 objects (2 changed, 3 new)". */
export function summaryText(s: DiffSummary): string {
  const parts = [
    s.changed ? `${s.changed} changed` : '',
    s.created ? `${s.created} new` : '',
    s.deleted ? `${s.deleted} deleted` : '',
  ].filter(Boolean);
  return `${plural(s.objects.length, 'object')}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** "Apply 5 objects (2 changed, 3 new) to context 'homelab'?" */
export function confirmMessage(s: DiffSummary, context: string): string {
  return `Apply ${summaryText(s)} to context '${context}'?`;
}

/** "Deployment cloudflared/cloudflared", "Namespace edge", "networkpolicies.networking.k8s.io …" */
export function objectLabel(o: Pick<DiffObject, 'kind' | 'namespace' | 'name'>): string {
  return `${o.kind ? `${o.kind} ` : ''}${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

/** One line per object for the confirmation's detail, at most `max` (then "…and N more"). */
export function objectLines(s: DiffSummary, max = 12): string[] {
  const word: Record<ObjectChange, string> = { created: 'new', changed: 'changed', deleted: 'deleted' };
  const lines = s.objects
    .slice(0, max)
    .map(
      (o) =>
        `${objectLabel(o)}: ${word[o.change]}${o.change === 'changed' ? ` (+${o.added} −${o.removed} lines)` : ''}`,
    );
  if (s.objects.length > max) lines.push(`…and ${s.objects.length - max} more`);
  return lines;
}

// ── Keeping secrets out of the diff ─────────────────────────────────────────────────────────

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const ANNOTATION = /^(["']?)kubectl\.kubernetes\.io\/last-applied-configuration\1:\s*(.*)$/;
const MASKS = new Set(["'***'", "'*** (before)'", "'*** (after)'", '***', '"***"']);

/**
 * The diff with Secret values masked that kubectl leaves readable: in each Secret's section, the
 * last-applied-configuration annotation (its value, inline or as a block, and any JSON object
 * line, which is that value seen as a context line without its key) and `data`/`stringData`
 * values not masked yet. Other objects are left as they are.
 */
export function redactDiff(text: string): string {
  const lines = text.split('\n');
  for (const section of sections(lines.map((l) => l.replace(/\r$/, '')))) {
    const o = section.object;
    if (!o || o.group !== '' || o.kind !== 'Secret') continue;
    redactSecretLines(lines, section.start + 2, section.end);
  }
  return lines.join('\n');
}

const BLOCK = /^[|>][-+0-9]*\s*$/;

function redactSecretLines(lines: string[], from: number, to: number): void {
  /** Indentation of the key whose block value is being masked; -1: none. */
  let blockIndent = -1;
  /** Whether the lines are entries of a top-level `data:`/`stringData:`. */
  let inData = false;
  for (let i = from; i < to; i++) {
    const raw = lines[i]!;
    const cr = raw.endsWith('\r') ? '\r' : '';
    const line = cr ? raw.slice(0, -1) : raw;
    const prefix = line.slice(0, 1);
    if (line.startsWith('@@')) {
      blockIndent = -1; // a hunk may start anywhere
      inData = false;
      continue;
    }
    if (prefix !== ' ' && prefix !== '+' && prefix !== '-') continue;
    const body = line.slice(1);
    const content = body.trimStart();
    if (content === '') continue;
    const indent = body.length - content.length;
    const pad = ' '.repeat(indent);
    const set = (text: string): void => void (lines[i] = `${prefix}${pad}${text}${cr}`);
    if (blockIndent >= 0) {
      if (indent > blockIndent) {
        set('***');
        continue;
      }
      blockIndent = -1;
    }
    if (indent === 0) inData = false;
    const annotation = ANNOTATION.exec(content);
    if (annotation) {
      const value = annotation[2]!;
      if (BLOCK.test(value)) blockIndent = indent;
      else if (value !== '') set(`${LAST_APPLIED}: '***'`);
      continue;
    }
    // The annotation's JSON seen as a context line without its key.
    if (content.startsWith('{')) {
      set('***');
      continue;
    }
    const top = /^(data|stringData):\s*(.*)$/.exec(content);
    if (top && indent === 0) {
      if (top[2] === '' || top[2] === '{}') inData = top[2] === '';
      else set(`${top[1]}: '***'`);
      continue;
    }
    if (inData) {
      const entry = /^([^:]+):\s*(.*)$/.exec(content);
      if (!entry) set('***');
      else if (BLOCK.test(entry[2]!)) {
        blockIndent = indent;
        set(`${entry[1]}: '***'`);
      } else if (!MASKS.has(entry[2]!)) set(`${entry[1]}: '***'`);
    }
  }
}

// ── kubectl diff's exit status and errors ───────────────────────────────────────────────────

export interface KubectlResult {
  /** Exit code; null when kubectl was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export type DiffOutcome =
  /** Exit 0: the cluster already runs what the folder describes. */
  | { kind: 'same'; warnings: string[] }
  /** Exit 1: differences, summarized; `text` is the diff with Secret values masked. */
  | { kind: 'changes'; summary: DiffSummary; text: string; warnings: string[] }
  /** Exit > 1: kubectl (or diff) failed. */
  | { kind: 'error'; message: string; hint: string; stderr: string };

/** kubectl's `Warning: …` lines (printed on stderr even when the diff succeeds). */
function warningsOf(stderr: string): string[] {
  return stderr
    .split(/\r?\n/)
    .filter((l) => /^Warning: /.test(l))
    .map((l) => l.slice('Warning: '.length).trim());
}

/** The line of stderr that says what failed: `error: …` or `Error from server (…): …`, klog noise left out. */
export function mainError(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^[IWE]\d{4} \d\d:\d\d:\d\d\.\d+\s/.test(l));
  const picked = [...lines]
    .reverse()
    .find(
      (l) =>
        /^(error|Error from server|Error): ?/i.test(l) ||
        /^Unable to connect to the server/.test(l) ||
        /^The connection to the server/.test(l),
    );
  const line = picked ?? lines.find((l) => !/^Warning: /.test(l)) ?? lines[0] ?? '';
  return line.replace(/^error: /i, '').replace(/^Error: /, '');
}

/**
 * What a failed kubectl run means and what to do: connection refused, TLS, expired credentials,
 * RBAC, a missing namespace or context, kustomize build errors, unknown kinds (CRDs), a missing
 * `diff` program.
 */
export function explainKubectlError(
  stderr: string,
  t: { context: string; dir: string; verb?: 'diff' | 'apply' },
): { message: string; hint: string } {
  const verb = t.verb ?? 'diff';
  const main = mainError(stderr);
  const all = stderr;
  const ctx = `'${t.context}'`;
  const m = (re: RegExp): RegExpExecArray | null => re.exec(all);
  let r: RegExpExecArray | null;
  if ((r = m(/failed to run "([^"]+)": (.*)/))) {
    return {
      message: `kubectl diff could not run "${r[1]}": ${r[2]!.trim()}.`,
      hint: 'kubectl diff compares with the diff program (GNU diffutils): install it so that it is on PATH (Debian/Ubuntu: apt install diffutils; Windows: Git for Windows brings one) and try again.',
    };
  }
  if ((r = m(/context "([^"]+)" does not exist/))) {
    return {
      message: `The context '${r[1]}' is not in the kubeconfig kubectl reads.`,
      hint: 'Choose another context in the Cluster Services view, or check cftunnel.kubernetes.kubeconfig and KUBECONFIG.',
    };
  }
  if ((r = m(/(?:^|error: )stat (.+?): no such file or directory/m)) && !/kustomiz|accumulat/i.test(all)) {
    return {
      message: `kubectl cannot read ${r[1]}: no such file.`,
      hint: 'Check the cftunnel.kubernetes.kubeconfig setting (and KUBECONFIG).',
    };
  }
  if (/unable to find one of 'kustomization\.yaml'/.test(all)) {
    return {
      message: `${t.dir} has no kustomization (${KUSTOMIZATION_FILE_NAMES.slice(0, -1).join(', ')} or ${KUSTOMIZATION_FILE_NAMES.at(-1)}).`,
      hint: 'Run the command on the folder that holds the kustomization.',
    };
  }
  if (
    /accumulat|kustomiz|MalformedYAMLError|must build at directory|evalsymlink|json: unknown field|yaml: line \d+/i.test(
      all,
    ) &&
    !/Error from server/.test(all)
  ) {
    return {
      message: `kustomize could not build ${t.dir}: ${main}`,
      hint: `Fix the kustomization (kubectl kustomize ${t.dir} shows the same error; the Problems view points at the file), then try again.`,
    };
  }
  if ((r = m(/no matches for kind "([^"]+)" in version "([^"]+)"/))) {
    return {
      message: `The cluster of context ${ctx} does not know kind ${r[1]} (${r[2]}).`,
      hint: 'Install its CustomResourceDefinitions first (or fix apiVersion/kind), then try again.',
    };
  }
  if ((r = m(/namespaces "([^"]+)" not found/))) {
    return {
      message: `The namespace '${r[1]}' does not exist in context ${ctx}.`,
      hint: `Create it first (kubectl create namespace ${r[1]} --context ${t.context}) or add a Namespace to the kustomization, then try again.`,
    };
  }
  if (
    /getting credentials: |exec plugin|executable .* not found|error: exec: /i.test(all) &&
    !/failed to run "/.test(all)
  ) {
    return {
      message: `The credential plugin of context ${ctx} failed: ${main}`,
      hint: 'Check that the plugin named in the kubeconfig (aws, gke-gcloud-auth-plugin, kubelogin, …) is installed and that you are logged in to your cloud.',
    };
  }
  if (
    /You must be logged in to the server|\(Unauthorized\)|Unauthorized|asked for the client to provide credentials/.test(
      all,
    )
  ) {
    return {
      message: `The cluster of context ${ctx} does not accept your credentials (Unauthorized).`,
      hint: 'They may have expired: log in again (or refresh the token or client certificate in the kubeconfig), then try again.',
    };
  }
  if (
    (r = m(
      /is forbidden: User "([^"]*)" cannot (\w+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)"| at the cluster scope)?/,
    ))
  ) {
    const where = r[5] ? ` in namespace ${r[5]}` : ' at the cluster scope';
    return {
      message: `User "${r[1]}" of context ${ctx} may not ${r[2]} ${r[3]}${r[4] ? `.${r[4]}` : ''}${where} (Forbidden).`,
      hint: `kubectl ${verb} needs get${verb === 'diff' ? ', and create and patch as dry runs,' : ', create and patch'} on every object of the kustomization: ask for these RBAC permissions or use another context.`,
    };
  }
  if (/Forbidden/.test(all)) {
    return {
      message: `Context ${ctx} is not allowed to do this (Forbidden): ${main}`,
      hint: 'Ask for the RBAC permissions or use another context.',
    };
  }
  if (/x509:|tls: |certificate/i.test(all)) {
    return {
      message: `kubectl does not trust the cluster of context ${ctx}: ${main}`,
      hint: "Check the cluster's certificate-authority in the kubeconfig (and the server address).",
    };
  }
  if (
    (r = m(/dial tcp ([^:\s]+:\d+|\[[^\]]+\]:\d+): connect: connection refused/)) ||
    /connection refused|was refused/.test(all)
  ) {
    return {
      message: `The cluster of context ${ctx} refused the connection${r ? ` (${r[1]})` : ''}.`,
      hint: "Is the cluster running, and is the context's server address right? (For a tunnel or VPN to the API server: is it up?)",
    };
  }
  if (
    /no such host|i\/o timeout|Unable to connect to the server|network is unreachable|context deadline exceeded|Client\.Timeout exceeded|TLS handshake timeout/.test(
      all,
    )
  ) {
    return {
      message: `kubectl cannot reach the cluster of context ${ctx}: ${main}`,
      hint: "Check the network (VPN, tunnel) and the context's server address, then try again.",
    };
  }
  if (/the object has been modified|Operation cannot be fulfilled/.test(all)) {
    return {
      message: `An object changed on the cluster while kubectl compared it: ${main}`,
      hint: 'Run the command again.',
    };
  }
  if (/ is invalid: /.test(all)) {
    return {
      message: `The cluster rejects an object of the kustomization: ${main}`,
      hint: 'Fix the object (the message names the field), then try again.',
    };
  }
  return {
    message: `kubectl ${verb} failed: ${main || 'no message'}`,
    hint: `Run kubectl ${verb} -k ${t.dir} --context ${t.context} in a terminal for details.`,
  };
}

/** What `kubectl diff` said: exit 0 no differences, 1 differences, anything else an error. */
export function interpretDiff(result: KubectlResult, t: { context: string; dir: string }): DiffOutcome {
  const warnings = warningsOf(result.stderr);
  if (result.code === 0) return { kind: 'same', warnings };
  if (result.code === 1) {
    const text = redactDiff(result.stdout);
    return { kind: 'changes', summary: summarizeDiff(text), text, warnings };
  }
  const { message, hint } =
    result.code === null
      ? { message: 'kubectl diff was stopped before it finished.', hint: 'Try again.' }
      : explainKubectlError(result.stderr, t);
  return { kind: 'error', message, hint, stderr: result.stderr };
}
