/** The decoded shape of a cloudflared config, with the nodes each value came from. */
import type { Document } from 'yaml';
import type { Service } from './service';
import type { StructValue } from './decode';
import type { LineMap } from '../text';
import type { KeyValue, YNode } from '../yaml/load';

export interface IngressRule {
  /** 0-based position in `ingress` (cloudflared prints rule numbers 1-based in errors). */
  index: number;
  node: YNode | null;
  struct: StructValue | null;
  hostname: string;
  path: string;
  service: string;
  /** Set when the service parsed; undefined when cloudflared refuses it. */
  parsed?: Service;
  catchAll: boolean;
  /** IDNA Lookup spelling when it differs from `hostname` (cloudflared's punycodeHostname). */
  punycode?: string;
  /** The compiled path regexp, when `path` is set and valid. */
  pathMatcher?: { test(path: string): boolean };
}

export interface ConfigModel {
  doc: Document.Parsed;
  lines: LineMap;
  /** Top-level entries in file order. */
  entries: KeyValue[];
  tunnel?: string;
  ingressEntry?: KeyValue;
  rules: IngressRule[];
  originRequest: StructValue | null;
  warpRouting: StructValue | null;
}
