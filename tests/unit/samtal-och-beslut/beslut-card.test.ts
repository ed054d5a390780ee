// biome-ignore-all lint/suspicious/noTemplateCurlyInString: user text containing ${…} is the input under test
import { describe, expect, it } from 'vitest';
import {
  type BeslutCardData,
  beslutInputIds,
  renderBeslut,
} from '../../../cards/samtal-och-beslut/beslut.js';
import { bindingLookalike, sampleCase } from '../../fixtures/samtal-barnteam-card-samples.js';
import {
  findCardProblems,
  findElementAfterInput,
  listExecuteActions,
  listInputs,
  readCardText,
} from '../../support/card-validation.js';

const allowedVerbs = ['beslut.spara'];

// Typed out from DOMAIN.md, so that a rephrased question fails here; in the order of the
// principles they ask about (Princip 1–4), which is how the card lists them.
const questions = [
  'Är barnets bästa i fokus?',
  'Är detta tidig insats eller kunde vi gjort mer tidigare i barnets liv?',
  'Värnar vi nu om hela barnets situation eller bara den del vi är ansvarig för?',
  'Har vi en gemensam plan?',
];
const blockedReason =
  'Skriftligt samtycke saknas: registrera vårdnadshavares skriftliga samtycke innan barnet kan tas upp i Barnteam.';

function buildData(overrides: Partial<BeslutCardData> = {}): BeslutCardData {
  return {
    caseId: sampleCase.caseId,
    etag: sampleCase.etag,
    reference: sampleCase.reference,
    child: sampleCase.child,
    ...overrides,
  };
}

function inputById(card: unknown, id: string): Record<string, unknown> {
  const input = listInputs(card).find((candidate) => candidate.id === id);
  if (!input) throw new Error(`no input ${id}`);
  return input;
}

const choiceValues = (input: Record<string, unknown>) =>
  (input.choices as { value: string }[]).map((choice) => choice.value);

describe('renderBeslut', () => {
  it('always asks the four guiding-principle questions, each required ja / nej / delvis', () => {
    const card = renderBeslut(buildData());
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    expect(listInputs(card).map((input) => input.id)).toEqual([...beslutInputIds]);
    const principleInputs = listInputs(card).filter((input) => String(input.id).startsWith('principle_'));
    expect(principleInputs.map((input) => input.label)).toEqual(questions);
    for (const input of principleInputs) {
      expect(input).toMatchObject({ isRequired: true, style: 'expanded', value: '' });
      expect(choiceValues(input)).toEqual(['ja', 'nej', 'delvis']);
    }
    const text = readCardText(card);
    const positions = [1, 2, 3, 4].map((number) => text.indexOf(`Princip ${number}:`));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('offers the four decisions and asks for a follow-up date for stöd i egen verksamhet', () => {
    const card = renderBeslut(buildData());
    expect(inputById(card, 'decision')).toMatchObject({ isRequired: true, style: 'expanded' });
    expect(inputById(card, 'decision').choices).toEqual([
      { title: 'Stöd i egen verksamhet', value: 'stodIEgenVerksamhet' },
      { title: 'Lyft till Barnteam', value: 'barnteam' },
      { title: 'Orosanmälan till socialtjänsten', value: 'orosanmalan' },
      { title: 'Barnets behov är uppfyllt', value: 'behovUppfyllt' },
    ]);
    expect(inputById(card, 'followUpDate').label).toContain('krävs för Stöd i egen verksamhet');
    expect(readCardText(card)).not.toContain('kan inte väljas ännu');
  });

  it('shows Barnteam as not yet possible, with the reason, when written consent is missing', () => {
    const card = renderBeslut(
      buildData({ barnteamBlockedReason: blockedReason, values: { decision: 'barnteam' } }),
    );
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    expect(choiceValues(inputById(card, 'decision'))).toEqual([
      'stodIEgenVerksamhet',
      'orosanmalan',
      'behovUppfyllt',
    ]);
    expect(inputById(card, 'decision').value).toBe('');
    const text = readCardText(card);
    expect(text).toContain('Lyft till Barnteam kan inte väljas ännu');
    expect(text).toContain(blockedReason);
    expect(listInputs(card).filter((input) => String(input.id).startsWith('principle_'))).toHaveLength(4);
  });

  it('saves with the case id and ETag', () => {
    expect(listExecuteActions(renderBeslut(buildData())).map((a) => [a.verb, a.data])).toEqual([
      ['beslut.spara', { caseId: sampleCase.caseId, etag: sampleCase.etag }],
    ]);
  });

  it('comes back with typed values and errors under their fields, user text literal', () => {
    const note = `Familjen vill ha stöd av skolkuratorn. ${bindingLookalike}`;
    const values = {
      principle_tidigInsats: 'delvis',
      principleComment_tidigInsats: 'Kunde ha fångats upp i förskoleklass.',
      principle_barnetsBasta: 'ja',
      decision: 'stodIEgenVerksamhet',
      followUpDate: '2026-06-15',
      note,
    };
    const fieldErrors = {
      principle_helaSituationen: 'Svara ja, nej eller delvis.',
      principle_gemensamPlan: 'Svara ja, nej eller delvis.',
      followUpDate: 'Uppföljningsdatumet ska ligga efter dagens datum.',
    };
    const card = renderBeslut(buildData({ values, fieldErrors }));
    expect(findCardProblems(card, { allowedVerbs, literalUserTexts: [note] })).toEqual([]);
    for (const [id, value] of Object.entries(values)) {
      expect(inputById(card, id).value, id).toBe(value);
    }
    for (const [id, message] of Object.entries(fieldErrors)) {
      expect(findElementAfterInput(card, id), id).toMatchObject({ text: message, color: 'attention' });
    }
    expect(findElementAfterInput(card, 'principle_barnetsBasta')?.color).not.toBe('attention');
    expect(readCardText(card)).toContain('Inget är sparat. Rätta 3 fält markerade nedan.');
  });
});
