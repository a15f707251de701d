/** `tunnel ingress rule URL` semantics (spec §10.2-§10.3). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { matchConfigText } from '../../../../src/core/config/match';
import { yaml } from '../../../support/config';

const CONFIG = yaml`
  ingress:
    - hostname: app.example.com
      service: http://app:80
    - hostname: "*.example.com"
      path: ^/api
      service: http://api:8080
    - hostname: "*.example.com"
      service: https://ingress-nginx-controller.ingress-nginx
    - hostname: münchen.example.org
      service: http://muc:80
    - hostname: Upper.Example.net
      service: http://upper:80
    - hostname: "*.môô.org"
      service: http://moo:80
    - hostname: ssh.example.net
      service: ssh://localhost
    - hostname: files.example.net
      service: HTTP://files:8080
    - service: http_status:404
`;

function rule(url: string): number {
  const r = matchConfigText(CONFIG, url);
  assert.ok(r.ok, JSON.stringify(r));
  return r.rule;
}

describe('rule matching', () => {
  test('first match wins, 0-based index', () => {
    assert.equal(rule('https://app.example.com/'), 0);
    assert.equal(rule('https://app.example.com/api'), 0);
  });

  test('wildcards match any depth of subdomain, never the apex or a look-alike', () => {
    assert.equal(rule('https://x.example.com/'), 2);
    assert.equal(rule('https://a.b.example.com/'), 2);
    assert.equal(rule('https://example.com/'), 8);
    assert.equal(rule('https://badexample.com/'), 8);
  });

  test('paths are unanchored regexps on the decoded path', () => {
    assert.equal(rule('https://x.example.com/api/v1'), 1);
    assert.equal(rule('https://x.example.com/v1/api'), 2);
    assert.equal(rule('https://x.example.com/%61pi/v1'), 1);
    assert.equal(rule('https://x.example.com/?q=/api'), 2);
  });

  test('ports are ignored', () => {
    assert.equal(rule('https://app.example.com:8443/'), 0);
  });

  test('host comparison is case-sensitive, but an upper-case rule also matches its lower-case spelling', () => {
    assert.equal(rule('https://Upper.Example.net/'), 4);
    assert.equal(rule('https://upper.example.net/'), 4);
    assert.equal(rule('https://UPPER.example.net/'), 8);
  });

  test('a Unicode rule matches its punycode spelling; a Unicode wildcard only the Unicode form', () => {
    assert.equal(rule('https://münchen.example.org/'), 3);
    assert.equal(rule('https://xn--mnchen-3ya.example.org/'), 3);
    assert.equal(rule('https://a.môô.org/'), 5);
    assert.equal(rule('https://a.xn--m-xgaa.org/'), 8);
  });

  test('the service is printed normalised', () => {
    const ssh = matchConfigText(CONFIG, 'https://ssh.example.net/');
    assert.deepEqual(ssh, { ok: true, rule: 6, hostname: 'ssh.example.net', service: 'ssh://localhost:22' });
    const files = matchConfigText(CONFIG, 'https://files.example.net/');
    assert.ok(files.ok && files.service === 'http://files:8080');
    const last = matchConfigText(CONFIG, 'http://nothing.test/');
    assert.deepEqual(last, { ok: true, rule: 8, service: 'http_status:404' });
    const padded = matchConfigText('ingress:\n  - service: http_status:+404\n', 'http://a/');
    assert.deepEqual(padded, { ok: true, rule: 0, service: 'http_status:404' });
  });

  test('a scheme without host matches with an empty host', () => {
    assert.equal(rule('https://'), 8);
  });
});

describe('rule command errors', () => {
  test('URL errors use cloudflared wording', () => {
    assert.deepEqual(matchConfigText(CONFIG, 'app.example.com'), {
      ok: false,
      error: "app.example.com doesn't have a hostname, consider adding a scheme",
    });
    assert.deepEqual(matchConfigText(CONFIG, '/x'), {
      ok: false,
      error: "/x doesn't have a hostname, consider adding a scheme",
    });
    assert.deepEqual(matchConfigText(CONFIG, 'http://a b/'), { ok: false, error: 'http://a b/ is not a valid URL' });
  });

  test('an invalid config fails validation with the first error, as cloudflared reports it', () => {
    const r = matchConfigText(
      'ingress:\n  - service: http://a:1\n  - hostname: b.com\n    service: http://b/x\n',
      'http://b.com/',
    );
    assert.deepEqual(r, {
      ok: false,
      error:
        "Validation failed: Rule #1 is matching the hostname '', but this will match every hostname, meaning the rules which follow it will never be triggered.",
    });
    const svc = matchConfigText('ingress:\n  - service: web-service\n', 'http://b.com/');
    assert.deepEqual(svc, {
      ok: false,
      error: 'Validation failed: web-service is an invalid address, please make sure it has a scheme and a hostname',
    });
  });

  test('no ingress rules', () => {
    assert.deepEqual(matchConfigText('tunnel: x\ncredentials-file: y\n', 'http://a/'), {
      ok: false,
      error: "Validation failed: The config file doesn't contain any ingress rules",
    });
  });
});
