/**
 * `cloudflared tunnel ingress rule URL`: which rule serves a request (ingress.FindMatchingRule).
 * First match wins; when nothing matches, the last rule (the catch-all) serves it.
 */
import { splitHostPort } from '../go/net';
import { parseURL, urlHostname } from '../go/url';
import type { Diagnostic } from '../types';
import { checkConfigText } from './check';
import { ERR_NO_INGRESS_RULES } from './ingress';
import type { IngressRule } from './model';
import { serviceString } from './service';

export type MatchResult =
  { ok: true; rule: number; hostname?: string; path?: string; service: string } | { ok: false; error: string };

/** cloudflared's matchHost: exact, or `*.suffix` against the end of the request host. */
function matchHost(ruleHost: string, reqHost: string): boolean {
  if (ruleHost === reqHost) return true;
  if (ruleHost.startsWith('*.')) return reqHost.endsWith(ruleHost.slice(1));
  return false;
}

export function ruleMatches(rule: IngressRule, hostname: string, path: string): boolean {
  const hostMatch = rule.hostname === '' || rule.hostname === '*' || matchHost(rule.hostname, hostname);
  const punyMatch = rule.punycode !== undefined && matchHost(rule.punycode, hostname);
  const pathMatch = rule.path === '' || (rule.pathMatcher?.test(path) ?? false);
  return (hostMatch || punyMatch) && pathMatch;
}

/** 0-based index of the rule serving (hostname, path); rules must be valid and non-empty. */
export function findMatchingRule(rules: IngressRule[], hostname: string, path: string): number {
  const split = splitHostPort(hostname);
  const host = split.ok ? split.host : hostname;
  const i = rules.findIndex((r) => ruleMatches(r, host, path));
  return i >= 0 ? i : rules.length - 1;
}

/** The error cloudflared reports first, in its order: load, flag types, then ingress rule by rule. */
export function firstCloudflaredError(diagnostics: Diagnostic[]): Diagnostic | undefined {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const phase = (d: Diagnostic): number =>
    d.code.startsWith('yaml') || d.code === 'duplicate-key' || d.code === 'type-error'
      ? 0
      : d.code === 'flag-type'
        ? 1
        : d.code === 'url-with-ingress'
          ? 3
          : 2;
  // Stable sort: within a phase, diagnostics are already in cloudflared's order (rule by rule,
  // and within a rule service, access, hostname, path).
  return errors.sort((a, b) => phase(a) - phase(b))[0];
}

/** Runs `ingress rule URL` against the text of a config. */
export function matchConfigText(configText: string, rawURL: string): MatchResult {
  if (rawURL === '') return { ok: false, error: 'cloudflared tunnel rule expects a single argument, the URL to test' };
  const parsed = parseURL(rawURL);
  if (!parsed.ok) return { ok: false, error: `${rawURL} is not a valid URL` };
  const url = parsed.url;
  if (urlHostname(url) === '' && url.scheme === '') {
    return { ok: false, error: `${rawURL} doesn't have a hostname, consider adding a scheme` };
  }
  const { diagnostics, model } = checkConfigText(configText);
  const first = firstCloudflaredError(diagnostics);
  if (first) return { ok: false, error: `Validation failed: ${stripRuleTag(first.message)}` };
  if (!model || model.rules.length === 0) return { ok: false, error: `Validation failed: ${ERR_NO_INGRESS_RULES}` };

  const i = findMatchingRule(model.rules, urlHostname(url), url.path);
  const rule = model.rules[i]!;
  return {
    ok: true,
    rule: i,
    ...(rule.hostname ? { hostname: rule.hostname } : {}),
    ...(rule.path ? { path: rule.path } : {}),
    service: rule.parsed ? serviceString(rule.parsed) : rule.service,
  };
}

/** Our messages add ` (rule #N)` where cloudflared's own text has no rule number. */
export function stripRuleTag(message: string): string {
  return message.replace(/ \(rule #\d+\)$/, '');
}
