/**
 * The four guiding-principle answers as a card sends them (`principle_<key>`,
 * `principleComment_<key>`), for every card that asks them: the Beslut and the closing card.
 */
import { guidingPrinciples, type PrincipleAnswersInput } from '../../../flows/kernel/guiding-principles.js';

export function readPrinciples(data: Record<string, unknown>): PrincipleAnswersInput {
  const answers: Record<string, { answer?: string; comment?: string }> = {};
  for (const principle of guidingPrinciples) {
    const answer = data[`principle_${principle.key}`];
    const comment = data[`principleComment_${principle.key}`];
    answers[principle.key] = {
      ...(typeof answer === 'string' ? { answer } : {}),
      ...(typeof comment === 'string' && comment.trim() !== '' ? { comment } : {}),
    };
  }
  return answers;
}
