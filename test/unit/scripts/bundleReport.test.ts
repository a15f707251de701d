/** scripts/bundle-report.mjs (`npm run bundle:report`) and the bundles esbuild.mjs writes. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { groupOf, summarize } from '../../../scripts/bundle-report.mjs';

const root = join(__dirname, '../../..');

test('groupOf: npm packages by name (the innermost), src/ by folder', () => {
  assert.equal(groupOf('node_modules/yaml/dist/index.js'), 'yaml');
  assert.equal(groupOf('node_modules/@kubernetes/client-node/dist/gen/apis/CoreV1Api.js'), '@kubernetes/client-node');
  assert.equal(groupOf('node_modules/a/node_modules/@b/c/lib/x.js'), '@b/c');
  assert.equal(groupOf('src/core/analyze.ts'), 'src/core');
  assert.equal(groupOf('empty:whatwg-url'), 'empty:whatwg-url');
});

test('summarize: the output size and its inputs by bytes, biggest first', () => {
  const metafile = {
    outputs: {
      'dist/x.js.map': { bytes: 1, inputs: {} },
      'dist/x.js': {
        bytes: 100,
        inputs: {
          'src/core/a.ts': { bytesInOutput: 10 },
          'src/core/b.ts': { bytesInOutput: 15 },
          'node_modules/yaml/dist/index.js': { bytesInOutput: 60 },
          'src/extension/c.ts': { bytesInOutput: 5 },
        },
      },
    },
  };
  const grouped = summarize('x', metafile);
  assert.equal(grouped.outfile, 'dist/x.js');
  assert.equal(grouped.bytes, 100);
  assert.deepEqual(grouped.inputs, [
    { name: 'yaml', bytes: 60 },
    { name: 'src/core', bytes: 25 },
    { name: 'src/extension', bytes: 5 },
  ]);
  assert.deepEqual(
    summarize('x', metafile, { files: true }).inputs.map((i) => i.name),
    ['node_modules/yaml/dist/index.js', 'src/core/b.ts', 'src/core/a.ts', 'src/extension/c.ts'],
  );
});

test('the package ships every bundle esbuild.mjs writes (.vscodeignore), dist/kubernetes.js too', () => {
  const esbuild = readFileSync(join(root, 'esbuild.mjs'), 'utf8');
  const outfiles = [...esbuild.matchAll(/outfile: '(dist\/[^']+\.js)'/g)].map((m) => m[1]!);
  assert.ok(outfiles.includes('dist/kubernetes.js'), 'the lazily loaded Kubernetes client is a bundle');
  const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n');
  for (const f of outfiles) assert.ok(ignore.includes(`!${f}`), `.vscodeignore ships ${f}`);
  assert.ok(!ignore.some((l) => l.includes('.meta.json')), 'the metafiles stay out of the package');
});
