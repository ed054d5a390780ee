/**
 * Barnteam members from other organisations, through the bot as Teams talks to it:
 * - a guest in the municipality's tenant (a region employee whose account there is a guest
 *   account): their activities carry the host tenant's id, and their aadObjectId is their guest
 *   account's object id, which the directory lists. The reminder with the Skattningsformulär
 *   reaches their personal chat through the reference saved from their own install, and they
 *   answer it like anyone else;
 * - the allow-list of tenants admits exactly what the configuration lists, and a tenant that is
 *   admitted gives nobody access: a user from an allowed tenant with no role in a case or meeting
 *   is refused, with no case data in the answer.
 */
import { describe, expect, it } from 'vitest';
import { findBarnteamForUnit } from '../../flows/kernel/directory.js';
import { loadConfig } from '../../infra/config.js';
import { loadDirectoryFile } from '../../infra/directory-file.js';
import { type Person, people, regionTenantId } from '../support/bot-activities.js';
import { sampleTenantId, testAppId, testAppPassword } from '../support/bot-harness.js';
import { findAction } from '../support/card-actions.js';
import { readCardText } from '../support/card-validation.js';
import { useTeamsBot } from '../support/teams-bot.js';
import { buildSkattningAnswers, walkCase } from '../support/walk-case.js';

/** A tenant no configuration here lists. */
const unlistedTenantId = '9a9a9a9a-1111-4222-8333-444444444444';
const directory = loadDirectoryFile('config/directory.sample.yaml');
const team = findBarnteamForUnit(directory, 'bjorkskolan');
const guestContact = team?.members.map((member) => member.contact).find((contact) => contact.kind === 'gast');

/** The guest member of Björkskolan's Barnteam, as Teams names them in the host tenant. */
const guest: Person = {
  aadObjectId: guestContact !== undefined && 'aadObjectId' in guestContact ? guestContact.aadObjectId : '',
  id: '29:gast-i-kommunen',
  name: guestContact?.displayName ?? 'Gäst',
};

/** The set-up where the app serves several tenants: the municipality's and the region's. */
const twoTenants = loadConfig({
  BOT_MODE: 'production',
  MicrosoftAppId: testAppId,
  MicrosoftAppPassword: testAppPassword,
  MicrosoftAppTenantId: sampleTenantId,
  MicrosoftAppType: 'SingleTenant',
  ALLOWED_TENANT_IDS: `${sampleTenantId},${regionTenantId}`,
  IDENTITY_HASH_KEY: 'test-identity-hash-key-of-32-bytes-or-more',
  STORE: 'cosmos',
  COSMOS_ENDPOINT: 'https://exempelby.documents.azure.com:443/',
  COSMOS_DATABASE: 'backa',
  DIRECTORY_FILE: 'config/directory.sample.yaml',
});

// One bot for the file: the Bot Framework's signing keys are cached per process, so every test
// here speaks to a bot configured for both tenants, as a region's shared installation would be.
const teams = useTeamsBot({ config: twoTenants, greet: [people.alex, people.maria, guest] });

describe('a guest member of a Barnteam', () => {
  it('is listed in the directory as a guest with a Teams identity in the host tenant', () => {
    expect(guestContact?.kind).toBe('gast');
    expect(guest.aadObjectId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is reached through the reference from their install in the host tenant', async () => {
    const stored = await teams.stores.conversations.get(guest.aadObjectId);
    expect(stored?.tenantId).toBe(sampleTenantId);
    expect(stored?.conversationId).toBe(`a:personal-${guest.id.slice(3)}`);
  });

  it('gets the meeting reminder with the Skattningsformulär in their chat, opens it and answers it', async () => {
    const { caseId, reference, meeting } = await walkCase(teams).to('bokad');
    const reminder = teams.stores
      .snapshot()
      .reminders.find(
        (candidate) =>
          candidate.kind === 'paminnelseBarnteam' &&
          candidate.data.memberUserId === guest.aadObjectId &&
          candidate.data.meetingId === meeting.id,
      );
    if (reminder === undefined) throw new Error('ingen påminnelse planerades för gästen');

    teams.setNow(reminder.dueAt);
    const card = await teams.deliverAndReadCard(guest);
    // The child by initials and reference only, on the Skattningsformulär's button.
    expect(JSON.stringify(card)).toContain(reference);
    expect(JSON.stringify(card)).not.toContain('Testbarn');

    const form = await teams.invoke(guest, 'skattning.oppna', findAction(card, 'skattning.oppna').data);
    expect(readCardText(form)).toContain('Du skattar som');
    const answer = await teams.invoke(guest, 'skattning.spara', {
      ...findAction(form, 'skattning.spara').data,
      ...buildSkattningAnswers({ rating_maBra: '2', comment_maBra: 'Har sökt vårdcentralen för magont.' }),
    });

    const answerText = readCardText(answer);
    expect(answerText).toContain('Gemensam behovskompass');
    expect(answerText).toContain(`${guest.name} (gäst i kommunens Teams)\n – har skattat`);
    const stored = (await teams.stores.cases.get(caseId))?.value.skattningar ?? [];
    expect(stored.map((entry) => [entry.rater.userId, entry.recordedBy])).toEqual([
      [guest.aadObjectId, undefined],
    ]);
  });
});

describe('a user from a tenant the configuration allows, with no role', () => {
  it('may talk to the bot, and is refused the case and the meeting’s form, with no case data', async () => {
    const { caseId, reference, meeting } = await walkCase(teams).to('bokad');

    expect((await teams.say(people.lisa, 'hjälp')).status).toBe(200);
    const saved = await teams.stores.conversations.get(people.lisa.aadObjectId);
    expect(saved?.tenantId).toBe(regionTenantId);

    const answers = [
      await teams.invoke(people.lisa, 'beslut.visa', { caseId }),
      await teams.invoke(people.lisa, 'samtycke.visa', { caseId }),
      await teams.invoke(people.lisa, 'skattning.oppna', { meetingId: meeting.id, caseId }),
      await teams.invoke(people.lisa, 'skattning.spara', {
        meetingId: meeting.id,
        caseId,
        ...buildSkattningAnswers(),
      }),
    ];
    for (const answer of answers) {
      const text = JSON.stringify(answer);
      expect(text).toContain('Åtgärden nekades');
      expect(text).not.toContain(reference);
      expect(text).not.toContain('Testbarn');
    }
    expect((await teams.stores.cases.get(caseId))?.value.skattningar ?? []).toEqual([]);
    const refused = (await teams.stores.audit.listForCase(caseId)).filter(
      (entry) => entry.actor === people.lisa.aadObjectId,
    );
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect(refused.every((entry) => entry.outcome === 'refused')).toBe(true);
  });
});

describe('a user from a tenant the configuration does not list', () => {
  it('is refused before anything is stored', async () => {
    const stranger: Person = { ...people.lisa, id: '29:okand-tenant', tenantId: unlistedTenantId };
    const response = await teams.say(stranger, 'hjälp');

    expect(response.status).toBe(403);
    expect(await teams.stores.conversations.get(stranger.aadObjectId)).toBeUndefined();
    expect(teams.connector.filter((request) => request.path.includes('okand-tenant'))).toEqual([]);
  });
});
