/** Generated inputs shared by tests and benchmarks (no side effects on import). */

/** A realistic valid config with `rules` ingress rules (the last one the catch-all). */
export function generateConfig(rules: number): string {
  const out = ['tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef', 'credentials-file: /etc/cloudflared/creds/credentials.json', 'metrics: 0.0.0.0:2000', 'no-autoupdate: true', 'originRequest:', '  connectTimeout: 10s', 'ingress:'];
  for (let i = 0; i < rules - 1; i++) {
    const ns = `ns${i % 50}`;
    out.push(`  - hostname: app${i}.example.com`);
    if (i % 5 === 0) out.push(`    path: ^/api/v${i % 3}(/.*)?$`);
    out.push(`    service: http://svc${i}.${ns}.svc.cluster.local:${8000 + (i % 100)}`);
    if (i % 7 === 0) out.push('    originRequest:', '      noTLSVerify: true', '      httpHostHeader: app.internal', '      keepAliveTimeout: 1m30s');
  }
  out.push('  - service: http_status:404', '');
  return out.join('\n');
}
