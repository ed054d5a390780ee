// biome-ignore-all lint/suspicious/noTemplateCurlyInString: user text containing ${…} is the input under test
import { describe, expect, it } from 'vitest';
import { CardRenderError } from '../../../cards/render-template.js';
import { renderSamtycke, type SamtyckeData } from '../../../cards/samtycke/samtycke.js';
import { bindingLookalike, sampleCase } from '../../fixtures/samtal-barnteam-card-samples.js';
import {
  findCardProblems,
  findElementAfterInput,
  listExecuteActions,
  listInputs,
  readCardText,
} from '../../support/card-validation.js';

const allowedVerbs = ['samtycke.registrera', 'samtycke.aterkalla'];

function buildData(overrides: Partial<SamtyckeData> = {}): SamtyckeData {
  return {
    caseId: sampleCase.caseId,
    etag: sampleCase.etag,
    reference: sampleCase.reference,
    child: sampleCase.child,
    recorded: [
      {
        step: 'muntligt',
        givenBy: ['vardnadshavare'],
        at: '2026-03-02T08:10:00.000Z',
        recordedByName: 'Alex Andersson',
      },
    ],
    suggestedStep: 'skriftligt',
    ...overrides,
  };
}

function inputById(card: unknown, id: string): Record<string, unknown> {
  const input = listInputs(card).find((candidate) => candidate.id === id);
  if (!input) throw new Error(`no input ${id}`);
  return input;
}

describe('renderSamtycke', () => {
  it('renders a card that the Adaptive Card object model accepts', () => {
    expect(findCardProblems(renderSamtycke(buildData()), { allowedVerbs })).toEqual([]);
  });

  it('offers the three steps, each with what it gates, and preselects the suggested one', () => {
    const card = renderSamtycke(buildData());
    const step = inputById(card, 'step');
    expect(step).toMatchObject({ style: 'expanded', value: 'skriftligt' });
    expect(
      (step.choices as { value: string; title: string }[]).map((choice) => [choice.value, choice.title]),
    ).toEqual([
      ['muntligt', 'Muntligt samtycke inför Aktivering av Barnkontakt'],
      ['skriftligt', 'Skriftligt samtycke inför Barnteam'],
      ['uppdateratSkriftligt', 'Uppdaterat skriftligt samtycke inför Individuellt barnteam'],
    ]);
    const text = readCardText(card);
    expect(text).toContain('krävs innan Barnkontakten aktiveras');
    expect(text).toContain('krävs innan barnet kan tas upp i Barnteam');
    expect(text).toContain('krävs innan ett Individuellt barnteam kan startas');
    expect(inputById(card, 'givenBy')).toMatchObject({ isMultiSelect: true, style: 'expanded' });
    expect(String(inputById(card, 'documentReference').label)).toContain(
      'krävs för skriftligt och uppdaterat skriftligt samtycke',
    );
  });

  it('lists recorded consents and a withdrawn one as withdrawn', () => {
    const card = renderSamtycke(
      buildData({
        recorded: [
          {
            step: 'muntligt',
            givenBy: ['vardnadshavare', 'barnet'],
            at: '2026-03-02T08:10:00.000Z',
            recordedByName: 'Alex Andersson',
            withdrawal: { at: '2026-03-20T09:00:00.000Z', by: 'vardnadshavare' },
          },
        ],
      }),
    );
    const text = readCardText(card);
    expect(text).toContain(
      'gett av vårdnadshavare och barnet, registrerat av Alex Andersson den 2 mars 2026',
    );
    expect(text).toContain('återkallat av vårdnadshavare den 20 mars 2026');
    // Nothing left in force: nothing to withdraw.
    expect((card.actions as { title: string }[]).map((action) => action.title)).toEqual([
      'Registrera samtycke',
    ]);
  });

  it('registers and withdraws with the case id and ETag; withdrawal asks who and a confirmation', () => {
    const card = renderSamtycke(buildData());
    expect(listExecuteActions(card).map((action) => [action.verb, action.data])).toEqual([
      ['samtycke.registrera', { caseId: sampleCase.caseId, etag: sampleCase.etag }],
      ['samtycke.aterkalla', { caseId: sampleCase.caseId, etag: sampleCase.etag }],
    ]);
    expect(inputById(card, 'withdrawnBy')).toMatchObject({ isRequired: true });
    expect(inputById(card, 'withdrawalConfirmed')).toMatchObject({
      isRequired: true,
      valueOn: 'true',
      value: 'false',
    });
    // A required registration field would block the withdrawal form (same parent card).
    for (const id of ['step', 'givenBy', 'scope', 'documentReference']) {
      expect(inputById(card, id).isRequired, id).toBeUndefined();
    }
  });

  it('comes back with the typed values and each error under its field; user text stays literal', () => {
    const values = {
      step: 'skriftligt',
      givenBy: 'vardnadshavare,barnet',
      scope: `Björkskolan, socialtjänsten och BVC får dela uppgifter om Ella. ${bindingLookalike}`,
      documentReference: '',
    };
    const fieldErrors = {
      documentReference:
        'Ange var den undertecknade samtyckesblanketten finns (dokument-id eller arkivhänvisning): ett skriftligt samtycke kan inte registreras utan den.',
    };
    const card = renderSamtycke(buildData({ values, fieldErrors }));
    expect(findCardProblems(card, { allowedVerbs, literalUserTexts: [values.scope] })).toEqual([]);
    for (const [id, value] of Object.entries(values)) {
      expect(inputById(card, id).value, id).toBe(value);
    }
    expect(findElementAfterInput(card, 'documentReference')).toMatchObject({
      text: fieldErrors.documentReference,
      color: 'attention',
    });
    expect(findElementAfterInput(card, 'scope')?.color).not.toBe('attention');
    expect(readCardText(card)).toContain('Inget är sparat. Rätta fältet som är markerat nedan.');
  });

  it('refuses data for inputs the card does not have', () => {
    expect(() => renderSamtycke(buildData({ fieldErrors: { personnummer: 'x' } as never }))).toThrow(
      CardRenderError,
    );
  });
});
