/**
 * Case → card data for the cards of the support process after the Barnkontakt has taken a case
 * (Samtycke, Beslut). Each mapping returns `undefined` when the viewer may not act on the case:
 * the card then is not shown, and the read is audited as refused (bot/case-cards.ts).
 */
import type { BeslutCardData, BeslutInputId } from '../cards/beslut.js';
import type { SamtyckeData, SamtyckeInputId } from '../cards/samtycke.js';
import { authorize } from '../flows/access.js';
import { type Case, hasValidConsent, type UserId } from '../flows/case.js';
import type { Directory } from '../flows/directory.js';
import type { Versioned } from '../flows/ports.js';
import { guards } from '../flows/transitions.js';

export interface FormState<Id extends string> {
  readonly values?: Partial<Record<Id, string>>;
  readonly fieldErrors?: Partial<Record<Id, string>>;
  readonly formError?: string;
}

/** The Samtycke card for the Barnkontakt (or acting deputy); `undefined` for anyone else. */
export function toSamtyckeData(
  current: Versioned<Case>,
  viewerId: UserId,
  directory: Directory,
  form: FormState<SamtyckeInputId> = {},
): SamtyckeData | undefined {
  const caseValue = current.value;
  if (!authorize(caseValue, viewerId, 'registreraSkriftligtSamtycke').allowed) return undefined;
  const consents = caseValue.consents ?? [];
  return {
    caseId: caseValue.id,
    etag: current.etag,
    reference: caseValue.reference,
    child: { givenName: caseValue.child.givenName, familyName: caseValue.child.familyName },
    recorded: consents.map((consent) => ({
      step: consent.step,
      givenBy: [...consent.givenBy],
      at: consent.at,
      recordedByName: findDisplayName(directory, consent.recordedBy),
      ...(consent.documentReference === undefined ? {} : { documentReference: consent.documentReference }),
      ...(consent.withdrawal === undefined
        ? {}
        : { withdrawal: { at: consent.withdrawal.at, by: consent.withdrawal.by } }),
    })),
    suggestedStep: suggestNextStep(caseValue),
    ...form,
  };
}

/** The Beslut card for the Barnkontakt (or acting deputy); `undefined` for anyone else. */
export function toBeslutData(
  current: Versioned<Case>,
  viewerId: UserId,
  form: FormState<BeslutInputId> = {},
): BeslutCardData | undefined {
  const caseValue = current.value;
  if (!authorize(caseValue, viewerId, 'registreraSkriftligtSamtycke').allowed) return undefined;
  const blocked = hasValidConsent(caseValue, 'skriftligt') ? undefined : guards.skriftligtSamtycke.reason;
  return {
    caseId: caseValue.id,
    etag: current.etag,
    reference: caseValue.reference,
    child: { givenName: caseValue.child.givenName, familyName: caseValue.child.familyName },
    ...(blocked === undefined ? {} : { barnteamBlockedReason: blocked }),
    ...form,
  };
}

function suggestNextStep(caseValue: Case): SamtyckeData['suggestedStep'] {
  if (!hasValidConsent(caseValue, 'muntligt')) return 'muntligt';
  if (!hasValidConsent(caseValue, 'skriftligt')) return 'skriftligt';
  return 'uppdateratSkriftligt';
}

function findDisplayName(directory: Directory, userId: UserId): string {
  return directory.contacts.find((contact) => contact.aadObjectId === userId)?.displayName ?? 'Personal';
}
