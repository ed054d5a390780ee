import { describe, expect, it } from 'vitest';
import {
  type BarnetsPlanData,
  barnetsPlanVerbs,
  renderBarnetsPlan,
} from '../../../cards/individuellt-barnteam/barnets-plan.js';
import { goldenRule } from '../../../flows/kernel/information-sharing.js';
import { findCardProblems, listExecuteActions, readCardText } from '../../support/card-validation.js';

const allowedVerbs = Object.values(barnetsPlanVerbs);

function buildData(overrides: Partial<BarnetsPlanData> = {}): BarnetsPlanData {
  return {
    caseId: 'arende-team-0001',
    etag: 'etag-1',
    childLabel: 'T.E. (BB-4K7Q-2M9C)',
    facts: [{ label: 'Ansvarig för planen', value: 'Maria Lind, Barnkontakt' }],
    goals: [
      {
        id: 'mal-1',
        area: 'maBra',
        minMal: 'Jag vill sova hela natten.',
        vad: 'Bättre sömn',
        hur: 'Kvällsrutin',
      },
    ],
    actions: [
      {
        id: 'atgard-1',
        what: 'Samtal om sömn varje vecka',
        details: 'Ali Karimi, Skolkurator (kommun) · senast 21 mars 2025 · ansvarig Ali Karimi',
        statusText: 'Planerad',
        open: true,
        canChange: true,
        overdue: true,
      },
    ],
    closeToMe: ['Närmast: Kim (pappa)'],
    compass: [{ heading: 'Start 12 mars 2025', lines: ['Barnet: Omsorg 2, Trygghet 3'] }],
    members: [{ key: 'skolkurator-bjorkskolan', text: 'Ali Karimi, Skolkurator (kommun)', canRemove: true }],
    participants: ['Kim Exempel (Vårdnadshavare, pappa)'],
    canEdit: true,
    canManage: true,
    canAppoint: true,
    canAdopt: true,
    ownerChoices: [{ title: 'Ali Karimi', value: '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e22' }],
    candidateChoices: [{ title: 'Nadia Lund, Socialsekreterare', value: 'socialsekreterare' }],
    appointChoices: [{ title: 'Ali Karimi', value: 'skolkurator-bjorkskolan' }],
    refreshUserIds: ['0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02'],
    ...overrides,
  };
}

describe('the Barnets plan card', () => {
  it('is a valid Adaptive Card 1.5 with the golden rule, Mina mål with Vad and Hur apart, and the actions', () => {
    const card = renderBarnetsPlan(buildData());
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    const text = readCardText(card);
    expect(text).toContain(goldenRule);
    expect(text).toContain('Mitt mål: Jag vill sova hela natten.');
    expect(text).toContain('Vad: Bättre sömn');
    expect(text).toContain('Hur: Kvällsrutin');
    expect(text).toContain('Planerad · försenad');
    expect(text).toContain('Vem finns till för mig');
  });

  it('offers the forms and buttons only to those who may use them', () => {
    const member = renderBarnetsPlan(
      buildData({
        canEdit: false,
        canManage: false,
        canAppoint: false,
        canAdopt: false,
        actions: buildData().actions?.map((action) => ({ ...action, canChange: false })) ?? [],
        members: [{ key: 'skolkurator-bjorkskolan', text: 'Ali Karimi', canRemove: false }],
      }),
    );
    expect(findCardProblems(member, { allowedVerbs })).toEqual([]);
    expect(listExecuteActions(member).map((action) => action.verb)).toEqual(['plan.visa']);
    const owner = renderBarnetsPlan(
      buildData({
        canBookMeeting: true,
        meetingProposal: {
          proposalId: 'forslag-1',
          slots: [
            { start: '2025-03-18T09:00:00.000Z', end: '2025-03-18T10:00:00.000Z', label: 'tisdag 18 mars' },
          ],
        },
      }),
    );
    expect(new Set(listExecuteActions(owner).map((action) => action.verb))).toEqual(new Set(allowedVerbs));
  });

  it('carries the case and the version it was rendered from on every action', () => {
    const card = renderBarnetsPlan(buildData());
    for (const action of listExecuteActions(card)) {
      expect(action.data).toMatchObject({ caseId: 'arende-team-0001', etag: 'etag-1' });
    }
  });

  it('shows a field’s error under it and keeps what was typed', () => {
    const card = renderBarnetsPlan(
      buildData({
        values: { minMal: 'Jag vill' },
        fieldErrors: { vad: 'Skriv vad som ska göras för att nå målet.' },
      }),
    );
    const text = readCardText(card);
    expect(text).toContain('Inget är sparat. Rätta fältet som är markerat nedan.');
    expect(text).toContain('Skriv vad som ska göras för att nå målet.');
    expect(JSON.stringify(card)).toContain('"value":"Jag vill"');
  });
});

describe('the next meeting on the Barnets plan card', () => {
  const proposal = {
    proposalId: 'forslag-1',
    slots: [
      {
        start: '2025-03-18T09:00:00.000Z',
        end: '2025-03-18T10:00:00.000Z',
        label: 'tisdag 18 mars 2025 kl. 10:00–11:00',
      },
      {
        start: '2025-03-18T12:00:00.000Z',
        end: '2025-03-18T13:00:00.000Z',
        label: 'tisdag 18 mars 2025 kl. 13:00–14:00',
      },
    ],
    note: 'Tillgänglighet okänd för Erik Falk (Polisinspektör): tiderna är valda utan dem, de bjuds in ändå.',
  };

  it('offers "Boka nästa möte" to the plan’s owner only', () => {
    const owner = listExecuteActions(renderBarnetsPlan(buildData({ canBookMeeting: true })));
    expect(owner.find((action) => action.verb === barnetsPlanVerbs.foreslaMote)?.title).toBe(
      'Boka nästa möte',
    );
    const member = listExecuteActions(renderBarnetsPlan(buildData({ canBookMeeting: false })));
    expect(member.some((action) => action.verb === barnetsPlanVerbs.foreslaMote)).toBe(false);
  });

  it('shows each proposed time as a button carrying the case, its version, the proposal and the time', () => {
    const card = renderBarnetsPlan(buildData({ canBookMeeting: true, meetingProposal: proposal }));
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    const slots = listExecuteActions(card).filter((action) => action.verb === barnetsPlanVerbs.bokaMote);
    expect(slots.map((action) => [action.title, action.data])).toEqual(
      proposal.slots.map((slot) => [
        slot.label,
        {
          caseId: 'arende-team-0001',
          etag: 'etag-1',
          proposalId: 'forslag-1',
          start: slot.start,
          end: slot.end,
        },
      ]),
    );
    expect(readCardText(card)).toContain('Tillgänglighet okänd för Erik Falk');
  });

  it('shows the booked meeting with its Teams link, and stays under Teams’ 28 KB with a full team and a proposal', () => {
    const joinUrl = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0';
    const card = renderBarnetsPlan(
      buildData({
        canBookMeeting: true,
        nextMeeting: { text: 'tisdag 18 mars 2025 kl. 10:00–11:00', joinUrl, pending: false },
        meetingProposal: proposal,
        members: Array.from({ length: 15 }, (_, index) => ({
          key: `medlem-${index}`,
          text: `Medlem ${index}, Skolkurator (kommun)`,
          canRemove: true,
        })),
      }),
    );
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    expect(readCardText(card)).toContain('Nästa möte: tisdag 18 mars 2025 kl. 10:00–11:00');
    expect(JSON.stringify(card)).toContain(`"url":"${joinUrl}"`);
    expect(
      listExecuteActions(card).find((action) => action.verb === barnetsPlanVerbs.foreslaMote)?.title,
    ).toBe('Boka om mötet');
    expect(Buffer.byteLength(JSON.stringify(card), 'utf8')).toBeLessThan(28_000);
  });
});
