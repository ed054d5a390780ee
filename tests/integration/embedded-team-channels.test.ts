/** The local stand-in for the private channels keeps the port's contract (tests/contract). */
import type { TeamChannels } from '../../flows/kernel/team-channel.js';
import { createEmbeddedTeamChannels } from '../../infra/channels/embedded-team-channels.js';
import { contractOwner, describeTeamChannelsContract } from '../contract/team-channels-contract.js';

let channels: TeamChannels;
describeTeamChannelsContract('embedded', {
  async open() {
    channels = createEmbeddedTeamChannels();
    return channels;
  },
  async givenFull(teamId) {
    // Teams' 30 private channels, made the way the job makes them.
    for (let index = 1; index <= 30; index += 1) {
      const made = await channels.createPrivateChannel({
        teamId,
        displayName: `Fyllnad ${index}`,
        description: 'Annan kanal',
        ownerUserId: contractOwner,
      });
      if (made.outcome === 'teamFull') return;
    }
  },
});
