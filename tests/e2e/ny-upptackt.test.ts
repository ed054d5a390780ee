// A teacher files an Upptäckarkort in the local playground and the school's Barnkontakt takes
// the case, each in their own browser tab, the way they would in Teams: typing "ny upptäckt",
// filling in the card, correcting a mistyped personnummer, reading the receipt, then (as the
// Barnkontakt) pressing "Ta emot" on the notification. Afterwards everything the bot printed is
// scanned for the child's data (SECURITY.md 8).
//
// The playground always acts as its one configured current user, so the stack runs a second
// playground against the same bot with the Barnkontakt as its current user.
import Database from 'better-sqlite3';
import type { Locator } from 'playwright-core';
import { expect, test } from 'vitest';
import { compassAreas } from '../../flows/kernel/compass.js';
import {
  fillCardInput,
  findCardSection,
  isCardCheckboxChecked,
  isCardRadioChecked,
  pressCardButton,
  readCardInput,
  readCardText,
  readTextBelowCardInput,
  saveMessageScreenshot,
  usePlayground,
  waitForBotMessage,
} from '../support/e2e-playground.js';
import {
  fillUpptackarkort,
  findCaseReference,
  findChildDataIn,
  openUpptackarkort,
  type TestChild,
  toPersonnummer,
} from '../support/e2e-upptackare.js';

/** Maria Lind, rektor of Björkskolan: the unit's Barnkontakt (config/directory.sample.yaml). */
const barnkontaktId = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02';
const barnkontaktName = 'Maria Lind';

const child: TestChild = {
  givenName: 'Ella',
  familyName: 'Åberg',
  birthDate: '2018-03-14',
  identityNumber: toPersonnummer('2018-03-14', '238'),
  observation:
    'Ella kommer ofta hungrig till skolan, somnar under lektionerna och har slutat leka med kamraterna på rasterna.',
  ratings: [
    {
      area: 'Omsorg',
      choice: 'Behöver stärkas',
      comment: 'Har ofta ingen frukost med sig eller ätit hemma.',
    },
    { area: 'Må bra', choice: 'Behöver stärkas', comment: 'Trött och ledsen de senaste veckorna.' },
    { area: 'Utvecklas', choice: 'Fungerar bra', comment: '' },
  ],
};
const { identityNumber } = child;
/** The same number with the last digit mistyped: the check digit no longer matches. */
const mistypedIdentityNumber = `${identityNumber.slice(0, -1)}${(Number(identityNumber.slice(-1)) + 1) % 10}`;

const playground = usePlayground({ actingUsers: [barnkontaktId] });

test('a teacher files an Upptäckarkort, corrects a mistyped personnummer, and the Barnkontakt takes the case', {
  timeout: 90_000,
}, async () => {
  const teacher = await playground.open('e2e-ny-upptackt-larare-fel');
  // The Barnkontakt has Backa barnet in Teams (the playground installs it on open), so the bot
  // can reach her.
  const barnkontakt = await playground.open('e2e-ny-upptackt-barnkontakt-fel', barnkontaktId);

  const card = await openUpptackarkort(teacher);
  await fillUpptackarkort(card, child, { identityNumber: mistypedIdentityNumber });
  await pressCardButton(card, 'Skicka');

  // The same card comes back: nothing filed, the message next to the personnummer, all kept.
  const returned = await waitForBotMessage(teacher, 'Kortet är inte skickat');
  expect(await readTextBelowCardInput(returned, 'Personnummer eller samordningsnummer')).toMatch(
    /^Kontrollsiffran \(den sista siffran\) stämmer inte/,
  );
  expect(await readTextBelowCardInput(returned, 'Förnamn')).toBeUndefined();
  await expectCardStillFilledIn(returned, mistypedIdentityNumber);
  await saveMessageScreenshot(returned, 'e2e-ny-upptackt-fel-personnummer', { maxHeight: 1100 });

  await fillCardInput(returned, 'Personnummer eller samordningsnummer', identityNumber);
  await pressCardButton(returned, 'Skicka');

  const receipt = await waitForBotMessage(teacher, 'Upptäckarkortet är skickat');
  const receiptText = await readCardText(receipt);
  const reference = findCaseReference(receiptText);
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
  const notification = await waitForBotMessage(barnkontakt, 'Nytt Upptäckarkort till dig som Barnkontakt');
  const notificationText = await readCardText(notification);
  expect(notificationText).toContain(reference);
  expect(notificationText).toContain(child.observation);
  expect(notificationText).toContain('Omsorg');
  expect(notificationText).toContain('Alex Andersson');
  expect(notificationText).not.toContain(identityNumber.slice(2));
  await saveMessageScreenshot(notification, 'e2e-ny-upptackt-notis');

  await pressCardButton(notification, 'Ta emot');
  const answered = await waitForBotMessage(barnkontakt, /Du tog emot ärendet den/);
  expect(await readCardText(answered)).toContain(reference);
  await saveMessageScreenshot(answered, 'e2e-ny-upptackt-notis-besvarad');

  // The teacher is told in the same chat: the receipt again, now "Mottaget av Maria Lind den …".
  const update = await waitForBotMessage(teacher, new RegExp(`Mottaget av ${barnkontaktName} den`));
  expect(await readCardText(update)).toContain(reference);
  await saveMessageScreenshot(update, 'e2e-ny-upptackt-mottaget');

  // Every message went through the outbox and was delivered; none waits, none was parked. The
  // outbox marks a message delivered just after Teams took it, so the last one may lag the screen.
  await expect
    .poll(() => readOutboxStatuses(playground.stack.sqlitePath))
    .toEqual(
      expect.arrayContaining([
        { recipientKey: barnkontaktId, notice: 'nyttArende', status: 'delivered' },
        { recipientKey: expect.stringMatching(/5e01$/), notice: 'mottaget', status: 'delivered' },
      ]),
    );
  await expect
    .poll(() =>
      readOutboxStatuses(playground.stack.sqlitePath).filter((message) => message.status !== 'delivered'),
    )
    .toEqual([]);

  // SECURITY.md 8: nothing the child can be recognised by in anything the bot printed.
  const printed = await playground.stopAndReadBotOutput();
  expect(printed).toContain('Upptäckarkort inlämnat');
  expect(findChildDataIn(printed, child, { identityNumbers: [mistypedIdentityNumber] })).toEqual([]);
});

async function expectCardStillFilledIn(card: Locator, childIdentityNumber: string): Promise<void> {
  expect(await readCardInput(card, 'Förnamn')).toBe(child.givenName);
  expect(await readCardInput(card, 'Efternamn')).toBe(child.familyName);
  expect(await readCardInput(card, 'Personnummer eller samordningsnummer')).toBe(childIdentityNumber);
  expect(await readCardInput(card, 'Enhet som barnet hör till')).toBe('Björkskolan (grundskola)');
  expect(await readCardInput(card, 'Började eller börjar skolan (förskoleklass; datum, om du vet det)')).toBe(
    '19 augusti 2024',
  );
  expect(await readCardInput(card, 'Din organisation')).toBe('Kommun');
  expect(await readCardInput(card, 'Din roll')).toBe('Lärare');
  for (const area of compassAreas) {
    const rating = child.ratings.find((candidate) => candidate.area === area.name);
    const row = findCardSection(card, area.name);
    expect(await readCardInput(row, 'Bedömning'), area.name).toBe(rating?.choice ?? 'Vet ej');
    expect(await row.getByPlaceholder(`Kommentar om ${area.name} (valfritt)`).inputValue(), area.name).toBe(
      rating?.comment ?? '',
    );
  }
  expect(await readCardInput(card, 'Beskriv situationen: vad har du sett och hört?')).toBe(child.observation);
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
