/**
 * Who may talk to the bot (docs/security.md 1–4), in the one place every inbound request and every
 * outbound connector passes: the SDK's `BotFrameworkAuthentication`. The SDK validates the token
 * (issuer, audience = app id, signing keys from the Bot Framework OpenID metadata, `serviceurl`
 * claim); this class never bypasses that, and adds what the SDK does not check: the activity's
 * `serviceUrl` and tenant against our allow-lists, and the host of every outgoing call.
 */
import {
  type Activity,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  ConfigurationServiceClientCredentialFactory,
} from 'botbuilder';
import type { AuthenticateRequestResult, ClaimsIdentity, ConnectorFactory } from 'botframework-connector';
import type { BotAuthConfig, BotMode } from '../infra/config.js';
import type { Logger } from '../infra/logger.js';
import { guardConnectorFactory, isAllowedServiceUrl } from './outbound-guard.js';
import { createTenantAllowList, readTenantId } from './tenant.js';

export type RefusalReason = 'authentication' | 'serviceUrl' | 'tenant' | 'unsupported';

/** An inbound request the bot will not process; `status` is what the HTTP caller gets. */
export class RequestRefusedError extends Error {
  override readonly name = 'RequestRefusedError';

  constructor(
    readonly status: 401 | 403 | 503,
    readonly reason: RefusalReason,
    options?: { cause?: unknown },
  ) {
    super(`Begäran nekades (${reason}).`, options);
  }
}

export interface GuardedAuthenticationOptions {
  readonly mode: BotMode;
  readonly botAuth: BotAuthConfig;
  readonly allowedTenantIds: readonly string[];
  readonly logger: Logger;
}

export class GuardedBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly mode: BotMode;
  private readonly credentialFactory: ConfigurationServiceClientCredentialFactory;
  private readonly isTenantAllowed: (tenantId: string | undefined) => boolean;
  private readonly logger: Logger;

  constructor(options: GuardedAuthenticationOptions) {
    assertAuthMatchesMode(options.mode, options.botAuth);
    const settings = toSdkSettings(options.botAuth);
    const credentialFactory = new ConfigurationServiceClientCredentialFactory(settings);
    super(settings, credentialFactory);
    this.mode = options.mode;
    this.credentialFactory = credentialFactory;
    this.isTenantAllowed = createTenantAllowList(options.allowedTenantIds);
    this.logger = options.logger;
  }

  /**
   * botbuilder treats an empty app id as "authentication disabled" and then accepts any caller.
   * Call once before serving: outside local mode that must never be the case.
   */
  async assertAuthenticationEnabled(): Promise<void> {
    const disabled = await this.credentialFactory.isAuthenticationDisabled();
    if (this.mode !== 'local' && disabled) {
      throw new Error(
        'Inloggningen är avstängd i botbuilder fast BOT_MODE inte är local. Boten startar inte.',
      );
    }
  }

  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    let result: AuthenticateRequestResult;
    try {
      result = await super.authenticateRequest(activity, authHeader);
    } catch (error) {
      // The SDK throws AuthenticationError for most failures but lets jsonwebtoken's errors (a bad
      // signature) escape as they are; all of them mean "not authenticated". Only a failure to
      // fetch the signing keys is ours to own (503), so that Teams retries.
      const status = statusOf(error) >= 500 ? 503 : 401;
      this.logger.warn(
        { reason: 'authentication', status, activityId: activity.id, errorType: errorName(error) },
        'Inkommande aktivitet nekad: autentiseringen misslyckades',
      );
      throw new RequestRefusedError(status, 'authentication', { cause: error });
    }

    if (!isAllowedServiceUrl(activity.serviceUrl, this.mode)) {
      this.logger.warn(
        { reason: 'serviceUrl', activityId: activity.id, serviceHost: hostOf(activity.serviceUrl) },
        'Inkommande aktivitet nekad: serviceUrl är inte Teams Bot Connector',
      );
      throw new RequestRefusedError(403, 'serviceUrl');
    }

    const tenantId = readTenantId(activity);
    if (!this.isTenantAllowed(tenantId)) {
      this.logger.warn(
        { reason: 'tenant', tenantId, activityId: activity.id },
        'Inkommande aktivitet nekad: tenant finns inte i ALLOWED_TENANT_IDS',
      );
      throw new RequestRefusedError(403, 'tenant');
    }

    return {
      ...result,
      ...(result.connectorFactory === undefined
        ? {}
        : { connectorFactory: this.guard(result.connectorFactory) }),
    };
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.guard(super.createConnectorFactory(claimsIdentity));
  }

  // The bot speaks only to Teams over HTTPS: no skills, no streaming connections.
  override async authenticateStreamingRequest(): Promise<AuthenticateRequestResult> {
    throw new RequestRefusedError(403, 'unsupported');
  }

  override async authenticateChannelRequest(): Promise<ClaimsIdentity> {
    throw new RequestRefusedError(403, 'unsupported');
  }

  override createBotFrameworkClient(): never {
    throw new Error('Boten anropar inga andra botar (skills).');
  }

  private guard(factory: ConnectorFactory): ConnectorFactory {
    return guardConnectorFactory(factory, this.mode, (serviceUrl) =>
      this.logger.error(
        { serviceHost: hostOf(serviceUrl) },
        'Utgående anrop nekat: serviceUrl är inte Teams Bot Connector',
      ),
    );
  }
}

function assertAuthMatchesMode(mode: BotMode, botAuth: BotAuthConfig): void {
  if (mode === 'local' && botAuth.kind !== 'none') {
    throw new Error('Lokalt läge ska köras utan inloggningsuppgifter.');
  }
  if (
    mode !== 'local' &&
    (botAuth.kind === 'none' || botAuth.appId.trim() === '' || botAuth.tenantId.trim() === '')
  ) {
    throw new Error('Produktion kräver app-id, tenant-id och SingleTenant eller UserAssignedMSI.');
  }
}

function toSdkSettings(botAuth: BotAuthConfig): ConfigurationBotFrameworkAuthenticationOptions {
  switch (botAuth.kind) {
    case 'none':
      return {};
    case 'SingleTenant':
      return {
        MicrosoftAppId: botAuth.appId,
        MicrosoftAppPassword: botAuth.password,
        MicrosoftAppTenantId: botAuth.tenantId,
        MicrosoftAppType: 'SingleTenant',
      };
    case 'UserAssignedMSI':
      return {
        MicrosoftAppId: botAuth.appId,
        MicrosoftAppTenantId: botAuth.tenantId,
        MicrosoftAppType: 'UserAssignedMSI',
      };
  }
}

function statusOf(error: unknown): number {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : 401;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function hostOf(serviceUrl: string | undefined): string {
  try {
    return new URL(serviceUrl ?? '').host;
  } catch {
    return 'ogiltig-url';
  }
}
