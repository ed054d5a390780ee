// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests feed literal ${…} bindings to the templating engine on purpose
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CardRenderError, expandCardTemplate, renderCardTemplate } from '../../../cards/render-template.js';
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
});
