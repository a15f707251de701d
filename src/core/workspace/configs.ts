/**
 * The cloudflared configs one indexed file holds, standalone or in ConfigMap `data` entries, as
 * the drift report and the Tunnels view read them: the rules with their ranges in that file.
 * Only configs that name a tunnel (`tunnel:`). The language server answers
 * `cftunnel/workspaceConfigs` (src/shared/workspaceConfigs.ts) with these.
 */
import { looksLikeConfigText } from '../analyze';
import { driftConfigFromModel } from '../drift/workspace';
import type { DriftWorkspaceConfig } from '../drift/types';
import type { Range } from '../types';
import { yamlRange } from '../yaml/load';
import { embeddedConfig } from './fileSummary';
import type { FileSummary } from './fileSummary';

export interface ConfigInFile extends DriftWorkspaceConfig {
  tunnel: string;
  embedded: boolean;
  /** False when the ranges are only the ConfigMap value's (no exact mapping into the file). */
  exact: boolean;
  configMap?: string;
  key?: string;
}

export function configsInFile(file: FileSummary): ConfigInFile[] {
  const out: ConfigInFile[] = [];
  if (file.config?.tunnel)
    out.push({
      ...driftConfigFromModel(file.path, file.config),
      tunnel: file.config.tunnel,
      embedded: false,
      exact: true,
    });
  for (const obj of file.objects) {
    if (obj.kind !== 'ConfigMap') continue;
    for (const entry of obj.entries.values()) {
      if (entry.base64 || !/\.ya?ml$/.test(entry.key) || !looksLikeConfigText(entry.value)) continue;
      const emb = embeddedConfig(file, entry);
      if (!emb.model?.tunnel) continue;
      const inner = driftConfigFromModel(file.path, emb.model);
      const whole = yamlRange(file.lines, entry.node);
      const map = emb.map ?? ((): Range => whole);
      out.push({
        path: file.path,
        tunnel: emb.model.tunnel,
        rules: inner.rules.map((r) => ({
          ...r,
          range: map(r.range),
          ...(r.hostnameRange ? { hostnameRange: map(r.hostnameRange) } : {}),
          ...(r.serviceRange && emb.map ? { serviceRange: map(r.serviceRange) } : {}),
        })),
        ...(inner.ingressRange ? { ingressRange: map(inner.ingressRange) } : {}),
        embedded: true,
        exact: emb.map !== undefined,
        configMap: obj.name,
        key: entry.key,
      });
    }
  }
  return out;
}
