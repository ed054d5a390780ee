/**
 * Step 8, "Barnets behov är uppfyllt", through the bot as Teams talks to it: closing from the
 * Beslut after the talks and from Barnets plan, what the Upptäckare's chat and the team's
 * channel are told, a double click, a colleague's old card, and what a closed case still shows.
 */
import { describe, expect, it } from 'vitest';
import { compassAreaKeys } from '../../flows/kernel/compass.js';
import { people, personalConversationId } from '../support/bot-activities.js';
import { findAction, listActions } from '../support/card-actions.js';
import { readCardText } from '../support/card-validation.js';
import { useTeamsBot } from '../support/teams-bot.js';
import { walkCase } from '../support/walk-case.js';

const teams = useTeamsBot({ greet: [people.alex, people.maria, people.sara, people.karin] });

const principles = {
  principle_tidigInsats: 'ja',
  principle_barnetsBasta: 'ja',
  principle_helaSituationen: 'delvis',
  principle_gemensamPlan: 'ja',
  principleComment_barnetsBasta: 'Barnet säger själv att det går bra nu.',
};

const ratingsOf = (rater: string, value: string) =>
  Object.fromEntries(compassAreaKeys.map((key) => [`${rater}_${key}`, value]));

const textsTo = (person: typeof people.alex) =>
  teams.connector
    .filter((request) => request.path.startsWith(`/v3/conversations/${personalConversationId(person)}/`))
    .map((request) => request.body.text)
    .filter((text): text is string => typeof text === 'string');

const verbsOf = (card: unknown) => listActions(card).map((action) => action.verb);

describe('closing a case from the Beslut', () => {
  it('asks for the closing compass, closes once, tells the Upptäckare only that it is closed and leaves the minimum', async () => {
    const walked = await walkCase(teams).to('samtal');
    const { caseId, reference, barnkontakt: maria } = walked;
    const beslut = await teams.invoke(maria, 'beslut.visa', { caseId });

    // Choosing the decision saves nothing yet: the closing card comes, with the answers kept.
    const closing = await teams.invoke(maria, 'beslut.spara', {
      ...findAction(beslut, 'beslut.spara').data,
      decision: 'behovUppfyllt',
      ...principles,
    });
    expect(readCardText(closing)).toContain('Avslutande uppföljning med Behovskompassen');
    expect(JSON.stringify(closing)).toContain('Barnet säger själv att det går bra nu.');
    expect((await teams.stores.cases.get(caseId))?.value.state).toBe('samtal');

    const submit = {
      ...findAction(closing, 'avslut.spara').data,
      ...principles,
      ...ratingsOf('barnet', '4'),
      ...ratingsOf('vardnadshavare', '5'),
    };
    const missing = await teams.invoke(maria, 'avslut.spara', { ...submit, vardnadshavare_fritid: '' });
    expect(readCardText(missing)).toContain('Skatta alla åtta områden för den som skattar');
    expect((await teams.stores.cases.get(caseId))?.value.state).toBe('samtal');

    const closed = await teams.invoke(maria, 'avslut.spara', submit);
    expect(readCardText(closed)).toContain('Sparat. Ärendet är avslutat: barnets behov är uppfyllt.');
    const stored = (await teams.stores.cases.get(caseId))?.value;
    expect(stored?.state).toBe('avslutad');
    expect(stored?.chronology.slice(-2).map((entry) => entry.event)).toEqual([
      'beslutaBehovUppfyllt',
      'avsluta',
    ]);

    // A double click (or a redelivered invoke) closes nothing twice and says so.
    const again = await teams.invoke(maria, 'avslut.spara', submit);
    expect(readCardText(again)).toContain('Ärendet är redan avslutat: barnets behov är uppfyllt.');
    const afterAgain = (await teams.stores.cases.get(caseId))?.value;
    expect(afterAgain?.chronology.filter((entry) => entry.event === 'avsluta')).toHaveLength(1);
    expect(afterAgain?.beslut).toHaveLength(1);

    await teams.bot.backgroundWork.runOnce();
    const closedNotices = textsTo(people.alex).filter((text) => text.includes('är avslutat'));
    expect(closedNotices).toHaveLength(1);
    expect(closedNotices[0]).toMatch(
      new RegExp(`^Ärendet för ditt Upptäckarkort ${reference} är avslutat den \\d+ \\w+ \\d{4}\\.`),
    );
    expect(closedNotices[0]).not.toContain('behov');

    // What is left: the reference, the state and when it closed, and nothing to do.
    const overview = await teams.invoke(maria, 'arende.oversikt', { caseId });
    const text = readCardText(overview);
    expect(text).toContain(reference);
    expect(text).toContain('Avslutat den');
    expect(text).not.toContain('Testbarn');
    expect(verbsOf(overview)).not.toContain('beslut.visa');
    const receipt = readCardText(await teams.invoke(people.alex, 'arende.oversikt', { caseId }));
    expect(receipt).toContain('Ärendet avslutades den');
  });
});

describe('closing a case from Barnets plan', () => {
  it('closes the plan and the team with a last post in the channel, and a colleague’s old card gets the truth', async () => {
    const walked = await walkCase(teams).to('individuelltBarnteam');
    const { caseId, barnkontakt: maria } = walked;
    let plan = await teams.invoke(maria, 'team.medlem', {
      ...findAction(walked.card, 'team.medlem').data,
      contactId: 'skolskoterska-bjorkskolan',
    });
    plan = await teams.invoke(maria, 'plan.mal', {
      ...findAction(plan, 'plan.mal').data,
      area: 'maBra',
      minMal: 'Jag vill kunna sova hela natten.',
      vad: 'Bättre sömn',
      hur: 'Kvällsrutin med stöd av skolsköterskan',
    });
    plan = await teams.invoke(maria, 'plan.atgard', {
      ...findAction(plan, 'plan.atgard').data,
      what: 'Samtal om sömn varje vecka',
      ownerUserId: people.karin.aadObjectId,
      dueDate: '2026-03-20',
    });
    expect(verbsOf(plan)).not.toContain('avslut.visa');
    plan = await teams.invoke(maria, 'plan.faststall', findAction(plan, 'plan.faststall').data);
    expect(verbsOf(plan)).toContain('avslut.visa');
    // A member sees the plan but does not close the case.
    expect(verbsOf(await teams.invoke(people.karin, 'plan.visa', { caseId }))).not.toContain('avslut.visa');

    const closing = await teams.invoke(maria, 'avslut.visa', findAction(plan, 'avslut.visa').data);
    expect(readCardText(closing)).toContain('avslutas ärendet och det Individuella barnteamet');
    const submit = {
      ...findAction(closing, 'avslut.spara').data,
      ...principles,
      ...ratingsOf('barnet', '5'),
      ...ratingsOf('teamet', '4'),
    };
    const closed = await teams.invoke(maria, 'avslut.spara', submit);
    expect(readCardText(closed)).toContain('Sparat. Ärendet är avslutat');
    const stored = (await teams.stores.cases.get(caseId))?.value;
    expect(stored?.state).toBe('avslutad');
    expect(stored?.barnetsPlan?.actions.map((action) => action.status)).toEqual(['installd']);
    expect(stored?.barnetsPlan?.compassFollowUps.at(-1)?.sets.map((set) => set.rater)).toEqual([
      'barnet',
      'teamet',
    ]);

    const lastPosts = teams.stores
      .snapshot()
      .outbox.filter((message) => message.recipientKey === `teamkanal:${caseId}`)
      .map((message) => (message.payload.kind === 'notice' ? message.payload.data.event : undefined));
    expect(lastPosts.at(-1)).toBe('arendetAvslutat');
    const open = teams.stores
      .snapshot()
      .reminders.filter((reminder) => reminder.status === 'scheduled')
      .map((reminder) => reminder.kind);
    expect(open).not.toContain('atgardForsenad');

    // The plan is no longer shown, and an old closing card is told that the case is closed.
    expect(readCardText(await teams.invoke(people.karin, 'plan.visa', { caseId }))).not.toContain('Mina mål');
    // The channel's older posts keep "Visa Barnets plan": pressed now, it shows what is left of
    // the case, as "visa" does, not that she has no role; someone who never had one learns nothing.
    const fromOldPost = readCardText(await teams.invoke(maria, 'plan.visa', { caseId }));
    expect(fromOldPost).toContain('Bara referensen och läget finns kvar för dig');
    expect(fromOldPost).toContain(walked.reference);
    expect(fromOldPost).toContain('Avslutat den');
    expect(fromOldPost).not.toMatch(/Mina mål|ingen roll/);
    const stranger = readCardText(await teams.invoke(people.sara, 'plan.visa', { caseId }));
    expect(stranger).toContain('ingen roll');
    expect(stranger).not.toMatch(/avslutat|Avslutat/);
    const old = await teams.invoke(maria, 'avslut.spara', submit);
    expect(readCardText(old)).toContain('Ärendet är redan avslutat');
  });
});

describe('closing a case whose support is given in the own organisation', () => {
  it('offers the closing on the case overview and stops the follow-up reminder', async () => {
    const walked = await walkCase(teams).to('samtal');
    const { caseId, barnkontakt: maria } = walked;
    const beslut = await teams.invoke(maria, 'beslut.visa', { caseId });
    await teams.invoke(maria, 'beslut.spara', {
      ...findAction(beslut, 'beslut.spara').data,
      decision: 'stodIEgenVerksamhet',
      followUpDate: '2026-06-01',
      ...principles,
    });
    expect((await teams.stores.cases.get(caseId))?.value.state).toBe('stodIEgenVerksamhet');
    const followUps = () =>
      teams.stores
        .snapshot()
        .reminders.filter((reminder) => reminder.kind === 'foljUppBeslut')
        .map((reminder) => reminder.status);
    expect(followUps()).toEqual(['scheduled']);

    const overview = await teams.invoke(maria, 'arende.oversikt', { caseId });
    expect(verbsOf(overview)).toContain('avslut.visa');
    expect(verbsOf(await teams.invoke(people.alex, 'arende.oversikt', { caseId }))).not.toContain(
      'avslut.visa',
    );
    const closing = await teams.invoke(maria, 'avslut.visa', findAction(overview, 'avslut.visa').data);
    const closed = await teams.invoke(maria, 'avslut.spara', {
      ...findAction(closing, 'avslut.spara').data,
      ...principles,
      ...ratingsOf('teamet', '4'),
    });
    expect(readCardText(closed)).toContain('Sparat. Ärendet är avslutat');
    const stored = (await teams.stores.cases.get(caseId))?.value;
    expect(stored?.chronology.slice(-2).map((entry) => entry.event)).toEqual([
      'markeraBehovUppfyllt',
      'avsluta',
    ]);
    expect(followUps()).toEqual(['cancelled']);
  });
});

describe('a closing card older than a withdrawn consent', () => {
  it('closes nothing and says that the case is stopped', async () => {
    const walked = await walkCase(teams).to('samtal');
    const { caseId, reference, barnkontakt: maria } = walked;
    const beslut = await teams.invoke(maria, 'beslut.visa', { caseId });
    const closing = await teams.invoke(maria, 'beslut.spara', {
      ...findAction(beslut, 'beslut.spara').data,
      decision: 'behovUppfyllt',
      ...principles,
    });
    await teams.invoke(maria, 'samtycke.aterkalla', {
      caseId,
      etag: walked.etag,
      withdrawnBy: 'vardnadshavare',
      withdrawalConfirmed: 'true',
    });
    expect((await teams.stores.cases.get(caseId))?.value.state).toBe('samtyckeAterkallat');

    const answer = await teams.invoke(maria, 'avslut.spara', {
      ...findAction(closing, 'avslut.spara').data,
      ...principles,
      ...ratingsOf('barnet', '4'),
    });
    // The truth, and nothing of the child: the case is stopped and can no longer be closed.
    const text = readCardText(answer);
    expect(text).toContain(
      'Samtycket återkallat: bara ärendets referens och status finns kvar, så det går inte längre att markera barnets behov som uppfyllt.',
    );
    expect(text).not.toContain('Testbarn');
    expect(reference).toMatch(/^BB-/);
    expect((await teams.stores.cases.get(caseId))?.value.state).toBe('samtyckeAterkallat');
  });
});
