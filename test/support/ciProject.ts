/** A project for the CI-recipe and pre-commit tests: a fixture's Deployment at deploy/cloudflared.yaml, and a file the hooks skip. */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const repoRoot = join(__dirname, '../..');

export function repoWith(base: string, fixture: string): string {
  const ws = join(base, fixture);
  mkdirSync(join(ws, 'deploy'), { recursive: true });
  cpSync(join(repoRoot, 'test/fixtures/ci', fixture, 'cloudflared.yaml'), join(ws, 'deploy/cloudflared.yaml'));
  writeFileSync(join(ws, 'notes.txt'), 'not YAML\n');
  return ws;
}
