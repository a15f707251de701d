/**
 * The routing checks (src/core/workspace/checks/routing.ts): tunnel rules through the ingress
 * controller to the Ingresses of the workspace, on the nginx fixture (test/fixtures/routing/nginx)
 * and variants of it; each code firing and not firing, the incremental model, and the CLI.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../../src/cli/main';
import { MemoryFs, findings, open, write } from './memory';

const FIXTURE = join(__dirname, '../../../fixtures/routing/nginx');
const APPS = readFileSync(join(FIXTURE, 'apps.yaml'), 'utf8');
const CONTROLLER = readFileSync(join(FIXTURE, 'ingress-nginx.yaml'), 'utf8');
const CONFIG = readFileSync(join(FIXTURE, 'cloudflared/config.yaml'), 'utf8');

const APPS_PATH = '/repo/apps.yaml';
const CONFIG_PATH = '/repo/cloudflared/config.yaml';
const NGINX = 'http://ingress-nginx-controller.ingress-nginx.svc.cluster.local:80';
const NGINX_TLS = 'https://ingress-nginx-controller.ingress-nginx.svc.cluster.local:443';

function setup(files: Record<string, string | undefined> = {}): MemoryFs {
  const all: Record<string, string | undefined> = {
    [APPS_PATH]: APPS,
    '/repo/ingress-nginx.yaml': CONTROLLER,
    [CONFIG_PATH]: CONFIG,
    ...files,
  };
  return new MemoryFs(Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined)));
}

/** A config with the given rules (YAML list items, indented by two) and a 404 catch-all. */
function config(rules: string): string {
  return `tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef\ncredentials-file: /etc/cloudflared/creds/credentials.json\ningress:\n${rules}  - service: http_status:404\n`;
}

function routeFindings(fs: MemoryFs): string[] {
  return findings(fs, open(fs)).filter((f) => / route-/.test(f));
}

function messages(fs: MemoryFs, path: string, code: string): string[] {
  return open(fs)
    .diagnostics(path)
    .filter((d) => d.code === code)
    .map((d) => d.message);
}

describe('routing checks', () => {
  test('the fixture: docs has no backend Service, example.com no Ingress, secure.example.com loops; shop is fine', () => {
    const fs = setup();
    assert.deepEqual(routeFindings(fs), [
      'apps.yaml:68 route-backend-missing [docs]',
      'cloudflared/config.yaml:4 route-not-found [example.com]',
      `cloudflared/config.yaml:7 route-redirect-loop [${NGINX}]`,
    ]);
    const ws = open(fs);
    const [backend] = ws.diagnostics(APPS_PATH);
    assert.equal(backend?.severity, 'warning');
    assert.match(backend!.message, /no Service docs in namespace web, where the workspace defines shop/);
    assert.match(backend!.message, /503/);
    assert.match(backend!.message, /namespaces where the workspace defines no Service are not judged/);
    const [notFound, loop] = ws.diagnostics(CONFIG_PATH);
    assert.match(notFound!.message, /example\.com goes to ingress-nginx .*no Ingress has host example\.com.*404/);
    assert.match(notFound!.message, /Add an Ingress of class nginx with host example\.com/);
    assert.match(loop!.message, /secure\.example\.com \(Ingress web\/secure/);
    assert.match(loop!.message, /ssl-redirect: "false"/);
  });

  test('route-backend-missing: a missing port by name and by number; not judged where no Service is defined', () => {
    const ports = APPS.replace('                  name: http\n', '                  name: web\n').replace(
      /(name: secure[\s\S]*?number: )80/,
      '$181',
    );
    assert.deepEqual(routeFindings(setup({ [APPS_PATH]: ports })), [
      'apps.yaml:51 route-backend-missing [web]',
      'apps.yaml:68 route-backend-missing [docs]',
      'apps.yaml:92 route-backend-missing [81]',
      'cloudflared/config.yaml:4 route-not-found [example.com]',
      `cloudflared/config.yaml:7 route-redirect-loop [${NGINX}]`,
    ]);
    const msgs = messages(setup({ [APPS_PATH]: ports }), APPS_PATH, 'route-backend-missing');
    assert.match(msgs[0]!, /Service web\/shop \(apps\.yaml\) has no port named web: its ports are 80 \(http\)/);
    // The docs Ingress in a namespace where the workspace defines no Service: not judged.
    const elsewhere = APPS.replace(/(name: docs\n  namespace: )web/, '$1docs');
    assert.ok(!routeFindings(setup({ [APPS_PATH]: elsewhere })).some((f) => f.includes('route-backend-missing')));
  });

  test('route-not-found: a concrete host without Ingress; nothing for a host with one, or for a wildcard', () => {
    const fs = setup({
      [CONFIG_PATH]: config(
        `  - hostname: app.example.com\n    service: ${NGINX}\n  - hostname: shop.example.com\n    service: ${NGINX}\n  - hostname: "*.example.com"\n    service: ${NGINX}\n`,
      ),
    });
    const found = routeFindings(fs).filter((f) => f.includes('route-not-found'));
    assert.deepEqual(found, ['cloudflared/config.yaml:3 route-not-found [app.example.com]']);
  });

  test('route-not-found lands in the ConfigMap that holds the config', () => {
    const cm = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cloudflared\n  namespace: cloudflared\ndata:\n  config.yaml: |\n    tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef\n    ingress:\n      - hostname: app.example.com\n        service: ${NGINX}\n      - service: http_status:404\n`;
    const fs = setup({ [CONFIG_PATH]: undefined, '/repo/cloudflared/configmap.yaml': cm });
    const found = routeFindings(fs).filter((f) => f.startsWith('cloudflared/'));
    assert.deepEqual(found, ['cloudflared/configmap.yaml:9 route-not-found [app.example.com]']);
  });

  test('route-tls-sni: https:// to the controller without originServerName; fine with it', () => {
    const bare = setup({ [CONFIG_PATH]: config(`  - hostname: shop.example.com\n    service: ${NGINX_TLS}\n`) });
    assert.deepEqual(
      routeFindings(bare).filter((f) => f.startsWith('cloudflared/')),
      [`cloudflared/config.yaml:4 route-tls-sni [${NGINX_TLS}]`],
    );
    assert.match(messages(bare, CONFIG_PATH, 'route-tls-sni')[0]!, /originServerName/);
    for (const setting of ['originServerName: shop.example.com', 'noTLSVerify: true', 'matchSNItoHost: true']) {
      const ok = setup({
        [CONFIG_PATH]: config(
          `  - hostname: shop.example.com\n    service: ${NGINX_TLS}\n    originRequest:\n      ${setting}\n`,
        ),
      });
      assert.deepEqual(
        routeFindings(ok).filter((f) => f.startsWith('cloudflared/')),
        [],
        setting,
      );
    }
    // The config's own originRequest counts for every rule.
    const top = setup({
      [CONFIG_PATH]: config(`  - hostname: shop.example.com\n    service: ${NGINX_TLS}\n`).replace(
        'ingress:\n',
        'originRequest:\n  noTLSVerify: true\ningress:\n',
      ),
    });
    assert.deepEqual(
      routeFindings(top).filter((f) => f.startsWith('cloudflared/')),
      [],
    );
  });

  test('route-host-header: names the route the header hits, or the 404; nothing when it is the rule hostname', () => {
    const rule = (header: string): string =>
      config(
        `  - hostname: app.example.com\n    service: ${NGINX}\n    originRequest:\n      httpHostHeader: ${header}\n`,
      );
    const hits = setup({ [CONFIG_PATH]: rule('shop.example.com') });
    assert.deepEqual(
      routeFindings(hits).filter((f) => f.startsWith('cloudflared/')),
      ['cloudflared/config.yaml:6 route-host-header [shop.example.com]'],
    );
    assert.match(
      messages(hits, CONFIG_PATH, 'route-host-header')[0]!,
      /routes every request of this rule as shop\.example\.com: .*shop\.example\.com Prefix \/ → Service shop:http/,
    );
    const misses = setup({ [CONFIG_PATH]: rule('nothing.example.com') });
    assert.deepEqual(
      routeFindings(misses).filter((f) => f.startsWith('cloudflared/')),
      ['cloudflared/config.yaml:6 route-host-header [nothing.example.com]'],
    );
    assert.match(
      messages(misses, CONFIG_PATH, 'route-host-header')[0]!,
      /no route for nothing\.example\.com and answers 404/,
    );
    const same = setup({
      [CONFIG_PATH]: config(
        `  - hostname: shop.example.com\n    service: ${NGINX}\n    originRequest:\n      httpHostHeader: shop.example.com\n`,
      ),
    });
    assert.deepEqual(
      routeFindings(same).filter((f) => f.startsWith('cloudflared/')),
      [],
    );
  });

  test('route-redirect-loop: not with ssl-redirect "false" on the Ingress, nor over https with originServerName', () => {
    const off = APPS.replace(
      '  name: secure\n  namespace: web\n',
      '  name: secure\n  namespace: web\n  annotations:\n    nginx.ingress.kubernetes.io/ssl-redirect: "false"\n',
    );
    assert.ok(!routeFindings(setup({ [APPS_PATH]: off })).some((f) => f.includes('route-redirect-loop')));
    const https = setup({
      [CONFIG_PATH]: config(
        `  - hostname: secure.example.com\n    service: ${NGINX_TLS}\n    originRequest:\n      originServerName: secure.example.com\n`,
      ),
    });
    assert.ok(!routeFindings(https).some((f) => f.includes('route-redirect-loop')));
    const concrete = setup({ [CONFIG_PATH]: config(`  - hostname: secure.example.com\n    service: ${NGINX}\n`) });
    assert.deepEqual(
      routeFindings(concrete).filter((f) => f.startsWith('cloudflared/')),
      [`cloudflared/config.yaml:4 route-redirect-loop [${NGINX}]`],
    );
  });

  test('route-class-unserved: information on the class no controller serves; not without a controller', () => {
    const traefik = APPS.replace(/(name: shop\n  namespace: web\nspec:\n  ingressClassName: )nginx/, '$1traefik');
    const fs = setup({ [APPS_PATH]: traefik });
    assert.ok(routeFindings(fs).includes('apps.yaml:40 route-class-unserved [traefik]'));
    const ws = open(fs);
    const d = ws.diagnostics(APPS_PATH).find((x) => x.code === 'route-class-unserved')!;
    assert.equal(d.severity, 'information');
    assert.match(
      d.message,
      /ingress-nginx \(Service ingress-nginx\/ingress-nginx-controller\) ignores it: its ingressClassName traefik is not ingress-nginx's/,
    );
    assert.match(d.message, /set ingressClassName to nginx/);
    // The class belongs to a controller outside the workspace (its IngressClass says so): nothing.
    const alb = `${traefik.replace('ingressClassName: traefik', 'ingressClassName: alb')}---\napiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: alb\nspec:\n  controller: ingress.k8s.aws/alb\n`;
    assert.ok(!routeFindings(setup({ [APPS_PATH]: alb })).some((f) => f.includes('route-class-unserved')));
    // No controller in the workspace: nothing to judge by.
    assert.ok(
      !routeFindings(setup({ [APPS_PATH]: traefik, '/repo/ingress-nginx.yaml': undefined })).some((f) =>
        f.includes('route-class-unserved'),
      ),
    );
    // The fixture's class-less docs Ingress gets the default class: served.
    assert.ok(!routeFindings(setup()).some((f) => f.includes('route-class-unserved')));
  });

  test('route-unreachable-host: hosts no tunnel rule reaches, once a rule goes to the controller', () => {
    const only = setup({ [CONFIG_PATH]: config(`  - hostname: shop.example.com\n    service: ${NGINX}\n`) });
    assert.deepEqual(
      routeFindings(only).filter((f) => f.includes('route-unreachable-host')),
      [
        'apps.yaml:61 route-unreachable-host [docs.example.com]',
        'apps.yaml:83 route-unreachable-host [secure.example.com]',
      ],
    );
    const [m] = messages(only, APPS_PATH, 'route-unreachable-host');
    assert.match(m!, /No tunnel rule of the workspace sends docs\.example\.com to a Service/);
    // The fixture's wildcard rule reaches them all.
    assert.ok(!routeFindings(setup()).some((f) => f.includes('route-unreachable-host')));
    // No rule goes to the controller: the Ingresses may be meant for something else.
    const direct = setup({
      [CONFIG_PATH]: config('  - hostname: shop.example.com\n    service: http://shop.web.svc.cluster.local:80\n'),
    });
    assert.ok(!routeFindings(direct).some((f) => f.includes('route-unreachable-host')));
  });

  test('an edit to the Ingress file re-runs the checks; an edit elsewhere does not', () => {
    const fs = setup({
      '/repo/policy.yaml':
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: a\nspec:\n  podSelector: {}\n',
    });
    const ws = open(fs);
    assert.ok(findings(fs, ws).includes('cloudflared/config.yaml:4 route-not-found [example.com]'));
    const before = ws.diagnostics(CONFIG_PATH);
    write(fs, ws, '/repo/policy.yaml', fs.files.get('/repo/policy.yaml')!.replace('name: a', 'name: b'));
    assert.equal(ws.diagnostics(CONFIG_PATH), before, 'a file without routing objects does not re-run the checks');
    const apex = `${APPS}---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: apex\n  namespace: web\nspec:\n  ingressClassName: nginx\n  rules:\n    - host: example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: shop\n                port:\n                  number: 80\n`;
    write(fs, ws, APPS_PATH, apex);
    assert.ok(!findings(fs, ws).some((f) => f.includes('route-not-found')));
    write(fs, ws, APPS_PATH, APPS);
    assert.ok(findings(fs, ws).includes('cloudflared/config.yaml:4 route-not-found [example.com]'));
    // The controller's file: without it nothing goes to a controller.
    write(fs, ws, '/repo/ingress-nginx.yaml', undefined);
    assert.ok(!findings(fs, ws).some((f) => / route-(not-found|redirect-loop)/.test(f)));
  });

  test('cftunnel check prints the codes for the fixture', () => {
    let out = '';
    const code = main(['check', FIXTURE], { out: (t) => (out += `${t}\n`), err: (t) => (out += `${t}\n`) });
    assert.equal(code, 0, out);
    assert.match(out, /apps\.yaml:69:\d+: warning: .*\[route-backend-missing\]/);
    assert.match(out, /config\.yaml:5:\d+: warning: .*\[route-not-found\]/);
    assert.match(out, /config\.yaml:8:\d+: warning: .*\[route-redirect-loop\]/);
    assert.match(out, /3 file\(s\) checked: 0 error\(s\), 3 warning\(s\)/);
  });
});

test('Traefik: a rule whose host only an IngressRoute serves is not route-not-found; one on another entry point is', () => {
  const dir = join(__dirname, '../../../fixtures/routing/traefik');
  const fs = new MemoryFs({
    '/repo/traefik.yaml': readFileSync(join(dir, 'traefik.yaml'), 'utf8'),
    '/repo/apps.yaml': readFileSync(join(dir, 'apps.yaml'), 'utf8'),
    [CONFIG_PATH]: config(
      '  - hostname: whoami.example.dev\n    service: http://traefik.kube-system.svc.cluster.local:80\n  - hostname: admin.example.dev\n    service: http://traefik.kube-system.svc.cluster.local:80\n',
    ),
  });
  assert.deepEqual(routeFindings(fs), [
    'apps.yaml:68 route-unreachable-host [blog.example.dev]', // no rule sends blog.example.dev to Traefik
    'cloudflared/config.yaml:5 route-not-found [admin.example.dev]', // its IngressRoute is on websecure only
  ]);
});

describe('backends of HTTPRoutes and IngressRoutes', () => {
  const route = (backend: string): string =>
    `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\n  namespace: shop\nspec:\n  parentRefs: [{name: edge, namespace: infra}]\n  rules:\n    - backendRefs:\n${backend}`;
  const services =
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: store\n  namespace: shop\nspec:\n  selector: {app: store}\n  ports: [{port: 8080}]\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: backend\nspec:\n  selector: {app: api}\n  ports: [{port: 80}]\n';
  const grant =
    'apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata:\n  name: from-shop\n  namespace: backend\nspec:\n  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}]\n  to: [{group: "", kind: Service}]\n';

  test('an HTTPRoute backend that does not exist, a missing port, a cross-namespace ref without grant', () => {
    const fs = new MemoryFs({
      '/repo/svc.yaml': services,
      '/repo/route.yaml': route(
        '        - {name: stor, port: 8080}\n        - {name: store, port: 80}\n        - {name: api, namespace: backend, port: 80}\n        - {name: store, port: 8080}\n',
      ),
    });
    assert.deepEqual(routeFindings(fs), [
      'route.yaml:9 route-backend-missing [stor]',
      'route.yaml:10 route-backend-missing [80]',
      'route.yaml:11 route-backend-refused [backend]',
    ]);
    write(fs, open(fs), '/repo/grant.yaml', grant);
    assert.deepEqual(
      routeFindings(fs).filter((f) => f.includes('refused')),
      [],
      'a ReferenceGrant in the backend namespace allows it',
    );
  });

  test('an IngressRoute service in another namespace is refused unless Traefik allows cross-namespace references', () => {
    const ir =
      'apiVersion: traefik.io/v1alpha1\nkind: IngressRoute\nmetadata:\n  name: r\n  namespace: shop\nspec:\n  routes:\n    - match: Host(`a.example.dev`)\n      services:\n        - name: api\n          namespace: backend\n          port: 80\n        - name: store\n          port: web\n';
    const fs = new MemoryFs({ '/repo/svc.yaml': services, '/repo/ir.yaml': ir });
    assert.deepEqual(routeFindings(fs), [
      'ir.yaml:10 route-backend-refused [backend]',
      'ir.yaml:13 route-backend-missing [web]',
    ]);
  });

  test('kustomize renames a Service: Ingress backends follow it in their build, HTTPRoute and IngressRoute references do not', () => {
    const fixture = join(__dirname, '../../../fixtures/routing/kustomize');
    const files: Record<string, string> = {};
    for (const f of ['base/kustomization.yaml', 'base/apps.yaml', 'prod/kustomization.yaml'])
      files[`/repo/${f}`] = readFileSync(join(fixture, f), 'utf8');
    const fs = new MemoryFs(files);
    // The Ingress's `shop` backends are renamed with the Service (no finding), `elsewhere` is no Service.
    assert.deepEqual(routeFindings(fs), [
      'base/apps.yaml:48 route-backend-missing [elsewhere]',
      'base/apps.yaml:69 route-parent-missing [gw]',
      'base/apps.yaml:74 route-backend-missing [shop]',
      'base/apps.yaml:88 route-backend-missing [shop]',
    ]);
    const ws = open(fs);
    const [parent] = ws.diagnostics('/repo/base/apps.yaml').filter((d) => d.code === 'route-parent-missing');
    assert.match(
      parent!.message,
      /HTTPRoute apps\/prod-web-shop-v1: no Gateway gw in namespace apps, where the workspace defines prod-web-gw-v1: .* renames Gateway gw \(apps\.yaml\) to prod-web-gw-v1 and does not follow the rename into parentRefs/,
    );
    assert.deepEqual(
      parent!.fixes?.map((f) => [f.title, f.edits.map((e) => e.newText)]),
      [["Use Gateway 'prod-web-gw-v1'", ['prod-web-gw-v1']]],
    );
    const [elsewhere, route, ingressRoute] = ws
      .diagnostics('/repo/base/apps.yaml')
      .filter((d) => d.code === 'route-backend-missing');
    assert.doesNotMatch(elsewhere!.message, /kustomize/);
    assert.equal(elsewhere!.fixes, undefined);
    assert.match(
      route!.message,
      /HTTPRoute apps\/prod-web-shop-v1: no Service shop in namespace apps: .* kustomize's namePrefix\/nameSuffix renames Service shop \(apps\.yaml\) to prod-web-shop-v1 and follows the rename into Ingresses only, not into HTTPRoute references: write prod-web-shop-v1, or declare the reference to kustomize/,
    );
    assert.match(ingressRoute!.message, /not into IngressRoute references/);
    for (const d of [route!, ingressRoute!]) {
      assert.deepEqual(
        d.fixes?.map((f) => [f.title, f.edits.map((e) => e.newText)]),
        [["Use Service 'prod-web-shop-v1'", ['prod-web-shop-v1']]],
      );
    }
    // The quick fix's name (the name the cluster has): nothing left to report on those two.
    write(
      fs,
      ws,
      '/repo/base/apps.yaml',
      files['/repo/base/apps.yaml']!.replace(/^( {8}- name: )shop$/gm, '$1prod-web-shop-v1').replace(
        /^( {4}- name: )gw$/m,
        '$1prod-web-gw-v1',
      ),
    );
    assert.deepEqual(routeFindings(fs), ['base/apps.yaml:48 route-backend-missing [elsewhere]']);
    // A `configurations` entry may teach kustomize the references: names are then read as written.
    write(
      fs,
      ws,
      '/repo/prod/kustomization.yaml',
      `${files['/repo/prod/kustomization.yaml']}configurations:\n  - refs.yaml\n`,
    );
    write(fs, ws, '/repo/base/apps.yaml', files['/repo/base/apps.yaml']);
    assert.deepEqual(
      ws
        .diagnostics('/repo/base/apps.yaml')
        .filter((d) => d.code === 'route-backend-missing')
        .map((d) => d.message.split(':')[0]),
      ['Ingress apps/shop'],
      'only the Ingress backend that names no Service at all',
    );
  });

  test("kustomize renames an IngressClass but not an Ingress's ingressClassName: unserved, says why, fixes the name", () => {
    const fixture = join(__dirname, '../../../fixtures/routing/kustomize');
    const apps = readFileSync(join(fixture, 'base/apps.yaml'), 'utf8');
    const fs = new MemoryFs({
      '/repo/base/kustomization.yaml': readFileSync(join(fixture, 'base/kustomization.yaml'), 'utf8'),
      '/repo/base/apps.yaml': apps,
      '/repo/prod/kustomization.yaml': readFileSync(join(fixture, 'prod/kustomization.yaml'), 'utf8'),
      // The controller without its own IngressClass nginx (the fixture's last document).
      '/repo/ingress-nginx.yaml': CONTROLLER.split('\n---\n').slice(0, -1).join('\n---\n'),
    });
    assert.match(CONTROLLER.split('\n---\n').at(-1)!, /^kind: IngressClass$/m);
    const ws = open(fs);
    const [unserved, ...more] = ws.diagnostics('/repo/base/apps.yaml').filter((d) => d.code === 'route-class-unserved');
    assert.equal(more.length, 0);
    assert.match(
      unserved!.message,
      /kustomize's namePrefix\/nameSuffix renames IngressClass nginx \(apps\.yaml\) to prod-web-nginx-v1 and does not follow the rename into ingressClassName: write prod-web-nginx-v1/,
    );
    assert.deepEqual(
      unserved!.fixes?.map((f) => [f.title, f.edits.map((e) => e.newText)]),
      [["Use IngressClass 'prod-web-nginx-v1'", ['prod-web-nginx-v1']]],
    );
    // With the class kustomize gives it, the controller serves the Ingress.
    write(
      fs,
      ws,
      '/repo/base/apps.yaml',
      apps.replace('ingressClassName: nginx', 'ingressClassName: prod-web-nginx-v1'),
    );
    assert.deepEqual(
      ws.diagnostics('/repo/base/apps.yaml').filter((d) => d.code === 'route-class-unserved'),
      [],
    );
  });

  test('an HTTPRoute whose parentRef names no Gateway of a namespace that has Gateways: route-parent-missing', () => {
    const gateway = (name: string, ns: string) =>
      `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  gatewayClassName: envoy\n  listeners:\n    - name: http\n      port: 80\n      protocol: HTTP\n`;
    const route = (parents: string) =>
      `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\n  namespace: shop\nspec:\n  parentRefs:\n${parents}  hostnames: [a.example.dev]\n  rules:\n    - backendRefs:\n        - {name: store, port: 8080}\n`;
    const fs = new MemoryFs({
      '/repo/svc.yaml': services,
      '/repo/gw.yaml': `${gateway('public', 'gateways')}---\n${gateway('internal', 'gateways')}`,
      '/repo/route.yaml': route(
        '    - {name: publik, namespace: gateways}\n    - {name: public, namespace: gateways}\n    - {name: edge, namespace: elsewhere}\n    - {name: svc, kind: Service, group: ""}\n',
      ),
    });
    // The typo is reported; the right name, a namespace without Gateways and a non-Gateway parent are not.
    assert.deepEqual(routeFindings(fs), ['route.yaml:7 route-parent-missing [publik]']);
    const [d] = open(fs).diagnostics('/repo/route.yaml');
    assert.match(d!.message, /no Gateway publik in namespace gateways, where the workspace defines internal, public/);
    assert.equal(d!.fixes, undefined);
  });
});
