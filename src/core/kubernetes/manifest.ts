/**
 * Kubernetes manifest checks for the containers that run cloudflared (and any other): variable
 * references in `command`, `args` and `env[].value` that Kubernetes will not expand, references
 * it cannot resolve, and tunnel tokens written in plain text. Each comes with its quick fixes.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Document, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { LineMap } from '../text';
import type { Diagnostic, Fix, TextEdit } from '../types';
import { deref } from '../yaml/load';
import { isShellInvocation, scanVarRefs, toK8sRef } from './expand';
import type { VarRef } from './expand';

/** Where the pod spec sits in each workload kind. */
export const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export interface EnvVar {
  name: string;
  index: number;
  nameNode: Scalar;
  entry: YAMLMap;
  value?: Scalar;
  /** `valueFrom.secretKeyRef` of this variable, when it has one. */
  secretKeyRef?: { name: string; key: string };
}

/** One container of a pod template, with the nodes the checks need. */
export interface ContainerInfo {
  name: string;
  node: YAMLMap;
  image: string;
  env: EnvVar[];
  envFrom: YAMLMap[];
  command: Scalar[];
  commandNode?: YAMLSeq;
  args: Scalar[];
  argsNode?: YAMLSeq;
}

/** The containers (and init containers) of every workload document. */
export function findContainers(docs: Document.Parsed[]): ContainerInfo[] {
  const out: ContainerInfo[] = [];
  for (const doc of docs) {
    const root = deref(doc, doc.contents);
    if (!isMap(root)) continue;
    const kind = String((root as YAMLMap).get('kind') ?? '');
    const path = POD_SPEC_PATHS[kind];
    if (!path) continue;
    let spec: unknown = root;
    for (const key of path) spec = isMap(spec) ? deref(doc, (spec as YAMLMap).get(key, true)) : null;
    if (!isMap(spec)) continue;
    for (const listKey of ['initContainers', 'containers']) {
      const list = deref(doc, (spec as YAMLMap).get(listKey, true));
      if (!isSeq(list)) continue;
      for (const item of list.items) {
        const c = deref(doc, item);
        if (isMap(c)) out.push(containerInfo(doc, c as YAMLMap));
      }
    }
  }
  return out;
}

function scalars(doc: Document.Parsed, node: unknown): { seq?: YAMLSeq; items: Scalar[] } {
  const seq = deref(doc, node);
  if (!isSeq(seq)) return { items: [] };
  const items = seq.items.map((i) => deref(doc, i)).filter((i): i is Scalar => isScalar(i));
  return { seq: seq as YAMLSeq, items };
}

function str(node: unknown): string {
  return isScalar(node) ? String((node as Scalar).value ?? '') : '';
}

function containerInfo(doc: Document.Parsed, c: YAMLMap): ContainerInfo {
  const env: EnvVar[] = [];
  const envList = deref(doc, c.get('env', true));
  if (isSeq(envList)) {
    envList.items.forEach((item, index) => {
      const e = deref(doc, item);
      if (!isMap(e)) return;
      const nameNode = (e as YAMLMap).get('name', true);
      if (!isScalar(nameNode)) return;
      const v: EnvVar = { name: str(nameNode), index, nameNode: nameNode as Scalar, entry: e as YAMLMap };
      const value = (e as YAMLMap).get('value', true);
      if (isScalar(value)) v.value = value as Scalar;
      const ref = deref(doc, (e as YAMLMap).getIn(['valueFrom', 'secretKeyRef'], true));
      if (isMap(ref))
        v.secretKeyRef = { name: str((ref as YAMLMap).get('name', true)), key: str((ref as YAMLMap).get('key', true)) };
      env.push(v);
    });
  }
  const envFromList = deref(doc, c.get('envFrom', true));
  const envFrom = isSeq(envFromList)
    ? envFromList.items.map((i) => deref(doc, i)).filter((i): i is YAMLMap => isMap(i))
    : [];
  const command = scalars(doc, c.get('command', true));
  const args = scalars(doc, c.get('args', true));
  return {
    name: str(c.get('name', true)),
    node: c,
    image: str(c.get('image', true)),
    env,
    envFrom,
    command: command.items,
    ...(command.seq ? { commandNode: command.seq } : {}),
    args: args.items,
    ...(args.seq ? { argsNode: args.seq } : {}),
  };
}

/** True for a cloudflared container: its image, or a command line starting with `tunnel`. */
export function isCloudflared(c: ContainerInfo): boolean {
  if (/(^|\/)cloudflared(:|@|$)/.test(c.image)) return true;
  const argv = [...c.command, ...c.args].map(str);
  return argv[0] === 'tunnel' || (argv[0] !== undefined && /cloudflared$/.test(argv[0]) && argv[1] === 'tunnel');
}

export function lintManifests(docs: Document.Parsed[], lines: LineMap): Diagnostic[] {
  const parts = docs.map((doc) => lintManifestDocument(doc, lines));
  return [...parts.flatMap((p) => p.containers), ...parts.flatMap((p) => p.secrets)];
}

/** One document's part of lintManifests: its containers' findings and its committed secrets. */
export function lintManifestDocument(
  doc: Document.Parsed,
  lines: LineMap,
): { containers: Diagnostic[]; secrets: Diagnostic[] } {
  const containers: Diagnostic[] = [];
  const secrets: Diagnostic[] = [];
  for (const c of findContainers([doc])) lintContainer(c, lines, containers);
  lintCommittedSecrets(doc, lines, secrets);
  return { containers, secrets };
}

/** What a value holds: a run token, tunnel credentials (JSON with TunnelSecret), or neither. */
export function tunnelSecretIn(value: string): 'token' | 'credentials' | null {
  if (looksLikeTunnelToken(value)) return 'token';
  for (const m of value.matchAll(/eyJ[A-Za-z0-9+/=_-]{37,}/g)) if (looksLikeTunnelToken(m[0])) return 'token';
  if (!value.includes('TunnelSecret')) return null;
  try {
    const json = JSON.parse(value) as Record<string, unknown>;
    if (
      typeof json === 'object' &&
      json !== null &&
      typeof json.TunnelSecret === 'string' &&
      ('AccountTag' in json || 'TunnelID' in json)
    )
      return 'credentials';
  } catch {
    // Not JSON: an env file or YAML that names the key.
  }
  return /["']?TunnelSecret["']?\s*[:=]\s*["']?[A-Za-z0-9+/=]{16,}/.test(value) ? 'credentials' : null;
}

/** Go's base64.StdEncoding as the API server decodes Secret data; null when it is not base64. */
function decodeBase64(value: string): string | null {
  const v = value.replace(/\s+/g, '');
  if (v === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(atob(v), (ch) => ch.charCodeAt(0)));
  } catch {
    return null;
  }
}

/**
 * Tunnel tokens and credentials written into a manifest outside `args`/`env`: a ConfigMap's `data`
 * (readable by anyone who may read ConfigMaps), a Secret's `stringData`, and a Secret's `data`
 * (base64 is not encryption). A committed manifest puts them in git: a secretGenerator reading a
 * git-ignored file, or a sealed / external secret, keeps them out.
 */
function lintCommittedSecrets(doc: Document.Parsed, lines: LineMap, out: Diagnostic[]): void {
  const root = deref(doc, doc.contents);
  if (!isMap(root)) return;
  const kind = str((root as YAMLMap).get('kind', true));
  if (kind !== 'ConfigMap' && kind !== 'Secret') return;
  const name = str(deref(doc, (root as YAMLMap).getIn(['metadata', 'name'], true)));
  const fields = kind === 'ConfigMap' ? ['data'] : ['stringData', 'data'];
  for (const field of fields) {
    const data = deref(doc, (root as YAMLMap).get(field, true));
    if (!isMap(data)) continue;
    for (const pair of (data as YAMLMap).items) {
      const value = deref(doc, pair.value);
      if (!isScalar(value) || !isScalar(pair.key) || !(value as Scalar).range) continue;
      const raw = str(value);
      const text = field === 'data' && kind === 'Secret' ? decodeBase64(raw) : raw;
      const found = text === null ? null : tunnelSecretIn(text);
      if (!found) continue;
      const what = found === 'token' ? 'a tunnel run token' : 'tunnel credentials (TunnelSecret)';
      const where =
        kind === 'ConfigMap'
          ? `ConfigMap '${name}' holds ${what} in plain text: anyone who may read ConfigMaps (or this file) can run your tunnel, and a committed manifest puts it in git.`
          : `Secret '${name}' holds ${what} in ${field}${field === 'data' ? ' (base64 is not encryption)' : ''}: a committed manifest puts it in git, where anyone who can read the repository can run your tunnel.`;
      out.push({
        code: 'committed-tunnel-secret',
        severity: 'warning',
        message: `${where} Generate the Secret with a kustomize secretGenerator from a git-ignored file, or use a sealed or external secret (SealedSecret, ExternalSecret, SOPS).`,
        range: scalarRange(value as Scalar, lines),
      });
    }
  }
}

/**
 * The cross-file complement of lintManifests, for a container with envFrom: once the caller knows
 * every variable the envFrom sources provide (`provided`, e.g. read from kustomize generators),
 * `$(VAR)` references that neither env nor envFrom defines are `unresolved-var`. lintManifests
 * itself never reports a reference envFrom could provide, so the two never overlap.
 * `sources` names the envFrom sources for the message.
 */
export function lintEnvFromRefs(
  c: ContainerInfo,
  lines: LineMap,
  provided: ReadonlySet<string>,
  sources: string[],
): Diagnostic[] {
  if (c.envFrom.length === 0) return [];
  const out: Diagnostic[] = [];
  const defined = new Set(c.env.map((e) => e.name));
  const visit = (node: Scalar): void => {
    const value = str(node);
    if (!value.includes('$')) return;
    for (const ref of scanVarRefs(value)) {
      if (ref.kind !== 'k8s' || defined.has(ref.name) || provided.has(ref.name)) continue;
      out.push({
        code: 'unresolved-var',
        severity: 'warning',
        message: `Nothing in container '${c.name}' defines ${ref.name}: not env, and envFrom (${sources.join(', ')}) does not provide it. Kubernetes leaves "$(${ref.name})" as literal text. Define it or fix the name.`,
        range: refRange(node, value, ref, lines),
      });
    }
  };
  c.command.forEach(visit);
  c.args.forEach(visit);
  c.env.forEach((e) => e.value && visit(e.value));
  return out;
}

type Field = 'command' | 'args' | 'env';

function lintContainer(c: ContainerInfo, lines: LineMap, out: Diagnostic[]): void {
  const shell = isShellInvocation(c.command.map(str), c.args.map(str));
  const defined = new Map(c.env.map((e) => [e.name, e]));
  const hasEnvFrom = c.envFrom.length > 0;
  const visit = (node: Scalar, field: Field, envIndex?: number): void => {
    const value = str(node);
    if (!value.includes('$')) return;
    for (const ref of scanVarRefs(value)) {
      if ((ref.kind === 'shell-bare' || ref.kind === 'shell-braced') && !shell) {
        out.push(shellStyleVar(c, node, value, ref, field, defined.has(ref.name) || hasEnvFrom, lines));
      } else if (ref.kind === 'k8s') {
        const def = defined.get(ref.name);
        const resolvable = envIndex === undefined ? def !== undefined : def !== undefined && def.index < envIndex;
        if (resolvable || (def === undefined && hasEnvFrom)) continue;
        const later = def !== undefined;
        out.push({
          code: 'unresolved-var',
          severity: 'warning',
          message: later
            ? `$(${ref.name}) is defined later in env: Kubernetes resolves only variables defined before this entry, so the literal text "$(${ref.name})" is used.`
            : `Nothing in container '${c.name}' defines ${ref.name}: Kubernetes leaves "$(${ref.name})" as literal text. Define it in env (e.g. from a Secret) or fix the name.`,
          range: refRange(node, value, ref, lines),
        });
      }
    }
  };
  c.command.forEach((n) => visit(n, 'command'));
  c.args.forEach((n) => visit(n, 'args'));
  c.env.forEach((e) => e.value && visit(e.value, 'env', e.index));

  if (isCloudflared(c)) {
    checkTokenInArgs(c, lines, out);
    for (const e of c.env) {
      if (e.value && looksLikeTunnelToken(str(e.value))) out.push(literalTokenInEnv(c, e, lines));
      else if (e.value && /TunnelSecret/.test(str(e.value))) {
        out.push({
          code: 'literal-secret',
          severity: 'warning',
          message: `env ${e.name} holds tunnel credentials in plain text: anyone who can read this manifest can run your tunnel. Put them in a Secret and use valueFrom.secretKeyRef.`,
          range: scalarRange(e.value, lines),
        });
      }
    }
  }
}

function shellStyleVar(
  c: ContainerInfo,
  node: Scalar,
  value: string,
  ref: VarRef,
  field: Field,
  defined: boolean,
  lines: LineMap,
): Diagnostic {
  const written = value.slice(ref.start, ref.end);
  const fixed = toK8sRef(ref);
  const fixes: Fix[] = [];
  const range = refRange(node, value, ref, lines);
  fixes.push({ title: `Replace ${written} with ${fixed}`, isPreferred: true, edits: [{ range, newText: fixed }] });
  const tokenFix = field === 'args' ? dropTokenFlagFix(c, node, ref.name, lines) : undefined;
  if (tokenFix) fixes.push(tokenFix);
  const where = field === 'env' ? 'env values' : field;
  return {
    code: 'shell-style-var',
    severity: defined ? 'warning' : 'information',
    message: defined
      ? `Kubernetes does not expand ${written} in ${where} and ${isCloudflared(c) ? 'the cloudflared image has no shell' : 'the container does not start a shell'}: the container receives the literal text "${written}". Write ${fixed}.`
      : `Kubernetes does not expand ${written} in ${where} (only ${fixed} is expanded), and nothing in container '${c.name}' defines ${ref.name}.`,
    range,
    fixes,
  };
}

/** `--token $(VAR)`: works, but the token shows in the process list and pod spec. */
function checkTokenInArgs(c: ContainerInfo, lines: LineMap, out: Diagnostic[]): void {
  c.args.forEach((node, i) => {
    const arg = str(node);
    const valueNode = arg === '--token' ? c.args[i + 1] : arg.startsWith('--token=') ? node : undefined;
    if (!valueNode) return;
    const value = valueNode === node ? arg.slice('--token='.length) : str(valueNode);
    const refs = scanVarRefs(value);
    const k8s = refs.find((r) => r.kind === 'k8s');
    if (looksLikeTunnelToken(value)) {
      out.push({
        code: 'literal-token',
        severity: 'warning',
        message:
          'A tunnel token is written in plain text in args: anyone who can read this manifest can run your tunnel. Keep it in a Secret and give it to cloudflared as the TUNNEL_TOKEN env var.',
        range: scalarRange(valueNode, lines),
      });
      return;
    }
    if (!k8s || refs.some((r) => r.kind !== 'k8s')) return;
    const fix = dropTokenFlagFix(c, valueNode, k8s.name, lines);
    if (!fix) return;
    out.push({
      code: 'token-in-args',
      severity: 'information',
      message: `--token ${value} puts the run token on the command line, visible in the process list. cloudflared reads TUNNEL_TOKEN from the environment by itself: drop the flag and name the env var TUNNEL_TOKEN.`,
      range: scalarRange(node, lines),
      fixes: [fix],
    });
  });
}

/**
 * The safer fix for `--token <ref to VAR>`: remove the flag (and its value) from args and provide
 * the token as TUNNEL_TOKEN from the same Secret. Only offered when VAR comes from a secretKeyRef.
 */
function dropTokenFlagFix(c: ContainerInfo, valueNode: Scalar, varName: string, lines: LineMap): Fix | undefined {
  const i = c.args.indexOf(valueNode);
  if (i < 0 || !c.argsNode) return undefined;
  const inline = str(valueNode).startsWith('--token=');
  if (!inline && str(c.args[i - 1]) !== '--token') return undefined;
  const v = c.env.find((e) => e.name === varName);
  if (!v?.secretKeyRef) return undefined;
  const first = inline ? i : i - 1;
  const edits: TextEdit[] = [removeSeqItems(c.argsNode, c.args[first]!, c.args[i]!, lines)];
  if (varName !== 'TUNNEL_TOKEN') edits.push({ range: scalarRange(v.nameNode, lines), newText: 'TUNNEL_TOKEN' });
  return { title: `Drop --token and pass the token as TUNNEL_TOKEN from Secret '${v.secretKeyRef.name}'`, edits };
}

/** An edit that deletes items `from`..`to` (consecutive) of a block or flow sequence. */
function removeSeqItems(seq: YAMLSeq, from: Scalar, to: Scalar, lines: LineMap): TextEdit {
  const items = seq.items as Scalar[];
  const a = items.indexOf(from);
  const b = items.indexOf(to);
  if (seq.flow) {
    const prev = items[a - 1];
    const next = items[b + 1];
    const start = prev?.range ? prev.range[1] : from.range![0];
    const end = prev ? to.range![1] : next?.range ? next.range[0] : to.range![1];
    return { range: lines.range(start, end), newText: '' };
  }
  const startLine = lines.position(from.range![0]).line;
  const endLine = lines.position(to.range![1]).line;
  return { range: { start: { line: startLine, character: 0 }, end: { line: endLine + 1, character: 0 } }, newText: '' };
}

/** A run token is base64 of JSON `{"a": account, "t": tunnel id, "s": secret}`. */
export function looksLikeTunnelToken(value: string): boolean {
  const v = value.trim();
  if (v.length < 40 || !/^eyJ[A-Za-z0-9+/=_-]+$/.test(v)) return false;
  try {
    const json = JSON.parse(atob(v.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    return typeof json === 'object' && json !== null && 'a' in json && 't' in json && 's' in json;
  } catch {
    return false;
  }
}

function literalTokenInEnv(c: ContainerInfo, e: EnvVar, lines: LineMap): Diagnostic {
  const secret = 'cloudflared-token';
  const valuePair = e.entry.items.find((p) => isScalar(p.key) && (p.key as Scalar).value === 'value');
  const keyNode = valuePair?.key as Scalar | undefined;
  const fixes: Fix[] = [];
  if (keyNode?.range && !e.entry.flow) {
    const keyPos = lines.position(keyNode.range[0]);
    const pad = ' '.repeat(keyPos.character);
    const replacement = `valueFrom:\n${pad}  secretKeyRef:\n${pad}    name: ${secret}\n${pad}    key: token`;
    fixes.push({
      title: `Move the token to Secret '${secret}' (written to ${secret}.env, git-ignored)`,
      isPreferred: true,
      edits: [{ range: lines.range(keyNode.range[0], e.value!.range![1]), newText: replacement }],
      files: [{ path: `${secret}.env`, content: `token=${str(e.value).trim()}\n`, gitignore: true }],
    });
  }
  return {
    code: 'literal-token',
    severity: 'warning',
    message: `env ${e.name} in container '${c.name}' holds a tunnel token in plain text: anyone who can read this manifest can run your tunnel. Keep it in a Secret (kubectl create secret generic ${secret} --from-env-file=${secret}.env) and use valueFrom.secretKeyRef.`,
    range: scalarRange(e.value!, lines),
    fixes,
  };
}

function scalarRange(node: Scalar, lines: LineMap) {
  return lines.range(node.range![0], node.range![1]);
}

/**
 * The range of a reference inside a scalar as written. Plain and quoted scalars keep `$NAME`
 * spelt the same in the source, so the n-th occurrence of the reference text in the value is
 * the n-th occurrence in the source.
 */
function refRange(node: Scalar, value: string, ref: VarRef, lines: LineMap) {
  const [start, end] = node.range!;
  const source = lines.text.slice(start, end);
  const needle = value.slice(ref.start, ref.end);
  let nth = 0;
  for (let i = value.indexOf(needle); i >= 0 && i < ref.start; i = value.indexOf(needle, i + 1)) nth++;
  let at = -1;
  for (let k = 0; k <= nth; k++) {
    at = source.indexOf(needle, at + 1);
    if (at < 0) return lines.range(start, end);
  }
  return lines.range(start + at, start + at + needle.length);
}
