/**
 * Cloudflare Access in the editor, as plain data (no `vscode` import: test/unit covers it): what an
 * account's Access read gave (`AccessState`), how a public hostname looks in the trees once its
 * coverage is known (protected by which application and who may enter, open to everyone, or
 * unknown, never "open" when unknown), and the steps of "Protect with Cloudflare Access…": who may
 * enter, the session duration, the application's name, the preview of what is created and the
 * sentences said before and after. The coverage itself is src/core/access/coverage.ts; the calls
 * are src/cloudflare/access.ts.
 */
import { accessFindings } from '../../core/access/check';
import type { AccessCheckSettings } from '../../core/access/check';
import type { Diagnostic, Range, Severity } from '../../core/types';
import type { TreeItemSpec } from '../../shared/treeItemSpec';

// ── What was read ───────────────────────────────────────────────────────────────────────────

/** An Access policy as the wrapper returns it (the fields shown here). */
export interface AccessPolicyLike {
  id: string;
  name?: string;
  decision: string;
  include: ReadonlyArray<Record<string, unknown>>;
  exclude?: ReadonlyArray<Record<string, unknown>>;
  require?: ReadonlyArray<Record<string, unknown>>;
}

/** An Access application as the wrapper returns it (the fields shown here). */
export interface AccessAppLike {
  id: string;
  name: string;
  type: string;
  domains: readonly string[];
  policies: readonly AccessPolicyLike[];
  sessionDuration?: string;
  aud?: string;
}

export interface IdentityProviderLike {
  id: string;
  name: string;
  type: string;
}

export interface ServiceTokenLike {
  id: string;
  name: string;
  clientId: string;
}

/** One account's Access read: once per Tunnels refresh (TunnelsStore.access). */
export type AccessState =
  | {
      kind: 'loaded';
      apps: readonly AccessAppLike[];
      identityProviders: readonly IdentityProviderLike[];
      serviceTokens: readonly ServiceTokenLike[];
      teamDomain?: string;
      /** False when Access is not enabled for the account (nothing is protected). */
      enabled?: boolean;
      /** What could not be read, with why (e.g. the identity providers without their permission). */
      unavailable?: Partial<Record<'identityProviders' | 'serviceTokens' | 'teamDomain', string>>;
    }
  /** The token may not read Access applications: coverage is unknown, never "open". */
  | { kind: 'forbidden'; message: string }
  /** Any other failure (offline, timeout…): unknown as well. */
  | { kind: 'failed'; message: string };

/** What the trees say when the token lacks the Access read permission. */
export const ACCESS_FORBIDDEN_REASON = 'the token lacks Access: Apps and Policies Read';

/** The reason a state gives for an unknown coverage (undefined when loaded). */
export function unknownReason(state: AccessState | undefined): string | undefined {
  if (!state) return 'Access applications not read yet';
  if (state.kind === 'forbidden') return ACCESS_FORBIDDEN_REASON;
  if (state.kind === 'failed') return `Access applications could not be read: ${state.message}`;
  return undefined;
}

/** The apps of a loaded state; undefined (unknown) otherwise. */
export function appsOf(state: AccessState | undefined): readonly AccessAppLike[] | undefined {
  return state?.kind === 'loaded' ? state.apps : undefined;
}

// ── How a hostname looks ────────────────────────────────────────────────────────────────────

/** A hostname's coverage as src/core/access/coverage.ts answers it (the fields shown). */
export interface CoverageLike {
  state: 'protected' | 'open' | 'unknown';
  app?: AccessAppLike;
  /** Who may enter, in short ("2 emails", "everyone", "service token ci"). */
  who?: string | readonly string[];
  reason?: string;
  /** Regions of the rule that are open although its main coverage is protected (wildcard depth, paths). */
  gaps?: ReadonlyArray<{ kind: string; example: string; coverage: { who: string; reason: string } }>;
  /** Set when the rule's path regex cannot be compared exactly with the applications' paths: why. */
  partly?: string;
}

/** The words of a hostname's Access state in the trees. */
export interface HostnameAccess {
  state: 'protected' | 'open' | 'unknown';
  /** Appended to the item's description. */
  description: string;
  /** Lines added to the tooltip. */
  tooltip: string[];
  appId?: string;
  appName?: string;
  /** The rule reaches names no application covers although one covers the rule's own name. */
  gaps: string[];
}

const whoText = (who: CoverageLike['who']): string =>
  who === undefined ? '' : typeof who === 'string' ? who : who.join(', ');

const gapText = (g: NonNullable<CoverageLike['gaps']>[number]): string =>
  g.kind === 'wildcard-depth'
    ? `${g.example} (the tunnel's wildcard takes any depth, Access's * one label)`
    : `${g.example} (${g.coverage.who})`;

/** The description and tooltip lines of a coverage. */
export function hostnameAccess(c: CoverageLike): HostnameAccess {
  const who = whoText(c.who);
  const gaps = (c.gaps ?? []).map(gapText).filter(Boolean);
  const gapLines = gaps.map((g) => `⚠ Not covered: ${g}`);
  if (c.state === 'unknown') {
    const reason = c.reason || ACCESS_FORBIDDEN_REASON;
    return {
      state: 'unknown',
      description: `Access unknown — ${reason}`,
      tooltip: [`Cloudflare Access: unknown — ${reason}.`, 'Never shown as open while unknown.'],
      gaps,
    };
  }
  const app = c.app;
  if (c.state === 'open') {
    const why = c.reason || (app ? `application "${app.name}" lets everyone in.` : 'no Access application covers it.');
    return {
      state: 'open',
      description: app ? `open to everyone (${app.name}: ${who || 'everyone'})` : 'open to everyone',
      tooltip: [
        `Cloudflare Access: open to everyone. ${why}`,
        app ? `Change its policies in the Zero Trust dashboard.` : 'Protect it with "Protect with Cloudflare Access…".',
        ...gapLines,
      ],
      ...(app ? { appId: app.id, appName: app.name } : {}),
      gaps,
    };
  }
  return {
    state: 'protected',
    description: `Access: ${app?.name ?? 'protected'}${who ? ` (${who})` : ''}${gaps.length ? ' · ⚠ gaps' : ''}`,
    tooltip: [
      `Cloudflare Access: protected by application "${app?.name ?? '?'}"${app ? ` (${app.domains.join(', ')})` : ''}.`,
      c.reason,
      who ? `Who may enter: ${who}.` : undefined,
      app?.sessionDuration ? `Session: ${app.sessionDuration}.` : undefined,
      ...(app?.policies ?? []).map((p) => `Policy ${p.name ?? p.id}: ${p.decision}`),
      ...gapLines,
      c.partly ? `Partly decided: ${c.partly}` : undefined,
    ].filter((x): x is string => x !== undefined),
    ...(app ? { appId: app.id, appName: app.name } : {}),
    gaps,
  };
}

/** The context value of an item whose hostname is open (offers "Protect with Cloudflare Access…"). */
export const OPEN_SUFFIX = '.open';

/**
 * A hostname item with its Access state: the description gains the state, the tooltip its lines,
 * the icon a lock (protected) or an open lock (open) unless it already shows a problem, and an
 * open hostname's context value the `.open` suffix (its menus offer "Protect with Cloudflare Access…")
 * unless `markOpen` is false (DNS routes keep theirs: their own menus key on them).
 */
export function withHostnameAccess<C extends string>(
  spec: TreeItemSpec<C>,
  access: HostnameAccess | undefined,
  problemIcon = false,
  markOpen = true,
): TreeItemSpec<C> {
  if (!access) return spec;
  const out: TreeItemSpec<C> = {
    ...spec,
    description: [spec.description, access.description].filter(Boolean).join(' · '),
    tooltip: [spec.tooltip, ...access.tooltip].filter(Boolean).join('\n'),
  };
  if (!problemIcon) {
    if (access.state === 'protected') {
      out.icon = 'lock';
      out.iconColor = access.gaps.length ? 'charts.yellow' : 'charts.green';
    } else if (access.state === 'open') {
      out.icon = 'unlock';
      out.iconColor = undefined;
    }
  }
  if (access.state === 'open' && markOpen) out.contextValue = `${spec.contextValue}${OPEN_SUFFIX}` as C;
  return out;
}

// ── Protect with Cloudflare Access… ─────────────────────────────────────────────────────────

/** Who may enter the new application. */
export type WhoChoice =
  | { kind: 'emails'; emails: string[] }
  | { kind: 'emailDomain'; domain: string }
  | { kind: 'identityProvider'; id: string; name: string; type: string }
  | { kind: 'serviceToken'; id: string; name: string; clientId: string };

/** The first step's items: one per kind, those without anything to pick disabled with the reason. */
export function whoItems(state: Extract<AccessState, { kind: 'loaded' }>): Array<{
  kind: WhoChoice['kind'];
  label: string;
  detail: string;
  enabled: boolean;
}> {
  const idps = state.identityProviders.length;
  const tokens = state.serviceTokens.length;
  return [
    {
      kind: 'emails',
      label: 'Emails…',
      detail: 'People with these email addresses (they log in with a one-time PIN or your identity provider).',
      enabled: true,
    },
    {
      kind: 'emailDomain',
      label: 'An email domain…',
      detail: 'Everyone whose email address ends in this domain, e.g. example.com.',
      enabled: true,
    },
    {
      kind: 'identityProvider',
      label: 'Users of an identity provider…',
      detail: idps
        ? `Anyone who logs in with one of the account's ${idps} identity provider${idps === 1 ? '' : 's'}.`
        : state.unavailable?.identityProviders
          ? `The identity providers could not be read: ${state.unavailable.identityProviders}`
          : 'The account has no identity provider: add one in the Zero Trust dashboard.',
      enabled: idps > 0,
    },
    {
      kind: 'serviceToken',
      label: 'A service token (machines)…',
      detail: tokens
        ? 'Programs sending CF-Access-Client-Id and CF-Access-Client-Secret (a Service Auth policy).'
        : state.unavailable?.serviceTokens
          ? `The service tokens could not be read: ${state.unavailable.serviceTokens}`
          : 'The account has no service token: create one in the Zero Trust dashboard.',
      enabled: tokens > 0,
    },
  ];
}

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Emails typed with commas, semicolons or spaces between them; an error names the first wrong one. */
export function parseEmails(text: string): { emails: string[] } | { error: string } {
  const parts = text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) return { error: 'Type at least one email address.' };
  const bad = parts.find((p) => !EMAIL.test(p));
  if (bad) return { error: `${bad} is not an email address.` };
  return { emails: [...new Set(parts.map((p) => p.toLowerCase()))] };
}

/** An email domain as typed (`@example.com` or `example.com`), or the error. */
export function parseEmailDomain(text: string): { domain: string } | { error: string } {
  const d = text.trim().replace(/^@/, '').toLowerCase();
  if (!d) return { error: 'Type a domain, e.g. example.com.' };
  if (!DOMAIN.test(d)) return { error: `${d} is not a domain name.` };
  return { domain: d };
}

/** Session durations offered (Go duration strings, as Access takes them: no `d` unit). */
export const SESSION_DURATIONS: ReadonlyArray<{ value: string; label: string }> = [
  { value: '24h', label: '24 hours' },
  { value: '15m', label: '15 minutes' },
  { value: '1h', label: '1 hour' },
  { value: '8h', label: '8 hours' },
  { value: '168h', label: '7 days' },
  { value: '720h', label: '30 days' },
];
export const DEFAULT_SESSION_DURATION = '24h';

/** The application's name: what was typed, else the hostname. */
export function appNameOf(typed: string | undefined, hostname: string): string {
  return typed?.trim() || hostname;
}

/** What `protectHostname` is asked for. */
export interface ProtectRequest {
  hostname: string;
  path?: string;
  appName: string;
  sessionDuration: string;
  who: { emails?: string[]; emailDomain?: string; identityProviderId?: string; serviceTokenId?: string };
}

export function protectRequest(
  hostname: string,
  who: WhoChoice,
  sessionDuration: string,
  appName: string,
  path?: string,
): ProtectRequest {
  const w: ProtectRequest['who'] =
    who.kind === 'emails'
      ? { emails: who.emails }
      : who.kind === 'emailDomain'
        ? { emailDomain: who.domain }
        : who.kind === 'identityProvider'
          ? { identityProviderId: who.id }
          : { serviceTokenId: who.id };
  return { hostname, ...(path ? { path } : {}), appName, sessionDuration, who: w };
}

/** Who may enter, in a few words. */
export function whoSummary(who: WhoChoice): string {
  switch (who.kind) {
    case 'emails':
      return who.emails.length <= 3 ? who.emails.join(', ') : `${who.emails.length} email addresses`;
    case 'emailDomain':
      return `emails ending in @${who.domain}`;
    case 'identityProvider':
      return `users of ${who.name} (${who.type})`;
    case 'serviceToken':
      return `service token ${who.name}`;
  }
}

/** The modal question before anything is created: the application and the policy in JSON. */
export function protectQuestion(
  req: ProtectRequest,
  who: WhoChoice,
  preview: { policy: object; app: object },
): { message: string; detail: string; button: string } {
  return {
    message: `Protect ${req.hostname}${req.path ?? ''} with Cloudflare Access? Only ${whoSummary(who)} will get through (sessions of ${req.sessionDuration}).`,
    detail: [
      'Creates this reusable policy:',
      JSON.stringify(preview.policy, null, 2),
      'and this self-hosted application, which uses it:',
      JSON.stringify(preview.app, null, 2),
      'Nothing existing is changed. The policy and application can be edited or deleted in the Zero Trust dashboard.',
    ].join('\n'),
    button: 'Create Application',
  };
}

/** What is said when an application already covers the hostname (nothing is changed). */
export function existingAppMessage(hostname: string, c: CoverageLike): string {
  const app = c.app!;
  const who = whoText(c.who);
  const verdict =
    c.state === 'open'
      ? `it lets ${who || 'everyone'} in; change its policies in the Zero Trust dashboard`
      : `only ${who || 'the people its policies name'} may enter`;
  return `${hostname} is already covered by the Access application "${app.name}" (${app.domains.join(', ')}): ${verdict}. Nothing was changed.`;
}

/** What is said once `protectHostname` answered. */
export function protectOutcomeMessage(
  result: { app: { name: string; domains?: string[] }; created: boolean },
  hostname: string,
  who: WhoChoice,
): string {
  return result.created
    ? `Protected ${hostname} with the Access application "${result.app.name}": only ${whoSummary(who)} may enter.`
    : `${hostname} was already covered by the Access application "${result.app.name}": nothing was changed.`;
}

/** The Zero Trust dashboard's page of an account's Access applications. */
export function accessDashboardUrl(accountId: string): string {
  return `https://one.dash.cloudflare.com/${accountId}/access/apps`;
}

/** A step's title: "Protect grafana.example.dev with Cloudflare Access (2/4)". */
export function stepTitle(hostname: string, step: number, total: number): string {
  return `Protect ${hostname} with Cloudflare Access (${step}/${total})`;
}

// ── The check on workspace config.yaml rules ────────────────────────────────────────────────

/** `cftunnel.access.publicHostnames` as set (any shape) → the globs. */
export function publicHostnamesSetting(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];
}

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint']);

/** `cftunnel.access.severity` as set (`{"grafana.*": "warning"}`, any shape) → the check's patterns. */
export function severityPatternsSetting(v: unknown): Array<{ pattern: string; severity: Severity }> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return [];
  return Object.entries(v as Record<string, unknown>)
    .filter((e): e is [string, Severity] => typeof e[1] === 'string' && SEVERITIES.has(e[1]) && e[0].trim() !== '')
    .map(([pattern, severity]) => ({ pattern, severity }));
}

/** A workspace config as the check reads it (src/extension/workspaceConfigsModel.ts `driftWorkspaceConfigs`). */
export interface AccessCheckConfig {
  path: string;
  tunnel?: string;
  rules: ReadonlyArray<{ hostname?: string; path?: string; range: Range; hostnameRange?: Range }>;
}

/** A published Access diagnostic, with the hostname and account "Protect with Cloudflare Access…" is run on. */
export interface AccessDiagnostic extends Diagnostic {
  hostname: string;
  accountId: string;
}

/**
 * The Access diagnostics of the workspace's configs, per file: each rule's account (`accountOf`)
 * gives the applications (`states`); a rule whose account or applications are unknown gets nothing.
 */
export function accessDiagnostics(
  configs: readonly AccessCheckConfig[],
  accountOf: (config: AccessCheckConfig, hostname: string) => string | undefined,
  states: ReadonlyMap<string, AccessState>,
  settings: AccessCheckSettings,
): Map<string, AccessDiagnostic[]> {
  const out = new Map<string, AccessDiagnostic[]>();
  for (const config of configs) {
    const byAccount = new Map<string, Array<{ index: number; hostname: string; path?: string }>>();
    config.rules.forEach((r, index) => {
      if (!r.hostname || r.hostname === '*') return;
      const accountId = accountOf(config, r.hostname);
      if (!accountId || states.get(accountId)?.kind !== 'loaded') return;
      const list = byAccount.get(accountId) ?? [];
      list.push({ index, hostname: r.hostname, ...(r.path ? { path: r.path } : {}) });
      byAccount.set(accountId, list);
    });
    const diagnostics: AccessDiagnostic[] = [];
    for (const [accountId, rules] of byAccount) {
      const state = states.get(accountId)!;
      for (const f of accessFindings(rules, appsOf(state), settings)) {
        const rule = config.rules[f.ruleIndex]!;
        diagnostics.push({
          code: f.code,
          severity: f.severity,
          message: f.message,
          range: rule.hostnameRange ?? rule.range,
          hostname: f.hostname,
          accountId,
        });
      }
    }
    if (diagnostics.length) {
      diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.code.localeCompare(b.code));
      out.set(config.path, diagnostics);
    }
  }
  return out;
}
