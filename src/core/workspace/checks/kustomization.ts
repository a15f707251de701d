/**
 * A kustomization's own diagnostics, which need its inputs: kustomize's problems (a missing
 * generator input, a duplicate key, …) and secret generator inputs that git would commit.
 *
 * A secretGenerator input that is missing *and* git-ignored is what every fresh clone looks like
 * (credentials.json is kept out of git on purpose): kustomize still refuses the folder, but the
 * folder is not wrong, the clone is incomplete. That is `secret-input-missing` (information, with
 * the way to create the file) instead of `kustomize-missing-file`.
 */
import { posix } from 'node:path';
import { parseFileSource } from '../../kustomize/model';
import type { KustomizeProblem, Located } from '../../kustomize/model';
import type { Range } from '../../types';
import type { Ctx } from '../context';
import type { KustEntry } from '../store';
import type { Output } from './output';

export function checkKustomization(ctx: Ctx, entry: KustEntry, out: Output): void {
  const gen = ctx.generated(entry.dir);
  if (!gen) return;
  for (const p of gen.problems) {
    const ignored = p.code === 'kustomize-missing-file' ? ignoredSecretInput(ctx, entry, p) : undefined;
    if (ignored) out.add(entry.path, ignored);
    else out.add(entry.path, { code: p.code, severity: p.severity, message: p.message, range: p.range });
  }

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
        ...(inside
          ? {
              fixes: [
                {
                  title: `Add ${rel} to .gitignore`,
                  edits: [],
                  files: [{ path: '.gitignore', content: `${rel}\n`, append: true }],
                  isPreferred: true,
                },
              ],
            }
          : {}),
      });
    }
  }
}

/** The `secret-input-missing` finding for a missing secretGenerator input that git ignores (else undefined). */
function ignoredSecretInput(ctx: Ctx, entry: KustEntry, p: KustomizeProblem): Parameters<Output['add']>[1] | undefined {
  for (const g of entry.k.secretGenerator) {
    const inputs: Array<Located<string> & { path: string }> = [];
    for (const e of g.env ? [...g.envs, g.env] : g.envs) inputs.push({ ...e, path: e.value });
    for (const f of g.files) {
      const parsed = parseFileSource(f.value);
      if (!('error' in parsed)) inputs.push({ ...f, path: parsed.path });
    }
    const input = inputs.find((i) => sameRange(i.range, p.range));
    if (!input) continue;
    const abs = posix.isAbsolute(input.path) ? posix.normalize(input.path) : posix.join(entry.dir, input.path);
    if (ctx.gitIgnored(abs) !== true) return undefined;
    const rel = posix.relative(entry.dir, abs);
    const name = g.name?.value ?? '';
    const credentials = /\.json$/i.test(abs);
    const create = credentials
      ? `Create it: run "Cloudflare Tunnel: Write Tunnel credentials.json…" from the Tunnels view, or copy the <tunnel-id>.json that \`cloudflared tunnel create <name>\` wrote to ~/.cloudflared here as ${rel}.`
      : `Create it with the values of Secret '${name}' (see the project's README); git keeps it out of the repository on purpose.`;
    return {
      code: 'secret-input-missing',
      severity: 'information',
      message: `${rel} (the data of Secret '${name}') does not exist yet: git ignores it, so a fresh clone never has it, and kubectl kustomize fails until it is created. ${create}`,
      range: p.range,
    };
  }
  return undefined;
}

function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}
