import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Mapping, VarRef } from '../../../../src/core/kubernetes/expand';
import {
  expand,
  isShellInvocation,
  mappingFuncFor,
  scanVarRefs,
  toK8sRef,
} from '../../../../src/core/kubernetes/expand';

// ---------------------------------------------------------------------------------------------
// Ported from Kubernetes: third_party/forked/golang/expansion/expand_test.go
// (kubernetes/kubernetes @ 490ffa432a878f5a75e5b5906d820d06e672556e). Every case of
// TestMapReference, TestMapping, TestMappingDual and their shared doExpansionTest table, same names,
// inputs and expectations (Go and JS string escapes agree for all of them).
// ---------------------------------------------------------------------------------------------

test('k8s TestMapReference: env values see earlier env values', () => {
  const envs = [
    { name: 'FOO', value: 'bar' },
    { name: 'ZOO', value: '$(FOO)-1' },
    { name: 'BLU', value: '$(ZOO)-2' },
  ];
  const declaredEnv: Record<string, string> = { FOO: 'bar', ZOO: '$(FOO)-1', BLU: '$(ZOO)-2' };
  const serviceEnv: Record<string, string> = {};
  const mapping = mappingFuncFor(declaredEnv, serviceEnv);
  for (const env of envs) declaredEnv[env.name] = expand(env.value, mapping);
  assert.deepEqual(declaredEnv, { FOO: 'bar', ZOO: 'bar-1', BLU: 'bar-1-2' });
});

/** doExpansionTest's table, verbatim. */
const expansionCases: ReadonlyArray<{ name: string; input: string; expected: string }> = [
  { name: 'whole string', input: '$(VAR_A)', expected: 'A' },
  { name: 'repeat', input: '$(VAR_A)-$(VAR_A)', expected: 'A-A' },
  { name: 'beginning', input: '$(VAR_A)-1', expected: 'A-1' },
  { name: 'middle', input: '___$(VAR_B)___', expected: '___B___' },
  { name: 'end', input: '___$(VAR_C)', expected: '___C' },
  { name: 'compound', input: '$(VAR_A)_$(VAR_B)_$(VAR_C)', expected: 'A_B_C' },
  { name: 'escape & expand', input: '$$(VAR_B)_$(VAR_A)', expected: '$(VAR_B)_A' },
  { name: 'compound escape', input: '$$(VAR_A)_$$(VAR_B)', expected: '$(VAR_A)_$(VAR_B)' },
  { name: 'mixed in escapes', input: 'f000-$$VAR_A', expected: 'f000-$VAR_A' },
  { name: 'backslash escape ignored', input: 'foo\\$(VAR_C)bar', expected: 'foo\\Cbar' },
  { name: 'backslash escape ignored', input: 'foo\\\\$(VAR_C)bar', expected: 'foo\\\\Cbar' },
  { name: 'lots of backslashes', input: 'foo\\\\\\\\$(VAR_A)bar', expected: 'foo\\\\\\\\Abar' },
  { name: 'nested var references', input: '$(VAR_A$(VAR_B))', expected: '$(VAR_A$(VAR_B))' },
  { name: 'nested var references second type', input: '$(VAR_A$(VAR_B)', expected: '$(VAR_A$(VAR_B)' },
  { name: 'value is a reference', input: '$(VAR_REF)', expected: '$(VAR_A)' },
  { name: 'value is a reference x 2', input: '%%$(VAR_REF)--$(VAR_REF)%%', expected: '%%$(VAR_A)--$(VAR_A)%%' },
  { name: 'empty var', input: 'foo$(VAR_EMPTY)bar', expected: 'foobar' },
  { name: 'unterminated expression', input: 'foo$(VAR_Awhoops!', expected: 'foo$(VAR_Awhoops!' },
  { name: 'expression without operator', input: 'f00__(VAR_A)__', expected: 'f00__(VAR_A)__' },
  { name: 'shell special vars pass through', input: '$?_boo_$!', expected: '$?_boo_$!' },
  { name: 'bare operators are ignored', input: '$VAR_A', expected: '$VAR_A' },
  { name: 'undefined vars are passed through', input: '$(VAR_DNE)', expected: '$(VAR_DNE)' },
  { name: 'multiple (even) operators, var undefined', input: '$$$$$$(BIG_MONEY)', expected: '$$$(BIG_MONEY)' },
  { name: 'multiple (even) operators, var defined', input: '$$$$$$(VAR_A)', expected: '$$$(VAR_A)' },
  { name: 'multiple (odd) operators, var undefined', input: '$$$$$$$(GOOD_ODDS)', expected: '$$$$(GOOD_ODDS)' },
  { name: 'multiple (odd) operators, var defined', input: '$$$$$$$(VAR_A)', expected: '$$$A' },
  { name: 'missing open expression', input: '$VAR_A)', expected: '$VAR_A)' },
  { name: 'shell syntax ignored', input: '${VAR_A}', expected: '${VAR_A}' },
  { name: 'trailing incomplete expression not consumed', input: '$(VAR_B)_______$(A', expected: 'B_______$(A' },
  {
    name: 'trailing incomplete expression, no content, is not consumed',
    input: '$(VAR_C)_______$(',
    expected: 'C_______$(',
  },
  { name: 'operator at end of input string is preserved', input: '$(VAR_A)foobarzab$', expected: 'Afoobarzab$' },
  { name: 'shell escaped incomplete expr', input: 'foo-\\$(VAR_A', expected: 'foo-\\$(VAR_A' },
  { name: 'lots of $( in middle', input: '--$($($($($--', expected: '--$($($($($--' },
  { name: 'lots of $( in beginning', input: '$($($($($--foo$(', expected: '$($($($($--foo$(' },
  { name: 'lots of $( at end', input: 'foo0--$($($($(', expected: 'foo0--$($($($(' },
  { name: 'escaped operators in variable names are not escaped', input: '$(foo$$var)', expected: '$(foo$$var)' },
  { name: 'newline not expanded', input: '\n', expected: '\n' },
];

function doExpansionTest(mapping: Mapping): void {
  assert.equal(expansionCases.length, 37);
  for (const tc of expansionCases) {
    assert.equal(expand(tc.input, mapping), tc.expected, tc.name);
  }
}

test('k8s TestMapping: one context', () => {
  doExpansionTest(mappingFuncFor({ VAR_A: 'A', VAR_B: 'B', VAR_C: 'C', VAR_REF: '$(VAR_A)', VAR_EMPTY: '' }));
});

test('k8s TestMappingDual: two contexts, first one wins', () => {
  doExpansionTest(mappingFuncFor({ VAR_A: 'A', VAR_EMPTY: '' }, { VAR_B: 'B', VAR_C: 'C', VAR_REF: '$(VAR_A)' }));
});

// ---------------------------------------------------------------------------------------------
// Ours, beyond the upstream table.
// ---------------------------------------------------------------------------------------------

test('expand: a mapping returning undefined keeps $(NAME), like MappingFuncFor', () => {
  const vars = new Map([
    ['VAR_A', 'A'],
    ['VAR_EMPTY', ''],
  ]);
  const mapping: Mapping = (name) => vars.get(name);
  assert.equal(expand('$(VAR_A)/$(NOPE)/$(VAR_EMPTY)|', mapping), 'A/$(NOPE)/|');
  assert.equal(expand('$()', mapping), '$()', 'empty name is looked up and kept');
  assert.equal(expand('', mapping), '');
  assert.equal(expand('$', mapping), '$');
  assert.equal(expand('$$', mapping), '$');
});

test('mappingFuncFor: Map contexts, and no Object.prototype lookups', () => {
  const mapping = mappingFuncFor(new Map([['A', '1']]), { B: '2' });
  assert.equal(expand('$(A)$(B)$(constructor)$(toString)', mapping), '12$(constructor)$(toString)');
});

// Kubernetes 1.34 corrupted a multi-byte character after `$` (kubernetes/kubernetes#136323); fixed in
// #136325 (expand.go @ fde22c3f9aacfd260225a9741de123a41157b7c0), which decodes a whole rune there.
test('expand: a non-ASCII character after $ is kept whole (kubernetes#136325)', () => {
  const mapping = mappingFuncFor({ VAR_A: 'A' });
  assert.equal(expand('$£FOO', mapping), '$£FOO');
  assert.equal(expand('prefix-$€-suffix', mapping), 'prefix-$€-suffix');
  assert.equal(expand('$中文', mapping), '$中文');
  assert.equal(expand('$😀$(VAR_A)', mapping), '$😀A', 'astral character after $');
  assert.equal(expand('$(😀)$(VAR_A)', mapping), '$(😀)A');
});

// ---------------------------------------------------------------------------------------------
// scanVarRefs
// ---------------------------------------------------------------------------------------------

const ref = (kind: VarRef['kind'], name: string, start: number, end: number): VarRef => ({ kind, name, start, end });

test('scanVarRefs: each kind, with UTF-16 offsets covering the reference', () => {
  assert.deepEqual(scanVarRefs('$(TOKEN)'), [ref('k8s', 'TOKEN', 0, 8)]);
  assert.deepEqual(scanVarRefs('"$(TOKEN)"'), [ref('k8s', 'TOKEN', 1, 9)]);
  assert.deepEqual(scanVarRefs('$TOKEN'), [ref('shell-bare', 'TOKEN', 0, 6)]);
  assert.deepEqual(scanVarRefs('${TOKEN}'), [ref('shell-braced', 'TOKEN', 0, 8)]);
  assert.deepEqual(scanVarRefs('--token=$TOKEN --x'), [ref('shell-bare', 'TOKEN', 8, 14)]);
  assert.deepEqual(scanVarRefs('--token ${TUNNEL_TOKEN}'), [ref('shell-braced', 'TUNNEL_TOKEN', 8, 23)]);
  assert.deepEqual(scanVarRefs('😀$TOKEN'), [ref('shell-bare', 'TOKEN', 2, 8)]);
});

test('scanVarRefs: $$ is an escape, never the start of another reference', () => {
  assert.deepEqual(scanVarRefs('$$(TOKEN)'), [ref('escaped', 'TOKEN', 0, 2)]);
  assert.deepEqual(scanVarRefs('$$TOKEN'), [ref('escaped', 'TOKEN', 0, 2)]);
  assert.deepEqual(scanVarRefs('$${TOKEN}'), [ref('escaped', 'TOKEN', 0, 2)]);
  assert.deepEqual(scanVarRefs('$$'), [ref('escaped', '', 0, 2)]);
  assert.deepEqual(scanVarRefs('$$ x'), [ref('escaped', '', 0, 2)]);
  // Odd runs: the last `$` pairs with what follows.
  assert.deepEqual(scanVarRefs('$$$(TOKEN)'), [ref('escaped', '', 0, 2), ref('k8s', 'TOKEN', 2, 10)]);
  assert.deepEqual(scanVarRefs('$$$TOKEN'), [ref('escaped', '', 0, 2), ref('shell-bare', 'TOKEN', 2, 8)]);
  assert.deepEqual(scanVarRefs('$$$$(TOKEN)'), [ref('escaped', '', 0, 2), ref('escaped', 'TOKEN', 2, 4)]);
});

test('scanVarRefs: mixed strings, in order', () => {
  assert.deepEqual(scanVarRefs('a $(A) b $B c ${C} d $$D e $(F'), [
    ref('k8s', 'A', 2, 6),
    ref('shell-bare', 'B', 9, 11),
    ref('shell-braced', 'C', 14, 18),
    ref('escaped', 'D', 21, 23),
  ]);
  assert.deepEqual(scanVarRefs('tunnel --token $TUNNEL_TOKEN --url=http://$(HOST):$PORT'), [
    ref('shell-bare', 'TUNNEL_TOKEN', 15, 28),
    ref('k8s', 'HOST', 42, 49),
    ref('shell-bare', 'PORT', 50, 55),
  ]);
});

test('scanVarRefs: follows the Kubernetes state machine on odd inputs', () => {
  // `$(` reads to the first `)`, whatever is in between: this is what the kubelet looks up.
  assert.deepEqual(scanVarRefs('$(VAR_A$(VAR_B))'), [ref('k8s', 'VAR_A$(VAR_B', 0, 15)]);
  assert.deepEqual(scanVarRefs('$(foo$$var)'), [ref('k8s', 'foo$$var', 0, 11)]);
  assert.deepEqual(scanVarRefs('$()'), [ref('k8s', '', 0, 3)]);
  assert.deepEqual(scanVarRefs('$(date +%s) x'), [ref('k8s', 'date +%s', 0, 11)]);
  // Unterminated `$(`: no reference, but scanning goes on after the `(`.
  assert.deepEqual(scanVarRefs('$($TOKEN'), [ref('shell-bare', 'TOKEN', 2, 8)]);
  assert.deepEqual(scanVarRefs('--$($($($($--'), []);
  assert.deepEqual(scanVarRefs('$VAR_A)'), [ref('shell-bare', 'VAR_A', 0, 6)]);
});

test('scanVarRefs: no reference in shell specials, digits, bad braces or a trailing $', () => {
  for (const s of ['$?_boo_$!', '$1', '${1}', '${}', '${TOKEN', '${TOKEN:-x}', '$-', '$', 'a$', '$£FOO', '\n', '']) {
    assert.deepEqual(scanVarRefs(s), [], JSON.stringify(s));
  }
});

test('toK8sRef: rewrites shell-style references to $(NAME) that expand as intended', () => {
  const input = '--token=$TOKEN --url ${URL}';
  const refs = scanVarRefs(input);
  assert.deepEqual(refs.map(toK8sRef), ['$(TOKEN)', '$(URL)']);
  let fixed = input;
  for (const r of [...refs].reverse()) fixed = fixed.slice(0, r.start) + toK8sRef(r) + fixed.slice(r.end);
  assert.equal(fixed, '--token=$(TOKEN) --url $(URL)');
  assert.equal(expand(fixed, mappingFuncFor({ TOKEN: 't', URL: 'u' })), '--token=t --url u');
});

/** Rebuilds expand's output from scanVarRefs alone: k8s refs are mapped, escapes become `$`. */
function expandFromRefs(input: string, mapping: Mapping): string {
  let out = '';
  let at = 0;
  for (const r of scanVarRefs(input)) {
    if (r.kind !== 'k8s' && r.kind !== 'escaped') continue;
    out += input.slice(at, r.start) + (r.kind === 'escaped' ? '$' : (mapping(r.name) ?? `$(${r.name})`));
    at = r.end;
  }
  return out + input.slice(at);
}

test('scanVarRefs walks the same state machine as expand (property)', () => {
  const alphabet = fc.constantFrom('$', '$', '(', ')', '{', '}', 'A', 'B', '_', '1', ' ', '😀', 'é');
  const mapping = mappingFuncFor({ A: 'x', B: '', AB: '$(A)' });
  fc.assert(
    fc.property(
      fc.array(alphabet, { maxLength: 24 }).map((cs) => cs.join('')),
      (input) => {
        assert.equal(expandFromRefs(input, mapping), expand(input, mapping));
        const refs = scanVarRefs(input);
        for (let i = 0; i < refs.length; i++) {
          const r = refs[i]!;
          assert.ok(r.start < r.end && r.end <= input.length);
          if (i > 0) assert.ok(refs[i - 1]!.end <= r.start, 'sorted, non-overlapping');
          const text = input.slice(r.start, r.end);
          if (r.kind === 'k8s') assert.equal(text, `$(${r.name})`);
          if (r.kind === 'shell-bare') assert.equal(text, `$${r.name}`);
          if (r.kind === 'shell-braced') assert.equal(text, `\${${r.name}}`);
          if (r.kind === 'escaped') assert.equal(text, '$$');
        }
      },
    ),
    { numRuns: 2000 },
  );
});

// ---------------------------------------------------------------------------------------------
// isShellInvocation
// ---------------------------------------------------------------------------------------------

test('isShellInvocation: shells run with -c', () => {
  const yes: Array<[command: string[] | undefined, args?: string[]]> = [
    [['sh', '-c', 'cloudflared tunnel run --token $TOKEN'], undefined],
    [['/bin/sh', '-c'], ['cloudflared tunnel run --token $TOKEN']],
    [['/bin/bash', '-ec', 'x']],
    [['bash', '-xc', 'x']],
    [['ash', '-euxc', 'x']],
    [['dash', '-ce', 'x']],
    [['zsh', '-c', 'x']],
    [['/usr/bin/env', 'sh', '-c', 'x']],
    [['env', 'FOO=1', 'bash', '-c', 'x']],
    [['/usr/bin/env', '-i', 'bash', '-c', 'x']],
    [['busybox', 'sh', '-c', 'x']],
    [['bash', '-o', 'pipefail', '-c', 'x']],
    [['bash', '-eo', 'pipefail', '-c', 'x']],
    [['bash', '--login', '-c', 'x']],
    [['sh'], ['-c', 'x']],
    [undefined, ['sh', '-c', 'x']],
    [[], ['/bin/sh', '-c', 'x']],
  ];
  for (const [command, args] of yes) {
    assert.equal(isShellInvocation(command, args), true, JSON.stringify({ command, args }));
  }
});

test('isShellInvocation: everything else', () => {
  const no: Array<[command: string[] | undefined, args?: string[]]> = [
    [undefined, undefined],
    [[], []],
    [
      ['cloudflared', 'tunnel', 'run'],
      ['--token', '$TOKEN'],
    ],
    [undefined, ['tunnel', '--no-autoupdate', 'run', '--token', '$TOKEN']],
    [['cloudflared'], ['sh', '-c', 'x']],
    [['sh', 'script.sh', '-c']],
    [['sh', '-e', 'script.sh']],
    [['sh', '--', '-c']],
    [['sh']],
    [['bash', '-o', 'c', 'x']],
    [['python3', '-c', 'print(1)']],
    [['shell', '-c', 'x']],
    [['/usr/bin/env', 'python', '-c', 'x']],
    [['sh', '+c', 'x']],
  ];
  for (const [command, args] of no) {
    assert.equal(isShellInvocation(command, args), false, JSON.stringify({ command, args }));
  }
});
