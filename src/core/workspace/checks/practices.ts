/**
 * Opinionated advice for the workloads that run cloudflared (as cloudflare/helm-charts does it):
 * a pinned image, a hardened securityContext, two replicas and a PodDisruptionBudget. All
 * information-level: nothing here stops the tunnel from working.
 */
import { isSeq } from 'yaml';
import type { YAMLMap } from 'yaml';
import { deref } from '../../yaml/load';
import type { Ctx } from '../context';
import { mapAt, str } from '../fileSummary';
import type { ContainerDef, PdbDef } from '../fileSummary';
import type { WorkloadContext } from '../links';
import { relative } from '../links';
import { rangeOf } from './output';
import type { Output } from './output';

export function checkPractices(ctx: Ctx, w: WorkloadContext, containers: ContainerDef[], out: Output): void {
  const lines = w.file.lines;
  const doc = w.workload.doc;
  for (const c of containers) {
    if (c.imageNode && !isPinned(c.info.image)) {
      out.add(w.file.path, {
        code: 'image-not-pinned',
        severity: 'information',
        message: `Image ${c.info.image} has no version tag: each pod start may pull another cloudflared release. Pin one (e.g. cloudflare/cloudflared:2026.8.2) and update it on purpose.`,
        range: rangeOf(lines, c.imageNode),
      });
    }
    const sc = c.securityContext;
    const pod = w.workload.podSecurityContext;
    const settings: Array<[string, boolean]> = [
      [
        'runAsNonRoot: true',
        str(sc?.get('runAsNonRoot', true)) === 'true' || str(pod?.get('runAsNonRoot', true)) === 'true',
      ],
      ['readOnlyRootFilesystem: true', str(sc?.get('readOnlyRootFilesystem', true)) === 'true'],
      ['allowPrivilegeEscalation: false', str(sc?.get('allowPrivilegeEscalation', true)) === 'false'],
      ['capabilities.drop: [ALL]', drops(doc, sc, 'ALL')],
    ];
    const missing = settings.filter(([, ok]) => !ok).map(([s]) => s);
    if (missing.length > 0 && c.nameNode) {
      out.add(w.file.path, {
        code: 'container-not-hardened',
        severity: 'information',
        message: `Container '${c.info.name}' runs with more rights than cloudflared needs: set securityContext ${missing.join(', ')} (cloudflared needs no privileges and writes nothing to its root filesystem).`,
        range: rangeOf(lines, c.nameNode),
      });
    }
  }

  if (w.workload.kind !== 'Deployment') return;
  const replicas = w.workload.replicas;
  const at = rangeOf(lines, replicas?.node ?? w.workload.anchor);
  const count = replicas ? replicas.value : 1;
  if (count === undefined) return;
  if (count < 2) {
    out.add(w.file.path, {
      code: 'single-replica',
      severity: 'information',
      message: `Deployment '${w.workload.name}' runs ${count === 1 ? 'one replica' : 'no replicas'}${replicas ? '' : ' (replicas is not set)'}: while that pod restarts or its node drains, the tunnel is down. Run 2 replicas: cloudflared connectors of one tunnel share the traffic and take over from each other.`,
      range: at,
    });
    return;
  }
  const pdbs = ctx.pdbs(w.namespace);
  if (pdbs.some((p) => selects(p.def, w.workload.podLabels))) return;
  out.add(w.file.path, {
    code: 'no-pod-disruption-budget',
    severity: 'information',
    message: `No PodDisruptionBudget in namespace '${w.namespace}' selects the pods of Deployment '${w.workload.name}'${pdbs.length > 0 ? ` (the workspace has ${pdbs.map((p) => `${p.def.name} in ${relative(w.file.path, p.file)}`).join(', ')})` : ''}: a node drain may evict all ${count} replicas at once. Add one with minAvailable: 1.`,
    range: at,
  });
}

function isPinned(image: string): boolean {
  if (image.includes('@')) return true;
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return colon >= 0 && last.slice(colon + 1) !== 'latest' && last.slice(colon + 1) !== '';
}

function drops(doc: WorkloadContext['workload']['doc'], sc: YAMLMap | undefined, cap: string): boolean {
  const list = deref(doc, mapAt(doc, sc, 'capabilities')?.get('drop', true));
  return isSeq(list) && list.items.some((i) => str(deref(doc, i)) === cap);
}

function selects(pdb: PdbDef, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(pdb.matchLabels)) if (labels[k] !== v) return false;
  for (const e of pdb.matchExpressions) {
    const has = Object.hasOwn(labels, e.key);
    const ok =
      e.operator === 'In'
        ? has && e.values.includes(labels[e.key]!)
        : e.operator === 'NotIn'
          ? !has || !e.values.includes(labels[e.key]!)
          : e.operator === 'Exists'
            ? has
            : e.operator === 'DoesNotExist'
              ? !has
              : false;
    if (!ok) return false;
  }
  return true;
}
