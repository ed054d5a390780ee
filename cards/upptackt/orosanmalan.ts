/**
 * The orosanmälan delivered to Socialtjänstens mottagning, with the whole Upptäckarkort
 * attached: the model requires the card to go with every report ("kortet bifogas, alltid").
 * Unlike the Barnkontakt's notification it carries the identity number, which social services
 * need to open a case. The same content is also given as Markdown for a printable document.
 */
import { z } from 'zod';
import { ZCalendarDate, ZInstant } from '../../flows/kernel/case.js';
import {
  type AreaAssessment,
  buildAreaRows,
  formatChildName,
  reporterOrganisationLabels,
  ZAreaRatings,
  ZCardChild,
  ZCardReporter,
} from '../card-parts.js';
import { type AdaptiveCardJson, parseCardData, renderCardTemplate } from '../render-template.js';
import { describeAge, formatIdentityNumber, formatSwedishDateOfInstant } from '../swedish-format.js';
import template from './orosanmalan.json' with { type: 'json' };

export const ZOrosanmalanData = z.object({
  caseId: z.string().min(1).max(100),
  reference: z.string().min(1).max(40),
  /** Today's Stockholm date, for the child's age. */
  today: ZCalendarDate,
  filedAt: ZInstant,
  child: ZCardChild,
  unitName: z.string().min(1).max(200),
  areas: ZAreaRatings,
  observation: z.string().min(1).max(4000),
  talkedWithGuardian: z.boolean(),
  reporter: ZCardReporter,
});
export type OrosanmalanData = z.input<typeof ZOrosanmalanData>;
type ParsedOrosanmalan = z.output<typeof ZOrosanmalanData>;

const assessmentColours: Readonly<Record<AreaAssessment, string>> = {
  behoverStarkas: 'attention',
  fungerarBra: 'good',
  vetEj: 'default',
};

/**
 * Renders the orosanmälan card (read-only, no actions).
 *
 * @throws CardRenderError when the data does not match `ZOrosanmalanData`.
 */
export function renderOrosanmalan(data: OrosanmalanData): AdaptiveCardJson {
  return renderCardTemplate('orosanmalan', template, ZOrosanmalanData, data, (parsed) => {
    const content = describeOrosanmalan(parsed);
    return {
      ...content,
      areas: content.areas.map((area) => ({ ...area, assessmentColour: assessmentColours[area.assessment] })),
    };
  });
}

/**
 * The same orosanmälan as Markdown, for a printable document or an e-mail. Text typed by users
 * is escaped so that it prints as typed and cannot add links, headings or lists.
 *
 * @throws CardRenderError when the data does not match `ZOrosanmalanData`.
 */
export function renderOrosanmalanText(data: OrosanmalanData): string {
  const content = describeOrosanmalan(parseCardData('orosanmalan', ZOrosanmalanData, data));
  const facts = (rows: readonly Fact[]) =>
    rows.map((row) => `- **${row.label}:** ${escapeMarkdown(row.value)}`);
  return [
    '# Orosanmälan med bifogat Upptäckarkort',
    '',
    escapeMarkdown(content.intro),
    '',
    ...facts(content.caseFacts),
    '',
    '## Barnet',
    '',
    ...facts(content.childFacts),
    '',
    '## Behovskompassen',
    '',
    ...content.areas.flatMap((area) => [
      `### ${area.name} – ${area.childWords}`,
      '',
      `Bedömning: **${area.assessmentLabel}**`,
      ...(area.hasComment ? ['', `Kommentar: ${escapeMarkdown(area.comment)}`] : []),
      '',
    ]),
    '## Vad har Upptäckaren sett?',
    '',
    escapeMarkdown(content.observation),
    '',
    content.talkedWithGuardianText,
    '',
    '## Upptäckare',
    '',
    ...facts(content.reporterFacts),
    '',
  ].join('\n');
}

interface Fact {
  label: string;
  value: string;
}

function describeOrosanmalan(parsed: ParsedOrosanmalan) {
  const reporter = parsed.reporter;
  const child = parsed.child;
  const childFacts: Fact[] = [
    { label: 'Namn', value: formatChildName(child) },
    {
      label: 'Personnummer',
      value: child.identityNumber ? formatIdentityNumber(child.identityNumber) : 'Saknas på kortet',
    },
    { label: 'Ålder', value: describeAge(child, parsed.today) },
    { label: 'Enhet', value: parsed.unitName },
  ];
  const reporterFacts: Fact[] = [
    { label: 'Namn', value: reporter.displayName },
    { label: 'Roll', value: reporter.role },
    { label: 'Organisation', value: reporterOrganisationLabels[reporter.organisation] },
    ...(reporter.unitName ? [{ label: 'Enhet', value: reporter.unitName }] : []),
    ...(reporter.email ? [{ label: 'E-post', value: reporter.email }] : []),
  ];
  return {
    intro: `${reporter.displayName} (${reporter.role}) har gjort en orosanmälan. Upptäckarkortet bifogas i sin helhet.`,
    caseFacts: [
      { label: 'Ärende', value: parsed.reference },
      { label: 'Inkom', value: formatSwedishDateOfInstant(parsed.filedAt) },
    ],
    childFacts,
    areas: buildAreaRows(parsed.areas),
    observation: parsed.observation,
    talkedWithGuardianText: parsed.talkedWithGuardian
      ? 'Upptäckaren har samtalat med vårdnadshavare.'
      : 'Upptäckaren har inte samtalat med vårdnadshavare.',
    reporterFacts,
  };
}

/** Backslash-escapes Markdown syntax, and line starts that would open a list, quote or heading. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]{}<>|~#!]/g, (character) => `\\${character}`)
    .replace(/^(\s*)([-+])(?=\s)/gm, '$1\\$2')
    .replace(/^(\s*)(\d+)([.)])(?=\s)/gm, '$1$2\\$3');
}
