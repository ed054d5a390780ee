// A teacher files an Upptäckarkort in the local playground and the school's Barnkontakt takes
// the case, each in their own browser tab, the way they would in Teams: typing "ny upptäckt",
// filling in the card, correcting a mistyped personnummer, reading the receipt, then (as the
// Barnkontakt) pressing "Ta emot" on the notification. Afterwards everything the bot printed is
// scanned for the child's data (SECURITY.md 8).
//
// The playground always acts as its one configured current user, so the stack runs a second
// playground against the same bot with the Barnkontakt as its current user.
import Database from 'better-sqlite3';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, onTestFailed, test } from 'vitest';
import { compassAreas } from '../../flows/kernel/compass.js';
import {
  chooseCardOption,
  chooseCardRadio,
  fillCardDate,
  fillCardInput,
  findCardSection,
  isCardCheckboxChecked,
  isCardRadioChecked,
  launchChromium,
  openPlayground,
  pressCardButton,
  readCardInput,
  readTextBelowCardInput,
  saveMessageScreenshot,
  saveScreenshot,
  sendText,
  setCardCheckbox,
  waitForBotMessage,
} from '../support/e2e-playground.js';
import { type LocalStack, startLocalStack } from '../support/e2e-stack.js';
import { toPersonnummer } from '../support/e2e-upptackare.js';

/** Maria Lind, rektor of Björkskolan: the unit's Barnkontakt (config/directory.sample.yaml). */
const barnkontaktId = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02';
const barnkontaktName = 'Maria Lind';
const answerTimeoutMs = 20_000;

const child = { givenName: 'Ella', familyName: 'Åberg', birthDate: '2018-03-14' };
const identityNumber = toPersonnummer(child.birthDate, '238');
/** The same number with the last digit mistyped: the check digit no longer matches. */
const mistypedIdentityNumber = `${identityNumber.slice(0, -1)}${(Number(identityNumber.slice(-1)) + 1) % 10}`;
const observation =
  'Ella kommer ofta hungrig till skolan, somnar under lektionerna och har slutat leka med kamraterna på rasterna.';
const ratings = [
  { area: 'Omsorg', choice: 'Behöver stärkas', comment: 'Har ofta ingen frukost med sig eller ätit hemma.' },
  { area: 'Må bra', choice: 'Behöver stärkas', comment: 'Trött och ledsen de senaste veckorna.' },
  { area: 'Utvecklas', choice: 'Fungerar bra', comment: '' },
] as const;

let stack: LocalStack | undefined;
let browser: Browser | undefined;
let stackStopped = false;

beforeAll(async () => {
  stack = await startLocalStack({ actingUsers: [barnkontaktId] });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (!stackStopped) await stack?.stop();
});

test('a teacher files an Upptäckarkort, corrects a mistyped personnummer, and the Barnkontakt takes the case', {
  timeout: 90_000,
}, async () => {
  const running = requireStack();
  const teacher = await openPlaygroundForTest(running.playgroundUrl, 'e2e-ny-upptackt-larare-fel');
  // The Barnkontakt has Backa barnet in Teams (the playground installs it on open), so the bot
  // can reach her.
  const barnkontakt = await openPlaygroundForTest(
    running.playgroundUrlsByUser.get(barnkontaktId) ?? '',
    'e2e-ny-upptackt-barnkontakt-fel',
  );

  await sendText(teacher, 'ny upptäckt');
  const card = await waitForBotMessage(teacher, 'Upptäckarkort', answerTimeoutMs);
  await fillUpptackarkort(card, mistypedIdentityNumber);
  await pressCardButton(card, 'Skicka');

  // The same card comes back: nothing filed, the message next to the personnummer, all kept.
  const returned = await waitForBotMessage(teacher, 'Kortet är inte skickat', answerTimeoutMs);
  expect(await readTextBelowCardInput(returned, 'Personnummer eller samordningsnummer')).toMatch(
    /^Kontrollsiffran \(den sista siffran\) stämmer inte/,
  );
  expect(await readTextBelowCardInput(returned, 'Förnamn')).toBeUndefined();
  await expectCardStillFilledIn(returned, mistypedIdentityNumber);
  await saveMessageScreenshot(returned, 'e2e-ny-upptackt-fel-personnummer', { maxHeight: 1100 });

  await fillCardInput(returned, 'Personnummer eller samordningsnummer', identityNumber);
  await pressCardButton(returned, 'Skicka');

  const receipt = await waitForBotMessage(teacher, 'Upptäckarkortet är skickat', answerTimeoutMs);
  const receiptText = (await receipt.textContent()) ?? '';
  const reference = /BB-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(receiptText)?.[0];
  expect(reference, receiptText).toBeDefined();
  expect(receiptText).toContain('Väntar på Barnkontakt');
  expect(receiptText).toContain(`Barnkontakten ${barnkontaktName}`);
  expect(receiptText).toContain('Du får besked här när kortet har besvarats.');
  // The receipt names the child by given name and initial only, never the personnummer.
  expect(receiptText).toContain('Ella Å.');
  expect(receiptText).not.toContain(child.familyName);
  expect(receiptText).not.toMatch(/\d{6}-?\d{4}/);
  await saveMessageScreenshot(receipt, 'e2e-ny-upptackt-kvitto');

  // The Barnkontakt gets the notification in her own chat, with the flagged areas and what was seen.
  const notification = await waitForBotMessage(
    barnkontakt,
    'Nytt Upptäckarkort till dig som Barnkontakt',
    answerTimeoutMs,
  );
  const notificationText = (await notification.textContent()) ?? '';
  expect(notificationText).toContain(reference);
  expect(notificationText).toContain(observation);
  expect(notificationText).toContain('Omsorg');
  expect(notificationText).toContain('Alex Andersson');
  expect(notificationText).not.toContain(identityNumber.slice(2));
  await saveMessageScreenshot(notification, 'e2e-ny-upptackt-notis');

  await pressCardButton(notification, 'Ta emot');
  const answered = await waitForBotMessage(barnkontakt, /Du tog emot ärendet den/, answerTimeoutMs);
  expect(await answered.textContent()).toContain(reference);
  await saveMessageScreenshot(answered, 'e2e-ny-upptackt-notis-besvarad');

  // The teacher is told in the same chat: the receipt again, now "Mottaget av Maria Lind den …".
  const update = await waitForBotMessage(
    teacher,
    new RegExp(`Mottaget av ${barnkontaktName} den`),
    answerTimeoutMs,
  );
  expect(await update.textContent()).toContain(reference);
  await saveMessageScreenshot(update, 'e2e-ny-upptackt-mottaget');

  // Every message went through the outbox and was delivered; none waits, none was parked. The
  // outbox marks a message delivered just after Teams took it, so the last one may lag the screen.
  await expect
    .poll(() => readOutboxStatuses(running.sqlitePath))
    .toEqual(
      expect.arrayContaining([
        { recipientKey: barnkontaktId, notice: 'nyttArende', status: 'delivered' },
        { recipientKey: expect.stringMatching(/5e01$/), notice: 'mottaget', status: 'delivered' },
      ]),
    );
  await expect
    .poll(() => readOutboxStatuses(running.sqlitePath).filter((message) => message.status !== 'delivered'))
    .toEqual([]);

  // SECURITY.md 8: nothing the child can be recognised by in anything the bot printed.
  await running.stop();
  stackStopped = true;
  const printed = running.botOutput();
  expect(printed).toContain('Upptäckarkort inlämnat');
  expect(findChildDataIn(printed)).toEqual([]);
});

/** Fills the card the way a teacher would: every section, the areas that matter, the consent. */
async function fillUpptackarkort(card: Locator, childIdentityNumber: string): Promise<void> {
  await fillCardInput(card, 'Förnamn', child.givenName);
  await fillCardInput(card, 'Efternamn', child.familyName);
  await fillCardInput(card, 'Personnummer eller samordningsnummer', childIdentityNumber);
  await chooseCardOption(card, 'Enhet som barnet hör till', 'Björkskolan (grundskola)', { search: 'Björk' });
  await fillCardDate(card, 'Började skolan (förskoleklass)', '2024-08-19');
  await chooseCardOption(card, 'Din organisation', 'Kommun');
  await fillCardInput(card, 'Din roll', 'Lärare');
  for (const rating of ratings) {
    const row = findCardSection(card, rating.area);
    await chooseCardOption(row, 'Bedömning', rating.choice);
    if (rating.comment !== '')
      await row.getByPlaceholder(`Kommentar om ${rating.area} (valfritt)`).fill(rating.comment);
  }
  await fillCardInput(card, 'Beskriv situationen: vad har du sett och hört?', observation);
  await setCardCheckbox(card, 'Jag har samtalat med vårdnadshavare', true);
  await chooseCardRadio(card, 'Aktivera Barnkontakt');
  await setCardCheckbox(
    card,
    'Vårdnadshavare har gett muntligt samtycke till att Barnkontakten aktiveras',
    true,
  );
  await chooseCardOption(card, 'Samtycket gavs av', 'Vårdnadshavare');
}

async function expectCardStillFilledIn(card: Locator, childIdentityNumber: string): Promise<void> {
  expect(await readCardInput(card, 'Förnamn')).toBe(child.givenName);
  expect(await readCardInput(card, 'Efternamn')).toBe(child.familyName);
  expect(await readCardInput(card, 'Personnummer eller samordningsnummer')).toBe(childIdentityNumber);
  expect(await readCardInput(card, 'Enhet som barnet hör till')).toBe('Björkskolan (grundskola)');
  expect(await readCardInput(card, 'Började skolan (förskoleklass)')).toBe('19 augusti 2024');
  expect(await readCardInput(card, 'Din organisation')).toBe('Kommun');
  expect(await readCardInput(card, 'Din roll')).toBe('Lärare');
  for (const area of compassAreas) {
    const rating = ratings.find((candidate) => candidate.area === area.name);
    const row = findCardSection(card, area.name);
    expect(await readCardInput(row, 'Bedömning'), area.name).toBe(rating?.choice ?? 'Vet ej');
    expect(await row.getByPlaceholder(`Kommentar om ${area.name} (valfritt)`).inputValue(), area.name).toBe(
      rating?.comment ?? '',
    );
  }
  expect(await readCardInput(card, 'Beskriv situationen: vad har du sett och hört?')).toBe(observation);
  expect(await isCardCheckboxChecked(card, 'Jag har samtalat med vårdnadshavare')).toBe(true);
  expect(await isCardRadioChecked(card, 'Aktivera Barnkontakt')).toBe(true);
  expect(
    await isCardCheckboxChecked(
      card,
      'Vårdnadshavare har gett muntligt samtycke till att Barnkontakten aktiveras',
    ),
  ).toBe(true);
  expect(await readCardInput(card, 'Samtycket gavs av')).toBe('Vårdnadshavare');
}

/**
 * Every way the child could show up in a log: the names, the observation, the personnummer with
 * 12 or 10 digits, with or without "-" (or "+"), and the mistyped number the teacher first sent.
 */
function findChildDataIn(printed: string): string[] {
  const digitsOf = (number: string) => number.replace(/\D/g, '');
  const forms = [identityNumber, mistypedIdentityNumber].flatMap((number) => {
    const twelve = digitsOf(number);
    const ten = twelve.slice(2);
    return [
      twelve,
      ten,
      `${twelve.slice(0, 8)}-${twelve.slice(8)}`,
      `${ten.slice(0, 6)}-${ten.slice(6)}`,
      `${ten.slice(0, 6)}+${ten.slice(6)}`,
    ];
  });
  const secrets = [
    child.givenName,
    child.familyName,
    observation,
    ...ratings.map((rating) => rating.comment),
  ].filter((secret) => secret !== '');
  // JSON may write Å as \u00c5: look for that spelling too.
  const escaped = secrets.map((secret) =>
    secret.replace(
      /[^\x20-\x7e]/g,
      (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
    ),
  );
  return [...new Set([...secrets, ...escaped, ...forms])].filter((secret) => printed.includes(secret));
}

/** A valid 12-digit personnummer (YYYYMMDD-NNNC) for `birthDate` with the birth number `serial`. */

/** What the bot's outbox holds: who each message is for, what it is and how far it got. */
function readOutboxStatuses(sqlitePath: string): { recipientKey: string; notice: string; status: string }[] {
  const database = new Database(sqlitePath, { readonly: true, fileMustExist: true });
  try {
    const rows = database.prepare('SELECT document FROM outbox').all() as { document: string }[];
    return rows.map(({ document }) => {
      const message = JSON.parse(document) as {
        recipientKey: string;
        status: string;
        payload: { kind: string; notice?: string };
      };
      return {
        recipientKey: message.recipientKey,
        notice: message.payload.notice ?? message.payload.kind,
        status: message.status,
      };
    });
  } finally {
    database.close();
  }
}

function requireStack(): LocalStack {
  if (stack === undefined || browser === undefined) throw new Error('beforeAll did not start the stack');
  return stack;
}

/** Opens a playground; if the test then fails, keeps a screenshot and the bot's output. */
async function openPlaygroundForTest(url: string, screenshotName: string): Promise<Page> {
  const running = requireStack();
  if (browser === undefined || url === '') throw new Error('Playground saknas');
  const page = await openPlayground(browser, url);
  onTestFailed(async () => {
    const path = await saveScreenshot(page, screenshotName);
    process.stderr.write(`Skärmbild: ${path}\n${running.describeOutput()}\n`);
  });
  return page;
}
