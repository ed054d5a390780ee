/** The local stand-in for the private channels keeps the port's contract (tests/contract). */
import { describe, expect, it } from 'vitest';
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

describe('the embedded channels keep Teams’ count of deleted private channels', () => {
  it('counts a deleted channel toward the team’s limit for 30 days, then frees its place', async () => {
    let now = Date.parse('2026-05-04T09:00:00.000Z');
    const local = createEmbeddedTeamChannels({ privateChannelLimit: 2, now: () => now });
    const make = (displayName: string) =>
      local.createPrivateChannel({
        teamId: 'team-1',
        displayName,
        description: '',
        ownerUserId: contractOwner,
      });
    const first = await make('Barnteam A.A. BB-1111-1111');
    await make('Barnteam B.B. BB-2222-2222');
    if (first.outcome !== 'created') throw new Error('inte skapad');
    expect(await local.archiveChannel('team-1', first.channelId)).toBe('archived');
    expect(local.describe('team-1').map((channel) => channel.archived)).toEqual([true, false]);
    expect(await local.deleteChannel('team-1', first.channelId)).toBe('deleted');

    expect((await make('Barnteam C.C. BB-3333-3333')).outcome).toBe('teamFull');
    now += 29 * 24 * 60 * 60_000;
    expect((await make('Barnteam C.C. BB-3333-3333')).outcome).toBe('teamFull');
    now += 24 * 60 * 60_000;
    expect((await make('Barnteam C.C. BB-3333-3333')).outcome).toBe('created');
  });
});
