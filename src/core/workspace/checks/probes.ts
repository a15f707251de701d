/**
 * Probes on cloudflared's metrics server (`/ready`, `/healthcheck`) against the address it binds:
 * `metrics` from args (`--metrics`), env (TUNNEL_METRICS) or the config, in that order. Unset, a
 * container build binds the first free port of 20241–20245 (then a random one); the kubelet
 * probes the pod IP, so a loopback address never answers.
 */
import { isSeq } from 'yaml';
import type { YAMLSeq } from 'yaml';
import { splitHostPort } from '../../go/net';
import { isLoopback } from '../../net/address';
import type { Fix, Range, TextEdit } from '../../types';
import type { ContainerDef, ProbeDef } from '../fileSummary';
import type { Cli, WorkloadContext } from '../links';
import { rangeOf, replaceScalar } from './output';
import type { Output } from './output';

export interface MetricsSetting {
  value: string;
  /** How it is set, for messages: `--metrics in args`, `env TUNNEL_METRICS`, `metrics in config.yaml`. */
  where: string;
  path: string;
  range: Range;
  /** An edit that writes another address in its place (absent when positions are approximate). */
  replace?: (address: string) => TextEdit | undefined;
}

const METRICS_PATHS = /^\/(?:ready|healthcheck)(?:[?#]|$)/;
const KNOWN_PORTS = [20241, 20242, 20243, 20244, 20245];

const CONSEQUENCE: Record<ProbeDef['kind'], string> = {
  livenessProbe: 'the probe fails and the kubelet restarts cloudflared over and over',
  readinessProbe: 'the probe fails and the pod never becomes ready',
  startupProbe: 'the probe fails and the container never finishes starting (the kubelet restarts it)',
};

export function checkProbes(
  w: WorkloadContext,
  c: ContainerDef,
  cli: Cli,
  metrics: MetricsSetting | 'unknown' | undefined,
  out: Output,
): void {
  if (metrics === 'unknown') return;
  const lines = w.file.lines;
  let loopbackReported = false;
  for (const probe of c.probes) {
    if (!METRICS_PATHS.test(probe.path)) continue;
    const port = /^\d+$/.test(probe.port) ? Number(probe.port) : c.ports.get(probe.port);
    if (port === undefined) continue;
    const range = rangeOf(lines, probe.portNode);
    const what = `The ${probe.kind} calls ${probe.path} on port ${port}`;

    const parsed = metrics ? splitHostPort(metrics.value) : undefined;
    if (parsed && !parsed.ok) continue; // cloudflared refuses the address itself
    const host = parsed?.ok ? parsed.host : '0.0.0.0';
    const bound = parsed?.ok ? Number(parsed.port) : 0;
    const isDefault = !metrics || (bound === 0 && host === '0.0.0.0');

    if (isDefault) {
      const lucky = port === KNOWN_PORTS[0];
      const fix = addMetricsFix(w, c, cli, port);
      out.add(w.file.path, {
        code: 'probe-metrics-unset',
        severity: lucky ? 'information' : 'warning',
        message: lucky
          ? `${what}, but metrics is not set: cloudflared then binds the first free port of 20241–20245, which is ${port} only while nothing else in the pod holds it. Pin it: metrics 0.0.0.0:${port}.`
          : `${what}, but metrics is ${metrics ? `${metrics.value} (${metrics.where})` : 'not set'}: in a container cloudflared then serves it on the first free port of 20241–20245 (a random port when all are taken), not on ${port}, so ${CONSEQUENCE[probe.kind]}. Set metrics to 0.0.0.0:${port} (--metrics in args, env TUNNEL_METRICS or metrics: in the config).`,
        range,
        ...(fix ? { fixes: [fix] } : {}),
      });
      continue;
    }
    if (bound !== port) {
      const edit =
        /^\d+$/.test(probe.port) && bound !== 0 ? replaceScalar(lines, probe.portNode, String(bound)) : undefined;
      out.add(w.file.path, {
        code: 'probe-port-mismatch',
        severity: 'warning',
        message:
          bound === 0
            ? `${what}, but metrics ${metrics!.value} (${metrics!.where}) makes cloudflared listen on a random port, so ${CONSEQUENCE[probe.kind]}. Set a fixed port: 0.0.0.0:${port}.`
            : `${what}, but cloudflared serves its metrics on port ${bound} (metrics ${metrics!.value}, ${metrics!.where}), so ${CONSEQUENCE[probe.kind]}.`,
        range,
        ...(edit ? { fixes: [{ title: `Probe port ${bound}`, edits: [edit], isPreferred: true }] } : {}),
      });
      continue;
    }
    if (isLoopback(host) && !loopbackReported) {
      loopbackReported = true;
      const edit = metrics!.replace?.(`0.0.0.0:${bound}`);
      out.add(metrics!.path, {
        code: 'metrics-loopback',
        severity: 'warning',
        message: `metrics ${metrics!.value} listens on the loopback interface only, but the kubelet sends the ${probe.kind} of container '${c.info.name}' to the pod's IP address, so ${CONSEQUENCE[probe.kind]}. Bind 0.0.0.0:${bound}.`,
        range: metrics!.range,
        ...(edit ? { fixes: [{ title: `Listen on 0.0.0.0:${bound}`, edits: [edit], isPreferred: true }] } : {}),
      });
    }
  }
}

/** Adds `--metrics 0.0.0.0:<port>` right after the `tunnel` argument. */
function addMetricsFix(w: WorkloadContext, c: ContainerDef, cli: Cli, port: number): Fix | undefined {
  const tunnel = cli.tunnel?.node;
  if (!tunnel?.range) return undefined;
  const seq = [c.info.argsNode, c.info.commandNode].find((s): s is YAMLSeq => isSeq(s) && s.items.includes(tunnel));
  if (!seq) return undefined;
  const lines = w.file.lines;
  const address = `0.0.0.0:${port}`;
  let edit: TextEdit;
  if (seq.flow) {
    const at = lines.position(tunnel.range[1]);
    edit = { range: { start: at, end: at }, newText: `, --metrics, ${address}` };
  } else {
    const start = lines.position(tunnel.range[0]);
    const lineStart = lines.lineStart(start.line);
    const prefix = lines.text.slice(lineStart, tunnel.range[0]);
    if (!/^\s*-\s+$/.test(prefix)) return undefined;
    const nextLine = start.line + 1 < lines.lineCount ? lines.lineStart(start.line + 1) : lines.text.length;
    const lineEnd = lines.text.slice(lineStart, nextLine).replace(/\r?\n$/, '').length + lineStart;
    const at = lines.position(lineEnd);
    edit = { range: { start: at, end: at }, newText: `\n${prefix}--metrics\n${prefix}${address}` };
  }
  return {
    title: `Add --metrics ${address} to ${seq === c.info.argsNode ? 'args' : 'command'}`,
    edits: [edit],
    isPreferred: true,
  };
}
