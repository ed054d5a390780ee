/**
 * Case + meeting → the joint compass card's data: who of the meeting is listed, how each is
 * named, and to whom "Registrera skattning för …" is offered.
 */
import { describe, expect, it } from 'vitest';
import {
  listMeetingRaters,
  toGemensamBehovskompassData,
} from '../../../bot/card-views/joint-compass-view.js';
import { renderGemensamBehovskompass } from '../../../cards/barnteam/gemensam-behovskompass.js';
import { compassAreaKeys } from '../../../flows/kernel/compass.js';
import { findBarnteamForUnit } from '../../../flows/kernel/directory.js';
import type { BarnteamMeeting } from '../../../flows/kernel/ports.js';
import type { SkattningAnswer } from '../../../flows/kernel/skattning.js';
import { loadDirectoryFile } from '../../../infra/directory-file.js';
import { buildCase } from '../../fixtures/case-fixtures.js';
import { readCardText } from '../../support/card-validation.js';

const directory = loadDirectoryFile('config/directory.sample.yaml');
const maria = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e02';
const karin = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e21';
const alex = '0d6f4a1e-2b3c-4d5e-8f70-1a2b3c4d5e01';
const police = findBarnteamForUnit(directory, 'bjorkskolan')?.members.find(
  (member) => member.role === 'polis',
)?.contact;

/** Tuesday 10 March 2026, 09:00–10:30 in Stockholm. */
const meeting: BarnteamMeeting = {
  id: 'barnteam-bjorkskolan-2026-03-10',
  unitId: 'bjorkskolan',
  convenerUserId: maria,
  state: 'booked',
  start: '2026-03-10T08:00:00.000Z',
  end: '2026-03-10T09:30:00.000Z',
  agenda: [{ caseId: 'case-0001', reference: 'BB-4K7Q-2M9C', initials: 'E.Å.' }],
  members: [
    // The convener is invited with the members, to have the meeting in her calendar.
    { userId: maria, email: 'maria.lind@exempelby.se', role: 'sammankallande', required: true },
    { userId: karin, email: 'karin.sjoberg@exempelby.se', role: 'elevhalsa', required: true },
    {
      contactId: police?.id ?? 'polis',
      kind: 'utanforTeams',
      email: police?.email ?? 'polis@example.se',
      role: 'polis',
      required: true,
    },
    { userId: alex, email: 'alex.andersson@exempelby.se', role: 'upptackare', required: false },
  ],
  createdAt: '2026-03-01T08:00:00.000Z',
  updatedAt: '2026-03-01T08:00:00.000Z',
};

function buildAnswer(
  rater: SkattningAnswer['rater'],
  recordedBy?: SkattningAnswer['recordedBy'],
): SkattningAnswer {
  return {
    caseId: 'case-0001',
    meetingId: meeting.id,
    rater,
    ...(recordedBy === undefined ? {} : { recordedBy }),
    answeredAt: '2026-03-10T10:00:00.000Z',
    areas: compassAreaKeys.map((key) => ({ key, rating: 3 })),
  };
}

describe('listMeetingRaters', () => {
  it('lists the convener once and first, then each member by the directory’s name and role', () => {
    expect(police?.kind).toBe('utanforTeams');
    const raters = listMeetingRaters(meeting, directory);
    expect(raters.map((rater) => [rater.key, rater.role, rater.kindLabel])).toEqual([
      [maria, 'Barnkontakt, sammankallande', undefined],
      [karin, 'Barn- och elevhälsan', undefined],
      [`kontakt:${police?.id}`, 'Polisen', 'utanför Teams, nås via e-post'],
      [alex, 'Upptäckare', undefined],
    ]);
    expect(raters[2]?.displayName).toBe(police?.displayName);
  });
});

describe('toGemensamBehovskompassData', () => {
  const caseValue = {
    etag: '"1"',
    value: {
      ...buildCase({ state: 'barnteam' }),
      skattningar: [
        buildAnswer({ userId: maria, displayName: 'Maria Lind', role: 'Barnkontakt, sammankallande' }),
        buildAnswer(
          { contactId: police?.id ?? 'polis', displayName: police?.displayName ?? 'Polis', role: 'Polisen' },
          { userId: maria, displayName: 'Maria Lind' },
        ),
      ],
    },
  };

  it('offers the convener, from the meeting’s day, to record for each member without an own answer', () => {
    const data = toGemensamBehovskompassData({
      meeting,
      caseValue,
      viewerId: maria,
      directory,
      now: '2026-03-10T06:30:00.000Z',
    });
    expect(data?.raters?.map((rater) => [rater.role, rater.status, rater.canRecord])).toEqual([
      ['Barnkontakt, sammankallande', 'egen', false],
      ['Barn- och elevhälsan', 'saknas', true],
      ['Polisen', 'registrerad', true],
      ['Upptäckare', 'saknas', true],
    ]);
    expect(data?.onBehalfOpensOn).toBeUndefined();
    const text = readCardText(renderGemensamBehovskompass(data ?? ({} as never)));
    expect(text).toContain(`registrerad av Maria Lind för ${police?.displayName}`);
    expect(text).toContain('Skattat av\n2 medlemmar');
  });

  it('offers nothing before the meeting’s day, and tells the convener when it opens', () => {
    const data = toGemensamBehovskompassData({
      meeting,
      caseValue,
      viewerId: maria,
      directory,
      now: '2026-03-09T15:00:00.000Z',
    });
    expect(data?.raters?.every((rater) => !rater.canRecord)).toBe(true);
    expect(data?.onBehalfOpensOn).toBe('2026-03-10');
  });

  it('offers a member nothing, on the meeting’s day too', () => {
    const data = toGemensamBehovskompassData({
      meeting,
      caseValue,
      viewerId: karin,
      directory,
      now: '2026-03-10T12:00:00.000Z',
    });
    expect(data?.raters?.some((rater) => rater.canRecord)).toBe(false);
    expect(data?.onBehalfOpensOn).toBeUndefined();
  });

  it('leads the Barnkontakt to the Samtycke card while the updated consent is missing, and a member not', () => {
    const read = (viewerId: string) =>
      toGemensamBehovskompassData({
        meeting,
        caseValue,
        viewerId,
        directory,
        now: '2026-03-10T12:00:00.000Z',
      });
    const forBarnkontakt = read(maria);
    expect(forBarnkontakt?.individuelltBarnteamBlockedReason).toBeDefined();
    expect(forBarnkontakt?.consentButton).toBe(true);
    expect(read(karin)?.consentButton).toBe(false);
  });
});
