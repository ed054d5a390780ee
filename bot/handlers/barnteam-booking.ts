/**
 * Booking a Barnteam meeting (issue 4, item 4), by the unit's Barnkontakt who convenes the team:
 * - `barnteam.visa` (`{ caseId }`) opens the Boka Barnteam card with that child. It is the
 *   "Boka Barnteam" button on the Barnkontakt's answered card while the case is in `barnteam`.
 * - "boka barnteam" typed in the personal chat explains that way in: the stores have no query
 *   for a unit's cases (ports.ts), so the bot cannot list the children waiting for Barnteam.
 * - `barnteam.foreslaTider` proposes free times (`proposeBarnteamSlots`); the card's `meetingId`
 *   then carries the proposal id, so booking the same proposal twice books one meeting.
 * - `barnteam.boka` books it (`bookBarnteam`) and answers with the Barnteam bokat card.
 * The acting user comes from the activity; unit, cases and proposal on the card are only claims.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { besvaradEntryVerbs } from '../../cards/barnkontakt-notis-besvarad.js';
import { renderBarnteamBokat } from '../../cards/barnteam-bokat.js';
import { bokaBarnteamVerbs, renderBokaBarnteam } from '../../cards/boka-barnteam.js';
import type { AdaptiveCardJson } from '../../cards/render-template.js';
import {
  type BarnteamDependencies,
  barnteamMessages,
  bookBarnteam,
  proposeBarnteamSlots,
  type RefusedCase,
} from '../../flows/book-barnteam.js';
import type { Calendar } from '../../flows/calendar.js';
import type { Actor } from '../../flows/case-effects.js';
import { findBarnteamForUnit } from '../../flows/directory.js';
import { isDomainError } from '../../flows/errors.js';
import { buildAgendaItem } from '../../flows/meeting-agenda.js';
import type { BarnteamMeeting, Versioned } from '../../flows/ports.js';
import { readCaseForCard } from '../case-cards.js';
import { onActionExecute, renderMessageCard } from '../invoke-response.js';
import { toBarnteamBokatData, toCardSlot, toTeamMembers } from '../issue4-card-views.js';
import {
  actorMissing,
  cardNotRecognised,
  describeErrorCode,
  describeErrorForUser,
  refusedHeading,
  unexpectedErrorMessage,
} from '../user-messages.js';
import { type HandlerContext, readActor } from './handler-context.js';

/** Opens the Boka Barnteam card for one case. */
export const bokaBarnteamOpenVerb = besvaradEntryVerbs.bokaBarnteam;

export const noCalendarMessage =
  'Ingen kalender är kopplad till Backa barnet, så inga tider kan föreslås eller bokas. Kontakta den som förvaltar boten.';

export const bokaBarnteamHowTo =
  'Öppna barnets kort (Upptäckarkort till Barnkontakt) här i chatten och välj **Boka Barnteam**. ' +
  'Knappen finns när du har beslutat att ta upp barnet på Barnteam och barnets skriftliga samtycke finns.';

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
    async (context) => {
      const actor = readActor(context.activity);
      const convenes =
        actor !== undefined &&
        handlers.flow.directory.units.some((unit) => {
          const team = findBarnteamForUnit(handlers.flow.directory, unit.id);
          return team?.convener.aadObjectId === actor.userId;
        });
      await context.sendActivity({
        type: 'message',
        text: convenes ? bokaBarnteamHowTo : notConvenerAnywhere,
        textFormat: 'markdown',
      });
    },
  );
  onActionExecute(app, bokaBarnteamOpenVerb, (context, data) => openBooking(context, data, handlers));
  onActionExecute(app, bokaBarnteamVerbs.foreslaTider, (context, data) =>
    runBookingStep(context, data, handlers, bokaBarnteamVerbs.foreslaTider, proposeTimes),
  );
  onActionExecute(app, bokaBarnteamVerbs.boka, (context, data) =>
    runBookingStep(context, data, handlers, bokaBarnteamVerbs.boka, bookMeeting),
  );
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
    from: earliestMeetingStart(deps.clock.now()),
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
    members: team === undefined ? [] : toTeamMembers(team),
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
  const notice =
    result.outcome === 'alreadyBooked'
      ? result.message
      : result.refusedCases.length > 0
        ? describeRefusal('Barnteam är bokat.', result.refusedCases)
        : 'Barnteam är bokat. Kallelsen är skickad.';
  return renderBokatCard(result.meeting, actor, handlers, notice);
}

/** The Barnteam bokat card for the convener, or a message card when there is nothing to show. */
export function renderBokatCard(
  meeting: Versioned<BarnteamMeeting>,
  actor: Actor,
  handlers: HandlerContext,
  notice: string,
): AdaptiveCardJson {
  const data = toBarnteamBokatData(meeting, actor.userId, handlers.flow.directory, { formError: notice });
  return data === undefined ? renderMessageCard(notice) : renderBarnteamBokat(data);
}

/**
 * Proposed times start an hour from now: a slot starting this minute is refused as passed by
 * the time the convener clicks Boka, and nobody can join a meeting called that late anyway.
 */
export function earliestMeetingStart(now: Date): string {
  return new Date(now.getTime() + meetingLeadMs).toISOString();
}

const meetingLeadMs = 60 * 60_000;

function withCalendar(handlers: HandlerContext, calendar: Calendar): BarnteamDependencies {
  return { ...handlers.flow, calendar };
}

function describeRefusal(message: string, refusedCases: readonly RefusedCase[]): string {
  const lines = refusedCases.map((item) =>
    item.reference === undefined ? item.message : `${item.reference}: ${item.message}`,
  );
  return [message, ...lines].filter((line) => line !== '').join('\n\n');
}
