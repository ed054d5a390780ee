/**
 * What the Individuellt barnteam reads from the directory: who acts for a unit with a statutory
 * SIP duty (and so may start a team directly), and which organisation a contact belongs to, as
 * the plan shows it next to their name.
 */
import type { AccessContext } from '../kernel/access.js';
import {
  type BarnteamContact,
  type Directory,
  findBarnteamContact,
  findUnit,
  type Organisation,
} from '../kernel/directory.js';

/**
 * The access facts of a SIP start: the units with the duty and the people placed at them (their
 * contact's `unit`, or the unit's Barnkontakt or deputies). An Upptäckare's role names no unit,
 * so the person carries the duty, not the role.
 */
export function buildTeamAccessContext(directory: Directory): AccessContext {
  const units = new Set(directory.sipDutyUnits);
  const users = new Set<string>();
  for (const contact of directory.contacts) {
    if (contact.unit !== undefined && units.has(contact.unit)) users.add(contact.aadObjectId);
  }
  for (const unit of directory.units) {
    if (!units.has(unit.id)) continue;
    for (const id of [unit.barnkontakt, ...unit.deputies]) {
      const contact = directory.contacts.find((item) => item.id === id);
      if (contact !== undefined) users.add(contact.aadObjectId);
    }
  }
  return { unitsWithSipDuty: [...units], usersWithSipDuty: [...users] };
}

/** The organisation a contact works for: their own entry, else their unit's, else the municipality. */
export function findContactOrganisation(directory: Directory, contact: BarnteamContact): Organisation {
  if (contact.organisation !== undefined) return contact.organisation;
  const unitId =
    contact.unit ??
    directory.units.find((unit) => unit.barnkontakt === contact.id || unit.deputies.includes(contact.id))?.id;
  return (unitId === undefined ? undefined : findUnit(directory, unitId)?.organisation) ?? 'kommun';
}

/** The unit a contact works at, when the directory says it. */
export function findContactUnitId(directory: Directory, contact: BarnteamContact): string | undefined {
  return (
    contact.unit ??
    directory.units.find((unit) => unit.barnkontakt === contact.id || unit.deputies.includes(contact.id))?.id
  );
}

/** Everyone the convener may pick for the team: the directory's people, in Teams or not. */
export function listTeamCandidates(directory: Directory): BarnteamContact[] {
  return [...directory.contacts, ...directory.contactsOutsideTeams];
}

export function findTeamCandidate(directory: Directory, contactId: string): BarnteamContact | undefined {
  return findBarnteamContact(directory, contactId);
}
