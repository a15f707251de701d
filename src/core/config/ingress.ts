/**
 * Ingress validation exactly as cloudflared's validateIngress (spec §4): for each rule the
 * service, the Access settings, the hostname, then the path. cloudflared stops at the first
 * failure; we report every failure at the node it concerns, with cloudflared's wording.
 */
import { isScalar } from 'yaml';
import type { YAMLSeq } from 'yaml';
import { idnaLookupToASCII } from '../go/idna';
import { parseCIDR, splitHostPort } from '../go/net';
import { compileGoRegexp, goRegexpSyntaxError } from '../go/regexp';
import { MAX_REGEX_COST, MAX_REGEX_COST_PER_DOCUMENT, regexCost } from '../budgets';
import type { Fix } from '../types';
import { yamlRange } from '../yaml/load';
import type { YNode } from '../yaml/load';
import { fieldBool, fieldString } from './decode';
import type { DecodeContext, StructValue } from './decode';
import type { IngressRule } from './model';
import { appendCatchAllFix, moveCatchAllLastFix, servicePathFixes } from './fixes';
import { parseService } from './service';
import { memoizeString } from '../memo';

function isCatchAllStruct(s: StructValue | null): boolean {
  const h = fieldString(s, 'hostname');
  return (h === '' || h === '*') && fieldString(s, 'path') === '';
}

export const ERR_LAST_RULE_NOT_CATCH_ALL =
  'The last ingress rule must match all URLs (i.e. it should not have a hostname or path filter)';
export const ERR_BAD_WILDCARD =
  'Hostname patterns can have at most one wildcard character ("*") and it can only be used for subdomains, e.g. "*.example.com"';
export const ERR_HOSTNAME_PORT = 'Hostname cannot contain a port';
export const ERR_ACCESS_TEAM = 'access.TeamName cannot be blank when access.audTags are present';
export const ERR_NO_INGRESS_RULES = "The config file doesn't contain any ingress rules";

/** Lower-case letters, digits, hyphens and dots: IDNA Lookup leaves such a hostname unchanged (or fails). */
const LOWER_LDH = /^[a-z0-9.-]*$/;

/** Compiled path regexps, shared across analyses: configs repeat the same few patterns. */
const regexCache = new Map<string, ReturnType<typeof compileGoRegexp>>();
function compileCached(pattern: string): ReturnType<typeof compileGoRegexp> {
  let re = regexCache.get(pattern);
  if (!re) {
    if (regexCache.size > 1000) regexCache.clear();
    re = compileGoRegexp(pattern);
    regexCache.set(pattern, re);
  }
  return re;
}

/** parseService per (bastion mode, service): the same few services on every edit. */
const parseServiceCached = [false, true].map((bastion) =>
  memoizeString((service) => parseService(service, bastion)),
) as [(s: string) => ReturnType<typeof parseService>, (s: string) => ReturnType<typeof parseService>];
const idnaCached = memoizeString(idnaLookupToASCII);

export function catchAllError(index: number, hostname: string): string {
  return `Rule #${index + 1} is matching the hostname '${hostname}', but this will match every hostname, meaning the rules which follow it will never be triggered.`;
}

/** Builds the rule model and reports cloudflared's validation failures. */
export function validateIngress(
  ctx: DecodeContext,
  items: Array<{ node: YNode | null; struct: StructValue | null }>,
  globalOriginRequest: StructValue | null,
  ingressKeyNode: YNode,
  seq: YAMLSeq,
): IngressRule[] {
  const total = items.length;
  const globalBastion = fieldBool(globalOriginRequest, 'bastionMode') ?? false;
  let regexSpent = 0; // estimated program size of the path patterns compiled so far (MAX_REGEX_COST_PER_DOCUMENT)
  let regexSkipped = false;
  return items.map(({ node, struct }, i) => {
    const rule: IngressRule = {
      index: i,
      node,
      struct,
      hostname: fieldString(struct, 'hostname'),
      path: fieldString(struct, 'path'),
      service: fieldString(struct, 'service'),
      catchAll: false,
    };
    rule.catchAll = (rule.hostname === '' || rule.hostname === '*') && rule.path === '';
    const at = (field: string): YNode | null => struct?.fields.get(field)?.entry.written ?? node ?? ingressKeyNode;
    const report = (code: string, message: string, where: YNode | null, fixes?: Fix[]): void => {
      ctx.diagnostics.push({
        code,
        severity: 'error',
        message,
        range: yamlRange(ctx.lines, where),
        ...(fixes ? { fixes } : {}),
      });
    };
    const ruleTag = ` (rule #${i + 1})`;

    const origin = struct?.fields.get('originRequest')?.value as StructValue | null | undefined;
    const bastion = fieldBool(origin, 'bastionMode') ?? globalBastion;
    const svc = parseServiceCached[bastion ? 1 : 0](rule.service);
    if (svc.ok) {
      rule.parsed = svc.service;
      if (svc.service.kind === 'socks-proxy') validateSocksIpRules(origin, report);
    } else {
      const code = serviceErrorCode(rule.service, svc.error);
      const fixes =
        code === 'service-has-path'
          ? servicePathFixes(ctx.lines, rule.service, struct?.fields.get('service')?.entry, node, rule.path !== '')
          : [];
      report(code, svc.error + ruleTag, at('service'), fixes.length ? fixes : undefined);
    }

    const access = origin?.fields.get('access')?.value as StructValue | null | undefined;
    if (access && fieldBool(access, 'required') === true && fieldString(access, 'teamName') === '') {
      const aud = access.fields.get('audTag')?.value;
      if (Array.isArray(aud) && aud.length > 0) {
        report('access-team-name', ERR_ACCESS_TEAM + ruleTag, access.fields.get('audTag')!.entry.key);
      }
    }

    if (rule.hostname.includes(':') && splitHostPort(rule.hostname).ok) {
      report('hostname-port', ERR_HOSTNAME_PORT + ruleTag, at('hostname'));
    }
    if (rule.hostname.lastIndexOf('*') > 0) {
      report('hostname-wildcard', ERR_BAD_WILDCARD + ruleTag, at('hostname'));
    }
    const isLast = i === total - 1;
    if (isLast && !rule.catchAll) {
      const catchAllLater = items.findIndex((it) => isCatchAllStruct(it.struct));
      const fix = catchAllLater >= 0 && catchAllLater < i ? undefined : appendCatchAllFix(ctx.lines, seq);
      report(
        'last-rule-not-catch-all',
        ERR_LAST_RULE_NOT_CATCH_ALL + ruleTag,
        at(rule.path ? 'path' : 'hostname'),
        fix ? [fix] : undefined,
      );
    }
    if (!isLast && rule.catchAll) {
      const lastIsCatchAll = isCatchAllStruct(items[total - 1]!.struct);
      const fix = lastIsCatchAll ? undefined : moveCatchAllLastFix(ctx.lines, seq, i);
      report(
        'catch-all-not-last',
        catchAllError(i, rule.hostname),
        at(struct?.fields.has('hostname') ? 'hostname' : 'service'),
        fix ? [fix] : undefined,
      );
    }

    if (!rule.catchAll && !LOWER_LDH.test(rule.hostname)) {
      const puny = idnaCached(rule.hostname);
      if (puny !== null && puny !== rule.hostname) rule.punycode = puny;
    }

    if (rule.path !== '') {
      const cost = regexCost(rule.path);
      if (cost > MAX_REGEX_COST || regexSpent + cost > MAX_REGEX_COST_PER_DOCUMENT) {
        // Over the budget: Go's syntax check only (cheap), no program compiled, so no matching.
        const error = goRegexpSyntaxError(rule.path);
        if (error) report('invalid-path-regex', `Rule #${i + 1} has an invalid regex: ${error}`, at('path'));
        else if (cost > MAX_REGEX_COST || !regexSkipped) {
          ctx.diagnostics.push({
            code: 'regex-budget',
            severity: 'information',
            message:
              cost > MAX_REGEX_COST
                ? `The path regex of rule #${i + 1} is too large for the checker (about ${cost.toLocaleString('en-US')} instructions, budget ${MAX_REGEX_COST.toLocaleString('en-US')}): it is not compiled, and which URLs it matches is not checked.`
                : `The path regexes from rule #${i + 1} on are not compiled: together they exceed the checker's budget of ${MAX_REGEX_COST_PER_DOCUMENT.toLocaleString('en-US')} instructions per file, so which URLs they match is not checked.`,
            range: yamlRange(ctx.lines, at('path')),
          });
          if (cost <= MAX_REGEX_COST) regexSkipped = true;
        }
      } else {
        regexSpent += cost;
        const re = compileCached(rule.path);
        if (re.ok) rule.pathMatcher = re;
        else report('invalid-path-regex', `Rule #${i + 1} has an invalid regex: ${re.error}`, at('path'));
      }
    }
    return rule;
  });
}

function serviceErrorCode(service: string, error: string): string {
  if (service.startsWith('http_status:')) return 'invalid-http-status';
  if (error.includes("don't support proxying to a different path")) return 'service-has-path';
  if (error.includes('please make sure it has a scheme and a hostname')) {
    if (service === '') return 'missing-service';
    return 'service-missing-scheme-or-host';
  }
  return 'invalid-service-url';
}

function validateSocksIpRules(
  origin: StructValue | null | undefined,
  report: (code: string, message: string, where: YNode | null) => void,
): void {
  const list = origin?.fields.get('ipRules')?.value;
  if (!Array.isArray(list)) return;
  for (const entry of list as Array<StructValue | null>) {
    const prefixField = entry?.fields.get('prefix');
    const prefix = typeof prefixField?.value === 'string' ? prefixField.value : '';
    const where = prefixField?.entry.written ?? entry?.node ?? null;
    if (prefix === '') {
      report('socks-ip-rule', 'unable to create ip rule for socks-proxy: no prefix provided', where);
      continue;
    }
    if (!parseCIDR(prefix).ok) {
      report('socks-ip-rule', `unable to create ip rule for socks-proxy: unable to parse cidr: ${prefix}`, where);
      continue;
    }
    const portsField = entry?.fields.get('ports');
    const ports = Array.isArray(portsField?.value) ? (portsField!.value as Array<number | null>) : [];
    ports.forEach((p, k) => {
      const n = p ?? 0;
      if (n < 1 || n > 65535) {
        const items =
          portsField?.entry.value && 'items' in portsField.entry.value
            ? (portsField.entry.value.items as unknown[])
            : [];
        const node = items[k];
        report(
          'socks-ip-rule',
          `unable to create ip rule for socks-proxy: invalid port ${n}, needs to be between 1 and 65535`,
          (isScalar(node) ? node : (portsField?.entry.written ?? null)) as YNode | null,
        );
      }
    });
  }
}
