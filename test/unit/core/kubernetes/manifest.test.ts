/** Manifest checks: $(VAR) rules as Kubernetes applies them, tokens in plain text, and their fixes. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../../../src/core/analyze';
import { applyEdits } from '../../../../src/core/edits';
import type { Diagnostic } from '../../../../src/core/types';
import { textOf, yaml } from '../../../support/config';

const deployment = (args: string, extraEnv = ''): string => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: cloudflared
  spec:
    template:
      spec:
        containers:
          - name: cloudflared
            image: cloudflare/cloudflared:2026.8.2
            env:
              - name: TOKEN
                valueFrom:
                  secretKeyRef:
                    name: cloudflared-token
                    key: token${extraEnv}
            args: ${args}
`;

function diags(text: string, code?: string): Diagnostic[] {
  const all = analyzeText(text).diagnostics;
  return code ? all.filter((d) => d.code === code) : all;
}

function fix(text: string, d: Diagnostic, index = 0): string {
  return applyEdits(text, d.fixes![index]!.edits);
}

describe('shell-style references (the $(TOKEN) trap)', () => {
  for (const [written, quoted] of [
    ['$TOKEN', '"$TOKEN"'],
    ['${TOKEN}', '"${TOKEN}"'],
    ['$TOKEN', "'$TOKEN'"],
    ['$TOKEN', '$TOKEN'],
  ] as const) {
    test(`${quoted} in a flow sequence: warning and the one-click fix`, () => {
      const text = deployment(`["tunnel", "--no-autoupdate", "run", "--token", ${quoted}]`);
      const [d, ...rest] = diags(text, 'shell-style-var');
      assert.equal(rest.length, 0);
      assert.equal(d!.severity, 'warning');
      assert.equal(textOf(text, d!), written);
      assert.match(d!.message, /Kubernetes does not expand .* Write \$\(TOKEN\)/);
      assert.equal(d!.fixes![0]!.title, `Replace ${written} with $(TOKEN)`);
      const fixed = fix(text, d!);
      assert.ok(fixed.includes(`"--token", ${quoted.replace(written, '$(TOKEN)')}]`), fixed);
      assert.deepEqual(diags(fixed, 'shell-style-var'), []);
    });
  }

  test('in a block sequence and inside a longer argument', () => {
    const text = deployment('\n              - tunnel\n              - --token=${TOKEN}\n              - run');
    const [d] = diags(text, 'shell-style-var');
    assert.equal(textOf(text, d!), '${TOKEN}');
    assert.ok(fix(text, d!).includes('- --token=$(TOKEN)\n'));
  });

  test('the correct $(TOKEN) gets no warning', () => {
    const text = deployment('[tunnel, --no-autoupdate, run, --token, $(TOKEN)]');
    assert.deepEqual(diags(text, 'shell-style-var'), []);
    assert.deepEqual(diags(text, 'unresolved-var'), []);
  });

  test('$$ escapes are left alone', () => {
    assert.deepEqual(
      diags(deployment('[echo, $$TOKEN, $$(TOKEN)]')).filter((d) => d.code.includes('var')),
      [],
    );
  });

  test('information when nothing defines the variable', () => {
    const [d] = diags(deployment('[tunnel, run, --token, $NOPE]'), 'shell-style-var');
    assert.equal(d!.severity, 'information');
  });

  test('not reported when the container runs a shell with -c', () => {
    assert.deepEqual(
      diags(deployment('[sh, -c, "exec cloudflared tunnel run --token $TOKEN"]'), 'shell-style-var'),
      [],
    );
  });

  test('envFrom could provide the variable: warning', () => {
    const text = deployment('[tunnel, run, --token, $FROMSECRET]').replace(
      /^( *)env:\n/m,
      '$1envFrom:\n$1  - secretRef:\n$1      name: x\n$1env:\n',
    );
    assert.equal(diags(text, 'shell-style-var')[0]!.severity, 'warning');
  });

  test('the safer fix drops --token and renames the variable to TUNNEL_TOKEN', () => {
    const text = deployment('["tunnel", "--no-autoupdate", "run", "--token", "$TOKEN"]');
    const d = diags(text, 'shell-style-var')[0]!;
    assert.match(d.fixes![1]!.title, /Drop --token and pass the token as TUNNEL_TOKEN from Secret 'cloudflared-token'/);
    const fixed = fix(text, d, 1);
    assert.ok(fixed.includes('args: ["tunnel", "--no-autoupdate", "run"]'), fixed);
    assert.ok(fixed.includes('- name: TUNNEL_TOKEN'), fixed);
    assert.deepEqual(
      diags(fixed).filter((x) => x.severity !== 'information'),
      [],
    );
  });

  test('in a block sequence the safer fix removes both lines', () => {
    const text = deployment(
      '\n              - tunnel\n              - run\n              - --token\n              - $(TOKEN)\n',
    );
    const d = diags(text, 'token-in-args')[0]!;
    assert.equal(d.severity, 'information');
    const fixed = fix(text, d);
    assert.ok(/args: \n +- tunnel\n +- run\n\n$/.test(fixed), JSON.stringify(fixed.slice(-80)));
  });
});

describe('unresolved $(VAR), as Kubernetes resolves them', () => {
  test('in args: not defined in env', () => {
    const text = deployment('[tunnel, run, --token, $(TOKN)]');
    const [d] = diags(text, 'unresolved-var');
    assert.equal(d!.severity, 'warning');
    assert.equal(textOf(text, d!), '$(TOKN)');
    assert.match(d!.message, /Nothing in container 'cloudflared' defines TOKN/);
  });

  test('in env values only earlier entries resolve', () => {
    const later = deployment(
      '[tunnel, run]',
      '\n              - name: URL\n                value: http://$(HOST):80\n              - name: HOST\n                value: web',
    );
    const [d] = diags(later, 'unresolved-var');
    assert.match(d!.message, /defined later in env/);
    const earlier = deployment(
      '[tunnel, run]',
      '\n              - name: HOST\n                value: web\n              - name: URL\n                value: http://$(HOST):80',
    );
    assert.deepEqual(diags(earlier, 'unresolved-var'), []);
  });

  test('with envFrom we do not guess', () => {
    const text = deployment('[tunnel, run, --token, $(X)]').replace(
      /^( *)env:\n/m,
      '$1envFrom:\n$1  - secretRef:\n$1      name: x\n$1env:\n',
    );
    assert.deepEqual(diags(text, 'unresolved-var'), []);
  });

  test('every workload kind and init containers are checked', () => {
    const cron = yaml`
      apiVersion: batch/v1
      kind: CronJob
      metadata: {name: c}
      spec:
        jobTemplate:
          spec:
            template:
              spec:
                initContainers:
                  - name: init
                    image: busybox
                    args: [echo, $HOME]
                containers: []
    `;
    assert.equal(diags(cron, 'shell-style-var').length, 1);
  });
});

describe('tokens in plain text', () => {
  const token = Buffer.from(
    JSON.stringify({ a: 'acc0123456789', t: '6ff42ae2-765d-4adf-8112-31c55c1551ef', s: 'c2VjcmV0c2VjcmV0c2VjcmV0' }),
  ).toString('base64');

  test('a literal token in env: warning with a fix that moves it to a Secret', () => {
    const text = deployment('[tunnel, run]', `\n              - name: TUNNEL_TOKEN\n                value: ${token}`);
    const [d] = diags(text, 'literal-token');
    assert.equal(d!.severity, 'warning');
    assert.ok(!d!.message.includes(token), 'the message never repeats the secret');
    const f = d!.fixes![0]!;
    assert.deepEqual(f.files, [{ path: 'cloudflared-token.env', content: `token=${token}\n`, gitignore: true }]);
    const fixed = applyEdits(text, f.edits);
    assert.ok(!fixed.includes(token));
    assert.match(
      fixed,
      /- name: TUNNEL_TOKEN\n( +)valueFrom:\n\1  secretKeyRef:\n\1    name: cloudflared-token\n\1    key: token\n/,
    );
  });

  test('a literal token in args', () => {
    const [d] = diags(deployment(`[tunnel, run, --token, ${token}]`), 'literal-token');
    assert.equal(d!.severity, 'warning');
  });
});

describe('tunnel secrets committed in ConfigMaps and Secrets (issue #14)', () => {
  const fixture = readFileSync(
    join(__dirname, '..', '..', '..', 'fixtures', 'real-world', 'manifests', 'committed-secrets.yaml'),
    'utf8',
  );

  test('Secret stringData credentials, Secret data token (base64), ConfigMap data token: each a warning on its value', () => {
    const found = analyzeText(fixture, 'cloudflared/secrets.yaml').diagnostics;
    assert.deepEqual(
      found.map((d) => [d.code, d.severity, d.range.start.line + 1]),
      [
        ['committed-tunnel-secret', 'warning', 11],
        ['committed-tunnel-secret', 'warning', 24],
        ['committed-tunnel-secret', 'warning', 34],
      ],
    );
    assert.match(
      found[0]!.message,
      /^Secret 'tunnel-credentials' holds tunnel credentials \(TunnelSecret\) in stringData: a committed manifest puts it in git/,
    );
    assert.match(
      found[1]!.message,
      /^Secret 'tunnel-token' holds a tunnel run token in data \(base64 is not encryption\)/,
    );
    assert.match(found[2]!.message, /^ConfigMap 'cloudflared-env' holds a tunnel run token in plain text/);
    for (const d of found)
      assert.match(d.message, /secretGenerator from a git-ignored file, or use a sealed or external secret/);
    assert.ok(textOf(fixture, found[1]!).startsWith('ZXlKaElqb2'));
  });

  test('references, placeholders and other values are not secrets', () => {
    const text = yaml`
      apiVersion: v1
      kind: Secret
      metadata:
        name: tunnel
      stringData:
        token: \${TUNNEL_TOKEN}
        credentials-file: /etc/cloudflared/creds/credentials.json
      data:
        password: c2VjcmV0
        broken: not*base64
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: cloudflared
      data:
        config.yaml: |
          tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef
          credentials-file: /etc/cloudflared/creds/credentials.json
          ingress:
            - service: http_status:404
    `;
    assert.deepEqual(analyzeText(text).diagnostics, []);
  });
});
