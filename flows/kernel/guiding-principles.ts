/**
 * The four guiding principles (vägledande principer, seeds/000) as the questions the
 * Barnkontakt answers at every Beslut (docs/domain.md, step 4). The questions are the model's own
 * wording and must not be rephrased; each is tied to the principle it asks about so the card can
 * name it. Answers are recorded with the decision, so that a later reader sees not only what was
 * decided but how the principles were weighed.
 */
import { z } from 'zod';

/** The order answers are stored in (every stored Beslut has them so); cards use `guidingPrinciples`. */
export const guidingPrincipleKeys = [
  'tidigInsats',
  'barnetsBasta',
  'helaSituationen',
  'gemensamPlan',
] as const;
export const ZGuidingPrincipleKey = z.enum(guidingPrincipleKeys);
export type GuidingPrincipleKey = z.infer<typeof ZGuidingPrincipleKey>;

export interface GuidingPrinciple {
  readonly key: GuidingPrincipleKey;
  /** The question, exactly as docs/domain.md writes it. */
  readonly question: string;
  /** The principle it asks about, as seeds/000 names it. */
  readonly principle: string;
}

/**
 * The model's four principles in their own order (Princip 1–4), each with the question asked
 * about it at a Beslut (docs/domain.md). The questions are listed elsewhere starting with the
 * second principle; a card that followed that order would read "Princip 2, 1, 3, 4".
 */
export const guidingPrinciples: readonly GuidingPrinciple[] = Object.freeze([
  {
    key: 'barnetsBasta',
    question: 'Är barnets bästa i fokus?',
    principle: 'Princip 1: Barnets bästa i fokus',
  },
  {
    key: 'tidigInsats',
    question: 'Är detta tidig insats eller kunde vi gjort mer tidigare i barnets liv?',
    principle: 'Princip 2: Aldrig för tidigt – aldrig för sent',
  },
  {
    key: 'helaSituationen',
    question: 'Värnar vi nu om hela barnets situation eller bara den del vi är ansvarig för?',
    principle: 'Princip 3: Allt hänger ihop',
  },
  {
    key: 'gemensamPlan',
    question: 'Har vi en gemensam plan?',
    principle: 'Princip 4: Ett barn, en plan',
  },
]);

export const principleAnswerValues = ['ja', 'nej', 'delvis'] as const;
export const ZPrincipleAnswerValue = z.enum(principleAnswerValues);
export type PrincipleAnswerValue = z.infer<typeof ZPrincipleAnswerValue>;

export const principleAnswerLabels: Readonly<Record<PrincipleAnswerValue, string>> = {
  ja: 'Ja',
  nej: 'Nej',
  delvis: 'Delvis',
};

export const principleCommentMaxLength = 1000;

export const ZPrincipleAnswer = z
  .object({
    key: ZGuidingPrincipleKey,
    answer: ZPrincipleAnswerValue,
    comment: z.string().trim().min(1).max(principleCommentMaxLength).optional(),
  })
  .strict();
export type PrincipleAnswer = z.infer<typeof ZPrincipleAnswer>;

/** All four, in the order of `guidingPrinciples`. */
export const ZPrincipleAnswers = z
  .array(ZPrincipleAnswer)
  .length(guidingPrincipleKeys.length)
  .refine(
    (answers) => answers.every((answer, index) => answer.key === guidingPrincipleKeys[index]),
    'De vägledande principerna ska stå i ordning',
  );
export type PrincipleAnswers = z.infer<typeof ZPrincipleAnswers>;

/** What the card sends: per principle an answer and maybe a comment, any of them possibly missing. */
export type PrincipleAnswersInput = Partial<
  Record<GuidingPrincipleKey, { readonly answer?: string; readonly comment?: string }>
>;

export type ParsedPrincipleAnswers =
  | { readonly ok: true; readonly value: PrincipleAnswers }
  | { readonly ok: false; readonly message: string; readonly missing: readonly GuidingPrincipleKey[] };

export const principleMessages = {
  commentTooLong: `En kommentar till en vägledande princip får vara högst ${principleCommentMaxLength} tecken.`,
} as const;

/**
 * Checks that all four questions are answered (ja / nej / delvis) and orders the answers.
 * The refusal names every unanswered question, so the Barnkontakt can see which one was missed.
 */
export function parsePrincipleAnswers(input: PrincipleAnswersInput): ParsedPrincipleAnswers {
  const missing = guidingPrinciples.filter(
    (principle) => !ZPrincipleAnswerValue.safeParse(input[principle.key]?.answer).success,
  );
  if (missing.length > 0) {
    const questions = missing.map((principle) => `”${principle.question}”`).join(' ');
    return {
      ok: false,
      missing: missing.map((principle) => principle.key),
      message: `Besvara alla fyra vägledande principer (ja, nej eller delvis) innan beslutet sparas. Obesvarade: ${questions}`,
    };
  }
  const parsed = ZPrincipleAnswers.safeParse(
    guidingPrincipleKeys.map((key) => {
      const given = input[key];
      const comment = given?.comment?.trim();
      return { key, answer: given?.answer, ...(comment ? { comment } : {}) };
    }),
  );
  if (!parsed.success) {
    return { ok: false, missing: [], message: principleMessages.commentTooLong };
  }
  return { ok: true, value: parsed.data };
}
