// biome-ignore-all lint/suspicious/noTemplateCurlyInString: user text containing ${…} is the input under test
import { describe, expect, it } from 'vitest';
import { renderSamtal, type SamtalData, samtalInputIds } from '../../../cards/samtal-och-beslut/samtal.js';
import { compassAreaKeys } from '../../../flows/kernel/compass.js';
import {
  bindingLookalike,
  sampleCase,
  sampleComparison,
} from '../../fixtures/samtal-barnteam-card-samples.js';
import {
  findCardProblems,
  findElementAfterInput,
  listExecuteActions,
  listInputs,
  readCardText,
} from '../../support/card-validation.js';

const allowedVerbs = ['samtal.spara'];
const draftId = '3f2a9c1e-5b7d-4e8f-9a01-23456789abcd';

function buildData(overrides: Partial<SamtalData> = {}): SamtalData {
  return {
    caseId: sampleCase.caseId,
    etag: sampleCase.etag,
    draftId,
    reference: sampleCase.reference,
    child: sampleCase.child,
    today: '2026-05-12',
    underlagSuggestion: { version: '6-12', reason: 'Barnet är 10 år: Samtalsunderlag 6-12 år.' },
    ...overrides,
  };
}

function inputById(card: unknown, id: string): Record<string, unknown> {
  const input = listInputs(card).find((candidate) => candidate.id === id);
  if (!input) throw new Error(`no input ${id}`);
  return input;
}

describe('renderSamtal', () => {
  it('renders a valid card with both perspectives for all eight areas', () => {
    const card = renderSamtal(buildData());
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    expect(listInputs(card).map((input) => input.id)).toEqual([...samtalInputIds]);
    for (const key of compassAreaKeys) {
      for (const perspective of ['barnet', 'vardnadshavare']) {
        const rating = inputById(card, `rating_${perspective}_${key}`);
        expect(rating).toMatchObject({ style: 'compact', value: 'vetEj' });
        expect((rating.choices as { title: string; value: string }[]).map((choice) => choice.value)).toEqual([
          '1',
          '2',
          '3',
          '4',
          '5',
          'vetEj',
        ]);
        expect(inputById(card, `comment_${perspective}_${key}`).maxLength).toBe(1000);
      }
    }
    const titles = (inputById(card, 'rating_barnet_omsorg').choices as { title: string }[]).map(
      (c) => c.title,
    );
    expect(titles[0]).toBe('😢 1 – Behöver stärkas mycket');
    expect(titles[5]).toBe('❔ Vet ej');
    const text = readCardText(card);
    expect(text).toContain('Må bra');
    expect(text).toContain('Jag tar ansvar för mig själv och andra');
  });

  it('preselects the Samtalsunderlag for the age and today, and lets it be changed', () => {
    const card = renderSamtal(buildData());
    expect(inputById(card, 'underlag')).toMatchObject({ value: '6-12', style: 'compact' });
    expect((inputById(card, 'underlag').choices as { value: string }[]).map((c) => c.value)).toEqual([
      '4-6',
      '6-12',
      '12+',
    ]);
    expect(inputById(card, 'heldOn').value).toBe('2026-05-12');
    expect(inputById(card, 'kind').value).toBe('barnsamtal');
    expect(inputById(card, 'perspectives').value).toBe('barnet,vardnadshavare');
    expect(readCardText(card)).toContain('Barnet är 10 år: Samtalsunderlag 6-12 år.');
    const young = renderSamtal(
      buildData({
        underlagSuggestion: {
          reason: 'Barnet är 3 år: det finns inget Samtalsunderlag för barn under 4 år.',
        },
      }),
    );
    expect(inputById(young, 'underlag').value).toBe('');
    expect(findCardProblems(young, { allowedVerbs })).toEqual([]);
  });

  it('shows per area the latest ratings and the change since the talk before', () => {
    if (sampleComparison === undefined) throw new Error('no comparison');
    const card = renderSamtal(
      buildData({
        earlier: { heldOn: '2026-05-12', kind: 'uppfoljningssamtal', areas: [...sampleComparison.areas] },
      }),
    );
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    expect(inputById(card, 'kind').value).toBe('uppfoljningssamtal');
    const text = readCardText(card);
    expect(text).toContain('Jämförelse med förra samtalet: uppföljningssamtal den 12 maj 2026');
    // Omsorg: child 2 → 3 (up), guardian 3 → 3 (same).
    expect(text).toContain('Barnet 😐 3 ↑ · Vårdnadshavare 😐 3 =');
    // Trygghet: guardian 2 → 3; Må bra: guardian 2 → 1.
    expect(text).toContain('Barnet 😢 1 = · Vårdnadshavare 😐 3 ↑');
    expect(text).toContain('Barnet 😐 3 ↑ · Vårdnadshavare 😢 1 ↓');
    // Ansvar: the child answered "vet ej" now: no arrow.
    expect(text).toContain('Barnet ❔ vet ej · Vårdnadshavare 😐 3 =');
  });

  it('saves with the case id, ETag and draft id', () => {
    expect(listExecuteActions(renderSamtal(buildData())).map((a) => [a.verb, a.data])).toEqual([
      ['samtal.spara', { caseId: sampleCase.caseId, etag: sampleCase.etag, draftId }],
    ]);
  });

  it('comes back with typed values and errors under their fields, user text literal', () => {
    const comment = `Ella säger: "jag vill inte gå hem". ${bindingLookalike}`;
    const values = {
      kind: 'uppfoljningssamtal',
      heldOn: 'igår',
      perspectives: 'barnet',
      underlag: '12+',
      rating_barnet_trygghet: '1',
      comment_barnet_trygghet: comment,
      rating_vardnadshavare_utvecklas: '5',
    };
    const fieldErrors = {
      heldOn: 'Datum ska skrivas ÅÅÅÅ-MM-DD',
      rating_vardnadshavare_utvecklas: 'Vårdnadshavaren var inte med i samtalet.',
    };
    const card = renderSamtal(buildData({ values, fieldErrors }));
    expect(findCardProblems(card, { allowedVerbs, literalUserTexts: [comment] })).toEqual([]);
    expect(inputById(card, 'heldOn').value).toBe('');
    for (const [id, value] of Object.entries(values).filter(([id]) => id !== 'heldOn')) {
      expect(inputById(card, id).value, id).toBe(value);
    }
    for (const [id, message] of Object.entries(fieldErrors)) {
      expect(findElementAfterInput(card, id), id).toMatchObject({ text: message, color: 'attention' });
    }
    expect(findElementAfterInput(card, 'rating_barnet_trygghet')?.color).not.toBe('attention');
    expect(readCardText(card)).toContain('Inget är sparat. Rätta 2 fält markerade nedan.');
  });
});
