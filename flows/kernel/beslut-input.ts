/**
 * What every Beslut asks of the Barnkontakt before anything else is read: the four guiding
 * principles answered and a note within its length. The decision card and the closing card
 * refuse the same input with the same words and the same field.
 */
import { DomainError } from './errors.js';
import {
  type PrincipleAnswers,
  type PrincipleAnswersInput,
  parsePrincipleAnswers,
} from './guiding-principles.js';
import { beslutNoteMaxLength } from './records/beslut.js';

export const beslutNoteTooLong = `Anteckningen får vara högst ${beslutNoteMaxLength} tecken.`;

/** @throws DomainError('invalidInput') naming the field (`principles` or `note`). */
export function readBeslutBasis(input: {
  readonly principles: PrincipleAnswersInput;
  readonly note?: string;
}): {
  readonly principles: PrincipleAnswers;
  readonly note: string | undefined;
} {
  const principles = parsePrincipleAnswers(input.principles);
  if (!principles.ok) {
    throw new DomainError('invalidInput', principles.message, { field: 'principles' });
  }
  const note = input.note?.trim() || undefined;
  if (note !== undefined && note.length > beslutNoteMaxLength) {
    throw new DomainError('invalidInput', beslutNoteTooLong, { field: 'note' });
  }
  return { principles: principles.value, note };
}
