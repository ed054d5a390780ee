/**
 * The confirmation after a Barnteam is booked: the time, the Teams meeting link, the children on
 * the agenda (initials and case reference only), the members and the standard dagordning, with
 * actions to move the meeting (`barnteam.flytta`) or cancel it (`barnteam.stall`, with a reason).
 *
 * Moving offers the alternative slots when the bot has them; without them the action asks the bot
 * to find new times, and the card comes back with them.
 *
 * The members are listed with their answer to the invitation as the calendar reports it. The card
 * refreshes for the convener alone (`barnteam.visaBokning`, Teams' automatic refresh when the card
 * is opened, and the Uppdatera svar button), which reads the answers again.
 */
import { z } from 'zod';
import { ZUserId } from '../../flows/kernel/value-types.js';
import { buildFieldState, buildFormSchemas, describeFormSummary } from '../form-fields.js';
import { type AdaptiveCardJson, renderCardTemplate } from '../render-template.js';
import template from './barnteam-bokat.json' with { type: 'json' };
import {
  buildMemberRows,
  formatAgendaItem,
  numberDagordning,
  ZCardAgendaItem,
  ZCardDagordning,
  ZCardMember,
  ZCardSlot,
} from './barnteam-parts.js';

export const barnteamBokatVerbs = {
  flytta: 'barnteam.flytta',
  stall: 'barnteam.stall',
  visaBokning: 'barnteam.visaBokning',
} as const;

/** `newSlot` is the chosen slot's start instant. */
export const barnteamBokatInputIds = ['newSlot', 'cancelReason'] as const;
const form = buildFormSchemas(barnteamBokatInputIds);
export const ZBarnteamBokatInputId = form.ZInputId;
export type BarnteamBokatInputId = z.infer<typeof ZBarnteamBokatInputId>;

export const ZBarnteamBokatData = z.object({
  meetingId: z.string().min(1).max(200),
  /** The meeting document's ETag when the card was rendered. */
  etag: z.string().min(1).max(200),
  /** The only user the card refreshes for: the answers are the convener's to read. */
  convenerUserId: ZUserId,
  /**
   * Whether `members[].answer` comes from the calendar just now (`read`), could not be read
   * (`unavailable`), or was not asked for yet (`notRead`, e.g. right after booking).
   */
  answers: z.enum(['read', 'unavailable', 'notRead']).default('notRead'),
  teamName: z.string().min(1).max(200),
  /** The booked slot's label: "tisdag 7 april 2026 kl. 09:00–10:00". */
  timeLabel: z.string().min(1).max(100),
  /** The Teams online meeting's join link; absent when the calendar made none (local run). */
  joinUrl: z.string().url().max(2000).optional(),
  agenda: z.array(ZCardAgendaItem).min(1).max(50),
  members: z.array(ZCardMember).min(1).max(30),
  dagordning: ZCardDagordning,
  /** Other free times to move to, when the bot has looked them up. */
  alternativeSlots: z.array(ZCardSlot).max(10).default([]),
  values: form.ZValues,
  fieldErrors: form.ZFieldErrors,
  formError: form.ZFormError,
  confirmation: form.ZConfirmation,
});
export type BarnteamBokatData = z.input<typeof ZBarnteamBokatData>;

const answersNotes: Readonly<Record<'read' | 'unavailable' | 'notRead', string>> = {
  read: 'Svaren som kalendern visar just nu.',
  unavailable: 'Kalendern svarade inte, så deltagarnas svar kunde inte hämtas. Försök igen om en stund.',
  notRead: 'Deltagarnas svar hämtas från kalendern när du öppnar kortet igen eller väljer Uppdatera svar.',
};

/**
 * Renders the booking confirmation.
 *
 * @throws CardRenderError when the data does not match `ZBarnteamBokatData`.
 */
export function renderBarnteamBokat(data: BarnteamBokatData): AdaptiveCardJson {
  return renderCardTemplate('barnteam-bokat', template, ZBarnteamBokatData, data, (parsed) => {
    const values: Partial<Record<BarnteamBokatInputId, string>> = parsed.values ?? {};
    const errors: Partial<Record<BarnteamBokatInputId, string>> = parsed.fieldErrors ?? {};
    const alternatives = parsed.alternativeSlots;
    return {
      meetingId: parsed.meetingId,
      etag: parsed.etag,
      teamName: parsed.teamName,
      timeLabel: parsed.timeLabel,
      convenerUserId: parsed.convenerUserId,
      answersRead: parsed.answers === 'read',
      answersNote: answersNotes[parsed.answers],
      hasJoinUrl: parsed.joinUrl !== undefined,
      joinUrl: parsed.joinUrl ?? '',
      ...describeFormSummary(parsed.fieldErrors, parsed.formError, parsed.confirmation),
      agenda: parsed.agenda.map((item) => ({ text: `• ${formatAgendaItem(item)}` })),
      dagordning: numberDagordning(parsed.dagordning),
      members: buildMemberRows(parsed.members),
      hasAlternatives: alternatives.length > 0,
      alternatives: alternatives.map((slot) => {
        const notes = [...slot.optionalConflicts, ...slot.unknownAvailability].map((item) => item.note);
        return {
          start: slot.start,
          title: notes.length === 0 ? slot.label : `${slot.label} (${notes.join(', ')})`,
        };
      }),
      moveTitle: alternatives.length > 0 ? 'Flytta till vald tid' : 'Föreslå nya tider',
      f: {
        newSlot: buildFieldState(
          alternatives.some((slot) => slot.start === values.newSlot) ? values.newSlot : undefined,
          errors.newSlot,
        ),
        cancelReason: buildFieldState(values.cancelReason, errors.cancelReason),
      },
    };
  });
}
