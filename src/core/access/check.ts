/**
 * Access findings for the workspace and the drift report (issue #19), pure.
 *
 * - `accessFindings`: each rule of a workspace `config.yaml` with a hostname that no Access application
 *   covers → `access-not-protected` (information unless `severityPatterns` raise it); a protected
 *   tunnel wildcard whose deeper names Access does not cover → `access-wildcard-gap`. Hostnames matched
 *   by `publicHostnames` are skipped; catch-all rules (no hostname, `*`) are skipped (their hostnames
 *   come from DNS routes). Nothing is reported when the applications could not be read.
 * - `staleApps`: self-hosted applications none of whose domains covers a hostname a tunnel serves.
 *
 * Globs in the settings: `*` matches any characters including dots (`grafana.*` matches
 * `grafana.example.com`), `?` one character; case-insensitive; the whole hostname must match. A rule
 * hostname is matched as written (`*.example.com` in `publicHostnames` matches the rule `*.example.com`).
 */
import type { Severity } from '../types';
import { accessHostMatches, parseDomain, PROTECTING_TYPES, ruleCoverage } from './coverage';
import type { AccessApp, CoverageOptions, RuleCoverage } from './coverage';

export const ACCESS_NOT_PROTECTED = 'access-not-protected';
export const ACCESS_WILDCARD_GAP = 'access-wildcard-gap';

/** The parts of a config.yaml ingress rule the check reads (src/core/config/model.ts IngressRule fits). */
export interface AccessCheckRule {
  /** 0-based position in `ingress`. */
  index: number;
  hostname: string;
  /** cloudflared path regexp; '' for none. */
  path?: string;
}

export interface AccessCheckSettings {
  /** Globs of hostnames meant to be public: never reported. */
  publicHostnames: string[];
  /** Severity for hostnames matching a glob (the highest that matches; never lower than information). */
  severityPatterns: Array<{ pattern: string; severity: Severity }>;
}

export interface AccessFinding<A extends AccessApp = AccessApp> {
  /** Index of the rule in `ingress`; the extension maps it to the hostname's range. */
  ruleIndex: number;
  code: typeof ACCESS_NOT_PROTECTED | typeof ACCESS_WILDCARD_GAP;
  severity: Severity;
  message: string;
  hostname: string;
  path?: string;
  coverage: RuleCoverage<A>;
}

const PUBLIC_HINT = 'or list it in cftunnel.access.publicHostnames if it is meant to be public';

/** A settings glob as a RegExp (`*` any characters, `?` one; case-insensitive; whole string). */
export function globRegex(glob: string): RegExp {
  const body = glob
    .trim()
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}

export function matchesAnyGlob(hostname: string, globs: readonly string[]): boolean {
  return globs.some((g) => g.trim() !== '' && globRegex(g).test(hostname.trim()));
}

const SEVERITY_RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

/** Information, raised to the highest severity of the patterns the hostname matches. */
export function severityFor(hostname: string, patterns: AccessCheckSettings['severityPatterns']): Severity {
  let best: Severity = 'information';
  for (const { pattern, severity } of patterns) {
    if (!(severity in SEVERITY_RANK) || pattern.trim() === '') continue;
    if (globRegex(pattern).test(hostname) && SEVERITY_RANK[severity] > SEVERITY_RANK[best]) best = severity;
  }
  return best;
}

function target(hostname: string, path: string | undefined): string {
  return path ? `${hostname} (path ${path})` : hostname;
}

/**
 * Findings for the rules of a workspace config.yaml. `apps` undefined (not signed in, or the token
 * cannot read Access) → none: the trees say "unknown", a diagnostic would be a guess.
 */
export function accessFindings<A extends AccessApp>(
  rules: readonly AccessCheckRule[],
  apps: readonly A[] | undefined,
  settings: AccessCheckSettings,
  options: CoverageOptions = {},
): AccessFinding<A>[] {
  if (!apps) return [];
  const out: AccessFinding<A>[] = [];
  for (const rule of rules) {
    const hostname = rule.hostname.trim();
    if (hostname === '' || hostname === '*') continue;
    if (matchesAnyGlob(hostname, settings.publicHostnames)) continue;
    const path = rule.path ? rule.path : undefined;
    const cov = ruleCoverage(hostname, path, apps, options);
    const severity = severityFor(hostname, settings.severityPatterns);
    const base = { ruleIndex: rule.index, severity, hostname, ...(path ? { path } : {}), coverage: cov };
    if (cov.state === 'open' && !cov.app) {
      const parts = cov.protectedParts.map((p) => `${p.example} (${p.coverage.who})`);
      const only = parts.length > 0 ? ` Only ${parts.join(', ')} ${parts.length === 1 ? 'is' : 'are'} protected.` : '';
      out.push({
        ...base,
        code: ACCESS_NOT_PROTECTED,
        message:
          `${target(hostname, path)} is public: no Cloudflare Access application covers it, so anyone on the internet ` +
          `can reach this service.${only} Protect it with Cloudflare Access… (who may sign in), ${PUBLIC_HINT}.`,
      });
    }
    const depth = cov.gaps.find((g) => g.kind === 'wildcard-depth');
    if (depth) {
      const base2 = hostname.replace(/^\*\./, '');
      const labels = depth.example.split('.').length - base2.split('.').length;
      out.push({
        ...base,
        code: ACCESS_WILDCARD_GAP,
        message:
          `The tunnel rule ${hostname} matches names at any depth, but Access's wildcards cover one label each: ` +
          `${depth.example} reaches this service ${depth.coverage.app ? `through "${depth.coverage.app.name}", which lets in ${depth.coverage.who}` : 'without Cloudflare Access'}. ` +
          `Add an Access application for ${'*.'.repeat(labels)}${base2} (or narrow the rule's hostname), ${PUBLIC_HINT}.`,
      });
    }
  }
  return out;
}

/** Whether an application host pattern covers at least one name a tunnel hostname serves. */
function servesPattern(served: string, appHost: string): boolean {
  const s = served.trim().replace(/\.$/, '').toLowerCase();
  if (s === '' || s === '*') return false;
  if (s.startsWith('*.')) {
    // cloudflared's wildcard: every name below the base, at any depth.
    const base = s.slice(2);
    return appHost.endsWith('.' + base);
  }
  return accessHostMatches(appHost, s);
}

/**
 * Self-hosted applications whose every domain covers no hostname any tunnel serves (`servedHostnames`:
 * remote rules, local rules and DNS routes; tunnel wildcards allowed). Applications without domains
 * and other types are never reported.
 */
export function staleApps<A extends AccessApp>(apps: readonly A[], servedHostnames: readonly string[]): A[] {
  return apps.filter(
    (app) =>
      app.type === 'self_hosted' &&
      PROTECTING_TYPES.has(app.type) &&
      app.domains.length > 0 &&
      app.domains.every((d) => !servedHostnames.some((h) => servesPattern(h, parseDomain(d).host))),
  );
}
