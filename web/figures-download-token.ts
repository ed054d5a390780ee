/**
 * The short-lived token in the `statistik` card's CSV link. Teams lets a bot hand a file to a
 * personal chat only through the file consent flow, which needs the user's OneDrive; instead the
 * card's Action.OpenUrl opens the bot's own server, and the browser that opens it carries no
 * Teams sign-in. So the link itself says who asked, for which term, and until when, signed by
 * the server:
 * - one purpose: the audience names the CSV download, so the token opens nothing else;
 * - ten minutes, checked at the bot's clock, which signed it;
 * - HS256 with a key derived from IDENTITY_HASH_KEY for this purpose only (HKDF), so every
 *   instance behind the load balancer accepts it and nothing else signed with that secret does;
 * - no personal data: the term, and the requester as a keyed pseudonym of their Entra object id
 *   that only this server can match against the directory. The download checks the role again.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { type Term, ZTerm } from '../flows/follow-up-figures/term-figures.js';

export const figuresTokenLifetimeSeconds = 10 * 60;
const issuer = 'backa-barnet';
const audience = 'backa-barnet/statistik-csv';

export interface FiguresTokenKeys {
  readonly signingKey: Uint8Array;
  /** The keyed pseudonym of a user id; the same user always gets the same one. */
  pseudonymOf(userId: string): string;
}

export function deriveFiguresTokenKeys(secret: string | Uint8Array): FiguresTokenKeys {
  const derive = (info: string) =>
    new Uint8Array(hkdfSync('sha256', secret, new Uint8Array(0), `backa-barnet ${info}`, 32));
  const signingKey = derive('statistik-csv signering');
  const pseudonymKey = derive('statistik-csv pseudonym');
  return {
    signingKey,
    pseudonymOf: (userId) =>
      createHmac('sha256', pseudonymKey)
        .update(userId.toLowerCase(), 'utf8')
        .digest('base64url')
        .slice(0, 32),
  };
}

export async function issueFiguresToken(
  keys: FiguresTokenKeys,
  request: { readonly userId: string; readonly term: Term; readonly now: Date },
): Promise<string> {
  const issuedAt = Math.floor(request.now.getTime() / 1000);
  return new SignJWT({ term: `${request.term.season}-${request.term.year}` })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(keys.pseudonymOf(request.userId))
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + figuresTokenLifetimeSeconds)
    .sign(keys.signingKey);
}

const ZClaims = z.object({
  sub: z.string().min(1).max(64),
  term: z
    .string()
    .regex(/^(vt|ht)-\d{4}$/)
    .transform((value) => ({ season: value.slice(0, 2), year: Number(value.slice(3)) }))
    .pipe(ZTerm),
});

export type FiguresTokenCheck =
  | { readonly ok: true; readonly pseudonym: string; readonly term: Term }
  | { readonly ok: false; readonly refusal: 'utgangen' | 'ogiltig' };

export async function verifyFiguresToken(
  keys: FiguresTokenKeys,
  token: string,
  now: Date,
): Promise<FiguresTokenCheck> {
  try {
    const { payload } = await jwtVerify(token, keys.signingKey, {
      algorithms: ['HS256'],
      issuer,
      audience,
      requiredClaims: ['exp', 'sub'],
      currentDate: now,
      clockTolerance: 30,
    });
    const claims = ZClaims.safeParse(payload);
    if (!claims.success) return { ok: false, refusal: 'ogiltig' };
    return { ok: true, pseudonym: claims.data.sub, term: claims.data.term };
  } catch (error) {
    return { ok: false, refusal: error instanceof errors.JWTExpired ? 'utgangen' : 'ogiltig' };
  }
}
