/**
 * The workspace model over fixture folders (test/fixtures/workspaces/<case>/): every YAML file is
 * given to a Workspace through an fs-backed reader, and the cross-file diagnostics must be exactly
 * those of the folder's expected.json: [file, code, severity, 0-based line, covered text].
 *
 * Fixtures with a kustomization are also rendered by `kubectl kustomize` (the oracle): the
 * ConfigMap/Secret names the model links each cloudflared container to must be the names kustomize
 * generated, and the Deployment's volumes must point at them after kustomize rewrote them. A
 * fixture whose expectations hold a kustomize error must make kubectl fail the same way.
 * A missing kubectl fails the test: the comparison is the point.
 *
 * Fixture conventions: the folder is the root of a git repository (the reader reports a `.git`
 * folder there), and its ignore file is stored as `gitignore` (read as `.gitignore`) so that git
 * itself does not apply it to the fixture files.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Workspace } from '../../src/core/workspace/workspace';
import type { ContainerLink, LinkedFile } from '../../src/core/workspace/workspace';
import { kubectlKustomize, loadWorkspace as load, walk } from '../support/fsWorkspace';
import { textOf } from '../support/config';

const FIXTURES = join(__dirname, '../fixtures/workspaces');

type Expected = Array<[string, string, string, number, string]>;
type Obj = Record<string, unknown>;

function findings(root: string, ws: Workspace): Expected {
  const out: Expected = [];
  for (const file of ws.files()) {
    const text = readFileSync(file, 'utf8');
    for (const d of ws.diagnostics(file))
      out.push([relative(root, file), d.code, d.severity, d.range.start.line, textOf(text, d)]);
  }
  return sortRows(out);
}

function sortRows(rows: Expected): Expected {
  return [...rows].sort((a, b) => a[0].localeCompare(b[0]) || a[3] - b[3] || a[1].localeCompare(b[1]));
}

function podSpec(o: Obj): Obj | undefined {
  return ((o.spec as Obj | undefined)?.template as Obj | undefined)?.spec as Obj | undefined;
}

/** The rendered workload's volume and the rendered object a linked file must point at. */
function checkLinkAgainstKustomize(rendered: Obj[], link: ContainerLink, file: LinkedFile): void {
  const workload = rendered.find(
    (o) =>
      o.kind === link.workload.kind &&
      ((podSpec(o)?.containers as Obj[] | undefined) ?? []).some((c) => c.name === link.container),
  );
  assert.ok(workload, `kubectl rendered no ${link.workload.kind} with container ${link.container}`);
  const volume = ((podSpec(workload)!.volumes as Obj[] | undefined) ?? []).find((v) => v.name === file.volume);
  assert.ok(volume, `volume ${file.volume} not rendered`);
  const projected = ((volume.projected as Obj | undefined)?.sources as Obj[] | undefined) ?? [];
  const names =
    file.kind === 'ConfigMap'
      ? [(volume.configMap as Obj | undefined)?.name, ...projected.map((s) => (s.configMap as Obj | undefined)?.name)]
      : [(volume.secret as Obj | undefined)?.secretName, ...projected.map((s) => (s.secret as Obj | undefined)?.name)];
  assert.ok(
    names.includes(file.name),
    `kustomize rewrote volume ${file.volume} to ${names.filter(Boolean).join(', ')}; the model links ${file.name}`,
  );
  const object = rendered.find((o) => o.kind === file.kind && (o.metadata as Obj).name === file.name);
  assert.ok(object, `kustomize generated no ${file.kind} ${file.name}`);
  assert.ok(Object.hasOwn((object.data ?? {}) as Obj, file.key), `${file.kind} ${file.name} has no key ${file.key}`);
}

const folders = readdirSync(FIXTURES)
  .filter((f) => statSync(join(FIXTURES, f)).isDirectory())
  .sort();

describe('workspace fixtures', () => {
  test('there are fixtures', () => {
    assert.ok(folders.length >= 20, `only ${folders.length} fixture folders in ${FIXTURES}`);
  });

  for (const folder of folders) {
    describe(folder, () => {
      const root = join(FIXTURES, folder);
      const expected = sortRows(JSON.parse(readFileSync(join(root, 'expected.json'), 'utf8')) as Expected);
      const ws = load(root);

      test('cross-file diagnostics', () => {
        assert.deepEqual(findings(root, ws), expected);
      });

      test('diagnostics carry no secret', () => {
        const secrets = walk(root)
          .filter((p) => /credentials|creds/.test(p) && p.endsWith('.json'))
          .flatMap((p) => [...readFileSync(p, 'utf8').matchAll(/"TunnelSecret"\s*:\s*"([^"]+)"/g)].map((m) => m[1]!));
        for (const f of ws.files())
          for (const d of ws.diagnostics(f))
            for (const s of secrets) assert.ok(!d.message.includes(s), `${d.code} prints the tunnel secret`);
      });

      const kustomizations = walk(root).filter((p) => /(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(p));
      if (kustomizations.length === 0) return;
      test('links agree with kubectl kustomize', () => {
        // secret-input-missing: a git-ignored input a fresh clone lacks; kustomize refuses the folder all the same.
        const failing = expected.filter(
          ([, code, severity]) =>
            (code.startsWith('kustomize-') && severity === 'error') || code === 'secret-input-missing',
        );
        for (const [file, code] of failing) {
          const rendered = kubectlKustomize(dirname(join(root, file)));
          assert.equal(rendered.ok, false, `kubectl kustomize should fail where the model reports ${code} in ${file}`);
          if (!rendered.ok && (code === 'kustomize-missing-file' || code === 'secret-input-missing'))
            assert.match(rendered.stderr, /no such file or directory/);
        }
        if (failing.length > 0) return;
        const links = ws.links().filter((l) => l.build !== undefined);
        assert.ok(links.length > 0, 'no cloudflared container in a kustomization was linked');
        for (const link of links) {
          const rendered = kubectlKustomize(link.build!);
          assert.ok(rendered.ok, `kubectl kustomize ${link.build} failed:\n${rendered.ok ? '' : rendered.stderr}`);
          const workload = rendered.objects.find(
            (o) => o.kind === link.workload.kind && ((o.metadata as Obj).namespace ?? 'default') === link.namespace,
          );
          assert.ok(workload, `kubectl rendered no ${link.workload.kind} in namespace ${link.namespace}`);
          if (link.config?.kustomization) checkLinkAgainstKustomize(rendered.objects, link, link.config);
          if (link.credentials?.kustomization) checkLinkAgainstKustomize(rendered.objects, link, link.credentials);
        }
      });
    });
  }

  test('the clean setup links both files to generated objects', () => {
    const root = join(FIXTURES, 'clean');
    const [link] = load(root).links();
    assert.ok(link?.config && link.credentials);
    assert.equal(link.namespace, 'cloudflared');
    assert.deepEqual(
      [link.config.kind, link.config.key, link.config.volume, relative(root, link.config.source!)],
      ['ConfigMap', 'config.yaml', 'config', 'config.yaml'],
    );
    assert.deepEqual(
      [link.credentials.kind, link.credentials.key, link.credentials.volume, relative(root, link.credentials.source!)],
      ['Secret', 'credentials.json', 'creds', 'credentials.json'],
    );
    assert.match(link.config.name, /^cloudflared-config-[a-z0-9]{10}$/);
  });
});
