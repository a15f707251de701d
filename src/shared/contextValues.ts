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
  /** A public hostname no Access application protects (`.open` added by accessModel's withHostnameAccess): offers "Protect with Cloudflare Access…". */
  hostnameOpen: 'cftunnel.hostname.open',
  route: 'cftunnel.route',
  /** A CNAME to the tunnel that is not proxied (does not reach it): offers "Turn On Cloudflare Proxy". */
  unproxiedRoute: 'cftunnel.route.unproxied',
  orphanRoute: 'cftunnel.route.orphan',
  warning: 'cftunnel.warning',
  message: 'cftunnel.message',
  error: 'cftunnel.error',
  // The Cluster Services view (src/extension/kubernetes/model.ts).
  kubeContext: 'cftunnel.k8s.context',
  kubeNamespace: 'cftunnel.k8s.namespace',
  kubeService: 'cftunnel.k8s.service',
  kubeServiceExposed: 'cftunnel.k8s.service.exposed',
  kubeHostname: 'cftunnel.k8s.hostname',
  kubeHostnameClient: 'cftunnel.k8s.hostname.client',
  /** Hostname items of the Cluster Services view that Access leaves open (with `.open`, as above). */
  kubeHostnameOpen: 'cftunnel.k8s.hostname.open',
  kubeHostnameClientOpen: 'cftunnel.k8s.hostname.client.open',
  kubeCloudflared: 'cftunnel.k8s.cloudflared',
  kubePod: 'cftunnel.k8s.pod',
  kubeProblems: 'cftunnel.k8s.problems',
  kubeFinding: 'cftunnel.k8s.finding',
} as const;

export type ContextValue = (typeof CONTEXT_VALUES)[keyof typeof CONTEXT_VALUES];

/** Context keys (`setContext`) for `when` clauses. */
export const CONTEXT_KEYS = {
  /** An API token is stored in SecretStorage. */
  signedIn: 'cftunnel.signedIn',
  /** A cloudflared cert.pem exists where cloudflared looks for one. */
  certPemFound: 'cftunnel.certPemFound',
  /** A kubeconfig with at least one context was loaded (the Cluster Services view). */
  kubeconfigFound: 'cftunnel.kubeconfigFound',
  /** The extension has looked for the kubeconfig (until then the view says "Loading…", not "No kubeconfig found"). */
  kubeconfigChecked: 'cftunnel.kubeconfigChecked',
  /** The Cluster Services view has a context to show (chosen in the view, or the kubeconfig's current-context). */
  kubeContextChosen: 'cftunnel.kubeContextChosen',
} as const;
