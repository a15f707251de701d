/** package.json as data: every contribution points at something that exists. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, SETTING_DEFAULTS, toSettings } from '../../src/core/settings';
import { COMMANDS } from '../../src/shared/commands';

const root = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const contributes = pkg.contributes;

test('every contributed command has an id in src/shared/commands.ts, the cftunnel prefix and a category', () => {
  const ids = new Set<string>(Object.values(COMMANDS));
  for (const c of contributes.commands) {
    assert.ok(ids.has(c.command), `${c.command} is not in COMMANDS`);
    assert.match(c.command, /^cftunnel\./);
    assert.equal(c.category, 'Cloudflare Tunnel');
  }
  assert.deepEqual([...ids].sort(), contributes.commands.map((c: { command: string }) => c.command).sort());
});

test('views live in the cftunnel container and have welcome content', () => {
  const container = contributes.viewsContainers.activitybar.find((c: { id: string }) => c.id === 'cftunnel');
  assert.ok(container, 'activity-bar container cftunnel');
  assert.ok(existsSync(join(root, container.icon)), `icon ${container.icon}`);
  for (const v of contributes.views.cftunnel) {
    assert.match(v.id, /^cftunnel\./);
    assert.ok(contributes.viewsWelcome.some((w: { view: string }) => w.view === v.id), `welcome for ${v.id}`);
  }
});

test('grammars exist and parse', () => {
  for (const g of contributes.grammars) {
    const grammar = JSON.parse(readFileSync(join(root, g.path), 'utf8'));
    assert.equal(grammar.scopeName, g.scopeName);
  }
});

test('settings use the prefix and have a scope and a markdown description', () => {
  for (const [key, value] of Object.entries<Record<string, unknown>>(contributes.configuration.properties)) {
    assert.match(key, /^cftunnel\./);
    assert.ok(value.scope, `${key} scope`);
    assert.ok(value.markdownDescription, `${key} markdownDescription`);
  }
});

test('setting defaults are the ones in src/core/settings.ts, and the server reads them as contributed', () => {
  const properties = contributes.configuration.properties as Record<string, { default: unknown }>;
  assert.deepEqual(Object.keys(properties).sort(), Object.keys(SETTING_DEFAULTS).sort());
  for (const [key, value] of Object.entries(properties)) assert.deepEqual(value.default, SETTING_DEFAULTS[key], key);
  // The client sends the `cftunnel` section as nested objects: flipping every contributed boolean must flip what the server reads.
  const section: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties)) {
    const parts = key.split('.').slice(1);
    let at = section;
    for (const p of parts.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>;
    at[parts[parts.length - 1]!] = typeof value.default === 'boolean' ? !value.default : value.default;
  }
  assert.deepEqual(toSettings(section), { diagnostics: { enable: !DEFAULT_SETTINGS.diagnostics.enable } });
});

test('entry points match the esbuild outputs and the CLI is declared', () => {
  const esbuild = readFileSync(join(root, 'esbuild.mjs'), 'utf8');
  assert.equal(pkg.main, './dist/extension.js');
  assert.ok(esbuild.includes("outfile: 'dist/extension.js'"));
  assert.ok(esbuild.includes("outfile: 'dist/server.js'"));
  assert.equal(pkg.bin.cftunnel, 'dist/cli.js');
  assert.ok(esbuild.includes("outfile: 'dist/cli.js'"));
});

test('the VSIX allow-list ships the bundles and nothing from src or node_modules', () => {
  const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
  assert.equal(ignore.find((l) => l && !l.startsWith('#')), '**');
  for (const f of ['!dist/extension.js', '!dist/server.js', '!package.json']) assert.ok(ignore.includes(f), f);
  assert.ok(!ignore.some((l) => l.startsWith('!src') || l.startsWith('!node_modules')));
});

test('restricted mode is declared explicitly', () => {
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
});
