/**
 * Ingress rules against the Services the workspace defines. Service names are read as Kubernetes
 * DNS resolves them (src/core/kubernetes/serviceHost.ts, with the cluster domain of the settings). A rule is only judged when
 * the workspace defines Services in the namespace it names (otherwise the Service may live in the
 * cluster only, or the host is not a Service at all).
 */
import { isScalar } from 'yaml';
import type { Scalar } from 'yaml';
import { ORIGIN_DEFAULT_PORTS } from '../../config/service';
import { isIP as goIsIP } from '../../go/net';
import { memoizeString } from '../../memo';
import { parseServiceHost as parseHost, serviceHost } from '../../kubernetes/serviceHost';
import { urlHostname, urlPort } from '../../go/url';
import type { Diagnostic, Fix } from '../../types';
import type { Ctx } from '../context';
import { relative } from '../links';
import type { ConfigDoc } from '../links';
import type { PlacedCustom, PlacedService } from '../store';
import { rangeInScalar } from './output';
import type { Output } from './output';
import { editDistance, replaceUrlHost, replaceUrlPort } from '../../strings';

// Per rule on every edit of a large config, with the same few hosts: remembered by their string.
const isIP = memoizeString(goIsIP);
const parsedHosts = memoizeString((key: string) => {
  const [host, clusterDomain, namespace] = key.split('\0') as [string, string, string];
  return parseHost(host, { clusterDomain, ...(namespace !== '' ? { defaultNamespace: namespace } : {}) });
});
function parseServiceHost(host: string, opts: { clusterDomain: string; defaultNamespace: string | undefined }) {
  return parsedHosts(`${host}\0${opts.clusterDomain}\0${opts.defaultNamespace ?? ''}`);
}

/** Checks every URL service of a config; `namespace` is the cloudflared pod's (undefined: unknown). */
export function checkRules(ctx: Ctx, cfg: ConfigDoc, namespace: string | undefined, out: Output): void {
  for (const rule of cfg.model.rules) {
    if (rule.parsed?.kind !== 'url') continue;
    const written = rule.struct?.fields.get('service')?.entry.written;
    if (!written || !isScalar(written)) continue;
    const node = written as Scalar;
    const u = rule.parsed.url;
    const host = urlHostname(u);
    const explicitPort = urlPort(u);
    const port = explicitPort ? Number(explicitPort) : ORIGIN_DEFAULT_PORTS[u.scheme];
    // Where the service is written, worked out only for a rule that gets a finding (most get none).
    let where: { range: Diagnostic['range']; exact: boolean } | undefined;
    const place = (): { range: Diagnostic['range']; exact: boolean } => {
      if (!where) {
        const at = rangeInScalar(cfg.model.lines, node, rule.service);
        where = { range: cfg.map(at.range), exact: at.exact };
      }
      return where;
    };
    const edit = (newService: string): Fix['edits'] | undefined =>
      cfg.exact && place().exact ? [{ range: place().range, newText: newService }] : undefined;

    if (isIP(host)) {
      const owners = ctx.servicesWithIP(host);
      if (owners.length !== 1) continue;
      const s = owners[0]!;
      const name = serviceHost(s.name, s.namespace, { clusterDomain: ctx.settings().clusterDomain });
      const dns = `${u.scheme}://${name}${explicitPort ? `:${explicitPort}` : ''}`;
      const edits = edit(replaceUrlHost(rule.service, name));
      out.add(cfg.path, {
        code: 'service-cluster-ip',
        severity: 'warning',
        message: `${host} is the clusterIP of Service '${s.name}' in namespace '${s.namespace}' (${relative(cfg.path, s.file)}): the rule breaks when the Service is re-created with another address (the pinned one is taken, the pin is dropped, another cluster's Service range), and cloudflared answers 502 Bad Gateway. Its DNS name does not change: ${dns}.`,
        range: place().range,
        ...(edits ? { fixes: [{ title: `Use ${dns}`, edits, isPreferred: true }] } : {}),
      });
      continue;
    }

    const ref = parseServiceHost(host, { clusterDomain: ctx.settings().clusterDomain, defaultNamespace: namespace });
    if (!ref || isClusterService(ref)) continue;
    const services = ctx.services(ref.namespace);
    if (services.length === 0) continue;
    const range = place().range;
    const svc = services.find((s) => s.name === ref.name);
    if (!svc) {
      const d = notFound(rule.service, host, ref, services, range, edit);
      const creator = runtimeCreator(ctx, ref, cfg.path);
      if (creator) {
        d.severity = 'information';
        d.message = `No manifest of the workspace defines Service '${ref.name}' in namespace '${ref.namespace}', but it may be created at runtime by ${creator}, which the workspace does not show: whether ${host} resolves cannot be told here.`;
        for (const f of d.fixes ?? []) delete f.isPreferred;
      }
      out.add(cfg.path, d);
      continue;
    }
    if (
      port === undefined ||
      svc.def.type === 'ExternalName' ||
      svc.def.clusterIP === 'None' ||
      svc.def.ports.length === 0
    )
      continue;
    if (svc.def.ports.some((p) => p.port === port)) continue;
    const ports = svc.def.ports.map((p) => `${p.port}${p.name ? ` (${p.name})` : ''}`).join(', ');
    const fixes: Fix[] = [];
    for (const p of svc.def.ports.slice(0, 4)) {
      const edits = edit(replaceUrlPort(rule.service, p.port));
      if (edits)
        fixes.push({
          title: `Use port ${p.port}${p.name ? ` (${p.name})` : ''} of Service '${svc.name}'`,
          edits,
          ...(svc.def.ports.length === 1 ? { isPreferred: true } : {}),
        });
    }
    out.add(cfg.path, {
      code: 'service-port-not-found',
      severity: 'warning',
      message: `Service '${svc.name}' in namespace '${svc.namespace}' (${relative(cfg.path, svc.file)}) has no port ${port}${explicitPort ? '' : ` (the default port of ${u.scheme})`}: its ports are ${ports}. Connections to ${host}:${port} are refused and cloudflared answers 502 Bad Gateway.`,
      range,
      ...(fixes.length > 0 ? { fixes } : {}),
    });
  }
}

/** Services every cluster has, which no manifest defines. */
function isClusterService(ref: { name: string; namespace: string }): boolean {
  return (
    (ref.name === 'kubernetes' && ref.namespace === 'default') ||
    (ref.name === 'kube-dns' && ref.namespace === 'kube-system')
  );
}

/**
 * What may create Service `name` at runtime: a custom resource of that name in its namespace
 * (Knative's Service creates one of the same name; operators name theirs after the resource, as
 * `<name>-rw`, `<name>-kafka-bootstrap`), or a HelmRelease / Argo CD Application deploying into it.
 */
function runtimeCreator(ctx: Ctx, ref: { name: string; namespace: string }, from: string): string | undefined {
  const customs = ctx.customs(ref.namespace);
  const describe = (c: PlacedCustom): string =>
    `${c.def.kind} '${c.name}' (${c.def.apiVersion}, ${relative(from, c.file)})`;
  const same = customs.find((c) => c.name === ref.name && !c.def.podPolicy);
  if (same) return describe(same);
  const named = customs
    .filter((c) => !c.def.podPolicy && ref.name.startsWith(`${c.name}-`))
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (named) return describe(named);
  const deployer = customs.find((c) => c.def.deploys);
  if (deployer) return `${describe(deployer)}, which deploys into namespace '${ref.namespace}'`;
  return undefined;
}

/**
 * A namespace's Service names (sorted) and the three closest to `name`, kept per list of Services
 * (the store's list of a namespace, the same object until that namespace changes): a large config
 * names the same missing Services after every edit.
 */
const suggested = new WeakMap<
  readonly PlacedService[],
  { names: string[]; close: Map<string, Array<{ n: string; d: number }>> }
>();

function suggestions(
  services: readonly PlacedService[],
  name: string,
): { names: string[]; close: Array<{ n: string; d: number }> } {
  let entry = suggested.get(services);
  if (!entry) {
    entry = { names: [...new Set(services.map((s) => s.name))].sort(), close: new Map() };
    suggested.set(services, entry);
  }
  let close = entry.close.get(name);
  if (!close) {
    close = entry.names
      .map((n) => ({ n, d: editDistance(n, name) }))
      .filter((x) => x.d <= Math.max(2, Math.floor(name.length / 3)) || x.n.includes(name) || name.includes(x.n))
      .sort((a, b) => a.d - b.d)
      .slice(0, 3);
    entry.close.set(name, close);
  }
  return { names: entry.names, close };
}

function notFound(
  service: string,
  host: string,
  ref: { name: string; namespace: string },
  services: PlacedService[],
  range: Diagnostic['range'],
  edit: (s: string) => Fix['edits'] | undefined,
): Diagnostic {
  const { names, close } = suggestions(services, ref.name);
  const fixes: Fix[] = [];
  for (const { n } of close) {
    const dot = host.indexOf('.');
    const edits = edit(replaceUrlHost(service, dot < 0 ? n : `${n}${host.slice(dot)}`));
    if (edits) fixes.push({ title: `Use Service '${n}'`, edits, ...(close.length === 1 ? { isPreferred: true } : {}) });
  }
  const listed = names.length > 6 ? `${names.slice(0, 6).join(', ')}, …` : names.join(', ');
  const renamed = services.find((s) => s.def.name === ref.name && s.name !== ref.name);
  const why = renamed ? ` (kustomize's namePrefix/nameSuffix renames '${ref.name}' to '${renamed.name}')` : '';
  return {
    code: 'service-not-found',
    severity: 'warning',
    message: `No Service '${ref.name}' in namespace '${ref.namespace}': the workspace defines ${listed} there${why}. cloudflared cannot resolve ${host} (no such host) and answers 502 Bad Gateway.`,
    range,
    ...(fixes.length > 0 ? { fixes } : {}),
  };
}
