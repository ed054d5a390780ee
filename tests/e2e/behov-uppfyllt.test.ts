// Step 8 end to end in the local playground, the short way: a teacher files an Upptäckarkort,
// the school's Barnkontakt Maria Lind takes it, holds one barnsamtal and decides that the child's
// needs are met. The Beslut leads her to the closing card, where the principles she answered are
// kept and the child rates the closing Behovskompass; the case closes, and the teacher's own
// chat says that the case is closed, without why. Afterwards the bot's output is scanned for the
// child.
import { expect, test } from 'vitest';
import { compassAreas } from '../../flows/kernel/compass.js';
import { guidingPrinciples } from '../../flows/kernel/guiding-principles.js';
import { openFromCase } from '../support/e2e-barnteam.js';
import {
  chooseCardOption,
  chooseCardRadio,
  chooseCardRadioIn,
  escapeRegExp,
  fillCardDate,
  findCardRow,
  isCardRadioChecked,
  pressCardButton,
  readCardText,
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

/** Maria Lind, rektor of Björkskolan: the unit's Barnkontakt (config/directory.sample.yaml). */
const barnkontaktId = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02';

const child: TestChild = {
  givenName: 'Elsa',
  familyName: 'Granqvist',
  birthDate: '2016-04-11',
  identityNumber: toPersonnummer('2016-04-11', '382'),
  observation: 'Elsa har haft svårt med läxorna och varit ledsen efter raster en period.',
  ratings: [{ area: 'Utvecklas', choice: 'Behöver stärkas', comment: '' }],
};

const playground = usePlayground({ actingUsers: [barnkontaktId] });

test('the Barnkontakt closes a case from the Beslut and the teacher is told it is closed', {
  timeout: 240_000,
}, async () => {
  const teacher = await playground.open('e2e-avslut-larare-fel');
  const maria = await playground.open('e2e-avslut-barnkontakt-fel', barnkontaktId);

  const reference = await fileUpptackarkort(teacher, child);
  const notification = await waitForBotMessage(maria, 'Nytt Upptäckarkort till dig som Barnkontakt');
  await pressCardButton(notification, 'Ta emot');
  await waitForBotMessage(maria, /Du tog emot ärendet den/);

  const samtal = await openFromCase(maria, reference, 'Barnsamtal', 'Barnsamtal och uppföljningssamtal');
  await chooseCardRadio(samtal, 'Barnsamtal');
  await fillCardDate(samtal, 'Datum då samtalet hölls', '2026-11-24');
  await setCardCheckbox(samtal, 'Barnet', true);
  await chooseCardOption(findCardRow(samtal, 'Utvecklas', 2), 'Barnets skattning', '🙂 4 – Fungerar bra');
  await pressCardButton(samtal, 'Spara samtalet');
  await waitForBotMessage(maria, /Sparat/);

  const beslut = await openFromCase(maria, reference, 'Beslut', 'De vägledande principerna');
  for (const principle of guidingPrinciples) await chooseCardRadioIn(beslut, principle.question, 'Ja');
  await chooseCardRadio(beslut, 'Barnets behov är uppfyllt');
  await pressCardButton(beslut, 'Spara beslut');

  // The closing card, with the principles she answered still chosen.
  const closing = await waitForBotMessage(maria, 'Avslutande uppföljning med Behovskompassen');
  expect(await isCardRadioChecked(closing, 'Ja')).toBe(true);
  // The first set of areas on the card is the child's.
  for (const area of compassAreas) {
    await chooseCardOption(closing, `${area.name}: ${area.childWords}`, '🙂 4 – Fungerar bra');
  }
  await pressCardButton(closing, 'Avsluta ärendet');
  const closed = await waitForBotMessage(maria, 'Ärendet är avslutat: barnets behov är uppfyllt');
  expect(await readCardText(closed)).toContain('Avslutat den');

  const told = await waitForBotMessage(
    teacher,
    new RegExp(`Ärendet för ditt Upptäckarkort ${escapeRegExp(reference)} är avslutat den`),
    { timeoutMs: 60_000 },
  );
  expect(await readCardText(told)).not.toMatch(/behov|Elsa/);

  expect(findChildDataIn(playground.stack.botOutput(), child)).toEqual([]);
});
