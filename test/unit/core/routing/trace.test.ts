// Tests for src/core/routing/{objects,controller,trace,fromWorkspace}.ts and the `cftunnel trace` CLI
// (issue #17): a URL followed from the tunnel rule through ingress-nginx to the pods' port, or to
// where and why it stops. The fixture test/fixtures/routing/nginx/ is the seed's setup.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { main } from '../../../../src/cli/main';
import { recognizeController, servedIngresses } from '../../../../src/core/routing/controller';
import { addRoutingObject, emptyRoutingObjects, readService, readWorkload } from '../../../../src/core/routing/objects';
import type { RoutingObjects } from '../../../../src/core/routing/objects';
import { originSettingsOf } from '../../../../src/core/routing/origin';
import { parseTraceUrl, traceUrl } from '../../../../src/core/routing/trace';
import type { TraceRule, TraceTunnel } from '../../../../src/core/routing/trace';
import { toPlain } from '../../../../src/core/yaml/plain';
import { parseDocument } from 'yaml';

const FIXTURE = join(__dirname, '../../../fixtures/routing/nginx');

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

function svc(namespace: string, name: string, extra: Record<string, unknown> = {}): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels: extra.labels ?? {} },
    spec: {
      selector: extra.selector ?? { app: name },
      ports: extra.ports ?? [{ name: 'http', port: 80, targetPort: 8080 }],
    },
  };
}

function ingress(
  namespace: string,
  name: string,
  host: string,
  service: string,
  extra: Record<string, unknown> = {},
): unknown {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace, annotations: extra.annotations ?? {} },
    spec: {
      ...(extra.className ? { ingressClassName: extra.className } : {}),
      rules: [
        {
          host,
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: 80 } } } }],
          },
        },
      ],
    },
  };
}

function nginxObjects(source: RoutingObjects['source'] = 'workspace'): RoutingObjects {
  const o = emptyRoutingObjects(source);
  const labels = { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' };
  addRoutingObject(
    o,
    svc('ingress-nginx', 'ingress-nginx-controller', {
      labels,
      selector: labels,
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
    }),
    { file: 'nginx.yaml', line: 0 },
  );
  addRoutingObject(
    o,
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'nginx' },
      spec: { controller: 'k8s.io/ingress-nginx' },
    },
    { file: 'nginx.yaml', line: 20 },
  );
  addRoutingObject(o, svc('web', 'app'), { file: 'app.yaml', line: 0 });
  addRoutingObject(
    o,
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'app', namespace: 'web' },
      spec: {
        template: {
          metadata: { labels: { app: 'app' } },
          spec: { containers: [{ name: 'app', image: 'app:1', ports: [{ containerPort: 8080 }] }] },
        },
      },
    },
    { file: 'app.yaml', line: 10 },
  );
  addRoutingObject(o, ingress('web', 'app', 'app.example.com', 'app', { className: 'nginx' }), {
    file: 'app.yaml',
    line: 30,
  });
  return o;
}

function rule(index: number, hostname: string, service: string, origin: TraceRule['origin'] = {}): TraceRule {
  const catchAll = hostname === '';
  return {
    index,
    hostname,
    path: '',
    service,
    catchAll,
    matches: (host) => catchAll || host === hostname || (hostname.startsWith('*.') && host.endsWith(hostname.slice(1))),
    origin,
    source: { file: 'config.yaml', line: index * 2 + 3 },
  };
}

function tunnel(rules: TraceRule[], namespaces: string[] = ['cloudflared']): TraceTunnel {
  return { name: 'config.yaml', rules, namespaces };
}

const TO_NGINX = 'http://ingress-nginx-controller.ingress-nginx.svc.cluster.local:80';

describe('parseTraceUrl', () => {
  test('a scheme is optional; host lower-cased; path defaults to /', () => {
    assert.deepEqual(parseTraceUrl('App.Example.com'), {
      ok: true,
      host: 'app.example.com',
      path: '/',
      scheme: 'https',
    });
    assert.deepEqual(parseTraceUrl('http://a.example.com/x/y?q=1'), {
      ok: true,
      host: 'a.example.com',
      path: '/x/y',
      scheme: 'http',
    });
  });
  test('refuses what is not an http(s) URL', () => {
    assert.equal(parseTraceUrl('').ok, false);
    assert.equal(parseTraceUrl('ssh://a.example.com').ok, false);
    assert.equal(parseTraceUrl('http://').ok, false);
  });
});

describe('readers', () => {
  test('toPlain resolves plain scalars as the API does and keeps quoted ones as strings', () => {
    const doc = parseDocument('a: 80\nb: "80"\nc: true\nd: ~\ne: [1, x]\nbase: &b {k: 1}\nm:\n  <<: *b\n  j: 2\n', {
      schema: 'failsafe',
    });
    assert.deepEqual(toPlain(doc, doc.contents), {
      a: 80,
      b: '80',
      c: true,
      d: null,
      e: [1, 'x'],
      base: { k: 1 },
      m: { j: 2, k: 1 },
    });
  });
  test('readService and readWorkload keep what a trace needs', () => {
    assert.deepEqual(readService(svc('web', 'app')), {
      namespace: 'web',
      name: 'app',
      labels: {},
      selector: { app: 'app' },
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
    });
    assert.equal(readService({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }), undefined);
    const w = readWorkload({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {
        template: {
          metadata: { labels: { app: 'db' } },
          spec: {
            containers: [{ name: 'db', image: 'pg', args: ['--x'], ports: [{ name: 'pg', containerPort: 5432 }] }],
          },
        },
      },
    });
    assert.deepEqual(w, {
      kind: 'StatefulSet',
      namespace: 'default',
      name: 'db',
      podLabels: { app: 'db' },
      containers: [{ name: 'db', image: 'pg', args: ['--x'], ports: [{ name: 'pg', containerPort: 5432 }] }],
    });
  });
});

describe('controller recognition', () => {
  test('ingress-nginx by labels; its admission webhook Service is not the controller', () => {
    const o = nginxObjects();
    const c = recognizeController(o, o.services[0]!);
    assert.equal(c?.kind, 'ingress-nginx');
    assert.equal(c?.controllerClass, 'k8s.io/ingress-nginx');
    addRoutingObject(
      o,
      svc('ingress-nginx', 'ingress-nginx-controller-admission', { ports: [{ port: 443, targetPort: 'webhook' }] }),
      {},
    );
    assert.equal(recognizeController(o, o.services.at(-1)!), undefined);
    assert.equal(recognizeController(o, o.services[1]!), undefined, 'an app Service is no controller');
  });
  test('Traefik by image; flags decide the class and cross-namespace references', () => {
    const o = emptyRoutingObjects('cluster');
    addRoutingObject(o, svc('kube-system', 'edge', { selector: { app: 'edge' } }), {});
    addRoutingObject(
      o,
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'edge', namespace: 'kube-system' },
        spec: {
          template: {
            metadata: { labels: { app: 'edge' } },
            spec: {
              containers: [
                {
                  name: 't',
                  image: 'docker.io/library/traefik:v3.3',
                  args: [
                    '--providers.kubernetesingress.ingressclass=edge',
                    '--providers.kubernetescrd.allowCrossNamespace=true',
                  ],
                },
              ],
            },
          },
        },
      },
      {},
    );
    const c = recognizeController(o, o.services[0]!);
    assert.equal(c?.kind, 'traefik');
    assert.equal(c?.className, 'edge');
    assert.equal(c?.watchWithoutClass, false);
    assert.equal(c?.allowCrossNamespace, true);
  });
  test('class selection: field, legacy annotation, and the default class for manifests not yet created', () => {
    const o = nginxObjects();
    addRoutingObject(
      o,
      ingress('web', 'legacy', 'l.example.com', 'app', { annotations: { 'kubernetes.io/ingress.class': 'nginx' } }),
      {},
    );
    addRoutingObject(o, ingress('web', 'other', 'o.example.com', 'app', { className: 'traefik' }), {});
    addRoutingObject(o, ingress('web', 'classless', 'c.example.com', 'app'), {});
    const c = recognizeController(o, o.services[0]!)!;
    let sel = servedIngresses(o, c);
    assert.deepEqual(
      sel.served.map((s) => s.def.name),
      ['app', 'legacy'],
    );
    assert.deepEqual(
      sel.ignored.map((s) => s.ingress.def.name),
      ['other', 'classless'],
    );
    assert.match(sel.ignored[1]!.reason, /--watch-ingress-without-class/);
    o.ingressClasses[0]!.def.isDefault = true;
    sel = servedIngresses(o, c);
    assert.deepEqual(
      sel.served.map((s) => s.def.name),
      ['app', 'legacy', 'classless'],
      'admission gives it the default class',
    );
    sel = servedIngresses({ ...o, source: 'cluster' }, c);
    assert.ok(!sel.served.some((s) => s.def.name === 'classless'), 'an existing class-less object keeps no class');
  });
});

describe('traceUrl', () => {
  test('rule → controller → Ingress → backend → pod port', () => {
    const r = traceUrl({
      url: 'app.example.com/a',
      tunnels: [tunnel([rule(0, '*.example.com', TO_NGINX), rule(1, '', 'http_status:404')])],
      objects: nginxObjects(),
    });
    assert.deepEqual(r.servedBy, { namespace: 'web', name: 'app', port: 80 });
    assert.deepEqual(
      r.hops.map((h) => h.kind),
      ['rule', 'service', 'ingress', 'service', 'pod-port'],
    );
    assert.equal(r.hops[2]!.file, 'app.yaml');
    assert.equal(r.hops[2]!.line, 31, 'lines are 1-based');
    assert.match(r.hops[4]!.detail, /container port 8080/);
    assert.equal(r.certain, true);
  });
  test('a host without Ingress stops with the controller’s 404', () => {
    const r = traceUrl({
      url: 'nope.example.com',
      tunnels: [tunnel([rule(0, '*.example.com', TO_NGINX)])],
      objects: nginxObjects(),
    });
    assert.equal(r.servedBy, null);
    assert.equal(r.status, 404);
    assert.match(r.stops!, /no Ingress has host nope\.example\.com/);
  });
  test('a status rule, a missing Service, a missing port, and an origin outside the cluster', () => {
    const objects = nginxObjects();
    let r = traceUrl({ url: 'x.org', tunnels: [tunnel([rule(0, '', 'http_status:418')])], objects });
    assert.equal(r.status, 418);
    r = traceUrl({ url: 'x.org', tunnels: [tunnel([rule(0, '', 'http://gone.web:80')])], objects });
    assert.equal(r.status, 502);
    assert.match(r.stops!, /no Service gone\.web/);
    r = traceUrl({ url: 'x.org', tunnels: [tunnel([rule(0, '', 'http://app.web:81')])], objects });
    assert.match(r.stops!, /has no port 81/);
    r = traceUrl({ url: 'x.org', tunnels: [tunnel([rule(0, '', 'http://192.0.2.7:80')])], objects });
    assert.equal(r.certain, false, 'outside the source: unknown, not a verdict');
    assert.equal(r.servedBy, null);
  });
  test('a bare Service name resolves in cloudflared’s namespace only', () => {
    const objects = nginxObjects();
    assert.deepEqual(
      traceUrl({ url: 'x.org', tunnels: [tunnel([rule(0, '', 'http://app:80')], ['web'])], objects }).servedBy,
      { namespace: 'web', name: 'app', port: 80 },
    );
    assert.equal(
      traceUrl({ url: 'x.org', tunnels: [tunnel([rule(0, '', 'http://app:80')], ['other'])], objects }).servedBy,
      null,
    );
  });
  test('httpHostHeader: the controller routes on that host', () => {
    const r = traceUrl({
      url: 'public.example.com',
      tunnels: [tunnel([rule(0, '', TO_NGINX, { httpHostHeader: 'app.example.com' })])],
      objects: nginxObjects(),
    });
    assert.deepEqual(r.servedBy, { namespace: 'web', name: 'app', port: 80 });
    assert.match(r.warnings.join('\n'), /httpHostHeader app\.example\.com/);
  });
  test('https:// to the controller without originServerName warns about SNI; with it, it does not', () => {
    const https = TO_NGINX.replace('http:', 'https:').replace(':80', ':443');
    const o = nginxObjects();
    o.services[0]!.def.ports.push({ name: 'https', port: 443, targetPort: 'https' });
    let r = traceUrl({ url: 'app.example.com', tunnels: [tunnel([rule(0, '', https)])], objects: o });
    assert.match(r.warnings.join('\n'), /SNI/);
    r = traceUrl({
      url: 'app.example.com',
      tunnels: [tunnel([rule(0, '', https, { originServerName: 'app.example.com' })])],
      objects: o,
    });
    assert.equal(r.warnings.length, 0);
  });
  test('objects added after a trace are seen by the next (the Service index follows the list)', () => {
    const objects = nginxObjects();
    const tunnels = [tunnel([rule(0, '', 'http://late.web:80')])];
    assert.equal(traceUrl({ url: 'x.org', tunnels, objects }).status, 502);
    addRoutingObject(objects, svc('web', 'late'), {});
    assert.deepEqual(traceUrl({ url: 'x.org', tunnels, objects }).servedBy, {
      namespace: 'web',
      name: 'late',
      port: 80,
    });
  });
  test('the first tunnel with a specific rule wins over another’s catch-all', () => {
    const catchAll = tunnel([rule(0, '', 'http_status:404')]);
    const specific = { ...tunnel([rule(0, 'app.example.com', TO_NGINX)]), name: 'b.yaml' };
    const r = traceUrl({ url: 'app.example.com', tunnels: [catchAll, specific], objects: nginxObjects() });
    assert.ok(r.servedBy);
  });
});

describe('cftunnel trace (the fixture of the seed’s setup)', () => {
  test('served: exit 0, JSON as the issue specifies', () => {
    const r = run(['trace', 'shop.example.com/cart', FIXTURE, '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as {
      url: string;
      hops: Array<{ kind: string; file: string; line: number; name: string }>;
      servedBy: unknown;
      stops: unknown;
    };
    assert.equal(j.url, 'shop.example.com/cart');
    assert.deepEqual(j.servedBy, { namespace: 'web', name: 'shop', port: 80 });
    assert.equal(j.stops, null);
    assert.deepEqual(
      j.hops.map((h) => h.kind),
      ['rule', 'service', 'ingress', 'service', 'pod-port'],
    );
    assert.match(j.hops[0]!.file, /cloudflared\/config\.yaml$/);
    assert.equal(j.hops[0]!.line, 7);
    assert.equal(j.hops[2]!.name, 'shop');
  });
  test('not served: exit 1 with the reason (missing backend, no Ingress, tunnel catch-all)', () => {
    let r = run(['trace', 'docs.example.com', FIXTURE]);
    assert.equal(r.code, 1);
    assert.match(r.out, /backend Service web\/docs does not exist/);
    r = run(['trace', 'nothing.example.com', FIXTURE]);
    assert.equal(r.code, 1);
    assert.match(r.out, /404/);
    r = run(['trace', 'other.org', FIXTURE, '--format=json']);
    assert.equal(JSON.parse(r.out).servedBy, null);
  });
  test('the ssl-redirect loop is a warning on a served trace', () => {
    const r = run(['trace', 'secure.example.com', FIXTURE]);
    assert.equal(r.code, 0);
    assert.match(r.out, /warning: http:\/\/ to ingress-nginx .* \(308\)/);
  });
  test('bad input exits 2', () => {
    assert.equal(run(['trace', 'ftp://x', FIXTURE]).code, 2);
    assert.equal(run(['trace']).code, 2);
    assert.equal(run(['trace', 'a.example.com', '--format', 'xml']).code, 2);
    assert.equal(run(['trace', 'a.example.com', join(FIXTURE, 'missing')]).code, 2);
  });
});

describe('cftunnel trace through Traefik and a Gateway (fixtures checked against the controllers’ rules)', () => {
  const TRAEFIK = join(__dirname, '../../../fixtures/routing/traefik');
  const GATEWAY = join(__dirname, '../../../fixtures/routing/gateway');
  interface TraceJson {
    hops: Array<{ kind: string; detail: string }>;
    servedBy: unknown;
    stops: string;
    status: number;
    notes: string[];
  }
  const json = (args: string[]): { code: number; j: TraceJson } => {
    const r = run([...args, '--format', 'json']);
    return { code: r.code, j: JSON.parse(r.out) as TraceJson };
  };

  test('an IngressRoute on the web entry point serves its host', () => {
    const { code, j } = json(['trace', 'whoami.example.dev', TRAEFIK]);
    assert.equal(code, 0);
    assert.deepEqual(
      j.hops.map((h) => h.kind),
      ['rule', 'service', 'ingressroute', 'service', 'pod-port'],
    );
    assert.match(j.hops[2]!.detail, /priority 45/, 'the default priority is the rule’s length');
    assert.deepEqual(j.servedBy, { namespace: 'apps', name: 'whoami', port: 80 });
  });
  test('an IngressRoute only on websecure is not reached by the tunnel’s http:// rule: 404', () => {
    const { code, j } = json(['trace', 'admin.example.dev', TRAEFIK]);
    assert.equal(code, 1);
    assert.equal(j.status, 404);
    assert.match(j.stops, /entry point web/);
  });
  test('a class-less Ingress is served by Traefik (the default class)', () => {
    const { code, j } = json(['trace', 'blog.example.dev', TRAEFIK]);
    assert.equal(code, 0);
    assert.equal(j.hops[2]!.kind, 'ingress');
  });
  test('Gateway API: the generated Service’s Gateway, its listener, the HTTPRoute and the weighted backends', () => {
    const { code, j } = json(['trace', 'store.example.org/cart', GATEWAY]);
    assert.equal(code, 0);
    assert.deepEqual(
      j.hops.map((h) => h.kind),
      ['rule', 'service', 'gateway', 'httproute', 'service', 'pod-port'],
    );
    assert.match(j.hops[3]!.detail, /weight 90, 90%.*weight 10, 10%/);
    assert.ok(j.notes.some((n) => /traffic is split/.test(n)));
    assert.deepEqual(j.servedBy, { namespace: 'shop', name: 'store', port: 8080 });
  });
  test('Gateway API: a cross-namespace backend without a ReferenceGrant gets 500; a host without route 404', () => {
    let { code, j } = json(['trace', 'api.example.org', GATEWAY]);
    assert.equal(code, 1);
    assert.equal(j.status, 500);
    assert.match(j.stops, /ReferenceGrant/);
    ({ code, j } = json(['trace', 'x.example.org', GATEWAY]));
    assert.equal(j.status, 404);
  });
});

describe('precedence and class selection as ingress-nginx applies the Ingress API (fixture routing/precedence)', () => {
  const DIR = join(__dirname, '../../../fixtures/routing/precedence');
  const cases: Array<[string, string | null]> = [
    ['api.example.com/v1/users/5', 'users'], // the longest matching path, across Ingresses of the host
    ['api.example.com/v1/health', 'health'], // Exact
    ['api.example.com/v1/healthz', 'v1'], // Exact does not match; Prefix /v1 does
    ['api.example.com/v1x', 'web'], // Prefix matches by element: /v1 is not a prefix of /v1x
    ['api.example.com/v2', 'web'], // the /v2 Ingress is of class traefik: ignored
    ['a.apps.example.com', 'apps'], // *.apps.example.com: one label
    ['a.b.apps.example.com', null], // two labels: no Ingress host matches (the tunnel's wildcard does)
    ['special.apps.example.com', 'special'], // an exact host beats the wildcard
  ];
  for (const [url, service] of cases) {
    test(`${url} → ${service ?? '404'}`, () => {
      const r = run(['trace', url, DIR, '--format', 'json']);
      const j = JSON.parse(r.out) as { servedBy: { name: string } | null; status: number | null };
      if (service === null) {
        assert.equal(j.servedBy, null);
        assert.equal(j.status, 404);
      } else {
        assert.equal(j.servedBy?.name, service);
      }
    });
  }
});

describe('originSettingsOf (a remote configuration’s originRequest)', () => {
  test('the rule’s settings over the configuration’s; other types and empty names are left out', () => {
    assert.deepEqual(originSettingsOf(undefined, null, 'x'), {});
    assert.deepEqual(
      originSettingsOf(
        { httpHostHeader: 'a.internal', originServerName: 'sni.example.com', noTLSVerify: true, connectTimeout: 30 },
        { httpHostHeader: 'b.internal', noTLSVerify: false, matchSNItoHost: true },
      ),
      { httpHostHeader: 'b.internal', originServerName: 'sni.example.com', noTLSVerify: false, matchSNItoHost: true },
    );
    assert.deepEqual(originSettingsOf({ httpHostHeader: '', noTLSVerify: 'true', originServerName: 7 }), {});
  });
});
