/**
 * Kubernetes variable expansion for container `command`, `args` and `env[].value`.
 *
 * A port of Kubernetes' own implementation,
 * `k8s.io/kubernetes/third_party/forked/golang/expansion/expand.go`
 * (kubernetes/kubernetes @ fde22c3f9aacfd260225a9741de123a41157b7c0, which includes the UTF-8 fix of
 * kubernetes/kubernetes#136325). Kubernetes expands only `$(VAR)`; `$$` is an escape for `$`;
 * everything else, including shell-style `$VAR` and `${VAR}`, is passed through literally. This
 * module also reports where such references are, so diagnostics and quick fixes agree with the
 * kubelet about what is and is not a reference.
 *
 * Go works on UTF-8 bytes, this port on UTF-16 code units. The two agree because every character
 * the state machine looks at (`$`, `(`, `)`) is ASCII, and a character after a lone `$` is consumed
 * as a whole code point, as Go consumes a whole rune since the UTF-8 fix.
 */

const OPERATOR = '$';
const REFERENCE_OPENER = '(';
const REFERENCE_CLOSER = ')';

/** A shell variable name, the only names a shell expands in `$NAME` / `${NAME}`. */
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Looks a variable up; `undefined` means "not defined" (Kubernetes then keeps `$(NAME)`). */
export type Mapping = (name: string) => string | undefined;

/** One reference-like thing found in a string by {@link scanVarRefs}. */
export interface VarRef {
  /**
   * - `k8s`: `$(NAME)`, which Kubernetes expands (or keeps literally when NAME is undefined).
   * - `shell-bare`: `$NAME`, kept literally by Kubernetes.
   * - `shell-braced`: `${NAME}`, kept literally by Kubernetes.
   * - `escaped`: `$$`, which Kubernetes turns into a single `$`.
   */
  kind: 'k8s' | 'shell-bare' | 'shell-braced' | 'escaped';
  /**
   * The variable name. For `k8s` it is the raw text between `$(` and the first `)`, exactly what
   * Kubernetes looks up (it may be empty or contain any character but `)`). For `escaped` it is the
   * shell-style name the escape protects when one follows (`$$(NAME)`, `$${NAME}`, `$$NAME`), else ''.
   */
  name: string;
  /** UTF-16 offset of the first `$`. */
  start: number;
  /**
   * UTF-16 offset just past the reference: past `)` / `}` / the name, or past the two `$$` for
   * `escaped` (the escape itself is only those two characters).
   */
  end: number;
}

/** What the expansion state machine does at one `$` (see {@link steps}). */
type Step =
  /** `$(name)`: a reference, replaced by the mapping. */
  | { type: 'reference'; name: string; start: number; end: number }
  /** `$$`: an escaped operator, written as one `$`. */
  | { type: 'escape'; start: number; end: number }
  /** `$x` or an unterminated `$(`: copied to the output verbatim. */
  | { type: 'literal'; start: number; end: number };

/** `syntaxWrap` in expand.go: `name` wrapped back into `$(name)`. */
function syntaxWrap(name: string): string {
  return OPERATOR + REFERENCE_OPENER + name + REFERENCE_CLOSER;
}

/**
 * `MappingFuncFor` in expand.go: a mapping that looks `name` up in each context in turn and, when
 * no context defines it, returns `$(name)` unchanged.
 */
export function mappingFuncFor(
  ...contexts: ReadonlyArray<Readonly<Record<string, string>> | ReadonlyMap<string, string>>
): (name: string) => string {
  return (name) => {
    for (const vars of contexts) {
      const value = lookup(vars, name);
      if (value !== undefined) return value;
    }
    return syntaxWrap(name);
  };
}

/** Own-property lookup, so names like `constructor` are not found on `Object.prototype`. */
function lookup(
  vars: Readonly<Record<string, string>> | ReadonlyMap<string, string>,
  name: string,
): string | undefined {
  if (vars instanceof Map) return vars.get(name);
  const record = vars as Readonly<Record<string, string>>;
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

/**
 * `tryReadVariableName` in expand.go, reading the text after a `$` at `operator`. Returns the step
 * taken and the offset just past what it consumed. Requires `operator + 1 < input.length`.
 */
function tryReadVariableName(input: string, operator: number): Step {
  const next = operator + 1;
  switch (input[next]) {
    case OPERATOR:
      // Escaped operator.
      return { type: 'escape', start: operator, end: next + 1 };
    case REFERENCE_OPENER: {
      // Scan to the first closer; nesting is not recognised.
      const closer = input.indexOf(REFERENCE_CLOSER, next + 1);
      if (closer !== -1) {
        return { type: 'reference', name: input.slice(next + 1, closer), start: operator, end: closer + 1 };
      }
      // Incomplete reference: keep `$(` and go on scanning after the `(`.
      return { type: 'literal', start: operator, end: next + 1 };
    }
    default: {
      // An operator that does not begin an expression: keep it with the next character (one whole
      // code point, like Go's rune since kubernetes/kubernetes#136325).
      const width = input.codePointAt(next)! > 0xffff ? 2 : 1;
      return { type: 'literal', start: operator, end: next + width };
    }
  }
}

/**
 * The loop of `Expand` in expand.go: yields, left to right, what the state machine does at each `$`
 * it acts on. Text between steps is copied verbatim; a `$` in the last position is kept as is.
 */
function* steps(input: string): Generator<Step> {
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] === OPERATOR && cursor + 1 < input.length) {
      const step = tryReadVariableName(input, cursor);
      yield step;
      cursor = step.end - 1;
    }
  }
}

/**
 * `Expand` in expand.go: replaces `$(NAME)` with `mapping(NAME)`, or keeps `$(NAME)` when the mapping
 * returns `undefined` (MappingFuncFor semantics); turns `$$` into `$`; keeps everything else.
 * Expansion is single-pass: values produced by the mapping are not expanded again.
 */
export function expand(input: string, mapping: Mapping): string {
  let out = '';
  let checkpoint = 0;
  for (const step of steps(input)) {
    out += input.slice(checkpoint, step.start);
    if (step.type === 'reference') out += mapping(step.name) ?? syntaxWrap(step.name);
    else if (step.type === 'escape') out += OPERATOR;
    else out += input.slice(step.start, step.end);
    checkpoint = step.end;
  }
  return out + input.slice(checkpoint);
}

/**
 * Every variable reference in `input` as the kubelet sees it: `$(NAME)` references, `$$` escapes,
 * and the shell-style `$NAME` / `${NAME}` that Kubernetes leaves literal (a `$` that Kubernetes
 * consumes as part of `$$` or `$(` never starts one). Sorted by offset, non-overlapping.
 */
export function scanVarRefs(input: string): VarRef[] {
  const refs: VarRef[] = [];
  for (const step of steps(input)) {
    if (step.type === 'reference') {
      refs.push({ kind: 'k8s', name: step.name, start: step.start, end: step.end });
    } else if (step.type === 'escape') {
      refs.push({ kind: 'escaped', name: protectedName(input, step.end), start: step.start, end: step.end });
    } else {
      const shell = shellRefAt(input, step.start);
      if (shell) refs.push(shell);
    }
  }
  return refs;
}

/**
 * A shell-style reference starting at the `$` at `start`, if any: `${NAME}` or `$NAME` (longest
 * name). The name never contains `$`, so the expansion state machine has no step inside it.
 */
function shellRefAt(input: string, start: number): VarRef | undefined {
  const rest = input.slice(start + 1);
  if (rest.startsWith('{')) {
    const name = SHELL_NAME.exec(rest.slice(1))?.[0];
    if (name === undefined || rest[1 + name.length] !== '}') return undefined;
    return { kind: 'shell-braced', name, start, end: start + name.length + 3 };
  }
  const name = SHELL_NAME.exec(rest)?.[0];
  return name === undefined ? undefined : { kind: 'shell-bare', name, start, end: start + 1 + name.length };
}

/** The name after a `$$` escape ending at `at`: from `(NAME)`, `{NAME}` or `NAME`, else ''. */
function protectedName(input: string, at: number): string {
  const rest = input.slice(at);
  const wrapped = /^(?:\(([A-Za-z_][A-Za-z0-9_]*)\)|\{([A-Za-z_][A-Za-z0-9_]*)\})/.exec(rest);
  if (wrapped) return wrapped[1] ?? wrapped[2]!;
  return SHELL_NAME.exec(rest)?.[0] ?? '';
}

/** The Kubernetes form of a reference: `$(NAME)`. */
export function toK8sRef(ref: VarRef): string {
  return syntaxWrap(ref.name);
}

/** Shells that expand `$VAR` in the script they are given with `-c`. */
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'yash']);

/** Shell options that take the next argument as their value (bash/sh `-o opt`, `-O shopt`). */
const OPTIONS_WITH_VALUE = /[oO]/;

/** Long bash options that take the next argument as their value. */
const LONG_OPTIONS_WITH_VALUE = new Set(['--rcfile', '--init-file']);

/**
 * Whether the container runs a shell with a `-c` script (`sh -c`, `bash -ec`, `/bin/sh -xc`,
 * `/usr/bin/env bash -c`, `busybox sh -c`, ...), in which case the shell expands `$VAR` itself at
 * run time. `command` replaces the image entrypoint and `args` follow it; with no `command`, `args`
 * are checked on their own (images without an ENTRYPOINT run them as the command).
 */
export function isShellInvocation(command: string[] | undefined, args: string[] | undefined): boolean {
  const argv = command && command.length > 0 ? [...command, ...(args ?? [])] : [...(args ?? [])];
  const shellAt = shellIndex(argv);
  return shellAt !== -1 && hasCommandFlag(argv, shellAt + 1);
}

/** `/bin/bash` → `bash`. */
function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Index of the shell in `argv` after optional `env [-opts] [NAME=value...]` and `busybox`
 * launchers, or -1 when `argv` does not start a known shell.
 */
function shellIndex(argv: readonly string[]): number {
  let i = 0;
  if (argv[i] !== undefined && basename(argv[i]!) === 'env') {
    i++;
    while (argv[i] !== undefined && (argv[i]!.startsWith('-') || /^[^=]+=/.test(argv[i]!))) i++;
  }
  if (argv[i] !== undefined && basename(argv[i]!) === 'busybox') i++;
  return argv[i] !== undefined && SHELLS.has(basename(argv[i]!)) ? i : -1;
}

/**
 * Whether the shell options starting at `from` include `-c` (alone or in a cluster like `-ec`).
 * Options end at `--` or at the first operand; `-c` after that is an argument of the script.
 */
function hasCommandFlag(argv: readonly string[], from: number): boolean {
  for (let i = from; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--' || arg === '-' || !/^[-+]/.test(arg)) return false;
    if (arg.startsWith('--')) {
      if (LONG_OPTIONS_WITH_VALUE.has(arg)) i++;
      continue;
    }
    const letters = arg.slice(1);
    if (arg.startsWith('-') && letters.includes('c')) return true;
    if (OPTIONS_WITH_VALUE.test(letters)) i++;
  }
  return false;
}
