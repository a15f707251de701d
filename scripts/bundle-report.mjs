// What each bundle in dist/ is made of, from the esbuild metafiles every build writes
// (dist/<bundle>.meta.json, esbuild.mjs): its size, then its biggest inputs by bytes in the output,
// grouped by npm package (src/ by folder), or file by file with --files.
//
//   npm run bundle:report                      production build, then this report (all bundles)
//   node scripts/bundle-report.mjs [--top N] [--files] [--json] [bundle ...]
//                                              e.g. `node scripts/bundle-report.mjs extension kubernetes`
//
// The numbers are those of the last build: `npm run build` gives the development bundles (unminified).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/** "node_modules/@scope/name/…" → "@scope/name"; "src/core/…" → "src/core"; anything else as is. */
export function groupOf(input) {
  const path = input.replace(/\\/g, '/');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(path);
  if (pkg) return pkg[1];
  const src = /^src\/[^/]+/.exec(path);
  return src ? src[0] : path;
}

/** One bundle's summary: { name, bytes, inputs: [{ name, bytes }] } sorted by bytes, biggest first. */
export function summarize(name, metafile, { files = false } = {}) {
  const [outfile, output] = Object.entries(metafile.outputs).find(([f]) => !f.endsWith('.map')) ?? [];
  if (!output) throw new Error(`${name}: the metafile has no output`);
  const bytes = new Map();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const key = files ? input : groupOf(input);
    bytes.set(key, (bytes.get(key) ?? 0) + bytesInOutput);
  }
  const inputs = [...bytes].map(([n, b]) => ({ name: n, bytes: b })).sort((a, b) => b.bytes - a.bytes);
  return { name, outfile, bytes: output.bytes, inputs };
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

function main() {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) || 10 : 10;
  const files = args.includes('--files');
  const json = args.includes('--json');
  const wanted = args.filter((a, i) => !a.startsWith('--') && i !== topAt + 1);
  const available = existsSync(dist)
    ? readdirSync(dist)
        .filter((f) => f.endsWith('.meta.json'))
        .map((f) => f.slice(0, -'.meta.json'.length))
        .sort()
    : [];
  if (available.length === 0) {
    console.error('No dist/*.meta.json: build first (`node esbuild.mjs --production`, or `npm run bundle:report`).');
    process.exit(1);
  }
  const names = wanted.length ? wanted : available;
  const missing = names.filter((n) => !available.includes(n));
  if (missing.length) {
    console.error(`No dist/${missing[0]}.meta.json (bundles: ${available.join(', ')})`);
    process.exit(1);
  }
  const reports = names.map((n) =>
    summarize(n, JSON.parse(readFileSync(join(dist, `${n}.meta.json`), 'utf8')), { files }),
  );
  if (json) {
    console.log(
      JSON.stringify(
        reports.map((r) => ({ ...r, inputs: r.inputs.slice(0, top) })),
        null,
        2,
      ),
    );
    return;
  }
  for (const r of reports) {
    console.log(`${r.outfile}  ${kib(r.bytes)} (${r.bytes.toLocaleString('en-US')} bytes)`);
    for (const i of r.inputs.slice(0, top)) {
      const share = ((i.bytes / r.bytes) * 100).toFixed(1).padStart(5);
      console.log(`  ${kib(i.bytes).padStart(11)}  ${share}%  ${i.name}`);
    }
    const rest = r.inputs.slice(top);
    if (rest.length) {
      const bytes = rest.reduce((n, i) => n + i.bytes, 0);
      console.log(
        `  ${kib(bytes).padStart(11)}  ${((bytes / r.bytes) * 100).toFixed(1).padStart(5)}%  (${rest.length} more)`,
      );
    }
    console.log('');
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
