// The CLI imports the extension's package.json for its version only; bundled as is, the whole manifest
// (its contributions: 23 KiB) would ship in the CLI. This esbuild plugin serves `{"version": …}` in its
// place, for dist/cli.js (esbuild.mjs) and the npm package's bundle (scripts/pack-cli.mjs).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The plugin for the repository at `repoRoot`, with the version its package.json says. */
export function versionOnlyManifest(repoRoot) {
  const manifest = join(repoRoot, 'package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
  return {
    name: 'version-only-manifest',
    setup(build) {
      build.onLoad({ filter: /[\\/]package\.json$/ }, (args) =>
        resolve(args.path) === manifest ? { contents: JSON.stringify({ version }), loader: 'json' } : undefined,
      );
    },
  };
}
