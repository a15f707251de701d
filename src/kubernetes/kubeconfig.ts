/**
 * Kubeconfig loading as kubectl does it, without `KubeConfig.loadFromDefault()`:
 *
 * - the files: the `cftunnel` setting if given, else `KUBECONFIG` (a path list), else
 *   `~/.kube/config`; merged as client-go merges them (the first file to define a name wins, the
 *   first `current-context` wins);
 * - `loadFromDefault()` silently falls back to a fake cluster at `http://localhost:8080` when no
 *   file exists; here a missing kubeconfig is an error that says where we looked, and
 *   `isLocalhostFallback` recognises that fake config wherever it comes from;
 * - an untrusted workspace: files inside its folders are not read, and contexts whose user needs a
 *   credential plugin (`exec`, or an auth provider's `cmd-path`) are refused and the plugin
 *   removed from the loaded config, so nothing can spawn it;
 * - the context for a view is chosen in memory (`clientFor` works on a copy): the kubeconfig file
 *   is never written.
 */
import { posix, win32 } from 'node:path';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { Cluster, Context, User } from '@kubernetes/client-node';
import { KubernetesError } from './errors';
import { readTextFile } from './node';
import type { ReadFile } from './node';

export type AuthKind = 'token' | 'client-certificate' | 'exec' | 'auth-provider' | 'basic' | 'none';

export interface ContextInfo {
  name: string;
  cluster: string;
  user: string;
  /** The context's default namespace, if set. */
  namespace?: string;
  /** The cluster's server URL (undefined when the cluster entry is missing). */
  server?: string;
  auth: AuthKind;
  /** The credential plugin's command (exec, or an auth provider's cmd-path). */
  plugin?: string;
  /** Why this context cannot be used (missing cluster/user entry, untrusted plugin). */
  blocked?: string;
  /** Its kind: config (broken entry) or untrusted (a plugin in an untrusted workspace). */
  blockedKind?: 'config' | 'untrusted';
}

export interface LoadKubeconfigOptions {
  /** From the setting: a path or a path list (OS delimiter); overrides KUBECONFIG. */
  path?: string;
  /** The environment (KUBECONFIG). */
  env: Record<string, string | undefined>;
  /** The user's home directory (for ~/.kube/config and `~/` in paths). */
  home?: string;
  /** Whether credential plugins may run (false in an untrusted workspace). */
  allowExec: boolean;
  /** Folders whose files are not read (the folders of an untrusted workspace). */
  untrustedFolders?: string[];
  /** Reads a file (default: the file system); returns undefined when it does not exist. */
  readFile?: ReadFile;
  platform?: NodeJS.Platform;
}

export interface LoadedKubeconfig {
  contexts: ContextInfo[];
  /** The kubeconfig's current-context (what kubectl would use); the view may choose another. */
  current?: string;
  /** Set when nothing usable was loaded: says what was looked for and what to do. */
  error?: string;
  /** Files read, in merge order. */
  files: string[];
  /** Files skipped or broken, and other things worth showing. */
  warnings: string[];
  /** The merged configuration (only `clientFor` uses it; never written back). */
  config?: KubeConfig;
}

/** The fake config `loadFromDefault()` produces when it finds nothing. */
export function isLocalhostFallback(kc: KubeConfig): boolean {
  const clusters = kc.getClusters();
  const contexts = kc.getContexts();
  return (
    clusters.length === 1 &&
    contexts.length === 1 &&
    clusters[0]!.name === 'cluster' &&
    /^http:\/\/localhost:8080\/?$/.test(clusters[0]!.server) &&
    contexts[0]!.name === 'loaded-context' &&
    kc.getUsers().length === 1 &&
    kc.getUsers()[0]!.name === 'user'
  );
}

function pluginOf(user: User | undefined): string | undefined {
  if (!user) return undefined;
  const exec = user.exec as { command?: string } | undefined | null;
  if (exec) return exec.command ?? '(exec)';
  const ap = user.authProvider as { name?: string; config?: Record<string, unknown> } | undefined | null;
  if (ap?.config) {
    const nested = ap.config.exec as { command?: string } | undefined;
    if (nested) return nested.command ?? '(exec)';
    if (typeof ap.config['cmd-path'] === 'string') return ap.config['cmd-path'];
  }
  if (ap?.name === 'exec') return '(exec)';
  return undefined;
}

function authOf(user: User | undefined): AuthKind {
  if (!user) return 'none';
  if (user.exec) return 'exec';
  if (user.authProvider) return 'auth-provider';
  if (user.token) return 'token';
  if (user.certData || user.certFile) return 'client-certificate';
  if (user.username) return 'basic';
  return 'none';
}

const DISPLAY_HOME = (home: string | undefined, p: string): string =>
  home && p.startsWith(home) ? `~${p.slice(home.length)}` : p;

/** Loads and merges the kubeconfig files; never throws (problems are in `error` and `warnings`). */
export function loadKubeconfig(opts: LoadKubeconfigOptions): LoadedKubeconfig {
  const path = (opts.platform ?? process.platform) === 'win32' ? win32 : posix;
  const read = opts.readFile ?? readTextFile;
  const home = opts.home;
  const warnings: string[] = [];
  const expand = (p: string): string => {
    const t = p.trim();
    if (home && (t === '~' || t.startsWith('~/') || t.startsWith('~\\'))) return path.join(home, t.slice(1));
    return t;
  };
  let source: 'setting' | 'KUBECONFIG' | 'default';
  let candidates: string[];
  if (opts.path && opts.path.trim()) {
    source = 'setting';
    candidates = opts.path
      .split(path.delimiter)
      .filter((s) => s.trim())
      .map(expand);
  } else if (opts.env.KUBECONFIG && opts.env.KUBECONFIG.trim()) {
    source = 'KUBECONFIG';
    candidates = opts.env.KUBECONFIG.split(path.delimiter)
      .filter((s) => s.trim())
      .map(expand);
  } else {
    source = 'default';
    if (!home)
      return {
        contexts: [],
        files: [],
        warnings,
        error:
          'No kubeconfig: KUBECONFIG is not set and the home directory is unknown, so ~/.kube/config cannot be found. Set cftunnel.kubernetes.kubeconfig to a kubeconfig file.',
      };
    candidates = [path.join(home, '.kube', 'config')];
  }
  candidates = [...new Set(candidates.map((c) => path.resolve(c)))];

  const untrusted = (opts.untrustedFolders ?? []).map((f) => path.resolve(f));
  const inUntrusted = (p: string): boolean =>
    untrusted.some((f) => p === f || p.startsWith(f.endsWith(path.sep) ? f : f + path.sep));

  const merged = {
    clusters: [] as Cluster[],
    users: [] as User[],
    contexts: [] as Context[],
    current: undefined as string | undefined,
  };
  const files: string[] = [];
  const missing: string[] = [];
  for (const file of candidates) {
    const shown = DISPLAY_HOME(home, file);
    if (inUntrusted(file)) {
      warnings.push(`Not reading ${shown}: it is inside the workspace, which is not trusted.`);
      continue;
    }
    let text: string | undefined;
    try {
      text = read(file);
    } catch (err) {
      warnings.push(`Cannot read ${shown}: ${(err as Error).message}`);
      continue;
    }
    if (text === undefined) {
      missing.push(shown);
      continue;
    }
    const kc = new KubeConfig();
    try {
      kc.loadFromString(text, { onInvalidEntry: 'filter' });
      kc.makePathsAbsolute(path.dirname(file));
    } catch (err) {
      warnings.push(`${shown} is not a valid kubeconfig: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    files.push(file);
    // client-go's merge: the first file to define a name wins; the first current-context wins.
    for (const c of kc.getClusters()) if (!merged.clusters.some((x) => x.name === c.name)) merged.clusters.push(c);
    for (const u of kc.getUsers()) if (!merged.users.some((x) => x.name === u.name)) merged.users.push(u);
    for (const c of kc.getContexts()) if (!merged.contexts.some((x) => x.name === c.name)) merged.contexts.push(c);
    if (!merged.current && kc.getCurrentContext()) merged.current = kc.getCurrentContext();
  }

  const result: LoadedKubeconfig = { contexts: [], files, warnings };
  if (files.length === 0) {
    const looked = candidates.map((c) => DISPLAY_HOME(home, c)).join(', ');
    if (warnings.length && missing.length === 0) result.error = `No kubeconfig could be loaded: ${warnings.join(' ')}`;
    else if (source === 'setting')
      result.error = `The kubeconfig set in cftunnel.kubernetes.kubeconfig does not exist: ${looked}.`;
    else if (source === 'KUBECONFIG')
      result.error = `No kubeconfig found: none of the files in KUBECONFIG exists (${looked}).`;
    else
      result.error = `No kubeconfig found at ${looked} and KUBECONFIG is not set. Create one (kubectl config, or your cloud's "get-credentials" command) or set cftunnel.kubernetes.kubeconfig.`;
    if (warnings.length && missing.length) result.error += ` ${warnings.join(' ')}`;
    return result;
  } else if (missing.length) warnings.push(`Not found (skipped): ${missing.join(', ')}.`);

  // Users with credential plugins: refused (and stripped) when plugins may not run.
  const users = merged.users.map((u): User => {
    if (opts.allowExec || !pluginOf(u)) return u;
    return { name: u.name };
  });
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: merged.clusters, users, contexts: merged.contexts, currentContext: merged.current });

  if (isLocalhostFallback(kc)) {
    result.error = `The kubeconfig (${files.map((f) => DISPLAY_HOME(home, f)).join(', ')}) is the empty default that points at http://localhost:8080; no real cluster is configured.`;
    return result;
  }
  result.contexts = merged.contexts.map((c): ContextInfo => {
    const cluster = merged.clusters.find((x) => x.name === c.cluster);
    const user = merged.users.find((x) => x.name === c.user);
    const info: ContextInfo = {
      name: c.name,
      cluster: c.cluster,
      user: c.user,
      server: cluster?.server,
      auth: authOf(user),
    };
    if (c.namespace) info.namespace = c.namespace;
    const plugin = pluginOf(user);
    if (plugin) info.plugin = plugin;
    if (!cluster) {
      info.blocked = `Context "${c.name}" names cluster "${c.cluster}", which the kubeconfig does not define.`;
      info.blockedKind = 'config';
    } else if (plugin && !opts.allowExec) {
      info.blocked = `Context "${c.name}" gets its credentials from the plugin "${plugin}" (user "${c.user}"). Credential plugins do not run in an untrusted workspace: trust the workspace to use this context.`;
      info.blockedKind = 'untrusted';
    } else if (cluster.server.startsWith('http:') && !cluster.skipTLSVerify) {
      info.blocked = `Cluster "${cluster.name}" of context "${c.name}" uses plain HTTP (${cluster.server}); the Kubernetes client refuses it unless the kubeconfig sets insecure-skip-tls-verify: true for that cluster.`;
      info.blockedKind = 'config';
    }
    return info;
  });
  result.current = merged.current;
  result.config = kc;
  if (result.contexts.length === 0) {
    result.error = `The kubeconfig (${files.map((f) => DISPLAY_HOME(home, f)).join(', ')}) defines no contexts. Add one with "kubectl config set-context" or your cloud's "get-credentials" command.`;
  } else if (result.contexts.every((c) => c.blockedKind === 'untrusted')) {
    result.error = `Every context of the kubeconfig needs a credential plugin (${[...new Set(result.contexts.map((c) => c.plugin))].join(', ')}), and plugins do not run in an untrusted workspace. Trust the workspace to connect.`;
  }
  return result;
}

/** A client for one context: its own copy of the config with that current context. */
export interface ClusterClient {
  context: ContextInfo;
  server: string;
  /** The context's namespace, or `default`. */
  namespace: string;
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
}

/**
 * A client for `contextName` (default: the kubeconfig's current context). The context is set on a
 * copy in memory; the kubeconfig files are never written. Throws a KubernetesError (`config` or
 * `untrusted`) when the context cannot be used.
 */
export function clientFor(loaded: LoadedKubeconfig, contextName?: string): ClusterClient {
  const name = contextName ?? loaded.current;
  if (!loaded.config) throw new KubernetesError('config', loaded.error ?? 'No kubeconfig is loaded.');
  if (!name) throw new KubernetesError('config', 'The kubeconfig has no current-context; choose a context.');
  const info = loaded.contexts.find((c) => c.name === name);
  if (!info)
    throw new KubernetesError(
      'config',
      `The kubeconfig has no context named "${name}" (contexts: ${loaded.contexts.map((c) => c.name).join(', ') || 'none'}).`,
    );
  if (info.blocked) throw new KubernetesError(info.blockedKind ?? 'config', info.blocked);
  const src = loaded.config;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [...src.getClusters()],
    users: [...src.getUsers()],
    contexts: [...src.getContexts()],
    currentContext: name,
  });
  const cluster = kc.getCurrentCluster();
  if (!cluster)
    throw new KubernetesError(
      'config',
      `Context "${name}" names cluster "${info.cluster}", which the kubeconfig does not define.`,
    );
  return {
    context: info,
    server: cluster.server,
    namespace: info.namespace ?? 'default',
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
  };
}
