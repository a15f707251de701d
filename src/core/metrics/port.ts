/**
 * Where a cloudflared container serves `/metrics` and `/ready`, from its spec
 * (../shared/docs/field-notes-2.md §2.1), for the pod proxy (`pods/{name}:{port}/proxy/metrics`):
 *
 * 1. `--metrics host:port` (or `--metrics=host:port`) in the container's command or args;
 * 2. env `TUNNEL_METRICS` with a literal value (one from a Secret or ConfigMap cannot be read here);
 * 3. `metrics:` in the config file (the caller reads it, e.g. from the mounted ConfigMap);
 *    (1–3 is cloudflared's own order: a flag beats its env var, both beat the config file);
 * 4. a liveness/readiness/startup probe's `httpGet.port` on `/ready` or `/healthcheck` (a named
 *    port resolved through the container's ports);
 * 5. a container port named `metrics`;
 * 6. otherwise the official image binds the first free port of 0.0.0.0:20241–20245 (then a random
 *    one), so 20241 is tried, and `source: 'default-range'` says it is a guess.
 *
 * `loopback`: the address is localhost, 127.0.0.0/8 or ::1, which only the pod itself reaches —
 * not the API server's proxy (nor the kubelet's probes); the caller shows that instead of a chart.
 * undefined: the address cloudflared was given has no usable port (`:0` is a random port, an
 * address without a port makes cloudflared exit), so there is nothing to scrape.
 */
import { splitHostPort } from '../go/net';
import { isLoopback } from '../net/address';

export interface MetricsProbe {
  /** `livenessProbe`, `readinessProbe`, `startupProbe`. */
  kind?: string;
  /** httpGet.path */
  path?: string;
  /** httpGet.port: a number or a container port's name. */
  port?: number | string;
}

export interface MetricsContainer {
  /** The container's args; with `command`, cloudflared's argv. */
  args?: readonly string[];
  command?: readonly string[];
  /** Env vars; `value` only when it is literal. */
  env?: ReadonlyArray<{ name: string; value?: string }>;
  probes?: readonly MetricsProbe[];
  ports?: ReadonlyArray<{ name?: string; containerPort: number; protocol?: string }>;
}

export type MetricsSource = 'args' | 'env' | 'config' | 'probe' | 'container-port' | 'default-range';

export interface MetricsAddress {
  /** A port number; a string only for a probe's named port that no container port defines. */
  port: number | string;
  source: MetricsSource;
  /** Bound to the loopback interface: unreachable through the pod proxy. */
  loopback: boolean;
  /** The address as configured (`0.0.0.0:2000`), for the sources that give one. */
  address?: string;
}

/** The first port of the range the official image tries when `metrics` is not set. */
export const DEFAULT_METRICS_PORT = 20241;

const METRICS_PATH = /^\/(?:ready|healthcheck)(?:[?#/]|$)/;

/** The value of `--metrics` in an argv (the last one wins, as urfave/cli takes it). */
export function metricsFlag(argv: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--metrics' || a === '-metrics') {
      if (i + 1 < argv.length) found = argv[i + 1];
      i++;
    } else if (a.startsWith('--metrics=') || a.startsWith('-metrics=')) {
      found = a.slice(a.indexOf('=') + 1);
    }
  }
  return found;
}

/** `host:port` → the port and whether the host is loopback; undefined for no port or port 0. */
function fromAddress(address: string, source: MetricsSource): MetricsAddress | undefined | 'unusable' {
  const split = splitHostPort(address.trim());
  if (!split.ok) return 'unusable';
  if (!/^\d+$/.test(split.port)) return 'unusable';
  const port = Number(split.port);
  if (port === 0 || port > 65535) return 'unusable';
  return { port, source, loopback: split.host !== '' && isLoopback(split.host), address: address.trim() };
}

/**
 * The metrics address of a cloudflared container (see the module comment for the order);
 * `configMetrics` is the `metrics` value of its config file when the caller has it.
 */
export function metricsAddressOf(c: MetricsContainer, configMetrics?: string): MetricsAddress | undefined {
  const argv = [...(c.command ?? []), ...(c.args ?? [])];
  const explicit: Array<[string | undefined, MetricsSource]> = [
    [metricsFlag(argv), 'args'],
    [c.env?.find((e) => e.name === 'TUNNEL_METRICS')?.value, 'env'],
    [configMetrics, 'config'],
  ];
  for (const [value, source] of explicit) {
    if (value === undefined || value.trim() === '') continue;
    const r = fromAddress(value, source);
    return r === 'unusable' ? undefined : r;
  }
  const ports = c.ports ?? [];
  const named = (name: string): number | undefined => ports.find((p) => p.name === name)?.containerPort;
  for (const probe of c.probes ?? []) {
    if (probe.port === undefined || !METRICS_PATH.test(probe.path ?? '/')) continue;
    if (typeof probe.port === 'number') return { port: probe.port, source: 'probe', loopback: false };
    if (/^\d+$/.test(probe.port)) return { port: Number(probe.port), source: 'probe', loopback: false };
    return { port: named(probe.port) ?? probe.port, source: 'probe', loopback: false };
  }
  const metricsPort = named('metrics');
  if (metricsPort !== undefined) return { port: metricsPort, source: 'container-port', loopback: false };
  return { port: DEFAULT_METRICS_PORT, source: 'default-range', loopback: false };
}

/** Where the address came from, for messages: `--metrics 0.0.0.0:2000 in args`, `the first port of 20241–20245`. */
export function describeMetricsAddress(a: MetricsAddress): string {
  switch (a.source) {
    case 'args':
      return `--metrics ${a.address} in the container's args`;
    case 'env':
      return `TUNNEL_METRICS=${a.address}`;
    case 'config':
      return `metrics: ${a.address} in the config file`;
    case 'probe':
      return `the port of the probe on /ready (${a.port})`;
    case 'container-port':
      return `the container port named metrics (${a.port})`;
    case 'default-range':
      return `metrics is not set, so the official image binds the first free port of 20241–20245 (tried: ${a.port})`;
  }
}
