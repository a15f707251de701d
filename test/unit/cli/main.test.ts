/** The `cftunnel` CLI contract: output formats, exit codes, usage errors. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cftunnel-cli-'));
  mkdirSync(join(dir, 'good'));
  mkdirSync(join(dir, 'bad', 'nested'), { recursive: true });
  writeFileSync(
    join(dir, 'good', 'config.yaml'),
    'ingress:\n  - hostname: a.example.com\n    service: http://a:80\n  - service: http_status:404\n',
  );
  writeFileSync(join(dir, 'good', 'README.md'), 'ingress: not yaml to check\n');
  writeFileSync(
    join(dir, 'bad', 'nested', 'config.yml'),
    'ingress:\n  - hostname: a.example.com\n    service: localhost:8000\n',
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('cftunnel check', () => {
  test('a valid folder exits 0', () => {
    const r = run(['check', join(dir, 'good')]);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /1 file\(s\) checked: 0 error\(s\)/);
  });

  test('errors exit 1 and read like a compiler', () => {
    const r = run(['check', join(dir, 'bad')]);
    assert.equal(r.code, 1);
    assert.match(
      r.out,
      /config\.yml:3:14: error: localhost:8000 is an invalid address, please make sure it has a scheme and a hostname \(rule #1\) \[service-missing-scheme-or-host\]/,
    );
  });

  test('--format json follows the documented shape with 0-based positions', () => {
    const r = run(['check', '--format', 'json', join(dir, 'bad', 'nested', 'config.yml'), join(dir, 'good')]);
    assert.equal(r.code, 1);
    const parsed = JSON.parse(r.out) as {
      version: number;
      files: Array<{ path: string; diagnostics: Array<Record<string, unknown>> }>;
    };
    assert.equal(parsed.version, 1);
    assert.equal(parsed.files.length, 2);
    const d = parsed.files[0]!.diagnostics.find((x) => x.code === 'service-missing-scheme-or-host')!;
    assert.deepEqual(Object.keys(d).sort(), ['code', 'message', 'range', 'severity']);
    assert.deepEqual(d.range, { start: { line: 2, character: 13 }, end: { line: 2, character: 27 } });
    assert.deepEqual(parsed.files[1]!.diagnostics, []);
  });

  test('usage and read errors exit 2 with a clear message', () => {
    assert.equal(run(['check']).code, 2);
    assert.equal(run(['check', '--format', 'xml', dir]).code, 2);
    const missing = run(['check', join(dir, 'nope.yaml')]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read .*nope\.yaml/);
    const unknown = run(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown command 'frobnicate'/);
  });
});

describe('cftunnel match', () => {
  test('prints the matching rule as JSON', () => {
    const r = run(['match', join(dir, 'good', 'config.yaml'), 'https://a.example.com/x']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), { rule: 0, hostname: 'a.example.com', path: null, service: 'http://a:80' });
    const other = run(['match', join(dir, 'good', 'config.yaml'), 'https://b.example.com/']);
    assert.deepEqual(JSON.parse(other.out), { rule: 1, hostname: null, path: null, service: 'http_status:404' });
  });

  test('an invalid config or URL exits 1 with cloudflared wording', () => {
    const bad = run(['match', join(dir, 'bad', 'nested', 'config.yml'), 'https://a.example.com/']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^Validation failed: localhost:8000 is an invalid address/);
    const url = run(['match', join(dir, 'good', 'config.yaml'), 'a.example.com']);
    assert.equal(url.code, 1);
    assert.match(url.err, /doesn't have a hostname, consider adding a scheme/);
  });

  test('wrong arguments exit 2', () => {
    assert.equal(run(['match', 'only-one']).code, 2);
  });
});

describe('cftunnel check --fix', () => {
  test('keeps a CRLF file CRLF (and its BOM): every line of the fixed file ends with CRLF (issue #16)', () => {
    const file = join(dir, 'crlf', 'config.yaml');
    mkdirSync(join(dir, 'crlf'), { recursive: true });
    writeFileSync(
      file,
      '\ufefforiginRequest:\r\n  connectTimeout: 30\r\ningress:\r\n  - hostname: *.example.com\r\n    service: http://a:1\r\n',
    );
    const r = run(['check', '--fix', file]);
    assert.equal(r.code, 0, r.out + r.err);
    const fixed = readFileSync(file, 'utf8');
    assert.equal(
      fixed,
      '\ufefforiginRequest:\r\n  connectTimeout: 30s\r\ningress:\r\n  - hostname: "*.example.com"\r\n    service: http://a:1\r\n  - service: http_status:404\r\n',
    );
    assert.deepEqual(
      fixed
        .split('\n')
        .slice(0, -1)
        .filter((l) => !l.endsWith('\r')),
      [],
    );
  });

  test('a CR-only file is checked: the diagnostic at its line; --fix keeps CR (issue #16)', () => {
    const file = join(dir, 'cr', 'config.yaml');
    mkdirSync(join(dir, 'cr'), { recursive: true });
    writeFileSync(file, 'tunnel: x\ringress:\r  - hostname: a.example.com\r    service: http://a:1\r');
    const r = run(['check', '--format', 'json', file]);
    assert.equal(r.code, 1, r.out + r.err);
    const [d] = JSON.parse(r.out).files[0].diagnostics;
    assert.equal(d.code, 'last-rule-not-catch-all');
    assert.deepEqual(d.range.start, { line: 2, character: 14 }); // `  - hostname: a.example.com`
    const f = run(['check', '--fix', file]);
    assert.equal(f.code, 0, f.out + f.err);
    assert.equal(
      readFileSync(file, 'utf8'),
      'tunnel: x\ringress:\r  - hostname: a.example.com\r    service: http://a:1\r  - service: http_status:404\r',
    );
  });

  test('applies the preferred fixes in place and reports them', () => {
    const file = join(dir, 'fixme.yaml');
    writeFileSync(
      file,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: c\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: cloudflare/cloudflared:2026.8.2\n          env:\n            - name: TOKEN\n              valueFrom:\n                secretKeyRef: {name: t, key: token}\n          args: [tunnel, run, --token, "${TOKEN}"]\n',
    );
    const r = run(['check', '--fix', file]);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.err, /fixed: Replace \$\{TOKEN\} with \$\(TOKEN\)/);
    assert.ok(readFileSync(file, 'utf8').includes('args: [tunnel, run, --token, "$(TOKEN)"]'));
  });

  test('fixes several config problems, including ones that only appear after a first fix', () => {
    const file = join(dir, 'config.yaml');
    writeFileSync(
      file,
      'originRequest:\n  connectTimeout: 30\ningress:\n  - hostname: *.example.com\n    service: http://a:1\n',
    );
    const r = run(['check', '--fix', file]);
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(
      readFileSync(file, 'utf8'),
      'originRequest:\n  connectTimeout: 30s\ningress:\n  - hostname: "*.example.com"\n    service: http://a:1\n  - service: http_status:404\n',
    );
  });
});

describe('cftunnel check in pipelines: exit by severity, GitHub annotations', () => {
  // A warning only: the `$TOKEN` trap (shell-style-var), which keeps a tunnel from starting.
  const warned = (): string => {
    const d = join(dir, 'warned');
    mkdirSync(d, { recursive: true });
    writeFileSync(
      join(d, 'deployment.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cloudflared\nspec:\n  template:\n    spec:\n      containers:\n        - name: cloudflared\n          image: cloudflare/cloudflared:2026.8.2\n          args: [tunnel, run, --token, $TOKEN]\n          env:\n            - name: TOKEN\n              valueFrom: {secretKeyRef: {name: t, key: token}}\n',
    );
    return d;
  };

  test('by default only errors fail; --fail-on warning and --max-warnings 0 fail on the warning', () => {
    const d = warned();
    const plain = run(['check', d]);
    assert.match(plain.out, /warning: .*\[shell-style-var\]/);
    assert.match(plain.out, /0 error\(s\), [1-9]\d* warning\(s\)/);
    assert.equal(plain.code, 0);
    assert.equal(run(['check', '--fail-on', 'warning', d]).code, 1);
    assert.equal(run(['check', '--fail-on=info', d]).code, 1);
    const max = run(['check', '--max-warnings', '0', d]);
    assert.equal(max.code, 1);
    assert.match(max.out, /more than --max-warnings 0/);
    assert.equal(run(['check', '--max-warnings=99', d]).code, 0);
  });

  test('bad values of the new options are usage errors', () => {
    assert.equal(run(['check', '--fail-on', 'fatal', dir]).code, 2);
    assert.equal(run(['check', '--max-warnings', '-1', dir]).code, 2);
    assert.equal(run(['check', '--format', 'sarif2', dir]).code, 2);
  });

  test('--format github prints workflow commands GitHub turns into annotations', () => {
    const r = run(['check', '--format', 'github', warned()]);
    const line = r.out.split('\n').find((l) => l.includes('shell-style-var'))!;
    assert.match(
      line,
      /^::warning file=[^,]*deployment\.yaml,line=11,col=\d+,endLine=11,endColumn=\d+,title=shell-style-var::/,
    );
    assert.doesNotMatch(line.slice(line.indexOf('::', 2) + 2), /\n|\r/);
  });
});

describe('githubAnnotation escaping (actions/toolkit command.ts)', () => {
  test('% CR LF in the message; also : and , in properties', async () => {
    const { githubAnnotation } = await import('../../../src/cli/report');
    const line = githubAnnotation('a,b:c%.yaml', {
      code: 'x',
      severity: 'information',
      message: '50% off\r\nnext: line',
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    });
    assert.equal(
      line,
      '::notice file=a%2Cb%3Ac%25.yaml,line=1,col=1,endLine=1,endColumn=2,title=x::50%25 off%0D%0Anext: line',
    );
  });
});

describe('cftunnel check: suppression comments and .cftunnel.yaml', () => {
  const FIXTURE = join(__dirname, '../../fixtures/project-config');

  test('the fixture: suppressed and turned-off findings are gone, a rule raised, an unused suppression said, vendor/ not read', () => {
    const r = run(['check', '--format', 'json', FIXTURE]);
    assert.equal(r.code, 0, r.out + r.err);
    const files = (
      JSON.parse(r.out) as { files: Array<{ path: string; diagnostics: Array<{ code: string; severity: string }> }> }
    ).files;
    assert.deepEqual(
      files.map((f) => f.path.slice(f.path.indexOf('project-config/') + 'project-config/'.length)).sort(),
      ['.cftunnel.yaml', 'k8s/deployment.yaml'],
    );
    const deployment = files.find((f) => f.path.endsWith('deployment.yaml'))!;
    assert.deepEqual(
      deployment.diagnostics.map((d) => `${d.code}:${d.severity}`),
      ['no-network-policy:warning', 'suppression-unused:information'],
    );
  });

  test('without the comments and the file, the same Deployment reports what they silenced', () => {
    const plain = join(dir, 'plain');
    mkdirSync(plain);
    const text = readFileSync(join(FIXTURE, 'k8s/deployment.yaml'), 'utf8').replace(/^\s*# cftunnel-.*\n/gm, '');
    writeFileSync(join(plain, 'deployment.yaml'), text);
    const r = run(['check', '--format', 'json', plain]);
    const codes = (
      JSON.parse(r.out) as { files: Array<{ diagnostics: Array<{ code: string; severity: string }> }> }
    ).files[0]!.diagnostics.map((d) => `${d.code}:${d.severity}`).sort();
    assert.deepEqual(codes, [
      'container-not-hardened:information',
      'no-network-policy:information',
      'shell-style-var:warning',
      'single-replica:information',
    ]);
  });

  test('a rule set to error fails the check; a broken .cftunnel.yaml above the checked folder is reported and fails it', () => {
    const root = join(dir, 'rules');
    mkdirSync(join(root, 'k8s'), { recursive: true });
    writeFileSync(
      join(root, 'k8s', 'deployment.yaml'),
      readFileSync(join(FIXTURE, 'k8s/deployment.yaml'), 'utf8').replace(/^\s*# cftunnel-.*\n/gm, ''),
    );
    writeFileSync(join(root, '.cftunnel.yaml'), 'rules:\n  shell-style-var: error\n');
    const failing = run(['check', join(root, 'k8s')]);
    assert.equal(failing.code, 1, failing.out);
    assert.match(failing.out, /deployment\.yaml:\d+:\d+: error: .*\[shell-style-var\]/);
    writeFileSync(join(root, '.cftunnel.yaml'), 'rules:\n  shell-style-var: loud\n');
    const broken = run(['check', join(root, 'k8s')]);
    assert.equal(broken.code, 1, broken.out);
    assert.match(
      broken.out,
      /\.cftunnel\.yaml:2:20: error: 'shell-style-var' must be off, error, warning or info \[project-config-invalid\]/,
    );
  });

  test('--fix leaves a suppressed finding alone (its fix is not applied)', () => {
    const root = join(dir, 'fix-suppressed');
    mkdirSync(root);
    const file = join(root, 'deployment.yaml');
    const text = readFileSync(join(FIXTURE, 'k8s/deployment.yaml'), 'utf8');
    writeFileSync(file, text);
    run(['check', '--fix', root]);
    assert.match(readFileSync(file, 'utf8'), /--token, \$TOKEN\]/, 'the suppressed $TOKEN stays as written');
    writeFileSync(file, text.replace(/^\s*# cftunnel-disable-next-line.*\n/m, ''));
    run(['check', '--fix', root]);
    assert.match(readFileSync(file, 'utf8'), /--token, \$\(TOKEN\)\]/, 'without the comment it is fixed');
  });
});
