// biome-ignore-all lint/suspicious/noTemplateCurlyInString: user text containing ${…} is the input under test
import { describe, expect, it } from 'vitest';
import { type BarnteamBokatData, renderBarnteamBokat } from '../../../cards/barnteam/barnteam-bokat.js';
import { CardRenderError } from '../../../cards/render-template.js';
import {
  bindingLookalike,
  sampleCase,
  sampleChildIdentity,
  sampleDagordning,
  sampleMeeting,
  sampleMembers,
  sampleOtherCase,
  sampleSlots,
} from '../../fixtures/samtal-barnteam-card-samples.js';
import {
  findCardProblems,
  findElementAfterInput,
  listExecuteActions,
  listInputs,
  readCardText,
} from '../../support/card-validation.js';

const allowedVerbs = ['barnteam.flytta', 'barnteam.stall', 'barnteam.visaBokning'];
/** Maria Lind, the convener: the only one the card refreshes for. */
const convenerUserId = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02';

function buildData(overrides: Partial<BarnteamBokatData> = {}): BarnteamBokatData {
  return {
    meetingId: sampleMeeting.meetingId,
    etag: sampleMeeting.etag,
    convenerUserId,
    teamName: sampleMeeting.teamName,
    timeLabel: sampleMeeting.label,
    joinUrl: sampleMeeting.joinUrl,
    agenda: [
      { caseId: sampleCase.caseId, reference: sampleCase.reference, initials: sampleCase.initials },
      sampleOtherCase,
    ],
    members: sampleMembers,
    dagordning: sampleDagordning,
    ...overrides,
  };
}

describe('renderBarnteamBokat', () => {
  it('confirms the time, the agenda by initials and reference, the members and the dagordning', () => {
    const card = renderBarnteamBokat(buildData());
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    const text = readCardText(card);
    expect(text).toContain('tisdag 7 april 2026 kl. 09:00–10:00');
    expect(text).toContain('• E.Å. (BB-4K7Q-2M9C)');
    expect(text).toContain('• M.K. (BB-7TQ3-9XHD)');
    expect(text).toContain('1. Inledning och närvaro');
    expect(text).toContain('7. Uppföljning och nästa möte');
    expect(text).toContain('Hälso- och sjukvården');
    for (const identity of sampleChildIdentity) {
      expect(JSON.stringify(card), identity).not.toContain(identity);
    }
  });

  it('joins with Action.OpenUrl, moves and cancels with the meeting id and ETag', () => {
    const card = renderBarnteamBokat(buildData());
    expect((card.actions as Record<string, unknown>[])[0]).toEqual({
      type: 'Action.OpenUrl',
      title: 'Anslut till mötet',
      url: sampleMeeting.joinUrl,
    });
    const data = { meetingId: sampleMeeting.meetingId, etag: sampleMeeting.etag };
    expect(listExecuteActions(card).map((action) => [action.verb, action.title, action.data])).toEqual([
      // The card's refresh, then the Uppdatera svar button: both read the answers again.
      ['barnteam.visaBokning', 'Uppdatera svar', { meetingId: sampleMeeting.meetingId }],
      ['barnteam.visaBokning', 'Uppdatera svar', { meetingId: sampleMeeting.meetingId }],
      ['barnteam.flytta', 'Föreslå nya tider', data],
      ['barnteam.stall', 'Ställ in mötet', data],
    ]);
    expect(listInputs(card).map((input) => [input.id, input.isRequired])).toEqual([['cancelReason', true]]);
  });

  it("shows each member's answer as the calendar reports it, a decline standing out, and refreshes for the convener alone", () => {
    const [convener, elevhalsan, socialtjansten, halsoOchSjukvard, polisen] = sampleMembers as [
      (typeof sampleMembers)[number],
      (typeof sampleMembers)[number],
      (typeof sampleMembers)[number],
      (typeof sampleMembers)[number],
      (typeof sampleMembers)[number],
    ];
    const card = renderBarnteamBokat(
      buildData({
        answers: 'read',
        members: [
          convener,
          { ...elevhalsan, answer: 'accepted' },
          { ...socialtjansten, answer: 'tentative' },
          { ...halsoOchSjukvard, kind: 'gast', answer: 'declined' },
          { ...polisen, kind: 'utanforTeams', answer: 'notAnswered' },
        ],
      }),
    );
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    const text = readCardText(card);
    expect(text).toContain('Deltagare och svar');
    expect(text).toContain('Elevhälsan\n – Kim Berg (krävs)\nHar tackat ja');
    expect(text).toContain(' – Sara Nyström (krävs)\nHar svarat preliminärt');
    expect(text).toContain(' – Åsa Öhman (krävs; gäst i Teams)\nHar tackat nej');
    expect(text).toContain(' – Erik Holm (valfri; utanför Teams, får kallelsen via e-post)\nHar inte svarat');
    expect(text).toContain('Svaren som kalendern visar just nu.');
    // The decline is the answer the convener must act on.
    expect(JSON.stringify(card)).toMatch(
      /"text":"Har tackat nej","wrap":true,"weight":"bolder","color":"attention"/,
    );
    expect(card.refresh).toEqual({
      action: {
        type: 'Action.Execute',
        title: 'Uppdatera svar',
        verb: 'barnteam.visaBokning',
        data: { meetingId: sampleMeeting.meetingId },
      },
      userIds: [convenerUserId],
    });
  });

  it('names the members whose time is unknown in an alternative slot to move to', () => {
    const [first] = sampleSlots as [(typeof sampleSlots)[number]];
    const card = renderBarnteamBokat(
      buildData({
        alternativeSlots: [
          {
            ...first,
            optionalConflicts: [],
            unknownAvailability: [
              { label: 'Erik Holm (Polisen)', note: 'Erik Holm (Polisen): tillgänglighet okänd' },
            ],
          },
        ],
      }),
    );
    const newSlot = listInputs(card).find((input) => input.id === 'newSlot');
    expect((newSlot?.choices as { title: string }[] | undefined)?.[0]?.title).toBe(
      'tisdag 7 april 2026 kl. 09:00–10:00 (Erik Holm (Polisen): tillgänglighet okänd)',
    );
  });

  it('says when the answers were not read yet, or the calendar did not answer', () => {
    const fresh = readCardText(renderBarnteamBokat(buildData()));
    expect(fresh).toContain('Deltagarnas svar hämtas från kalendern när du öppnar kortet igen');
    expect(fresh).not.toContain('Har inte svarat');
    const unavailable = readCardText(renderBarnteamBokat(buildData({ answers: 'unavailable' })));
    expect(unavailable).toContain('Kalendern svarade inte, så deltagarnas svar kunde inte hämtas.');
  });

  it('offers alternative slots to move to, with optional conflicts in the title', () => {
    const card = renderBarnteamBokat(buildData({ alternativeSlots: sampleSlots }));
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    const newSlot = listInputs(card).find((input) => input.id === 'newSlot');
    expect(newSlot).toMatchObject({ style: 'expanded', isRequired: true, value: '' });
    expect((newSlot?.choices as { title: string; value: string }[] | undefined)?.[0]).toEqual({
      title: 'tisdag 7 april 2026 kl. 09:00–10:00 (Polisen är upptagen)',
      value: sampleSlots[0]?.start,
    });
    expect(listExecuteActions(card).find((action) => action.verb === 'barnteam.flytta')?.title).toBe(
      'Flytta till vald tid',
    );
  });

  it('without a join link says so instead of a broken button', () => {
    const { joinUrl: _dropped, ...withoutLink } = buildData();
    const card = renderBarnteamBokat(withoutLink);
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    expect((card.actions as { type: string }[]).map((action) => action.type)).toEqual([
      'Action.Execute',
      'Action.ShowCard',
      'Action.ShowCard',
    ]);
    expect(readCardText(card)).toContain('Mötet har ingen länk till Teams-möte.');
  });

  it('comes back with the typed reason, errors under their fields, text literal', () => {
    const reason = `Rektor sjuk. ${bindingLookalike}`;
    const card = renderBarnteamBokat(
      buildData({
        alternativeSlots: sampleSlots,
        values: { cancelReason: reason, newSlot: sampleSlots[2]?.start ?? '' },
        fieldErrors: { newSlot: 'Tiden är inte längre ledig.' },
      }),
    );
    expect(findCardProblems(card, { allowedVerbs, literalUserTexts: [reason] })).toEqual([]);
    expect(listInputs(card).map((input) => [input.id, input.value])).toEqual([
      ['newSlot', sampleSlots[2]?.start],
      ['cancelReason', reason],
    ]);
    expect(findElementAfterInput(card, 'newSlot')).toMatchObject({
      text: 'Tiden är inte längre ledig.',
      color: 'attention',
    });
    expect(readCardText(card)).toContain('Inget är sparat. Rätta fältet som är markerat nedan.');
  });

  it('refuses a child given by name', () => {
    expect(() =>
      renderBarnteamBokat(buildData({ agenda: [{ caseId: 'c', reference: 'BB-1', initials: 'Ella Å' }] })),
    ).toThrow(CardRenderError);
  });
});
