/**
 * `cftunnel scaffold DIR --mode token|local --tunnel-id ID [...]`: writes the kustomize folder of
 * src/core/scaffold into DIR. Nothing existing is overwritten without --force (the files that
 * would change are listed); all files are written to a temporary folder next to DIR first and then
 * renamed into place, with the replaced files restored if a rename fails: all files or none.
 * Secret inputs are created with mode 0600 and never printed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeAll } from '../node/atomicWrite';
import { ScaffoldError, scaffoldPlan } from '../core/scaffold/scaffold';
import type { ScaffoldOptions, TunnelCredentials } from '../core/scaffold/scaffold';
import { serviceHost } from '../core/kubernetes/serviceHost';

export const SCAFFOLD_USAGE = `Usage:
  cftunnel scaffold DIR --mode token|local --tunnel-id ID [--namespace NS] [--origin URL]
                    [--hostname HOST]... [--replicas N] [--image IMAGE]
                    [--to-controller SERVICE.NS[:PORT] --zone ZONE | --zone ZONE]
                    [--metrics-from-namespace NS] [--token-file FILE | --credentials-file FILE] [--force]

  --zone ZONE                      all hostnames of the zone: rules ZONE and *.ZONE → the origin, then 404
  --to-controller SERVICE.NS:PORT  the origin is that ingress controller's Service (port 80 by default);
                                   with --zone: the NetworkPolicy allows only the controller's pods`;

interface Output {
  out(text: string): void;
  err(text: string): void;
}

class ScaffoldUsage extends Error {}

interface Parsed {
  dir: string;
  force: boolean;
  options: ScaffoldOptions;
  tokenFile?: string;
  credentialsFile?: string;
}

function parse(args: string[]): Parsed {
  const positional: string[] = [];
  const values = new Map<string, string[]>();
  let force = false;
  const withValue = new Set([
    '--mode',
    '--tunnel-id',
    '--namespace',
    '--origin',
    '--hostname',
    '--replicas',
    '--image',
    '--metrics-from-namespace',
    '--token-file',
    '--credentials-file',
    '--to-controller',
    '--zone',
  ]);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--force') {
      force = true;
      continue;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a : a.slice(0, eq);
      if (!withValue.has(name)) throw new ScaffoldUsage(`unknown option '${name}'`);
      const value = eq < 0 ? args[++i] : a.slice(eq + 1);
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new ScaffoldUsage(`${name} needs a value`);
      values.set(name, [...(values.get(name) ?? []), value]);
      continue;
    }
    if (a.startsWith('-') && a !== '-') throw new ScaffoldUsage(`unknown option '${a}'`);
    positional.push(a);
  }
  if (positional.length !== 1)
    throw new ScaffoldUsage(
      positional.length === 0 ? 'scaffold needs a folder' : `scaffold takes one folder, not ${positional.length}`,
    );
  const one = (name: string): string | undefined => {
    const v = values.get(name);
    if (v && v.length > 1) throw new ScaffoldUsage(`${name} is given more than once`);
    return v?.[0];
  };
  const mode = one('--mode');
  if (mode === undefined) throw new ScaffoldUsage('--mode token|local is required');
  if (mode !== 'token' && mode !== 'local') throw new ScaffoldUsage(`--mode must be token or local, not '${mode}'`);
  const tunnelId = one('--tunnel-id');
  if (tunnelId === undefined) throw new ScaffoldUsage('--tunnel-id is required');
  const replicasText = one('--replicas');
  if (replicasText !== undefined && !/^\d+$/.test(replicasText))
    throw new ScaffoldUsage(`--replicas must be a whole number, not '${replicasText}'`);
  const tokenFile = one('--token-file');
  const credentialsFile = one('--credentials-file');
  if (tokenFile !== undefined && credentialsFile !== undefined)
    throw new ScaffoldUsage('give --token-file or --credentials-file, not both');
  if (credentialsFile !== undefined && mode === 'token')
    throw new ScaffoldUsage(
      '--credentials-file is for --mode local (token mode runs with the run token: --token-file)',
    );
  const metricsNs = one('--metrics-from-namespace');
  const toController = one('--to-controller');
  const zone = one('--zone');
  let controllerOrigin: string | undefined;
  if (toController !== undefined) {
    if (zone === undefined)
      throw new ScaffoldUsage('--to-controller needs --zone (the zone whose hostnames go to the controller)');
    if (values.has('--origin')) throw new ScaffoldUsage('give --to-controller or --origin, not both');
    const m = /^([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)(?::(\d{1,5}))?$/.exec(
      toController,
    );
    if (!m || (m[3] !== undefined && (Number(m[3]) < 1 || Number(m[3]) > 65535)))
      throw new ScaffoldUsage(
        `--to-controller must be SERVICE.NAMESPACE[:PORT], e.g. ingress-nginx-controller.ingress-nginx:80, not '${toController}'`,
      );
    controllerOrigin = `http://${serviceHost(m[1]!, m[2]!)}:${m[3] ?? '80'}`;
  }
  if (zone !== undefined && values.has('--hostname'))
    throw new ScaffoldUsage('give --zone or --hostname, not both (--zone routes the zone and its wildcard)');
  const options: ScaffoldOptions = { mode, tunnelId };
  const set = <K extends keyof ScaffoldOptions>(key: K, value: ScaffoldOptions[K] | undefined): void => {
    if (value !== undefined) options[key] = value;
  };
  set('namespace', one('--namespace'));
  set('origin', controllerOrigin ?? one('--origin'));
  set('zone', zone);
  set('image', one('--image'));
  set('hostnames', values.get('--hostname'));
  set('replicas', replicasText === undefined ? undefined : Number(replicasText));
  if (metricsNs !== undefined)
    options.metricsIngressFrom = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': metricsNs } } }];
  return {
    dir: positional[0]!,
    force,
    options,
    ...(tokenFile !== undefined ? { tokenFile } : {}),
    ...(credentialsFile !== undefined ? { credentialsFile } : {}),
  };
}

/** Reads the secret input from a file (never from the command line, where the process list shows it). */
function readSecret(p: Parsed): ScaffoldOptions['secret'] | string {
  if (p.tokenFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(p.tokenFile, 'utf8');
    } catch (e) {
      return `cannot read ${p.tokenFile}: ${(e as Error).message}`;
    }
    const token = text.trim().replace(/^TUNNEL_TOKEN=/, '');
    if (token === '') return `${p.tokenFile} is empty`;
    return { token };
  }
  if (p.credentialsFile !== undefined) {
    try {
      const j = JSON.parse(readFileSync(p.credentialsFile, 'utf8')) as Partial<TunnelCredentials>;
      if (typeof j.AccountTag !== 'string' || typeof j.TunnelSecret !== 'string' || typeof j.TunnelID !== 'string')
        return `${p.credentialsFile} lacks AccountTag, TunnelSecret or TunnelID`;
      return { credentials: { AccountTag: j.AccountTag, TunnelSecret: j.TunnelSecret, TunnelID: j.TunnelID } };
    } catch (e) {
      return `cannot read ${p.credentialsFile}: ${(e as Error).message}`;
    }
  }
  return undefined;
}

export function runScaffold(args: string[], io: Output): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(SCAFFOLD_USAGE);
    return 0;
  }
  let parsed: Parsed;
  try {
    parsed = parse(args);
  } catch (e) {
    if (e instanceof ScaffoldUsage) {
      io.err(`cftunnel: ${e.message}\n${SCAFFOLD_USAGE}`);
      return 2;
    }
    throw e;
  }
  const secret = readSecret(parsed);
  if (typeof secret === 'string') {
    io.err(`cftunnel: ${secret}`);
    return 2;
  }
  if (secret) parsed.options.secret = secret;

  let plan: ReturnType<typeof scaffoldPlan>;
  try {
    plan = scaffoldPlan(parsed.options);
  } catch (e) {
    if (e instanceof ScaffoldError) {
      io.err(`cftunnel: ${e.message}\n${SCAFFOLD_USAGE}`);
      return 2;
    }
    throw e;
  }

  const dir = resolve(parsed.dir);
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    io.err(`cftunnel: ${parsed.dir} exists and is not a folder`);
    return 2;
  }
  const result = writeAll(dir, plan.files, parsed.force);
  if (!result.ok) {
    if (result.conflicts) {
      io.err(
        `cftunnel: ${parsed.dir} has files that would change; nothing was written. Run again with --force to replace them:`,
      );
      for (const f of result.conflicts) io.err(`  ${f}`);
    } else {
      io.err(`cftunnel: nothing was written: ${result.error}`);
    }
    return 1;
  }
  for (const f of plan.files) {
    const state = result.states.get(f.path)!;
    io.out(`${join(parsed.dir, f.path)}: ${state}${f.secret && state !== 'kept' ? ' (mode 0600)' : ''}`);
  }
  // A kept secret input is the user's own: the placeholder note does not apply to it.
  const kept = plan.files.filter((f) => f.placeholder && result.states.get(f.path) === 'kept').map((f) => f.path);
  for (const n of plan.notes) if (!kept.some((k) => n.startsWith(`${k} holds`))) io.err(`note: ${n}`);
  return 0;
}
