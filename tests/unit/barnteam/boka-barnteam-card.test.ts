import { describe, expect, it } from 'vitest';
import { type BokaBarnteamData, renderBokaBarnteam } from '../../../cards/barnteam/boka-barnteam.js';
import { CardRenderError } from '../../../cards/render-template.js';
import {
  sampleCase,
  sampleChildIdentity,
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

const allowedVerbs = ['barnteam.foreslaTider', 'barnteam.boka'];
const waitingCases = [
  { caseId: sampleCase.caseId, reference: sampleCase.reference, initials: sampleCase.initials },
  sampleOtherCase,
];

function buildData(overrides: Partial<BokaBarnteamData> = {}): BokaBarnteamData {
  return {
    unitId: sampleMeeting.unitId,
    teamName: sampleMeeting.teamName,
    meetingId: sampleMeeting.meetingId,
    waitingCases,
    members: sampleMembers,
    ...overrides,
  };
}

function inputById(card: unknown, id: string): Record<string, unknown> {
  const input = listInputs(card).find((candidate) => candidate.id === id);
  if (!input) throw new Error(`no input ${id}`);
  return input;
}

describe('renderBokaBarnteam', () => {
  it('first asks which waiting children to put on the agenda, by initials and reference only', () => {
    const card = renderBokaBarnteam(buildData());
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    expect(listInputs(card).map((input) => input.id)).toEqual(['agendaCaseIds']);
    expect(inputById(card, 'agendaCaseIds')).toMatchObject({
      isMultiSelect: true,
      isRequired: true,
      choices: [
        { title: 'E.Å. (BB-4K7Q-2M9C)', value: sampleCase.caseId },
        { title: 'M.K. (BB-7TQ3-9XHD)', value: sampleOtherCase.caseId },
      ],
    });
    expect(listExecuteActions(card).map((action) => [action.verb, action.title, action.data])).toEqual([
      [
        'barnteam.foreslaTider',
        'Föreslå tider',
        { unitId: sampleMeeting.unitId, meetingId: sampleMeeting.meetingId },
      ],
    ]);
    const text = readCardText(card);
    expect(text).toContain('Elevhälsan');
    expect(text).toContain(' – Erik Holm (valfri)');
    expect(text).toContain(' – Åsa Öhman (krävs)');
    for (const identity of sampleChildIdentity) {
      expect(JSON.stringify(card)).not.toContain(identity);
    }
  });

  it('names the members whose availability is unknown: the times were chosen without their calendars', () => {
    const [convener, elevhalsan, socialtjansten, halsoOchSjukvard, polisen] = sampleMembers as [
      (typeof sampleMembers)[number],
      (typeof sampleMembers)[number],
      (typeof sampleMembers)[number],
      (typeof sampleMembers)[number],
      (typeof sampleMembers)[number],
    ];
    const [first, ...others] = sampleSlots as [
      (typeof sampleSlots)[number],
      ...(typeof sampleSlots)[number][],
    ];
    const card = renderBokaBarnteam(
      buildData({
        members: [
          convener,
          elevhalsan,
          socialtjansten,
          { ...halsoOchSjukvard, kind: 'gast', availabilityUnknown: true },
          { ...polisen, required: true, kind: 'utanforTeams', availabilityUnknown: true },
        ],
        proposal: {
          status: 'tider',
          slots: [
            {
              ...first,
              optionalConflicts: [],
              unknownAvailability: [
                { label: 'Kim Berg (Elevhälsan)', note: 'Kim Berg (Elevhälsan): tillgänglighet okänd' },
              ],
            },
            ...others,
          ],
        },
      }),
    );
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    const text = readCardText(card);
    expect(text).toContain('Alla som krävs och vars kalender kunde läsas är lediga på de här tiderna.');
    expect(text).toContain('Tillgänglighet okänd');
    expect(text).toContain('• Åsa Öhman (Hälso- och sjukvården): tillgänglighet okänd');
    expect(text).toContain('• Erik Holm (Polisen): tillgänglighet okänd');
    expect(text).toContain('De får kallelsen ändå och svarar i sin egen kalender');
    expect(text).toContain(
      ' – Erik Holm (krävs; utanför Teams, får kallelsen via e-post; tillgänglighet okänd)',
    );
    expect(text).toContain(' – Åsa Öhman (krävs; gäst i Teams; tillgänglighet okänd)');
    expect(text).toContain(
      'tisdag 7 april 2026 kl. 09:00–10:00: \nKim Berg (Elevhälsan): tillgänglighet okänd',
    );
    // Booking is offered all the same.
    expect(listExecuteActions(card).map((action) => action.verb)).toContain('barnteam.boka');
  });

  it('then offers the proposed slots, the first preselected, with optional members who cannot come', () => {
    const card = renderBokaBarnteam(
      buildData({
        etag: sampleMeeting.etag,
        proposal: { status: 'tider', slots: sampleSlots },
        values: { agendaCaseIds: `${sampleCase.caseId},case-gone` },
      }),
    );
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    const slot = inputById(card, 'slot');
    expect(slot).toMatchObject({ style: 'expanded', isRequired: true, value: sampleSlots[0]?.start });
    expect((slot.choices as { title: string }[]).map((choice) => choice.title)).toEqual([
      'tisdag 7 april 2026 kl. 09:00–10:00',
      'onsdag 8 april 2026 kl. 13:30–14:30',
      'tisdag 14 april 2026 kl. 08:00–09:00',
    ]);
    // A case that left the waiting list is no longer preselected.
    expect(inputById(card, 'agendaCaseIds').value).toBe(sampleCase.caseId);
    const text = readCardText(card);
    expect(text).toContain('Att tänka på för tiderna:');
    expect(text).toContain('tisdag 7 april 2026 kl. 09:00–10:00: \nPolisen är upptagen');
    const data = {
      unitId: sampleMeeting.unitId,
      meetingId: sampleMeeting.meetingId,
      etag: sampleMeeting.etag,
    };
    expect(listExecuteActions(card).map((action) => [action.verb, action.title, action.data])).toEqual([
      ['barnteam.boka', 'Boka', data],
      ['barnteam.foreslaTider', 'Föreslå nya tider', data],
    ]);
  });

  it('keeps the chosen slot and shows errors under their fields', () => {
    const card = renderBokaBarnteam(
      buildData({
        proposal: { status: 'tider', slots: sampleSlots },
        values: { agendaCaseIds: sampleOtherCase.caseId, slot: sampleSlots[1]?.start ?? '' },
        fieldErrors: { slot: 'Tiden är inte längre ledig för alla. Välj en annan tid.' },
      }),
    );
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    expect(inputById(card, 'slot').value).toBe(sampleSlots[1]?.start);
    expect(findElementAfterInput(card, 'slot')).toMatchObject({
      text: 'Tiden är inte längre ledig för alla. Välj en annan tid.',
      color: 'attention',
    });
    expect(findElementAfterInput(card, 'agendaCaseIds')?.color).not.toBe('attention');
  });

  it('says why no slot was found, and can ask again', () => {
    const message = 'Ingen tid inom de närmaste 14 arbetsdagarna där alla som krävs är lediga.';
    const card = renderBokaBarnteam(buildData({ proposal: { status: 'ingenTid', message } }));
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    const text = readCardText(card);
    expect(text).toContain('Ingen tid hittades');
    expect(text).toContain(message);
    expect(listInputs(card).map((input) => input.id)).toEqual(['agendaCaseIds']);
    expect(listExecuteActions(card).map((action) => action.verb)).toEqual(['barnteam.foreslaTider']);
  });

  it('says so when no child waits, with no action', () => {
    const card = renderBokaBarnteam(buildData({ waitingCases: [] }));
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    expect(listInputs(card)).toEqual([]);
    expect(listExecuteActions(card)).toEqual([]);
    expect(readCardText(card)).toContain('Inga barn väntar på Barnteam.');
  });

  it('refuses a child given by name instead of initials', () => {
    expect(() =>
      renderBokaBarnteam(
        buildData({
          waitingCases: [{ caseId: sampleCase.caseId, reference: sampleCase.reference, initials: 'Ella' }],
        }),
      ),
    ).toThrow(CardRenderError);
  });
});
