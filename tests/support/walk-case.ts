/**
 * A case walked to the step of the support process a test starts from, the way people get it
 * there, so that a test sets up no state by hand that the process could not have reached.
 *
 * - `walkCase(teams).to(step)`: through the bot's real handlers (tests/support/teams-bot.ts): the
 *   Upptäckare files the card, the Barnkontakt takes the case from the notification the
 *   background work delivers, and goes on from the cards the bot answers with.
 * - `fileCase(deps)`: through the use case, for tests of the flows and of the background work
 *   that start from a filed card.
 */
import { skattningsformularInputIds } from '../../cards/barnteam/skattningsformular.js';
import type { Case } from '../../flows/kernel/case.js';
import { type Actor, type FlowDependencies, toCaseId } from '../../flows/kernel/case-effects.js';
import type { BarnteamMeeting, Versioned } from '../../flows/kernel/ports.js';
import { toStockholmDate } from '../../flows/kernel/stockholm-date.js';
import { fileDiscovery } from '../../flows/upptackt/file-discovery.js';
import { type Person, people } from './bot-activities.js';
import { findAction, listChoices } from './card-actions.js';
import { buildRawSubmit, buildSubmission, draftId as defaultDraftId, upptackare } from './flow-fixtures.js';
import type { TeamsBot } from './teams-bot.js';

/** The steps a case can be walked to, in the order the process takes them. */
export const walkSteps = [
  /** Filed; the card waits for the routed Barnkontakt. */
  'vantarPaBarnkontakt',
  /** The Barnkontakt pressed Ta emot. */
  'mottagen',
  /** One barnsamtal recorded. */
  'samtal',
  /** The signed written consent recorded as well (the case is still in samtal). */
  'skriftligtSamtycke',
  /** Beslut: lyft till Barnteam. */
  'barnteam',
  /** The Barnkontakt booked the Barnteam at a proposed time on a later day. */
  'bokad',
  /**
   * The updated written consent recorded, and the Individuellt barnteam started from the
   * Barnteam's outcome ("Starta Individuellt barnteam" on the joint compass); `card` is the plan.
   */
  'individuelltBarnteam',
] as const;
export type WalkStep = (typeof walkSteps)[number];

export interface WalkOptions {
  /** Who files the Upptäckarkort; default Alex. */
  readonly filedBy?: Person;
  /** Card values other than `buildRawSubmit`'s: another child, another unit. */
  readonly card?: Record<string, string | undefined>;
}

export interface WalkedCase {
  readonly caseId: string;
  readonly reference: string;
  /** The case's version now: what a card rendered now carries. */
  readonly etag: string;
  readonly filedBy: Person;
  /** The Barnkontakt the card was routed to, who walked the case on. */
  readonly barnkontakt: Person;
  /** The card the bot answered the last step with: the receipt, the answered notification, … */
  readonly card: Record<string, unknown>;
}

export interface BookedCase extends WalkedCase {
  /** The Barnteam meeting as booked, with the child on its agenda. */
  readonly meeting: BarnteamMeeting;
}

export interface CaseWalk {
  to(step: 'bokad' | 'individuelltBarnteam', options?: WalkOptions): Promise<BookedCase>;
  to(step: WalkStep, options?: WalkOptions): Promise<WalkedCase>;
}

/** Walks a new case through the bot's handlers; see the module comment. */
export function walkCase(teams: TeamsBot): CaseWalk {
  return { to: (step: WalkStep, options: WalkOptions = {}) => walk(teams, step, options) } as CaseWalk;
}

/** Answers a card submit would carry for each step; any valid answers would do. */
const answers = {
  samtal: { kind: 'barnsamtal', perspectives: 'barnet', rating_barnet_omsorg: '3' },
  samtycke: {
    step: 'skriftligt',
    givenBy: 'vardnadshavare',
    scope: 'Björkskolan, elevhälsan och socialtjänsten får dela det som behövs för stödet.',
    documentReference: 'Blankett i elevakten',
  },
  uppdateratSamtycke: {
    step: 'uppdateratSkriftligt',
    givenBy: 'vardnadshavare',
    scope:
      'Björkskolan, elevhälsan, socialtjänsten och BUP får dela det som behövs för det Individuella barnteamet.',
    documentReference: 'Uppdaterad blankett i elevakten',
  },
  beslut: {
    decision: 'barnteam',
    principle_tidigInsats: 'ja',
    principle_barnetsBasta: 'ja',
    principle_helaSituationen: 'ja',
    principle_gemensamPlan: 'ja',
  },
} as const;

async function walk(teams: TeamsBot, step: WalkStep, options: WalkOptions): Promise<BookedCase | WalkedCase> {
  const wanted = walkSteps.indexOf(step);
  const goesOnTo = (next: WalkStep) => walkSteps.indexOf(next) <= wanted;
  const filedBy = options.filedBy ?? people.alex;

  await teams.say(filedBy, 'ny upptäckt');
  const form = teams.cardsTo(filedBy).at(-1);
  const draftId = String(findAction(form, 'upptackarkort.skicka').data.draftId);
  let card = await teams.invoke(
    filedBy,
    'upptackarkort.skicka',
    buildRawSubmit({ draftId, ...options.card }),
  );
  const caseId = toCaseId(draftId);
  const barnkontakt = findPerson(routedBarnkontakt(await expectState(teams, caseId, 'vantarPaBarnkontakt')));
  const press = async (verb: string, from: Record<string, unknown>, submitted: object) => {
    card = await teams.invoke(barnkontakt, verb, { ...findAction(from, verb).data, ...submitted });
  };

  if (goesOnTo('mottagen')) {
    await press('arende.taEmot', await teams.deliverAndReadCard(barnkontakt), {});
    await expectState(teams, caseId, 'mottagen');
  }
  if (goesOnTo('samtal')) {
    const heldOn = toStockholmDate(teams.clock.now());
    await press('samtal.spara', await teams.invoke(barnkontakt, 'samtal.visa', { caseId }), {
      ...answers.samtal,
      heldOn,
    });
    await expectState(teams, caseId, 'samtal');
  }
  if (goesOnTo('skriftligtSamtycke')) {
    const samtycke = await teams.invoke(barnkontakt, 'samtycke.visa', { caseId });
    await press('samtycke.registrera', samtycke, answers.samtycke);
    const consents = (await expectState(teams, caseId, 'samtal')).consents ?? [];
    if (!consents.some((consent) => consent.step === 'skriftligt')) {
      throw new Error(`walkCase: inget skriftligt samtycke registrerades: ${JSON.stringify(card)}`);
    }
  }
  if (goesOnTo('barnteam')) {
    await press('beslut.spara', await teams.invoke(barnkontakt, 'beslut.visa', { caseId }), answers.beslut);
    await expectState(teams, caseId, 'barnteam');
  }
  if (goesOnTo('bokad')) {
    const booking = await teams.invoke(barnkontakt, 'barnteam.visa', { caseId });
    await press('barnteam.foreslaTider', booking, { agendaCaseIds: caseId });
    const proposed = card;
    // On a later day, so that the meeting's reminders are still to come.
    const halfADayAhead = teams.clock.now().getTime() + 12 * 60 * 60_000;
    const slot = listChoices(proposed, 'slot').find((start) => Date.parse(start) >= halfADayAhead);
    if (slot === undefined) throw new Error('walkCase: ingen tid föreslogs en senare dag');
    await press('barnteam.boka', proposed, { agendaCaseIds: caseId, slot });
  }
  if (goesOnTo('individuelltBarnteam')) {
    await press(
      'samtycke.registrera',
      await teams.invoke(barnkontakt, 'samtycke.visa', { caseId }),
      answers.uppdateratSamtycke,
    );
    const booked = teams.stores
      .snapshot()
      .meetings.find((candidate) => candidate.agenda.some((item) => item.caseId === caseId));
    const current = await teams.stores.cases.get(caseId);
    if (booked === undefined || current === undefined)
      throw new Error('walkCase: mötet eller ärendet saknas');
    // What the joint compass's "Starta Individuellt barnteam" button sends.
    card = await teams.invoke(barnkontakt, 'barnteam.utfall', {
      meetingId: booked.id,
      caseId,
      etag: current.etag,
      outcome: 'individuelltBarnteam',
    });
    await expectState(teams, caseId, 'individuelltBarnteam');
  }

  const stored = await teams.stores.cases.get(caseId);
  if (stored === undefined) throw new Error(`walkCase: ${caseId} finns inte`);
  const walked: WalkedCase = {
    caseId,
    reference: stored.value.reference,
    etag: stored.etag,
    filedBy,
    barnkontakt,
    card,
  };
  if (!goesOnTo('bokad')) return walked;
  const meeting = teams.stores
    .snapshot()
    .meetings.find((candidate) => candidate.agenda.some((item) => item.caseId === caseId));
  if (meeting?.state !== 'booked') throw new Error(`walkCase: inget möte bokades: ${JSON.stringify(card)}`);
  return { ...walked, meeting };
}

async function expectState(teams: TeamsBot, caseId: string, state: Case['state']): Promise<Case> {
  const stored = await teams.stores.cases.get(caseId);
  if (stored?.value.state !== state) {
    throw new Error(`walkCase: ärendet är i ${stored?.value.state ?? 'inget tillstånd'}, inte i ${state}`);
  }
  return stored.value;
}

function routedBarnkontakt(caseValue: Case): string {
  const role = caseValue.roles.find(
    (candidate) => candidate.role === 'barnkontakt' && candidate.until === undefined,
  );
  if (role === undefined) throw new Error(`walkCase: ${caseValue.id} har ingen Barnkontakt`);
  return role.userId;
}

function findPerson(aadObjectId: string): Person {
  const person = Object.values(people).find((candidate) => candidate.aadObjectId === aadObjectId);
  if (person === undefined) throw new Error(`walkCase: ${aadObjectId} är ingen av testets personer`);
  return person;
}

/**
 * What a Barnteam member submits on the Skattningsformulär: `values` where given, otherwise
 * "3 – Både och" for every area and no comments.
 */
export function buildSkattningAnswers(values: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(
    skattningsformularInputIds.map((id) => [id, values[id] ?? (id.startsWith('rating_') ? '3' : '')]),
  );
}

export interface FileCaseOptions {
  /** Default the draft id of tests/support/flow-fixtures.ts. */
  readonly draftId?: string;
  /** Default Alex, the Upptäckare. */
  readonly actor?: Actor;
  /** Card values other than `buildRawSubmit`'s. */
  readonly card?: Record<string, string | undefined>;
}

/**
 * Files an Upptäckarkort (by default Aktivera Barnkontakt at Björkskolan, Alex's card) through
 * `fileDiscovery`, received at the clock's now; returns the stored case.
 */
export async function fileCase(
  deps: FlowDependencies,
  options: FileCaseOptions = {},
): Promise<Versioned<Case>> {
  const draftId = options.draftId ?? defaultDraftId;
  const { caseValue } = await fileDiscovery(deps, {
    actor: options.actor ?? upptackare,
    draftId,
    submission: buildSubmission({ draftId, ...options.card }, deps.directory),
    receivedAt: deps.clock.now().toISOString(),
  });
  return caseValue;
}
