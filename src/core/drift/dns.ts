/**
 * DNS records against the rules: CNAMEs to deleted tunnels, to tunnels without a rule for the
 * name, not proxied; and rules whose hostname no record routes to their tunnel.
 */
import { tunnelIdOfRecord } from '../cloudflare/tunnelCname';
import { hostnameMatches } from '../cloudflare/tunnelsTree';
import { norm, removeRuleAction, openRemote, where } from './context';
import { reachesController } from './routes';
import type { DriftContext, RuleRef } from './context';
import type { DriftAction, DriftFinding, DriftTunnel } from './types';

export function dnsFindings(ctx: DriftContext): void {
  const { input, add, tunnels, byId, live, served, servingRules, tunnelLabel } = ctx;
  const records = input.dnsRecords.map((r) => ({ ...r, name: norm(r.name), tunnelId: tunnelIdOfRecord(r) }));
  const routing = records.filter((r) => ['A', 'AAAA', 'CNAME'].includes(r.type.toUpperCase()));
  const zones = input.zones ?? [
    ...new Map(records.filter((r) => r.zoneName).map((r) => [r.zoneId, { id: r.zoneId, name: r.zoneName! }])).values(),
  ];
  const zoneOf = (host: string): { id: string; name: string } | undefined => {
    const h = host.replace(/^\*\./, '');
    return zones
      .filter((z) => h === norm(z.name) || h.endsWith(`.${norm(z.name)}`))
      .sort((a, b) => b.name.length - a.name.length)[0];
  };
  /** The records DNS answers `host` with (exact name first, else the closest wildcard); for a wildcard rule, every record under it. */
  const recordsFor = (host: string): typeof routing => {
    if (host.startsWith('*.')) return routing.filter((r) => hostnameMatches(host, r.name));
    const exact = routing.filter((r) => r.name === host);
    if (exact.length > 0) return exact;
    const wild = routing
      .filter((r) => r.name.startsWith('*.') && hostnameMatches(r.name, host))
      .sort((a, b) => b.name.length - a.name.length);
    return wild.length > 0 ? wild.filter((r) => r.name === wild[0]!.name) : [];
  };

  if (tunnels.length > 0) {
    for (const rec of records) {
      if (!rec.tunnelId) continue;
      const u = byId.get(rec.tunnelId);
      const others = (exclude?: DriftTunnel): Array<{ t: DriftTunnel; rules: RuleRef[] }> =>
        tunnels
          .filter((t) => live(t) && t !== exclude)
          .map((t) => ({ t, rules: servingRules(t, rec.name) ?? [] }))
          .filter((x) => x.rules.length > 0);
      const repoint = (alts: Array<{ t: DriftTunnel }>): DriftAction[] =>
        alts.slice(0, 3).map(({ t }, i) => ({
          kind: 'create-dns-route',
          title: `Point ${rec.name} at tunnel ${tunnelLabel(t)}`,
          ...(i === 0 && alts.length === 1 ? { preferred: true } : {}),
          data: { tunnelId: t.id, hostname: rec.name, overwrite: true, zoneId: rec.zoneId },
        }));
      const del: DriftAction = {
        kind: 'delete-dns-record',
        title: `Delete the DNS record ${rec.name}`,
        data: { zoneId: rec.zoneId, recordId: rec.id, hostname: rec.name },
      };
      const hostLocation = (alts: Array<{ rules: RuleRef[] }>): DriftFinding['location'] =>
        alts.flatMap((a) => a.rules).find((r) => r.hostLocation)?.hostLocation;

      if (!u || u.deleted) {
        const alts = others();
        const what = u
          ? `tunnel ${tunnelLabel(u)} (${u.id}), which was deleted`
          : `tunnel ${rec.tunnelId}, which is not in this account (deleted, or another account's)`;
        const servedBy =
          alts.length > 0 ? ` Tunnel ${alts.map((a) => tunnelLabel(a.t)).join(', ')} has a rule for it.` : '';
        const location = hostLocation(alts);
        add({
          code: 'drift-cname-deleted-tunnel',
          severity: 'warning',
          message: `The DNS record ${rec.name} points at ${what}: visitors get Cloudflare error 1016 (Origin DNS error).${servedBy}`,
          hostname: rec.name,
          recordId: rec.id,
          ...(location ? { location } : {}),
          actions: [...repoint(alts), { ...del, ...(alts.length === 0 ? { preferred: true } : {}) }],
        });
        continue;
      }
      if (!rec.proxied) {
        const location = hostLocation([{ rules: servingRules(u, rec.name) ?? [] }]);
        add({
          code: 'drift-dns-not-proxied',
          severity: 'warning',
          message: `The DNS record ${rec.name} points at tunnel ${tunnelLabel(u)} but is not proxied (DNS only): ${rec.content} resolves to no address, so ${rec.name} is unreachable.`,
          tunnelId: u.id,
          hostname: rec.name,
          recordId: rec.id,
          ...(location ? { location } : {}),
          actions: [
            {
              kind: 'create-dns-route',
              title: `Proxy ${rec.name} (route it to ${tunnelLabel(u)} through Cloudflare)`,
              preferred: true,
              data: { tunnelId: u.id, hostname: rec.name, overwrite: true, zoneId: rec.zoneId },
            },
          ],
        });
      }
      const mine = servingRules(u, rec.name);
      if (mine === undefined || mine.length > 0) continue;
      const alts = others(u);
      if (alts.length > 0) {
        const location = hostLocation(alts);
        add({
          code: 'drift-cname-other-tunnel',
          severity: 'warning',
          message: `${rec.name} is routed to tunnel ${tunnelLabel(u)}, which has no rule for it, while tunnel ${alts.map((a) => tunnelLabel(a.t)).join(', ')} has one: requests get ${tunnelLabel(u)}'s catch-all.`,
          tunnelId: u.id,
          hostname: rec.name,
          recordId: rec.id,
          ...(location ? { location } : {}),
          actions: [...repoint(alts), del],
        });
        continue;
      }
      // The catch-all sends it to an ingress controller: the routes decide (src/core/drift/routes.ts).
      if (reachesController(ctx, u, rec.name)) continue;
      const catchAll = served.get(u.id.toLowerCase())?.find((r) => r.catchAll && r.ruleLocation);
      add({
        code: 'drift-cname-without-rule',
        severity: 'warning',
        message: `${rec.name} is routed to tunnel ${tunnelLabel(u)}, but no ingress rule of the tunnel serves it: every request gets the catch-all (usually 404).`,
        tunnelId: u.id,
        hostname: rec.name,
        recordId: rec.id,
        ...(catchAll?.ruleLocation ? { location: catchAll.ruleLocation } : {}),
        actions: [
          {
            kind: 'add-rule',
            title: `Expose a Service at ${rec.name} through ${tunnelLabel(u)}`,
            data: { tunnelId: u.id, hostname: rec.name },
          },
          del,
          ...(u.configSrc === 'cloudflare' ? [openRemote(u)] : []),
        ],
      });
    }

    // Rules whose hostname does not reach their tunnel.
    for (const t of tunnels) {
      if (!live(t)) continue;
      for (const rule of served.get(t.id.toLowerCase()) ?? []) {
        if (rule.catchAll || rule.hostname === '' || rule.hostname === '*') continue;
        const recs = recordsFor(rule.hostname);
        if (recs.some((r) => r.tunnelId === t.id.toLowerCase())) continue; // routed (not-proxied reported above)
        const zone = zoneOf(rule.hostname);
        const route = (overwrite: boolean, title: string): DriftAction => ({
          kind: 'create-dns-route',
          title,
          preferred: true,
          data: { tunnelId: t.id, hostname: rule.hostname, overwrite, ...(zone ? { zoneId: zone.id } : {}) },
        });
        const base = {
          code: 'drift-hostname-without-dns' as const,
          severity: 'warning' as const,
          tunnelId: t.id,
          hostname: rule.hostname,
          ...(rule.hostLocation ? { location: rule.hostLocation } : {}),
        };
        const elsewhere = recs.filter((r) => r.tunnelId);
        if (elsewhere.length > 0) {
          // Deleted targets and targets without a rule are reported with the record.
          const reached = elsewhere
            .map((r) => byId.get(r.tunnelId!))
            .filter((u): u is DriftTunnel => live(u) && (servingRules(u, rule.hostname)?.length ?? 1) > 0);
          if (reached.length === 0) continue;
          add({
            ...base,
            message: `${rule.hostname} is routed to tunnel ${tunnelLabel(reached[0]!)}, not to ${tunnelLabel(t)}: ${where(rule)} of ${tunnelLabel(t)} is never reached.`,
            actions: [route(true, `Route ${rule.hostname} to ${tunnelLabel(t)} instead`), removeRuleAction(rule)],
          });
          continue;
        }
        if (recs.length > 0) {
          const r = recs[0]!;
          add({
            ...base,
            message: `${rule.hostname} has a${r.type.toUpperCase() === 'A' ? 'n' : ''} ${r.type} record (${r.content}), not a CNAME to tunnel ${tunnelLabel(t)}: requests never reach the tunnel.`,
            actions: [route(true, `Replace it with a route to ${tunnelLabel(t)}`), removeRuleAction(rule)],
          });
          continue;
        }
        if (!zone && input.zones) {
          add({
            ...base,
            message: `${rule.hostname} has an ingress rule of tunnel ${tunnelLabel(t)} but is in no zone of this account: only a zone of the tunnel's account can route it to the tunnel.`,
            actions: [removeRuleAction(rule)],
          });
          continue;
        }
        add({
          ...base,
          message: `${rule.hostname} has an ingress rule of tunnel ${tunnelLabel(t)} but no DNS record routes it there: the hostname does not resolve to the tunnel.`,
          actions: [
            route(false, `Route ${rule.hostname} to ${tunnelLabel(t)} (proxied CNAME)`),
            removeRuleAction(rule),
          ],
        });
      }
    }
  }
}
