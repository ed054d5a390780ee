// Issue 4 end to end in the local playground: a teacher files an Upptäckarkort, and the school's
// Barnkontakt, Maria Lind, takes the case from mottaget through samtycke, barnsamtal and beslut
// to a Barnteam booked in the embedded calendar, gets the meeting reminder, fills in the
// Skattningsformulär and sees the joint Behovskompass. Every step is a card in her own chat,
// pressed and filled in as she would. Afterwards the bot's output is scanned for the child.
//
// The reminders are due before the meeting, which in the sample directory is days ahead, and the
// bot only schedules reminders that are not yet due. So the bot runs on a copy of the sample
// directory (tests/fixtures/directory/e2e-barnteam.yaml) where the working day is the whole day
// and the Barnteam reminds every minute from 100 to 55 minutes before the meeting: the first
// proposed time is 60–90 minutes ahead, and one of its reminders falls due within a minute of
// booking. The reminder sweep runs every 30 seconds.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, onTestFailed, test } from 'vitest';
import { compassAreas } from '../../flows/kernel/compass.js';
import { guidingPrinciples } from '../../flows/kernel/guiding-principles.js';
import {
  botMessages,
  chooseCardOption,
  chooseCardRadio,
  chooseCardRadioIn,
  fillCardDate,
  fillCardInput,
  findCardRow,
  findCardSection,
  launchChromium,
  openPlayground,
  pressCardButton,
  saveMessageScreenshot,
  saveScreenshot,
  setCardCheckbox,
  waitForBotMessage,
} from '../support/e2e-playground.js';
import { type LocalStack, startLocalStack } from '../support/e2e-stack.js';
import {
  fileUpptackarkort,
  findChildDataIn,
  type TestChild,
  toPersonnummer,
} from '../support/e2e-upptackare.js';

/** Maria Lind, rektor of Björkskolan: the unit's Barnkontakt and the Barnteam's convener. */
const barnkontaktId = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02';
const directoryFile = 'tests/fixtures/directory/e2e-barnteam.yaml';
const answerTimeoutMs = 20_000;
/** Due within a minute of booking, then up to one 30-second sweep, then the outbox. */
const reminderTimeoutMs = 150_000;
const notesDir = '/work/notes';

const child: TestChild = {
  givenName: 'Noah',
  familyName: 'Björklund',
  birthDate: '2018-06-02',
  identityNumber: toPersonnummer('2018-06-02', '417'),
  observation:
    'Noah kommer ofta för sent, har inga idrottskläder med sig och säger att han inte vill gå hem efter skolan.',
  ratings: [
    { area: 'Trygghet', choice: 'Behöver stärkas', comment: 'Vill inte gå hem efter skolan.' },
    { area: 'Omsorg', choice: 'Behöver stärkas', comment: 'Saknar ofta idrottskläder och matsäck.' },
  ],
};
const initials = 'N.B.';
const consentDocument = 'Blankett 2026-11-25';
const consentScope = 'Skolan, socialtjänsten, vårdcentralen och polisen får dela uppgifter i Barnteam';
const samtalWords = {
  childTrygghet: 'Det är bråkigt hemma på kvällarna.',
  guardianOmsorg: 'Vi har det tungt ekonomiskt just nu.',
};
/** The Barnkontakt's own Skattningsformulär: one rating per Behovskompass area. */
const skattning: Readonly<Record<string, string>> = {
  Omsorg: '🙁 2 – Behöver stärkas',
  Trygghet: '😢 1 – Behöver stärkas mycket',
  'Må bra': '😐 3 – Både och',
  Fritid: '🙂 4 – Fungerar bra',
  Tillhörighet: '😐 3 – Både och',
  Ansvar: '🙂 4 – Fungerar bra',
  Respekteras: '😐 3 – Både och',
  Utvecklas: '😄 5 – Fungerar mycket bra',
};
const skattningComment = 'Har svårt att koncentrera sig efter helger.';

let stack: LocalStack | undefined;
let browser: Browser | undefined;
let stackStopped = false;

beforeAll(async () => {
  stack = await startLocalStack({ actingUsers: [barnkontaktId], directoryFile });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (!stackStopped) await stack?.stop();
});

test('the Barnkontakt takes a case through samtycke, barnsamtal and beslut to a booked Barnteam and the joint compass', {
  timeout: 360_000,
}, async () => {
  const running = requireStack();
  const teacher = await openPlaygroundForTest(running.playgroundUrl, 'e2e-barnteam-larare-fel');
  const maria = await openPlaygroundForTest(
    running.playgroundUrlsByUser.get(barnkontaktId) ?? '',
    'e2e-barnteam-barnkontakt-fel',
  );

  const reference = await fileUpptackarkort(teacher, child, answerTimeoutMs);
  const notification = await waitForBotMessage(
    maria,
    'Nytt Upptäckarkort till dig som Barnkontakt',
    answerTimeoutMs,
  );
  await pressCardButton(notification, 'Ta emot');
  await waitForBotMessage(maria, /Du tog emot ärendet den/, answerTimeoutMs);

  // Beslut before the written consent: Barnteam cannot be chosen, and the card says why.
  const early = await openFromCase(maria, reference, 'Beslut', 'De vägledande principerna');
  const earlyText = (await early.textContent()) ?? '';
  expect(earlyText).toContain('Lyft till Barnteam kan inte väljas ännu');
  expect(earlyText).toContain('Skriftligt samtycke saknas');
  expect(await early.getByRole('radio', { name: 'Lyft till Barnteam' }).count()).toBe(0);

  // Samtycke: the signed written consent, by reference to where the form is kept.
  const samtycke = await openFromCase(maria, reference, 'Samtycke', 'Registrera samtycke');
  await chooseCardRadio(samtycke, 'Skriftligt samtycke inför Barnteam');
  await setCardCheckbox(samtycke, 'Vårdnadshavare', true);
  await fillCardInput(samtycke, /^\s*Vad samtycket omfattar/, consentScope);
  await fillCardInput(samtycke, /^\s*Hänvisning till den undertecknade blanketten/, consentDocument);
  await pressCardButton(samtycke, 'Registrera samtycke');
  const consented = await waitForBotMessage(maria, consentDocument, answerTimeoutMs);
  expect((await consented.textContent()) ?? '').toContain('Skriftligt samtycke inför Barnteam');

  // Barnsamtal: a few areas from the child's and the guardian's point of view.
  const samtal = await openFromCase(maria, reference, 'Barnsamtal', 'Barnsamtal och uppföljningssamtal');
  await chooseCardRadio(samtal, 'Barnsamtal');
  await fillCardDate(samtal, 'Datum då samtalet hölls', '2026-11-24');
  await setCardCheckbox(samtal, 'Barnet', true);
  await setCardCheckbox(samtal, 'Vårdnadshavare', true);
  const trygghet = findCardRow(samtal, 'Trygghet', 2);
  await chooseCardOption(trygghet, 'Barnets skattning', '🙁 2 – Behöver stärkas');
  await chooseCardOption(trygghet, 'Vårdnadshavarens skattning', '😐 3 – Både och');
  await trygghet
    .getByPlaceholder(/egna ord/)
    .first()
    .fill(samtalWords.childTrygghet);
  const omsorg = findCardRow(samtal, 'Omsorg', 2);
  await chooseCardOption(omsorg, 'Barnets skattning', '😐 3 – Både och');
  await chooseCardOption(omsorg, 'Vårdnadshavarens skattning', '🙁 2 – Behöver stärkas');
  await omsorg
    .getByPlaceholder(/egna ord/)
    .last()
    .fill(samtalWords.guardianOmsorg);
  await pressCardButton(samtal, 'Spara samtalet');
  await waitForBotMessage(maria, /Sparat/, answerTimeoutMs);

  // Beslut: the four guiding principles answered, Barnteam chosen.
  const beslut = await openFromCase(maria, reference, 'Beslut', 'De vägledande principerna');
  for (const principle of guidingPrinciples) await chooseCardRadioIn(beslut, principle.question, 'Ja');
  await chooseCardRadio(beslut, 'Lyft till Barnteam');
  await fillCardInput(beslut, 'Anteckning (valfritt)', 'Behov inom flera verksamheter: lyfts till Barnteam.');
  await pressCardButton(beslut, 'Spara beslut');
  await waitForBotMessage(maria, /Sparat/, answerTimeoutMs);

  // Booking: the child waits on the agenda; the first free time is proposed and booked.
  const boka = await openBooking(maria, reference);
  await pressCardButton(boka, /^Föreslå tider$/);
  const proposed = await waitForBotMessage(maria, 'Föreslagna tider', answerTimeoutMs);
  const slots = proposed.getByRole('radio');
  expect(await slots.count()).toBeGreaterThan(0);
  await slots.first().check();
  // What the playground gets back for Boka: the card, whose link the page does not show.
  const bookedCard = maria
    .waitForResponse(
      (response) =>
        response.url().endsWith('/_conversation/v1/invoke') &&
        (response.request().postData() ?? '').includes('barnteam.boka'),
    )
    .then((response) => response.text());
  await pressCardButton(proposed, /^Boka$/);
  const bokat = await waitForBotMessage(maria, 'Barnteam bokat', answerTimeoutMs);
  const bokatText = (await bokat.textContent()) ?? '';
  expect(bokatText).toContain(reference);
  expect(bokatText).toContain(initials);
  expect(bokatText).not.toContain(child.givenName);
  expect(bokatText).not.toContain(child.familyName);
  // "Anslut till mötet" opens the embedded calendar's join link (visibly local, it leads nowhere).
  const join = bokat
    .getByRole('button', { name: 'Anslut till mötet' })
    .or(bokat.getByRole('link', { name: 'Anslut till mötet' }));
  expect(await join.count()).toBe(1);
  expect(await bookedCard).toMatch(/"url":"[^"]*\/meetup-join\/lokal-[^"]*"/);
  await saveNote(bokat, 'e2e-barnteam-bokat');

  // The reminder before the meeting, with the Skattningsformulär for the child.
  const skattningButton = `Fyll i skattning för ${reference}`;
  const reminder = await waitForBotMessage(maria, skattningButton, reminderTimeoutMs);
  const reminderText = (await reminder.textContent()) ?? '';
  expect(reminderText).toContain('Barnteam Björkskolan');
  expect(reminderText).not.toContain(child.givenName);
  await pressCardButton(reminder, new RegExp(`^${escapeRegExp(skattningButton)}`));
  const form = await waitForBotMessage(maria, 'Du skattar som', answerTimeoutMs);
  expect((await form.textContent()) ?? '').toContain(`${initials} (${reference})`);
  for (const area of compassAreas) {
    await chooseCardOption(findCardSection(form, area.name), 'Skattning', skattning[area.name] ?? '');
  }
  await findCardSection(form, 'Må bra')
    .getByPlaceholder(/Må bra/)
    .fill(skattningComment);
  await pressCardButton(form, 'Spara skattning');

  const compass = await waitForBotMessage(maria, 'Gemensam behovskompass', answerTimeoutMs);
  const compassText = (await compass.textContent()) ?? '';
  expect(compassText).toContain(reference);
  for (const area of compassAreas) expect(compassText).toContain(area.name);
  expect(compassText).toContain(skattningComment);
  expect(compassText).not.toContain(child.givenName);
  // The chart: a PNG the card carries itself, named for screen readers by its average ratings.
  const chart = compass.getByRole('img', { name: /^Gemensam behovskompass/ });
  await chart.waitFor({ state: 'visible' });
  expect(await chart.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  expect(
    await chart.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth),
  ).toBeGreaterThan(100);
  await saveNote(compass, 'e2e-joint-compass');

  // SECURITY.md 8: nothing the child can be recognised by in anything the bot printed.
  await running.stop();
  stackStopped = true;
  const printed = running.botOutput();
  expect(printed).toContain('Skattning');
  expect(
    findChildDataIn(printed, child, {
      secrets: [samtalWords.childTrygghet, samtalWords.guardianOmsorg, skattningComment],
    }),
  ).toEqual([]);
});

/**
 * Presses `button` on the newest card in Maria's chat about `reference` that has it (the card she
 * answered, or the form she last used), and returns the form that opens (it holds `heading`).
 */
async function openFromCase(
  page: Page,
  reference: string,
  button: string,
  heading: string,
): Promise<Locator> {
  const withButton = botMessages(page)
    .filter({ hasText: reference })
    .filter({ has: page.getByRole('button', { name: button, exact: true }) })
    .last();
  await withButton.waitFor({ state: 'visible', timeout: answerTimeoutMs });
  await pressCardButton(withButton, new RegExp(`^${escapeRegExp(button)}$`));
  return waitForBotMessage(page, heading, answerTimeoutMs);
}

/** The Boka Barnteam card, from the button on Maria's card of the case. */
async function openBooking(page: Page, reference: string): Promise<Locator> {
  const card = await openFromCase(page, reference, 'Boka Barnteam', 'Barn på dagordningen');
  const agendaChoice = card.getByRole('checkbox', { name: new RegExp(escapeRegExp(reference)) });
  if ((await agendaChoice.count()) > 0) await agendaChoice.first().setChecked(true);
  return card;
}

/** A screenshot of `message` for the notes, looked at by whoever reads them. */
async function saveNote(message: Locator, name: string): Promise<void> {
  const path = await saveMessageScreenshot(message, name);
  const { copyFile, mkdir } = await import('node:fs/promises');
  await mkdir(notesDir, { recursive: true });
  await copyFile(path, `${notesDir}/${name}.png`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
