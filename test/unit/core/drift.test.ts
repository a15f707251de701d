import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkConfigText } from '../../../src/core/config/check';
import { driftConfigFromText, driftDiagnostics, findDrift } from '../../../src/core/drift';
import type { DriftFinding, DriftInput, DriftWorkspaceConfig } from '../../../src/core/drift';
import { applyEdits } from '../../../src/core/edits';
import { LineMap } from '../../../src/core/text';
import type { Range } from '../../../src/core/types';
import { yaml } from '../../support/config';

const PROD = '6ff42ae2-765d-4adf-8112-31c55c1551ef';
const HOME = 'c1744f8b-faa1-48a4-9e5c-02ac921467fa';
const OLD = '0f6cbb4b-7d02-4a8f-9f6e-7bdf0b6b3a11';
const GONE = 'aa6cbb4b-7d02-4a8f-9f6e-7bdf0b6b3a22';
const PATH = '/ws/cloudflared/config.yaml';

const HOME_CONFIG = yaml`
  tunnel: home
  credentials-file: /etc/cloudflared/creds/credentials.json
  ingress:
    - hostname: home.example.com
      service: http://web.apps.svc.cluster.local:80
    - hostname: "*.apps.example.com"
      service: http://web.apps.svc:80
    - service: http_status:404
`;

function config(text: string, path = PATH): DriftWorkspaceConfig {
  const cfg = driftConfigFromText(path, text);
  assert.ok(cfg);
  return cfg;
}

function cname(id: string, name: string, tunnelId: string, proxied = true) {
  return {
    id,
    zoneId: 'z1',
    zoneName: 'example.com',
    name,
    type: 'CNAME',
    content: `${tunnelId}.cfargotunnel.com`,
    proxied,
  };
}

/** Account, cluster and workspace that agree with each other. */
function clean(): DriftInput {
  return {
    clusterConnected: true,
    services: [
      { name: 'web', namespace: 'apps', clusterIP: '10.96.0.10', ports: [{ port: 80, name: 'http' }] },
      { name: 'db', namespace: 'data', clusterIP: '10.96.0.50', ports: [{ port: 5432, name: 'postgres' }] },
      { name: 'kube-dns', namespace: 'kube-system', clusterIP: '10.96.0.53', ports: [{ port: 53 }] },
      {
        name: 'api',
        namespace: 'apps',
        clusterIP: '10.96.1.20',
        ports: [
          { port: 8080, name: 'http' },
          { port: 9090, name: 'metrics' },
        ],
      },
    ],
    tunnels: [
      {
        id: PROD,
        name: 'prod',
        status: 'healthy',
        configSrc: 'cloudflare',
        connectorCount: 2,
        remoteRules: [
          { hostname: 'app.example.com', service: 'http://web.apps.svc.cluster.local:80' },
          { hostname: 'db.example.com', service: 'tcp://db.data.svc.cluster.local:5432' },
          { hostname: 'api.example.com', path: '^/v1/', service: 'http://api.apps:8080' },
          { service: 'http_status:404' },
        ],
      },
      { id: HOME, name: 'home', status: 'healthy', configSrc: 'local', connectorCount: 1 },
      { id: OLD, name: 'old', status: 'inactive', configSrc: 'local', deleted: true },
    ],
    dnsRecords: [
      cname('r1', 'app.example.com', PROD),
      cname('r2', 'db.example.com', PROD),
      cname('r3', 'api.example.com', PROD),
      cname('r4', 'home.example.com', HOME),
      cname('r5', '*.apps.example.com', HOME),
      {
        id: 'r6',
        zoneId: 'z1',
        zoneName: 'example.com',
        name: 'www.example.com',
        type: 'A',
        content: '192.0.2.10',
        proxied: true,
      },
      {
        id: 'r7',
        zoneId: 'z1',
        zoneName: 'example.com',
        name: 'example.com',
        type: 'TXT',
        content: 'v=spf1 -all',
        proxied: false,
      },
    ],
    workspaceConfigs: [config(HOME_CONFIG)],
    deployments: [
      { name: 'cloudflared', namespace: 'tunnels', ready: 2, desired: 2, tunnelRef: 'home' },
      { name: 'cloudflared-prod', namespace: 'tunnels', ready: 2, desired: 2, tunnelRef: PROD },
    ],
  };
}

function only(findings: DriftFinding[], code: string): DriftFinding {
  const found = findings.filter((f) => f.code === code);
  assert.equal(
    found.length,
    1,
    `expected one ${code}, got ${JSON.stringify(
      findings.map((f) => [f.code, f.message]),
      null,
      1,
    )}`,
  );
  return found[0]!;
}

function codes(findings: DriftFinding[]): string[] {
  return findings.map((f) => f.code);
}

function textAt(text: string, r: Range): string {
  const lines = new LineMap(text);
  return text.slice(lines.offset(r.start), lines.offset(r.end));
}

function withHomeConfig(input: DriftInput, text: string): { input: DriftInput; text: string } {
  return { input: { ...input, workspaceConfigs: [config(text)] }, text };
}

test('clean: cluster, account and workspace agree → no findings', () => {
  assert.deepEqual(findDrift(clean()), []);
});

// ── Services ──────────────────────────────────────────────────────────────────────────────

test('drift-service-missing: a rule names a Service the cluster does not have; the fix is its DNS name', () => {
  const { input, text } = withHomeConfig(
    clean(),
    HOME_CONFIG.replace('http://web.apps.svc.cluster.local:80', 'http://webb.apps.svc.cluster.local:80'),
  );
  const f = only(findDrift(input), 'drift-service-missing');
  assert.equal(f.severity, 'warning');
  assert.match(
    f.message,
    /No Service 'webb' in namespace 'apps' in the cluster: cloudflared cannot resolve webb\.apps\.svc\.cluster\.local \(no such host\)/,
  );
  assert.equal(f.tunnelId, HOME);
  assert.equal(f.hostname, 'home.example.com');
  assert.equal(textAt(text, f.location!.range), 'http://webb.apps.svc.cluster.local:80');
  assert.deepEqual(
    f.actions.map((a) => a.kind),
    ['rewrite-service', 'remove-rule'],
  );

  const [d] = driftDiagnostics(findDrift(input), PATH);
  assert.equal(d!.code, 'drift-service-missing');
  const fix = d!.fixes!.find((x) => x.isPreferred)!;
  assert.equal(fix.title, "Use Service 'web' in namespace 'apps'");
  const fixed = applyEdits(text, fix.edits);
  assert.equal(fixed, HOME_CONFIG);
  assert.deepEqual(
    checkConfigText(fixed).diagnostics.filter((x) => x.severity === 'error'),
    [],
  );
});

test('drift-service-missing: the same name in another namespace is offered', () => {
  const input = clean();
  input.tunnels[0]!.remoteRules![1] = { hostname: 'db.example.com', service: 'tcp://db.apps.svc:5432' };
  const f = only(findDrift(input), 'drift-service-missing');
  assert.match(f.message, /A Service 'db' exists in namespace 'data'/);
  assert.equal(f.location, undefined, 'remote rules have no place in a file');
  const rewrite = f.actions.find((a) => a.kind === 'rewrite-service');
  assert.deepEqual(rewrite, {
    kind: 'rewrite-service',
    title: "Use Service 'db' in namespace 'data'",
    preferred: true,
    data: {
      target: { source: 'remote', tunnelId: PROD, ruleIndex: 1 },
      from: 'tcp://db.apps.svc:5432',
      to: 'tcp://db.data.svc.cluster.local:5432',
    },
  });
  assert.ok(f.actions.some((a) => a.kind === 'open-config'));
});

test('service hosts: name, name.ns, name.ns.svc, name.ns.svc.cluster.local; bare names only where the pods run', () => {
  const run = (service: string, deployNamespace = 'tunnels'): string[] => {
    const input = clean();
    input.deployments![0]!.namespace = deployNamespace;
    return codes(
      findDrift(withHomeConfig(input, HOME_CONFIG.replace('http://web.apps.svc.cluster.local:80', service)).input),
    );
  };
  for (const ok of [
    'http://web.apps:80',
    'http://web.apps.svc:80',
    'http://WEB.apps.svc.cluster.local',
    'http://api.example:80',
    'http://localhost:8080',
  ]) {
    assert.deepEqual(run(ok, 'nowhere'), [], ok);
  }
  assert.deepEqual(run('http://web:80', 'apps'), []);
  assert.deepEqual(run('http://wbe:80', 'apps'), ['drift-service-missing']);
  assert.deepEqual(
    run('http://web:80', 'tunnels'),
    ['drift-service-missing'],
    "a bare name resolves in the pods' namespace only",
  );
  const unknown = clean();
  unknown.deployments = [];
  assert.deepEqual(
    codes(
      findDrift(
        withHomeConfig(unknown, HOME_CONFIG.replace('http://web.apps.svc.cluster.local:80', 'http://wbe:80')).input,
      ),
    ),
    [],
    "pods' namespace unknown",
  );
  assert.deepEqual(run('http://gone.apps:80'), ['drift-service-missing']);
  assert.deepEqual(
    run('http://gone.other.svc.cluster.local:80'),
    ['drift-service-missing'],
    'full names are judged even in a namespace without Services',
  );
  assert.deepEqual(run('http://web.apps.svc.k8s.internal:80'), [], 'another cluster domain is not a Service name');
  const custom = clean();
  custom.clusterDomain = 'k8s.internal';
  assert.deepEqual(
    codes(
      findDrift(
        withHomeConfig(custom, HOME_CONFIG.replace('web.apps.svc.cluster.local:80', 'gone.apps.svc.k8s.internal:80'))
          .input,
      ),
    ),
    ['drift-service-missing'],
  );
});

test('drift-port-missing: the Service exists without that port; the fixes are its ports', () => {
  const { input, text } = withHomeConfig(
    clean(),
    HOME_CONFIG.replace('http://web.apps.svc:80', 'http://web.apps.svc:8080'),
  );
  const f = only(findDrift(input), 'drift-port-missing');
  assert.match(f.message, /Service 'web' in namespace 'apps' has no port 8080: its ports are 80 \(http\)/);
  assert.equal(textAt(text, f.location!.range), 'http://web.apps.svc:8080');
  const [d] = driftDiagnostics(findDrift(input), PATH);
  assert.equal(applyEdits(text, d!.fixes![0]!.edits), HOME_CONFIG);

  const implicit = clean();
  implicit.tunnels[0]!.remoteRules![2] = { hostname: 'api.example.com', service: 'https://api.apps.svc.cluster.local' };
  const g = only(findDrift(implicit), 'drift-port-missing');
  assert.match(g.message, /has no port 443 \(the default port of https\)/);
  assert.deepEqual(
    g.actions.filter((a) => a.kind === 'rewrite-service').map((a) => a.kind === 'rewrite-service' && a.data.to),
    ['https://api.apps.svc.cluster.local:8080', 'https://api.apps.svc.cluster.local:9090'],
  );
});

test('drift-ip-is-cluster-ip: a rule on a ClusterIP is offered the DNS name', () => {
  const { input, text } = withHomeConfig(
    clean(),
    HOME_CONFIG.replace('http://web.apps.svc.cluster.local:80', 'http://10.96.1.20:8080'),
  );
  const f = only(findDrift(input), 'drift-ip-is-cluster-ip');
  assert.equal(f.severity, 'information');
  assert.match(f.message, /10\.96\.1\.20 is the ClusterIP of Service 'api' in namespace 'apps'/);
  const [d] = driftDiagnostics(findDrift(input), PATH);
  const fixed = applyEdits(text, d!.fixes![0]!.edits);
  assert.ok(fixed.includes('service: http://api.apps.svc.cluster.local:8080'), fixed);
  assert.deepEqual(findDrift({ ...input, workspaceConfigs: [config(fixed)] }), []);
});

test('drift-ip-not-cluster-ip: an IP in the Service range that no Service has any more', () => {
  const input = clean();
  input.tunnels[0]!.remoteRules![0] = { hostname: 'app.example.com', service: 'http://10.96.33.4:80' };
  const f = only(findDrift(input), 'drift-ip-not-cluster-ip');
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /no Service has this ClusterIP any more/);
  const rewrite = f.actions.find((a) => a.kind === 'rewrite-service');
  assert.equal(rewrite?.kind === 'rewrite-service' && rewrite.data.to, 'http://web.apps.svc.cluster.local:80');
  assert.equal(rewrite?.preferred, true);

  // A LAN host or a pod address outside the span of ClusterIPs is not judged...
  for (const ip of ['192.168.1.20', '10.244.1.5', '127.0.0.1']) {
    input.tunnels[0]!.remoteRules![0] = { hostname: 'app.example.com', service: `http://${ip}:80` };
    assert.deepEqual(codes(findDrift(input)), [], ip);
  }
  // ...unless the Service CIDR says so.
  input.serviceCIDRs = ['10.0.0.0/8'];
  input.tunnels[0]!.remoteRules![0] = { hostname: 'app.example.com', service: 'http://10.244.1.5:80' };
  assert.deepEqual(codes(findDrift(input)), ['drift-ip-not-cluster-ip']);
});

test('no cluster: nothing is said about Services or pods', () => {
  const { input } = withHomeConfig(
    clean(),
    HOME_CONFIG.replace('http://web.apps.svc.cluster.local:80', 'http://gone.apps.svc.cluster.local:80'),
  );
  input.deployments![0]!.ready = 0;
  assert.deepEqual(codes(findDrift({ ...input, clusterConnected: false })), []);
  assert.deepEqual(codes(findDrift({ ...input, services: undefined })), ['drift-pods-not-ready']);
});

// ── DNS ───────────────────────────────────────────────────────────────────────────────────

test('drift-hostname-without-dns: a workspace rule whose hostname is not routed to the tunnel', () => {
  const text = HOME_CONFIG.replace(
    '  - service: http_status:404',
    '  - hostname: new.example.com\n    service: http://web.apps.svc.cluster.local:80\n  - service: http_status:404',
  );
  const { input } = withHomeConfig(clean(), text);
  const f = only(findDrift(input), 'drift-hostname-without-dns');
  assert.match(f.message, /new\.example\.com has an ingress rule of tunnel 'home' but no DNS record routes it there/);
  assert.equal(textAt(text, f.location!.range), 'new.example.com');
  assert.deepEqual(f.actions[0], {
    kind: 'create-dns-route',
    title: "Route new.example.com to 'home' (proxied CNAME)",
    preferred: true,
    data: { tunnelId: HOME, hostname: 'new.example.com', overwrite: false, zoneId: 'z1' },
  });
  assert.equal(f.actions[1]!.kind, 'remove-rule');
  const [d] = driftDiagnostics(findDrift(input), PATH);
  assert.equal(d!.code, 'drift-hostname-without-dns');
  assert.equal(d!.fixes, undefined, 'routes are actions, not text edits');
});

test('drift-hostname-without-dns: an A record, a record to another serving tunnel, a hostname outside the zones', () => {
  const a = clean();
  a.tunnels[0]!.remoteRules!.splice(0, 0, {
    hostname: 'www.example.com',
    service: 'http://web.apps.svc.cluster.local:80',
  });
  const fa = only(findDrift(a), 'drift-hostname-without-dns');
  assert.match(fa.message, /www\.example\.com has an A record \(192\.0\.2\.10\), not a CNAME to tunnel 'prod'/);
  assert.equal(fa.actions[0]!.kind === 'create-dns-route' && fa.actions[0]!.data.overwrite, true);

  const both = clean();
  both.tunnels[0]!.remoteRules!.splice(0, 0, {
    hostname: 'home.example.com',
    service: 'http://web.apps.svc.cluster.local:80',
  });
  const fb = only(findDrift(both), 'drift-hostname-without-dns');
  assert.equal(fb.tunnelId, PROD);
  assert.match(fb.message, /home\.example\.com is routed to tunnel 'home', not to 'prod'/);

  const outside = clean();
  outside.zones = [{ id: 'z1', name: 'example.com' }];
  outside.tunnels[0]!.remoteRules!.splice(0, 0, {
    hostname: 'app.other.org',
    service: 'http://web.apps.svc.cluster.local:80',
  });
  const fc = only(findDrift(outside), 'drift-hostname-without-dns');
  assert.match(fc.message, /in no zone of this account/);
  assert.deepEqual(
    fc.actions.map((x) => x.kind),
    ['remove-rule'],
  );
});

test('wildcards: a wildcard record covers names under it, and a wildcard rule serves records under it', () => {
  const input = clean();
  input.tunnels[0]!.remoteRules!.splice(0, 0, {
    hostname: '*.shop.example.com',
    service: 'http://web.apps.svc.cluster.local:80',
  });
  input.dnsRecords.push(cname('w1', 'eu.shop.example.com', PROD));
  input.dnsRecords.push(cname('w2', '*.dev.example.com', PROD));
  input.tunnels[0]!.remoteRules!.splice(0, 0, {
    hostname: 'a.dev.example.com',
    service: 'http://web.apps.svc.cluster.local:80',
  });
  input.dnsRecords.push(cname('w3', 'x.apps.example.com', HOME));
  assert.deepEqual(findDrift(input), []);
});

test('drift-dns-not-proxied: a DNS-only CNAME to a tunnel resolves to nothing', () => {
  const input = clean();
  input.dnsRecords[3] = cname('r4', 'home.example.com', HOME, false);
  const f = only(findDrift(input), 'drift-dns-not-proxied');
  assert.equal(f.recordId, 'r4');
  assert.equal(f.location?.path, PATH);
  assert.deepEqual(f.actions[0]!.kind === 'create-dns-route' && f.actions[0]!.data, {
    tunnelId: HOME,
    hostname: 'home.example.com',
    overwrite: true,
    zoneId: 'z1',
  });
});

test('drift-cname-without-rule: a tunnel CNAME no rule serves; for a local tunnel it sits on the catch-all', () => {
  const input = clean();
  input.dnsRecords.push(cname('s1', 'stale.example.com', PROD), cname('s2', 'legacy.example.com', HOME));
  const found = findDrift(input).filter((f) => f.code === 'drift-cname-without-rule');
  assert.deepEqual(
    found.map((f) => [f.hostname, f.tunnelId]),
    [
      ['stale.example.com', PROD],
      ['legacy.example.com', HOME],
    ],
  );
  assert.match(
    found[0]!.message,
    /stale\.example\.com is routed to tunnel 'prod', but no ingress rule of the tunnel serves it/,
  );
  assert.deepEqual(
    found[0]!.actions.map((a) => a.kind),
    ['add-rule', 'delete-dns-record', 'open-config'],
  );
  assert.equal(found[0]!.location, undefined);
  assert.equal(textAt(HOME_CONFIG, found[1]!.location!.range).trim(), 'service: http_status:404');

  // Rules not loaded yet: nothing is claimed.
  delete input.tunnels[0]!.remoteRules;
  assert.deepEqual(
    findDrift(input).map((f) => f.hostname),
    ['legacy.example.com'],
  );
});

test('drift-cname-deleted-tunnel: CNAMEs to a deleted or unknown tunnel', () => {
  const input = clean();
  input.dnsRecords.push(cname('d1', 'old.example.com', OLD), cname('d2', 'gone.example.com', GONE));
  const found = findDrift(input).filter((f) => f.code === 'drift-cname-deleted-tunnel');
  assert.equal(found.length, 2);
  assert.match(
    found[0]!.message,
    /old\.example\.com points at tunnel 'old' \(0f6cbb4b-[0-9a-f-]+\), which was deleted/,
  );
  assert.match(found[1]!.message, /points at tunnel aa6cbb4b-[0-9a-f-]+, which is not in this account/);
  assert.deepEqual(found[0]!.actions, [
    {
      kind: 'delete-dns-record',
      title: 'Delete the DNS record old.example.com',
      preferred: true,
      data: { zoneId: 'z1', recordId: 'd1', hostname: 'old.example.com' },
    },
  ]);

  // A live tunnel has a rule for it: re-point it there (preferred), and the rule's line shows it.
  const text = HOME_CONFIG.replace(
    '  - service: http_status:404',
    '  - hostname: old.example.com\n    service: http://web.apps.svc.cluster.local:80\n  - service: http_status:404',
  );
  const moved = withHomeConfig(input, text).input;
  const f = findDrift(moved).find((x) => x.hostname === 'old.example.com')!;
  assert.equal(f.code, 'drift-cname-deleted-tunnel');
  assert.match(f.message, /Tunnel 'home' has a rule for it/);
  assert.deepEqual(f.actions[0], {
    kind: 'create-dns-route',
    title: "Point old.example.com at tunnel 'home'",
    preferred: true,
    data: { tunnelId: HOME, hostname: 'old.example.com', overwrite: true, zoneId: 'z1' },
  });
  assert.equal(textAt(text, f.location!.range), 'old.example.com');
  assert.ok(!findDrift(moved).some((x) => x.code === 'drift-hostname-without-dns'), 'reported once, with the record');
});

test('drift-cname-other-tunnel: the CNAME points at a tunnel without a rule while another has one', () => {
  const text = HOME_CONFIG.replace(
    '  - service: http_status:404',
    '  - hostname: blog.example.com\n    service: http://web.apps.svc.cluster.local:80\n  - service: http_status:404',
  );
  const { input } = withHomeConfig(clean(), text);
  input.dnsRecords.push(cname('o1', 'blog.example.com', PROD));
  const all = findDrift(input);
  const f = only(all, 'drift-cname-other-tunnel');
  assert.match(
    f.message,
    /blog\.example\.com is routed to tunnel 'prod', which has no rule for it, while tunnel 'home' has one/,
  );
  assert.equal(f.tunnelId, PROD);
  assert.equal(textAt(text, f.location!.range), 'blog.example.com');
  assert.deepEqual(
    f.actions.map((a) => a.kind),
    ['create-dns-route', 'delete-dns-record'],
  );
  assert.deepEqual(codes(all), ['drift-cname-other-tunnel'], 'not also "without rule" or "without DNS"');
});

// ── Remote vs local ───────────────────────────────────────────────────────────────────────

test('drift-local-ingress-ignored: a local ingress list for a remotely-managed tunnel', () => {
  const text = yaml`
    tunnel: prod
    ingress:
      - hostname: app.example.com
        service: http://gone.apps.svc.cluster.local:80
      - service: http_status:404
  `;
  const input = clean();
  input.workspaceConfigs.push(config(text, '/ws/prod/config.yaml'));
  const all = findDrift(input);
  const f = only(all, 'drift-local-ingress-ignored');
  assert.match(
    f.message,
    /Tunnel 'prod' is managed remotely \(config_src: cloudflare\): cloudflared runs the ingress rules of its remote configuration and ignores the 2 rules here/,
  );
  assert.equal(f.location!.path, '/ws/prod/config.yaml');
  assert.equal(textAt(text, f.location!.range), 'ingress');
  assert.deepEqual(
    f.actions.map((a) => a.kind),
    ['copy-rules-to-remote', 'open-config'],
  );
  assert.deepEqual(codes(all), ['drift-local-ingress-ignored'], 'its (ignored) rules are not judged');
  const diags = driftDiagnostics(all, '/ws/prod/config.yaml');
  assert.deepEqual(
    diags.map((d) => [d.code, d.severity, d.range.start.line]),
    [['drift-local-ingress-ignored', 'warning', 1]],
  );
  assert.deepEqual(driftDiagnostics(all, PATH), []);
});

// ── cloudflared in the cluster ────────────────────────────────────────────────────────────

test('drift-pods-not-ready: none ready is an error, some is a warning', () => {
  const input = clean();
  input.deployments![0]!.ready = 1;
  const f = only(findDrift(input), 'drift-pods-not-ready');
  assert.equal(f.severity, 'warning');
  assert.equal(f.tunnelId, HOME);
  assert.match(f.message, /Deployment tunnels\/cloudflared: 1 of 2 cloudflared pods ready \(tunnel 'home'\)/);
  assert.deepEqual(f.actions, [
    {
      kind: 'show-logs',
      title: 'Show the logs of tunnels/cloudflared',
      preferred: true,
      data: { namespace: 'tunnels', name: 'cloudflared' },
    },
  ]);
  input.deployments![1]!.ready = 0;
  const all = findDrift(input);
  assert.deepEqual(
    all.map((x) => [x.code, x.severity]),
    [
      ['drift-pods-not-ready', 'error'],
      ['drift-pods-not-ready', 'warning'],
    ],
    'errors first',
  );
});

test('drift-no-connector: a tunnel without connector while its Deployment exists', () => {
  const input = clean();
  input.tunnels[1]!.connectorCount = 0;
  input.tunnels[1]!.status = 'down';
  const f = only(findDrift(input), 'drift-no-connector');
  assert.equal(f.severity, 'error');
  assert.match(
    f.message,
    /Tunnel 'home' has no connector although Deployment tunnels\/cloudflared runs cloudflared for it: its ready pods do not connect/,
  );

  input.deployments![0]!.ready = 0;
  assert.match(only(findDrift(input), 'drift-no-connector').message, /its pods are not ready/);
  input.deployments![0]!.desired = 0;
  assert.match(only(findDrift(input), 'drift-no-connector').message, /it is scaled to 0 replicas/);

  // Count unknown: the status says it.
  const inactive = clean();
  delete inactive.tunnels[0]!.connectorCount;
  inactive.tunnels[0]!.status = 'inactive';
  assert.equal(only(findDrift(inactive), 'drift-no-connector').tunnelId, PROD);

  // No Deployment for it: not ours to judge.
  const elsewhere = clean();
  elsewhere.tunnels[1]!.connectorCount = 0;
  elsewhere.deployments = [];
  assert.deepEqual(findDrift(elsewhere), []);
});

// ── Report shape ──────────────────────────────────────────────────────────────────────────

test('finding ids are unique and stable', () => {
  const input = clean();
  input.dnsRecords.push(
    cname('s1', 'stale.example.com', PROD),
    cname('s2', 'stale2.example.com', PROD),
    cname('d1', 'old.example.com', OLD),
  );
  input.deployments![0]!.ready = 0;
  const a = findDrift(input);
  const b = findDrift(structuredClone(input));
  assert.equal(new Set(a.map((f) => f.id)).size, a.length);
  assert.deepEqual(
    a.map((f) => f.id),
    b.map((f) => f.id),
  );
});

test("driftDiagnostics: only the file's findings, never an error", () => {
  const range = { start: { line: 3, character: 6 }, end: { line: 3, character: 10 } };
  const diags = driftDiagnostics(
    [
      {
        id: 'x',
        code: 'drift-no-connector',
        severity: 'error',
        message: 'm',
        location: { path: PATH, range },
        actions: [],
      },
      {
        id: 'y',
        code: 'drift-no-connector',
        severity: 'error',
        message: 'm',
        location: { path: '/elsewhere.yaml', range },
        actions: [],
      },
      { id: 'z', code: 'drift-no-connector', severity: 'error', message: 'm', actions: [] },
    ],
    PATH,
  );
  assert.deepEqual(diags, [{ code: 'drift-no-connector', severity: 'warning', message: 'm', range }]);
});
