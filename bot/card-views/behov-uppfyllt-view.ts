/**
 * Case → the closing card's data, for whoever may close the case from where it is: the
 * Barnkontakt after the talks, whoever leads the support from Barnets plan. Anyone else, and a
 * case already closed, gets nothing (the caller answers with the reason or the overview).
 */
import type {
  BehovUppfylltCardData,
  BehovUppfylltInputId,
} from '../../cards/behov-uppfyllt/behov-uppfyllt.js';
import { toClosingEvent } from '../../flows/behov-uppfyllt/close-case.js';
import { authorize } from '../../flows/kernel/access.js';
import type { Case, UserId } from '../../flows/kernel/case.js';
import type { Versioned } from '../../flows/kernel/ports.js';
import { allowedEvents } from '../../flows/kernel/transitions.js';
import type { CardForm } from '../handlers/case-form.js';

/** Whether the viewer may close the case now: the process allows it and they lead the support. */
export function canCloseCase(caseValue: Case, viewerId: UserId): boolean {
  const event = toClosingEvent(caseValue);
  return allowedEvents(caseValue).includes(event) && authorize(caseValue, viewerId, event).allowed;
}

export function toBehovUppfylltData(
  current: Versioned<Case>,
  viewerId: UserId,
  form: CardForm<BehovUppfylltInputId> = {},
): BehovUppfylltCardData | undefined {
  const caseValue = current.value;
  if (!canCloseCase(caseValue, viewerId)) return undefined;
  return {
    caseId: caseValue.id,
    etag: current.etag,
    reference: caseValue.reference,
    child: { givenName: caseValue.child.givenName, familyName: caseValue.child.familyName },
    origin: caseValue.state === 'samtal' ? 'beslut' : 'plan',
    ...form,
  };
}
