/** Document symbols: top-level keys, and ingress rules as `hostname[path] → service`. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../../src/core/analyze';
import { configSymbols, manifestSymbols } from '../../../../src/core/config/symbols';
import type { ConfigSymbol } from '../../../../src/core/config/symbols';
import type { Range } from '../../../../src/core/types';
import { yaml } from '../../../support/config';

function textAt(text: string, r: Range): string {
  const lines = text.split('\n');
  if (r.start.line === r.end.line) return lines[r.start.line]!.slice(r.start.character, r.end.character);
  return [
    lines[r.start.line]!.slice(r.start.character),
    ...lines.slice(r.start.line + 1, r.end.line),
    lines[r.end.line]!.slice(0, r.end.character),
  ].join('\n');
}

function contains(outer: Range, inner: Range): boolean {
  const le = (a: Range['start'], b: Range['start']) =>
    a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

const config = yaml`
  tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef
  originRequest:
    connectTimeout: 10s
  ingress:
    - hostname: a.example.com
      service: http://a:80
    - hostname: b.example.com
      path: ^/api/
      service: http://api:8080
    - service: http_status:404
`;

describe('document symbols', () => {
  test('top-level keys, and the rules under ingress', () => {
    const symbols = configSymbols(analyzeText(config).model!);
    assert.deepEqual(
      symbols.map((s) => [s.name, s.kind, s.detail]),
      [
        ['tunnel', 'key', '6ff42ae2-765d-4adf-8112-31c55c1551ef'],
        ['originRequest', 'key', undefined],
        ['ingress', 'ingress', '3 rules'],
      ],
    );
    const rules = symbols[2]!.children!;
    assert.deepEqual(
      rules.map((r) => r.name),
      ['a.example.com → http://a:80', 'b.example.com[^/api/] → http://api:8080', '* → http_status:404'],
    );
    assert.deepEqual(
      rules.map((r) => r.detail),
      ['rule #1', 'rule #2', 'rule #3'],
    );
  });

  test('ranges: the whole entry, selecting the key or the rule hostname', () => {
    const symbols = configSymbols(analyzeText(config).model!);
    const walk = (list: ConfigSymbol[]): void => {
      for (const s of list) {
        assert.ok(contains(s.range, s.selectionRange), s.name);
        walk(s.children ?? []);
      }
    };
    walk(symbols);
    assert.equal(textAt(config, symbols[1]!.range), 'originRequest:\n  connectTimeout: 10s');
    const [a, , catchAll] = symbols[2]!.children!;
    assert.equal(textAt(config, a!.selectionRange), 'a.example.com');
    assert.equal(textAt(config, a!.range), 'hostname: a.example.com\n    service: http://a:80');
    assert.equal(textAt(config, catchAll!.selectionRange), 'service: http_status:404');
  });

  test('a config embedded in a ConfigMap, with positions in the manifest', () => {
    const text = yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: tunnel
      data:
        config.yaml: |
          ingress:
            - hostname: a.example.com
              service: http://a:80
            - service: http_status:404
    `;
    const [cm, ...rest] = manifestSymbols(text, analyzeText(text));
    assert.equal(rest.length, 0);
    assert.equal(cm!.name, 'tunnel/config.yaml');
    const ingress = cm!.children!.find((s) => s.name === 'ingress')!;
    assert.deepEqual(
      ingress.children!.map((r) => r.name),
      ['a.example.com → http://a:80', '* → http_status:404'],
    );
    assert.equal(textAt(text, ingress.children![0]!.selectionRange), 'a.example.com');
  });

  test('a manifest without embedded configs has none', () => {
    assert.deepEqual(
      manifestSymbols(
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n',
        analyzeText('apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n'),
      ),
      [],
    );
  });
});
