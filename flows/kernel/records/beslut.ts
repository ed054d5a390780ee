/**
 * Beslut (step 4 of the stödprocess): what the Barnkontakt decided after the talks, with the
 * answers to the four guiding-principle questions. Schemas only: the case embeds them, so this
 * module must not import `case.ts` (`decide.ts` is the use case).
 */
import { z } from 'zod';
import { ZPrincipleAnswers } from '../guiding-principles.js';
import { ZCalendarDate, ZInstant, ZUserId } from '../value-types.js';
import { ZCompassRatingSet } from './plan.js';

export const beslutKinds = ['stodIEgenVerksamhet', 'barnteam', 'orosanmalan', 'behovUppfyllt'] as const;
export const ZBeslutKind = z.enum(beslutKinds);
export type BeslutKind = z.infer<typeof ZBeslutKind>;

/** The choices on the decision card, in the model's words. */
export const beslutLabels: Readonly<Record<BeslutKind, string>> = {
  stodIEgenVerksamhet: 'Stöd i egen verksamhet',
  barnteam: 'Lyft till Barnteam',
  orosanmalan: 'Orosanmälan till socialtjänsten',
  behovUppfyllt: 'Barnets behov är uppfyllt',
};

export const beslutNoteMaxLength = 2000;

export const ZBeslut = z
  .object({
    /** 1, 2, …: names the decision in reminder and notice ids. */
    beslutNo: z.number().int().min(1),
    decision: ZBeslutKind,
    principles: ZPrincipleAnswers,
    /** Free text by the Barnkontakt; never logged, never in a notice. */
    note: z.string().trim().min(1).max(beslutNoteMaxLength).optional(),
    /** For `stodIEgenVerksamhet`: when the support is followed up (a reminder is due that morning). */
    followUpDate: ZCalendarDate.optional(),
    /**
     * For `behovUppfyllt` decided without a plan: the closing Behovskompass (the child's, the
     * guardian's, the team's). With a plan the closing ratings are the plan's last follow-up.
     */
    closingCompass: z.array(ZCompassRatingSet).min(1).max(3).optional(),
    decidedBy: ZUserId,
    decidedAt: ZInstant,
  })
  .strict()
  .superRefine((value, context) => {
    if (value.decision === 'stodIEgenVerksamhet' && value.followUpDate === undefined) {
      context.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['followUpDate'],
        message: 'Stöd i egen verksamhet behöver ett datum för uppföljning',
      });
    }
  });
export type Beslut = z.infer<typeof ZBeslut>;
