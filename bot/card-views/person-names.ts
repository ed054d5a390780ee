/**
 * Names the card views show for people and units of a case: one answer to "who is this user?"
 * and "what is this unit called?", so that no card says "Personal" where another names the person.
 */
import type { Case } from '../../flows/kernel/case.js';
import { type Directory, findUnit } from '../../flows/kernel/directory.js';

/**
 * The person's name: from their role in the case (the Upptäckare is in no directory), else from
 * the directory, else "Personal".
 */
export function findPersonName(caseValue: Case, directory: Directory, userId: string): string {
  return (
    caseValue.roles.findLast((role) => role.userId === userId)?.displayName ??
    directory.contacts.find((contact) => contact.aadObjectId === userId)?.displayName ??
    'Personal'
  );
}

/** The unit's name from the directory, or its id when the directory no longer lists it. */
export function unitNameOf(directory: Directory, unitId: string): string {
  return findUnit(directory, unitId)?.name ?? unitId;
}
