/**
 * The Prometheus text exposition format 0.0.4, as client_golang writes it and cloudflared serves it
 * on `/metrics` (prometheus/docs: content/docs/instrumenting/exposition_formats.md; field notes 2
 * §2.7). The npm parsers mishandle labelled histograms or `NaN`/`-Inf`, so this one follows the
 * format's rules directly:
 *
 * - lines end with `\n` (`\r\n` accepted); blank lines are ignored; tokens are separated by blanks
 *   or tabs; `#` lines are comments unless they are `# HELP name text` (escapes `\\`, `\n`) or
 *   `# TYPE name counter|gauge|histogram|summary|untyped`;
 * - a sample is `name[{label="value",…[,]}] value [timestamp]`; label values escape `\\`, `\"`,
 *   `\n` and may hold `}`, `,`, `=`; values are Go floats including `NaN`, `+Inf`, `-Inf`;
 * - samples group into families by name: a histogram `x` owns `x_bucket`, `x_sum`, `x_count`, a
 *   summary `x`, `x_sum`, `x_count`; series of one family are kept apart by their labels.
 *
 * Never throws: a line that breaks the rules is skipped and reported in `errors` with its line
 * number, so one bad line costs one series, not the page. Linear in the input.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  /** The sample's own name (`x_bucket`, `x_sum`, … for histograms). */
  name: string;
  labels: Record<string, string>;
  value: number;
  timestamp?: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help?: string;
  samples: Sample[];
}

export interface ParseError {
  /** 1-based. */
  line: number;
  message: string;
}

export interface Exposition {
  families: Map<string, MetricFamily>;
  errors: ParseError[];
}

const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Go's strconv.ParseFloat syntax, decimal and hexadecimal, with `_` not allowed (client_golang never writes it). */
const GO_FLOAT =
  /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?\d+)$/;

/** A Go float as client_golang writes it (`NaN`, `+Inf`, `-Inf`, `1e+06`, …); undefined when it is not one. */
export function parseGoFloat(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === '+inf' || lower === 'inf' || lower === '+infinity' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (!GO_FLOAT.test(text)) return undefined;
  if (/^[+-]?0[xX]/.test(text)) return parseHexFloat(text);
  return Number(text);
}

function parseHexFloat(text: string): number | undefined {
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(text);
  if (!m) return undefined;
  const mantissa = parseInt(`${m[2] || '0'}${m[3]}`, 16) / 16 ** m[3]!.length;
  const v = mantissa * 2 ** Number(m[4]);
  return m[1] === '-' ? -v : v;
}

function unescape(text: string, quote: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\' || i + 1 >= text.length) {
      out += c;
      continue;
    }
    const n = text[++i]!;
    if (n === 'n') out += '\n';
    else if (n === '\\') out += '\\';
    else if (n === '"' && quote) out += '"';
    else out += `\\${n}`;
  }
  return out;
}

/** The family a sample belongs to: `x_bucket` etc. belong to histogram/summary `x` when it was declared so. */
function familyOf(name: string, types: Map<string, MetricType>): string {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!name.endsWith(suffix)) continue;
    const base = name.slice(0, -suffix.length);
    const t = types.get(base);
    if (t === 'histogram' || (t === 'summary' && suffix !== '_bucket')) return base;
  }
  return name;
}

interface SampleLine {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestamp?: number;
}

/** Parses `name{labels} value [ts]`; a string is the error. */
function parseSample(line: string): SampleLine | string {
  let i = 0;
  while (i < line.length && /[a-zA-Z0-9_:]/.test(line[i]!)) i++;
  const name = line.slice(0, i);
  if (!NAME.test(name)) return `invalid metric name ${JSON.stringify(name)}`;
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    for (;;) {
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (line[i] === '}') {
        i++;
        break;
      }
      const start = i;
      while (i < line.length && /[a-zA-Z0-9_]/.test(line[i]!)) i++;
      const label = line.slice(start, i);
      if (!LABEL_NAME.test(label)) return `invalid label name ${JSON.stringify(label)}`;
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (line[i] !== '=') return `expected "=" after label ${label}`;
      i++;
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (line[i] !== '"') return `expected a quoted value for label ${label}`;
      i++;
      const vs = i;
      while (i < line.length && line[i] !== '"') i += line[i] === '\\' ? 2 : 1;
      if (i >= line.length) return `unterminated value of label ${label}`;
      if (Object.prototype.hasOwnProperty.call(labels, label)) return `label ${label} given twice`;
      labels[label] = unescape(line.slice(vs, i), true);
      i++;
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (line[i] === ',') {
        i++;
        continue;
      }
      if (line[i] === '}') {
        i++;
        break;
      }
      return `expected "," or "}" after the value of label ${label}`;
    }
  }
  const rest = line
    .slice(i)
    .trim()
    .split(/[ \t]+/);
  if (rest.length === 0 || rest[0] === '') return `no value for ${name}`;
  if (rest.length > 2) return `unexpected text after the value of ${name}`;
  const value = parseGoFloat(rest[0]!);
  if (value === undefined) return `invalid value ${JSON.stringify(rest[0])} for ${name}`;
  const out: SampleLine = { name, labels, value };
  if (rest.length === 2) {
    if (!/^-?\d+$/.test(rest[1]!)) return `invalid timestamp ${JSON.stringify(rest[1])} for ${name}`;
    out.timestamp = Number(rest[1]);
  }
  return out;
}

export function parseExposition(text: string): Exposition {
  const families = new Map<string, MetricFamily>();
  const types = new Map<string, MetricType>();
  const errors: ParseError[] = [];
  const lines = text.split('\n');
  const family = (name: string): MetricFamily => {
    let f = families.get(name);
    if (!f) {
      f = { name, type: types.get(name) ?? 'untyped', samples: [] };
      families.set(name, f);
    }
    return f;
  };
  lines.forEach((raw, index) => {
    const line = (raw.endsWith('\r') ? raw.slice(0, -1) : raw).trim();
    if (line === '') return;
    const lineNo = index + 1;
    if (line.startsWith('#')) {
      const m = /^#[ \t]+(HELP|TYPE)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(line);
      if (!m) return; // a comment
      const [, keyword, name, rest = ''] = m as unknown as [string, string, string, string | undefined];
      if (!NAME.test(name)) {
        errors.push({ line: lineNo, message: `invalid metric name ${JSON.stringify(name)} in # ${keyword}` });
        return;
      }
      if (keyword === 'HELP') {
        const f = family(name);
        if (f.help !== undefined) errors.push({ line: lineNo, message: `second HELP for ${name}` });
        else f.help = unescape(rest, false);
        return;
      }
      const type = rest.trim() as MetricType;
      if (!TYPES.has(type)) {
        errors.push({ line: lineNo, message: `unknown type ${JSON.stringify(rest.trim())} for ${name}` });
        return;
      }
      const existing = families.get(name);
      if (types.has(name) || (existing && existing.samples.length > 0)) {
        errors.push({ line: lineNo, message: `TYPE for ${name} after its samples or a second TYPE` });
        return;
      }
      types.set(name, type);
      family(name).type = type;
      return;
    }
    const sample = parseSample(line);
    if (typeof sample === 'string') {
      errors.push({ line: lineNo, message: sample });
      return;
    }
    family(familyOf(sample.name, types)).samples.push(sample);
  });
  return { families, errors };
}

/** The value of the sample of `family` (its own name unless `name` says) whose labels include `labels`. */
export function sampleValue(
  exposition: Exposition,
  family: string,
  labels: Record<string, string> = {},
  name: string = family,
): number | undefined {
  const f = exposition.families.get(family);
  const s = f?.samples.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
  return s?.value;
}
