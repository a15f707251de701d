/** Every code the core can emit is documented in docs/DIAGNOSTICS.md, and nothing documented is stale. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('diagnostic codes and docs/DIAGNOSTICS.md agree', () => {
  const doc = readFileSync(join(root, 'docs/DIAGNOSTICS.md'), 'utf8');
  const documented = new Set([...doc.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]!));
  const emitted = new Set<string>();
  for (const file of sources(join(root, 'src/core'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/code: '([a-z0-9-]+)'/g)) emitted.add(m[1]!);
    // Codes have a hyphen: `out.push('everyone')` (a word of a sentence) is not one.
    for (const m of text.matchAll(/(?:report|push)\(\s*'([a-z0-9]+(?:-[a-z0-9]+)+)'/g)) emitted.add(m[1]!);
    // A code named by a constant (`export const ACCESS_NOT_PROTECTED = 'access-not-protected'`) used as one.
    for (const m of text.matchAll(/^export const (\w+) = '([a-z0-9]+(?:-[a-z0-9]+)+)';/gm))
      if (new RegExp(`(?:code: |typeof )${m[1]}\\b`).test(text)) emitted.add(m[2]!);
    for (const m of text.matchAll(/return '([a-z0-9-]+)';/g)) if (file.endsWith('ingress.ts')) emitted.add(m[1]!);
  }
  assert.ok(emitted.size > 20, `found only ${emitted.size} codes: the scan is broken`);
  const undocumented = [...emitted].filter((c) => !documented.has(c));
  assert.deepEqual(undocumented, [], 'codes missing from docs/DIAGNOSTICS.md');
  const stale = [...documented].filter((c) => !emitted.has(c));
  assert.deepEqual(stale, [], 'documented codes the core never emits');
});
