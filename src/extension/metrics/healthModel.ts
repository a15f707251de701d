/**
 * The poller's pods (`PodState`) as the trees and the alerts read them, without the editor
 * (test/unit/extension/metrics covers it): the words a cloudflared Deployment or pod item adds to
 * its description, the pods the Tunnels view joins its connectors to, and one alert observation
 * per Deployment.
 */
import { lastRate, summarizeTraffic, trafficText } from '../../core/metrics/health';
import type { JoinPodInput, PodTrafficInput } from '../../core/metrics/health';
import type { AlertObservation } from '../../core/metrics/alerts';
import type { PodState } from './pollerModel';

export interface TrafficWords {
  text: string;
  tooltip: string;
}

export function podTrafficInput(p: PodState): PodTrafficInput {
  const out: PodTrafficInput = { pod: p.pod };
  const rate = lastRate(p.history.rates());
  if (rate) out.rate = rate;
  if (p.ready) out.ready = p.ready;
  if (p.error) out.error = p.error;
  return out;
}

const deploymentKey = (namespace: string, name: string): string => `${namespace}/${name}`;

/** What each cloudflared Deployment and pod item says about its traffic, after one poll. */
export class TrafficIndex {
  private readonly byDeployment = new Map<string, PodState[]>();
  private readonly byPod = new Map<string, PodState>();

  constructor(pods: readonly PodState[]) {
    for (const p of pods) {
      const key = deploymentKey(p.deployment.namespace, p.deployment.name);
      const list = this.byDeployment.get(key);
      if (list) list.push(p);
      else this.byDeployment.set(key, [p]);
      this.byPod.set(`${p.deployment.namespace}/${p.pod}`, p);
    }
  }

  deployment(namespace: string, name: string): TrafficWords | undefined {
    const pods = this.byDeployment.get(deploymentKey(namespace, name));
    return pods ? trafficText(summarizeTraffic(pods.map(podTrafficInput))) : undefined;
  }

  pod(namespace: string, name: string): TrafficWords | undefined {
    const p = this.byPod.get(`${namespace}/${name}`);
    return p ? trafficText(summarizeTraffic([podTrafficInput(p)])) : undefined;
  }
}

/** The pods whose /ready was read, for the connector join. */
export function joinPods(pods: readonly PodState[]): JoinPodInput[] {
  return pods
    .filter((p) => p.connectorId)
    .map((p) => {
      const out: JoinPodInput = {
        namespace: p.deployment.namespace,
        deployment: p.deployment.name,
        pod: p.pod,
        connectorId: p.connectorId!,
      };
      if (p.ready) out.readyConnections = p.ready.readyConnections;
      if (p.latest?.locations.length) out.locations = p.latest.locations.map((l) => l.location);
      return out;
    });
}

/**
 * One observation per cloudflared Deployment of the poll (`deployments`: as listed, so one whose
 * pods were not read yet still counts; `tunnelName` names its tunnel in messages).
 */
export function alertObservations(
  pods: readonly PodState[],
  deployments: ReadonlyArray<{ namespace: string; name: string; tunnelId?: string }>,
  tunnelName: (id: string) => string | undefined = () => undefined,
): AlertObservation[] {
  const index = new Map<string, PodState[]>();
  for (const p of pods) {
    const key = deploymentKey(p.deployment.namespace, p.deployment.name);
    index.set(key, [...(index.get(key) ?? []), p]);
  }
  return deployments.map((d) => {
    const key = deploymentKey(d.namespace, d.name);
    const mine = index.get(key) ?? [];
    const summary = summarizeTraffic(mine.map(podTrafficInput));
    const tunnel = d.tunnelId ? (tunnelName(d.tunnelId) ?? d.tunnelId.slice(0, 8)) : undefined;
    const times = mine.map((p) => p.updatedAt).filter((t): t is number => t !== undefined);
    const o: AlertObservation = {
      key,
      label: `${key}${tunnel ? ` (tunnel ${tunnel})` : ''}`,
      ready: mine
        .filter((p) => p.ready !== undefined)
        .map((p) => ({ pod: p.pod, readyConnections: p.ready!.readyConnections })),
      unread: mine.filter((p) => p.error && !p.ready).length,
      pods: mine.length,
    };
    if (times.length) o.at = Math.max(...times);
    if (summary.requestsPerSecond !== undefined) o.requestsPerSecond = summary.requestsPerSecond;
    if (summary.errorsPerSecond !== undefined) o.errorsPerSecond = summary.errorsPerSecond;
    if (summary.errorRatio !== undefined) o.errorRatio = summary.errorRatio;
    return o;
  });
}

/** A cloudflared Deployment or pod item with its traffic words after its description, and their tooltip. */
export function withTraffic<S extends { description?: string; tooltip?: string }>(
  spec: S,
  words: TrafficWords | undefined,
): S {
  if (!words) return spec;
  return {
    ...spec,
    description: spec.description ? `${spec.description} · ${words.text}` : words.text,
    tooltip: [spec.tooltip, words.tooltip].filter(Boolean).join('\n'),
  };
}
