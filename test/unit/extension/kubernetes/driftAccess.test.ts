/**
 * Stale Cloudflare Access applications join the drift report (issue #19): an application whose
 * domains no tunnel serves any more (no rule, no CNAME to a live tunnel) is reported as information,
 * with the dashboard as its action; nothing is judged while a remote configuration is unread.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findDrift } from '../../../../src/core/drift';
import type { DriftInput } from '../../../../src/core/drift';

const LIVE = 'c1744f8b-faa1-48a4-9e5c-02ac921467fa';
const GONE = '0f6cbb4b-7d02-4a8f-9f6e-7bdf0b6b3a11';
const app = (id: string, name: string, domain: string) => ({
  id,
  name,
  type: 'self_hosted',
  domains: [domain],
  policies: [{ id: `p-${id}`, decision: 'allow', include: [{ email_domain: { domain: 'example.com' } }] }],
});

function input(remoteRules: DriftInput['tunnels'][number]['remoteRules']): DriftInput {
  return {
    clusterConnected: true,
    services: [],
    tunnels: [
      { id: LIVE, name: 'prod', status: 'healthy', configSrc: 'cloudflare', ...(remoteRules ? { remoteRules } : {}) },
    ],
    dnsRecords: [
      {
        id: 'r1',
        zoneId: 'z',
        name: 'grafana.example.dev',
        type: 'CNAME',
        content: `${LIVE}.cfargotunnel.com`,
        proxied: true,
      },
      // A CNAME to a deleted tunnel serves nothing.
      {
        id: 'r2',
        zoneId: 'z',
        name: 'old.example.com',
        type: 'CNAME',
        content: `${GONE}.cfargotunnel.com`,
        proxied: true,
      },
    ],
    workspaceConfigs: [],
    access: [
      {
        accountId: 'acme',
        apps: [
          app('a1', 'Grafana', 'grafana.example.dev'),
          app('a2', 'Old ingress', 'old.example.com'),
          app('a3', 'Wiki', 'wiki.example.com'),
        ],
      },
    ],
  };
}

test('applications no tunnel hostname reaches are stale: information, the dashboard as action', () => {
  const found = findDrift(input([{ hostname: 'wiki.example.com', service: 'http://wiki:80' }])).filter(
    (f) => f.code === 'drift-access-stale-app',
  );
  assert.deepEqual(
    found.map((f) => [f.severity, f.hostname, f.actions.map((a) => a.kind)]),
    [['information', 'old.example.com', ['open-access-apps']]],
  );
  assert.match(found[0]!.message, /^Access application "Old ingress" \(old\.example\.com\) protects no hostname/);
  assert.deepEqual(found[0]!.actions[0]!.data, { accountId: 'acme', appId: 'a2' });
});

test('nothing is judged while a remotely-managed tunnel’s rules are unread', () => {
  assert.deepEqual(
    findDrift(input(undefined)).filter((f) => f.code === 'drift-access-stale-app'),
    [],
  );
});
