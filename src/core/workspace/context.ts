/**
 * What a check may look at, each access recorded as a dependency key: when an update changes one
 * of those keys, the check runs again; nothing else does.
 */
import type { ConfigModel } from '../config/model';
import { DEFAULT_WORKSPACE_SETTINGS } from '../settings';
import type { WorkspaceSettings } from '../settings';
import type { FileSummary } from './fileSummary';
import { Keys } from './store';
import type {
  Generated,
  KustEntry,
  Placement,
  PlacedCustom,
  PlacedObject,
  PlacedPdb,
  PlacedPolicy,
  PlacedService,
  Store,
} from './store';

/** The dependency key of the settings: `Workspace.configure` re-runs the checks that read them. */
export const SETTINGS_KEY = 'settings';

export class Ctx {
  readonly deps = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly options: WorkspaceSettings = DEFAULT_WORKSPACE_SETTINGS,
  ) {}

  /** The settings the checks honour (cluster domain, public label). */
  settings(): WorkspaceSettings {
    this.deps.add(SETTINGS_KEY);
    return this.options;
  }

  file(path: string): FileSummary | undefined {
    this.deps.add(Keys.file(path));
    return this.store.files.get(path);
  }

  text(path: string): string | undefined {
    this.deps.add(Keys.file(path));
    return this.store.read(path);
  }

  config(path: string): ConfigModel | null {
    this.deps.add(Keys.file(path));
    return this.store.config(path);
  }

  kustomization(dir: string): KustEntry | undefined {
    this.deps.add(Keys.kust(dir));
    return this.store.kustomization(dir);
  }

  generated(dir: string): Generated | undefined {
    this.deps.add(Keys.kust(dir));
    this.deps.add(Keys.gen(dir));
    return this.store.generated(dir);
  }

  placement(path: string): Placement {
    return this.store.placement(path, this.deps);
  }

  services(namespace: string): PlacedService[] {
    this.deps.add(Keys.services(namespace));
    return this.store.services.get(namespace) ?? [];
  }

  servicesWithIP(ip: string): PlacedService[] {
    this.deps.add(Keys.clusterIP(ip));
    return this.store.servicesByIP.get(ip) ?? [];
  }

  objects(kind: 'ConfigMap' | 'Secret', name: string): PlacedObject[] {
    this.deps.add(Keys.object(kind, name));
    return this.store.objects.get(`${kind}/${name}`) ?? [];
  }

  pdbs(namespace: string): PlacedPdb[] {
    this.deps.add(Keys.pdbs(namespace));
    return this.store.pdbs.get(namespace) ?? [];
  }

  policies(namespace: string): PlacedPolicy[] {
    this.deps.add(Keys.policies(namespace));
    return this.store.policies.get(namespace) ?? [];
  }

  /** Custom resources in a namespace (and the HelmReleases/Applications that deploy into it). */
  customs(namespace: string): PlacedCustom[] {
    this.deps.add(Keys.customs(namespace));
    return this.store.customs.get(namespace) ?? [];
  }

  /** Pod policies of other engines than NetworkPolicy (Cilium, Calico, Antrea, AdminNetworkPolicy), workspace-wide. */
  podPolicies(): PlacedCustom[] {
    this.deps.add(Keys.podPolicies);
    return this.store.podPolicies;
  }

  /**
   * Every YAML file's summary, for the routing checks that read the whole workspace: they run again
   * when a file holding routing objects or a tunnel config changes (`holdsRouting`), and only then.
   */
  routingFiles(): Iterable<FileSummary> {
    this.deps.add(Keys.routing);
    return this.store.files.values();
  }

  gitIgnored(path: string): boolean | undefined {
    this.deps.add(Keys.gitignore);
    this.deps.add(Keys.file(path));
    return this.store.gitIgnored(path);
  }
}
