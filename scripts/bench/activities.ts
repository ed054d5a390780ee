/**
 * Activities shaped like the ones Teams sends to a bot in a personal chat: a typed message and
 * the Upptäckarkort's `Action.Execute` submit. Every benchmark conversation is its own user, so
 * the ids are derived from the conversation number.
 */
import { randomUUID } from 'node:crypto';
import { compassAreaKeys } from '../../flows/kernel/compass.js';
import { computeLuhnCheckDigit } from '../../flows/kernel/identity-number.js';
import { sampleTenantId } from '../../infra/config.js';

export const submitVerb = 'upptackarkort.skicka';

export interface BenchUser {
  readonly aadObjectId: string;
  readonly teamsId: string;
  readonly name: string;
  readonly conversationId: string;
}

/**
 * A distinct Teams user with their personal chat with the bot, for conversation `index`; with
 * `aadObjectId`, that user (e.g. a Barnkontakt from the directory) instead of a generated one.
 */
export function createBenchUser(index: number, aadObjectId?: string): BenchUser {
  const suffix = index.toString(16).padStart(12, '0');
  return {
    aadObjectId: aadObjectId ?? `0b3e7c11-5a2d-4f60-9e8b-${suffix}`,
    teamsId: `29:1bench-user-${index}`,
    name: aadObjectId === undefined ? `Lärare ${index + 1}` : 'Kontakt i katalogen',
    conversationId: `a:1bench-personal-chat-${index}`,
  };
}

function buildCommonFields(user: BenchUser, serviceUrl: string, turn: number) {
  const now = new Date();
  return {
    id: `1${Date.now().toString(36)}${turn.toString(36)}${randomUUID().slice(0, 8)}`,
    timestamp: now.toISOString(),
    localTimestamp: now.toISOString().replace('Z', '+01:00'),
    channelId: 'msteams',
    serviceUrl,
    from: { id: user.teamsId, name: user.name, aadObjectId: user.aadObjectId },
    recipient: { id: '28:backa-barnet-bot', name: 'Backa barnet' },
    conversation: {
      id: user.conversationId,
      conversationType: 'personal',
      tenantId: sampleTenantId,
    },
    channelData: { tenant: { id: sampleTenantId } },
    entities: [
      {
        type: 'clientInfo',
        locale: 'sv-SE',
        country: 'SE',
        platform: 'Windows',
        timezone: 'Europe/Stockholm',
      },
    ],
    locale: 'sv-SE',
  };
}

/** A typed message in the user's personal chat with the bot. */
export function buildMessageActivity(
  user: BenchUser,
  serviceUrl: string,
  text: string,
  turn: number,
): Record<string, unknown> {
  return { ...buildCommonFields(user, serviceUrl, turn), type: 'message', text, textFormat: 'plain' };
}

/**
 * A valid Upptäckarkort submit on the path "aktivera Barnkontakt" with the guardian's consent,
 * all eight areas rated and a new card instance (`draftId`), so that every submit files a case.
 * As Teams does, every input arrives as a string and untouched inputs as "".
 */
export function buildSubmitInvoke(
  user: BenchUser,
  serviceUrl: string,
  turn: number,
): Record<string, unknown> {
  const flagged = new Set(['trygghet', 'maBra', 'tillhorighet']);
  const areaInputs = Object.fromEntries(
    compassAreaKeys.flatMap((key) => [
      [`area_${key}`, flagged.has(key) ? 'behoverStarkas' : key === 'fritid' ? 'vetEj' : 'fungerarBra'],
      [`areaComment_${key}`, flagged.has(key) ? 'Har märkt en förändring de senaste veckorna.' : ''],
    ]),
  );
  const data = {
    draftId: randomUUID(),
    childGivenName: 'Testbarn',
    childFamilyName: 'Benchmarksson',
    childIdentityNumber: buildIdentityNumber(turn),
    childBirthDate: '',
    childDueDate: '',
    unitId: 'bjorkskolan',
    firstBvcVisitDone: '',
    forskolaStartDate: '',
    schoolStartDate: '',
    reporterOrganisation: 'kommun',
    reporterRole: 'Lärare',
    ...areaInputs,
    observation:
      'Eleven har under flera veckor kommit till skolan trött och hungrig, drar sig undan på rasterna och ' +
      'har svårt att koncentrera sig på lektionerna. Har tidigare varit glad och social. ' +
      'Har pratat med eleven som säger att det är jobbigt hemma just nu.',
    talkedWithGuardian: 'true',
    path: 'aktiveraBarnkontakt',
    verbalConsent: 'true',
    consentGivenBy: 'vardnadshavare',
    followUpDate: '',
  };
  return {
    ...buildCommonFields(user, serviceUrl, turn),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: `1card-${user.conversationId}`,
    channelData: {
      tenant: { id: sampleTenantId },
      source: { name: 'message' },
      legacy: { replyToId: '1card' },
    },
    value: {
      action: { type: 'Action.Execute', title: 'Skicka', verb: submitVerb, data },
      trigger: 'manual',
    },
  };
}

/**
 * A made-up but valid personnummer of a ten-year-old (grundskola band), varied per turn so that
 * the keyed hash and the identity index see different values.
 */
function buildIdentityNumber(turn: number): string {
  const month = (turn % 12) + 1;
  const day = (turn % 28) + 1;
  const serial = (turn % 999).toString().padStart(3, '0');
  const datePart = `16${pad(month)}${pad(day)}`;
  const check = computeLuhnCheckDigit(`${datePart}${serial}`);
  return `20${datePart}-${serial}${check}`;
}

function pad(value: number): string {
  return value.toString().padStart(2, '0');
}
