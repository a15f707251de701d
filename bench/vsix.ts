/**
 * The size of the packaged extension: `.cache/cftunnel.vsix`, built as the e2e run builds it
 * (scripts/e2e/package-vsix.mjs: `vsce package`, whose vscode:prepublish is the typecheck and the
 * production build). The zip's central directory is read here (no unzip, no dependency): total
 * bytes, entries, unpacked bytes, the biggest entries and each dist/*.js bundle (`bundles`: bytes and
 * compressed bytes; dist/extension.js is what activation loads, dist/kubernetes.js loads lazily).
 *
 * A cached package is reused when it is a production build (not the e2e `--stub` or
 * `--no-prepublish` package) of exactly the current sources: package-vsix.mjs records the hash of
 * everything that goes into it (PACKAGE_INPUTS) and `staleReason` compares it, as for `npm run demo`
 * and `npm run test:e2e`. BENCH_REPACKAGE=1 packages regardless.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import type { Benchmark, Result } from './measure';
import { staleReason as sharedStaleReason } from '../scripts/e2e/package-vsix.mjs';

export const repoRoot = join(__dirname, '..');
export const vsixPath = join(repoRoot, '.cache', 'cftunnel.vsix');

export interface ZipEntry {
  name: string;
  method: number;
  compressedBytes: number;
  bytes: number;
  localHeaderOffset: number;
}

/** The entries of a zip file's central directory (no ZIP64: a .vsix of this size never needs it). */
export function zipEntries(zip: Buffer): ZipEntry[] {
  // End of central directory record: 22 bytes plus a comment of at most 65535 bytes, at the very end.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory record)');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || p === 0xffffffff) throw new Error('ZIP64 archives are not supported');
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory header at ${p}`);
    const nameLength = zip.readUInt16LE(p + 28);
    entries.push({
      name: zip.toString('utf8', p + 46, p + 46 + nameLength),
      method: zip.readUInt16LE(p + 10),
      compressedBytes: zip.readUInt32LE(p + 20),
      bytes: zip.readUInt32LE(p + 24),
      localHeaderOffset: zip.readUInt32LE(p + 42),
    });
    p += 46 + nameLength + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return entries;
}

/** The uncompressed content of one entry (stored or deflated). */
export function zipRead(zip: Buffer, entry: ZipEntry): Buffer {
  const h = entry.localHeaderOffset;
  if (zip.readUInt32LE(h) !== 0x04034b50) throw new Error(`bad local header for ${entry.name}`);
  const start = h + 30 + zip.readUInt16LE(h + 26) + zip.readUInt16LE(h + 28);
  const data = zip.subarray(start, start + entry.compressedBytes);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method === 8) return inflateRawSync(data);
  throw new Error(`${entry.name}: unsupported compression method ${entry.method}`);
}

/**
 * What a .vsix holds: the e2e `--stub` package has no language server, a `--no-prepublish` one has
 * development bundles (they end with a source map comment); only a production package is measured.
 */
export function vsixKind(zip: Buffer): 'production' | 'development' | 'stub' {
  const entries = zipEntries(zip);
  const extension = entries.find((e) => e.name === 'extension/dist/extension.js');
  if (!extension || !entries.some((e) => e.name === 'extension/dist/server.js')) return 'stub';
  const tail = zipRead(zip, extension).subarray(-200).toString('utf8');
  return /\/\/# sourceMappingURL=/.test(tail) ? 'development' : 'production';
}

/** Why the cached package cannot be reused (the same content hash the demo and the e2e run use), or undefined. */
function staleReason(): string | undefined {
  if (process.env.BENCH_REPACKAGE === '1') return 'BENCH_REPACKAGE=1';
  const why = sharedStaleReason();
  if (why) return why;
  const kind = vsixKind(readFileSync(vsixPath));
  if (kind !== 'production') return `it is a ${kind} package`;
  return undefined;
}

interface Packaged {
  path: string;
  packaged: boolean;
  package_ms?: number;
  /** false when vscode:prepublish failed and the production bundles were packed without the typecheck. */
  typechecked?: boolean;
}

let ensured: Packaged | undefined;

function runQuietly(cmd: string, args: string[]): string | undefined {
  // vsce's and esbuild's output go to stderr so that stdout keeps the results table.
  const r = spawnSync(cmd, args, {
    cwd: repoRoot,
    stdio: ['ignore', process.stderr, process.stderr],
    timeout: 600_000,
  });
  return r.error || r.status !== 0
    ? `${[cmd, ...args].join(' ')} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})`
    : undefined;
}

/**
 * The production bundles packed with vsce's pack(), the options package-vsix.mjs gives it, but without
 * vscode:prepublish: what a release would ship when only the typecheck fails (e.g. in a test file
 * someone is editing).
 */
async function packWithoutTypecheck(): Promise<void> {
  const failed = runQuietly(process.execPath, [join(repoRoot, 'esbuild.mjs'), '--production']);
  if (failed) throw new Error(failed);
  const require = createRequire(join(repoRoot, 'package.json'));
  type Vsce = { readManifest(cwd: string): Promise<unknown>; pack(options: Record<string, unknown>): Promise<unknown> };
  const vsce = require('@vscode/vsce/out/package.js') as Vsce;
  const util = require('@vscode/vsce/out/util.js') as {
    patchOptionsWithManifest(options: Record<string, unknown>, manifest: unknown): void;
  };
  const options: Record<string, unknown> = {
    cwd: repoRoot,
    packagePath: vsixPath,
    dependencies: false,
    allowMissingRepository: true,
    skipLicense: true,
    rewriteRelativeLinks: false,
  };
  util.patchOptionsWithManifest(options, await vsce.readManifest(repoRoot));
  // vsce lists the packed files on stdout: send them to stderr with the rest of its output.
  const log = console.log;
  console.log = (...args: unknown[]) => console.error(...args);
  try {
    await vsce.pack(options);
  } finally {
    console.log = log;
  }
}

/**
 * Makes sure .cache/cftunnel.vsix is a current production package, packaging at most once per
 * `npm run bench`: scripts/e2e/package-vsix.mjs as the e2e run does; should its typecheck fail, the
 * same production bundles without it (the result then says `typechecked: false`).
 */
export async function ensureVsix(): Promise<Packaged> {
  if (ensured && existsSync(ensured.path)) return ensured;
  const why = staleReason();
  if (!why) return (ensured = { path: vsixPath, packaged: false });
  console.error(`[bench] packaging the extension (${why}): node scripts/e2e/package-vsix.mjs`);
  const t = performance.now();
  let typechecked = true;
  const failed = runQuietly(process.execPath, [join(repoRoot, 'scripts', 'e2e', 'package-vsix.mjs')]);
  if (failed) {
    console.error(`[bench] ${failed}; packing the production build without vscode:prepublish's typecheck instead`);
    typechecked = false;
    await packWithoutTypecheck();
  }
  if (!existsSync(vsixPath)) throw new Error(`packaging finished but ${vsixPath} does not exist`);
  const kind = vsixKind(readFileSync(vsixPath));
  if (kind !== 'production') throw new Error(`packaging produced a ${kind} package`);
  return (ensured = { path: vsixPath, packaged: true, package_ms: Math.round(performance.now() - t), typechecked });
}

export function vsixBenchmarks(): Benchmark[] {
  return [
    {
      id: 'vsix-size',
      async run(): Promise<Result> {
        const { path, packaged, package_ms, typechecked } = await ensureVsix();
        const zip = readFileSync(path);
        const entries = zipEntries(zip).filter((e) => !e.name.endsWith('/'));
        const largest = [...entries]
          .sort((a, b) => b.compressedBytes - a.compressedBytes)
          .slice(0, 5)
          .map((e) => ({
            name: e.name.replace(/^extension\//, ''),
            bytes: e.bytes,
            compressed_bytes: e.compressedBytes,
          }));
        const unpacked = entries.reduce((n, e) => n + e.bytes, 0);
        const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
        // Each bundle on its own: dist/extension.js is what activation loads, dist/kubernetes.js only
        // the first use of a cluster view or command (src/extension/kubernetes/lazy.ts).
        const bundles = Object.fromEntries(
          entries
            .filter((e) => /^extension\/dist\/[^/]+\.js$/.test(e.name))
            .sort((a, b) => b.bytes - a.bytes)
            .map((e) => [e.name.replace(/^extension\//, ''), { bytes: e.bytes, compressed_bytes: e.compressedBytes }]),
        );
        return {
          id: 'vsix-size',
          median_ms: 0,
          runs: 1,
          size_bytes: zip.length,
          files: entries.length,
          unpacked_bytes: unpacked,
          largest,
          bundles,
          packaged,
          ...(package_ms !== undefined ? { package_ms, typechecked } : {}),
          detail:
            `${kib(unpacked)} unpacked; bundles unpacked (packed): ` +
            Object.entries(bundles)
              .map(([name, b]) => `${name.replace(/^dist\//, '')} ${kib(b.bytes)} (${kib(b.compressed_bytes)})`)
              .join(', ') +
            (packaged
              ? `; packaged in ${((package_ms ?? 0) / 1000).toFixed(1)} s${typechecked ? '' : ' without the typecheck (package-vsix.mjs failed)'}`
              : '; reused .cache/cftunnel.vsix'),
        };
      },
    },
  ];
}
