/**
 * What other steps reach of the Barnteam (the dependency rule: a step reaches another only
 * through its index.ts): the Individuellt barnteam books its next meeting with the same free/busy
 * reading, slot finding, notice and reminder times as a Barnteam meeting.
 */
export { findPersonByUserId, type ReminderOffset, resolveBarnteam } from './barnteam-setup.js';
export { toCalendarReminderMinutes } from './book-barnteam.js';
export {
  computeEarliestMeetingStart,
  computeReminderDueAt,
  describeMissedReminders,
  toCompactInstant,
  toOffsetKey,
} from './meeting-reminders.js';
export { computeScheduleWindowEnd, readMemberSchedules, type ScheduledPerson } from './member-schedules.js';
export { findMeetingSlots, type MeetingSlot } from './slot-finding.js';
