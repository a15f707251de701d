// One build path: three CJS bundles for Node 20 (extension, language server, CLI), the Kubernetes
// client the extension loads on first use (dist/kubernetes.js), the Traffic panel's webview script for
// the browser (dist/traffic.js with uPlot; its CSS into dist/traffic.css), and
// dist/ThirdPartyNotices.txt with the licence of every npm package they bundle (scripts/notices.mjs).
// Every build but --watch also writes esbuild's metafile of each bundle to dist/<name>.meta.json (not
// shipped: .vscodeignore is an allow list), which `npm run bundle:report` summarises.
import { writeFileSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { bundledPackages, noticesText } from './scripts/notices.mjs';
import { versionOnlyManifest } from './scripts/version-only-manifest.mjs';

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

/**
 * The Kubernetes client as a chunk of its own: src/extension/kubernetes/lazy.ts's
 * `require('../../kubernetes/cluster')` stays a run-time `require('./kubernetes.js')` (next to
 * dist/extension.js), and the build fails should anything else pull `@kubernetes/client-node` into
 * dist/extension.js (a value import from src/kubernetes/ instead of `import type` or lazy.ts).
 */
const kubernetesChunk = {
  name: 'kubernetes-chunk',
  setup(build) {
    build.onResolve({ filter: /\/kubernetes\/cluster$/ }, (args) =>
      args.kind === 'require-call' && /[\\/]src[\\/]extension[\\/]kubernetes[\\/]lazy\.ts$/.test(args.importer)
        ? { path: './kubernetes.js', external: true }
        : undefined,
    );
    build.onEnd((result) => {
      const leaked = Object.keys(result.metafile?.inputs ?? {}).filter((f) => f.includes('@kubernetes/client-node'));
      if (leaked.length)
        result.errors.push({
          text: `dist/extension.js bundles @kubernetes/client-node (${leaked.length} files): import src/kubernetes/ with \`import type\` and call it through src/extension/kubernetes/lazy.ts`,
        });
    });
  },
};

/**
 * What the Kubernetes client brings along but never runs here:
 * - client-node's own modules are marked free of side effects (its package.json does not say so),
 *   so the ones nothing imports from drop out: exec/attach/port-forward (ws), cp (tar-fs), top…;
 * - node-fetch 2 requires whatwg-url (with tr46's 260 KB Unicode table) only for `URL` when Node's
 *   `url` module has none (`Url.URL || whatwgUrl.URL`); Node 20's has one, so it is an empty module.
 */
const kubernetesDiet = {
  name: 'kubernetes-diet',
  setup(build) {
    build.onResolve({ filter: /^whatwg-url$/ }, () => ({ path: 'whatwg-url', namespace: 'empty' }));
    build.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === 'kubernetes-diet' || !/@kubernetes[\\/]client-node/.test(args.resolveDir))
        return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'kubernetes-diet',
      });
      if (resolved.errors.length || !/@kubernetes[\\/]client-node[\\/]dist[\\/]/.test(resolved.path)) return resolved;
      return { ...resolved, sideEffects: false };
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
  metafile: true,
};
const plugins = watch ? [problemMatcher] : [];

const entries = [
  {
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    plugins: [...plugins, kubernetesChunk],
  },
  // Loaded by dist/extension.js when a cluster view is shown or a cluster command runs (lazy.ts).
  { entryPoints: ['src/kubernetes/cluster.ts'], outfile: 'dist/kubernetes.js', plugins: [...plugins, kubernetesDiet] },
  { entryPoints: ['src/server/main.ts'], outfile: 'dist/server.js' },
  {
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [...plugins, versionOnlyManifest(new URL('.', import.meta.url).pathname)],
  },
  // The webview: an IIFE for the browser; the page's CSP loads only this file and dist/traffic.css.
  {
    entryPoints: ['src/webview/traffic.ts'],
    outfile: 'dist/traffic.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

const contexts = await Promise.all(entries.map((e) => esbuild.context({ plugins, ...common, ...e })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  const results = await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  for (const [i, e] of entries.entries())
    writeFileSync(
      new URL(e.outfile.replace(/\.js$/, '.meta.json'), import.meta.url),
      JSON.stringify(results[i].metafile),
    );
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
