/**
 * The cloudflared pods' NetworkPolicies against their ingress rules. A policy selects pods and is
 * enforced after the Service's address translation, so a rule to `http://web.apps:80` needs an
 * egress rule that allows the pods behind Service `web` (its selector, in namespace `apps`) on
 * the Service's targetPort — never its port or ClusterIP.
 *
 * Reported:
 * - `no-network-policy`: no policy restricts the pods' egress (fix: the "Add NetworkPolicy" command);
 * - `policy-blocks-rule`: a rule whose Service the policies that isolate the pods' egress do not
 *   allow (connections time out; cloudflared answers 502 Bad Gateway);
 * - `policy-blocks-dns`: egress isolated with no rule for port 53 at all (no name resolves);
 * - `policy-target-unused`: an egress peer naming pods in one namespace that no ingress rule of
 *   the config reaches and no Service carrying the public label (setting
 *   `cftunnel.networkPolicy.publicLabel`, default `cftunnel/public=true`) there selects.
 *
 * A rule to an ingress controller's Service (ingress-nginx, Traefik, recognised by the Service's
 * labels or name; or a Gateway's generated Service, by its Gateway labels) needs the controller's
 * pods, never the apps behind it: the controller connects to those itself (the "DMZ" policy the
 * NetworkPolicy generator writes). Its `policy-blocks-rule` says that allowing the apps does not
 * help, and a peer for the apps' pods is `policy-target-unused`, saying the apps are reached
 * through the controller.
 *
 * Nothing is reported when the workspace holds policies of another engine (CiliumNetworkPolicy,
 * Calico's NetworkPolicy/GlobalNetworkPolicy, Antrea, AdminNetworkPolicy): they restrict pods as
 * well, and NetworkPolicies alone do not tell what the pods may reach.
 *
 * Only what the workspace shows is judged, as Kubernetes would: namespace labels other than
 * `kubernetes.io/metadata.name` and pod labels outside a Service's selector are unknown, and an
 * unknown answer never produces a finding. Pod IPs are taken to be in the private ranges (what
 * every common CNI allocates), so an ipBlock that excepts them allows no pod.
 */
import { posix } from 'node:path';
import { isScalar } from 'yaml';
import type { Scalar } from 'yaml';
import { ORIGIN_DEFAULT_PORTS } from '../../config/service';
import { isIP } from '../../go/net';
import { parseServiceHost } from '../../kubernetes/serviceHost';
import { cidrContains, cidrsOverlap, parseCidr } from '../../net/cidr';
import { hasPublicLabel, parsePublicLabel } from '../../scaffold/networkPolicy';
import { controllerOfService, controllerText } from '../../scaffold/controllers';
import type { Cidr } from '../../net/cidr';
import { urlHostname, urlPort } from '../../go/url';
import type { LineMap } from '../../text';
import type { Range } from '../../types';
import type { Ctx } from '../context';
import type { LabelSelectorDef, PeerDef, PolicyPortDef } from '../fileSummary';
import { relative } from '../links';
import type { ConfigDoc, WorkloadContext } from '../links';
import type { PlacedPolicy, PlacedService } from '../store';
import { rangeInScalar, rangeOf } from './output';
import type { Output } from './output';

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** yes / no, or unknown when the workspace does not show enough to tell. */
type Tri = 'yes' | 'no' | 'unknown';

const or = (a: Tri, b: Tri): Tri =>
  a === 'yes' || b === 'yes' ? 'yes' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'no';
const and = (a: Tri, b: Tri): Tri =>
  a === 'no' || b === 'no' ? 'no' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'yes';

/** A destination: pods (known by some of their labels) in a namespace, on one port. */
interface Destination {
  namespace: string;
  /** Labels the pods are known to carry; `complete`: they carry no others. */
  labels: Record<string, string>;
  complete: boolean;
  port: number | string;
  protocol: string;
}

export function checkPolicies(ctx: Ctx, w: WorkloadContext, cfg: ConfigDoc | undefined, out: Output): void {
  // Cilium, Calico, Antrea or admin policies restrict pods too, in ways NetworkPolicies do not show:
  // judged from NetworkPolicies alone, every verdict could be wrong, so none is given.
  if (ctx.podPolicies().length > 0) return;
  const own: Destination = {
    namespace: w.namespace,
    labels: w.workload.podLabels,
    complete: true,
    port: 0,
    protocol: 'TCP',
  };
  const policies = ctx
    .policies(w.namespace)
    .filter((p) => p.def.egressIsolated && selector(p.def.podSelector, own.labels, true) === 'yes');
  if (policies.length === 0) {
    // The folder "Add NetworkPolicy for cloudflared" writes into: the kustomization's, else the manifest's.
    const folder = w.placement.chain[0]?.dir ?? posix.dirname(w.file.path);
    out.add(w.file.path, {
      code: 'no-network-policy',
      severity: 'information',
      message: `No NetworkPolicy in namespace '${w.namespace}' restricts the egress of the cloudflared pods of ${w.workload.kind} '${w.workload.name}': they can reach every pod of the cluster, so a hostname routed by mistake (or a compromised connector) reaches it too. Allow only cluster DNS, the Services the ingress rules name and the Cloudflare edge.`,
      range: rangeOf(w.file.lines, w.workload.anchor),
      fixes: [
        {
          title: 'Add NetworkPolicy for cloudflared…',
          edits: [],
          command: {
            kind: 'add-network-policy',
            arguments: [folder, w.namespace, JSON.stringify(w.workload.podLabels)],
          },
        },
      ],
    });
    return;
  }
  for (const p of policies) ctx.file(p.file); // diagnostics land there: follow its positions

  const names = policies.map((p) => `'${p.name}'`).join(', ');
  const what = `NetworkPolic${policies.length > 1 ? 'ies' : 'y'} ${names}`;
  if (
    !policies.some((p) =>
      p.def.egress.some(
        (r) =>
          !r.ports ||
          r.ports.some((x) => x.port === undefined || x.port === 53 || x.port === 'dns' || x.port === 'dns-tcp'),
      ),
    )
  ) {
    for (const p of policies) {
      out.add(p.file, {
        code: 'policy-blocks-dns',
        severity: 'warning',
        message: `NetworkPolicy '${p.name}' isolates the egress of the cloudflared pods of ${w.workload.kind} '${w.workload.name}' and allows no DNS (port 53): cloudflared can resolve neither Service names nor the Cloudflare edge, and never connects. Allow UDP and TCP 53 to the kube-dns pods in kube-system.`,
        range: rangeOf(ctx.file(p.file)!.lines, p.def.anchor),
      });
    }
  }
  if (!cfg) return;

  /** Peers some rule (or a public Service) reaches; `null` entries: a rule whose pods are unknown. */
  const reached = new Set<PeerDef>();
  const unknownNamespaces = new Set<string>();
  /** The ingress controllers (or Gateways' Services) the rules go to, as the messages name them. */
  const controllers: string[] = [];
  for (const rule of cfg.model.rules) {
    if (rule.parsed?.kind !== 'url') continue;
    const u = rule.parsed.url;
    const host = urlHostname(u);
    if (isIP(host)) continue;
    const ref = parseServiceHost(host, { clusterDomain: ctx.settings().clusterDomain, defaultNamespace: w.namespace });
    if (!ref) continue;
    const svc = ctx.services(ref.namespace).find((s) => s.name === ref.name);
    if (!svc) {
      unknownNamespaces.add(ref.namespace);
      continue;
    }
    const explicit = urlPort(u);
    const port = explicit ? Number(explicit) : ORIGIN_DEFAULT_PORTS[u.scheme];
    const controller = controllerOfService({
      name: svc.name,
      namespace: svc.namespace,
      labels: svc.def.labels,
      ...(svc.def.selector ? { selector: svc.def.selector } : {}),
      ...(svc.def.type ? { type: svc.def.type } : {}),
      ports: svc.def.ports,
    });
    const throughController = controller ? controllerText(svc, controller) : undefined;
    if (throughController !== undefined && !controllers.includes(throughController))
      controllers.push(throughController);
    const sp = svc.def.ports.find((x) => x.port === port);
    if (!svc.def.selector || Object.keys(svc.def.selector).length === 0 || svc.def.type === 'ExternalName' || !sp) {
      unknownNamespaces.add(ref.namespace);
      continue;
    }
    const dest: Destination = {
      namespace: svc.namespace,
      labels: svc.def.selector,
      complete: false,
      port: sp.targetPort ?? sp.port,
      protocol: sp.protocol,
    };
    let verdict: Tri = 'no';
    for (const p of policies) {
      for (const r of p.def.egress) {
        const ports = !r.ports ? 'yes' : r.ports.map((x) => portAllows(x, dest)).reduce(or, 'no');
        if (!r.to) {
          verdict = or(verdict, ports);
          continue;
        }
        for (const peer of r.to) {
          // A peer the rule's pods match is in use, even when its ports are wrong.
          const hit = peerAllows(peer, p.namespace, dest);
          if (hit !== 'no') reached.add(peer);
          verdict = or(verdict, and(ports, hit));
        }
      }
    }
    if (verdict !== 'no') continue;
    const written = rule.struct?.fields.get('service')?.entry.written;
    if (!written || !isScalar(written)) continue;
    const at = rangeInScalar(cfg.model.lines, written as Scalar, rule.service);
    const target = `${typeof dest.port === 'number' ? dest.port : `'${dest.port}'`}/${dest.protocol}`;
    const viaController =
      throughController === undefined
        ? ''
        : ` Service '${svc.name}' is ${throughController}: cloudflared connects to the controller's pods, and the controller, not cloudflared, connects to the apps behind it, so allowing the apps' pods does not help.`;
    out.add(cfg.path, {
      code: 'policy-blocks-rule',
      severity: 'warning',
      message: `${what} (${policies.map((p) => relative(cfg.path, p.file)).join(', ')}) isolate${policies.length > 1 ? '' : 's'} the egress of the cloudflared pods and allow${policies.length > 1 ? '' : 's'} nothing to the pods of Service '${svc.name}' in namespace '${svc.namespace}' (${labelText(dest.labels)}) on port ${target}${sp.targetPort !== undefined && sp.targetPort !== sp.port ? ` (the Service's port ${sp.port} forwards there)` : ''}: connections time out and cloudflared answers 502 Bad Gateway.${viaController} Allow it in the policy (run "Add NetworkPolicy for cloudflared" again), or remove the rule.`,
      range: cfg.map(at.range),
    });
  }

  const publicLabel = ctx.settings().publicLabel;
  for (const svc of publicServices(ctx, policies, publicLabel)) {
    for (const p of policies)
      for (const r of p.def.egress)
        for (const peer of r.to ?? [])
          if (
            peerAllows(peer, p.namespace, {
              namespace: svc.namespace,
              labels: svc.def.selector ?? {},
              complete: false,
              port: 0,
              protocol: 'TCP',
            }) !== 'no'
          )
            reached.add(peer);
  }

  for (const p of policies) {
    const lines = ctx.file(p.file)?.lines;
    if (!lines) continue;
    for (const r of p.def.egress) {
      if (r.ports?.every((x) => x.port === 53)) continue; // DNS
      for (const peer of r.to ?? []) {
        if (reached.has(peer) || peer.ipBlock || !peer.podSelector) continue;
        const ns = peerNamespace(peer, p.namespace);
        if (ns === undefined || unknownNamespaces.has(ns)) continue;
        const podLabels = labelText(peer.podSelector.matchLabels);
        if (peer.podSelector.matchLabels['k8s-app'] === 'kube-dns') continue;
        out.add(p.file, {
          code: 'policy-target-unused',
          severity: 'information',
          message: `NetworkPolicy '${p.name}' lets the cloudflared pods of ${w.workload.kind} '${w.workload.name}' reach pods ${podLabels ? `with ${podLabels} ` : ''}in namespace '${ns}', but no ingress rule of ${relative(p.file, cfg.path)} goes to a Service there that selects them, and the workspace labels no Service there ${publicLabel}.${controllers.length > 0 ? ` The rules go to ${controllers.join(' and ')}, which reaches the apps behind it itself: cloudflared needs only the controller's pods.` : ''} Remove the peer, or label the Service if it is meant to be reachable without a rule.`,
          range: firstLine(rangeOf(lines, peer.node), lines),
        });
      }
    }
  }
}

/** Services in the namespaces the policies' peers name that carry the public label. */
function publicServices(ctx: Ctx, policies: PlacedPolicy[], publicLabel: string): PlacedService[] {
  const label = parsePublicLabel(publicLabel);
  if (!label) return [];
  const namespaces = new Set<string>();
  for (const p of policies)
    for (const r of p.def.egress)
      for (const peer of r.to ?? []) {
        const ns = peerNamespace(peer, p.namespace);
        if (ns) namespaces.add(ns);
      }
  return [...namespaces].flatMap((ns) => ctx.services(ns).filter((s) => hasPublicLabel(s.def.labels, label)));
}

/** The one namespace a pod peer names, if it says. */
function peerNamespace(peer: PeerDef, policyNamespace: string): string | undefined {
  if (!peer.namespaceSelector) return policyNamespace;
  const s = peer.namespaceSelector;
  return s.matchExpressions.length === 0 ? s.matchLabels[NAMESPACE_NAME_LABEL] : undefined;
}

function peerAllows(peer: PeerDef, policyNamespace: string, dest: Destination): Tri {
  if (peer.ipBlock) return ipBlockHoldsPods(peer.ipBlock.cidr, peer.ipBlock.except);
  const ns: Tri = peer.namespaceSelector
    ? selector(peer.namespaceSelector, { [NAMESPACE_NAME_LABEL]: dest.namespace }, false)
    : policyNamespace === dest.namespace
      ? 'yes'
      : 'no';
  const pods: Tri = peer.podSelector ? selector(peer.podSelector, dest.labels, dest.complete) : 'yes';
  return and(ns, pods);
}

function portAllows(p: PolicyPortDef, dest: Destination): Tri {
  if (p.protocol !== dest.protocol) return 'no';
  if (p.port === undefined) return 'yes';
  if (typeof p.port === 'number' && typeof dest.port === 'number') {
    return dest.port === p.port || (p.endPort !== undefined && dest.port >= p.port && dest.port <= p.endPort)
      ? 'yes'
      : 'no';
  }
  // A name on either side: resolved per destination pod, which the workspace may not show.
  return p.port === dest.port ? 'yes' : 'unknown';
}

/** A label selector against labels; `complete`: the object carries no other labels. */
function selector(s: LabelSelectorDef, labels: Record<string, string>, complete: boolean): Tri {
  let result: Tri = 'yes';
  const value = (key: string): string | undefined | null => (key in labels ? labels[key] : complete ? undefined : null);
  for (const [k, v] of Object.entries(s.matchLabels)) {
    const x = value(k);
    result = and(result, x === null ? 'unknown' : x === v ? 'yes' : 'no');
  }
  for (const e of s.matchExpressions) {
    const x = value(e.key);
    if (x === null) {
      result = and(result, 'unknown');
      continue;
    }
    const has = x !== undefined;
    const inValues = has && e.values.includes(x);
    const ok =
      e.operator === 'In'
        ? inValues
        : e.operator === 'NotIn'
          ? !inValues
          : e.operator === 'Exists'
            ? has
            : e.operator === 'DoesNotExist'
              ? !has
              : false;
    result = and(result, ok ? 'yes' : 'no');
  }
  return result;
}

/** A multi-line node's range cut to its first line. */
function firstLine(r: Range, lines: LineMap): Range {
  if (r.end.line === r.start.line) return r;
  const text = lines.text;
  const start = lines.offset(r.start);
  const eol = text.indexOf('\n', start);
  return { start: r.start, end: lines.position(eol < 0 ? text.length : eol) };
}

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

// ── ipBlocks and pod addresses

/** The ranges pod IPs come from (RFC 1918 and the shared range some CNIs use). */
const POD_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map((c) => parseCidr(c)!);

/** Whether an ipBlock can hold pod IPs: yes for everything, no when it leaves out every pod range. */
function ipBlockHoldsPods(cidr: string, except: string[]): Tri {
  const block = parseCidr(cidr);
  if (!block || block.bits !== 32)
    return cidr.includes(':') && except.some((e) => e.trim().toLowerCase() === 'fc00::/7') ? 'no' : 'unknown';
  const excepts = except.map(parseCidr).filter((c): c is Cidr => c !== undefined && c.bits === 32);
  if (block.prefixLength === 0 && except.length === 0) return 'yes';
  for (const range of POD_RANGES) {
    if (!cidrsOverlap(block, range)) continue;
    // CIDRs nest or are disjoint: the overlap is the smaller of the two.
    const inner = block.prefixLength >= range.prefixLength ? block : range;
    if (!excepts.some((e) => cidrContains(e, inner))) return 'unknown';
  }
  return 'no';
}
