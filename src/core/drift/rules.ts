/**
 * Ingress rules against the cluster: a rule's service names a Service, a port or a ClusterIP the
 * cluster does not have (or a ClusterIP where a DNS name would last), and the local rules of a
 * remotely-managed tunnel, which cloudflared ignores.
 */
import { ORIGIN_DEFAULT_PORTS, parseService } from '../config/service';
import { parseIP } from '../go/net';
import { parseServiceHost, serviceHost } from '../kubernetes/serviceHost';
import { isLoopback, isUnspecified } from '../net/address';
import { cidrContainsIP, ipv4ToNumber, parseCidr } from '../net/cidr';
import { urlHostname, urlPort } from '../go/url';
import { editDistance, replaceUrlHost, replaceUrlPort } from '../strings';
import { openRemote, plural, removeRuleAction, workspaceRuleRef } from './context';
import type { AddFinding, DriftContext, RuleRef } from './context';
import type { DriftAction, DriftService } from './types';

/**
 * Whether `ip` lies in the cluster's Service range: the given CIDRs, else the span of the
 * ClusterIPs seen widened to /16 boundaries (IPv4), or their /64 (IPv6). Conservative: a LAN or
 * pod address outside that span is not judged.
 */
function inServiceRange(ip: string, clusterIPs: string[], cidrs: string[] | undefined): boolean {
  if (cidrs && cidrs.length > 0) return cidrs.some((c) => inCIDR(ip, c));
  const n = ipv4ToNumber(ip);
  if (n !== undefined) {
    const known = clusterIPs.map(ipv4ToNumber).filter((x): x is number => x !== undefined);
    if (known.length === 0) return false;
    const lo = Math.min(...known) - (Math.min(...known) % 65536);
    const hi = Math.max(...known) - (Math.max(...known) % 65536) + 65535;
    return n >= lo && n <= hi;
  }
  const b = parseIP(ip);
  if (!b) return false;
  return clusterIPs.some((k) => {
    const kb = parseIP(k);
    return !!kb && ipv4ToNumber(k) === undefined && kb.slice(0, 8).every((x, i) => x === b[i]);
  });
}

function inCIDR(ip: string, cidr: string): boolean {
  const c = parseCidr(cidr);
  return c !== undefined && cidrContainsIP(c, ip);
}

/** Every rule cloudflared would serve, against the cluster's Services (when the cluster is read). */
export function serviceFindings(ctx: DriftContext): void {
  const { input, add, clusterDomain, tunnels, live, served, configTunnel, podNamespace } = ctx;
  if (input.clusterConnected && input.services) {
    const services = input.services;
    const clusterIPs = services
      .flatMap((s) => [s.clusterIP, ...(s.clusterIPs ?? [])])
      .filter((ip): ip is string => !!ip && ip !== 'None');
    const check = (rule: RuleRef, ns: string | undefined): void =>
      checkServiceRule(rule, ns, services, clusterIPs, input.serviceCIDRs, clusterDomain, add);
    for (const t of tunnels) {
      if (!live(t) || t.configSrc !== 'cloudflare') continue;
      const ns = podNamespace(t, undefined);
      for (const r of served.get(t.id.toLowerCase()) ?? []) check(r, ns);
    }
    for (const cfg of input.workspaceConfigs) {
      const t = configTunnel.get(cfg);
      if (live(t) && t.configSrc === 'cloudflare') continue; // ignored by cloudflared: reported below
      const ns = podNamespace(t, cfg.tunnel);
      cfg.rules.forEach((r, i) => check(workspaceRuleRef(cfg, r, i, t), ns));
    }
  }
}

/** Local ingress rules of remotely-managed tunnels. */
export function localIngressFindings(ctx: DriftContext): void {
  const { input, add, live, configTunnel, tunnelLabel } = ctx;
  for (const cfg of input.workspaceConfigs) {
    const t = configTunnel.get(cfg);
    if (!live(t) || t.configSrc !== 'cloudflare' || cfg.rules.length === 0) continue;
    add({
      code: 'drift-local-ingress-ignored',
      severity: 'warning',
      message: `Tunnel ${tunnelLabel(t)} is managed remotely (config_src: cloudflare): cloudflared runs the ingress rules of its remote configuration and ignores the ${plural(cfg.rules.length, 'rule')} here.`,
      tunnelId: t.id,
      location: { path: cfg.path, range: cfg.ingressRange ?? cfg.rules[0]!.range },
      actions: [
        {
          kind: 'copy-rules-to-remote',
          title: `Copy these rules into the remote configuration of ${tunnelLabel(t)}`,
          data: { tunnelId: t.id, path: cfg.path },
        },
        openRemote(t),
      ],
    });
  }
}

function checkServiceRule(
  rule: RuleRef,
  podNamespace: string | undefined,
  services: DriftService[],
  clusterIPs: string[],
  cidrs: string[] | undefined,
  clusterDomain: string,
  add: AddFinding,
): void {
  const parsed = parseService(rule.service, false);
  if (!parsed.ok || parsed.service.kind !== 'url') return;
  const u = parsed.service.url;
  const host = urlHostname(u).toLowerCase();
  const explicitPort = urlPort(u);
  const port = explicitPort ? Number(explicitPort) : ORIGIN_DEFAULT_PORTS[u.scheme];
  const base = {
    ...(rule.tunnel ? { tunnelId: rule.tunnel.id } : {}),
    ...(rule.hostname && rule.hostname !== '*' ? { hostname: rule.hostname } : {}),
    ...(rule.serviceLocation ? { location: rule.serviceLocation } : {}),
  };
  const extra: DriftAction[] = rule.target.source === 'remote' && rule.tunnel ? [openRemote(rule.tunnel)] : [];
  const rewrite = (to: string, title: string, preferred: boolean): DriftAction => ({
    kind: 'rewrite-service',
    title,
    ...(preferred ? { preferred: true } : {}),
    data: { target: rule.target, from: rule.service, to },
  });
  const dns = (s: DriftService): string => serviceHost(s.name, s.namespace, { clusterDomain });

  if (parseIP(host)) {
    if (isLoopback(host) || isUnspecified(host)) return;
    const owners = services.filter((s) => s.clusterIP === host || s.clusterIPs?.includes(host));
    if (owners.length > 0) {
      const s = owners[0]!;
      const to = replaceUrlHost(rule.service, dns(s));
      add({
        code: 'drift-ip-is-cluster-ip',
        severity: 'information',
        message: `${host} is the ClusterIP of Service '${s.name}' in namespace '${s.namespace}'. A ClusterIP changes when the Service is re-created; its DNS name does not: ${to}.`,
        ...base,
        actions: [rewrite(to, `Use ${to}`, true), ...extra],
      });
      return;
    }
    if (!inServiceRange(host, clusterIPs, cidrs)) return;
    const candidates =
      port === undefined ? [] : services.filter((s) => s.ports.some((p) => p.port === port)).slice(0, 3);
    add({
      code: 'drift-ip-not-cluster-ip',
      severity: 'warning',
      message: `${host} is in the cluster's Service range but no Service has this ClusterIP any more (re-created Services get a new one): connections time out and cloudflared answers 502 Bad Gateway.${
        candidates.length > 0
          ? ` Services with port ${port}: ${candidates.map((s) => `${s.namespace}/${s.name}`).join(', ')}.`
          : ''
      }`,
      ...base,
      actions: [
        ...candidates.map((s) => {
          const to = replaceUrlHost(rule.service, dns(s));
          return rewrite(to, `Use Service '${s.name}' (${to})`, candidates.length === 1);
        }),
        removeRuleAction(rule),
        ...extra,
      ],
    });
    return;
  }

  const ref = parseServiceHost(host, { clusterDomain, defaultNamespace: podNamespace });
  if (!ref) return;
  const inNamespace = services.filter((s) => s.namespace === ref.namespace);
  // `name.ns` may just as well be an outside host (`example.com`): judge it only where Services exist.
  if (ref.form === 'ns' && inNamespace.length === 0) return;
  const svc = inNamespace.find((s) => s.name === ref.name);
  if (!svc) {
    const elsewhere = services.filter((s) => s.name === ref.name);
    const similar = inNamespace
      .map((s) => ({ s, d: editDistance(s.name, ref.name) }))
      .filter(
        (x) =>
          x.d <= Math.max(1, Math.floor(ref.name.length / 3)) ||
          (Math.min(x.s.name.length, ref.name.length) >= 3 &&
            (x.s.name.includes(ref.name) || ref.name.includes(x.s.name))),
      )
      .sort((a, b) => a.d - b.d)
      .map((x) => x.s);
    const candidates = [...elsewhere, ...similar].slice(0, 3);
    const also =
      elsewhere.length > 0
        ? ` A Service '${ref.name}' exists in namespace ${elsewhere.map((s) => `'${s.namespace}'`).join(', ')}.`
        : '';
    add({
      code: 'drift-service-missing',
      severity: 'warning',
      message: `No Service '${ref.name}' in namespace '${ref.namespace}' in the cluster: cloudflared cannot resolve ${host} (no such host) and answers 502 Bad Gateway.${also}`,
      ...base,
      actions: [
        ...candidates.map((s) => {
          const to = replaceUrlHost(rule.service, dns(s));
          return rewrite(
            to,
            `Use Service '${s.name}' in namespace '${s.namespace}'`,
            elsewhere.length === 1 ? s === elsewhere[0] : candidates.length === 1,
          );
        }),
        removeRuleAction(rule),
        ...extra,
      ],
    });
    return;
  }
  if (port === undefined || svc.clusterIP === 'None' || svc.ports.length === 0) return;
  if (svc.ports.some((p) => p.port === port)) return;
  const ports = svc.ports.map((p) => `${p.port}${p.name ? ` (${p.name})` : ''}`).join(', ');
  add({
    code: 'drift-port-missing',
    severity: 'warning',
    message: `Service '${svc.name}' in namespace '${svc.namespace}' has no port ${port}${explicitPort ? '' : ` (the default port of ${u.scheme})`}: its ports are ${ports}. Connections to ${host}:${port} fail and cloudflared answers 502 Bad Gateway.`,
    ...base,
    actions: [
      ...svc.ports
        .slice(0, 4)
        .map((p) =>
          rewrite(
            replaceUrlPort(rule.service, p.port),
            `Use port ${p.port}${p.name ? ` (${p.name})` : ''}`,
            svc.ports.length === 1,
          ),
        ),
      ...extra,
    ],
  });
}
