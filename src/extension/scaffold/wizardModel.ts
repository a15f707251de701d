/**
 * The vscode-free part of "New cloudflared Kustomize Folder…": the step runner (Back and cancel),
 * input validation, the origin URL of a cluster Service, and the "Route DNS" step's choices and
 * changes (planned by src/core/scaffold/dnsRoutes.ts). The UI is in wizard.ts.
 */
import type { CloudflareApi } from '../../cloudflare/api';
import type { DnsRecord } from '../../cloudflare/types';
import { describeRecord, planDnsRoutes, reconcileDnsPlan, zoneHostnames } from '../../core/scaffold/dnsRoutes';
import type { DnsRoutePlan, DnsRouteResult, DnsStep, HostnameRoute } from '../../core/scaffold/dnsRoutes';
import { DEFAULT_NAMESPACE, DEFAULT_REPLICAS } from '../../core/scaffold/scaffold';

/** What a step returns: go on, go back one step, or cancel the whole wizard (Escape). */
export type StepResult = 'next' | 'back' | 'cancel';
export type Step<S> = (state: S) => Promise<StepResult>;

/**
 * Runs `steps` in order on `state`; 'back' re-runs the previous step (the first step's Back
 * cancels). Returns true when every step completed, false when cancelled.
 */
export async function runSteps<S>(state: S, steps: ReadonlyArray<Step<S>>): Promise<boolean> {
  let i = 0;
  while (i < steps.length) {
    const r = await steps[i]!(state);
    if (r === 'cancel') return false;
    if (r === 'back') {
      if (i === 0) return false;
      i--;
    } else {
      i++;
    }
  }
  return true;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function validateTunnelId(text: string): string | undefined {
  return UUID.test(text.trim()) ? undefined : "The tunnel's UUID: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
}

export function validateNamespace(text: string): string | undefined {
  const ns = text.trim() || DEFAULT_NAMESPACE;
  return DNS_LABEL.test(ns) && ns.length <= 63 ? undefined : "A namespace name: lower-case letters, digits and '-', at most 63";
}

export function parseReplicas(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return DEFAULT_REPLICAS;
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n >= 1 && n <= 100 ? n : undefined;
}

export function validateReplicas(text: string): string | undefined {
  return parseReplicas(text) === undefined ? 'A whole number from 1 to 100' : undefined;
}

export function validateOriginUrl(text: string): string | undefined {
  try {
    const u = new URL(text.trim());
    return /^(https?|tcp|ssh|rdp|unix|unix\+tls):$/.test(u.protocol) ? undefined : 'A URL such as http://web.apps.svc.cluster.local:8080';
  } catch {
    return 'A URL such as http://web.apps.svc.cluster.local:8080';
  }
}

export interface ServicePortLike {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
}

/** The origin URL cloudflared uses for a Service port: its cluster DNS name, https for 443/https ports. */
export function originForService(svc: { name: string; namespace: string }, port: ServicePortLike): string {
  const https = port.port === 443 || port.name === 'https' || port.appProtocol === 'https';
  return `${https ? 'https' : 'http'}://${svc.name}.${svc.namespace}.svc.cluster.local:${port.port}`;
}

/** The TCP ports of a Service an HTTP origin can use. */
export function originPorts<P extends ServicePortLike>(ports: readonly P[]): P[] {
  return ports.filter((p) => (p.protocol ?? 'TCP').toUpperCase() === 'TCP');
}

/** The modal's text for files that would change. */
export function conflictMessage(folder: string, conflicts: readonly string[]): { message: string; detail: string } {
  return {
    message: `${conflicts.length === 1 ? 'A file' : `${conflicts.length} files`} in ${folder} would change. Overwrite?`,
    detail: `These files exist with different content:\n${conflicts.map((c) => `• ${c}`).join('\n')}\n\nOther files are written or left as they are.`,
  };
}

// ── The "Route DNS" step ──────────────────────────────────────────────────────────────────────

/** The wrapper calls the DNS step makes (CloudflareApi has them). */
export type DnsRouteApi = Pick<CloudflareApi, 'listDnsRecords' | 'createTunnelCname' | 'pointRecordAtTunnel'>;

/** The records at `zone` and `*.zone` (two exact-name lists). */
export async function recordsAtZoneHostnames(api: DnsRouteApi, zoneId: string, zone: string): Promise<DnsRecord[]> {
  const lists = await Promise.all(zoneHostnames(zone).map((name) => api.listDnsRecords(zoneId, { name })));
  return lists.flat();
}

/** What the plan step offers: choices (first is the default) and the records it lists. */
export interface DnsPlanChoice {
  label: string;
  description?: string;
  detail?: string;
  /** undefined: leave DNS alone. */
  value?: { overwrite: boolean };
}

export interface DnsPlanLine {
  label: string;
  description: string;
  detail: string;
}

/**
 * The plan step's content. The default (first) choice never overwrites: overwriting is its own,
 * explicit choice that names the records it replaces.
 */
export function dnsPlanChoices(plan: DnsRoutePlan, tunnelLabel: string): { choices: DnsPlanChoice[]; lines: DnsPlanLine[] } {
  const of = (kind: string): HostnameRoute[] => plan.routes.filter((r) => r.kind === kind);
  const creates = of('create');
  const overwrites = of('overwrite');
  const names = (rs: HostnameRoute[]): string => rs.map((r) => r.hostname).join(' and ');
  const choices: DnsPlanChoice[] = [];
  if (overwrites.length === 0) {
    if (creates.length > 0) {
      choices.push({ label: `$(check) Create ${names(creates)}`, description: `proxied CNAME${creates.length > 1 ? 's' : ''} → ${plan.target}`, value: { overwrite: false } });
    } else {
      const conflicts = of('conflict');
      choices.push({
        label: '$(check) Continue',
        description: conflicts.length === 0 ? `both already route to ${tunnelLabel}` : `${names(conflicts)} cannot be changed automatically`,
        value: { overwrite: false },
      });
    }
  } else {
    if (creates.length > 0) {
      choices.push({ label: `$(check) Create ${names(creates)} only`, description: `keep the existing record${overwrites.length > 1 ? 's' : ''} of ${names(overwrites)}`, value: { overwrite: false } });
    } else {
      choices.push({ label: '$(check) Keep the existing records', description: 'overwrite nothing', value: { overwrite: false } });
    }
    choices.push({
      label: `$(warning) Overwrite ${names(overwrites)}${creates.length > 0 ? ` and create ${names(creates)}` : ''}`,
      description: `route to ${tunnelLabel}`,
      detail: `Replaces ${overwrites.map((r) => `${r.hostname} ${describeRecord(r.records[0]!)}`).join(', ')} with a proxied CNAME → ${plan.target}`,
      value: { overwrite: true },
    });
  }
  choices.push({ label: '$(close) Skip DNS', description: 'change no DNS record' });

  const lines: DnsPlanLine[] = [];
  for (const r of plan.routes) {
    const what =
      r.kind === 'create' ? 'created' : r.kind === 'routed' ? 'already routed: nothing to do' : r.kind === 'overwrite' ? 'overwritten only if you choose Overwrite' : 'not changed';
    if (r.records.length === 0) lines.push({ label: `$(add) ${r.hostname}`, description: 'no A, AAAA or CNAME record', detail: `Will be created: proxied CNAME → ${plan.target}` });
    for (const rec of r.records) {
      const icon = r.kind === 'routed' ? '$(pass)' : r.kind === 'overwrite' ? '$(warning)' : '$(error)';
      lines.push({ label: `${icon} ${r.hostname}`, description: describeRecord(rec), detail: `${what}: ${r.reason}` });
    }
    for (const rec of r.kept) lines.push({ label: `$(circle-outline) ${r.hostname}`, description: describeRecord(rec), detail: 'kept as it is' });
  }
  return { choices, lines };
}

/**
 * Carries out the confirmed plan: re-reads the two names, reconciles (nothing is overwritten that
 * changed since it was shown), then makes each change on its own, so one failure does not stop or
 * hide the others. `progress` is told each hostname before its call.
 */
export async function applyDnsRoutes(
  api: DnsRouteApi,
  zoneId: string,
  confirmed: DnsRoutePlan,
  overwrite: boolean,
  progress: (hostname: string) => void = () => undefined,
): Promise<DnsRouteResult[]> {
  let steps: DnsStep[];
  try {
    const fresh = planDnsRoutes(confirmed.zone, confirmed.tunnelId, await recordsAtZoneHostnames(api, zoneId, confirmed.zone));
    steps = reconcileDnsPlan(confirmed, overwrite, fresh);
  } catch (err) {
    const detail = `could not read the current records: ${err instanceof Error ? err.message : String(err)}`;
    return confirmed.routes.map((r) => ({ hostname: r.hostname, outcome: 'failed', detail }));
  }
  const results: DnsRouteResult[] = [];
  for (const step of steps) {
    if ('result' in step) {
      results.push(step.result);
      continue;
    }
    const { change } = step;
    progress(change.hostname);
    try {
      if (change.kind === 'create') {
        await api.createTunnelCname(zoneId, change.hostname, confirmed.tunnelId);
        results.push({ hostname: change.hostname, outcome: 'created', detail: `proxied CNAME → ${confirmed.target}` });
      } else {
        await api.pointRecordAtTunnel(zoneId, change.record.id, change.hostname, confirmed.tunnelId);
        results.push({ hostname: change.hostname, outcome: 'overwritten', detail: `was ${describeRecord(change.record)}` });
      }
    } catch (err) {
      results.push({ hostname: change.hostname, outcome: 'failed', detail: err instanceof Error ? err.message : String(err) });
    }
  }
  return results;
}
