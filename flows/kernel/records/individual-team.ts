/**
 * The Individuellt barnteam (step 6): the team around one child, started from a Barnteam's
 * outcome or directly by an organisation with a statutory SIP duty. A leaf module (value types
 * and the directory's organisations only) so that `case.ts` can embed the schema.
 *
 * Members are the professionals who give support; access to the case is granted by the role each
 * holds in `Case.roles`, and this list mirrors it with what the plan shows (organisation, since,
 * until). Guardians and the child are participants of the plan, recorded with their relation to
 * the child; they are not Teams users and get no access through the bot.
 *
 * `channel` is written only by the provisioning of the team's private channel (infra/channels);
 * every use case here keeps it as it is when it replaces the case.
 */
import { z } from 'zod';
import { ZOrganisation } from '../directory.js';
import { ZInstant, ZUserId } from '../value-types.js';

/**
 * The case roles a member of the team holds. The Barnkontakt and the Upptäckare have their roles
 * from the earlier steps; a Stödsamordnare is appointed from among the members. Spelled out here,
 * not imported from `case.ts`, because `case.ts` embeds this module.
 */
export const teamMemberRoles = ['teammedlem', 'stodsamordnare'] as const;
export const ZTeamMemberRole = z.enum(teamMemberRoles);
export type TeamMemberRole = z.infer<typeof ZTeamMemberRole>;

export const ZTeamMember = z
  .object({
    /** The member's Teams identity; absent for someone outside Teams (they have no access). */
    userId: ZUserId.optional(),
    /** The directory's contact id, when picked from the directory. */
    contactId: z.string().min(1).max(100).optional(),
    displayName: z.string().trim().min(1).max(200),
    role: ZTeamMemberRole,
    organisation: ZOrganisation,
    /** What the member does in the team, e.g. "Skolkurator" (the directory's title). */
    title: z.string().trim().min(1).max(100).optional(),
    unitId: z.string().min(1).optional(),
    since: ZInstant,
    /** Set when the member left the team; their role in the case ended at the same moment. */
    until: ZInstant.optional(),
  })
  .strict();
export type TeamMember = z.infer<typeof ZTeamMember>;

/** How a participant is related to the child ("Vem finns till för mig" uses the same words). */
export const participantRelations = ['barnet', 'vardnadshavare', 'annanNarstaende'] as const;
export const ZParticipantRelation = z.enum(participantRelations);
export type ParticipantRelation = z.infer<typeof ZParticipantRelation>;

export const participantRelationLabels: Readonly<Record<ParticipantRelation, string>> = {
  barnet: 'Barnet',
  vardnadshavare: 'Vårdnadshavare',
  annanNarstaende: 'Annan närstående',
};

/** A guardian or the child taking part in the plan. Only in the case document: never logged or posted. */
export const ZTeamParticipant = z
  .object({
    id: z.string().min(1).max(100),
    name: z.string().trim().min(1).max(200),
    relation: ZParticipantRelation,
    /** The relation in the family's own words, e.g. "mamma", "morfar". */
    relationText: z.string().trim().min(1).max(100).optional(),
  })
  .strict();
export type TeamParticipant = z.infer<typeof ZTeamParticipant>;

/** The appointment of the Stödsamordnare: a recorded step, after which the plan is theirs. */
export const ZStodsamordnareAppointment = z
  .object({
    userId: ZUserId,
    displayName: z.string().trim().min(1).max(200),
    appointedBy: ZUserId,
    appointedAt: ZInstant,
  })
  .strict();
export type StodsamordnareAppointment = z.infer<typeof ZStodsamordnareAppointment>;

/** The team's private channel, as the provisioning job recorded it. */
export const ZTeamChannel = z.object({
  hostTeamId: z.string().min(1),
  channelId: z.string().min(1),
  conversationKey: z.string().min(1),
  displayName: z.string().min(1),
  createdAt: ZInstant,
  /** The channel tab with Barnets plan, once it is pinned; the posts' button opens `webUrl`. */
  tab: z
    .object({ tabId: z.string().min(1).max(200), webUrl: z.string().url().max(2000), pinnedAt: ZInstant })
    .optional(),
  /** When Teams accepted the channel's archiving, after the team ended and its last post was delivered. */
  archivedAt: ZInstant.optional(),
  /** When the channel was deleted in Teams (restorable by a team owner for 30 days after). */
  deletedAt: ZInstant.optional(),
});
export type TeamChannel = z.infer<typeof ZTeamChannel>;

export const teamStartRoutes = ['barnteam', 'sip'] as const;
export const ZTeamStartRoute = z.enum(teamStartRoutes);
export type TeamStartRoute = z.infer<typeof ZTeamStartRoute>;

export const ZIndividuelltBarnteam = z.object({
  startedAt: ZInstant,
  startedBy: ZUserId,
  /** From a Barnteam's outcome, or directly by an organisation with a SIP duty (seeds/002). */
  via: ZTeamStartRoute,
  /** For `via: 'barnteam'`: the meeting whose outcome started it. */
  meetingId: z.string().min(1).max(200).optional(),
  /** For `via: 'sip'`: when the Barnkontakt was told (the notice is enqueued with the start). */
  barnkontaktInformedAt: ZInstant.optional(),
  members: z.array(ZTeamMember).max(250),
  participants: z.array(ZTeamParticipant).max(20),
  stodsamordnare: ZStodsamordnareAppointment.optional(),
  channel: ZTeamChannel.optional(),
});
export type IndividuelltBarnteam = z.infer<typeof ZIndividuelltBarnteam>;

/** The members who are in the team now. */
export function activeTeamMembers(team: IndividuelltBarnteam): TeamMember[] {
  return team.members.filter((member) => member.until === undefined);
}
