/**
 * The Cluster Services view model (src/extension/kubernetes/model.ts): the join of workspace and
 * remote rules to tunnels, cloudflared Deployments to tunnels, the elements and how they look
 * (context values the menus key on, exposure icons, client commands), expose port choices, and
 * the Tunnels view's data as drift input.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTunnelsTree, withConnectors, withRemoteHostnames } from '../../../../src/core/cloudflare/tunnelsTree';
import type { AccountNode, TunnelNode } from '../../../../src/core/cloudflare/tunnelsTree';
import type { DriftFinding } from '../../../../src/core/drift';
import { buildServicesTree } from '../../../../src/core/kubernetes/servicesTree';
import type { TreeServiceInput } from '../../../../src/core/kubernetes/servicesTree';
import {
  childrenOf,
  deploymentInputs,
  driftCloudflare,
  errorElement,
  findTunnel,
  hostnameClientCommand,
  hostnameRules,
  itemSpec,
  portChoices,
  rootElements,
  suggestHostname,
} from '../../../../src/extension/kubernetes/model';
import type { Element, KnownTunnel } from '../../../../src/extension/kubernetes/model';
import { COMMANDS } from '../../../../src/shared/commands';
import { CONTEXT_VALUES } from '../../../../src/shared/contextValues';

const REMOTE = '6ff42ae2-765d-4adf-8112-31c55c1551ef';
const LOCAL = 'c1744f8b-faa1-48a4-9e5c-02ac921467fa';

function account(): AccountNode {
  return buildTunnelsTree({
    account: { id: 'acc1', name: 'Acme' },
    tunnels: [
      { id: REMOTE, name: 'prod-k8s', status: 'healthy', configSrc: 'cloudflare' },
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
        name: 'pg.example.com',
        type: 'CNAME',
        content: `${LOCAL}.cfargotunnel.com`,
        proxied: false,
      },
    ],
  });
}

function known(): KnownTunnel[] {
  return account().tunnels.map((t): KnownTunnel => {
    if (t.configSrc !== 'cloudflare') return { accountId: 'acc1', tunnel: t };
    const loaded: TunnelNode = withRemoteHostnames(withConnectors(t, []), [
      { hostname: 'app.example.com', service: 'http://web.default.svc.cluster.local:80' },
      { hostname: 'ssh.example.com', service: 'ssh://bastion.default:22' },
      { service: 'http_status:404' },
    ]);
    return { accountId: 'acc1', tunnel: loaded };
  });
}

const SERVICES: TreeServiceInput[] = [
  {
    namespace: 'default',
    name: 'web',
    type: 'ClusterIP',
    clusterIP: '10.96.12.40',
    ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
  },
  {
    namespace: 'default',
    name: 'bastion',
    clusterIP: '10.96.12.50',
    ports: [{ name: 'ssh', port: 22, protocol: 'TCP' }],
  },
  {
    namespace: 'data',
    name: 'postgres',
    clusterIP: '10.96.20.5',
    ports: [
      { port: 5432, protocol: 'TCP' },
      { name: 'metrics', port: 9187, protocol: 'UDP' },
    ],
  },
];

const WORKSPACE_RULES = [
  {
    tunnel: 'home',
    hostname: 'pg.example.com',
    service: 'tcp://postgres.data.svc.cluster.local:5432',
    file: '/ws/config.yaml',
    line: 4,
  },
  {
    tunnel: 'unknown-tunnel',
    hostname: 'x.example.com',
    service: 'http://nowhere.default:80',
    file: '/ws/other.yaml',
    line: 2,
  },
  { tunnel: 'home', service: 'http_status:404', file: '/ws/config.yaml', line: 6 },
];

function tree() {
  const tunnels = known();
  return buildServicesTree({
    context: { name: 'kind-dev', server: 'https://127.0.0.1:6443' },
    services: SERVICES,
    rules: hostnameRules(WORKSPACE_RULES, tunnels),
    deployments: deploymentInputs(
      [
        {
          namespace: 'cloudflared',
          name: 'prod-connector',
          desired: 2,
          ready: 1,
          version: '2026.8.2',
          tunnelRef: 'prod-k8s',
          pods: [
            { name: 'prod-connector-a', ready: true, phase: 'Running' },
            { name: 'prod-connector-b', ready: false, phase: 'Pending', reason: 'ImagePullBackOff' },
          ],
        },
      ],
      tunnels,
    ),
  });
}

function walk(roots: Element[]): Element[] {
  const out: Element[] = [];
  const visit = (el: Element): void => {
    out.push(el);
    for (const c of childrenOf(el)) visit(c);
  };
  roots.forEach(visit);
  return out;
}

describe('joins', () => {
  it('finds tunnels by UUID (any case) or name', () => {
    const t = known();
    assert.equal(findTunnel(t, REMOTE.toUpperCase())?.tunnel.name, 'prod-k8s');
    assert.equal(findTunnel(t, 'home')?.tunnel.id, LOCAL);
    assert.equal(findTunnel(t, 'nope'), undefined);
    assert.equal(findTunnel(t, undefined), undefined);
  });

  it('resolves workspace rules to tunnels and adds the remote rules of remotely-managed tunnels', () => {
    const rules = hostnameRules(WORKSPACE_RULES, known());
    const pg = rules.find((r) => r.hostname === 'pg.example.com')!;
    assert.deepEqual(pg, {
      service: 'tcp://postgres.data.svc.cluster.local:5432',
      source: 'workspace',
      hostname: 'pg.example.com',
      tunnelId: LOCAL,
      tunnelName: 'home',
      file: '/ws/config.yaml',
      line: 4,
    });
    const unknown = rules.find((r) => r.hostname === 'x.example.com')!;
    assert.equal(unknown.tunnelId, undefined);
    assert.equal(unknown.tunnelName, 'unknown-tunnel');
    const remote = rules.filter((r) => r.source === 'remote');
    assert.deepEqual(
      remote.map((r) => r.hostname),
      ['app.example.com', 'ssh.example.com', undefined],
    );
    assert.ok(remote.every((r) => r.tunnelId === REMOTE && r.tunnelName === 'prod-k8s'));
  });

  it('maps cloudflared Deployments to their tunnel by name or UUID', () => {
    const d = deploymentInputs(
      [
        { namespace: 'a', name: 'by-name', desired: 1, ready: 1, tunnelRef: 'home' },
        { namespace: 'a', name: 'by-uuid', desired: 1, ready: 1, tunnelRef: 'AAAAAAAA-765D-4ADF-8112-31C55C1551EF' },
        { namespace: 'a', name: 'token', desired: 1, ready: 1 },
      ],
      known(),
    );
    assert.deepEqual(
      d.map((x) => [x.tunnelId, x.tunnelName]),
      [
        [LOCAL, 'home'],
        ['aaaaaaaa-765d-4adf-8112-31c55c1551ef', undefined],
        [undefined, undefined],
      ],
    );
    assert.ok(d.every((x) => !('tunnelRef' in x)));
  });
});

describe('elements and items', () => {
  const node = tree();
  const finding: DriftFinding = {
    id: 'f1',
    code: 'drift-pods-not-ready',
    severity: 'warning',
    message: 'cloudflared/prod-connector: 1 of 2 pods ready',
    actions: [{ kind: 'show-logs', title: 'Show logs', data: { namespace: 'cloudflared', name: 'prod-connector' } }],
  };
  const all = walk(rootElements(node, 2, [finding]));
  const find = (pred: (e: Element) => boolean): Element => {
    const el = all.find(pred);
    assert.ok(el);
    return el;
  };

  it('starts with the context, then Problems only when there are findings', () => {
    assert.deepEqual(
      rootElements(node, 1, []).map((e) => e.type),
      ['context'],
    );
    assert.deepEqual(
      rootElements(node, 1, undefined).map((e) => e.type),
      ['context'],
    );
    const roots = rootElements(node, 2, [finding]);
    assert.deepEqual(
      roots.map((e) => e.type),
      ['context', 'problems'],
    );
    const spec = itemSpec(roots[1]!);
    assert.equal(spec.description, '1 finding');
    assert.equal(spec.icon, 'warning');
    assert.equal(spec.contextValue, CONTEXT_VALUES.kubeProblems);
  });

  it('shows context → namespaces → cloudflared and Services', () => {
    const ctx = itemSpec(find((e) => e.type === 'context'));
    assert.equal(ctx.label, 'kind-dev');
    assert.equal(ctx.collapsible, 'expanded');
    assert.equal(ctx.contextValue, CONTEXT_VALUES.kubeContext);
    const namespaces = all.filter((e) => e.type === 'namespace').map((e) => itemSpec(e).label);
    assert.deepEqual(namespaces, ['cloudflared', 'data', 'default']);
    const web = itemSpec(find((e) => e.type === 'service' && e.node.name === 'web'));
    assert.equal(web.contextValue, CONTEXT_VALUES.kubeServiceExposed);
    assert.equal(web.icon, 'globe');
    assert.match(web.description!, /ClusterIP · 10\.96\.12\.40 · 80\/TCP · 1 hostname/);
    assert.match(web.tooltip!, /Exposed through tunnel prod-k8s \(app\.example\.com/);
  });

  it('marks unexposed Services and gives every element a unique id', () => {
    const ids = all.map((e) => itemSpec(e).id);
    assert.equal(new Set(ids).size, ids.length);
    const built = buildServicesTree({
      context: { name: 'c' },
      services: [{ namespace: 'x', name: 'lonely', ports: [{ port: 80 }] }],
    });
    const svc = walk(rootElements(built, 1, [])).find((e) => e.type === 'service')!;
    const spec = itemSpec(svc);
    assert.equal(spec.contextValue, CONTEXT_VALUES.kubeService);
    assert.equal(spec.icon, 'symbol-interface');
    assert.equal(spec.collapsible, 'none');
    assert.match(spec.tooltip!, /Not exposed/);
  });

  it('offers Copy Client Command only for tcp/ssh/rdp/smb hostnames', () => {
    const pg = find((e) => e.type === 'hostname' && e.node.hostname === 'pg.example.com');
    const pgSpec = itemSpec(pg);
    assert.equal(pgSpec.contextValue, CONTEXT_VALUES.kubeHostnameClient);
    assert.deepEqual(pgSpec.open, { file: '/ws/config.yaml', line: 4 });
    assert.match(pgSpec.tooltip!, /cloudflared access tcp --hostname pg\.example\.com --url localhost:5432/);
    const ssh = find((e) => e.type === 'hostname' && e.node.hostname === 'ssh.example.com');
    assert.equal(itemSpec(ssh).contextValue, CONTEXT_VALUES.kubeHostnameClient);
    assert.match(
      hostnameClientCommand({ hostname: 'ssh.example.com', service: 'ssh://bastion.default:22' })!,
      /ProxyCommand cloudflared access ssh --hostname %h/,
    );
    const app = find((e) => e.type === 'hostname' && e.node.hostname === 'app.example.com');
    assert.equal(itemSpec(app).contextValue, CONTEXT_VALUES.kubeHostname);
    assert.equal(itemSpec(app).icon, 'cloud');
    assert.equal(hostnameClientCommand({ service: 'tcp://x:1' }), undefined);
  });

  it('shows cloudflared readiness, version and pods that stream logs on click', () => {
    const d = itemSpec(find((e) => e.type === 'cloudflared'));
    assert.equal(d.contextValue, CONTEXT_VALUES.kubeCloudflared);
    assert.equal(d.icon, 'warning');
    assert.match(d.description!, /1\/2 ready · 2026\.8\.2 · tunnel prod-k8s/);
    const pods = all.filter((e) => e.type === 'pod').map(itemSpec);
    assert.deepEqual(
      pods.map((p) => [p.label, p.icon, p.contextValue]),
      [
        ['prod-connector-a', 'pass', CONTEXT_VALUES.kubePod],
        ['prod-connector-b', 'circle-slash', CONTEXT_VALUES.kubePod],
      ],
    );
    assert.equal(pods[0]!.command?.command, COMMANDS.showPodLogs);
    assert.match(pods[1]!.description!, /ImagePullBackOff/);
  });

  it('lists findings under Problems with their actions', () => {
    const f = itemSpec(find((e) => e.type === 'finding'));
    assert.equal(f.contextValue, CONTEXT_VALUES.kubeFinding);
    assert.equal(f.command?.command, COMMANDS.showDriftReport);
    assert.match(f.tooltip!, /Actions: Show logs/);
  });

  it('turns errors into Retry items and every context value into a known one', () => {
    const err = itemSpec(errorElement('cluster', new Error('Unauthorized: log in again')));
    assert.equal(err.command?.command, COMMANDS.refreshServices);
    assert.equal(err.label, 'Unauthorized: log in again');
    const values: string[] = Object.values(CONTEXT_VALUES);
    for (const el of all) assert.ok(values.includes(itemSpec(el).contextValue));
  });

  it('shows the RBAC note and unresolved rules under the context', () => {
    const partial = buildServicesTree({
      context: { name: 'c' },
      services: SERVICES,
      partial: true,
      note: 'Only namespaces a, b could be listed.',
      rules: [{ hostname: 'gone.example.com', service: 'http://gone.default.svc:80', source: 'remote' }],
    });
    const kids = childrenOf(rootElements(partial, 1, [])[0]!);
    assert.equal(itemSpec(kids[0]!).label, 'Only namespaces a, b could be listed.');
    assert.ok(
      kids.some(
        (k) =>
          k.type === 'message' && /gone\.example\.com → http:\/\/gone\.default\.svc:80: no such Service/.test(k.text),
      ),
    );
    assert.equal(itemSpec(rootElements(partial, 1, [])[0]!).icon, 'warning');
  });
});

describe('expose', () => {
  it('offers TCP ports with rules on the DNS name, never the ClusterIP', () => {
    const node = tree();
    const pg = node.namespaces.find((n) => n.name === 'data')!.services[0]!;
    const choices = portChoices(pg);
    assert.equal(choices.length, 1, 'the UDP port is not offered');
    assert.equal(choices[0]!.url, 'tcp://postgres.data.svc.cluster.local:5432');
    assert.match(choices[0]!.description, /not HTTP/);
    const web = node.namespaces.find((n) => n.name === 'default')!.services.find((s) => s.name === 'web')!;
    assert.deepEqual(
      portChoices(web).map((c) => c.url),
      ['http://web.default.svc.cluster.local:80'],
    );
    assert.deepEqual(
      portChoices(web, 'corp.internal').map((c) => c.url),
      ['http://web.default.svc.corp.internal:80'],
    );
    for (const c of [...choices, ...portChoices(web)]) assert.ok(!c.url.includes('10.96.'));
  });

  it('suggests name.zone', () => {
    assert.equal(suggestHostname({ name: 'grafana' }, 'example.com'), 'grafana.example.com');
    assert.equal(suggestHostname({ name: 'My_App' }, 'example.com'), 'my-app.example.com');
    assert.equal(suggestHostname({ name: 'web' }, undefined), 'web');
  });
});

describe('drift input', () => {
  it('takes tunnels with their remote rules and the tunnel CNAMEs', () => {
    const acc = account();
    const { tunnels, dnsRecords, zones } = driftCloudflare([acc], known());
    assert.deepEqual(zones, [{ id: 'z1', name: 'example.com' }]);
    const remote = tunnels.find((t) => t.id === REMOTE)!;
    assert.equal(remote.configSrc, 'cloudflare');
    assert.deepEqual(remote.remoteRules, [
      { service: 'http://web.default.svc.cluster.local:80', hostname: 'app.example.com' },
      { service: 'ssh://bastion.default:22', hostname: 'ssh.example.com' },
      { service: 'http_status:404' },
    ]);
    assert.equal(tunnels.find((t) => t.id === LOCAL)!.remoteRules, undefined);
    assert.deepEqual(dnsRecords.map((r) => [r.id, r.name, r.content, r.proxied]).sort(), [
      ['r1', 'app.example.com', `${REMOTE}.cfargotunnel.com`, true],
      ['r2', 'pg.example.com', `${LOCAL}.cfargotunnel.com`, false],
    ]);
  });
});
