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
import type { Locator, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { compassAreas } from '../../flows/kernel/compass.js';
import { guidingPrinciples } from '../../flows/kernel/guiding-principles.js';
import {
  chooseCardOption,
  chooseCardRadio,
  chooseCardRadioIn,
  escapeRegExp,
  fillCardDate,
  fillCardInput,
  findCardRow,
  findCardSection,
  pressCardButton,
  readCardText,
  saveMessageScreenshot,
  setCardCheckbox,
  usePlayground,
  waitForBotMessage,
} from '../support/e2e-playground.js';
import {
  fileUpptackarkort,
  findChildDataIn,
  type TestChild,
  toPersonnummer,
} from '../support/e2e-upptackare.js';

/** Maria Lind, rektor of Björkskolan: the unit's Barnkontakt and the Barnteam's convener. */
const barnkontaktId = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02';
const directoryFile = 'tests/fixtures/directory/e2e-barnteam.yaml';
/** Due within a minute of booking, then up to one 30-second sweep, then the outbox. */
const reminderTimeoutMs = 150_000;

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

const playground = usePlayground({ actingUsers: [barnkontaktId], directoryFile });

test('the Barnkontakt takes a case through samtycke, barnsamtal and beslut to a booked Barnteam and the joint compass', {
  timeout: 360_000,
}, async () => {
  const teacher = await playground.open('e2e-barnteam-larare-fel');
  const maria = await playground.open('e2e-barnteam-barnkontakt-fel', barnkontaktId);

  const reference = await fileUpptackarkort(teacher, child);
  const notification = await waitForBotMessage(maria, 'Nytt Upptäckarkort till dig som Barnkontakt');
  await pressCardButton(notification, 'Ta emot');
  await waitForBotMessage(maria, /Du tog emot ärendet den/);

  // Beslut before the written consent: Barnteam cannot be chosen, and the card says why.
  const early = await openFromCase(maria, reference, 'Beslut', 'De vägledande principerna');
  const earlyText = await readCardText(early);
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
  const consented = await waitForBotMessage(maria, consentDocument);
  expect(await readCardText(consented)).toContain('Skriftligt samtycke inför Barnteam');

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
  await waitForBotMessage(maria, /Sparat/);

  // Beslut: the four guiding principles answered, Barnteam chosen.
  const beslut = await openFromCase(maria, reference, 'Beslut', 'De vägledande principerna');
  for (const principle of guidingPrinciples) await chooseCardRadioIn(beslut, principle.question, 'Ja');
  await chooseCardRadio(beslut, 'Lyft till Barnteam');
  await fillCardInput(beslut, 'Anteckning (valfritt)', 'Behov inom flera verksamheter: lyfts till Barnteam.');
  await pressCardButton(beslut, 'Spara beslut');
  await waitForBotMessage(maria, /Sparat/);

  // Booking: the child waits on the agenda; the first free time is proposed and booked.
  const boka = await openBooking(maria, reference);
  await pressCardButton(boka, /^Föreslå tider$/);
  const proposed = await waitForBotMessage(maria, 'Föreslagna tider');
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
  const bokat = await waitForBotMessage(maria, 'Barnteam bokat');
  const bokatText = await readCardText(bokat);
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
  await saveMessageScreenshot(bokat, 'e2e-barnteam-bokat');

  // The reminder before the meeting, with the Skattningsformulär for the child.
  const skattningButton = `Fyll i skattning för ${reference}`;
  const reminder = await waitForBotMessage(maria, skattningButton, { timeoutMs: reminderTimeoutMs });
  const reminderText = await readCardText(reminder);
  expect(reminderText).toContain('Barnteam Björkskolan');
  expect(reminderText).not.toContain(child.givenName);
  await pressCardButton(reminder, new RegExp(`^${escapeRegExp(skattningButton)}`));
  const form = await waitForBotMessage(maria, 'Du skattar som');
  expect(await readCardText(form)).toContain(`${initials} (${reference})`);
  for (const area of compassAreas) {
    await chooseCardOption(findCardSection(form, area.name), 'Skattning', skattning[area.name] ?? '');
  }
  await findCardSection(form, 'Må bra')
    .getByPlaceholder(/Må bra/)
    .fill(skattningComment);
  await pressCardButton(form, 'Spara skattning');

  const compass = await waitForBotMessage(maria, 'Gemensam behovskompass');
  const compassText = await readCardText(compass);
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
  await saveMessageScreenshot(compass, 'e2e-joint-compass');

  // SECURITY.md 8: nothing the child can be recognised by in anything the bot printed.
  const printed = await playground.stopAndReadBotOutput();
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
  const withButton = await waitForBotMessage(page, reference, { withButton: button });
  await pressCardButton(withButton, button, { exact: true });
  return waitForBotMessage(page, heading);
}

/** The Boka Barnteam card, from the button on Maria's card of the case. */
async function openBooking(page: Page, reference: string): Promise<Locator> {
  const card = await openFromCase(page, reference, 'Boka Barnteam', 'Barn på dagordningen');
  const agendaChoice = card.getByRole('checkbox', { name: new RegExp(escapeRegExp(reference)) });
  if ((await agendaChoice.count()) > 0) await agendaChoice.first().setChecked(true);
  return card;
}
