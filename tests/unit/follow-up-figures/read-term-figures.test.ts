import { describe, expect, it } from 'vitest';
import {
  figuresRefusal,
  followUpFiguresAuditKey,
  isProcessTeamMember,
  readTermFigures,
} from '../../../flows/follow-up-figures/read-term-figures.js';
import type { Term } from '../../../flows/follow-up-figures/term-figures.js';
import type { UserId } from '../../../flows/kernel/case.js';
import { ZDirectory } from '../../../flows/kernel/directory.js';
import { sampleTermFigures } from '../../fixtures/term-figures-fixture.js';
import { buildDirectory, buildDirectoryInput, createTestFlow, users } from '../../support/flow-fixtures.js';

const withProcessTeam = buildDirectory((input) => Object.assign(input, { processTeam: ['samordnare'] }));
const vt2026: Term = { season: 'vt', year: 2026 };

function recordingCompute() {
  const asked: Term[] = [];
  return {
    asked,
    compute: async (term: Term) => {
      asked.push(term);
      return sampleTermFigures;
    },
  };
}

describe('readTermFigures', () => {
  it('gives a member of the process team the figures, and audits the read under the figures key', async () => {
    const { deps, stores } = createTestFlow({ directory: withProcessTeam });
    const source = recordingCompute();
    const read = await readTermFigures(
      deps,
      { actorId: users.socialtjanst as UserId, term: vt2026, action: 'statistik.visa' },
      source.compute,
    );
    expect(read).toEqual({ outcome: 'shown', figures: sampleTermFigures });
    expect(source.asked).toEqual([vt2026]);
    expect(await stores.audit.listForCase(followUpFiguresAuditKey)).toEqual([
      expect.objectContaining({
        actor: users.socialtjanst,
        action: 'statistik.visa',
        caseId: followUpFiguresAuditKey,
        outcome: 'allowed',
        purpose: 'Uppföljningssiffror för vt 2026 (sammanräknade, små tal dolda).',
      }),
    ]);
  });

  it('refuses anyone else in Swedish, computes nothing, and audits the refusal', async () => {
    const { deps, stores } = createTestFlow({ directory: withProcessTeam });
    const source = recordingCompute();
    const read = await readTermFigures(
      deps,
      { actorId: users.barnkontakt as UserId, term: vt2026, action: 'statistik.csv' },
      source.compute,
    );
    expect(read).toEqual({ outcome: 'refused', message: figuresRefusal });
    expect(source.asked).toEqual([]);
    expect(await stores.audit.listForCase(followUpFiguresAuditKey)).toEqual([
      expect.objectContaining({ actor: users.barnkontakt, action: 'statistik.csv', outcome: 'refused' }),
    ]);
  });

  it('shows nothing when the audit cannot be written', async () => {
    const { deps, stores } = createTestFlow({ directory: withProcessTeam });
    stores.audit.append = async () => {
      throw new Error('granskningsloggen svarar inte');
    };
    const source = recordingCompute();
    await expect(
      readTermFigures(
        deps,
        { actorId: users.socialtjanst as UserId, term: vt2026, action: 'statistik.visa' },
        source.compute,
      ),
    ).rejects.toThrow('granskningsloggen svarar inte');
    expect(source.asked).toEqual([]);
  });
});

describe('the directory’s process team', () => {
  it('is empty unless listed, so nobody gets the figures by default', () => {
    expect(buildDirectory().processTeam).toEqual([]);
    expect(isProcessTeamMember(buildDirectory(), users.socialtjanst)).toBe(false);
    expect(isProcessTeamMember(withProcessTeam, users.socialtjanst.toUpperCase())).toBe(true);
  });

  it('refuses an id that is not a contact, with the field to change', () => {
    const parsed = ZDirectory.safeParse({ ...buildDirectoryInput(), processTeam: ['samordnare', 'okand'] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toContainEqual(
      expect.objectContaining({
        path: ['processTeam', 1],
        message: 'Kontakten "okand" finns inte under contacts',
      }),
    );
  });

  it('refuses a contact outside Teams, who could not read the card', () => {
    const input = buildDirectoryInput();
    const parsed = ZDirectory.safeParse({
      ...input,
      contacts: [
        ...input.contacts,
        {
          id: 'polis',
          kind: 'utanforTeams',
          displayName: 'Erik Falk',
          email: 'erik@polisen.se',
          title: 'Polis',
        },
      ],
      processTeam: ['polis'],
    });
    expect(parsed.error?.issues).toContainEqual(
      expect.objectContaining({
        path: ['processTeam', 0],
        message: expect.stringContaining('är utanför Teams'),
      }),
    );
  });
});
