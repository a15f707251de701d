import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkConfigText } from '../../../src/core/config/check';
import { matchConfigText } from '../../../src/core/config/match';
import { remoteConfigToYaml } from '../../../src/core/cloudflare/remoteConfigYaml';
import { applyEdits } from '../../../src/core/edits';
import {
  clientCommand,
  clientCommandHover,
  ruleProblem,
  insertRuleInConfigText,
  insertRuleInRemoteConfig,
  isObviouslyNonHttp,
  planRemoteInsert,
  remoteVersionConflict,
  serviceUrl,
  yamlScalar,
} from '../../../src/core/expose';
import type { NewRule } from '../../../src/core/expose';
import { yaml } from '../../support/config';

/** Inserts, checks that the edits reproduce the text, that cloudflared would accept it and that the new rule serves its hostname. */
function inserted(text: string, rule: NewRule): { text: string; index: number; addedCatchAll: boolean } {
  const r = insertRuleInConfigText(text, rule);
  assert.ok(!('error' in r), `refused: ${'error' in r ? r.error : ''}`);
  assert.equal(applyEdits(text, r.edits), r.text, 'edits reproduce the text');
  assertAccepted(r.text);
  const host = rule.hostname.startsWith('*.') ? `x${rule.hostname.slice(1)}` : rule.hostname;
  const m = matchConfigText(r.text, `https://${host}${rule.path ? `${rule.path.replace(/^\^/, '')}x` : '/'}`);
  assert.ok(m.ok, JSON.stringify(m));
  assert.equal(m.ok && m.rule, r.index, 'the new rule serves its hostname');
  return r;
}

function assertAccepted(text: string): void {
  const { diagnostics } = checkConfigText(text);
  assert.deepEqual(
    diagnostics
      .filter((d) => d.severity === 'error' || d.code === 'rule-shadowed')
      .map((d) => `${d.code}: ${d.message}`),
    [],
    `checker on:\n${text}`,
  );
}

// ── serviceUrl ────────────────────────────────────────────────────────────────────────────

test('serviceUrl: the DNS name and port, http unless the port says https', () => {
  assert.equal(serviceUrl({ name: 'web', namespace: 'apps', port: 8080 }), 'http://web.apps.svc.cluster.local:8080');
  assert.equal(serviceUrl({ name: 'web', namespace: 'apps', port: 443 }), 'https://web.apps.svc.cluster.local:443');
  assert.equal(
    serviceUrl({ name: 'web', namespace: 'apps', port: 8443, appProtocol: 'https' }),
    'https://web.apps.svc.cluster.local:8443',
  );
  assert.equal(
    serviceUrl({ name: 'web', namespace: 'apps', port: 8443, portName: 'https' }),
    'https://web.apps.svc.cluster.local:8443',
  );
  assert.equal(
    serviceUrl({ name: 'web', namespace: 'apps', port: 9000, appProtocol: 'kubernetes.io/h2c' }),
    'http://web.apps.svc.cluster.local:9000',
  );
  assert.equal(
    serviceUrl({ name: 'web', namespace: 'apps', port: 80 }, { clusterDomain: 'k8s.internal' }),
    'http://web.apps.svc.k8s.internal:80',
  );
});

test('serviceUrl: non-HTTP schemes only when the caller asks', () => {
  const db = { name: 'db', namespace: 'data', port: 5432 };
  assert.equal(serviceUrl(db), 'http://db.data.svc.cluster.local:5432');
  assert.equal(serviceUrl(db, { detectNonHttp: true }), 'tcp://db.data.svc.cluster.local:5432');
  assert.equal(
    serviceUrl({ name: 'git', namespace: 'dev', port: 2222, portName: 'ssh' }, { detectNonHttp: true }),
    'ssh://git.dev.svc.cluster.local:2222',
  );
  assert.equal(
    serviceUrl({ name: 'git', namespace: 'dev', port: 22 }, { detectNonHttp: true }),
    'ssh://git.dev.svc.cluster.local:22',
  );
  assert.equal(
    serviceUrl({ name: 'win', namespace: 'vdi', port: 3389 }, { detectNonHttp: true }),
    'rdp://win.vdi.svc.cluster.local:3389',
  );
  assert.equal(
    serviceUrl({ name: 'nas', namespace: 'files', port: 445 }, { detectNonHttp: true }),
    'smb://nas.files.svc.cluster.local:445',
  );
  assert.equal(
    serviceUrl({ name: 'q', namespace: 'x', port: 1234, portName: 'redis' }, { detectNonHttp: true }),
    'tcp://q.x.svc.cluster.local:1234',
  );
  // A port named http stays HTTP even on a "database" port number.
  assert.equal(
    serviceUrl({ name: 'a', namespace: 'x', port: 5432, portName: 'http' }, { detectNonHttp: true }),
    'http://a.x.svc.cluster.local:5432',
  );
  assert.equal(isObviouslyNonHttp({ port: 6379 }), true);
  assert.equal(isObviouslyNonHttp({ port: 8080 }), false);
});

test('yamlScalar: plain when yaml.v3 reads it back as the same string', () => {
  assert.equal(yamlScalar('app.example.com'), 'app.example.com');
  assert.equal(yamlScalar('http://web.apps.svc.cluster.local:80'), 'http://web.apps.svc.cluster.local:80');
  assert.equal(yamlScalar('*.example.com'), '"*.example.com"');
  assert.equal(yamlScalar('*.example.com', "'"), "'*.example.com'");
  assert.equal(yamlScalar('true'), '"true"');
  assert.equal(yamlScalar('1.5'), '"1.5"');
  assert.equal(yamlScalar('a b'), '"a b"');
});

// ── insertRuleInConfigText ────────────────────────────────────────────────────────────────

const BASIC = yaml`
  tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef
  credentials-file: /etc/cloudflared/creds/credentials.json
  ingress:
    - hostname: app.example.com
      service: http://app.default.svc.cluster.local:80
    - service: http_status:404
`;

test("insertRuleInConfigText: before the catch-all, in the list's style", () => {
  const r = inserted(BASIC, { hostname: 'api.example.com', service: 'http://api.apps.svc.cluster.local:8080' });
  assert.equal(r.index, 1);
  assert.equal(r.addedCatchAll, false);
  assert.equal(
    r.text,
    yaml`
      tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef
      credentials-file: /etc/cloudflared/creds/credentials.json
      ingress:
        - hostname: app.example.com
          service: http://app.default.svc.cluster.local:80
        - hostname: api.example.com
          service: http://api.apps.svc.cluster.local:8080
        - service: http_status:404
    `,
  );
});

test('insertRuleInConfigText: keeps unusual indentation, a path, and comments above the catch-all', () => {
  const text = yaml`
    tunnel: home
    ingress:
    -   hostname: app.example.com
        service: http://localhost:8000
    # everything else
    -   service: http_status:404
  `;
  const r = inserted(text, {
    hostname: 'api.example.com',
    path: '^/v1/',
    service: 'http://api.apps.svc.cluster.local:8080',
  });
  assert.equal(
    r.text,
    yaml`
      tunnel: home
      ingress:
      -   hostname: app.example.com
          service: http://localhost:8000
      -   hostname: api.example.com
          path: ^/v1/
          service: http://api.apps.svc.cluster.local:8080
      # everything else
      -   service: http_status:404
    `,
  );
});

test('insertRuleInConfigText: a path rule goes before a rule of the same host that has no path', () => {
  const text = yaml`
    ingress:
      - hostname: app.example.com
        service: http://web.apps.svc.cluster.local:80
      - service: http_status:404
  `;
  const r = inserted(text, {
    hostname: 'app.example.com',
    path: '^/api/',
    service: 'http://api.apps.svc.cluster.local:8080',
  });
  assert.equal(r.index, 0);
});

test("insertRuleInConfigText: wildcard hostnames are quoted, in the file's quote style", () => {
  const text = yaml`
    ingress:
      - hostname: 'app.example.com'
        service: http://localhost:8000
      - service: http_status:404
  `;
  const r = inserted(text, { hostname: '*.dev.example.com', service: 'http://preview.dev.svc.cluster.local:80' });
  assert.ok(
    r.text.includes(
      "  - hostname: '*.dev.example.com'\n    service: http://preview.dev.svc.cluster.local:80\n  - service: http_status:404",
    ),
    r.text,
  );
  const d = inserted(BASIC, { hostname: '*.example.org', service: 'http://x.y.svc.cluster.local:80' });
  assert.ok(d.text.includes('- hostname: "*.example.org"'), d.text);
});

test('insertRuleInConfigText: goes before a wildcard rule that would shadow it', () => {
  const text = yaml`
    ingress:
      - hostname: "*.example.com"
        service: http://wild.default.svc.cluster.local:80
      - service: http_status:404
  `;
  const r = inserted(text, { hostname: 'shop.example.com', service: 'http://shop.default.svc.cluster.local:80' });
  assert.equal(r.index, 0);
});

test('insertRuleInConfigText: refuses a hostname that already has a rule', () => {
  const r = insertRuleInConfigText(BASIC, {
    hostname: 'APP.example.com',
    service: 'http://other.default.svc.cluster.local:80',
  });
  assert.ok('error' in r);
  assert.equal(r.reason, 'duplicate');
  assert.match(r.error, /Rule #1 already serves app\.example\.com/);
});

test('insertRuleInConfigText: refuses invalid rules and broken YAML', () => {
  const port = insertRuleInConfigText(BASIC, {
    hostname: 'a.example.com:8443',
    service: 'http://a.b.svc.cluster.local:80',
  });
  assert.ok('error' in port && port.reason === 'invalid-rule');
  const svc = insertRuleInConfigText(BASIC, { hostname: 'a.example.com', service: 'a.b.svc.cluster.local' });
  assert.ok('error' in svc && svc.reason === 'invalid-rule');
  const broken = insertRuleInConfigText('ingress:\n  - hostname: [a\n', {
    hostname: 'a.example.com',
    service: 'http://a.b.svc.cluster.local:80',
  });
  assert.ok('error' in broken && broken.reason === 'yaml-syntax');
  const scalar = insertRuleInConfigText('just text\n', {
    hostname: 'a.example.com',
    service: 'http://a.b.svc.cluster.local:80',
  });
  assert.ok('error' in scalar && scalar.reason === 'not-a-mapping');
});

test('insertRuleInConfigText: no ingress list → refused with an offer that adds one with a catch-all', () => {
  const rule = { hostname: 'app.example.com', service: 'http://app.default.svc.cluster.local:80' };
  for (const text of [
    'tunnel: home\ncredentials-file: /etc/cloudflared/creds/credentials.json\n',
    'tunnel: home\ningress:\ncredentials-file: /etc/cloudflared/creds/credentials.json\n',
    'tunnel: home\ningress: []\n',
    'tunnel: home\ningress: # none yet\nno-autoupdate: true\n',
    '',
    'tunnel: home',
  ]) {
    const r = insertRuleInConfigText(text, rule);
    assert.ok('error' in r, text);
    assert.equal(r.reason, 'no-ingress', text);
    assert.ok(r.offer, `offer for ${JSON.stringify(text)}`);
    assert.equal(applyEdits(text, r.offer.edits), r.offer.text);
    assertAccepted(r.offer.text);
    const m = matchConfigText(r.offer.text, 'https://app.example.com/');
    assert.ok(m.ok && m.service === 'http://app.default.svc.cluster.local:80', `${JSON.stringify(m)}\n${r.offer.text}`);
    const catchAll = matchConfigText(r.offer.text, 'https://other.example.com/');
    assert.ok(catchAll.ok && catchAll.service === 'http_status:404');
  }
  const r = insertRuleInConfigText('tunnel: home\n', rule);
  assert.ok('error' in r && r.offer);
  assert.equal(
    r.offer.text,
    'tunnel: home\ningress:\n  - hostname: app.example.com\n    service: http://app.default.svc.cluster.local:80\n  - service: http_status:404\n',
  );
});

test('insertRuleInConfigText: a legacy url: origin is not silently turned into an error', () => {
  const r = insertRuleInConfigText('tunnel: home\nurl: http://localhost:8000\n', {
    hostname: 'a.example.com',
    service: 'http://a.b.svc.cluster.local:80',
  });
  assert.ok('error' in r);
  assert.equal(r.reason, 'url-origin');
  assert.equal(r.offer, undefined);
});

test('insertRuleInConfigText: a list without catch-all gets the rule and a catch-all', () => {
  const text = yaml`
    ingress:
      - hostname: app.example.com
        service: http://localhost:8000
  `;
  assert.ok(
    checkConfigText(text).diagnostics.some((d) => d.severity === 'error'),
    'the input is refused by cloudflared',
  );
  const r = inserted(text, { hostname: 'b.example.com', service: 'http://b.default.svc.cluster.local:80' });
  assert.equal(r.addedCatchAll, true);
  assert.equal(r.index, 1);
  assert.ok(
    r.text.endsWith(
      '  - hostname: b.example.com\n    service: http://b.default.svc.cluster.local:80\n  - service: http_status:404\n',
    ),
    r.text,
  );
});

test('insertRuleInConfigText: flow lists and CRLF line endings', () => {
  const flow = 'ingress: [{hostname: a.example.com, service: "http://localhost:1"}, {service: "http_status:404"}]\n';
  const f = inserted(flow, { hostname: 'b.example.com', service: 'http://b.default.svc.cluster.local:80' });
  assert.equal(f.index, 1);
  const open = inserted('ingress: [{hostname: a.example.com, service: "http://localhost:1"}]\n', {
    hostname: 'b.example.com',
    service: 'http://b.default.svc.cluster.local:80',
  });
  assert.equal(open.addedCatchAll, true);
  const crlf = BASIC.replace(/\n/g, '\r\n');
  const c = inserted(crlf, { hostname: 'c.example.com', service: 'http://c.default.svc.cluster.local:80' });
  assert.ok(!/[^\r]\n/.test(c.text), 'only CRLF line endings');
  assert.ok(
    c.text.includes(
      '  - hostname: c.example.com\r\n    service: http://c.default.svc.cluster.local:80\r\n  - service: http_status:404',
    ),
  );
});

test('insertRuleInConfigText: an ingress list nested deeper than the top level keeps its column', () => {
  const text =
    'tunnel: t\ningress:\n        - hostname: a.example.com\n          service: http://localhost:1\n        - service: http_status:404\n';
  const r = inserted(text, { hostname: 'b.example.com', service: 'http://b.default.svc.cluster.local:80' });
  assert.ok(
    r.text.includes(
      '        - hostname: b.example.com\n          service: http://b.default.svc.cluster.local:80\n        - service: http_status:404',
    ),
    r.text,
  );
});

// ── insertRuleInRemoteConfig ──────────────────────────────────────────────────────────────

test('insertRuleInRemoteConfig: before the catch-all, everything else kept, input untouched', () => {
  const config = {
    originRequest: { connectTimeout: 30 },
    ingress: [
      { hostname: 'app.example.com', service: 'http://app.default.svc.cluster.local:80', originRequest: {} },
      { service: 'http_status:404' },
    ],
    'warp-routing': { enabled: false },
  };
  const copy = structuredClone(config);
  const r = insertRuleInRemoteConfig(config, {
    hostname: 'db.example.com',
    service: 'tcp://db.data.svc.cluster.local:5432',
  });
  assert.ok(!('error' in r));
  assert.deepEqual(config, copy, 'input not mutated');
  assert.equal(r.index, 1);
  assert.equal(r.addedCatchAll, false);
  assert.deepEqual(r.config, {
    originRequest: { connectTimeout: 30 },
    ingress: [
      { hostname: 'app.example.com', service: 'http://app.default.svc.cluster.local:80', originRequest: {} },
      { hostname: 'db.example.com', service: 'tcp://db.data.svc.cluster.local:5432' },
      { service: 'http_status:404' },
    ],
    'warp-routing': { enabled: false },
  });
  assertAccepted(remoteConfigToYaml(r.config));
});

test('insertRuleInRemoteConfig: adds a catch-all when there is none', () => {
  const empty = insertRuleInRemoteConfig({}, { hostname: 'a.example.com', service: 'http://a.b.svc.cluster.local:80' });
  assert.ok(!('error' in empty));
  assert.deepEqual(empty.config.ingress, [
    { hostname: 'a.example.com', service: 'http://a.b.svc.cluster.local:80' },
    { service: 'http_status:404' },
  ]);
  assertAccepted(remoteConfigToYaml(empty.config));
  const noCatchAll = insertRuleInRemoteConfig(
    { ingress: [{ hostname: 'x.example.com', service: 'http://x:1' }] },
    { hostname: '*.example.org', path: '^/v1', service: 'http://a.b.svc.cluster.local:80' },
  );
  assert.ok(!('error' in noCatchAll));
  assert.equal(noCatchAll.addedCatchAll, true);
  assert.deepEqual(noCatchAll.config.ingress, [
    { hostname: 'x.example.com', service: 'http://x:1' },
    { hostname: '*.example.org', path: '^/v1', service: 'http://a.b.svc.cluster.local:80' },
    { service: 'http_status:404' },
  ]);
  assertAccepted(remoteConfigToYaml(noCatchAll.config));
});

test('insertRuleInRemoteConfig: refuses duplicates and odd shapes', () => {
  const dup = insertRuleInRemoteConfig(
    { ingress: [{ hostname: 'a.example.com', service: 'http://x:1' }, { service: 'http_status:404' }] },
    { hostname: 'a.example.com', service: 'http://y:2' },
  );
  assert.ok('error' in dup && dup.reason === 'duplicate');
  const odd = insertRuleInRemoteConfig({ ingress: 'nope' }, { hostname: 'a.example.com', service: 'http://y:2' });
  assert.ok('error' in odd && odd.reason === 'unsupported');
});

test('planRemoteInsert: the diff sides and the version to check', () => {
  const plan = planRemoteInsert(
    { version: 7, config: { ingress: [{ service: 'http_status:404' }] } },
    { hostname: 'a.example.com', service: 'http://a.b.svc.cluster.local:80' },
  );
  assert.ok(!('error' in plan));
  assert.equal(plan.version, 7);
  assert.equal(plan.before, 'ingress:\n  - service: http_status:404\n');
  assert.equal(
    plan.after,
    'ingress:\n  - hostname: a.example.com\n    service: http://a.b.svc.cluster.local:80\n  - service: http_status:404\n',
  );
  assert.equal(remoteVersionConflict(7, 7), undefined);
  assert.match(remoteVersionConflict(7, 8)!, /version 7 → 8/);
});

// ── clientCommand ─────────────────────────────────────────────────────────────────────────

test('clientCommand: cloudflared access for tcp, ssh, rdp and smb', () => {
  assert.deepEqual(clientCommand('db.example.com', 'tcp://db.data.svc.cluster.local:5432'), {
    protocol: 'tcp',
    command: 'cloudflared access tcp --hostname db.example.com --url localhost:5432',
    localAddress: 'localhost:5432',
  });
  assert.deepEqual(clientCommand('git.example.com', 'ssh://git.dev.svc.cluster.local:22'), {
    protocol: 'ssh',
    command: 'cloudflared access ssh --hostname git.example.com',
    sshConfig: 'Host git.example.com\n  ProxyCommand cloudflared access ssh --hostname %h',
  });
  assert.equal(
    clientCommand('win.example.com', 'rdp://win.vdi.svc.cluster.local:3389')?.command,
    'cloudflared access rdp --hostname win.example.com --url localhost:3389',
  );
  assert.equal(
    clientCommand('nas.example.com', 'smb://nas.files.svc.cluster.local')?.command,
    'cloudflared access tcp --hostname nas.example.com --url localhost:8445',
  );
  assert.equal(clientCommand('w.example.com', 'tcp://w.x.svc.cluster.local')?.localAddress, 'localhost:7864');
});

test('clientCommand: a hostile hostname reaches neither the command nor the ~/.ssh/config entry (issue #16)', () => {
  const hostile = [
    'a.example.com\nProxyCommand touch /tmp/PWNED',
    'a.example.com\r\n  ProxyCommand touch /tmp/PWNED',
    'a.example.com\u2028ProxyCommand x',
    'a.example.com ProxyCommand=x',
    'a.example.com\tx',
    'a.example.com;touch PWNED',
    'a.example.com$(touch PWNED)',
    'a.example.com`touch PWNED`',
    "a.example.com' ; touch PWNED; echo '",
    'a.example.com"x',
    'a.example.com|x',
    'a.example.com&x',
    'a.example.com%h',
    '-oProxyCommand=x',
    'a..example.com',
    '*.a.example.com\nx',
  ];
  for (const h of hostile) {
    for (const svc of ['ssh://a.b.svc.cluster.local:22', 'tcp://a.b.svc.cluster.local:5432', 'rdp://w:3389']) {
      assert.equal(clientCommand(h, svc), undefined, JSON.stringify(h));
      assert.equal(clientCommandHover(svc, h), undefined, JSON.stringify(h));
    }
  }
  // What passes is written in its ASCII form, safe anywhere.
  assert.deepEqual(clientCommand('Bücher.Example.com.', 'ssh://a.b.svc.cluster.local:22'), {
    protocol: 'ssh',
    command: 'cloudflared access ssh --hostname xn--bcher-kva.example.com',
    sshConfig: 'Host xn--bcher-kva.example.com\n  ProxyCommand cloudflared access ssh --hostname %h',
  });
  assert.equal(
    clientCommand('*.Ops.example.com', 'ssh://a.b.svc.cluster.local:22')?.sshConfig,
    'Host *.ops.example.com\n  ProxyCommand cloudflared access ssh --hostname %h',
  );
});

test('ruleProblem: Expose refuses a hostname with a line break or whitespace (issue #16)', () => {
  assert.match(
    ruleProblem({ hostname: 'a.example.com\nProxyCommand x', service: 'ssh://a.b.svc.cluster.local:22' }) ?? '',
    /contains a line break \(U\+000A\)/,
  );
  assert.match(ruleProblem({ hostname: 'a b.example.com', service: 'http://a:1' }) ?? '', /whitespace/);
  assert.equal(ruleProblem({ hostname: 'a.example.com', service: 'http://a:1' }), undefined);
});

test('clientCommand: nothing for HTTP, keywords and rules without hostname', () => {
  assert.equal(clientCommand('a.example.com', 'http://a.b.svc.cluster.local:80'), undefined);
  assert.equal(clientCommand('a.example.com', 'https://a.b.svc.cluster.local:443'), undefined);
  assert.equal(clientCommand('a.example.com', 'http_status:404'), undefined);
  assert.equal(clientCommand('a.example.com', 'hello_world'), undefined);
  assert.equal(clientCommand('', 'tcp://db:5432'), undefined);
  assert.equal(clientCommand('*', 'tcp://db:5432'), undefined);
});

test('clientCommand: a wildcard hostname gets a placeholder (and a wildcard ssh Host)', () => {
  const c = clientCommand('*.ssh.example.com', 'ssh://bastion.ops.svc.cluster.local:22');
  assert.equal(c?.placeholder, true);
  assert.equal(c?.command, 'cloudflared access ssh --hostname HOST.ssh.example.com');
  assert.equal(c?.sshConfig, 'Host *.ssh.example.com\n  ProxyCommand cloudflared access ssh --hostname %h');
});

test('clientCommandHover: markdown with the command, or nothing for HTTP', () => {
  const tcp = clientCommandHover('tcp://db.data.svc.cluster.local:5432', 'db.example.com')!;
  assert.ok(tcp.includes('cannot be opened in a browser'));
  assert.ok(tcp.includes('```sh\ncloudflared access tcp --hostname db.example.com --url localhost:5432\n```'));
  assert.ok(tcp.includes('`localhost:5432`'));
  const ssh = clientCommandHover('ssh://git.dev.svc.cluster.local:22', 'git.example.com')!;
  assert.ok(ssh.includes('Host git.example.com\n  ProxyCommand cloudflared access ssh --hostname %h'));
  assert.ok(ssh.includes('`ssh git.example.com`'));
  assert.equal(clientCommandHover('http://a:80', 'a.example.com'), undefined);
  assert.equal(clientCommandHover('tcp://a:80', undefined), undefined);
});
