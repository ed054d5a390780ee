import { describe, expect, it } from 'vitest';
import { CardRenderError } from '../../../cards/render-template.js';
import { renderUpptackarkortKvitto } from '../../../cards/upptackt/upptackarkort-kvitto.js';
import { buildSampleKvitto, sampleRoutingReason, sampleUsers } from '../../fixtures/upptackt-card-samples.js';
import { findCardProblems, listExecuteActions, readCardText } from '../../support/card-validation.js';

const validation = { allowedVerbs: ['kvitto.visa', 'arende.oversikt'] };

describe('renderUpptackarkortKvitto', () => {
  it('gives the case reference, the path and who has the card', () => {
    const card = renderUpptackarkortKvitto(buildSampleKvitto());
    expect(findCardProblems(card, validation)).toEqual([]);
    const text = readCardText(card);
    expect(text).toContain('BB-4K7Q-2M9C');
    expect(text).toContain('Aktivera Barnkontakt');
    // Right after the submit nothing has been delivered yet: the receipt says the card is on its way.
    expect(text).toContain('Kortet är på väg till Barnkontakten Maria Lind (Rektor, Björkskolan).');
    expect(text).not.toContain('har fått kortet');
    expect(text).toContain(sampleRoutingReason);
    expect(text).toContain('Väntar på Barnkontakt');
  });

  it.each([
    ['levererat', 'Barnkontakten Maria Lind (Rektor, Björkskolan) har fått kortet.'],
    [
      'vantarPaInstallation',
      'Kortet har inte kommit fram till Barnkontakten Maria Lind (Rektor, Björkskolan) ännu, eftersom hen inte har appen Backa barnet i Teams. Det levereras så snart appen är installerad, och kommunens reservkontakt har fått besked.',
    ],
    [
      'kundeInteLevereras',
      'Kortet kunde inte levereras till Barnkontakten Maria Lind (Rektor, Björkskolan). Kommunens reservkontakt har fått besked och ser till att kortet når fram.',
    ],
  ] as const)('tells the truth about the delivery when it is %s', (delivery, expected) => {
    const text = readCardText(renderUpptackarkortKvitto(buildSampleKvitto({ delivery })));
    expect(text).toContain(expected);
  });

  it('calls the fallback contact kommunens reservkontakt, not Barnkontakten', () => {
    const text = readCardText(
      renderUpptackarkortKvitto(buildSampleKvitto({ viaFallback: true, delivery: 'levererat' })),
    );
    expect(text).toContain('Kommunens reservkontakt Maria Lind (Rektor, Björkskolan) har fått kortet.');
    expect(text).not.toContain('Barnkontakten Maria Lind');
  });

  it('names the child by first name and family initial, with no birth date or identity number', () => {
    const card = renderUpptackarkortKvitto(buildSampleKvitto());
    const text = readCardText(card);
    expect(text).toContain('Ella Å.');
    expect(text).not.toContain('Åström');
    expect(JSON.stringify(card)).not.toMatch(/2015|20150520/);
  });

  it('refreshes only for the Upptäckare, with kvitto.visa and the case id', () => {
    const card = renderUpptackarkortKvitto(buildSampleKvitto());
    expect(card.refresh).toEqual({
      action: {
        type: 'Action.Execute',
        title: 'Uppdatera',
        verb: 'kvitto.visa',
        data: { caseId: 'case-2026-0001' },
      },
      userIds: [sampleUsers.alex],
    });
    // The refresh, and the one button: the card's history (the case overview).
    expect(listExecuteActions(card).map((action) => [action.verb, action.data])).toEqual([
      ['kvitto.visa', { caseId: 'case-2026-0001' }],
      ['arende.oversikt', { caseId: 'case-2026-0001' }],
    ]);
  });

  it.each([
    [{ kind: 'vantarPaBarnkontakt' }, ['Väntar på Barnkontakt']],
    [
      { kind: 'mottaget', byName: 'Maria Lind', at: '2026-11-26T13:05:00.000Z' },
      ['Mottaget av Maria Lind den 26 november 2026', 'Barnkontakten har tagit emot ärendet'],
    ],
    [
      {
        kind: 'skickatVidare',
        to: { displayName: 'Sara Holm', title: 'Rektor', unitName: 'Lärkans förskola' },
        reason: 'Ella går fortfarande i förskolan.',
        at: '2026-11-26T13:05:00.000Z',
      },
      [
        'Skickat vidare till Sara Holm (Rektor, Lärkans förskola) den 26 november 2026',
        'Ella går fortfarande i förskolan.',
      ],
    ],
    [
      { kind: 'avbojt', reason: 'Familjen har redan stöd från elevhälsan.', at: '2026-11-27T07:00:00.000Z' },
      [
        'Avböjt den 27 november 2026',
        'Skäl: ',
        'Familjen har redan stöd från elevhälsan.',
        'Barnkontakten har avböjt kortet.',
      ],
    ],
  ] as const)('shows the status %o', (status, expected) => {
    const card = renderUpptackarkortKvitto(buildSampleKvitto({ status }));
    expect(findCardProblems(card, validation)).toEqual([]);
    const text = readCardText(card);
    for (const part of expected) {
      expect(text).toContain(part);
    }
    // Once the Barnkontakt has answered, the receipt no longer says an answer is coming.
    expect(text.includes('Du får besked här när kortet har besvarats')).toBe(
      status.kind === 'vantarPaBarnkontakt',
    );
  });

  it('tells an orosanmälan went to the social services intake with the card attached', () => {
    const card = renderUpptackarkortKvitto(
      buildSampleKvitto({
        path: 'orosanmalan',
        barnkontakt: undefined,
        routingReason: undefined,
        status: { kind: 'orosanmalanSkickad' },
      }),
    );
    expect(findCardProblems(card, validation)).toEqual([]);
    const text = readCardText(card);
    expect(text).toContain('Orosanmälan är skickad till Socialtjänstens mottagning med kortet bifogat.');
    expect(text).not.toContain('Varför kortet gick till den här Barnkontakten');
  });

  it('tells when the Upptäckare is reminded for stöd i egen verksamhet', () => {
    const card = renderUpptackarkortKvitto(
      buildSampleKvitto({
        path: 'stodIEgenVerksamhet',
        barnkontakt: undefined,
        routingReason: undefined,
        followUpDate: '2026-12-12',
        status: { kind: 'stodRegistrerat' },
      }),
    );
    expect(findCardProblems(card, validation)).toEqual([]);
    expect(readCardText(card)).toContain(
      'Stöd i egen verksamhet registrerat; du påminns den 12 december 2026.',
    );
  });

  it('shows a notice from the bot when there is one', () => {
    const card = renderUpptackarkortKvitto(
      buildSampleKvitto({ notice: 'Kortet är ännu inte mottaget. Barnkontakten har fått en påminnelse.' }),
    );
    expect(readCardText(card)).toContain(
      'Kortet är ännu inte mottaget. Barnkontakten har fått en påminnelse.',
    );
  });

  it('refuses an Aktivera Barnkontakt receipt without the Barnkontakt', () => {
    expect(() => renderUpptackarkortKvitto(buildSampleKvitto({ barnkontakt: undefined }))).toThrow(
      CardRenderError,
    );
  });
});
