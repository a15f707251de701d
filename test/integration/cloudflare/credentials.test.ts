/**
 * Signing in with cloudflared's cert.pem (`parseCertPem`), and run tokens → credentials.json
 * (`credentialsFromToken`), including a cert.pem whose token the local API accepts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INVALID_TOKEN_MESSAGE, credentialsFromToken, tokenFromCredentials } from '../../../src/cloudflare/credentials';
import { isCertError, parseCertPem } from '../../../src/core/cloudflare/certPem';
import { demoState } from '../../../dev/servers/cloudflare/server';
import { TOKEN, apiFor, withServer } from './support';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
/** PEM armour with 64-character lines, as Go's pem.Encode writes it. */
function pem(type: string, body: string, eol = '\n'): string {
  const lines = b64(body).match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${type}-----`, ...lines, `-----END ${type}-----`, ''].join(eol);
}
const tokenJson = (o: Record<string, unknown>): string => JSON.stringify(o);

const ZONE = '0123456789abcdef0123456789abcdef';
const ACCOUNT = 'fedcba9876543210fedcba9876543210';
const API_TOKEN = 'cert-api-token-AbCdEf0123456789';

describe('parseCertPem', () => {
  it('reads the ARGO TUNNEL TOKEN block of a current cert.pem', () => {
    const r = parseCertPem(
      pem('ARGO TUNNEL TOKEN', tokenJson({ zoneID: ZONE, accountID: ACCOUNT, apiToken: API_TOKEN })),
    );
    assert.deepEqual(r, { zoneId: ZONE, accountId: ACCOUNT, apiToken: API_TOKEN });
  });

  it('skips the legacy PRIVATE KEY and CERTIFICATE blocks; CRLF line ends are fine', () => {
    const text =
      pem('PRIVATE KEY', 'not really a key', '\r\n') +
      pem('CERTIFICATE', 'not really a certificate', '\r\n') +
      pem(
        'ARGO TUNNEL TOKEN',
        tokenJson({ zoneID: ZONE, accountID: ACCOUNT, apiToken: API_TOKEN, endpoint: 'FED' }),
        '\r\n',
      );
    assert.deepEqual(parseCertPem(text), { zoneId: ZONE, accountId: ACCOUNT, apiToken: API_TOKEN, endpoint: 'fed' });
  });

  it('matches JSON field names case-insensitively, as Go does', () => {
    const r = parseCertPem(
      pem('ARGO TUNNEL TOKEN', tokenJson({ zoneid: ZONE, ACCOUNTID: ACCOUNT, ApiToken: API_TOKEN })),
    );
    assert.deepEqual(r, { zoneId: ZONE, accountId: ACCOUNT, apiToken: API_TOKEN });
  });

  it('accepts an old certificate without accountID (accounts then come from the API)', () => {
    const r = parseCertPem(pem('ARGO TUNNEL TOKEN', tokenJson({ zoneID: ZONE, apiToken: API_TOKEN })));
    assert.ok(!isCertError(r));
    assert.equal(r.accountId, '');
  });

  const errors: Array<[string, string, string]> = [
    ['an empty file', '', 'cannot decode empty certificate'],
    ['no token block', pem('PRIVATE KEY', 'k') + pem('CERTIFICATE', 'c'), 'missing token in the certificate'],
    [
      'two token blocks',
      pem('ARGO TUNNEL TOKEN', tokenJson({ zoneID: ZONE, apiToken: API_TOKEN })).repeat(2),
      'found multiple tokens in the certificate',
    ],
    [
      'an unknown block',
      pem('EC PRIVATE KEY', 'k') + pem('ARGO TUNNEL TOKEN', tokenJson({ zoneID: ZONE, apiToken: API_TOKEN })),
      'unknown block EC PRIVATE KEY in the certificate',
    ],
    [
      'a token without apiToken',
      pem('ARGO TUNNEL TOKEN', tokenJson({ zoneID: ZONE, accountID: ACCOUNT })),
      'missing token in the certificate',
    ],
    ['a token that is not JSON', pem('ARGO TUNNEL TOKEN', `not json ${API_TOKEN}`), 'missing token in the certificate'],
    [
      'a body that is not base64',
      `-----BEGIN ARGO TUNNEL TOKEN-----\n${API_TOKEN}$$$\n-----END ARGO TUNNEL TOKEN-----\n`,
      'missing token in the certificate',
    ],
    ['a file that is not PEM at all', `apiToken: ${API_TOKEN}`, 'missing token in the certificate'],
  ];
  for (const [what, text, message] of errors) {
    it(`refuses ${what} with cloudflared's message, never quoting the token`, () => {
      const r = parseCertPem(text);
      assert.ok(isCertError(r), JSON.stringify(r));
      assert.equal(r.error, message);
      assert.ok(!r.error.includes(API_TOKEN));
    });
  }

  it("signs in: the cert.pem's token verifies against the local API and lists the account's tunnels", async () => {
    const data = demoState();
    const account = data.accounts[0]!.id;
    const zone = data.zones[0]!.id;
    const cert = parseCertPem(
      pem('ARGO TUNNEL TOKEN', tokenJson({ zoneID: zone, accountID: account, apiToken: TOKEN })),
    );
    assert.ok(!isCertError(cert));
    await withServer({ data }, async (server) => {
      const api = apiFor(server, { token: cert.apiToken });
      assert.equal((await api.verifyToken(cert.accountId)).status, 'active');
      assert.equal((await api.listTunnels(cert.accountId)).length, 4);
    });
  });
});

describe('credentialsFromToken', () => {
  const creds = {
    AccountTag: ACCOUNT,
    TunnelSecret: Buffer.alloc(32, 7).toString('base64'),
    TunnelID: '6ff42ae2-765d-4adf-8112-31c55c1551ef',
  };

  it('decodes {a, t, s} into {AccountTag, TunnelSecret, TunnelID}', () => {
    const token = b64(JSON.stringify({ a: creds.AccountTag, t: creds.TunnelID, s: creds.TunnelSecret }));
    assert.deepEqual(credentialsFromToken(token), creds);
  });

  it('keeps the endpoint (e) and canonicalises the tunnel UUID', () => {
    const token = b64(
      JSON.stringify({
        a: ACCOUNT,
        t: creds.TunnelID.toUpperCase().replace(/-/g, ''),
        s: creds.TunnelSecret,
        e: 'fed',
      }),
    );
    assert.deepEqual(credentialsFromToken(token), { ...creds, Endpoint: 'fed' });
  });

  it('round-trips with tokenFromCredentials and ignores surrounding whitespace', () => {
    assert.deepEqual(credentialsFromToken(`  ${tokenFromCredentials(creds)}\n`), creds);
  });

  const bad: Array<[string, string]> = [
    ['an empty string', ''],
    ['not base64', 'this is not a token!'],
    ['base64 of text', b64('hello world')],
    ['a JSON array', b64('[1,2,3]')],
    ['no account', b64(JSON.stringify({ t: creds.TunnelID, s: creds.TunnelSecret }))],
    ['a tunnel ID that is not a UUID', b64(JSON.stringify({ a: ACCOUNT, t: 'my-tunnel', s: creds.TunnelSecret }))],
    ['a secret that is not base64', b64(JSON.stringify({ a: ACCOUNT, t: creds.TunnelID, s: 'not base64!' }))],
  ];
  for (const [what, token] of bad) {
    it(`refuses ${what} with cloudflared's message`, () => {
      assert.throws(() => credentialsFromToken(token), { message: INVALID_TOKEN_MESSAGE });
    });
  }
});
