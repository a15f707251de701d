/**
 * Every method of the Cloudflare wrapper, through the real `cloudflare` SDK, against the local
 * Cloudflare API server (HTTP on 127.0.0.1): results, the requests they make, state changes,
 * pagination, and the configuration version check.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { credentialsFromToken } from '../../../src/cloudflare/credentials';
import { ConflictError } from '../../../src/cloudflare/errors';
import { demoState, largeState } from '../../../dev/servers/cloudflare/server';
import type { CloudflareApiServer } from '../../../dev/servers/cloudflare/server';
import { TOKEN, apiFor, rejectsWith, seen, startServer, withServer } from './support';

const demo = demoState();
const ACME = demo.accounts.find((a) => a.name === 'Acme Corp')!.id;
const SIDE = demo.accounts.find((a) => a.name === 'Side Projects')!.id;
const EXAMPLE_COM = demo.zones.find((z) => z.name === 'example.com')!.id;
const EXAMPLE_DEV = demo.zones.find((z) => z.name === 'example.dev')!.id;
const tunnelId = (name: string): string => demo.tunnels.find((t) => t.name === name)!.id;

describe('Cloudflare API wrapper: reading', () => {
  let server: CloudflareApiServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('verifies a user token at /user/tokens/verify', async () => {
    const info = await apiFor(server).verifyToken();
    assert.equal(info.status, 'active');
    assert.equal(info.owner, 'user');
    assert.equal(info.id, demo.token.id);
    const last = server.requests.at(-1)!;
    assert.equal(last.path, '/user/tokens/verify');
    assert.equal(last.headers.authorization, `Bearer ${TOKEN}`);
  });

  it('lists accounts, sorted by name', async () => {
    const accounts = await apiFor(server).listAccounts();
    assert.deepEqual(
      accounts.map((a) => a.name),
      ['Acme Corp', 'Side Projects'],
    );
    assert.equal(accounts[0]!.id, ACME);
  });

  it('lists zones, all or of one account (account.id filter)', async () => {
    const api = apiFor(server);
    assert.deepEqual((await api.listZones()).map((z) => z.name).sort(), ['example.com', 'example.dev', 'side.net']);
    const acme = await api.listZones(ACME);
    assert.deepEqual(acme.map((z) => z.name).sort(), ['example.com', 'example.dev']);
    assert.ok(acme.every((z) => z.accountId === ACME && z.accountName === 'Acme Corp'));
    assert.equal(server.requests.at(-1)!.query['account.id'], ACME);
  });

  it('lists the non-deleted tunnels of an account (is_deleted=false) with status and config source', async () => {
    const tunnels = await apiFor(server).listTunnels(ACME);
    const byName = Object.fromEntries(tunnels.map((t) => [t.name, t]));
    assert.deepEqual(Object.keys(byName).sort(), ['homelab', 'legacy-vm', 'prod-k8s', 'staging']);
    assert.equal(byName['prod-k8s']!.status, 'healthy');
    assert.equal(byName['prod-k8s']!.configSrc, 'cloudflare');
    assert.equal(byName['staging']!.status, 'degraded');
    assert.equal(byName['legacy-vm']!.status, 'down');
    assert.equal(byName['legacy-vm']!.configSrc, 'local');
    assert.equal(byName['homelab']!.status, 'inactive');
    assert.equal('connections' in byName['prod-k8s']!, false, 'the deprecated connections are not read');
    assert.equal(server.requests.at(-1)!.query.is_deleted, 'false');
  });

  it('gets one tunnel, also a deleted one (with deleted_at)', async () => {
    const api = apiFor(server);
    const prod = await api.getTunnel(ACME, tunnelId('prod-k8s'));
    assert.equal(prod.name, 'prod-k8s');
    assert.equal(prod.accountTag, ACME);
    const old = await api.getTunnel(ACME, tunnelId('old-ingress'));
    assert.ok(old.deletedAt);
  });

  it('lists connectors with their edge connections', async () => {
    const connectors = await apiFor(server).listConnectors(ACME, tunnelId('prod-k8s'));
    assert.equal(connectors.length, 2);
    const c = connectors[0]!;
    assert.equal(c.version, '2026.8.2');
    assert.equal(c.arch, 'linux_amd64');
    assert.equal(c.conns.length, 4);
    assert.deepEqual(c.conns.map((x) => x.coloName).sort(), ['ams01', 'ams16', 'fra08', 'fra10']);
    assert.ok(c.conns.every((x) => x.originIp === '198.51.100.21' && x.clientId === c.id));
    assert.ok(c.runAt);
  });

  it('reads the remote configuration with its version', async () => {
    const cfg = await apiFor(server).getRemoteConfig(ACME, tunnelId('prod-k8s'));
    assert.equal(cfg.version, 3);
    assert.equal(cfg.source, 'cloudflare');
    assert.equal(cfg.config.ingress?.[0]?.hostname, 'app.example.com');
    assert.deepEqual(cfg.config.ingress?.at(-1), { service: 'http_status:404' });
  });

  it('reads an empty configuration for a locally managed tunnel', async () => {
    const cfg = await apiFor(server).getRemoteConfig(ACME, tunnelId('homelab'));
    assert.equal(cfg.version, 0);
    assert.deepEqual(cfg.config, {});
  });

  it('gets the run token; credentialsFromToken turns it into credentials.json', async () => {
    const token = await apiFor(server).getRunToken(ACME, tunnelId('legacy-vm'));
    const creds = credentialsFromToken(token);
    const stored = server.state.tunnels.find((t) => t.name === 'legacy-vm')!;
    assert.deepEqual(creds, { AccountTag: ACME, TunnelSecret: stored.secret, TunnelID: stored.id });
  });

  it('lists DNS records with filters as the SDK sends them (type, name.exact, content.exact, content.endswith)', async () => {
    const api = apiFor(server);
    const all = await api.listDnsRecords(EXAMPLE_COM);
    assert.equal(all.length, 10);
    const byName = await api.listDnsRecords(EXAMPLE_COM, { name: 'app.example.com' });
    assert.deepEqual(
      byName.map((r) => r.type),
      ['CNAME'],
    );
    assert.equal(server.requests.at(-1)!.query['name.exact'], 'app.example.com');
    const prodTarget = `${tunnelId('prod-k8s')}.cfargotunnel.com`;
    const byContent = await api.listDnsRecords(EXAMPLE_COM, { content: prodTarget });
    assert.deepEqual(byContent.map((r) => r.name).sort(), ['api.example.com', 'app.example.com', 'shop.example.com']);
    assert.equal(server.requests.at(-1)!.query['content.exact'], prodTarget);
    assert.ok(byContent.every((r) => r.tunnelId === tunnelId('prod-k8s') && r.proxied && r.zoneId === EXAMPLE_COM));
    const cnames = await api.listDnsRecords(EXAMPLE_COM, { type: 'CNAME', contentEndsWith: '.cfargotunnel.com' });
    assert.equal(cnames.length, 6);
    assert.equal(server.requests.at(-1)!.query['content.endswith'], '.cfargotunnel.com');
    assert.equal(server.requests.at(-1)!.query.type, 'CNAME');
  });

  it('lists proxied tunnel CNAMEs across zones, optionally for some tunnels only', async () => {
    const api = apiFor(server);
    const all = await api.listTunnelCnames([EXAMPLE_COM, EXAMPLE_DEV]);
    assert.deepEqual(all.map((r) => r.name).sort(), [
      'api.example.com',
      'app.example.com',
      'grafana.example.dev',
      'home.example.dev',
      'legacy.example.com',
      'old.example.com',
      'shop.example.com',
      'staging.example.com',
    ]);
    const prod = await api.listTunnelCnames([EXAMPLE_COM, EXAMPLE_DEV], [tunnelId('prod-k8s')]);
    assert.deepEqual(prod.map((r) => r.name).sort(), [
      'api.example.com',
      'app.example.com',
      'grafana.example.dev',
      'shop.example.com',
    ]);
  });

  it('finds the record at a name (or nothing)', async () => {
    const api = apiFor(server);
    const www = await api.findRecord(EXAMPLE_COM, 'www.example.com');
    assert.equal(www?.type, 'CNAME');
    assert.equal(www?.content, 'example.com');
    assert.equal(await api.findRecord(EXAMPLE_COM, 'nothing.example.com'), undefined);
  });

  it('reports a missing tunnel as not-found', async () => {
    await rejectsWith(
      apiFor(server).getTunnel(ACME, '00000000-0000-4000-8000-000000000000'),
      'not-found',
      'tunnel 00000000-0000-4000-8000-000000000000',
    );
  });

  it('reports an account the token does not cover as forbidden', async () => {
    const err = await rejectsWith(
      apiFor(server).listTunnels('0123456789abcdef0123456789abcdef'),
      'forbidden',
      'Account › Cloudflare Tunnel › Read',
    );
    assert.deepEqual(err.codes, [9109]);
  });
});

describe('Cloudflare API wrapper: changing state', () => {
  it('create → list → rename → run token → delete a locally managed tunnel', async () => {
    await withServer({}, async (server) => {
      const api = apiFor(server);
      const { tunnel, tunnelSecret } = await api.createTunnel(ACME, 'new-local', 'local');
      assert.equal(tunnel.name, 'new-local');
      assert.equal(tunnel.configSrc, 'local');
      assert.equal(tunnel.status, 'inactive');
      assert.equal(Buffer.from(tunnelSecret!, 'base64').length, 32);
      const post = server.requests.at(-1)!;
      assert.equal(post.method, 'POST');
      assert.deepEqual(JSON.parse(post.body), { name: 'new-local', config_src: 'local', tunnel_secret: tunnelSecret });

      assert.ok((await api.listTunnels(ACME)).some((t) => t.id === tunnel.id));
      const renamed = await api.renameTunnel(ACME, tunnel.id, 'renamed-local');
      assert.equal(renamed.name, 'renamed-local');
      assert.equal(server.requests.at(-1)!.method, 'PATCH');

      const creds = credentialsFromToken(await api.getRunToken(ACME, tunnel.id));
      assert.equal(creds.TunnelSecret, tunnelSecret);
      assert.equal(creds.TunnelID, tunnel.id);

      const deleted = await api.deleteTunnel(ACME, tunnel.id);
      assert.ok(deleted.deletedAt);
      assert.ok(!(await api.listTunnels(ACME)).some((t) => t.id === tunnel.id));
    });
  });

  it('creates a remotely managed tunnel without a secret', async () => {
    await withServer({}, async (server) => {
      const { tunnel, tunnelSecret } = await apiFor(server).createTunnel(ACME, 'new-remote', 'cloudflare');
      assert.equal(tunnelSecret, undefined);
      assert.equal(tunnel.configSrc, 'cloudflare');
      assert.deepEqual(JSON.parse(server.requests.at(-1)!.body), { name: 'new-remote', config_src: 'cloudflare' });
    });
  });

  it('refuses a duplicate tunnel name as a conflict that says what to do', async () => {
    await withServer({}, async (server) => {
      await rejectsWith(
        apiFor(server).createTunnel(ACME, 'prod-k8s', 'local'),
        'conflict',
        'already exists',
        'choose another name',
      );
    });
  });

  it('refuses to delete a tunnel with active connectors; force cleans them up first', async () => {
    await withServer({}, async (server) => {
      const api = apiFor(server);
      await rejectsWith(api.deleteTunnel(ACME, tunnelId('staging')), 'conflict', 'delete with force');
      const deleted = await api.deleteTunnel(ACME, tunnelId('staging'), { force: true });
      assert.ok(deleted.deletedAt);
      assert.deepEqual(seen(server, `/accounts/${ACME}/cfd_tunnel/${tunnelId('staging')}`).slice(-2), [
        `DELETE /accounts/${ACME}/cfd_tunnel/${tunnelId('staging')}/connections`,
        `DELETE /accounts/${ACME}/cfd_tunnel/${tunnelId('staging')}`,
      ]);
    });
  });

  it('cleans up one connector (client_id) or all of them', async () => {
    await withServer({}, async (server) => {
      const api = apiFor(server);
      const prod = tunnelId('prod-k8s');
      const [first] = await api.listConnectors(ACME, prod);
      await api.cleanupConnections(ACME, prod, first!.id);
      assert.equal(server.requests.at(-1)!.query.client_id, first!.id);
      assert.equal((await api.listConnectors(ACME, prod)).length, 1);
      await api.cleanupConnections(ACME, prod);
      assert.equal((await api.listConnectors(ACME, prod)).length, 0);
      assert.equal((await api.getTunnel(ACME, prod)).status, 'down');
    });
  });

  it('updates the remote configuration when the version matches; the version increments', async () => {
    await withServer({}, async (server) => {
      const api = apiFor(server);
      const prod = tunnelId('prod-k8s');
      const before = await api.getRemoteConfig(ACME, prod);
      const ingress = [{ hostname: 'new.example.com', service: 'http://new:80' }, ...(before.config.ingress ?? [])];
      const saved = await api.updateRemoteConfig(ACME, prod, { ...before.config, ingress }, before.version);
      assert.equal(saved.version, before.version + 1);
      assert.equal(saved.config.ingress?.[0]?.hostname, 'new.example.com');
      const put = server.requests.at(-1)!;
      assert.equal(put.method, 'PUT');
      assert.deepEqual(JSON.parse(put.body).config.ingress[0], {
        hostname: 'new.example.com',
        service: 'http://new:80',
      });
      assert.equal((await api.getRemoteConfig(ACME, prod)).version, before.version + 1);
    });
  });

  it('refuses to overwrite a configuration that changed since it was read (ConflictError), writing nothing', async () => {
    await withServer({}, async (server) => {
      const api = apiFor(server);
      const prod = tunnelId('prod-k8s');
      const mine = await api.getRemoteConfig(ACME, prod);
      // Someone else saves in the meantime (the dashboard).
      await api.updateRemoteConfig(
        ACME,
        prod,
        { ingress: [{ hostname: 'theirs.example.com', service: 'http://theirs:80' }, { service: 'http_status:404' }] },
        mine.version,
      );
      const puts = server.requests.filter((r) => r.method === 'PUT').length;
      const err = await rejectsWith(
        api.updateRemoteConfig(ACME, prod, { ingress: [{ service: 'http_status:503' }] }, mine.version),
        'conflict',
        `version ${mine.version}, now ${mine.version + 1}`,
        'reload it',
      );
      assert.ok(err instanceof ConflictError);
      assert.equal(err.expectedVersion, mine.version);
      assert.equal(err.actualVersion, mine.version + 1);
      assert.equal(server.requests.filter((r) => r.method === 'PUT').length, puts);
      assert.equal((await api.getRemoteConfig(ACME, prod)).config.ingress?.[0]?.hostname, 'theirs.example.com');
    });
  });

  it('passes the API validation error through as bad-request (last rule must be a catch-all)', async () => {
    await withServer({}, async (server) => {
      const api = apiFor(server);
      const prod = tunnelId('prod-k8s');
      const { version } = await api.getRemoteConfig(ACME, prod);
      await rejectsWith(
        api.updateRemoteConfig(
          ACME,
          prod,
          { ingress: [{ hostname: 'a.example.com', service: 'http://a:80' }] },
          version,
        ),
        'bad-request',
        'The last ingress rule must match all URLs',
      );
    });
  });

  it('DNS: create a tunnel CNAME → list → update → re-point → delete', async () => {
    await withServer({}, async (server) => {
      const api = apiFor(server);
      const prod = tunnelId('prod-k8s');
      const staging = tunnelId('staging');
      const rec = await api.createTunnelCname(EXAMPLE_COM, 'preview.example.com', prod, { comment: 'cftunnel' });
      assert.equal(rec.type, 'CNAME');
      assert.equal(rec.tunnelId, prod);
      assert.equal(rec.proxied, true);
      assert.deepEqual(JSON.parse(server.requests.at(-1)!.body), {
        type: 'CNAME',
        name: 'preview.example.com',
        content: `${prod}.cfargotunnel.com`,
        proxied: true,
        ttl: 1,
        comment: 'cftunnel',
      });
      assert.ok((await api.listTunnelCnames([EXAMPLE_COM], [prod])).some((r) => r.id === rec.id));

      const patched = await api.updateRecord(EXAMPLE_COM, rec.id, { comment: 'changed' });
      assert.equal(patched.comment, 'changed');
      assert.equal(server.requests.at(-1)!.method, 'PATCH');

      const moved = await api.pointRecordAtTunnel(EXAMPLE_COM, rec.id, 'preview.example.com', staging);
      assert.equal(moved.tunnelId, staging);
      assert.equal(server.requests.at(-1)!.method, 'PUT');

      await api.deleteRecord(EXAMPLE_COM, rec.id);
      assert.equal(await api.findRecord(EXAMPLE_COM, 'preview.example.com'), undefined);
      await rejectsWith(api.deleteRecord(EXAMPLE_COM, rec.id), 'not-found');
    });
  });

  it('DNS: a hostname that already has a record is a conflict that suggests overwriting', async () => {
    await withServer({}, async (server) => {
      const err = await rejectsWith(
        apiFor(server).createTunnelCname(EXAMPLE_COM, 'www.example.com', tunnelId('prod-k8s')),
        'conflict',
        'www.example.com already exists',
        'overwrite',
      );
      assert.deepEqual(err.codes, [81053]);
    });
  });
});

describe('Cloudflare API wrapper: token verification and account discovery', () => {
  it('verifies an account-owned token at /accounts/{id}/tokens/verify after the user endpoint refuses it', async () => {
    const data = demoState();
    data.token.owner = { type: 'account', accountId: ACME };
    await withServer({ data }, async (server) => {
      const api = apiFor(server);
      const info = await api.verifyToken(ACME);
      assert.equal(info.owner, 'account');
      assert.equal(info.accountId, ACME);
      assert.deepEqual(seen(server), ['GET /user/tokens/verify', `GET /accounts/${ACME}/tokens/verify`]);
      await rejectsWith(api.verifyToken(), 'unauthorized', 'invalid or expired', 'account-owned token');
    });
  });

  it('refuses an expired token with guidance', async () => {
    const data = demoState();
    data.token.status = 'expired';
    data.token.expiresOn = '2026-01-01T00:00:00Z';
    await withServer({ data }, async (server) => {
      await rejectsWith(apiFor(server).verifyToken(), 'unauthorized', 'expired', 'Create a new API token');
    });
  });

  it('refuses a wrong token as unauthorized', async () => {
    await withServer({}, async (server) => {
      const api = apiFor(server, { token: 'not-the-token' });
      const err = await rejectsWith(api.verifyToken(), 'unauthorized', 'invalid or expired');
      assert.equal(err.status, 401);
      assert.deepEqual(err.codes, [1000]);
      await rejectsWith(api.listTunnels(ACME), 'unauthorized', 'invalid or expired');
    });
  });

  it('finds accounts through zones when the token cannot list accounts (empty list)', async () => {
    const data = demoState();
    data.token.permissions = data.token.permissions.filter((p) => p !== 'account:read');
    await withServer({ data }, async (server) => {
      const accounts = await apiFor(server).listAccounts();
      assert.deepEqual(accounts, [
        { id: ACME, name: 'Acme Corp' },
        { id: SIDE, name: 'Side Projects' },
      ]);
      assert.deepEqual(
        seen(server).map((s) => s.split('?')[0]),
        ['GET /accounts', 'GET /zones'],
      );
    });
  });

  it('finds accounts through zones when listing accounts is forbidden', async () => {
    await withServer({ faults: [{ path: '/accounts', status: 403 }] }, async (server) => {
      const accounts = await apiFor(server).listAccounts();
      assert.deepEqual(
        accounts.map((a) => a.id),
        [ACME, SIDE],
      );
    });
  });

  it('says what to grant when neither accounts nor zones can be listed', async () => {
    await withServer(
      {
        faults: [
          { path: '/accounts', status: 403 },
          { path: '/zones', status: 403 },
        ],
      },
      async (server) => {
        await rejectsWith(
          apiFor(server).listAccounts(),
          'forbidden',
          'Account › Account Settings › Read',
          'Zone › Zone › Read',
        );
      },
    );
  });
});

describe('Cloudflare API wrapper: pagination', () => {
  it('reads every page of tunnels and DNS records when the server serves small pages', async () => {
    const data = largeState(25, 40);
    const account = data.accounts[0]!.id;
    const zoneIds = data.zones.map((z) => z.id);
    await withServer({ data, maxPerPage: { tunnels: 10, dns: 7, zones: 1, accounts: 1 } }, async (server) => {
      const api = apiFor(server);
      const tunnels = await api.listTunnels(account);
      assert.equal(tunnels.length, 25);
      assert.equal(new Set(tunnels.map((t) => t.id)).size, 25);
      assert.deepEqual(
        server.requests.filter((r) => r.path.endsWith('/cfd_tunnel')).map((r) => r.query.page ?? '1'),
        ['1', '2', '3'],
      );

      const records = await api.listDnsRecords(zoneIds[0]!);
      assert.equal(records.length, 40);
      assert.equal(server.requests.filter((r) => r.path.endsWith('/dns_records')).length, 6);

      const cnames = await api.listTunnelCnames(zoneIds);
      assert.equal(cnames.length, 20);

      const zones = await api.listZones(account);
      assert.equal(zones.length, 1);
    });
  });

  it('the server answers an empty page past the last, as Cloudflare does', async () => {
    await withServer({}, async (server) => {
      const res = await fetch(`${server.url}/accounts/${ACME}/cfd_tunnel?is_deleted=false&page=2`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      const body = (await res.json()) as {
        success: boolean;
        result: unknown[];
        result_info: { page: number; count: number };
      };
      assert.equal(body.success, true);
      assert.deepEqual(body.result, []);
      assert.equal(body.result_info.page, 2);
      assert.equal(body.result_info.count, 0);
    });
  });
});
