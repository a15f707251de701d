/** `cftunnel scaffold`: usage errors, refusing to overwrite, --force, modes of secret files. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';

const ID = '6ff42ae2-765d-4adf-8112-31c55c1551ef';

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

let root = '';
before(() => {
  root = mkdtempSync(join(tmpdir(), 'cftunnel-scaffold-cli-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('cftunnel scaffold', () => {
  test('usage errors exit 2 and write nothing', () => {
    const dir = join(root, 'usage');
    const cases = [
      ['scaffold'],
      ['scaffold', dir],
      ['scaffold', dir, '--mode', 'remote', '--tunnel-id', ID],
      ['scaffold', dir, '--mode', 'local'],
      ['scaffold', dir, '--mode', 'local', '--tunnel-id', 'not-a-uuid'],
      ['scaffold', dir, '--mode', 'local', '--tunnel-id', ID, '--replicas', 'two'],
      ['scaffold', dir, '--mode', 'local', '--tunnel-id', ID, '--bogus'],
      ['scaffold', dir, dir, '--mode', 'local', '--tunnel-id', ID],
      ['scaffold', dir, '--mode', 'token', '--tunnel-id', ID, '--credentials-file', 'x.json'],
    ];
    for (const args of cases) {
      const r = run(args);
      assert.equal(r.code, 2, `${args.join(' ')}\n${r.err}`);
      assert.match(r.err, /^cftunnel: /);
    }
    assert.equal(existsSync(dir), false);
    assert.equal(run(['scaffold', '--help']).code, 0);
    assert.match(run(['--help']).out, /cftunnel scaffold DIR/);
  });

  test('writes the folder; secret inputs get mode 0600; a second run changes nothing', () => {
    const dir = join(root, 'fresh', 'nested');
    const r = run(['scaffold', dir, '--mode', 'local', '--tunnel-id', ID]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(readdirSync(dir).sort(), [
      '.gitignore',
      'config.yaml',
      'credentials.json',
      'deployment.yaml',
      'kustomization.yaml',
      'networkpolicy.yaml',
      'pdb.yaml',
    ]);
    assert.equal(statSync(join(dir, 'credentials.json')).mode & 0o777, 0o600);
    assert.match(r.err, /placeholder/);
    assert.deepEqual(readdirSync(join(root, 'fresh')), ['nested'], 'no staging folder left behind');
    const again = run(['scaffold', dir, '--mode', 'local', '--tunnel-id', ID]);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /deployment\.yaml: unchanged/);
  });

  test('refuses to overwrite different files without --force, lists them, writes nothing', () => {
    const dir = join(root, 'conflict');
    mkdirSync(dir);
    writeFileSync(join(dir, 'deployment.yaml'), 'mine\n');
    writeFileSync(join(dir, 'pdb.yaml'), 'mine too\n');
    const r = run(['scaffold', dir, '--mode', 'token', '--tunnel-id', ID]);
    assert.equal(r.code, 1);
    assert.match(r.err, /--force/);
    assert.match(r.err, /^ {2}deployment\.yaml$/m);
    assert.match(r.err, /^ {2}pdb\.yaml$/m);
    assert.deepEqual(readdirSync(dir).sort(), ['deployment.yaml', 'pdb.yaml'], 'all or nothing');
    assert.equal(readFileSync(join(dir, 'deployment.yaml'), 'utf8'), 'mine\n');

    const forced = run(['scaffold', dir, '--mode', 'token', '--tunnel-id', ID, '--force']);
    assert.equal(forced.code, 0, forced.err);
    assert.match(forced.out, /deployment\.yaml: replaced/);
    assert.match(readFileSync(join(dir, 'deployment.yaml'), 'utf8'), /kind: Deployment/);
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.startsWith('.cftunnel')),
      [],
    );
  });

  test('a placeholder never replaces an existing secret input, even with --force; a real one does with --force', () => {
    const dir = join(root, 'secret');
    mkdirSync(dir);
    writeFileSync(join(dir, 'tunnel.env'), 'TUNNEL_TOKEN=real\n', { mode: 0o600 });
    const r = run(['scaffold', dir, '--mode', 'token', '--tunnel-id', ID, '--force']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /tunnel\.env: kept/);
    assert.equal(readFileSync(join(dir, 'tunnel.env'), 'utf8'), 'TUNNEL_TOKEN=real\n');

    const tokenFile = join(root, 'token.txt');
    const token = Buffer.from(JSON.stringify({ a: 'acc', t: ID, s: 'c2VjcmV0' })).toString('base64');
    writeFileSync(tokenFile, `${token}\n`);
    const refused = run(['scaffold', dir, '--mode', 'token', '--tunnel-id', ID, '--token-file', tokenFile]);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /tunnel\.env/);
    const forced = run(['scaffold', dir, '--mode', 'token', '--tunnel-id', ID, '--token-file', tokenFile, '--force']);
    assert.equal(forced.code, 0, forced.err);
    assert.equal(readFileSync(join(dir, 'tunnel.env'), 'utf8'), `TUNNEL_TOKEN=${token}\n`);
    assert.equal(statSync(join(dir, 'tunnel.env')).mode & 0o777, 0o600);
    assert.ok(!forced.out.includes(token) && !forced.err.includes(token), 'the token is never printed');
  });

  test('a path that is a file is refused', () => {
    const f = join(root, 'a-file');
    writeFileSync(f, 'x');
    assert.equal(run(['scaffold', f, '--mode', 'local', '--tunnel-id', ID]).code, 2);
  });
});
