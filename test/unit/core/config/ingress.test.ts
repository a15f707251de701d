/** Ingress validation (spec §3-§7): every cloudflared message, its severity and its range. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { check, errors, expectNoErrors, expectOne, yaml } from '../../../support/config';

describe('catch-all rules', () => {
  test('a valid config has no errors', () => {
    expectNoErrors(yaml`
      tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef
      credentials-file: /etc/cloudflared/creds/credentials.json
      ingress:
        - hostname: app.example.com
          service: http://app.default.svc.cluster.local:80
        - hostname: "*.example.com"
          service: https://ingress-nginx-controller.ingress-nginx
        - service: http_status:404
    `);
  });

  test('the only rule may be the catch-all', () => {
    expectNoErrors('ingress:\n  - service: http://ingress-nginx-controller.ingress-nginx\n');
  });

  test('last rule not a catch-all', () => {
    expectOne(
      yaml`
        ingress:
          - hostname: a.example.com
            service: http://localhost:8000
      `,
      {
        code: 'last-rule-not-catch-all',
        severity: 'error',
        message: 'The last ingress rule must match all URLs (i.e. it should not have a hostname or path filter)',
        covers: 'a.example.com',
      },
    );
  });

  test('a last rule with hostname "*" but a path is not a catch-all', () => {
    expectOne('ingress:\n  - hostname: "*"\n    path: ^/api\n    service: http://a:1\n', {
      code: 'last-rule-not-catch-all',
      covers: '^/api',
    });
  });

  test('catch-all before the end names the rule 1-based with the hostname as written', () => {
    const text = yaml`
      ingress:
        - service: http://web:80
        - hostname: a.example.com
          service: http://a:80
        - service: http_status:404
    `;
    expectOne(text, {
      code: 'catch-all-not-last',
      severity: 'error',
      message:
        "Rule #1 is matching the hostname '', but this will match every hostname, meaning the rules which follow it will never be triggered.",
      line: 1,
      covers: 'http://web:80',
    });
  });

  test("hostname '*' before the end", () => {
    expectOne('ingress:\n  - hostname: "*"\n    service: http://a:1\n  - service: http_status:404\n', {
      code: 'catch-all-not-last',
      message: "Rule #1 is matching the hostname '*'",
      covers: '"*"',
    });
  });
});

describe('hostname', () => {
  for (const host of ['a.com:8443', '"a.com:"', 'a.com:https', '"*:80"']) {
    test(`port in ${host}`, () => {
      expectOne(`ingress:\n  - hostname: ${host}\n    service: http://a:1\n  - service: http_status:404\n`, {
        code: 'hostname-port',
        severity: 'error',
        message: 'Hostname cannot contain a port',
        covers: host,
      });
    });
  }

  test('two bare colons are not a port', () => {
    expectNoErrors('ingress:\n  - hostname: "::1"\n    service: http://a:1\n  - service: http_status:404\n');
  });

  for (const host of ['test.*.example.com', '"*.*.example.com"', 'foo*.example.com', 'ex*']) {
    test(`bad wildcard ${host}`, () => {
      expectOne(`ingress:\n  - hostname: ${host}\n    service: http://a:1\n  - service: http_status:404\n`, {
        code: 'hostname-wildcard',
        message:
          'Hostname patterns can have at most one wildcard character ("*") and it can only be used for subdomains, e.g. "*.example.com"',
      });
    });
  }

  test('*example.com is accepted but never a wildcard: a warning', () => {
    const text = 'ingress:\n  - hostname: "*example.com"\n    service: http://a:1\n  - service: http_status:404\n';
    assert.deepEqual(errors(text), []);
    expectOne(text, { code: 'wildcard-without-dot', severity: 'warning', covers: '"*example.com"' });
  });

  test('a hostname with a line break, a control character or whitespace: accepted by cloudflared, a warning (issue #16)', () => {
    const cases: Array<[string, string]> = [
      ['"a.example.com\\nProxyCommand touch /tmp/PWNED"', 'a line break (U+000A)'],
      ['"a.example.com\\r"', 'a line break (U+000D)'],
      ['"a.exa\\tmple.com"', 'a control character (U+0009)'],
      ['"a.exa\\x00mple.com"', 'a control character (U+0000)'],
      ['"a.exa\\u2028mple.com"', 'a line break (U+2028)'],
      ["'exa mple.com'", 'whitespace (U+0020)'],
    ];
    for (const [written, what] of cases) {
      const text = `ingress:\n  - hostname: ${written}\n    service: ssh://a:22\n  - service: http_status:404\n`;
      assert.deepEqual(errors(text), [], written);
      expectOne(text, {
        code: 'hostname-invalid-character',
        severity: 'warning',
        message: `contains ${what}: no request can carry it (neither an HTTP Host header nor a DNS name), so rule #1 never matches. cloudflared does not check this.`,
        covers: written,
      });
    }
    assert.equal(
      check(
        'ingress:\n  - hostname: bücher.example.com\n    service: ssh://a:22\n  - service: http_status:404\n',
      ).filter((d) => d.code === 'hostname-invalid-character').length,
      0,
    );
  });

  test('unquoted *.example.com is a YAML alias: cloudflared cannot load the file', () => {
    expectOne('ingress:\n  - hostname: *.example.com\n    service: http://a:1\n  - service: http_status:404\n', {
      code: 'yaml-alias-syntax',
      severity: 'error',
      message: 'yaml: line 2: did not find expected alphabetic or numeric character',
      covers: '*.example.com',
    });
  });
});

describe('service', () => {
  const rule = (service: string): string =>
    `ingress:\n  - hostname: a.example.com\n    service: ${service}\n  - service: http_status:404\n`;

  for (const ok of [
    'https://localhost:8443',
    'wss://localhost:9000',
    'tcp://localhost:5432',
    'ssh://localhost',
    'rdp://localhost',
    'smb://fileserver',
    'ftp://localhost:21',
    'unix:/run/app.sock',
    'unix+tls:/run/app.sock',
    '"unix:"',
    'http_status:404',
    'http_status:+404',
    'http_status:0404',
    'http_status:999',
    'hello_world',
    'hello-world',
    'bastion',
    'socks-proxy',
    'http://localhost:99999',
    'http://localhost:8000?x=1',
  ]) {
    test(`accepts ${ok}`, () => expectNoErrors(rule(ok)));
  }

  test('a path on the service URL', () => {
    expectOne(rule('http://localhost:8000/'), {
      code: 'service-has-path',
      severity: 'error',
      message:
        "http://localhost:8000/ is an invalid address, ingress rules don't support proxying to a different path on the origin service. The path will be the same as the eyeball request's path",
      covers: 'http://localhost:8000/',
    });
  });

  for (const bad of [
    'localhost:8000',
    'localhost',
    'http://:8080',
    'http:/x',
    'mailto:a@b',
    'file:///x',
    'web-service',
    'Hello_World',
    'socks5',
  ]) {
    test(`no scheme or host: ${bad}`, () => {
      expectOne(rule(bad), {
        code: 'service-missing-scheme-or-host',
        message: `${bad} is an invalid address, please make sure it has a scheme and a hostname`,
        covers: bad,
      });
    });
  }

  test('a missing service', () => {
    expectOne('ingress:\n  - hostname: a.example.com\n  - service: http_status:404\n', {
      code: 'missing-service',
      message: ' is an invalid address, please make sure it has a scheme and a hostname',
    });
  });

  test('url.Parse errors come through with Go wording', () => {
    expectOne(rule('"https://local host:8000"'), {
      code: 'invalid-service-url',
      message: 'parse "https://local host:8000": invalid character " " in host name',
    });
    expectOne(rule('http://localhost:abc'), {
      code: 'invalid-service-url',
      message: 'parse "http://localhost:abc": invalid port ":abc" after host',
    });
    expectOne(rule('127.0.0.1:8000'), {
      code: 'invalid-service-url',
      message: 'parse "127.0.0.1:8000": first path segment in URL cannot contain colon',
    });
    expectOne(rule('http://localhost:80:80'), {
      code: 'invalid-service-url',
      message: 'invalid port ":80:80" after host',
    });
  });

  test('http_status outside 100..999 or not a number', () => {
    expectOne(rule('http_status:99'), { code: 'invalid-http-status', message: 'invalid HTTP status code: 99' });
    expectOne(rule('http_status:1000'), { code: 'invalid-http-status', message: 'invalid HTTP status code: 1000' });
    expectOne(rule('http_status:abc'), {
      code: 'invalid-http-status',
      message: 'invalid HTTP status code: strconv.Atoi: parsing "abc": invalid syntax',
    });
    expectOne(rule('"http_status: 404"'), {
      code: 'invalid-http-status',
      message: 'strconv.Atoi: parsing " 404": invalid syntax',
    });
  });

  test('bastionMode skips parsing the service, per rule or globally', () => {
    expectNoErrors(
      'ingress:\n  - hostname: a.com\n    service: not a url\n    originRequest:\n      bastionMode: true\n  - service: http_status:404\n',
    );
    expectNoErrors(
      'originRequest:\n  bastionMode: true\ningress:\n  - hostname: a.com\n    service: http://x/with/path\n  - service: http_status:404\n',
    );
    const offAgain =
      'originRequest:\n  bastionMode: true\ningress:\n  - hostname: a.com\n    service: http://x/p\n    originRequest:\n      bastionMode: false\n  - service: http_status:404\n';
    expectOne(offAgain, { code: 'service-has-path' });
  });

  test('a raw IP service is information, loopback is fine', () => {
    expectOne(rule('http://10.43.12.7:80'), {
      code: 'service-raw-ip',
      severity: 'information',
      covers: 'http://10.43.12.7:80',
    });
    assert.ok(!check(rule('http://127.0.0.1:80')).some((d) => d.code === 'service-raw-ip'));
  });

  test('"ClusterIP" only in a default Service range; a LAN host is just a raw IP (issue #14)', () => {
    // A home server config (the shape of many /etc/cloudflared files): 192.168.1.10 is a LAN host.
    const lan = expectOne(rule('http://192.168.1.10:8123'), { code: 'service-raw-ip', severity: 'information' });
    assert.doesNotMatch(lan.message, /ClusterIP|Kubernetes|svc\.cluster\.local/);
    assert.match(lan.message, /raw IP address 192\.168\.1\.10/);
    for (const [ip, who] of [
      ['10.43.12.7', 'k3s and RKE (10.43.0.0/16)'],
      ['10.96.0.10', 'kubeadm (10.96.0.0/12)'],
      ['10.152.183.20', 'MicroK8s (10.152.183.0/24)'],
      ['172.20.14.3', 'EKS (172.20.0.0/16)'],
      ['34.118.230.9', 'GKE (34.118.224.0/20)'],
      ['10.100.3.4', 'kubeadm (10.96.0.0/12) and of EKS (10.100.0.0/16)'],
    ] as const) {
      const d = expectOne(rule(`http://${ip}:80`), { code: 'service-raw-ip' });
      assert.ok(d.message.includes(`the default Service range of ${who}`), d.message);
      assert.match(d.message, /ClusterIP/);
    }
    for (const ip of ['10.0.0.5', '10.112.0.1', '172.21.0.1', '34.118.240.1', '10.152.184.1']) {
      assert.doesNotMatch(expectOne(rule(`http://${ip}:80`), { code: 'service-raw-ip' }).message, /ClusterIP/, ip);
    }
  });
});

describe('path', () => {
  const withPath = (p: string): string =>
    `ingress:\n  - hostname: a.com\n    path: ${p}\n    service: http://a:1\n  - service: http_status:404\n`;

  test('a glob-like path is a warning with the regular expression it probably meant (issue #14)', () => {
    for (const [written, meant, covers] of [
      ['/ws*', '^/ws', '/ws*'],
      ['/api/*', '^/api/', '/api/*'],
      ['/static/*.js', '^/static/.*\\.js$', '/static/*.js'],
      ['"/static/*.js"', "'^/static/.*\\.js$'", '"/static/*.js"'],
      ["'/assets/img*.png'", "'^/assets/img.*\\.png$'", "'/assets/img*.png'"],
    ] as const) {
      const text = withPath(written);
      const d = expectOne(text, { code: 'path-glob', severity: 'warning', covers });
      assert.equal(d.fixes?.[0]?.edits[0]?.newText, meant, written);
      assert.equal(d.fixes?.[0]?.isPreferred, undefined, 'a guess is never applied by --fix');
      const fixed = text.replace(covers, () => meant);
      assert.deepEqual(
        check(fixed).map((x) => x.code),
        [],
        `${written} fixed: ${fixed}`,
      );
    }
    const ws = expectOne(withPath('/ws*'), { code: 'path-glob' });
    assert.ok(
      ws.message.includes(
        `'s*' means "'s' repeated any number of times, or not at all", so it matches every path that contains '/w'. Did you mean '^/ws'?`,
      ),
      ws.message,
    );
  });

  test('regular expressions are not globs', () => {
    for (const p of ['^/api/.*', '/v[0-9]+/', '\\.php$', "'^/(foo|bar)*$'", '/files/[a-z]*', '^/a\\/*', '/api/v\\d*']) {
      assert.deepEqual(
        check(withPath(p)).map((d) => d.code),
        [],
        p,
      );
    }
  });

  for (const [p, reason] of [
    ['"*"', 'missing argument to repetition operator: `*`'],
    ['"[a-"', 'missing closing ]: `[a-`'],
    ['"(a"', 'missing closing ): `(a`'],
    ['"a)"', 'unexpected ): `a)`'],
    ["'\\1'", 'invalid escape sequence: `\\1`'],
    ["'(?=x)'", 'invalid or unsupported Perl syntax: `(?=`'],
    ["'a{1001}'", 'invalid repeat count: `{1001}`'],
  ] as const) {
    test(`invalid regex ${p}`, () => {
      expectOne(withPath(p), {
        code: 'invalid-path-regex',
        severity: 'error',
        message: `Rule #1 has an invalid regex: error parsing regexp: ${reason}`,
        covers: p,
      });
    });
  }

  test('RE2 features Go accepts', () => {
    for (const p of ["'\\.png$'", "'(?P<n>a)'", "'(?<n>a)'", "'[[:alpha:]]+'", "'\\p{Greek}'", "'(?i)^/API'"])
      expectNoErrors(withPath(p));
  });

  test('a double-quoted \\. is a YAML escape error', () => {
    expectOne(withPath('"\\.png$"'), { code: 'yaml-syntax', message: 'found unknown escape character' });
  });
});

describe('access and socks-proxy', () => {
  test('teamName required with audTag and required: true', () => {
    const text = yaml`
      ingress:
        - hostname: a.com
          service: http://a:1
          originRequest:
            access:
              required: true
              audTag: [abc]
        - service: http_status:404
    `;
    expectOne(text, {
      code: 'access-team-name',
      severity: 'error',
      message: 'access.TeamName cannot be blank when access.audTags are present',
      covers: 'audTag',
    });
  });

  test('required: true alone, or audTag without required, is fine', () => {
    expectNoErrors(
      'ingress:\n  - hostname: a.com\n    service: http://a:1\n    originRequest:\n      access:\n        required: true\n  - service: http_status:404\n',
    );
    expectNoErrors(
      'ingress:\n  - hostname: a.com\n    service: http://a:1\n    originRequest:\n      access:\n        audTag: [x]\n  - service: http_status:404\n',
    );
  });

  const socks = (rules: string): string =>
    `ingress:\n  - hostname: a.com\n    service: socks-proxy\n    originRequest:\n      ipRules:\n${rules}  - service: http_status:404\n`;

  test('socks-proxy ipRules', () => {
    expectNoErrors(socks('        - prefix: 10.0.0.0/8\n          ports: [80, 443]\n          allow: true\n'));
    expectOne(socks('        - ports: [80]\n'), {
      code: 'socks-ip-rule',
      message: 'unable to create ip rule for socks-proxy: no prefix provided',
    });
    expectOne(socks('        - prefix: 10.0.0.1\n'), {
      code: 'socks-ip-rule',
      message: 'unable to create ip rule for socks-proxy: unable to parse cidr: 10.0.0.1',
      covers: '10.0.0.1',
    });
    expectOne(socks('        - prefix: 10.0.0.0/8\n          ports: [0]\n'), {
      code: 'socks-ip-rule',
      message: 'unable to create ip rule for socks-proxy: invalid port 0, needs to be between 1 and 65535',
      covers: '0',
    });
  });

  test('ipRules on a non-socks rule are ignored: warning', () => {
    const text =
      'ingress:\n  - hostname: a.com\n    service: http://a:1\n    originRequest:\n      ipRules:\n        - prefix: bad\n  - service: http_status:404\n';
    assert.deepEqual(errors(text), []);
    expectOne(text, { code: 'ip-rules-ignored', severity: 'warning' });
  });
});

describe('every problem is reported, each at its node', () => {
  test('errors in several rules all appear', () => {
    const text = yaml`
      ingress:
        - hostname: a.com:80
          service: localhost:8000
        - hostname: b.com
          path: "("
          service: http://b/x
        - hostname: c.com
          service: http://c:1
    `;
    const got = errors(text).map((d) => [d.code, d.range.start.line]);
    assert.deepEqual(got, [
      ['service-missing-scheme-or-host', 2],
      ['hostname-port', 1],
      ['service-has-path', 5],
      ['invalid-path-regex', 4],
      ['last-rule-not-catch-all', 6],
    ]);
  });
});

describe('shadowed rules', () => {
  test('a wildcard before a specific host shadows it', () => {
    const text =
      'ingress:\n  - hostname: "*.example.com"\n    service: http://a:1\n  - hostname: app.example.com\n    service: http://b:1\n  - service: http_status:404\n';
    assert.deepEqual(errors(text), []);
    expectOne(text, {
      code: 'rule-shadowed',
      severity: 'warning',
      message: 'Rule #2 is never used: rule #1',
      covers: 'app.example.com',
    });
  });

  test('a rule with a path does not shadow another path', () => {
    const text =
      'ingress:\n  - hostname: a.com\n    path: ^/api\n    service: http://a:1\n  - hostname: a.com\n    service: http://b:1\n  - service: http_status:404\n';
    assert.ok(!check(text).some((d) => d.code === 'rule-shadowed'));
  });

  test('a duplicate hostname is shadowed', () => {
    const text =
      'ingress:\n  - hostname: a.com\n    service: http://a:1\n  - hostname: a.com\n    service: http://b:1\n  - service: http_status:404\n';
    expectOne(text, { code: 'rule-shadowed', line: 3 });
  });
});

describe('our own advice', () => {
  test('hostnames deeper than Universal SSL covers', () => {
    const text =
      'ingress:\n  - hostname: a.b.example.com\n    service: http://a:1\n  - hostname: a.example.co.uk\n    service: http://a:1\n  - service: http_status:404\n';
    expectOne(text, { code: 'deep-subdomain', severity: 'information', covers: 'a.b.example.com' });
  });

  test('an empty ingress list is a warning, not an error', () => {
    const text = 'tunnel: x\ncredentials-file: /c.json\ningress:\n';
    assert.deepEqual(errors(text), []);
    expectOne(text, {
      code: 'no-ingress-rules',
      severity: 'warning',
      message: "The config file doesn't contain any ingress rules",
    });
  });
});
