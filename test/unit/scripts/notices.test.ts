/** dist/ThirdPartyNotices.txt (scripts/notices.mjs, written by every build of esbuild.mjs). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledPackages, isPermissive, noticesText, packageDirOf } from '../../../scripts/notices.mjs';

test('packageDirOf: the innermost node_modules package of a bundled input', () => {
  assert.equal(packageDirOf('node_modules/yaml/dist/index.js'), 'node_modules/yaml');
  assert.equal(
    packageDirOf('node_modules/@kubernetes/client-node/dist/api.js'),
    'node_modules/@kubernetes/client-node',
  );
  assert.equal(packageDirOf('node_modules/a/node_modules/b/lib/x.js'), 'node_modules/a/node_modules/b');
  assert.equal(packageDirOf('src/core/analyze.ts'), undefined);
});

test('isPermissive: SPDX ids and expressions', () => {
  assert.ok(isPermissive('MIT'));
  assert.ok(isPermissive('(MIT OR Apache-2.0)'));
  assert.ok(isPermissive('(GPL-3.0 OR MIT)'));
  assert.ok(!isPermissive('GPL-3.0'));
  assert.ok(!isPermissive('(MIT AND GPL-2.0)'));
  assert.ok(!isPermissive('UNKNOWN'));
});

function fakeRoot(packages: Record<string, { license: string; file?: string; author?: string }>): string {
  const root = mkdtempSync(join(tmpdir(), 'cftunnel-notices-'));
  for (const [name, p] of Object.entries(packages)) {
    const dir = join(root, 'node_modules', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name, version: '1.0.0', license: p.license, author: p.author }),
    );
    if (p.file) writeFileSync(join(dir, 'LICENSE'), p.file);
  }
  return root;
}

const meta = (...inputs: string[]) => ({
  outputs: { 'dist/x.js': { inputs: Object.fromEntries(inputs.map((i) => [i, {}])) } },
});

test('every bundled package is listed once with its licence text; an MIT package without a file gets the MIT text', () => {
  const root = fakeRoot({
    a: { license: 'MIT', file: 'Copyright (c) A' },
    '@s/b': { license: 'ISC', file: 'ISC licence of B' },
    c: { license: 'MIT', author: 'C Author' },
  });
  try {
    const packages = bundledPackages(
      [
        meta('node_modules/a/i.js', 'node_modules/a/j.js', 'src/x.ts'),
        meta('node_modules/@s/b/i.js', 'node_modules/c/i.js'),
      ],
      root,
    );
    assert.deepEqual(
      packages.map((p) => `${p.name}@${p.version} ${p.license}`),
      ['@s/b@1.0.0 ISC', 'a@1.0.0 MIT', 'c@1.0.0 MIT'],
    );
    const text = noticesText(packages, root, 'X');
    assert.match(text, /\(3 packages\)/);
    assert.match(text, /a@1\.0\.0 \(MIT\)\n-+\n\nCopyright \(c\) A/);
    assert.match(text, /ISC licence of B/);
    assert.match(text, /Copyright \(c\) C Author\n\nPermission is hereby granted/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a copyleft or unlicensed package fails the build with its name', () => {
  const root = fakeRoot({ g: { license: 'GPL-3.0', file: 'GPL' }, n: { license: 'Apache-2.0' } });
  try {
    const packages = bundledPackages([meta('node_modules/g/i.js', 'node_modules/n/i.js')], root);
    assert.throws(
      () => noticesText(packages, root, 'X'),
      /g@1\.0\.0: licence "GPL-3\.0"[\s\S]*n@1\.0\.0: no LICENSE file/,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the package ships the notices (.vscodeignore allows dist/ThirdPartyNotices.txt)', () => {
  const ignore = readFileSync(join(__dirname, '../../../.vscodeignore'), 'utf8');
  assert.match(ignore, /^!dist\/ThirdPartyNotices\.txt$/m);
});
