/** Config quick fixes: each applied to the text gives the expected config, which then checks clean. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../../../src/core/edits';
import { check, errors, yaml } from '../../../support/config';

function applyFirst(text: string, code: string): string {
  const d = check(text).find((x) => x.code === code);
  assert.ok(d?.fixes?.length, `${code} has a fix`);
  return applyEdits(text, d.fixes[0]!.edits);
}

describe('config quick fixes', () => {
  test('add a missing catch-all', () => {
    const text = 'ingress:\n  - hostname: a.com\n    service: http://a:1\n';
    assert.equal(
      applyFirst(text, 'last-rule-not-catch-all'),
      'ingress:\n  - hostname: a.com\n    service: http://a:1\n  - service: http_status:404\n',
    );
  });

  test('add a catch-all after a rule with nested originRequest and no final newline', () => {
    const text = 'ingress:\n- hostname: a.com\n  service: http://a:1\n  originRequest:\n    noTLSVerify: true';
    const fixed = applyFirst(text, 'last-rule-not-catch-all');
    assert.equal(fixed, text + '\n- service: http_status:404');
    assert.deepEqual(errors(fixed), []);
  });

  test('move the catch-all last', () => {
    const text = yaml`
      ingress:
        - service: http://web:80
        - hostname: a.example.com
          service: http://a:80
      tunnel: x
    `;
    const fixed = applyFirst(text, 'catch-all-not-last');
    assert.equal(
      fixed,
      'ingress:\n  - hostname: a.example.com\n    service: http://a:80\n  - service: http://web:80\ntunnel: x\n',
    );
    assert.deepEqual(errors(fixed), []);
  });

  test('quote a *. hostname', () => {
    const text = 'ingress:\n  - hostname: *.example.com\n    service: http://a:1\n  - service: http_status:404\n';
    const fixed = applyFirst(text, 'yaml-alias-syntax');
    assert.equal(
      fixed,
      'ingress:\n  - hostname: "*.example.com"\n    service: http://a:1\n  - service: http_status:404\n',
    );
    assert.deepEqual(errors(fixed), []);
  });

  test('a bare integer duration becomes seconds', () => {
    const text = 'originRequest:\n  connectTimeout: 30\ningress:\n  - service: http_status:404\n';
    assert.equal(
      applyFirst(text, 'type-error'),
      'originRequest:\n  connectTimeout: 30s\ningress:\n  - service: http_status:404\n',
    );
  });

  test('a misspelt key is renamed', () => {
    const text = 'ingress:\n  - hostname: a.com\n    servce: http://a:1\n  - service: http_status:404\n';
    assert.equal(
      applyFirst(text, 'unknown-key'),
      'ingress:\n  - hostname: a.com\n    service: http://a:1\n  - service: http_status:404\n',
    );
  });
  // Issue #15: a service URL with a path (cloudflared refuses it) had no quick fix.
  function fixesOf(text: string, code: string): Array<{ title: string; text: string; preferred: boolean }> {
    const d = check(text).find((x) => x.code === code);
    assert.ok(d, `${code} reported`);
    return (d.fixes ?? []).map((f) => ({
      title: f.title,
      text: applyEdits(text, f.edits),
      preferred: f.isPreferred === true,
    }));
  }

  test("a service with a path: drop the path, or move it to the rule's path:", () => {
    const text =
      'ingress:\n  - hostname: app.example.com\n    service: http://app:80/api\n  - service: http_status:404\n';
    const [drop, move, ...rest] = fixesOf(text, 'service-has-path');
    assert.deepEqual(rest, []);
    assert.equal(drop!.title, 'Drop the path /api from the service URL');
    assert.equal(
      drop!.text,
      'ingress:\n  - hostname: app.example.com\n    service: http://app:80\n  - service: http_status:404\n',
    );
    assert.equal(move!.title, 'Move /api to the rule: path: ^/api (only requests for /api… go to this service)');
    assert.equal(
      move!.text,
      'ingress:\n  - hostname: app.example.com\n    service: http://app:80\n    path: ^/api\n  - service: http_status:404\n',
    );
    assert.deepEqual(errors(drop!.text), []);
    assert.deepEqual(errors(move!.text), []);
  });

  test('a service with a path: the key first after the dash, quoted values, dots escaped', () => {
    const text =
      'ingress:\n- service: "http://app.default.svc:8080/v1.2/"\n  hostname: a.example.com\n- service: http_status:404\n';
    const [drop, move] = fixesOf(text, 'service-has-path');
    assert.equal(
      drop!.text,
      'ingress:\n- service: "http://app.default.svc:8080"\n  hostname: a.example.com\n- service: http_status:404\n',
    );
    assert.equal(
      move!.text,
      'ingress:\n- service: "http://app.default.svc:8080"\n  path: ^/v1\\.2/\n  hostname: a.example.com\n- service: http_status:404\n',
    );
    assert.deepEqual(errors(move!.text), []);
  });

  test('a service with only a trailing slash, or a rule that already has a path: only "drop the path"', () => {
    const slash = fixesOf(
      'ingress:\n  - hostname: a.example.com\n    service: http://app:80/\n  - service: http_status:404\n',
      'service-has-path',
    );
    assert.deepEqual(
      slash.map((f) => [f.title, f.preferred]),
      [['Drop the trailing / from the service URL', true]],
    );
    const routed = fixesOf(
      'ingress:\n  - hostname: a.example.com\n    path: ^/x\n    service: http://app:80/api\n  - service: http_status:404\n',
      'service-has-path',
    );
    assert.deepEqual(
      routed.map((f) => f.title),
      ['Drop the path /api from the service URL'],
    );
  });

  test('a raw ClusterIP with no workspace Service to name says how to find the name, and offers no edit', () => {
    const d = check(
      'ingress:\n  - hostname: a.example.com\n    service: http://10.96.12.7:8080\n  - service: http_status:404\n',
    ).find((x) => x.code === 'service-raw-ip');
    assert.ok(d);
    assert.match(d.message, /kubectl get svc -A --field-selector spec\.clusterIP=10\.96\.12\.7/);
    assert.equal(d.fixes, undefined);
  });
});
