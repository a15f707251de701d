/**
 * The kustomize model against the real thing: every folder under test/fixtures/kustomize is
 * rendered by `kubectl kustomize` (the oracle, field-notes §8.2) and by our model; generated
 * names, namespaces, types, data, labels, annotations and `immutable` must agree, and the
 * references kustomize rewrote in the other objects must point at the names we computed.
 * A missing kubectl fails the test: the comparison is the point of this file.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { findKustomizationFile, generateObjects, parseKustomization } from '../../src/core/kustomize/model';
import type { FileReader, GeneratedObject } from '../../src/core/kustomize/model';

const FIXTURES = join(__dirname, '../fixtures/kustomize');

const isFile = (p: string): boolean => existsSync(p) && statSync(p).isFile();
/** Text only, as an editor gives documents (enough for every input that is UTF-8). */
const textReader: FileReader = {
  read: (p) => (isFile(p) ? readFileSync(p, 'utf8') : undefined),
  isDirectory: (p) => existsSync(p) && statSync(p).isDirectory(),
  list: (d) => readdirSync(d),
};
/** With bytes, for non-UTF-8 inputs (ConfigMap binaryData, binary Secret values). */
const diskReader: FileReader = {
  ...textReader,
  readBytes: (p) => (isFile(p) ? new Uint8Array(readFileSync(p)) : undefined),
};

function allUtf8(dir: string): boolean {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).every((f) => {
    const p = join(dir, f);
    if (!isFile(p)) return true;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(p));
      return true;
    } catch {
      return false;
    }
  });
}

type Obj = Record<string, unknown>;

function kubectlKustomize(dir: string): Obj[] {
  const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) {
    assert.fail(
      `kubectl could not be run (${r.error.message}). This test compares our kustomize model with ` +
        '`kubectl kustomize` and needs kubectl (with its embedded kustomize) on PATH.',
    );
  }
  assert.equal(r.status, 0, `kubectl kustomize ${dir} failed:\n${r.stderr}`);
  // failsafe: every scalar stays the string kubectl printed
  return parseAllDocuments(r.stdout, { schema: 'failsafe' }).map((d) => d.toJS() as Obj);
}

interface Comparable {
  kind: string;
  name: string;
  namespace: string | null;
  type: string | null;
  data: Record<string, string>;
  binaryData: Record<string, string> | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  immutable: boolean;
}

function sorted(m: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * kubectl's object as printed. yaml.v3's emitter treats U+2028/U+2029 as line breaks and indents
 * after them inside quoted scalars; a YAML 1.2 reader keeps that indentation, so it is dropped.
 */
function fromKubectl(o: Obj): Comparable {
  const meta = (o.metadata ?? {}) as Obj;
  const rawData = (o.data ?? {}) as Record<string, string>;
  const data =
    o.kind === 'Secret'
      ? Object.fromEntries(Object.entries(rawData).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]))
      : Object.fromEntries(Object.entries(rawData).map(([k, v]) => [k, v.replace(/([\u2028\u2029]) +/g, '$1')]));
  const bin = o.binaryData as Record<string, string> | undefined;
  return {
    kind: String(o.kind),
    name: String(meta.name),
    namespace: (meta.namespace as string | undefined) ?? null,
    type: (o.type as string | undefined) ?? null,
    data: sorted(data),
    binaryData: bin ? sorted(Object.fromEntries(Object.entries(bin).map(([k, v]) => [k, v.replace(/\s/g, '')]))) : null,
    labels: sorted(meta.labels as Record<string, string> | undefined),
    annotations: sorted(meta.annotations as Record<string, string> | undefined),
    immutable: o.immutable === 'true',
  };
}

function fromModel(o: GeneratedObject): Comparable {
  return {
    kind: o.kind,
    name: o.name,
    namespace: o.namespace ?? null,
    type: o.type ?? null,
    data: sorted(o.data),
    binaryData: o.binaryData ? sorted(o.binaryData) : null,
    labels: sorted(o.labels),
    annotations: sorted(o.annotations),
    immutable: o.immutable,
  };
}

const byId = (a: Comparable, b: Comparable): number => `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`);

/** ConfigMap and Secret names referenced from pod templates' volumes and env (as rewritten). */
function referencedNames(o: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(o)) for (const x of o) referencedNames(x, out);
  else if (o && typeof o === 'object') {
    const m = o as Obj;
    const cm = m.configMap as Obj | undefined;
    const sec = m.secret as Obj | undefined;
    if (cm && typeof cm.name === 'string') out.add(cm.name);
    if (sec && typeof sec.secretName === 'string') out.add(sec.secretName);
    for (const ref of ['configMapRef', 'secretRef', 'configMapKeyRef', 'secretKeyRef']) {
      const r = m[ref] as Obj | undefined;
      if (r && typeof r.name === 'string') out.add(r.name);
    }
    for (const v of Object.values(m)) referencedNames(v, out);
  }
  return out;
}

const folders = readdirSync(FIXTURES)
  .filter((f) => statSync(join(FIXTURES, f)).isDirectory())
  .sort();

describe('kustomize model agrees with kubectl kustomize', () => {
  test('there are fixtures', () => {
    assert.ok(folders.length >= 10, `only ${folders.length} fixture folders in ${FIXTURES}`);
  });

  for (const folder of folders) {
    test(folder, () => {
      const dir = join(FIXTURES, folder);
      const found = findKustomizationFile(dir, diskReader);
      assert.ok(found.path, found.error);
      const k = parseKustomization(dir, readFileSync(found.path, 'utf8'));
      const { objects, problems } = generateObjects(k, diskReader);
      const errors = problems.filter((p) => p.severity === 'error');
      assert.deepEqual(errors, [], 'no errors expected: kubectl renders every fixture');
      for (const o of objects) assert.ok(o.exact, `${o.kind} ${o.name} should be exact`);

      const rendered = kubectlKustomize(dir);
      const generated = rendered.filter((o) => o.kind === 'ConfigMap' || o.kind === 'Secret');
      assert.deepEqual(objects.map(fromModel).sort(byId), generated.map(fromKubectl).sort(byId));

      // The text-only reader gives the same result wherever every input is UTF-8.
      if (allUtf8(dir)) {
        assert.deepEqual(
          generateObjects(k, textReader).objects.map(fromModel).sort(byId),
          objects.map(fromModel).sort(byId),
        );
      }

      const ours = new Set(objects.map((o) => o.name));
      for (const other of rendered.filter((o) => o.kind !== 'ConfigMap' && o.kind !== 'Secret')) {
        for (const name of referencedNames(other)) {
          assert.ok(
            ours.has(name),
            `${String(other.kind)} references ${name}, which is not one of ${[...ours].join(', ')}`,
          );
        }
      }
    });
  }
});
