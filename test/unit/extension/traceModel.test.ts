/** "Trace Hostname…" as plain data (src/extension/traceModel.ts): arguments, choices, lenses, the answer's items. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ENTER_URL_LABEL,
  hostnameChoices,
  inputSelection,
  literalPath,
  noConfigMessage,
  traceArgument,
  traceItems,
  traceLenses,
  traceTitle,
  validateTraceUrl,
} from '../../../src/extension/traceModel';
import type { TraceAnswer } from '../../../src/shared/trace';
import type { WorkspaceConfig, WorkspaceConfigRule } from '../../../src/shared/workspaceConfigs';

const range = (line: number) => ({ start: { line, character: 4 }, end: { line, character: 30 } });
const rule = (line: number, hostname: string | undefined, service: string, path?: string): WorkspaceConfigRule => ({
  ...(hostname ? { hostname, hostnameRange: range(line) } : {}),
  ...(path ? { path } : {}),
  service,
  range: range(line),
});
const config = (path: string, rules: WorkspaceConfigRule[], exact = true): WorkspaceConfig => ({
  uri: `file://${path}`,
  path,
  tunnel: 'home',
  rules,
  embedded: false,
  exact,
});
const relative = (path: string): string => path.replace('/ws/', '');

const SERVED: TraceAnswer = {
  tunnels: 1,
  openDocumentsOnly: false,
  result: {
    url: 'shop.example.com',
    host: 'shop.example.com',
    path: '/',
    hops: [
      {
        kind: 'rule',
        file: '/ws/cloudflared/config.yaml',
        uri: 'file:///ws/cloudflared/config.yaml',
        line: 7,
        detail: 'rule #2 *.example.com → http://ingress-nginx-controller.ingress-nginx.svc.cluster.local:80',
      },
      {
        kind: 'ingress',
        namespace: 'web',
        name: 'shop',
        file: '/ws/apps.yaml',
        uri: 'file:///ws/apps.yaml',
        line: 38,
        detail: 'ingress-nginx routes shop.example.com Prefix / → Service shop:http',
      },
      {
        kind: 'service',
        namespace: 'web',
        name: 'shop',
        detail: 'backend: Service web/shop port 80',
        object: { apiVersion: 'v1', kind: 'Service', namespace: 'web', name: 'shop' },
      },
    ],
    servedBy: { namespace: 'web', name: 'shop', port: 80 },
    certain: true,
    notes: [],
    warnings: [],
  },
};

describe('the command argument', () => {
  test('a string, a CodeLens target, a Tunnels view hostname (with its literal path); the catch-all asks', () => {
    assert.equal(traceArgument(' shop.example.com '), 'shop.example.com');
    assert.equal(traceArgument({ url: 'api.example.com/v1' }), 'api.example.com/v1');
    assert.equal(
      traceArgument({ type: 'hostname', hostname: { hostname: 'api.example.com', path: '^/v1/' } }),
      'api.example.com/v1/',
    );
    assert.equal(
      traceArgument({ type: 'hostname', hostname: { hostname: 'api.example.com', path: '\\.(jpg|png)$' } }),
      'api.example.com',
    );
    assert.equal(traceArgument({ type: 'hostname', hostname: { catchAll: true } }), undefined);
    assert.equal(traceArgument(undefined), undefined);
    assert.equal(traceArgument({ type: 'tunnel' }), undefined);
  });

  test('literal paths only', () => {
    assert.equal(literalPath('/api'), '/api');
    assert.equal(literalPath('^/api/$'), '/api/');
    assert.equal(literalPath('/api/.*'), undefined);
    assert.equal(literalPath(undefined), undefined);
  });

  test('the input: a pattern has its * selected and is refused until replaced; bad URLs say why', () => {
    assert.deepEqual(inputSelection('*.example.com'), [0, 1]);
    assert.deepEqual(inputSelection('shop.example.com'), [0, 16]);
    assert.match(validateTraceUrl('*.example.com')!, /Replace \*/);
    assert.equal(validateTraceUrl('shop.example.com/cart'), undefined);
    assert.match(validateTraceUrl('ftp://x.example.com')!, /^Ftp:|only http and https/);
  });
});

describe('the hostnames offered and the lenses', () => {
  const configs = [
    config('/ws/a/config.yaml', [
      rule(4, 'example.com', 'http://nginx:80'),
      rule(6, '*.example.com', 'http://nginx:80'),
      rule(8, 'api.example.com', 'http://api:80', '/v1'),
      rule(10, undefined, 'http_status:404'),
    ]),
    config('/ws/b/config.yaml', [rule(3, 'example.com', 'http://other:80')]),
    config('/ws/c/configmap.yaml', [rule(12, 'cm.example.com', 'http://cm:80')], false),
  ];

  test('each routed hostname once, in rule order, then "Enter a URL…"', () => {
    const choices = hostnameChoices(configs, relative);
    assert.deepEqual(
      choices.map((c) => [c.label, c.url]),
      [
        ['example.com', 'example.com'],
        ['*.example.com', '*.example.com'],
        ['api.example.com/v1', 'api.example.com/v1'],
        ['cm.example.com', 'cm.example.com'],
        [ENTER_URL_LABEL, undefined],
      ],
    );
    assert.equal(choices[0]!.description, '→ http://nginx:80 · a/config.yaml');
    assert.deepEqual(hostnameChoices([], relative), [{ label: ENTER_URL_LABEL }]);
  });

  test('a lens on each rule with a hostname, at its hostname; none where the ranges are not exact', () => {
    assert.deepEqual(
      traceLenses(configs.slice(0, 1)).map((l) => [l.range.start.line, l.url]),
      [
        [4, 'example.com'],
        [6, '*.example.com'],
        [8, 'api.example.com/v1'],
      ],
    );
    assert.deepEqual(traceLenses(configs.slice(2)), []);
  });
});

describe('the answer', () => {
  test('served: the verdict is the title, one item per hop with its icon, detail and relative file:line', () => {
    assert.equal(traceTitle(SERVED.result), 'shop.example.com → Service web/shop port 80');
    const items = traceItems(SERVED, relative);
    assert.deepEqual(
      items.map((i) => [i.label, i.description, i.open]),
      [
        [
          '$(symbol-event) 1. Tunnel rule',
          'cloudflared/config.yaml:7',
          { file: '/ws/cloudflared/config.yaml', uri: 'file:///ws/cloudflared/config.yaml', line: 7 },
        ],
        [
          '$(type-hierarchy-sub) 2. Ingress web/shop',
          'apps.yaml:38',
          { file: '/ws/apps.yaml', uri: 'file:///ws/apps.yaml', line: 38 },
        ],
        ['$(symbol-interface) 3. Service web/shop', 'in the cluster', undefined],
      ],
    );
    assert.equal(items[1]!.detail, SERVED.result.hops[1]!.detail);
  });

  test('not served, uncertain, with warnings and notes: each shown, none openable', () => {
    const answer: TraceAnswer = {
      tunnels: 1,
      openDocumentsOnly: true,
      result: {
        ...SERVED.result,
        url: 'app.example.com',
        hops: SERVED.result.hops.slice(0, 1),
        servedBy: null,
        stops: 'no Ingress of ingress-nginx has host app.example.com',
        status: 404,
        certain: false,
        notes: ['the origin is outside the cluster'],
        warnings: ['https:// to the controller without originServerName'],
      },
    };
    assert.equal(
      traceTitle(answer.result),
      'app.example.com → not served (404): no Ingress of ingress-nginx has host app.example.com (uncertain: see notes)',
    );
    const items = traceItems(answer, relative);
    assert.deepEqual(
      items.map((i) => [i.label, i.separator ?? false, i.open !== undefined]),
      [
        ['$(symbol-event) 1. Tunnel rule', false, true],
        ['$(error) Not served (404)', false, false],
        ['Warnings', true, false],
        ['$(warning) Warning', false, false],
        ['Notes', true, false],
        ['$(question) Uncertain', false, false],
        ['$(info) Note', false, false],
        ['$(shield) Restricted Mode', false, false],
      ],
    );
    assert.equal(items[1]!.detail, answer.result.stops);
    assert.equal(items[3]!.detail, answer.result.warnings[0]);
    assert.equal(items[6]!.detail, answer.result.notes[0]);
  });

  test('no config: the message says what is missing (and why, in Restricted Mode)', () => {
    assert.match(noConfigMessage({ ...SERVED, tunnels: 0 }), /no cloudflared config/);
    assert.match(noConfigMessage({ ...SERVED, tunnels: 0, openDocumentsOnly: true }), /Restricted Mode/);
  });
});
