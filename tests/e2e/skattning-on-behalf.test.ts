// End to end in the local playground: a Barnteam whose police member is outside Teams (an e-mail
// address only, so no reminder or form reaches them). Maria Lind, the Barnkontakt who convenes it,
// books the meeting, fills in her own Skattningsformulär from the reminder, then records the
// police member's ratings on their behalf from the joint compass, and sees the compass count
// every member with the police answer marked "registrerad av Maria Lind för …".
//
// Recording for a member opens on the meeting's day. The bot runs on the e2e directory
// (tests/fixtures/directory/e2e-barnteam.yaml), where the first proposed time is 60–90 minutes
// ahead and a reminder falls due within a minute of booking (see tests/e2e/barnteam.test.ts), so
// the meeting is today; in the evening the bot's clock runs twelve hours ahead so that it stays so.
import { expect, test } from 'vitest';
import { compassAreas } from '../../flows/kernel/compass.js';
import { findBarnteamForUnit } from '../../flows/kernel/directory.js';
import { loadDirectoryFile } from '../../infra/directory-file.js';
import { bookBarnteamFor } from '../support/e2e-barnteam.js';
import {
  chooseCardOption,
  escapeRegExp,
  findCardSection,
  pressCardButton,
  readCardText,
  saveMessageScreenshot,
  usePlayground,
  waitForBotMessage,
} from '../support/e2e-playground.js';
import { findChildDataIn, type TestChild, toPersonnummer } from '../support/e2e-upptackare.js';

/** Maria Lind, rektor of Björkskolan: the unit's Barnkontakt and the Barnteam's convener. */
const barnkontaktId = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02';
const directoryFile = 'tests/fixtures/directory/e2e-barnteam.yaml';
/** Due within a minute of booking, then up to one 30-second sweep, then the outbox. */
const reminderTimeoutMs = 150_000;

const police = findBarnteamForUnit(loadDirectoryFile(directoryFile), 'bjorkskolan')?.members.find(
  (member) => member.role === 'polis',
)?.contact;

const child: TestChild = {
  givenName: 'Wilma',
  familyName: 'Strandberg',
  birthDate: '2017-09-14',
  identityNumber: toPersonnummer('2017-09-14', '382'),
  observation: 'Wilma berättar att hon inte vågar gå hem när pappa har druckit.',
  ratings: [{ area: 'Trygghet', choice: 'Behöver stärkas', comment: 'Vågar inte gå hem vissa kvällar.' }],
};
const ownRating = '😐 3 – Både och';
/** What the police officer told Maria on the phone, per area; "Vet ej" where they do not know. */
const policeRatings: Readonly<Record<string, string>> = {
  Omsorg: '🙁 2 – Behöver stärkas',
  Trygghet: '😢 1 – Behöver stärkas mycket',
};
const policeComment = 'Två larm om bråk i hemmet sedan i somras.';

const playground = usePlayground({ actingUsers: [barnkontaktId], directoryFile });

test('the convener records the police member’s ratings on their behalf and the joint compass counts every member', {
  timeout: 420_000,
}, async () => {
  expect(police?.kind).toBe('utanforTeams');
  const policeName = police?.displayName ?? '';
  // Late in the evening the first free time would fall after midnight, on another day than the
  // booking: the bot then runs twelve hours ahead (local mode only), so its day has room.
  const stockholmHour = Number(
    new Intl.DateTimeFormat('sv-SE', { hour: '2-digit', hour12: false, timeZone: 'Europe/Stockholm' }).format(
      new Date(),
    ),
  );
  if (stockholmHour >= 20 || stockholmHour < 6)
    await playground.stack.restartBot({ LOCAL_CLOCK_OFFSET: 'PT12H' });
  const teacher = await playground.open('e2e-skattning-for-medlem-larare-fel');
  const maria = await playground.open('e2e-skattning-for-medlem-barnkontakt-fel', barnkontaktId);

  const reference = await bookBarnteamFor(teacher, maria, child, {
    consentScope: 'Skolan, socialtjänsten, regionen och polisen får dela uppgifter i Barnteam',
    consentDocument: 'Blankett 2026-12-01',
    talkDate: '2026-11-30',
  });

  // Her own Skattningsformulär, from the reminder.
  const skattningButton = `Fyll i skattning för ${reference}`;
  const reminder = await waitForBotMessage(maria, skattningButton, { timeoutMs: reminderTimeoutMs });
  await pressCardButton(reminder, new RegExp(`^${escapeRegExp(skattningButton)}`));
  const own = await waitForBotMessage(maria, 'Du skattar som');
  for (const area of compassAreas) {
    await chooseCardOption(findCardSection(own, area.name), 'Skattning', ownRating);
  }
  await pressCardButton(own, 'Spara skattning');

  // The joint compass shows who has not rated, and offers to record it for the police member.
  const compass = await waitForBotMessage(maria, 'Vilka som har skattat');
  const compassText = await readCardText(compass);
  expect(compassText).toContain(`Polisen: ${policeName} (utanför Teams, nås via e-post)`);
  expect(compassText).toContain('har inte skattat');
  expect(compassText).toMatch(/Skattat av\s*1 medlem/);
  await pressCardButton(compass, `Registrera skattning för ${policeName}`);

  const form = await waitForBotMessage(maria, `Skattningsformulär för ${policeName}`);
  const formText = await readCardText(form);
  expect(formText).toContain(`${policeName} (Polisen)`);
  expect(formText).toMatch(/Registreras av\s*Maria Lind/);
  expect(formText).not.toContain(child.givenName);
  for (const [area, rating] of Object.entries(policeRatings)) {
    await chooseCardOption(findCardSection(form, area), 'Skattning', rating);
  }
  await findCardSection(form, 'Trygghet')
    .getByPlaceholder(/Trygghet/)
    .fill(policeComment);
  await pressCardButton(form, `Spara för ${policeName}`);

  const counted = await waitForBotMessage(maria, `registrerad av Maria Lind för ${policeName}`);
  const countedText = await readCardText(counted);
  expect(countedText).toMatch(/Skattat av\s*2 medlemmar/);
  expect(countedText).toContain(`Polisen (${policeName}, registrerad av Maria Lind)`);
  expect(countedText).toContain(policeComment);
  expect(countedText).not.toContain(child.givenName);
  // Every member the meeting has is listed, each with whether their answer is in.
  expect(countedText).toContain('Barnkontakt, sammankallande: Maria Lind');
  await saveMessageScreenshot(counted, 'e2e-gemensam-behovskompass-registrerad-for-medlem');

  // docs/security.md 8: nothing the child can be recognised by in anything the bot printed.
  const printed = await playground.stopAndReadBotOutput();
  expect(printed).toContain('Skattning');
  expect(findChildDataIn(printed, child, { secrets: [policeComment] })).toEqual([]);
});
