/**
 * One cloudflared container against the files it reads: `--config` → volumeMount → ConfigMap →
 * generator input (or manifest value), `credentials-file` → Secret → generator input, the tunnel
 * it runs against the credentials' TunnelID, the rollout of config changes, probes against
 * metrics, and its ingress rules against the workspace's Services.
 */
import type { Scalar } from 'yaml';
import { looksLikeConfigKeys } from '../../analyze';
import type { KeyValue } from '../../yaml/load';
import type { Diagnostic, Fix, Range } from '../../types';
import type { Ctx } from '../context';
import type { ContainerDef } from '../fileSummary';
import {
  configDoc,
  describeObject,
  envValue,
  hasVarRef,
  keyLocation,
  linkFile,
  objectValue,
  parseCli,
  relative,
} from '../links';
import type { Cli, ConfigDoc, FileLink, WorkloadContext } from '../links';
import { CLOUDFLARED_CONFIG_FILES, cloudflaredSearchDirs } from '../../cloudflare/configDirs';
import { checkProbes } from './probes';
import type { MetricsSetting } from './probes';
import { checkPolicies } from './networkPolicy';
import { checkRules } from './services';
import { rangeOf, replaceScalar } from './output';
import type { ContainerLink, LinkedFile, Output } from './output';

/** Where cloudflared looks for config.yml/config.yaml without --config (the image's user is nonroot). */
const DEFAULT_CONFIG_DIRS = cloudflaredSearchDirs('/home/nonroot');

/** The stock image: distroless, so a path no volume provides does not exist. */
function isStockImage(image: string): boolean {
  return /(^|\/)cloudflared(:|@|$)/.test(image);
}

/** A value and where it is written. */
interface Located {
  value: string;
  where: string;
  path: string;
  range: Range;
  node?: Scalar;
  /** An edit that writes another value there. */
  replace?: (value: string) => Fix['edits'][number] | undefined;
}

export function checkCloudflared(ctx: Ctx, w: WorkloadContext, c: ContainerDef, out: Output): void {
  const cli = parseCli(c);
  const file = w.file;
  const link: ContainerLink = {
    file: file.path,
    workload: { kind: w.workload.kind, name: w.workload.name },
    container: c.info.name,
    namespace: w.namespace,
  };
  const outermost = w.placement.chain[w.placement.chain.length - 1];
  if (outermost) link.build = outermost.dir;
  out.links.push(link);
  const stock = isStockImage(c.info.image);
  const injected = injector(w);
  const mounts = c.mounts.map((m) => m.mountPath).join(', ') || 'none';

  // ── the config
  let cfg: ConfigDoc | undefined;
  /** False when cloudflared may read a config the workspace does not show. */
  let configKnown = true;
  const configFlag = cli.flags.get('config');
  if (configFlag && (configFlag.value === undefined || !configFlag.valueNode || hasVarRef(configFlag.value)))
    configKnown = false;
  else if (configFlag?.value !== undefined && configFlag.valueNode) {
    const path = configFlag.value;
    const range = rangeOf(file.lines, configFlag.valueNode);
    const found = linkFile(ctx, w, c, path);
    if (found.kind === 'unmounted' && stock) {
      out.add(
        file.path,
        injected
          ? {
              code: 'config-not-mounted',
              severity: 'information',
              message: `No volumeMount of container '${c.info.name}' in the workspace provides ${path} (mounts: ${mounts}), but the pod template's ${injected.annotation} annotation has it injected by ${injected.by} at admission, which the workspace does not show: make sure it renders cloudflared's config at ${path}.`,
              range,
            }
          : {
              code: 'config-not-mounted',
              severity: 'warning',
              message: `cloudflared reads its config from ${path}, but no volumeMount of container '${c.info.name}' provides that path (mounts: ${mounts}): cloudflared exits with "open ${path}: no such file or directory".`,
              range,
            },
      );
    } else if (found.kind === 'missing') {
      const fixes = alternativeFixes(
        found,
        /\.ya?ml$/,
        (p) => (configFlag.inline ? `--config=${p}` : p),
        file.lines,
        configFlag.valueNode,
      );
      // A folder with several mistakes shows them all: the one config the volume holds is the intended one.
      const intended = intendedConfig(ctx, w, c, found);
      out.add(file.path, {
        code: 'config-key-missing',
        severity: 'warning',
        message: `cloudflared reads its config from ${path}, mounted from volume '${found.volume.name}' at ${found.mount.mountPath}, but ${found.reasons.join('; ')}: cloudflared exits with "open ${path}: no such file or directory".${intended ? ` The other checks read ${intended.path}, the one cloudflared config the volume holds, as the intended config.` : ''}`,
        range,
        ...(fixes.length > 0 ? { fixes } : {}),
      });
      if (intended) {
        cfg = intended.cfg;
        checkRollout(w, intended.found, out);
      }
    } else if (found.kind === 'found') {
      cfg = configDoc(ctx, found);
      link.config = linked(path, found);
      checkRollout(w, found, out);
    }
    configKnown = cfg !== undefined;
  } else {
    configKnown = stock;
    search: for (const dir of DEFAULT_CONFIG_DIRS) {
      for (const name of CLOUDFLARED_CONFIG_FILES) {
        const path = `${dir}/${name}`;
        const found = linkFile(ctx, w, c, path);
        if (found.kind === 'unknown') configKnown = false;
        if (found.kind !== 'found') continue;
        cfg = configDoc(ctx, found);
        configKnown = cfg !== undefined;
        link.config = linked(path, found);
        checkRollout(w, found, out);
        break search;
      }
    }
  }
  const configKey = (name: string): KeyValue | undefined => cfg?.model.entries.find((e) => e.name === name);
  const fromConfig = (name: string): Located | 'unknown' | undefined => {
    if (!configKnown) return 'unknown';
    const e = configKey(name);
    if (!cfg || !e?.value || !('value' in e.value) || typeof e.value.value !== 'string') return undefined;
    const node = e.value as Scalar;
    const doc = cfg;
    return {
      value: e.value.value,
      where: `${name} in ${relative(file.path, doc.path)}`,
      path: doc.path,
      range: doc.map(rangeOf(doc.model.lines, node)),
      node,
      replace: (v: string) => (doc.exact ? mapEdit(doc, replaceScalar(doc.model.lines, node, v)) : undefined),
    };
  };
  const fromFlag = (name: string): Located | undefined => {
    const f = cli.flags.get(name);
    if (f?.value === undefined || !f.valueNode) return undefined;
    const node = f.valueNode;
    return {
      value: f.value,
      where: `--${name} in ${c.info.args.includes(node) ? 'args' : 'command'}`,
      path: file.path,
      range: rangeOf(file.lines, node),
      node,
      replace: (v) => replaceScalar(file.lines, node, f.inline ? `--${name}=${v}` : v),
    };
  };
  const fromEnv = (name: string): Located | 'unknown' | undefined => {
    const e = envValue(ctx, w, c, name);
    if (e === undefined || e === 'unknown') return e;
    return {
      value: e.value,
      where: `env ${name}`,
      path: file.path,
      range: rangeOf(file.lines, e.node),
      node: e.node,
      replace: (v: string) => replaceScalar(file.lines, e.node, v),
    };
  };
  const setting = (flag: string, env: string, key: string): Located | 'unknown' | undefined =>
    fromFlag(flag) ?? fromEnv(env) ?? fromConfig(key);

  // ── the credentials
  const usesToken =
    ['token', 'token-file', 'credentials-contents'].some((f) => cli.flags.has(f) || configKey(f) !== undefined) ||
    ['TUNNEL_TOKEN', 'TUNNEL_TOKEN_FILE', 'TUNNEL_CRED_CONTENTS'].some((v) => envValue(ctx, w, c, v) !== undefined);
  const cred = usesToken ? undefined : setting('credentials-file', 'TUNNEL_CRED_FILE', 'credentials-file');
  if (cred && cred !== 'unknown' && !hasVarRef(cred.value)) {
    const found = linkFile(ctx, w, c, cred.value);
    if (found.kind === 'unmounted' && stock && injected) {
      out.add(cred.path, {
        code: 'credentials-not-mounted',
        severity: 'information',
        message: `No volumeMount of container '${c.info.name}' in ${relative(cred.path, file.path)} provides credentials-file ${cred.value} (${cred.where}; mounts: ${mounts}), but the pod template's ${injected.annotation} annotation has it injected by ${injected.by} at admission, which the workspace does not show: make sure it renders the tunnel's credentials.json at ${cred.value}.`,
        range: cred.range,
      });
    } else if (found.kind === 'unmounted' && stock) {
      out.add(cred.path, {
        code: 'credentials-not-mounted',
        severity: 'warning',
        message: `credentials-file ${cred.value} (${cred.where}) is not provided by any volumeMount of container '${c.info.name}' in ${relative(cred.path, file.path)} (mounts: ${mounts}): tunnel run fails with "Tunnel credentials file '${cred.value}' doesn't exist or is not a file". Mount the Secret that holds credentials.json there.`,
        range: cred.range,
      });
    } else if (found.kind === 'missing') {
      const candidates = found.alternatives.filter((p) => p.endsWith('.json')).slice(0, 3);
      const fixes: Fix[] = [];
      for (const p of candidates) {
        const edit = cred.replace?.(p);
        if (edit)
          fixes.push({ title: `Read ${p}`, edits: [edit], ...(candidates.length === 1 ? { isPreferred: true } : {}) });
      }
      out.add(cred.path, {
        code: 'credentials-key-missing',
        severity: 'warning',
        message: `credentials-file ${cred.value} (${cred.where}) is in volume '${found.volume.name}' mounted at ${found.mount.mountPath}, but ${found.reasons.join('; ')}: tunnel run fails with "Tunnel credentials file '${cred.value}' doesn't exist or is not a file".`,
        range: cred.range,
        ...(fixes.length > 0 ? { fixes } : {}),
      });
    } else if (found.kind === 'found') {
      link.credentials = linked(cred.value, found);
      if (found.object.kind === 'ConfigMap') {
        out.add(cred.path, {
          code: 'credentials-in-configmap',
          severity: 'warning',
          message: `credentials-file ${cred.value} comes from ${describeObject(found.object, cred.path)}: the tunnel secret is then readable by anyone who may read ConfigMaps. Ship it in a Secret (secretGenerator) and mount that.`,
          range: cred.range,
        });
      }
      const tunnel = fromConfig('tunnel');
      if (found.verified)
        checkCredentials(ctx, cred.value, found, cli, tunnel === 'unknown' ? undefined : tunnel, w, out);
    }
  }

  // ── probes, rules
  const metrics: MetricsSetting | 'unknown' | undefined = setting('metrics', 'TUNNEL_METRICS', 'metrics');
  checkProbes(w, c, cli, metrics, out);
  if (cfg) checkRules(ctx, cfg, w.namespace, out);
  checkPolicies(ctx, w, cfg, out);
}

/**
 * The config a `--config` path that the volume does not provide was meant to read: the volume's
 * only file that holds a cloudflared config. Undefined when there is none, or more than one.
 */
function intendedConfig(
  ctx: Ctx,
  w: WorkloadContext,
  c: ContainerDef,
  missing: Extract<FileLink, { kind: 'missing' }>,
): { path: string; found: Extract<FileLink, { kind: 'found' }>; cfg: ConfigDoc } | undefined {
  const candidates: Array<{ path: string; found: Extract<FileLink, { kind: 'found' }>; cfg: ConfigDoc }> = [];
  for (const path of new Set(missing.alternatives)) {
    const found = linkFile(ctx, w, c, path);
    if (found.kind !== 'found') continue;
    const cfg = configDoc(ctx, found);
    if (!cfg || !looksLikeConfigKeys(new Set(cfg.model.entries.map((e) => e.name)), found.key)) continue;
    candidates.push({ path, found, cfg });
  }
  return candidates.length === 1 ? candidates[0] : undefined;
}

/**
 * Admission webhooks that add files to the pod (a sidecar or init container and its volume) from
 * annotations on the pod template: what they write is not in the workspace.
 */
const INJECTORS: Array<{ pattern: RegExp; on?: RegExp; by: string }> = [
  { pattern: /^vault\.hashicorp\.com\/agent-inject$/, on: /^(true|yes|on|1)$/i, by: 'the Vault agent injector' },
  { pattern: /^vault\.security\.banzaicloud\.io\//, by: 'the Bank-Vaults webhook' },
  { pattern: /^operator\.1password\.io\/inject$/, by: 'the 1Password injector' },
  { pattern: /^conjur\.org\/container-mode$/, by: 'the Conjur secrets provider' },
  { pattern: /^akeyless\/enabled$/, on: /^true$/i, by: 'the Akeyless injector' },
];

function injector(w: WorkloadContext): { annotation: string; by: string } | undefined {
  const annotations = w.workload.kind === 'Pod' ? w.workload.annotations : w.workload.templateAnnotations;
  for (const key of Object.keys(annotations).sort()) {
    const hit = INJECTORS.find((i) => i.pattern.test(key));
    if (hit && (!hit.on || hit.on.test(annotations[key]!))) return { annotation: key, by: hit.by };
  }
  return undefined;
}

function linked(path: string, found: Extract<FileLink, { kind: 'found' }>): LinkedFile {
  const o = found.object;
  const source = o.origin === 'generator' ? o.obj.keys.find((k) => k.key === found.key)?.source.path : o.placed.file;
  return {
    path,
    kind: o.kind,
    name: o.name,
    key: found.key,
    volume: found.volume.name,
    ...(source ? { source } : {}),
    ...(o.origin === 'generator' ? { kustomization: o.kust.path } : {}),
  };
}

function mapEdit(doc: ConfigDoc, edit: Fix['edits'][number] | undefined): Fix['edits'][number] | undefined {
  return edit ? { ...edit, range: doc.map(edit.range) } : undefined;
}

/** Fixes that point the path at a file the volume does provide. */
function alternativeFixes(
  found: Extract<FileLink, { kind: 'missing' }>,
  pattern: RegExp,
  write: (p: string) => string,
  lines: Parameters<typeof replaceScalar>[0],
  node: Scalar,
): Fix[] {
  const candidates = found.alternatives.filter((p) => pattern.test(p)).slice(0, 3);
  const fixes: Fix[] = [];
  for (const p of candidates) {
    const edit = replaceScalar(lines, node, write(p));
    if (edit)
      fixes.push({ title: `Read ${p}`, edits: [edit], ...(candidates.length === 1 ? { isPreferred: true } : {}) });
  }
  return fixes;
}

const UUID = /^(?:urn:uuid:)?\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

/** Go's uuid.Parse forms, normalised; undefined for a tunnel name. */
function parseUuid(s: string): string | undefined {
  const m = UUID.exec(s.trim());
  return m ? m.slice(1).join('-').toLowerCase() : undefined;
}

/** The credentials JSON the workspace ships: valid JSON, and the TunnelID of the tunnel cloudflared runs. */
function checkCredentials(
  ctx: Ctx,
  credPath: string,
  found: Extract<FileLink, { kind: 'found' }>,
  cli: Cli,
  configTunnel: Located | undefined,
  w: WorkloadContext,
  out: Output,
): void {
  const text = objectValue(found.object, found.key);
  if (text === undefined) return;
  const where = keyLocation(ctx, found.object, found.key);
  let tunnelID: unknown;
  try {
    tunnelID = (JSON.parse(text) as { TunnelID?: unknown }).TunnelID;
  } catch {
    if (!where) return;
    out.add(where.path, {
      code: 'credentials-invalid',
      severity: 'warning',
      message: `${where.input ? relative(where.path, where.input) : `key '${found.key}'`} is not valid JSON, and cloudflared reads it as ${credPath}: tunnel run fails ("The credentials file at ${credPath} contained invalid JSON"). It should be the .json file \`cloudflared tunnel create\` wrote.`,
      range: where.range,
    });
    return;
  }
  const fileId = typeof tunnelID === 'string' ? parseUuid(tunnelID) : undefined;
  if (!fileId) return;
  const ref: Located | undefined =
    cli.tunnelRef && !hasVarRef(cli.tunnelRef.value)
      ? {
          value: cli.tunnelRef.value,
          where: 'the tunnel argument of `tunnel run`',
          path: w.file.path,
          range: rangeOf(w.file.lines, cli.tunnelRef.node),
        }
      : configTunnel;
  const refId = ref ? parseUuid(ref.value) : undefined;
  if (!ref || !refId || refId === fileId) return;
  const shipped = where?.input
    ? relative(ref.path, where.input)
    : `key '${found.key}' of ${describeObject(found.object, ref.path)}`;
  const d: Diagnostic = {
    code: 'tunnel-id-mismatch',
    severity: 'warning',
    message: `This runs tunnel ${refId}, but the credentials cloudflared reads (${shipped}) belong to tunnel ${fileId}: cloudflared authenticates as ${refId} with the other tunnel's secret and the edge refuses it. Use the credentials of ${refId}, or run ${fileId}.`,
    range: ref.range,
  };
  const edit = ref.node ? ref.replace?.(fileId) : undefined;
  if (edit) d.fixes = [{ title: `Run tunnel ${fileId} (the credentials' TunnelID)`, edits: [edit] }];
  out.add(ref.path, d);
}

/**
 * cloudflared never re-reads its config: a change must roll the pods. A hashed generator name does
 * (the pod template changes); with disableNameSuffixHash only an annotation-driven restart would.
 */
function checkRollout(w: WorkloadContext, found: Extract<FileLink, { kind: 'found' }>, out: Output): void {
  const o = found.object;
  if (o.origin !== 'generator' || !o.obj.disableNameSuffixHash) return;
  const annotations = { ...w.workload.annotations, ...w.workload.templateAnnotations };
  if (Object.keys(annotations).some((k) => /checksum|config-?hash|reloader|restartedAt/i.test(k))) return;
  const local = o.obj.generator.options?.disableNameSuffixHash;
  const global = o.kust.k.generatorOptions?.disableNameSuffixHash;
  const at = local?.value ? local : global?.value ? global : undefined;
  out.add(o.kust.path, {
    code: 'config-no-rollout',
    severity: 'warning',
    message: `ConfigMap '${o.obj.baseName}' feeds cloudflared's config (${w.workload.kind} '${w.workload.name}' in ${relative(o.kust.path, w.file.path)}) and keeps a fixed name: an edit changes nothing in the pod template, so no rollout happens and cloudflared, which never reloads its config, keeps running the old one. Keep the hash suffix, or add a checksum annotation to the pod template.`,
    range: at?.range ?? o.obj.generator.headRange,
  });
}
