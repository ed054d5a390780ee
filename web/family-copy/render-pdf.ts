/**
 * The family's copy of Barnets plan as a PDF, written for the child and the guardian: the goals
 * in the child's words, who does what and when, who is there for the child, the next meeting and
 * the Behovskompass over time. Fixed words come from the language's catalogue; what people wrote
 * stays as they wrote it. Nothing internal is drawn: no follow-up notes, chronology or audit, and
 * of the team only the plan's owner, as the family's contact.
 *
 * The DejaVu fonts are embedded (the same files the charts use) so that å, ä, ö and other
 * scripts render on any reader. The document's metadata title is the catalogue's neutral title:
 * a file's properties are shown by mail clients and file lists where the child must not be named.
 */
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { compassAreas } from '../../flows/kernel/compass.js';
import type { PlanView, PlanViewAction } from '../../flows/kernel/records/plan-view.js';
import { type FamilyCopyCatalogue, type FamilyCopyTexts, fillTemplate } from './catalogue.js';
import { renderCompassImage } from './compass-image.js';

const require = createRequire(import.meta.url);
const fonts = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
} as const;

const timeZone = 'Europe/Stockholm';
const margin = 50;
const textColour = '#1a1a1a';
const mutedColour = '#555555';
/** Below this much room a heading moves to the next page rather than stand alone at the bottom. */
const keepWithNext = 90;

type Doc = PDFKit.PDFDocument;

/** Renders `view` in `catalogue`'s language; resolves with the whole file. */
export function renderFamilyCopyPdf(view: PlanView, catalogue: FamilyCopyCatalogue): Promise<Uint8Array> {
  const texts = catalogue.texts;
  const doc = new PDFDocument({
    size: 'A4',
    margin,
    bufferPages: true,
    lang: catalogue.locale,
    displayTitle: true,
    font: fonts.regular,
    info: { Title: texts.documentTitle, Creator: 'Backa barnet', Producer: 'Backa barnet' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const dates = formatters(catalogue.locale);

  drawTitle(doc, view, texts, dates);
  drawGoals(doc, view, texts);
  drawActions(doc, view, texts, dates);
  drawCloseToMe(doc, view, texts);
  drawMeeting(doc, view, texts, dates);
  drawCompass(doc, view, texts);
  drawFooters(doc, texts);
  doc.end();
  return done;
}

interface DateFormatters {
  /** A calendar date (YYYY-MM-DD) or an instant's day in Stockholm. */
  day(value: string): string;
  time(instant: string): string;
}

function formatters(locale: string): DateFormatters {
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone });
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone });
  return {
    // Noon UTC is the same day in Stockholm all year, so a calendar date never shifts.
    day: (value) => day.format(new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value)),
    time: (instant) => time.format(new Date(instant)),
  };
}

function drawTitle(doc: Doc, view: PlanView, texts: FamilyCopyTexts, dates: DateFormatters): void {
  doc.font('bold').fontSize(24).fillColor(textColour).text(texts.heading);
  doc.moveDown(0.3);
  doc.font('regular').fontSize(11).text(texts.intro);
  doc.moveDown(0.6);
  doc.fillColor(mutedColour).text(fillTemplate(texts.child, { initials: view.childInitials }));
  if (view.faststalldAt !== undefined) {
    doc.text(fillTemplate(texts.fixedAt, { date: dates.day(view.faststalldAt) }));
  }
  const role =
    view.owner.roleLabel === 'Stödsamordnare' ? texts.roles.stodsamordnare : texts.roles.barnkontakt;
  doc.text(fillTemplate(texts.contact, { name: view.owner.name, role }));
  doc.fillColor(textColour);
}

function drawHeading(doc: Doc, text: string): void {
  doc.moveDown(1.2);
  if (doc.y + keepWithNext > doc.page.maxY()) doc.addPage();
  doc.font('bold').fontSize(16).fillColor(textColour).text(text, margin);
  doc.moveDown(0.4);
  doc.font('regular').fontSize(11);
}

function drawNone(doc: Doc, text: string): void {
  doc.font('regular').fontSize(11).fillColor(mutedColour).text(text, margin).fillColor(textColour);
}

function drawGoals(doc: Doc, view: PlanView, texts: FamilyCopyTexts): void {
  drawHeading(doc, texts.goalsHeading);
  if (view.goals.length === 0) {
    drawNone(doc, texts.noGoals);
    return;
  }
  // In the compass's order, so that the copy reads like the card the family saw in the meeting.
  const ordered = compassAreas.flatMap((area) => view.goals.filter((goal) => goal.area === area.key));
  for (const goal of ordered) {
    const area = compassAreas.find((item) => item.key === goal.area);
    if (doc.y + 70 > doc.page.maxY()) doc.addPage();
    const top = doc.y;
    doc.rect(margin, top + 2, 10, 10).fill(area?.colour ?? mutedColour);
    doc
      .fillColor(textColour)
      .font('bold')
      .fontSize(12)
      .text(texts.areas[goal.area], margin + 16, top);
    doc
      .font('regular')
      .fontSize(13)
      .text(fillTemplate(texts.quote, { text: goal.minMal }), margin + 16);
    doc.fontSize(10.5);
    drawLabelled(doc, texts.goalWhat, goal.vad, margin + 16);
    drawLabelled(doc, texts.goalHow, goal.hur, margin + 16);
    doc.moveDown(0.6);
  }
}

function drawLabelled(doc: Doc, label: string, value: string, x: number): void {
  doc.font('bold').text(`${label}: `, x, undefined, { continued: true });
  doc.font('regular').text(value);
}

function drawActions(doc: Doc, view: PlanView, texts: FamilyCopyTexts, dates: DateFormatters): void {
  drawHeading(doc, texts.actionsHeading);
  if (view.actions.length === 0) {
    drawNone(doc, texts.noActions);
    return;
  }
  const ordered = [...view.actions].sort(byDueDate);
  for (const action of ordered) {
    if (doc.y + 60 > doc.page.maxY()) doc.addPage();
    doc.font('bold').fontSize(11).text(action.what, margin);
    doc.fontSize(10.5);
    const performer = action.performer;
    drawLabelled(
      doc,
      texts.actionWho,
      `${performer.name} (${performer.role}, ${performer.organisation})`,
      margin + 16,
    );
    drawLabelled(doc, texts.actionWhen, dates.day(action.dueDate), margin + 16);
    drawLabelled(doc, texts.actionStatus, texts.statuses[action.status], margin + 16);
    doc.moveDown(0.5);
  }
}

function byDueDate(a: PlanViewAction, b: PlanViewAction): number {
  return a.dueDate.localeCompare(b.dueDate) || a.id.localeCompare(b.id);
}

function drawCloseToMe(doc: Doc, view: PlanView, texts: FamilyCopyTexts): void {
  drawHeading(doc, texts.closeToMeHeading);
  if (view.closeToMe.length === 0) {
    drawNone(doc, texts.noCloseToMe);
    return;
  }
  doc.fillColor(mutedColour).text(texts.closeToMeIntro, margin).fillColor(textColour);
  doc.moveDown(0.4);
  for (const closeness of [1, 2, 3] as const) {
    const people = view.closeToMe.filter((person) => person.closeness === closeness);
    if (people.length === 0) continue;
    drawLabelled(
      doc,
      texts.closeness[closeness],
      people.map((person) => `${person.name} (${person.relation})`).join(', '),
      margin,
    );
  }
}

function drawMeeting(doc: Doc, view: PlanView, texts: FamilyCopyTexts, dates: DateFormatters): void {
  drawHeading(doc, texts.meetingHeading);
  const meeting = view.nextMeeting;
  if (meeting === undefined) {
    drawNone(doc, texts.noMeeting);
    return;
  }
  doc.text(
    fillTemplate(texts.meetingTime, {
      date: dates.day(meeting.start),
      start: dates.time(meeting.start),
      end: dates.time(meeting.end),
    }),
    margin,
  );
  if (meeting.joinUrl !== undefined) {
    doc.fillColor('#1f4e9c').text(texts.meetingLink, { link: meeting.joinUrl, underline: true });
    doc.fillColor(textColour);
  }
}

function drawCompass(doc: Doc, view: PlanView, texts: FamilyCopyTexts): void {
  if (view.compassOverTime.length === 0) {
    drawHeading(doc, texts.compassHeading);
    drawNone(doc, texts.noCompass);
    return;
  }
  const image = renderCompassImage(view.compassOverTime, texts);
  const width = doc.page.width - 2 * margin;
  const height = width * image.aspect;
  // The heading, its explanation and the chart on one page: a chart without its key is unreadable.
  const intro = doc.font('regular').fontSize(11).heightOfString(texts.compassIntro, { width });
  if (doc.y + 60 + intro + height > doc.page.maxY()) doc.addPage();
  drawHeading(doc, texts.compassHeading);
  doc.fillColor(mutedColour).text(texts.compassIntro, margin).fillColor(textColour);
  doc.moveDown(0.5);
  doc.image(image.png, margin, doc.y, { width });
  doc.y += height;
}

/** "Sida 1 av 3" on every page, written once the number of pages is known. */
function drawFooters(doc: Doc, texts: FamilyCopyTexts): void {
  const range = doc.bufferedPageRange();
  for (let index = 0; index < range.count; index += 1) {
    doc.switchToPage(range.start + index);
    // Inside the bottom margin: without lifting it PDFKit would start a new page for the line.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('regular')
      .fontSize(9)
      .fillColor(mutedColour)
      .text(
        fillTemplate(texts.footer, { page: index + 1, pages: range.count }),
        margin,
        doc.page.height - bottom / 2 - 5,
        { width: doc.page.width - 2 * margin, align: 'center', lineBreak: false },
      );
    doc.page.margins.bottom = bottom;
  }
}
