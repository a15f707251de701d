/** Detection of cloudflared configs, standalone and inside ConfigMaps, with mapped positions. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../../src/core/analyze';
import type { FileAnalysis } from '../../../src/core/analyze';
import { textOf, yaml } from '../../support/config';

describe('detection', () => {
  test('a top-level ingress, or tunnel with credentials-file, makes a config', () => {
    assert.equal(analyzeText('ingress:\n  - service: http_status:404\n').kind, 'cloudflared-config');
    assert.equal(analyzeText('tunnel: a\ncredentials-file: /c.json\n').kind, 'cloudflared-config');
    assert.equal(analyzeText('tunnel: a\nproxy-dns: true\n').kind, 'cloudflared-config');
    assert.equal(analyzeText('tunnel: a\nfoo: bar\n').kind, 'other');
    assert.equal(analyzeText('hostname: a.example.com\nurl: http://localhost:8000\n').kind, 'other');
    assert.equal(
      analyzeText('hostname: a.example.com\nurl: http://localhost:8000\n', '/etc/cloudflared/config.yml').kind,
      'cloudflared-config',
    );
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
    const quoted =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  config.yml: "ingress:\\n  - hostname: a.com\\n    service: http://a:1\\n"\n';
    const r = analyzeText(quoted);
    const d = r.diagnostics.find((x) => x.code === 'last-rule-not-catch-all');
    assert.ok(d);
    assert.equal(d.range.start.line, 5);
    assert.equal(d.fixes, undefined);
  });

  test('data keys that are not YAML files are ignored', () => {
    const r = analyzeText(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  notes.txt: |\n    ingress:\n      - hostname: a\n',
    );
    assert.deepEqual(r.diagnostics, []);
  });
});

describe('files that are neither', () => {
  test('are ruled out without parsing, even when they are not valid YAML', () => {
    assert.deepEqual(analyzeText('name: CI\non: [push]\njobs:\n  build: {runs-on: ubuntu-latest\n'), {
      kind: 'other',
      diagnostics: [],
      embedded: [],
    });
  });
});

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const fixture = (path: string): string => readFileSync(join(FIXTURES, path), 'utf8');
const summary = (r: FileAnalysis): string[] =>
  r.diagnostics.map((d) => `${d.range.start.line + 1} ${d.severity} ${d.code}`);

describe('a manifest that does not parse (issue #14)', () => {
  test("is an error at its line in yaml.v3's words, and its half-parsed document reports nothing else", () => {
    // resources one column too far right; the half-parsed args held a `$TUNNEL_TOKEN` warning before.
    const r = analyzeText(fixture('real-world/manifests/deployment-broken-indent.yaml'), 'deployment.yaml');
    assert.equal(r.kind, 'manifest');
    assert.deepEqual(summary(r), ['35 error yaml-syntax']);
    // kubectl: error converting YAML to JSON: yaml: line 34: did not find expected key
    assert.equal(r.diagnostics[0]!.message, 'yaml: line 34: did not find expected key');
  });

  test('the other documents of the file are still checked', () => {
    const text = yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: broken
      data:
        a: [1, 2
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: cloudflared
      spec:
        template:
          spec:
            containers:
              - name: cloudflared
                image: cloudflare/cloudflared:2024.8.2
                args: [tunnel, run, --token, $TUNNEL_TOKEN]
    `;
    const r = analyzeText(text);
    assert.deepEqual(summary(r), ['7 error yaml-syntax', '18 information shell-style-var']);
  });

  test('recognised from its apiVersion/kind lines even when nothing of it parses as a mapping', () => {
    const r = analyzeText('apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n labels: {}\n');
    assert.equal(r.kind, 'manifest');
    assert.deepEqual(summary(r), ['5 error yaml-syntax']);
    assert.equal(r.diagnostics[0]!.message, 'yaml: line 4: did not find expected key');
  });

  test('a kustomization is left to the workspace (kustomize-yaml)', () => {
    const r = analyzeText(
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - a.yaml\n   - b.yaml\n',
      'kustomization.yaml',
    );
    assert.deepEqual(r.diagnostics, []);
  });
});

describe('templates (issue #14)', () => {
  test('envsubst / Flux placeholders: nothing is said about their values, the rest is checked', () => {
    const r = analyzeText(fixture('templates/flux-config.yaml'), 'kubernetes/apps/cloudflared/app/config.yaml');
    assert.equal(r.kind, 'cloudflared-config');
    // `ssh.${SECRET_DOMAIN}` after `*.${SECRET_DOMAIN}` is never used whatever the domain is.
    assert.deepEqual(summary(r), ['16 warning rule-shadowed']);
  });

  test('a placeholder never hides what its template cannot change', () => {
    const text = yaml`
      tunnel: \${TUNNEL_ID}
      ingress:
        - hostname: \${DOMAIN}
          service: http://web:80/
        - hostname: app.\${DOMAIN}
          service: http://app:80
          originRequest:
            noTLSVerfy: true
    `;
    const r = analyzeText(text);
    assert.deepEqual(summary(r), [
      '8 warning unknown-key',
      '4 error service-has-path',
      '5 error last-rule-not-catch-all',
    ]);
  });

  test('a last rule that is only a placeholder may render as a catch-all: not reported', () => {
    const r = analyzeText(
      'ingress:\n  - hostname: a.example.com\n    service: http://a:1\n  - hostname: ${CATCH_ALL_HOST}\n    service: http_status:404\n',
    );
    assert.deepEqual(r.diagnostics, []);
  });

  test('Helm actions in values are placeholders too', () => {
    const r = analyzeText(fixture('templates/helm-config.yaml'), 'config.yaml');
    assert.equal(r.kind, 'cloudflared-config');
    assert.deepEqual(r.diagnostics, []);
  });

  test('a Helm template that is not YAML before rendering: said once, as information', () => {
    const text = fixture('templates/chart/templates/configmap.yaml');
    const r = analyzeText(text, 'chart/templates/configmap.yaml');
    assert.deepEqual(summary(r), ['1 information template-not-checked']);
    assert.equal(textOf(text, r.diagnostics[0]!), '{{- if .Values.config.enabled }}');
  });

  test("a chart's values file with cloudflared-like keys is not a cloudflared config", () => {
    const values = fixture('real-world/manifests/cloudflared-values.yaml');
    assert.deepEqual(analyzeText(values, 'charts/cloudflared/values.yaml'), {
      kind: 'other',
      diagnostics: [],
      embedded: [],
    });
    assert.equal(analyzeText(values, 'values-prod.yml').kind, 'other');
    // helm create's `ingress: {enabled, hosts}` is not a list of rules, whatever the file is called.
    const helmCreate = yaml`
      replicaCount: 1
      ingress:
        enabled: false
        className: ""
        hosts:
          - host: chart-example.local
            paths: [{path: /, pathType: ImplementationSpecific}]
    `;
    assert.equal(analyzeText(helmCreate, 'deploy/app.yaml').kind, 'other');
    // A config that says cloudflared in its path is still checked.
    assert.equal(
      analyzeText('ingress:\n  service: http://a:1\n', '/etc/cloudflared/config.yml').diagnostics[0]?.code,
      'type-error',
    );
  });
});

describe('remote configuration documents (issue #14)', () => {
  // What the extension opens for a dashboard-managed tunnel (remoteConfigToYaml of the API's JSON).
  const remote = yaml`
    # Remote configuration of tunnel homelab (6ff42ae2-765d-4adf-8112-31c55c1551ef), version 7 on Cloudflare.
    ingress:
      - hostname: app.example.com
        service: http://app.default.svc.cluster.local:80
        originRequest: {}
      - service: http_status:404
    warp-routing:
      enabled: false
  `;

  test("warp-routing.enabled is part of the API's schema: no unknown-key warning", () => {
    const r = analyzeText(
      remote,
      '/0123456789abcdef0123456789abcdef/6ff42ae2-765d-4adf-8112-31c55c1551ef/homelab.yaml',
      { remote: true },
    );
    assert.equal(r.kind, 'cloudflared-config');
    assert.deepEqual(r.diagnostics, []);
  });

  test("its values are still typed, and a local config.yaml keeps cloudflared's own warning", () => {
    const typed = analyzeText(remote.replace('enabled: false', 'enabled: "no way"'), undefined, { remote: true });
    assert.deepEqual(summary(typed), ['8 error type-error']);
    assert.deepEqual(summary(analyzeText(remote, 'cloudflared/config.yaml')), ['8 warning unknown-key']);
  });

  test('an empty remote configuration is still a configuration', () => {
    assert.equal(analyzeText('', undefined, { remote: true }).kind, 'cloudflared-config');
  });
});
