/**
 * The vscode-free part of "New cloudflared Kustomize Folder…": the step runner (Back and cancel),
 * input validation and the origin URL of a cluster Service. The UI is in wizard.ts.
 */
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
