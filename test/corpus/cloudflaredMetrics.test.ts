/**
 * `npm run test:corpus`: the Prometheus parser against the `/metrics` pages of real cloudflared
 * builds (../shared/cloudflared; never copied into this repository): every line parses, and the
 * families the Traffic panel reads have cloudflared's names and types.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseExposition, sampleValue } from '../../src/core/metrics/prometheus';

const DIR = resolve(__dirname, '../../../shared/cloudflared');

describe('real cloudflared /metrics pages (../shared/cloudflared)', () => {
  // A build without the release's -ldflags reports version "DEV" (the 2023.7.3 sample): the panel
  // must not call such a pod out as old.
  for (const [version, reported] of [
    ['2026.8.2', '2026.8.2'],
    ['2023.7.3', 'DEV'],
  ] as const) {
    const file = join(DIR, `metrics-sample-${version}.txt`);
    test(`cloudflared ${version}: every line parses; the families the panel reads are there`, () => {
      assert.ok(existsSync(file), `${file} is missing: npm run test:corpus reads ../shared beside the checkout`);
      const e = parseExposition(readFileSync(file, 'utf8'));
      assert.deepEqual(e.errors, []);
      assert.equal(e.families.get('cloudflared_tunnel_total_requests')?.type, 'counter');
      assert.equal(e.families.get('cloudflared_tunnel_concurrent_requests_per_tunnel')?.type, 'gauge');
      assert.equal(e.families.get('cloudflared_tunnel_request_errors')?.type, 'counter');
      assert.equal(e.families.get('cloudflared_tunnel_ha_connections')?.type, 'gauge');
      assert.equal(e.families.get('build_info')?.samples[0]?.labels.version, reported);
      assert.equal(typeof sampleValue(e, 'process_start_time_seconds'), 'number');
      for (const f of e.families.values()) {
        if (f.type !== 'histogram') continue;
        const inf = f.samples.filter((s) => s.name === `${f.name}_bucket` && s.labels.le === '+Inf');
        const count = f.samples.filter((s) => s.name === `${f.name}_count`);
        assert.equal(inf.length, count.length, `${f.name}: one +Inf bucket per series`);
        inf.forEach((s, i) => assert.equal(s.value, count[i]!.value, `${f.name}: +Inf bucket = _count`));
      }
    });
  }
});
