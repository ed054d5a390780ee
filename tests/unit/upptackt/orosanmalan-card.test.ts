import { describe, expect, it } from 'vitest';
import { CardRenderError } from '../../../cards/render-template.js';
import {
  escapeMarkdown,
  renderOrosanmalan,
  renderOrosanmalanText,
} from '../../../cards/upptackt/orosanmalan.js';
import { compassAreas } from '../../../flows/kernel/compass.js';
import { buildSampleOrosanmalan, longObservation } from '../../fixtures/upptackt-card-samples.js';
import {
  findCardProblems,
  listExecuteActions,
  listInputs,
  readCardText,
} from '../../support/card-validation.js';

describe('renderOrosanmalan', () => {
  it('renders a read-only card that the Adaptive Card object model accepts', () => {
    const card = renderOrosanmalan(buildSampleOrosanmalan());
    expect(findCardProblems(card, { allowedVerbs: [] })).toEqual([]);
    expect(listInputs(card)).toEqual([]);
    expect(listExecuteActions(card)).toEqual([]);
  });

  it('attaches the whole Upptäckarkort: child with identity number, all eight areas, observation, filer', () => {
    const text = readCardText(renderOrosanmalan(buildSampleOrosanmalan()));
    for (const expected of [
      'Orosanmälan med bifogat Upptäckarkort',
      'BB-7HXK-3P2D',
      'Ella Åström Öberg',
      '20150520-2383',
      '11 år, född 20 maj 2015',
      'Björkskolan',
      'Kommer ofta utan matsäck och ytterkläder när det är kallt.',
      'Spelar fotboll i Exempelby IF två kvällar i veckan.',
      longObservation,
      'Upptäckaren har inte samtalat med vårdnadshavare.',
      'Alex Andersson',
      'Lärare',
      'Kommun',
      'alex.andersson@exempelby.se',
    ]) {
      expect(text).toContain(expected);
    }
    for (const area of compassAreas) {
      expect(text).toContain(area.name);
      expect(text).toContain(area.childWords);
    }
    expect(text.match(/Behöver stärkas/g)).toHaveLength(3);
    expect(text.match(/Fungerar bra/g)).toHaveLength(3);
    expect(text.match(/Vet ej/g)).toHaveLength(2);
  });

  it('says so when the identity number is missing', () => {
    const sample = buildSampleOrosanmalan();
    const text = readCardText(
      renderOrosanmalan({ ...sample, child: { givenName: 'Ella', familyName: '', dueDate: '2027-03-03' } }),
    );
    expect(text).toContain('Saknas på kortet');
    expect(text).toContain('Ofött barn, beräknat 3 mars 2027');
  });
});

describe('renderOrosanmalanText', () => {
  it('prints the same content as Markdown', () => {
    const text = renderOrosanmalanText(buildSampleOrosanmalan());
    expect(text.startsWith('# Orosanmälan med bifogat Upptäckarkort\n')).toBe(true);
    for (const expected of [
      '- **Ärende:** BB-7HXK-3P2D',
      '- **Personnummer:** 20150520-2383',
      '### Omsorg – Jag har någon som bryr sig om mig',
      'Bedömning: **Behöver stärkas**',
      'Kommentar: Kommer ofta utan matsäck och ytterkläder när det är kallt.',
      '### Utvecklas – Jag gör mitt bästa',
      '## Vad har Upptäckaren sett?',
      '- **E-post:** alex.andersson@exempelby.se',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text.match(/^### /gm)).toHaveLength(8);
  });

  it('escapes Markdown typed by users so it prints as typed', () => {
    const text = renderOrosanmalanText(
      buildSampleOrosanmalan({
        observation: '# Rubrik\n- punkt\n1. ett\n[länk](https://example.invalid) *fet*',
      }),
    );
    expect(text).toContain('\\# Rubrik\n\\- punkt\n1\\. ett\n\\[länk\\](https://example.invalid) \\*fet\\*');
    expect(escapeMarkdown('Ella_Å <b>')).toBe('Ella\\_Å \\<b\\>');
  });

  it('refuses invalid data like the card does', () => {
    expect(() => renderOrosanmalanText({ ...buildSampleOrosanmalan(), reference: '' })).toThrow(
      CardRenderError,
    );
  });
});
