// Real-editor test of "Apply to Cluster…" against the local Kubernetes API (dev/servers/kubernetes) on its demo
// data, with the preinstalled kubectl: a kustomize folder written by the scaffold core (locally managed, into the
// demo's `staging` namespace, which has no cloudflared) is picked from the palette; the read-only diff shows the
// new Deployment and the Secret masked, the confirmation names the objects and the context. Cancel applies
// nothing; Apply runs kubectl (no shell) in the extension's terminal "cftunnel: apply …", where kubectl (validation left to the
// server, as against a real cluster) creates the objects. With `cftunnel.kubernetes.kubectlPath` pointing at
// nothing, the command says kubectl was not found and offers "Get kubectl" and "Open Settings".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { scaffoldPlan } from '../../src/core/scaffold/scaffold';
import { writeAll } from '../../src/node/atomicWrite';
import { demoState, startKubernetesApi } from '../../dev/servers/kubernetes/server';
import type { RecordedRequest } from '../../dev/servers/kubernetes/server';
import {
  activeEditor,
  activityBarItem,
  clickDialogButton,
  fixtureWorkspace,
  modalDialog,
  notificationButton,
  notificationToast,
  quickPickRow,
  quickPickTitle,
  runCommand,
  timeouts,
  waitForEditorText,
  waitUntil,
  withWorkbench,
} from '../../dev/editor/harness';

const COMMAND = 'Cloudflare Tunnel: Apply to Cluster…';
const TUNNEL_ID = '6ff42ae2-765d-4adf-8112-31c55c1551ef';
const TUNNEL_SECRET = Buffer.from('e2e-apply-tunnel-secret-NEVER-SHOWN').toString('base64');
const NAMESPACE = 'staging';
const CONTEXT = 'homelab';

/** A copy of the e2e fixture workspace with a scaffolded kustomize folder `cloudflared/`; removed by the caller. */
function workspaceWithKustomization(): string {
  const root = mkdtempSync(join(tmpdir(), 'cftunnel-apply-ws-'));
  cpSync(fixtureWorkspace, root, { recursive: true });
  const plan = scaffoldPlan({
    mode: 'local',
    tunnelId: TUNNEL_ID,
    namespace: NAMESPACE,
    secret: {
      credentials: { AccountTag: '0123456789abcdef0123456789abcdef', TunnelSecret: TUNNEL_SECRET, TunnelID: TUNNEL_ID },
    },
  });
  const written = writeAll(join(root, 'cloudflared'), plan.files, false);
  assert.ok(written.ok, `the scaffold was not written: ${JSON.stringify(written)}`);
  return root;
}

/**
 * Runs the command from the palette and picks the workspace's kustomization folder `cloudflared`, which the
 * command names `<workspace folder>/cloudflared` (vscode.workspace.asRelativePath with the folder's name).
 */
async function applyFromPalette(page: Page): Promise<void> {
  // The palette lists the extension's commands once its contributions are registered.
  await activityBarItem(page, 'Cloudflare Tunnel').waitFor({ state: 'visible', timeout: timeouts.workbench });
  await runCommand(page, COMMAND, { opensQuickInput: true });
  await quickPickTitle(page)
    .filter({ hasText: 'Apply to Cluster: which kustomization?' })
    .waitFor({ state: 'visible', timeout: timeouts.ui });
  const row = quickPickRow(page, 'kustomization.yaml');
  await row.waitFor({ state: 'visible', timeout: timeouts.ui });
  assert.match(await row.innerText(), /cloudflared/);
  await row.click();
}

/**
 * The confirmation, once the diff of `rel` is open: the diff's tab is active (its name has `/` as `∕`, a
 * document name cannot hold a slash) and the modal asks.
 */
async function waitForConfirmation(page: Page, rel: string) {
  const tab = `kubectl diff ${rel.replace(/\//g, '\u2215')} (${CONTEXT}).diff`;
  await page
    .locator('.part.editor .tab.active', { hasText: tab })
    .first()
    .waitFor({ state: 'visible', timeout: 60_000 });
  const dialog = modalDialog(page, `Apply 5 objects (5 new) to context '${CONTEXT}'?`);
  await dialog.waitFor({ state: 'visible', timeout: timeouts.ui });
  return dialog;
}

/** Writes that are not dry runs: what `kubectl apply` sends. */
const realWrites = (requests: RecordedRequest[]): RecordedRequest[] =>
  requests.filter((r) => (r.method === 'POST' || r.method === 'PATCH') && r.query.dryRun === undefined);

test(
  'Apply to Cluster: palette → folder → read-only diff, masked Secret, confirmation; Cancel applies nothing, Apply runs kubectl in a terminal',
  { timeout: 300_000 },
  async () => {
    const api = await startKubernetesApi({ data: demoState() });
    const dir = mkdtempSync(join(tmpdir(), 'cftunnel-kube-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, api.kubeconfigYaml(CONTEXT));
    const workspace = workspaceWithKustomization();
    try {
      // The terminal's tab listed even when it is the only one; its text rendered as DOM (not on a canvas).
      const settings = {
        'terminal.integrated.tabs.hideCondition': 'never',
        'terminal.integrated.gpuAcceleration': 'off',
      };
      await withWorkbench(
        'apply',
        { trusted: true, workspace, settings, env: { KUBECONFIG: kubeconfig } },
        async ({ page }) => {
          const rel = 'cloudflared'; // one workspace folder: named relative to it
          const escaped = rel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          // 1. The diff and the confirmation; Cancel.
          await applyFromPalette(page);
          const dialog = await waitForConfirmation(page, rel);
          // The diff behind it: our header, then kubectl's diff of the new Deployment (all lines added).
          const top = await waitForEditorText(page, /^\+kind: Deployment$/m);
          assert.match(
            top,
            new RegExp(
              `^# kubectl diff -k ${escaped} --context ${CONTEXT}: 5 object\\(s\\); Secret values are masked \\(\\*\\*\\*\\)\\.$`,
              'm',
            ),
          );
          assert.match(
            top,
            /^diff -u -N \S+\/LIVE-\d+\/apps\.v1\.Deployment\.staging\.cloudflared \S+\/MERGED-\d+\/apps\.v1\.Deployment\.staging\.cloudflared$/m,
          );
          assert.match(top, /^\+ {2}name: cloudflared$/m);
          assert.match(top, /^\+ {2}namespace: staging$/m);
          const detail = (await dialog.innerText()).replace(/\u00a0/g, ' ');
          for (const line of [
            'Deployment staging/cloudflared: new',
            'NetworkPolicy staging/cloudflared: new',
            'PodDisruptionBudget staging/cloudflared: new',
            'ConfigMap staging/cloudflared-config-',
            'Secret staging/cloudflared-credentials-',
          ]) {
            assert.ok(detail.includes(line), `the confirmation lists "${line}":\n${detail}`);
          }
          assert.match(
            detail,
            // The kubectl resolved once and the kubeconfig given explicitly: the same for the diff and the apply.
            new RegExp(
              `Apply runs in a terminal: \\S*kubectl apply -k \\S+/cloudflared --context ${CONTEXT} --kubeconfig \\S+`,
            ),
          );
          assert.ok(
            realWrites(api.requests).length === 0 && api.requests.some((r) => r.query.dryRun === 'All'),
            'so far only dry runs',
          );
          await clickDialogButton(dialog, 'Cancel');
          assert.deepEqual(realWrites(api.requests), [], 'Cancel applies nothing');

          // The Secret's section, at the end of the diff: its data masked; the document is read-only.
          await activeEditor(page).locator('.view-lines').click();
          await page.keyboard.press('Control+F');
          const find = activeEditor(page).locator('.find-widget textarea, .find-widget input').first();
          await find.waitFor({ state: 'visible', timeout: timeouts.ui });
          await find.fill('credentials.json:');
          await page.keyboard.press('Enter');
          await waitForEditorText(page, /^\+ {2}credentials\.json: '\*\*\*'$/m);
          const findWidget = activeEditor(page).locator('.find-widget.visible');
          await waitUntil('the find widget to close', async () => {
            if (!(await findWidget.isVisible())) return true;
            await find.press('Escape');
            return false;
          });
          await activeEditor(page).locator('.view-lines').click();
          await page.keyboard.type('x');
          await activeEditor(page)
            .locator('.monaco-editor-overlaymessage', { hasText: 'Cannot edit in read-only editor' })
            .waitFor({ state: 'visible', timeout: timeouts.ui });
          const body = await page.locator('body').innerText();
          assert.ok(
            !body.includes(TUNNEL_SECRET) && !body.includes(Buffer.from(TUNNEL_SECRET).toString('base64')),
            'the tunnel secret is never shown',
          );

          // 2. Again, and Apply: a terminal runs kubectl apply, which creates the objects.
          await applyFromPalette(page);
          await clickDialogButton(await waitForConfirmation(page, rel), 'Apply');
          await page
            .locator('.part.panel .terminal-tabs-entry', { hasText: `cftunnel: apply ${rel}` })
            .first()
            .waitFor({ state: 'visible', timeout: timeouts.ui });
          const created = await waitUntil(
            'kubectl apply (in the terminal) to create the Deployment',
            () => realWrites(api.requests).find((r) => r.method === 'POST' && r.resource === 'deployments'),
            60_000,
          );
          assert.equal(created.namespace, NAMESPACE);
          // Validation left to the server, as kubectl does against a real cluster.
          assert.equal(created.query.fieldValidation, 'Strict');
          const deployment = await waitUntil('the Deployment to be stored', () =>
            api.state.get('deployments', NAMESPACE, 'cloudflared'),
          );
          assert.match(
            deployment.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? '',
            /"name":"cloudflared"/,
          );
          await waitUntil(
            'the other objects to be stored',
            () =>
              api.state.list('secrets', NAMESPACE).length === 1 &&
              api.state.list('networkpolicies', NAMESPACE).length === 1 &&
              api.state.list('poddisruptionbudgets', NAMESPACE).length === 1,
          );
          // kubectl's answer in the terminal.
          const terminal = page.locator('.part.panel .xterm-rows').first();
          await waitUntil("the terminal to show kubectl apply's answer", async () =>
            /deployment\.apps\/cloudflared created[\s\S]*networkpolicy\.networking\.k8s\.io\/cloudflared created/.test(
              (await terminal.innerText()).replace(/\u00a0/g, ' '),
            ),
          );
          assert.doesNotMatch((await terminal.innerText()).replace(/\u00a0/g, ' '), /error|--validate/i);
        },
      );
    } finally {
      await api.close();
      rmSync(dir, { recursive: true, force: true });
      rmSync(workspace, { recursive: true, force: true });
    }
  },
);

test(
  'Apply to Cluster with cftunnel.kubernetes.kubectlPath naming no file: "kubectl was not found", Get kubectl, Open Settings',
  { timeout: 300_000 },
  async () => {
    const workspace = workspaceWithKustomization();
    const missing = join(workspace, 'no-such-dir', 'kubectl');
    try {
      await withWorkbench(
        'apply-no-kubectl',
        { trusted: true, workspace, settings: { 'cftunnel.kubernetes.kubectlPath': missing } },
        async ({ page }) => {
          await applyFromPalette(page);
          const toast = notificationToast(page, `kubectl was not found at ${missing}`);
          await toast.waitFor({ state: 'visible', timeout: timeouts.ui });
          await notificationButton(toast, 'Get kubectl').waitFor({ state: 'visible', timeout: timeouts.ui });
          await notificationButton(toast, 'Open Settings').click();
          // The Settings editor, searched for the setting.
          await page
            .locator('.settings-editor .setting-item', { hasText: 'Kubectl Path' })
            .first()
            .waitFor({ state: 'visible', timeout: timeouts.ui });
        },
      );
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  },
);
