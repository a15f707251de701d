// The Prometheus text-format parser (src/core/metrics/prometheus.ts), on expositions written here in
// client_golang's shape (the real cloudflared samples are checked by test/corpus), and fuzzed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseExposition, parseGoFloat, sampleValue } from '../../../../src/core/metrics/prometheus';

const PAGE = `# HELP cloudflared_tunnel_total_requests Amount of requests proxied through all the tunnels
# TYPE cloudflared_tunnel_total_requests counter
cloudflared_tunnel_total_requests 1027
# HELP cloudflared_tunnel_response_by_code Count of responses by HTTP status code
# TYPE cloudflared_tunnel_response_by_code counter
cloudflared_tunnel_response_by_code{status_code="200"} 1000
cloudflared_tunnel_response_by_code{status_code="404"} 27
# HELP cloudflared_tunnel_server_locations Where each tunnel is connected to. 1 means current location, 0 means previous locations.
# TYPE cloudflared_tunnel_server_locations gauge
cloudflared_tunnel_server_locations{connection_id="0",edge_location="ams16"} 1
cloudflared_tunnel_server_locations{connection_id="1",edge_location="fra08"} 1
# HELP cloudflared_rpc_client_latency_secs Latency of RPC methods by the RPC client
# TYPE cloudflared_rpc_client_latency_secs histogram
cloudflared_rpc_client_latency_secs_bucket{handler="registration",method="register_connection",le="0.05"} 2
cloudflared_rpc_client_latency_secs_bucket{handler="registration",method="register_connection",le="+Inf"} 4
cloudflared_rpc_client_latency_secs_sum{handler="registration",method="register_connection"} 0.42
cloudflared_rpc_client_latency_secs_count{handler="registration",method="register_connection"} 4
cloudflared_rpc_client_latency_secs_bucket{handler="config",method="update_configuration",le="0.05"} 1
cloudflared_rpc_client_latency_secs_bucket{handler="config",method="update_configuration",le="+Inf"} 1
cloudflared_rpc_client_latency_secs_sum{handler="config",method="update_configuration"} 0.01
cloudflared_rpc_client_latency_secs_count{handler="config",method="update_configuration"} 1
# HELP go_gc_duration_seconds A summary of the wall-time pause (stop-the-world) duration in garbage collection cycles.
# TYPE go_gc_duration_seconds summary
go_gc_duration_seconds{quantile="0"} NaN
go_gc_duration_seconds{quantile="1"} +Inf
go_gc_duration_seconds_sum 0
go_gc_duration_seconds_count 0
# HELP build_info Build and version information
# TYPE build_info gauge
build_info{goversion="go1.24.6",revision="2026-08-20-1200 UTC",type="",version="2026.8.2"} 1
`;

describe('parseExposition', () => {
  test('families, types, HELP, labelled histograms kept apart by their labels', () => {
    const e = parseExposition(PAGE);
    assert.deepEqual(e.errors, []);
    assert.equal(e.families.get('cloudflared_tunnel_total_requests')?.type, 'counter');
    assert.equal(sampleValue(e, 'cloudflared_tunnel_total_requests'), 1027);
    assert.equal(sampleValue(e, 'cloudflared_tunnel_response_by_code', { status_code: '404' }), 27);
    const h = e.families.get('cloudflared_rpc_client_latency_secs')!;
    assert.equal(h.type, 'histogram');
    assert.equal(h.samples.length, 8, 'buckets, _sum and _count of both label sets belong to the family');
    assert.equal(
      sampleValue(
        e,
        'cloudflared_rpc_client_latency_secs',
        { handler: 'config' },
        'cloudflared_rpc_client_latency_secs_sum',
      ),
      0.01,
    );
    assert.equal(
      sampleValue(
        e,
        'cloudflared_rpc_client_latency_secs',
        { method: 'register_connection', le: '+Inf' },
        'cloudflared_rpc_client_latency_secs_bucket',
      ),
      4,
    );
    assert.equal(e.families.has('cloudflared_rpc_client_latency_secs_bucket'), false);
    assert.equal(e.families.get('build_info')?.samples[0]?.labels.version, '2026.8.2');
    assert.match(e.families.get('cloudflared_tunnel_server_locations')!.help!, /1 means current location/);
  });

  test('NaN, +Inf and -Inf are numbers; a summary owns its _sum and _count', () => {
    const e = parseExposition(PAGE + 'x_gauge -Inf\n');
    assert.ok(Number.isNaN(sampleValue(e, 'go_gc_duration_seconds', { quantile: '0' })));
    assert.equal(sampleValue(e, 'go_gc_duration_seconds', { quantile: '1' }), Infinity);
    assert.equal(sampleValue(e, 'go_gc_duration_seconds', {}, 'go_gc_duration_seconds_count'), 0);
    assert.equal(sampleValue(e, 'x_gauge'), -Infinity);
    assert.equal(e.families.get('x_gauge')?.type, 'untyped');
  });

  test('label values may hold escapes, "}", "," and "="; HELP text escapes', () => {
    const e = parseExposition('# HELP m a\\\\b\\nc\nm{a="x}y",b="1,2=3",c="q\\"uote\\\\\\n", } 5 1700000000000\n');
    assert.deepEqual(e.errors, []);
    const s = e.families.get('m')!.samples[0]!;
    assert.deepEqual(s.labels, { a: 'x}y', b: '1,2=3', c: 'q"uote\\\n' });
    assert.equal(s.value, 5);
    assert.equal(s.timestamp, 1700000000000);
    assert.equal(e.families.get('m')!.help, 'a\\b\nc');
  });

  test('CRLF line ends, blank lines, comments and tabs', () => {
    const e = parseExposition('# just a comment\r\n\r\n\tm\t3\t\r\n#TYPE not a type line\n');
    assert.deepEqual(e.errors, []);
    assert.equal(sampleValue(e, 'm'), 3);
  });

  test('a bad line costs that line only, with its number', () => {
    const e = parseExposition(
      'a 1\nb{x="1" 2\nc notanumber\nd{1x="y"} 3\ne 4 5 6\nf 7\n# TYPE f counter\n# TYPE g wobbly\n',
    );
    assert.equal(sampleValue(e, 'a'), 1);
    assert.equal(sampleValue(e, 'f'), 7);
    assert.deepEqual(
      e.errors.map((x) => x.line),
      [2, 3, 4, 5, 7, 8],
    );
    assert.match(e.errors[0]!.message, /expected "," or "}"/);
  });

  test('parseGoFloat: Go syntax, not JavaScript’s', () => {
    assert.equal(parseGoFloat('1e+06'), 1e6);
    assert.equal(parseGoFloat('0x1p-2'), 0.25);
    assert.equal(parseGoFloat('-0.5'), -0.5);
    assert.equal(parseGoFloat('Infinity'), Infinity);
    assert.equal(parseGoFloat(''), undefined);
    assert.equal(parseGoFloat('0b101'), undefined, 'Number() would take it');
    assert.equal(parseGoFloat(' 1'), undefined);
  });

  test('fuzzed input never throws and every error names a line that exists', () => {
    const line = fc.oneof(
      fc.string(),
      fc.constantFrom('# TYPE m histogram', '# HELP m x', 'm_bucket{le="+Inf"} 1', 'm{a="\\"}"} NaN', 'm_sum 1'),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), (lines) => {
        const text = lines.join('\n');
        const e = parseExposition(text);
        const count = text.split('\n').length;
        return e.errors.every((x) => x.line >= 1 && x.line <= count);
      }),
      { numRuns: 2000 },
    );
  });

  test('a 5,000-series page parses whole (the bench measures its speed)', () => {
    const lines = ['# TYPE m counter'];
    for (let i = 0; i < 5000; i++) lines.push(`m{pod="p${i % 10}",code="${i}"} ${i}`);
    const e = parseExposition(lines.join('\n') + '\n');
    assert.equal(e.families.get('m')!.samples.length, 5000);
    assert.equal(sampleValue(e, 'm', { code: '4999' }), 4999);
  });
});
