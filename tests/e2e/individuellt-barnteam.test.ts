// End to end in the local playground: from a Barnteam whose outcome is an Individuellt barnteam
// to Barnets plan, with the team's status posts in its channel. Maria Lind, the Barnkontakt who
// convenes the Barnteam, records the updated written consent, starts the team from the joint
// compass, adds a goal and an action she owns, due today, and fastställer the plan. The channel
// (locally the playground team's "Ärenden") shows each step. Then time passes: the bot restarts
// on the same SQLite file with its clock ten days ahead (LOCAL_CLOCK_OFFSET), which is past the
// action's first working day after its date whatever weekday or holiday the test starts on (the
// longest Swedish run of days off is about five), and its first sweep catches up: the overdue post
// in the channel and Maria's reminder in her personal chat. From that post she opens the channel
// tab (locally its page in the browser, with the local sign-in), sees the plan with the
// Behovskompass over time, marks the action done there, sees the channel say so, and downloads
// the family's copy, whose text is read back with pdftotext. Last, the plan having done its work,
// she closes the case from Barnets plan in her chat (step 8, the closing card with the principles
// and the closing compass): the teacher is told only that the case for her card is closed, the
// channel gets the team's last post without buttons, and `visa` shows reference, state and date.
//
// The Barnteam runs on the e2e directory (tests/fixtures/directory/e2e-barnteam.yaml), where the
// meeting's reminder with the Skattningsformulär, the way to the joint compass, comes within a
// minute or two of booking (see tests/e2e/barnteam.test.ts).
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, expect, test } from 'vitest';
import { formatSwedishDateOfInstant } from '../../cards/swedish-format.js';
import { compassAreas } from '../../flows/kernel/compass.js';
import { guidingPrinciples } from '../../flows/kernel/guiding-principles.js';
import { toStockholmDate } from '../../flows/kernel/working-time.js';
import { repoRoot } from '../../scripts/playground.mjs';
import { bookBarnteamFor, openFromCase } from '../support/e2e-barnteam.js';
import {
  botMessages,
  chooseCardOption,
  chooseCardRadio,
  chooseCardRadioIn,
  conversations,
  escapeRegExp,
  fillCardDate,
  fillCardInput,
  findCardSection,
  openChat,
  pressCardButton,
  readCardText,
  saveMessageScreenshot,
  saveScreenshot,
  sendText,
  setCardCheckbox,
  usePlayground,
  waitForBotMessage,
} from '../support/e2e-playground.js';
import { findChildDataIn, type TestChild, toPersonnummer } from '../support/e2e-upptackare.js';
import { buildTab } from '../support/tab-test-server.js';

/** Maria Lind, rektor of Björkskolan: the unit's Barnkontakt and the Barnteam's convener. */
const barnkontaktId = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02';
const directoryFile = 'tests/fixtures/directory/e2e-barnteam.yaml';
/** Due within a minute of booking, then up to one 30-second sweep, then the outbox. */
const reminderTimeoutMs = 150_000;
/** The channel's first post waits for the channel job's sweep and the outbox. */
const channelTimeoutMs = 90_000;

const child: TestChild = {
  givenName: 'Elsa',
  familyName: 'Marklund',
  birthDate: '2016-03-21',
  identityNumber: toPersonnummer('2016-03-21', '264'),
  observation: 'Elsa somnar på lektionerna och säger att hon är rädd för att vara hemma på nätterna.',
  ratings: [{ area: 'Må bra', choice: 'Behöver stärkas', comment: 'Somnar ofta på lektionerna.' }],
};
const updatedConsent = {
  scope: 'Skolan, socialtjänsten och regionen får dela det som behövs i det Individuella barnteamet',
  document: 'Uppdaterad blankett 2026-12-02',
};
const goal = {
  minMal: 'Jag vill kunna sova hela natten.',
  vad: 'Bättre sömn',
  hur: 'Kvällsrutin med stöd av skolsköterskan',
};
const actionWhat = 'Samtal med vårdnadshavare om kvällsrutiner';
const statusTexts = {
  started: 'Individuellt barnteam har startat. Här publiceras status för Barnets plan.',
  adopted: 'Barnets plan är fastställd.',
  overdue: 'En åtgärd i Barnets plan är försenad. Den som ansvarar för den har fått en påminnelse.',
};
const doneStatus = 'En åtgärd i Barnets plan är genomförd.';
const closedStatus = 'Individuellt barnteam har avslutats och ärendet är avslutat.';

/**
 * A status post in the open channel: the bot's card at the top of a thread, found by its text. The
 * playground shows a thread with its reply box inside, so the chat's message locator does not
 * reach it; the post's card is the element holding both the heading and the status line.
 */
async function waitForChannelPost(page: Page, status: string): Promise<Locator> {
  const post = page
    .locator('div')
    .filter({ hasText: 'Individuellt barnteam · ärende' })
    .filter({ hasText: status })
    .filter({ hasNot: page.locator('[data-lexical-editor]') })
    .last();
  await post.waitFor({ state: 'visible', timeout: channelTimeoutMs });
  return post;
}

const playground = usePlayground({ actingUsers: [barnkontaktId], directoryFile });

// The bot serves the tab from dist/tab, which `npm start` builds; the test builds what ships.
beforeAll(async () => {
  await buildTab(join(repoRoot, 'dist', 'tab'));
}, 180_000);

/**
 * The channel tab, opened from the button of the post with this status: the playground opens an
 * Action.OpenUrl in a new window. The post's text and its buttons sit in sibling elements, so the
 * button is looked for in the smallest element that holds both.
 */
async function openTabFrom(page: Page, status: string): Promise<Page> {
  const link = page.getByRole('link', { name: 'Öppna fliken Barnets plan', exact: true });
  const post = page
    .locator('div')
    .filter({ hasText: status })
    .filter({ has: link })
    .filter({ hasNot: page.locator('[data-lexical-editor]') })
    .last();
  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    // Adaptive Cards give an Action.OpenUrl the role of a link.
    post.getByRole('link', { name: 'Öppna fliken Barnets plan', exact: true }).first().click(),
  ]);
  await tab.waitForLoadState('domcontentloaded');
  return tab;
}

async function signInLocally(tab: Page, name: string): Promise<void> {
  const chooser = tab.getByLabel('Användare');
  await chooser.waitFor({ timeout: 30_000 });
  const option = await chooser.locator('option', { hasText: name }).first().getAttribute('value');
  await chooser.selectOption(option ?? '');
  await tab.getByRole('button', { name: 'Logga in' }).click();
  await tab.getByRole('heading', { level: 1 }).filter({ hasNotText: 'Logga in' }).waitFor();
}

test('the convener starts an Individuellt barnteam from the Barnteam, fastställer Barnets plan, the channel and the owner hear of an overdue action, and she closes the case from the plan', {
  timeout: 600_000,
}, async () => {
  const teacher = await playground.open('e2e-individuellt-barnteam-larare-fel');
  const maria = await playground.open('e2e-individuellt-barnteam-barnkontakt-fel', barnkontaktId);

  const reference = await bookBarnteamFor(teacher, maria, child, {
    consentScope: 'Skolan, socialtjänsten, regionen och polisen får dela uppgifter i Barnteam',
    consentDocument: 'Blankett 2026-12-01',
    talkDate: '2026-11-30',
  });

  // The updated written consent, on the Samtycke card: the booking's card has replaced the earlier
  // ones, so she asks for the case as anyone would, by its reference.
  await sendText(maria, `visa ${reference}`);
  const samtycke = await openFromCase(maria, reference, 'Samtycke', 'Registrera samtycke');
  await chooseCardRadio(samtycke, 'Uppdaterat skriftligt samtycke inför Individuellt barnteam');
  await setCardCheckbox(samtycke, 'Vårdnadshavare', true);
  await fillCardInput(samtycke, /^\s*Vad samtycket omfattar/, updatedConsent.scope);
  await fillCardInput(samtycke, /^\s*Hänvisning till den undertecknade blanketten/, updatedConsent.document);
  await pressCardButton(samtycke, 'Registrera samtycke');
  await waitForBotMessage(maria, updatedConsent.document);

  // The joint compass, from the meeting's reminder and her own Skattningsformulär.
  const skattningButton = `Fyll i skattning för ${reference}`;
  const reminder = await waitForBotMessage(maria, skattningButton, { timeoutMs: reminderTimeoutMs });
  await pressCardButton(reminder, new RegExp(`^${escapeRegExp(skattningButton)}`));
  const form = await waitForBotMessage(maria, 'Du skattar som');
  for (const area of compassAreas) {
    await chooseCardOption(findCardSection(form, area.name), 'Skattning', '😐 3 – Både och');
  }
  await pressCardButton(form, 'Spara skattning');
  const compass = await waitForBotMessage(maria, 'Gemensam behovskompass', {
    withButton: 'Starta Individuellt barnteam',
  });
  expect(await readCardText(compass)).not.toContain('Starta Individuellt barnteam kan inte väljas ännu');
  await pressCardButton(compass, 'Starta Individuellt barnteam', { exact: true });

  let plan = await waitForBotMessage(maria, 'Det Individuella barnteamet är startat.');
  expect(await readCardText(plan)).toContain(`Barnets plan – E.M. (${reference})`);

  // The first status post, in the team's channel.
  await openChat(maria, conversations.channel);
  const started = await waitForChannelPost(maria, statusTexts.started);
  expect(await readCardText(started)).toContain(`Individuellt barnteam · ärende ${reference}`);
  await openChat(maria, conversations.personal);

  // A goal in the child's own words. Creating the channel wrote the case, so the plan card from
  // the start is out of date; she opens the plan again from the case, as a user would.
  await sendText(maria, `visa ${reference}`);
  const withPlan = await waitForBotMessage(maria, reference, { withButton: 'Barnets plan' });
  await pressCardButton(withPlan, 'Barnets plan', { exact: true });
  plan = botMessages(maria)
    .filter({ hasText: `Barnets plan – E.M. (${reference})` })
    .filter({ hasNotText: 'Det Individuella barnteamet är startat.' })
    .last();
  await plan.waitFor({ state: 'visible', timeout: 30_000 });
  await pressCardButton(plan, 'Lägg till mål', { exact: true });
  await chooseCardOption(plan, 'Område i Behovskompassen', 'Må bra: Jag mår bra');
  await fillCardInput(plan, 'Mitt mål (med barnets egna ord)', goal.minMal);
  await fillCardInput(plan, 'Vad ska göras', goal.vad);
  await fillCardInput(plan, 'Hur ska det göras', goal.hur);
  await pressCardButton(plan, 'Spara målet', { exact: true });
  plan = await waitForBotMessage(maria, `Mitt mål: ${goal.minMal}`);

  // An action she owns, due today.
  const today = toStockholmDate(new Date());
  await pressCardButton(plan, 'Lägg till åtgärd', { exact: true });
  await fillCardInput(plan, 'Vad ska göras', actionWhat);
  await chooseCardOption(plan, 'Vem i teamet ansvarar', 'Maria Lind, Barnkontakt');
  await fillCardDate(plan, 'Senast när', today);
  await pressCardButton(plan, 'Spara åtgärden', { exact: true });
  // The typed form holds the action's text too: wait for the saved action's line.
  plan = await waitForBotMessage(maria, 'ansvarig Maria Lind', { withButton: 'Fastställ Barnets plan' });
  expect(await readCardText(plan)).toContain(actionWhat);

  // The start of the Behovskompass over time: the child's own rating, recorded on the plan.
  await pressCardButton(plan, 'Registrera skattning', { exact: true });
  await chooseCardOption(plan, 'Vem skattar', 'Barnet');
  for (const area of compassAreas) {
    await chooseCardOption(plan, `${area.name}: ${area.childWords}`, '😐 3 – Både och');
  }
  await pressCardButton(plan, 'Spara skattningen', { exact: true });
  plan = botMessages(maria)
    .filter({ hasText: 'Behovskompassen över tid' })
    .filter({ hasNotText: 'Ingen skattning registrerad ännu' })
    .filter({ has: maria.getByRole('button', { name: 'Fastställ Barnets plan', exact: true }) })
    .last();
  await plan.waitFor({ state: 'visible', timeout: 30_000 });

  await pressCardButton(plan, 'Fastställ Barnets plan', { exact: true });
  plan = await waitForBotMessage(maria, 'Fastställd');
  expect(await readCardText(plan)).not.toContain(child.givenName);

  await openChat(maria, conversations.channel);
  await waitForChannelPost(maria, statusTexts.adopted);
  await openChat(maria, conversations.personal);

  // Ten days pass while the bot is down; its first sweep catches up.
  await playground.stack.restartBot({ LOCAL_CLOCK_OFFSET: 'P10D' });
  const ownerReminder = await waitForBotMessage(maria, 'skulle vara klar', { timeoutMs: channelTimeoutMs });
  expect(await readCardText(ownerReminder)).toContain(`ärende ${reference}`);
  expect(await readCardText(ownerReminder)).not.toContain(child.givenName);

  await openChat(maria, conversations.channel);
  const overdue = await waitForChannelPost(maria, statusTexts.overdue);
  await saveMessageScreenshot(overdue, 'e2e-teamkanal-status');
  const channelText = (await maria.locator('body').textContent()) ?? '';
  for (const text of Object.values(statusTexts)) expect(channelText).toContain(text);
  expect(findChildDataIn(channelText, child)).toEqual([]);

  // The channel tab, from the overdue post: the whole plan, as the team sees it.
  const tab = await openTabFrom(maria, statusTexts.overdue);
  expect(new URL(tab.url()).search).toMatch(/^\?arende=arende-[0-9a-f-]+$/);
  await signInLocally(tab, 'Maria Lind');
  await expect(tab.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(reference);
  const goals = tab.getByRole('region', { name: 'Mina mål' });
  await expect(goals.textContent()).resolves.toContain(goal.minMal);
  const actions = tab.getByRole('region', { name: 'Vem gör vad och när' }).getByRole('listitem');
  const action = actions.filter({ hasText: actionWhat });
  await expect(action.textContent()).resolves.toContain('Försenad');
  // The child's rating at the start, 3 in every area, as a chart and as a table per area.
  const compassTables = tab.getByRole('region', { name: 'Behovskompass över tid' }).getByRole('table');
  await expect(compassTables.count()).resolves.toBe(compassAreas.length);
  await expect(
    compassTables
      .first()
      .getByRole('row', { name: /^Start/ })
      .textContent(),
  ).resolves.toContain('3');
  await saveScreenshot(tab, 'e2e-kanalflik-barnets-plan');
  await action.getByRole('button', { name: 'Markera som genomförd' }).click();
  await tab.getByRole('status').getByText('Sparat.').waitFor();
  await expect(action.getByRole('button', { name: 'Markera som genomförd' }).count()).resolves.toBe(0);

  // The channel hears of it, as from the cards.
  await maria.bringToFront();
  await waitForChannelPost(maria, doneStatus);

  // The family's copy, in Swedish: the child's goal as typed, the action, no internal notes.
  await tab.bringToFront();
  const [download] = await Promise.all([
    tab.waitForEvent('download'),
    tab.getByRole('button', { name: 'Ladda ner familjens version' }).click(),
  ]);
  const pdfPath = join(tmpdir(), `e2e-familjens-version-${process.pid}.pdf`);
  await download.saveAs(pdfPath);
  const pdfText = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
  expect(pdfText).toContain(goal.minMal);
  expect(pdfText).toContain(actionWhat);
  expect(pdfText).not.toContain(child.identityNumber);
  await tab.close();

  // The plan has done its work: Maria, who leads the support, closes the case from it, in her chat.
  await maria.bringToFront();
  await openChat(maria, conversations.personal);
  await sendText(maria, `visa ${reference}`);
  const overview = await waitForBotMessage(maria, reference, { withButton: 'Barnets plan' });
  await pressCardButton(overview, 'Barnets plan', { exact: true });
  plan = await waitForBotMessage(maria, `Barnets plan – E.M. (${reference})`, {
    withButton: 'Barnets behov är uppfyllt',
  });
  await pressCardButton(plan, 'Barnets behov är uppfyllt', { exact: true });
  const closing = await waitForBotMessage(maria, 'Avslutande uppföljning med Behovskompassen', {
    withButton: 'Avsluta ärendet',
  });
  expect(await readCardText(closing)).toContain('avslutas ärendet och det Individuella barnteamet');
  for (const principle of guidingPrinciples) await chooseCardRadioIn(closing, principle.question, 'Ja');
  // The first set of areas on the card is the child's: the closing follow-up of her compass.
  for (const area of compassAreas) {
    await chooseCardOption(closing, `${area.name}: ${area.childWords}`, '🙂 4 – Fungerar bra');
  }
  await pressCardButton(closing, 'Avsluta ärendet', { exact: true });
  const closed = await waitForBotMessage(maria, 'Ärendet är avslutat: barnets behov är uppfyllt');
  // The bot's clock runs ten days ahead since the restart; the closing date is its day.
  const closedOn = formatSwedishDateOfInstant(new Date(Date.now() + 10 * 24 * 3_600_000).toISOString());
  const closedOnFact = new RegExp(`Avslutat den\\s*${escapeRegExp(closedOn)}`);
  expect(await readCardText(closed)).toMatch(closedOnFact);

  // The teacher hears that the case for her card is closed, and when, never why.
  const told = await waitForBotMessage(
    teacher,
    `Ärendet för ditt Upptäckarkort ${reference} är avslutat den ${closedOn}.`,
    { timeoutMs: channelTimeoutMs },
  );
  expect(await readCardText(told)).not.toMatch(/behov|plan|Elsa/i);

  // The team's last post in its channel, with nothing more to open.
  await openChat(maria, conversations.channel);
  const lastPost = await waitForChannelPost(maria, closedStatus);
  await saveMessageScreenshot(lastPost, 'e2e-teamkanal-avslutat');
  expect(await readCardText(lastPost)).toContain(`Individuellt barnteam · ärende ${reference}`);
  await expect(lastPost.getByRole('link', { name: 'Öppna fliken Barnets plan' }).count()).resolves.toBe(0);
  await expect(lastPost.getByRole('button', { name: 'Visa Barnets plan' }).count()).resolves.toBe(0);
  // An older post still has its button; pressed now, it shows what is left of the case.
  const showPlan = maria.getByRole('button', { name: 'Visa Barnets plan', exact: true });
  const donePost = maria
    .locator('div')
    .filter({ hasText: doneStatus })
    .filter({ has: showPlan })
    .filter({ hasNot: maria.locator('[data-lexical-editor]') })
    .last();
  await donePost.getByRole('button', { name: 'Visa Barnets plan', exact: true }).first().click();
  const leftOfCase = maria
    .locator('div')
    .filter({ hasText: 'Bara referensen och läget finns kvar för dig' })
    .filter({ hasNot: maria.locator('[data-lexical-editor]') })
    .last();
  await leftOfCase.waitFor({ state: 'visible', timeout: 30_000 });
  // The card's line, not "Åtgärden nekades: Du har ingen roll …" as before the fix.
  expect(await readCardText(leftOfCase)).toContain('Ärendet är avslutat.');
  expect(findChildDataIn((await maria.locator('body').textContent()) ?? '', child)).toEqual([]);

  // Afterwards the case shows her only that it was closed: reference, state and date, no plan.
  await openChat(maria, conversations.personal);
  // The answer to this `visa`, not an earlier card of the case refreshed to the closed view.
  const earlier = await botMessages(maria).count();
  await sendText(maria, `visa ${reference}`);
  const closedView = botMessages(maria).nth(earlier);
  await closedView.waitFor({ state: 'visible', timeout: 30_000 });
  const closedText = await readCardText(closedView);
  expect(closedText).toContain('Bara referensen och läget finns kvar för dig');
  expect(closedText).toContain(reference);
  expect(closedText).toMatch(closedOnFact);
  for (const hidden of [goal.minMal, actionWhat, 'E.M.', child.givenName]) {
    expect(closedText).not.toContain(hidden);
  }
  await expect(closedView.getByRole('button', { name: 'Barnets plan' }).count()).resolves.toBe(0);

  // docs/security.md 8: nothing the child can be recognised by in anything the bot printed.
  const printed = await playground.stopAndReadBotOutput();
  expect(printed).toContain('LOCAL_CLOCK_OFFSET');
  expect(findChildDataIn(printed, child, { secrets: [goal.minMal, goal.vad, goal.hur, actionWhat] })).toEqual(
    [],
  );
});
