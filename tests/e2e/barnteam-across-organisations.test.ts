// A Barnteam that spans organisations, end to end in the local playground: Björkskolan's team has
// the region's BUP kurator as a guest in the municipality's Teams (her mailbox is at the region)
// and the police officer outside Teams (an e-mail address only). The Barnkontakt, Maria Lind,
// takes a case to Barnteam, asks for times and sees that those two members' availability is
// unknown while times are still proposed; she books, the members answer in their own calendars,
// and the booking card shows each answer when she refreshes it, with the police's decline told
// to her. Afterwards the bot's output is scanned for the child.
//
// The local run's embedded calendar reads only the employees' free/busy, as the municipality's
// Graph would (bot/main.ts). The members' answers are given through the embedded calendar's own
// file, as their Outlook would record them; the bot reads them from there.
import type { Locator, Page } from 'playwright-core';
import { afterAll, expect, test } from 'vitest';
import { guidingPrinciples } from '../../flows/kernel/guiding-principles.js';
import {
  type EmbeddedCalendar,
  openEmbeddedCalendar,
  toCalendarPath,
} from '../../infra/calendar/embedded-calendar.js';
import {
  chooseCardOption,
  chooseCardRadio,
  chooseCardRadioIn,
  escapeRegExp,
  fillCardDate,
  fillCardInput,
  findCardRow,
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
const guest = { name: 'Sofia Wikström', email: 'sofia.wikstrom@regionexempel.se' };
const police = { name: 'Erik Falk', email: 'erik.falk@polisen-exempel.se' };
const nurse = { name: 'Karin Sjöberg', email: 'karin.sjoberg@exempelby.se' };

const child: TestChild = {
  givenName: 'Ines',
  familyName: 'Wallgren',
  birthDate: '2014-09-21',
  identityNumber: toPersonnummer('2014-09-21', '286'),
  observation: 'Ines har varit borta mycket och berättar att polisen har varit hemma hos familjen.',
  ratings: [{ area: 'Trygghet', choice: 'Behöver stärkas', comment: 'Orolig för händelser hemma.' }],
};
const initials = 'I.W.';

const playground = usePlayground({ actingUsers: [barnkontaktId], directoryFile });
let calendar: EmbeddedCalendar | undefined;

afterAll(() => {
  calendar?.close();
});

test('a Barnteam with a guest from the region and the police outside Teams: proposed with their availability unknown, booked, and their answers on the booking card', {
  timeout: 360_000,
}, async () => {
  const teacher = await playground.open('e2e-across-larare-fel');
  const maria = await playground.open('e2e-across-barnkontakt-fel', barnkontaktId);
  const reference = await takeToBarnteam(teacher, maria);

  // The proposal: times are offered although two required members' calendars cannot be read.
  const boka = await openFromCase(maria, reference, 'Boka Barnteam', 'Barn på dagordningen');
  const agendaChoice = boka.getByRole('checkbox', { name: new RegExp(escapeRegExp(reference)) });
  if ((await agendaChoice.count()) > 0) await agendaChoice.first().setChecked(true);
  await pressCardButton(boka, /^Föreslå tider$/);
  const proposed = await waitForBotMessage(maria, 'Föreslagna tider');
  const proposedText = await readCardText(proposed);
  expect(proposedText).toContain('Tillgänglighet okänd');
  expect(proposedText).toContain(`• ${guest.name} (Barn- och ungdomspsykiatrin (BUP)): tillgänglighet okänd`);
  expect(proposedText).toContain(`• ${police.name} (Polisen): tillgänglighet okänd`);
  expect(proposedText).toContain('Alla som krävs och vars kalender kunde läsas är lediga på de här tiderna.');
  expect(proposedText).toContain(
    `${police.name} (krävs; utanför Teams, får kallelsen via e-post; tillgänglighet okänd)`,
  );
  expect(proposedText).toContain(`${guest.name} (krävs; gäst i Teams; tillgänglighet okänd)`);
  expect(proposedText).not.toContain(child.givenName);
  const slots = proposed.getByRole('radio');
  expect(await slots.count()).toBeGreaterThan(0);
  await saveMessageScreenshot(proposed, 'e2e-barnteam-tillganglighet-okand');

  // Booking: the invoke's answer carries the embedded calendar's event id in the join link.
  await slots.first().check();
  const bookedCard = maria
    .waitForResponse(
      (response) =>
        response.url().endsWith('/_conversation/v1/invoke') &&
        (response.request().postData() ?? '').includes('barnteam.boka'),
    )
    .then((response) => response.text());
  await pressCardButton(proposed, /^Boka$/);
  const bokat = await waitForBotMessage(maria, 'Barnteam bokat');
  expect(await readCardText(bokat)).toContain(`${initials} (${reference})`);
  const eventId = /meetup-join\/(lokal-[0-9a-f-]+)/.exec(await bookedCard)?.[1];
  expect(eventId).toBeDefined();

  // The members answer in their own calendars: the police decline, the guest accepts.
  calendar = openEmbeddedCalendar({ path: toCalendarPath(playground.stack.sqlitePath) });
  await calendar.answerInvitation(eventId ?? '', police.email, 'declined');
  await calendar.answerInvitation(eventId ?? '', guest.email, 'accepted');
  await calendar.answerInvitation(eventId ?? '', nurse.email, 'tentative');

  // Maria refreshes the booking card: each answer as the calendar has it.
  const current = await waitForBotMessage(maria, 'Barnteam bokat', { withButton: 'Uppdatera svar' });
  await pressCardButton(current, 'Uppdatera svar', { exact: true });
  const answered = await waitForBotMessage(maria, 'Svaren som kalendern visar just nu.');
  const answeredText = await readCardText(answered);
  expect(answeredText).toMatch(
    new RegExp(`${police.name} \\(krävs; utanför Teams[^)]*\\)\\s*Har tackat nej`),
  );
  expect(answeredText).toMatch(new RegExp(`${guest.name} \\(krävs; gäst i Teams\\)\\s*Har tackat ja`));
  expect(answeredText).toMatch(new RegExp(`${nurse.name} \\(krävs\\)\\s*Har svarat preliminärt`));
  expect(answeredText).toContain('Har inte svarat');
  expect(answeredText).toContain(`${police.name} (Polisen) har tackat nej och krävs på mötet.`);
  expect(await answered.getByRole('button', { name: 'Flytta mötet' }).count()).toBeGreaterThan(0);
  await saveMessageScreenshot(answered, 'e2e-barnteam-deltagarnas-svar');

  // The decline is also told to her in the chat, once, with the meeting to move.
  const notice = await waitForBotMessage(maria, `${police.name} (Polisen) har tackat nej till mötet.`);
  expect(await notice.getByRole('button', { name: 'Flytta mötet' }).count()).toBe(1);

  const printed = await playground.stopAndReadBotOutput();
  expect(findChildDataIn(printed, child, { secrets: [child.observation] })).toEqual([]);
});

/**
 * The teacher files the Upptäckarkort; Maria takes the case, records the written consent, a
 * barnsamtal and the Beslut to lift it to Barnteam. Returns the case reference.
 */
async function takeToBarnteam(teacher: Page, maria: Page): Promise<string> {
  const reference = await fileUpptackarkort(teacher, child);
  const notification = await waitForBotMessage(maria, 'Nytt Upptäckarkort till dig som Barnkontakt');
  await pressCardButton(notification, 'Ta emot');
  await waitForBotMessage(maria, /Du tog emot ärendet den/);

  const samtycke = await openFromCase(maria, reference, 'Samtycke', 'Registrera samtycke');
  await chooseCardRadio(samtycke, 'Skriftligt samtycke inför Barnteam');
  await setCardCheckbox(samtycke, 'Vårdnadshavare', true);
  await fillCardInput(samtycke, /^\s*Vad samtycket omfattar/, 'Skolan, regionen och polisen i Barnteam');
  await fillCardInput(samtycke, /^\s*Hänvisning till den undertecknade blanketten/, 'Blankett 2026-11-30');
  await pressCardButton(samtycke, 'Registrera samtycke');
  await waitForBotMessage(maria, 'Blankett 2026-11-30');

  const samtal = await openFromCase(maria, reference, 'Barnsamtal', 'Barnsamtal och uppföljningssamtal');
  await chooseCardRadio(samtal, 'Barnsamtal');
  await fillCardDate(samtal, 'Datum då samtalet hölls', '2026-11-30');
  await setCardCheckbox(samtal, 'Barnet', true);
  const trygghet = findCardRow(samtal, 'Trygghet', 2);
  await chooseCardOption(trygghet, 'Barnets skattning', '🙁 2 – Behöver stärkas');
  await pressCardButton(samtal, 'Spara samtalet');
  await waitForBotMessage(maria, /Sparat/);

  const beslut = await openFromCase(maria, reference, 'Beslut', 'De vägledande principerna');
  for (const principle of guidingPrinciples) await chooseCardRadioIn(beslut, principle.question, 'Ja');
  await chooseCardRadio(beslut, 'Lyft till Barnteam');
  await pressCardButton(beslut, 'Spara beslut');
  await waitForBotMessage(maria, /Sparat/);
  return reference;
}

/** Presses `button` on the newest card about `reference` that has it; returns the card that opens. */
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
