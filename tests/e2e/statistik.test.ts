// The process team's figures in the local playground: a teacher files an Upptäckarkort, then
// Björkskolan's rektor, who is in the sample directory's process team, types "statistik" and reads
// the term's tables, the Upptäckarkort's count shown as "<3" since it is one card, and the note
// that says why. The figures come from the bot's own pipeline over the run's store.
import { expect, test } from 'vitest';
import {
  readCardText,
  saveMessageScreenshot,
  sendText,
  usePlayground,
  waitForBotMessage,
} from '../support/e2e-playground.js';
import { fileUpptackarkort, type TestChild, toPersonnummer } from '../support/e2e-upptackare.js';

/** Maria Lind, rektor of Björkskolan, in `processTeam` of config/directory.sample.yaml. */
const processTeamMemberId = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02';

const child: TestChild = {
  givenName: 'Nils',
  familyName: 'Öberg',
  birthDate: '2017-05-02',
  identityNumber: toPersonnummer('2017-05-02', '457'),
  observation: 'Nils är ofta ensam på rasterna och har slutat komma till fritids.',
  ratings: [{ area: 'Tillhörighet', choice: 'Behöver stärkas', comment: 'Ensam på rasterna.' }],
};

const playground = usePlayground({ actingUsers: [processTeamMemberId] });

test('the process team types "statistik" and reads the term’s figures, small numbers hidden', {
  timeout: 120_000,
}, async () => {
  const teacher = await playground.open('e2e-statistik-larare-fel');
  const processTeam = await playground.open('e2e-statistik-fel', processTeamMemberId);
  await fileUpptackarkort(teacher, child);

  // The teacher is not in the process team: a refusal, no figures.
  await sendText(teacher, 'statistik');
  const refusal = await waitForBotMessage(teacher, 'Statistiken är bara för processteamet');
  expect(await readCardText(refusal)).not.toContain('Antal Upptäckarkort');

  await sendText(processTeam, 'statistik');
  const card = await waitForBotMessage(processTeam, 'Uppföljning av Backa barnet');
  const text = await readCardText(card);
  expect(text).toMatch(/(Vår|Höst)terminen 20\d\d/);
  for (const heading of [
    'Antal Upptäckarkort internt',
    'Antal Barnsamtal Barn',
    'Antal nyupptäckta barn',
    'Antal med aktivt Barnets plan',
    'Inkom från (verksamhet)',
    'Ledtider i arbetsdagar',
  ]) {
    expect(text).toContain(heading);
  }
  // One card this term: its count is below 3 and shown as "<3", with the sentence that says so.
  expect(text).toContain('<3');
  expect(text).toContain('Tal under 3 visas som "<3"');
  expect(text).not.toContain(child.familyName);
  expect(text).toContain('Ladda ner som CSV');
  await saveMessageScreenshot(card, 'e2e-statistik');
});
