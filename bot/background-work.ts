/**
 * The bot's background work: one outbox dispatcher that delivers every proactive message
 * (docs/security.md 13) and one reminder sweeper that runs the support process's timed steps
 * (docs/security.md 14: chasing an unanswered card, the follow-ups of stöd i egen verksamhet and of a
 * Beslut, the Barnteam reminders and follow-ups, and completing an interrupted booking).
 *
 * Both sweep the shared store and claim each item with its ETag, so any number of instances may
 * run this at once. Within one instance the outbox is swept by one runner only: the timer and
 * `kick()` (called after an invoke has been answered, so its notice goes out at once) both go
 * through it, and a kick during a sweep makes that sweep run once more instead of overlapping.
 *
 * A message that is parked, or whose recipient the bot cannot reach yet, is not a silent drop:
 * the municipality's fallback contact gets a text naming the staff member (never child data).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { renderLogguppfoljning } from '../cards/logguppfoljning/logguppfoljning.js';
import { handleAnswerCheck } from '../flows/barnteam/attendee-answers.js';
import { bookingRepairReminderKind, handleBookingRepair } from '../flows/barnteam/book-barnteam.js';
import {
  answerCheckReminderKind,
  handleMeetingReminder,
  meetingReminderKind,
} from '../flows/barnteam/meeting-reminders.js';
import {
  barnteamFollowUpReminderKind,
  handleBarnteamFollowUp,
} from '../flows/barnteam/record-barnteam-outcome.js';
import {
  handleTeamMeetingReminder,
  handleTeamMeetingRepair,
  teamMeetingReminderKinds,
} from '../flows/individuellt-barnteam/book-team-meeting.js';
import { handleOverdueAction } from '../flows/individuellt-barnteam/plan-actions.js';
import {
  createTeamChannel,
  pinPlanTab,
  syncTeamChannelMembers,
  type TeamChannelJobDependencies,
} from '../flows/individuellt-barnteam/team-channel-jobs.js';
import {
  archiveTeamChannel,
  deleteTeamChannel,
} from '../flows/individuellt-barnteam/team-channel-retirement.js';
import { teamReminderKinds } from '../flows/individuellt-barnteam/team-effects.js';
import { roleLabels } from '../flows/kernel/access.js';
import type { Calendar } from '../flows/kernel/calendar.js';
import {
  type FlowDependencies,
  findUpptackare,
  reminderKinds,
  toNoticeId,
} from '../flows/kernel/case-effects.js';
import { type Directory, findContact } from '../flows/kernel/directory.js';
import { buildNoticeMessage } from '../flows/kernel/notices.js';
import type { Clock, Reminder, Stores } from '../flows/kernel/ports.js';
import {
  archiveTeamChannelReminderKind,
  type ChannelConversations,
  createTeamChannelReminderKind,
  deleteTeamChannelReminderKind,
  pinPlanTabReminderKind,
  syncTeamChannelMembersReminderKind,
  type TeamChannels,
} from '../flows/kernel/team-channel.js';
import {
  ensureWeeklyLogReview,
  sendWeeklyLogReview,
  weeklyLogReviewReminderKind,
} from '../flows/log-review/weekly-log-review.js';
import {
  dailyRetentionReminderKind,
  ensureDailyRetention,
  eraseDueCases,
} from '../flows/retention/erase-due-cases.js';
import { decisionFollowUpReminderKind, followUpDecision } from '../flows/samtal-och-beslut/decide.js';
import { chaseUnansweredCase } from '../flows/upptackt/chase-unanswered-case.js';
import { followUpOwnSupport } from '../flows/upptackt/follow-up-own-support.js';
import type { Logger } from '../infra/logger.js';
import {
  createOutboxDispatcher,
  defaultOutboxDispatcherOptions,
  type OutboxDispatcherOptions,
  type OutboxNotice,
} from '../infra/outbox/outbox-dispatcher.js';
import { createSweepLoop } from '../infra/outbox/sweep-loop.js';
import { createRecipientResolver } from '../infra/outbox/team-channel-recipients.js';
import {
  createReminderSweeper,
  defaultReminderSweeperOptions,
  type ReminderSweeperOptions,
} from '../infra/reminders/reminder-sweeper.js';
import { toLogguppfoljningData } from './card-views/log-review-view.js';
import { createConnectorMessageSender } from './connector-message-sender.js';
import type { ProactiveSender } from './proactive.js';

export interface BackgroundWorkOptions {
  readonly outbox?: Partial<OutboxDispatcherOptions>;
  readonly reminders?: Partial<ReminderSweeperOptions>;
  /** Wait after a kick, so that the several notices one action enqueues go out in one sweep. */
  readonly kickDelayMs?: number;
  /** Chases before the fallback contact is told (flows default: 2). */
  readonly maxChases?: number;
}

export interface BackgroundWorkDependencies {
  readonly stores: Stores;
  readonly directory: Directory;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly sendProactive: ProactiveSender['send'];
  /** IDENTITY_HASH_KEY, for the use cases the reminders run. */
  readonly identityKeySecret: Uint8Array | string;
  /** Names this process in claims (e.g. the App Service instance id plus the process id). */
  readonly instanceId: string;
  /**
   * Where Barnteam meetings are booked, for completing an interrupted booking. Without it this
   * instance leaves those reminders to one that has a calendar.
   */
  readonly calendar?: Calendar;
  /**
   * The Individuellt barnteams' private channels (Graph, or the playground locally) and the Bot
   * Connector's conversations in them. Without them this instance leaves those reminders to one
   * that has them; the team's posts wait in the outbox.
   */
  readonly teamChannels?: {
    readonly channels: TeamChannels;
    readonly conversations: ChannelConversations;
    /** The channel tab's page for a case, when the tab is served: the bot pins it in each channel. */
    readonly planTabUrl?: (caseId: string) => string;
  };
  readonly options?: BackgroundWorkOptions;
}

export interface BackgroundWork {
  /** Sweeps at once (catching up after downtime), then on the timers. */
  start(): void;
  /** Delivers what is due soon, without waiting for the timer; coalesced, never overlapping. */
  kick(): void;
  /** Stops the timers and waits for a running sweep. */
  stop(): Promise<void>;
  /** One reminder sweep and then one outbox sweep (tests, scripts). */
  runOnce(): Promise<void>;
}

export const defaultKickDelayMs = 50;

/** Outbox ids of the notices to the fallback contact start here; they are never reported on themselves. */
const fallbackNoticeMarker = ':reservkontakt:';
const maxOutboxIdLength = 200;
/** In the ids of the notices that tell the Upptäckare their card did not arrive (`toNoticeId`). */
const upptackareDeliveryNoticeMarker = ':notis:kortetNarInteFram:';

export function createBackgroundWork(deps: BackgroundWorkDependencies): BackgroundWork {
  const { stores, directory, clock, calendar } = deps;
  const logger = deps.logger.child({ component: 'background', instanceId: deps.instanceId });
  const options = deps.options ?? {};
  const kickDelayMs = options.kickDelayMs ?? defaultKickDelayMs;

  const flow: FlowDependencies = {
    stores,
    directory,
    clock,
    identityKeySecret: deps.identityKeySecret,
    newId: randomUUID,
    randomBytes: (count) => new Uint8Array(randomBytes(count)),
    ...(options.maxChases === undefined ? {} : { maxChases: options.maxChases }),
  };

  const dispatcher = createOutboxDispatcher({
    outbox: stores.outbox,
    conversations: stores.conversations,
    // A team's posts (`teamkanal:<caseId>`) wait for its channel; see team-channel-recipients.ts.
    resolveRecipient: createRecipientResolver(stores.conversations),
    sender: createConnectorMessageSender({
      sendProactive: deps.sendProactive,
      render: { stores, directory, clock },
      logger,
    }),
    clock,
    instanceId: deps.instanceId,
    logger: deps.logger,
    onParked: (notice) => tellFallback(notice, 'parked'),
    onUnreachable: (notice) => tellFallback(notice, 'unreachable'),
    onLate: (notice) => tellFallback(notice, 'late'),
    ...(options.outbox === undefined ? {} : { options: options.outbox }),
  });

  const sweeper = createReminderSweeper({
    reminders: stores.reminders,
    clock,
    instanceId: deps.instanceId,
    logger: deps.logger,
    handlers: {
      [reminderKinds.chaseBarnkontakt]: async (reminder: Reminder) => {
        const result = await chaseUnansweredCase(flow, reminder);
        logger.info(
          { reminderId: reminder.id, caseId: reminder.caseId, outcome: result.outcome },
          'Jakt på obesvarat kort',
        );
      },
      [reminderKinds.foljUppEgenVerksamhet]: async (reminder: Reminder) => {
        const reminded = await followUpOwnSupport(flow, reminder);
        logger.info(
          { reminderId: reminder.id, caseId: reminder.caseId, reminded },
          'Uppföljning av stöd i egen verksamhet',
        );
      },
      [decisionFollowUpReminderKind]: async (reminder: Reminder) => {
        const reminded = await followUpDecision(flow, reminder);
        logger.info({ reminderId: reminder.id, caseId: reminder.caseId, reminded }, 'Uppföljning av beslut');
      },
      [meetingReminderKind]: async (reminder: Reminder) => {
        const result = await handleMeetingReminder(flow, reminder);
        logger.info(
          {
            reminderId: reminder.id,
            outcome: result.outcome,
            ...(result.outcome === 'silent' ? { why: result.why } : {}),
          },
          'Påminnelse om Barnteam',
        );
      },
      [barnteamFollowUpReminderKind]: async (reminder: Reminder) => {
        const outcome = await handleBarnteamFollowUp(flow, reminder);
        logger.info(
          { reminderId: reminder.id, caseId: reminder.caseId, outcome },
          'Uppföljning efter Barnteam',
        );
      },
      [teamReminderKinds.atgardForsenad]: async (reminder: Reminder) => {
        const outcome = await handleOverdueAction(flow, reminder);
        logger.info(
          { reminderId: reminder.id, caseId: reminder.caseId, outcome },
          'Försenad åtgärd i Barnets plan',
        );
      },
      [teamMeetingReminderKinds.paminnelse]: async (reminder: Reminder) => {
        const outcome = await handleTeamMeetingReminder(flow, reminder);
        logger.info(
          { reminderId: reminder.id, caseId: reminder.caseId, outcome },
          'Påminnelse om Individuellt barnteam',
        );
      },
      [weeklyLogReviewReminderKind]: async (reminder: Reminder) => {
        const outcome = await sendWeeklyLogReview(flow, reminder, (review) => ({
          card: renderLogguppfoljning(toLogguppfoljningData(review, directory)),
          summary: 'Veckans logguppföljning av åtkomstloggen i Backa barnet.',
        }));
        logger.info({ reminderId: reminder.id, sentTo: outcome.sentTo }, 'Veckans logguppföljning');
      },
      [dailyRetentionReminderKind]: async (reminder: Reminder) => {
        const outcome = await eraseDueCases(flow, reminder);
        logger.info({ reminderId: reminder.id, ...outcome }, 'Nattens gallring');
      },
      ...(deps.teamChannels === undefined ? {} : teamChannelHandlers(deps.teamChannels)),
      ...(calendar === undefined
        ? {}
        : {
            [bookingRepairReminderKind]: async (reminder: Reminder) => {
              const outcome = await handleBookingRepair({ ...flow, calendar }, reminder);
              logger.info({ reminderId: reminder.id, outcome }, 'Avbruten Barnteambokning');
            },
            [teamMeetingReminderKinds.slutfor]: async (reminder: Reminder) => {
              const outcome = await handleTeamMeetingRepair({ ...flow, calendar }, reminder);
              logger.info(
                { reminderId: reminder.id, caseId: reminder.caseId, outcome },
                'Avbruten bokning av Individuellt barnteam',
              );
            },
            [answerCheckReminderKind]: async (reminder: Reminder) => {
              const outcome = await handleAnswerCheck({ ...flow, calendar }, reminder);
              logger.info({ reminderId: reminder.id, outcome }, 'Svar på Barnteam-kallelsen');
            },
          }),
    },
    ...(options.reminders === undefined ? {} : { options: options.reminders }),
  });

  function teamChannelHandlers(
    teamChannels: NonNullable<BackgroundWorkDependencies['teamChannels']>,
  ): Record<string, (reminder: Reminder) => Promise<void>> {
    const jobs: TeamChannelJobDependencies = {
      ...flow,
      teamChannels: teamChannels.channels,
      channelConversations: teamChannels.conversations,
      ...(teamChannels.planTabUrl === undefined ? {} : { planTabUrl: teamChannels.planTabUrl }),
    };
    return {
      [createTeamChannelReminderKind]: async (reminder) => {
        const outcome = await createTeamChannel(jobs, reminder);
        logger.info({ reminderId: reminder.id, caseId: reminder.caseId, outcome }, 'Teamets privata kanal');
      },
      [pinPlanTabReminderKind]: async (reminder) => {
        const outcome = await pinPlanTab(jobs, reminder);
        logger.info(
          { reminderId: reminder.id, caseId: reminder.caseId, outcome },
          'Kanalfliken i teamkanalen',
        );
      },
      [syncTeamChannelMembersReminderKind]: async (reminder) => {
        const outcome = await syncTeamChannelMembers(jobs, reminder);
        logger.info({ reminderId: reminder.id, caseId: reminder.caseId, outcome }, 'Teamkanalens medlemmar');
      },
      [archiveTeamChannelReminderKind]: async (reminder) => {
        const outcome = await archiveTeamChannel(jobs, reminder);
        logger.info({ reminderId: reminder.id, caseId: reminder.caseId, outcome }, 'Teamkanalen arkiveras');
      },
      [deleteTeamChannelReminderKind]: async (reminder) => {
        const outcome = await deleteTeamChannel(jobs, reminder);
        logger.info({ reminderId: reminder.id, caseId: reminder.caseId, outcome }, 'Teamkanalen tas bort');
      },
    };
  }

  let running = false;
  let kickTimer: NodeJS.Timeout | undefined;
  let outboxRun: Promise<void> | undefined;
  let sweepAgain = false;

  /** The one way into the dispatcher in this process: a call during a sweep asks for one more. */
  function sweepOutbox(): Promise<void> {
    if (outboxRun !== undefined) {
      sweepAgain = true;
      return outboxRun;
    }
    const run = (async () => {
      try {
        do {
          sweepAgain = false;
          await dispatcher.runOnce();
        } while (sweepAgain);
      } finally {
        outboxRun = undefined;
      }
    })();
    outboxRun = run;
    return run;
  }

  let weeklyLogReviewScheduled = false;

  async function sweepReminders(): Promise<void> {
    // Once per process, on the running loop only: every instance schedules the same week's
    // review (its id is the week), so a second one is a no-op, and runOnce in tests stays as it was.
    if (!weeklyLogReviewScheduled) {
      await ensureWeeklyLogReview(flow);
      await ensureDailyRetention(flow);
      weeklyLogReviewScheduled = true;
    }
    // Effects a crash left in a case document (Cosmos) are enqueued before the due reminders
    // are listed, so a repaired chase is swept in the same round.
    const repaired = await stores.cases.repairPendingEffects(repairBatchSize);
    if (repaired > 0) logger.warn({ repaired }, 'Ärenden vars notiser och påminnelser köades i efterhand');
    const result = await sweeper.runOnce();
    // A handled reminder has enqueued its notices: deliver them now rather than at the next tick.
    if (result.handled > 0 || repaired > 0) kick();
  }

  const outboxLoop = createSweepLoop({
    intervalMs: options.outbox?.intervalMs ?? defaultOutboxDispatcherOptions.intervalMs,
    sweep: sweepOutbox,
    logger,
    name: 'outbox',
  });
  const reminderLoop = createSweepLoop({
    intervalMs: options.reminders?.intervalMs ?? defaultReminderSweeperOptions.intervalMs,
    sweep: sweepReminders,
    logger,
    name: 'reminders',
  });

  function kick(): void {
    if (!running || kickTimer !== undefined) return;
    kickTimer = setTimeout(() => {
      kickTimer = undefined;
      sweepOutbox().catch((error: unknown) => {
        logger.error({ err: error }, 'Utskicket efter en knuff misslyckades');
      });
    }, kickDelayMs);
    kickTimer.unref();
  }

  /**
   * Enqueues a text to the fallback contact about a message that could not be delivered, under
   * an id derived from the message's, so that a repeat (a crash before the park was stored) is
   * harmless. A failure propagates: the dispatcher then keeps the message and tries again.
   */
  async function tellFallback(notice: OutboxNotice, kind: 'parked' | 'unreachable' | 'late'): Promise<void> {
    const fallback = findContact(directory, directory.fallback.contact);
    if (notice.outboxId.includes(upptackareDeliveryNoticeMarker)) {
      // The Upptäckare not hearing about a card the fallback already knows of is no news to them.
      logger.warn(
        { outboxId: notice.outboxId, caseId: notice.caseId, reason: notice.reason, kind },
        'Upptäckaren kunde inte få besked om att kortet inte kom fram',
      );
      return;
    }
    if (
      fallback === undefined ||
      notice.recipientKey === fallback.aadObjectId ||
      notice.outboxId.includes(fallbackNoticeMarker)
    ) {
      // Telling the fallback about their own message would only queue another one they cannot get.
      logger.error(
        { outboxId: notice.outboxId, caseId: notice.caseId, reason: notice.reason, kind },
        'Reservkontakten kan inte nås; meddelandet kräver en administratör',
      );
      return;
    }
    const about = await describeRecipient(notice);
    const text =
      kind === 'parked'
        ? `Ett meddelande från Backa barnet kunde inte levereras till ${about.who}${about.reference}. ${describeParkReason(notice.reason)} Meddelandet skickas inte igen automatiskt. Kontakta mottagaren på annat sätt och be IT-administratören se till att appen Backa barnet är installerad för hen.`
        : kind === 'late'
          ? `Ett meddelande från Backa barnet till ${about.who}${about.reference} är försenat: Teams tar inte emot det just nu och det skickas senare automatiskt. Är det brådskande, kontakta mottagaren på annat sätt.`
          : `Backa barnet har ännu ingen chatt med ${about.who} och kan därför inte lämna ett meddelande${about.reference}. Meddelandet väntar och skickas så snart appen Backa barnet är installerad för mottagaren. Be IT-administratören installera appen för hela organisationen (eller för mottagaren), eller be mottagaren öppna Backa barnet i Teams en gång.`;
    const nowIso = clock.now().toISOString();
    const created = await stores.outbox.enqueue({
      id: toFallbackNoticeId(notice.outboxId, kind),
      recipientKey: fallback.aadObjectId,
      ...(notice.caseId === undefined ? {} : { caseId: notice.caseId }),
      payload: { kind: 'text', text },
      status: 'pending',
      attempts: 0,
      nextAttemptAt: nowIso,
      createdAt: nowIso,
    });
    logger.warn(
      { outboxId: notice.outboxId, caseId: notice.caseId, reason: notice.reason, kind, enqueued: created },
      'Reservkontakten underrättas om ett meddelande som inte kom fram',
    );
    if (kind !== 'late' && about.upptackareId !== undefined) {
      await tellUpptackare(notice, kind, about.upptackareId);
    }
    sweepSoon();
  }

  /**
   * When the card itself (the case's notice to the contact it was routed to) does not arrive, the
   * Upptäckare is told too, and that the fallback knows: the receipt must not leave them
   * believing the Barnkontakt has it. Enqueued after the fallback's notice, under an id derived
   * from the routing, so a repeat is harmless.
   */
  async function tellUpptackare(
    notice: OutboxNotice,
    kind: 'parked' | 'unreachable',
    upptackareId: string,
  ): Promise<void> {
    if (notice.caseId === undefined) return;
    const stored = await stores.outbox.get(notice.outboxId);
    const payload = stored?.value.payload;
    if (payload?.kind !== 'notice' || payload.notice !== 'nyttArende') return;
    const routingNo = payload.data.routingNo;
    if (typeof routingNo !== 'number' || upptackareId === notice.recipientKey) return;
    const problem = kind === 'parked' ? 'kanInteLevereras' : 'saknarChatt';
    await stores.outbox.enqueue(
      buildNoticeMessage({
        id: toNoticeId(notice.caseId, 'kortetNarInteFram', routingNo, problem),
        kind: 'kortetNarInteFram',
        caseId: notice.caseId,
        recipientKey: upptackareId,
        data: { routingNo, problem },
        at: clock.now().toISOString(),
      }),
    );
  }

  /** One more outbox sweep: right after the running one (the fallback's notice goes in the same `runOnce`), else a kick. */
  function sweepSoon(): void {
    if (outboxRun !== undefined) {
      sweepAgain = true;
    } else {
      kick();
    }
  }

  /** "Maria Lind (Rektor)" and " (ärende BB-…)": staff and the case reference, never the child. */
  async function describeRecipient(
    notice: OutboxNotice,
  ): Promise<{ who: string; reference: string; upptackareId?: string }> {
    const contact = directory.contacts.find((item) => item.aadObjectId === notice.recipientKey);
    let who = contact === undefined ? undefined : `${contact.displayName} (${contact.title})`;
    let reference = '';
    let upptackareId: string | undefined;
    if (notice.caseId !== undefined) {
      const stored = await stores.cases.get(notice.caseId);
      if (stored !== undefined) {
        await stores.audit.append({
          id: `audit-${randomUUID()}`,
          at: clock.now().toISOString(),
          actor: 'system',
          action: 'lasArende',
          caseId: stored.value.id,
          unitId: stored.value.unitId,
          outcome: 'allowed',
          purpose:
            'Reservkontakten behöver ärendets referens och mottagarens namn för att ett meddelande som inte kom fram ska nå fram på annat sätt.',
        });
        reference = ` (ärende ${stored.value.reference})`;
        upptackareId = findUpptackare(stored.value)?.userId;
        const role = stored.value.roles.findLast((item) => item.userId === notice.recipientKey);
        who ??= role === undefined ? undefined : `${role.displayName} (${roleLabels[role.role]} i ärendet)`;
      }
    }
    return {
      who: who ?? `en mottagare med Entra-id ${notice.recipientKey}`,
      reference,
      ...(upptackareId === undefined ? {} : { upptackareId }),
    };
  }

  return {
    start() {
      if (running) return;
      running = true;
      reminderLoop.start();
      outboxLoop.start();
    },
    kick,
    async stop() {
      running = false;
      if (kickTimer !== undefined) {
        clearTimeout(kickTimer);
        kickTimer = undefined;
      }
      await Promise.all([reminderLoop.stop(), outboxLoop.stop()]);
      await outboxRun;
    },
    async runOnce() {
      await stores.cases.repairPendingEffects(repairBatchSize);
      await sweeper.runOnce();
      await sweepOutbox();
    },
  };
}

/** Case documents completed per sweep; more wait for the next one. */
const repairBatchSize = 50;

/** The outbox id of the fallback's notice about `outboxId`, within the store's 200 characters. */
const fallbackNoticeSuffixes = { parked: 'parkerat', unreachable: 'onabar', late: 'forsenat' } as const;

export function toFallbackNoticeId(outboxId: string, kind: keyof typeof fallbackNoticeSuffixes): string {
  const suffix = `${fallbackNoticeMarker}${fallbackNoticeSuffixes[kind]}`;
  if (outboxId.length + suffix.length <= maxOutboxIdLength) return `${outboxId}${suffix}`;
  return `${createHash('sha256').update(outboxId).digest('hex')}${suffix}`;
}

/** The dispatcher's `lastError` code in words for the fallback contact. */
function describeParkReason(reason: string): string {
  if (reason.includes('BotNotInConversationRoster')) {
    return 'Appen Backa barnet är inte installerad för mottagaren i Teams, eller så har mottagaren blockerat den.';
  }
  if (reason.includes('cardRenderFailed')) return 'Meddelandet kunde inte skapas från ärendet.';
  if (reason.includes('permanent:refused')) return 'Mottagarens sparade chatt kunde inte användas.';
  if (reason.includes('permanent:404')) return 'Chatten med mottagaren finns inte längre i Teams.';
  if (reason.includes('permanent:403')) return 'Teams tillät inte boten att skriva till mottagaren.';
  if (reason.startsWith('maxAttempts') || reason === 'leaseExpired') {
    return 'Teams tog inte emot meddelandet trots upprepade försök.';
  }
  return 'Teams tog inte emot meddelandet.';
}
