import type { FixCommandKind } from '../core/types';

/** Command ids contributed in package.json (checked by test/manifest). Client-only ids: `cftunnel.*`. */
export const COMMANDS = {
  restartServer: 'cftunnel.restartServer',
  // Cloudflare account and the Tunnels view (src/extension/cloudflare/commands.ts).
  signIn: 'cftunnel.signIn',
  signInWithCertPem: 'cftunnel.signInWithCertPem',
  signOut: 'cftunnel.signOut',
  selectAccount: 'cftunnel.selectAccount',
  refreshTunnels: 'cftunnel.refreshTunnels',
  createTunnel: 'cftunnel.createTunnel',
  renameTunnel: 'cftunnel.renameTunnel',
  deleteTunnel: 'cftunnel.deleteTunnel',
  routeHostname: 'cftunnel.routeHostname',
  removeRoute: 'cftunnel.removeRoute',
  enableProxy: 'cftunnel.enableProxy',
  copyRunToken: 'cftunnel.copyRunToken',
  writeCredentials: 'cftunnel.writeCredentials',
  editRemoteConfig: 'cftunnel.editRemoteConfig',
  copyTunnelId: 'cftunnel.copyTunnelId',
  /** Cloudflare Access in front of an open hostname (src/extension/cloudflare/accessCommands.ts). */
  protectWithAccess: 'cftunnel.protectWithAccess',
  // Kubernetes: the Cluster Services view (src/extension/kubernetes/commands.ts).
  selectKubeContext: 'cftunnel.selectKubeContext',
  refreshServices: 'cftunnel.refreshServices',
  exposeService: 'cftunnel.exposeService',
  showPodLogs: 'cftunnel.showPodLogs',
  copyClientCommand: 'cftunnel.copyClientCommand',
  showDriftReport: 'cftunnel.showDriftReport',
  /** The Traffic panel of a cloudflared Deployment or a tunnel (src/extension/metrics/trafficPanel.ts). */
  showTraffic: 'cftunnel.showTraffic',
  /** A cluster object (a routing object, a Service) as read-only YAML: from the tree and the trace. */
  showClusterObject: 'cftunnel.showClusterObject',
  // Scaffolding a cloudflared kustomize folder (src/extension/scaffold/wizard.ts).
  newKustomizeFolder: 'cftunnel.newKustomizeFolder',
  addNetworkPolicy: 'cftunnel.addNetworkPolicy',
  markServicePublic: 'cftunnel.markServicePublic',
  // kubectl diff, then apply, of a kustomization folder (src/extension/kubernetes/apply.ts).
  applyToCluster: 'cftunnel.applyToCluster',
  // Following a URL through the workspace's tunnel rules and routing objects (src/extension/trace.ts).
  traceHostname: 'cftunnel.traceHostname',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** The command that carries out each kind of fix the core names (`Fix.command.kind`). */
export const FIX_COMMANDS = {
  'add-network-policy': COMMANDS.addNetworkPolicy,
} as const satisfies Record<FixCommandKind, CommandId>;
