/**
 * Drift through an ingress controller (issue #17): tunnel rule hostnames and tunnel CNAMEs that a
 * rule sends to ingress-nginx, against the cluster's Ingresses (drift-route-not-found,
 * drift-route-backend-missing), from the same trace as "Trace Hostname".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { driftConfigFromText, driftDiagnostics, findDrift } from '../../../src/core/drift';
import type { DriftFinding, DriftInput, DriftService } from '../../../src/core/drift';
import { routingObjectsFromCluster } from '../../../src/core/routing/fromCluster';
import type { ClusterKindInput, ClusterServiceInput } from '../../../src/core/routing/fromCluster';
import { traceUrl } from '../../../src/core/routing/trace';
import { LineMap } from '../../../src/core/text';
import type { Range } from '../../../src/core/types';
import { yaml } from '../../support/config';

const PROD = '6ff42ae2-765d-4adf-8112-31c55c1551ef';
const HOME = 'c1744f8b-faa1-48a4-9e5c-02ac921467fa';
const PATH = '/ws/cloudflared/config.yaml';
const NGINX = 'http://ingress-nginx-controller.ingress-nginx.svc.cluster.local:80';

const SERVICES: ClusterServiceInput[] = [
  {
    namespace: 'ingress-nginx',
    name: 'ingress-nginx-controller',
    type: 'LoadBalancer',
    clusterIP: '10.96.0.80',
    labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
    selector: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
    ports: [
      { name: 'http', port: 80, targetPort: 'http' },
      { name: 'https', port: 443, targetPort: 'https' },
    ],
  },
  {
    namespace: 'default',
    name: 'shop',
    clusterIP: '10.96.0.20',
    selector: { app: 'shop' },
    ports: [{ name: 'http', port: 80, targetPort: 8080 }],
  },
];

function ingress(name: string, host: string, service: string, port: number) {
  return {
    metadata: { name, namespace: 'default' },
    spec: {
      ingressClassName: 'nginx',
      rules: [
        {
          host,
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: port } } } }],
          },
        },
      ],
    },
  };
}

function listed(items: unknown[], apiVersion: string): ClusterKindInput {
  return { status: 'listed', items, apiVersions: [apiVersion] };
}

/** shop → Service shop:80 (served); docs → docs-missing (no such Service); blog → shop:8080 (no such port). */
function kinds(): Record<'ingresses' | 'ingressclasses', ClusterKindInput> {
  return {
    ingressclasses: listed(
      [{ metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } }],
      'networking.k8s.io/v1',
    ),
    ingresses: listed(
      [
        ingress('shop', 'shop.example.com', 'shop', 80),
        ingress('docs', 'docs.example.com', 'docs-missing', 80),
        ingress('blog', 'blog.example.com', 'shop', 8080),
      ],
      'networking.k8s.io/v1',
    ),
  };
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

function driftServices(): DriftService[] {
  return SERVICES.map((s) => ({
    name: s.name,
    namespace: s.namespace,
    ...(s.clusterIP ? { clusterIP: s.clusterIP } : {}),
    ports: s.ports.map((p) => ({ port: p.port, ...(p.name ? { name: p.name } : {}) })),
  }));
}

/** A remote tunnel whose named rules go to ingress-nginx, with their CNAMEs. */
function input(
  rules: Array<{ hostname?: string; path?: string; service: string }>,
  records: string[] = [],
): DriftInput {
  return {
    clusterConnected: true,
    services: driftServices(),
    routing: routingObjectsFromCluster({ services: SERVICES, kinds: kinds() }),
    tunnels: [
      { id: PROD, name: 'prod', status: 'healthy', configSrc: 'cloudflare', connectorCount: 2, remoteRules: rules },
    ],
    dnsRecords: records.map((name, i) => cname(`r${i}`, name, PROD)),
    workspaceConfigs: [],
  };
}

function byCode(findings: DriftFinding[], code: string): DriftFinding[] {
  return findings.filter((f) => f.code === code);
}

function only(findings: DriftFinding[], code: string, hostname?: string): DriftFinding {
  const found = byCode(findings, code).filter((f) => hostname === undefined || f.hostname === hostname);
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

function textAt(text: string, r: Range): string {
  const lines = new LineMap(text);
  return text.slice(lines.offset(r.start), lines.offset(r.end));
}

const NAMED = [
  { hostname: 'shop.example.com', service: NGINX },
  { hostname: 'docs.example.com', service: NGINX },
  { hostname: 'none.example.com', service: NGINX },
  { service: 'http_status:404' },
];
const NAMED_DNS = ['shop.example.com', 'docs.example.com', 'none.example.com'];

test('drift-route-not-found: a remote rule sends a hostname to ingress-nginx, which has no Ingress for it', () => {
  const findings = findDrift(input(NAMED, NAMED_DNS));
  const f = only(findings, 'drift-route-not-found');
  assert.equal(f.severity, 'warning');
  assert.equal(f.hostname, 'none.example.com');
  assert.equal(f.tunnelId, PROD);
  assert.match(
    f.message,
    /^none\.example\.com goes to ingress-nginx \(Service ingress-nginx\/ingress-nginx-controller\) through rule #3 of the remote configuration of tunnel 'prod', but no Ingress or route of ingress-nginx serves none\.example\.com: the controller answers 404/,
  );
  assert.equal(f.location, undefined, 'remote rules have no place in a file');
  assert.deepEqual(
    f.actions.map((a) => [a.kind, a.preferred === true]),
    [['open-config', true]],
  );
  // No service drift: the controller's Service exists with the rule's port.
  assert.deepEqual(byCode(findings, 'drift-service-missing'), []);
  assert.deepEqual(byCode(findings, 'drift-port-missing'), []);
});

test('drift-route-backend-missing: the Ingress exists, its backend Service does not (503); the Ingress is revealed', () => {
  const f = only(findDrift(input(NAMED, NAMED_DNS)), 'drift-route-backend-missing');
  assert.equal(f.hostname, 'docs.example.com');
  assert.match(f.message, /Ingress default\/docs routes it to a backend the cluster does not have/);
  assert.match(f.message, /the backend Service default\/docs-missing does not exist: the controller answers 503/);
  assert.deepEqual(f.actions[0], {
    kind: 'reveal-object',
    title: 'Show Ingress default/docs',
    preferred: true,
    data: { object: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: 'default', name: 'docs' } },
  });
  assert.equal(f.actions[1]!.kind, 'open-config');
});

test('drift-route-backend-missing: the backend Service exists without the port', () => {
  const rules = [{ hostname: 'blog.example.com', service: NGINX }, { service: 'http_status:404' }];
  const f = only(findDrift(input(rules, ['blog.example.com'])), 'drift-route-backend-missing');
  assert.match(f.message, /Service default\/shop has no port 8080: the controller answers 503/);
});

test('the finding matches the trace of the same rules and objects', () => {
  const i = input(NAMED, NAMED_DNS);
  const f = only(findDrift(i), 'drift-route-not-found');
  const trace = traceUrl({
    url: 'https://none.example.com/',
    tunnels: [
      {
        name: 'prod',
        rules: NAMED.map((r, index) => ({
          index,
          hostname: r.hostname ?? '',
          path: '',
          service: r.service,
          catchAll: !r.hostname,
          matches: (h: string) => !r.hostname || r.hostname === h,
          origin: {},
          source: {},
        })),
        namespaces: [],
      },
    ],
    objects: i.routing!,
  });
  assert.equal(trace.status, 404);
  assert.ok(f.message.includes(trace.stops!), `${f.message} / ${trace.stops}`);
});

test('served hostnames and rules to other Services give no route finding', () => {
  const rules = [
    { hostname: 'shop.example.com', service: NGINX },
    { hostname: 'direct.example.com', service: 'http://shop.default.svc.cluster.local:80' },
    { service: 'http_status:404' },
  ];
  const findings = findDrift(input(rules, ['shop.example.com', 'direct.example.com']));
  assert.deepEqual(
    findings.filter((f) => f.code.startsWith('drift-route-')),
    [],
  );
});

test('not firing without the routing objects, or while the cluster is not connected', () => {
  const withoutRouting = input(NAMED, NAMED_DNS);
  delete withoutRouting.routing;
  assert.deepEqual(
    findDrift(withoutRouting).filter((f) => f.code.startsWith('drift-route-')),
    [],
  );
  const disconnected = { ...input(NAMED, NAMED_DNS), clusterConnected: false };
  assert.deepEqual(
    findDrift(disconnected).filter((f) => f.code.startsWith('drift-route-')),
    [],
  );
});

test('an uncertain trace says nothing: Ingresses unread, partly listed, or no IngressClass for the controller', () => {
  const unread = input(NAMED, NAMED_DNS);
  unread.routing = routingObjectsFromCluster({
    services: SERVICES,
    kinds: { ...kinds(), ingresses: { status: 'forbidden', items: [], apiVersions: [], message: 'forbidden' } },
  });
  assert.deepEqual(
    findDrift(unread).filter((f) => f.code.startsWith('drift-route-')),
    [],
  );

  const partial = input(NAMED, NAMED_DNS);
  partial.routing = routingObjectsFromCluster({
    services: SERVICES,
    kinds: { ...kinds(), ingresses: { ...kinds().ingresses, partial: true, note: 'only default was listed' } },
  });
  assert.deepEqual(byCode(findDrift(partial), 'drift-route-not-found'), []);

  const noClass = input(NAMED, NAMED_DNS);
  noClass.routing = routingObjectsFromCluster({ services: SERVICES, kinds: { ingresses: kinds().ingresses } });
  assert.deepEqual(
    findDrift(noClass).filter((f) => f.code.startsWith('drift-route-')),
    [],
  );
});

test('a wildcard rule to the controller: the CNAMEs it covers are traced, each its own finding', () => {
  const rules = [{ hostname: '*.example.com', service: NGINX }, { service: 'http_status:404' }];
  const findings = findDrift(
    input(rules, ['shop.example.com', 'docs.example.com', 'wiki.example.com', '*.example.com']),
  );
  const nf = only(findings, 'drift-route-not-found');
  assert.equal(nf.hostname, 'wiki.example.com');
  assert.equal(nf.recordId, 'r2');
  assert.match(
    nf.message,
    /^The CNAME wiki\.example\.com routes to tunnel 'prod', whose wildcard \*\.example\.com rule #1 \(remote configuration\) sends it to ingress-nginx \(Service ingress-nginx\/ingress-nginx-controller\), but no Ingress or route of ingress-nginx serves wiki\.example\.com: the controller answers 404/,
  );
  assert.deepEqual(
    nf.actions.map((a) => a.kind),
    ['open-config', 'delete-dns-record'],
  );
  const bm = only(findings, 'drift-route-backend-missing');
  assert.equal(bm.hostname, 'docs.example.com');
  assert.equal(bm.recordId, 'r1');
  // The wildcard record itself is no hostname to trace; the served one says nothing.
  assert.equal(findings.filter((f) => f.code.startsWith('drift-route-')).length, 2);
});

test('a catch-all to the controller: a CNAME only it takes is traced, not drift-cname-without-rule', () => {
  const rules = [{ hostname: 'app.example.com', service: 'http://shop.default.svc:80' }, { service: NGINX }];
  const findings = findDrift(input(rules, ['app.example.com', 'shop.example.com', 'wiki.example.com']));
  assert.deepEqual(byCode(findings, 'drift-cname-without-rule'), []);
  const f = only(findings, 'drift-route-not-found');
  assert.equal(f.hostname, 'wiki.example.com');
  assert.match(f.message, /whose catch-all rule #2 \(remote configuration\) sends it to ingress-nginx/);

  // Without the routing objects, the old finding stands.
  const without = input(rules, ['app.example.com', 'shop.example.com', 'wiki.example.com']);
  delete without.routing;
  assert.equal(byCode(findDrift(without), 'drift-cname-without-rule').length, 2);
});

test('workspace config: the finding sits on the rule hostname in config.yaml; httpHostHeader is followed', () => {
  const text = yaml`
    tunnel: home
    credentials-file: /etc/cloudflared/creds/credentials.json
    ingress:
      - hostname: none.example.com
        service: ${NGINX}
      - hostname: docs.example.com
        service: ${NGINX}
      - hostname: alias.example.com
        service: ${NGINX}
        originRequest:
          httpHostHeader: shop.example.com
      - service: http_status:404
  `;
  const cfg = driftConfigFromText(PATH, text);
  assert.ok(cfg);
  const i: DriftInput = {
    ...input([{ service: 'http_status:404' }]),
    tunnels: [{ id: HOME, name: 'home', status: 'healthy', configSrc: 'local', connectorCount: 1 }],
    dnsRecords: ['none.example.com', 'docs.example.com', 'alias.example.com'].map((n, k) => cname(`w${k}`, n, HOME)),
    workspaceConfigs: [cfg],
  };
  const findings = findDrift(i);
  const nf = only(findings, 'drift-route-not-found');
  assert.equal(nf.hostname, 'none.example.com');
  assert.equal(textAt(text, nf.location!.range), 'none.example.com');
  assert.match(nf.message, /through rule #1 of tunnel 'home'/);
  assert.deepEqual(nf.actions[0], {
    kind: 'open-config',
    title: 'Open rule #1',
    preferred: true,
    data: { path: PATH, range: cfg.rules[0]!.range },
  });
  const bm = only(findings, 'drift-route-backend-missing');
  assert.equal(textAt(text, bm.location!.range), 'docs.example.com');
  // alias.example.com reaches ingress-nginx as shop.example.com, which it serves.
  assert.equal(findings.filter((f) => f.hostname === 'alias.example.com').length, 0);

  const diagnostics = driftDiagnostics(findings, PATH).filter((d) => d.code.startsWith('drift-route-'));
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.severity, textAt(text, d.range)]),
    [
      ['drift-route-not-found', 'warning', 'none.example.com'],
      ['drift-route-backend-missing', 'warning', 'docs.example.com'],
    ],
  );
});

test('a workspace config whose tunnel is not known (not signed in) is still checked against the cluster', () => {
  const text = yaml`
    tunnel: somewhere
    credentials-file: /etc/cloudflared/creds/credentials.json
    ingress:
      - hostname: none.example.com
        service: ${NGINX}
      - service: http_status:404
  `;
  const i: DriftInput = {
    ...input([]),
    tunnels: [],
    dnsRecords: [],
    workspaceConfigs: [driftConfigFromText(PATH, text)!],
  };
  const f = only(findDrift(i), 'drift-route-not-found');
  assert.equal(f.tunnelId, undefined);
  assert.match(f.message, /through rule #1,/);
});

test('a rule whose path is a literal prefix is traced at that path', () => {
  const rules = [
    { hostname: 'docs.example.com', path: '^/api/', service: 'http://shop.default.svc:80' },
    { hostname: 'docs.example.com', service: NGINX },
    { service: 'http_status:404' },
  ];
  const findings = findDrift(input(rules, ['docs.example.com']));
  const f = only(findings, 'drift-route-backend-missing');
  assert.match(f.message, /through rule #2 /);
});
