// A user opens the local playground, writes "hjälp" to the bot and reads the help text: the
// bot, its HTTP server and the playground working together in a real browser.
import { expect, test } from 'vitest';
import {
  conversations,
  openChat,
  readCardText,
  sendText,
  usePlayground,
  waitForBotMessage,
} from '../support/e2e-playground.js';

const helpHeading = 'Så här använder du Backa barnet i Teams';

const playground = usePlayground();

test('a user who writes "hjälp" in the personal chat gets the help text', { timeout: 60_000 }, async () => {
  const page = await playground.open('e2e-help-personal-failure');

  await sendText(page, 'hjälp');

  const answer = await waitForBotMessage(page, helpHeading);
  expect(await readCardText(answer)).toContain(helpHeading);
});

test('a user who @mentions the bot with "hjälp" in a team channel gets the help text', {
  timeout: 60_000,
}, async () => {
  const page = await playground.open('e2e-help-channel-failure');
  await openChat(page, conversations.channel);

  await sendText(page, 'hjälp', { mentionBot: true });

  const answer = await waitForBotMessage(page, helpHeading);
  expect(await readCardText(answer)).toContain(helpHeading);
});
