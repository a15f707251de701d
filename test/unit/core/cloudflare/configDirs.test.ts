// Tests for src/core/cloudflare/configDirs.ts: cloudflared's default search directories (issue #15).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLOUDFLARED_CONFIG_FILES, cloudflaredSearchDirs } from '../../../../src/core/cloudflare/configDirs';

test('the directories of config.DefaultConfigSearchDirectories, in its order', () => {
  assert.deepEqual(cloudflaredSearchDirs('/home/nonroot'), [
    '/home/nonroot/.cloudflared',
    '/home/nonroot/.cloudflare-warp',
    '/home/nonroot/cloudflare-warp',
    '/etc/cloudflared',
    '/usr/local/etc/cloudflared',
  ]);
  assert.deepEqual(cloudflaredSearchDirs('/Users/me/', 'darwin').slice(0, 1), ['/Users/me/.cloudflared']);
  assert.deepEqual(cloudflaredSearchDirs('C:\\Users\\me', 'win32'), [
    'C:\\Users\\me/.cloudflared',
    'C:\\Users\\me/.cloudflare-warp',
    'C:\\Users\\me/cloudflare-warp',
  ]);
  assert.deepEqual(CLOUDFLARED_CONFIG_FILES, ['config.yml', 'config.yaml']);
});
