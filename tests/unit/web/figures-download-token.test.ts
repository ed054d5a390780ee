import { decodeJwt, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  deriveFiguresTokenKeys,
  figuresTokenLifetimeSeconds,
  issueFiguresToken,
  verifyFiguresToken,
} from '../../../web/figures-download-token.js';

const keys = deriveFiguresTokenKeys('test-nyckel-for-identitetsnummer-32-byte-minst');
const userId = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e07';
const now = new Date('2026-03-03T09:00:00.000Z');
const term = { season: 'vt', year: 2026 } as const;

describe('the CSV link’s token', () => {
  it('opens the download for its term within ten minutes of the bot’s clock', async () => {
    const token = await issueFiguresToken(keys, { userId, term, now });
    const later = new Date(now.getTime() + (figuresTokenLifetimeSeconds - 1) * 1000);
    expect(await verifyFiguresToken(keys, token, later)).toEqual({
      ok: true,
      pseudonym: keys.pseudonymOf(userId),
      term,
    });
  });

  it('is dead after ten minutes', async () => {
    const token = await issueFiguresToken(keys, { userId, term, now });
    const late = new Date(now.getTime() + (figuresTokenLifetimeSeconds + 60) * 1000);
    expect(await verifyFiguresToken(keys, token, late)).toEqual({ ok: false, refusal: 'utgangen' });
  });

  it('holds no user id, name or case: only the term and a pseudonym', async () => {
    const token = await issueFiguresToken(keys, { userId, term, now });
    expect(token).not.toContain(userId);
    const claims = decodeJwt(token);
    expect(Object.keys(claims).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'sub', 'term']);
    expect(JSON.stringify(claims)).not.toContain(userId);
    expect(claims.term).toBe('vt-2026');
  });

  it('is refused when signed with another secret, altered, or made for another purpose', async () => {
    const other = deriveFiguresTokenKeys('en-annan-hemlighet-som-ar-minst-32-byte-lang');
    const foreign = await issueFiguresToken(other, { userId, term, now });
    expect(await verifyFiguresToken(keys, foreign, now)).toEqual({ ok: false, refusal: 'ogiltig' });

    const token = await issueFiguresToken(keys, { userId, term, now });
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ ...decodeJwt(token), term: 'ht-2025' })).toString(
      'base64url',
    );
    expect(await verifyFiguresToken(keys, `${header}.${payload}.${signature}`, now)).toEqual({
      ok: false,
      refusal: 'ogiltig',
    });

    const otherAudience = await new SignJWT({ term: 'vt-2026' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('backa-barnet')
      .setAudience('backa-barnet/något-annat')
      .setSubject(keys.pseudonymOf(userId))
      .setExpirationTime('5m')
      .sign(keys.signingKey);
    expect(await verifyFiguresToken(keys, otherAudience, new Date())).toEqual({
      ok: false,
      refusal: 'ogiltig',
    });
  });

  it('gives each user their own pseudonym, the same every time', () => {
    expect(keys.pseudonymOf(userId)).toBe(keys.pseudonymOf(userId.toUpperCase()));
    expect(keys.pseudonymOf(userId)).not.toBe(keys.pseudonymOf('0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02'));
  });
});
