/**
 * A kustomization's own diagnostics, which need its inputs: kustomize's problems (a missing
 * generator input, a duplicate key, …) and secret generator inputs that git would commit.
 */
import { posix } from 'node:path';
import type { Ctx } from '../context';
import type { KustEntry } from '../store';
import type { Output } from './output';

export function checkKustomization(ctx: Ctx, entry: KustEntry, out: Output): void {
  const gen = ctx.generated(entry.dir);
  if (!gen) return;
  for (const p of gen.problems) out.add(entry.path, { code: p.code, severity: p.severity, message: p.message, range: p.range });

  const seen = new Set<string>();
  for (const o of gen.objects) {
    if (o.kind !== 'Secret') continue;
    for (const { source } of o.keys) {
      const input = source.path;
      if (!input || seen.has(input)) continue;
      seen.add(input);
      if (ctx.text(input) === undefined || ctx.gitIgnored(input) !== false) continue;
      const rel = posix.relative(entry.dir, input);
      const inside = !rel.startsWith('..');
      out.add(entry.path, {
        code: 'secret-input-not-ignored',
        severity: 'warning',
        message: `${rel} holds the data of Secret '${o.baseName}' and git does not ignore it: a commit would publish it. Add it to .gitignore (if it was committed already, also git rm --cached it and rotate the secret).`,
        range: source.range,
        ...(inside ? { fixes: [{ title: `Add ${rel} to .gitignore`, edits: [], files: [{ path: '.gitignore', content: `${rel}\n`, append: true }], isPreferred: true }] } : {}),
      });
    }
  }
}
