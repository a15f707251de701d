/**
 * The API token stays where it belongs: the SDK reads no credentials, base URL, headers or log
 * level from the environment, and the token appears in no request (except its Authorization
 * header), no log line and no error text.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { CloudflareApi, DEFAULT_BASE_URL } from '../../../src/cloudflare/api';
import { CloudflareError } from '../../../src/cloudflare/errors';
import { demoState } from '../../../dev/servers/cloudflare/server';
import { TOKEN, apiFor, rejectsWith, startServer, withServer } from './support';

const demo = demoState();
const ACME = demo.accounts.find((a) => a.name === 'Acme Corp')!.id;
const EXAMPLE_COM = demo.zones.find((z) => z.name === 'example.com')!.id;
const PROD = demo.tunnels.find((t) => t.name === 'prod-k8s')!.id;

const ENV_TOKEN = 'env-token-must-not-be-used-9d8c7b6a';
const ENV = {
  CLOUDFLARE_API_TOKEN: ENV_TOKEN,
  CLOUDFLARE_API_KEY: 'env-api-key-5e4d3c2b1a',
  CLOUDFLARE_EMAIL: 'env@example.com',
  CLOUDFLARE_API_USER_SERVICE_KEY: 'v1.0-env-service-key',
  CLOUDFLARE_BASE_URL: 'http://127.0.0.1:9/client/v4',
  CLOUDFLARE_LOG: 'debug',
  CLOUDFLARE_CUSTOM_HEADERS: `Authorization: Bearer ${ENV_TOKEN}\nX-Auth-Key: env-api-key-5e4d3c2b1a\nX-Env-Header: leaked`,
};

async function withEnv<T>(fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(ENV).map((k) => [k, process.env[k]]));
  Object.assign(process.env, ENV);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Captures console output (the SDK's default logger) while `fn` runs. */
async function captureConsole<T>(fn: () => Promise<T>): Promise<{ value: T; lines: string[] }> {
  const lines: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = methods.map((m) => console[m]);
  for (const m of methods) console[m] = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  try {
    return { value: await fn(), lines };
  } finally {
    methods.forEach((m, i) => (console[m] = saved[i]!));
  }
}

describe('Cloudflare SDK and the environment', () => {
  it('ignores CLOUDFLARE_API_TOKEN/API_KEY/EMAIL/USER_SERVICE_KEY/BASE_URL/CUSTOM_HEADERS/LOG', async () => {
    await withServer({}, async (server) => {
      await withEnv(async () => {
        const api = apiFor(server);
        const { lines } = await captureConsole(async () => {
          await api.verifyToken();
          await api.listTunnels(ACME);
          await api.createTunnel(ACME, 'env-test', 'local');
        });
        assert.deepEqual(lines, [], 'the SDK logged to the console');
        assert.equal(server.requests.length, 3);
        for (const r of server.requests) {
          assert.equal(r.headers.authorization, `Bearer ${TOKEN}`);
          for (const h of ['x-auth-key', 'x-auth-email', 'x-auth-user-service-key', 'x-env-header'])
            assert.equal(r.headers[h], undefined, h);
          assert.ok(!JSON.stringify(r).includes(ENV_TOKEN));
        }
      });
    });
  });

  it('uses the real API base URL by default, whatever CLOUDFLARE_BASE_URL says', async () => {
    await withEnv(async () => {
      assert.equal(new CloudflareApi({ token: TOKEN }).baseURL, DEFAULT_BASE_URL);
      assert.equal(new CloudflareApi({ token: TOKEN, baseURL: '' }).baseURL, DEFAULT_BASE_URL);
    });
  });

  it('needs an explicit token: none (even with CLOUDFLARE_API_TOKEN set) is unauthorized', async () => {
    await withEnv(async () => {
      assert.throws(
        () => new CloudflareApi({ token: '  ' }),
        (err: unknown) =>
          err instanceof CloudflareError && err.kind === 'unauthorized' && err.message.includes('sign in'),
      );
    });
  });
});

describe('The API token never leaks', () => {
  it('appears only in the Authorization header: not in URLs, bodies, other headers, log lines or errors', async () => {
    const server = await startServer({ maxPerPage: { tunnels: 2, dns: 3 } });
    const logLines: string[] = [];
    const requestUrls: string[] = [];
    const errors: CloudflareError[] = [];
    const api = apiFor(server, {
      maxRetries: 1,
      timeoutMs: 200,
      logLevel: 'debug',
      log: (level, line) => logLines.push(`${level} ${line}`),
      onRequest: (r) => requestUrls.push(`${r.method} ${r.url}`),
    });
    const expectError = async (p: Promise<unknown>): Promise<void> => {
      try {
        await p;
        assert.fail('expected an error');
      } catch (err) {
        assert.ok(err instanceof CloudflareError, String(err));
        errors.push(err);
      }
    };
    let runToken = '';
    try {
      // Every method, successfully.
      await api.verifyToken();
      await api.listAccounts();
      await api.listZones(ACME);
      await api.listTunnels(ACME);
      await api.getTunnel(ACME, PROD);
      await api.listConnectors(ACME, PROD);
      runToken = await api.getRunToken(ACME, PROD);
      const cfg = await api.getRemoteConfig(ACME, PROD);
      await api.updateRemoteConfig(ACME, PROD, cfg.config, cfg.version);
      const { tunnel } = await api.createTunnel(ACME, 'leak-check', 'local');
      await api.renameTunnel(ACME, tunnel.id, 'leak-check-2');
      await api.deleteTunnel(ACME, tunnel.id, { force: true });
      await api.listDnsRecords(EXAMPLE_COM, { name: 'app.example.com' });
      await api.listTunnelCnames([EXAMPLE_COM]);
      const rec = await api.createTunnelCname(EXAMPLE_COM, 'leak.example.com', PROD);
      await api.findRecord(EXAMPLE_COM, 'leak.example.com');
      await api.updateRecord(EXAMPLE_COM, rec.id, { comment: 'x' });
      await api.pointRecordAtTunnel(EXAMPLE_COM, rec.id, 'leak.example.com', PROD);
      await api.deleteRecord(EXAMPLE_COM, rec.id);

      // Every failure mode.
      await expectError(api.updateRemoteConfig(ACME, PROD, cfg.config, cfg.version));
      await expectError(api.createTunnelCname(EXAMPLE_COM, 'www.example.com', PROD));
      await expectError(api.getTunnel(ACME, '00000000-0000-4000-8000-000000000000'));
      await expectError(apiFor(server, { token: `${TOKEN}-wrong` }).verifyToken());
      for (const fault of [
        { status: 401 },
        { status: 403 },
        { status: 429, retryAfter: 0 },
        { status: 500 },
        { delayMs: 1000 },
        { malformed: true },
        { drop: true },
      ]) {
        server.clearFaults();
        server.setFault({ path: '/accounts/*/cfd_tunnel', ...fault });
        await expectError(api.listTunnels(ACME));
      }
      server.clearFaults();
    } finally {
      await server.close();
    }
    await expectError(api.listTunnels(ACME)); // offline

    assert.ok(logLines.length > 50, 'debug logging produced lines');
    assert.ok(errors.length >= 12);
    assert.ok(runToken.length > 20);

    // The recorded requests: the token only in Authorization, exactly as sent.
    assert.ok(server.requests.length > 30, `only ${server.requests.length} requests`);
    for (const r of server.requests) {
      assert.ok(
        r.headers.authorization === `Bearer ${TOKEN}` || r.headers.authorization === `Bearer ${TOKEN}-wrong`,
        r.url,
      );
      const { authorization: _auth, ...otherHeaders } = r.headers;
      for (const [where, text] of [
        ['url', r.url],
        ['body', r.body],
        ['headers', JSON.stringify(otherHeaders)],
      ] as const) {
        assert.ok(!text.includes(TOKEN), `token in request ${where}: ${r.method} ${r.url}`);
      }
    }
    const texts: Array<[string, string]> = [
      ...logLines.map((l): [string, string] => ['log line', l]),
      ...requestUrls.map((u): [string, string] => ['onRequest', u]),
      ...errors.flatMap((e): Array<[string, string]> => [
        ['error message', e.message],
        ['error string', String(e)],
        ['inspected error', inspect(e, { depth: 6 })],
        ['error json', JSON.stringify(e)],
      ]),
    ];
    for (const [where, text] of texts) {
      assert.ok(!text.includes(TOKEN), `token in ${where}: ${text.slice(0, 300)}`);
      assert.ok(!text.includes(runToken), `run token in ${where}: ${text.slice(0, 300)}`);
    }
    // The SDK's own redaction is on: Authorization shows as ***.
    assert.ok(logLines.some((l) => l.includes('"authorization":"***"')));
  });

  it('a message quoting the token (an echoing server) is redacted', async () => {
    await withServer(
      {
        faults: [
          {
            path: '/user/tokens/verify',
            status: 400,
            errors: [{ code: 6003, message: `Invalid header Bearer ${TOKEN}` }],
          },
        ],
      },
      async (server) => {
        const err = await rejectsWith(apiFor(server).verifyToken(), 'unauthorized', 'Bearer ***');
        assert.ok(!err.message.includes(TOKEN));
      },
    );
  });
});
