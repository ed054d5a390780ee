/**
 * Bot Framework tokens for tests, signed here with RS256 and served through nock at the real
 * Bot Framework OpenID metadata address, so that the SDK's own validation runs unchanged
 * (issuer, audience, signing key, expiry, `serviceurl` claim). Also a fake Entra token
 * endpoint for the bot's outbound client-credentials token.
 */
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import nock from 'nock';

/** Where botbuilder 4.23 reads the channel's signing keys (AuthenticationConstants). */
export const botFrameworkOpenIdHost = 'https://login.botframework.com';
export const botFrameworkOpenIdPath = '/v1/.well-known/openidconfiguration';
export const botFrameworkKeysPath = '/v1/.well-known/keys';
export const botFrameworkIssuer = 'https://api.botframework.com';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  readonly publicJwk: JWK;
}

export async function createSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  return { kid, privateKey, publicJwk: { ...publicJwk, kid, use: 'sig', alg: 'RS256' } };
}

/** Serves the OpenID metadata and the key set (with Teams' endorsement), as often as asked. */
export function serveBotFrameworkKeys(keys: readonly SigningKey[]): void {
  nock(botFrameworkOpenIdHost)
    .persist()
    .get(botFrameworkOpenIdPath)
    .reply(200, {
      issuer: botFrameworkIssuer,
      jwks_uri: `${botFrameworkOpenIdHost}${botFrameworkKeysPath}`,
      id_token_signing_alg_values_supported: ['RS256'],
    })
    .get(botFrameworkKeysPath)
    .reply(200, { keys: keys.map((key) => ({ ...key.publicJwk, endorsements: ['msteams'] })) });
}

export interface ChannelTokenClaims {
  readonly audience: string;
  readonly serviceUrl: string;
  readonly issuer?: string;
  /** Seconds relative to now; negative for an expired token. */
  readonly expiresInSeconds?: number;
}

/** A token as the Bot Connector sends it to the bot's endpoint. */
export async function signChannelToken(key: SigningKey, claims: ChannelTokenClaims): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const expiresIn = claims.expiresInSeconds ?? 3600;
  return new SignJWT({ serviceurl: claims.serviceUrl })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(claims.issuer ?? botFrameworkIssuer)
    .setAudience(claims.audience)
    .setIssuedAt(now - 3600 * 2)
    .setNotBefore(now - 3600 * 2)
    .setExpirationTime(now + expiresIn)
    .sign(key.privateKey);
}

/** The access token the fake Entra endpoint hands the bot for calls to the Bot Connector. */
export const outboundAccessToken = 'test-outbound-access-token';

/**
 * Answers MSAL's client-credentials flow for `tenantId`: the authority's OpenID metadata and
 * the token endpoint. MSAL knows login.microsoftonline.com, so it asks for no instance discovery.
 */
export function serveEntraClientCredentials(tenantId: string): void {
  const authority = 'https://login.microsoftonline.com';
  nock(authority)
    .persist()
    .get(`/${tenantId}/v2.0/.well-known/openid-configuration`)
    .reply(200, {
      issuer: `${authority}/${tenantId}/v2.0`,
      authorization_endpoint: `${authority}/${tenantId}/oauth2/v2.0/authorize`,
      token_endpoint: `${authority}/${tenantId}/oauth2/v2.0/token`,
      end_session_endpoint: `${authority}/${tenantId}/oauth2/v2.0/logout`,
      jwks_uri: `${authority}/${tenantId}/discovery/v2.0/keys`,
    })
    .post(`/${tenantId}/oauth2/v2.0/token`)
    .query(true)
    .reply(200, {
      token_type: 'Bearer',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: outboundAccessToken,
    });
}
