/**
 * "Apply to Cluster" with hostile folder and context names (issue #16): a fake kubectl records the
 * argument vector, its own path and KUBECONFIG of each run. The diff (runKubectl) and the apply (the
 * extension's terminal, startKubectlInTerminal) get exactly the intended arguments — no shell reads
 * them — from the same kubectl and the same kubeconfig. The command line shown for the user's shell
 * reads back as the same words in real bash, dash, zsh, fish and tcsh (those installed).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyPlan, commandLine, shellOf } from '../../src/core/kubectl/apply';
import type { Shell } from '../../src/core/kubectl/apply';
import { runKubectl } from '../../src/node/kubectl';
import { startKubectlInTerminal } from '../../src/node/kubectlTerminal';
import { HOSTILE_NAMES } from '../support/hostileNames';

interface Recorded {
  argv: string[];
  self: string;
  kubeconfig: string | null;
  externalDiff: string | null;
}

let tmp = '';
let fake = '';
let log = '';
const env = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  FAKE_KUBECTL_LOG: log,
  KUBECTL_EXTERNAL_DIFF: 'meld',
});
const recorded = (): Recorded[] =>
  existsSync(log)
    ? readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Recorded)
    : [];

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'cftunnel-argv-'));
  fake = join(tmp, 'bin dir', 'kubectl');
  mkdirSync(join(tmp, 'bin dir'));
  writeFileSync(
    fake,
    `#!${process.execPath}\nconst fs = require('node:fs');\nfs.appendFileSync(process.env.FAKE_KUBECTL_LOG, JSON.stringify({ argv: process.argv.slice(2), self: process.argv[1], kubeconfig: process.env.KUBECONFIG ?? null, externalDiff: process.env.KUBECTL_EXTERNAL_DIFF ?? null }) + '\\n');\nprocess.stdout.write('ok\\n');\nprocess.exit(process.argv[2] === 'diff' ? 1 : 0);\n`,
  );
  chmodSync(fake, 0o755);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('Apply to Cluster: hostile names reach kubectl unchanged (issue #16)', () => {
  it('the diff and the terminal apply run the same kubectl with exactly the intended argv and kubeconfig', async () => {
    const configs: Array<readonly string[]> = [[], [join(tmp, "kube'config")], [join(tmp, 'a b'), join(tmp, '$(x)')]];
    let n = 0;
    for (const name of HOSTILE_NAMES) {
      const kubeconfig = configs[n++ % configs.length]!;
      log = join(tmp, `log-${n}.jsonl`);
      const dir = join(tmp, 'ws', name);
      const plan = applyPlan(fake, { dir, context: name, kubeconfig, delimiter: ':' });
      const diff = await runKubectl(plan.diff.program, plan.diff.args, {
        env: env(),
        setEnv: plan.diff.env,
        unsetEnv: plan.diff.unset,
      });
      assert.equal(diff.code, 1, diff.stderr);
      let out = '';
      const proc = startKubectlInTerminal(
        plan.apply.program,
        plan.apply.args,
        { env: env(), setEnv: plan.apply.env, unsetEnv: plan.apply.unset },
        { write: (t) => (out += t), exit: () => undefined },
      );
      assert.equal(await proc.done, 0, out);
      assert.equal(out, 'ok\r\n');
      const [d, a, ...rest] = recorded();
      assert.deepEqual(rest, []);
      const ctx = name.startsWith('-') ? [`--context=${name}`] : ['--context', name];
      const kc = kubeconfig.length === 1 ? ['--kubeconfig', kubeconfig[0]!] : [];
      assert.deepEqual(d!.argv, ['diff', '-k', dir, ...ctx, ...kc], JSON.stringify(name));
      assert.deepEqual(a!.argv, ['apply', '-k', dir, ...ctx, ...kc], JSON.stringify(name));
      assert.equal(a!.self, fake);
      assert.equal(d!.self, fake);
      assert.equal(a!.kubeconfig, d!.kubeconfig);
      assert.equal(d!.kubeconfig, kubeconfig.length > 1 ? kubeconfig.join(':') : null);
      assert.equal(d!.externalDiff, null, 'KUBECTL_EXTERNAL_DIFF removed for the diff');
    }
    assert.ok(!existsSync(join(tmp, 'PWNED')) && !existsSync('PWNED'));
  });

  const shells: Array<[string, Shell]> = [
    ['bash', 'posix'],
    ['dash', 'posix'],
    ['zsh', 'posix'],
    ['fish', 'fish'],
    ['tcsh', 'csh'],
  ];
  for (const [sh, kind] of shells) {
    const path = ['/usr/bin', '/bin'].map((d) => join(d, sh)).find((p) => existsSync(p));
    it(`the line shown for ${sh} reads back as the same words`, { skip: !path && `${sh} is not installed` }, () => {
      assert.equal(shellOf(path, 'linux'), kind);
      const cwd = mkdtempSync(join(tmp, `${sh}-`));
      for (const name of HOSTILE_NAMES.filter((x) => !/[\u0000-\u001f\u007f]/.test(x))) {
        const line = commandLine('printf', ['%s\\0', name, 'end'], kind);
        const out = execFileSync(path!, ['-c', line], { cwd, encoding: 'utf8' });
        assert.deepEqual(out.split('\0'), [name, 'end', ''], `${sh}: ${line}`);
      }
      assert.ok(!existsSync(join(cwd, 'PWNED')), `${sh} ran an injected command`);
    });
  }
});
