/**
 * Incremental results equal a fresh workspace's: after each of a few hundred random edits
 * (variants of each file that switch diagnostics on and off, deletions, new files), the
 * diagnostics of the workspace that followed the edits are those of a workspace built from scratch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  CONFIG,
  CREDENTIALS,
  DEPLOYMENT,
  ID2,
  KUSTOMIZATION,
  MemoryFs,
  SELECTING_SERVICES,
  SERVICES,
  findings,
  open,
  policy,
  write,
} from './memory';

const VARIANTS: Record<string, Array<string | undefined>> = {
  '/repo/deploy/config.yaml': [
    CONFIG,
    CONFIG.replace('metrics: 0.0.0.0:2000\n', ''),
    CONFIG.replace('0.0.0.0:2000', 'localhost:2000'),
    CONFIG.replace(/^tunnel: .*$/m, `tunnel: ${ID2}`),
    CONFIG.replace('web.apps', 'webb.apps'),
    CONFIG.replace('/creds/', '/other/'),
    undefined,
  ],
  '/repo/deploy/credentials.json': [
    CREDENTIALS,
    CREDENTIALS.replace(/"TunnelID":"[^"]+"/, `"TunnelID":"${ID2}"`),
    '{',
    undefined,
  ],
  '/repo/deploy/deployment.yaml': [
    DEPLOYMENT,
    DEPLOYMENT.replace('port: 2000', 'port: 2001'),
    DEPLOYMENT.replace('replicas: 2', 'replicas: 1'),
    DEPLOYMENT.replace('/etc/cloudflared/config/config.yaml', '/etc/cloudflared/config.yaml'),
    DEPLOYMENT.replace('secretName: tunnel-credentials', 'secretName: elsewhere'),
    undefined,
  ],
  '/repo/deploy/kustomization.yaml': [
    KUSTOMIZATION,
    KUSTOMIZATION.replace(
      '    files:\n      - config.yaml\n',
      '    files:\n      - config.yaml\n    options:\n      disableNameSuffixHash: true\n',
    ),
    KUSTOMIZATION.replace('  - deployment.yaml\n', ''),
    KUSTOMIZATION.replace('credentials.json', 'creds.json'),
    undefined,
  ],
  '/repo/apps/services.yaml': [
    SERVICES,
    SERVICES.replace('port: 80', 'port: 81'),
    SERVICES.replace('name: web', 'name: api'),
    SELECTING_SERVICES,
    undefined,
  ],
  '/repo/deploy/networkpolicy.yaml': [
    undefined,
    policy(8080),
    policy(80),
    policy(8080, '# shifted\n'),
    policy(8080).replace('port: 53', 'port: 5353'),
  ],
  '/repo/apps/kustomization.yaml': [
    undefined,
    'resources:\n  - services.yaml\n',
    'namePrefix: x-\nresources:\n  - services.yaml\n',
  ],
  '/repo/.gitignore': ['credentials.json\n', undefined, '*.json\n'],
  '/repo/deploy/creds.json': [undefined, CREDENTIALS],
};

const paths = Object.keys(VARIANTS);

function initial(): MemoryFs {
  const files: Record<string, string> = {};
  for (const p of paths) if (VARIANTS[p]![0] !== undefined) files[p] = VARIANTS[p]![0]!;
  return new MemoryFs(files);
}

test('incremental diagnostics equal those of a fresh workspace', () => {
  const edit = fc.tuple(fc.nat(paths.length - 1), fc.nat(10));
  fc.assert(
    fc.property(
      fc.array(edit, { minLength: 1, maxLength: 40 }),
      fc.array(fc.boolean(), { maxLength: 40 }),
      (edits, looks) => {
        const fs = initial();
        const ws = open(fs);
        edits.forEach(([i, j], step) => {
          const path = paths[i]!;
          const variants = VARIANTS[path]!;
          write(fs, ws, path, variants[j % variants.length]);
          if (looks[step]) findings(fs, ws); // read in between, so caches are filled and must be invalidated
        });
        const fresh = new MemoryFs(Object.fromEntries(fs.files));
        assert.deepEqual(findings(fs, ws), findings(fresh, open(fresh)));
        assert.deepEqual(ws.links(), open(fresh).links());
      },
    ),
    { numRuns: 300, seed: 20261123 },
  );
});
