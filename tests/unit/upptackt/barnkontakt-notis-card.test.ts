// biome-ignore-all lint/suspicious/noTemplateCurlyInString: user text containing ${…} is the input under test
import { describe, expect, it } from 'vitest';
import { renderBarnkontaktNotis } from '../../../cards/upptackt/barnkontakt-notis.js';
import { renderBarnkontaktNotisBesvarad } from '../../../cards/upptackt/barnkontakt-notis-besvarad.js';
import {
  buildSampleNotis,
  longObservation,
  sampleRoutingReason,
  sampleUsers,
} from '../../fixtures/upptackt-card-samples.js';
import {
  findCardProblems,
  listExecuteActions,
  listInputs,
  readCardText,
} from '../../support/card-validation.js';

const notisVerbs = ['arende.taEmot', 'arende.skickaVidare', 'arende.avboj', 'arende.visa'];
const validation = { allowedVerbs: notisVerbs };

describe('renderBarnkontaktNotis', () => {
  it('renders a card that the Adaptive Card object model accepts', () => {
    expect(findCardProblems(renderBarnkontaktNotis(buildSampleNotis()), validation)).toEqual([]);
  });

  it('carries the case id and ETag on every action, with the contract verbs', () => {
    const sample = buildSampleNotis();
    const card = renderBarnkontaktNotis(sample);
    const actions = listExecuteActions(card).filter((action) => action.verb !== 'arende.visa');
    expect(actions.map((action) => [action.verb, action.data])).toEqual([
      ['arende.taEmot', { caseId: sample.caseId, etag: sample.etag }],
      ['arende.skickaVidare', { caseId: sample.caseId, etag: sample.etag }],
      ['arende.avboj', { caseId: sample.caseId, etag: sample.etag }],
    ]);
    expect((card.actions as { title: string }[]).map((action) => action.title)).toEqual([
      'Ta emot',
      'Skicka vidare',
      'Avböj',
    ]);
  });

  it('asks for a target unit and a reason to forward, and a reason to decline', () => {
    const card = renderBarnkontaktNotis(buildSampleNotis());
    const inputs = listInputs(card);
    expect(inputs.map((input) => [input.id, input.isRequired])).toEqual([
      ['targetUnitId', true],
      ['forwardReason', true],
      ['declineReason', true],
    ]);
    expect(((inputs[0]?.choices ?? []) as { value: string }[]).map((choice) => choice.value)).toEqual([
      'ekens-skola',
      'larkans-forskola',
    ]);
  });

  it('leaves out Skicka vidare when there is no other unit to forward to', () => {
    const card = renderBarnkontaktNotis(buildSampleNotis({ forwardTargets: [] }));
    expect(findCardProblems(card, validation)).toEqual([]);
    expect((card.actions as { title: string }[]).map((action) => action.title)).toEqual(['Ta emot', 'Avböj']);
  });

  it('refreshes for the Barnkontakt and the deputy with arende.visa', () => {
    const card = renderBarnkontaktNotis(buildSampleNotis());
    expect(card.refresh).toEqual({
      action: {
        type: 'Action.Execute',
        title: 'Uppdatera',
        verb: 'arende.visa',
        data: { caseId: 'case-2026-0001' },
      },
      userIds: [sampleUsers.maria, sampleUsers.johan],
    });
  });

  it('shows what the Barnkontakt needs: child, age, unit, flagged areas, observation, Upptäckare, consent, reason', () => {
    const text = readCardText(renderBarnkontaktNotis(buildSampleNotis()));
    for (const expected of [
      'Nytt Upptäckarkort till dig som Barnkontakt',
      'BB-4K7Q-2M9C',
      'Ella Åström Öberg',
      '11 år, född 20 maj 2015',
      'Björkskolan',
      'Omsorg',
      'Kommer ofta utan matsäck och ytterkläder när det är kallt.',
      'Trött, somnar på lektionerna; säger att hon inte sover på nätterna.',
      'Tillhörighet',
      longObservation,
      'Upptäckaren har samtalat med vårdnadshavare.',
      'Alex Andersson',
      'Lärare',
      'Kommun',
      'Din egen organisation',
      'Muntligt samtycke från vårdnadshavare, registrerat av Alex Andersson den 26 november 2026.',
      sampleRoutingReason,
    ]) {
      expect(text).toContain(expected);
    }
    // Areas assessed "vet ej" are left out of the notification.
    expect(text).not.toContain('Trygghet');
    expect(text).not.toContain('Respekteras');
  });

  it('never shows the identity number, even when the caller passes it', () => {
    const sample = buildSampleNotis();
    const card = renderBarnkontaktNotis({
      ...sample,
      child: { ...sample.child, identityNumber: '201505202383' } as typeof sample.child,
    });
    expect(JSON.stringify(card)).not.toContain('2383');
  });

  it('marks a card from another organisation as external', () => {
    const sample = buildSampleNotis();
    const card = renderBarnkontaktNotis({
      ...sample,
      reporter: {
        ...sample.reporter,
        organisation: 'polis',
        role: 'Polis',
        unitName: undefined,
        external: true,
      },
    });
    expect(readCardText(card)).toContain('En annan organisation än din (externt kort)');
  });

  it('says so when no area is flagged', () => {
    const card = renderBarnkontaktNotis(
      buildSampleNotis({ areas: { omsorg: { assessment: 'fungerarBra' } } }),
    );
    expect(findCardProblems(card, validation)).toEqual([]);
    expect(readCardText(card)).toContain('Inget område är markerat som att det behöver stärkas.');
  });

  it('keeps markdown and bindings typed by the Upptäckare as plain text runs', () => {
    const observation = '**Viktigt** [klicka här](https://example.invalid) ${caseId}';
    const card = renderBarnkontaktNotis(buildSampleNotis({ observation }));
    expect(findCardProblems(card, validation)).toEqual([
      expect.stringMatching(/^unexpanded binding at body\[\d+\]\.inlines\[0\]\.text$/),
    ]);
    expect(findCardProblems(card, { ...validation, literalUserTexts: [observation] })).toEqual([]);
    const serialized = JSON.stringify(card);
    expect(serialized).toContain(
      '{"type":"TextRun","text":"**Viktigt** [klicka här](https://example.invalid) ${caseId}"}',
    );
  });
});

describe('renderBarnkontaktNotisBesvarad', () => {
  const base = {
    caseId: 'case-2026-0001',
    reference: 'BB-4K7Q-2M9C',
    child: { givenName: 'Ella', familyName: 'Åström Öberg' },
    unitName: 'Björkskolan',
  };
  const at = '2026-11-26T09:30:00.000Z';

  it.each([
    [
      { kind: 'mottaget', byName: 'Maria Lind', byViewer: true, at },
      'Du tog emot ärendet den 26 november 2026.',
    ],
    [
      { kind: 'mottaget', byName: 'Johan Ek', byViewer: false, at },
      'Ärendet togs emot av Johan Ek den 26 november 2026.',
    ],
    [
      {
        kind: 'skickatVidare',
        byName: 'Maria Lind',
        byViewer: false,
        at,
        toUnitName: 'Lärkans förskola',
        reason: 'Barnet går i förskolan.',
      },
      'Skickat vidare till Lärkans förskola av Maria Lind den 26 november 2026.',
    ],
    [
      {
        kind: 'avbojt',
        byName: 'Maria Lind',
        byViewer: true,
        at,
        reason: 'Vårdnadshavare tog tillbaka samtycket.',
      },
      'Du avböjde ärendet den 26 november 2026.',
    ],
  ] as const)('states what happened (%o) without any action button', (state, sentence) => {
    const card = renderBarnkontaktNotisBesvarad({ ...base, state });
    expect(findCardProblems(card, { allowedVerbs: notisVerbs })).toEqual([]);
    const text = readCardText(card);
    expect(text).toContain(sentence);
    if ('reason' in state) {
      expect(text).toContain(state.reason);
    }
    expect(card).not.toHaveProperty('actions');
    expect(listExecuteActions(card)).toEqual([]);
    expect(text).not.toContain('Kortet var inaktuellt');
  });

  it('explains a stale card and keeps refreshing for the given users', () => {
    const card = renderBarnkontaktNotisBesvarad({
      ...base,
      state: { kind: 'mottaget', byName: 'Johan Ek', byViewer: false, at },
      stale: true,
      refreshUserIds: [sampleUsers.maria, sampleUsers.johan],
    });
    expect(findCardProblems(card, { allowedVerbs: notisVerbs })).toEqual([]);
    expect(readCardText(card)).toContain('Kortet var inaktuellt; så här ser ärendet ut nu.');
    expect(card.refresh).toMatchObject({
      action: { verb: 'arende.visa' },
      userIds: [sampleUsers.maria, sampleUsers.johan],
    });
  });
});
