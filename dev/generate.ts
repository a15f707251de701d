/** Generated inputs shared by tests and benchmarks (no side effects on import). */

/** A realistic valid config with `rules` ingress rules (the last one the catch-all). */
export function generateConfig(rules: number): string {
  const out = [
    'tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef',
    'credentials-file: /etc/cloudflared/creds/credentials.json',
    'metrics: 0.0.0.0:2000',
    'no-autoupdate: true',
    'originRequest:',
    '  connectTimeout: 10s',
    'ingress:',
  ];
  for (let i = 0; i < rules - 1; i++) {
    const ns = `ns${i % 50}`;
    out.push(`  - hostname: app${i}.example.com`);
    if (i % 5 === 0) out.push(`    path: ^/api/v${i % 3}(/.*)?$`);
    out.push(`    service: http://svc${i}.${ns}.svc.cluster.local:${8000 + (i % 100)}`);
    if (i % 7 === 0)
      out.push(
        '    originRequest:',
        '      noTLSVerify: true',
        '      httpHostHeader: app.internal',
        '      keepAliveTimeout: 1m30s',
      );
  }
  out.push('  - service: http_status:404', '');
  return out.join('\n');
}

/**
 * A multi-document manifest file with `docs` YAML documents: app Deployments (env, args,
 * command with $(VAR) references), Services, ConfigMaps (some holding a cloudflared config.yaml)
 * and cloudflared Deployments.
 */
export function generateManifests(docs: number): string {
  const out: string[] = [];
  for (let i = 0; i < docs; i++) {
    const name = `app${i}`;
    switch (i % 4) {
      case 0:
        out.push(
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata:',
          `  name: ${name}`,
          '  labels:',
          `    app: ${name}`,
          'spec:',
          '  replicas: 2',
          '  selector:',
          '    matchLabels:',
          `      app: ${name}`,
          '  template:',
          '    metadata:',
          '      labels:',
          `        app: ${name}`,
          '    spec:',
          '      containers:',
          `        - name: ${name}`,
          `          image: registry.example.com/${name}:1.${i}.0`,
          '          command: ["/bin/server"]',
          '          args: ["--port", "$(PORT)", "--db", "postgres://$(DB_USER)@db:5432/app", "--log-level", "info"]',
          '          env:',
          '            - name: PORT',
          '              value: "8080"',
          '            - name: DB_USER',
          '              valueFrom:',
          '                secretKeyRef:',
          `                  name: ${name}-db`,
          '                  key: user',
          '            - name: GREETING',
          '              value: hello from $(PORT)',
          '          ports:',
          '            - containerPort: 8080',
          '          resources:',
          '            limits:',
          '              memory: 256Mi',
        );
        break;
      case 1:
        out.push(
          'apiVersion: v1',
          'kind: Service',
          'metadata:',
          `  name: ${name}`,
          'spec:',
          '  selector:',
          `    app: app${i - 1}`,
          '  ports:',
          '    - port: 80',
          '      targetPort: 8080',
        );
        break;
      case 2:
        out.push('apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: ${name}`, 'data:');
        if (i % 8 === 2) {
          out.push(
            '  config.yaml: |',
            `    tunnel: tunnel-${i}`,
            '    credentials-file: /etc/cloudflared/creds/credentials.json',
            '    metrics: 0.0.0.0:2000',
            '    ingress:',
          );
          for (let r = 0; r < 10; r++)
            out.push(
              `      - hostname: h${r}-app${i}.example.com`,
              `        service: http://app${i - 2}.default.svc.cluster.local:80`,
            );
          out.push('      - service: http_status:404');
        } else {
          out.push(
            '  LOG_LEVEL: info',
            `  FEATURE_FLAGS: "a,b,c${i}"`,
            '  settings.json: |',
            '    {"retries": 3, "timeout": "5s"}',
          );
        }
        break;
      default:
        out.push(
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata:',
          `  name: cloudflared-${i}`,
          'spec:',
          '  template:',
          '    spec:',
          '      containers:',
          '        - name: cloudflared',
          '          image: cloudflare/cloudflared:2026.8.2',
          i % 8 === 3
            ? '          args: ["tunnel", "--no-autoupdate", "run", "--token", "$(TUNNEL_TOKEN)"]'
            : '          args: ["tunnel", "--config", "/etc/cloudflared/config.yaml", "--metrics", "0.0.0.0:2000", "run"]',
          '          env:',
          '            - name: TUNNEL_TOKEN',
          '              valueFrom:',
          '                secretKeyRef:',
          '                  name: cloudflared-token',
          '                  key: token',
          '          livenessProbe:',
          '            httpGet:',
          '              path: /ready',
          '              port: 2000',
        );
    }
    out.push('---');
  }
  out.pop();
  out.push('');
  return out.join('\n');
}
