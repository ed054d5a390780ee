import { describe, expect, it } from 'vitest';
import {
  type BarnteamPaminnelseData,
  renderBarnteamPaminnelse,
} from '../../../cards/barnteam/barnteam-paminnelse.js';
import { CardRenderError } from '../../../cards/render-template.js';
import {
  sampleCase,
  sampleChildIdentity,
  sampleDagordning,
  sampleMeeting,
  sampleOtherCase,
} from '../../fixtures/samtal-barnteam-card-samples.js';
import {
  findCardProblems,
  listExecuteActions,
  listInputs,
  readCardText,
} from '../../support/card-validation.js';

const allowedVerbs = ['skattning.oppna'];

function buildData(overrides: Partial<BarnteamPaminnelseData> = {}): BarnteamPaminnelseData {
  return {
    meetingId: sampleMeeting.meetingId,
    etag: sampleMeeting.etag,
    teamName: sampleMeeting.teamName,
    when: 'dagenFore',
    timeLabel: sampleMeeting.label,
    joinUrl: sampleMeeting.joinUrl,
    dagordning: sampleDagordning,
    agenda: [
      { caseId: sampleCase.caseId, reference: sampleCase.reference, initials: sampleCase.initials },
      sampleOtherCase,
    ],
    ...overrides,
  };
}

describe('renderBarnteamPaminnelse', () => {
  it('reminds the day before with the time, the join link and the dagordning', () => {
    const card = renderBarnteamPaminnelse(buildData());
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    expect(listInputs(card)).toEqual([]);
    const text = readCardText(card);
    expect(text).toContain('Påminnelse: Barnteam i morgon');
    expect(text).toContain('tisdag 7 april 2026 kl. 09:00–10:00');
    expect(text).toContain(
      '4. Gemensam skattning med Skattningsformuläret och den gemensamma behovskompassen',
    );
    expect(card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Anslut till mötet', url: sampleMeeting.joinUrl },
    ]);
  });

  it('says "om en timme" for the late reminder', () => {
    expect(readCardText(renderBarnteamPaminnelse(buildData({ when: 'omEnTimme' })))).toContain(
      'Påminnelse: Barnteam om en timme',
    );
  });

  it('has a Skattningsformulär button per child, carrying the meeting id, case id and ETag', () => {
    const card = renderBarnteamPaminnelse(buildData());
    expect(listExecuteActions(card).map((action) => [action.verb, action.title, action.data])).toEqual([
      [
        'skattning.oppna',
        'Fyll i skattning för BB-4K7Q-2M9C (E.Å.)',
        { meetingId: sampleMeeting.meetingId, caseId: sampleCase.caseId, etag: sampleMeeting.etag },
      ],
      [
        'skattning.oppna',
        'Fyll i skattning för BB-7TQ3-9XHD (M.K.)',
        { meetingId: sampleMeeting.meetingId, caseId: sampleOtherCase.caseId, etag: sampleMeeting.etag },
      ],
    ]);
  });

  it('never carries the child name or identity number', () => {
    const json = JSON.stringify(renderBarnteamPaminnelse(buildData()));
    for (const identity of sampleChildIdentity) {
      expect(json, identity).not.toContain(identity);
    }
    expect(() =>
      renderBarnteamPaminnelse(
        buildData({
          agenda: [{ caseId: sampleCase.caseId, reference: sampleCase.reference, initials: 'ella' }],
        }),
      ),
    ).toThrow(CardRenderError);
  });
});
