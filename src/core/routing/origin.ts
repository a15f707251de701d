/**
 * The origin settings of a tunnel rule that change what an ingress controller behind the origin
 * sees: the Host header (`httpHostHeader`), the TLS server name and verification. Its own module:
 * the trace, the Services tree's inputs and the Tunnels model all carry it.
 */
export interface OriginSettings {
  httpHostHeader?: string;
  originServerName?: string;
  noTLSVerify?: boolean;
  matchSNItoHost?: boolean;
}

/**
 * The origin settings of `originRequest` objects as JSON holds them (a remote configuration's),
 * later ones over earlier ones: the config's, then the rule's. Values of another type are left out
 * (cloudflared's API refuses them).
 */
export function originSettingsOf(...layers: unknown[]): OriginSettings {
  const out: OriginSettings = {};
  for (const layer of layers) {
    if (typeof layer !== 'object' || layer === null) continue;
    const o = layer as Record<string, unknown>;
    if (typeof o.httpHostHeader === 'string' && o.httpHostHeader !== '') out.httpHostHeader = o.httpHostHeader;
    if (typeof o.originServerName === 'string' && o.originServerName !== '') out.originServerName = o.originServerName;
    if (typeof o.noTLSVerify === 'boolean') out.noTLSVerify = o.noTLSVerify;
    if (typeof o.matchSNItoHost === 'boolean') out.matchSNItoHost = o.matchSNItoHost;
  }
  return out;
}
