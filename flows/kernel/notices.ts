/**
 * The notices the support process sends: what happened, to whom, about which case. A notice in
 * the outbox carries ids and a few facts, never the child's details: the bot renders the card
 * or text at delivery time from the CURRENT case, so a notice about a case whose consent was
 * withdrawn (or whose card was forwarded since) can be dropped or shown as it is now.
 */
import { z } from 'zod';
import type { NoticeKind } from './notice-kinds.js';
import type { OutboxMessage } from './ports.js';
import { ZCalendarDate, ZInstant, ZUserId } from './value-types.js';

export { type NoticeKind, noticeKinds, ZNoticeKind } from './notice-kinds.js';

/** What a status post to the Individuellt barnteam's channel tells (`teamkanalStatus`). */
export const teamkanalEvents = [
  'teametStartat',
  'planFaststalld',
  'atgardGenomford',
  'atgardForsenad',
  'uppfoljningRegistrerad',
  'motesBokat',
  'stodsamordnareUtsedd',
  'medlemTillagd',
  'medlemBorttagen',
  'teametAvslutat',
  'arendetAvslutat',
] as const;
export type TeamkanalEvent = (typeof teamkanalEvents)[number];

/** The recipient key of the team's channel; the delivery resolves it to the channel's conversation. */
export function toTeamkanalKey(caseId: string): string {
  return `teamkanal:${caseId}`;
}

/**
 * The data of each kind. Flat records of strings, numbers and booleans (the outbox's shape);
 * staff names are allowed, the child's are not. A decline's or forward's reason is free text
 * that may describe the family, so it stays in the case chronology and is read from there.
 */
export const noticeDataSchemas = {
  /** To the routed Barnkontakt (or deputy, or fallback): a card waits for them. */
  nyttArende: z.object({
    routingNo: z.number().int().min(1),
    cause: z.enum(['upptackarkort', 'skickaVidare']),
  }),
  /**
   * To the case's Barnkontakt: another Upptäckarkort about the child was filed and added to the
   * open case; `draftId` names it among the case's `addedDiscoveries`.
   */
  upptackarkortTillagt: z.object({ draftId: z.string().min(8).max(64) }),
  /** A chase: the same card again, to the Barnkontakt or (`asDeputy`) to a deputy. */
  paminnelseBarnkontakt: z.object({
    routingNo: z.number().int().min(1),
    chaseNo: z.number().int().min(1),
    asDeputy: z.boolean(),
  }),
  /** To the Upptäckare: the card still waits; `chasedUserId` is who was reminded this time. */
  vantarFortfarande: z.object({
    routingNo: z.number().int().min(1),
    chaseNo: z.number().int().min(1),
    chasedUserId: ZUserId,
    toFallback: z.boolean(),
  }),
  /**
   * To the Upptäckare: the card has not reached the contact it was routed to, either because the
   * bot has no chat with them yet (`saknarChatt`: the app is not installed for them) or because
   * Teams refused it for good (`kanInteLevereras`); kommunens reservkontakt has been told.
   */
  kortetNarInteFram: z.object({
    routingNo: z.number().int().min(1),
    problem: z.enum(['saknarChatt', 'kanInteLevereras']),
  }),
  /** To the municipality's fallback contact after the last chase went unanswered. */
  obesvaratTillReserv: z.object({
    routingNo: z.number().int().min(1),
    chaseNo: z.number().int().min(1),
  }),
  /** To the Upptäckare: "Mottaget av … den …". */
  mottaget: z.object({ byUserId: ZUserId, byDisplayName: z.string().min(1), at: ZInstant }),
  /** To the Upptäckare: the card was forwarded to another unit's Barnkontakt. */
  vidarebefordrat: z.object({
    routingNo: z.number().int().min(1),
    byUserId: ZUserId,
    toUserId: ZUserId,
    toDisplayName: z.string().min(1),
    toUnitId: z.string().min(1),
    at: ZInstant,
  }),
  /** To the Upptäckare: declined; the reason is the `avboj` chronology entry's note. */
  avbojt: z.object({ byUserId: ZUserId, byDisplayName: z.string().min(1), at: ZInstant }),
  /** To social services' intake: an orosanmälan with the Upptäckarkort attached. */
  orosanmalan: z.object({ intakeUnitId: z.string().min(1), cardAttached: z.boolean() }),
  /** To the Upptäckare: the follow-up date of the support in their own organisation has come. */
  uppfoljningEgenVerksamhet: z.object({ followUpDate: ZCalendarDate }),
  /**
   * To the Upptäckare: the Barnkontakt has made a Beslut. Only that and when: what was decided is
   * the Barnkontakt's to share with the family's consent, not the discoverer's receipt.
   */
  beslutFattat: z.object({ beslutNo: z.number().int().min(1), at: ZInstant }),
  /** To the Barnkontakt: the follow-up date of a Beslut om stöd i egen verksamhet has come. */
  uppfoljningBeslut: z.object({ beslutNo: z.number().int().min(1), followUpDate: ZCalendarDate }),
  /** To the Upptäckare: their child is on a Barnteam meeting's agenda (the time; nothing else). */
  barnteamDagordning: z.object({ meetingId: z.string().min(1), meetingStart: ZInstant }),
  /**
   * To a Barnteam member before the meeting (`offset` is an ISO 8601 duration such as `P1D`): the
   * bot renders the time, the Teams link, the agenda and the Skattningsformulär buttons from the
   * meeting document named by `meetingId`.
   */
  barnteamPaminnelse: z.object({
    meetingId: z.string().min(1),
    offset: z.string().min(1),
    meetingStart: ZInstant,
  }),
  /** To the Barnteam's members: the meeting moved. */
  barnteamFlyttat: z.object({
    meetingId: z.string().min(1),
    meetingStart: ZInstant,
    previousStart: ZInstant,
  }),
  /** To the Barnteam's members: the meeting was cancelled. */
  barnteamInstallt: z.object({ meetingId: z.string().min(1), meetingStart: ZInstant }),
  /**
   * To the convener: a required member declined the meeting at `meetingStart`. `member` is the
   * member's key on the meeting (the directory's contact id, else the Teams id), never an address.
   */
  barnteamAvbojt: z.object({
    meetingId: z.string().min(1),
    meetingStart: ZInstant,
    member: z.string().min(1).max(200),
  }),
  /** To the Barnkontakt: the follow-up date the Barnteam set for the child has come. */
  uppfoljningBarnteam: z.object({ meetingId: z.string().min(1), followUpDate: ZCalendarDate }),
  /**
   * A status post to the Individuellt barnteam's channel (`recipientKey: 'teamkanal:<caseId>'`,
   * resolved to the channel at delivery). Status only: `itemId` names the goal, action or member
   * in the case; the post never carries the child's name or what the plan says.
   */
  teamkanalStatus: z.object({
    event: z.enum(teamkanalEvents),
    itemId: z.string().min(1).max(200).optional(),
  }),
  /**
   * To the case's Barnkontakt: someone from an organisation with a SIP duty started an
   * Individuellt barnteam directly (seeds/002: the starter informs the Barnkontakt).
   */
  individuelltBarnteamStartatSip: z.object({ startedBy: ZUserId, startedByName: z.string().min(1) }),
  /** To an action's owner, in the personal chat: the action's date has passed and it is not done. */
  atgardForsenadPaminnelse: z.object({ actionId: z.string().min(1).max(40), dueDate: ZCalendarDate }),
  /** To a member of the Individuellt barnteam: the next meeting, booked from Barnets plan, is near. */
  teammotePaminnelse: z.object({ meetingStart: ZInstant, offset: z.string().min(1).max(20) }),
  /** To each Upptäckare of the case: the case is closed (barnets behov är uppfyllt); never why. */
  arendeAvslutat: z.object({ at: ZInstant }),
} as const satisfies Record<NoticeKind, z.ZodTypeAny>;

export type NoticeData<K extends NoticeKind> = z.infer<(typeof noticeDataSchemas)[K]>;

/**
 * A one-line Swedish summary per kind, without personal data: the activity summary (shown in
 * notifications and the activity feed) and the text when a card cannot be rendered.
 */
export const noticeSummaries: Readonly<Record<NoticeKind, string>> = {
  nyttArende: 'Ett Upptäckarkort väntar på dig som Barnkontakt.',
  upptackarkortTillagt: 'Nytt Upptäckarkort i ett pågående ärende.',
  paminnelseBarnkontakt: 'Påminnelse: ett Upptäckarkort väntar fortfarande på svar.',
  vantarFortfarande: 'Ditt Upptäckarkort väntar fortfarande på svar från Barnkontakten.',
  kortetNarInteFram: 'Ditt Upptäckarkort har inte kommit fram till Barnkontakten.',
  obesvaratTillReserv: 'Ett Upptäckarkort har inte besvarats av Barnkontakten.',
  mottaget: 'Ditt Upptäckarkort är mottaget av Barnkontakten.',
  vidarebefordrat: 'Ditt Upptäckarkort har skickats vidare till en annan Barnkontakt.',
  avbojt: 'Barnkontakten har avböjt ditt Upptäckarkort.',
  orosanmalan: 'En orosanmälan med bifogat Upptäckarkort har kommit in.',
  uppfoljningEgenVerksamhet: 'I dag är det dags att följa upp stödet i egen verksamhet.',
  beslutFattat: 'Barnkontakten har fattat beslut i ärendet som du upptäckte.',
  uppfoljningBeslut: 'I dag är det dags för uppföljningssamtal om stödet i egen verksamhet.',
  barnteamDagordning: 'Barnet du upptäckte är anmält till Barnteam; du är inbjuden till den punkten.',
  barnteamPaminnelse: 'Påminnelse: Barnteam snart. Fyll i Skattningsformuläret för barnen på dagordningen.',
  barnteamFlyttat: 'Ett Barnteam du är inbjuden till har flyttats till en ny tid.',
  barnteamInstallt: 'Ett Barnteam du är inbjuden till är inställt.',
  barnteamAvbojt: 'En deltagare som krävs har tackat nej till Barnteam. Du kan flytta mötet.',
  uppfoljningBarnteam: 'I dag är det dags att följa upp det som Barnteam beslutade.',
  teamkanalStatus: 'Barnets plan har uppdaterats.',
  individuelltBarnteamStartatSip:
    'Ett Individuellt barnteam har startats i ett ärende där du är Barnkontakt.',
  atgardForsenadPaminnelse: 'En åtgärd i Barnets plan som du ansvarar för är försenad.',
  teammotePaminnelse: 'Påminnelse: det Individuella barnteamet har möte snart.',
  arendeAvslutat: 'Ett ärende som du upptäckte är avslutat.',
};

export interface NoticeToSend<K extends NoticeKind> {
  /** Deterministic: derived from what caused the notice, so that enqueueing twice is harmless. */
  readonly id: string;
  readonly kind: K;
  readonly caseId: string;
  /** The recipient's Entra object id (a `ConversationStore` key). */
  readonly recipientKey: string;
  readonly data: NoticeData<K>;
  /** When it was caused; it is due at once. */
  readonly at: string;
}

/** The outbox message for a notice, validated against its kind's schema. */
export function buildNoticeMessage<K extends NoticeKind>(notice: NoticeToSend<K>): OutboxMessage {
  const data = noticeDataSchemas[notice.kind].parse(notice.data) as Record<string, string | number | boolean>;
  return {
    id: notice.id,
    recipientKey: notice.recipientKey,
    caseId: notice.caseId,
    payload: { kind: 'notice', notice: notice.kind, caseId: notice.caseId, data },
    status: 'pending',
    attempts: 0,
    nextAttemptAt: notice.at,
    createdAt: notice.at,
  };
}

/**
 * Reads a stored notice's data as its kind's type, for the renderer.
 *
 * @throws ZodError when the data does not fit the kind (a message from an incompatible version).
 */
export function readNoticeData<K extends NoticeKind>(kind: K, data: unknown): NoticeData<K> {
  return noticeDataSchemas[kind].parse(data) as NoticeData<K>;
}
