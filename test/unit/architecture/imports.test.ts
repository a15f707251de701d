/**
 * The import graph of src/ has no cycles. Every `import … from '…'`, `import '…'`,
 * `export … from '…'` and `import('…')` with a relative specifier is an edge; `import type` counts
 * too: a type-only cycle still ties two layers together (each must be read to understand the
 * other) and becomes a runtime cycle as soon as one of its imports gains a value. Strongly
 * connected components are found with Tarjan's algorithm; a component of two or more files (or a
 * file importing itself) fails the test with its members and the edges that close it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { filesUnder } from '../../support/files';

const root = resolve(__dirname, '../../..');
const srcDir = join(root, 'src');

function listTs(dir: string): string[] {
  return filesUnder(dir, (name) => name.endsWith('.ts') && !name.endsWith('.d.ts'));
}

/** Module specifiers of a file's imports and re-exports (static and dynamic). */
export function specifiers(fileName: string, text: string): string[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      out.push(node.moduleSpecifier.text);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      out.push(node.moduleReference.expression.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments.length > 0 &&
      ts.isStringLiteral(node.arguments[0]!)
    ) {
      out.push(node.arguments[0].text);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      out.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The file a relative specifier names (moduleResolution "Bundler": `x`, `x.ts`, `x/index.ts`). */
function resolveRelative(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  const stem = base.replace(/\.(?:js|mjs|ts)$/, '');
  for (const candidate of [base, `${stem}.ts`, join(base, 'index.ts')]) {
    if (candidate.endsWith('.ts') && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Tarjan's strongly connected components (iterative, so deep chains cannot overflow the stack). */
export function stronglyConnected(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; edge: number }> = [{ node: start, edge: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = graph.get(frame.node) ?? [];
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++]!;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]!.node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component.sort());
      }
    }
  }
  return components;
}

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of listTs(srcDir)) {
    const targets = new Set<string>();
    for (const spec of specifiers(file, readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = resolveRelative(file, spec);
      if (target === undefined) {
        // package.json and other data files are leaves; anything else is a typo worth failing on.
        assert.ok(
          existsSync(resolve(dirname(file), spec)),
          `${relative(root, file)} imports '${spec}', which names no file`,
        );
        continue;
      }
      targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

describe('the import graph of src/', () => {
  test('Tarjan finds a cycle, a self-import, and nothing in a tree', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
      ['e', ['e']],
      ['f', ['d']],
    ]);
    const cyclic = stronglyConnected(g).filter((c) => c.length > 1 || g.get(c[0]!)!.includes(c[0]!));
    assert.deepEqual(cyclic.map((c) => c.join(' ')).sort(), ['a b c', 'e']);
  });

  test('the parser sees every kind of relative import', () => {
    const text = [
      "import { a } from './a';",
      "import type {\n  B,\n} from '../b';",
      "import './c';",
      "export { d } from './d';",
      "export * from './e';",
      "export type { F } from './f';",
      "const g = await import('./g');",
      "type H = import('./h').H;",
      "// import { no } from './comment';",
      'const s = "import { no } from \'./string\'";',
    ].join('\n');
    assert.deepEqual(specifiers('x.ts', text), ['./a', '../b', './c', './d', './e', './f', './g', './h']);
  });

  test('has no cycles (import type included)', () => {
    const graph = importGraph();
    assert.ok(graph.size > 50, `found ${graph.size} files under src/`);
    const cycles = stronglyConnected(graph).filter((c) => c.length > 1 || graph.get(c[0]!)!.includes(c[0]!));
    const described = cycles.map((c) => {
      const members = new Set(c);
      const edges = c.flatMap((from) =>
        graph
          .get(from)!
          .filter((to) => members.has(to))
          .map((to) => `    ${relative(srcDir, from)} → ${relative(srcDir, to)}`),
      );
      return `  {${c.map((f) => relative(srcDir, f)).join(', ')}}\n${edges.join('\n')}`;
    });
    assert.equal(cycles.length, 0, `import cycles under src/:\n${described.join('\n')}`);
  });
});
