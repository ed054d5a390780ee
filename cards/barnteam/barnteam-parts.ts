/**
 * What the Barnteam cards share: the children on an agenda, the members, the proposed times and
 * the dagordning. Meeting cards reach every member of the team, and the members do not all have
 * a role in every child's case, so a child appears on them by initials and case reference only
 * (docs/domain.md, information sharing; docs/security.md 8): the schemas below have no field a name could go
 * in, and the initials must look like initials.
 */
import { z } from 'zod';
import { type AttendeeResponse, attendeeResponses } from '../../flows/kernel/calendar.js';
import { ZInstant } from '../../flows/kernel/case.js';
import { type ContactKind, ZContactKind } from '../../flows/kernel/directory.js';

/** "E.Å.", "EÅ", "E-Å": capitals with dots, spaces or hyphens; a name in lower case fails. */
export const ZCardInitials = z
  .string()
  .trim()
  .min(1)
  .max(6)
  .regex(/^(?=.*\p{Lu})[\p{Lu}.\s-]+$/u, 'Bara initialer');

/** A child as a meeting card shows it. */
export const ZCardAgendaItem = z
  .object({
    caseId: z.string().min(1).max(100),
    reference: z.string().min(1).max(40),
    initials: ZCardInitials,
  })
  .strict();
export type CardAgendaItem = z.infer<typeof ZCardAgendaItem>;

/** A Barnteam member by role, e.g. "Elevhälsan", with whether the meeting needs them. */
export const ZCardMember = z
  .object({
    role: z.string().min(1).max(100),
    displayName: z.string().min(1).max(200),
    required: z.boolean(),
    /** How the member is reached; absent: in the municipality's Teams. */
    kind: ZContactKind.optional(),
    /** True when the proposal was made without their calendar ("tillgänglighet okänd"). */
    availabilityUnknown: z.boolean().optional(),
    /** Their answer to the invitation as the calendar reports it; absent: not read. */
    answer: z.enum(attendeeResponses).optional(),
  })
  .strict();
export type CardMember = z.infer<typeof ZCardMember>;

/** What the calendar says a member answered, as the booking card writes it. */
export const attendeeResponseLabels: Readonly<Record<AttendeeResponse, string>> = {
  accepted: 'Har tackat ja',
  tentative: 'Har svarat preliminärt',
  declined: 'Har tackat nej',
  notAnswered: 'Har inte svarat',
};

const memberKindNotes: Readonly<Record<ContactKind, string>> = {
  medarbetare: '',
  gast: 'gäst i Teams',
  utanforTeams: 'utanför Teams, får kallelsen via e-post',
};

/**
 * A proposed time, as `findMeetingSlots` returns it (`MeetingSlot`): the label is the Swedish
 * text of the button, the conflicts are optional members who cannot come.
 */
export const ZCardSlot = z.object({
  start: ZInstant,
  end: ZInstant,
  label: z.string().min(1).max(100),
  optionalConflicts: z
    .array(z.object({ label: z.string().min(1).max(100), note: z.string().min(1).max(300) }))
    .max(30)
    .default([]),
  /** Members whose calendar says "unknown" for part of this slot. */
  unknownAvailability: z
    .array(z.object({ label: z.string().min(1).max(100), note: z.string().min(1).max(300) }))
    .max(30)
    .default([]),
});
export type CardSlot = z.input<typeof ZCardSlot>;

/** The standard agenda, the same at every Barnteam (seeds/002: "alla kör samma dagordning"). */
export const ZCardDagordning = z.array(z.string().min(1).max(300)).min(1).max(20);

/**
 * "Polisen – Erik Falk (krävs; utanför Teams, får kallelsen via e-post; tillgänglighet okänd)",
 * with the member's answer in its own column when it was read.
 */
export function buildMemberRows(members: readonly CardMember[]) {
  return members.map((member) => {
    const notes = [
      member.required ? 'krävs' : 'valfri',
      member.kind === undefined ? '' : memberKindNotes[member.kind],
      member.availabilityUnknown === true ? 'tillgänglighet okänd' : '',
    ].filter((note) => note !== '');
    return {
      role: member.role,
      name: member.displayName,
      need: notes.join('; '),
      hasAnswer: member.answer !== undefined,
      answer: member.answer === undefined ? '' : attendeeResponseLabels[member.answer],
      // A decline is what the convener must act on: it stands out.
      answerColor: member.answer === 'declined' ? 'attention' : 'default',
    };
  });
}

/** The dagordning numbered: "1. Inledning". */
export function numberDagordning(items: readonly string[]): { text: string }[] {
  return items.map((item, index) => ({ text: `${index + 1}. ${item}` }));
}

/** "E.Å. (BB-4K7Q-2M9C)" */
export function formatAgendaItem(item: CardAgendaItem): string {
  return `${item.initials} (${item.reference})`;
}
