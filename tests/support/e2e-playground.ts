/**
 * The one driver of the end-to-end tests: it drives the Microsoft 365 Agents Playground in
 * Debian's Chromium the way a user does. `usePlayground` starts the local stack and the browser
 * for a test file and opens a user's playground; then pick a conversation, type into the compose
 * box, press send, wait for the bot's card by its text, read it, fill it in and press its buttons.
 * The selectors are the playground's accessible names (0.2.28), not its generated CSS classes.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, onTestFailed } from 'vitest';
import { type LocalStack, type LocalStackOptions, startLocalStack } from './e2e-stack.js';

export const chromiumPath = '/usr/bin/chromium';
/** The bot's display name in the playground (`bot.name` in .m365agentsplayground.yml). */
export const botDisplayName = 'Backa barnet';
/** The repository's gitignored test-results/: screenshots and whatever else a test keeps. */
export const screenshotDir = join(import.meta.dirname, '../../test-results');
const defaultAnswerTimeoutMs = 20_000;

/** The conversations of the mock data: the personal chat, the group chat and the team's channels. */
export const conversations = {
  personal: 'Personal Chat',
  groupChat: 'Elevhälsan Björkskolan',
  general: 'General',
  channel: 'Ärenden',
} as const;

export interface PlaygroundSession {
  /** The running bot and playgrounds (`beforeAll` starts them). */
  readonly stack: LocalStack;
  /**
   * Opens the playground of `user` (an Entra object id among `actingUsers`; when absent, the
   * mock data's current user) in a new page. If the test then fails, a screenshot named
   * `failureScreenshot` and the last output of the bot and the playgrounds are kept.
   */
  open(failureScreenshot: string, user?: string): Promise<Page>;
  /** Stops the bot and the playgrounds before the file ends; returns everything the bot printed. */
  stopAndReadBotOutput(): Promise<string>;
}

/**
 * Starts the local stack (see `startLocalStack`) and Chromium before the test file's tests and
 * stops both after them, so that no process outlives the file.
 */
export function usePlayground(options: LocalStackOptions = {}): PlaygroundSession {
  let stack: LocalStack | undefined;
  let browser: Browser | undefined;
  let stopped = false;
  beforeAll(async () => {
    stack = await startLocalStack(options);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    if (!stopped) await stack?.stop();
  });
  const running = () => {
    if (stack === undefined || browser === undefined) throw new Error('beforeAll did not start the stack');
    return { stack, browser };
  };
  return {
    get stack() {
      return running().stack;
    },
    async open(failureScreenshot, user) {
      const { stack: started, browser: chromiumBrowser } = running();
      const url = user === undefined ? started.playgroundUrl : started.playgroundUrlsByUser.get(user);
      if (url === undefined) throw new Error(`Ingen playground för ${user}: ange användaren i actingUsers`);
      const page = await openPlayground(chromiumBrowser, url);
      onTestFailed(async () => {
        const path = await saveScreenshot(page, failureScreenshot);
        process.stderr.write(`Skärmbild: ${path}\n${started.describeOutput()}\n`);
      });
      return page;
    },
    async stopAndReadBotOutput() {
      const started = running().stack;
      await started.stop();
      stopped = true;
      return started.botOutput();
    },
  };
}

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
  // A channel has "Post" for a new conversation; once the bot has posted there (its welcome), a
  // reply box's "Send Message" shows up beside it. The compose box is the new conversation.
  const post = page.getByRole('button', { name: 'Post' });
  await ((await post.count()) > 0 ? post : page.getByRole('button', { name: 'Send Message' })).click();
}

/**
 * Every message in the open conversation has a "Show more information" (…) button. A message
 * is the outermost element around that button that holds no other message, no compose box
 * and nothing of the left rail; this holds for chat messages and for channel replies, whose
 * markup differs. (In a chat that holds one message only, that is the whole chat pane.)
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
 * Waits for the newest bot message in the open conversation that contains `text` (and, with
 * `withButton`, has a button of exactly that title) and returns it: read it with `readCardText`,
 * fill it in and press its buttons with the card helpers below.
 */
export async function waitForBotMessage(
  page: Page,
  text: string | RegExp,
  options: { timeoutMs?: number; withButton?: string } = {},
): Promise<Locator> {
  let messages = botMessages(page).filter({ hasText: text });
  if (options.withButton !== undefined) {
    messages = messages.filter({ has: page.getByRole('button', { name: options.withButton, exact: true }) });
  }
  const message = messages.last();
  await message.waitFor({ state: 'visible', timeout: options.timeoutMs ?? defaultAnswerTimeoutMs });
  return message;
}

/** The text of a card (or message, or a part of it) as it is shown, without the markup. */
export async function readCardText(scope: Locator): Promise<string> {
  return (await scope.textContent()) ?? '';
}

/**
 * The input of the card field labelled `label` inside `scope` (a message or a part of it). The
 * playground's renderer ties each label to its input with `for`; the input's accessible name is
 * not reliable (a date or choice input is named by its placeholder or its current value too).
 * A string matches the whole label, without the " *" of a required field.
 */
export async function findCardInput(scope: Locator, label: string | RegExp): Promise<Locator> {
  const matcher =
    typeof label === 'string' ? new RegExp(`^\\s*${escapeRegExp(label)}(\\s*\\*)?\\s*$`) : label;
  const labelElement = scope.locator('label[for]').filter({ hasText: matcher }).first();
  const inputId = await labelElement.getAttribute('for');
  if (inputId === null) throw new Error(`Kortet har inget fält med etiketten ${String(label)}`);
  return scope.locator(`[id="${inputId}"]`);
}

/** Fills the Adaptive Card text input (Input.Text, single or multi-line) labelled `label`. */
export async function fillCardInput(scope: Locator, label: string | RegExp, value: string): Promise<void> {
  await (await findCardInput(scope, label)).fill(value);
}

/** The current value of the card input labelled `label`, as the user sees it. */
export async function readCardInput(scope: Locator, label: string | RegExp): Promise<string> {
  return (await findCardInput(scope, label)).inputValue();
}

/**
 * Types `isoDate` (YYYY-MM-DD) into the card's Input.Date labelled `label` and leaves the field,
 * as a user who types rather than clicks through the calendar does. The picker then shows the
 * date in its own format (e.g. "19 augusti 2024") and submits it as YYYY-MM-DD.
 */
export async function fillCardDate(scope: Locator, label: string | RegExp, isoDate: string): Promise<void> {
  const input = await findCardInput(scope, label);
  await input.fill(isoDate);
  await input.press('Tab');
}

/**
 * Chooses `option` (its title, exactly) in the card's Input.ChoiceSet labelled `label`, rendered
 * as a drop-down ("compact") or a search box ("filtered"). For a filtered one pass `search`: the
 * text the user types before the list shows the option.
 */
export async function chooseCardOption(
  scope: Locator,
  label: string | RegExp,
  option: string,
  options: { search?: string } = {},
): Promise<void> {
  const input = await findCardInput(scope, label);
  await input.click();
  if (options.search !== undefined) await input.pressSequentially(options.search);
  // The list opens in a layer outside the message.
  await scope.page().getByRole('option', { name: option, exact: true }).click();
  const chosen = await input.inputValue();
  if (chosen !== option) throw new Error(`${String(label)}: valde "${option}" men fältet visar "${chosen}"`);
}

/** Ticks or unticks the card's checkbox (Input.Toggle or a multi-select choice) named `label`. */
export async function setCardCheckbox(
  scope: Locator,
  label: string | RegExp,
  checked: boolean,
): Promise<void> {
  await scope.getByRole('checkbox', { name: label }).first().setChecked(checked);
}

/** Whether the card's checkbox named `label` is ticked. */
export function isCardCheckboxChecked(scope: Locator, label: string | RegExp): Promise<boolean> {
  return scope.getByRole('checkbox', { name: label }).first().isChecked();
}

/** Chooses the option named `option` in the card's expanded choice set (radio buttons). */
export async function chooseCardRadio(scope: Locator, option: string | RegExp): Promise<void> {
  await scope.getByRole('radio', { name: option }).first().check();
}

/** Whether the radio button named `option` is chosen. */
export function isCardRadioChecked(scope: Locator, option: string | RegExp): Promise<boolean> {
  return scope.getByRole('radio', { name: option }).first().isChecked();
}

/**
 * The part of a card that holds the text `heading` and exactly one choice input: e.g. one row of
 * a repeated block (one Behovskompass area with its choice and comment), where every row's
 * inputs carry the same label.
 */
export function findCardSection(scope: Locator, heading: string): Locator {
  const text = `normalize-space(text())=${toXPathString(heading)}`;
  return scope.locator(`xpath=.//div[.//*[${text}]][count(.//input[@role="combobox"]) = 1]`).first();
}

/**
 * Like `findCardSection`, for a row with `inputCount` choice inputs under one heading: e.g. one
 * Behovskompass area of a barnsamtal, with the child's and the guardian's rating side by side.
 */
export function findCardRow(scope: Locator, heading: string, inputCount: number): Locator {
  const text = `normalize-space(text())=${toXPathString(heading)}`;
  return scope
    .locator(`xpath=.//div[.//*[${text}]][count(.//input[@role="combobox"]) = ${inputCount}]`)
    .first();
}

/**
 * Chooses `option` among the radio buttons of the card's expanded choice set labelled `label`,
 * for a card with several such sets offering the same options (Ja / Nej / Delvis per question).
 */
export async function chooseCardRadioIn(
  scope: Locator,
  label: string | RegExp,
  option: string | RegExp,
): Promise<void> {
  const group = await findCardInput(scope, label);
  await group.getByRole('radio', { name: option }).first().check();
}

/**
 * The text shown right below the card field labelled `label` (where a card puts the message
 * about a wrong value), or `undefined` when the next thing below is another field.
 */
export async function readTextBelowCardInput(
  scope: Locator,
  label: string | RegExp,
): Promise<string | undefined> {
  const input = await findCardInput(scope, label);
  const inputId = await input.getAttribute('id');
  // The field is a column of label and input; spacers without text sit between it and the next element.
  const field = scope.locator(`label[for="${inputId}"]`).locator('xpath=..');
  const next = field.locator('xpath=following-sibling::*[normalize-space()][1]');
  if ((await next.count()) === 0) return undefined;
  if ((await next.locator('input, textarea, label').count()) > 0) return undefined;
  return (await next.textContent())?.trim();
}

/**
 * Presses the card's action button titled `title` (Action.Execute / Action.Submit); a string
 * matches a part of the title unless `exact`.
 */
export async function pressCardButton(
  scope: Locator,
  title: string | RegExp,
  options: { exact?: boolean } = {},
): Promise<void> {
  await scope
    .getByRole('button', { name: title, exact: options.exact ?? false })
    .first()
    .click();
}

/** Saves a screenshot (by default of the full page) under test-results/ and returns its path. */
export async function saveScreenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? true });
  return path;
}

/**
 * Saves a screenshot of the playground with `message` in view, its top first, and returns its
 * path. The chat scrolls inside the page, so a full-page shot would not show a long card: the
 * window is made tall enough for the whole message (up to `maxHeight`) for the shot, then put
 * back. A message taller than that shows its top (heading and first fields).
 */
export async function saveMessageScreenshot(
  message: Locator,
  name: string,
  options: { maxHeight?: number } = {},
): Promise<string> {
  const page = message.page();
  const original = page.viewportSize();
  const maxHeight = options.maxHeight ?? 2400;
  try {
    if (original !== null) {
      // Measured, not guessed: cards re-flow when the chat pane grows.
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const viewport = page.viewportSize() ?? original;
        const fit = await measureChatPane(message);
        if (fit === undefined || fit.content + 40 <= fit.pane) break;
        const wanted = Math.min(Math.ceil(viewport.height + fit.content + 40 - fit.pane), maxHeight);
        if (wanted <= viewport.height) break;
        await page.setViewportSize({ width: original.width, height: wanted });
      }
    }
    await message.evaluate((element) => {
      element.scrollIntoView({ block: 'start' });
      // A message that is the whole chat pane scrolls inside itself.
      for (const inner of element.querySelectorAll('*')) {
        if (inner.scrollHeight > inner.clientHeight + 1) inner.scrollTop = 0;
      }
    });
    return await saveScreenshot(page, name, { fullPage: false });
  } finally {
    if (original !== null) await page.setViewportSize(original);
  }
}

/**
 * The visible height of the chat pane (the scrolling element around the message, or inside it
 * when the message is the whole pane) and the height the message needs.
 */
function measureChatPane(message: Locator): Promise<{ pane: number; content: number } | undefined> {
  return message.evaluate((node) => {
    const view = node.ownerDocument.defaultView;
    const scrolls = (element: typeof node) => {
      const overflow = view?.getComputedStyle(element).overflowY;
      return (
        (overflow === 'auto' || overflow === 'scroll') && element.scrollHeight > element.clientHeight + 1
      );
    };
    for (let parent = node.parentElement; parent !== null; parent = parent.parentElement) {
      if (scrolls(parent)) return { pane: parent.clientHeight, content: node.getBoundingClientRect().height };
    }
    const inner = [node, ...node.querySelectorAll('*')].find(scrolls);
    return inner === undefined ? undefined : { pane: inner.clientHeight, content: inner.scrollHeight };
  });
}

/** `text` as a regular expression that matches it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An XPath string literal for `text`, which may hold either kind of quote. */
function toXPathString(text: string): string {
  if (!text.includes("'")) return `'${text}'`;
  if (!text.includes('"')) return `"${text}"`;
  return `concat('${text.split("'").join(`', "'", '`)}')`;
}

/** The compose box is a Lexical editor; Adaptive Card inputs are textboxes too, so match on that. */
// In a channel where the bot has posted (its welcome), each post has a reply box too; the box
// for a new conversation is the one at the bottom of the page.
function composeBox(page: Page): Locator {
  return page.locator('[role="textbox"][data-lexical-editor="true"]').last();
}
