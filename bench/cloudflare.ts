/**
 * Time to build the Tunnels tree for an account with 500 tunnels and 2,000 DNS records, against
 * the local Cloudflare API server (loopback HTTP, the real SDK, the wrapper), and the number of
 * API requests it takes. Floor: the pure tree shaping alone over the same answers.
 */
import { CloudflareApi } from '../src/cloudflare/api';
import { buildAccountTree } from '../src/cloudflare/tree';
import { buildTunnelsTree } from '../src/core/cloudflare/tunnelsTree';
import { largeState, startCloudflareApi } from '../dev/servers/cloudflare/server';
import { medianOf } from './measure';
import type { Benchmark, Result } from './measure';

const TOKEN = 'bench-token';

async function treeBenchmark(id: string, tunnels: number, records: number): Promise<Result> {
  const data = largeState(tunnels, records);
  const accountId = data.accounts[0]!.id;
  const server = await startCloudflareApi({ token: TOKEN, data });
  try {
    let requests = 0;
    const api = new CloudflareApi({ token: TOKEN, baseURL: server.url, onRequest: () => requests++ });
    const run = async (): Promise<number> => {
      requests = 0;
      const t = performance.now();
      await buildAccountTree(api, accountId);
      return performance.now() - t;
    };
    for (let i = 0; i < 3; i++) await run();
    const times: number[] = [];
    const start = performance.now();
    while (times.length < 100 && (times.length < 15 || performance.now() - start < 3000)) times.push(await run());
    times.sort((a, b) => a - b);

    // Floor: shaping the same answers without HTTP.
    const [list, zones] = await Promise.all([api.listTunnels(accountId), api.listZones(accountId)]);
    const cnames = await api.listTunnelCnames(zones.map((z) => z.id));
    const floor = medianOf(() =>
      buildTunnelsTree({ account: { id: accountId }, tunnels: list, zones, records: cnames }),
    );

    // One more build, counting its requests alone.
    await run();
    return {
      id,
      median_ms: times[Math.floor(times.length / 2)]!,
      floor_ms: floor.median,
      runs: times.length,
      p90_ms: times[Math.floor(times.length * 0.9)]!,
      requests,
      tunnels,
      dns_records: records,
    };
  } finally {
    await server.close();
  }
}

export function cloudflareBenchmarks(): Benchmark[] {
  return [
    {
      id: 'tunnels-tree-500',
      goal: 'one request per list: tunnels, zones, DNS per zone',
      run: () => treeBenchmark('tunnels-tree-500', 500, 2000),
    },
  ];
}
