/** The workspace's cloudflared configs as `findDrift` takes them, and findings back as diagnostics. */
import type { ConfigModel } from '../config/model';
import { checkConfigText } from '../config/check';
import { yamlScalar } from '../expose';
import { traceRules } from '../routing/fromWorkspace';
import type { Diagnostic, Fix, Range } from '../types';
import { yamlRange } from '../yaml/load';
import type { DriftFinding, DriftWorkspaceConfig, DriftWorkspaceRule } from './types';

/** A checked config.yaml as `findDrift` takes it (ranges in the config's own text). */
export function driftConfigFromModel(path: string, model: ConfigModel): DriftWorkspaceConfig {
  const range = (node: Parameters<typeof yamlRange>[1]): Range => yamlRange(model.lines, node);
  // The origin settings as a trace reads them: the rule's originRequest over the config's.
  const origins = traceRules(model, path, undefined, () => undefined).map((r) => r.origin);
  const cfg: DriftWorkspaceConfig = {
    path,
    rules: model.rules.map((r, i) => {
      const rule: DriftWorkspaceRule = { service: r.service, range: range(r.node) };
      if (r.hostname) rule.hostname = r.hostname;
      if (r.path) rule.path = r.path;
      const origin = origins[i];
      if (origin && Object.keys(origin).length > 0) rule.origin = origin;
      const h = r.struct?.fields.get('hostname')?.entry.written;
      const s = r.struct?.fields.get('service')?.entry.written;
      if (h) rule.hostnameRange = range(h);
      if (s) rule.serviceRange = range(s);
      return rule;
    }),
  };
  if (model.tunnel) cfg.tunnel = model.tunnel;
  if (model.ingressEntry) cfg.ingressRange = range(model.ingressEntry.key);
  return cfg;
}

/** `driftConfigFromModel` for the text of a standalone config.yaml (undefined when it is no config). */
export function driftConfigFromText(path: string, text: string): DriftWorkspaceConfig | undefined {
  const { model } = checkConfigText(text);
  return model ? driftConfigFromModel(path, model) : undefined;
}

/**
 * The findings located in the config at `path`, as diagnostics on the lines they concern, with
 * the service rewrites as quick fixes. Never errors: only cloudflared's own refusals are errors
 * in a config (docs/ARCHITECTURE.md), so an error finding becomes a warning here.
 */
export function driftDiagnostics(findings: readonly DriftFinding[], path: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of findings) {
    if (!f.location || f.location.path !== path) continue;
    const fixes: Fix[] = [];
    for (const a of f.actions) {
      if (a.kind !== 'rewrite-service') continue;
      const t = a.data.target;
      if (t.source !== 'workspace' || t.path !== path || !t.serviceRange) continue;
      fixes.push({
        title: a.title,
        edits: [{ range: t.serviceRange, newText: yamlScalar(a.data.to) }],
        ...(a.preferred ? { isPreferred: true } : {}),
      });
    }
    out.push({
      code: f.code,
      severity: f.severity === 'error' ? 'warning' : f.severity,
      message: f.message,
      range: f.location.range,
      ...(fixes.length > 0 ? { fixes } : {}),
    });
  }
  return out;
}
