/**
 * The outbound allow-list (docs/security.md 4). botbuilder 4.23 attaches the bot's bearer token to
 * every call it makes to an activity's `serviceUrl`, whatever host that names. Whoever could
 * plant a `serviceUrl` (a forged activity, a tampered stored reference) would receive a token
 * that lets them post as the bot. So the bot only ever talks to the Teams Bot Connector.
 */
import type { ConnectorFactory } from 'botframework-connector';
import type { BotMode } from '../infra/config.js';

/**
 * The public-cloud Teams Bot Connector (`https://smba.trafficmanager.net/<region>/`). The
 * government clouds (`smba.infra.gcc.teams.microsoft.com` …) are left out on purpose: a Swedish
 * municipality's tenant is in the commercial cloud, and every host on this list is trusted with
 * the bot's token. The `*.botframework.com` connectors serve other channels, not Teams.
 */
const connectorHosts: ReadonlySet<string> = new Set(['smba.trafficmanager.net']);
const loopbackHosts: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A call the bot refused to make, so that no token left the machine. */
export class OutboundRefusedError extends Error {
  override readonly name = 'OutboundRefusedError';

  constructor(readonly serviceUrl: string) {
    super('Utgående anrop nekades: adressen är inte Teams Bot Connector.');
  }
}

/** Whether the bot may send its token to `serviceUrl`. */
export function isAllowedServiceUrl(serviceUrl: string | undefined, mode: BotMode): boolean {
  if (serviceUrl === undefined) return false;
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (mode === 'local' && loopbackHosts.has(url.hostname) && ['http:', 'https:'].includes(url.protocol)) {
    return true;
  }
  // An explicit port other than 443 is not the Bot Connector, even on its host name.
  return url.protocol === 'https:' && url.port === '' && connectorHosts.has(url.hostname);
}

export function assertAllowedServiceUrl(serviceUrl: string | undefined, mode: BotMode): void {
  if (!isAllowedServiceUrl(serviceUrl, mode)) throw new OutboundRefusedError(String(serviceUrl));
}

/**
 * Wraps the SDK's connector factory: every `ConnectorClient` (replies in a turn, proactive
 * sends, new conversations) is created here, so checking the URL here covers them all.
 */
export function guardConnectorFactory(
  factory: ConnectorFactory,
  mode: BotMode,
  onRefused: (serviceUrl: string) => void,
): ConnectorFactory {
  return {
    async create(serviceUrl, audience) {
      if (!isAllowedServiceUrl(serviceUrl, mode)) {
        onRefused(serviceUrl);
        throw new OutboundRefusedError(serviceUrl);
      }
      return factory.create(serviceUrl, audience);
    },
  };
}
