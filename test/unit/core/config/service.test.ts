// Tests for src/core/config/service.ts: the one origin port table (issue #15).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ORIGIN_DEFAULT_PORTS, parseService, serviceString } from '../../../../src/core/config/service';

test('ORIGIN_DEFAULT_PORTS: every scheme cloudflared dials without a port', () => {
  assert.deepEqual(ORIGIN_DEFAULT_PORTS, {
    http: 80,
    ws: 80,
    https: 443,
    wss: 443,
    tcp: 7864,
    ssh: 22,
    rdp: 3389,
    smb: 445,
  });
});

test('serviceString writes the default port of the non-HTTP schemes only', () => {
  const printed = (s: string): string => {
    const r = parseService(s, false);
    assert.ok(r.ok, s);
    return serviceString(r.service);
  };
  assert.equal(printed('tcp://db.apps'), 'tcp://db.apps:7864');
  assert.equal(printed('ssh://host'), 'ssh://host:22');
  assert.equal(printed('rdp://host'), 'rdp://host:3389');
  assert.equal(printed('smb://host'), 'smb://host:445');
  assert.equal(printed('ssh://host:2222'), 'ssh://host:2222');
  assert.equal(printed('http://web.apps'), 'http://web.apps');
});
