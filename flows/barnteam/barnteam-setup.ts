/**
 * The Barnteam of a unit as the booking use cases need it: the convener, the members with their
 * mailboxes, the meeting length, how far ahead to look, the standard dagordning and when the
 * members are reminded. Read from the directory (`findBarnteamForUnit` in directory.ts); this
 * module is the one place that knows the directory's spelling of it, so the use cases do not
 * change when the directory file does.
 */
import type { UserId } from '../kernel/case.js';
import {
  type BarnteamContact,
  type Contact,
  type ContactKind,
  type Directory,
  findBarnteamForUnit,
  type MeetingReminderOffset,
  type WorkingTime,
} from '../kernel/directory.js';

/** Someone invited to a Barnteam meeting, by their e-mail. */
export interface BarnteamPerson {
  /** Absent for someone outside Teams: they get the invitation by e-mail and no cards. */
  readonly userId?: UserId;
  /** The directory's id of the person. */
  readonly contactId: string;
  /** In the municipality's tenant, a guest there, or outside Teams (see `contactKinds`). */
  readonly kind: ContactKind;
  readonly displayName: string;
  readonly email: string;
}

/** Someone with a Teams identity: the convener, an Upptäckare. */
export interface BarnteamPersonInTeams extends BarnteamPerson {
  readonly userId: UserId;
}

export interface BarnteamMember extends BarnteamPerson {
  /** The member's function in the team, e.g. `elevhalsa`, `socialtjanst`, `halsoOchSjukvard`, `polis`. */
  readonly role: string;
  /** How the member's function reads on a card and in a conflict note, e.g. "Polisen". */
  readonly roleLabel: string;
  /** A required member's busy time rules a slot out; an optional member's is only reported. */
  readonly required: boolean;
}

/** How long before the meeting a reminder goes out (see `ZMeetingReminderOffset` in directory.ts). */
export type ReminderOffset = MeetingReminderOffset;

export interface BarnteamSetup {
  readonly unitId: string;
  readonly unitName: string;
  /** The unit's Barnkontakt, who books and leads the meeting from their own calendar. */
  readonly convener: BarnteamPersonInTeams;
  readonly members: readonly BarnteamMember[];
  readonly meetingMinutes: number;
  /** Stockholm calendar days from the first possible day (see `findMeetingSlots`). */
  readonly horizonDays: number;
  readonly slotStepMinutes: number;
  readonly maxSlots: number;
  /** The standard dagordning, the same at every meeting (seeds/002). */
  readonly dagordning: readonly string[];
  readonly reminderOffsets: readonly ReminderOffset[];
  readonly workingTime: WorkingTime;
}

const defaultSlotStepMinutes = 30;
const defaultMaxSlots = 5;

/** The Barnteam that meets about children of `unitId`, or undefined when the unit has none. */
export function resolveBarnteam(directory: Directory, unitId: string): BarnteamSetup | undefined {
  const team = findBarnteamForUnit(directory, unitId);
  if (team === undefined) {
    return undefined;
  }
  return {
    unitId: team.unitId,
    unitName: team.unitName,
    convener: toPersonInTeams(team.convener),
    members: team.members.map((member) => ({
      ...toPerson(member.contact),
      role: member.role,
      roleLabel: member.roleLabel,
      required: member.required,
    })),
    meetingMinutes: team.meetingMinutes,
    horizonDays: team.bookingHorizonDays,
    slotStepMinutes: defaultSlotStepMinutes,
    maxSlots: defaultMaxSlots,
    dagordning: team.agenda,
    reminderOffsets: team.reminderOffsets,
    workingTime: directory.workingTime,
  };
}

/** The directory contact with this Teams identity, for an Upptäckare's mailbox. */
export function findPersonByUserId(directory: Directory, userId: UserId): BarnteamPersonInTeams | undefined {
  const contact = directory.contacts.find(
    (candidate) => candidate.aadObjectId.toLowerCase() === userId.toLowerCase(),
  );
  return contact === undefined ? undefined : toPersonInTeams(contact);
}

function toPersonInTeams(contact: Contact): BarnteamPersonInTeams {
  return {
    userId: contact.aadObjectId,
    contactId: contact.id,
    kind: contact.kind,
    displayName: contact.displayName,
    email: contact.email,
  };
}

function toPerson(contact: BarnteamContact): BarnteamPerson {
  return contact.kind === 'utanforTeams'
    ? { contactId: contact.id, kind: contact.kind, displayName: contact.displayName, email: contact.email }
    : toPersonInTeams(contact);
}
