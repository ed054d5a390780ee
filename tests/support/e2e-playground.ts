/**
 * Drives the Microsoft 365 Agents Playground in Debian's Chromium the way a user does: pick a
 * conversation, type into the compose box, press send, read the bot's answer, fill in and submit
 * an Adaptive Card. The selectors are the playground's accessible names (0.2.28), not its
 * generated CSS classes.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { repoRoot } from '../../scripts/playground.mjs';

export const chromiumPath = '/usr/bin/chromium';
/** The bot's display name in the playground (`bot.name` in .m365agentsplayground.yml). */
export const botDisplayName = 'Backa barnet';
export const screenshotDir = join(repoRoot, 'test-results');
const defaultAnswerTimeoutMs = 15_000;

/** The conversations of the mock data: the personal chat, the group chat and the team's channels. */
export const conversations = {
  personal: 'Personal Chat',
  groupChat: 'Elevhälsan Björkskolan',
  general: 'General',
  channel: 'Ärenden',
} as const;

/**
 * Launches headless Chromium. Playwright gives every launch a fresh temporary profile
 * (user-data dir) and deletes it on close.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * Opens the playground in a new page and waits until its compose box is usable. Requests that
 * leave the machine (the playground asks a CDN for fonts) are refused: the test must not depend
 * on the internet, nor wait for it.
 */
export async function openPlayground(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'sv-SE' });
  await context.route(
    (target) => !['localhost', '127.0.0.1'].includes(target.hostname),
    (route) => route.abort(),
  );
  const page = await context.newPage();
  await page.goto(url);
  await composeBox(page).waitFor({ state: 'visible' });
  return page;
}

/** Opens a conversation from the left rail by its name (see `conversations`). */
export async function openChat(page: Page, name: string): Promise<void> {
  await page.getByRole('treeitem', { name }).first().click();
  await composeBox(page).waitFor({ state: 'visible' });
}

/**
 * Types `text` into the compose box key by key and presses the send button ("Post" when a
 * channel is open: there each message starts a new post). In a channel or group chat the bot
 * hears only messages that @mention it, as in Teams: pass `mentionBot`.
 */
export async function sendText(
  page: Page,
  text: string,
  options: { mentionBot?: boolean } = {},
): Promise<void> {
  await composeBox(page).click();
  if (options.mentionBot) {
    await page.keyboard.type(`@${botDisplayName.slice(0, 4)}`);
    await page.getByRole('menuitem', { name: botDisplayName }).click();
    await page.keyboard.type(' ');
  }
  await page.keyboard.type(text);
  await page
    .getByRole('button', { name: 'Send Message' })
    .or(page.getByRole('button', { name: 'Post' }))
    .click();
}

/**
 * Every message in the open conversation has a "Show more information" (…) button. A message
 * is the outermost element around that button that holds no other message, no compose box
 * and nothing of the left rail; this holds for chat messages and for channel replies, whose
 * markup differs.
 */
const messageXPath =
  'xpath=//button[@aria-label="Show more information"]/ancestor::div[' +
  'count(.//button[@aria-label="Show more information"]) = 1 and ' +
  'not(.//*[@data-lexical-editor]) and not(.//*[@role="treeitem"])][last()]';

/** All messages the bot has posted in the open conversation (the ones with its avatar), in order. */
export function botMessages(page: Page): Locator {
  return page
    .locator(messageXPath)
    .filter({ has: page.getByRole('img', { name: botDisplayName, exact: true }) });
}

/**
 * Waits for a bot message in the open conversation that contains `text` and returns it (its
 * text with `innerText()`, its card fields with the card helpers below).
 */
export async function waitForBotMessage(
  page: Page,
  text: string | RegExp,
  timeoutMs = defaultAnswerTimeoutMs,
): Promise<Locator> {
  const message = botMessages(page).filter({ hasText: text }).last();
  await message.waitFor({ state: 'visible', timeout: timeoutMs });
  return message;
}

/** Fills the Adaptive Card text (or date, number) input labelled `label` in `message`. */
export async function fillCardInput(message: Locator, label: string | RegExp, value: string): Promise<void> {
  await message.getByLabel(label).first().fill(value);
}

/** Ticks or unticks the card's checkbox (Input.Toggle or a multi-select choice) named `label`. */
export async function setCardCheckbox(
  message: Locator,
  label: string | RegExp,
  checked: boolean,
): Promise<void> {
  await message.getByRole('checkbox', { name: label }).first().setChecked(checked);
}

/** Chooses the option named `option` in the card's expanded choice set (radio buttons). */
export async function chooseCardRadio(message: Locator, option: string | RegExp): Promise<void> {
  await message.getByRole('radio', { name: option }).first().check();
}

/** Presses the card's action button titled `title` (Action.Execute / Action.Submit). */
export async function pressCardButton(message: Locator, title: string | RegExp): Promise<void> {
  await message.getByRole('button', { name: title }).first().click();
}

/** Saves a full-page screenshot under test-results/ and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The compose box is a Lexical editor; Adaptive Card inputs are textboxes too, so match on that. */
function composeBox(page: Page): Locator {
  return page.locator('[role="textbox"][data-lexical-editor="true"]');
}
