// `npm start`'s configuration (scripts/start-local.mjs): which variables it honours and which a
// local run fixes, and the people it gives a playground of their own (scripts/playground.mjs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { describeLocalPeople, mockDataFile, repoRoot } from '../../../scripts/playground.mjs';
import { describeBotEnvironment, describeLocalRun } from '../../../scripts/start-local.mjs';

const sampleDirectory = parse(readFileSync(join(repoRoot, 'config/directory.sample.yaml'), 'utf8'));
const mockData = parse(readFileSync(mockDataFile, 'utf8'));
const run = { botPort: 3978, directoryFile: 'x.yaml', sqlitePath: '.data/x.sqlite', identityHashKey: 'k' };

describe('describeLocalRun', () => {
  test('without variables: the bot on 3978, the sample directory, the first playground on 56150', () => {
    expect(describeLocalRun({})).toEqual({
      ok: true,
      botPort: 3978,
      firstPlaygroundPort: 56150,
      directoryFile: 'config/directory.sample.yaml',
      sqlitePath: '.data/backa.sqlite',
      ignored: [],
    });
  });

  test('PORT, DIRECTORY_FILE, SQLITE_PATH and PLAYGROUND_PORT are honoured', () => {
    expect(
      describeLocalRun({
        PORT: '4000',
        DIRECTORY_FILE: 'config/var-kommun.yaml',
        SQLITE_PATH: '.data/var-kommun.sqlite',
        PLAYGROUND_PORT: '57000',
      }),
    ).toMatchObject({
      ok: true,
      botPort: 4000,
      firstPlaygroundPort: 57000,
      directoryFile: 'config/var-kommun.yaml',
      sqlitePath: '.data/var-kommun.sqlite',
    });
  });

  test('a port that is not a port is refused, naming the variable', () => {
    expect(describeLocalRun({ PORT: 'abc', PLAYGROUND_PORT: '70000' })).toEqual({
      ok: false,
      problems: [
        'PORT: ska vara ett portnummer mellan 1 och 65535 (är "abc")',
        'PLAYGROUND_PORT: ska vara ett portnummer mellan 1 och 65535 (är "70000")',
      ],
    });
  });

  test('the variables a local run fixes are named when they were set', () => {
    const described = describeLocalRun({
      BOT_MODE: 'production',
      MicrosoftAppId: 'x',
      STORE: 'cosmos',
      LOG_LEVEL: 'debug',
    });
    expect(described.ok && described.ignored).toEqual(['MicrosoftAppId', 'BOT_MODE', 'STORE']);
  });
});

describe('describeBotEnvironment', () => {
  test('local mode on loopback with SQLite and the directory tenant, whatever the shell says', () => {
    const env = describeBotEnvironment(
      {
        BOT_MODE: 'production',
        HOST: '0.0.0.0',
        STORE: 'cosmos',
        ALLOWED_TENANT_IDS: 'a',
        LOG_LEVEL: 'debug',
      },
      { ...run, tenantId: 't-1' },
    );
    expect(env).toMatchObject({
      BOT_MODE: 'local',
      HOST: '127.0.0.1',
      PORT: '3978',
      STORE: 'sqlite',
      SQLITE_PATH: '.data/x.sqlite',
      DIRECTORY_FILE: 'x.yaml',
      ALLOWED_TENANT_IDS: 't-1',
      IDENTITY_HASH_KEY: 'k',
      LOG_LEVEL: 'debug',
    });
  });

  test('credentials and Cosmos settings never reach the local bot', () => {
    const env = describeBotEnvironment(
      {
        MicrosoftAppId: 'id',
        MicrosoftAppPassword: 'secret',
        MicrosoftAppTenantId: 'tenant',
        MicrosoftAppType: 'SingleTenant',
        COSMOS_ENDPOINT: 'https://x',
        COSMOS_DATABASE: 'db',
        COSMOS_KEY: 'key',
      },
      { ...run, tenantId: 't-1' },
    );
    for (const name of Object.keys(env)) expect(name).not.toMatch(/^(MicrosoftApp|COSMOS_)/);
  });
});

describe('describeLocalPeople with the sample directory', () => {
  const { people, outsideTeams } = describeLocalPeople({ directory: sampleDirectory, mockData });
  const byId = new Map(people.map((person) => [person.aadObjectId, person]));
  const contacts = sampleDirectory.contacts as {
    id: string;
    aadObjectId?: string;
    kind?: string;
    displayName: string;
  }[];
  const teamsContacts = contacts.filter((contact) => contact.kind !== 'utanforTeams' && contact.aadObjectId);

  test("the playground's own user comes first, as the Upptäckare, with the usual mock data", () => {
    expect(people[0]?.aadObjectId).toBe(mockData.currentUser.aadObjectId);
    expect(people[0]?.roles[0]).toMatch(/^Upptäckare/);
    expect(people[0]?.mockData.personalChat).toEqual(mockData.personalChat);
    expect(people[0]?.mockData.users).toEqual(mockData.users);
  });

  test('every contact in Teams gets a playground; those outside Teams are named instead', () => {
    for (const contact of teamsContacts) expect(byId.has(contact.aadObjectId as string)).toBe(true);
    expect(outsideTeams).toEqual(
      contacts.filter((contact) => contact.kind === 'utanforTeams').map((contact) => contact.displayName),
    );
  });

  test('each role of the municipality is someone’s', () => {
    const roles = people.flatMap((person) => person.roles);
    for (const unit of sampleDirectory.units as { name: string; barnkontakt?: string }[]) {
      if (unit.barnkontakt !== undefined) expect(roles).toContain(`Barnkontakt, ${unit.name}`);
    }
    expect(roles.some((role) => role.startsWith('ersättare för Barnkontakten'))).toBe(true);
    expect(roles).toContain('kommunens reservkontakt');
    for (const team of sampleDirectory.barnteams as { name: string }[]) {
      expect(roles).toContain(`sammankallande, ${team.name}`);
      expect(roles).toContain(`medlem i ${team.name}`);
    }
  });

  test('each playground has its person as current user, five others, its own personal chat and the directory tenant', () => {
    const chats = new Set<string>();
    for (const person of people) {
      const data = person.mockData;
      expect(data.currentUser.aadObjectId).toBe(person.aadObjectId);
      expect(data.users).toHaveLength(5);
      expect(data.users.map((user) => user.aadObjectId)).not.toContain(person.aadObjectId);
      expect(data.tenantId).toBe(sampleDirectory.municipality.tenantId);
      chats.add(data.personalChat.id);
    }
    expect(chats.size).toBe(people.length);
  });
});
