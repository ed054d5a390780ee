/**
 * Sign-in for the channel tab in local mode, where there is no Entra ID and the Agents Playground
 * does not host tabs: the tab opens in an ordinary browser, the person picks a playground user,
 * and this module issues a short-lived token for them, signed by a key made at start and never
 * written anywhere. The server checks it with the same `verifyTabToken` as a Teams SSO token,
 * with this key set and a local issuer, so the tab's API has one code path.
 *
 * Mounted only in local mode (the bot binds to loopback there; web/tab-api.ts refuses a caller
 * that is not on loopback too). The issuer is not Entra's, so such a token is worth nothing to a
 * production server, whose key set is Entra's.
 */
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTVerifyGetKey, SignJWT } from 'jose';
import { tabScope } from './tab-token.js';

/** Ten minutes: long enough to look at a plan, short enough that a token left in a tab is soon dead. */
export const localTokenLifetimeSeconds = 10 * 60;
export const localClientId = '00000000-0000-4000-8000-00000000b0b0';

export function localIssuerFor(tenantId: string): string {
  return `http://localhost/lokal-inloggning/${tenantId}/v2.0`;
}

export interface LocalTokenIssuer {
  readonly keySet: JWTVerifyGetKey;
  issue(user: {
    readonly userId: string;
    readonly name: string;
  }): Promise<{ token: string; expiresAt: string }>;
}

export async function createLocalTokenIssuer(options: {
  readonly tenantId: string;
  readonly now: () => Date;
}): Promise<LocalTokenIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = `lokal-${randomUUID()}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const keySet = createLocalJWKSet({ keys: [jwk] });
  return {
    keySet,
    async issue(user) {
      const issuedAt = Math.floor(options.now().getTime() / 1000);
      const expiresAt = issuedAt + localTokenLifetimeSeconds;
      const token = await new SignJWT({
        oid: user.userId,
        tid: options.tenantId,
        scp: tabScope,
        name: user.name,
      })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(localIssuerFor(options.tenantId))
        .setAudience(localClientId)
        .setIssuedAt(issuedAt)
        .setNotBefore(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(privateKey);
      return { token, expiresAt: new Date(expiresAt * 1000).toISOString() };
    },
  };
}
