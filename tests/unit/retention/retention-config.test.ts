import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DirectoryFileError, loadDirectoryFile, parseDirectoryText } from '../../../infra/directory-file.js';

const SAMPLE = 'config/directory.sample.yaml';
const sampleText = readFileSync(SAMPLE, 'utf8');

/** The sample file with its `retention` section replaced by `section` (or removed when empty). */
function withRetention(section: string): string {
  const start = sampleText.indexOf('\nretention:');
  const rest = sampleText.slice(start + 1);
  const nextSection = rest.search(/\n[a-zA-Z#]/);
  const after = nextSection === -1 ? '' : rest.slice(nextSection);
  return `${sampleText.slice(0, start)}\n${section}${after}`;
}

function problemsOf(text: string): readonly string[] {
  try {
    parseDirectoryText(text, 'katalog.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(DirectoryFileError);
    return (error as DirectoryFileError).problems;
  }
  throw new Error('expected the directory file to be refused');
}

describe('retention periods in the directory', () => {
  it('reads the sample file’s periods in months', () => {
    expect(loadDirectoryFile(SAMPLE).retention).toEqual({
      closedCaseMonths: 24,
      declinedOrWithdrawnCaseMonths: 6,
      accessLogMonths: 60,
      teamChannelDays: 30,
    });
  });

  it('uses the defaults for a file written before retention existed, and for a field left out', () => {
    expect(parseDirectoryText(withRetention(''), 'katalog.yaml').retention).toEqual({
      closedCaseMonths: 24,
      declinedOrWithdrawnCaseMonths: 6,
      accessLogMonths: 60,
      teamChannelDays: 30,
    });
    const partial = parseDirectoryText(withRetention('retention:\n  closedCaseMonths: 36\n'), 'katalog.yaml');
    expect(partial.retention).toEqual({
      closedCaseMonths: 36,
      declinedOrWithdrawnCaseMonths: 6,
      accessLogMonths: 60,
      teamChannelDays: 30,
    });
  });

  it('refuses a period that is not a whole number of months, zero, text or unknown, in Swedish with the line', () => {
    const problems = problemsOf(
      withRetention(
        'retention:\n  closedCaseMonths: 1.5\n  declinedOrWithdrawnCaseMonths: 0\n  accessLogMonths: P5Y\n  caseYears: 2\n',
      ),
    );
    expect(problems.join('\n')).toMatch(
      /retention\.closedCaseMonths: Gallringstiden ska anges som ett helt antal månader/,
    );
    expect(problems.join('\n')).toMatch(
      /retention\.declinedOrWithdrawnCaseMonths: Gallringstiden måste vara minst 1 månad/,
    );
    expect(problems.join('\n')).toMatch(/retention\.accessLogMonths: /);
    expect(problems.join('\n')).toMatch(/retention\.caseYears: Okänt fält/);
    expect(problems).toHaveLength(4);
    for (const problem of problems) expect(problem).toMatch(/^katalog\.yaml:\d+: retention\./);
  });

  it('reads the days an ended team’s channel is kept, and refuses a part of a day', () => {
    expect(
      parseDirectoryText(withRetention('retention:\n  teamChannelDays: 0\n'), 'katalog.yaml').retention
        .teamChannelDays,
    ).toBe(0);
    expect(problemsOf(withRetention('retention:\n  teamChannelDays: 2.5\n')).join('\n')).toMatch(
      /retention\.teamChannelDays: Tiden för teamkanalen ska anges som ett helt antal dagar/,
    );
  });
});
