// Tests for src/core/net/address.ts: the one answer to "is this loopback?" (issue #15).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopback, isUnspecified } from '../../../../src/core/net/address';

test('loopback: localhost, 127.0.0.0/8 and ::1', () => {
  for (const h of [
    'localhost',
    'LOCALHOST',
    'localhost.',
    '127.0.0.1',
    '127.1.2.3',
    '127.255.255.255',
    '::1',
    '[::1]',
    '::ffff:127.0.0.1',
    '0:0:0:0:0:0:0:1',
  ]) {
    assert.equal(isLoopback(h), true, h);
  }
});

test('not loopback: all interfaces, other addresses, names', () => {
  for (const h of [
    '0.0.0.0',
    '::',
    '[::]',
    '128.0.0.1',
    '10.0.0.1',
    '::2',
    'localhost.example.com',
    'mylocalhost',
    '127.0.0.1.nip.io',
    '',
    '127.0.0.01',
  ]) {
    assert.equal(isLoopback(h), false, h);
  }
});

test('all interfaces: 0.0.0.0 and :: only', () => {
  for (const h of ['0.0.0.0', '::', '[::]', '0:0:0:0:0:0:0:0', '::ffff:0.0.0.0'])
    assert.equal(isUnspecified(h), true, h);
  for (const h of ['localhost', '127.0.0.1', '::1', '0.0.0.1', 'web', '']) assert.equal(isUnspecified(h), false, h);
});
