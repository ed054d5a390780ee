import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

import { createLocalTokenIssuer, localClientId, localIssuerFor } from '../../../web/local-sign-in.js';
import {
  entraIssuerFor,
  readBearerToken,
  type TabTokenSettings,
  verifyTabToken,
} from '../../../web/tab-token.js';

const tenantId = '5e0b1d3a-7c2f-4b8e-9a61-3f4d2c1b0a99';
const otherTenantId = '9a9a9a9a-1111-4222-8333-444455556666';
const clientId = '6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const appIdUri = `api://backa.exempelby.se/${clientId}`;
const userId = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02';
const now = Math.floor(Date.parse('2026-12-02T10:00:00Z') / 1000);

let privateKey: PrivateKey;
let strangerKey: PrivateKey;
let settings: TabTokenSettings;
const kid = 'nyckel-1';

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const keySet = createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256' }] });
  settings = {
    clientId,
    appIdUri,
    allowedTenantIds: [tenantId, otherTenantId],
    keysFor: (tid) => (tid === tenantId ? keySet : createLocalJWKSet({ keys: [] })),
    issuerFor: entraIssuerFor,
    clockToleranceSeconds: 0,
  };
});

interface TokenParts {
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
  key?: PrivateKey;
  issuer?: string;
  audience?: string;
  expiresAt?: number;
}

function sign(parts: TokenParts = {}): Promise<string> {
  return new SignJWT({
    oid: userId,
    tid: tenantId,
    scp: 'access_as_user',
    name: 'Maria Lind',
    ...parts.claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid, ...parts.header } as { alg: string })
    .setIssuer(parts.issuer ?? entraIssuerFor(tenantId))
    .setAudience(parts.audience ?? appIdUri)
    .setIssuedAt(now - 60)
    .setExpirationTime(parts.expiresAt ?? Math.floor(Date.now() / 1000) + 600)
    .sign(parts.key ?? privateKey);
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('the channel tab’s SSO token', () => {
  it('admits a token of an allowed tenant for the app, keyed on oid, with the api:// URI or the client id as audience', async () => {
    for (const audience of [appIdUri, clientId]) {
      expect(await verifyTabToken(await sign({ audience }), settings)).toEqual({
        ok: true,
        user: { userId, tenantId, name: 'Maria Lind' },
      });
    }
  });

  it.each([
    [
      'another app’s audience',
      { audience: 'api://annan.example/11111111-2222-4333-8444-555555555555' },
      'felMottagare',
    ],
    [
      'another issuer',
      { issuer: 'https://sts.windows.net/5e0b1d3a-7c2f-4b8e-9a61-3f4d2c1b0a99/' },
      'felUtfardare',
    ],
    ['the v2 issuer of another tenant', { issuer: entraIssuerFor(otherTenantId) }, 'felUtfardare'],
    [
      'a tenant outside the allow-list',
      { claims: { tid: '12121212-3434-4565-8787-909090909090' } },
      'okandTenant',
    ],
    ['an expired token', { expiresAt: Math.floor(Date.now() / 1000) - 5 }, 'utgangen'],
    ['an unknown key id', { header: { kid: 'okand-nyckel' } }, 'okandNyckel'],
    ['a key Entra never published', { key: 'stranger' }, 'felSignatur'],
    ['no access_as_user scope', { claims: { scp: 'User.Read' } }, 'saknarScope'],
    ['no scope at all', { claims: { scp: undefined } }, 'saknarScope'],
    ['no oid', { claims: { oid: undefined } }, 'saknarAnvandare'],
  ] as const)('refuses %s', async (_name, parts, refusal) => {
    const token = await sign({
      ...(parts as TokenParts),
      ...('key' in parts ? { key: strangerKey } : {}),
    });
    const check = await verifyTabToken(token, settings);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.refusal).toBe(refusal);
  });

  it('refuses HS256 signed with the public key as the secret, and alg none', async () => {
    const payload = {
      oid: userId,
      tid: tenantId,
      scp: 'access_as_user',
      iss: entraIssuerFor(tenantId),
      aud: appIdUri,
      exp: Math.floor(Date.now() / 1000) + 600,
    };
    const hs256 = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256', kid })
      .sign(new TextEncoder().encode('den-publika-nyckeln-som-hemlighet-0123456789'));
    const none = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;
    for (const token of [hs256, none]) {
      const check = await verifyTabToken(token, settings);
      expect(check).toEqual({ ok: false, refusal: expect.stringMatching(/felAlgoritm|felformat/) });
    }
  });

  it('refuses a missing or malformed token before any key is asked for', async () => {
    let asked = 0;
    const counting = {
      ...settings,
      keysFor: (tid: string) => {
        asked += 1;
        return settings.keysFor(tid);
      },
    };
    expect(await verifyTabToken(undefined, counting)).toEqual({ ok: false, refusal: 'saknas' });
    expect(await verifyTabToken('inte-en-token', counting)).toEqual({ ok: false, refusal: 'felformat' });
    expect(asked).toBe(0);
    expect(readBearerToken('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(readBearerToken('Bearer a.b.c')).toBe('a.b.c');
  });

  it('checks a local sign-in token through the same code, with the local key set and issuer only', async () => {
    const issuer = await createLocalTokenIssuer({ tenantId, now: () => new Date() });
    const { token } = await issuer.issue({ userId, name: 'Maria Lind' });
    const local: TabTokenSettings = {
      clientId: localClientId,
      allowedTenantIds: [tenantId],
      keysFor: () => issuer.keySet,
      issuerFor: localIssuerFor,
    };
    expect(await verifyTabToken(token, local)).toMatchObject({ ok: true, user: { userId } });
    // Worth nothing where Entra's keys and issuer are expected.
    expect(await verifyTabToken(token, settings)).toMatchObject({ ok: false });
  });

  it("checks a local token at the bot's clock, which may run days ahead of the machine's", async () => {
    const aheadMs = 10 * 24 * 3600_000;
    const botClock = () => new Date(Date.now() + aheadMs);
    const issuer = await createLocalTokenIssuer({ tenantId, now: botClock });
    const { token } = await issuer.issue({ userId, name: 'Maria Lind' });
    const local: TabTokenSettings = {
      clientId: localClientId,
      allowedTenantIds: [tenantId],
      keysFor: () => issuer.keySet,
      issuerFor: localIssuerFor,
    };
    // At the machine's time it is not valid yet; at the clock that signed it, it is.
    expect(await verifyTabToken(token, local)).toMatchObject({ ok: false });
    expect(await verifyTabToken(token, { ...local, now: botClock })).toMatchObject({
      ok: true,
      user: { userId },
    });
    // And it still expires, by that clock.
    const later = () => new Date(Date.now() + aheadMs + 3600_000);
    expect(await verifyTabToken(token, { ...local, now: later })).toMatchObject({
      ok: false,
      refusal: 'utgangen',
    });
  });
});
