/**
 * Case and catalogue → the Fördjupad behovskompass card for one viewer, and the catalogue's pages.
 * Who may see and rate it is asked of access.ts (`lasPlan`, `skattaFordjupadBehovskompass`);
 * `undefined` when the viewer may not. The child appears as on the plan card.
 */
import { formatSkattningShort } from '../../cards/form-fields.js';
import type { FordjupadBehovskompassData } from '../../cards/individuellt-barnteam/fordjupad-behovskompass.js';
import { formatSwedishDateOfInstant } from '../../cards/swedish-format.js';
import type {
  DeepCompassCatalogue,
  DeepCompassSubArea,
} from '../../flows/individuellt-barnteam/deep-compass-catalogue.js';
import { toPlanCardVersion } from '../../flows/individuellt-barnteam/plan-command.js';
import { authorize } from '../../flows/kernel/access.js';
import type { Case, UserId } from '../../flows/kernel/case.js';
import { type CompassAreaKey, findCompassArea } from '../../flows/kernel/compass.js';
import type { Directory } from '../../flows/kernel/directory.js';
import type { Versioned } from '../../flows/kernel/ports.js';
import type { DeepCompassRating } from '../../flows/kernel/records/plan.js';
import { findSkattningStep } from '../../flows/kernel/skattning.js';
import { deepCompassExampleNote, toPlanChildLabel } from './individual-team-views.js';
import { findPersonName } from './person-names.js';

type FormState = Pick<FordjupadBehovskompassData, 'values' | 'fieldErrors' | 'formError' | 'confirmation'>;

export interface DeepCompassPage {
  readonly title: string;
  readonly areas: readonly {
    readonly area: CompassAreaKey;
    readonly subAreas: readonly DeepCompassSubArea[];
  }[];
}

/**
 * What a page's content may weigh, in bytes of the rendered card. Measured on it: a sub-area's
 * choice set, containers and history lines take about 1,000 bytes, each aspect 100 more than its
 * text, each area's heading and dot 800, and a sub-area's name is shown twice. The header takes
 * about 2.5 KB and a split card's page chooser up to 6.5 KB (a hundred pages), so either budget
 * keeps a card under Teams' ~28 KB.
 */
const singlePageBudget = 22_000;
const splitPageBudget = 17_000;
const areaCost = 800;

function weighSubArea(subArea: DeepCompassSubArea): number {
  return (
    1_000 +
    Buffer.byteLength(subArea.name) * 2 +
    subArea.aspects.reduce((sum, aspect) => sum + Buffer.byteLength(aspect) + 100, 0)
  );
}

const weighArea = (subAreas: readonly DeepCompassSubArea[]) =>
  subAreas.reduce((sum, subArea) => sum + weighSubArea(subArea), areaCost);

/**
 * The catalogue as the card shows it: on one page when it fits, else one page per area, and an
 * area too large for one page in parts. Derived from the catalogue alone, so a page number on a
 * card means the same page for as long as the bot runs with that catalogue.
 */
export function splitDeepCompassPages(catalogue: DeepCompassCatalogue): DeepCompassPage[] {
  const total = catalogue.areas.reduce((sum, entry) => sum + weighArea(entry.subAreas), 0);
  if (total <= singlePageBudget) return [{ title: 'Alla områden', areas: catalogue.areas }];
  return catalogue.areas.flatMap((entry) => {
    const parts: DeepCompassSubArea[][] = [];
    for (const subArea of entry.subAreas) {
      const last = parts.at(-1);
      if (last === undefined || weighArea([...last, subArea]) > splitPageBudget) parts.push([subArea]);
      else last.push(subArea);
    }
    const name = findCompassArea(entry.area).name;
    return parts.map((subAreas, index) => ({
      title: parts.length === 1 ? name : `${name} (del ${index + 1} av ${parts.length})`,
      areas: [{ area: entry.area, subAreas }],
    }));
  });
}

/** "🙂 4 – Fungerar bra", "❔ Vet ej". */
function describeRating(rating: DeepCompassRating): string {
  const step = findSkattningStep(rating.rating);
  return rating.rating === 'vetEj'
    ? `${step.face} ${step.label}`
    : `${step.face} ${rating.rating} – ${step.label}`;
}

export function toFordjupadBehovskompassData(
  current: Versioned<Case>,
  viewerId: UserId,
  directory: Directory,
  catalogue: DeepCompassCatalogue,
  /** Out-of-range pages (a card from before a catalogue change) show the nearest one. */
  page: number,
  form: FormState = {},
): FordjupadBehovskompassData | undefined {
  const caseValue = current.value;
  const plan = caseValue.barnetsPlan;
  if (
    plan === undefined ||
    !authorize(caseValue, viewerId, 'lasPlan').allowed ||
    !authorize(caseValue, viewerId, 'skattaFordjupadBehovskompass').allowed
  )
    return undefined;
  const pages = splitDeepCompassPages(catalogue);
  const index = Math.min(Math.max(0, Math.trunc(page)), pages.length - 1);
  const shown = pages[index] ?? pages[0];
  const ratings = plan.deepCompass ?? [];
  const describe = (rating: DeepCompassRating) =>
    `${formatSkattningShort(rating.rating)} (${formatSwedishDateOfInstant(rating.recordedAt)})`;
  return {
    caseId: caseValue.id,
    etag: toPlanCardVersion(current.etag, caseValue),
    childLabel: toPlanChildLabel(caseValue),
    catalogueVersion: catalogue.version,
    ...(catalogue.example ? { exampleNote: deepCompassExampleNote } : {}),
    page: index,
    pageTitles: pages.length > 1 ? pages.map((item) => item.title) : [],
    areas: (shown?.areas ?? []).map((entry) => ({
      area: entry.area,
      subAreas: entry.subAreas.map((subArea) => {
        // Newest first; ratings are appended, so the array's order is the order they were made.
        const history = ratings.filter((rating) => rating.subAreaId === subArea.id).reverse();
        const [latest, ...earlier] = history;
        return {
          id: subArea.id,
          name: subArea.name,
          aspects: [...subArea.aspects],
          ...(latest === undefined
            ? {}
            : {
                latest: `Senast: ${describeRating(latest)} · ${findPersonName(caseValue, directory, latest.recordedBy)}, ${formatSwedishDateOfInstant(latest.recordedAt)}`,
              }),
          ...(earlier.length === 0
            ? {}
            : {
                earlier: `Tidigare: ${earlier.slice(0, 3).map(describe).join(', ')}${earlier.length > 3 ? ` och ${earlier.length - 3} till` : ''}`,
              }),
        };
      }),
    })),
    refreshUserIds: [viewerId],
    ...form,
  };
}
