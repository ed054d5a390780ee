/**
 * What every implementation of the private-channel port must do, run against the embedded
 * stand-in (npm start) and against the Graph implementation (Graph faked behind nock): what the
 * provisioning job relies on to never make a second channel and to keep the members to the team's.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { type TeamChannels, toPlanTabEntityId } from '../../flows/kernel/team-channel.js';

export interface TeamChannelsContractSetup {
  /** A fresh port with empty host teams; the owner belongs to every host team. */
  open(): Promise<TeamChannels>;
  /** The team has its 30 private channels. */
  givenFull(teamId: string): Promise<void>;
}

export const contractTeamId = '11111111-1111-4111-8111-111111111111';
export const contractOwner = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02';
const member = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e04';
const request = {
  teamId: contractTeamId,
  displayName: 'Barnteam T.E. BB-4K7Q-2M9C',
  description: 'Backa barnet: Individuellt barnteam, ärende BB-4K7Q-2M9C',
  ownerUserId: contractOwner,
};

export function describeTeamChannelsContract(name: string, setup: TeamChannelsContractSetup): void {
  describe(`${name}: the private-channel port`, () => {
    let channels: TeamChannels;
    beforeEach(async () => {
      channels = await setup.open();
    });

    it('creates a private channel that is found again by its name, any case, with its description and owner', async () => {
      await channels.ensureAppInstalled(contractTeamId);
      await channels.ensureAppInstalled(contractTeamId);
      const created = await channels.createPrivateChannel(request);
      if (created.outcome !== 'created') throw new Error(`inte skapad: ${created.outcome}`);
      expect(await channels.findChannelByName(contractTeamId, request.displayName.toUpperCase())).toEqual({
        channelId: created.channelId,
        description: request.description,
      });
      expect(await channels.findChannelByName(contractTeamId, 'Barnteam X.Y. BB-0000-0000')).toBeUndefined();
      const members = await channels.listMembers(contractTeamId, created.channelId);
      expect(members.map((item) => [item.userId, item.owner])).toEqual([[contractOwner, true]]);
    });

    it('answers nameTaken for a name the team has, and teamFull when the team has no room', async () => {
      await channels.createPrivateChannel(request);
      expect(await channels.createPrivateChannel(request)).toEqual({ outcome: 'nameTaken' });
      await setup.givenFull(contractTeamId);
      expect(
        await channels.createPrivateChannel({ ...request, displayName: 'Barnteam A.B. BB-1111-1111' }),
      ).toEqual({
        outcome: 'teamFull',
      });
    });

    it('adds a member once however often asked, and removes them (again without an error)', async () => {
      const created = await channels.createPrivateChannel(request);
      if (created.outcome !== 'created') throw new Error('inte skapad');
      await channels.addMember(contractTeamId, created.channelId, member, { owner: false });
      const listed = await channels.listMembers(contractTeamId, created.channelId);
      expect(listed.map((item) => item.userId)).toEqual([contractOwner, member]);
      const added = listed.find((item) => item.userId === member);
      if (added === undefined) throw new Error('saknas');
      await channels.removeMember(contractTeamId, created.channelId, added.membershipId);
      await channels.removeMember(contractTeamId, created.channelId, added.membershipId);
      expect(
        (await channels.listMembers(contractTeamId, created.channelId)).map((item) => item.userId),
      ).toEqual([contractOwner]);
    });

    it('archives a channel, deletes it so that it is no longer found, and answers gone after that', async () => {
      const created = await channels.createPrivateChannel(request);
      if (created.outcome !== 'created') throw new Error('inte skapad');
      expect(await channels.archiveChannel(contractTeamId, created.channelId)).toBe('archived');
      expect(await channels.deleteChannel(contractTeamId, created.channelId)).toBe('deleted');
      expect(await channels.findChannelByName(contractTeamId, request.displayName)).toBeUndefined();
      expect(await channels.deleteChannel(contractTeamId, created.channelId)).toBe('gone');
      expect(await channels.archiveChannel(contractTeamId, created.channelId)).toBe('gone');
    });

    it("pins the app's tab in the channel and finds it again by its entityId only", async () => {
      await channels.ensureAppInstalled(contractTeamId);
      const created = await channels.createPrivateChannel(request);
      if (created.outcome !== 'created') throw new Error('inte skapad');
      const entityId = toPlanTabEntityId('arende-1');
      expect(await channels.findTab(contractTeamId, created.channelId, entityId)).toBeUndefined();
      const pinned = await channels.addTab({
        teamId: contractTeamId,
        channelId: created.channelId,
        displayName: 'Barnets plan',
        entityId,
        contentUrl: 'https://backa.example.se/tab/index.html?arende=arende-1',
      });
      expect(pinned.webUrl).toMatch(/^https?:\/\//);
      expect(await channels.findTab(contractTeamId, created.channelId, entityId)).toEqual(pinned);
      expect(
        await channels.findTab(contractTeamId, created.channelId, toPlanTabEntityId('arende-2')),
      ).toBeUndefined();
    });
  });
}
