// Lint enforces the layer boundaries described in docs/ARCHITECTURE.md.
import tseslint from 'typescript-eslint';

const editorAndLsp = [
  'vscode',
  'vscode-languageserver',
  'vscode-languageserver/node',
  'vscode-languageserver-textdocument',
  'vscode-languageclient',
  'vscode-languageclient/node',
];
const fsModules = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises'];
const restrict = (paths, message) => ({
  'no-restricted-imports': ['error', { paths: paths.map((name) => ({ name, message })) }],
});
// The two SDKs, each with its subpaths (`cloudflare/resources/…`, `import type` included), are
// fenced with typescript-eslint's rule of the same name: a second rule, so these fences add to the
// per-folder ones above instead of replacing them (flat config replaces a rule's options).
const kubernetesSdk = {
  regex: '^@kubernetes/client-node(/|$)',
  message:
    '@kubernetes/client-node is used in src/kubernetes only (paging, RBAC fallback, deadlines, errors that say what to do): call or add a function there (docs/ARCHITECTURE.md).',
};
const cloudflareSdk = {
  regex: '^cloudflare(/|$)',
  message:
    'The cloudflare SDK is used in src/cloudflare only (paging, retries, timeouts, errors; the token never leaves it): call or add a method of CloudflareApi there (docs/ARCHITECTURE.md).',
};
const fenceSdks = (...patterns) => ({ '@typescript-eslint/no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', 'test/fixtures/**', 'examples/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts'],
    rules: restrict(
      [...editorAndLsp, ...fsModules, 'child_process', 'node:child_process'],
      'src/core and src/shared are pure: no editor, LSP runtime, file system or processes (docs/ARCHITECTURE.md).',
    ),
  },
  {
    files: ['src/server/**/*.ts'],
    rules: {
      ...restrict(
        ['vscode', 'vscode-languageclient', 'vscode-languageclient/node'],
        'The server never imports the editor API or the client library.',
      ),
      'no-console': 'error',
    },
  },
  {
    files: ['src/extension/**/*.ts'],
    rules: restrict(
      ['vscode-languageserver', 'vscode-languageserver/node', 'vscode-languageserver-textdocument'],
      'The extension talks to the server through vscode-languageclient and src/shared only.',
    ),
  },
  {
    files: ['src/cloudflare/**/*.ts'],
    rules: restrict(
      [...editorAndLsp, ...fsModules],
      'src/cloudflare wraps the Cloudflare API: no editor, LSP runtime or file system (the extension and the CLI supply them).',
    ),
  },
  {
    files: ['src/kubernetes/**/*.ts'],
    ignores: ['src/kubernetes/node.ts'],
    rules: restrict(
      [...editorAndLsp, ...fsModules],
      'src/kubernetes is the cluster client: no editor, LSP runtime or file system (kubeconfig files are read in src/kubernetes/node.ts only).',
    ),
  },
  {
    files: ['src/kubernetes/node.ts'],
    rules: restrict(
      editorAndLsp,
      'src/kubernetes/node.ts reads kubeconfig files; it never imports the editor or LSP runtime.',
    ),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: restrict(['vscode', ...editorAndLsp.slice(1)], 'The CLI runs without an editor or LSP runtime.'),
  },
  // Outside src/ (dev/, test/, bench/, scripts/) the SDKs are free: the local servers and the tests use them.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/kubernetes/**', 'src/cloudflare/**'],
    rules: fenceSdks(kubernetesSdk, cloudflareSdk),
  },
  { files: ['src/kubernetes/**/*.ts'], rules: fenceSdks(cloudflareSdk) },
  { files: ['src/cloudflare/**/*.ts'], rules: fenceSdks(kubernetesSdk) },
  // Type-aware: a promise nobody awaits loses its error (an unhandled rejection in the extension host),
  // and an async callback where a void one is expected (an event handler, forEach) does the same. A
  // fire-and-forget call says so with `void`. node:test's test()/describe() are safe to leave floating.
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
);
