/** Helpers for the Cloudflare integration tests (no side effects on import). */
import assert from 'node:assert/strict';
import { CloudflareApi } from '../../../src/cloudflare/api';
import type { CloudflareApiOptions } from '../../../src/cloudflare/api';
import { CloudflareError } from '../../../src/cloudflare/errors';
import type { CloudflareErrorKind } from '../../../src/cloudflare/errors';
import { startCloudflareApi } from '../../../dev/servers/cloudflare/server';
import type {
  CloudflareApiOptions as ServerOptions,
  CloudflareApiServer,
} from '../../../dev/servers/cloudflare/server';

/** The only token the test server accepts; long and distinctive so a leak is easy to find. */
export const TOKEN = 'cfut_TEST_4f1d9a7b2c8e0d6a5b3c1f9e7d5a3b1c';

export async function startServer(opts: ServerOptions = {}): Promise<CloudflareApiServer> {
  return startCloudflareApi({ token: TOKEN, ...opts });
}

export function apiFor(server: { url: string }, opts: Partial<CloudflareApiOptions> = {}): CloudflareApi {
  return new CloudflareApi({ token: TOKEN, baseURL: server.url, maxRetries: 0, timeoutMs: 5000, ...opts });
}

/** Runs `fn` with a server that is closed afterwards. */
export async function withServer<T>(opts: ServerOptions, fn: (server: CloudflareApiServer) => Promise<T>): Promise<T> {
  const server = await startServer(opts);
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

/** Asserts that `promise` rejects with a CloudflareError of `kind` whose message contains each text. */
export async function rejectsWith(
  promise: Promise<unknown>,
  kind: CloudflareErrorKind,
  ...texts: string[]
): Promise<CloudflareError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof CloudflareError, `expected a CloudflareError, got ${String(caught)}`);
  assert.equal(caught.kind, kind, caught.message);
  for (const t of texts) assert.ok(caught.message.includes(t), `message lacks ${JSON.stringify(t)}: ${caught.message}`);
  return caught;
}

/** Requests the server saw for a path (under /client/v4), as "METHOD path?query". */
export function seen(server: CloudflareApiServer, pathPrefix = ''): string[] {
  return server.requests
    .filter((r) => r.path.startsWith(pathPrefix))
    .map((r) => `${r.method} ${r.url.replace('/client/v4', '')}`);
}
