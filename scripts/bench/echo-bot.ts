/**
 * The benchmark's baseline: a bot that only echoes the text back, built from the same pieces
 * as the real one (the guarded authentication, `BackaCloudAdapter` and `createHttpApp`), so the
 * difference in turn time is what Backa barnet itself does in a turn.
 *
 * Asked for `cardEchoText`, it answers with a card rendered once at start instead: the cost of
 * shipping a card of that size through the SDK, without rendering it or storing anything.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CardFactory, type TurnContext } from 'botbuilder';
import { BackaCloudAdapter } from '../../bot/adapter.js';
import { GuardedBotFrameworkAuthentication } from '../../bot/guarded-authentication.js';
import { createHttpApp } from '../../bot/http-server.js';
import type { Config } from '../../infra/config.js';
import type { Logger } from '../../infra/logger.js';

export interface RunningEchoBot {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the echo bot on a free loopback port with the same authentication settings as `config`. */
export const cardEchoText = 'kort';

export async function startEchoBot(config: Config, logger: Logger, card: object): Promise<RunningEchoBot> {
  const authentication = new GuardedBotFrameworkAuthentication({
    mode: config.mode,
    botAuth: config.botAuth,
    allowedTenantIds: config.allowedTenantIds,
    logger,
  });
  await authentication.assertAuthenticationEnabled();
  const adapter = new BackaCloudAdapter(authentication);
  const logic = async (context: TurnContext) => {
    if (context.activity.type !== 'message') return;
    if (context.activity.text === cardEchoText) {
      await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
    } else {
      await context.sendActivity(context.activity.text ?? '');
    }
  };
  // The baseline takes any shape: it measures the adapter, not the bot's checks.
  const findMalformation = () => undefined;
  const server = createServer(createHttpApp({ adapter, findMalformation, logic, logger }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
