// Types for version-only-manifest.mjs (imported by test/unit/scripts).
import type { Plugin } from 'esbuild';
export function versionOnlyManifest(repoRoot: string): Plugin;
