/**
 * The playground steps that take a child to a booked Barnteam, as the Barnkontakt presses them:
 * the teacher files the Upptäckarkort, the Barnkontakt takes the case, records the signed written
 * consent, one barnsamtal and the Beslut to lift it to Barnteam, and books the first proposed time.
 * For the end-to-end tests that start from a booked meeting; each step waits for the card the bot
 * answers with, so a step that fails names the card it did not get.
 */
import type { Locator, Page } from 'playwright-core';
import { guidingPrinciples } from '../../flows/kernel/guiding-principles.js';
import {
  chooseCardOption,
  chooseCardRadio,
  chooseCardRadioIn,
  escapeRegExp,
  fillCardDate,
  fillCardInput,
  findCardRow,
  pressCardButton,
  setCardCheckbox,
  waitForBotMessage,
} from './e2e-playground.js';
import { fileUpptackarkort, type TestChild } from './e2e-upptackare.js';

export interface BarnteamWalk {
  readonly consentScope: string;
  readonly consentDocument: string;
  /** The barnsamtal's date, YYYY-MM-DD. */
  readonly talkDate: string;
}

/** Walks `child` to a Barnteam booked at the first proposed time; returns the case reference. */
export async function bookBarnteamFor(
  teacher: Page,
  barnkontakt: Page,
  child: TestChild,
  walk: BarnteamWalk,
): Promise<string> {
  const reference = await fileUpptackarkort(teacher, child);
  const notification = await waitForBotMessage(barnkontakt, 'Nytt Upptäckarkort till dig som Barnkontakt');
  await pressCardButton(notification, 'Ta emot');
  await waitForBotMessage(barnkontakt, /Du tog emot ärendet den/);

  const samtycke = await openFromCase(barnkontakt, reference, 'Samtycke', 'Registrera samtycke');
  await chooseCardRadio(samtycke, 'Skriftligt samtycke inför Barnteam');
  await setCardCheckbox(samtycke, 'Vårdnadshavare', true);
  await fillCardInput(samtycke, /^\s*Vad samtycket omfattar/, walk.consentScope);
  await fillCardInput(samtycke, /^\s*Hänvisning till den undertecknade blanketten/, walk.consentDocument);
  await pressCardButton(samtycke, 'Registrera samtycke');
  await waitForBotMessage(barnkontakt, walk.consentDocument);

  const samtal = await openFromCase(
    barnkontakt,
    reference,
    'Barnsamtal',
    'Barnsamtal och uppföljningssamtal',
  );
  await chooseCardRadio(samtal, 'Barnsamtal');
  await fillCardDate(samtal, 'Datum då samtalet hölls', walk.talkDate);
  await setCardCheckbox(samtal, 'Barnet', true);
  await setCardCheckbox(samtal, 'Vårdnadshavare', true);
  const trygghet = findCardRow(samtal, 'Trygghet', 2);
  await chooseCardOption(trygghet, 'Barnets skattning', '🙁 2 – Behöver stärkas');
  await chooseCardOption(trygghet, 'Vårdnadshavarens skattning', '😐 3 – Både och');
  await pressCardButton(samtal, 'Spara samtalet');
  await waitForBotMessage(barnkontakt, /Sparat/);

  const beslut = await openFromCase(barnkontakt, reference, 'Beslut', 'De vägledande principerna');
  for (const principle of guidingPrinciples) await chooseCardRadioIn(beslut, principle.question, 'Ja');
  await chooseCardRadio(beslut, 'Lyft till Barnteam');
  await pressCardButton(beslut, 'Spara beslut');
  await waitForBotMessage(barnkontakt, /Sparat/);

  const boka = await openFromCase(barnkontakt, reference, 'Boka Barnteam', 'Barn på dagordningen');
  const agendaChoice = boka.getByRole('checkbox', { name: new RegExp(escapeRegExp(reference)) });
  if ((await agendaChoice.count()) > 0) await agendaChoice.first().setChecked(true);
  await pressCardButton(boka, /^Föreslå tider$/);
  const proposed = await waitForBotMessage(barnkontakt, 'Föreslagna tider');
  await proposed.getByRole('radio').first().check();
  await pressCardButton(proposed, /^Boka$/);
  await waitForBotMessage(barnkontakt, 'Barnteam bokat');
  return reference;
}

/**
 * Presses `button` on the newest card in the chat about `reference` that has it, and returns the
 * form that opens (it holds `heading`).
 */
export async function openFromCase(
  page: Page,
  reference: string,
  button: string,
  heading: string,
): Promise<Locator> {
  const withButton = await waitForBotMessage(page, reference, { withButton: button });
  await pressCardButton(withButton, button, { exact: true });
  return waitForBotMessage(page, heading);
}
