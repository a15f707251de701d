/**
 * What the local Kubernetes API server checks before it stores an object, in kube-apiserver
 * v1.32's words (k8s.io/apimachinery/pkg/util/validation, pkg/apis/core/validation,
 * pkg/registry/apps/deployment/strategy.go, pkg/registry/core/service/{storage,ipallocator}):
 *
 * - object names: DNS-1035 labels for Services, RFC 1123 labels for Namespaces, RFC 1123
 *   subdomains for the other kinds (`a lowercase RFC 1123 subdomain must consist of …`);
 * - port numbers (Service `port` and integer `targetPort`, `containerPort`): `must be between 1 and
 *   65535, inclusive`;
 * - immutable fields: a Deployment's `spec.selector` (apps/v1: `field is immutable`, the value
 *   printed with Go's %#v), a Service's cluster IPs (`may not change once set`);
 * - Service cluster IPs: allocated from the service range (10.96.0.0/12, kubeadm's default), a
 *   requested one outside it or in use refused as the allocator words it;
 * - `[]byte` fields (Secret `data`, ConfigMap `binaryData`): decoded as Go's encoding/json does,
 *   with base64.StdEncoding (which skips `\r` and `\n`, so kustomize's wrapped base64 is read), and
 *   written back in canonical form; invalid base64 is the decoder's `illegal base64 data at input
 *   byte N`.
 *
 * Errors are `field.Error`s; `invalid()` makes the 422 Invalid Status of
 * `errors.NewInvalid(qualifiedKind, name, errs)`.
 */

import { isDeepStrictEqual } from 'node:util';
import { ipv4ToNumber, numberToIpv4 } from '../../../src/core/net/cidr';

// ── field.Error ──────────────────────────────────────────────────────────────────────────────

export type CauseType =
  'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueForbidden' | 'FieldValueNotSupported' | 'FieldValueDuplicate';

export interface FieldError {
  type: CauseType;
  field: string;
  /** The bad value as Go prints it in the message (already formatted), or undefined when not shown. */
  value?: string;
  detail: string;
}

const TYPE_TEXT: Record<CauseType, string> = {
  FieldValueInvalid: 'Invalid value',
  FieldValueRequired: 'Required value',
  FieldValueForbidden: 'Forbidden',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
};

/** `field.Error.ErrorBody()`: "Invalid value: 70000: must be between 1 and 65535, inclusive". */
export function errorBody(e: FieldError): string {
  let s = TYPE_TEXT[e.type];
  if (e.value !== undefined && e.type !== 'FieldValueRequired' && e.type !== 'FieldValueForbidden') s += `: ${e.value}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** Go's %q of a string (enough for names, IPs and the like: JSON escapes match for ASCII). */
export const goQuote = (s: string): string => JSON.stringify(s);

export const invalidValue = (field: string, value: string, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  value,
  detail,
});
export const required = (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, detail });

/** The Status of `errors.NewInvalid`: message, details (name, group, kind, causes). */
export function invalidStatus(
  kind: string,
  group: string,
  name: string,
  errs: FieldError[],
): { message: string; details: Record<string, unknown> } {
  const qualified = group ? `${kind}.${group}` : kind;
  // ToAggregate drops repeated messages; one error is printed alone, several as [a, b].
  const seen = new Set<string>();
  const texts: string[] = [];
  for (const e of errs) {
    const t = `${e.field}: ${errorBody(e)}`;
    if (!seen.has(t)) {
      seen.add(t);
      texts.push(t);
    }
  }
  const agg = texts.length === 1 ? texts[0]! : `[${texts.join(', ')}]`;
  const details: Record<string, unknown> = { name };
  if (group) details.group = group;
  details.kind = kind;
  details.causes = errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
  return { message: `${qualified} ${goQuote(name)} is invalid: ${agg}`, details };
}

// ── Names (apimachinery/pkg/util/validation) ─────────────────────────────────────────────────

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';

/** `RegexError(msg, fmt, examples...)`. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

const maxLen = (n: number): string => `must be no more than ${n} characters`;
const full = (re: string): RegExp => new RegExp(`^${re}$`);

export function isDNS1123Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLen(63));
  if (!full(DNS1123_LABEL).test(v)) {
    if (full(DNS1123_SUBDOMAIN).test(v)) errs.push('must not contain dots');
    else
      errs.push(
        regexError(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
          DNS1123_LABEL,
          'my-name',
          '123-abc',
        ),
      );
  }
  return errs;
}

export function isDNS1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push(maxLen(253));
  if (!full(DNS1123_SUBDOMAIN).test(v))
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN,
        'example.com',
      ),
    );
  return errs;
}

export function isDNS1035Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLen(63));
  if (!full(DNS1035_LABEL).test(v))
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_LABEL,
        'my-name',
        'abc-123',
      ),
    );
  return errs;
}

const WILDCARD_DNS1123_SUBDOMAIN = `\\*\\.${DNS1123_SUBDOMAIN}`;

/** `IsWildcardDNS1123Subdomain`. */
export function isWildcardDNS1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push(maxLen(253));
  if (!full(WILDCARD_DNS1123_SUBDOMAIN).test(v))
    errs.push(
      regexError(
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
        WILDCARD_DNS1123_SUBDOMAIN,
        '*.example.com',
      ),
    );
  return errs;
}

/** `IsValidPortName` (an IANA_SVC_NAME). */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** `IsValidPortNum`. */
export const isValidPortNum = (port: number): string[] =>
  port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];

// ── Go's %#v of the values the messages print ────────────────────────────────────────────────

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** %#v of a map[string]string (keys sorted, as fmt prints maps). */
function goStringMap(m: unknown): string {
  if (!isObj(m)) return 'map[string]string(nil)';
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${goQuote(k)}:${goQuote(String(m[k]))}`).join(', ')}}`;
}

/** %#v of a []string. */
export function goStringSlice(v: unknown): string {
  if (!Array.isArray(v)) return '[]string(nil)';
  return `[]string{${v.map((x) => goQuote(String(x))).join(', ')}}`;
}

/** %#v of a metav1.LabelSelector, as the immutable-selector message prints it. */
export function goLabelSelector(sel: unknown): string {
  if (sel === null || sel === undefined) return 'null';
  const s = isObj(sel) ? sel : {};
  const exprs = Array.isArray(s.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${s.matchExpressions
        .map((e: unknown) => {
          const r = isObj(e) ? e : {};
          return `v1.LabelSelectorRequirement{Key:${goQuote(String(r.key ?? ''))}, Operator:${goQuote(String(r.operator ?? ''))}, Values:${goStringSlice(r.values)}}`;
        })
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(s.matchLabels)}, MatchExpressions:${exprs}}`;
}

// ── base64 as Go's encoding/json reads []byte ────────────────────────────────────────────────

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Map([...ALPHABET].map((c, i) => [c.charCodeAt(0), i]));

/** `base64.CorruptInputError`. */
export class Base64Error extends Error {
  constructor(readonly offset: number) {
    super(`illegal base64 data at input byte ${offset}`);
  }
}

/**
 * `base64.StdEncoding.Decode` (a port of Go's decodeQuantum): padding required, `\r` and `\n`
 * skipped anywhere, anything else outside the alphabet an error at its byte offset.
 */
export function goBase64Decode(text: string): Buffer {
  const src = Buffer.from(text, 'utf8');
  const out: number[] = [];
  let si = 0;
  while (si < src.length) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let trailing: number | undefined;
    let j = 0;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Buffer.from(out);
        throw new Base64Error(si - j);
      }
      const c = src[si]!;
      si++;
      const d = DECODE.get(c);
      if (d !== undefined) {
        dbuf[j] = d;
        continue;
      }
      if (c === 0x0a || c === 0x0d) {
        j--;
        continue;
      }
      if (c !== 0x3d) throw new Base64Error(si - 1);
      // Padding: the end of the input.
      if (j === 0 || j === 1) throw new Base64Error(si - 1);
      if (j === 2) {
        while (si < src.length && (src[si] === 0x0a || src[si] === 0x0d)) si++;
        if (si === src.length) throw new Base64Error(src.length);
        if (src[si] !== 0x3d) throw new Base64Error(si - 1);
        si++;
      }
      while (si < src.length && (src[si] === 0x0a || src[si] === 0x0d)) si++;
      if (si < src.length) trailing = si;
      dlen = j;
      break;
    }
    const val = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!;
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    out.push(...bytes.slice(0, dlen - 1));
    if (trailing !== undefined) throw new Base64Error(trailing);
  }
  return Buffer.from(out);
}

/**
 * Decodes every value of a `map[string][]byte` field in place and writes it back canonical
 * (unwrapped, padded), as decoding into the Go type and encoding it again does. Throws the first
 * Base64Error (encoding/json keeps the first error).
 */
export function canonicalBytesMap(m: unknown): void {
  if (!isObj(m)) return;
  let first: Base64Error | undefined;
  for (const [k, v] of Object.entries(m)) {
    if (v === null) {
      m[k] = '';
      continue;
    }
    if (typeof v !== 'string') continue;
    try {
      m[k] = goBase64Decode(v).toString('base64');
    } catch (err) {
      if (err instanceof Base64Error) first ??= err;
      else throw err;
    }
  }
  if (first) throw first;
}

// ── Service IPs ──────────────────────────────────────────────────────────────────────────────

/** The service range (kube-apiserver --service-cluster-ip-range, kubeadm's default). */
export const SERVICE_CIDR = '10.96.0.0/12';
const CIDR_BASE = ipv4ToNumber('10.96.0.0')!;
const CIDR_SIZE = 1 << 20;

/** Whether `ip` is an allocatable address of the range (not its network or broadcast address). */
export function inServiceRange(ip: string): boolean {
  const n = ipv4ToNumber(ip);
  return n !== undefined && n > CIDR_BASE && n < CIDR_BASE + CIDR_SIZE - 1;
}

/**
 * A free address for a new Service. The real allocator picks at random from the upper part of
 * the range (ServiceIPStaticSubrange keeps the lower part for static addresses); this one picks
 * from there too, deterministically from the Service's namespace/name, then the next free one.
 */
export function allocateServiceIP(key: string, used: ReadonlySet<string>): string {
  let h = 2166136261;
  for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  // The static band is min(max(16, size/16), 256) addresses; dynamic allocation starts after it.
  const band = 256;
  const span = CIDR_SIZE - band - 2;
  for (let i = 0; i < span; i++) {
    const ip = numberToIpv4(CIDR_BASE + 1 + band + ((h + i) % span));
    if (!used.has(ip)) return ip;
  }
  throw new Error('range is full');
}

/** The NodePort range (--service-node-port-range default). */
export function allocateNodePort(key: string, used: ReadonlySet<number>): number {
  let h = 2166136261;
  for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const size = 32767 - 30000 + 1;
  for (let i = 0; i < size; i++) {
    const p = 30000 + ((h + i) % size);
    if (!used.has(p)) return p;
  }
  throw new Error('range is full');
}

// ── Objects ──────────────────────────────────────────────────────────────────────────────────

const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const specOf = (o: Obj): Obj => (isObj(o.spec) ? o.spec : {});

/** The name rule of each kind (ValidateServiceName = NameIsDNS1035Label, ValidateNamespaceName = NameIsDNSLabel, …). */
function nameErrors(resource: string, name: string): string[] {
  if (resource === 'services') return isDNS1035Label(name);
  if (resource === 'namespaces') return isDNS1123Label(name);
  return isDNS1123Subdomain(name);
}

function containerPortErrors(podSpec: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const spec = isObj(podSpec) ? podSpec : {};
  for (const field of ['initContainers', 'containers']) {
    list(spec[field]).forEach((c, i) => {
      list(c.ports).forEach((p, j) => {
        const f = `${path}.${field}[${i}].ports[${j}].containerPort`;
        const n = typeof p.containerPort === 'number' ? p.containerPort : 0;
        if (n === 0) errs.push(required(f));
        else for (const msg of isValidPortNum(n)) errs.push(invalidValue(f, String(n), msg));
      });
    });
  }
  return errs;
}

// ── Ingress and IngressClass (pkg/apis/networking/validation) ───────────────────────────────

/** net.ParseIP: an IPv4 dotted quad or an IPv6 address. */
function isIP(v: string): boolean {
  if (/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(v)) return v.split('.').every((o) => Number(o) <= 255);
  return v.includes(':') && /^[0-9a-fA-F:.]+$/.test(v);
}

const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** validateIngressBackend (v1 shape: `service` or `resource`). */
function ingressBackendErrors(b: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const hasResource = isObj(b.resource);
  const hasService = isObj(b.service);
  if (hasResource && hasService) return [invalidValue(path, '""', 'cannot set both resource and service backends')];
  if (hasResource) return typedLocalObjectReferenceErrors(b.resource as Obj, `${path}.resource`);
  if (!hasService) return [invalidValue(path, '""', 'resource or service backend is required')];
  const svc = b.service as Obj;
  const name = str(svc.name);
  if (!name) errs.push(required(`${path}.service.name`));
  else for (const msg of isDNS1035Label(name)) errs.push(invalidValue(`${path}.service.name`, goQuote(name), msg));
  const port = isObj(svc.port) ? svc.port : {};
  const portName = str(port.name);
  const portNumber = typeof port.number === 'number' ? port.number : 0;
  if (portName && portNumber) errs.push(invalidValue(path, '""', 'cannot set both port name & port number'));
  else if (portName)
    for (const msg of isValidPortName(portName))
      errs.push(invalidValue(`${path}.service.port.name`, goQuote(portName), msg));
  else if (portNumber)
    for (const msg of isValidPortNum(portNumber))
      errs.push(invalidValue(`${path}.service.port.number`, String(portNumber), msg));
  else errs.push(required(path, 'port name or number is required'));
  return errs;
}

/** validateIngressTypedLocalObjectReference (the name and kind: path segment names). */
function typedLocalObjectReferenceErrors(ref: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof ref.apiGroup === 'string')
    for (const msg of isDNS1123Subdomain(ref.apiGroup))
      errs.push(invalidValue(`${path}.apiGroup`, goQuote(ref.apiGroup), msg));
  for (const key of ['kind', 'name']) {
    const v = str(ref[key]);
    if (!v) errs.push(required(`${path}.${key}`, `${key} is required`));
    else if (v === '.' || v === '..') errs.push(invalidValue(`${path}.${key}`, goQuote(v), `may not be '${v}'`));
    else if (/[/%]/.test(v))
      errs.push(invalidValue(`${path}.${key}`, goQuote(v), `may not contain '${v.includes('/') ? '/' : '%'}'`));
  }
  return errs;
}

function ingressPathErrors(p: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.pathType === undefined || p.pathType === null)
    return [required(`${path}.pathType`, 'pathType must be specified')];
  const value = str(p.path);
  const pathType = str(p.pathType);
  if (pathType === 'Exact' || pathType === 'Prefix') {
    if (!value.startsWith('/')) errs.push(invalidValue(`${path}.path`, goQuote(value), 'must be an absolute path'));
    if (value) {
      for (const seq of INVALID_PATH_SEQUENCES)
        if (value.includes(seq)) errs.push(invalidValue(`${path}.path`, goQuote(value), `must not contain '${seq}'`));
      for (const suffix of INVALID_PATH_SUFFIXES)
        if (value.endsWith(suffix))
          errs.push(invalidValue(`${path}.path`, goQuote(value), `cannot end with '${suffix}'`));
    }
  } else if (pathType === 'ImplementationSpecific') {
    if (value && !value.startsWith('/'))
      errs.push(invalidValue(`${path}.path`, goQuote(value), 'must be an absolute path'));
  } else {
    errs.push({
      type: 'FieldValueNotSupported',
      field: `${path}.pathType`,
      value: goQuote(pathType),
      detail: 'supported values: "Exact", "ImplementationSpecific", "Prefix"',
    });
  }
  errs.push(...ingressBackendErrors(isObj(p.backend) ? p.backend : {}, `${path}.backend`));
  return errs;
}

/** ValidateIngressSpec. */
function ingressSpecErrors(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const rules = list(spec.rules);
  if (rules.length === 0 && !isObj(spec.defaultBackend))
    errs.push(
      invalidValue('spec', '[]networking.IngressRule(nil)', 'either `defaultBackend` or `rules` must be specified'),
    );
  if (isObj(spec.defaultBackend)) errs.push(...ingressBackendErrors(spec.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((rule, i) => {
    const host = str(rule.host);
    const path = `spec.rules[${i}]`;
    if (host) {
      if (isIP(host)) errs.push(invalidValue(`${path}.host`, goQuote(host), 'must be a DNS name, not an IP address'));
      const check = host.includes('*') ? isWildcardDNS1123Subdomain : isDNS1123Subdomain;
      for (const msg of check(host)) errs.push(invalidValue(`${path}.host`, goQuote(host), msg));
    }
    if (isObj(rule.http)) {
      const paths = list(rule.http.paths);
      if (paths.length === 0) errs.push(required(`${path}.http.paths`));
      paths.forEach((p, j) => errs.push(...ingressPathErrors(p, `${path}.http.paths[${j}]`)));
    }
  });
  list(spec.tls).forEach((tls) => {
    (Array.isArray(tls.hosts) ? tls.hosts : []).forEach((h: unknown, i: number) => {
      const host = str(h);
      const check = host.includes('*') ? isWildcardDNS1123Subdomain : isDNS1123Subdomain;
      // The API server names these `spec.tls[i].hosts` with the host's index (as it does).
      for (const msg of check(host)) errs.push(invalidValue(`spec.tls[${i}].hosts`, goQuote(host), msg));
    });
  });
  if (typeof spec.ingressClassName === 'string')
    for (const msg of isDNS1123Subdomain(spec.ingressClassName))
      errs.push(invalidValue('spec.ingressClassName', goQuote(spec.ingressClassName), msg));
  return errs;
}

export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
export const DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

/** ValidateIngressCreate's own check: the legacy class annotation together with `spec.ingressClassName`. */
export function validateIngressCreate(obj: Obj): FieldError[] {
  const meta = isObj(obj.metadata) ? obj.metadata : {};
  const annotations = isObj(meta.annotations) ? meta.annotations : {};
  if (INGRESS_CLASS_ANNOTATION in annotations && typeof specOf(obj).ingressClassName === 'string')
    return [
      invalidValue(
        `annotations.${INGRESS_CLASS_ANNOTATION}`,
        goQuote(str(annotations[INGRESS_CLASS_ANNOTATION])),
        'can not be set when the class field is also set',
      ),
    ];
  return [];
}

/** validateIngressClassSpec: `controller` a domain-prefixed path, at most 250 characters; parameters. */
function ingressClassSpecErrors(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const controller = str(spec.controller);
  const f = 'spec.controller';
  if (controller.length > 250)
    errs.push({ type: 'FieldValueInvalid', field: f, detail: 'must have at most 250 bytes', value: undefined });
  if (!controller) errs.push(required(f));
  else {
    const slash = controller.indexOf('/');
    const host = slash < 0 ? '' : controller.slice(0, slash);
    const rest = slash < 0 ? '' : controller.slice(slash + 1);
    if (!host || !rest)
      errs.push(invalidValue(f, goQuote(controller), 'must be a domain-prefixed path (such as "acme.io/foo")'));
    else {
      for (const msg of isDNS1123Subdomain(host)) errs.push(invalidValue(f, goQuote(host), msg));
      if (!/^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(rest))
        errs.push(invalidValue(f, goQuote(rest), regexError('Invalid path', "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+")));
    }
  }
  if (isObj(spec.parameters)) {
    const p = spec.parameters;
    errs.push(...typedLocalObjectReferenceErrors(p, 'spec.parameters'));
    const scope = str(p.scope);
    if (scope === 'Namespace' && !str(p.namespace))
      errs.push(required('spec.parameters.namespace', '`parameters.scope` is set to "Namespace"'));
    if (scope === 'Cluster' && p.namespace !== undefined)
      errs.push({
        type: 'FieldValueForbidden',
        field: 'spec.parameters.namespace',
        detail: '`parameters.scope` is set to "Cluster"',
      });
    if (scope !== 'Namespace' && scope !== 'Cluster')
      errs.push({
        type: 'FieldValueNotSupported',
        field: 'spec.parameters.scope',
        value: goQuote(scope),
        detail: 'supported values: "Cluster", "Namespace"',
      });
  }
  return errs;
}

// ── Custom resources: what their CRDs' structural schemas require ──────────────────────────

/** `required` of the CRD schema: each missing field a `Required value` (as the apiextensions validator words it). */
function requiredFields(o: Obj, fields: string[], path: string): FieldError[] {
  return fields.filter((k) => o[k] === undefined || o[k] === null).map((k) => required(path ? `${path}.${k}` : k));
}

/**
 * The parts of the CRD schemas a reader relies on: Gateway API v1.2 (standard channel) and Traefik
 * v3's IngressRoute: required fields, the `port` a Service backendRef needs (the CEL rule's message),
 * listener ports in range.
 */
function customResourceErrors(resource: string, obj: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const required0 = resource === 'referencegrants' ? [] : ['spec'];
  errs.push(...requiredFields(obj, required0, ''));
  const spec = specOf(obj);
  if (!isObj(obj.spec)) return errs;
  switch (resource) {
    case 'gatewayclasses':
      errs.push(...requiredFields(spec, ['controllerName'], 'spec'));
      break;
    case 'gateways': {
      errs.push(...requiredFields(spec, ['gatewayClassName', 'listeners'], 'spec'));
      list(spec.listeners).forEach((l, i) => {
        errs.push(...requiredFields(l, ['name', 'port', 'protocol'], `spec.listeners[${i}]`));
        if (typeof l.port === 'number' && (l.port < 1 || l.port > 65535))
          errs.push(
            invalidValue(
              `spec.listeners[${i}].port`,
              String(l.port),
              `spec.listeners[${i}].port in body should be ${l.port < 1 ? 'greater than or equal to 1' : 'less than or equal to 65535'}`,
            ),
          );
      });
      break;
    }
    case 'httproutes':
      list(spec.parentRefs).forEach((p, i) => errs.push(...requiredFields(p, ['name'], `spec.parentRefs[${i}]`)));
      list(spec.rules).forEach((rule, i) =>
        list(rule.backendRefs).forEach((b, j) => {
          const path = `spec.rules[${i}].backendRefs[${j}]`;
          errs.push(...requiredFields(b, ['name'], path));
          const group = str(b.group);
          const kind = b.kind === undefined ? 'Service' : str(b.kind);
          if (group === '' && kind === 'Service' && b.port === undefined)
            errs.push(invalidValue(path, '"object"', 'Must have port for Service reference'));
        }),
      );
      break;
    case 'referencegrants':
      errs.push(...requiredFields(spec, ['from', 'to'], 'spec'));
      list(spec.from).forEach((f, i) =>
        errs.push(...requiredFields(f, ['group', 'kind', 'namespace'], `spec.from[${i}]`)),
      );
      list(spec.to).forEach((t, i) => errs.push(...requiredFields(t, ['group', 'kind'], `spec.to[${i}]`)));
      break;
    case 'ingressroutes':
      errs.push(...requiredFields(spec, ['routes'], 'spec'));
      list(spec.routes).forEach((r, i) => {
        errs.push(...requiredFields(r, ['match'], `spec.routes[${i}]`));
        list(r.services).forEach((svc, j) =>
          errs.push(...requiredFields(svc, ['name'], `spec.routes[${i}].services[${j}]`)),
        );
      });
      break;
  }
  return errs;
}

const CUSTOM = new Set(['gatewayclasses', 'gateways', 'httproutes', 'referencegrants', 'ingressroutes']);

/** Validation of a whole object of `resource` (the create checks, also run on every update). */
export function validateObject(resource: string, obj: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const meta = isObj(obj.metadata) ? obj.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '';
  for (const msg of nameErrors(resource, name)) errs.push(invalidValue('metadata.name', goQuote(name), msg));
  const spec = specOf(obj);
  if (resource === 'services') {
    const headless = spec.clusterIP === 'None';
    const ports = list(spec.ports);
    if (ports.length === 0 && !headless && spec.type !== 'ExternalName') errs.push(required('spec.ports'));
    ports.forEach((p, i) => {
      const port = typeof p.port === 'number' ? p.port : 0;
      for (const msg of isValidPortNum(port)) errs.push(invalidValue(`spec.ports[${i}].port`, String(port), msg));
      if (typeof p.targetPort === 'number')
        for (const msg of isValidPortNum(p.targetPort))
          errs.push(invalidValue(`spec.ports[${i}].targetPort`, String(p.targetPort), msg));
    });
  }
  if (resource === 'ingresses') errs.push(...ingressSpecErrors(spec));
  if (resource === 'ingressclasses') errs.push(...ingressClassSpecErrors(spec));
  if (CUSTOM.has(resource)) errs.push(...customResourceErrors(resource, obj));
  if (resource === 'pods') errs.push(...containerPortErrors(spec, 'spec'));
  if (resource === 'deployments') {
    const template = isObj(spec.template) ? spec.template : {};
    errs.push(...containerPortErrors(template.spec, 'spec.template.spec'));
  }
  return errs;
}

/** `validateUpgradeDowngradeClusterIPs` of ValidateServiceUpdate (single-stack). */
function clusterIPUpdateErrors(oldSpec: Obj, spec: Obj): FieldError[] {
  if (spec.type === 'ExternalName' || oldSpec.type === 'ExternalName') return [];
  if (oldSpec.clusterIP === 'None' && spec.clusterIP === 'None') return [];
  const oldIPs = Array.isArray(oldSpec.clusterIPs) ? oldSpec.clusterIPs.map(String) : [];
  const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs.map(String) : [];
  const errs: FieldError[] = [];
  const value = goStringSlice(spec.clusterIPs);
  if (oldIPs.length === ips.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== ips[i]) errs.push(invalidValue(`spec.clusterIPs[${i}]`, value, 'may not change once set'));
    });
  } else if (oldIPs.length > ips.length) {
    if (ips.length === 0) errs.push(invalidValue('spec.clusterIPs[0]', value, 'primary clusterIP can not be unset'));
    else if (ips[0] !== oldIPs[0]) errs.push(invalidValue('spec.clusterIPs[0]', value, 'may not change once set'));
  } else if (oldIPs.length > 0 && ips[0] !== oldIPs[0])
    errs.push(invalidValue('spec.clusterIPs[0]', value, 'may not change once set'));
  return errs;
}

/**
 * The update checks (ValidateXUpdate and the strategies' ValidateUpdate), then the object's own.
 * Both objects as stored (empty omitempty fields dropped), so JSON equality is Go's
 * Semantic.DeepEqual.
 */
export function validateUpdate(resource: string, obj: Obj, old: Obj): FieldError[] {
  const errs: FieldError[] = [];
  if (resource === 'services') errs.push(...clusterIPUpdateErrors(specOf(old), specOf(obj)));
  errs.push(...validateObject(resource, obj));
  // apps/v1: the selector of a Deployment may not change (pkg/registry/apps/deployment/strategy.go).
  if (resource === 'deployments' && !isDeepStrictEqual(specOf(obj).selector, specOf(old).selector))
    errs.push(invalidValue('spec.selector', goLabelSelector(specOf(obj).selector), 'field is immutable'));
  if (resource === 'ingressclasses' && specOf(obj).controller !== specOf(old).controller)
    errs.push(invalidValue('spec.controller', goQuote(str(specOf(obj).controller)), 'field is immutable'));
  return errs;
}

/**
 * The Service REST storage's part of an update (patchAllocatedValues, normalizeClusterIPs and
 * dropTypeDependentFields of pkg/registry/core/service): what the client left out of an
 * allocated field is kept; a changed singular clusterIP carries the plural along.
 */
export function serviceUpdate(spec: Obj, oldSpec: Obj): void {
  const needsIP = (s: Obj): boolean => s.type !== 'ExternalName';
  const needsNodePort = (s: Obj): boolean => s.type === 'NodePort' || s.type === 'LoadBalancer';
  if (needsIP(oldSpec) && needsIP(spec)) {
    if (spec.clusterIP === undefined || spec.clusterIP === '') spec.clusterIP = oldSpec.clusterIP;
    if (
      (!Array.isArray(spec.clusterIPs) || spec.clusterIPs.length === 0) &&
      Array.isArray(oldSpec.clusterIPs) &&
      oldSpec.clusterIPs.length > 0
    )
      spec.clusterIPs = oldSpec.clusterIPs;
  }
  if (needsNodePort(oldSpec) && needsNodePort(spec)) {
    const byName = new Map(list(oldSpec.ports).map((p) => [String(p.name ?? ''), p.nodePort]));
    const used = new Set(
      list(oldSpec.ports)
        .map((p) => p.nodePort)
        .filter((n) => list(spec.ports).some((q) => q.nodePort === n)),
    );
    for (const p of list(spec.ports))
      if (!p.nodePort && byName.get(String(p.name ?? '')) && !used.has(byName.get(String(p.name ?? ''))))
        p.nodePort = byName.get(String(p.name ?? ''));
  }
  const same = (): boolean => JSON.stringify(oldSpec.clusterIPs ?? []) === JSON.stringify(spec.clusterIPs ?? []);
  if (
    Array.isArray(oldSpec.clusterIPs) &&
    oldSpec.clusterIPs.length > 0 &&
    !(Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0) &&
    oldSpec.clusterIP === spec.clusterIP
  )
    spec.clusterIPs = oldSpec.clusterIPs;
  if (oldSpec.clusterIP !== spec.clusterIP) {
    if (oldSpec.clusterIP && !spec.clusterIP) {
      if (same()) delete spec.clusterIPs;
    } else if (same()) spec.clusterIPs = [spec.clusterIP];
  }
  if (needsIP(oldSpec) && !needsIP(spec) && same()) {
    for (const k of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) delete spec[k];
  }
}
