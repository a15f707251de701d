/**
 * A pure model of a kustomization's ConfigMap and Secret generators, computing the generated
 * objects (names with prefix, suffix and content hash; data) exactly as kustomize v5 does. This
 * module is the model's entry point; the port is cut along kustomize's own files.
 *
 * Ported from kubernetes-sigs/kustomize (behaviour identical from api/v0.18.0 = kustomize v5.5.0,
 * the one in kubectl 1.32, to v5.8.x):
 * - kustomization.ts ← api/types/kustomization.go `Unmarshal` (YAML → JSON → encoding/json with
 *   DisallowUnknownFields: case-insensitive field names, last duplicate wins, yaml.v2 scalar
 *   typing, Go's type-error wording), `FixKustomization` (`env` appended after `envs`,
 *   `bases` after `resources`), `EnforceFields`, `CheckEmpty`; api/konfig/general.go (file names).
 * - yamlJson.ts ← sigs.k8s.io/yaml with gopkg.in/yaml.v2's scalar resolution.
 * - types.ts ← api/types: the kustomization, generator args and options, what is generated.
 * - generators.ts ← api/internal/generators/*: a name is required; duplicate keys; `type`
 *   defaults to Opaque; `immutable: true` is set on the object (it is not part of the hash);
 *   api/types/generatoroptions.go `MergeGlobalOptionsIntoLocal`: local label/annotation keys win,
 *   a global `true` (disableNameSuffixHash, immutable) cannot be turned off locally;
 *   api/resmap/reswrangler.go `behavior: merge|replace` against an earlier object.
 * - kv.ts ← api/kv/kv.go: envs files first, then literals, then files; env lines as
 *   bufio.Scanner splits them; BOM on line 1; `#` comments; values verbatim; literal quotes.
 *   api/internal/validate/fieldvalidator.go: kustomize validates neither keys nor env names; the
 *   API server does (ConfigMap/Secret keys), so invalid keys are warnings here, not errors.
 * - loader.ts ← api/loader/fileloader.go (RestrictionRootOnly).
 * - datamap.ts ← kyaml/yaml/datamap.go: ConfigMap values that are not UTF-8 go to binaryData;
 *   Secret and binaryData values are base64 broken into 70-character lines, each ended by "\n"
 *   as soon as the encoding is 70 characters or longer.
 * - hash.ts ← api/hasher/hasher.go: SHA-256 of Go's json.Marshal of {kind, name, data}
 *   (+binaryData) or {kind, type, name, data} (+stringData); first 10 hex digits with 0→g 1→h
 *   3→k a→m e→t. `name` is always "": the hasher looks the name up with
 *   `yaml.Lookup("metadata/name")`, which is one field literally called "metadata/name"
 *   (kustomize's own hasher_test.go expects `"name":""`). The hash therefore depends on content
 *   only, and is appended as `-<hash>` after namePrefix/nameSuffix
 *   (api/internal/target/kusttarget.go `addHashesToNames` runs last).
 *
 * No file system here: files are read through the injected `FileReader` (POSIX paths).
 */
export type {
  Behavior,
  FileReader,
  GeneratedKind,
  GeneratedObject,
  GeneratorOptionsSpec,
  GeneratorSpec,
  KeySource,
  Kustomization,
  KustomizeProblem,
  KustomizeProblemCode,
  Located,
} from './types';
export {
  findKustomizationFile,
  isKustomizationFileName,
  KUSTOMIZATION_FILE_NAMES,
  parseKustomization,
} from './kustomization';
export { generateObjects } from './generators';
export { contentHash, hashInput, hashName } from './hash';
export type { HashOptions } from './hash';
export { configMapKeyErrors, parseEnvFile, parseFileSource, parseLiteralSource } from './kv';
export type { EnvLine } from './kv';
export { encodeBase64Lines } from './datamap';
