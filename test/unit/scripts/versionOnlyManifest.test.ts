/**
 * scripts/version-only-manifest.mjs: the CLI bundles (dist/cli.js by esbuild.mjs, the npm package's
 * by scripts/pack-cli.mjs) hold the extension's version, not its whole package.json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { versionOnlyManifest } from '../../../scripts/version-only-manifest.mjs';

const root = join(__dirname, '../../..');

async function bundleCli(plugins: esbuild.Plugin[]): Promise<{ text: string; manifestBytes: number }> {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/cli/main.ts'],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    metafile: true,
    logLevel: 'silent',
    plugins,
  });
  return { text: result.outputFiles[0]!.text, manifestBytes: result.metafile.inputs['package.json']?.bytes ?? -1 };
}

test('the CLI bundle holds the version, not the manifest', async () => {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const whole = await bundleCli([]);
  assert.match(whole.text, /\bwalkthroughs\b/, 'without the plugin, the whole package.json is bundled');
  const slim = await bundleCli([versionOnlyManifest(root)]);
  assert.doesNotMatch(slim.text, /\b(walkthroughs|activationEvents)\b/);
  assert.ok(slim.text.includes(JSON.stringify(version)), 'the version is in the bundle');
  assert.equal(slim.manifestBytes, JSON.stringify({ version }).length);
  assert.ok(whole.text.length - slim.text.length > 10_000);
});

test('both CLI builds use it', () => {
  for (const file of ['esbuild.mjs', 'scripts/pack-cli.mjs'])
    assert.match(readFileSync(join(root, file), 'utf8'), /versionOnlyManifest\(/, file);
});
