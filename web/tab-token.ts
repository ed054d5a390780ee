/**
 * The channel tab's Teams SSO token, checked on the server (docs/security.md, "Kanalfliken"). The
 * tab gets it with `authentication.getAuthToken()`; Entra ID issues it for the app's
 * `api://…/<client id>` resource with the scope `access_as_user`. Every check is explicit here so
 * that a loosened option cannot pass unnoticed:
 * - RS256 only (no HS256 with a public key as secret, no `alg: none`);
 * - the tenant (`tid`) in the allow-list, read before any key is fetched, so that a token of an
 *   unknown tenant costs no request to Entra;
 * - issuer the v2 endpoint of that tenant, audience the client id or its `api://` URI;
 * - the key from the tenant's signing keys by `kid` (an unknown kid fails);
 * - not expired (`exp` required), not used before `nbf`; scope `access_as_user`;
 * - the user keyed on `oid` (stable across the tenant), never on `upn` or `name`.
 * Locally the same function runs with a local key set and the sample tenant (web/local-sign-in.ts).
 */
import { decodeJwt, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { z } from 'zod';

export const tabScope = 'access_as_user';

export interface TabTokenSettings {
  /** The app's Entra client id: the token's audience, alone or as part of the `api://` URI. */
  readonly clientId: string;
  /** `api://<host>/<client id>`: Teams SSO tokens carry it (or the client id) as `aud`. */
  readonly appIdUri?: string;
  readonly allowedTenantIds: readonly string[];
  /** The signing keys of a tenant (Entra's JWKS, or the local key set). */
  keysFor(tenantId: string): JWTVerifyGetKey;
  /** The v2 issuer of a tenant. */
  issuerFor(tenantId: string): string;
  /** Seconds of clock skew tolerated on `exp` and `nbf`. */
  readonly clockToleranceSeconds?: number;
  /**
   * The time `exp` and `nbf` are checked at, when not the machine's: locally the bot's own clock,
   * which signs the local tokens and may run ahead (LOCAL_CLOCK_OFFSET). Entra's tokens are
   * checked at the machine's time.
   */
  readonly now?: () => Date;
}

/** Who the token says the caller is, once every check passed. */
export interface TabUser {
  readonly userId: string;
  readonly tenantId: string;
  /** The `name` claim, for the audit's and the plan's "who wrote this" when the directory has none. */
  readonly name?: string;
}

/** Why a token was refused: a fixed word for the log, never the token or its claims. */
export type TabTokenRefusal =
  | 'saknas'
  | 'felformat'
  | 'felAlgoritm'
  | 'okandTenant'
  | 'felUtfardare'
  | 'felMottagare'
  | 'utgangen'
  | 'okandNyckel'
  | 'felSignatur'
  | 'saknarScope'
  | 'saknarAnvandare'
  /** The signing keys could not be fetched: not the caller's fault (503), and nothing passes. */
  | 'nycklarOtillgangliga';

export type TabTokenCheck =
  | { readonly ok: true; readonly user: TabUser }
  | { readonly ok: false; readonly refusal: TabTokenRefusal };

const ZUuid = z.string().uuid();
const ZClaims = z.object({
  oid: ZUuid,
  tid: ZUuid,
  scp: z.string().min(1),
  name: z.string().min(1).max(200).optional(),
});

/** Entra ID's v2 issuer for a tenant. */
export function entraIssuerFor(tenantId: string): string {
  return `https://login.microsoftonline.com/${tenantId}/v2.0`;
}

/** The `Bearer` token of an `Authorization` header, if that is what it holds. */
export function readBearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(header ?? '');
  return match?.[1];
}

export async function verifyTabToken(
  token: string | undefined,
  settings: TabTokenSettings,
): Promise<TabTokenCheck> {
  if (token === undefined || token === '') return refuse('saknas');
  let unverified: Record<string, unknown>;
  try {
    unverified = decodeJwt(token);
  } catch {
    return refuse('felformat');
  }
  const tenantId = typeof unverified.tid === 'string' ? unverified.tid : undefined;
  if (tenantId === undefined || !settings.allowedTenantIds.includes(tenantId)) return refuse('okandTenant');
  const audiences = [settings.clientId, ...(settings.appIdUri === undefined ? [] : [settings.appIdUri])];
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, settings.keysFor(tenantId), {
      algorithms: ['RS256'],
      issuer: settings.issuerFor(tenantId),
      audience: audiences,
      requiredClaims: ['exp', 'oid', 'tid', 'scp'],
      clockTolerance: settings.clockToleranceSeconds ?? 60,
      ...(settings.now === undefined ? {} : { currentDate: settings.now() }),
    }));
  } catch (error) {
    return refuse(classify(error));
  }
  const claims = ZClaims.safeParse(payload);
  if (!claims.success) {
    return refuse(
      claims.error.issues.some((issue) => issue.path[0] === 'scp') ? 'saknarScope' : 'saknarAnvandare',
    );
  }
  if (claims.data.tid !== tenantId) return refuse('okandTenant');
  if (!claims.data.scp.split(' ').includes(tabScope)) return refuse('saknarScope');
  return {
    ok: true,
    user: {
      userId: claims.data.oid,
      tenantId,
      ...(claims.data.name === undefined ? {} : { name: claims.data.name }),
    },
  };
}

function refuse(refusal: TabTokenRefusal): TabTokenCheck {
  return { ok: false, refusal };
}

function classify(error: unknown): TabTokenRefusal {
  if (error instanceof errors.JWTExpired) return 'utgangen';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'felAlgoritm';
  if (error instanceof errors.JWKSNoMatchingKey) return 'okandNyckel';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'felSignatur';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'felUtfardare';
    if (error.claim === 'aud') return 'felMottagare';
    if (error.claim === 'scp') return 'saknarScope';
    if (error.claim === 'oid' || error.claim === 'tid') return 'saknarAnvandare';
    if (error.claim === 'nbf') return 'utgangen';
    return 'felformat';
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'felformat';
  if (error instanceof errors.JWKSInvalid || error instanceof errors.JWKSMultipleMatchingKeys)
    return 'okandNyckel';
  return 'nycklarOtillgangliga';
}
