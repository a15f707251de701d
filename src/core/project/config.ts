/**
 * `.cftunnel.yaml`: the project's own settings for the checks, read alike by the editor and by
 * `cftunnel check` (the nearest one, walking up from a checked file's folder: src/node/projectConfig.ts).
 *
 *   rules:                      # per stable code (docs/DIAGNOSTICS.md): off | error | warning | info
 *     access-not-protected: warning
 *     template-not-checked: off
 *   publicHostnames:            # meant to be open to everyone: no access-not-protected
 *     - status.example.com
 *     - "*.public.example.com"
 *   clusterDomain: cluster.local   # Service names are name.ns.svc.<clusterDomain>
 *   ignore:                     # gitignore patterns, relative to this file's folder: not checked
 *     - vendor/
 *     - "charts/**\/templates/"
 *
 * Pure: text in, settings and the file's own problems out (`project-config-invalid`,
 * `project-config-unknown-code`). What is valid in a partly wrong file still applies.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Diagnostic, Range, Severity } from '../types';
import { loadYaml, mapEntries, yamlRange } from '../yaml/load';
import { isIgnored, parseGitignore } from '../workspace/gitignore';
import type { IgnoreRule } from '../workspace/gitignore';
import { CODES } from './codes.generated';

export const PROJECT_CONFIG_FILE = '.cftunnel.yaml';
export const PROJECT_CONFIG_INVALID = 'project-config-invalid';
export const PROJECT_CONFIG_UNKNOWN_CODE = 'project-config-unknown-code';

export type RuleSetting = Severity | 'off';

export interface ProjectConfig {
  /** Absolute path of the file (POSIX), or undefined for "no file". */
  path?: string;
  rules: ReadonlyMap<string, RuleSetting>;
  publicHostnames: readonly string[];
  clusterDomain?: string;
  /** `ignore` as gitignore rules, relative to the file's folder. */
  ignore: readonly IgnoreRule[];
  /** What is wrong in the file itself (shown on it, and by `cftunnel check`). */
  problems: Diagnostic[];
}

export const NO_PROJECT_CONFIG: ProjectConfig = { rules: new Map(), publicHostnames: [], ignore: [], problems: [] };

const SETTINGS: Record<string, RuleSetting> = {
  off: 'off',
  error: 'error',
  warning: 'warning',
  warn: 'warning',
  info: 'information',
  information: 'information',
  hint: 'hint',
};

const KEYS = ['rules', 'publicHostnames', 'clusterDomain', 'ignore'];

/** A DNS name (RFC 1123 labels), as the cluster domain must be. */
const DOMAIN = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export function isProjectConfigPath(path: string | undefined): boolean {
  return path !== undefined && /(^|[/\\])\.cftunnel\.ya?ml$/.test(path);
}

export function parseProjectConfig(text: string, path?: string): ProjectConfig {
  const loaded = loadYaml(text);
  const problems: Diagnostic[] = [...loaded.errors];
  const rules = new Map<string, RuleSetting>();
  const publicHostnames: string[] = [];
  const ignore: IgnoreRule[] = [];
  let clusterDomain: string | undefined;
  const doc = loaded.doc;
  const range = (node: unknown): Range => yamlRange(loaded.lines, node as Scalar);
  const invalid = (node: unknown, message: string): void => {
    problems.push({ code: PROJECT_CONFIG_INVALID, severity: 'error', message, range: range(node) });
  };
  const strings = (node: unknown, key: string): Array<{ value: string; node: Scalar }> => {
    if (!isSeq(node)) {
      invalid(node, `'${key}' must be a list of strings`);
      return [];
    }
    const out: Array<{ value: string; node: Scalar }> = [];
    for (const item of (node as YAMLSeq).items) {
      if (isScalar(item) && typeof item.value === 'string' && item.value.trim() !== '')
        out.push({ value: item.value, node: item });
      else invalid(item, `each entry of '${key}' must be a non-empty string`);
    }
    return out;
  };

  if (doc && doc.contents !== null && !isMap(doc.contents))
    invalid(doc.contents, `${PROJECT_CONFIG_FILE} must be a mapping`);
  if (doc && isMap(doc.contents) && loaded.errors.length === 0) {
    for (const e of mapEntries(doc, doc.contents as YAMLMap)) {
      switch (e.name) {
        case 'rules': {
          if (!isMap(e.value)) {
            invalid(e.value ?? e.key, "'rules' must map codes to off, error, warning or info");
            break;
          }
          for (const r of mapEntries(doc, e.value as YAMLMap)) {
            const value = isScalar(r.value) ? String(r.value.value) : undefined;
            const setting = value !== undefined ? SETTINGS[value.toLowerCase()] : undefined;
            if (!setting) {
              invalid(r.value ?? r.key, `'${r.name}' must be off, error, warning or info`);
              continue;
            }
            if (!(r.name in CODES))
              problems.push({
                code: PROJECT_CONFIG_UNKNOWN_CODE,
                severity: 'warning',
                message: `'${r.name}' is not a cftunnel code (docs/DIAGNOSTICS.md lists them): this setting changes nothing`,
                range: range(r.key),
              });
            rules.set(r.name, setting);
          }
          break;
        }
        case 'publicHostnames':
          publicHostnames.push(...strings(e.value, 'publicHostnames').map((s) => s.value.trim().toLowerCase()));
          break;
        case 'ignore':
          for (const s of strings(e.value, 'ignore')) ignore.push(...parseGitignore(s.value));
          break;
        case 'clusterDomain': {
          const v = isScalar(e.value) ? String(e.value.value).replace(/\.$/, '').toLowerCase() : '';
          if (DOMAIN.test(v)) clusterDomain = v;
          else invalid(e.value ?? e.key, "'clusterDomain' must be a DNS name such as cluster.local");
          break;
        }
        default:
          invalid(e.key, `unknown key '${e.name}' (${PROJECT_CONFIG_FILE} has ${KEYS.join(', ')})`);
      }
    }
  }
  return {
    ...(path !== undefined ? { path } : {}),
    rules,
    publicHostnames,
    ...(clusterDomain !== undefined ? { clusterDomain } : {}),
    ignore,
    problems,
  };
}

/**
 * The diagnostics with the project's rule settings applied: `off` drops a code, a severity
 * replaces the checker's. The file's own problems are never turned off by it.
 */
export function applyRules<D extends Diagnostic>(diagnostics: readonly D[], config: ProjectConfig): D[] {
  if (config.rules.size === 0) return [...diagnostics];
  const out: D[] = [];
  for (const d of diagnostics) {
    const setting = d.code.startsWith('project-config-') ? undefined : config.rules.get(d.code);
    if (setting === undefined) out.push(d);
    else if (setting !== 'off') out.push(setting === d.severity ? d : { ...d, severity: setting });
  }
  return out;
}

/** Whether `file` (absolute, POSIX) is one the project's `ignore` leaves unchecked. */
export function ignoredByProject(file: string, config: ProjectConfig): boolean {
  if (!config.path || config.ignore.length === 0) return false;
  const dir = config.path.slice(0, config.path.lastIndexOf('/')) || '/';
  return isIgnored(file, dir, [{ dir, rules: [...config.ignore] }]);
}
