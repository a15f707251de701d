// Tests for src/core/net/cidr.ts: the one CIDR arithmetic (issue #15).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cidrContains,
  cidrContainsIP,
  cidrsOverlap,
  ipv4ToNumber,
  numberToIpv4,
  parseCidr,
} from '../../../../src/core/net/cidr';

const c = (s: string) => {
  const r = parseCidr(s);
  assert.ok(r, s);
  return r;
};

test('parseCidr follows Go: host bits cleared, bare IPs and bad masks refused', () => {
  assert.equal(c('10.96.1.2/12').prefixLength, 12);
  assert.equal(c(' 10.96.1.2/12 ').text, '10.96.1.2/12');
  assert.deepEqual([...c('10.96.1.2/12').network.slice(12)], [10, 96, 0, 0]);
  assert.equal(c('fd00::1/8').bits, 128);
  for (const bad of ['10.0.0.1', '10.0.0.0/33', '10.0.0.0/-1', 'fd00::/129', '10.0.0.0/8x', 'web/8', ''])
    assert.equal(parseCidr(bad), undefined, bad);
});

test('cidrContainsIP: in the block, same family only', () => {
  assert.equal(cidrContainsIP(c('10.96.0.0/12'), '10.96.0.10'), true);
  assert.equal(cidrContainsIP(c('10.96.0.0/12'), '10.111.255.255'), true);
  assert.equal(cidrContainsIP(c('10.96.0.0/12'), '10.112.0.0'), false);
  assert.equal(cidrContainsIP(c('0.0.0.0/0'), '192.0.2.1'), true);
  assert.equal(cidrContainsIP(c('0.0.0.0/0'), '2001:db8::1'), false);
  assert.equal(cidrContainsIP(c('fd00::/8'), 'fd12::1'), true);
  assert.equal(cidrContainsIP(c('fd00::/8'), 'fe80::1'), false);
  assert.equal(cidrContainsIP(c('10.0.0.0/8'), 'web'), false);
});

test('cidrContains and cidrsOverlap: nesting', () => {
  assert.equal(cidrContains(c('10.0.0.0/8'), c('10.1.0.0/16')), true);
  assert.equal(cidrContains(c('10.1.0.0/16'), c('10.0.0.0/8')), false);
  assert.equal(cidrContains(c('0.0.0.0/0'), c('192.168.0.0/16')), true);
  assert.equal(cidrContains(c('0.0.0.0/0'), c('fc00::/7')), false);
  assert.equal(cidrsOverlap(c('10.1.0.0/16'), c('10.0.0.0/8')), true);
  assert.equal(cidrsOverlap(c('172.16.0.0/12'), c('192.168.0.0/16')), false);
});

test('ipv4ToNumber and numberToIpv4', () => {
  assert.equal(ipv4ToNumber('10.96.0.0'), 0x0a600000);
  assert.equal(ipv4ToNumber('255.255.255.255'), 0xffffffff);
  assert.equal(ipv4ToNumber('::ffff:10.0.0.1'), 0x0a000001);
  assert.equal(ipv4ToNumber('2001:db8::1'), undefined);
  assert.equal(ipv4ToNumber('256.0.0.1'), undefined);
  assert.equal(numberToIpv4(0x0a600001), '10.96.0.1');
});
