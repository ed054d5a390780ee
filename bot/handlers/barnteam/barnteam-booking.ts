/**
 * Booking a Barnteam meeting, by the unit's Barnkontakt who convenes the team:
 * - `barnteam.visa` (`{ caseId }`) opens the Boka Barnteam card with that child. It is the
 *   "Boka Barnteam" button on the Barnkontakt's answered card while the case is in `barnteam`.
 * - "boka barnteam" typed in the personal chat by a convener opens the same card, one per unit
 *   the convener convenes, with every child of the unit waiting for Barnteam that the convener
 *   may book (`listIdsByUnitAndState`, then each case read, checked and audited).
 * - `barnteam.foreslaTider` proposes free times (`proposeBarnteamSlots`); the card's `meetingId`
 *   then carries the proposal id, so booking the same proposal twice books one meeting.
 * - `barnteam.boka` books it (`bookBarnteam`) and answers with the Barnteam bokat card.
 * - `barnteam.visaBokning` (`{ meetingId }`) is the Barnteam bokat card's refresh, automatic when
 *   the convener opens it and by its Uppdatera svar button: it reads the members' answers from the
 *   calendar (`readAttendeeAnswers`, which tells the convener of a required member's decline).
 * The acting user comes from the activity; unit, cases and proposal on the card are only claims.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import { barnteamBokatVerbs, renderBarnteamBokat } from '../../../cards/barnteam/barnteam-bokat.js';
import { bokaBarnteamVerbs, renderBokaBarnteam } from '../../../cards/barnteam/boka-barnteam.js';
import type { AdaptiveCardJson } from '../../../cards/render-template.js';
import { besvaradEntryVerbs } from '../../../cards/upptackt/barnkontakt-notis-besvarad.js';
import { type MemberAnswer, readAttendeeAnswers } from '../../../flows/barnteam/attendee-answers.js';
import {
  type BarnteamDependencies,
  barnteamMessages,
  bookBarnteam,
  proposeBarnteamSlots,
  type RefusedCase,
} from '../../../flows/barnteam/book-barnteam.js';
import { buildAgendaItem } from '../../../flows/barnteam/meeting-agenda.js';
import {
  computeEarliestMeetingStart,
  describeMissedReminders,
} from '../../../flows/barnteam/meeting-reminders.js';
import { authorize } from '../../../flows/kernel/access.js';
import { type Calendar, toMailboxKey } from '../../../flows/kernel/calendar.js';
import { type Case, hasValidConsent } from '../../../flows/kernel/case.js';
import { type Actor, appendAudit } from '../../../flows/kernel/case-effects.js';
import { findBarnteamForUnit, type ResolvedBarnteam } from '../../../flows/kernel/directory.js';
import { isDomainError } from '../../../flows/kernel/errors.js';
import type { BarnteamMeeting, Versioned } from '../../../flows/kernel/ports.js';
import {
  toBarnteamBokatData,
  toCardSlot,
  toTeamMembers,
} from '../../card-views/samtal-beslut-barnteam-views.js';
import { readCaseForCard } from '../../case-cards.js';
import { onActionExecute, renderMessageCard } from '../../invoke-response.js';
import {
  actorMissing,
  cardNotRecognised,
  describeErrorCode,
  describeErrorForUser,
  refusedHeading,
  unexpectedErrorMessage,
} from '../../user-messages.js';
import { type HandlerContext, readActor } from '../handler-context.js';

/** Opens the Boka Barnteam card for one case. */
export const bokaBarnteamOpenVerb = besvaradEntryVerbs.bokaBarnteam;

export const noCalendarMessage =
  'Ingen kalender är kopplad till Backa barnet, så inga tider kan föreslås eller bokas. Kontakta den som förvaltar boten.';

/** "boka barnteam" from a convener whose units have no child to book. */
export const noChildWaitingMessage =
  'Inget barn väntar på Barnteam just nu. Ett barn kan bokas när du har beslutat att ta upp barnet ' +
  'på Barnteam och barnets skriftliga samtycke finns.';

/** The most children one card lists (the card's own limit). */
const waitingCasesLimit = 50;

const notConvenerAnywhere =
  'Bara en enhets Barnkontakt, som sammankallar enhetens Barnteam, kan boka Barnteam.';

const ZBookingCardData = z.object({
  unitId: z.string().min(1).max(100),
  meetingId: z.string().min(1).max(200),
  agendaCaseIds: z.string().max(2000).optional(),
  slot: z.string().max(100).optional(),
});

const bookCommand = /^\s*boka\s+barnteam[.!]?\s*$/i;

export function registerBarnteamBooking<TState extends TurnState>(
  app: Application<TState>,
  handlers: HandlerContext,
): void {
  app.message(
    async (context) =>
      context.activity.conversation?.conversationType === 'personal' &&
      bookCommand.test((context.activity.text ?? '').replace(/<at>.*?<\/at>/gi, ' ')),
    (context) => answerBookCommand(context, handlers),
  );
  onActionExecute(app, bokaBarnteamOpenVerb, (context, data) => openBooking(context, data, handlers));
  onActionExecute(app, bokaBarnteamVerbs.foreslaTider, (context, data) =>
    runBookingStep(context, data, handlers, bokaBarnteamVerbs.foreslaTider, proposeTimes),
  );
  onActionExecute(app, bokaBarnteamVerbs.boka, (context, data) =>
    runBookingStep(context, data, handlers, bokaBarnteamVerbs.boka, bookMeeting),
  );
  onActionExecute(app, barnteamBokatVerbs.visaBokning, (context, data) =>
    showBooking(context, data, handlers),
  );
}

const ZShowBookingData = z.object({ meetingId: z.string().min(1).max(200) });

/**
 * The booked meeting as it is now, with the members' answers read from the calendar. Anyone but
 * the convener is refused without meeting data.
 */
async function showBooking(
  context: TurnContext,
  data: Record<string, unknown>,
  handlers: HandlerContext,
): Promise<AdaptiveCardJson> {
  const log = { verb: barnteamBokatVerbs.visaBokning, activityId: context.activity.id };
  const actor = readActor(context.activity);
  if (actor === undefined) return renderMessageCard(actorMissing, { heading: refusedHeading });
  const parsed = ZShowBookingData.safeParse(data);
  if (!parsed.success) return renderMessageCard(cardNotRecognised);
  if (handlers.calendar === undefined) return renderMessageCard(noCalendarMessage);
  try {
    const deps = withCalendar(handlers, handlers.calendar);
    const result = await readAttendeeAnswers(deps, { meetingId: parsed.data.meetingId, actor });
    handlers.logger.info(
      { ...log, meetingId: parsed.data.meetingId, outcome: result.outcome },
      'Barnteam visat',
    );
    if (result.outcome === 'refused') {
      return renderMessageCard(result.message, { heading: refusedHeading });
    }
    // A decline is in the outbox for the convener: deliver it.
    if (result.outcome === 'read') handlers.kick();
    const answers =
      result.outcome === 'read'
        ? result.answers
        : result.outcome === 'calendarUnavailable'
          ? 'unavailable'
          : undefined;
    const declined =
      result.outcome === 'read'
        ? describeDeclines(result.answers, result.meeting.value, handlers)
        : undefined;
    const cardData = toBarnteamBokatData(result.meeting, actor.userId, handlers.flow.directory, {
      ...(answers === undefined ? {} : { answers }),
      ...(declined === undefined ? {} : { formError: declined }),
    });
    return cardData === undefined
      ? renderMessageCard(describeMeetingState(result.meeting.value))
      : renderBarnteamBokat(cardData);
  } catch (error) {
    if (isDomainError(error, 'notFound')) {
      return renderMessageCard('Mötet finns inte längre.', { heading: refusedHeading });
    }
    handlers.logger.error({ ...log, err: error, outcome: 'fel' }, 'Barnteam kunde inte visas');
    return renderMessageCard(isDomainError(error) ? describeErrorForUser(error) : unexpectedErrorMessage);
  }
}

/** "Erik Falk (Polisen) har tackat nej…": the required members who declined, by name and role. */
function describeDeclines(
  answers: readonly MemberAnswer[],
  meeting: BarnteamMeeting,
  handlers: HandlerContext,
): string | undefined {
  const team = findBarnteamForUnit(handlers.flow.directory, meeting.unitId);
  const names = answers
    .filter((answer) => answer.required && answer.response === 'declined')
    .map((answer) => {
      const member = team?.members.find(
        (item) => toMailboxKey(item.contact.email) === toMailboxKey(answer.email),
      );
      return member === undefined ? 'En deltagare' : `${member.contact.displayName} (${member.roleLabel})`;
    });
  if (names.length === 0) return undefined;
  return `${names.join(', ')} har tackat nej och krävs på mötet. Vill du flytta det, välj Flytta mötet.`;
}

function describeMeetingState(meeting: BarnteamMeeting): string {
  if (meeting.state === 'cancelled') return 'Mötet är inställt.';
  if (meeting.state === 'held') return 'Mötet är hållet.';
  return 'Mötet kan inte visas.';
}

/**
 * "boka barnteam": one Boka Barnteam card per unit whose team the actor convenes and where a
 * child waits, or a text saying why there is none.
 */
async function answerBookCommand(context: TurnContext, handlers: HandlerContext): Promise<void> {
  const log = { command: 'boka barnteam', activityId: context.activity.id };
  const actor = readActor(context.activity);
  const teams = actor === undefined ? [] : listConvenedTeams(handlers, actor.userId);
  if (actor === undefined || teams.length === 0) {
    await sendText(context, notConvenerAnywhere);
    handlers.logger.info({ ...log, outcome: 'refused' }, 'Boka Barnteam nekat');
    return;
  }
  try {
    const cards: AdaptiveCardJson[] = [];
    for (const team of teams) {
      const waiting = await readBookableCases(handlers, team, actor);
      if (waiting.length === 0) continue;
      cards.push(
        renderBokaBarnteam({
          unitId: team.unitId,
          teamName: team.name,
          meetingId: handlers.flow.newId(),
          waitingCases: waiting.map(buildAgendaItem),
          members: toTeamMembers(team),
          values: { agendaCaseIds: waiting.map((caseValue) => caseValue.id).join(',') },
        }),
      );
    }
    if (cards.length === 0) {
      await sendText(context, noChildWaitingMessage);
    } else {
      await context.sendActivity({
        summary: 'Boka Barnteam',
        attachments: cards.map((card) => CardFactory.adaptiveCard(card)),
      });
    }
    handlers.logger.info({ ...log, cards: cards.length, outcome: 'shown' }, 'Boka Barnteam visat');
  } catch (error) {
    handlers.logger.error({ ...log, err: error, outcome: 'fel' }, 'Boka Barnteam kunde inte visas');
    await sendText(context, isDomainError(error) ? describeErrorForUser(error) : unexpectedErrorMessage);
  }
}

/** The Barnteam of every unit whose Barnkontakt, the team's convener, is this user. */
function listConvenedTeams(handlers: HandlerContext, userId: string): ResolvedBarnteam[] {
  const { directory } = handlers.flow;
  return directory.units.flatMap((unit) => {
    const team = findBarnteamForUnit(directory, unit.id);
    return team !== undefined && team.convener.aadObjectId === userId ? [team] : [];
  });
}

/**
 * The unit's cases in `barnteam` that the convener may put on the agenda: they lead the case
 * as its Barnkontakt and the written consent is in force, as `proposeBarnteamSlots` requires.
 * Each case read is audited (docs/security.md 7), refused when it is not shown.
 */
async function readBookableCases(
  handlers: HandlerContext,
  team: ResolvedBarnteam,
  actor: Actor,
): Promise<Case[]> {
  const { flow } = handlers;
  const caseIds = await flow.stores.cases.listIdsByUnitAndState(team.unitId, 'barnteam', waitingCasesLimit);
  const bookable: Case[] = [];
  for (const caseId of caseIds) {
    const stored = await flow.stores.cases.get(caseId);
    if (stored === undefined) continue;
    const caseValue = stored.value;
    // The list is only a hint: the case may have moved on since, so it decides for itself.
    const allowed =
      caseValue.unitId === team.unitId &&
      caseValue.state === 'barnteam' &&
      authorize(caseValue, actor.userId, 'beslutaBarnteam').allowed &&
      hasValidConsent(caseValue, 'skriftligt');
    await appendAudit(flow, {
      at: flow.clock.now().toISOString(),
      actor: actor.userId,
      action: 'lasArende',
      caseId: caseValue.id,
      unitId: caseValue.unitId,
      outcome: allowed ? 'allowed' : 'refused',
    });
    if (allowed) bookable.push(caseValue);
  }
  return bookable;
}

async function sendText(context: TurnContext, text: string): Promise<void> {
  await context.sendActivity({ type: 'message', text, textFormat: 'markdown' });
}

async function openBooking(
  context: TurnContext,
  data: Record<string, unknown>,
  handlers: HandlerContext,
): Promise<AdaptiveCardJson> {
  const { flow, logger } = handlers;
  const log = { verb: bokaBarnteamOpenVerb, activityId: context.activity.id };
  const actor = readActor(context.activity);
  if (actor === undefined) return renderMessageCard(actorMissing, { heading: refusedHeading });
  const caseId = z.string().min(1).max(100).safeParse(data.caseId);
  if (!caseId.success) return renderMessageCard(cardNotRecognised);
  try {
    const read = await readCaseForCard(flow, caseId.data, actor.userId, (current) => {
      const caseValue = current.value;
      const team = findBarnteamForUnit(flow.directory, caseValue.unitId);
      if (team === undefined || team.convener.aadObjectId !== actor.userId) return undefined;
      if (caseValue.state !== 'barnteam') return undefined;
      return renderBokaBarnteam({
        unitId: caseValue.unitId,
        teamName: team.name,
        meetingId: flow.newId(),
        waitingCases: [buildAgendaItem(caseValue)],
        members: toTeamMembers(team),
        values: { agendaCaseIds: caseValue.id },
      });
    });
    logger.info({ ...log, caseId: caseId.data, outcome: read.outcome }, 'Boka Barnteam visat');
    if (read.outcome === 'shown') return read.card;
    if (read.outcome === 'notFound') {
      return renderMessageCard(describeErrorCode('notFound'), { heading: refusedHeading });
    }
    return renderMessageCard(`${barnteamMessages.notConvener} Barnet ska vara beslutat till Barnteam.`, {
      heading: refusedHeading,
    });
  } catch (error) {
    logger.error({ ...log, err: error, outcome: 'fel' }, 'Boka Barnteam kunde inte visas');
    return renderMessageCard(isDomainError(error) ? describeErrorForUser(error) : unexpectedErrorMessage);
  }
}

interface BookingStep {
  readonly deps: BarnteamDependencies;
  readonly actor: Actor;
  readonly card: z.infer<typeof ZBookingCardData>;
  readonly caseIds: string[];
}

async function runBookingStep(
  context: TurnContext,
  data: Record<string, unknown>,
  handlers: HandlerContext,
  verb: string,
  step: (input: BookingStep, handlers: HandlerContext) => Promise<AdaptiveCardJson>,
): Promise<AdaptiveCardJson> {
  const log = { verb, activityId: context.activity.id };
  const actor = readActor(context.activity);
  if (actor === undefined) return renderMessageCard(actorMissing, { heading: refusedHeading });
  const parsed = ZBookingCardData.safeParse(data);
  if (!parsed.success) return renderMessageCard(cardNotRecognised);
  if (handlers.calendar === undefined) return renderMessageCard(noCalendarMessage);
  const caseIds = (parsed.data.agendaCaseIds ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  try {
    const deps = withCalendar(handlers, handlers.calendar);
    return await step({ deps, actor, card: parsed.data, caseIds }, handlers);
  } catch (error) {
    if (isDomainError(error, 'notFound')) {
      return renderMessageCard(barnteamMessages.noTeam, { heading: refusedHeading });
    }
    if (isDomainError(error)) {
      handlers.logger.warn({ ...log, outcome: error.code }, 'Barnteam kunde inte bokas');
      return renderMessageCard(describeErrorForUser(error));
    }
    handlers.logger.error({ ...log, err: error, outcome: 'fel' }, 'Barnteam-åtgärden misslyckades');
    return renderMessageCard(unexpectedErrorMessage);
  }
}

async function proposeTimes(input: BookingStep, handlers: HandlerContext): Promise<AdaptiveCardJson> {
  const { deps, actor, card, caseIds } = input;
  const result = await proposeBarnteamSlots(deps, {
    unitId: card.unitId,
    caseIds,
    actor,
    from: earliestMeetingStart(deps, card.unitId),
  });
  handlers.logger.info(
    { verb: bokaBarnteamVerbs.foreslaTider, unitId: card.unitId, outcome: result.outcome },
    'Tider för Barnteam',
  );
  if (result.outcome === 'refused') {
    return renderMessageCard(describeRefusal(result.message, result.refusedCases), {
      heading: refusedHeading,
    });
  }
  const team = findBarnteamForUnit(deps.directory, card.unitId);
  const refused = result.refusedCases.length > 0 ? describeRefusal('', result.refusedCases) : undefined;
  return renderBokaBarnteam({
    unitId: card.unitId,
    teamName: team?.name ?? 'Barnteam',
    // The proposal id: booking it twice books one meeting (`toMeetingId`).
    meetingId: result.proposalId,
    waitingCases: result.agenda.map((item) => ({
      caseId: item.caseId,
      reference: item.reference,
      initials: item.initials,
    })),
    members:
      team === undefined
        ? []
        : toTeamMembers(team, {
            unreadable: new Set(
              result.members.filter((member) => !member.readable).map((member) => toMailboxKey(member.email)),
            ),
          }),
    proposal:
      result.slots.length > 0
        ? { status: 'tider', slots: result.slots.map(toCardSlot) }
        : { status: 'ingenTid', message: result.noSlotMessage ?? 'Ingen tid hittades.' },
    values: { agendaCaseIds: result.agenda.map((item) => item.caseId).join(',') },
    ...(refused === undefined ? {} : { formError: refused }),
  });
}

async function bookMeeting(input: BookingStep, handlers: HandlerContext): Promise<AdaptiveCardJson> {
  const { deps, actor, card, caseIds } = input;
  const team = findBarnteamForUnit(deps.directory, card.unitId);
  const start = Date.parse(card.slot ?? '');
  if (team === undefined) return renderMessageCard(barnteamMessages.noTeam, { heading: refusedHeading });
  if (Number.isNaN(start)) return renderMessageCard('Välj en tid att boka.');
  const at = deps.clock.now().toISOString();
  const result = await bookBarnteam(deps, {
    unitId: card.unitId,
    caseIds,
    slot: {
      start: new Date(start).toISOString(),
      end: new Date(start + team.meetingMinutes * 60_000).toISOString(),
    },
    actor,
    proposalId: card.meetingId,
    at,
  });
  handlers.logger.info(
    { verb: bokaBarnteamVerbs.boka, unitId: card.unitId, outcome: result.outcome },
    'Barnteam bokat',
  );
  if (result.outcome === 'refused') {
    return renderMessageCard(describeRefusal(result.message, result.refusedCases), {
      heading: refusedHeading,
    });
  }
  // Reminders to the members and notices to the Upptäckare are in the outbox: deliver them.
  handlers.kick();
  // Booked is a success; a child who could not be put on the agenda is a problem to act on.
  if (result.outcome !== 'alreadyBooked' && result.refusedCases.length > 0) {
    return renderBokatCard(result.meeting, actor, handlers, {
      formError: describeRefusal('Barnteam är bokat.', result.refusedCases),
    });
  }
  return renderBokatCard(result.meeting, actor, handlers, {
    confirmation:
      result.outcome === 'alreadyBooked'
        ? result.message
        : withMissedReminders('Barnteam är bokat. Kallelsen är skickad.', result.meeting.value, deps),
  });
}

/**
 * The confirmation of a booked or moved meeting, with the reminders that can no longer go out
 * named: a meeting booked close ahead must not lose its day-before reminder in silence.
 */
export function withMissedReminders(
  confirmation: string,
  meeting: BarnteamMeeting,
  deps: Pick<BarnteamDependencies, 'clock' | 'directory'>,
): string {
  const team = findBarnteamForUnit(deps.directory, meeting.unitId);
  const missed = describeMissedReminders(
    meeting.start,
    team?.reminderOffsets ?? [],
    deps.clock.now().toISOString(),
  );
  if (missed.length === 0) return confirmation;
  // Named while they are few; a team with many reminders gets a count, so the line stays short.
  const which =
    missed.length === 1
      ? `Påminnelsen ${missed[0]}`
      : missed.length === 2
        ? `Påminnelserna ${missed.join(' och ')}`
        : `${missed.length} av mötets ${team?.reminderOffsets.length ?? missed.length} påminnelser`;
  return `${confirmation} ${which} hinner inte skickas, eftersom mötet är så nära.`;
}

/** The Barnteam bokat card for the convener, or a message card when there is nothing to show. */
export function renderBokatCard(
  meeting: Versioned<BarnteamMeeting>,
  actor: Actor,
  handlers: HandlerContext,
  notice: { readonly confirmation: string } | { readonly formError: string },
): AdaptiveCardJson {
  const data = toBarnteamBokatData(meeting, actor.userId, handlers.flow.directory, notice);
  const text = 'confirmation' in notice ? notice.confirmation : notice.formError;
  return data === undefined ? renderMessageCard(text) : renderBarnteamBokat(data);
}

/**
 * The first time the bot proposes for the unit's Barnteam: the team's notice in working days
 * from now (the directory's `minimumNoticeWorkingDays`), so that every reminder can go out and
 * the members have time for the Skattningsformulär.
 */
export function earliestMeetingStart(
  deps: Pick<BarnteamDependencies, 'clock' | 'directory'>,
  unitId: string,
): string {
  const now = deps.clock.now().toISOString();
  const team = findBarnteamForUnit(deps.directory, unitId);
  return computeEarliestMeetingStart(
    now,
    team ?? { minimumNoticeWorkingDays: 0, reminderOffsets: [] },
    deps.directory.workingTime,
  );
}

function withCalendar(handlers: HandlerContext, calendar: Calendar): BarnteamDependencies {
  return { ...handlers.flow, calendar };
}

function describeRefusal(message: string, refusedCases: readonly RefusedCase[]): string {
  const lines = refusedCases.map((item) =>
    item.reference === undefined ? item.message : `${item.reference}: ${item.message}`,
  );
  return [message, ...lines].filter((line) => line !== '').join('\n\n');
}
