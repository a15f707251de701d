/**
 * The kustomize model: parsing with positions, kustomize's source rules, generatorOptions merge,
 * the content hash (expected names were printed by `kubectl kustomize`, kustomize v5.5.0) and the
 * problems it reports. Files come from an in-memory FileReader.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  contentHash,
  encodeBase64Lines,
  findKustomizationFile,
  generateObjects,
  hashInput,
  hashName,
  isKustomizationFileName,
  parseEnvFile,
  parseFileSource,
  parseKustomization,
  parseLiteralSource,
} from '../../../../src/core/kustomize/model';
import type { FileReader, GeneratedObject, KustomizeProblem } from '../../../../src/core/kustomize/model';
import type { Range } from '../../../../src/core/types';
import { yaml } from '../../../support/config';

const DIR = '/repo/deploy';

function memory(files: Record<string, string | Uint8Array>, dirs: string[] = []): FileReader {
  const abs = (p: string): string => (p.startsWith('/') ? p : `${DIR}/${p}`);
  const table = new Map(Object.entries(files).map(([p, c]) => [abs(p), c]));
  const dirSet = new Set(dirs.map(abs));
  return {
    read: (p) => {
      const c = table.get(p);
      return c === undefined ? undefined : typeof c === 'string' ? c : new TextDecoder().decode(c);
    },
    readBytes: (p) => {
      const c = table.get(p);
      return c === undefined ? undefined : typeof c === 'string' ? new TextEncoder().encode(c) : c;
    },
    isDirectory: (p) => dirSet.has(p),
    list: (d) => [...table.keys()].filter((p) => p.startsWith(`${d}/`)).map((p) => p.slice(d.length + 1)),
  };
}

function build(
  text: string,
  files: Record<string, string | Uint8Array> = {},
  dirs: string[] = [],
): { objects: GeneratedObject[]; problems: KustomizeProblem[] } {
  return generateObjects(parseKustomization(DIR, text), memory(files, dirs));
}

function one(text: string, files: Record<string, string | Uint8Array> = {}): GeneratedObject {
  const { objects, problems } = build(text, files);
  assert.deepEqual(
    problems.filter((p) => p.severity === 'error'),
    [],
  );
  assert.equal(objects.length, 1);
  return objects[0]!;
}

/** The text a range covers. */
function covered(text: string, r: Range): string {
  const lines = text.split('\n');
  if (r.start.line === r.end.line) return lines[r.start.line]!.slice(r.start.character, r.end.character);
  return [
    lines[r.start.line]!.slice(r.start.character),
    ...lines.slice(r.start.line + 1, r.end.line),
    lines[r.end.line]!.slice(0, r.end.character),
  ].join('\n');
}

function codes(problems: KustomizeProblem[]): string[] {
  return problems.map((p) => p.code);
}

describe('hash (api/hasher/hasher.go), names as kubectl kustomize printed them', () => {
  test('the name does not enter the hash; it is appended after prefix and suffix', () => {
    assert.equal(hashName('ConfigMap', 'x', { a: 'b' }), 'x-4h2mbtbbt6');
    assert.equal(hashName('ConfigMap', 'pre-x-suf', { a: 'b' }), 'pre-x-suf-4h2mbtbbt6');
    assert.equal(hashInput('ConfigMap', { a: 'b' }), '{"data":{"a":"b"},"kind":"ConfigMap","name":""}');
  });

  test('empty ConfigMap: data looked up as "" (as kustomize hasher_test expects); empty Secret: {}', () => {
    assert.equal(hashInput('ConfigMap', {}), '{"data":"","kind":"ConfigMap","name":""}');
    assert.equal(contentHash('ConfigMap', {}), '6ct58987ht');
    assert.equal(hashInput('Secret', {}), '{"data":{},"kind":"Secret","name":"","type":"Opaque"}');
    assert.equal(contentHash('Secret', {}), '46f8b28mk5');
  });

  test('Go json.Marshal escapes <, > and &', () => {
    assert.match(hashInput('ConfigMap', { x: '<a&b>' }), /\\u003ca\\u0026b\\u003e/);
    assert.equal(contentHash('ConfigMap', { x: '<a&b>', bin: 'ÿ' }), 'hdm25htfhb');
  });

  test('Secret: type enters the hash, values are base64 in 70-character lines', () => {
    assert.equal(
      contentHash('Secret', { 'tls.crt': 'abc', 'tls.key': 'def' }, { type: 'kubernetes.io/tls' }),
      'td2b65gdb7',
    );
    const creds =
      '{"AccountTag":"0123456789abcdef0123456789abcdef","TunnelSecret":"ZmFrZQ==","TunnelID":"00000000-0000-0000-0000-000000000000"}\n';
    assert.equal(contentHash('Secret', { 'credentials.json': creds }), '5m5k86f7th');
  });

  test('encodeBase64Lines: one line below 70 characters, else every line ends with \\n', () => {
    assert.equal(encodeBase64Lines(new Uint8Array(51)), 'A'.repeat(68));
    assert.equal(encodeBase64Lines(new Uint8Array(54)), `${'A'.repeat(70)}\n${'A'.repeat(2)}\n`);
    assert.equal(encodeBase64Lines(new Uint8Array(0)), '');
  });

  test('binary ConfigMap values go to binaryData; a Secret takes the bytes', () => {
    const blob = new Uint8Array([0x00, 0xff, 0xfe, 0x80, ...new TextEncoder().encode('binary'), 0x01]);
    const bom = '\ufeffstarts with a BOM\r\nand CRLF\r\n';
    assert.equal(contentHash('ConfigMap', { 'blob.bin': blob, 'bom.txt': bom }), '2b6tmk64k2');
    assert.equal(contentHash('Secret', { 'blob.bin': blob }), 'fc4dkhgc48');
  });
});

describe('sources (api/kv/kv.go, generators/utils.go)', () => {
  test('literals: split at the first =, one pair of matching quotes stripped', () => {
    assert.deepEqual(parseLiteralSource('A="x"'), { key: 'A', value: 'x' });
    assert.deepEqual(parseLiteralSource("A='x'"), { key: 'A', value: 'x' });
    assert.deepEqual(parseLiteralSource('A=""x""'), { key: 'A', value: '"x"' });
    assert.deepEqual(parseLiteralSource('A="x\''), { key: 'A', value: '"x\'' });
    assert.deepEqual(parseLiteralSource('A="'), { key: 'A', value: '"' });
    assert.deepEqual(parseLiteralSource('A=b=c'), { key: 'A', value: 'b=c' });
    assert.deepEqual(parseLiteralSource('A='), { key: 'A', value: '' });
    assert.deepEqual(parseLiteralSource('novalue'), { error: 'invalid literal source novalue, expected key=value' });
    assert.deepEqual(parseLiteralSource('=b'), { error: 'invalid literal source =b, expected key=value' });
  });

  test('files: [key=]path, key defaults to the base name', () => {
    assert.deepEqual(parseFileSource('conf/config.yaml'), { key: 'config.yaml', path: 'conf/config.yaml' });
    assert.deepEqual(parseFileSource('cfg=conf/config.yaml'), { key: 'cfg', path: 'conf/config.yaml' });
    assert.deepEqual(parseFileSource('conf/'), { key: 'conf', path: 'conf/' });
    assert.deepEqual(parseFileSource('=a'), { error: 'missing key name for file path "a" in source "=a"' });
    assert.deepEqual(parseFileSource('a='), { error: 'missing file path for key name "a" in source "a="' });
    assert.deepEqual(parseFileSource('a=b=c'), { error: 'source "a=b=c" key name or file path contains \'=\'' });
  });

  test('env files: BOM on line 1 only, CRLF, comments, leading blanks, values verbatim', () => {
    const text = '\ufeffA="q"  \r\n  # comment\r\n\r\n\u00a0\tB=x=y\r\nC\r\n\ufeffD=1\nE=last';
    assert.deepEqual(parseEnvFile(text).lines, [
      { key: 'A', value: '"q"  ', line: 0, noEquals: false },
      { key: 'B', value: 'x=y', line: 3, noEquals: false },
      { key: 'C', value: '', line: 4, noEquals: true },
      { key: '\ufeffD', value: '1', line: 5, noEquals: false },
      { key: 'E', value: 'last', line: 6, noEquals: false },
    ]);
  });

  test('env files: a line of 64 KiB or more silently ends the file (bufio.Scanner)', () => {
    const ok = parseEnvFile(`A=1\nB=${'x'.repeat(65533)}\nC=3\n`);
    assert.deepEqual(
      ok.lines.map((l) => l.key),
      ['A', 'B', 'C'],
    );
    assert.equal(ok.truncatedAt, undefined);
    const cut = parseEnvFile(`A=1\nB=${'x'.repeat(65534)}\nC=3\n`);
    assert.deepEqual(
      cut.lines.map((l) => l.key),
      ['A'],
    );
    assert.equal(cut.truncatedAt, 1);
  });
});

describe('kustomization files', () => {
  test('recognised names, and exactly one per folder', () => {
    assert.ok(isKustomizationFileName('/a/kustomization.yaml'));
    assert.ok(isKustomizationFileName('kustomization.yml'));
    assert.ok(isKustomizationFileName('/a/Kustomization'));
    assert.ok(!isKustomizationFileName('/a/kustomization.json'));
    assert.deepEqual(findKustomizationFile(DIR, memory({ Kustomization: 'x' })), { path: `${DIR}/Kustomization` });
    assert.match(
      findKustomizationFile(DIR, memory({ 'kustomization.yaml': 'x', 'kustomization.yml': 'y' })).error!,
      /^Found multiple kustomization files under: /,
    );
    assert.match(findKustomizationFile(DIR, memory({})).error!, /unable to find one of/);
    const noList: FileReader = { read: (p) => (p === `${DIR}/kustomization.yml` ? 'x' : undefined) };
    assert.deepEqual(findKustomizationFile(DIR, noList), { path: `${DIR}/kustomization.yml` });
  });
});

describe('parseKustomization', () => {
  const text = yaml`
    namespace: cloudflare
    namePrefix: edge-
    resources:
      - deployment.yaml
    bases:
      - ../base
    configMapGenerator:
      - name: cloudflared-config
        files:
          - config.yaml
        literals: ["A=1"]
    secretGenerator:
      - name: creds
        type: kubernetes.io/tls
        envs: [a.env]
        env: b.env
    generatorOptions:
      labels: {app: cloudflared}
      disableNameSuffixHash: true
    patches:
      - path: patch.yaml
  `;
  const k = parseKustomization(DIR, text);

  test('fields and positions', () => {
    assert.deepEqual(k.problems, []);
    assert.equal(k.namespace?.value, 'cloudflare');
    assert.equal(covered(text, k.namePrefix!.range), 'edge-');
    assert.deepEqual(
      k.resources.map((r) => r.value),
      ['deployment.yaml', '../base'],
    );
    const cm = k.configMapGenerator[0]!;
    assert.equal(covered(text, cm.name!.range), 'cloudflared-config');
    assert.equal(covered(text, cm.headRange), 'cloudflared-config');
    assert.equal(covered(text, cm.files[0]!.range), 'config.yaml');
    assert.equal(cm.files[0]!.range.start.line, 9);
    assert.equal(covered(text, cm.literals[0]!.range), '"A=1"');
    const s = k.secretGenerator[0]!;
    assert.equal(s.type?.value, 'kubernetes.io/tls');
    assert.equal(covered(text, s.env!.range), 'b.env');
    assert.deepEqual(k.generatorOptions?.labels, { app: 'cloudflared' });
    assert.equal(k.generatorOptions?.disableNameSuffixHash?.value, true);
    assert.deepEqual(k.transformers, ['patches']);
  });

  test("Go's encoding/json: case-insensitive names, last duplicate wins, unknown fields refused", () => {
    const k2 = parseKustomization(
      DIR,
      'namePrefix: a-\nnameprefix: b-\nconfigmapgenerator:\n- NAME: e\n  literals: [a=1]\n  foo: 1\n',
    );
    assert.equal(k2.namePrefix?.value, 'b-');
    assert.equal(k2.configMapGenerator[0]?.name?.value, 'e');
    assert.deepEqual(
      k2.problems.map((p) => [p.code, p.message]),
      [['kustomize-unknown-field', 'invalid Kustomization: json: unknown field "foo"']],
    );
  });

  test('yaml.v2 typing: y, yes, numbers are not strings', () => {
    const src =
      'namespace: 1\nsecretGenerator:\n- name: s\n  options:\n    labels: {x: y}\n    immutable: "true"\n  literals: [a=1, 2]\ngeneratorOptions:\n  disableNameSuffixHash: yes\n';
    const k3 = parseKustomization(DIR, src);
    assert.deepEqual(
      k3.problems.map((p) => [p.message, covered(src, p.range)]),
      [
        [
          'invalid Kustomization: json: cannot unmarshal number into Go struct field Kustomization.namespace of type string',
          '1',
        ],
        [
          'invalid Kustomization: json: cannot unmarshal number into Go struct field SecretArgs.secretGenerator.literals of type string',
          '2',
        ],
        [
          'invalid Kustomization: json: cannot unmarshal bool into Go struct field GeneratorOptions.secretGenerator.options.labels of type string',
          'y',
        ],
        [
          'invalid Kustomization: json: cannot unmarshal string into Go struct field GeneratorOptions.secretGenerator.options.immutable of type bool',
          '"true"',
        ],
      ],
    );
    assert.equal(k3.generatorOptions?.disableNameSuffixHash?.value, true);
  });

  test('label and annotation keys must be strings in YAML 1.1 (n, 1, ~ are not)', () => {
    const src = 'generatorOptions:\n  annotations: {n: x, "y": ok, 1: one}\n';
    const k5 = parseKustomization(DIR, src);
    assert.deepEqual(k5.generatorOptions?.annotations, { y: 'ok' });
    assert.deepEqual(
      k5.problems.map((p) => [p.code, covered(src, p.range)]),
      [
        ['kustomize-type', 'n'],
        ['kustomize-type', '1'],
      ],
    );
    assert.match(k5.problems[0]!.message, /^the key n is read as a bool \(YAML 1\.1\), not a string/);
  });

  test('anchors and yaml.v2 merge keys (a merge overrides earlier keys; in a list, the first map wins)', () => {
    const src = yaml`
      configMapGenerator:
        - name: d
          literals: [a=1]
          options: &opts
            labels: {a: "1", b: "1"}
        - name: e
          literals: [a=2]
          options:
            labels: {a: "0"}
            <<: *opts
        - name: f
          literals: [a=3]
          options:
            <<: [{labels: {c: "1"}}, {labels: {d: "2"}}]
    `;
    const k6 = parseKustomization(DIR, src);
    assert.deepEqual(k6.problems, []);
    assert.deepEqual(
      k6.configMapGenerator.map((g) => g.options?.labels),
      [{ a: '1', b: '1' }, { a: '1', b: '1' }, { c: '1' }],
    );
  });

  test('wrong shapes', () => {
    const msg = (src: string): string[] => parseKustomization(DIR, src).problems.map((p) => p.message);
    assert.deepEqual(msg('configMapGenerator: x\n'), [
      'invalid Kustomization: json: cannot unmarshal string into Go struct field Kustomization.configMapGenerator of type []types.ConfigMapArgs',
    ]);
    assert.deepEqual(msg('configMapGenerator: [x]\n'), [
      'invalid Kustomization: json: cannot unmarshal string into Go struct field Kustomization.configMapGenerator of type types.ConfigMapArgs',
    ]);
    assert.deepEqual(msg('generatorOptions:\n  labels: [x]\n'), [
      'invalid Kustomization: json: cannot unmarshal array into Go struct field GeneratorOptions.generatorOptions.labels of type map[string]string',
    ]);
    assert.deepEqual(msg('secretGenerator:\n- name: s\n  env: [a]\n'), [
      'invalid Kustomization: json: cannot unmarshal array into Go struct field SecretArgs.secretGenerator.env of type string',
    ]);
    assert.deepEqual(msg('- a\n'), [
      'invalid Kustomization: json: cannot unmarshal array into Go value of type types.Kustomization',
    ]);
    assert.deepEqual(msg(''), ['kustomization.yaml is empty']);
    assert.deepEqual(msg('kind: Kustomization\n'), ['kustomization.yaml is empty']);
    assert.deepEqual(msg('kind: Foo\nresources: [a]\n'), ['kind should be Kustomization or Component']);
    assert.deepEqual(msg('kind: Component\napiVersion: kustomize.config.k8s.io/v1beta1\nresources: [a]\n'), [
      'apiVersion for Component should be kustomize.config.k8s.io/v1alpha1',
    ]);
    const syntax = parseKustomization(DIR, 'resources: [a\n');
    assert.equal(syntax.problems[0]?.code, 'kustomize-yaml');
  });

  test('never throws on odd input', () => {
    for (const src of [
      'a: &x [*x]\n',
      '? [a]\n: b\n',
      'configMapGenerator:\n- ~\n',
      '---\n---\n',
      '!!binary x',
      'a: *nope\n',
    ]) {
      const k4 = parseKustomization(DIR, src);
      generateObjects(k4, memory({}));
    }
  });
});

describe('generateObjects', () => {
  test('config.yaml from a file: data, key source, hash', () => {
    const text = yaml`
      configMapGenerator:
        - name: cloudflared-config
          files:
            - config.yaml
    `;
    const o = one(text, { 'config.yaml': 'tunnel: abc\n' });
    assert.equal(o.name, `cloudflared-config-${contentHash('ConfigMap', { 'config.yaml': 'tunnel: abc\n' })}`);
    assert.equal(o.baseName, 'cloudflared-config');
    assert.deepEqual(o.data, { 'config.yaml': 'tunnel: abc\n' });
    assert.equal(o.keys[0]!.source.kind, 'file');
    assert.equal(o.keys[0]!.source.path, `${DIR}/config.yaml`);
    assert.equal(covered(text, o.keys[0]!.source.range), 'config.yaml');
    assert.equal(o.behavior, 'create');
    assert.ok(o.exact);
  });

  test('prefix, suffix and namespace (the kustomization namespace wins); hash last', () => {
    const { objects } = build(
      'namespace: prod\nnamePrefix: pre-\nnameSuffix: -suf\nconfigMapGenerator:\n- name: x\n  namespace: other\n  literals: [a=b]\n',
    );
    assert.equal(objects[0]!.name, 'pre-x-suf-4h2mbtbbt6');
    assert.equal(objects[0]!.namespace, 'prod');
    const { objects: o2 } = build('configMapGenerator:\n- name: x\n  namespace: other\n  literals: [a=b]\n');
    assert.equal(o2[0]!.namespace, 'other');
  });

  test('sources load in kustomize order: envs, env, literals, files; repeats are errors', () => {
    const text =
      'configMapGenerator:\n- name: e\n  files: [a=f.txt]\n  literals: [a=2]\n  envs: [x.env]\n  env: y.env\n';
    const { objects, problems } = build(text, { 'f.txt': 'f', 'x.env': 'a=0\n', 'y.env': 'b=1\n' });
    assert.deepEqual(
      objects[0]!.keys.map((k) => [k.key, k.source.kind, k.source.line]),
      [
        ['a', 'env', 0],
        ['b', 'env', 0],
      ],
    );
    assert.deepEqual(objects[0]!.data, { a: '0', b: '1' });
    const dup = problems.filter((p) => p.code === 'kustomize-duplicate-key');
    assert.deepEqual(
      dup.map((p) => [p.message, covered(text, p.range)]),
      [
        ['configmap e illegally repeats the key `a`', 'a=2'],
        ['configmap e illegally repeats the key `a`', 'a=f.txt'],
      ],
    );
    assert.ok(!objects[0]!.exact);
    assert.ok(codes(problems).includes('kustomize-env-deprecated'));
  });

  test('envs: quotes kept (information), lines without = (information), with the env file line', () => {
    const { objects, problems } = build('secretGenerator:\n- name: token\n  envs: [t.env]\n', {
      't.env': '# fake\nTUNNEL_TOKEN="fake"\nLONELY\n',
    });
    assert.deepEqual(objects[0]!.data, { TUNNEL_TOKEN: '"fake"', LONELY: '' });
    assert.deepEqual(
      problems.map((p) => [p.code, p.severity, p.related]),
      [
        ['kustomize-env-quoted-value', 'information', { path: `${DIR}/t.env`, line: 1 }],
        ['kustomize-env-no-value', 'information', { path: `${DIR}/t.env`, line: 2 }],
      ],
    );
  });

  test('keys kustomize accepts but the API server refuses are warnings', () => {
    const { objects, problems } = build(
      'configMapGenerator:\n- name: e\n  literals: ["bad key=1", "..x=2", "ok.key-1_=3"]\n',
    );
    assert.equal(objects[0]!.name, `e-${contentHash('ConfigMap', { 'bad key': '1', '..x': '2', 'ok.key-1_': '3' })}`);
    assert.deepEqual(
      problems.map((p) => [p.code, p.severity]),
      [
        ['kustomize-invalid-key', 'warning'],
        ['kustomize-invalid-key', 'warning'],
      ],
    );
    assert.match(problems[0]!.message, /a valid config key must consist of alphanumeric characters/);
    assert.match(problems[1]!.message, /must not start with '\.\.'/);
  });

  test('missing input, directory, outside the folder, remote: problems on the entry, object inexact', () => {
    const text =
      'configMapGenerator:\n- name: e\n  files: [missing.txt, sub, ../../etc/passwd, "https://example.com/x"]\n  envs: [nope.env]\n';
    const { objects, problems } = build(text, { '/etc/passwd': 'root' }, ['sub']);
    assert.deepEqual(
      problems.map((p) => [p.code, p.message, covered(text, p.range)]),
      [
        [
          'kustomize-missing-file',
          `evalsymlink failure on '${DIR}/nope.env' : lstat ${DIR}/nope.env: no such file or directory`,
          'nope.env',
        ],
        [
          'kustomize-missing-file',
          `evalsymlink failure on '${DIR}/missing.txt' : lstat ${DIR}/missing.txt: no such file or directory`,
          'missing.txt',
        ],
        ['kustomize-not-a-file', `'${DIR}/sub' must resolve to a file`, 'sub'],
        ['kustomize-outside-root', `security; file '/etc/passwd' is not in or below '${DIR}'`, '../../etc/passwd'],
        [
          'kustomize-remote-file',
          'kustomize downloads https://example.com/x; its content (and so the name hash) is not checked here',
          '"https://example.com/x"',
        ],
      ],
    );
    assert.equal(objects.length, 1);
    assert.ok(!objects[0]!.exact);
  });

  test('invalid literal and file sources', () => {
    const { problems } = build('configMapGenerator:\n- name: e\n  literals: [novalue]\n  files: [a=b=c]\n');
    assert.deepEqual(codes(problems), ['kustomize-invalid-literal', 'kustomize-invalid-file-source']);
  });

  test('a generator needs a name', () => {
    const text = 'secretGenerator:\n- literals: [a=1]\n';
    const { objects, problems } = build(text);
    assert.equal(objects.length, 0);
    assert.deepEqual(
      problems.map((p) => [p.message, covered(text, p.range)]),
      [['a configmap must have a name', 'literals']],
    );
  });

  test('generatorOptions: local maps win, a global true cannot be turned off', () => {
    const { objects } = build(yaml`
      generatorOptions:
        disableNameSuffixHash: true
        immutable: true
        labels: {a: global, b: global}
        annotations: {note: global}
      configMapGenerator:
        - name: e
          literals: [a=1]
          options:
            disableNameSuffixHash: false
            immutable: false
            labels: {a: local}
    `);
    const o = objects[0]!;
    assert.equal(o.name, 'e');
    assert.equal(o.disableNameSuffixHash, true);
    assert.equal(o.immutable, true);
    assert.deepEqual(o.labels, { a: 'local', b: 'global' });
    assert.deepEqual(o.annotations, { note: 'global' });
    assert.equal(o.hash, 'h29d89cmmt');
  });

  test('immutable does not change the hash', () => {
    const { objects } = build('configMapGenerator:\n- name: e\n  literals: [a=1]\n  options:\n    immutable: true\n');
    assert.equal(objects[0]!.name, 'e-h29d89cmmt');
    assert.equal(objects[0]!.immutable, true);
  });

  test('Secret type: Opaque by default, kubernetes.io/tls wants tls.crt and tls.key', () => {
    assert.equal(one('secretGenerator:\n- name: s\n  literals: [a=1]\n').type, 'Opaque');
    assert.equal(one('secretGenerator:\n- name: s\n  type: ""\n  literals: [a=1]\n').name, 's-25khgmg44c');
    const text = 'secretGenerator:\n- name: tls\n  type: kubernetes.io/tls\n  literals: [tls.crt=x]\n';
    const { problems } = build(text);
    assert.deepEqual(
      problems.map((p) => [p.code, covered(text, p.range)]),
      [['kustomize-tls-keys', 'kubernetes.io/tls']],
    );
    assert.match(problems[0]!.message, /data\[tls\.key\]: Required value/);
  });

  test('behavior merge / replace against an earlier generator (reswrangler appendReplaceOrMerge)', () => {
    const { objects, problems } = build(yaml`
      configMapGenerator:
        - name: settings
          literals: [a=1, b=2]
          options:
            labels: {first: "1"}
        - name: settings
          behavior: merge
          literals: [b=3, c=4]
          options:
            labels: {second: "2"}
        - name: replaced
          literals: [old=1]
          options:
            disableNameSuffixHash: true
        - name: replaced
          behavior: replace
          literals: [new=1]
    `);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      objects.map((o) => [o.name, o.data, o.labels]),
      [
        ['settings-fbcmkbc66h', { a: '1', b: '3', c: '4' }, { first: '1', second: '2' }],
        ['replaced', { new: '1' }, {}],
      ],
    );
    assert.deepEqual(
      objects[0]!.keys.map((k) => k.key),
      ['a', 'b', 'c'],
    );
  });

  test('merge without a target: error without resources, information with them', () => {
    const src = 'configMapGenerator:\n- name: e\n  behavior: merge\n  literals: [a=1]\n';
    const alone = build(src);
    assert.deepEqual(
      alone.problems.map((p) => [p.code, p.severity, p.message]),
      [['kustomize-merge-target-missing', 'error', 'ConfigMap "e" does not exist; cannot merge or replace']],
    );
    const withBase = build(`resources: [../base]\n${src}`);
    assert.deepEqual(
      withBase.problems.map((p) => [p.code, p.severity]),
      [['kustomize-merge-external', 'information']],
    );
    assert.ok(!withBase.objects[0]!.exact);
  });

  test('the same object twice, or twice after the namespace transformer, is an error', () => {
    const twice = build('configMapGenerator:\n- name: e\n  literals: [a=1]\n- name: e\n  literals: [a=2]\n');
    assert.deepEqual(codes(twice.problems), ['kustomize-duplicate-object']);
    assert.equal(twice.objects.length, 1);
    const ns = build(
      'namespace: z\nconfigMapGenerator:\n- name: e\n  namespace: xx\n  literals: [a=1]\n- name: e\n  namespace: yy\n  literals: [a=2]\n',
    );
    assert.deepEqual(codes(ns.problems), ['kustomize-duplicate-object']);
    assert.match(ns.problems[0]!.message, /^namespace transformation produces ID conflict/);
    const sameKindDifferentNs = build(
      'configMapGenerator:\n- name: e\n  namespace: xx\n  literals: [a=1]\n- name: e\n  namespace: yy\n  literals: [a=2]\n',
    );
    assert.deepEqual(sameKindDifferentNs.problems, []);
    const cmAndSecret = build(
      'configMapGenerator:\n- name: e\n  literals: [a=1]\nsecretGenerator:\n- name: e\n  literals: [a=1]\n',
    );
    assert.deepEqual(
      cmAndSecret.objects.map((o) => o.name),
      ['e-h29d89cmmt', 'e-25khgmg44c'],
    );
  });

  test('a key named __proto__ is an ordinary key', () => {
    const o = one(
      'configMapGenerator:\n- name: e\n  literals: [__proto__=1, a=2]\n  options:\n    labels: {__proto__: x}\n',
    );
    assert.deepEqual(Object.keys(o.data), ['__proto__', 'a']);
    assert.deepEqual(Object.keys(o.labels), ['__proto__']);
    assert.equal(
      o.hash,
      contentHash(
        'ConfigMap',
        Object.fromEntries([
          ['__proto__', '1'],
          ['a', '2'],
        ]),
      ),
    );
    assert.match(hashInput('ConfigMap', Object.fromEntries([['__proto__', '1']])), /"__proto__":"1"/);
  });

  test('unknown behavior: treated as create, with a warning', () => {
    const { objects, problems } = build('configMapGenerator:\n- name: e\n  behavior: foo\n  literals: [a=1]\n');
    assert.equal(objects[0]!.behavior, 'create');
    assert.deepEqual(codes(problems), ['kustomize-unknown-behavior']);
  });

  test('bytes through readBytes: binaryData for ConfigMaps, raw bytes for Secrets, BOM kept in files', () => {
    const blob = new Uint8Array([0x00, 0xff, 0xfe, 0x80, ...new TextEncoder().encode('binary'), 0x01]);
    const files = { 'blob.bin': blob, 'bom.txt': '\ufeffstarts with a BOM\r\nand CRLF\r\n' };
    const { objects } = build(
      'configMapGenerator:\n- name: binary\n  files: [blob.bin, bom.txt]\nsecretGenerator:\n- name: binary-secret\n  files: [blob.bin]\n',
      files,
    );
    assert.deepEqual(
      objects.map((o) => o.name),
      ['binary-2b6tmk64k2', 'binary-secret-fc4dkhgc48'],
    );
    assert.deepEqual(objects[0]!.binaryData, { 'blob.bin': 'AP/+gGJpbmFyeQE=' });
    assert.deepEqual(objects[0]!.data, { 'bom.txt': files['bom.txt'] });
  });

  test('env files through readBytes: invalid UTF-8 is an error', () => {
    const { problems } = build('configMapGenerator:\n- name: e\n  envs: [x.env]\n', {
      'x.env': new Uint8Array([0x41, 0x3d, 0x31, 0x0a, 0x42, 0x3d, 0xff]),
    });
    assert.deepEqual(
      problems.map((p) => [p.code, p.related]),
      [['kustomize-invalid-utf8', { path: `${DIR}/x.env`, line: 1 }]],
    );
  });

  test('all problems of the kustomization are returned, parse problems first', () => {
    const { problems } = build('foo: 1\nconfigMapGenerator:\n- name: e\n  files: [missing]\n');
    assert.deepEqual(codes(problems), ['kustomize-unknown-field', 'kustomize-missing-file']);
  });
});
