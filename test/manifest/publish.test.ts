/**
 * Ready to publish: what the .vsix holds (`vsce ls --no-dependencies` = test/manifest/vsix-files.txt),
 * the Marketplace metadata, the README and CHANGELOG as vsce rewrites them for the package, and the
 * release workflow (it cannot run here: it needs the publishing tokens).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { releasePaths, vsceArgs, vsceOptions } from '../../scripts/package.mjs';

const root = join(__dirname, '../..');
const read = (rel: string) => readFileSync(join(root, rel), 'utf8');
const pkg = JSON.parse(read('package.json'));

/** vsce's own modules (dev dependency @vscode/vsce), as `vsce ls` and `vsce package` use them. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const vsce = require('@vscode/vsce/out/package.js') as {
  listFiles(o: { cwd: string; dependencies: boolean }): Promise<string[]>;
  ReadmeProcessor: new (m: unknown, o: object) => MarkdownProcessor;
  ChangelogProcessor: new (m: unknown, o: object) => MarkdownProcessor;
};
interface MarkdownProcessor {
  processFile(f: { path: string; localPath: string }): Promise<{ contents: Buffer | string }>;
}

/** The categories VS Code's manifest schema accepts (extensionsRegistry.ts). */
const CATEGORIES = new Set([
  'AI',
  'Azure',
  'Chat',
  'Data Science',
  'Debuggers',
  'Education',
  'Extension Packs',
  'Formatters',
  'Keymaps',
  'Language Packs',
  'Linters',
  'Machine Learning',
  'Notebooks',
  'Other',
  'Programming Languages',
  'SCM Providers',
  'Snippets',
  'Testing',
  'Themes',
  'Visualization',
]);

describe('the .vsix', () => {
  test('vsce ls --no-dependencies lists exactly test/manifest/vsix-files.txt', async () => {
    const expected = read('test/manifest/vsix-files.txt').split('\n').filter(Boolean);
    const missingBuild = expected.filter((f) => f.startsWith('dist/') && !existsSync(join(root, f)));
    assert.deepEqual(missingBuild, [], 'build first (npm run build): vsce lists only files that exist');
    const listed = (await vsce.listFiles({ cwd: root, dependencies: false })).sort();
    assert.deepEqual(
      listed,
      [...expected].sort(),
      'what ships changed: update .vscodeignore or test/manifest/vsix-files.txt',
    );
  });

  test('everything the manifest points at ships', () => {
    const expected = new Set(read('test/manifest/vsix-files.txt').split('\n').filter(Boolean));
    const referenced = [
      pkg.main,
      pkg.icon,
      'CHANGELOG.md',
      'README.md',
      'LICENSE',
      ...pkg.contributes.grammars.map((g: { path: string }) => g.path),
      ...pkg.contributes.walkthroughs.flatMap((w: { steps: Array<{ media: { markdown: string } }> }) =>
        w.steps.map((s) => s.media.markdown),
      ),
      ...(pkg.contributes.yamlValidation ?? []).map((v: { url: string }) => v.url),
    ].map((p: string) => p.replace(/^\.\//, ''));
    for (const p of referenced) assert.ok(expected.has(p), `${p} is referenced by package.json but not shipped`);
  });
});

describe('Marketplace metadata', () => {
  test('repository, homepage and bugs name the GitHub repository', () => {
    assert.equal(pkg.repository.url, 'https://github.com/cftunnel/vscode-cftunnel.git');
    assert.match(pkg.homepage, /^https:\/\/github\.com\/cftunnel\/vscode-cftunnel\b/);
    assert.equal(pkg.bugs.url, 'https://github.com/cftunnel/vscode-cftunnel/issues');
  });

  test('the icon is a 128×128 PNG', () => {
    const png = readFileSync(join(root, pkg.icon));
    assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a');
    assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  });

  test('gallery banner, categories and keywords are what the Marketplace accepts', () => {
    assert.match(pkg.galleryBanner.color, /^#[0-9A-Fa-f]{6}$/);
    assert.ok(['dark', 'light'].includes(pkg.galleryBanner.theme));
    for (const c of pkg.categories) assert.ok(CATEGORIES.has(c), `unknown category ${c}`);
    assert.ok(pkg.keywords.length <= 30, 'the Marketplace takes at most 30 keywords');
    assert.equal(new Set(pkg.keywords).size, pkg.keywords.length, 'no duplicate keywords');
    for (const k of ['cloudflare', 'cloudflared', 'kubernetes', 'k8s', 'kustomize', 'zero trust'])
      assert.ok(pkg.keywords.includes(k), k);
  });

  for (const [name, Processor] of [
    ['README.md', 'ReadmeProcessor'],
    ['CHANGELOG.md', 'ChangelogProcessor'],
  ] as const) {
    test(`${name} as vsce packs it: absolute https links at the tag, PNG images that exist`, async () => {
      const options = vsceOptions(pkg, `v${pkg.version}`);
      const processor = new vsce[Processor](pkg, options);
      // Throws on http or SVG images and on relative links it cannot resolve, as `vsce package` would.
      const out = (await processor.processFile({ path: name, localPath: join(root, name) })).contents.toString();
      for (const [, src] of out.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)) {
        assert.ok(src!.startsWith(options.baseImagesUrl), src);
        assert.match(src!, /\.png$/);
        assert.ok(existsSync(join(root, src!.slice(options.baseImagesUrl.length))), `${src} is not in the repository`);
      }
      for (const [, href] of out.matchAll(/\]\(([^)\s]+)\)/g)) {
        assert.match(href!, /^(https:\/\/|#|mailto:)/, `${name}: a link left relative: ${href}`);
        if (href!.startsWith(options.baseContentUrl)) {
          const rel = href!.slice(options.baseContentUrl.length).replace(/#.*$/, '');
          assert.ok(existsSync(join(root, rel)), `${name} links to ${rel}, which does not exist`);
        }
      }
      assert.doesNotMatch(out, /github\.com\/cftunnel\/vscode-cftunnel\/issues\/\d/, 'no issue auto-links');
    });
  }

  test('SECURITY.md says how the token is stored and where to report', () => {
    const security = read('SECURITY.md');
    assert.match(security, /SecretStorage/);
    assert.match(security, /security\/advisories\/new/);
  });
});

describe('.github/workflows/release.yml', () => {
  interface Step {
    id?: string;
    uses?: string;
    run?: string;
    with?: Record<string, string>;
    env?: Record<string, string>;
  }
  interface Job {
    needs?: string | string[];
    outputs?: Record<string, string>;
    steps: Step[];
    environment?: string;
  }
  const wf = parse(read('.github/workflows/release.yml')) as {
    on: { push: { tags: string[] } };
    jobs: Record<string, Job>;
  };
  const jobs = Object.entries(wf.jobs);
  const steps = jobs.flatMap(([job, j]) => j.steps.map((s) => ({ job, ...s })));
  const runs = steps.filter((s) => s.run !== undefined);

  test('runs on a v* tag and tests before it packages', () => {
    assert.deepEqual(wf.on.push.tags, ['v*']);
    const pkgJob = wf.jobs.package!.steps.map((s) => s.run ?? s.uses);
    assert.ok(pkgJob.indexOf('npm ci') < pkgJob.indexOf('npm test'));
    assert.ok(pkgJob.indexOf('npm test') < pkgJob.findIndex((r) => r?.startsWith('npm run package')));
  });

  test('packages once, with npm run package, and uploads that folder', () => {
    const packaging = runs.filter((s) => /npm run package|vsce package|vsce@[^ ]+ package|npm pack/.test(s.run!));
    assert.equal(packaging.length, 1, packaging.map((s) => s.run).join('\n'));
    assert.equal(packaging[0]!.job, 'package');
    assert.equal(packaging[0]!.id, 'package');
    assert.equal(pkg.scripts.package, 'node scripts/package.mjs');
    assert.match(read('scripts/package.mjs'), /appendFileSync\(process\.env\.GITHUB_OUTPUT/);
    const outputs = wf.jobs.package!.outputs!;
    assert.equal(outputs.vsix, '${{ steps.package.outputs.vsix }}');
    assert.equal(outputs.tgz, '${{ steps.package.outputs.tgz }}');
    const upload = wf.jobs.package!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    assert.equal(upload.with!.name, 'release');
    // What it uploads is where npm run package writes (releasePaths), relative to the checkout.
    const { vsix, tgz } = releasePaths(pkg.version);
    for (const p of [vsix, tgz]) assert.ok(p.startsWith(join(root, upload.with!.path!)), p);
  });

  test('publishes the same .vsix to the Marketplace and Open VSX, and the tarball to npm', () => {
    const publish = (pattern: RegExp) => {
      const found = runs.filter((s) => pattern.test(s.run!));
      assert.equal(found.length, 1, String(pattern));
      const s = found[0]!;
      const job = wf.jobs[s.job]!;
      assert.equal(job.needs, 'package');
      assert.equal(job.environment, 'release');
      const download = job.steps.find((x) => x.uses?.startsWith('actions/download-artifact@'))!;
      assert.equal(download.with!.name, 'release');
      assert.equal(
        download.with!.path,
        wf.jobs.package!.steps.find((x) => x.uses?.includes('upload-artifact'))!.with!.path,
      );
      return s;
    };
    const vsceVersion = JSON.parse(read('node_modules/@vscode/vsce/package.json')).version;
    const marketplace = publish(/vsce@[\d.]+ publish/);
    assert.equal(marketplace.run, `npx --yes @vscode/vsce@${vsceVersion} publish --packagePath "$VSIX"`);
    const openVsx = publish(/ovsx@[\d.]+ publish/);
    assert.match(openVsx.run!, /^npx --yes ovsx@\d+\.\d+\.\d+ publish "\$VSIX"$/);
    for (const s of [marketplace, openVsx]) assert.equal(s.env!.VSIX, '${{ needs.package.outputs.vsix }}');
    const npm = publish(/npm publish/);
    assert.equal(npm.env!.TGZ, '${{ needs.package.outputs.tgz }}');
    assert.match(npm.run!, /^npm publish "\.\/\$TGZ"/);
  });

  test('each secret reaches one publishing step, through its environment only', () => {
    const text = read('.github/workflows/release.yml');
    for (const s of steps) {
      assert.doesNotMatch(s.run ?? '', /secrets\./, `${s.job}: a secret on a command line`);
      assert.doesNotMatch(s.run ?? '', /\b(echo|printf|set -x|env\b|printenv)/, `${s.job}: ${s.run}`);
    }
    for (const [secret, variable] of [
      ['VSCE_PAT', 'VSCE_PAT'],
      ['OVSX_PAT', 'OVSX_PAT'],
      ['NPM_TOKEN', 'NODE_AUTH_TOKEN'],
    ]) {
      const using = steps.filter((s) => Object.values(s.env ?? {}).includes(`\${{ secrets.${secret} }}`));
      assert.equal(using.length, 1, secret);
      assert.equal(using[0]!.env![variable!], `\${{ secrets.${secret} }}`);
      assert.equal(text.split(`secrets.${secret}`).length - 1, 1, `${secret} appears once`);
    }
  });

  test('vsceArgs packages without dependencies, links at the tag', () => {
    const args = vsceArgs(pkg, 'v1.2.3', '/tmp/x.vsix');
    assert.deepEqual(args.slice(0, 2), ['package', '--no-dependencies']);
    assert.ok(args.includes('https://raw.githubusercontent.com/cftunnel/vscode-cftunnel/v1.2.3/'));
    assert.ok(args.includes('--no-gitHubIssueLinking'));
  });
});
