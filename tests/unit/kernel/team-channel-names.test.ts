/**
 * The private channel's name: Teams' rules (Graph channel-post), the default pattern with the
 * child's initials and the case reference, a municipality's own pattern checked when the
 * directory is read, and the suffix after a clash with someone else's channel.
 */
import { describe, expect, it } from 'vitest';
import { findHostTeams, ZDirectory } from '../../../flows/kernel/directory.js';
import {
  defaultChannelNamePattern,
  findChannelNameProblem,
  renderChannelName,
  toChannelInitials,
  withClashSuffix,
} from '../../../flows/kernel/team-channel.js';
import { buildDirectory, buildDirectoryInput } from '../../support/flow-fixtures.js';

describe('Teams channel name rules', () => {
  it('accepts the default name of a case', () => {
    expect(findChannelNameProblem('Barnteam A.B. BB-4K7Q-2M9C')).toBeUndefined();
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['x'.repeat(51), 'tooLong'],
    ['Barnteam A~B', 'forbiddenCharacter'],
    ['Barnteam #1', 'forbiddenCharacter'],
    ['50% team', 'forbiddenCharacter'],
    ['A & B', 'forbiddenCharacter'],
    ['A*B', 'forbiddenCharacter'],
    ['{team}', 'forbiddenCharacter'],
    ['A+B', 'forbiddenCharacter'],
    ['A/B', 'forbiddenCharacter'],
    ['A\\B', 'forbiddenCharacter'],
    ['A:B', 'forbiddenCharacter'],
    ['<A>', 'forbiddenCharacter'],
    ['A?', 'forbiddenCharacter'],
    ['A|B', 'forbiddenCharacter'],
    ["Anna's", 'forbiddenCharacter'],
    ['"A"', 'forbiddenCharacter'],
    ['A, B', 'forbiddenCharacter'],
    ['A..B', 'doubleDot'],
    ['_team', 'leadingUnderscoreOrDot'],
    ['.team', 'leadingUnderscoreOrDot'],
    ['team A.', 'trailingDot'],
    ['team\u0007', 'controlCharacter'],
  ])('refuses %j (%s)', (name, problem) => {
    expect(findChannelNameProblem(name)).toBe(problem);
  });

  it('counts characters, not UTF-16 units: 50 Swedish letters pass, 51 do not', () => {
    expect(findChannelNameProblem('å'.repeat(50))).toBeUndefined();
    expect(findChannelNameProblem('å'.repeat(51))).toBe('tooLong');
  });
});

describe('the channel name of a case', () => {
  it('is "Barnteam A.B. <referens>" by default: initials and reference, never the name', () => {
    const rendered = renderChannelName(defaultChannelNamePattern, {
      initials: toChannelInitials('Anna', 'Berg'),
      reference: 'BB-4K7Q-2M9C',
    });
    expect(rendered).toEqual({ name: 'Barnteam A.B. BB-4K7Q-2M9C' });
  });

  it('takes the first letter of a double name and capitalises Swedish letters', () => {
    expect(toChannelInitials('anna-lena', 'östlund')).toBe('A.Ö.');
    expect(toChannelInitials('Åsa', '')).toBe('Å.');
    expect(toChannelInitials(' "Kim"', "d'Artagnan")).toBe('K.D.');
  });

  it('puts a clash suffix inside 50 characters and never leaves a trailing dot before it', () => {
    expect(withClashSuffix('Barnteam A.B. BB-4K7Q-2M9C', 1)).toBe('Barnteam A.B. BB-4K7Q-2M9C');
    expect(withClashSuffix('Barnteam A.B. BB-4K7Q-2M9C', 2)).toBe('Barnteam A.B. BB-4K7Q-2M9C 2');
    const long = withClashSuffix(`${'x'.repeat(45)}A.B.`, 3);
    expect([...long].length).toBeLessThanOrEqual(50);
    expect(findChannelNameProblem(long)).toBeUndefined();
  });
});

describe('the directory: host teams and the name pattern', () => {
  const hostTeam = (teamId: string, units: string[] = []) => ({ teamId, units });
  const teamA = '11111111-1111-4111-8111-111111111111';
  const teamB = '22222222-2222-4222-8222-222222222222';
  const teamC = '33333333-3333-4333-8333-333333333333';

  it('lists the unit own host teams first, then the municipality-wide ones, in file order', () => {
    const directory = buildDirectory((input) => {
      Object.assign(input, {
        teamChannels: {
          hostTeams: [hostTeam(teamA), hostTeam(teamB, ['bjorkskolan']), hostTeam(teamC)],
        },
      });
    });
    expect(findHostTeams(directory, 'bjorkskolan').map((team) => team.teamId)).toEqual([teamB, teamA, teamC]);
    expect(findHostTeams(directory, 'larkans-forskola').map((team) => team.teamId)).toEqual([teamA, teamC]);
    expect(directory.teamChannels.namePattern).toBe(defaultChannelNamePattern);
  });

  it('has no host teams and the default pattern when the file says nothing', () => {
    const directory = buildDirectory();
    expect(directory.teamChannels).toEqual({ namePattern: defaultChannelNamePattern, hostTeams: [] });
  });

  it.each([
    ['Barnteam {initialer}', 'måste innehålla {referens}'],
    ['Team {namn} {referens}', 'Okänd platshållare {namn}'],
    ['Barnteam: {referens}', 'godtas inte av Teams'],
    ['{referens} för ett barn med ett alldeles för långt kanalnamn', 'godtas inte av Teams'],
  ])('refuses the pattern %j', (namePattern, message) => {
    const result = ZDirectory.safeParse({ ...buildDirectoryInput(), teamChannels: { namePattern } });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(message);
  });

  it('refuses a host team for a unit that does not exist, a team listed twice and an id that is not a GUID', () => {
    const result = ZDirectory.safeParse({
      ...buildDirectoryInput(),
      teamChannels: {
        hostTeams: [hostTeam(teamA, ['okand-enhet']), hostTeam(teamA), { teamId: 'Barnteam' }],
      },
    });
    expect(result.success).toBe(false);
    const text = JSON.stringify(result.error?.issues);
    expect(text).toContain('Enheten \\"okand-enhet\\" finns inte');
    expect(text).toContain('Teamet står två gånger');
    expect(text).toContain('teamId ska vara');
  });
});
