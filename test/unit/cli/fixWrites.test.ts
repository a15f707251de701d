/**
 * `cftunnel check --fix` writes (issue #16, secrets and files): atomically (a failed write leaves the
 * file whole), never through a symbolic link, never outside the checked folder, all or nothing.
 */
import { diskFullAfter, realWriteSync, tempDirs } from '../../support/files';
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { main } from '../../../src/cli/main';
import { writerFs } from '../../../src/node/atomicWrite';

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

const token = Buffer.from(
  JSON.stringify({ a: 'acc0123456789', t: '6ff42ae2-765d-4adf-8112-31c55c1551ef', s: 'c2VjcmV0c2VjcmV0c2VjcmV0' }),
).toString('base64');

const manifest = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: cloudflared',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: cloudflared',
  '          image: cloudflare/cloudflared:2026.8.2',
  '          args: [tunnel, run]',
  '          env:',
  '            - name: TUNNEL_TOKEN',
  `              value: ${token}`,
  '',
].join('\n');

/** Rules with a long comment each: about 300 bytes a rule, within the checker's budgets (rules, size). */
const bigRules = (n: number): string[] =>
  Array.from(
    { length: n },
    (_, i) => `  # ${'rule '.repeat(50)}${i}\n  - hostname: h${i}.example.com\n    service: http://s${i}:80\n`,
  );

const temp = tempDirs('cftunnel-fixwrites-');

describe('check --fix writes atomically', () => {
  afterEach(() => {
    writerFs.writeSync = realWriteSync;
  });

  test('a write that fails half-way (disk full) leaves the file whole and no temporary file', () => {
    const dir = temp();
    const file = join(dir, 'config.yaml');
    // A large config (about 1.35 MB) with one fixable problem: a misspelt key.
    const rules = bigRules(4500);
    const original = `ingress:\n${rules.join('')}  - hostname: last.example.com\n    servce: http://x:1\n  - service: http_status:404\n`;
    writeFileSync(file, original);
    writerFs.writeSync = diskFullAfter(512 * 1024); // a partial write, then the disk is full
    const r = run(['check', '--fix', file]);
    assert.match(r.err, /not fixed, nothing was changed: ENOSPC/);
    assert.equal(readFileSync(file, 'utf8'), original);
    assert.deepEqual(readdirSync(dir), ['config.yaml']);
  });

  test('the real thing: a file-size limit (ulimit -f 512) stops the write at 512 KB; the 1.5 MB file stays whole', () => {
    const dir = temp();
    const file = join(dir, 'config.yaml');
    const rules = bigRules(5000);
    const original = `ingress:\n${rules.join('')}  - hostname: last.example.com\n    servce: http://x:1\n  - service: http_status:404\n`;
    writeFileSync(file, original);
    const script = `process.exitCode = require(${JSON.stringify(join(process.cwd(), 'src/cli/main.ts'))}).main(['check', '--fix', ${JSON.stringify(file)}], { out: () => {}, err: (t) => console.error(t) })`;
    const r = spawnSync('bash', ['-c', 'ulimit -f 512; exec node --import tsx -e "$0"', script], {
      cwd: process.cwd(),
      encoding: 'utf8',
    });
    assert.match(r.stderr, /not fixed, nothing was changed: EFBIG/);
    assert.equal(statSync(file).size, Buffer.byteLength(original));
    assert.equal(readFileSync(file, 'utf8'), original);
    assert.deepEqual(readdirSync(dir), ['config.yaml']);
  });

  test('the fixed file keeps its mode', () => {
    const dir = temp();
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'ingress:\n  - hostname: a.com\n    servce: http://a:1\n  - service: http_status:404\n', {
      mode: 0o640,
    });
    const r = run(['check', '--fix', file]);
    assert.equal(r.code, 0, r.err);
    assert.match(readFileSync(file, 'utf8'), /service: http:\/\/a:1/);
    assert.equal(statSync(file).mode & 0o777, 0o640);
  });
});

describe('check --fix never writes through a symbolic link', () => {
  function repoWithOutside(): { repo: string; outside: string; file: string } {
    const root = temp();
    const repo = join(root, 'repo');
    const outside = join(root, 'outside');
    mkdirSync(repo);
    mkdirSync(outside);
    const file = join(repo, 'deployment.yaml');
    writeFileSync(file, manifest);
    return { repo, outside, file };
  }

  test('the token file and the .gitignore, created 0600 and listed, when nothing is linked', () => {
    const { repo, file } = repoWithOutside();
    const r = run(['check', '--fix', repo]);
    assert.match(r.err, /cloudflared-token\.env: written \(mode 0600\)/);
    assert.equal(readFileSync(join(repo, 'cloudflared-token.env'), 'utf8'), `token=${token}\n`);
    assert.equal(statSync(join(repo, 'cloudflared-token.env')).mode & 0o777, 0o600);
    assert.equal(readFileSync(join(repo, '.gitignore'), 'utf8'), 'cloudflared-token.env\n');
    assert.ok(!readFileSync(file, 'utf8').includes(token));
  });

  test('a dangling cloudflared-token.env link to a file outside: refused, nothing written, the token stays', () => {
    const { repo, outside, file } = repoWithOutside();
    symlinkSync(join(outside, 'stolen.env'), join(repo, 'cloudflared-token.env'));
    const r = run(['check', '--fix', repo]);
    assert.match(r.err, /cloudflared-token\.env is a symbolic link: not writing through it/);
    assert.match(r.err, /not fixed, nothing was changed/);
    assert.doesNotMatch(r.err, /written \(mode 0600\)/);
    assert.equal(existsSync(join(outside, 'stolen.env')), false);
    assert.equal(readFileSync(file, 'utf8'), manifest, 'the manifest keeps the token: it was saved nowhere');
    assert.equal(existsSync(join(repo, '.gitignore')), false);
  });

  test('a cloudflared-token.env link to an existing outside file: refused, the file untouched', () => {
    const { repo, outside, file } = repoWithOutside();
    writeFileSync(join(outside, 'other.env'), 'theirs\n');
    symlinkSync(join(outside, 'other.env'), join(repo, 'cloudflared-token.env'));
    const r = run(['check', '--fix', repo]);
    assert.match(r.err, /is a symbolic link/);
    assert.equal(readFileSync(join(outside, 'other.env'), 'utf8'), 'theirs\n');
    assert.equal(readFileSync(file, 'utf8'), manifest);
  });

  test('a linked .gitignore: refused (said so), the outside file untouched, the token file taken back', () => {
    const { repo, outside, file } = repoWithOutside();
    writeFileSync(join(outside, 'ignore'), 'dist\n');
    symlinkSync(join(outside, 'ignore'), join(repo, '.gitignore'));
    const r = run(['check', '--fix', repo]);
    assert.match(r.err, /\.gitignore is a symbolic link: not writing through it/);
    assert.equal(readFileSync(join(outside, 'ignore'), 'utf8'), 'dist\n');
    assert.equal(existsSync(join(repo, 'cloudflared-token.env')), false, 'undone: it would not be ignored');
    assert.equal(readFileSync(file, 'utf8'), manifest);
  });

  test('a checked file that is a link to a file outside: refused, the target untouched', () => {
    const { repo, outside } = repoWithOutside();
    rmSync(join(repo, 'deployment.yaml'));
    const text = 'ingress:\n  - hostname: a.com\n    servce: http://a:1\n  - service: http_status:404\n';
    writeFileSync(join(outside, 'config.yaml'), text);
    symlinkSync(join(outside, 'config.yaml'), join(repo, 'config.yaml'));
    const r = run(['check', '--fix', join(repo, 'config.yaml')]);
    assert.match(r.err, /config\.yaml is a symbolic link/);
    assert.equal(readFileSync(join(outside, 'config.yaml'), 'utf8'), text);
    assert.ok(lstatSync(join(repo, 'config.yaml')).isSymbolicLink());
  });

  test('an existing token file with other content: not overwritten, the manifest unchanged', () => {
    const { repo, file } = repoWithOutside();
    writeFileSync(join(repo, 'cloudflared-token.env'), 'token=old\n');
    const r = run(['check', '--fix', repo]);
    assert.match(r.err, /exists and holds something else: not overwritten/);
    assert.equal(readFileSync(join(repo, 'cloudflared-token.env'), 'utf8'), 'token=old\n');
    assert.equal(readFileSync(file, 'utf8'), manifest);
  });
});
