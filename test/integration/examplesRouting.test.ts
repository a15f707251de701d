/**
 * examples/homelab (the demo's workspace) as issue #17 wants it: ingress-nginx with Ingresses (one
 * host without an Ingress, one Ingress whose backend is missing) and a Traefik IngressRoute. Each
 * folder builds with the real `kubectl kustomize`, and the trace reads the objects as kustomize
 * places them (the apps folder's `namespace: web`).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { main } from '../../src/cli/main';

const HOMELAB = join(__dirname, '../../examples/homelab');

function trace(url: string): {
  code: number;
  j: { servedBy: unknown; status: number | null; hops: Array<{ kind: string }> };
} {
  let out = '';
  const code = main(['trace', url, HOMELAB, '--format', 'json'], { out: (t) => (out += t), err: () => {} });
  return { code, j: JSON.parse(out) as never };
}

describe('examples/homelab routing', () => {
  for (const folder of ['ingress-nginx', 'apps', 'traefik']) {
    test(`kubectl kustomize ${folder} builds`, () => {
      const r = spawnSync('kubectl', ['kustomize', join(HOMELAB, folder)], { encoding: 'utf8' });
      assert.equal(r.error, undefined, 'kubectl must be installed (it is part of the test)');
      assert.equal(r.status, 0, r.stderr);
      const kinds = parseAllDocuments(r.stdout).map((d) => (d.toJS() as { kind: string }).kind);
      assert.ok(kinds.length > 0);
      if (folder === 'apps') {
        for (const d of parseAllDocuments(r.stdout)) {
          assert.equal((d.toJS() as { metadata: { namespace: string } }).metadata.namespace, 'web');
        }
      }
    });
  }

  test('shop is served through ingress-nginx in the namespace kustomize gives it', () => {
    const { code, j } = trace('https://shop.example.com/');
    assert.equal(code, 0);
    assert.deepEqual(j.servedBy, { namespace: 'web', name: 'shop', port: 80 });
    assert.deepEqual(
      j.hops.map((h) => h.kind),
      ['rule', 'service', 'ingress', 'service', 'pod-port'],
    );
  });
  test('docs: the Ingress backend is missing (503); wiki: no Ingress (404); whoami: Traefik', () => {
    assert.equal(trace('docs.example.com').j.status, 503);
    assert.equal(trace('wiki.example.com').j.status, 404);
    const whoami = trace('whoami.example.com');
    assert.equal(whoami.code, 0);
    assert.ok(whoami.j.hops.some((h) => h.kind === 'ingressroute'));
  });

  test('cftunnel trace piped into a reader that stops early exits quietly (no EPIPE crash)', () => {
    const r = spawnSync(
      'bash',
      [
        '-c',
        `node --import tsx src/cli/main.ts trace shop.example.com ${HOMELAB} | true; echo "status \${PIPESTATUS[0]}"`,
      ],
      { cwd: join(__dirname, '../..'), encoding: 'utf8' },
    );
    assert.doesNotMatch(r.stderr, /EPIPE|Unhandled/);
    assert.match(r.stdout, /status 0/);
  });
});
