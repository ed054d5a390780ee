/**
 * App-only access tokens for Microsoft Graph (client credentials). The bot books meetings in
 * the convener's calendar without a signed-in user, which only application permissions allow
 * (findMeetingTimes is delegated-only, hence getSchedule).
 */
import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';

/** Hands out a bearer token for Graph; the Graph client never sees a secret. */
export interface GraphTokenProvider {
  getAccessToken(): Promise<string>;
}

export interface MsalTokenOptions {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** `https://login.microsoftonline.com` unless a national cloud is used. */
  readonly authorityHost?: string;
}

const graphDefaultScope = 'https://graph.microsoft.com/.default';

/**
 * Tokens from MSAL's client-credential flow. MSAL keeps the token in its in-memory cache and
 * asks Entra ID again only when it is about to expire, so one token serves many calls.
 */
export function createMsalTokenProvider(options: MsalTokenOptions): GraphTokenProvider {
  const authorityHost = options.authorityHost ?? 'https://login.microsoftonline.com';
  const client = new ConfidentialClientApplication({
    auth: {
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      authority: `${authorityHost}/${options.tenantId}`,
    },
    system: {
      // MSAL's own log lines may carry tenant and client details; we keep them out of ours.
      loggerOptions: { piiLoggingEnabled: false, logLevel: LogLevel.Error, loggerCallback: () => {} },
    },
  });
  async function acquireToken(): Promise<string> {
    const result = await client.acquireTokenByClientCredential({ scopes: [graphDefaultScope] });
    if (!result?.accessToken) {
      throw new Error('Entra ID returned no access token for Microsoft Graph');
    }
    return result.accessToken;
  }
  // Calls that start together (getSchedule chunks in parallel) share one token request:
  // MSAL's cache only helps once the first answer is in.
  let pending: Promise<string> | undefined;
  return {
    getAccessToken() {
      pending ??= acquireToken().finally(() => {
        pending = undefined;
      });
      return pending;
    },
  };
}
