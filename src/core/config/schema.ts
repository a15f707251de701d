/**
 * What cloudflared reads from config.yaml: every key, its Go type, default and meaning.
 * One table serves the checker (types), hover (descriptions) and completion (values).
 * Source: ../shared/docs/cloudflared-config-spec.md (cloudflared 2026.8.2).
 */
import type { GoType } from '../go/yamlv3';

/** How a top-level flag key is type-checked (cloudflared's altsrc fork, spec §2.3). */
export type FlagKind = 'string' | 'int' | 'bool' | 'duration' | 'stringSlice';

export interface FlagKey {
  kind: FlagKind;
  default?: string;
  env?: string;
  description: string;
  /** Only `tunnel run` reads it, so only `tunnel run` type-checks it. */
  runOnly?: boolean;
  /** Legacy single-origin key: no effect when ingress rules exist. */
  legacyOrigin?: boolean;
  hidden?: boolean;
  /** Closed set of values cloudflared accepts (checked by `tunnel run` only). */
  values?: string[];
}

const f = (kind: FlagKind, description: string, extra: Partial<FlagKey> = {}): FlagKey => ({
  kind,
  description,
  ...extra,
});

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'panic'];
export const PROTOCOLS = ['auto', 'quic', 'http2', 'h2mux'];

export const FLAG_KEYS: Record<string, FlagKey> = {
  'credentials-file': f(
    'string',
    'Path to the tunnel credentials JSON (`AccountTag`, `TunnelSecret`, `TunnelID`). `tunnel run` reads it.',
    { env: 'TUNNEL_CRED_FILE' },
  ),
  'credentials-contents': f('string', 'The credentials JSON itself instead of a file.', {
    env: 'TUNNEL_CRED_CONTENTS',
    runOnly: true,
  }),
  token: f('string', 'Run token of a remotely-managed tunnel. Prefer the `TUNNEL_TOKEN` env var from a Secret.', {
    env: 'TUNNEL_TOKEN',
    runOnly: true,
  }),
  'token-file': f('string', 'File holding the run token.', { env: 'TUNNEL_TOKEN_FILE', runOnly: true }),
  origincert: f('string', 'Account certificate (`cert.pem`), needed only for management commands and name lookups.', {
    env: 'TUNNEL_ORIGIN_CERT',
  }),
  loglevel: f('string', 'Log level of cloudflared.', { default: 'info', env: 'TUNNEL_LOGLEVEL', values: LOG_LEVELS }),
  'transport-loglevel': f('string', 'Log level of the edge transport.', {
    default: 'info',
    env: 'TUNNEL_TRANSPORT_LOGLEVEL',
    values: LOG_LEVELS,
  }),
  logfile: f('string', 'File to write logs to (wins over `log-directory`).', { env: 'TUNNEL_LOGFILE' }),
  'log-directory': f('string', 'Directory to write logs to.', { env: 'TUNNEL_LOGDIRECTORY' }),
  'trace-output': f('string', 'File to write runtime traces to.', { env: 'TUNNEL_TRACE_OUTPUT' }),
  metrics: f(
    'string',
    'Address of the metrics server (`/metrics`, `/ready`). In Kubernetes pin it, e.g. `0.0.0.0:2000`, so probes have a fixed port.',
    { default: 'localhost:0 (0.0.0.0:0 in containers: a random port)', env: 'TUNNEL_METRICS' },
  ),
  protocol: f('string', 'Edge transport protocol.', {
    default: 'auto',
    env: 'TUNNEL_TRANSPORT_PROTOCOL',
    values: PROTOCOLS,
  }),
  'edge-ip-version': f('string', 'IP version used to reach the edge: `4`, `6` or `auto` (quote numbers in YAML).', {
    default: 'auto',
    env: 'TUNNEL_EDGE_IP_VERSION',
    values: ['4', '6', 'auto'],
  }),
  'edge-bind-address': f('string', 'Local IP address to bind edge connections to.', {
    env: 'TUNNEL_EDGE_BIND_ADDRESS',
  }),
  region: f('string', 'Edge region (`us`, or empty for global).', { env: 'TUNNEL_REGION' }),
  'no-autoupdate': f(
    'bool',
    'Disable automatic updates. Updates make no sense in a container: pin the image tag instead.',
    { default: 'false', env: 'NO_AUTOUPDATE' },
  ),
  'autoupdate-freq': f('duration', 'How often to check for updates.', { default: '24h' }),
  'no-prechecks': f('bool', 'Skip the connectivity prechecks at start-up.', {
    default: 'false',
    env: 'TUNNEL_NO_PRECHECKS',
  }),
  'grace-period': f('duration', 'How long to wait for requests to finish on shutdown (at most 3m).', {
    default: '30s',
    env: 'TUNNEL_GRACE_PERIOD',
  }),
  retries: f('int', 'Maximum retries for connection/protocol errors.', { default: '5', env: 'TUNNEL_RETRIES' }),
  tag: f('stringSlice', 'Custom tags `NAME=VALUE` identifying this connector.', { env: 'TUNNEL_TAG' }),
  label: f('string', 'Label for this connector.'),
  pidfile: f('string', 'Write the process id to this file.', { env: 'TUNNEL_PIDFILE' }),
  'post-quantum': f('bool', 'Use post-quantum key agreement to the edge.', {
    default: 'false',
    env: 'TUNNEL_POST_QUANTUM',
  }),
  features: f('stringSlice', 'Opt-in features.', { runOnly: true }),
  'metrics-update-freq': f('duration', 'How often to update tunnel metrics.', {
    default: '5s',
    env: 'TUNNEL_METRICS_UPDATE_FREQ',
  }),
  'management-diagnostics': f(
    'bool',
    'Expose diagnostics to the management endpoint (`false` in the file has no effect).',
    { default: 'true', env: 'TUNNEL_MANAGEMENT_DIAGNOSTICS' },
  ),
  hostname: f('string', 'Legacy: hostname for a classic tunnel. Ignored by named tunnels.', { env: 'TUNNEL_HOSTNAME' }),
  'lb-pool': f('string', 'Legacy: load-balancer pool.', { env: 'TUNNEL_LB_POOL' }),
  name: f('string', 'Ad-hoc mode: create and run a tunnel with this name.', { env: 'TUNNEL_NAME' }),
  // Legacy single-origin keys: ignored when ingress rules exist.
  url: f('string', 'Legacy single origin. `ingress validate` refuses it next to ingress rules.', {
    default: 'http://localhost:8080',
    env: 'TUNNEL_URL',
    legacyOrigin: true,
  }),
  'hello-world': f('bool', 'Legacy single origin: the built-in test server.', { legacyOrigin: true }),
  socks5: f('bool', 'Legacy single origin: SOCKS5 proxy.', { legacyOrigin: true }),
  bastion: f('bool', 'Legacy single origin: bastion mode.', { legacyOrigin: true }),
  'unix-socket': f('string', 'Legacy single origin: a Unix socket.', { legacyOrigin: true }),
  'proxy-connect-timeout': f('duration', 'Legacy origin setting (use `originRequest.connectTimeout`).', {
    default: '30s',
    legacyOrigin: true,
  }),
  'proxy-tls-timeout': f('duration', 'Legacy origin setting (use `originRequest.tlsTimeout`).', {
    default: '10s',
    legacyOrigin: true,
  }),
  'proxy-tcp-keepalive': f('duration', 'Legacy origin setting (use `originRequest.tcpKeepAlive`).', {
    default: '30s',
    legacyOrigin: true,
  }),
  'proxy-no-happy-eyeballs': f('bool', 'Legacy origin setting (use `originRequest.noHappyEyeballs`).', {
    legacyOrigin: true,
  }),
  'proxy-keepalive-connections': f('int', 'Legacy origin setting (use `originRequest.keepAliveConnections`).', {
    default: '100',
    legacyOrigin: true,
  }),
  'proxy-keepalive-timeout': f('duration', 'Legacy origin setting (use `originRequest.keepAliveTimeout`).', {
    default: '1m30s',
    legacyOrigin: true,
  }),
  'proxy-connection-timeout': f('duration', 'Deprecated, no effect.', { legacyOrigin: true }),
  'proxy-expect-continue-timeout': f('duration', 'Deprecated, no effect.', { legacyOrigin: true }),
  'http-host-header': f('string', 'Legacy origin setting (use `originRequest.httpHostHeader`).', {
    legacyOrigin: true,
  }),
  'origin-server-name': f('string', 'Legacy origin setting (use `originRequest.originServerName`).', {
    legacyOrigin: true,
  }),
  'origin-ca-pool': f('string', 'Legacy origin setting (use `originRequest.caPool`).', { legacyOrigin: true }),
  'no-tls-verify': f('bool', 'Legacy origin setting (use `originRequest.noTLSVerify`).', { legacyOrigin: true }),
  'no-chunked-encoding': f('bool', 'Legacy origin setting (use `originRequest.disableChunkedEncoding`).', {
    legacyOrigin: true,
  }),
  'http2-origin': f('bool', 'Legacy origin setting (use `originRequest.http2Origin`).', { legacyOrigin: true }),
  'proxy-address': f('string', 'Legacy origin setting.', { default: '127.0.0.1', legacyOrigin: true }),
  'proxy-port': f('int', 'Legacy origin setting.', { legacyOrigin: true }),
};

const HIDDEN: Array<[FlagKind, string[]]> = [
  ['stringSlice', ['edge', 'proxy-dns-upstream', 'proxy-dns-bootstrap']],
  [
    'string',
    [
      'cacert',
      'id',
      'api-key',
      'api-email',
      'api-ca-key',
      'api-url',
      'management-hostname',
      'service-op-ip',
      'quick-service',
      'local-ssh-port',
      'bucket-name',
      'region-name',
      'secret-id',
      'access-key-id',
      'session-token',
      's3-url-host',
      'host-key-path',
      'proxy-dns-address',
    ],
  ],
  [
    'bool',
    [
      'is-autoupdated',
      'quic-disable-pmtu-discovery',
      'use-reconnect-token',
      'stdin-control',
      'ui',
      'ssh-server',
      'proxy-dns',
    ],
  ],
  [
    'int',
    [
      'heartbeat-count',
      'max-edge-addr-retries',
      'ha-connections',
      'quic-connection-level-flow-control-limit',
      'quic-stream-level-flow-control-limit',
      'compression-quality',
      'max-fetch-size',
      'proxy-dns-port',
      'proxy-dns-max-upstream-conns',
    ],
  ],
  [
    'duration',
    [
      'heartbeat-interval',
      'rpc-timeout',
      'write-stream-timeout',
      'dial-edge-timeout',
      'ssh-idle-timeout',
      'ssh-max-timeout',
    ],
  ],
];
for (const [kind, names] of HIDDEN) {
  for (const name of names) {
    const removed = name.startsWith('proxy-dns');
    FLAG_KEYS[name] = f(
      kind,
      removed ? 'Removed proxy-dns feature: still type-checked, no effect.' : 'Internal or hidden flag.',
      { hidden: true },
    );
  }
}

/** CLI flags that cannot be set from the file: putting them there has no effect (spec §2.2). */
export const PLAIN_FLAGS = [
  'config',
  'output',
  'icmpv4-src',
  'icmpv6-src',
  'max-active-flows',
  'dns-resolver-addrs',
  'overwrite-dns',
  'json',
];

/** A field of a Go struct that yaml.v3 decodes. */
export interface FieldSpec {
  type: GoType | StructSpec | { listOf: StructSpec };
  description: string;
  default?: string;
  values?: string[];
}

export interface StructSpec {
  /** Go type name as yaml.v3 prints it in errors, e.g. `config.OriginRequestConfig`. */
  goName: string;
  fields: Record<string, FieldSpec>;
}

export const ACCESS: StructSpec = {
  goName: 'config.AccessConfig',
  fields: {
    required: {
      type: 'bool',
      description: 'Refuse requests without a valid `Cf-Access-Jwt-Assertion` from Cloudflare Access.',
      default: 'false',
    },
    teamName: {
      type: 'string',
      description: 'Zero Trust team name; required when `audTag` is set and `required` is true.',
    },
    audTag: { type: 'stringSlice', description: 'Access application audience tags (note: singular key `audTag`).' },
    environment: { type: 'string', description: '`fed` selects the FedRAMP Access endpoint.' },
  },
};

export const IP_RULE: StructSpec = {
  goName: 'config.IngressIPRule',
  fields: {
    prefix: { type: 'string', description: 'CIDR the rule applies to, e.g. `10.0.0.0/8` (a bare IP is rejected).' },
    ports: { type: 'intSlice', description: 'Ports the rule applies to (1-65535); empty means all.' },
    allow: { type: 'bool', description: 'Allow (true) or deny (false) matching traffic.', default: 'false' },
  },
};

const dur = (description: string, def: string): FieldSpec => ({ type: 'duration', description, default: def });
const bool = (description: string): FieldSpec => ({
  type: 'bool',
  description,
  default: 'false',
  values: ['true', 'false'],
});

export const ORIGIN_REQUEST: StructSpec = {
  goName: 'config.OriginRequestConfig',
  fields: {
    connectTimeout: dur('Timeout for establishing a TCP connection to the origin.', '30s'),
    tlsTimeout: dur('Timeout for the TLS handshake with the origin.', '10s'),
    tcpKeepAlive: dur('TCP keep-alive period for connections to the origin.', '30s'),
    noHappyEyeballs: bool('Disable the IPv4/IPv6 fallback race when dialling the origin.'),
    keepAliveConnections: {
      type: 'int',
      description: 'Maximum idle keep-alive connections to the origin.',
      default: '100',
    },
    keepAliveTimeout: dur('How long an idle keep-alive connection is kept.', '1m30s'),
    httpHostHeader: { type: 'string', description: 'Host header sent to the origin.' },
    originServerName: { type: 'string', description: 'Hostname expected on the origin certificate.' },
    matchSNItoHost: bool('Use the request Host as the TLS SNI to the origin (note the lower-case `to`).'),
    caPool: { type: 'string', description: 'PEM CA bundle for the origin certificate. Read only by `tunnel run`.' },
    noTLSVerify: bool('Do not verify the origin certificate.'),
    disableChunkedEncoding: bool('Disable chunked transfer encoding (for WSGI servers).'),
    bastionMode: bool('Run as a jump host: the service string is then not parsed.'),
    proxyAddress: { type: 'string', description: 'Legacy; unused by current cloudflared.', default: '127.0.0.1' },
    proxyPort: { type: 'uint', description: 'Legacy; unused by current cloudflared.', default: '0' },
    proxyType: { type: 'string', description: '`""` or `socks`.', values: ['', 'socks'] },
    ipRules: { type: { listOf: IP_RULE }, description: 'IP rules for `service: socks-proxy` (validated only there).' },
    http2Origin: bool('Connect to the origin over HTTP/2.'),
    access: {
      type: ACCESS,
      description: 'Cloudflare Access JWT validation for this rule (only a per-rule block is enforced).',
    },
  },
};

export const INGRESS_RULE: StructSpec = {
  goName: 'config.UnvalidatedIngressRule',
  fields: {
    hostname: {
      type: 'string',
      description: 'Host to match. Empty or `"*"` matches any host; `"*.example.com"` matches subdomains (quote it!).',
    },
    path: {
      type: 'string',
      description: 'Go (RE2) regular expression searched anywhere in the request path (unanchored: use `^`/`$`).',
    },
    service: {
      type: 'string',
      description:
        'Where to send matching traffic: `http(s)://host:port`, `ws(s)://`, `tcp://`, `ssh://`, `rdp://`, `smb://`, `unix:/path`, `unix+tls:/path`, `http_status:404`, `hello_world`, `bastion`, `socks-proxy`.',
    },
    originRequest: {
      type: ORIGIN_REQUEST,
      description: 'Origin settings for this rule; override the global `originRequest` key by key.',
    },
  },
};

export const WARP_ROUTING: StructSpec = {
  goName: 'config.WarpRoutingConfig',
  fields: {
    connectTimeout: dur('Timeout for private-network TCP connections.', '5s'),
    tcpKeepAlive: dur('TCP keep-alive for private-network connections.', '30s'),
    maxActiveFlows: {
      type: 'uint64',
      description: 'Maximum concurrent private-network flows (0 = unlimited).',
      default: '0',
    },
  },
};

/**
 * `warp-routing` as the Cloudflare API holds it in a remote (dashboard-managed) configuration:
 * the API's schema has `enabled` (which the dashboard writes, e.g. `enabled: false`); cloudflared's
 * own struct does not, so only a local config.yaml gets the unknown-key warning for it.
 */
export const REMOTE_WARP_ROUTING: StructSpec = {
  goName: WARP_ROUTING.goName,
  fields: {
    ...WARP_ROUTING.fields,
    enabled: {
      type: 'bool',
      description:
        'Remote configuration only: whether private-network routing is enabled for the tunnel (set by the dashboard).',
    },
  },
};

/** The four structured top-level keys cloudflared decodes itself (spec §2.1). */
export const STRUCTURED_KEYS: Record<string, { description: string }> = {
  tunnel: { description: 'Tunnel UUID or name that `tunnel run` runs when no argument is given.' },
  ingress: { description: 'Ordered ingress rules; the first match wins and the last rule must match everything.' },
  originRequest: { description: 'Default origin settings for every rule.' },
  'warp-routing': { description: 'Private-network (WARP) routing settings.' },
};

export const SERVICE_KEYWORDS = ['hello_world', 'hello-world', 'bastion', 'socks-proxy'];
export const SERVICE_SCHEMES = [
  'http://',
  'https://',
  'ws://',
  'wss://',
  'tcp://',
  'ssh://',
  'rdp://',
  'smb://',
  'unix:',
  'unix+tls:',
  'http_status:',
];
