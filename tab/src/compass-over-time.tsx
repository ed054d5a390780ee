import { makeStyles, tokens } from '@fluentui/react-components';
import {
  compassOverTimeFromOccasions,
  compassOverTimeRows,
  describeCompassOverTime,
  formatChange,
  renderCompassOverTimeSvg,
} from '../../cards/charts/compass-over-time-svg.js';
import { type CompassAreaKey, compassAreas } from '../../flows/kernel/compass.js';
import { type CompassRater, compassRaterLabels } from '../../flows/kernel/records/plan.js';
import type { PlanView, PlanViewFollowUp } from '../../flows/kernel/records/plan-view.js';
import { findSkattningStep, type SkattningValue } from '../../flows/kernel/skattning.js';
import type { DateFormat } from './format.js';

const raters: readonly CompassRater[] = ['barnet', 'vardnadshavare', 'teamet'];

const useStyles = makeStyles({
  // The shared SVG draws in fixed dark colours on white, the same as in the card and the PDF. On
  // the dark and high-contrast themes it keeps its contrast only on a light panel, so the panel is
  // white in every theme, with the theme's border to set it off from a dark page.
  chartPanel: {
    backgroundColor: '#ffffff',
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: '8px',
    margin: '0 0 16px',
    maxWidth: '640px',
  },
  chart: { display: 'block', width: '100%', height: 'auto' },
  grid: { display: 'grid', gap: '24px', gridTemplateColumns: 'repeat(auto-fill, minmax(320px, 1fr))' },
  area: {
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: '12px',
    backgroundColor: tokens.colorNeutralBackground1,
  },
  heading: { display: 'flex', alignItems: 'center', gap: '8px', margin: '0 0 8px', fontSize: '16px' },
  swatch: {
    width: '14px',
    height: '14px',
    borderRadius: '50%',
    flexShrink: 0,
    border: `1px solid ${tokens.colorNeutralForeground1}`,
  },
  table: {
    borderCollapse: 'collapse',
    width: '100%',
    fontSize: '13px',
    '& th, & td': {
      borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
      padding: '2px 6px',
      textAlign: 'left',
    },
  },
  caption: { textAlign: 'left', fontWeight: tokens.fontWeightSemibold, padding: '4px 0' },
});

function ratingOf(
  followUp: PlanViewFollowUp,
  rater: CompassRater,
  area: CompassAreaKey,
): SkattningValue | undefined {
  return followUp.ratings.find((rating) => rating.rater === rater && rating.area === area)?.rating;
}

// The table tells "vet ej" from not rated, which the chart (no point for either) does not need to.
function showRating(value: SkattningValue | undefined): string {
  if (value === undefined) return '–';
  return value === 'vetEj' ? findSkattningStep(value).label : String(value);
}

/**
 * Behovskompassen over time: the chart the card and the family's copy draw, and under it a table
 * per area with the child's, the guardian's and the team's ratings at the start and each
 * follow-up, and the change since the start as the chart writes it.
 */
export function CompassOverTime(props: { readonly plan: PlanView; readonly dates: DateFormat }) {
  const styles = useStyles();
  const followUps = props.plan.compassOverTime;
  if (followUps.length === 0) return <p>Inga skattningar är gjorda ännu.</p>;
  const data = compassOverTimeFromOccasions(followUps);
  const svg = renderCompassOverTimeSvg(data);
  const rows = compassOverTimeRows(data);
  // The chart's data is ordered by follow-up; the table follows the same order.
  const ordered = [...followUps].sort((a, b) => a.followUpNo - b.followUpNo);
  return (
    <>
      <div className={styles.chartPanel}>
        <img
          className={styles.chart}
          src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`}
          alt={describeCompassOverTime(data)}
        />
      </div>
      <div className={styles.grid}>
        {compassAreas.map((area) => {
          const headingId = `kompass-${area.key}`;
          const areaRows = rows.filter((row) => row.areaKey === area.key);
          return (
            <section key={area.key} className={styles.area} aria-labelledby={headingId}>
              <h3 id={headingId} className={styles.heading}>
                <span className={styles.swatch} style={{ backgroundColor: area.colour }} aria-hidden="true" />
                {area.name}
              </h3>
              <table className={styles.table}>
                <caption className={styles.caption}>{area.name}: skattningar 1–5 (5 är bäst)</caption>
                <thead>
                  <tr>
                    <th scope="col">Tillfälle</th>
                    {raters.map((rater) => (
                      <th key={rater} scope="col">
                        {compassRaterLabels[rater]}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {ordered.map((followUp) => (
                    <tr key={followUp.followUpNo}>
                      <th scope="row">
                        {followUp.label} ({props.dates.date(followUp.recordedAt)})
                      </th>
                      {raters.map((rater) => (
                        <td key={rater}>{showRating(ratingOf(followUp, rater, area.key))}</td>
                      ))}
                    </tr>
                  ))}
                  <tr>
                    <th scope="row">Förändring sedan start</th>
                    {raters.map((rater) => (
                      <td key={rater}>
                        {formatChange(areaRows.find((row) => row.raterKey === rater)?.change ?? null)}
                      </td>
                    ))}
                  </tr>
                </tbody>
              </table>
            </section>
          );
        })}
      </div>
    </>
  );
}
