// A card for a person whose playground no page has open is not lost: the local connector gate
// refuses it (as `npm start` runs the playgrounds), the outbox keeps it and tries again instead of
// logging "levererat", and it arrives once the Barnkontakt opens her playground.
import { expect, test } from 'vitest';
import { readCardText, usePlayground, waitForBotMessage } from '../support/e2e-playground.js';
import { fileUpptackarkort, type TestChild, toPersonnummer } from '../support/e2e-upptackare.js';

/** Maria Lind, rektor of Björkskolan: the unit's Barnkontakt (config/directory.sample.yaml). */
const barnkontaktId = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02';
const delivered = 'Utgående meddelande levererat';
const retried = 'Utgående meddelande försöks igen senare';

const child: TestChild = {
  givenName: 'Nora',
  familyName: 'Lindqvist',
  birthDate: '2017-09-02',
  identityNumber: toPersonnummer('2017-09-02', '246'),
  observation: 'Nora är ofta trött och har varit borta mycket från skolan den senaste månaden.',
  ratings: [{ area: 'Må bra', choice: 'Behöver stärkas', comment: '' }],
};

const playground = usePlayground({ actingUsers: [barnkontaktId], asNpmStart: true });

test('the Barnkontakt gets the card when she opens her playground after it was sent', {
  timeout: 120_000,
}, async () => {
  const teacher = await playground.open('e2e-stangd-playground-larare-fel');
  const reference = await fileUpptackarkort(teacher, child);

  // Her page is not open: the notice is refused and kept, never reported delivered.
  await expect.poll(() => playground.stack.botOutput().includes(retried), { timeout: 20_000 }).toBe(true);
  expect(deliveredLines(playground.stack.botOutput())).toEqual([]);

  const barnkontakt = await playground.open('e2e-stangd-playground-barnkontakt-fel', barnkontaktId);
  const notice = await waitForBotMessage(barnkontakt, reference, { timeoutMs: 60_000 });
  expect(await readCardText(notice)).toContain('Nytt Upptäckarkort');
  await expect
    .poll(() => deliveredLines(playground.stack.botOutput()).length, { timeout: 10_000 })
    .toBeGreaterThan(0);
});

/** The outbox's "levererat" lines for the notice to the Barnkontakt. */
function deliveredLines(output: string): string[] {
  return output.split('\n').filter((line) => line.includes(delivered) && line.includes(barnkontaktId));
}
