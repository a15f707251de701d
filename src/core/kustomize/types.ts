/**
 * The kustomization as the model reads it, and what it generates: kustomize's api/types
 * (kustomization.go, configmapargs.go/secretargs.go/generatorargs.go, generatoroptions.go,
 * kvpairsources.go) with each value's place in the file, and the problems found on the way.
 * Types only.
 */
import type { Range, Severity } from '../types';

/** File access injected by the caller. Paths are absolute POSIX paths. */
export interface FileReader {
  /** The file's text (UTF-8), or undefined when it does not exist or is not a readable file. */
  read(path: string): string | undefined;
  isDirectory?(path: string): boolean;
  list?(dir: string): string[];
  /**
   * The file's bytes, when the caller can give them. Only needed for files that are not valid
   * UTF-8 (ConfigMap binaryData, binary Secret values); without it `read` is used.
   */
  readBytes?(path: string): Uint8Array | undefined;
}
export interface Located<T> {
  value: T;
  /** Where it is written in the kustomization file (0-based). */
  range: Range;
}

export type GeneratedKind = 'ConfigMap' | 'Secret';
export type Behavior = 'create' | 'replace' | 'merge';

export interface GeneratorOptionsSpec {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash?: Located<boolean>;
  immutable?: Located<boolean>;
  range: Range;
}

export interface GeneratorSpec {
  kind: GeneratedKind;
  /** Index in its list (configMapGenerator or secretGenerator). */
  index: number;
  /** The whole list item. */
  range: Range;
  /** A short range for the item: its `name` value, else its first key, else the item. */
  headRange: Range;
  name?: Located<string>;
  namespace?: Located<string>;
  behavior?: Located<string>;
  /** Secrets only. */
  type?: Located<string>;
  literals: Located<string>[];
  files: Located<string>[];
  envs: Located<string>[];
  /** Deprecated singular form; kustomize reads it after `envs`. */
  env?: Located<string>;
  options?: GeneratorOptionsSpec;
}

export interface Kustomization {
  /** Folder of the kustomization (POSIX); relative inputs resolve against it. */
  dir: string;
  kind: string;
  apiVersion?: string;
  namespace?: Located<string>;
  namePrefix?: Located<string>;
  nameSuffix?: Located<string>;
  /** `resources`, then the deprecated `bases` (as FixKustomization appends them). Not followed. */
  resources: Located<string>[];
  configMapGenerator: GeneratorSpec[];
  secretGenerator: GeneratorSpec[];
  generatorOptions?: GeneratorOptionsSpec;
  /**
   * Fields present that can rewrite generated objects before the hash is taken (patches,
   * replacements, transformers, components, …). The model does not apply them.
   */
  transformers: string[];
  /**
   * Fields present that teach kustomize further name references (`configurations`, `crds`): which
   * fields follow a renamed object is then unknown to the model.
   */
  nameReferences?: string[];
  /** Problems found while reading the file (YAML, types, unknown fields). */
  problems: KustomizeProblem[];
}

export type KustomizeProblemCode =
  | 'kustomize-yaml'
  | 'kustomize-type'
  | 'kustomize-unknown-field'
  | 'kustomize-kind'
  | 'kustomize-empty'
  | 'kustomize-missing-name'
  | 'kustomize-missing-file'
  | 'kustomize-not-a-file'
  | 'kustomize-outside-root'
  | 'kustomize-remote-file'
  | 'kustomize-invalid-literal'
  | 'kustomize-invalid-file-source'
  | 'kustomize-invalid-utf8'
  | 'kustomize-env-line-too-long'
  | 'kustomize-duplicate-key'
  | 'kustomize-invalid-key'
  | 'kustomize-env-deprecated'
  | 'kustomize-env-quoted-value'
  | 'kustomize-env-no-value'
  | 'kustomize-unknown-behavior'
  | 'kustomize-duplicate-object'
  | 'kustomize-merge-target-missing'
  | 'kustomize-merge-external'
  | 'kustomize-tls-keys';

export interface KustomizeProblem {
  code: KustomizeProblemCode;
  severity: Severity;
  message: string;
  /** In the kustomization file. */
  range: Range;
  /** Another file the problem is about (an envs file), with the 0-based line in it. */
  related?: { path: string; line: number };
}

export interface KeySource {
  kind: 'file' | 'literal' | 'env';
  /** The input file, resolved against the kustomization folder (file and env sources). */
  path?: string;
  /** 0-based line in the envs file (env sources). */
  line?: number;
  /** The entry in the kustomization file. */
  range: Range;
}

export interface GeneratedObject {
  kind: GeneratedKind;
  /** The generator's `name`. */
  baseName: string;
  /** Final name as kustomize prints it: namePrefix + name + nameSuffix [+ "-" + hash]. */
  name: string;
  /** The 10-character content hash appended to the name (also when disabled, for reference). */
  hash: string;
  namespace?: string;
  /** Secrets: `type` (Opaque by default). */
  type?: string;
  /** Decoded text values (Secrets: before base64). */
  data: Record<string, string>;
  /** ConfigMaps: values that are not UTF-8, base64 (unbroken). Only with `FileReader.readBytes`. */
  binaryData?: Record<string, string>;
  keys: Array<{ key: string; source: KeySource }>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  immutable: boolean;
  disableNameSuffixHash: boolean;
  behavior: Behavior;
  /** The generator that produced it (the last one, after a merge/replace). */
  generator: GeneratorSpec;
  /**
   * False when the name or data may differ from kustomize's: an input could not be read, a
   * key repeats, or the object merges with/replaces something from `resources`. It does not
   * account for `Kustomization.transformers` (patches etc. that may edit the data first).
   */
  exact: boolean;
}
