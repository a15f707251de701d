/** Every cross-file check that starts from one file (its diagnostics may land in other files). */
import { posix } from 'node:path';
import { looksLikeConfigText } from '../../analyze';
import { isKustomizationFileName } from '../../kustomize/model';
import type { Ctx } from '../context';
import type { FileSummary } from '../fileSummary';
import { embeddedDoc, workloadContext } from '../links';
import { checkCloudflared } from './cloudflared';
import { checkEnv } from './env';
import { checkKustomization } from './kustomization';
import { Output } from './output';
import { checkPractices } from './practices';
import { checkRouting } from './routing';
import { checkRules } from './services';

/**
 * The unit of the checks that start from the whole workspace rather than one file (routing through
 * ingress controllers); not a path any file can have.
 */
export const ROUTING_UNIT = '\0routing';

/** True when a file starts checks of its own (a kustomization, workloads, or cloudflared configs). */
export function hasChecks(file: FileSummary | undefined, isKustomization: boolean): boolean {
  if (isKustomization) return true;
  if (!file) return false;
  return file.workloads.length > 0 || file.config !== undefined || file.objects.some((o) => o.kind === 'ConfigMap');
}

export function runChecks(ctx: Ctx, path: string): Output {
  const out = new Output();
  if (path === ROUTING_UNIT) {
    checkRouting(ctx, out);
    return out;
  }
  if (isKustomizationFileName(path)) {
    const entry = ctx.kustomization(posix.dirname(path));
    if (entry?.path === path) checkKustomization(ctx, entry, out);
    return out;
  }
  const file = ctx.file(path);
  if (!file) return out;

  // Configs on their own: only Service names that say their namespace can be judged (the
  // containers that read them check bare names in their pod's namespace).
  if (file.config) checkRules(ctx, { model: file.config, path, map: (r) => r, exact: true }, undefined, out);
  const placement = file.objects.some((o) => o.kind === 'ConfigMap') ? ctx.placement(path) : undefined;
  for (const o of file.objects) {
    if (o.kind !== 'ConfigMap') continue;
    for (const entry of o.entries.values()) {
      if (!/\.ya?ml$/.test(entry.key) || entry.base64 || !looksLikeConfigText(entry.value)) continue;
      const cfg = embeddedDoc(file, entry);
      if (cfg) checkRules(ctx, cfg, placement?.namespace ?? o.namespace ?? 'default', out);
    }
  }

  for (const w of file.workloads) {
    const wctx = workloadContext(ctx, file, w);
    for (const c of w.containers) checkEnv(ctx, wctx, c, out);
    const cloudflared = w.containers.filter((c) => c.cloudflared && !c.init);
    for (const c of cloudflared) checkCloudflared(ctx, wctx, c, out);
    if (cloudflared.length > 0) checkPractices(ctx, wctx, cloudflared, out);
  }
  return out;
}
