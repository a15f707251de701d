/**
 * The drift monitor's logic without `vscode` (test/unit covers it): the cluster and tunnel state
 * it was last given, the workspace configs asked for on each run, `findDrift` over them, and what
 * to publish — the findings (the Services tree and the report read them) and, per config file,
 * the diagnostics with the fixes the core computes. A change (an edit, new configs) recomputes
 * after a short delay; the core is pure and fast, so edits are followed as they are typed.
 * The cluster's routing kinds (issue #17) become the trace's model here (`driftRouting`).
 */
import { driftDiagnostics, findDrift } from '../../core/drift';
import type {
  DriftDeployment,
  DriftDnsRecord,
  DriftFinding,
  DriftInput,
  DriftService,
  DriftTunnel,
  DriftWorkspaceConfig,
} from '../../core/drift';
import { routingObjectsFromCluster } from '../../core/routing/fromCluster';
import type { ClusterKindInput, ClusterRoutingKind, ClusterServiceInput } from '../../core/routing/fromCluster';
import type { RoutingObjects } from '../../core/routing/objects';
import type { Diagnostic } from '../../core/types';
import type { KnownTunnel } from './model';

type ClusterKinds = Partial<Record<ClusterRoutingKind, ClusterKindInput>>;

/**
 * The cluster's Services and routing kinds as the trace reads them; undefined when the kinds were
 * not listed (then no route findings: nothing is guessed).
 */
export function driftRouting(
  services: readonly ClusterServiceInput[],
  kinds: ClusterKinds | undefined,
): RoutingObjects | undefined {
  return kinds ? routingObjectsFromCluster({ services, kinds }) : undefined;
}

/** What the cluster and the signed-in accounts said last. */
export interface DriftClusterState {
  services: DriftService[];
  deployments: DriftDeployment[];
  tunnels: DriftTunnel[];
  dnsRecords: DriftDnsRecord[];
  zones: Array<{ id: string; name: string }>;
  /** The tunnels with their accounts (the report's actions need them). */
  known: KnownTunnel[];
  /** The cluster's routing objects (`driftRouting`); undefined when not listed. */
  routing?: RoutingObjects;
  /** Each account's Access applications, where they were read (stale applications). */
  access?: DriftInput['access'];
}

export interface DriftPublication {
  findings: DriftFinding[];
  /** Path → diagnostics (with fixes) of every config file a finding is located in. */
  diagnostics: Map<string, Diagnostic[]>;
}

export interface DriftEngineDeps {
  configs(): Promise<DriftWorkspaceConfig[]>;
  /** The cluster's DNS domain (cftunnel.kubernetes.clusterDomain); cluster.local when not given. */
  clusterDomain?(): string;
  /** undefined: nothing to show (no cluster state). */
  publish(p: DriftPublication | undefined): void;
  setTimer?(fn: () => void, ms: number): unknown;
  clearTimer?(handle: unknown): void;
}

/** The delay between an edit and the recomputation. */
export const DRIFT_DEBOUNCE_MS = 300;

export class DriftEngine {
  private cluster?: DriftClusterState;
  private timer: unknown;
  private run = 0;
  last?: DriftPublication;

  constructor(private readonly deps: DriftEngineDeps) {}

  get state(): DriftClusterState | undefined {
    return this.cluster;
  }

  /** New cluster/tunnel state (undefined: disconnected, untrusted, failing): recomputes now. */
  setCluster(state: DriftClusterState | undefined): Promise<void> {
    this.cluster = state;
    return this.recompute();
  }

  /** A config may have changed (an edit, a file event): recomputes after `DRIFT_DEBOUNCE_MS`. */
  changed(): void {
    const clear = this.deps.clearTimer ?? ((h: unknown) => clearTimeout(h as NodeJS.Timeout));
    const set = this.deps.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
    if (this.timer !== undefined) clear(this.timer);
    this.timer = set(() => {
      this.timer = undefined;
      void this.recompute();
    }, DRIFT_DEBOUNCE_MS);
  }

  async recompute(): Promise<void> {
    const run = ++this.run;
    const cluster = this.cluster;
    if (!cluster) {
      this.last = undefined;
      this.deps.publish(undefined);
      return;
    }
    const workspaceConfigs = await this.deps.configs();
    if (run !== this.run) return; // a newer run is under way
    const findings = findDrift({
      clusterConnected: true,
      services: cluster.services,
      deployments: cluster.deployments,
      tunnels: cluster.tunnels,
      dnsRecords: cluster.dnsRecords,
      ...(cluster.zones.length ? { zones: cluster.zones } : {}),
      workspaceConfigs,
      ...(this.deps.clusterDomain ? { clusterDomain: this.deps.clusterDomain() } : {}),
      ...(cluster.routing ? { routing: cluster.routing } : {}),
      ...(cluster.access?.length ? { access: cluster.access } : {}),
    });
    const diagnostics = new Map<string, Diagnostic[]>();
    for (const path of new Set(findings.flatMap((f) => (f.location ? [f.location.path] : []))))
      diagnostics.set(path, driftDiagnostics(findings, path));
    this.last = { findings, diagnostics };
    this.deps.publish(this.last);
  }
}
