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
    assert.equal(applyFirst(text, 'last-rule-not-catch-all'), 'ingress:\n  - hostname: a.com\n    service: http://a:1\n  - service: http_status:404\n');
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
    assert.equal(fixed, 'ingress:\n  - hostname: a.example.com\n    service: http://a:80\n  - service: http://web:80\ntunnel: x\n');
    assert.deepEqual(errors(fixed), []);
  });

  test('quote a *. hostname', () => {
    const text = 'ingress:\n  - hostname: *.example.com\n    service: http://a:1\n  - service: http_status:404\n';
    const fixed = applyFirst(text, 'yaml-alias-syntax');
    assert.equal(fixed, 'ingress:\n  - hostname: "*.example.com"\n    service: http://a:1\n  - service: http_status:404\n');
    assert.deepEqual(errors(fixed), []);
  });

  test('a bare integer duration becomes seconds', () => {
    const text = 'originRequest:\n  connectTimeout: 30\ningress:\n  - service: http_status:404\n';
    assert.equal(applyFirst(text, 'type-error'), 'originRequest:\n  connectTimeout: 30s\ningress:\n  - service: http_status:404\n');
  });

  test('a misspelt key is renamed', () => {
    const text = 'ingress:\n  - hostname: a.com\n    servce: http://a:1\n  - service: http_status:404\n';
    assert.equal(applyFirst(text, 'unknown-key'), 'ingress:\n  - hostname: a.com\n    service: http://a:1\n  - service: http_status:404\n');
  });
});
