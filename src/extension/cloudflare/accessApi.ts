/**
 * The editor's two Access calls over the wrapper (src/cloudflare/access.ts): one account's Access read
 * as an `AccessState` that never rejects (a token without the Access read permission is `forbidden`:
 * the trees say "unknown", never "open"), and `protectHostname` (idempotent; never changes an
 * existing application).
 */
import { listAccess, protectBodies, protectHostname } from '../../cloudflare/access';
import type { CloudflareApi } from '../../cloudflare/api';
import type { AccessState, ProtectRequest } from './accessModel';

/** The account's Access applications, identity providers and service tokens. */
export async function readAccess(api: CloudflareApi, accountId: string, signal?: AbortSignal): Promise<AccessState> {
  try {
    const r = await listAccess(api, accountId, signal ? { signal } : {});
    return {
      kind: 'loaded',
      apps: r.apps,
      identityProviders: r.identityProviders,
      serviceTokens: r.serviceTokens,
      ...(r.teamDomain ? { teamDomain: r.teamDomain } : {}),
      enabled: r.enabled,
      unavailable: r.unavailable,
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if ((err as { kind?: unknown } | undefined)?.kind === 'access-forbidden') return { kind: 'forbidden', message };
    return { kind: 'failed', message };
  }
}

/** Creates the application and its policy unless one already covers the hostname (then `created: false`). */
export function protect(
  api: CloudflareApi,
  accountId: string,
  req: ProtectRequest,
  signal?: AbortSignal,
): ReturnType<typeof protectHostname> {
  return protectHostname(api, accountId, req, signal ? { signal } : {});
}

/** What `protect` sends, for the confirmation: the policy, and the application (its policy id not known yet). */
export function protectPreview(req: ProtectRequest): { policy: object; app: object } {
  const bodies = protectBodies(req);
  return { policy: bodies.policy, app: bodies.app('<id of the policy above>') };
}
