/** Hover on config keys: type, default, description, what cloudflared checks. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { configHover } from '../../../../src/core/config/hover';
import {
  ACCESS,
  FLAG_KEYS,
  INGRESS_RULE,
  IP_RULE,
  ORIGIN_REQUEST,
  PLAIN_FLAGS,
  STRUCTURED_KEYS,
  WARP_ROUTING,
} from '../../../../src/core/config/schema';
import { yaml } from '../../../support/config';
import { cursor } from '../../../support/cursor';

function hoverAt(marked: string, kind: 'cloudflared-config' | 'manifest' = 'cloudflared-config', marker = '|') {
  const c = cursor(marked, marker);
  const h = configHover(c.text, c.offset, kind);
  return h && { ...h, covers: c.text.slice(h.start, h.end) };
}

describe('hover', () => {
  test('a flag key: Go type, default, values, env var and the run-only check', () => {
    const h = hoverAt('proto|col: quic\ningress:\n  - service: http_status:404\n');
    assert.ok(h);
    assert.equal(h.covers, 'protocol');
    assert.match(h.markdown, /^`protocol` · `string` · default `auto`/);
    assert.match(h.markdown, /Values: `auto`, `quic`, `http2`, `h2mux`/);
    assert.match(h.markdown, /`tunnel run` refuses any other value/);
    assert.match(h.markdown, /TUNNEL_TRANSPORT_PROTOCOL/);
  });

  test('a global originRequest option', () => {
    const h = hoverAt('originRequest:\n  connectTim|eout: 10s\n');
    assert.ok(h);
    assert.equal(h.covers, 'connectTimeout');
    assert.match(h.markdown, /`time\.Duration` · default `30s`/);
    assert.match(h.markdown, /Timeout for establishing a TCP connection/);
    assert.match(h.markdown, /\*\*Checked:\*\* Decoded by yaml\.v3/);
  });

  test('a per-rule originRequest option, access and ipRules keys', () => {
    const text = yaml`
      ingress:
        - hostname: a.example.com
          service: socks-proxy
          originRequest:
            noTLSVerify: true
            access:
              teamName: acme
            ipRules:
              - prefix: 10.0.0.0/8
        - service: http_status:404
    `;
    const at = (needle: string) => hoverAt(text.replace(needle, needle.slice(0, 2) + '|' + needle.slice(2)));
    assert.match(at('noTLSVerify')!.markdown, /`bool` · default `false`/);
    assert.match(at('teamName')!.markdown, /required when `required` is true and `audTag` is set/);
    assert.match(at('prefix')!.markdown, /must be a CIDR/);
    assert.match(
      at('ipRules')!.markdown,
      /`\[\]config\.IngressIPRule`.*\n\n.*\n\n\*\*Checked:\*\*.*only on a `socks-proxy` rule/,
    );
    assert.match(at('service')!.markdown, /`ingress validate` parses it/);
  });

  test('the line after the colon still hovers the key', () => {
    assert.equal(hoverAt('tunnel:| abc\n')?.covers, 'tunnel');
  });

  test('command-line-only flags say that the file cannot set them', () => {
    assert.match(hoverAt('overwrite-dns|: true\ningress: []\n')!.markdown, /Ignored in the file/);
  });

  test('nothing on values, unknown keys and comments', () => {
    assert.equal(hoverAt('protocol: qu|ic\n'), undefined);
    assert.equal(hoverAt('protokol|: quic\n'), undefined);
    assert.equal(hoverAt('originRequest:\n  nope|: 1\n'), undefined);
    assert.equal(hoverAt('# protocol| here\n'), undefined);
  });

  test('a config embedded in a ConfigMap', () => {
    const text = yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: cloudflared
      data:
        config.yaml: |
          ingress:
            - hostname: a.example.com
              service: http://a:80
              originRequest:
                httpHost$0Header: a.internal
            - service: http_status:404
    `;
    const h = hoverAt(text, 'manifest', '$0');
    assert.ok(h);
    assert.equal(h.covers, 'httpHostHeader');
    assert.match(h.markdown, /Host header sent to the origin/);
  });

  test('every key cloudflared reads has a hover', () => {
    const cases: string[] = [];
    for (const k of [...Object.keys(FLAG_KEYS), ...Object.keys(STRUCTURED_KEYS), ...PLAIN_FLAGS])
      cases.push(`${k}|: x\n`);
    const nested: Array<[string, Record<string, unknown>]> = [
      ['originRequest:\n  ', ORIGIN_REQUEST.fields],
      ['ingress:\n  - ', INGRESS_RULE.fields],
      ['ingress:\n  - service: x\n    originRequest:\n      ', ORIGIN_REQUEST.fields],
      ['originRequest:\n  access:\n    ', ACCESS.fields],
      ['originRequest:\n  ipRules:\n    - ', IP_RULE.fields],
      ['warp-routing:\n  ', WARP_ROUTING.fields],
    ];
    for (const [prefix, fields] of nested) for (const k of Object.keys(fields)) cases.push(`${prefix}${k}|: x\n`);
    for (const marked of cases) {
      const h = hoverAt(marked);
      assert.ok(h, `no hover for ${JSON.stringify(marked)}`);
      assert.ok(h.markdown.includes('**Checked:**'), marked);
    }
  });
});

describe('hover on non-HTTP services', () => {
  test('an ssh:// service says which cloudflared access command reaches it', () => {
    const h = hoverAt(
      'ingress:\n  - hostname: ssh.example.com\n    service: ssh://local|host:22\n  - service: http_status:404\n',
    );
    assert.ok(h);
    assert.equal(h.covers, 'ssh://localhost:22');
    assert.match(h.markdown, /Host ssh\.example\.com\n\s+ProxyCommand cloudflared access ssh --hostname %h/);
  });

  test('a tcp:// service gives the tcp command; an http service has no such hover', () => {
    const tcp = hoverAt(
      'ingress:\n  - hostname: db.example.com\n    service: tcp://postgres.db.svc.cluster.local:5|432\n  - service: http_status:404\n',
    );
    assert.match(tcp?.markdown ?? '', /cloudflared access tcp --hostname db\.example\.com --url localhost:5432/);
    assert.equal(
      hoverAt('ingress:\n  - hostname: a.example.com\n    service: http://a|:80\n  - service: http_status:404\n'),
      undefined,
    );
  });
});
