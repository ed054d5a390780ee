/**
 * The four guiding principles as card inputs (an answer and a comment each), shared by the
 * Beslut card and the closing card so that both ask them with the same ids, texts and errors.
 */
import {
  type GuidingPrincipleKey,
  guidingPrinciples,
  principleAnswerLabels,
  principleAnswerValues,
} from '../flows/kernel/guiding-principles.js';

export type PrincipleAnswerId = `principle_${GuidingPrincipleKey}`;
export type PrincipleCommentId = `principleComment_${GuidingPrincipleKey}`;
type PrincipleInputId = PrincipleAnswerId | PrincipleCommentId;

/** The answer choices and one entry per principle with what was typed and its error, for the template. */
export function describePrincipleFields(
  values: Partial<Record<PrincipleInputId, string>>,
  errors: Partial<Record<PrincipleInputId, string>>,
) {
  return {
    answers: principleAnswerValues.map((value) => ({ value, title: principleAnswerLabels[value] })),
    principles: guidingPrinciples.map((principle) => {
      const answerId: PrincipleAnswerId = `principle_${principle.key}`;
      const commentId: PrincipleCommentId = `principleComment_${principle.key}`;
      return {
        principle: principle.principle,
        question: principle.question,
        answerId,
        commentId,
        answer: values[answerId] ?? '',
        comment: values[commentId] ?? '',
        answerError: errors[answerId] ?? '',
        hasAnswerError: errors[answerId] !== undefined,
        commentError: errors[commentId] ?? '',
        hasCommentError: errors[commentId] !== undefined,
      };
    }),
  };
}
