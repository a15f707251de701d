/**
 * `contextValue`s of the Tunnels view's items and the context keys the extension sets. Menus in
 * package.json key on them (`viewItem == …`, `when`); test/manifest checks that every
 * `view/item/context` menu names one of these.
 */
export const CONTEXT_VALUES = {
  account: 'cftunnel.account',
  tunnelRemote: 'cftunnel.tunnel.remote',
  tunnelLocal: 'cftunnel.tunnel.local',
  connectorsGroup: 'cftunnel.group.connectors',
  hostnamesRemoteGroup: 'cftunnel.group.hostnames.remote',
  hostnamesLocalGroup: 'cftunnel.group.hostnames.local',
  routesGroup: 'cftunnel.group.routes',
  orphanRoutesGroup: 'cftunnel.group.orphanRoutes',
  connector: 'cftunnel.connector',
  hostname: 'cftunnel.hostname',
  route: 'cftunnel.route',
  orphanRoute: 'cftunnel.route.orphan',
  warning: 'cftunnel.warning',
  message: 'cftunnel.message',
  error: 'cftunnel.error',
} as const;

export type ContextValue = (typeof CONTEXT_VALUES)[keyof typeof CONTEXT_VALUES];

/** Context keys (`setContext`) for `when` clauses. */
export const CONTEXT_KEYS = {
  /** An API token is stored in SecretStorage. */
  signedIn: 'cftunnel.signedIn',
  /** A cloudflared cert.pem exists where cloudflared looks for one. */
  certPemFound: 'cftunnel.certPemFound',
} as const;
