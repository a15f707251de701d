// Where a cloudflared container serves its metrics (src/core/metrics/port.ts): args, env, config,
// probe, a port named metrics, else the first port of the official image's range; loopback marked.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeMetricsAddress, metricsAddressOf, metricsFlag } from '../../../../src/core/metrics/port';

describe('metricsAddressOf', () => {
  test('--metrics host:port in args, as two arguments or with =; the last one wins', () => {
    assert.deepEqual(metricsAddressOf({ args: ['tunnel', '--no-autoupdate', '--metrics', '0.0.0.0:2000', 'run'] }), {
      port: 2000,
      source: 'args',
      loopback: false,
      address: '0.0.0.0:2000',
    });
    assert.equal(metricsAddressOf({ args: ['tunnel', '--metrics=:3000', 'run'] })?.port, 3000);
    assert.equal(metricsAddressOf({ args: ['tunnel', '--metrics', ':1', '--metrics', ':2', 'run'] })?.port, 2);
    // In `command` too (cloudflared reads one argv).
    assert.equal(
      metricsAddressOf({ command: ['cloudflared', 'tunnel', '--metrics', '[::]:4000'], args: ['run'] })?.port,
      4000,
    );
    assert.equal(metricsFlag(['--metrics']), undefined);
  });

  test('loopback: localhost, 127.x and ::1 are unreachable through the proxy; 0.0.0.0, :: and empty are not', () => {
    for (const a of ['localhost:2000', '127.0.0.1:2000', '127.8.9.1:2000', '[::1]:2000', 'LOCALHOST:2000']) {
      const r = metricsAddressOf({ args: ['tunnel', '--metrics', a, 'run'] });
      assert.equal(r?.loopback, true, a);
      assert.equal(r?.port, 2000, a);
    }
    for (const a of ['0.0.0.0:2000', '[::]:2000', ':2000', '10.0.0.5:2000']) {
      assert.equal(metricsAddressOf({ args: ['--metrics', a] })?.loopback, false, a);
    }
  });

  test('args beat env, env beats the config, the config beats probes and ports', () => {
    const env = [{ name: 'TUNNEL_METRICS', value: '127.0.0.1:5000' }];
    const probes = [{ kind: 'livenessProbe', path: '/ready', port: 7000 }];
    const ports = [{ name: 'metrics', containerPort: 8000 }];
    assert.equal(metricsAddressOf({ args: ['--metrics', ':4000'], env, probes, ports }, ':6000')?.source, 'args');
    assert.deepEqual(metricsAddressOf({ args: ['tunnel', 'run'], env, probes, ports }, ':6000'), {
      port: 5000,
      source: 'env',
      loopback: true,
      address: '127.0.0.1:5000',
    });
    assert.deepEqual(metricsAddressOf({ env: [{ name: 'TUNNEL_METRICS' }], probes, ports }, 'localhost:6000'), {
      port: 6000,
      source: 'config',
      loopback: true,
      address: 'localhost:6000',
    });
    assert.deepEqual(metricsAddressOf({ probes, ports }), { port: 7000, source: 'probe', loopback: false });
    assert.deepEqual(metricsAddressOf({ ports }), { port: 8000, source: 'container-port', loopback: false });
  });

  test('a probe counts only on /ready or /healthcheck; a named probe port resolves through the ports', () => {
    const ports = [{ name: 'http-metrics', containerPort: 2000 }];
    assert.deepEqual(metricsAddressOf({ probes: [{ path: '/ready', port: 'http-metrics' }], ports }), {
      port: 2000,
      source: 'probe',
      loopback: false,
    });
    assert.equal(metricsAddressOf({ probes: [{ path: '/healthcheck', port: '2001' }] })?.port, 2001);
    assert.equal(metricsAddressOf({ probes: [{ path: '/ready', port: 'nope' }] })?.port, 'nope');
    assert.equal(metricsAddressOf({ probes: [{ path: '/healthz', port: 9000 }] })?.source, 'default-range');
  });

  test('nothing set: the official image binds the first free port of 20241–20245, so 20241, and it says so', () => {
    const r = metricsAddressOf({
      args: ['tunnel', '--no-autoupdate', 'run'],
      ports: [{ name: 'http', containerPort: 80 }],
    });
    assert.deepEqual(r, { port: 20241, source: 'default-range', loopback: false });
    assert.match(describeMetricsAddress(r!), /20241–20245/);
  });

  test('an address without a usable port: nothing to scrape', () => {
    assert.equal(metricsAddressOf({ args: ['--metrics', '0.0.0.0:0'] }), undefined);
    assert.equal(metricsAddressOf({ args: ['--metrics', '0.0.0.0'] }), undefined);
    assert.equal(metricsAddressOf({}, 'localhost:http'), undefined);
    // An empty value is as if unset.
    assert.equal(metricsAddressOf({ env: [{ name: 'TUNNEL_METRICS', value: '' }] }, ':2000')?.source, 'config');
  });
});
