// Tests for src/core/cloudflare/tunnelCname.ts: the one tunnel CNAME rule (issue #15).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isTunnelCname,
  tunnelCnameTarget,
  tunnelIdOfCname,
  tunnelIdOfRecord,
} from '../../../../src/core/cloudflare/tunnelCname';

const ID = '6ff42ae2-765d-4adf-8112-31c55c1551ef';

test('tunnelCnameTarget writes the lower-case target', () => {
  assert.equal(tunnelCnameTarget(ID), `${ID}.cfargotunnel.com`);
  assert.equal(tunnelCnameTarget(` ${ID.toUpperCase()} `), `${ID}.cfargotunnel.com`);
});

test('tunnelIdOfCname reads any case, an absolute name, surrounding blanks', () => {
  assert.equal(tunnelIdOfCname(`${ID}.cfargotunnel.com`), ID);
  assert.equal(tunnelIdOfCname(`${ID.toUpperCase()}.CFARGOTUNNEL.COM.`), ID);
  assert.equal(tunnelIdOfCname(` ${ID}.cfargotunnel.com `), ID);
  for (const other of [
    'web.example.com',
    `${ID}.cfargotunnel.com.evil.net`,
    `x${ID}.cfargotunnel.com`,
    'not-a-uuid.cfargotunnel.com',
    `${ID}.cfargotunnel.net`,
  ])
    assert.equal(tunnelIdOfCname(other), undefined, other);
});

test('tunnelIdOfRecord and isTunnelCname: CNAMEs only', () => {
  assert.equal(tunnelIdOfRecord({ type: 'cname', content: `${ID}.cfargotunnel.com` }), ID);
  assert.equal(tunnelIdOfRecord({ type: 'TXT', content: `${ID}.cfargotunnel.com` }), undefined);
  assert.equal(isTunnelCname({ type: 'CNAME', content: `${ID}.cfargotunnel.com.` }, ID.toUpperCase()), true);
  assert.equal(
    isTunnelCname({ type: 'CNAME', content: `${ID}.cfargotunnel.com` }, '00000000-0000-4000-8000-000000000001'),
    false,
  );
});
