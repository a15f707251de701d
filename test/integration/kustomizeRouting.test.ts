/**
 * The workspace's routing objects (what `cftunnel trace`, the editor's trace and the routing checks
 * read) against `kubectl kustomize`: for each build below, every Service, Ingress, IngressClass,
 * Gateway, HTTPRoute, IngressRoute and workload the model reads from the files, with the names,
 * namespaces and references kustomize gives them, must equal what the model reads from kubectl's
 * rendering of the same build (src/core/routing/kustomizeNames.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { routingObjectsFromFiles } from '../../src/core/routing/fromWorkspace';
import { addRoutingObject, emptyRoutingObjects } from '../../src/core/routing/objects';
import type { RoutingObjects } from '../../src/core/routing/objects';
import { kubectlKustomize, loadWorkspace } from '../support/fsWorkspace';

const FIXTURES = join(__dirname, '../fixtures');

/** [the workspace folder, the build inside it whose objects are compared] */
const BUILDS: Array<[string, string]> = [
  ['routing/kustomize', 'prod'],
  ['workspaces/overlay', 'prod'],
];

const LISTS = [
  'services',
  'ingresses',
  'ingressClasses',
  'gateways',
  'httpRoutes',
  'ingressRoutes',
  'workloads',
] as const;

/** Each list's definitions (sources left out), in a stable order. */
function defs(objects: RoutingObjects): Record<(typeof LISTS)[number], string[]> {
  const out = {} as Record<(typeof LISTS)[number], string[]>;
  for (const list of LISTS) out[list] = objects[list].map((o) => JSON.stringify(o.def)).sort();
  return out;
}

describe('routing objects as kubectl kustomize renders them', () => {
  for (const [folder, build] of BUILDS) {
    test(`${folder}/${build}`, () => {
      const root = join(FIXTURES, folder);
      const buildDir = join(root, build);
      const rendered = kubectlKustomize(buildDir, 'core');
      assert.ok(rendered.ok, `kubectl kustomize ${buildDir} failed:\n${rendered.ok ? '' : rendered.stderr}`);
      const fromKubectl = emptyRoutingObjects('workspace');
      for (const obj of rendered.objects) addRoutingObject(fromKubectl, obj, {});

      // The build's files: those its kustomizations list (the workspace's placement of each).
      const ws = loadWorkspace(root);
      const files = buildFiles(buildDir);
      const inBuild = [...ws.summaries()].filter((s) => files.has(s.path));
      assert.ok(inBuild.length > 0, "the workspace read the build's files");
      const fromFiles = routingObjectsFromFiles(inBuild, (p) => ws.placementOf(p));

      const expected = defs(fromKubectl);
      assert.ok(
        expected.services.length > 0 && LISTS.filter((l) => expected[l].length > 0).length >= 2,
        'the build renders routing objects',
      );
      assert.deepEqual(defs(fromFiles), expected);
    });
  }

  test('the model differs from kubectl when the names are not applied (the comparison can fail)', () => {
    const root = join(FIXTURES, 'routing/kustomize');
    const rendered = kubectlKustomize(join(root, 'prod'), 'core');
    assert.ok(rendered.ok);
    const fromKubectl = emptyRoutingObjects('workspace');
    for (const obj of rendered.objects) addRoutingObject(fromKubectl, obj, {});
    const ws = loadWorkspace(root);
    const namespaceOnly = routingObjectsFromFiles(ws.summaries(), (p) => ({
      ...ws.placementOf(p),
      prefix: '',
      suffix: '',
    }));
    assert.notDeepEqual(defs(namespaceOnly).services, defs(fromKubectl).services);
  });
});

/** The files a kustomization lists, through the folders it lists (enough for these fixtures). */
function buildFiles(dir: string, out = new Set<string>()): Set<string> {
  const k = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as { resources?: string[] };
  for (const r of k.resources ?? []) {
    const p = join(dir, r);
    if (statSync(p).isDirectory()) buildFiles(p, out);
    else out.add(p);
  }
  return out;
}
