/** package.json as data: every contribution points at something that exists. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, SETTING_DEFAULTS, toSettings } from '../../src/core/settings';
import { COMMANDS } from '../../src/shared/commands';
import { CONTEXT_KEYS, CONTEXT_VALUES } from '../../src/shared/contextValues';

const root = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const contributes = pkg.contributes;

test('every contributed command has an id in src/shared/commands.ts, the cftunnel prefix and a category', () => {
  const ids = new Set<string>(Object.values(COMMANDS));
  for (const c of contributes.commands) {
    assert.ok(ids.has(c.command), `${c.command} is not in COMMANDS`);
    assert.match(c.command, /^cftunnel\./);
    assert.equal(c.category, 'Cloudflare Tunnel');
  }
  assert.deepEqual([...ids].sort(), contributes.commands.map((c: { command: string }) => c.command).sort());
});

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}
const menuEntries = (): Array<[string, MenuEntry]> =>
  Object.entries<MenuEntry[]>(contributes.menus ?? {}).flatMap(([where, list]) =>
    list.map((m): [string, MenuEntry] => [where, m]),
  );
const declared = new Set<string>(contributes.commands.map((c: { command: string }) => c.command));
const viewIds = new Set<string>(
  Object.values<Array<{ id: string }>>(contributes.views).flatMap((list) => list.map((v) => v.id)),
);

test('every menu entry refers to a declared command and a declared view', () => {
  for (const [where, m] of menuEntries()) {
    assert.ok(declared.has(m.command), `${where}: ${m.command} is not a contributed command`);
    for (const [, view] of (m.when ?? '').matchAll(/\bview == ([\w.-]+)/g))
      assert.ok(viewIds.has(view!), `${where}: unknown view ${view}`);
  }
});

test('commands have codicon icons and tree-only commands are hidden from the palette', () => {
  for (const c of contributes.commands) if (c.icon !== undefined) assert.match(c.icon, /^\$\([a-z0-9-]+\)$/, c.command);
  const palette = new Map<string, string | undefined>(
    (contributes.menus?.commandPalette ?? []).map((m: MenuEntry) => [m.command, m.when]),
  );
  assert.equal(palette.get(COMMANDS.copyTunnelId), 'false');
  for (const id of [COMMANDS.createTunnel, COMMANDS.deleteTunnel, COMMANDS.routeHostname, COMMANDS.signOut]) {
    assert.match(palette.get(id) ?? '', new RegExp(CONTEXT_KEYS.signedIn.replace('.', '\\.')), id);
  }
});

test('every view/item/context menu keys on a contextValue the Tunnels view produces', () => {
  const values: string[] = Object.values(CONTEXT_VALUES);
  const items = menuEntries().filter(([where]) => where === 'view/item/context');
  assert.ok(items.length > 0);
  for (const [, m] of items) {
    const when = m.when ?? '';
    const exact = [...when.matchAll(/\bviewItem == ([\w.-]+)/g)].map((x) => x[1]!);
    const patterns = [...when.matchAll(/\bviewItem =~ \/(.+?)\/(?=\s|$|\))/g)].map((x) => new RegExp(x[1]!));
    assert.ok(exact.length + patterns.length > 0, `${m.command}: "${when}" names no viewItem`);
    for (const v of exact) assert.ok(values.includes(v), `${m.command}: ${v} is not in CONTEXT_VALUES`);
    for (const re of patterns)
      assert.ok(
        values.some((v) => re.test(v)),
        `${m.command}: ${re} matches no value in CONTEXT_VALUES`,
      );
  }
});

const itemMenus = (): MenuEntry[] => menuEntries().flatMap(([where, m]) => (where === 'view/item/context' ? [m] : []));
const isInline = (m: MenuEntry): boolean => /^inline(@\d+)?$/.test(m.group ?? '');

test('every inline action on a tree item is in its context menu too (same when)', () => {
  for (const m of itemMenus().filter(isInline)) {
    const twin = itemMenus().find((o) => o.command === m.command && o.when === m.when && !isInline(o));
    assert.ok(
      twin,
      `${m.command} is an inline icon only on "${m.when}": add a view/item/context entry with the same when and a context group`,
    );
  }
});

test('tree item context menus are grouped and ordered as VS Code views are (1_open, 2_copy, 3_edit, 9_delete, each @n)', () => {
  const groups = ['1_open', '2_copy', '3_edit', '9_delete'];
  for (const m of itemMenus().filter((x) => !isInline(x))) {
    const [group, order] = (m.group ?? '').split('@');
    assert.ok(
      groups.includes(group!),
      `${m.command} on "${m.when}": group ${m.group} is not one of ${groups.join(', ')}`,
    );
    assert.match(order ?? '', /^\d+$/, `${m.command} on "${m.when}": group ${m.group} has no @n order`);
  }
  // Destructive actions come last, apart.
  for (const id of [COMMANDS.deleteTunnel, COMMANDS.removeRoute]) {
    for (const m of itemMenus().filter((x) => x.command === id && !isInline(x)))
      assert.match(m.group!, /^9_delete@/, id);
  }
});

test('welcome content links to declared commands (or the workbench)', () => {
  for (const w of contributes.viewsWelcome) {
    assert.ok(viewIds.has(w.view), `welcome for unknown view ${w.view}`);
    for (const [, id] of (w.contents as string).matchAll(/\(command:([\w.-]+)\)/g)) {
      assert.ok(declared.has(id!) || id!.startsWith('workbench.'), `welcome links to undeclared command ${id}`);
    }
  }
});

/** A when clause evaluated over context keys (`a && !b || c`, bare keys only: what the welcome contents use). */
function holds(when: string | undefined, keys: Record<string, boolean>): boolean {
  if (!when) return true;
  return when.split('||').some((all) =>
    all.split('&&').every((term) => {
      const t = term.trim();
      assert.match(t, /^!?[\w.]+$/, `when clause term ${t}`);
      return t.startsWith('!') ? !keys[t.slice(1)] : Boolean(keys[t]);
    }),
  );
}

test('Cluster Services says "Loading…" until the kubeconfig was looked for, "No kubeconfig found" only after', () => {
  const shown = (keys: Record<string, boolean>): string[] =>
    contributes.viewsWelcome
      .filter((w: { view: string; when?: string }) => w.view === 'cftunnel.services' && holds(w.when, keys))
      .map((w: { contents: string }) => w.contents.split('\n')[0]);
  const trusted = { isWorkspaceTrusted: true };
  // Before activation ends no key is set: the kubeconfig may well exist.
  assert.deepEqual(shown(trusted), ['Loading the kubeconfig…']);
  assert.match(shown({ ...trusted, [CONTEXT_KEYS.kubeconfigChecked]: true }).join(), /^No kubeconfig found/);
  assert.deepEqual(
    shown({
      ...trusted,
      [CONTEXT_KEYS.kubeconfigChecked]: true,
      [CONTEXT_KEYS.kubeconfigFound]: true,
      [CONTEXT_KEYS.kubeContextChosen]: true,
    }),
    [],
  );
});

test('views live in the cftunnel container and have welcome content', () => {
  const container = contributes.viewsContainers.activitybar.find((c: { id: string }) => c.id === 'cftunnel');
  assert.ok(container, 'activity-bar container cftunnel');
  assert.ok(existsSync(join(root, container.icon)), `icon ${container.icon}`);
  for (const v of contributes.views.cftunnel) {
    assert.match(v.id, /^cftunnel\./);
    assert.ok(
      contributes.viewsWelcome.some((w: { view: string }) => w.view === v.id),
      `welcome for ${v.id}`,
    );
  }
});

test('grammars exist and parse', () => {
  for (const g of contributes.grammars) {
    const grammar = JSON.parse(readFileSync(join(root, g.path), 'utf8'));
    assert.equal(grammar.scopeName, g.scopeName);
  }
});

test('settings use the prefix and have a scope and a markdown description', () => {
  for (const [key, value] of Object.entries<Record<string, unknown>>(contributes.configuration.properties)) {
    assert.match(key, /^cftunnel\./);
    assert.ok(value.scope, `${key} scope`);
    assert.ok(value.markdownDescription, `${key} markdownDescription`);
  }
});

test('setting defaults are the ones in src/core/settings.ts, and the server reads them as contributed', () => {
  const properties = contributes.configuration.properties as Record<string, { default: unknown }>;
  assert.deepEqual(Object.keys(properties).sort(), Object.keys(SETTING_DEFAULTS).sort());
  for (const [key, value] of Object.entries(properties)) assert.deepEqual(value.default, SETTING_DEFAULTS[key], key);
  // The client sends the `cftunnel` section as nested objects: flipping every contributed boolean must flip what the server reads.
  const section: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties)) {
    const parts = key.split('.').slice(1);
    let at = section;
    for (const p of parts.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>;
    at[parts[parts.length - 1]!] =
      typeof value.default === 'boolean'
        ? !value.default
        : typeof value.default === 'string'
          ? `x${value.default}`
          : value.default;
  }
  // …and changing every string must change what the workspace checks read.
  assert.deepEqual(toSettings(section), {
    diagnostics: { enable: !DEFAULT_SETTINGS.diagnostics.enable },
    workspace: {
      clusterDomain: `x${DEFAULT_SETTINGS.workspace.clusterDomain}`,
      publicLabel: `x${DEFAULT_SETTINGS.workspace.publicLabel}`,
    },
  });
});

test('entry points match the esbuild outputs and the CLI is declared', () => {
  const esbuild = readFileSync(join(root, 'esbuild.mjs'), 'utf8');
  assert.equal(pkg.main, './dist/extension.js');
  assert.ok(esbuild.includes("outfile: 'dist/extension.js'"));
  assert.ok(esbuild.includes("outfile: 'dist/server.js'"));
  assert.equal(pkg.bin.cftunnel, 'dist/cli.js');
  assert.ok(esbuild.includes("outfile: 'dist/cli.js'"));
});

test('the VSIX allow-list ships the bundles and nothing from src or node_modules', () => {
  const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim());
  assert.equal(
    ignore.find((l) => l && !l.startsWith('#')),
    '**',
  );
  for (const f of ['!dist/extension.js', '!dist/server.js', '!package.json']) assert.ok(ignore.includes(f), f);
  assert.ok(!ignore.some((l) => l.startsWith('!src') || l.startsWith('!node_modules')));
});

test('restricted mode is declared explicitly', () => {
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
});

test('the walkthrough links to declared commands and its media exist', () => {
  const declared = new Set<string>(contributes.commands.map((c: { command: string }) => c.command));
  for (const w of contributes.walkthroughs) {
    for (const step of w.steps) {
      assert.ok(existsSync(join(root, step.media.markdown)), step.media.markdown);
      for (const m of String(step.description).matchAll(/\(command:(cftunnel\.[A-Za-z]+)\)/g))
        assert.ok(declared.has(m[1]!), `${step.id}: ${m[1]}`);
    }
  }
});

test('README.md lists every command (by its title) and every setting', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const commands = readme.slice(readme.indexOf('## Commands'), readme.indexOf('## Settings'));
  const settings = readme.slice(readme.indexOf('## Settings'));
  for (const c of contributes.commands)
    assert.ok(commands.includes(c.title), `README's Commands table lacks "${c.title}"`);
  for (const key of Object.keys(contributes.configuration.properties))
    assert.ok(settings.includes(`\`${key}\``), `README's Settings table lacks ${key}`);
});
