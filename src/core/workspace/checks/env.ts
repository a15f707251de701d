/**
 * Environment references against the ConfigMaps/Secrets the workspace generates or defines:
 * `valueFrom.secretKeyRef`/`configMapKeyRef` keys, and `$(VAR)` references that only envFrom
 * could provide.
 */
import { isMap, isScalar } from 'yaml';
import type { Scalar, YAMLMap } from 'yaml';
import { lintEnvFromRefs } from '../../kubernetes/manifest';
import type { Fix } from '../../types';
import { deref } from '../../yaml/load';
import type { Ctx } from '../context';
import { str } from '../fileSummary';
import type { ContainerDef } from '../fileSummary';
import { describeObject, envFromNames, resolveObject } from '../links';
import type { WorkloadContext } from '../links';
import { rangeOf, replaceScalar } from './output';
import type { Output } from './output';

export function checkEnv(ctx: Ctx, w: WorkloadContext, c: ContainerDef, out: Output): void {
  const doc = w.workload.doc;
  const lines = w.file.lines;
  for (const e of c.info.env) {
    for (const [field, kind] of [
      ['secretKeyRef', 'Secret'],
      ['configMapKeyRef', 'ConfigMap'],
    ] as const) {
      const ref = deref(doc, e.entry.getIn(['valueFrom', field], true));
      if (!isMap(ref)) continue;
      const m = ref as YAMLMap;
      const keyNode = deref(doc, m.get('key', true));
      if (!isScalar(keyNode) || str(m.get('optional', true)) === 'true') continue;
      const name = str(m.get('name', true));
      const key = str(keyNode);
      const obj = resolveObject(ctx, w, kind, name);
      if (!obj?.keys || obj.keys.has(key)) continue;
      const keys = [...obj.keys];
      const fixes: Fix[] = [];
      for (const k of keys.slice(0, 4)) {
        const edit = replaceScalar(lines, keyNode as Scalar, k);
        if (edit)
          fixes.push({ title: `Use key '${k}'`, edits: [edit], ...(keys.length === 1 ? { isPreferred: true } : {}) });
      }
      const message = `${describeObject(obj, w.file.path)} has no key '${key}'${keys.length > 0 ? ` (its keys: ${keys.join(', ')})` : ''}: the container cannot start (CreateContainerConfigError: couldn't find key ${key}).`;
      const d = {
        severity: 'warning' as const,
        message,
        range: rangeOf(lines, keyNode),
        ...(fixes.length > 0 ? { fixes } : {}),
      };
      out.add(
        w.file.path,
        kind === 'Secret' ? { code: 'env-secret-key-missing', ...d } : { code: 'env-configmap-key-missing', ...d },
      );
    }
  }
  if (c.info.envFrom.length > 0) {
    const from = envFromNames(ctx, w, c);
    if (from) for (const d of lintEnvFromRefs(c.info, lines, from.names, from.sources)) out.add(w.file.path, d);
  }
}
