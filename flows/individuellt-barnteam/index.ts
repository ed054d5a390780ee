/**
 * What other steps reach of the Individuellt barnteam (the dependency rule: a step reaches
 * another only through its index.ts): the withdrawal ends the team in its own write.
 */
export { collectTeamEndEffects, endTeamOnWithdrawal } from './end-team.js';
