import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatSeconds,
  parseSeconds,
  remoteConfigToYaml,
  yamlToRemoteConfig,
} from '../../../../src/core/cloudflare/remoteConfigYaml';
import { checkConfigText } from '../../../../src/core/config/check';

const API_CONFIG = {
  ingress: [
    { hostname: 'app.example.com', service: 'http://web:80', originRequest: { connectTimeout: 10, noTLSVerify: true } },
    { hostname: '*.example.dev', path: '^/v1/', service: 'http://api:8080' },
    { service: 'http_status:404' },
  ],
  originRequest: { connectTimeout: 30, keepAliveTimeout: 90, tcpKeepAlive: 3600, keepAliveConnections: 100 },
  'warp-routing': { enabled: false, connectTimeout: 5 },
};

test('seconds print as Go durations', () => {
  assert.equal(formatSeconds(0), '0s');
  assert.equal(formatSeconds(30), '30s');
  assert.equal(formatSeconds(60), '1m0s');
  assert.equal(formatSeconds(90), '1m30s');
  assert.equal(formatSeconds(3600), '1h0m0s');
  assert.equal(formatSeconds(3725), '1h2m5s');
  assert.equal(formatSeconds(-5), '-5s');
  assert.equal(formatSeconds(1.5), '1.5s');
});

test('Go durations parse to whole seconds, with Go errors otherwise', () => {
  assert.deepEqual(parseSeconds('1m30s'), { ok: true, seconds: 90 });
  assert.deepEqual(parseSeconds('1h'), { ok: true, seconds: 3600 });
  assert.deepEqual(parseSeconds('0'), { ok: true, seconds: 0 });
  assert.deepEqual(parseSeconds('30'), { ok: false, error: 'time: missing unit in duration "30"' });
  const half = parseSeconds('1500ms');
  assert.equal(half.ok, false);
  assert.match(!half.ok ? half.error : '', /not a whole number of seconds/);
});

test('API JSON → YAML writes durations as Go durations, keeps order and quotes wildcards', () => {
  const text = remoteConfigToYaml(API_CONFIG, ['Remote configuration of tunnel prod', 'version 3']);
  assert.ok(text.startsWith('# Remote configuration of tunnel prod\n# version 3\n'));
  assert.match(text, /connectTimeout: 10s/);
  assert.match(text, /keepAliveTimeout: 1m30s/);
  assert.match(text, /tcpKeepAlive: 1h0m0s/);
  assert.match(text, /keepAliveConnections: 100/);
  assert.match(text, /hostname: "\*\.example\.dev"|hostname: '\*\.example\.dev'/);
  assert.ok(text.indexOf('ingress:') < text.indexOf('originRequest:\n  connectTimeout: 30s'));
  // The original is not changed.
  assert.equal(API_CONFIG.originRequest.connectTimeout, 30);
});

test('the YAML form passes the config checker without errors', () => {
  const text = remoteConfigToYaml(API_CONFIG);
  const errors = checkConfigText(text).diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors, []);
});

test('YAML → API JSON round-trips', () => {
  const r = yamlToRemoteConfig(remoteConfigToYaml(API_CONFIG, ['header']));
  assert.deepEqual(r, { ok: true, config: API_CONFIG });
});

test('YAML → API JSON converts durations written by hand', () => {
  const r = yamlToRemoteConfig(
    'ingress:\n  - service: http://x:80\n    originRequest:\n      tlsTimeout: 2m\nwarp-routing:\n  tcpKeepAlive: 15s\n',
  );
  assert.deepEqual(r, {
    ok: true,
    config: {
      ingress: [{ service: 'http://x:80', originRequest: { tlsTimeout: 120 } }],
      'warp-routing': { tcpKeepAlive: 15 },
    },
  });
});

test('bad durations, syntax errors, duplicate keys and non-mappings are refused', () => {
  const bad = yamlToRemoteConfig('originRequest:\n  connectTimeout: 30x\n');
  assert.deepEqual(bad, {
    ok: false,
    errors: ['originRequest.connectTimeout: time: unknown unit "x" in duration "30x"'],
  });
  const syntax = yamlToRemoteConfig('ingress:\n  - service: [\n');
  assert.equal(syntax.ok, false);
  const dup = yamlToRemoteConfig('ingress: []\ningress: []\n');
  assert.equal(dup.ok, false);
  assert.match(!dup.ok ? dup.errors[0]! : '', /^line 2: /);
  assert.equal(yamlToRemoteConfig('- a\n- b\n').ok, false);
  assert.deepEqual(yamlToRemoteConfig('# nothing\n'), { ok: true, config: {} });
});
