/**
 * The Upptäckare's part of an end-to-end test, shared by the tests that need a case to work on:
 * a test child with a valid personnummer, filling in and sending the Upptäckarkort in the
 * playground as a teacher does, and the scan of the bot's output for anything the child could be
 * recognised by (SECURITY.md 8).
 */
import type { Locator, Page } from 'playwright-core';
import {
  chooseCardOption,
  chooseCardRadio,
  fillCardDate,
  fillCardInput,
  findCardSection,
  pressCardButton,
  readCardText,
  sendText,
  setCardCheckbox,
  waitForBotMessage,
} from './e2e-playground.js';

export interface TestChild {
  readonly givenName: string;
  readonly familyName: string;
  /** YYYY-MM-DD */
  readonly birthDate: string;
  /** A valid personnummer for the birth date. */
  readonly identityNumber: string;
  /** What the teacher writes under "Beskriv situationen". */
  readonly observation: string;
  /** The areas the teacher rates on the card, with the choice's title and an optional comment. */
  readonly ratings: readonly { readonly area: string; readonly choice: string; readonly comment: string }[];
}

/** Types "ny upptäckt" in the teacher's open chat and returns the Upptäckarkort the bot answers with. */
export async function openUpptackarkort(teacher: Page): Promise<Locator> {
  await sendText(teacher, 'ny upptäckt');
  return waitForBotMessage(teacher, 'Upptäckarkort');
}

/**
 * Opens the card, fills it in for `child` at Björkskolan with the guardian's oral consent to
 * activate the Barnkontakt, sends it, and returns the case reference from the receipt.
 */
export async function fileUpptackarkort(teacher: Page, child: TestChild): Promise<string> {
  const card = await openUpptackarkort(teacher);
  await fillUpptackarkort(card, child);
  await pressCardButton(card, 'Skicka');
  const receiptText = await readCardText(await waitForBotMessage(teacher, 'Upptäckarkortet är skickat'));
  const reference = findCaseReference(receiptText);
  if (reference === undefined) throw new Error(`Kvittot har ingen ärendereferens: ${receiptText}`);
  return reference;
}

/** The case reference (BB-XXXX-XXXX) in a card's text. */
export function findCaseReference(text: string): string | undefined {
  return /BB-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(text)?.[0];
}

/**
 * Fills the card the way a teacher would: every section, the areas that matter, the consent.
 * `identityNumber` is what the teacher types as the personnummer (the child's, unless given).
 */
export async function fillUpptackarkort(
  card: Locator,
  child: TestChild,
  options: { identityNumber?: string } = {},
): Promise<void> {
  await fillCardInput(card, 'Förnamn', child.givenName);
  await fillCardInput(card, 'Efternamn', child.familyName);
  await fillCardInput(
    card,
    'Personnummer eller samordningsnummer',
    options.identityNumber ?? child.identityNumber,
  );
  await chooseCardOption(card, 'Enhet som barnet hör till', 'Björkskolan (grundskola)', { search: 'Björk' });
  await fillCardDate(card, 'Började eller börjar skolan (förskoleklass; datum, om du vet det)', '2024-08-19');
  await chooseCardOption(card, 'Din organisation', 'Kommun');
  await fillCardInput(card, 'Din roll', 'Lärare');
  for (const rating of child.ratings) {
    const row = findCardSection(card, rating.area);
    await chooseCardOption(row, 'Bedömning', rating.choice);
    if (rating.comment !== '')
      await row.getByPlaceholder(`Kommentar om ${rating.area} (valfritt)`).fill(rating.comment);
  }
  await fillCardInput(card, 'Beskriv situationen: vad har du sett och hört?', child.observation);
  await setCardCheckbox(card, 'Jag har samtalat med vårdnadshavare', true);
  await chooseCardRadio(card, 'Aktivera Barnkontakt');
  await setCardCheckbox(
    card,
    'Vårdnadshavare har gett muntligt samtycke till att Barnkontakten aktiveras',
    true,
  );
  await chooseCardOption(card, 'Samtycket gavs av', 'Vårdnadshavare');
}

/** A valid 12-digit personnummer (YYYYMMDD-NNNC) for `birthDate` with the birth number `serial`. */
export function toPersonnummer(birthDate: string, serial: string): string {
  const digits = `${birthDate.replaceAll('-', '').slice(2)}${serial}`;
  const sum = [...digits].reduce((total, digit, index) => {
    const product = Number(digit) * (index % 2 === 0 ? 2 : 1);
    return total + (product > 9 ? product - 9 : product);
  }, 0);
  return `${birthDate.replaceAll('-', '')}-${serial}${(10 - (sum % 10)) % 10}`;
}

/**
 * Every way the child could show up in a log: the names, the birth date, the texts typed about
 * the child (`secrets`), and each personnummer with 12 or 10 digits, with or without "-" (or "+").
 * JSON may write Å as \u00c5: that spelling is looked for too. Returns the ones found.
 */
export function findChildDataIn(
  printed: string,
  child: TestChild,
  options: { readonly identityNumbers?: readonly string[]; readonly secrets?: readonly string[] } = {},
): string[] {
  const digitsOf = (number: string) => number.replace(/\D/g, '');
  const forms = [child.identityNumber, ...(options.identityNumbers ?? [])].flatMap((number) => {
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
    child.birthDate,
    child.observation,
    ...child.ratings.map((rating) => rating.comment),
    ...(options.secrets ?? []),
  ].filter((secret) => secret !== '');
  const escaped = secrets.map((secret) =>
    secret.replace(
      /[^\x20-\x7e]/g,
      (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
    ),
  );
  return [...new Set([...secrets, ...escaped, ...forms])].filter((secret) => printed.includes(secret));
}
