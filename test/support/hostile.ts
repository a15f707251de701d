/**
 * The hostile input set (issue #16): files that once hung the checker or exhausted its memory.
 * Small ones are committed under test/fixtures/hostile/; large ones and symbolic links are written
 * at run time by `writeHostileSet`. Used by test/integration/hostile.test.ts (the CLI and the
 * language server over each, in a child process with a time and memory limit) and by
 * `npm run bench -- hostile-worst`.
 */
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const HOSTILE_FIXTURES = join(__dirname, '..', 'fixtures', 'hostile');

export interface HostileCase {
  name: string;
  /** The folder to check (the CLI walks it; the server indexes it as a workspace folder). */
  dir: string;
  /** The file inside `dir` whose diagnostics are pulled. */
  file: string;
  /** A diagnostic code or message part the file must get (in the CLI's output and the server's). */
  expect: RegExp;
}

const TUNNEL = 'tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef\n';

/** Writes the whole set under `root` (an empty temporary folder) and lists its cases. */
export function writeHostileSet(root: string): HostileCase[] {
  const cases: HostileCase[] = [];
  const add = (name: string, file: string, expect: RegExp, write?: (dir: string) => void): void => {
    const dir = join(root, name);
    if (write) {
      mkdirSync(dir, { recursive: true });
      write(dir);
    } else {
      cpSync(join(HOSTILE_FIXTURES, name), dir, { recursive: true });
    }
    cases.push({ name, dir, file: join(dir, file), expect });
  };
  add('alias-bomb-kustomization', 'kustomization.yaml', /document contains excessive aliasing/);
  add('alias-bomb-config', 'config.yaml', /document contains excessive aliasing/);
  add('symlink-loop', 'config.yaml', /last-rule-not-catch-all/, (dir) => {
    writeFileSync(
      join(dir, 'config.yaml'),
      `${TUNNEL}ingress:\n  - hostname: a.example.com\n    service: http://a:80\n`,
    );
    mkdirSync(join(dir, 'sub'));
    symlinkSync('.', join(dir, 'a'));
    symlinkSync('.', join(dir, 'b'));
    symlinkSync('..', join(dir, 'sub', 'up'));
    symlinkSync('missing.yaml', join(dir, 'dangling.yaml'));
  });
  add('config-50mb', 'config.yaml', /larger than/, (dir) => {
    const rule = '  - hostname: h.example.com\n    service: http://a:80\n';
    writeFileSync(
      join(dir, 'config.yaml'),
      `${TUNNEL}ingress:\n${rule.repeat(Math.ceil((50 * 1024 * 1024) / rule.length))}  - service: http_status:404\n`,
    );
  });
  add('regex-rules-10k', 'config.yaml', /regex-budget/, (dir) => {
    let text = `${TUNNEL}ingress:\n`;
    for (let i = 0; i < 10_000; i++)
      text += `  - hostname: h${i}.example.com\n    path: ^/[a-z]{1,1000}/${i}$\n    service: http://a:80\n`;
    writeFileSync(join(dir, 'config.yaml'), `${text}  - service: http_status:404\n`);
  });
  add('rules-30k', 'config.yaml', /more than 20,000/, (dir) => {
    writeFileSync(join(dir, 'config.yaml'), `${TUNNEL}ingress:\n${'  - service: http://a\n'.repeat(30_000)}`);
  });
  add('rules-100k', 'config.yaml', /larger than|more than/, (dir) => {
    writeFileSync(join(dir, 'config.yaml'), `${TUNNEL}ingress:\n${'  - service: http://a\n'.repeat(100_000)}`);
  });
  return cases;
}
