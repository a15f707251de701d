/**
 * The Kubernetes client as a lazily loaded bundle (src/extension/kubernetes/lazy.ts, esbuild.mjs's
 * dist/kubernetes.js): the facade gives src/kubernetes/cluster.ts's exports, a `KubernetesError`
 * made by one copy of errors.ts is one to the other copy (each bundle has its own), and
 * src/extension/ imports nothing from src/kubernetes/ but types and errors.ts, so that
 * dist/extension.js never pulls in @kubernetes/client-node (esbuild.mjs also fails the build then).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import * as direct from '../../../../src/kubernetes/cluster';
import { KubernetesError } from '../../../../src/kubernetes/errors';
import type * as Errors from '../../../../src/kubernetes/errors';
import { kubernetes } from '../../../../src/extension/kubernetes/lazy';
import { filesUnder } from '../../../support/files';

const root = resolve(__dirname, '../../../..');

test('kubernetes() is src/kubernetes/cluster.ts, loaded once', () => {
  const k = kubernetes();
  assert.equal(k, kubernetes());
  assert.equal(k.loadKubeconfig, direct.loadKubeconfig);
  assert.equal(k.ServiceWatcher, direct.ServiceWatcher);
  assert.equal(typeof k.readConfigMapValue, 'function');
});

test('a KubernetesError from another copy of errors.ts is a KubernetesError', () => {
  const path = require.resolve('../../../../src/kubernetes/errors');
  const cached = require.cache[path];
  delete require.cache[path];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const other = require(path) as typeof Errors;
    assert.notEqual(other.KubernetesError, KubernetesError, 'a second copy of the module');
    const theirs = new other.KubernetesError('forbidden', 'no');
    const ours = new KubernetesError('untrusted', 'no');
    assert.ok(theirs instanceof KubernetesError);
    assert.ok(ours instanceof other.KubernetesError);
    assert.ok(theirs instanceof Error);
    assert.equal(other.toKubernetesError(ours, { action: 'list' }), ours, 'kept as it is, not wrapped');
    assert.ok(!(new Error('x') instanceof KubernetesError));
    assert.ok(!((null as unknown as object) instanceof KubernetesError));
    assert.ok(!({ kind: 'forbidden', message: 'no' } instanceof KubernetesError));
  } finally {
    if (cached) require.cache[path] = cached;
  }
});

function listTs(dir: string): string[] {
  return filesUnder(dir, (name) => name.endsWith('.ts') && !name.endsWith('.d.ts'));
}

test('src/extension/ imports src/kubernetes/ as types only (errors.ts aside; lazy.ts requires it)', () => {
  const kubernetesDir = join(root, 'src', 'kubernetes');
  const allowed = new Set([join(kubernetesDir, 'errors')]);
  const found: string[] = [];
  for (const file of listTs(join(root, 'src', 'extension'))) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const where = (node: ts.Node) =>
      `${relative(root, file)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const intoKubernetes = (spec: string) => {
      if (!spec.startsWith('.')) return undefined;
      const target = resolve(dirname(file), spec).replace(/\.(?:js|ts)$/, '');
      return target.startsWith(kubernetesDir + '/') ? target : undefined;
    };
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const target = intoKubernetes(node.moduleSpecifier.text);
        const clause = node.importClause;
        const typeOnly =
          clause?.isTypeOnly ||
          (clause &&
            !clause.name &&
            clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly));
        if (target && !typeOnly && !allowed.has(target))
          found.push(`${where(node)} imports ${node.moduleSpecifier.text}`);
      } else if (
        ts.isCallExpression(node) &&
        (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
          (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
        node.arguments[0] &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        const target = intoKubernetes(node.arguments[0].text);
        const lazy = file === join(root, 'src', 'extension', 'kubernetes', 'lazy.ts');
        if (target && !(lazy && target === join(kubernetesDir, 'cluster')))
          found.push(`${where(node)} loads ${node.arguments[0].text}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  assert.deepEqual(found, [], 'call src/kubernetes/ through kubernetes() of src/extension/kubernetes/lazy.ts');
});
