// One build path: three CJS bundles for Node 20 (extension, language server, CLI), the Traffic
// panel's webview script for the browser (dist/traffic.js with uPlot; its CSS into dist/traffic.css), and
// dist/ThirdPartyNotices.txt with the licence of every npm package they bundle (scripts/notices.mjs).
import { writeFileSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { bundledPackages, noticesText } from './scripts/notices.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints esbuild's start/finish lines in the format VS Code's esbuild problem matcher expects. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: watch ? [problemMatcher] : [],
  metafile: true,
};

const entries = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['src/server/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The webview: an IIFE for the browser; the page's CSP loads only this file and dist/traffic.css.
  {
    entryPoints: ['src/webview/traffic.ts'],
    outfile: 'dist/traffic.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  const results = await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  const root = new URL('.', import.meta.url).pathname;
  const packages = bundledPackages(
    results.map((r) => r.metafile),
    root,
  );
  writeFileSync(
    new URL('dist/ThirdPartyNotices.txt', import.meta.url),
    noticesText(packages, root, 'Cloudflare Tunnel for Kubernetes'),
  );
}
