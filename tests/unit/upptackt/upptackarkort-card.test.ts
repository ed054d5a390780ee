import { describe, expect, it } from 'vitest';
import { CardRenderError } from '../../../cards/render-template.js';
import {
  createBlankUpptackarkortRenderer,
  renderUpptackarkort,
  type UpptackarkortInputId,
  upptackarkortInputIds,
} from '../../../cards/upptackt/upptackarkort.js';
import { compassAreaKeys } from '../../../flows/kernel/compass.js';
import { longObservation, sampleDraftId, sampleUnits } from '../../fixtures/upptackt-card-samples.js';
import {
  findCardProblems,
  findElementAfterInput,
  listExecuteActions,
  listInputs,
  readCardText,
} from '../../support/card-validation.js';

const allowedVerbs = ['upptackarkort.skicka'];

// The ids flows/upptackt/discovery-form.ts reads, typed out again so that a rename in the card fails here.
const contractIds = [
  'childGivenName',
  'childFamilyName',
  'childIdentityNumber',
  'childBirthDate',
  'childDueDate',
  'unitId',
  'firstBvcVisitDone',
  'attendsForskola',
  'forskolaStartDate',
  'schoolStartDate',
  'reporterOrganisation',
  'reporterRole',
  ...compassAreaKeys.flatMap((key) => [`area_${key}`, `areaComment_${key}`]),
  'observation',
  'talkedWithGuardian',
  'path',
  'verbalConsent',
  'consentGivenBy',
  'followUpDate',
];

const typedValues: Partial<Record<UpptackarkortInputId, string>> = {
  childGivenName: 'Ella',
  childFamilyName: 'Åström Öberg',
  childIdentityNumber: '20150520-238',
  childBirthDate: '2015-05-20',
  unitId: 'bjorkskolan',
  firstBvcVisitDone: 'ja',
  attendsForskola: 'nej',
  schoolStartDate: '2021-08-16',
  reporterOrganisation: 'kommun',
  reporterRole: 'Lärare i årskurs 5',
  area_omsorg: 'behoverStarkas',
  areaComment_omsorg: 'Kommer ofta utan matsäck.',
  area_fritid: 'fungerarBra',
  observation: longObservation,
  talkedWithGuardian: 'true',
  path: 'aktiveraBarnkontakt',
  verbalConsent: 'false',
  consentGivenBy: 'vardnadshavare',
};

function inputById(card: unknown, id: string): Record<string, unknown> {
  const input = listInputs(card).find((candidate) => candidate.id === id);
  if (!input) throw new Error(`no input ${id}`);
  return input;
}

describe('renderUpptackarkort', () => {
  it('renders a new card that the Adaptive Card object model accepts', () => {
    const card = renderUpptackarkort({ draftId: sampleDraftId, units: sampleUnits });
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
  });

  it('has exactly the inputs of the contract, in the card order', () => {
    const card = renderUpptackarkort({ draftId: sampleDraftId, units: sampleUnits });
    expect(listInputs(card).map((input) => input.id)).toEqual(contractIds);
    expect([...upptackarkortInputIds].sort()).toEqual([...contractIds].sort());
  });

  it('submits with the verb upptackarkort.skicka and the draft id', () => {
    const card = renderUpptackarkort({ draftId: sampleDraftId, units: sampleUnits });
    expect(listExecuteActions(card)).toEqual([
      expect.objectContaining({ verb: 'upptackarkort.skicka', data: { draftId: sampleDraftId } }),
    ]);
  });

  it('offers the choices of the contract with Swedish titles', () => {
    const card = renderUpptackarkort({ draftId: sampleDraftId, units: sampleUnits });
    const choices = (id: string) => inputById(card, id).choices as { title: string; value: string }[];
    expect(choices('unitId').map((choice) => choice.value)).toEqual(sampleUnits.map((unit) => unit.id));
    expect(inputById(card, 'unitId').style).toBe('filtered');
    expect(choices('reporterOrganisation').map((choice) => choice.value)).toEqual([
      'kommun',
      'region',
      'polis',
      'privat',
      'annan',
    ]);
    expect(choices('path')).toEqual([
      { title: 'Orosanmälan till socialtjänsten', value: 'orosanmalan' },
      { title: 'Stöd i egen verksamhet', value: 'stodIEgenVerksamhet' },
      { title: 'Aktivera Barnkontakt', value: 'aktiveraBarnkontakt' },
    ]);
    expect(inputById(card, 'path').style).toBe('expanded');
    expect(choices('consentGivenBy').map((choice) => choice.value)).toEqual(['vardnadshavare', 'barnet']);
    for (const key of compassAreaKeys) {
      const area = inputById(card, `area_${key}`);
      expect(area.style).toBe('compact');
      expect(area.value).toBe('vetEj');
      expect((area.choices as { title: string; value: string }[]).map((choice) => choice.title)).toEqual([
        'Behöver stärkas',
        'Fungerar bra',
        'Vet ej',
      ]);
      expect(inputById(card, `areaComment_${key}`).maxLength).toBe(500);
    }
    for (const toggle of ['talkedWithGuardian', 'verbalConsent']) {
      expect(inputById(card, toggle)).toMatchObject({ valueOn: 'true', valueOff: 'false', value: 'false' });
    }
  });

  it('asks about the first BVC visit and förskola with ja, nej and vet inte, vet inte until answered', () => {
    const card = renderUpptackarkort({ draftId: sampleDraftId, units: sampleUnits });
    expect(inputById(card, 'firstBvcVisitDone')).toMatchObject({
      type: 'Input.ChoiceSet',
      label: 'Har barnet varit på sitt första BVC-besök (hembesök eller besök på BVC)?',
      value: 'vetEj',
      choices: [
        { title: 'Ja', value: 'ja' },
        { title: 'Nej, inte än', value: 'nej' },
        { title: 'Vet inte', value: 'vetEj' },
      ],
    });
    expect(inputById(card, 'attendsForskola')).toMatchObject({
      type: 'Input.ChoiceSet',
      label: 'Går barnet i förskola?',
      value: 'vetEj',
      choices: [
        { title: 'Ja', value: 'ja' },
        { title: 'Nej', value: 'nej' },
        { title: 'Vet inte', value: 'vetEj' },
      ],
    });
    // A card sent when the first BVC visit was a toggle comes back with its "true" as Ja.
    const old = renderUpptackarkort({
      draftId: sampleDraftId,
      units: sampleUnits,
      values: { firstBvcVisitDone: 'true', attendsForskola: 'kanske' },
    });
    expect(inputById(old, 'firstBvcVisitDone').value).toBe('ja');
    expect(inputById(old, 'attendsForskola').value).toBe('vetEj');
  });

  it('shows the request to choose the unit of the child’s age band under the unit field, with the values kept', () => {
    const message =
      'Barnet är 6 år och går i grundskolan, så Barnkontakten är rektor på barnets skola. ' +
      'Lärkans förskola är en förskola. Välj barnets skola: Björkskolan eller Ekens skola. ' +
      'Har barnet inte börjat förskoleklass än, ange när barnet börjar skolan nedan.';
    const card = renderUpptackarkort({
      draftId: sampleDraftId,
      units: sampleUnits,
      values: typedValues,
      fieldErrors: { unitId: message },
    });
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    expect(findElementAfterInput(card, 'unitId')).toMatchObject({ text: message, color: 'attention' });
    expect(inputById(card, 'childGivenName').value).toBe('Ella');
    expect(inputById(card, 'attendsForskola').value).toBe('nej');
  });

  it("shows the eight areas with the child's words and the privacy line", () => {
    const text = readCardText(renderUpptackarkort({ draftId: sampleDraftId, units: sampleUnits }));
    for (const words of [
      'Jag har någon som bryr sig om mig',
      'Jag känner mig respekterad',
      'Jag gör mitt bästa',
    ]) {
      expect(text).toContain(words);
    }
    for (const heading of [
      'Barnet',
      'Enhet och inskolning',
      'Du som upptäcker',
      'Behovskompassen',
      'Vad har du sett?',
      'Väg vidare',
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).toContain('Skriv aldrig barnets namn i en kanal');
    expect(text).not.toContain('Kortet är inte skickat');
  });

  it('comes back after a bad submit with every typed value and each error right under its field', () => {
    const fieldErrors: Partial<Record<UpptackarkortInputId, string>> = {
      childIdentityNumber: 'Personnumret har för få siffror.',
      verbalConsent: 'Aktivera Barnkontakt kräver vårdnadshavares muntliga samtycke.',
      area_trygghet: 'Välj en bedömning.',
      areaComment_omsorg: 'Kommentaren får vara högst 500 tecken.',
    };
    const card = renderUpptackarkort({
      draftId: sampleDraftId,
      units: sampleUnits,
      values: typedValues,
      fieldErrors,
    });
    expect(findCardProblems(card, { allowedVerbs })).toEqual([]);
    for (const [id, value] of Object.entries(typedValues)) {
      expect(inputById(card, id).value, id).toBe(value);
    }
    for (const [id, message] of Object.entries(fieldErrors)) {
      expect(findElementAfterInput(card, id), id).toMatchObject({
        type: 'TextBlock',
        text: message,
        color: 'attention',
      });
    }
    expect(findElementAfterInput(card, 'childGivenName')?.color).not.toBe('attention');
    expect(readCardText(card)).toContain('Kortet är inte skickat. Rätta 4 fält markerade nedan.');
  });

  it('says "fältet" for a single error and shows a form error', () => {
    const card = renderUpptackarkort({
      draftId: sampleDraftId,
      units: sampleUnits,
      fieldErrors: { observation: 'Beskriv vad du har sett.' },
      formError: 'Något gick fel. Försök igen om en stund.',
    });
    expect(readCardText(card)).toContain(
      'Kortet är inte skickat. Rätta fältet som är markerat nedan. Något gick fel. Försök igen om en stund.',
    );
  });

  it('leaves a malformed date empty instead of breaking the date picker', () => {
    const card = renderUpptackarkort({
      draftId: sampleDraftId,
      units: sampleUnits,
      values: { childBirthDate: 'igår', followUpDate: '2026-12-12' },
      fieldErrors: { childBirthDate: 'Datum ska skrivas ÅÅÅÅ-MM-DD' },
    });
    expect(inputById(card, 'childBirthDate').value).toBe('');
    expect(inputById(card, 'followUpDate').value).toBe('2026-12-12');
  });

  it('refuses values or errors for inputs the card does not have', () => {
    expect(() =>
      renderUpptackarkort({
        draftId: sampleDraftId,
        units: sampleUnits,
        fieldErrors: { childName: 'x' } as never,
      }),
    ).toThrow(CardRenderError);
    expect(() => renderUpptackarkort({ draftId: 'inte-ett-uuid', units: sampleUnits })).toThrow(/draftId/);
  });
});

describe('createBlankUpptackarkortRenderer', () => {
  it('gives exactly the card the full render gives, with this turn’s draft id', () => {
    const renderBlank = createBlankUpptackarkortRenderer(sampleUnits);
    const otherDraftId = '6f1c2d3e-4b5a-5c6d-8e7f-8091a2b3c4d5';

    expect(renderBlank(sampleDraftId)).toEqual(
      renderUpptackarkort({ draftId: sampleDraftId, units: sampleUnits }),
    );
    expect(renderBlank(otherDraftId)).toEqual(
      renderUpptackarkort({ draftId: otherDraftId, units: sampleUnits }),
    );
    // The earlier card keeps its own id: only the shared, unchanging parts are reused.
    expect(JSON.stringify(renderBlank(sampleDraftId))).toContain(sampleDraftId);
  });

  it('refuses a change to the parts every card shares, so one turn cannot change the next card', () => {
    const renderBlank = createBlankUpptackarkortRenderer(sampleUnits);
    const first = renderBlank(sampleDraftId);
    expect(() => {
      (first.body as unknown[]).length = 0;
    }).toThrow(TypeError);
    expect(renderBlank(sampleDraftId)).toEqual(
      renderUpptackarkort({ draftId: sampleDraftId, units: sampleUnits }),
    );
  });

  it('sends a draft id that is not a UUID through the full render, which refuses it', () => {
    const renderBlank = createBlankUpptackarkortRenderer(sampleUnits);
    // A quote and a binding: either could break out of the JSON text or expand.
    expect(() => renderBlank(['"}],"x":"', '${', 'evil}'].join(''))).toThrow(CardRenderError);
  });
});
