/** Detection of cloudflared configs, standalone and inside ConfigMaps, with mapped positions. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../src/core/analyze';
import { textOf, yaml } from '../support/config';

describe('detection', () => {
  test('a top-level ingress, or tunnel with credentials-file, makes a config', () => {
    assert.equal(analyzeText('ingress:\n  - service: http_status:404\n').kind, 'cloudflared-config');
    assert.equal(analyzeText('tunnel: a\ncredentials-file: /c.json\n').kind, 'cloudflared-config');
    assert.equal(analyzeText('tunnel: a\nproxy-dns: true\n').kind, 'cloudflared-config');
    assert.equal(analyzeText('tunnel: a\nfoo: bar\n').kind, 'other');
    assert.equal(analyzeText('hostname: a.example.com\nurl: http://localhost:8000\n').kind, 'other');
    assert.equal(analyzeText('hostname: a.example.com\nurl: http://localhost:8000\n', '/etc/cloudflared/config.yml').kind, 'cloudflared-config');
    assert.equal(analyzeText('name: x\nsteps: []\n').kind, 'other');
  });

  test('a config that does not parse is still recognised', () => {
    const r = analyzeText('ingress:\n  - hostname: *.example.com\n    service: http://a:1\n');
    assert.equal(r.kind, 'cloudflared-config');
    assert.equal(r.diagnostics[0]?.code, 'yaml-alias-syntax');
  });

  test('a Kubernetes manifest without an embedded config has no config diagnostics', () => {
    const r = analyzeText('apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ports: [{port: 80}]\n');
    assert.equal(r.kind, 'manifest');
    assert.deepEqual(r.diagnostics, []);
  });
});

describe('ConfigMap with an embedded config', () => {
  const text = yaml`
    apiVersion: v1
    kind: Service
    metadata:
      name: other
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: cloudflared
      namespace: cloudflared
    data:
      config.yaml: |
        tunnel: example-tunnel
        credentials-file: /etc/cloudflared/creds/credentials.json
        ingress:
          - hostname: app.example.com
            service: http://app:80/
          - hostname: web.example.com
            service: http://web:80
  `;

  test('errors are mapped to the lines and columns inside the ConfigMap', () => {
    const r = analyzeText(text);
    assert.equal(r.kind, 'manifest');
    assert.equal(r.embedded.length, 1);
    assert.equal(r.embedded[0]!.configMap, 'cloudflared');
    const path = r.diagnostics.find((d) => d.code === 'service-has-path')!;
    assert.equal(path.range.start.line, 16);
    assert.equal(textOf(text, path), 'http://app:80/');
    const last = r.diagnostics.find((d) => d.code === 'last-rule-not-catch-all')!;
    assert.equal(textOf(text, last), 'web.example.com');
  });

  test('a double-quoted embedded config is checked, ranges fall back to the whole value', () => {
    const quoted = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  config.yml: "ingress:\\n  - hostname: a.com\\n    service: http://a:1\\n"\n';
    const r = analyzeText(quoted);
    const d = r.diagnostics.find((x) => x.code === 'last-rule-not-catch-all');
    assert.ok(d);
    assert.equal(d.range.start.line, 5);
    assert.equal(d.fixes, undefined);
  });

  test('data keys that are not YAML files are ignored', () => {
    const r = analyzeText('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  notes.txt: |\n    ingress:\n      - hostname: a\n');
    assert.deepEqual(r.diagnostics, []);
  });
});

describe('files that are neither', () => {
  test('are ruled out without parsing, even when they are not valid YAML', () => {
    assert.deepEqual(analyzeText('name: CI\non: [push]\njobs:\n  build: {runs-on: ubuntu-latest\n'), { kind: 'other', diagnostics: [], embedded: [] });
  });
});
