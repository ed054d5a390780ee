// biome-ignore-all lint/suspicious/noTemplateCurlyInString: user text containing ${…} is the input under test
import { describe, expect, it } from 'vitest';
import {
  renderSkattningsformular,
  type SkattningsformularData,
  skattningsformularInputIds,
} from '../../../cards/barnteam/skattningsformular.js';
import { CardRenderError } from '../../../cards/render-template.js';
import { compassAreaKeys } from '../../../flows/kernel/compass.js';
import {
  bindingLookalike,
  sampleCase,
  sampleChildIdentity,
  sampleMeeting,
} from '../../fixtures/samtal-barnteam-card-samples.js';
import {
  findCardProblems,
  findElementAfterInput,
  listExecuteActions,
  listInputs,
  readCardText,
} from '../../support/card-validation.js';

const allowedVerbs = ['skattning.spara'];

function buildData(overrides: Partial<SkattningsformularData> = {}): SkattningsformularData {
  return {
    meetingId: sampleMeeting.meetingId,
    caseId: sampleCase.caseId,
    etag: sampleMeeting.etag,
    reference: sampleCase.reference,
    initials: sampleCase.initials,
    teamName: sampleMeeting.teamName,
    timeLabel: sampleMeeting.label,
    raterRole: 'Elevhälsan',
    ...overrides,
  };
}

function inputById(card: unknown, id: string): Record<string, unknown> {
  const input = listInputs(card).find((candidate) => candidate.id === id);
  if (!input) throw new Error(`no input ${id}`);
  return input;
}

describe('renderSkattningsformular', () => {
  it('asks for a rating with faces and a comment on all eight areas, starting at vet ej', () => {
    const card = renderSkattningsformular(buildData());
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    expect(listInputs(card).map((input) => input.id)).toEqual(
      compassAreaKeys.flatMap((key) => [`rating_${key}`, `comment_${key}`]),
    );
    expect([...skattningsformularInputIds]).toHaveLength(16);
    for (const key of compassAreaKeys) {
      const rating = inputById(card, `rating_${key}`);
      expect(rating).toMatchObject({ style: 'compact', value: 'vetEj' });
      expect((rating.choices as { title: string }[]).map((choice) => choice.title)).toEqual([
        '😢 1 – Behöver stärkas mycket',
        '🙁 2 – Behöver stärkas',
        '😐 3 – Både och',
        '🙂 4 – Fungerar bra',
        '😄 5 – Fungerar mycket bra',
        '❔ Vet ej',
      ]);
    }
    const text = readCardText(card);
    expect(text).toContain('E.Å. (BB-4K7Q-2M9C)');
    expect(text).toContain('Elevhälsan');
    expect(text).toContain('Tillhörighet');
    expect(text).toContain('Jag får vara med');
  });

  it('saves with the meeting id, case id and ETag', () => {
    expect(listExecuteActions(renderSkattningsformular(buildData())).map((a) => [a.verb, a.data])).toEqual([
      [
        'skattning.spara',
        {
          meetingId: sampleMeeting.meetingId,
          caseId: sampleCase.caseId,
          etag: sampleMeeting.etag,
          forMember: '',
          replacesRecordedAt: '',
        },
      ],
    ]);
  });

  it('for the convener recording for a member: names both, and saves with the member’s key', () => {
    const card = renderSkattningsformular(
      buildData({
        raterRole: 'Polisen',
        onBehalf: {
          memberKey: 'kontakt:kommunpolis-exempelby',
          memberName: 'Anna Berg',
          convenerName: 'Maria Lind',
        },
      }),
    );
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    const text = readCardText(card);
    expect(text).toContain('Skattningsformulär för Anna Berg');
    expect(text).toContain('Registreras för');
    expect(text).toContain('Anna Berg (Polisen)');
    expect(text).toContain('Registreras av');
    expect(text).toContain('Maria Lind');
    expect(text).toContain('visas som registrerad av dig för Anna Berg');
    expect(text).not.toContain('Du skattar som');
    const [save] = listExecuteActions(card);
    expect(save?.title).toBe('Spara för Anna Berg');
    expect(save?.data).toMatchObject({ forMember: 'kontakt:kommunpolis-exempelby', replacesRecordedAt: '' });
  });

  it('for a member whose answer the convener recorded: says who and when, and saves naming that answer', () => {
    const recordedAt = '2026-04-07T08:15:00.000Z';
    const card = renderSkattningsformular(
      buildData({ recordedForYou: { byName: 'Maria Lind', recordedAt }, values: { rating_omsorg: '2' } }),
    );
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    expect(readCardText(card)).toContain(
      'Maria Lind registrerade din skattning 7 april 2026, och den gäller nu. Den visas nedan. Sparar du formuläret ersätter din egen skattning den registrerade.',
    );
    expect(inputById(card, 'rating_omsorg').value).toBe('2');
    expect(listExecuteActions(card)[0]?.data).toMatchObject({
      forMember: '',
      replacesRecordedAt: recordedAt,
    });
  });

  it('shows the child by initials and reference only', () => {
    const json = JSON.stringify(renderSkattningsformular(buildData()));
    for (const identity of sampleChildIdentity) {
      expect(json, identity).not.toContain(identity);
    }
    expect(() => renderSkattningsformular(buildData({ initials: 'Ella' }))).toThrow(CardRenderError);
  });

  it('comes back with typed values and errors under their fields, user text literal', () => {
    const comment = `Har sett henne ensam på rasterna. ${bindingLookalike}`;
    const values = { rating_tillhorighet: '2', comment_tillhorighet: comment, rating_fritid: '5' };
    const fieldErrors = { comment_maBra: 'Kommentaren får vara högst 1000 tecken.' };
    const card = renderSkattningsformular(buildData({ values, fieldErrors }));
    expect(findCardProblems(card, { allowedVerbs, literalUserTexts: [comment] })).toEqual([]);
    for (const [id, value] of Object.entries(values)) {
      expect(inputById(card, id).value, id).toBe(value);
    }
    expect(inputById(card, 'rating_omsorg').value).toBe('vetEj');
    expect(findElementAfterInput(card, 'comment_maBra')).toMatchObject({
      text: 'Kommentaren får vara högst 1000 tecken.',
      color: 'attention',
    });
    expect(findElementAfterInput(card, 'comment_tillhorighet')?.color).not.toBe('attention');
    expect(readCardText(card)).toContain('Inget är sparat. Rätta fältet som är markerat nedan.');
  });
});
