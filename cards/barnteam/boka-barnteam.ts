/**
 * The Boka Barnteam card: the Barnkontakt, who convenes the unit's Barnteam, picks the children
 * to put on the agenda and asks for times (`barnteam.foreslaTider`); the card comes back with the
 * first slots where everyone required is free (`findMeetingSlots`) and the convener books one
 * (`barnteam.boka`). With no slot, it says why. Members whose calendar could not be read (a guest's
 * mailbox at home, someone outside Teams) are named under "Tillgänglighet okänd": the times were
 * chosen without them, and they are invited all the same. Children appear by initials and case
 * reference only, as in the invitation.
 *
 * The actions carry the meeting id the bot chose for this booking (so a repeated Boka books one
 * meeting) and, once the proposal is stored, its ETag.
 */
import { z } from 'zod';
import { buildFieldState, buildFormSchemas, describeFormSummary } from '../form-fields.js';
import { type AdaptiveCardJson, renderCardTemplate } from '../render-template.js';
import {
  buildMemberRows,
  formatAgendaItem,
  ZCardAgendaItem,
  ZCardMember,
  ZCardSlot,
} from './barnteam-parts.js';
import template from './boka-barnteam.json' with { type: 'json' };

export const bokaBarnteamVerbs = {
  foreslaTider: 'barnteam.foreslaTider',
  boka: 'barnteam.boka',
} as const;

/** `agendaCaseIds` comes back comma-separated; `slot` is the chosen slot's start instant. */
export const bokaBarnteamInputIds = ['agendaCaseIds', 'slot'] as const;
const form = buildFormSchemas(bokaBarnteamInputIds);
export const ZBokaBarnteamInputId = form.ZInputId;
export type BokaBarnteamInputId = z.infer<typeof ZBokaBarnteamInputId>;

export const ZBokaBarnteamData = z.object({
  unitId: z.string().min(1).max(100),
  teamName: z.string().min(1).max(200),
  /** Chosen by the bot for the meeting to be; the same on every round of this card. */
  meetingId: z.string().min(1).max(200),
  /** The stored proposal's ETag; absent before anything is stored. */
  etag: z.string().min(1).max(200).optional(),
  /** The unit's cases waiting for Barnteam. */
  waitingCases: z.array(ZCardAgendaItem).max(50),
  members: z.array(ZCardMember).min(1).max(30),
  /** Absent until times were asked for. */
  proposal: z
    .discriminatedUnion('status', [
      z.object({ status: z.literal('tider'), slots: z.array(ZCardSlot).min(1).max(10) }),
      /** `findMeetingSlots`' message: why no slot was found and what to change. */
      z.object({ status: z.literal('ingenTid'), message: z.string().min(1).max(500) }),
    ])
    .optional(),
  values: form.ZValues,
  fieldErrors: form.ZFieldErrors,
  formError: form.ZFormError,
  confirmation: form.ZConfirmation,
});
export type BokaBarnteamData = z.input<typeof ZBokaBarnteamData>;

/**
 * Renders the booking card: children to choose, then proposed times or why there are none.
 *
 * @throws CardRenderError when the data does not match `ZBokaBarnteamData`.
 */
export function renderBokaBarnteam(data: BokaBarnteamData): AdaptiveCardJson {
  return renderCardTemplate('boka-barnteam', template, ZBokaBarnteamData, data, (parsed) => {
    const values: Partial<Record<BokaBarnteamInputId, string>> = parsed.values ?? {};
    const errors: Partial<Record<BokaBarnteamInputId, string>> = parsed.fieldErrors ?? {};
    const slots = parsed.proposal?.status === 'tider' ? parsed.proposal.slots : [];
    const waitingIds = new Set(parsed.waitingCases.map((item) => item.caseId));
    // Keep only choices the card still offers: a case may have left the waiting list meanwhile.
    const agendaValue = (values.agendaCaseIds ?? '')
      .split(',')
      .filter((id) => waitingIds.has(id))
      .join(',');
    const slotValue = slots.some((slot) => slot.start === values.slot) ? values.slot : slots[0]?.start;
    const unknownMembers =
      parsed.proposal === undefined
        ? []
        : parsed.members.filter((member) => member.availabilityUnknown === true);
    const slotNotes = slots
      .map((slot) => ({
        label: slot.label,
        notes: [...slot.optionalConflicts, ...slot.unknownAvailability].map((item) => item.note).join(', '),
      }))
      .filter((slot) => slot.notes !== '');
    return {
      teamName: parsed.teamName,
      actionData: {
        unitId: parsed.unitId,
        meetingId: parsed.meetingId,
        ...(parsed.etag === undefined ? {} : { etag: parsed.etag }),
      },
      ...describeFormSummary(parsed.fieldErrors, parsed.formError, parsed.confirmation),
      hasWaitingCases: parsed.waitingCases.length > 0,
      waitingCases: parsed.waitingCases.map((item) => ({
        caseId: item.caseId,
        title: formatAgendaItem(item),
      })),
      hasSlots: slots.length > 0,
      slots: slots.map((slot) => ({ start: slot.start, label: slot.label })),
      slotConflicts: slotNotes,
      hasConflicts: slotNotes.length > 0,
      slotsIntro:
        unknownMembers.length === 0
          ? 'Alla som krävs är lediga på de här tiderna. Välj en tid.'
          : 'Alla som krävs och vars kalender kunde läsas är lediga på de här tiderna. Välj en tid.',
      hasUnknownMembers: unknownMembers.length > 0,
      unknownMembers: unknownMembers.map((member) => ({
        text: `• ${member.displayName} (${member.role}): tillgänglighet okänd`,
      })),
      noSlot: parsed.proposal?.status === 'ingenTid',
      noSlotMessage: parsed.proposal?.status === 'ingenTid' ? parsed.proposal.message : '',
      proposeTitle: parsed.proposal === undefined ? 'Föreslå tider' : 'Föreslå nya tider',
      members: buildMemberRows(parsed.members),
      f: {
        agendaCaseIds: buildFieldState(agendaValue, errors.agendaCaseIds),
        slot: buildFieldState(slotValue, errors.slot),
      },
    };
  });
}
