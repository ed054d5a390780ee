import { describe, expect, it } from 'vitest';
import { describeFormSummary } from '../../../cards/form-fields.js';

describe('the line above a form that came back', () => {
  it('shows what was done in the success style', () => {
    expect(describeFormSummary(undefined, undefined, 'Barnteam är bokat. Kallelsen är skickad.')).toEqual({
      hasSummary: true,
      summary: 'Barnteam är bokat. Kallelsen är skickad.',
      summaryStyle: 'good',
      summaryColour: 'good',
    });
  });

  it('shows a problem in the error style, and never a confirmation beside it', () => {
    expect(describeFormSummary({ heldOn: 'Ange datumet.' }, 'Försök igen om en stund.', 'Sparat.')).toEqual({
      hasSummary: true,
      summary: 'Inget är sparat. Rätta fältet som är markerat nedan. Försök igen om en stund.',
      summaryStyle: 'attention',
      summaryColour: 'attention',
    });
  });

  it('shows nothing when there is nothing to say', () => {
    expect(describeFormSummary(undefined, undefined).hasSummary).toBe(false);
  });
});
