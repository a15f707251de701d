/** Completion of keys (never one already present) and of values with a fixed set. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { configCompletions } from '../../../../src/core/config/completion';
import type { ConfigCompletion } from '../../../../src/core/config/completion';
import { configHover } from '../../../../src/core/config/hover';
import { LOG_LEVELS, PROTOCOLS, SERVICE_KEYWORDS, SERVICE_SCHEMES } from '../../../../src/core/config/schema';
import { yaml } from '../../../support/config';
import { cursor } from '../../../support/cursor';

function complete(
  marked: string,
  kind: 'cloudflared-config' | 'manifest' = 'cloudflared-config',
  marker = '|',
): { items: ConfigCompletion[]; text: string; labels: string[] } {
  const c = cursor(marked, marker);
  const items = configCompletions(c.text, c.offset, kind);
  return { items, text: c.text, labels: items.map((i) => i.label) };
}

/** The text after choosing `label`. */
function choose(
  marked: string,
  label: string,
  kind: 'cloudflared-config' | 'manifest' = 'cloudflared-config',
  marker = '|',
): string {
  const { items, text } = complete(marked, kind, marker);
  const item = items.find((i) => i.label === label);
  assert.ok(item, `${label} offered`);
  return text.slice(0, item.start) + item.insertText + text.slice(item.end);
}

describe('key completion', () => {
  test('top-level keys: structured and flag keys, none already present, no hidden or legacy ones', () => {
    const { labels } = complete('tunnel: x\n|\ningress:\n  - service: http_status:404\n');
    for (const k of [
      'credentials-file',
      'originRequest',
      'warp-routing',
      'protocol',
      'loglevel',
      'metrics',
      'no-autoupdate',
    ])
      assert.ok(labels.includes(k), k);
    for (const k of [
      'tunnel',
      'ingress',
      'heartbeat-interval',
      'proxy-dns',
      'url',
      'proxy-connect-timeout',
      'overwrite-dns',
    ])
      assert.ok(!labels.includes(k), k);
    assert.equal(new Set(labels).size, labels.length);
  });

  test('originRequest keys without the ones the mapping has', () => {
    const { labels } = complete('originRequest:\n  connectTimeout: 10s\n  |\n  noTLSVerify: true\n');
    assert.ok(labels.includes('tlsTimeout') && labels.includes('access') && labels.includes('httpHostHeader'));
    assert.ok(!labels.includes('connectTimeout') && !labels.includes('noTLSVerify') && !labels.includes('proxyPort'));
  });

  test('a new ingress rule offers the rule keys; a half-written one the rest', () => {
    assert.deepEqual(complete('ingress:\n  - hostname: a.com\n    service: http://a:1\n  - |\n').labels, [
      'hostname',
      'path',
      'service',
      'originRequest',
    ]);
    assert.deepEqual(complete('ingress:\n  - hostname: a.com\n    |\n').labels, ['path', 'service', 'originRequest']);
  });

  test('a half-typed key is replaced; scalars get ": ", mappings and lists a new indented line', () => {
    assert.equal(choose('originRequest:\n  conn|\n', 'connectTimeout'), 'originRequest:\n  connectTimeout: \n');
    assert.equal(
      choose('ingress:\n  - service: x\n    orig|\n', 'originRequest'),
      'ingress:\n  - service: x\n    originRequest:\n      \n',
    );
    assert.equal(choose('ingr|', 'ingress'), 'ingress:\n  - ');
    assert.equal(choose('originRequest:\n  ip|\n', 'ipRules'), 'originRequest:\n  ipRules:\n    - \n');
  });

  test('renaming an existing key keeps its colon and value', () => {
    assert.equal(
      choose('originRequest:\n  conn|ectTimeout: 10s\n', 'tlsTimeout'),
      'originRequest:\n  tlsTimeout: 10s\n',
    );
  });

  test('access, ipRules and warp-routing keys', () => {
    assert.deepEqual(complete('originRequest:\n  access:\n    required: true\n    |\n').labels, [
      'teamName',
      'audTag',
      'environment',
    ]);
    assert.deepEqual(complete('originRequest:\n  ipRules:\n    - |\n').labels, ['prefix', 'ports', 'allow']);
    assert.deepEqual(complete('warp-routing:\n  |\n').labels, ['connectTimeout', 'tcpKeepAlive', 'maxActiveFlows']);
  });

  test('nothing inside unknown mappings, comments or other documents', () => {
    assert.deepEqual(complete('foo:\n  |\n').labels, []);
    assert.deepEqual(complete('tunnel: x # |\n').labels, []);
    assert.deepEqual(complete('tunnel: x\n---\n|\n').labels, []);
  });

  test('in a ConfigMap-embedded config, indented as the block', () => {
    const marked = yaml`
      apiVersion: v1
      kind: ConfigMap
      data:
        config.yaml: |
          ingress:
            - hostname: a.com
              service: http://a:80
              orig$0
            - service: http_status:404
    `;
    assert.ok(choose(marked, 'originRequest', 'manifest', '$0').includes('\n        originRequest:\n          \n'));
    assert.ok(!complete(marked, 'manifest', '$0').labels.includes('service'));
  });
});

describe('value completion', () => {
  test('service: schemes and keywords', () => {
    assert.deepEqual(complete('ingress:\n  - hostname: a.com\n    service: |\n').labels, [
      ...SERVICE_SCHEMES,
      ...SERVICE_KEYWORDS,
    ]);
    assert.equal(choose('ingress:\n  - service: ht|\n', 'https://'), 'ingress:\n  - service: https://\n');
  });

  test('booleans, protocol, loglevel, proxyType', () => {
    assert.deepEqual(complete('originRequest:\n  noTLSVerify: |\n').labels, ['true', 'false']);
    assert.deepEqual(complete('no-autoupdate: t|\n').labels, ['true', 'false']);
    assert.deepEqual(complete('protocol: |\n').labels, PROTOCOLS);
    assert.deepEqual(complete('loglevel: |\n').labels, LOG_LEVELS);
    assert.deepEqual(complete('originRequest:\n  proxyType: |\n').labels, ['""', 'socks']);
    assert.equal(choose('originRequest:\n  proxyType: |\n', '""'), 'originRequest:\n  proxyType: ""\n');
  });

  test('a string that YAML would read as a number is quoted, unless already in quotes', () => {
    assert.equal(choose('edge-ip-version: |\n', '4'), 'edge-ip-version: "4"\n');
    assert.equal(choose('edge-ip-version: "|"\n', '6'), 'edge-ip-version: "6"\n');
    assert.equal(choose('protocol: q|\n', 'quic'), 'protocol: quic\n');
  });

  test('no values for free-form keys', () => {
    assert.deepEqual(complete('originRequest:\n  httpHostHeader: |\n').labels, []);
    assert.deepEqual(complete('tunnel: |\n').labels, []);
  });
});

describe('robustness', () => {
  test('hover and completion at every offset of a config and a manifest never throw', () => {
    const config = yaml`
      tunnel: x # comment
      originRequest: { connectTimeout: 10s, noTLSVerify: true }
      ingress:
        - hostname: "*.example.com"
          path: ^/a$
          service: http://a:80
          originRequest:
            access: { required: true, audTag: [x] }
        - service: http_status:404
      tag: [a=b, 'c=d']
    `;
    const manifest = yaml`
      apiVersion: v1
      kind: ConfigMap
      data:
        config.yaml: |
          ingress:
            - service: http_status:404
        other.yaml: |+
          x: 1

      ---
      kind: Deployment
    `;
    for (const [text, kind] of [
      [config, 'cloudflared-config'],
      [manifest, 'manifest'],
      ['a: [1, {b: ', 'cloudflared-config'],
      ['- - -\n  ? x\n  : y\n', 'cloudflared-config'],
    ] as const) {
      for (let offset = 0; offset <= text.length; offset++) {
        configCompletions(text, offset, kind);
        configHover(text, offset, kind);
      }
    }
  });
});
