// A user opens the local playground, writes "hjälp" to the bot and reads the help text: the
// bot, its HTTP server and the playground working together in a real browser.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, onTestFailed, test } from 'vitest';
import {
  conversations,
  launchChromium,
  openChat,
  openPlayground,
  saveScreenshot,
  sendText,
  waitForBotMessage,
} from '../support/e2e-playground.js';
import { type LocalStack, startLocalStack } from '../support/e2e-stack.js';

const helpHeading = 'Så här använder du Backa barnet i Teams';
const answerTimeoutMs = 20_000;

let stack: LocalStack | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  stack = await startLocalStack();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Opens the playground; if the test then fails, keeps a screenshot and the bot's output. */
async function openPlaygroundForTest(screenshotName: string): Promise<Page> {
  if (stack === undefined || browser === undefined) throw new Error('beforeAll did not start the stack');
  const running = stack;
  const page = await openPlayground(browser, running.playgroundUrl);
  onTestFailed(async () => {
    const path = await saveScreenshot(page, screenshotName);
    process.stderr.write(`Skärmbild: ${path}\n${running.describeOutput()}\n`);
  });
  return page;
}

test('a user who writes "hjälp" in the personal chat gets the help text', { timeout: 60_000 }, async () => {
  const page = await openPlaygroundForTest('e2e-help-personal-failure');

  await sendText(page, 'hjälp');

  const answer = await waitForBotMessage(page, helpHeading, answerTimeoutMs);
  expect(await answer.textContent()).toContain(helpHeading);
});

test('a user who @mentions the bot with "hjälp" in a team channel gets the help text', {
  timeout: 60_000,
}, async () => {
  const page = await openPlaygroundForTest('e2e-help-channel-failure');
  await openChat(page, conversations.channel);

  await sendText(page, 'hjälp', { mentionBot: true });

  const answer = await waitForBotMessage(page, helpHeading, answerTimeoutMs);
  expect(await answer.textContent()).toContain(helpHeading);
});
