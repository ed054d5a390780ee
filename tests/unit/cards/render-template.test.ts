// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests feed literal ${…} bindings to the templating engine on purpose
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CardRenderError,
  expandCardTemplate,
  expandInFull,
  prepareCardSlot,
  renderCardTemplate,
} from '../../../cards/render-template.js';
import { renderUpptackarkort } from '../../../cards/upptackt/upptackarkort.js';
import { sampleDraftId, sampleUnits } from '../../fixtures/upptackt-card-samples.js';
import { findElementAfterInput, listInputs } from '../../support/card-validation.js';

// A template with a binding its data never fills: the typo the check exists for.
const brokenTemplate = {
  type: 'AdaptiveCard',
  version: '1.5',
  body: [
    { type: 'TextBlock', text: 'Ärende ${reference}' },
    { type: 'TextBlock', text: 'Barnkontakt ${barnkontaktNamn}' },
  ],
};

describe('renderCardTemplate', () => {
  it('refuses a template with a binding the data does not fill, naming where it is', () => {
    expect(() => expandCardTemplate('trasigt', brokenTemplate, { reference: 'BB-4K7Q-2M9C' })).toThrow(
      CardRenderError,
    );
    expect(() => expandCardTemplate('trasigt', brokenTemplate, { reference: 'BB-4K7Q-2M9C' })).toThrow(
      /body\[1\]\.text/,
    );
  });

  it('expands the same template once every binding has data', () => {
    const card = expandCardTemplate('helt', brokenTemplate, {
      reference: 'BB-1',
      barnkontaktNamn: 'Maria Lind',
    });
    expect(card.body).toEqual([
      { type: 'TextBlock', text: 'Ärende BB-1' },
      { type: 'TextBlock', text: 'Barnkontakt Maria Lind' },
    ]);
  });

  it('keeps text typed as ${…} literally instead of expanding it', () => {
    const card = expandCardTemplate('helt', brokenTemplate, {
      reference: '${$root.barnkontaktNamn}',
      barnkontaktNamn: '${secret} och ${reference}',
      secret: 'HEMLIGT',
    });
    expect(card.body).toEqual([
      { type: 'TextBlock', text: 'Ärende ${$root.barnkontaktNamn}' },
      { type: 'TextBlock', text: 'Barnkontakt ${secret} och ${reference}' },
    ]);
  });

  it('keeps a child named "${$root.secret}" literal on the Upptäckarkort', () => {
    const card = renderUpptackarkort({
      draftId: sampleDraftId,
      units: sampleUnits,
      values: { childGivenName: '${$root.draftId}', observation: 'Skrev ${draftId} och \uE000{x}' },
      fieldErrors: { childFamilyName: 'Efternamnet är för långt.' },
    });
    const inputs = listInputs(card);
    expect(inputs.find((input) => input.id === 'childGivenName')?.value).toBe('${$root.draftId}');
    // A private-use marker pasted in by a user must not turn into "${" on the way out.
    expect(inputs.find((input) => input.id === 'observation')?.value).toBe('Skrev ${draftId} och \uFFFD{x}');
    expect(findElementAfterInput(card, 'childFamilyName')?.text).toBe('Efternamnet är för långt.');
  });

  it('names the wrong fields of invalid data but never their values', () => {
    const schema = z.object({ path: z.enum(['orosanmalan', 'stodIEgenVerksamhet']), name: z.string() });
    const attempt = () =>
      renderCardTemplate(
        'prov',
        brokenTemplate,
        schema,
        { path: 'Ella Åberg' as never, name: 'x' },
        () => ({}),
      );
    expect(attempt).toThrow(CardRenderError);
    expect(attempt).toThrow(/path: invalid_enum_value/);
    expect(attempt).not.toThrow(/Ella/);
  });

  it('drops a property whose $when is false instead of sending null', () => {
    const card = expandCardTemplate(
      'refresh',
      { type: 'AdaptiveCard', version: '1.5', refresh: { $when: '${show}', userIds: [] }, body: [] },
      { show: false },
    );
    expect(card).not.toHaveProperty('refresh');
  });

  it('checks, reveals typed ${ and drops nulls in one walk, nested in arrays and objects alike', () => {
    const card = expandCardTemplate(
      'nested',
      {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [
          {
            type: 'Container',
            items: [
              { type: 'TextBlock', text: '${name}', extra: { $when: '${show}', note: 'x' } },
              { type: 'TextBlock', text: 'fast' },
            ],
          },
        ],
        actions: [{ type: 'Action.Execute', data: { typed: '${typed}', list: ['${name}', 'b'] } }],
      },
      { name: 'Alva ${x}', typed: '${$root.name}', show: false },
    );
    expect(card).toEqual({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        {
          type: 'Container',
          items: [
            { type: 'TextBlock', text: 'Alva ${x}' },
            { type: 'TextBlock', text: 'fast' },
          ],
        },
      ],
      actions: [{ type: 'Action.Execute', data: { typed: '${$root.name}', list: ['Alva ${x}', 'b'] } }],
    });
  });
  it('fills one string of a prepared card per use and refuses a value that holds a binding', () => {
    const card = expandCardTemplate('helt', brokenTemplate, {
      reference: 'PLATS',
      barnkontaktNamn: 'Maria Lind',
    });
    const fill = prepareCardSlot(card, 'Ärende PLATS');
    expect(fill?.('Ärende BB-1').body).toEqual([
      { type: 'TextBlock', text: 'Ärende BB-1' },
      { type: 'TextBlock', text: 'Barnkontakt Maria Lind' },
    ]);
    expect(() => fill?.('${secret}')).toThrow(CardRenderError);
    // Only a placeholder that is exactly one whole string of the card can be filled in.
    expect(prepareCardSlot(card, 'PLATS')).toBeUndefined();
    expect(prepareCardSlot(card, 'TextBlock')).toBeUndefined();
  });

  it('fills a card in from the shape of its data exactly as the engine expands it, whatever the text', () => {
    const template = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        { type: 'TextBlock', text: 'Ärende ${reference} (${unit.name})' },
        { type: 'TextBlock', $when: '${!hasFacts}', text: 'Inga uppgifter' },
        {
          type: 'FactSet',
          $when: '${hasFacts}',
          facts: [{ $data: '${facts}', title: '${label}', value: '${value}' }],
        },
        { type: 'TextBlock', text: '${note}' },
      ],
    };
    const texts = [
      'vanlig text',
      'citat " och \\ och ny\nrad',
      '${$root.reference} och ${secret}',
      'markör \uE000{x} och ersättare \uE001' + '0\uE002',
      '',
    ];
    for (const text of texts) {
      for (const facts of [
        [],
        [{ label: 'Barn', value: text }],
        [
          { label: text, value: 'x' },
          { label: 'y', value: '' },
        ],
      ]) {
        const data = { reference: text, unit: { name: text }, hasFacts: facts.length > 0, facts, note: text };
        expect(expandCardTemplate('form', template, data)).toEqual(expandInFull('form', template, data));
      }
    }
  });

  it('expands in full a template whose bindings do more than read a path', () => {
    const template = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock', text: '${length(name)}' }],
    };
    expect(expandCardTemplate('funktion', template, { name: 'Ella' }).body).toEqual([
      { type: 'TextBlock', text: 4 },
    ]);
    expect(expandCardTemplate('funktion', template, { name: 'Alexander' }).body).toEqual([
      { type: 'TextBlock', text: 9 },
    ]);
  });

  it('shares and freezes the parts of a card that hold no text from the data', () => {
    const template = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        { type: 'TextBlock', text: 'Samma varje gång' },
        { type: 'TextBlock', text: 'Ärende ${reference}' },
      ],
    };
    const first = expandCardTemplate('delat', template, { reference: 'BB-1' });
    const second = expandCardTemplate('delat', template, { reference: 'BB-2' });
    const [fixed, filled] = first.body as object[];
    expect((second.body as object[])[0]).toBe(fixed);
    expect(Object.isFrozen(fixed)).toBe(true);
    expect(filled).toEqual({ type: 'TextBlock', text: 'Ärende BB-1' });
    expect((second.body as object[])[1]).toEqual({ type: 'TextBlock', text: 'Ärende BB-2' });
  });
});
