import { test } from 'node:test';
import { gitignoreWithEntry } from '../../../../src/core/workspace/gitignore';
import assert from 'node:assert/strict';
import { buildTunnelsTree, withConnectors, withRemoteHostnames } from '../../../../src/core/cloudflare/tunnelsTree';
import type { AccountNode, TunnelNode } from '../../../../src/core/cloudflare/tunnelsTree';
import {
  accountChildren,
  accountElements,
  certPemCandidates,
  configNamesTunnel,
  credentialsFolderOf,
  credentialsGitignoreEdit,
  errorElement,
  formatTime,
  healthSummary,
  itemSpec,
  newlyUnhealthy,
  replaceRecordsQuestion,
  routeOutcomeMessage,
  tunnelChildren,
} from '../../../../src/extension/cloudflare/model';
import type { Element } from '../../../../src/extension/cloudflare/model';
import { hostnameAccess, withHostnameAccess } from '../../../../src/extension/cloudflare/accessModel';
import { COMMANDS } from '../../../../src/shared/commands';
import { CONTEXT_VALUES } from '../../../../src/shared/contextValues';

const REMOTE = '6ff42ae2-765d-4adf-8112-31c55c1551ef';
const LOCAL = 'c1744f8b-faa1-48a4-9e5c-02ac921467fa';
const GONE = '0f6cbb4b-7d02-4a8f-9f6e-7bdf0b6b3a11';

function account(): AccountNode {
  return buildTunnelsTree({
    account: { id: 'acc1', name: 'Acme' },
    tunnels: [
      { id: REMOTE, name: 'prod', status: 'degraded', configSrc: 'cloudflare' },
      { id: LOCAL, name: 'home', status: 'down', configSrc: 'local' },
    ],
    zones: [{ id: 'z1', name: 'example.com' }],
    records: [
      {
        id: 'r1',
        zoneId: 'z1',
        name: 'app.example.com',
        type: 'CNAME',
        content: `${REMOTE}.cfargotunnel.com`,
        proxied: true,
      },
      {
        id: 'r2',
        zoneId: 'z1',
        name: 'home.example.com',
        type: 'CNAME',
        content: `${LOCAL}.cfargotunnel.com`,
        proxied: true,
      },
      {
        id: 'r3',
        zoneId: 'z1',
        name: 'old.example.com',
        type: 'CNAME',
        content: `${GONE}.cfargotunnel.com`,
        proxied: true,
      },
      // DNS only: does not reach the tunnel ("Turn On Cloudflare Proxy").
      {
        id: 'r4',
        zoneId: 'z1',
        name: 'nas.example.com',
        type: 'CNAME',
        content: `${LOCAL}.cfargotunnel.com`,
        proxied: false,
      },
    ],
    workspaceRules: [
      {
        tunnel: 'home',
        hostname: 'home.example.com',
        service: 'http://localhost:8123',
        file: '/ws/config.yaml',
        line: 3,
      },
      { tunnel: 'home', service: 'http_status:404', file: '/ws/config.yaml', line: 5 },
    ],
  });
}

function details(t: TunnelNode): TunnelNode {
  if (t.configSrc !== 'cloudflare') return withConnectors(t, []);
  const loaded = withConnectors(t, [
    {
      id: 'conn-1',
      version: '2026.8.2',
      arch: 'linux_amd64',
      runAt: '2026-01-15T10:00:00Z',
      conns: [
        { coloName: 'fra08', originIp: '198.51.100.21' },
        { coloName: 'ams01', originIp: '198.51.100.21' },
      ],
    },
  ]);
  return withRemoteHostnames(loaded, [
    { hostname: 'app.example.com', service: 'http://web:80' },
    { hostname: 'api.example.com', service: 'http://api:80' },
    { service: 'http_status:404' },
  ]);
}

/** Every element of the tree, depth first, as the view would expand it. */
function walk(): Element[] {
  const out: Element[] = [];
  const visit = (el: Element): void => {
    out.push(el);
    let children: Element[] = [];
    if (el.type === 'account') children = accountChildren(el.tree!);
    else if (el.type === 'tunnel') children = tunnelChildren(el.accountId, details(el.tunnel));
    else if (el.type === 'group') children = el.children;
    children.forEach(visit);
  };
  const [acc] = accountElements([{ id: 'acc1', name: 'Acme' }]);
  visit({ ...(acc as Extract<Element, { type: 'account' }>), tree: account() });
  out.push(errorElement('root', new Error('boom')), { type: 'message', key: 'm', text: 'hi' });
  return out;
}

test('the view produces exactly the contextValues the manifest may key on, with unique ids', () => {
  const specs = walk().map((el, i) => itemSpec(el, i));
  const produced = new Set(specs.map((s) => s.contextValue));
  // A hostname no Access application covers gets `.open` (accessModel's withHostnameAccess).
  const open = hostnameAccess({ state: 'open', who: 'everyone (no Access application)', reason: '' });
  for (const [i, el] of walk().entries())
    if (el.type === 'hostname') produced.add(withHostnameAccess(itemSpec(el, i), open).contextValue);
  assert.deepEqual(
    [...produced].sort(),
    Object.values(CONTEXT_VALUES)
      .filter((v) => !v.startsWith('cftunnel.k8s.'))
      .sort(),
  );
  const ids = specs.map((s) => s.id);
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
});

test('tunnel items show health, config source and connector count', () => {
  const tree = account();
  const prod = itemSpec({
    type: 'tunnel',
    accountId: 'acc1',
    tunnel: details(tree.tunnels.find((t) => t.name === 'prod')!),
  });
  assert.equal(prod.icon, 'warning');
  assert.equal(prod.contextValue, CONTEXT_VALUES.tunnelRemote);
  assert.match(prod.description!, /^degraded · remote config · 1 connector · ⚠ 1$/);
  assert.match(prod.tooltip!, /api\.example\.com has an ingress rule but no proxied DNS route/);
  const home = itemSpec({ type: 'tunnel', accountId: 'acc1', tunnel: tree.tunnels.find((t) => t.name === 'home')! });
  assert.equal(home.icon, 'error');
  assert.equal(home.contextValue, CONTEXT_VALUES.tunnelLocal);
});

test('children: connectors with data centers and origin IP, hostnames, routes, warnings', () => {
  const tree = account();
  const prod = details(tree.tunnels.find((t) => t.name === 'prod')!);
  const children = tunnelChildren('acc1', prod);
  assert.deepEqual(
    children.map((c) => itemSpec(c).label),
    [
      'Connectors',
      'Public hostnames',
      'DNS routes',
      'api.example.com has an ingress rule but no proxied DNS route to this tunnel.',
    ],
  );
  const connectors = children[0] as Extract<Element, { type: 'group' }>;
  const connector = itemSpec(connectors.children[0]!);
  assert.equal(connector.label, 'cloudflared 2026.8.2');
  assert.equal(connector.description, 'linux_amd64 · ams01, fra08 · 198.51.100.21 · since 2026-01-15 10:00 UTC');
  const hostnames = (children[1] as Extract<Element, { type: 'group' }>).children.map((c) => itemSpec(c));
  assert.deepEqual(
    hostnames.map((h) => [h.label, h.description, h.icon]),
    [
      ['app.example.com', '→ http://web:80', 'globe'],
      ['api.example.com', '→ http://api:80 · no DNS route', 'warning'],
      ['catch-all', '→ http_status:404', 'arrow-right'],
    ],
  );
  assert.equal(itemSpec(children[1]!).contextValue, CONTEXT_VALUES.hostnamesRemoteGroup);
});

test('a local tunnel shows the workspace rules that name it, which open their file', () => {
  const home = details(account().tunnels.find((t) => t.name === 'home')!);
  const group = tunnelChildren('acc1', home)[1] as Extract<Element, { type: 'group' }>;
  const first = itemSpec(group.children[0]!);
  assert.deepEqual(first.open, { file: '/ws/config.yaml', line: 3 });
  assert.match(first.tooltip!, /From \/ws\/config\.yaml:4/);
  assert.equal(itemSpec(group).description, '2 · workspace config');
});

test('orphan routes are grouped under the account; an empty account says so', () => {
  const children = accountChildren(account());
  const orphans = children.at(-1) as Extract<Element, { type: 'group' }>;
  assert.equal(orphans.group, 'orphanRoutes');
  assert.equal(itemSpec(orphans.children[0]!).contextValue, CONTEXT_VALUES.orphanRoute);
  const empty = accountChildren({ ...account(), tunnels: [], orphanRoutes: [] });
  assert.equal(empty[0]!.type, 'message');
});

test('the status bar counts the tunnels of every account, not only the first', () => {
  const side = buildTunnelsTree({
    account: { id: 'acc2', name: 'Side' },
    tunnels: [
      { id: 'a3c1f7e2-0000-4000-8000-000000000001', name: 'blog', status: 'healthy', configSrc: 'cloudflare' },
      { id: 'a3c1f7e2-0000-4000-8000-000000000002', name: 'nas', status: 'inactive', configSrc: 'local' },
    ],
    zones: [],
    records: [],
  });
  const s = healthSummary([account(), side]);
  assert.deepEqual(
    { ...s, tooltip: undefined },
    { healthy: 1, total: 4, text: '1/4 healthy', tooltip: undefined, unhealthy: true },
  );
  assert.equal(
    s.tooltip,
    [
      'Cloudflare Tunnel: 2 accounts',
      '1 healthy, 1 degraded, 1 down, 1 inactive',
      'Acme: 0 healthy, 1 degraded, 1 down, 0 inactive',
      'Side: 1 healthy, 0 degraded, 0 down, 1 inactive',
      'Acme › home: down',
      'Acme › prod: degraded',
    ].join('\n'),
  );
  assert.equal(healthSummary([side]).text, '1/2 healthy', 'the pinned account alone');
});

test('errors become items with Sign in or Retry', () => {
  const unauthorized = Object.assign(new Error('Cloudflare did not accept the API token. Create a new one.'), {
    kind: 'unauthorized',
  });
  const signIn = itemSpec(errorElement('root', unauthorized));
  assert.equal(signIn.command?.command, COMMANDS.signIn);
  assert.equal(signIn.label, 'Cloudflare did not accept the API token.');
  assert.equal(itemSpec(errorElement('x', new Error('offline'))).command?.command, COMMANDS.refreshTunnels);
});

test('health summary and notifications on turning down or degraded', () => {
  const tree = account();
  assert.deepEqual(
    { ...healthSummary(tree), tooltip: undefined },
    { healthy: 0, total: 2, text: '0/2 healthy', tooltip: undefined, unhealthy: true },
  );
  const previous = new Map();
  assert.deepEqual(newlyUnhealthy(previous, tree.tunnels), [], 'first sight is not news');
  const healthy = tree.tunnels.map((t) => ({ ...t, status: 'healthy' as const }));
  assert.deepEqual(newlyUnhealthy(previous, healthy), []);
  assert.deepEqual(
    newlyUnhealthy(previous, tree.tunnels).map((t) => `${t.name}:${t.status}`),
    ['home:down', 'prod:degraded'],
  );
  assert.deepEqual(newlyUnhealthy(previous, tree.tunnels), [], 'no repeat while it stays so');
});

test('cert.pem is looked for where cloudflared looks, or where TUNNEL_ORIGIN_CERT says', () => {
  assert.deepEqual(certPemCandidates({}, '/home/u', 'linux'), [
    '/home/u/.cloudflared/cert.pem',
    '/home/u/.cloudflare-warp/cert.pem',
    '/home/u/cloudflare-warp/cert.pem',
    '/etc/cloudflared/cert.pem',
    '/usr/local/etc/cloudflared/cert.pem',
  ]);
  assert.equal(certPemCandidates({}, '/home/u', 'win32').length, 3);
  assert.deepEqual(certPemCandidates({ TUNNEL_ORIGIN_CERT: '~/x/cert.pem' }, '/home/u', 'linux'), [
    '/home/u/x/cert.pem',
  ]);
});

test('.gitignore gets the credentials file once', () => {
  assert.equal(
    gitignoreWithEntry('', '/k8s/credentials.json', 'Cloudflare Tunnel credentials (secret)'),
    '# Cloudflare Tunnel credentials (secret)\n/k8s/credentials.json\n',
  );
  assert.equal(
    gitignoreWithEntry('node_modules', '/credentials.json', 'Cloudflare Tunnel credentials (secret)'),
    'node_modules\n# Cloudflare Tunnel credentials (secret)\n/credentials.json\n',
  );
  assert.equal(gitignoreWithEntry('dist\ncredentials.json\n', '/credentials.json'), undefined);
  assert.equal(gitignoreWithEntry('/k8s/credentials.json\r\n', '/k8s/credentials.json'), undefined);
});

test('times print in UTC', () => {
  assert.equal(formatTime('2026-01-15T09:00:00.000Z'), '2026-01-15 09:00 UTC');
  assert.equal(formatTime(undefined), undefined);
  assert.equal(formatTime('soon'), 'soon');
});

test('an unproxied tunnel CNAME is a warning item that offers "Turn On Cloudflare Proxy" (and removal)', () => {
  const home = account().tunnels.find((t) => t.name === 'home')!;
  const route = home.routes.find((r) => r.hostname === 'nas.example.com')!;
  assert.equal(route.proxied, false);
  const spec = itemSpec({ type: 'route', accountId: 'acc1', tunnel: home, route });
  assert.equal(spec.contextValue, CONTEXT_VALUES.unproxiedRoute);
  assert.equal(spec.icon, 'warning');
  assert.match(spec.description!, /not proxied/);
  assert.match(spec.tooltip!, /Turn On Cloudflare Proxy/);
  assert.ok(
    home.warnings.includes(
      'nas.example.com points at this tunnel but is not proxied, so it does not resolve to the tunnel.',
    ),
  );
  const proxied = itemSpec({
    type: 'route',
    accountId: 'acc1',
    tunnel: home,
    route: home.routes.find((r) => r.hostname === 'home.example.com')!,
  });
  assert.equal(proxied.contextValue, CONTEXT_VALUES.route);
  assert.ok(Object.values(COMMANDS).includes('cftunnel.enableProxy'));
});

test('routing messages: the replace question lists every record and says the others go first', () => {
  const a = { id: 'a', name: 'www.example.com', type: 'A', content: '192.0.2.1', proxied: true };
  const aaaa = { id: 'b', name: 'www.example.com', type: 'AAAA', content: '2001:db8::1', proxied: true };
  const q = replaceRecordsQuestion(
    { kind: 'replace', hostname: 'www.example.com', records: [a, aaaa], keep: a, remove: [aaaa] },
    'prod',
  );
  assert.equal(
    q.message,
    'www.example.com already has 2 A/AAAA records. Replace them with a proxied CNAME to tunnel prod?',
  );
  assert.equal(
    q.detail,
    'www.example.com A 192.0.2.1 (proxied)\nwww.example.com AAAA 2001:db8::1 (proxied)\n' +
      'Cloudflare allows no CNAME beside other A, AAAA or CNAME records of a name: 1 of them is deleted first, then the last one becomes the CNAME.',
  );
  assert.equal(
    replaceRecordsQuestion({ kind: 'replace', hostname: 'www.example.com', records: [a], keep: a, remove: [] }, 'prod')
      .message,
    'www.example.com already has an A record. Replace it with a proxied CNAME to tunnel prod?',
  );
  assert.equal(
    routeOutcomeMessage({ kind: 'proxied' }, 'x.example.com', 'prod'),
    "Turned on Cloudflare's proxy for x.example.com: it now routes to tunnel prod.",
  );
  assert.equal(
    routeOutcomeMessage({ kind: 'unchanged' }, 'x.example.com', 'prod'),
    'x.example.com already routes to tunnel prod.',
  );
  assert.equal(
    routeOutcomeMessage({ kind: 'replaced' }, 'x.example.com', 'prod'),
    'Routed x.example.com to tunnel prod.',
  );
});

test('credentials.json: the folder of the config.yaml whose tunnel: names the tunnel (by id or by name)', () => {
  const tunnel = { id: 'C1744F8B-FAA1-48A4-9E5C-02AC921467FA', name: 'home' };
  assert.equal(configNamesTunnel('tunnel: c1744f8b-faa1-48a4-9e5c-02ac921467fa\ningress: []\n', tunnel), true);
  assert.equal(configNamesTunnel('# x\ntunnel: "home"   # the name\n', tunnel), true);
  assert.equal(configNamesTunnel('tunnel: homelab\n', tunnel), false);
  assert.equal(configNamesTunnel('  tunnel: home\n', tunnel), false, 'only the top-level key');
  assert.equal(
    credentialsFolderOf(
      [
        { path: '/ws/other/config.yaml', text: 'tunnel: prod\n' },
        {
          path: '/ws/deploy/home/config.yml',
          text: 'tunnel: home\ncredentials-file: /etc/cloudflared/credentials.json\n',
        },
      ],
      tunnel,
    ),
    '/ws/deploy/home',
  );
  assert.equal(credentialsFolderOf([{ path: '/ws/config.yaml', text: 'tunnel: prod\n' }], tunnel), undefined);
});

test('credentials.json: no .gitignore entry when git already ignores it; else the nearest .gitignore of its folder', () => {
  // The folder's own .gitignore covers it (the defect: a root entry was added anyway).
  assert.equal(
    credentialsGitignoreEdit('/ws', '/ws/deploy/home/credentials.json', [
      { dir: '/ws/deploy/home', text: 'credentials.json\n' },
    ]),
    undefined,
  );
  // A pattern in the root's .gitignore, a folder pattern in between.
  assert.equal(
    credentialsGitignoreEdit('/ws', '/ws/deploy/home/credentials.json', [
      { dir: '/ws', text: '**/credentials.json\n' },
    ]),
    undefined,
  );
  assert.equal(
    credentialsGitignoreEdit('/ws', '/ws/deploy/home/credentials.json', [{ dir: '/ws/deploy', text: 'home/\n' }]),
    undefined,
  );
  // Re-included deeper: not covered, so the entry goes to the deepest .gitignore, relative to it.
  assert.deepEqual(
    credentialsGitignoreEdit('/ws', '/ws/deploy/home/credentials.json', [
      { dir: '/ws', text: '*.json\n' },
      { dir: '/ws/deploy', text: '!credentials.json\n' },
    ]),
    {
      path: '/ws/deploy/.gitignore',
      entry: '/home/credentials.json',
      comment: 'Cloudflare Tunnel credentials (secret)',
      text: '!credentials.json\n# Cloudflare Tunnel credentials (secret)\n/home/credentials.json\n',
    },
  );
  // No .gitignore at all: the root's is created.
  assert.deepEqual(credentialsGitignoreEdit('/ws', '/ws/deploy/credentials.json', []), {
    path: '/ws/.gitignore',
    entry: '/deploy/credentials.json',
    comment: 'Cloudflare Tunnel credentials (secret)',
    text: '# Cloudflare Tunnel credentials (secret)\n/deploy/credentials.json\n',
  });
  // A .gitignore outside root..folder (a sibling) says nothing about the file.
  assert.deepEqual(
    credentialsGitignoreEdit('/ws', '/ws/a/credentials.json', [
      { dir: '/ws/b', text: 'credentials.json\n' },
      { dir: '/ws/a', text: 'dist/\n' },
    ]),
    {
      path: '/ws/a/.gitignore',
      entry: '/credentials.json',
      comment: 'Cloudflare Tunnel credentials (secret)',
      text: 'dist/\n# Cloudflare Tunnel credentials (secret)\n/credentials.json\n',
    },
  );
});
