/**
 * Where the cloudflared in a pod listens for `/metrics`, worked out from the pod the way cloudflared
 * itself does (the `--metrics` flag, else env TUNNEL_METRICS, else `metrics:` in the file `--config`
 * names — read from the ConfigMap mounted there —, else the official image's first port of
 * 20241–20245), for the pod proxy of the local API server. Written apart from the extension's
 * src/core/metrics/port.ts on purpose: the server answers from what the pod runs, the extension
 * guesses from its spec, and the tests see whether they agree.
 */
import { uuidFrom } from '../cloudflare/state';
import type { KObject, KubernetesState } from './state';

interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: Array<{ name: string; value?: string }>;
  volumeMounts?: Array<{ name: string; mountPath: string; subPath?: string }>;
}

export interface Listener {
  host: string;
  port: number;
  loopback: boolean;
  /** What the metrics generator needs of the pod: the version (image tag), connector id, start. */
  defaults: { version: string; connectorId: string; startedAt: number };
}

const isCloudflared = (c: Container): boolean =>
  /(^|\/)cloudflared(:|@|$)/.test(c.image ?? '') || c.args?.[0] === 'tunnel' || (c.command ?? []).includes('tunnel');

function flag(argv: string[], name: string): string | undefined {
  let v: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === `--${name}` || a === `-${name}`) v = argv[++i];
    else if (a.startsWith(`--${name}=`) || a.startsWith(`-${name}=`)) v = a.slice(a.indexOf('=') + 1);
  }
  return v;
}

/** `metrics:` of the config file at `path`, when a ConfigMap is mounted there. */
function configMetrics(state: KubernetesState, pod: KObject, c: Container, path: string): string | undefined {
  const mount = (c.volumeMounts ?? [])
    .filter((m) => path === m.mountPath || path.startsWith(`${m.mountPath.replace(/\/$/, '')}/`))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  if (!mount) return undefined;
  const volumes = ((pod.spec as { volumes?: unknown[] } | undefined)?.volumes ?? []) as Array<{
    name: string;
    configMap?: { name?: string; items?: Array<{ key: string; path: string }> };
  }>;
  const vol = volumes.find((v) => v.name === mount.name);
  if (!vol?.configMap?.name) return undefined;
  const rel = mount.subPath ?? path.slice(mount.mountPath.replace(/\/$/, '').length + 1);
  const key = vol.configMap.items?.find((it) => it.path === rel)?.key ?? rel;
  const cm = state.get('configmaps', pod.metadata.namespace, vol.configMap.name);
  const text = (cm?.data as Record<string, string> | undefined)?.[key];
  const m = text ? /^metrics:[ \t]*["']?([^"'\s#]+)/m.exec(text) : null;
  return m?.[1];
}

const LOOPBACK = (host: string): boolean => /^(localhost\.?|127\.\d+\.\d+\.\d+|::1|\[::1\])$/i.test(host);

/** The running cloudflared container's metrics listener; undefined when none runs in the pod. */
export function cloudflaredListener(state: KubernetesState, pod: KObject): Listener | undefined {
  const containers = ((pod.spec as { containers?: Container[] } | undefined)?.containers ?? []) as Container[];
  const c = containers.find(isCloudflared);
  if (!c) return undefined;
  const statuses = ((pod.status as { containerStatuses?: unknown[] } | undefined)?.containerStatuses ?? []) as Array<{
    name: string;
    state?: { running?: { startedAt?: string } };
  }>;
  const running = statuses.find((s) => s.name === c.name)?.state?.running;
  if (!running) return undefined;
  const argv = [...(c.command ?? []), ...(c.args ?? [])];
  const config = flag(argv, 'config');
  const address =
    flag(argv, 'metrics') ??
    c.env?.find((e) => e.name === 'TUNNEL_METRICS' && e.value !== undefined)?.value ??
    (config ? configMetrics(state, pod, c, config) : undefined) ??
    '0.0.0.0:20241';
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const port = Number(address.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port) || port <= 0) return undefined;
  const tag = /:([^:/@]+)(@|$)/.exec(c.image ?? '')?.[1];
  const started = Date.parse(running.startedAt ?? pod.metadata.creationTimestamp ?? '');
  return {
    host,
    port,
    loopback: LOOPBACK(host),
    defaults: {
      version: tag && /^\d{4}\.\d+\.\d+/.test(tag) ? tag : '2026.8.2',
      connectorId: uuidFor(pod),
      startedAt: Number.isFinite(started) ? started / 1000 : 0,
    },
  };
}

const uuidFor = (pod: KObject): string => uuidFrom(`connector:${pod.metadata.name}`);
