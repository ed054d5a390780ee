/**
 * What a Barnteam meeting decided for one child: proposed support and by whom, a follow-up date,
 * or the start of an Individuellt barnteam (seeds/000: "Barnteamet ger förslag på stöd …"). A
 * leaf module (it imports only the value types) so that `case.ts` can embed the schema.
 *
 * Kept in `Case.barnteamUtfall` (and the answers in `Case.skattningar`). Staff free text: never
 * logged, never in a notice.
 */
import { z } from 'zod';
import type { SkattningAnswer } from '../skattning.js';
import { ZCalendarDate, ZInstant, ZUserId } from '../value-types.js';

export const ZProposedSupport = z
  .object({
    /** What support, e.g. "Samtal med skolkurator varannan vecka". */
    what: z.string().trim().min(1).max(500),
    /** Who gives it, e.g. "Elevhälsan". */
    byWhom: z.string().trim().min(1).max(200),
  })
  .strict();
export type ProposedSupport = z.infer<typeof ZProposedSupport>;

export const ZBarnteamOutcome = z
  .object({
    meetingId: z.string().min(1).max(200),
    recordedBy: ZUserId,
    at: ZInstant,
    proposedSupport: z.array(ZProposedSupport).max(20),
    followUpDate: ZCalendarDate.optional(),
    startIndividuelltBarnteam: z.boolean(),
  })
  .strict();
export type BarnteamOutcome = z.infer<typeof ZBarnteamOutcome>;

/** The case's two Barnteam fields (both optional on `Case`). */
export interface BarnteamRecords {
  readonly skattningar?: readonly SkattningAnswer[];
  readonly barnteamUtfall?: readonly BarnteamOutcome[];
}

/** The case's Barnteam records (empty lists when none are stored). */
export function readBarnteamRecords(caseValue: object): {
  skattningar: readonly SkattningAnswer[];
  barnteamUtfall: readonly BarnteamOutcome[];
} {
  const records = caseValue as BarnteamRecords;
  return { skattningar: records.skattningar ?? [], barnteamUtfall: records.barnteamUtfall ?? [] };
}
