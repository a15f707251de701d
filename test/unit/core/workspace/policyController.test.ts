/**
 * The policy checks and a tunnel whose rules go to an ingress controller (issue #17, the seed's
 * "DMZ"): cloudflared connects to the controller's pods, the controller to the apps. A policy that
 * allows the controller is clean (the apps behind it are not reported); one that allows only the
 * apps' Services blocks every controller rule, and says why.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG, cleanSetup, open } from './memory';
import type { MemoryFs } from './memory';
import type { Workspace } from '../../../../src/core/workspace/workspace';
import { networkPolicyText, objectsFromManifestText } from '../../../../src/extension/scaffold/policyModel';

const FIXTURE = join(__dirname, '../../../fixtures/routing/nginx');
const NGINX = readFileSync(join(FIXTURE, 'ingress-nginx.yaml'), 'utf8');
const APPS = readFileSync(join(FIXTURE, 'apps.yaml'), 'utf8');

/** The seed's rules: apex and wildcard to ingress-nginx, then 404. */
const TO_CONTROLLER = CONFIG.replace(
  `  - hostname: app.example.com
    service: http://web.apps.svc.cluster.local
`,
  `  - hostname: example.com
    service: http://ingress-nginx-controller.ingress-nginx.svc.cluster.local:80
  - hostname: "*.example.com"
    service: http://ingress-nginx-controller.ingress-nginx.svc.cluster.local:80
`,
);

function egressPolicy(peers: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: cloudflared
  namespace: cloudflared
spec:
  podSelector:
    matchLabels:
      app: cloudflared
  policyTypes: [Egress]
  egress:
    - ports:
        - port: 53
          protocol: UDP
${peers}`;
}

const CONTROLLER_PEER = `    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ingress-nginx
          podSelector:
            matchLabels:
              app.kubernetes.io/name: ingress-nginx
              app.kubernetes.io/component: controller
      ports:
        - port: 80
`;
/** The app Service shop (web/shop, pods app=shop, container port 8080) the Ingress routes to. */
const APPS_PEER = `    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: web
          podSelector:
            matchLabels:
              app: shop
      ports:
        - port: 8080
`;

function setup(policy: string): { fs: MemoryFs; ws: Workspace } {
  const fs = cleanSetup({
    '/repo/deploy/config.yaml': TO_CONTROLLER,
    '/repo/deploy/networkpolicy.yaml': policy,
    '/repo/apps/services.yaml': APPS,
    '/repo/ingress/ingress-nginx.yaml': NGINX,
  });
  return { fs, ws: open(fs) };
}

/** The policy findings as `file:line code`, with their messages. */
function policyFindings(ws: Workspace): Array<{ at: string; message: string }> {
  return ws.files().flatMap((f) =>
    ws
      .diagnostics(f)
      .filter((d) => d.code?.toString().startsWith('policy-'))
      .map((d) => ({ at: `${f.replace('/repo/', '')}:${d.range.start.line} ${String(d.code)}`, message: d.message })),
  );
}

describe('policy checks: rules to an ingress controller', () => {
  test('a policy that allows the controller only is clean: the apps behind it are not reported', () => {
    const { ws } = setup(egressPolicy(CONTROLLER_PEER));
    assert.deepEqual(policyFindings(ws), []);
  });

  test('the generated DMZ policy (the controller pods on the resolved target port) is clean too', () => {
    const objects = [NGINX, APPS].map((t) => objectsFromManifestText(t));
    const generated = networkPolicyText({
      namespace: 'cloudflared',
      podLabels: { app: 'cloudflared' },
      rules: [
        { hostname: 'example.com', service: 'http://ingress-nginx-controller.ingress-nginx.svc.cluster.local:80' },
        { hostname: '*.example.com', service: 'http://ingress-nginx-controller.ingress-nginx.svc.cluster.local:80' },
        { service: 'http_status:404' },
      ],
      services: objects.flatMap((o) => o.services),
      pods: objects.flatMap((o) => o.pods),
      publicLabel: 'cftunnel/public=true',
    });
    assert.ok(generated.throughControllers);
    assert.doesNotMatch(generated.content, /kubernetes\.io\/metadata\.name: web/, 'no egress to the apps');
    const { ws } = setup(generated.content);
    assert.deepEqual(policyFindings(ws), []);
  });

  test('a policy that allows only the app Services IS reported on each controller rule, saying the apps do not help', () => {
    const { ws } = setup(egressPolicy(APPS_PEER));
    const found = policyFindings(ws);
    assert.deepEqual(
      found.map((f) => f.at),
      [
        'deploy/config.yaml:5 policy-blocks-rule',
        'deploy/config.yaml:7 policy-blocks-rule',
        'deploy/networkpolicy.yaml:15 policy-target-unused',
      ],
    );
    assert.match(
      found[0]!.message,
      /nothing to the pods of Service 'ingress-nginx-controller' in namespace 'ingress-nginx' .* on port 'http'\/TCP .*is the ingress-nginx ingress controller \(Service ingress-nginx\/ingress-nginx-controller\): cloudflared connects to the controller's pods, and the controller, not cloudflared, connects to the apps behind it, so allowing the apps' pods does not help/,
    );
    assert.match(
      found[2]!.message,
      /reach pods with app=shop in namespace 'web'.*The rules go to the ingress-nginx ingress controller .*cloudflared needs only the controller's pods/,
    );
  });

  test('controller and apps both allowed: the rules pass, the apps peer is unused (not needed behind the controller)', () => {
    const { ws } = setup(egressPolicy(CONTROLLER_PEER + APPS_PEER));
    const found = policyFindings(ws);
    assert.deepEqual(
      found.map((f) => f.at),
      ['deploy/networkpolicy.yaml:25 policy-target-unused'],
    );
  });

  test('an ordinary Service rule keeps today’s message (no controller sentence)', () => {
    const fs = cleanSetup({
      '/repo/deploy/networkpolicy.yaml': egressPolicy(APPS_PEER),
      '/repo/apps/services.yaml': APPS.replace(/namespace: web/g, 'namespace: apps').replace(/name: shop/, 'name: web'),
    });
    const found = policyFindings(open(fs));
    assert.ok(found.length > 0);
    for (const f of found) assert.doesNotMatch(f.message, /controller/);
  });
});
