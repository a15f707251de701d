/**
 * The trees' Access words: the coverage of a tunnel rule's hostname (Access's matching rules, with
 * the wildcard-depth and path gaps of src/core/access/coverage.ts) or of a DNS route's name, from an
 * account's Access read, as `HostnameAccess` for `withHostnameAccess`. Pure (no `vscode`).
 */
import { coverage, ruleCoverage } from '../../core/access/coverage';
import { appsOf, hostnameAccess, unknownReason, withHostnameAccess } from './accessModel';
import type { AccessState, CoverageLike, HostnameAccess } from './accessModel';

/** Names for the ids the policies hold (service tokens, identity providers), for "who may enter". */
function options(state: AccessState | undefined): {
  names?: { serviceTokens: Record<string, string>; identityProviders: Record<string, string> };
  unknownReason?: string;
} {
  if (state?.kind !== 'loaded') return { unknownReason: unknownReason(state) };
  return {
    names: {
      serviceTokens: Object.fromEntries(state.serviceTokens.map((t) => [t.id, t.name])),
      identityProviders: Object.fromEntries(state.identityProviders.map((p) => [p.id, p.name])),
    },
  };
}
import type { Element, ItemSpec } from './model';

/** The Access state of a rule's hostname (`*.example.com` too); undefined for a catch-all. */
export function ruleAccess(
  hostname: string | undefined,
  path: string | undefined,
  state: AccessState | undefined,
): HostnameAccess | undefined {
  if (!hostname || hostname === '*') return undefined;
  const apps = appsOf(state);
  if (!apps) return hostnameAccess({ state: 'unknown', reason: unknownReason(state) });
  return hostnameAccess(ruleCoverage(hostname, path, apps, options(state)));
}

/** The Access state of one public name (a DNS route, a URL typed by the user). */
export function nameAccess(hostname: string, path: string | undefined, state: AccessState | undefined): HostnameAccess {
  const apps = appsOf(state);
  if (!apps) return hostnameAccess({ state: 'unknown', reason: unknownReason(state) });
  return hostnameAccess(coverage(hostname, path, apps, options(state)));
}

/** The raw coverage of a name, for the protect command (which application, if any). */
export function nameCoverage(hostname: string, path: string | undefined, state: AccessState): CoverageLike {
  return coverage(hostname, path, appsOf(state), options(state));
}

/**
 * A Tunnels-view hostname or route item with its Access state. Nothing is added while signed out
 * or before the account's Access read arrived; routes to deleted tunnels say nothing either.
 */
export function hostnameElementAccess(
  spec: ItemSpec,
  el: Extract<Element, { type: 'hostname' | 'route' }>,
  state: AccessState | undefined,
  signedIn: boolean,
): ItemSpec {
  if (!signedIn || !state) return spec;
  const problem = spec.icon === 'warning' || spec.icon === 'error';
  if (el.type === 'hostname')
    return withHostnameAccess(spec, ruleAccess(el.hostname.hostname, el.hostname.path, state), problem);
  if (!el.tunnel || el.route.orphan) return spec;
  return withHostnameAccess(spec, nameAccess(el.route.hostname, undefined, state), problem, false);
}
