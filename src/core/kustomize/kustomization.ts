/**
 * Reading a kustomization file (api/types/kustomization.go): `Unmarshal` (YAML → JSON →
 * encoding/json with DisallowUnknownFields: case-insensitive field names, last duplicate wins,
 * yaml.v2 scalar typing, Go's type-error wording), `FixKustomization` (`env` appended after
 * `envs`, `bases` after `resources`), `EnforceFields`, `CheckEmpty`; and which file of a folder
 * is the kustomization (api/konfig/general.go, kusttarget.go's loadKustFile).
 */
import { posix } from 'node:path';
import { LineMap } from '../text';
import { goQuote } from './kv';
import type {
  FileReader,
  GeneratedKind,
  GeneratorOptionsSpec,
  GeneratorSpec,
  Kustomization,
  KustomizeProblem,
  Located,
} from './types';
import { toJValue } from './yamlJson';
import { parseYamlDocuments } from '../yaml/aliases';
import type { JEntry, JValue } from './yamlJson';

/** The names kustomize looks for in a folder, in its order (api/konfig/general.go). */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export function isKustomizationFileName(pathOrName: string): boolean {
  return (KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(posix.basename(pathOrName));
}

/**
 * The kustomization file of `dir`, as kustomize's LoadKustFile picks it: exactly one of the
 * recognised names must exist. Uses `files.list` when present, else probes with `files.read`.
 */
export function findKustomizationFile(dir: string, files: FileReader): { path?: string; error?: string } {
  const listed = files.list?.(dir);
  const present = listed
    ? KUSTOMIZATION_FILE_NAMES.filter((n) => listed.includes(n))
    : KUSTOMIZATION_FILE_NAMES.filter((n) => files.read(posix.join(dir, n)) !== undefined);
  if (present.length === 1) return { path: posix.join(dir, present[0]!) };
  if (present.length === 0) {
    return {
      error: `unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${dir}'`,
    };
  }
  return { error: `Found multiple kustomization files under: ${dir}` };
}
// ───────────────────────────────────────────── decoding (encoding/json, DisallowUnknownFields)

const KUSTOMIZATION_FIELDS = [
  'apiVersion',
  'kind',
  'metadata',
  'openapi',
  'namePrefix',
  'nameSuffix',
  'namespace',
  'commonLabels',
  'labels',
  'commonAnnotations',
  'patchesStrategicMerge',
  'patchesJson6902',
  'patches',
  'images',
  'imageTags',
  'replacements',
  'replicas',
  'vars',
  'sortOptions',
  'resources',
  'components',
  'crds',
  'bases',
  'configMapGenerator',
  'secretGenerator',
  'helmGlobals',
  'helmCharts',
  'helmChartInflationGenerator',
  'generatorOptions',
  'configurations',
  'generators',
  'transformers',
  'validators',
  'buildMetadata',
] as const;

/** Fields whose transformers may change a generated object's data before the hash is taken. */
const DATA_TRANSFORMING_FIELDS = new Set([
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
  'replacements',
  'transformers',
  'components',
  'helmCharts',
  'helmChartInflationGenerator',
  'generators',
]);

const GENERATOR_FIELDS = ['namespace', 'name', 'behavior', 'literals', 'files', 'envs', 'env', 'options'] as const;
const OPTIONS_FIELDS = ['labels', 'annotations', 'disableNameSuffixHash', 'immutable'] as const;

class Decoder {
  constructor(readonly problems: KustomizeProblem[]) {}

  typeError(v: JValue, struct: string, path: string, goType: string): void {
    this.problems.push({
      code: 'kustomize-type',
      severity: 'error',
      message: `invalid Kustomization: json: cannot unmarshal ${v.kind} into Go struct field ${struct}.${path} of type ${goType}`,
      range: v.range,
    });
  }

  /** Object fields matched as encoding/json does: exact name, else case-insensitively; last wins. */
  fields(v: JValue, known: readonly string[]): Map<string, JEntry> {
    const out = new Map<string, JEntry>();
    for (const e of v.entries) {
      const name = known.find((f) => f === e.key) ?? known.find((f) => f.toLowerCase() === e.key.toLowerCase());
      if (!name) {
        this.problems.push({
          code: 'kustomize-unknown-field',
          severity: 'error',
          message: `invalid Kustomization: json: unknown field ${goQuote(e.key)}`,
          range: e.keyRange,
        });
        continue;
      }
      out.set(name, e);
    }
    return out;
  }

  string(e: JEntry | undefined, struct: string, path: string): Located<string> | undefined {
    if (!e || e.value.kind === 'null') return undefined;
    if (e.value.kind !== 'string') {
      this.typeError(e.value, struct, path, 'string');
      return undefined;
    }
    return { value: e.value.text, range: e.value.range };
  }

  bool(e: JEntry | undefined, struct: string, path: string): Located<boolean> | undefined {
    if (!e || e.value.kind === 'null') return undefined;
    if (e.value.kind !== 'bool') {
      this.typeError(e.value, struct, path, 'bool');
      return undefined;
    }
    return { value: e.value.bool ?? false, range: e.value.range };
  }

  strings(e: JEntry | undefined, struct: string, path: string): Located<string>[] {
    if (!e || e.value.kind === 'null') return [];
    if (e.value.kind !== 'array') {
      this.typeError(e.value, struct, path, '[]string');
      return [];
    }
    const out: Located<string>[] = [];
    for (const item of e.value.items) {
      if (item.kind === 'null') out.push({ value: '', range: item.range });
      else if (item.kind === 'string') out.push({ value: item.text, range: item.range });
      else this.typeError(item, struct, path, 'string');
    }
    return out;
  }

  stringMap(e: JEntry | undefined, struct: string, path: string): Record<string, string> | undefined {
    if (!e || e.value.kind === 'null') return undefined;
    if (e.value.kind !== 'object') {
      this.typeError(e.value, struct, path, 'map[string]string');
      return undefined;
    }
    const out = new Map<string, string>();
    for (const x of e.value.entries) {
      if (x.keyKind !== 'string') {
        // sigs.k8s.io/yaml refuses a null key; other keys survive until kustomize prints the
        // object: "json: unsupported type: map[interface {}]interface {}".
        this.problems.push({
          code: 'kustomize-type',
          severity: 'error',
          message: `the key ${x.keyText || '(empty)'} is read as ${x.keyKind === 'null' ? 'null' : `a ${x.keyKind}`} (YAML 1.1), not a string: kustomize fails (json: unsupported type: map[interface {}]interface {}); quote the key`,
          range: x.keyRange,
        });
        continue;
      }
      if (x.value.kind === 'null') out.set(x.key, '');
      else if (x.value.kind === 'string') out.set(x.key, x.value.text);
      else this.typeError(x.value, struct, path, 'string');
    }
    return Object.fromEntries(out);
  }

  options(e: JEntry | undefined, struct: string, path: string): GeneratorOptionsSpec | undefined {
    if (!e || e.value.kind === 'null') return undefined;
    if (e.value.kind !== 'object') {
      this.typeError(e.value, struct, path, 'types.GeneratorOptions');
      return undefined;
    }
    const f = this.fields(e.value, OPTIONS_FIELDS);
    const o: GeneratorOptionsSpec = { range: e.value.range };
    const labels = this.stringMap(f.get('labels'), 'GeneratorOptions', `${path}.labels`);
    const annotations = this.stringMap(f.get('annotations'), 'GeneratorOptions', `${path}.annotations`);
    const dis = this.bool(f.get('disableNameSuffixHash'), 'GeneratorOptions', `${path}.disableNameSuffixHash`);
    const imm = this.bool(f.get('immutable'), 'GeneratorOptions', `${path}.immutable`);
    if (labels) o.labels = labels;
    if (annotations) o.annotations = annotations;
    if (dis) o.disableNameSuffixHash = dis;
    if (imm) o.immutable = imm;
    return o;
  }

  generators(e: JEntry | undefined, kind: GeneratedKind): GeneratorSpec[] {
    const field = kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator';
    const struct = kind === 'ConfigMap' ? 'ConfigMapArgs' : 'SecretArgs';
    if (!e || e.value.kind === 'null') return [];
    if (e.value.kind !== 'array') {
      this.typeError(e.value, 'Kustomization', field, `[]types.${struct}`);
      return [];
    }
    const out: GeneratorSpec[] = [];
    e.value.items.forEach((item, index) => {
      if (item.kind !== 'object' && item.kind !== 'null') {
        this.typeError(item, 'Kustomization', field, `types.${struct}`);
        return;
      }
      const f = this.fields(item, kind === 'Secret' ? [...GENERATOR_FIELDS, 'type'] : GENERATOR_FIELDS);
      const g: GeneratorSpec = {
        kind,
        index,
        range: item.range,
        headRange: item.entries[0]?.keyRange ?? item.range,
        literals: this.strings(f.get('literals'), struct, `${field}.literals`),
        files: this.strings(f.get('files'), struct, `${field}.files`),
        envs: this.strings(f.get('envs'), struct, `${field}.envs`),
      };
      const set = <K extends 'name' | 'namespace' | 'behavior' | 'type' | 'env'>(k: K): void => {
        const v = this.string(f.get(k), struct, `${field}.${k}`);
        if (v) g[k] = v;
      };
      set('name');
      set('namespace');
      set('behavior');
      set('env');
      if (kind === 'Secret') set('type');
      const options = this.options(f.get('options'), struct, `${field}.options`);
      if (options) g.options = options;
      if (g.name) g.headRange = g.name.range;
      out.push(g);
    });
    return out;
  }
}

// ───────────────────────────────────────────── parseKustomization

/** Reads a kustomization file's text (`dir` is its folder). Never throws. */
export function parseKustomization(dir: string, text: string): Kustomization {
  const lines = new LineMap(text);
  const problems: KustomizeProblem[] = [];
  const k: Kustomization = {
    dir,
    kind: 'Kustomization',
    resources: [],
    configMapGenerator: [],
    secretGenerator: [],
    transformers: [],
    problems,
  };
  const doc = parseYamlDocuments(text, { schema: 'failsafe', uniqueKeys: false, prettyErrors: false })[0];
  if (doc && doc.errors.length > 0) {
    for (const e of doc.errors) {
      problems.push({
        code: 'kustomize-yaml',
        severity: 'error',
        message: `invalid Kustomization: yaml: line ${lines.position(e.pos[0]).line + 1}: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
        range: lines.range(e.pos[0], Math.max(e.pos[1], e.pos[0] + 1)),
      });
    }
    return k;
  }
  const root = doc ? toJValue(doc.contents, doc, lines) : undefined;
  const d = new Decoder(problems);
  if (!root || root.kind === 'null') {
    problems.push({
      code: 'kustomize-empty',
      severity: 'error',
      message: 'kustomization.yaml is empty',
      range: lines.range(0, 0),
    });
    return k;
  }
  if (root.kind !== 'object') {
    problems.push({
      code: 'kustomize-type',
      severity: 'error',
      message: `invalid Kustomization: json: cannot unmarshal ${root.kind} into Go value of type types.Kustomization`,
      range: root.range,
    });
    return k;
  }
  const f = d.fields(root, KUSTOMIZATION_FIELDS);
  const kind = d.string(f.get('kind'), 'Kustomization', 'kind');
  const apiVersion = d.string(f.get('apiVersion'), 'Kustomization', 'apiVersion');
  if (kind?.value) k.kind = kind.value;
  if (apiVersion?.value) k.apiVersion = apiVersion.value;
  for (const name of ['namespace', 'namePrefix', 'nameSuffix'] as const) {
    const v = d.string(f.get(name), 'Kustomization', name);
    if (v) k[name] = v;
  }
  k.resources = [
    ...d.strings(f.get('resources'), 'Kustomization', 'resources'),
    ...d.strings(f.get('bases'), 'Kustomization', 'bases'),
  ];
  k.configMapGenerator = d.generators(f.get('configMapGenerator'), 'ConfigMap');
  k.secretGenerator = d.generators(f.get('secretGenerator'), 'Secret');
  const go = d.options(f.get('generatorOptions'), 'Kustomization', 'generatorOptions');
  if (go) k.generatorOptions = go;
  for (const [name, e] of f) {
    if (DATA_TRANSFORMING_FIELDS.has(name) && e.value.kind !== 'null') k.transformers.push(name);
    if ((name === 'configurations' || name === 'crds') && e.value.kind !== 'null') (k.nameReferences ??= []).push(name);
  }

  // EnforceFields
  const kindRange = f.get('kind')?.value.range ?? lines.range(0, 0);
  if (kind?.value && kind.value !== 'Kustomization' && kind.value !== 'Component') {
    problems.push({
      code: 'kustomize-kind',
      severity: 'error',
      message: 'kind should be Kustomization or Component',
      range: kindRange,
    });
  }
  const required = k.kind === 'Component' ? 'kustomize.config.k8s.io/v1alpha1' : 'kustomize.config.k8s.io/v1beta1';
  if (apiVersion?.value && apiVersion.value !== required) {
    problems.push({
      code: 'kustomize-kind',
      severity: 'error',
      message: `apiVersion for ${k.kind} should be ${required}`,
      range: apiVersion.range,
    });
  }
  // CheckEmpty: nothing but TypeMeta
  if ([...f.keys()].every((n) => n === 'kind' || n === 'apiVersion' || f.get(n)!.value.kind === 'null')) {
    problems.push({
      code: 'kustomize-empty',
      severity: 'error',
      message: 'kustomization.yaml is empty',
      range: root.range,
    });
  }
  return k;
}
