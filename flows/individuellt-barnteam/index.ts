/**
 * What other steps reach of the Individuellt barnteam (the dependency rule: a step reaches
 * another only through its index.ts): the withdrawal ends the team in its own write; the
 * closing records its last compass follow-up and posts its last status.
 */
export { collectTeamEndEffects, endTeamOnWithdrawal } from './end-team.js';
export { compassMessages, readCompassSets, withCompassFollowUp } from './plan-compass.js';
export { buildChannelMembersReminder } from './team-channel-jobs.js';
export { buildChannelDeletionAtErasure } from './team-channel-retirement.js';
export { buildTeamkanalPost } from './team-effects.js';
