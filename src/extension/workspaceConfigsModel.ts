/**
 * The workspace's cloudflared configs (`cftunnel/workspaceConfigs`, answered by the language
 * server) as each reader takes them: the drift core, the Tunnels view's hostname join, and
 * "Expose through tunnel" (the configs of one tunnel). No `vscode` import: test/unit covers it.
 */
import type { WorkspaceRule } from '../core/cloudflare/tunnelsTree';
import type { DriftWorkspaceConfig } from '../core/drift';
import type { WorkspaceConfig } from '../shared/workspaceConfigs';

/** The configs as `findDrift` takes them. */
export function driftWorkspaceConfigs(configs: readonly WorkspaceConfig[]): DriftWorkspaceConfig[] {
  return configs.map((c) => ({
    path: c.path,
    tunnel: c.tunnel,
    rules: c.rules.map((r) => ({ ...r })),
    ...(c.ingressRange ? { ingressRange: c.ingressRange } : {}),
  }));
}

/** The rules as the Tunnels view joins them onto tunnels (with the line, where it is exact). */
export function workspaceRules(configs: readonly WorkspaceConfig[]): WorkspaceRule[] {
  return configs.flatMap((c) =>
    c.rules.map((r) => {
      const rule: WorkspaceRule = { tunnel: c.tunnel, service: r.service, file: c.path };
      if (r.hostname) rule.hostname = r.hostname;
      if (r.path) rule.path = r.path;
      if (r.origin && Object.keys(r.origin).length > 0) rule.origin = r.origin;
      if (c.exact) rule.line = r.range.start.line;
      return rule;
    }),
  );
}

/**
 * Whether a rule edit (remove a rule, rewrite its service) at `range` of `path` can be made as
 * text: not in a ConfigMap value whose ranges are not exact.
 */
export function editableAt(
  configs: readonly WorkspaceConfig[],
  path: string,
  range: WorkspaceConfig['rules'][number]['range'],
): boolean {
  const same = (a: typeof range, b: typeof range): boolean =>
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character;
  return !configs.some((c) => c.path === path && !c.exact && c.rules.some((r) => same(r.range, range)));
}
