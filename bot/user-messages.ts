/**
 * What a user is told when something goes wrong: one Swedish message per domain error code,
 * in this one file. Where the domain's own message is specific and safe (it never carries a
 * name or identity number, see flows/errors.ts) it is shown; where detail could reveal
 * something (whether a case exists, why access was refused) the fixed message is all there is.
 */
import { type DomainErrorCode, isDomainError } from '../flows/errors.js';

const messages: Readonly<Record<DomainErrorCode, string>> = {
  transitionRefused: 'Det går inte att göra så i ärendets nuvarande läge.',
  accessDenied: 'Du har inte behörighet till det här ärendet.',
  invalidIdentityNumber: 'Personnumret är inte giltigt. Kontrollera siffrorna och försök igen.',
  invalidInput: 'Några uppgifter saknas eller är felaktiga. Kontrollera formuläret och försök igen.',
  notFound: 'Ärendet eller uppgiften finns inte (längre).',
  alreadyExists: 'Det här är redan gjort.',
  concurrencyConflict: 'Någon annan hann ändra ärendet. Här är det senaste läget.',
  routingImpossible:
    'Det gick inte att hitta någon Barnkontakt för barnet. Kontakta samordnaren på socialtjänstens mottagning.',
  storageUnavailable: 'Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.',
};

/** Codes whose domain message adds what the user needs to fix their input or understand the state. */
const showDomainMessage: ReadonlySet<DomainErrorCode> = new Set([
  'transitionRefused',
  'invalidIdentityNumber',
  'invalidInput',
  'concurrencyConflict',
  'routingImpossible',
]);

export const unexpectedErrorMessage =
  'Något gick fel hos Backa barnet. Försök igen om en stund, och kontakta IT-supporten om det fortsätter.';

/** The Swedish text to show the user for `error`; never an internal message or stack. */
export function describeErrorForUser(error: unknown): string {
  if (!isDomainError(error)) return unexpectedErrorMessage;
  const domainMessage = error.message.trim();
  return showDomainMessage.has(error.code) && domainMessage !== '' ? domainMessage : messages[error.code];
}
