/** Loading and decoding (spec §1-§2, §8, §9): yaml.v3 errors, Go types, flag keys, unknown keys. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { check, errors, expectNoErrors, expectOne, yaml } from '../../../support/config';

const CATCH_ALL = 'ingress:\n  - service: http_status:404\n';

describe('yaml.v3 loading', () => {
  test('duplicate keys at any depth', () => {
    const text = yaml`
      ingress:
        - hostname: a.com
          service: http://a:1
          service: http://b:1
        - service: http_status:404
    `;
    expectOne(text, {
      code: 'duplicate-key',
      severity: 'error',
      message: 'line 4: mapping key "service" already defined at line 3',
      covers: 'service',
    });
    expectOne('tunnel: a\ntunnel: b\n' + CATCH_ALL, {
      code: 'duplicate-key',
      message: 'line 2: mapping key "tunnel" already defined at line 1',
    });
    expectOne('foo:\n  x: 1\n  x: 2\n' + CATCH_ALL, { code: 'duplicate-key' });
  });

  test('tab indentation', () => {
    expectOne('ingress:\n\t- service: http_status:404\n', {
      code: 'yaml-syntax',
      message: 'found character that cannot start any token',
    });
  });

  test("a syntax error is reported once, at its place, in yaml.v3's words (issue #14)", () => {
    // A mis-indented originRequest: the yaml library reports four errors from this one mistake.
    const text = yaml`
      ingress:
        - hostname: a.example.com
          service: http://a:1
        originRequest:
          noTLSVerify: true
        - service: http_status:404
    `;
    const all = check(text);
    assert.deepEqual(
      all.map((d) => d.code),
      ['yaml-syntax'],
    );
    // kubectl (the same libyaml port) says exactly this of the same text.
    assert.equal(all[0]!.message, "yaml: line 3: did not find expected '-' indicator");
    assert.equal(all[0]!.range.start.line, 3);
  });

  test("type errors and repeated keys: the first carries cloudflared's whole `yaml: unmarshal errors:` text (issue #14)", () => {
    const text = yaml`
      originRequest:
        connectTimeout: 30
      ingress:
        - hostname: a.example.com
          service: http://a:1
          service: http://b:1
        - service: http_status:404
          originRequest:
            noTLSVerify: "true"
    `;
    const problems = check(text).filter((d) => d.code === 'type-error' || d.code === 'duplicate-key');
    assert.deepEqual(
      problems.map((d) => [d.range.start.line, d.message]),
      [
        [5, 'line 6: mapping key "service" already defined at line 5'],
        [
          1,
          'yaml: unmarshal errors:\n' +
            '  line 2: cannot unmarshal !!int `30` into time.Duration\n' +
            '  line 6: mapping key "service" already defined at line 5\n' +
            '  line 9: cannot unmarshal !!str `true` into bool',
        ],
        [8, 'line 9: cannot unmarshal !!str `true` into bool'],
      ],
    );
    // One problem alone is still cloudflared's full text.
    expectOne('ingress:\n  - service: http_status:404\n    originRequest:\n      connectTimeout: 5\n', {
      code: 'type-error',
      message: 'yaml: unmarshal errors:\n  line 4: cannot unmarshal !!int `5` into time.Duration',
      covers: '5',
    });
  });

  test('unknown anchor', () => {
    expectOne('ingress:\n  - service: *nope\n', {
      code: 'yaml-unknown-anchor',
      message: "yaml: unknown anchor 'nope' referenced",
    });
  });

  test('anchors, aliases and merge keys work', () => {
    const text = yaml`
      x-defaults: &defaults
        originRequest:
          connectTimeout: 10s
      ingress:
        - <<: *defaults
          hostname: a.com
          service: http://a:1
        - service: http_status:404
    `;
    expectNoErrors(text);
    assert.ok(!check(text).some((d) => d.code === 'unknown-key'));
  });

  test('only the first document counts', () => {
    expectNoErrors(CATCH_ALL + '---\nthis: [is not, even parsed\n');
  });

  test('the top level must be a mapping', () => {
    expectOne('- a\n- b\n', { code: 'type-error', message: 'cannot unmarshal !!seq into config.configFileSettings' });
  });
});

describe('structured keys and Go types', () => {
  test('a bare integer duration', () => {
    const text = 'originRequest:\n  connectTimeout: 30\n' + CATCH_ALL;
    expectOne(text, {
      code: 'type-error',
      severity: 'error',
      message: 'line 2: cannot unmarshal !!int `30` into time.Duration',
      covers: '30',
    });
  });

  test('a bad duration string; values over 10 characters are shortened as yaml.v3 does', () => {
    expectOne('originRequest:\n  tlsTimeout: 30 seconds\n' + CATCH_ALL, {
      code: 'type-error',
      message: 'cannot unmarshal !!str `30 seconds` into time.Duration',
    });
    expectOne('originRequest:\n  tlsTimeout: thirty seconds\n' + CATCH_ALL, {
      code: 'type-error',
      message: 'cannot unmarshal !!str `thirty ...` into time.Duration',
    });
  });

  test('durations Go accepts', () => {
    expectNoErrors(
      'originRequest:\n  connectTimeout: 1m30s\n  tlsTimeout: 1.5h\n  tcpKeepAlive: "-5s"\n  keepAliveTimeout: "0"\n' +
        CATCH_ALL,
    );
  });

  test('booleans: quoted "true" and 1 are refused, yes/on accepted for bool fields', () => {
    expectOne('originRequest:\n  noTLSVerify: "true"\n' + CATCH_ALL, {
      code: 'type-error',
      message: 'cannot unmarshal !!str `true` into bool',
    });
    expectOne('originRequest:\n  noTLSVerify: 1\n' + CATCH_ALL, {
      code: 'type-error',
      message: 'cannot unmarshal !!int `1` into bool',
    });
    expectNoErrors(
      'originRequest:\n  noTLSVerify: yes\n  http2Origin: on\n  disableChunkedEncoding: False\n' + CATCH_ALL,
    );
  });

  test('integers: quoted numbers refused, negative into uint refused, floats truncated', () => {
    expectOne('originRequest:\n  keepAliveConnections: "100"\n' + CATCH_ALL, {
      code: 'type-error',
      message: 'cannot unmarshal !!str `100` into int',
    });
    expectOne('originRequest:\n  proxyPort: -1\n' + CATCH_ALL, {
      code: 'type-error',
      message: 'cannot unmarshal !!int `-1` into uint',
    });
    expectOne('warp-routing:\n  maxActiveFlows: -1\n' + CATCH_ALL, { code: 'type-error', message: 'into uint64' });
    expectNoErrors('originRequest:\n  keepAliveConnections: 1.5\n  proxyPort: 0x10\n' + CATCH_ALL);
  });

  test('a scalar where a struct or list is expected', () => {
    expectOne('warp-routing: true\n' + CATCH_ALL, {
      code: 'type-error',
      message: 'cannot unmarshal !!bool `true` into config.WarpRoutingConfig',
    });
    expectOne('ingress: foo\n', {
      code: 'type-error',
      message: 'cannot unmarshal !!str `foo` into []config.UnvalidatedIngressRule',
    });
    expectOne('ingress:\n  - http://a:1\n', {
      code: 'type-error',
      message: 'cannot unmarshal !!str `http://a:1` into config.UnvalidatedIngressRule',
    });
    expectOne('ingress:\n  - http://app:80\n', {
      code: 'type-error',
      message: 'cannot unmarshal !!str `http://...` into config.UnvalidatedIngressRule',
    });
    expectOne('ingress:\n  - hostname: [a]\n    service: x\n', {
      code: 'type-error',
      message: 'cannot unmarshal !!seq into string',
    });
    expectOne(
      CATCH_ALL.replace(
        'ingress:\n',
        'ingress:\n  - service: http://a:1\n    originRequest:\n      access:\n        audTag: abc\n',
      ).replace('  - service: http_status:404\n', '  - service: http_status:404\n'),
      {
        code: 'type-error',
        message: 'cannot unmarshal !!str `abc` into []string',
      },
    );
  });

  test('a number is a valid string', () => {
    expectNoErrors('tunnel: 12345\n' + CATCH_ALL);
  });
});

describe('unknown keys: cloudflared warnings', () => {
  test('inside a rule, with a rename fix', () => {
    const d = expectOne('ingress:\n  - hostnme: a.com\n    service: http://a:1\n  - service: http_status:404\n', {
      code: 'unknown-key',
      severity: 'warning',
      message: 'line 2: field hostnme not found in type config.UnvalidatedIngressRule',
      covers: 'hostnme',
    });
    assert.equal(d.fixes?.[0]?.edits[0]?.newText, 'hostname');
  });

  test('case matters: noTlsVerify, matchSNIToHost', () => {
    expectOne('originRequest:\n  noTlsVerify: true\n' + CATCH_ALL, {
      code: 'unknown-key',
      message: 'field noTlsVerify not found in type config.OriginRequestConfig',
    });
    expectOne('originRequest:\n  matchSNIToHost: true\n' + CATCH_ALL, {
      code: 'unknown-key',
      message: "did you mean 'matchSNItoHost'",
    });
  });

  test('access, ipRules and warp-routing', () => {
    expectOne(
      CATCH_ALL.replace(
        '- service: http_status:404',
        '- service: http_status:404\n    originRequest:\n      access:\n        audTags: [x]',
      ),
      {
        code: 'unknown-key',
        message: 'field audTags not found in type config.AccessConfig',
      },
    );
    expectOne('warp-routing:\n  enabled: true\n' + CATCH_ALL, {
      code: 'unknown-key',
      message: 'field enabled not found in type config.WarpRoutingConfig',
    });
  });
});

describe('top-level flag keys', () => {
  test('string flags need YAML strings', () => {
    expectOne('edge-ip-version: 4\n' + CATCH_ALL, {
      code: 'flag-type',
      severity: 'error',
      message: 'expected string found int for edge-ip-version',
      covers: '4',
    });
    expectNoErrors('edge-ip-version: "4"\n' + CATCH_ALL);
  });

  test('int, bool, duration and string-slice flags', () => {
    expectOne('retries: "5"\n' + CATCH_ALL, { code: 'flag-type', message: 'expected int found string for retries' });
    expectOne('retries: 1.5\n' + CATCH_ALL, { code: 'flag-type', message: 'expected int found float64 for retries' });
    expectOne('no-autoupdate: yes\n' + CATCH_ALL, {
      code: 'flag-type',
      message: 'expected boolean found string for no-autoupdate',
    });
    expectOne('no-autoupdate: "true"\n' + CATCH_ALL, {
      code: 'flag-type',
      message: 'expected boolean found string for no-autoupdate',
    });
    expectOne('grace-period: 30\n' + CATCH_ALL, {
      code: 'flag-type',
      message: 'expected duration found int for grace-period',
    });
    expectOne('grace-period: 30x\n' + CATCH_ALL, {
      code: 'flag-type',
      message: 'time: unknown unit "x" in duration "30x"',
    });
    expectOne('grace-period: abc\n' + CATCH_ALL, { code: 'flag-type', message: 'time: invalid duration "abc"' });
    expectOne('tag: {A: B}\n' + CATCH_ALL, {
      code: 'flag-type',
      message: 'expected string slice found map[string]interface {} for tag',
    });
    expectOne('tag: [5]\n' + CATCH_ALL, { code: 'flag-type', message: 'expected string, found int for 5' });
    expectOne('loglevel:\n' + CATCH_ALL, { code: 'flag-type', message: 'expected string found <nil> for loglevel' });
    expectOne('proxy-dns-upstream:\n' + CATCH_ALL, {
      code: 'flag-type',
      message: 'expected string slice found <nil> for proxy-dns-upstream',
    });
  });

  test('run-only flags fail only `tunnel run`: warning', () => {
    expectOne('token: 5\n' + CATCH_ALL, {
      code: 'flag-type',
      severity: 'warning',
      message: 'expected string found int for token',
    });
  });

  test('values only `tunnel run` checks are warnings', () => {
    expectOne('protocol: udp\n' + CATCH_ALL, {
      code: 'run-value',
      severity: 'warning',
      message: 'unknown protocol udp, Available protocols:',
    });
    expectOne('edge-ip-version: "5"\n' + CATCH_ALL, {
      code: 'run-value',
      message: 'invalid value for edge-ip-version: 5',
    });
    expectOne('edge-bind-address: nope\n' + CATCH_ALL, {
      code: 'run-value',
      message: 'invalid value for edge-bind-address: nope',
    });
    expectOne('grace-period: 5m\n' + CATCH_ALL, {
      code: 'run-value',
      message: 'grace-period must be equal or less than 3m0s',
    });
    expectOne('loglevel: verbose\n' + CATCH_ALL, {
      code: 'run-value',
      message: 'Failed to parse log level "verbose", using "info" instead',
    });
    expectOne('tag: [novalue]\n' + CATCH_ALL, { code: 'run-value', message: 'Cannot parse tag value novalue' });
    expectNoErrors('protocol: quic\nloglevel: debug\ntag: [env=prod]\n' + CATCH_ALL);
  });

  test('url next to ingress rules makes validate fail', () => {
    expectOne('url: http://localhost:8080\n' + CATCH_ALL, {
      code: 'url-with-ingress',
      severity: 'error',
      message: "You can't set the --url flag (or $TUNNEL_URL) when using multiple-origin ingress rules",
    });
  });

  test('legacy origin keys next to ingress have no effect', () => {
    expectOne('no-tls-verify: true\n' + CATCH_ALL, { code: 'legacy-origin-key', severity: 'warning' });
  });

  test('zero values are ignored', () => {
    expectOne('retries: 0\n' + CATCH_ALL, { code: 'ignored-zero-value', severity: 'information' });
    expectOne('management-diagnostics: false\n' + CATCH_ALL, { code: 'ignored-zero-value' });
  });

  test('unknown top-level keys are never errors', () => {
    const text = 'credential-file: /x.json\nfoo: bar\n' + CATCH_ALL;
    assert.deepEqual(errors(text), []);
    const unknown = check(text).filter((d) => d.code === 'unknown-top-level-key');
    assert.equal(unknown.length, 2);
    assert.match(unknown[0]!.message, /did you mean 'credentials-file'/);
  });

  test('command-line-only flags have no effect in the file', () => {
    expectOne('overwrite-dns: true\n' + CATCH_ALL, { code: 'flag-not-in-file', severity: 'warning' });
  });
});

describe('yaml.v3 value types in flag messages', () => {
  test('a timestamp decodes to time.Time', () => {
    expectOne('label: 2024-01-01\n' + CATCH_ALL, {
      code: 'flag-type',
      message: 'expected string found time.Time for label',
    });
  });
});
