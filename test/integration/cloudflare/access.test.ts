/**
 * Cloudflare Access through the real SDK against the local Cloudflare API: listing (paged by hand,
 * with its guards), the distinct `access-forbidden` error, protecting a hostname (request bodies
 * checked against the published schema's shape, invalid ones refused by the server as the API
 * does), and idempotency when an answer is lost.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listAccess, protectHostname, protectBodies } from '../../../src/cloudflare/access';
import type { ProtectHostnameRequest } from '../../../src/cloudflare/access';
import { ALL_PERMISSIONS, demoState } from '../../../dev/servers/cloudflare/server';
import type { CloudflareApiServer, Permission } from '../../../dev/servers/cloudflare/server';
import { POLICY_CREATE, SELF_HOSTED_APP_CREATE, validate } from './accessSchema';
import { apiFor, rejectsWith, TOKEN, withServer } from './support';

const demo = demoState();
const ACME = demo.accounts.find((a) => a.name === 'Acme Corp')!.id;
const SIDE = demo.accounts.find((a) => a.name === 'Side Projects')!.id;
const CI_TOKEN = demo.access!.serviceTokens[0]!;
const GITHUB = demo.access!.identityProviders.find((i) => i.type === 'github')!;

const withoutAccess = (): Permission[] => ALL_PERMISSIONS.filter((p) => !p.startsWith('access:'));
const restrictTo = (server: CloudflareApiServer, permissions: Permission[]): void => {
  server.state.token.permissions = permissions;
};
const posts = (server: CloudflareApiServer, suffix: string) =>
  server.requests.filter((r) => r.method === 'POST' && r.path.endsWith(suffix));
const appsFor = (server: CloudflareApiServer, uri: string) =>
  server.state.access!.apps.filter((a) => a.domain === uri || a.destinations?.some((d) => d.uri === uri));

const SHOP: ProtectHostnameRequest = {
  hostname: 'shop.example.com',
  appName: 'Shop',
  sessionDuration: '24h',
  who: { emails: ['alice@example.com', 'bob@example.com'] },
};

/** The error envelope as the API sends it. */
interface Envelope {
  success: boolean;
  result: unknown;
  errors: Array<{ code: number; message: string }>;
}

/** POSTs a body straight to the server (no wrapper, no SDK): the answer as the API sends it. */
async function rawPost(
  server: CloudflareApiServer,
  path: string,
  body: unknown,
): Promise<{ status: number; json: Envelope }> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Envelope };
}

describe('Listing Access', () => {
  it('reads the demo apps with their domains and policies, identity providers, service tokens and team domain', async () => {
    await withServer({}, async (server) => {
      const r = await listAccess(apiFor(server), ACME);
      assert.equal(r.enabled, true);
      assert.equal(r.teamDomain, 'acme.cloudflareaccess.com');
      assert.deepEqual(
        r.apps.map((a) => [a.name, a.domains]),
        [
          ['Grafana', ['grafana.example.dev']],
          ['API v1 (machines)', ['api.example.com/v1']],
          ['App (public)', ['app.example.com']],
          ['Dev wildcard', ['*.example.dev']],
          // Deprecated form: only self_hosted_domains.
          ['Old ingress', ['old.example.com']],
        ],
      );
      const api = r.apps.find((a) => a.name === 'API v1 (machines)')!;
      assert.equal(api.type, 'self_hosted');
      assert.match(api.aud ?? '', /^[0-9a-f]{64}$/);
      assert.deepEqual(
        api.policies.map((p) => [p.name, p.decision, p.include, p.precedence]),
        [['CI deployer', 'non_identity', [{ service_token: { token_id: CI_TOKEN.id } }], 1]],
      );
      const dev = r.apps.find((a) => a.name === 'Dev wildcard')!;
      assert.equal(dev.sessionDuration, '12h');
      assert.deepEqual(dev.policies[0]!.require, [{ login_method: { id: GITHUB.id } }]);
      assert.equal(r.apps.find((a) => a.name === 'App (public)')!.policies[0]!.decision, 'bypass');
      assert.deepEqual(
        r.policies.map((p) => [p.name, p.reusable]),
        [
          ['Example staff', true],
          ['CI deployer', true],
          ['Everyone (bypass)', true],
          ['Dev team via GitHub', true],
        ],
      );
      assert.deepEqual(
        r.identityProviders.map((i) => [i.name, i.type]),
        [
          ['One-time PIN', 'onetimepin'],
          ['GitHub', 'github'],
        ],
      );
      assert.deepEqual(r.serviceTokens, [
        { id: CI_TOKEN.id, name: 'ci-deployer', clientId: CI_TOKEN.clientId, expiresAt: CI_TOKEN.expiresAt },
      ]);
      assert.match(r.serviceTokens[0]!.clientId, /^[0-9a-f]{32}\.access$/);
      assert.deepEqual(r.unavailable, {});
    });
  });

  it('pages through every list with page and an accepted per_page, and stops at total_count', async () => {
    await withServer({ maxPerPage: { access: 2 } }, async (server) => {
      const r = await listAccess(apiFor(server), ACME, { perPage: 100 });
      assert.equal(r.apps.length, 5);
      assert.equal(new Set(r.apps.map((a) => a.id)).size, 5);
      const appPages = server.requests.filter((q) => q.method === 'GET' && q.path.endsWith('/access/apps'));
      assert.deepEqual(
        appPages.map((q) => [q.query.page, q.query.per_page]),
        [
          ['1', '100'],
          ['2', '100'],
          ['3', '100'],
        ],
      );
      assert.equal(r.policies.length, 4, 'two pages of policies');
    });
  });

  it('a server that ignores page (every page the same, always one more) stops at the first repeat', async () => {
    await withServer(
      { faults: [{ method: 'GET', path: '/accounts/*/access/apps', endlessPages: true }] },
      async (server) => {
        const r = await listAccess(apiFor(server), ACME);
        assert.equal(r.apps.length, 5);
        assert.equal(server.requests.filter((q) => q.path.endsWith('/access/apps')).length, 2);
      },
    );
  });

  it('gives up after maxPages, saying so', async () => {
    await withServer({ maxPerPage: { access: 1 } }, async (server) => {
      await rejectsWith(listAccess(apiFor(server), ACME, { maxPages: 3 }), 'invalid-response', 'stopped after 3 pages');
    });
  });

  it('a per_page the Access API does not accept is refused with 400 / 12091', async () => {
    await withServer({}, async (server) => {
      const res = await fetch(`${server.url}/accounts/${ACME}/access/apps?per_page=26`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      assert.equal(res.status, 400);
      assert.deepEqual(((await res.json()) as Envelope).errors, [
        { code: 12091, message: 'access.api.error.invalid_url_parameter_value' },
      ]);
    });
  });

  for (const mode of ['empty', 'forbidden'] as const) {
    it(`without "Access: Apps and Policies Read" (apps list answering ${mode === 'empty' ? '200 with no apps' : '403'}) the error is access-forbidden, not an empty account`, async () => {
      await withServer({ accessAppsWithoutPermission: mode }, async (server) => {
        restrictTo(server, withoutAccess());
        const err = await rejectsWith(
          listAccess(apiFor(server), ACME),
          'access-forbidden',
          'lacks "Access: Apps and Policies Read"',
          'unknown',
        );
        assert.equal(err.status, 403);
        assert.deepEqual(err.codes, [10000]);
      });
    });
  }

  it('an empty account with the permission is read as empty (the probe answers 404), not forbidden', async () => {
    await withServer({}, async (server) => {
      server.state.access!.apps = [];
      const r = await listAccess(apiFor(server), ACME);
      assert.deepEqual(r.apps, []);
      assert.ok(
        server.requests.some((q) => /\/access\/apps\/[^/]+\/policies$/.test(q.path)),
        'the probe was asked',
      );
    });
  });

  it('without the identity-provider and service-token permissions the apps still arrive; the rest says why it is missing', async () => {
    await withServer({}, async (server) => {
      restrictTo(server, [...withoutAccess(), 'access:apps:read']);
      const r = await listAccess(apiFor(server), ACME);
      assert.equal(r.apps.length, 5);
      assert.deepEqual(r.identityProviders, []);
      assert.deepEqual(r.serviceTokens, []);
      assert.equal(r.teamDomain, undefined);
      assert.match(r.unavailable.identityProviders ?? '', /Access: Organizations, Identity Providers, and Groups/);
      assert.match(r.unavailable.serviceTokens ?? '', /Access: Service Tokens/);
      assert.match(r.unavailable.teamDomain ?? '', /Access: Organizations/);
    });
  });

  it('an account without Access (403 / 9999 not_enabled) has no applications: enabled false', async () => {
    await withServer({}, async (server) => {
      const r = await listAccess(apiFor(server), SIDE);
      assert.equal(r.enabled, false);
      assert.deepEqual(r.apps, []);
    });
  });
});

describe('Protecting a hostname', () => {
  it('creates a reusable allow policy and a self-hosted app using it, with bodies of the published shape; then it is listed', async () => {
    await withServer({}, async (server) => {
      const r = await protectHostname(apiFor(server), ACME, SHOP);
      assert.equal(r.created, true);
      assert.deepEqual(r.app.domains, ['shop.example.com']);
      assert.equal(r.app.sessionDuration, '24h');
      assert.equal(r.policy!.decision, 'allow');
      assert.deepEqual(
        r.app.policies.map((p) => p.id),
        [r.policy!.id],
      );

      const [policyPost] = posts(server, '/access/policies');
      const [appPost] = posts(server, '/access/apps');
      const policyBody = JSON.parse(policyPost!.body);
      const appBody = JSON.parse(appPost!.body);
      assert.deepEqual(validate(POLICY_CREATE, policyBody), []);
      assert.deepEqual(validate(SELF_HOSTED_APP_CREATE, appBody), []);
      assert.deepEqual(policyBody, {
        name: 'Shop – allow',
        decision: 'allow',
        include: [{ email: { email: 'alice@example.com' } }, { email: { email: 'bob@example.com' } }],
      });
      assert.deepEqual(appBody, {
        type: 'self_hosted',
        name: 'Shop',
        domain: 'shop.example.com',
        destinations: [{ type: 'public', uri: 'shop.example.com' }],
        session_duration: '24h',
        policies: [r.policy!.id],
      });
      // What the confirmation shows is what was sent.
      assert.deepEqual(protectBodies(SHOP).app(r.policy!.id), appBody);

      const listed = await listAccess(apiFor(server), ACME);
      const shop = listed.apps.find((a) => a.id === r.app.id)!;
      assert.deepEqual(shop.domains, ['shop.example.com']);
      assert.equal(shop.policies[0]!.name, 'Shop – allow');
    });
  });

  it('a service token gets a Service Auth (non_identity) policy; a login method an allowed_idps entry; a path a path app', async () => {
    await withServer({}, async (server) => {
      const api = apiFor(server);
      const machines = await protectHostname(api, ACME, {
        hostname: 'staging.example.com',
        path: '/hooks',
        appName: 'Staging hooks',
        sessionDuration: '30m',
        who: { serviceTokenId: CI_TOKEN.id },
      });
      assert.equal(machines.policy!.decision, 'non_identity');
      assert.deepEqual(machines.policy!.include, [{ service_token: { token_id: CI_TOKEN.id } }]);
      assert.deepEqual(machines.app.domains, ['staging.example.com/hooks']);
      const people = await protectHostname(api, ACME, {
        hostname: 'legacy.example.com',
        appName: 'Legacy',
        sessionDuration: '2h45m',
        who: { identityProviderId: GITHUB.id },
      });
      const appBody = JSON.parse(posts(server, '/access/apps').at(-1)!.body);
      assert.deepEqual(appBody.allowed_idps, [GITHUB.id]);
      assert.deepEqual(people.policy!.include, [{ login_method: { id: GITHUB.id } }]);
      for (const p of posts(server, '/access/policies'))
        assert.deepEqual(validate(POLICY_CREATE, JSON.parse(p.body)), []);
      for (const p of posts(server, '/access/apps'))
        assert.deepEqual(validate(SELF_HOSTED_APP_CREATE, JSON.parse(p.body)), []);
    });
  });

  it('never changes an existing app: a hostname already covered (wildcard, bypass) is returned with created false and nothing is sent', async () => {
    await withServer({}, async (server) => {
      const api = apiFor(server);
      const home = await protectHostname(api, ACME, { ...SHOP, hostname: 'home.example.dev', appName: 'Home' });
      assert.equal(home.created, false);
      assert.equal(home.app.name, 'Dev wildcard');
      const open = await protectHostname(api, ACME, { ...SHOP, hostname: 'app.example.com', appName: 'App' });
      assert.equal(open.created, false);
      assert.equal(open.app.name, 'App (public)');
      assert.equal(open.policy!.decision, 'bypass');
      // One label only: a.b.example.dev is not covered by *.example.dev.
      const deep = await protectHostname(api, ACME, { ...SHOP, hostname: 'a.b.example.dev', appName: 'Deep' });
      assert.equal(deep.created, true);
      assert.equal(posts(server, '/access/apps').length, 1);
    });
  });

  it('the server refuses invalid bodies as the API does (400 / 12130, 409 / 11010), and the schema check refuses them too', async () => {
    await withServer({}, async (server) => {
      const policyId = demo.access!.policies[0]!.id;
      const bad: Array<[string, Record<string, unknown>, number, number, typeof POLICY_CREATE]> = [
        ['/access/apps', { type: 'self_hosted', name: 'x' }, 400, 12130, SELF_HOSTED_APP_CREATE],
        ['/access/apps', { domain: 'x.example.com' }, 400, 12130, SELF_HOSTED_APP_CREATE],
        [
          '/access/apps',
          { type: 'self_hosted', domain: 'x.example.com', session_duration: '1 day' },
          400,
          12130,
          SELF_HOSTED_APP_CREATE,
        ],
        [
          '/access/apps',
          { type: 'self_hosted', domain: 'x.example.com', destinations: [{ type: 'teleport', uri: 'x' }] },
          400,
          12130,
          SELF_HOSTED_APP_CREATE,
        ],
        [
          '/access/apps',
          { type: 'self_hosted', domain: 'grafana.example.dev', policies: [policyId] },
          409,
          11010,
          { type: 'object' },
        ],
        ['/access/policies', { name: 'p', decision: 'permit', include: [{ everyone: {} }] }, 400, 12130, POLICY_CREATE],
        ['/access/policies', { name: 'p', decision: 'allow', include: [] }, 400, 12130, POLICY_CREATE],
        [
          '/access/policies',
          { name: 'p', decision: 'allow', include: [{ email: 'a@example.com' }] },
          400,
          12130,
          POLICY_CREATE,
        ],
        ['/access/policies', { decision: 'allow', include: [{ everyone: {} }] }, 400, 12130, POLICY_CREATE],
      ];
      for (const [path, body, status, code, schema] of bad) {
        const res = await rawPost(server, `/accounts/${ACME}${path}`, body);
        assert.equal(res.status, status, JSON.stringify(body));
        assert.equal(res.json.success, false);
        assert.equal(res.json.result, null);
        assert.equal(res.json.errors[0]!.code, code, JSON.stringify(res.json));
        assert.match(res.json.errors[0]!.message, /^access\.api\.error\./);
        if (status === 400) assert.notDeepEqual(validate(schema, body), [], `schema accepts ${JSON.stringify(body)}`);
      }
      // A bypass policy may not name people (Access docs); the published shape alone allows it.
      const bypass = await rawPost(server, `/accounts/${ACME}/access/policies`, {
        name: 'p',
        decision: 'bypass',
        include: [{ email_domain: { domain: 'example.com' } }],
      });
      assert.equal(bypass.status, 400);
      assert.equal(server.state.access!.apps.length, 5);
      assert.equal(server.state.access!.policies.length, 4);
    });
  });

  it('an app create answered after the client timed out is adopted, not sent again; a retry changes nothing', async () => {
    await withServer(
      { faults: [{ method: 'POST', path: '/accounts/*/access/apps', delayMs: 1500, afterServing: true, times: 1 }] },
      async (server) => {
        const api = apiFor(server, { timeoutMs: 300, maxRetries: 2 });
        const r = await protectHostname(api, ACME, SHOP);
        assert.equal(r.created, true);
        assert.equal(r.recovered, true);
        assert.equal(posts(server, '/access/apps').length, 1, 'the create is not re-sent');
        assert.equal(appsFor(server, 'shop.example.com').length, 1);
        assert.equal(r.app.id, appsFor(server, 'shop.example.com')[0]!.id);

        const again = await protectHostname(api, ACME, SHOP);
        assert.equal(again.created, false);
        assert.equal(again.app.id, r.app.id);
        assert.equal(posts(server, '/access/apps').length, 1);
        assert.equal(posts(server, '/access/policies').length, 1);
        assert.equal(server.state.access!.policies.filter((p) => p.name === 'Shop – allow').length, 1);
      },
    );
  });

  it('a policy create whose answer is dropped is adopted from the list; one policy, one app', async () => {
    await withServer(
      { faults: [{ method: 'POST', path: '/accounts/*/access/policies', drop: true, afterServing: true, times: 1 }] },
      async (server) => {
        const r = await protectHostname(apiFor(server, { maxRetries: 2 }), ACME, SHOP);
        assert.equal(r.created, true);
        assert.equal(r.recovered, true);
        assert.equal(posts(server, '/access/policies').length, 1);
        assert.equal(server.state.access!.policies.filter((p) => p.name === 'Shop – allow').length, 1);
        assert.equal(appsFor(server, 'shop.example.com').length, 1);
      },
    );
  });

  it('an app create lost before the server saw it says so; the retry reuses the policy instead of making a second', async () => {
    await withServer(
      { faults: [{ method: 'POST', path: '/accounts/*/access/apps', drop: true, times: 1 }] },
      async (server) => {
        const api = apiFor(server, { maxRetries: 2 });
        await rejectsWith(protectHostname(api, ACME, SHOP), 'offline', 'The policy "Shop – allow" exists', 'try again');
        assert.equal(appsFor(server, 'shop.example.com').length, 0);
        const r = await protectHostname(api, ACME, SHOP);
        assert.equal(r.created, true);
        assert.equal(posts(server, '/access/policies').length, 1, 'no second policy');
        assert.equal(server.state.access!.policies.filter((p) => p.name === 'Shop – allow').length, 1);
        assert.equal(appsFor(server, 'shop.example.com').length, 1);
      },
    );
  });

  it('a read-only token may not protect: access-forbidden naming the Edit permission (the flat auth.forbidden body), nothing created', async () => {
    await withServer({}, async (server) => {
      restrictTo(server, [...withoutAccess(), 'access:apps:read']);
      const err = await rejectsWith(
        protectHostname(apiFor(server), ACME, SHOP),
        'access-forbidden',
        'Access: Apps and Policies Edit',
      );
      assert.deepEqual(err.codes, [1010]);
      assert.equal(server.state.access!.policies.length, 4);
      assert.equal(server.state.access!.apps.length, 5);
    });
  });

  it('refuses a request it cannot send before asking anything', async () => {
    await withServer({}, async (server) => {
      const api = apiFor(server);
      await rejectsWith(protectHostname(api, ACME, { ...SHOP, sessionDuration: '1 day' }), 'bad-request', '1 day');
      await rejectsWith(protectHostname(api, ACME, { ...SHOP, who: {} }), 'bad-request', 'who may enter');
      await rejectsWith(
        protectHostname(api, ACME, { ...SHOP, who: { emailDomain: 'example.com', serviceTokenId: CI_TOKEN.id } }),
        'bad-request',
        'cannot be combined',
      );
      assert.equal(server.requests.length, 0);
    });
  });
});
