/**
 * The generated objects (api/internal/generators/{configmap,secret,utils}.go, api/kv/kv.go's Load
 * order, api/resmap/reswrangler.go's `behavior: merge|replace`, then the namespace and
 * prefix/suffix transformers and the hash last, as api/internal/target/kusttarget.go runs them):
 * a name is required; duplicate keys; `type` defaults to Opaque; `immutable: true` is set on the
 * object (it is not part of the hash); options merged as generatoroptions.go's
 * `MergeGlobalOptionsIntoLocal` does.
 */
import { decodeUtf8, isUtf8 } from './datamap';
import { contentHash } from './hash';
import {
  configMapKeyErrors,
  firstInvalidUtf8Line,
  goQuote,
  parseEnvFile,
  parseFileSource,
  parseLiteralSource,
} from './kv';
import { InputReader, normalizeDir } from './loader';
import type {
  Behavior,
  FileReader,
  GeneratedObject,
  GeneratorOptionsSpec,
  KeySource,
  Kustomization,
  KustomizeProblem,
} from './types';

interface LoadedPair {
  key: string;
  value: string | Uint8Array;
  source: KeySource;
}

interface Work {
  obj: GeneratedObject;
  /** Generator name and namespace before the namespace transformer (the resource id). */
  idName: string;
  idNamespace: string;
  needsHash: boolean;
  values: Map<string, string | Uint8Array>;
}

const BEHAVIORS = new Map<string, Behavior>([
  ['create', 'create'],
  ['replace', 'replace'],
  ['merge', 'merge'],
]);

/**
 * The ConfigMaps and Secrets the kustomization generates, in kustomize's order (all
 * configMapGenerator entries, then all secretGenerator entries), and every problem of the
 * kustomization (`k.problems` included). Never throws.
 */
export function generateObjects(
  k: Kustomization,
  files: FileReader,
): { objects: GeneratedObject[]; problems: KustomizeProblem[] } {
  const problems: KustomizeProblem[] = [...k.problems];
  const work: Work[] = [];
  const root = normalizeDir(k.dir);

  for (const g of [...k.configMapGenerator, ...k.secretGenerator]) {
    const name = g.name?.value ?? '';
    if (name === '') {
      problems.push({
        code: 'kustomize-missing-name',
        severity: 'error',
        message: 'a configmap must have a name',
        range: g.headRange,
      });
      continue;
    }
    let exact = true;
    const opts = mergeOptions(g.options, k.generatorOptions);

    if (g.env) {
      problems.push({
        code: 'kustomize-env-deprecated',
        severity: 'information',
        message:
          "'env' is the older, singular form of 'envs': kustomize reads this file after the 'envs' files ('kustomize edit fix' moves it into 'envs')",
        range: g.env.range,
      });
    }
    const reader = new InputReader(root, files, problems);
    const pairs: LoadedPair[] = [];
    // kv.Load: envs (FixKustomization appends `env`), then literals, then files
    for (const e of g.env ? [...g.envs, g.env] : g.envs) {
      const got = reader.load(e);
      if (got === undefined) {
        exact = false;
        continue;
      }
      const path = reader.resolve(e.value);
      const text = typeof got === 'string' ? got : decodeUtf8(got);
      if (typeof got !== 'string') {
        const bad = firstInvalidUtf8Line(got);
        if (bad !== undefined) {
          problems.push({
            code: 'kustomize-invalid-utf8',
            severity: 'error',
            message: `line ${bad + 1} of ${e.value} has invalid utf8 bytes`,
            range: e.range,
            related: { path, line: bad },
          });
          exact = false;
          continue;
        }
      }
      const parsed = parseEnvFile(text);
      if (parsed.truncatedAt !== undefined) {
        problems.push({
          code: 'kustomize-env-line-too-long',
          severity: 'warning',
          message: `line ${parsed.truncatedAt + 1} of ${e.value} is 64 KiB or longer: kustomize stops reading the file there without an error (bufio.Scanner: token too long)`,
          range: e.range,
          related: { path, line: parsed.truncatedAt },
        });
      }
      for (const l of parsed.lines) {
        pairs.push({ key: l.key, value: l.value, source: { kind: 'env', path, line: l.line, range: e.range } });
        if (l.noEquals) {
          problems.push({
            code: 'kustomize-env-no-value',
            severity: 'information',
            message: `line ${l.line + 1} of ${e.value} has no '=': kustomize sets ${l.key} to an empty value`,
            range: e.range,
            related: { path, line: l.line },
          });
        } else if (/^(["']).*\1\s*$/s.test(l.value)) {
          problems.push({
            code: 'kustomize-env-quoted-value',
            severity: 'information',
            message: `${l.key} in ${e.value} keeps its quotes: envs files take values verbatim (${l.value}); only 'literals' strip one pair of quotes`,
            range: e.range,
            related: { path, line: l.line },
          });
        }
      }
    }
    for (const lit of g.literals) {
      const p = parseLiteralSource(lit.value);
      if ('error' in p) {
        problems.push({ code: 'kustomize-invalid-literal', severity: 'error', message: p.error, range: lit.range });
        exact = false;
        continue;
      }
      pairs.push({ key: p.key, value: p.value, source: { kind: 'literal', range: lit.range } });
    }
    for (const fs of g.files) {
      const p = parseFileSource(fs.value);
      if ('error' in p) {
        problems.push({ code: 'kustomize-invalid-file-source', severity: 'error', message: p.error, range: fs.range });
        exact = false;
        continue;
      }
      const got = reader.load({ value: p.path, range: fs.range });
      if (got === undefined) {
        exact = false;
        continue;
      }
      pairs.push({ key: p.key, value: got, source: { kind: 'file', path: reader.resolve(p.path), range: fs.range } });
    }

    // makeValidatedDataMap: keys (checked by the API server only), no repeats
    const values = new Map<string, string | Uint8Array>();
    const keys: GeneratedObject['keys'] = [];
    for (const pair of pairs) {
      const errs = configMapKeyErrors(pair.key);
      if (errs.length > 0) {
        problems.push({
          code: 'kustomize-invalid-key',
          severity: 'warning',
          message: `kustomize accepts the key ${goQuote(pair.key)} but the API server refuses the ${g.kind}: data[${pair.key}]: Invalid value: ${goQuote(pair.key)}: ${errs.join(', ')}`,
          range: pair.source.range,
          ...(pair.source.path !== undefined && pair.source.line !== undefined
            ? { related: { path: pair.source.path, line: pair.source.line } }
            : {}),
        });
      }
      if (values.has(pair.key)) {
        problems.push({
          code: 'kustomize-duplicate-key',
          severity: 'error',
          message: `configmap ${name} illegally repeats the key \`${pair.key}\``,
          range: pair.source.range,
          ...(pair.source.path !== undefined && pair.source.line !== undefined
            ? { related: { path: pair.source.path, line: pair.source.line } }
            : {}),
        });
        exact = false;
        continue;
      }
      values.set(pair.key, pair.value);
      keys.push({ key: pair.key, source: pair.source });
    }

    const rawBehavior = g.behavior?.value ?? '';
    const behavior = BEHAVIORS.get(rawBehavior) ?? 'create';
    if (rawBehavior !== '' && !BEHAVIORS.has(rawBehavior)) {
      problems.push({
        code: 'kustomize-unknown-behavior',
        severity: 'warning',
        message: `behavior must be create, replace or merge: kustomize treats ${goQuote(rawBehavior)} as create`,
        range: g.behavior!.range,
      });
    }
    const obj: GeneratedObject = {
      kind: g.kind,
      baseName: name,
      name,
      hash: '',
      ...(g.namespace?.value ? { namespace: g.namespace.value } : {}),
      ...(g.kind === 'Secret' ? { type: g.type?.value || 'Opaque' } : {}),
      data: {},
      keys,
      labels: { ...(opts.labels ?? {}) },
      annotations: { ...(opts.annotations ?? {}) },
      immutable: opts.immutable,
      disableNameSuffixHash: opts.disableNameSuffixHash,
      behavior,
      generator: g,
      exact,
    };
    const w: Work = {
      obj,
      idName: name,
      idNamespace: g.namespace?.value ?? '',
      needsHash: !opts.disableNameSuffixHash,
      values,
    };

    // appendReplaceOrMerge against what this kustomization produced so far
    const idx = work.findIndex(
      (o) => o.obj.kind === g.kind && o.idName === name && effectiveNs(o.idNamespace) === effectiveNs(w.idNamespace),
    );
    if (idx < 0) {
      if (behavior === 'merge' || behavior === 'replace') {
        if (k.resources.length > 0) {
          problems.push({
            code: 'kustomize-merge-external',
            severity: 'information',
            message: `behavior: ${behavior} applies to a ${g.kind} ${goQuote(name)} from resources: its final name and data depend on that resource`,
            range: g.behavior!.range,
          });
        } else {
          problems.push({
            code: 'kustomize-merge-target-missing',
            severity: 'error',
            message: `${g.kind} ${goQuote(name)}${w.idNamespace ? ` in namespace ${goQuote(w.idNamespace)}` : ''} does not exist; cannot merge or replace`,
            range: g.behavior!.range,
          });
        }
        obj.exact = false;
      }
      work.push(w);
      continue;
    }
    const old = work[idx]!;
    if (behavior !== 'merge' && behavior !== 'replace') {
      problems.push({
        code: 'kustomize-duplicate-object',
        severity: 'error',
        message: `${g.kind} ${goQuote(name)} is generated twice; behavior must be merge or replace`,
        range: g.headRange,
      });
      obj.exact = false;
      continue;
    }
    // CopyMergeMetaDataFieldsFrom: labels/annotations merged (new wins), name/namespace and
    // build annotations from the old object; the hash stays only if both want it.
    obj.labels = { ...old.obj.labels, ...obj.labels };
    obj.annotations = { ...old.obj.annotations, ...obj.annotations };
    w.needsHash = old.needsHash && w.needsHash;
    w.idName = old.idName;
    w.idNamespace = old.idNamespace;
    if (old.obj.namespace !== undefined) obj.namespace = old.obj.namespace;
    else delete obj.namespace;
    if (behavior === 'merge') {
      w.values = new Map([...old.values, ...values]);
      const newKeys = new Set(keys.map((x) => x.key));
      obj.keys = [...old.obj.keys.filter((x) => !newKeys.has(x.key)), ...keys];
    }
    obj.exact = obj.exact && old.obj.exact;
    work[idx] = w;
  }

  // Transformers: namespace, prefix/suffix; then the hash (last).
  const ns = k.namespace?.value ?? '';
  if (ns !== '') {
    const seen = new Map<string, Work>();
    for (const w of work) {
      w.obj.namespace = ns;
      const id = `${w.obj.kind}/${w.idName}`;
      const prev = seen.get(id);
      if (prev) {
        problems.push({
          code: 'kustomize-duplicate-object',
          severity: 'error',
          message: `namespace transformation produces ID conflict: two ${w.obj.kind}s ${goQuote(w.idName)} end up in namespace ${goQuote(ns)}`,
          range: w.obj.generator.headRange,
        });
        w.obj.exact = false;
      } else seen.set(id, w);
    }
  }
  const prefix = k.namePrefix?.value ?? '';
  const suffix = k.nameSuffix?.value ?? '';
  for (const w of work) {
    const o = w.obj;
    const data: Array<[string, string]> = [];
    const binary: Array<[string, string]> = [];
    for (const [key, v] of w.values) {
      if (typeof v === 'string') data.push([key, v]);
      else if (o.kind === 'Secret' || isUtf8(v)) data.push([key, decodeUtf8(v)]);
      else binary.push([key, Buffer.from(v).toString('base64')]);
    }
    o.data = Object.fromEntries(data);
    if (binary.length > 0) o.binaryData = Object.fromEntries(binary);
    o.hash = contentHash(o.kind, Object.fromEntries(w.values), o.type !== undefined ? { type: o.type } : {});
    o.name = `${prefix}${w.idName}${suffix}${w.needsHash ? `-${o.hash}` : ''}`;
    o.disableNameSuffixHash = !w.needsHash;
    if (o.kind === 'Secret' && o.type === 'kubernetes.io/tls') {
      const missing = ['tls.crt', 'tls.key'].filter((x) => !w.values.has(x));
      if (missing.length > 0) {
        problems.push({
          code: 'kustomize-tls-keys',
          severity: 'warning',
          message: `a Secret of type kubernetes.io/tls needs the keys tls.crt and tls.key; the API server refuses this one: ${missing.map((x) => `data[${x}]: Required value`).join(', ')}`,
          range: o.generator.type?.range ?? o.generator.headRange,
        });
      }
    }
  }
  return { objects: work.map((w) => w.obj), problems };
}

function effectiveNs(ns: string): string {
  return ns === '' ? 'default' : ns;
}

/** MergeGlobalOptionsIntoLocal. */
function mergeOptions(
  local: GeneratorOptionsSpec | undefined,
  global: GeneratorOptionsSpec | undefined,
): {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash: boolean;
  immutable: boolean;
} {
  const mergeMap = (l?: Record<string, string>, g?: Record<string, string>): Record<string, string> | undefined => {
    if (!l) return g ? { ...g } : undefined;
    return { ...(g ?? {}), ...l };
  };
  const labels = mergeMap(local?.labels, global?.labels);
  const annotations = mergeMap(local?.annotations, global?.annotations);
  return {
    ...(labels ? { labels } : {}),
    ...(annotations ? { annotations } : {}),
    disableNameSuffixHash:
      (global?.disableNameSuffixHash?.value ?? false) || (local?.disableNameSuffixHash?.value ?? false),
    immutable: (global?.immutable?.value ?? false) || (local?.immutable?.value ?? false),
  };
}
