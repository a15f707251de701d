import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudflareError, ConflictError } from '../../../src/cloudflare/errors';
import { KubernetesError, toKubernetesError } from '../../../src/kubernetes/errors';
import { KubectlMissing, KubectlTimeout } from '../../../src/node/kubectl';
import { SessionError } from '../../../src/extension/cloudflare/sessionError';
import { errorReport, isCancellation, scrub } from '../../../src/extension/errorReport';

const command = 'cftunnel.exposeService';
const report = (err: unknown, secrets?: string[]) => errorReport(err, { command, secrets });

test('Restricted Mode (Cloudflare session or cluster) → a warning with "Manage Workspace Trust", the message as written', () => {
  const cf = new SessionError(
    'untrusted',
    'This workspace is in Restricted Mode: Cloudflare is not contacted until you trust it (Manage Workspace Trust).',
  );
  const k8s = new KubernetesError(
    'untrusted',
    'Restricted Mode: the cluster is not contacted until you trust the workspace.',
  );
  for (const err of [cf, k8s]) {
    const r = report(err);
    assert.deepEqual([r.severity, r.message, r.actions], ['warning', err.message, ['Manage Workspace Trust']]);
  }
});

test('not signed in → a warning with "Sign In"; a token Cloudflare refuses → an error with "Sign In"', () => {
  const out = report(
    new SessionError(
      'signed-out',
      'Not signed in to Cloudflare: sign in with an API token or with cloudflared cert.pem.',
    ),
  );
  assert.deepEqual([out.severity, out.actions], ['warning', ['Sign In']]);
  const refused = report(
    new CloudflareError('unauthorized', 'Cloudflare did not accept the API token (HTTP 401).', { status: 401 }),
  );
  assert.deepEqual(
    [refused.severity, refused.message, refused.actions],
    ['error', 'Cloudflare did not accept the API token (HTTP 401).', ['Sign In']],
  );
});

test('network, timeout, 5xx and 429 → "Retry" (Cloudflare, the cluster, kubectl\'s time limit)', () => {
  const retryable = [
    new CloudflareError('offline', 'Cannot reach the Cloudflare API at api.cloudflare.com (ECONNREFUSED).'),
    new CloudflareError('timeout', 'The Cloudflare API did not answer within 30 s.'),
    new CloudflareError('server', 'The Cloudflare API failed (HTTP 502).', { status: 502 }),
    new CloudflareError('rate-limited', 'Cloudflare is rate-limiting requests (HTTP 429).', { status: 429 }),
    toKubernetesError(
      { code: 503, body: '{"kind":"Status","message":"etcdserver: leader changed"}' },
      { action: 'list Services' },
    ),
    toKubernetesError(
      { code: 429, body: '{"kind":"Status","message":"Too many requests"}' },
      { action: 'list Services' },
    ),
    toKubernetesError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' }), {
      action: 'list Services',
    }),
    toKubernetesError(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' }), {
      action: 'list Services',
    }),
    new KubectlTimeout(120_000, 'kubectl diff'),
  ];
  for (const err of retryable) assert.deepEqual(report(err).actions, ['Retry'], err.message);
});

test("anything else → the API's own message and no action", () => {
  const conflict = new ConflictError(
    'The tunnel configuration changed on Cloudflare since you opened it (version 3, now 4).',
    3,
    4,
  );
  const forbidden = new CloudflareError(
    'forbidden',
    'The API token is not allowed to list DNS records (HTTP 403). Give the token the permission "Zone › DNS › Read".',
    { status: 403 },
  );
  const invalid = toKubernetesError(
    {
      code: 422,
      body: '{"kind":"Status","message":"Service \\"web\\" is invalid: spec.ports[0].port: Invalid value: 0"}',
    },
    { action: 'label Service default/web' },
  );
  for (const err of [conflict, forbidden, invalid]) {
    const r = report(err);
    assert.deepEqual([r.severity, r.message, r.actions], ['error', err.message, []]);
  }
  assert.match(report(invalid).message, /Service "web" is invalid: spec\.ports\[0\]\.port: Invalid value: 0/);
});

test('other errors are prefixed once with "Cloudflare Tunnel: "; non-Error values are shown too', () => {
  assert.equal(
    report(new Error('No cloudflared pods in this cluster.')).message,
    'Cloudflare Tunnel: No cloudflared pods in this cluster.',
  );
  assert.equal(report(new Error('Cloudflare Tunnel: already said')).message, 'Cloudflare Tunnel: already said');
  assert.equal(report('boom').message, 'Cloudflare Tunnel: boom');
  assert.deepEqual(report(new KubectlMissing('kubectl was not found on PATH.', 'PATH')).actions, []);
});

test('the log line names the command, the error class, kind and status, and the message', () => {
  assert.equal(
    report(new CloudflareError('rate-limited', 'Cloudflare is rate-limiting requests (HTTP 429).', { status: 429 }))
      .log,
    'cftunnel.exposeService failed: CloudflareError (rate-limited, 429): Cloudflare is rate-limiting requests (HTTP 429).',
  );
  assert.equal(
    report(new SessionError('signed-out', 'Not signed in.')).log,
    'cftunnel.exposeService failed: SessionError (signed-out): Not signed in.',
  );
  assert.equal(report(new TypeError('x is undefined')).log, 'cftunnel.exposeService failed: TypeError: x is undefined');
});

test('neither the message nor the log carries a secret', () => {
  const token = 'Zx9_example-api-token-0123456789abcdefABCD';
  const runToken = Buffer.from(
    JSON.stringify({ a: '0123', t: '6ff42ae2-765d-4adf-8112-31c55c1551ef', s: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ=' }),
  ).toString('base64');
  const err = new Error(
    `request with Authorization: Bearer ${token} failed; token ${runToken}; {"TunnelSecret":"c2VjcmV0LXNlY3JldC1zZWNyZXQ="}`,
  );
  const r = report(err, [token]);
  for (const text of [r.message, r.log]) {
    assert.ok(!text.includes(token), text);
    assert.ok(!text.includes(runToken), text);
    assert.ok(!text.includes('c2VjcmV0LXNlY3JldC1zZWNyZXQ='), text);
  }
  assert.equal(
    scrub('TUNNEL_TOKEN=eyJhIjoiMDEyMyJ9abcdefghijklmnop and Bearer abc.def'),
    'TUNNEL_TOKEN=*** and Bearer ***',
  );
  // Ordinary words stay.
  assert.equal(
    scrub('The API token is not allowed to list tunnels: add the permission.'),
    'The API token is not allowed to list tunnels: add the permission.',
  );
});

test('a cancelled Cloudflare call or an aborted cluster request is a cancellation (shown to nobody), nothing else is', () => {
  assert.equal(isCancellation(new CloudflareError('cancelled', 'Cancelled: list accounts.')), true);
  assert.equal(isCancellation(new KubernetesError('aborted', 'Stopped: list Services.')), true);
  assert.equal(isCancellation(new CloudflareError('timeout', 'The Cloudflare API did not finish answering…')), false);
  assert.equal(isCancellation(new Error('cancelled')), false);
});
